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
        assert '<table class="reach-table" data-numeric="2">' in html  # Count is a number: right-aligned

    def test_numbers_right_aligned_text_left(self):
        frame = pd.DataFrame(
            {
                "Asset": ["Safer sleep (video)", "Co-sleeping"],
                "Views": [1788, 60],
                "95% interval": ["74% to 92%", "–"],
                "Change": ["+1 to +31 points", "*"],
                "Month": ["2026-10", "2026-09"],
                "Note": ["1,020", "see the note"],
                "Share": ["85%", "not shown"],
            }
        )
        html = tables.table(frame, "Mixed").data
        assert '<table class="reach-table" data-numeric="2 3 4 7">' in html

    def test_a_column_of_blanks_only_is_not_numeric(self):
        html = tables.table(pd.DataFrame({"a": ["–", "*"], "b": ["x", "y"]}), "Blanks").data
        assert "data-numeric" not in html

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

    def test_signed_targets_are_shown_exactly(self):
        settings = {"targets": {"campaign_effect": {"target": 0.10, "floor": -0.05}}}
        html = tables.targets_table(settings).data
        assert "<td>+10%</td>" in html and "<td>-5%</td>" in html
        assert "'" not in html and "&#x27;" not in html


def unmatched(rows):
    return pd.DataFrame(rows, columns=["table", "month", "identifier", "measure", "value"])


class TestTableShowsValuesExactly:
    def test_text_that_looks_like_a_formula_is_escaped_but_not_prefixed(self):
        frame = pd.DataFrame({"Identifier": ["-Boc6OawEW0", '=HYPERLINK("x","<b>")', "+44", "@a"]})
        html = tables.table(frame, "ids").data
        for cell in ("<td>-Boc6OawEW0</td>", "<td>=HYPERLINK(&quot;x&quot;,&quot;&lt;b&gt;&quot;)</td>",
                     "<td>+44</td>", "<td>@a</td>"):  # fmt: skip
            assert cell in html
        assert "'" not in html and "&#x27;" not in html


class TestUnmatchedTable:
    def test_count_and_the_ten_with_most_views(self):
        rows = [("web_pages", "2026-10", f"/page-{n:02d}", "views", float(n)) for n in range(1, 13)]
        rows += [
            ("video", "2026-10", "-Boc6OawEW0", "views", 100.0),
            ("video", "2026-09", "old", "views", 999.0),
        ]
        html = tables.unmatched_table({"unmatched": unmatched(rows)}, "2026-10").data
        assert "13 pages, videos, posts or campaign tags in the exports for October 2026" in html
        body = html.split("<tbody>")[1]
        assert body.count("<tr>") == 10
        # Most views first: the video (100), then pages 12 down to 4; pages 1-3 and last month's row are not shown.
        assert (
            body.index("<td>-Boc6OawEW0</td>")
            < body.index("<td>/page-12</td>")
            < body.index("<td>/page-04</td>")
        )
        for hidden in ("/page-03", "/page-01", "old"):
            assert f"<td>{hidden}</td>" not in body
        assert 'href="unmatched.csv"' in html and 'href="unmatched_assets.csv"' in html
        assert "the 10 with the most views, of 13" in html

    def test_all_shown_when_ten_or_fewer(self):
        rows = [("social_posts", "2026-10", "123_456", "views", 5.0)]
        html = tables.unmatched_table({"unmatched": unmatched(rows)}, "2026-10").data
        assert "<td>123_456</td>" in html and "1 page, video, post or campaign tag in the exports" in html
        assert "with the most views, of" not in html

    def test_none_unmatched_says_so_without_a_table(self):
        rows = [("video", "2026-09", "old", "views", 9.0)]
        html = tables.unmatched_table({"unmatched": unmatched(rows)}, "2026-10").data
        assert "<table" not in html
        assert "Every page, video, post and campaign tag in the exports for October 2026" in html


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


class TestTableDropsInvisibleCharacters:
    def test_bidi_overrides_and_zero_width_characters_never_reach_the_page(self):
        frame = pd.DataFrame({"Title": ["safe\u202eexe.txt", "zero\u200bwidth\ufeff", "\u2066iso\u2069"]})
        html = tables.table(frame, "Titles").data
        assert "<td>safeexe.txt</td>" in html and "<td>zerowidth</td>" in html and "<td>iso</td>" in html


class TestThemesTable:
    def test_approved_quotes_shown_and_a_theme_awaiting_approval_says_so(self):
        themes = [
            {
                "theme": "Cot",
                "comments": "15",
                "share": 0.5,
                "quotes": ["<b>cot</b> advice"],
                "quotes_pending": False,
            },
            {"theme": "Sofa", "comments": "10", "share": None, "quotes": [], "quotes_pending": True},
            {"theme": "Smoking", "comments": "*", "share": None, "quotes": [], "quotes_pending": False},
        ]
        summary = {"impact": {"themes": {"first_month": "2025-11", "last_month": "2026-10", "min_n": 10,
                                         "sources": {"feedback_form": {"comments": "30", "themes": themes}}}}}  # fmt: skip
        html = tables.themes_table(summary).data
        assert "<td>&lt;b&gt;cot&lt;/b&gt; advice</td>" in html
        assert "<td>– (none approved yet)</td>" in html
        # Smoking: too few comments for quotes at all, so nothing is pending either.
        assert "<td>Smoking</td><td>*</td><td>–</td><td>–</td></tr>" in html
        assert "only those the analyst approved" in html
