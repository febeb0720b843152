from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from reach.estimate import engagement

# ---------------------------------------------------------------------------------------
# Engagement and view-through
# ---------------------------------------------------------------------------------------


class TestEngagement:
    def test_view_through_rate_worked_example(self):
        # Ooyala KB: (700 + 0.75·50 + 0.5·50 + 0.25·100) / 1000 = 0.7875 exactly.
        assert engagement.view_through_rate(1000, 900, 800, 750, 700) == 0.7875

    def test_pooling_and_comparisons(self):
        web = pd.DataFrame(
            {
                "month": ["2026-10", "2026-10", "2026-09"],
                "page_path": ["/a/", "/a", "/a/"],
                "sessions": [100, 50, 100],
                "engagement_rate": [0.5, 0.8, 0.4],
                "active_users": [80, 20, 50],
                "avg_engagement_time_per_active_user": [30.0, 60.0, 20.0],
                "asset_id": ["a", "a", "a"],
                "asset_title": ["A page"] * 3,
                "theme": ["safer-sleep"] * 3,
            }
        )
        video = pd.DataFrame(
            {
                "month": ["2026-10", "2026-10", "2026-09"],
                "video_id": ["v1", "v2", "v1"],
                "views": [100, 300, 60],
                "watch_time_hours": [1.0, 1.0, 1.0],
                "duration_s": [120, 60, 120],
                "avg_pct_viewed": [40.0, 80.0, np.nan],
                "asset_id": ["vid", "vid", "vid"],
                "asset_title": ["A video"] * 3,
                "theme": ["safer-sleep"] * 3,
            }
        )
        result = engagement.engagement({"web_pages": web, "video": video}, "2026-10")
        row = result["web"][0]
        # engaged sessions (50 + 40) / 150; time (80·30 + 20·60) / 100.
        assert row["engagement_rate"] == pytest.approx(0.6)
        assert row["avg_engagement_time_s"] == pytest.approx(36.0)
        assert row["engagement_rate_previous_month"] == pytest.approx(0.4)
        assert row["engagement_rate_change_vs_previous_month"] == pytest.approx(0.2)
        assert row["engagement_rate_same_month_last_year"] is None
        vid = result["video"][0]
        assert vid["avg_pct_viewed"] == pytest.approx((100 * 40 + 300 * 80) / 400)
        # September has no "Average percentage viewed": 3600 s / 60 views = 60 s of a 120 s video.
        assert vid["avg_pct_viewed_previous_month"] == pytest.approx(50.0)
        assert result["web_by_theme"][0]["theme"] == "safer-sleep"
        json.dumps(result, allow_nan=False)


WEB = pd.DataFrame(
    {
        "month": ["2026-10", "2026-10", "2026-10", "2026-09", "2026-10"],
        "page_path": ["/a", "/a/more", "/b", "/a", "/other"],
        "views": [100, 40, 10, 999, 5],
        "active_users": [60, 30, 8, 500, 3],
        "asset_id": ["A", "A", "B", "A", None],
        "asset_title": ["Asset A", "Asset A", "Asset B", "Asset A", None],
        "theme": ["t", "t", "t", "t", None],
    }
)


class TestVideoAndSocialByAsset:
    def test_video_views_and_watch_time_add_up_per_asset(self):
        video = pd.DataFrame(
            {"month": ["2026-10", "2026-10", "2026-10", "2026-09"], "video_id": ["v1", "v2", "v3", "v1"],
             "views": [100, 50, 7, 999], "watch_time_hours": [2.5, 1.0, 0.2, 9.0],
             "asset_id": ["A", "A", "B", "A"], "asset_title": ["a", "a", "b", "a"], "theme": "t"}
        )  # fmt: skip
        result = engagement.by_asset(video, "2026-10", "video")
        assert result[["asset_id", "videos", "views", "watch_time_hours"]].values.tolist() == [
            ["A", 2, 150, 3.5],
            ["B", 1, 7, 0.2],
        ]

    def test_social_reach_is_a_range_not_a_sum(self):
        posts = pd.DataFrame(
            {"month": "2026-10", "post_id": ["p1", "p2", "p3"], "views": [10, 30, 5], "reach": [40, 70, 9],
             "asset_id": ["S", "S", None], "asset_title": ["s", "s", None], "theme": "t"}
        )  # fmt: skip
        [row] = engagement.by_asset(posts, "2026-10", "social").to_dict("records")
        assert (row["posts"], row["views"], row["reach_low"], row["reach_high"]) == (2, 40, 70, 110)


