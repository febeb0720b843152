import pandas as pd

from reach.core.periods import quarter
from reach.summary import period


def _tables() -> dict:
    # One web page with 100 tracked users a month, and one post a month (reach 40, 70, 50).
    months = ["2026-07", "2026-08", "2026-09"]
    pages = pd.DataFrame(
        {"month": months, "page_path": "/a/", "views": 200, "active_users": 100, "asset_id": "a"}
    )
    posts = pd.DataFrame(
        {"month": months, "post_id": ["1", "2", "3"], "views": 1, "reach": [40, 70, 50], "asset_id": "s"}
    )
    feedback = pd.DataFrame(
        {"month": ["2026-07"] * 20 + ["2026-09"] * 20, "helpful": ["Yes"] * 30 + ["No"] * 10}
    )
    # YouTube's de-duplicated unique viewers: 10 a month.
    video = pd.DataFrame(
        {"month": months, "video_id": "v", "views": 12, "unique_viewers": 10, "avg_views_per_viewer": 1.2,
         "asset_id": "v"}
    )  # fmt: skip
    totals = pd.DataFrame({"month": months, "views": 12, "unique_viewers": 10, "avg_views_per_viewer": 1.2})
    return {
        "web_pages": pages,
        "social_posts": posts,
        "video": video,
        "video_totals": totals,
        "feedback": feedback,
    }


SETTINGS = {"reach": {"consent_rate": {"low": 0.5, "high": 0.5}, "users_per_person_max": 1.0}}


class TestPeriodReach:
    def test_combined_upper_limit_is_below_the_months_added_up(self):
        out = period.period_reach(_tables(), ["2026-07", "2026-08", "2026-09"], SETTINGS)
        # A month: web 200 ± 27.72 → high 228; video 10; social its one post. Months' combined highs:
        # 228+10+40, 228+10+70, 228+10+50 → sum 874. The period: web 300/0.5 + 1.959964·√(300·0.5)/0.5
        # = 648.01 → 649; video 10 to 30; social 40+70+50 = 160; combined 649+30+160 = 839.
        assert [m["high"] for m in out["by_month"]] == [278, 308, 288]
        assert out["sum_of_months"] == 874
        assert out["combined"]["high"] == 839 and out["saving"] == 35
        assert out["combined"]["low"] == 172 and out["combined"]["kind"] == "bound"
        assert (out["channels"]["video"]["low"], out["channels"]["video"]["high"]) == (10, 30)


class TestPeriodSummary:
    def test_carries_the_period_and_pooled_feedback(self):
        summary = period.period_summary(_tables(), quarter("2026-Q3"), True, SETTINGS)
        assert summary["period"]["start"] == "2026-07-01" and summary["period"]["end"] == "2026-09-30"
        assert summary["period"]["kind"] == "quarter"
        assert summary["feedback"]["helpful"]["estimate"] == 0.75  # 30 of 40 answers
        assert "month" not in summary  # the month index never mistakes it for a month


def test_resolve_period_cuts_a_year_at_the_last_month_with_data():
    p = period.resolve_period("2026-27", _tables())
    assert p.to_date and p.months[-1] == "2026-09"
