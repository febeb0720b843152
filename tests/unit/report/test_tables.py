import pandas as pd

from reach.report import tables


class TestTable:
    def test_escapes_text_and_has_caption(self):
        frame = pd.DataFrame({"Comment": ["<script>alert(1)</script>"], "Count": [3]})
        html = tables.table(frame, "Comments & counts").data
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert "<caption>Comments &amp; counts</caption>" in html
        assert "<th" in html
        # The table scrolls sideways in its own focusable, named box at narrow widths.
        assert html.startswith(
            '<div class="reach-table-wrap" role="region" tabindex="0" aria-label="Comments &amp; counts">'
        )
        assert '<table class="reach-table">' in html

    def test_identical_output_for_identical_input(self):
        frame = pd.DataFrame({"a": [1]})
        assert tables.table(frame, "x").data == tables.table(frame, "x").data


class TestEngagementTable:
    def test_rates_with_wilson_interval_and_comparisons(self):
        summary = {
            "month": "2026-10",
            "impact": {
                "engagement": {
                    "previous_month": "2026-09",
                    "same_month_last_year": "2025-10",
                    "web": [
                        {
                            "asset_title": "Safer sleep",
                            "sessions": 150.0,
                            "engagement_rate": 80 / 150,
                            "engagement_rate_previous_month": 0.5,
                            "engagement_rate_same_month_last_year": None,
                            "avg_engagement_time_s": 49.6,
                        }
                    ],
                }
            },
        }
        html = tables.engagement_table(summary).data
        # Wilson 80/150: 45.4% to 61.1% (see test_metrics.TestWebEngagementRate).
        for cell in (
            "<td>150</td>",
            "<td>53%</td>",
            "<td>45% to 61%</td>",
            "<td>50%</td>",
            "<td>–</td>",
            "<td>50 s</td>",
        ):
            assert cell in html
        assert "Engagement rate, September 2026" in html


class TestTargetsTable:
    def test_targets_in_their_units_and_unset_ones_named(self):
        settings = {"targets": {"reach_people": {"target": 1000, "floor": 500}, "helpful": {"target": 0.9}}}
        html = tables.targets_table(settings).data
        assert "<td>1,000</td>" in html and "<td>500</td>" in html and "<td>90%</td>" in html
        assert html.count("not set") == 7  # coverage, engagement, campaign (2 each) and the helpful floor


class TestCounterfactualTable:
    def test_signed_figures_are_not_turned_into_text_formulas(self):
        summary = {
            "impact": {
                "counterfactual": [
                    {"campaign": "c", "actual": 27.6, "predicted": 20.1, "predicted_low": 16.8, "predicted_high": 23.4,
                     "rel_effect": 0.374, "rel_low": -0.05, "rel_high": 0.64}
                ]
            }
        }  # fmt: skip
        html = tables.counterfactual_table(summary).data
        assert "<td>+37%</td>" in html
        assert "<td>5% fewer to 64% more</td>" in html
        assert "'+" not in html


class TestAssetTable:
    def test_each_platform_has_its_own_title_and_headings(self):
        web = pd.DataFrame({"asset_title": ["A"], "theme": ["t"], "pages": [2], "views": [140],
                            "users_low": [60], "users_high": [90]})  # fmt: skip
        social = pd.DataFrame({"asset_title": ["S"], "theme": ["t"], "posts": [2], "views": [40],
                               "reach_low": [70], "reach_high": [110]})  # fmt: skip
        video = pd.DataFrame({"asset_title": ["V"], "theme": ["t"], "videos": [1], "views": [7],
                              "watch_time_hours": [0.25]})  # fmt: skip
        web_html = tables.asset_table(web, "2026-10", "web").data
        assert "Web pages by asset, October 2026" in web_html and "Users (at most)" in web_html
        social_html = tables.asset_table(social, "2026-10", "social").data
        assert "Facebook posts by asset, published in October 2026" in social_html
        assert "People reached (at least)" in social_html
        video_html = tables.asset_table(video, "2026-10", "video").data
        assert "Watch time (hours)" in video_html and ">0.2<" in video_html  # one decimal place
