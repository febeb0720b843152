from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from reach.core import intervals
from reach.estimate import outtakes

# ---------------------------------------------------------------------------------------
# Proportions (methods.md §5.1, V2 and V2b) and precision planning
# ---------------------------------------------------------------------------------------


class TestProportions:
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
    def test_wilson_matches_r(self, k, n, low, high):
        assert intervals.proportion_interval(k, n) == pytest.approx((low, high), abs=1e-8)

    def test_clopper_pearson_matches_r(self):
        got = intervals.proportion_interval(4, 20, method="clopper-pearson")
        assert got == pytest.approx((0.05733399705003284, 0.436614002996668), abs=1e-8)

    def test_clopper_pearson_conover_table(self):
        assert intervals.proportion_interval(5, 25, method="clopper-pearson") == pytest.approx(
            (0.068, 0.407), abs=5e-4
        )

    def test_newcombe_difference(self):
        diff, low, high = intervals.difference_interval(7, 34, 1, 34)
        assert diff == pytest.approx(6 / 34)
        assert (low, high) == pytest.approx((0.019, 0.34), abs=0.005)

    def test_unknown_method_rejected(self):
        with pytest.raises(ValueError):
            intervals.proportion_interval(1, 2, method="wald")

    def test_sample_size_for_change(self):
        # h = 2 asin(sqrt .6) - 2 asin(sqrt .5) = 0.2013579; Var(2 asin sqrt p̂) = 1/n in each
        # group, so n = 2·((1.959964 + 0.841621) / h)² = 2 × 193.584 = 387.17 -> 388 per month.
        plan = outtakes.sample_size_for_change(0.5, 0.6)
        assert plan["n_per_group"] == 388
        assert plan["effect_size"] == pytest.approx(0.2013579, abs=1e-6)
        assert "388" in plan["sentence"] and "60%" in plan["sentence"]
        with pytest.raises(ValueError):
            outtakes.sample_size_for_change(0.5, 0.5)


# ---------------------------------------------------------------------------------------
# Out-takes
# ---------------------------------------------------------------------------------------

ALL3 = "On their back;In a clear, flat cot or Moses basket;In their own sleep space, alone"


def _responses(month: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "month": month,
                "respondent_type": r,
                "district": d,
                "helpful": h,
                "key_messages": k,
                "intends_change": i,
                "comment": None,
            }
            for r, d, h, k, i in rows
        ]
    ).astype(
        {
            c: "string"
            for c in ("month", "respondent_type", "district", "helpful", "key_messages", "intends_change")
        }
    )


def _hand_month() -> pd.DataFrame:
    parent = [
        ("Parent or carer", "Breckland", h, ALL3, "No, I already do this")
        for h in ["Yes"] * 12 + ["No"] * 5 + ["Not sure"] * 3
    ]
    pro = [("Professional", "Norwich", "Yes", ALL3, "No") for _ in range(3)]
    return _responses("2026-10", parent + pro)


