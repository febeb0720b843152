"""What reach verify compares and how it names the first difference (reach.run.compare)."""

from __future__ import annotations

import json

import pytest

from reach.run import compare
from tests.conftest import REPO_ROOT

PAGE = """<!DOCTYPE html><html><body><main>
<div class="jp-Cell" id="cell-id={cell}"><h1>Reach: October 2026</h1><h2 id="glance">At a glance</h2>
<p>People reached: {people} (95% interval 900 to 1,400).</p><img alt="Line chart of views" src="data:image/png;base64,{png}">
<div class="reach-about"><table><tbody>
<tr><td>2026-10/a.csv</td><td>ga4_report</td><td><code>{sha}…</code></td></tr></tbody></table></div>
</div></main></body></html>"""


def page(cell="aaa", people="1,120", png="iVBORw0KGgo", sha="0123456789abcdef"):
    return PAGE.format(cell=cell, people=people, png=png, sha=sha)


class TestDescribePageDifference:
    def test_same_page_but_the_injected_cell_id(self):
        assert compare.describe_page_difference(page(cell="aaa"), page(cell="bbb")) is None

    def test_changed_text_is_quoted_under_its_heading(self):
        found, about = compare.describe_page_difference(page(people="1,121"), page(people="1,120"))
        assert found == (
            'text under "At a glance" reads «People reached: 1,121 (95% interval 900 to 1,400).» '
            "where the re-rendered page reads «People reached: 1,120 (95% interval 900 to 1,400).»"
        )
        assert about is False

    def test_changed_image_is_a_markup_difference_with_its_line(self):
        found, _ = compare.describe_page_difference(page(png="iVBORw0KGgoX"), page())
        assert found.startswith("markup at line 3 reads «")
        assert "base64,iVBORw0KGgoX" in found

    def test_difference_in_the_about_facts_is_flagged(self):
        found, about = compare.describe_page_difference(page(sha="ffff456789abcdef"), page())
        assert about is True
        assert found.startswith('text under "About this report" reads «ffff456789abcdef…»')

    def test_timestamps_are_neutralised_by_the_reviewers_sanitizers(self):
        rules = compare.load_sanitizers(REPO_ROOT / "config" / "nbval_sanitize.cfg")
        assert rules, "config/nbval_sanitize.cfg has sanitizers"
        run, again = page(people="made 2026-11-03 09:15:02"), page(people="made 2026-12-01 17:00:59")
        assert compare.describe_page_difference(run, again, rules) is None
        assert compare.describe_page_difference(run, again) is not None


class TestIndexRowAndFingerprints:
    def test_the_months_row(self):
        index = (
            '<table><tr><th><a href="2026-09/report.html">September</a></th><td>1</td></tr>'
            '<tr><th><a href="2026-10/report.html">October</a></th><td>2</td></tr></table>'
        )
        assert compare.index_row(index, "2026-10") == (
            '<tr><th><a href="2026-10/report.html">October</a></th><td>2</td></tr>'
        )
        assert compare.index_row(index, "2026-11") is None

    def test_fingerprints_shown_on_the_page(self):
        assert compare.shown_fingerprints(page()) == {"2026-10/a.csv": "0123456789abcdef"}

    def test_figures_are_images_and_drawings_not_icons(self):
        html = '<img alt="a"><svg role="img"></svg><svg aria-hidden="true"></svg>'
        assert compare.count_figures(html) == 2


def _notebook(path, cells):
    book = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(book))
    return path


def _code(source, outputs=(), tags=()):
    return {"cell_type": "code", "source": source, "metadata": {"tags": list(tags)}, "outputs": list(outputs),
            "execution_count": 1}  # fmt: skip


def _html(text):
    return {"output_type": "display_data", "data": {"text/html": text, "text/plain": "x"}, "metadata": {}}


class TestCompareNotebooks:
    @pytest.fixture
    def pair(self, tmp_path):
        def make(published, rerun):
            return (
                _notebook(tmp_path / "published.ipynb", published),
                _notebook(tmp_path / "rerun.ipynb", rerun),
            )

        return make

    def test_same_outputs_and_injected_parameters_ignored(self, pair):
        left, right = pair(
            [
                _code('processed_dir = "/a"', tags=["injected-parameters"]),
                _code("show()", [_html("<p>5</p>")]),
            ],
            [
                _code('processed_dir = "/b"', tags=["injected-parameters"]),
                _code("show()", [_html("<p>5</p>")]),
            ],
        )
        assert compare.compare_notebooks(left, right, []) == ([], 2)

    def test_changed_output_names_cell_and_passage(self, pair):
        left, right = pair(
            [_code("x = 1"), _code("display.show(table)\nmore", [_html("<p>Views: 15</p>")])],
            [_code("x = 1"), _code("display.show(table)\nmore", [_html("<p>Views: 5</p>")])],
        )
        problems, cells = compare.compare_notebooks(left, right, [])
        assert cells == 2
        assert problems == [
            "published.ipynb code cell 1 (display.show(table)): outputs differ: output 1 text/html: text before the "
            "first heading reads «Views: 15» where the re-run reads «Views: 5»"
        ]

    def test_changed_source_is_named(self, pair):
        left, right = pair([_code("x = 2")], [_code("x = 1")])
        assert compare.compare_notebooks(left, right, [])[0] == [
            "published.ipynb code cell 0 (x = 1): source differs from the notebook run again"
        ]

    def test_changed_image_is_named(self, pair):
        image = {"output_type": "display_data", "data": {"image/png": "AAAA"}, "metadata": {}}
        changed = {**image, "data": {"image/png": "AAAB"}}
        left, right = pair([_code("chart()", [changed])], [_code("chart()", [image])])
        assert compare.compare_notebooks(left, right, [])[0] == [
            "published.ipynb code cell 0 (chart()): outputs differ: output 1 image/png: the image differs"
        ]


class TestSummary:
    def test_list_items_are_compared_one_by_one(self):
        recorded = {"reach": {"scenarios": [{"n": 57, "label": "a"}, {"n": 3, "label": "b"}]}}
        rebuilt = {"reach": {"scenarios": [{"n": 55, "label": "a"}, {"n": 3, "label": "b"}]}}
        assert compare.compare_summary(recorded, rebuilt) == [
            "reach.scenarios[0].n: 57 in the report, 55 on re-running"
        ]

    def test_missing_key(self):
        assert compare.compare_summary({"a": 1}, {}) == ["a: 1 in the report, None on re-running"]

    def test_values_counted(self):
        assert compare.count_values({"a": [1, {"b": 2}], "c": "x"}) == 3