class TestWebByAsset:
    def test_users_are_bounded_not_summed(self):
        result = engagement.by_asset(WEB, "2026-10", "web")
        a = result[result["asset_id"] == "A"].iloc[0]
        assert (a["views"], a["users_low"], a["users_high"], a["pages"]) == (140, 60, 90, 2)

    def test_excludes_other_months_and_unmatched_rows(self):
        result = engagement.by_asset(WEB, "2026-10", "web")
        assert list(result["asset_id"]) == ["A", "B"]

    def test_does_not_modify_input(self):
        before = WEB.copy()
        engagement.by_asset(WEB, "2026-10", "web")
        pd.testing.assert_frame_equal(WEB, before)


class TestFeedbackSummary:
    def test_counts_not_sure_in_denominator_and_skips_blanks(self):
        feedback = pd.DataFrame(
            {"month": ["2026-10"] * 6, "helpful": ["Yes", "yes", "No", "Not sure", None, "Yes"]}
        )
        result = engagement.feedback_summary(feedback, "2026-10")
        assert result["responses"] == 6
        assert result["helpful"]["n"] == 5
        assert result["helpful"]["estimate"] == pytest.approx(3 / 5)


class TestMonthlyTrend:
    def test_missing_months_stay_missing(self):
        tables = {
            "web_pages": WEB,
            "video": pd.DataFrame({"month": ["2026-10"], "views": [7], "asset_id": ["V"]}),
            "social_posts": pd.DataFrame({"month": [], "views": [], "asset_id": []}),
            "feedback": pd.DataFrame({"month": ["2026-10", "2026-10"]}),
        }
        trend = engagement.monthly_trend(tables, "2026-10", months=3)
        assert list(trend["month"]) == ["2026-08", "2026-09", "2026-10"]
        assert trend["web_views"].isna().iloc[0]
        assert trend["web_views"].iloc[1] == 999
        assert trend["web_views"].iloc[2] == 150
        assert trend["feedback_responses"].iloc[2] == 2


class TestCompareIntervals:
    def test_separate_intervals_are_a_clear_change(self):
        now, before = {"estimate": 10, "low": 8, "high": 12}, {"estimate": 5, "low": 4, "high": 7}
        assert engagement.compare_intervals(now, before)["verdict"] == "rise"
        assert engagement.compare_intervals(before, now)["verdict"] == "fall"
        assert engagement.compare_intervals(now, before)["estimate"] == 5

    def test_overlapping_intervals_are_no_clear_change(self):
        result = engagement.compare_intervals(
            {"estimate": 1788, "low": 1020, "high": 3136}, {"estimate": 1477, "low": 1061, "high": 2057}
        )
        assert result["verdict"] == "no clear change"
        assert result["estimate"] == 311
        assert result["low"] is None and result["high"] is None

    def test_missing_figure_is_not_comparable(self):
        assert (
            engagement.compare_intervals({"estimate": None}, {"estimate": 5, "low": 4, "high": 6})["verdict"]
            == "not comparable"
        )


class TestCompareProportions:
    def test_newcombe_reference_and_verdict(self):
        # methods.md §5.1: Newcombe difference 7/34 vs 1/34 is 0.019 to 0.34 (Fagerland et al. 2015).
        result = engagement.compare_proportions(7, 34, 1, 34)
        assert result["estimate"] == pytest.approx(6 / 34)
        assert result["low"] == pytest.approx(0.019, abs=0.005)
        assert result["high"] == pytest.approx(0.34, abs=0.005)
        assert result["verdict"] == "rise"
        assert "Newcombe" in result["method"]

    def test_same_share_is_no_clear_change_and_empty_month_not_comparable(self):
        assert engagement.compare_proportions(5, 10, 5, 10)["verdict"] == "no clear change"
        assert engagement.compare_proportions(5, 10, 0, 0)["verdict"] == "not comparable"


PAGES = pd.DataFrame(
    {
        "month": ["2026-10", "2026-10", "2026-10", "2026-09"],
        "asset_id": ["A", "B", None, "A"],
        "sessions": [100, 50, 1000, 40],
        "engagement_rate": [0.6, 0.4, 0.9, 0.5],
    }
)


class TestWebEngagementRate:
    def test_pools_registered_pages_by_sessions(self):
        # Engaged = 0.6·100 + 0.4·50 = 80 of 150 sessions (the unregistered page is left out).
        # Wilson 80/150, z = 1.96: centre 0.532501, half-width 0.078836 -> 0.45367 to 0.61134.
        result = engagement.web_engagement_rate(PAGES, "2026-10")
        assert (result["engaged"], result["sessions"]) == (80, 150)
        assert result["estimate"] == pytest.approx(80 / 150)
        assert result["low"] == pytest.approx(0.45366, abs=1e-4)
        assert result["high"] == pytest.approx(0.61134, abs=1e-4)

    def test_month_without_sessions_has_no_figure(self):
        result = engagement.web_engagement_rate(PAGES, "2026-08")
        assert result["sessions"] == 0 and result["estimate"] is None and result["low"] is None


