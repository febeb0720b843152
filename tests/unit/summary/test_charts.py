import pandas as pd
import pytest

from reach.summary import charts

PAGES = pd.DataFrame(
    {
        "month": ["2026-10", "2026-10", "2026-10", "2026-09"],
        "asset_id": ["A", "B", None, "A"],
        "sessions": [100, 50, 1000, 40],
        "engagement_rate": [0.6, 0.4, 0.9, 0.5],
    }
)


def _feedback(month: str, answers: list) -> pd.DataFrame:
    return pd.DataFrame({"month": [month] * len(answers), "helpful": answers})


class TestHelpfulTrend:
    def test_one_row_per_month_with_hidden_small_months(self):
        feedback = pd.concat(
            [
                _feedback("2026-07", ["Yes"] * 8 + ["No"] * 2),  # the 2 who said no would be worked back
                _feedback("2026-08", ["Yes"] * 8 + ["No"] * 8),
                _feedback("2026-10", ["Yes"] * 3),
            ],
            ignore_index=True,
        )
        trend = charts.helpful_trend(feedback, "2026-10", months=4)
        assert list(trend["month"]) == ["2026-07", "2026-08", "2026-09", "2026-10"]
        assert trend["estimate"].iloc[1] == pytest.approx(0.5)
        assert list(trend["answers"]) == ["10", "15", "0", "*"]
        assert trend["estimate"].isna().tolist() == [True, False, True, True]


class TestAssetLeague:
    def test_ranks_with_change_and_missing_previous(self):
        now = pd.DataFrame(
            {"asset_id": ["a", "b", "c"], "asset_title": ["A", "B", "C"], "views": [50, 200, 50]}
        )
        before = pd.DataFrame({"asset_id": ["a", "b"], "asset_title": ["A", "B"], "views": [40, 250]})
        league = charts.asset_league(now, before, "views")
        assert list(league["asset_title"]) == ["B", "A", "C"]
        assert list(league["rank"]) == [1, 2, 2]  # A and C tie for second
        assert league["change"].iloc[0] == -50
        assert league["change_pct"].iloc[1] == pytest.approx(0.25)  # 40 -> 50
        assert pd.isna(league["previous"].iloc[2]) and pd.isna(league["change"].iloc[2])


class TestFunnelSteps:
    def _tables(self, intends: int):
        answers = ["Yes, I will change something"] * intends + ["No, I already do this"] * (23 - intends)
        feedback = pd.DataFrame(
            {
                "month": ["2026-10"] * 23,
                "respondent_type": ["Parent or carer"] * 23,
                "district": ["Norwich"] * 23,
                "helpful": ["Yes"] * 23,
                "key_messages": [""] * 23,
                "intends_change": answers,
            }
        )
        return {"web_pages": PAGES, "feedback": feedback}

    def test_four_steps_with_sources_and_rounded_feedback_counts(self):
        summary = {"reach": {"combined": {"estimate": 1800, "low": 1200, "high": 2600}}}
        steps = charts.funnel_steps(summary, self._tables(12), "2026-10")
        assert [s["step"] for s in steps] == [
            "People reached online", "Engaged visits to the web pages", "Answered the feedback form",
            "Said they will change something",
        ]  # fmt: skip
        assert [s["shown"] for s in steps] == ["1,800", "80", "25", "10"]  # 23 -> 25, 12 -> 10
        assert (steps[0]["low"], steps[0]["high"]) == (1200, 2600)
        assert all(s["source"] for s in steps)

    def test_small_count_is_suppressed(self):
        summary = {"reach": {"combined": {"estimate": None, "low": None, "high": None}}}
        steps = charts.funnel_steps(summary, self._tables(5), "2026-10")
        assert steps[3]["shown"] == "*" and steps[3]["value"] is None
        assert steps[0]["value"] is None


class TestDistrictCoverage:
    def test_small_district_hidden_and_counts_rounded(self):
        reach = {
            "by_district": [
                {
                    "district": "Breckland",
                    "code": "E07000143",
                    "reach": {"estimate": 85, "low": 40, "high": 120},
                    "coverage": {"births_in_period": 98, "estimate": 0.87, "low": 0.56, "high": 0.99},
                },
                {
                    "district": "Norwich",
                    "code": "E07000148",
                    "reach": {"estimate": 5, "low": 0, "high": 20},
                    "coverage": {"births_in_period": 6, "estimate": 0.8, "low": 0.2, "high": 1.0},
                },
            ]
        }
        frame = charts.district_coverage(reach)
        assert frame["coverage"].iloc[0] == pytest.approx(0.87)
        assert list(frame["families"]) == ["85", "*"]
        assert list(frame["births"]) == ["100", "*"]  # 98 -> 100; 6 is 1-7
        assert list(frame["suppressed"]) == [False, True]
        assert frame[["coverage", "low", "high"]].iloc[1].isna().all()
