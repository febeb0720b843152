"""Open every page kind in real headless Chromium (Debian's package; no downloaded browser).

The page kinds of a run: ``report.html`` (the steering group's paper), ``appendix.html`` (the
technical appendix, which also holds the methodology) and ``reports/index.html``. Each is opened
offline with every request recorded, checked with axe-core (WCAG 2.2 AA), for alt text and for
reflow at 320 px; ``report.html`` is also printed to PDF by Chromium and must fit on four A4 pages.

Where Chromium is absent these tests skip with the reason, unless REACH_REQUIRE_BROWSER=1 (set by
.ci/run), when they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import zlib
from pathlib import Path

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
PAGE_KINDS = ("report", "appendix", "index")
#: The steering group's paper must print on at most this many A4 pages.
MAX_PRINTED_PAGES = 4
#: A4 in PostScript points (Chromium writes 594.96 x 841.92).
A4_POINTS = (595, 842)


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


def page_path(sample_run, kind: str) -> Path:
    if kind == "index":
        return sample_run.reports / "index.html"
    return sample_run.report_dir / f"{kind}.html"


def open_offline(browser, path: Path, width: int = 1280, height: int = 900):
    """A page opened with the network cut off; every request that tried to leave it is listed."""
    context = browser.new_context(viewport={"width": width, "height": height}, offline=True)
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
    page.goto(path.as_uri(), wait_until="load")
    return context, page, external


@pytest.fixture(scope="module", params=PAGE_KINDS)
def opened(request, browser, sample_run):
    """Each page kind opened offline at 1280 x 900: (kind, page, external requests)."""
    kind = request.param
    context, page, external = open_offline(browser, page_path(sample_run, kind))
    yield kind, page, external
    context.close()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    """Run axe-core (shipped inside the axe-playwright-python package) with the WCAG 2.2 AA rules."""
    axe_package = pytest.importorskip("axe_playwright_python")
    page.add_script_tag(path=str(Path(axe_package.__file__).parent / "axe.min.js"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [f"{v['id']}: {v['nodes'][0]['html'][:120]}" for v in result["violations"]]


def pdf_pages(pdf: bytes) -> tuple[int, set[tuple[int, int]]]:
    """Pages in a PDF written by Chromium (its page objects are not compressed), and their sizes in points."""
    count = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    boxes = {
        tuple(round(float(v)) for v in box.split()[2:4])
        for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)
    }
    return count, boxes


def _png_colours(path) -> tuple[int, int, int]:
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


class TestEveryPageKind:
    """report.html, appendix.html and index.html: offline, accessible, described, reflowing."""

    def test_no_request_leaves_the_page(self, opened):
        _, _, external = opened
        assert external == []

    def test_axe_finds_no_wcag_22_aa_violations(self, opened):
        _, page, _ = opened
        assert axe_violations(page) == []

    def test_title_language_and_one_h1(self, opened):
        kind, page, _ = opened
        if kind == "index":
            assert page.title().endswith(": all months") and page.locator(".sample").count() > 0
        else:
            assert page.title().startswith("SAMPLE DATA")
        assert page.locator("html").get_attribute("lang") == "en-GB"
        assert page.locator("h1").count() == 1

    def test_every_graphic_is_described_or_hidden(self, opened):
        """Charts (img) carry real alt text, SVG charts a real <title>, icons are hidden (their label is text)."""
        kind, page, _ = opened
        images = page.locator("img").all()
        charts = page.locator("svg[role=img]").all()
        icons = page.locator("svg:not([role=img])").all()
        # What each kind must have: the paper's five status icons and the appendix's chart images (the
        # index of a single sample month draws no trend yet; its SVG titles are tested in test_index).
        least_images, least_charts, least_icons = {
            "report": (0, 0, 5),
            "appendix": (3, 0, 0),
            "index": (0, 0, 0),
        }[kind]
        assert len(images) >= least_images and len(charts) >= least_charts and len(icons) >= least_icons, kind
        for image in images:
            alt = image.get_attribute("alt") or ""
            assert len(alt) > 40 and "No description" not in alt, alt
            assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        for chart in charts:
            assert len(chart.locator("title").inner_text()) > 40
        for icon in icons:
            assert icon.get_attribute("aria-hidden") == "true"

    def test_reflows_at_320_pixels(self, browser, sample_run, opened):
        kind = opened[0]
        context, page, _ = open_offline(browser, page_path(sample_run, kind), width=320, height=640)
        widest = page.evaluate(
            "() => Math.max(0, ...[...document.querySelectorAll('img, svg, li.reach-tile, p, h1, h2')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        page_width = page.evaluate("document.documentElement.scrollWidth")
        context.close()
        assert page_width <= 320, kind
        assert 0 < widest <= 320, kind

    def test_numbers_right_aligned_and_text_left_in_every_table(self, opened):
        kind, page, _ = opened
        cells = page.evaluate(
            "() => [...document.querySelectorAll('table td, table th[scope=row]')].map(td => "
            "[td.innerText.trim(), getComputedStyle(td).textAlign])"
        )
        number = re.compile(r"[+\-−]?[\d,]+(\.\d+)?%?")
        # Text, not a number or what a number column shows in place of one ("not shown", "at least 809").
        stand_in = re.compile(r"(not shown|range only|not measured|n/a)$|(at least|at most|about) [\d,]")
        numbers = [align for text, align in cells if number.fullmatch(text)]
        words = [
            align for text, align in cells if re.match(r"[A-Za-z]{3}", text) and not stand_in.match(text)
        ]
        if kind != "report":  # the steering paper has no tables
            assert numbers and words, kind
        assert set(numbers) <= {"right"}, kind
        assert set(words) <= {"left", "start"}, kind


@pytest.fixture(scope="module")
def report(browser, sample_run, tmp_path_factory):
    """report.html opened offline at 1280 x 900, with a screenshot of its first screen."""
    context, page, _ = open_offline(browser, page_path(sample_run, "report"))
    shot = tmp_path_factory.mktemp("screens") / "first-screen.png"
    page.screenshot(path=str(shot))
    yield page, shot
    context.close()


class TestReportInChromium:
    def test_prints_on_at_most_four_a4_pages(self, report):
        page, _ = report
        pages, sizes = pdf_pages(page.pdf(format="A4", prefer_css_page_size=True))
        assert sizes == {A4_POINTS}
        assert 1 <= pages <= MAX_PRINTED_PAGES, f"report.html prints on {pages} A4 pages"

    def test_sample_banner_is_visible(self, report):
        page, _ = report
        banner = page.locator(".reach-banner-sample")
        assert banner.is_visible()
        assert "SAMPLE DATA" in banner.inner_text()

    def test_first_screen_shows_the_headline_tiles(self, report):
        page, shot = report
        colours, width, height = _png_colours(shot)
        assert (width, height) == (1280, 900) and colours > 5
        top = page.locator("li.reach-tile").first.bounding_box()
        assert top is not None and top["y"] < 900

    def test_every_tile_has_a_status_label_and_says_what_it_is_judged_on(self, report):
        page, _ = report
        tiles = page.locator("li.reach-tile").all()
        assert len(tiles) == 5
        for tile in tiles:
            label = tile.locator(".reach-status-label")
            assert label.count() == 1 and label.is_visible()
            assert label.inner_text().strip() in {"On track", "Watch", "Below target", "No status"}
            assert tile.locator("svg.reach-icon").get_attribute("aria-hidden") == "true"
            text = tile.inner_text()
            assert "95% interval" in text or "A range:" in text or "No figure:" in text
            assert "against the target" in tile.locator(".reach-tile-why").inner_text()

    def test_at_most_five_findings_each_naming_its_tiles_status(self, report):
        page, _ = report
        findings = page.locator('ul.reach-findings[aria-label="findings"] li').all_inner_texts()
        statuses = page.locator("li.reach-tile .reach-status-label").all_inner_texts()
        assert 1 <= len(findings) <= 5
        for finding, status in zip(findings, statuses, strict=True):
            assert f"{status.strip()}:" in finding

    def test_links_to_the_appendix_which_links_back(self, browser, sample_run, report):
        page, _ = report
        assert page.locator('a[href="appendix.html"]').count() >= 1
        context, appendix, _ = open_offline(browser, page_path(sample_run, "appendix"))
        back = appendix.locator('a[href="report.html"]').count()
        context.close()
        assert back >= 1
        assert (sample_run.report_dir / "appendix.html").is_file()


class TestIndexInChromium:
    def test_index_links_every_rendered_month(self, browser, sample_run):
        context, page, _ = open_offline(browser, page_path(sample_run, "index"))
        links = page.locator(f'a[href="{sample_run.month}/report.html"]').count()
        context.close()
        assert links == 1