class TestEngagementRateChange:
    def test_quasi_binomial_interval_is_wider_than_the_naive_one_when_days_differ(self):
        # This month: 4 days of 100 sessions engaged 30, 90, 30, 90 (pooled 0.6); last month 4 days
        # of 50/100 (pooled 0.5). By hand:
        #   naive se of the difference = sqrt(0.6·0.4/400 + 0.5·0.5/400) = 0.035
        #   Pearson χ² = 4 · (30 − 60)² / (100·0.6·0.4) = 150 on 8 − 2 = 6 df → dispersion 25
        #   quasi interval 0.1 ± t(0.975; 6)·sqrt(25)·0.035 = 0.1 ± 2.446912·0.175 = −0.32821 to 0.52821
        #   naive interval 0.1 ± 1.959964·0.035 = 0.03140 to 0.16860 (would call it a rise)
        #   p: b = logit 0.6 − logit 0.5 = 0.405465, se = sqrt(25·(1/96 + 1/100)) = 0.714435,
        #   t = 0.567533 on 6 df → p = 0.59094
        result = engagement.clustered_rate_change([30, 90, 30, 90], [100] * 4, [50] * 4, [100] * 4)
        assert result["estimate"] == pytest.approx(0.1, abs=1e-9)
        assert result["dispersion"] == pytest.approx(25.0, rel=1e-9)
        assert (result["low"], result["high"]) == pytest.approx((-0.32821, 0.52821), abs=1e-5)
        assert (result["naive_low"], result["naive_high"]) == pytest.approx((0.03140, 0.16860), abs=1e-5)
        assert result["p_value"] == pytest.approx(0.59094, abs=1e-5)
        assert result["high"] - result["low"] > result["naive_high"] - result["naive_low"]

    def test_days_that_agree_with_chance_keep_the_binomial_interval(self):
        # Every day exactly at its month's rate: Pearson χ² = 0, so the dispersion stays 1.
        result = engagement.clustered_rate_change([60] * 4, [100] * 4, [50] * 4, [100] * 4)
        assert result["dispersion"] == 1.0
        assert (result["low"], result["high"]) == pytest.approx((result["naive_low"], result["naive_high"]))
        too_few = engagement.clustered_rate_change([60], [100], [50, 50], [100, 100])
        assert too_few["estimate"] is None and too_few["days"] == 1

    def test_without_daily_engaged_sessions_the_change_is_descriptive(self):
        pages = PAGES.assign(theme=["t", "t", None, "t"])
        change = engagement.engagement_rate_change({"web_pages": pages}, "2026-10", "2026-09")
        # 80/150 this month, 20/40 last month.
        assert change["estimate"] == pytest.approx(80 / 150 - 0.5)
        assert change["descriptive"] is True and change["verdict"] == "descriptive"
        assert change["p_value"] is None and change["low"] is None and change["high"] is None
        # The exports' daily table (views, users, events; no sessions) does not change that.
        daily = pd.DataFrame({"month": ["2026-10"], "date": ["2026-10-01"], "asset_id": ["A"], "views": [5]})
        assert engagement.engagement_rate_change(
            {"web_pages": pages, "web_daily": daily}, "2026-10", "2026-09"
        )["descriptive"]

    def test_daily_engaged_sessions_give_a_tested_change(self):
        days = [f"2026-10-0{d}" for d in range(1, 5)] + [f"2026-09-0{d}" for d in range(1, 5)]
        daily = pd.DataFrame(
            {
                "month": ["2026-10"] * 4 + ["2026-09"] * 4,
                "date": days,
                "asset_id": "A",
                "theme": "t",
                "sessions": [100] * 8,
                "engaged_sessions": [30, 90, 30, 90, 50, 50, 50, 50],
            }
        )
        tables = {"web_pages": PAGES, "web_daily": daily}
        change = engagement.engagement_rate_change(tables, "2026-10", "2026-09")
        assert change["descriptive"] is False and change["verdict"] == "consistent with chance"
        assert change["p_value"] == pytest.approx(0.59094, abs=1e-5)
        rows = engagement.engagement_rate_changes(tables, "2026-10")
        assert [r["test"] for r in rows] == [
            "engagement_rate.all.vs_previous_month",
        ]
