import pandas as pd

from reach.report import charts

TREND = pd.DataFrame(
    {
        "month": ["2026-08", "2026-09", "2026-10"],
        "web_views": [100.0, 300.0, 200.0],
        "video_views": [None, 5.0, 9.0],
    }
)
CAMPAIGNS = pd.DataFrame({"name": ["Safer Sleep Week"], "start": ["2026-09-07"], "end": ["2026-09-20"]})


class TestTrendChart:
    def test_alt_text_states_range_peak_and_campaign(self):
        chart = charts.trend_chart(
            TREND, CAMPAIGNS, {"web_views": "Web page views", "video_views": "Video views"}
        )
        assert chart.alt.startswith("Line chart")
        assert "web page views ranged from 100 to 300, highest in September 2026" in chart.alt
        assert "Safer Sleep Week" in chart.alt
        assert list(chart.data.columns) == ["month", "Web page views", "Video views"]

    def test_each_platform_has_its_own_panel_and_scale(self):
        chart = charts.trend_chart(
            TREND, CAMPAIGNS, {"web_views": "Web page views", "video_views": "Video views"}
        )
        web, video = chart.figure.axes
        assert [web.get_title(loc="left"), video.get_title(loc="left")] == [
            "Web page views per month", "Video views per month"
        ]  # fmt: skip
        assert (
            web.get_ylim()[1] >= 300 and video.get_ylim()[1] < 20
        )  # 9 video views are not drawn on a 300 scale
        assert "each on its own scale" in chart.alt and "own scale" in chart.caption

    def test_campaign_outside_window_not_mentioned(self):
        old = pd.DataFrame({"name": ["Old push"], "start": ["2020-01-01"], "end": ["2020-01-10"]})
        chart = charts.trend_chart(TREND, old, {"web_views": "Web page views"})
        assert "Old push" not in chart.alt


class TestAssetBarChart:
    def test_alt_names_top_and_bottom(self):
        frame = pd.DataFrame({"asset_title": ["A page", "B video", "C post"], "views": [5, 50, 20]})
        chart = charts.asset_bar_chart(frame, "views", "Page views", "2026-10")
        assert "B video had the most (50)" in chart.alt
        assert "A page the fewest (5)" in chart.alt


# ---------------------------------------------------------------------------------------------
# Issue 6 charts: alt text written from the numbers, and tables that respect suppression
# ---------------------------------------------------------------------------------------------

HELPFUL = pd.DataFrame(
    {
        "month": ["2026-08", "2026-09", "2026-10"],
        "estimate": pd.array([0.8, None, 0.9], dtype="Float64"),
        "low": pd.array([0.5, None, 0.7], dtype="Float64"),
        "high": pd.array([0.95, None, 0.97], dtype="Float64"),
        "answers": ["10", "*", "30"],
    }
)


class TestIntervalTrendChart:
    def test_alt_text_names_range_latest_hidden_months_and_target(self):
        chart = charts.interval_trend_chart(HELPFUL, "Found the information helpful", "Caption.", target=0.9)
        assert chart.alt == (
            "Line chart with a shaded 95% interval band of the share who found the information helpful, by month, "
            "August 2026 to October 2026. Lowest 80% in August 2026, highest 90% in October 2026. October 2026: 90% "
            "(95% interval 70% to 97%). 1 month(s) have no point: too few answers to show. A dashed line marks the "
            "target of 90%."
        )

    def test_table_hides_suppressed_month(self):
        chart = charts.interval_trend_chart(HELPFUL, "Found the information helpful", "Caption.")
        assert list(chart.data.columns) == [
            "Month",
            "Found the information helpful",
            "95% interval",
            "Answers (rounded)",
        ]
        assert chart.data.iloc[1].tolist() == ["Sep 2026", "–", "–", "*"]
        assert chart.data.iloc[0].tolist() == ["Aug 2026", "80%", "50% to 95%", "10"]


LEAGUE = pd.DataFrame(
    {
        "rank": [1, 2],
        "asset_id": ["b", "a"],
        "asset_title": ["Big page", "Small page"],
        "value": [200.0, 50.0],
        "previous": pd.array([250.0, None], dtype="Float64"),
        "change": pd.array([-50.0, None], dtype="Float64"),
        "change_pct": pd.array([-0.2, None], dtype="Float64"),
    }
)


VIDEO_LEAGUE = pd.DataFrame(
    {
        "rank": [1],
        "asset_id": ["v"],
        "asset_title": ["Video"],
        "value": [30.0],
        "previous": pd.array([30.0], dtype="Float64"),
        "change": pd.array([0.0], dtype="Float64"),
        "change_pct": pd.array([0.0], dtype="Float64"),
    }
)


