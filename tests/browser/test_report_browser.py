"""Open the rendered report in real headless Chromium (Debian's package; no downloaded browser).

Where Chromium is absent these tests skip with the reason, unless REACH_REQUIRE_BROWSER=1 (set by
.ci/run), when they fail instead.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("REACH_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here (REACH_REQUIRE_BROWSER=1) but is not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def opened(browser, sample_run, tmp_path_factory):
    """The report opened offline, with every request that tried to leave the page recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    external: list[str] = []

    def watch(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    page.route("**/*", watch)
    page.goto((sample_run.report_dir / "report.html").as_uri(), wait_until="load")
    shot = tmp_path_factory.mktemp("screens") / "first-screen.png"
    page.screenshot(path=str(shot))
    yield page, external, shot
    context.close()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    """Run axe-core (shipped inside the axe-playwright-python package) with the WCAG 2.2 AA rules."""
    from pathlib import Path

    axe_package = pytest.importorskip("axe_playwright_python")
    page.add_script_tag(path=str(Path(axe_package.__file__).parent / "axe.min.js"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [f"{v['id']}: {v['nodes'][0]['html'][:120]}" for v in result["violations"]]


def _png_colours(path) -> int:
    """Count distinct greys in a downscaled PNG (enough to tell a blank page from a real one)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, pos = b"", 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(chunks)
    return len(set(raw[:: max(1, len(raw) // 20000)])), width, height


class TestReportInChromium:
    def test_no_request_leaves_the_page(self, opened):
        _, external, _ = opened
        assert external == []

    def test_sample_banner_is_visible(self, opened):
        page, _, _ = opened
        banner = page.locator(".reach-banner-sample")
        assert banner.is_visible()
        assert "SAMPLE DATA" in banner.inner_text()

    def test_every_image_has_meaningful_alt_and_loaded(self, opened):
        page, _, _ = opened
        images = page.locator("img").all()
        assert len(images) >= 3
        for image in images:
            alt = image.get_attribute("alt") or ""
            assert len(alt) > 40 and "No description" not in alt
            assert image.evaluate("img => img.complete && img.naturalWidth > 0")

    def test_page_has_title_language_and_one_h1(self, opened):
        page, _, _ = opened
        assert "SAMPLE DATA" in page.title()
        assert page.locator("html").get_attribute("lang") == "en-GB"
        assert page.locator("h1").count() == 1

    def test_first_screen_screenshot_is_not_blank(self, opened):
        _, _, shot = opened
        colours, width, height = _png_colours(shot)
        assert (width, height) == (1280, 900)
        assert colours > 5

    def test_every_tile_has_a_text_status_label(self, opened):
        page, _, _ = opened
        tiles = page.locator("li.reach-tile").all()
        assert len(tiles) == 5
        for tile in tiles:
            label = tile.locator(".reach-status-label")
            assert label.count() == 1 and label.is_visible()
            assert label.inner_text().strip() in {"On track", "Watch", "Below target", "No status"}
            # The icon repeats the label for sighted readers; screen readers hear the label only.
            assert tile.locator("svg.reach-icon").get_attribute("aria-hidden") == "true"
            text = tile.inner_text()
            assert "95% interval" in text or "A range:" in text or "No figure:" in text

    def test_first_screen_shows_the_headline_tiles(self, opened):
        page, _, shot = opened
        assert shot.is_file() and shot.stat().st_size > 10_000
        top = page.locator("li.reach-tile").first.bounding_box()
        assert top is not None and top["y"] < 900

    def test_axe_finds_no_wcag_22_aa_violations(self, opened):
        page, _, _ = opened
        assert axe_violations(page) == []

    def test_charts_reflow_at_320_pixels(self, browser, sample_run):
        context = browser.new_context(viewport={"width": 320, "height": 640}, offline=True)
        page = context.new_page()
        page.goto((sample_run.report_dir / "report.html").as_uri(), wait_until="load")
        widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.getBoundingClientRect().width)")
        tiles = page.eval_on_selector_all(
            "li.reach-tile", "ts => ts.map(t => t.getBoundingClientRect().right)"
        )
        page_width = page.evaluate("document.documentElement.scrollWidth")
        context.close()
        assert widths and max(widths) <= 320
        assert tiles and max(tiles) <= 320
        assert page_width <= 320


class TestIndexInChromium:
    def test_index_offline_accessible_and_linked(self, browser, sample_run):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
        page = context.new_page()
        external: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else external.append(r.url))
        page.goto((sample_run.reports / "index.html").as_uri(), wait_until="load")
        assert external == []
        assert page.locator(f'a[href="{sample_run.month}/report.html"]').count() == 1
        for svg in page.locator("svg[role=img]").all():
            assert len(svg.locator("title").inner_text()) > 40
        assert axe_violations(page) == []
        context.close()