class TestOuttakes:
    def test_key_message_definition(self):
        frame = _responses(
            "2026-10",
            [
                ("Parent or carer", "Norwich", "Yes", ALL3, "Yes, I will change something"),
                ("Parent or carer", "Norwich", "Yes", ALL3 + ";Room temperature 16-20°C", "No"),
                ("Parent or carer", "Norwich", "No", ALL3 + ";Swaddled with a loose blanket", "Not sure"),
                (
                    "Parent or carer",
                    "Norwich",
                    "Not sure",
                    "On their back;In their own sleep space, alone",
                    "No, I already do this",
                ),
                ("Parent or carer", "Norwich", None, None, None),
            ],
        )
        coded = outtakes.feedback_outcomes(frame)
        assert coded["key_messages"].tolist() == [True, True, False, False, pd.NA]
        assert coded["helpful"].tolist() == [True, True, False, False, pd.NA]
        assert coded["intends_change"].tolist() == [True, False, False, False, pd.NA]

    def test_a_group_is_shown_when_the_withheld_groups_together_are_not_small(self):
        month = _hand_month()
        others = _responses(
            "2026-10", [("Other", "Norwich", h, ALL3, "No") for h in ["Yes"] * 10 + ["No"] * 10]
        )
        result = outtakes.outtakes(pd.concat([month, others], ignore_index=True), "2026-10", min_n=10)
        helpful = result["helpful"]["by_respondent_type"]
        # Professionals (3 of 3) withheld; with "Other" (10 of 20) the withheld groups together are
        # 13 of 23 (10 not): not small, so "Other" is withheld as the smallest shown group and the
        # parents stay. Wilson by hand for 12 of 20: centre (p + z²/2n)/(1 + z²/n), half-width
        # z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n) -> 0.3865815 to 0.7811935.
        assert helpful["Professional"]["estimate"] is None and helpful["Other"]["estimate"] is None
        parents = helpful["Parent or carer"]
        assert parents["estimate"] == pytest.approx(0.6)
        assert (parents["low"], parents["high"]) == pytest.approx((0.3865815, 0.7811935), abs=1e-6)

    def test_overall_groups_and_suppression(self):
        result = outtakes.outtakes(_hand_month(), "2026-10", min_n=10)
        helpful = result["helpful"]
        # 15 of 23 said yes (8 did not); 23 is shown rounded to 5 ("25").
        assert helpful["overall"]["estimate"] == pytest.approx(15 / 23)
        assert helpful["overall"]["n"] == "25"
        assert set(helpful["overall"]) == {"estimate", "low", "high", "n"}
        # Parents: 12 of 20. Shown beside the total (15 of 23) it would give the three
        # professionals' 3 of 3 back by subtraction, so it is withheld too (its count stays).
        parents = helpful["by_respondent_type"]["Parent or carer"]
        assert (parents["estimate"], parents["low"], parents["high"], parents["n"]) == (
            None,
            None,
            None,
            "20",
        )
        # Three professionals: suppressed, count shown as "*".
        assert helpful["by_respondent_type"]["Professional"] == {
            "estimate": None,
            "low": None,
            "high": None,
            "n": "*",
        }
        assert helpful["by_district"]["Norwich"]["estimate"] is None
        # Intends change: 0 of 23 -> a numerator of 0 is not hidden by the NHS rule.
        assert result["intends_change"]["overall"]["estimate"] == 0.0
        # Key messages: 23 of 23 -> nobody failed, and 0 is not a small count either.
        assert result["key_messages"]["overall"]["estimate"] == 1.0

    def test_numerator_of_one_to_seven_is_suppressed(self):
        rows = [("Parent or carer", "Breckland", "Yes", ALL3, "Yes, I will change something")] * 5
        rows += [("Parent or carer", "Breckland", "No", ALL3, "No")] * 15
        result = outtakes.outtakes(_responses("2026-10", rows), "2026-10", min_n=10)
        assert result["helpful"]["overall"]["estimate"] is None  # 5 of 20: the 5 would be "*"
        assert result["helpful"]["overall"]["n"] == "20"

    @pytest.mark.parametrize(
        ("yes", "answers", "shown"),
        [
            (9, 11, False),  # 2 did not say yes: "10" answering and 82 % would reveal them
            (13, 20, False),  # 7 did not
            (12, 20, True),  # 8 did not: no count of 1-7 anywhere
            (0, 10, True),  # 0 of 10: zero is not a small count
            (10, 10, True),  # 10 of 10: 0 did not say yes, allowed
            (7, 30, False),  # 7 said yes
        ],
    )
    def test_complement_of_one_to_seven_is_suppressed(self, yes, answers, shown):
        rows = [("Parent or carer", "Breckland", "Yes", ALL3, "No")] * yes
        rows += [("Parent or carer", "Breckland", "No", ALL3, "No")] * (answers - yes)
        overall = outtakes.outtakes(_responses("2026-10", rows), "2026-10", min_n=10)["helpful"]["overall"]
        if shown:
            assert overall["estimate"] == pytest.approx(yes / answers)
            assert overall["low"] is not None and overall["high"] is not None
        else:
            assert (overall["estimate"], overall["low"], overall["high"]) == (None, None, None)
        assert outtakes.share_hidden(yes, answers) is not shown

    def test_change_withheld_when_last_month_is_withheld_by_its_complement(self):
        # This month 12 of 20 (shown); last month 9 of 11 (2 did not: withheld), so no change.
        this = [("Parent or carer", "Breckland", "Yes" if i < 12 else "No", ALL3, "No") for i in range(20)]
        last = [("Parent or carer", "Breckland", "Yes" if i < 9 else "No", ALL3, "No") for i in range(11)]
        frame = pd.concat([_responses("2026-09", last), _responses("2026-10", this)], ignore_index=True)
        helpful = outtakes.outtakes(frame, "2026-10")["helpful"]
        assert helpful["previous_month"]["estimate"] is None and helpful["previous_month"]["n"] == "10"
        change = helpful["change"]
        assert [change[k] for k in ("estimate", "low", "high", "p_value")] == [None] * 4

    def test_share_hidden_follows_the_suppression_setting(self):
        # With a rule hiding 1-10, 40 of 50 (10 did not) is hidden; with the NHS default it is not.
        assert outtakes.share_hidden(40, 50, {"low": 1, "high": 10, "round_to": 5})
        assert not outtakes.share_hidden(40, 50)

    def test_month_on_month_change_uses_newcombe(self):
        # Newcombe (1998) example (a): 56/70 vs 48/80, hybrid score interval (method 10)
        # 0.0524 to 0.3339.
        this = [("Parent or carer", "Breckland", "Yes" if i < 56 else "No", ALL3, "No") for i in range(70)]
        last = [("Parent or carer", "Breckland", "Yes" if i < 48 else "No", ALL3, "No") for i in range(80)]
        frame = pd.concat([_responses("2026-09", last), _responses("2026-10", this)], ignore_index=True)
        change = outtakes.outtakes(frame, "2026-10")["helpful"]["change"]
        assert change["estimate"] == pytest.approx(0.2)
        assert (change["low"], change["high"]) == pytest.approx((0.0524, 0.3339), abs=5e-4)
        # Score test by hand: under p1 = p2 the restricted estimate is the pooled 104/150, and the
        # Miettinen-Nurminen variance p(1-p)(1/70 + 1/80)·150/149 gives z = 0.2 / 0.075720 = 2.6413,
        # p = 2·Φ(-2.6413) = 0.008258.
        assert change["p_value"] == pytest.approx(0.008258, abs=5e-6)

    def test_change_from_a_month_with_one_no_is_withheld(self):
        # 27/34 vs 33/34 (Newcombe's 7/34 vs 1/34 complemented): last month's 1 "no" is a small count.
        this = [("Parent or carer", "Breckland", "Yes" if i < 27 else "No", ALL3, "No") for i in range(34)]
        last = [("Parent or carer", "Breckland", "Yes" if i < 33 else "No", ALL3, "No") for i in range(34)]
        frame = pd.concat([_responses("2026-09", last), _responses("2026-10", this)], ignore_index=True)
        change = outtakes.outtakes(frame, "2026-10")["helpful"]["change"]
        assert change["estimate"] is None and change["p_value"] is None

    def test_trend_test(self):
        rising = outtakes.trend_test([10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 43], [50] * 12)
        assert rising["odds_ratio_per_period"] > 1 and rising["p_value"] < 0.001
        flat = outtakes.trend_test([25] * 12, [50] * 12)  # identical proportions: slope exactly 0
        assert flat["odds_ratio_per_period"] == pytest.approx(1.0, abs=1e-9)
        assert flat["p_value"] == pytest.approx(1.0, abs=1e-9)
        few = outtakes.trend_test([1, 2], [5, 5])
        assert few["p_value"] is None and few["periods"] == 2

    def test_trend_allows_for_months_that_vary_more_than_chance(self):
        # Shares swinging between 20 % and 80 % around a flat line: binomial errors are far too small.
        k, n = np.array([10, 40, 12, 38, 15, 35, 20, 30, 22, 28, 25, 27.0]), np.full(12, 50.0)
        exog = sm.add_constant(np.arange(12.0))
        naive = sm.GLM(np.column_stack([k, n - k]), exog, family=sm.families.Binomial()).fit()
        fitted = naive.fittedvalues  # fitted shares
        # Dispersion = Pearson χ² / (12 − 2), Pearson χ² = Σ (k − n·p̂)² / (n·p̂·(1 − p̂)).
        dispersion = float(np.sum((k - n * fitted) ** 2 / (n * fitted * (1 - fitted))) / 10)
        quasi = outtakes.trend_test(k.astype(int).tolist(), n.astype(int).tolist())
        assert quasi["dispersion"] == pytest.approx(dispersion, rel=1e-6) and dispersion > 5
        # The interval of log(odds ratio) is b ± t(0.975; 10) · se_binomial · sqrt(dispersion).
        half = stats.t.ppf(0.975, 10) * float(naive.bse[1]) * math.sqrt(dispersion)
        assert math.log(quasi["high"]) - math.log(quasi["low"]) == pytest.approx(2 * half, rel=1e-6)
        assert naive.pvalues[1] < 0.2 < quasi["p_value"]

    def test_input_not_changed(self):
        frame = _hand_month()
        before = frame.copy()
        outtakes.outtakes(frame, "2026-10")
        pd.testing.assert_frame_equal(frame, before)


