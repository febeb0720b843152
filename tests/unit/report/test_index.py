from reach.report.index import render_index, sparkline


def summary(month, views, sample=False, helpful=None):
    return {
        "month": month,
        "sample": sample,
        "web": {"page_views": views},
        "video": {"views": 5},
        "social": {"post_views": 7},
        "feedback": {"helpful": helpful or {"estimate": 0.5, "low": 0.25, "high": 0.75}},
    }


class TestRenderIndex:
    def test_lists_months_newest_first_with_links(self):
        html = render_index([summary("2026-09", 100), summary("2026-10", 200)], "Title", "Org")
        rows = html.split("<tbody>")[1]
        assert rows.index("October 2026") < rows.index("September 2026")
        assert 'href="2026-10/report.html"' in html
        assert "50% (25% to 75%)" in html

    def test_escapes_settings_text_and_has_no_scripts(self):
        html = render_index([summary("2026-10", 1)], "<script>x</script>", "A & B")
        assert "<script>x" not in html and "&lt;script&gt;" in html
        assert "A &amp; B" in html
        assert "<script" not in html.replace("&lt;script", "")

    def test_sample_months_are_marked(self):
        assert "SAMPLE DATA" in render_index([summary("2026-10", 1, sample=True)], "T", "O")
        assert "SAMPLE DATA" not in render_index([summary("2026-10", 1)], "T", "O")

    def test_suppressed_feedback_shows_no_percentage(self):
        html = render_index([summary("2026-10", 1, helpful={"estimate": None, "suppressed": True})], "T", "O")
        assert "too few answers to show" in html


class TestSparkline:
    def test_alt_text_names_range_and_peak(self):
        line = sparkline(["2026-08", "2026-09", "2026-10"], [10, 30, 20], "Web page views", "web")
        assert line["alt"] == (
            "Line chart of web page views by month, August 2026 to October 2026: from 10 to 20, "
            "highest in September 2026 (30)."
        )
        assert len(line["markers"]) == 3

    def test_needs_two_values(self):
        assert sparkline(["2026-10"], [1], "x", "x") is None


def reach_summary(month, estimate=1788, low=1020, high=3136, coverage=(0.77, 0.56, 0.88)):
    return {
        **summary(month, 100),
        "reach": {
            "combined": {"estimate": estimate, "low": low, "high": high, "method": "m"},
            "coverage": {
                "births_in_period": 612,
                "estimate": coverage[0],
                "low": coverage[1],
                "high": coverage[2],
            },
        },
    }


class TestHeadlineFigures:
    def test_each_row_has_reach_coverage_and_helpful_with_intervals(self):
        html = render_index([reach_summary("2026-10")], "T", "O")
        row = html.split("<tbody>")[1]
        assert "<td>1,788 (1,020 to 3,136)</td><td>77% (56% to 88%)</td><td>50% (25% to 75%)</td>" in row

    def test_missing_figures_say_why(self):
        html = render_index(
            [reach_summary("2026-10", None, None, None, (None, None, None)), summary("2026-09", 5)], "T", "O"
        )
        assert "not estimated (no channel exported)" in html
        assert "not measured (no health-visitor recall return)" in html
        assert "not in this month&#39;s summary" in html  # an older summary.json without the reach block

    def test_bounds_are_shown_as_ranges_without_a_best_estimate(self):
        html = render_index([reach_summary("2026-10", None, 915, 3855, (None, 0.62, 0.71))], "T", "O")
        row = html.split("<tbody>")[1]
        assert "<td>915 to 3,855 (a range)</td><td>62% to 71% (a range)</td>" in row

    def test_table_scrolls_in_a_named_focusable_region(self):
        html = render_index([reach_summary("2026-10")], "T", "O")
        assert '<div class="table-wrap" role="region" tabindex="0" aria-labelledby="months-caption">' in html

    def test_reach_trend_has_an_interval_band(self):
        html = render_index([reach_summary("2026-09", 1000, 800, 1300), reach_summary("2026-10")], "T", "O")
        assert 'id="trend-reach-title"' in html
        assert "<polygon" in html


