from __future__ import annotations

import pandas as pd
import pytest

from reach.estimate import channels as estimate_channels

# ---------------------------------------------------------------------------------------------
# Channels: bounds, consent, YouTube, Meta
# ---------------------------------------------------------------------------------------------


def _pages(users: list[int], month: str = "2026-10") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": month,
            "page_path": [f"/p{i}/" for i in range(len(users))],
            "views": [2 * u for u in users],
            "active_users": users,
            "asset_id": [f"a{i}" for i in range(len(users))],
        }
    )


class TestWebReach:
    def test_page_bounds_without_town_table(self):
        # Pages with 30, 20, 10 users: at least the largest page (30), at most the sum (60);
        # point √(30·60) = 42.43. Consent 100% leaves them as they are.
        result = estimate_channels.web_reach(
            _pages([30, 20, 10]), "2026-10", consent_rate={"low": 1.0, "high": 1.0}
        )
        assert (result["reach"]["low"], result["reach"]["high"]) == (30, 60)
        assert result["reach"]["estimate"] == 42
        assert result["tracked"]["low"] == 30 and result["tracked"]["high"] == 60

    def test_town_total_narrows_the_bounds(self):
        # Town/City total 50 lies in [30, 60]: tracked users 50, within ±5% → [47.5, 52.5] → [47, 53].
        city = pd.DataFrame({"month": "2026-10", "city": ["Norwich", "London"], "active_users": [30, 20]})
        result = estimate_channels.web_reach(
            _pages([30, 20, 10]), "2026-10", city, consent_rate={"low": 1.0, "high": 1.0}
        )
        assert result["tracked"] == {
            "estimate": 50,
            "low": 47,
            "high": 53,
            "method": result["tracked"]["method"],
        }
        assert "Town/City" in result["reach"]["method"]

    def test_town_total_outside_the_page_bounds_is_not_used(self):
        city = pd.DataFrame({"month": "2026-10", "city": ["Norwich"], "active_users": [500]})
        result = estimate_channels.web_reach(
            _pages([30, 20, 10]), "2026-10", city, consent_rate={"low": 1.0, "high": 1.0}
        )
        assert (result["reach"]["low"], result["reach"]["high"]) == (30, 60)

    def test_bigquery_distinct_users_are_exact(self):
        users = pd.DataFrame({"month": ["2026-10"], "asset_id": [None], "users": [44]})
        result = estimate_channels.web_reach(
            _pages([30, 20, 10]), "2026-10", web_users=users, consent_rate={"low": 0.5, "high": 0.5}
        )
        assert result["tracked"]["low"] == result["tracked"]["high"] == 44
        assert "BigQuery" in result["reach"]["method"]
        assert result["reach"]["estimate"] == 88  # 44 ÷ 0.5

    def test_other_months_and_non_asset_pages_are_ignored(self):
        pages = pd.concat([_pages([30]), _pages([999], "2026-09")])
        pages.loc[len(pages)] = ["2026-10", "/", 1, 5000, None]
        result = estimate_channels.web_reach(pages, "2026-10", consent_rate={"low": 1.0, "high": 1.0})
        assert result["reach"]["high"] == 30

    def test_no_export_gives_no_reach(self):
        assert estimate_channels.web_reach(_pages([30], "2026-09"), "2026-10")["reach"] is None


class TestConsentAdjustment:
    def test_fixed_rate_divides(self):
        # 600 tracked, 60% accept: 600 / 0.6 = 1000
        assert estimate_channels.consent_adjusted(600, 600, 600, 0.6, 0.6)["estimate"] == 1000

    def test_range_and_binomial_error_by_hand(self):
        # low  = 600/0.8 − 1.959964·√(600·0.2)/0.8 = 750 − 26.84 = 723.16 → 723
        # high = 600/0.5 + 1.959964·√(600·0.5)/0.5 = 1200 + 67.90 = 1267.90 → 1268
        # point = 600 / 0.65 = 923.08 → 923
        r = estimate_channels.consent_adjusted(600, 600, 600, 0.5, 0.8)
        assert (r["low"], r["estimate"], r["high"]) == (723, 923, 1268)
        assert "50%–80%" in r["method"]

    def test_never_below_the_tracked_count(self):
        assert estimate_channels.consent_adjusted(3, 3, 3, 0.9, 1.0)["low"] >= 3


class TestSeveralDevices:
    def test_the_lower_limit_allows_several_users_per_person_and_the_upper_stands(self):
        r = estimate_channels.allow_several_devices(
            {"estimate": 500, "low": 480, "high": 520, "method": "m"}, 1.25
        )
        assert (r["low"], r["high"]) == (384, 520)  # 480 / 1.25 = 384
        assert "1.25 users" in r["method"]

    def test_the_truth_is_inside_when_a_quarter_of_people_count_twice(self):
        # 800 people, 200 of them on two devices: 1,000 users. Users are an upper limit of people.
        r = estimate_channels.allow_several_devices(
            {"estimate": 1000, "low": 1000, "high": 1000, "method": "m"}, 1.25
        )
        assert r["low"] <= 800 <= r["high"]

    def test_one_user_per_person_changes_nothing(self):
        r = {"estimate": 500, "low": 480, "high": 520, "method": "m"}
        assert estimate_channels.allow_several_devices(r, 1.0) == r
        assert estimate_channels.allow_several_devices(None, 1.25) is None