def _rows(month: str, cells: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """Answers from (respondent type, district, yes, answers) cells: "Yes" or "No" to helpful."""
    rows = []
    for rtype, district, yes, answers in cells:
        rows += [(rtype, district, "Yes" if i < yes else "No", ALL3, "No") for i in range(answers)]
    return _responses(month, rows)


def _shown(leaves: dict) -> dict:
    return {name: (leaf["estimate"] is not None, leaf["n"]) for name, leaf in leaves.items()}


class TestSecondarySuppression:
    def test_a_count_pinned_by_the_shown_counts_of_the_withheld_groups(self):
        # 60 of 95 said yes (shown). Professionals 4 of 7 ("*") and "Other" 6 of 12 ("10") are
        # withheld; shown beside the parents' 50 of 76 they would hold 19 answers together, and
        # "*" (at most 7) plus "10" (at most 12) make 19 only as 7 + 12: the 7 professionals.
        # So the parents are withheld too: then the three hold 95, with parents "75" (73 to 77),
        # and the professionals can be anything from 6 to 7.
        frame = _rows(
            "2026-10",
            [
                ("Parent or carer", "Breckland", 50, 76),
                ("Professional", "Breckland", 4, 7),
                ("Other", "Norwich", 6, 12),
            ],
        )
        helpful = outtakes.outtakes(frame, "2026-10")["helpful"]
        assert helpful["overall"]["estimate"] == pytest.approx(60 / 95)
        assert _shown(helpful["by_respondent_type"]) == {
            "Other": (False, "10"),
            "Parent or carer": (False, "75"),
            "Professional": (False, "*"),
        }
        rule = outtakes._suppressor(None)
        counts = {"Parent or carer": (50, 76), "Professional": (4, 7), "Other": (6, 12)}
        assert outtakes.revealed(counts, {"Professional", "Other"}, rule)
        assert not outtakes.revealed(counts, set(counts), rule)

    def test_the_total_is_withheld_when_every_group_is_and_a_count_still_follows(self):
        # 10 of 19 (9 did not: shown by the primary rule) from professionals 4 of 7 and "Other"
        # 6 of 12, all in Breckland. Both types are withheld (7 answers; 6 yes), and against the
        # exact 19 they can only be 7 + 12. Withholding the total leaves its count "20" (18 to
        # 22), but Breckland's 10 of 19 would give the 19 back, so Breckland goes too: then the
        # professionals are 6 or 7 and nothing is pinned.
        frame = _rows("2026-10", [("Professional", "Breckland", 4, 7), ("Other", "Breckland", 6, 12)])
        helpful = outtakes.outtakes(frame, "2026-10")["helpful"]
        assert (helpful["overall"]["estimate"], helpful["overall"]["n"]) == (None, "20")
        assert _shown(helpful["by_district"]) == {"Breckland": (False, "20")}
        assert _shown(helpful["by_respondent_type"]) == {"Other": (False, "10"), "Professional": (False, "*")}
        assert helpful["change"]["estimate"] is None

    def test_counts_that_pin_a_small_count_on_their_own_are_shown_as_stars(self):
        # Districts of 1, 8 and 8 answers (1, 4 and 4 yes) make 17, shown "15" (13 to 17): with
        # "10" at least 8 twice, the "*" can only be 1. Every share is withheld in turn (the
        # total, then the parents, who are all 17), and the districts' counts become "*".
        frame = _rows(
            "2026-10",
            [
                ("Parent or carer", "Breckland", 1, 1),
                ("Parent or carer", "Norwich", 4, 8),
                ("Parent or carer", "Broadland", 4, 8),
            ],
        )
        helpful = outtakes.outtakes(frame, "2026-10")["helpful"]
        assert (helpful["overall"]["estimate"], helpful["overall"]["n"]) == (None, "15")
        assert _shown(helpful["by_respondent_type"]) == {"Parent or carer": (False, "15")}
        assert _shown(helpful["by_district"]) == {
            "Breckland": (False, "*"),
            "Broadland": (False, "*"),
            "Norwich": (False, "*"),
        }

    def test_what_a_reader_knows_of_a_withheld_total(self):
        rule = outtakes._suppressor(None)
        # Shown count "20" (18 to 22); one breakdown shows 12 of 15 and withholds a "*": 16 to 22.
        counts = {"district": {"a": (12, 15), "b": (1, 3)}}
        assert outtakes.total_known((13, 18), counts, {"district": {"b"}}, rule) == (18, 22, 12, 19)


class TestTrendLeavesOutWithheldMonths:
    def test_a_withheld_month_is_left_out_of_the_trend(self):
        # Eleven months of 20 + t yes of 40, and one month (the fifth) of 9 of 11: withheld in its
        # own month (2 did not say yes), so the trend is fitted on the other eleven only.
        months = [f"2025-{m:02d}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]
        frames = []
        for t, month in enumerate(months):
            cells = (
                [("Parent or carer", "Breckland", 9, 11)]
                if t == 4
                else [("Parent or carer", "Breckland", 20 + t, 40)]
            )
            frames.append(_rows(month, cells))
        trend = outtakes.outtakes(pd.concat(frames, ignore_index=True), "2026-10")["helpful"]["trend"]
        assert trend["months"] == 11 and trend["months_withheld"] == 1
        assert trend["n"] == "440"  # 11 × 40
        t = np.array([t for t in range(12) if t != 4], dtype=float)
        k = np.array([20 + t for t in range(12) if t != 4], dtype=float)
        fit = sm.GLM(np.column_stack([k, 40 - k]), sm.add_constant(t), family=sm.families.Binomial()).fit()
        assert trend["odds_ratio_per_month"] == pytest.approx(math.exp(fit.params[1]), rel=1e-9)
