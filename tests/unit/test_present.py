import pandas as pd

from reach import present


class TestTable:
    def test_escapes_text_and_has_caption(self):
        frame = pd.DataFrame({"Comment": ["<script>alert(1)</script>"], "Count": [3]})
        html = present.table(frame, "Comments & counts").data
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert "<caption>Comments &amp; counts</caption>" in html
        assert "<th" in html
        assert html.startswith('<table class="reach-table">')

    def test_identical_output_for_identical_input(self):
        frame = pd.DataFrame({"a": [1]})
        assert present.table(frame, "x").data == present.table(frame, "x").data


class TestBanner:
    def test_sample_banner_is_loud(self):
        assert "SAMPLE DATA" in present.banner(True, "2026-10").data

    def test_real_banner_has_no_sample_text(self):
        assert "SAMPLE" not in present.banner(False, "2026-10").data


class TestHeadline:
    def test_suppressed_feedback_shows_no_percentage(self):
        summary = {
            "month": "2026-10",
            "web": {"page_views": 10},
            "video": {"views": 5, "watch_time_hours": 1.0},
            "social": {"posts": 1, "post_views": 3},
            "feedback": {"responses": "*", "helpful": {"estimate": None, "suppressed": True}},
        }
        text = present.headline(summary).data
        assert "fewer than 8" in text
        assert "%" not in text.split("Family feedback")[1].split("\n")[0]