class TestVideoReach:
    def _video(self, **extra):
        frame = pd.DataFrame(
            {
                "month": "2026-10",
                "video_id": ["v1", "v2"],
                "views": [100, 60],
                "unique_viewers": [80.0, 50.0],
                "avg_views_per_viewer": [1.25, 1.2],
                "asset_id": ["x", "y"],
            }
        )
        for key, value in extra.items():
            frame[key] = value
        return frame

    def test_total_row_unique_viewers_are_used_as_counted(self):
        totals = pd.DataFrame({"month": ["2026-10"], "views": [160], "unique_viewers": [115.0]})
        result = estimate_channels.video_reach(self._video(), totals, "2026-10")
        assert result["reach"]["estimate"] == result["reach"]["low"] == result["reach"]["high"] == 115
        assert result["flag"] is None
        assert result["frequency"]["estimate"] == pytest.approx(160 / 115)

    def test_per_video_unique_viewers_are_bounds(self):
        result = estimate_channels.video_reach(self._video(), None, "2026-10")
        assert (result["reach"]["low"], result["reach"]["high"]) == (80, 130)

    def test_views_over_average_views_per_viewer(self):
        # 100/1.25 = 80 and 60/1.2 = 50 viewers: bounds [80, 130]
        result = estimate_channels.video_reach(self._video(unique_viewers=float("nan")), None, "2026-10")
        assert (result["reach"]["low"], result["reach"]["high"]) == (80, 130)
        assert "average views per viewer" in result["reach"]["method"]

    def test_views_alone_are_an_upper_bound_and_flagged(self):
        frame = self._video(unique_viewers=float("nan"), avg_views_per_viewer=float("nan"))
        result = estimate_channels.video_reach(frame, None, "2026-10", max_views_per_viewer=4)
        assert result["reach"]["high"] == 160 and result["reach"]["low"] == 40  # 160 / 4
        assert result["flag"] == "views_upper_bound"
        assert "upper bound" in result["reach"]["method"]


class TestSocialReach:
    def test_post_reach_bounds_and_midpoint(self):
        posts = pd.DataFrame(
            {
                "month": "2026-10",
                "post_id": ["1", "2", "3"],
                "views": [150, 100, 60],
                "reach": [100, 80, 50],
                "asset_id": ["s", "s", "s"],
            }
        )
        result = estimate_channels.social_reach(posts, "2026-10")
        # largest post 100, sum 230, point √(100·230) = 151.66 → 152
        assert (result["reach"]["low"], result["reach"]["estimate"], result["reach"]["high"]) == (
            100,
            152,
            230,
        )
        assert result["frequency"]["estimate"] == pytest.approx(310 / 152)


class TestReachOverLongerPeriods:
    def test_longer_periods_are_bounds_never_sums_as_estimates(self):
        posts = pd.DataFrame(
            {
                "month": ["2026-08", "2026-09", "2026-10"],
                "post_id": ["1", "2", "3"],
                "views": [1, 1, 1],
                "reach": [40, 70, 50],
                "asset_id": ["s", "s", "s"],
            }
        )
        tables = {
            "social_posts": posts,
            "web_pages": _pages([1]).iloc[0:0],
            "video": None,
            "video_totals": None,
        }
        result = estimate_channels.channel_reach(tables, "2026-10", "rolling_3")
        social = result["social"]["reach"]
        # busiest month 70 … sum of months 160
        assert (social["low"], social["high"]) == (70, 160)
        assert social["method"].startswith("bounds from monthly exports")
        assert result["period"] == {"start": "2026-08-01", "end": "2026-10-31"}

    def test_a_missing_month_leaves_no_upper_limit(self):
        posts = pd.DataFrame(
            {
                "month": ["2026-08", "2026-10"],
                "post_id": ["1", "3"],
                "views": [1, 1],
                "reach": [40, 50],
                "asset_id": ["s", "s"],
            }
        )
        tables = {"social_posts": posts, "web_pages": None, "video": None, "video_totals": None}
        social = estimate_channels.channel_reach(tables, "2026-10", "rolling_3")["social"]
        assert social["reach"]["high"] is None and social["missing_months"] == ["2026-09"]


class TestMonthsReach:
    def test_web_consent_adjustment_is_applied_once_over_the_period(self):
        # One asset page with 100 tracked users in each of two months, consent exactly 50%.
        # A month: 100/0.5 ± 1.959964·√(100·0.5)/0.5 = 200 ± 27.72 → 172 to 228.
        # The period: tracked users 100 (everyone came back) to 200 (no one did);
        # upper limit 200/0.5 + 1.959964·√(200·0.5)/0.5 = 400 + 39.20 = 439.2 → 440,
        # below the months added up (228 + 228 = 456).
        pages = pd.concat([_pages([100], "2026-08"), _pages([100], "2026-09")])
        tables = {"web_pages": pages, "video": None, "video_totals": None, "social_posts": None}
        settings = {"reach": {"consent_rate": {"low": 0.5, "high": 0.5}}}
        out = estimate_channels.months_reach(tables, ["2026-08", "2026-09"], settings)
        assert out["monthly"]["2026-08"]["web"]["reach"]["high"] == 228
        assert (out["web"]["reach"]["low"], out["web"]["reach"]["high"]) == (172, 440)
        assert out["web"]["reach"]["method"].startswith("bounds from monthly exports")
        assert out["video"]["reach"] is None and out["video"]["missing_months"] == ["2026-08", "2026-09"]

    def test_a_month_without_a_web_export_leaves_no_upper_limit(self):
        tables = {
            "web_pages": _pages([100], "2026-08"),
            "video": None,
            "video_totals": None,
            "social_posts": None,
        }
        out = estimate_channels.months_reach(tables, ["2026-08", "2026-09"])
        assert out["web"]["reach"]["high"] is None and out["web"]["missing_months"] == ["2026-09"]