class TestSparklineBand:
    def test_band_points_and_alt_text(self):
        # width 320, height 80, pad 4; scale top = 40 (the largest upper limit); y = 76 - 1.8·value;
        # x = 4 + 156·index.
        line = sparkline(
            ["2026-08", "2026-09", "2026-10"],
            [10, 30, 20],
            "People reached",
            "reach",
            [5, 20, 10],
            [15, 40, 30],
        )
        assert line["bands"] == ["4.0,49.0 160.0,4.0 316.0,22.0 316.0,58.0 160.0,40.0 4.0,67.0"]
        assert line["segments"] == ["4.0,58.0 160.0,22.0 316.0,40.0"]
        assert line["markers"] == [(4.0, 58.0), (160.0, 22.0), (316.0, 40.0)]
        assert line["alt"].endswith(
            "highest in September 2026 (30). A shaded band shows each month's 95% interval; October 2026: 10 to 30."
        )

    def test_no_band_without_intervals(self):
        assert sparkline(["2026-09", "2026-10"], [1, 2], "x", "x")["bands"] == []


class TestGaps:
    def test_line_and_band_break_at_a_month_with_no_figure(self):
        # width 320, pad 4, 5 months: x = 4 + 78·index; scale top 40: y = 76 - 1.8·value.
        line = sparkline(
            ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"],
            [10, 20, None, 30, 20],
            "Views",
            "v",
            [5, 10, None, 20, 10],
            [15, 30, None, 40, 30],
        )
        assert line["segments"] == ["4.0,58.0 82.0,40.0", "238.0,22.0 316.0,40.0"]
        assert line["bands"] == [
            "4.0,49.0 82.0,22.0 82.0,58.0 4.0,67.0",
            "238.0,4.0 316.0,22.0 316.0,58.0 238.0,40.0",
        ]
        assert len(line["markers"]) == 4
        assert line["alt"].endswith(
            " No figure for August 2026 (1 month): the line is not drawn across the gap."
        )

    def test_a_lone_month_between_gaps_is_a_marker_without_a_line(self):
        line = sparkline(["2026-01", "2026-02", "2026-03"], [5, None, 7], "Views", "v")
        assert line["segments"] == []
        assert len(line["markers"]) == 2

    def test_index_keeps_a_gap_of_months_on_the_calendar(self):
        html = render_index(
            [summary("2025-10", 100), summary("2025-11", 100), summary("2026-06", 100)], "T", "O"
        )
        # Nine calendar months: the two autumn months join; June 2026 stands alone, 7 months later.
        assert "No figure for December 2025 to May 2026 (6 months)" in html
        web = html.split('id="trend-web-title"')[1].split("</svg>")[0]
        assert web.count("<polyline") == 1 and web.count("<circle") == 3


class TestSampleAndRealMonthsApart:
    def test_two_tables_and_no_trend_joins_them(self):
        samples = [summary(m, 100, sample=True) for m in ("2026-09", "2026-10")]
        html = render_index([summary("2026-03", 500), *samples], "T", "O")
        real, sample = html.split('<h2 id="sample-months-heading">')
        assert "Months from the real exports" in real and "March 2026" in real and "October 2026" not in real
        assert "September 2026" in sample and "October 2026" in sample and "March 2026" not in sample
        assert "SAMPLE DATA" in sample
        # The real group has a single month, so no trend; the sample's trends cover only its own months.
        assert 'id="trend-web-title"' not in html
        assert "September 2026 to October 2026" in sample
        assert "7 months" not in html and "No figure" not in html

    def test_real_months_come_first(self):
        html = render_index([summary("2026-10", 1, sample=True), summary("2025-01", 2)], "T", "O")
        assert html.index("Months from the real exports") < html.index("Months from the synthetic sample")

    def test_no_month_yet(self):
        assert "No month has been rendered yet" in render_index([], "T", "O")
