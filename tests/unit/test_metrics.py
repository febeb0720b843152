import pandas as pd
import pytest

from reach import metrics


class TestWilsonInterval:
    # R binom::binom.confint values stored in statsmodels' test results (methods.md §5.1).
    @pytest.mark.parametrize(
        ("k", "n", "low", "high"),
        [
            (4, 20, 0.0806576625797981, 0.4160174322518935),
            (18, 20, 0.6989663547715128, 0.972133518786232),
            (4, 200, 0.00780442641634947, 0.05028708690582643),
            (190, 200, 0.910421851861224, 0.972617354399236),
            (0, 30, 0.0, 0.11351339),
        ],
    )
    def test_matches_r_reference_values(self, k, n, low, high):
        got_low, got_high = metrics.wilson_interval(k, n)
        assert got_low == pytest.approx(low, abs=1e-8)
        assert got_high == pytest.approx(high, abs=1e-8)

    def test_rejects_empty_denominator(self):
        with pytest.raises(ValueError):
            metrics.wilson_interval(0, 0)

    def test_rejects_more_successes_than_trials(self):
        with pytest.raises(ValueError):
            metrics.wilson_interval(5, 4)


class TestProportionEstimate:
    def test_names_method_and_counts(self):
        result = metrics.proportion_estimate(4, 20)
        assert result["estimate"] == 0.2
        assert result["n"] == 20
        assert "Wilson" in result["method"]

    def test_zero_trials_gives_no_estimate(self):
        assert metrics.proportion_estimate(0, 0)["estimate"] is None


class TestSuppressCount:
    # NHSDigital/codonPython suppression_test.py vectors (methods.md §5.2).
    @pytest.mark.parametrize(
        ("value", "shown"),
        [(0, "0"), (2, "*"), (5, "*"), (8, "10"), (16, "15"), (57, "55"), (10023, "10025")],
    )
    def test_nhs_reference_vectors(self, value, shown):
        assert metrics.suppress_count(value) == shown

    def test_seven_is_hidden_and_missing_is_blank(self):
        assert metrics.suppress_count(7) == "*"
        assert metrics.suppress_count(None) == ""


class TestPreviousMonths:
    def test_crosses_year_boundary(self):
        assert metrics.previous_months("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]


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


class TestWebByAsset:
    def test_users_are_bounded_not_summed(self):
        result = metrics.web_by_asset(WEB, "2026-10")
        a = result[result["asset_id"] == "A"].iloc[0]
        assert (a["views"], a["users_low"], a["users_high"], a["pages"]) == (140, 60, 90, 2)

    def test_excludes_other_months_and_unmatched_rows(self):
        result = metrics.web_by_asset(WEB, "2026-10")
        assert list(result["asset_id"]) == ["A", "B"]

    def test_does_not_modify_input(self):
        before = WEB.copy()
        metrics.web_by_asset(WEB, "2026-10")
        pd.testing.assert_frame_equal(WEB, before)


class TestFeedbackSummary:
    def test_counts_not_sure_in_denominator_and_skips_blanks(self):
        feedback = pd.DataFrame(
            {"month": ["2026-10"] * 6, "helpful": ["Yes", "yes", "No", "Not sure", None, "Yes"]}
        )
        result = metrics.feedback_summary(feedback, "2026-10")
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
        trend = metrics.monthly_trend(tables, "2026-10", months=3)
        assert list(trend["month"]) == ["2026-08", "2026-09", "2026-10"]
        assert trend["web_views"].isna().iloc[0]
        assert trend["web_views"].iloc[1] == 999
        assert trend["web_views"].iloc[2] == 150
        assert trend["feedback_responses"].iloc[2] == 2
