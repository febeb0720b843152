"""Coverage from the health visitors' recall return: estimates, bounds and 'not measured', worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reach.estimate import recall

Z = 1.959963984540054  # the 97.5th normal percentile


def wilson(k: float, n: float) -> tuple[float, float]:
    """Wilson score interval written out from the textbook formula."""
    p = k / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z / (1 + Z**2 / n) * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return centre - half, centre + half


def frame(rows: list[dict]) -> pd.DataFrame:
    base = {"month": "2026-10", "recalled_web": None, "recalled_video": None, "recalled_social": None,
            "recalled_leaflet": None, "suppressed": ""}  # fmt: skip
    return pd.DataFrame([{**base, **r} for r in rows])


class TestDistrictRecall:
    def test_share_and_wilson_interval(self):
        r = recall.district_recall({"families_asked": 80, "recalled_any": 52, "suppressed": ""})
        assert r["kind"] == "estimate" and r["estimate"] == 0.65
        assert (r["low"], r["high"]) == pytest.approx(wilson(52, 80))

    def test_a_suppressed_count_is_a_bound_from_1_to_7(self):
        r = recall.district_recall({"families_asked": 70, "recalled_any": None, "suppressed": "recalled_any"})
        assert (r["kind"], r["estimate"]) == ("bound", None)
        assert r["low"] == pytest.approx(wilson(1, 70)[0]) and r["high"] == pytest.approx(wilson(7, 70)[1])

    @pytest.mark.parametrize(
        "row",
        [
            None,
            {"families_asked": 5, "recalled_any": 5, "suppressed": ""},  # too few asked to show anything
            {"families_asked": None, "recalled_any": None, "suppressed": "families_asked;recalled_any"},
            {"families_asked": 80, "recalled_any": None, "suppressed": ""},  # not collected
        ],
    )
    def test_no_usable_row_is_not_measured(self, row):
        r = recall.district_recall(row)
        assert (r["kind"], r["estimate"], r["low"], r["high"]) == ("not measured", None, None, None)


class TestDisclosure:
    """No count of 1 to 7 can be worked back from a district's share, nor from the county's."""

    @pytest.mark.parametrize(("recalled", "asked"), [(5, 80), (75, 80)])
    def test_a_count_of_1_to_7_on_either_side_turns_the_share_into_a_range(self, recalled, asked):
        r = recall.district_recall({"families_asked": asked, "recalled_any": recalled, "suppressed": ""})
        assert (r["kind"], r["estimate"], r["recalled"]) == ("bound", None, None)
        assert r["low"] <= recalled / asked <= r["high"]
        if recalled <= 7:  # the range any count from 1 to 7 allows, not the count's own interval
            assert (r["low"], r["high"]) == pytest.approx((wilson(1, asked)[0], wilson(7, asked)[1]))
        else:
            assert (r["low"], r["high"]) == pytest.approx(
                (wilson(asked - 7, asked)[0], wilson(asked - 1, asked)[1])
            )

    @pytest.mark.parametrize(("recalled", "asked"), [(0, 80), (80, 80), (40, 80)])
    def test_zero_all_or_ordinary_counts_are_shown(self, recalled, asked):
        r = recall.district_recall({"families_asked": asked, "recalled_any": recalled, "suppressed": ""})
        assert (r["kind"], r["estimate"]) == ("estimate", recalled / asked)

    def test_the_county_takes_a_hidden_district_at_its_range_so_subtraction_gives_nothing_back(self):
        # 3 of 40 in district B would be hidden; with B's exact share inside a county point estimate,
        # county − w_A·p_A = w_B·3/40 would give it back. B enters at its range instead.
        rows = frame([
            {"district_code": "E07000143", "families_asked": 100, "recalled_any": 50},
            {"district_code": "E07000145", "families_asked": 40, "recalled_any": 3},
        ])  # fmt: skip
        out = recall.recall_coverage(rows, "2026-10", {"E07000143": 300.0, "E07000145": 100.0})
        county = out["county"]
        assert (county["kind"], county["estimate"]) == ("bound", None)
        low_a, high_a = wilson(50, 100)
        assert county["low"] == pytest.approx(0.75 * low_a + 0.25 * wilson(1, 40)[0])
        assert county["high"] == pytest.approx(0.75 * high_a + 0.25 * wilson(7, 40)[1])

    def test_every_district_a_range_still_gives_a_county_range(self):
        rows = frame([
            {"district_code": "E07000143", "families_asked": 60, "recalled_any": None, "suppressed": "recalled_any"},
            {"district_code": "E07000145", "families_asked": 40, "recalled_any": None, "suppressed": "recalled_any"},
        ])  # fmt: skip
        county = recall.recall_coverage(rows, "2026-10", {"E07000143": 1.0, "E07000145": 1.0})["county"]
        assert county["kind"] == "bound"
        assert county["low"] == pytest.approx(0.5 * wilson(1, 60)[0] + 0.5 * wilson(1, 40)[0])
        assert county["high"] == pytest.approx(0.5 * wilson(7, 60)[1] + 0.5 * wilson(7, 40)[1])


class TestCountyCoverage:
    def test_births_weighted_share_on_the_effective_sample_size(self):
        rows = frame([
            {"district_code": "E07000143", "families_asked": 100, "recalled_any": 50},
            {"district_code": "E07000144", "families_asked": 100, "recalled_any": 70},
        ])  # fmt: skip
        out = recall.recall_coverage(rows, "2026-10", {"E07000143": 100.0, "E07000144": 300.0})
        # weights 1/4 and 3/4: p = 0.25·0.5 + 0.75·0.7; Var = Σ w² p(1-p)/n; n_eff = p(1-p)/Var
        p = 0.65
        var = 0.25**2 * 0.25 / 100 + 0.75**2 * 0.21 / 100
        n_eff = p * (1 - p) / var
        county = out["county"]
        assert county["kind"] == "estimate" and county["estimate"] == pytest.approx(p)
        assert (county["low"], county["high"]) == pytest.approx(wilson(p * n_eff, n_eff))
        assert county["asked"] == 200

    def test_a_district_with_births_but_no_row_makes_the_county_a_bound_spanning_0_to_100_for_it(self):
        rows = frame([{"district_code": "E07000143", "families_asked": 100, "recalled_any": 50}])
        out = recall.recall_coverage(rows, "2026-10", {"E07000143": 300.0, "E07000144": 100.0})
        low, high = wilson(50, 100)
        county = out["county"]
        assert (county["kind"], county["estimate"]) == ("bound", None)
        assert county["low"] == pytest.approx(0.75 * low + 0.25 * 0.0)
        assert county["high"] == pytest.approx(0.75 * high + 0.25 * 1.0)
        assert out["districts"]["E07000144"]["kind"] == "not measured"

    def test_the_bound_contains_the_truth_whatever_the_missing_district_holds(self):
        # District A: 50 of 100 recall; district B (no return) truly 0% or truly 100%.
        rows = frame([{"district_code": "E07000143", "families_asked": 100, "recalled_any": 50}])
        county = recall.recall_coverage(rows, "2026-10", {"E07000143": 300.0, "E07000144": 100.0})["county"]
        for truth_b in (0.0, 1.0):
            truth = 0.75 * 0.5 + 0.25 * truth_b
            assert county["low"] <= truth <= county["high"]

    def test_no_rows_for_the_month_is_none(self):
        rows = frame([{"district_code": "E07000143", "families_asked": 100, "recalled_any": 50}])
        assert recall.recall_coverage(rows, "2026-09", {"E07000143": 1.0}) is None
        assert recall.recall_coverage(None, "2026-10", {"E07000143": 1.0}) is None

    def test_channel_shares_use_only_districts_that_report_them(self):
        rows = frame([
            {"district_code": "E07000143", "families_asked": 100, "recalled_any": 50, "recalled_web": 20},
            {"district_code": "E07000144", "families_asked": 100, "recalled_any": 70, "recalled_web": None},
        ])  # fmt: skip
        web = recall.recall_coverage(rows, "2026-10", {"E07000143": 1.0, "E07000144": 1.0})["channels"]["web"]
        assert web["estimate"] == pytest.approx(0.2) and web["districts"] == 1


class TestCorrections:
    def test_rogan_gladen_recall_correction(self):
        # recalled = s·r + f·(1 − r)  =>  r = (recalled − f) / (s − f)
        assert recall.recall_corrected(0.6, 0.8, 0.0) == pytest.approx(0.75)
        assert recall.recall_corrected(0.6, 1.0, 0.05) == pytest.approx(0.55 / 0.95)
        assert recall.recall_corrected(0.02, 1.0, 0.05) == 0.0  # clipped, never negative

    def test_response_bias_correction(self):
        # 300 parents saw something, 300 did not; the first answer at 3x the rate: 90 vs 30 answers.
        observed = 90 / (90 + 30)
        assert recall.response_bias_corrected(observed, 3.0) == pytest.approx(0.5)
        assert recall.response_bias_corrected(observed, 1.0) == pytest.approx(observed)
