from reach.index import render_index, sparkline


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
