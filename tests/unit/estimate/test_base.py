from __future__ import annotations

import pandas as pd

from reach.estimate import base as estimate_base
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


class TestPeriods:
    def test_months_of_each_period(self):
        assert estimate_base.period_months("2026-10") == ["2026-10"]
        assert estimate_base.period_months("2026-01", "rolling_3") == ["2025-11", "2025-12", "2026-01"]
        assert estimate_base.period_months("2026-10", "fytd") == [f"2026-{m:02d}" for m in range(4, 11)]
        assert estimate_base.period_months("2026-04", "fytd") == ["2026-04"]
        assert estimate_base.period_months("2026-03", "fytd")[0] == "2025-04"

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