class TestLeagueChart:
    def test_alt_text_ranks_every_asset_within_its_platform(self):
        chart = charts.league_chart({"Page views": LEAGUE, "Video views": VIDEO_LEAGUE}, "2026-10")
        assert chart.alt == (
            "Ranked bar charts of views by asset in October 2026, one panel per platform, with September 2026 "
            "shown as a diamond. Page views: 1. Big page: 200 (down 50 on September 2026); 2. Small page: 50 "
            "(no figure in September 2026). Video views: 1. Video: 30 (no change on September 2026)."
        )
        assert len(chart.figure.axes) == 2

    def test_table_keeps_signed_changes_as_numbers(self):
        chart = charts.league_chart({"Page views": LEAGUE, "Video views": VIDEO_LEAGUE}, "2026-10")
        assert list(chart.data.columns) == [
            "Measure",
            "Rank",
            "Asset",
            "October 2026",
            "September 2026",
            "Change",
            "Change (%)",
        ]
        assert chart.data["Measure"].tolist() == ["Page views", "Page views", "Video views"]
        assert chart.data["Change"].iloc[0] == -50
        assert chart.formats["Change"] == "{:+,.0f}" and chart.formats["Change (%)"] == "{:+.0%}"


STEPS = [
    {"step": "People reached online", "source": "estimate", "unit": "people", "value": 1800.0, "shown": "1,800",
     "low": 1200, "high": 2600},
    {"step": "Answered the feedback form", "source": "form", "unit": "answers", "value": 25.0, "shown": "25",
     "low": None, "high": None},
    {"step": "Said they will change something", "source": "form", "unit": "answers", "value": None, "shown": "*",
     "low": None, "high": None},
]  # fmt: skip


class TestFunnelChart:
    def test_alt_text_lists_every_step_and_source(self):
        chart = charts.funnel_chart(STEPS, "2026-10")
        assert chart.alt == (
            "Bar charts for October 2026, from reach to intention, one panel per kind of count (people, answers), "
            "each on its own scale: People reached online: 1,800 people (95% interval 1,200 to 2,600), from "
            "estimate; Answered the feedback form: 25 answers, from form; Said they will change something: "
            "* answers, from form."
        )
        assert "different source" in chart.caption

    def test_people_and_answers_are_never_on_one_axis(self):
        """1,800 people and 25 answers are different kinds of count: each kind gets its own panel and scale."""
        chart = charts.funnel_chart(STEPS, "2026-10")
        panels = chart.figure.axes
        assert [a.get_xlabel() for a in panels] == [
            "People (each counted once)",
            "Answers to the feedback form",
        ]
        assert [len(a.patches) for a in panels] == [1, 1]  # the suppressed step has no bar
        people, answers = panels
        assert people.get_xlim()[1] >= 2600  # the people panel reaches the interval's upper end
        assert answers.get_xlim()[1] < 100  # the answers panel is scaled to 25, not to 2,600

    def test_table_shows_suppressed_step_as_star(self):
        chart = charts.funnel_chart(STEPS, "2026-10")
        assert chart.data["Number"].tolist() == ["1,800", "25", "*"]
        assert chart.data["95% interval"].tolist() == ["1,200 to 2,600", "–", "–"]


DISTRICTS = pd.DataFrame(
    {
        "district": ["Breckland", "Norwich", "Broadland"],
        "code": ["E07000143", "E07000148", "E07000144"],
        "coverage": pd.array([0.9, None, 0.3], dtype="Float64"),
        "low": pd.array([0.85, None, 0.1], dtype="Float64"),
        "high": pd.array([0.95, None, 0.5], dtype="Float64"),
        "families": ["85", "*", "30"],
        "births": ["100", "*", "100"],
        "suppressed": [False, True, False],
    }
)


class TestDistrictChart:
    def test_alt_text_names_extremes_county_and_clear_differences(self):
        chart = charts.district_chart(DISTRICTS, {"estimate": 0.7, "low": 0.6, "high": 0.8}, "2026-10")
        assert chart.alt == (
            "Dot chart with 95% interval lines of the share of families with a newborn who remembered a safer-sleep "
            "asset at the new-birth visit, by district, October 2026. Highest Breckland 90% (85% to 95%), "
            "lowest Broadland 30% (10% to 50%). Norfolk as a whole: 70% (60% to 80%). Clearly different from "
            "Norfolk: Breckland, Broadland. 1 district(s) not shown: fewer than 8 families."
        )

    def test_table_shows_suppressed_district_as_star(self):
        chart = charts.district_chart(DISTRICTS, {"estimate": 0.7, "low": 0.6, "high": 0.8}, "2026-10")
        assert chart.data.iloc[1].tolist() == ["Norwich", "–", "*", "*", "*"]
        assert chart.data.iloc[0].tolist() == ["Breckland", "90%", "85% to 95%", "85", "100"]
