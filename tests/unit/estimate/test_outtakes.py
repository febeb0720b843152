from __future__ import annotations

import pandas as pd
import pytest

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
        for h in ["Yes"] * 9 + ["No"] * 2 + ["Not sure"]
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

    def test_overall_groups_and_suppression(self):
        result = outtakes.outtakes(_hand_month(), "2026-10", min_n=10)
        helpful = result["helpful"]
        # 12 of 15 said yes; 15 is shown rounded to 5 ("15").
        assert helpful["overall"]["estimate"] == pytest.approx(12 / 15)
        assert helpful["overall"]["n"] == "15"
        assert set(helpful["overall"]) == {"estimate", "low", "high", "n"}
        # Parents: 9 of 12; Wilson by hand: centre (p + z²/2n)/(1 + z²/n), half-width
        # z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n) -> 0.46769 to 0.91106. n = 12 is shown as "10".
        parents = helpful["by_respondent_type"]["Parent or carer"]
        assert parents["estimate"] == pytest.approx(0.75)
        assert (parents["low"], parents["high"]) == pytest.approx((0.4676947, 0.9110583), abs=1e-6)
        assert parents["n"] == "10"
        # Three professionals: suppressed, count shown as "*".
        assert helpful["by_respondent_type"]["Professional"] == {
            "estimate": None,
            "low": None,
            "high": None,
            "n": "*",
        }
        assert helpful["by_district"]["Norwich"]["estimate"] is None
        # Intends change: 0 of 15 -> numerator 0 is not hidden by the NHS rule.
        assert result["intends_change"]["overall"]["estimate"] == 0.0

    def test_numerator_of_one_to_seven_is_suppressed(self):
        rows = [("Parent or carer", "Breckland", "Yes", ALL3, "Yes, I will change something")] * 5
        rows += [("Parent or carer", "Breckland", "No", ALL3, "No")] * 15
        result = outtakes.outtakes(_responses("2026-10", rows), "2026-10", min_n=10)
        assert result["helpful"]["overall"]["estimate"] is None  # 5 of 20: the 5 would be "*"
        assert result["helpful"]["overall"]["n"] == "20"

    def test_month_on_month_change_uses_newcombe(self):
        # 27/34 this month vs 33/34 last month is the complement of Newcombe's 7/34 vs 1/34
        # example, so the interval is (-0.34, -0.019).
        this = [("Parent or carer", "Breckland", "Yes" if i < 27 else "No", ALL3, "No") for i in range(34)]
        last = [("Parent or carer", "Breckland", "Yes" if i < 33 else "No", ALL3, "No") for i in range(34)]
        frame = pd.concat([_responses("2026-09", last), _responses("2026-10", this)], ignore_index=True)
        change = outtakes.outtakes(frame, "2026-10")["helpful"]["change"]
        assert change["estimate"] == pytest.approx(-6 / 34)
        assert (change["low"], change["high"]) == pytest.approx((-0.34, -0.019), abs=0.005)

    def test_trend_test(self):
        rising = outtakes.trend_test([10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 43], [50] * 12)
        assert rising["odds_ratio_per_period"] > 1 and rising["p_value"] < 0.001
        flat = outtakes.trend_test([25] * 12, [50] * 12)  # identical proportions: slope exactly 0
        assert flat["odds_ratio_per_period"] == pytest.approx(1.0, abs=1e-9)
        assert flat["p_value"] == pytest.approx(1.0, abs=1e-9)
        few = outtakes.trend_test([1, 2], [5, 5])
        assert few["p_value"] is None and few["periods"] == 2

    def test_input_not_changed(self):
        frame = _hand_month()
        before = frame.copy()
        outtakes.outtakes(frame, "2026-10")
        pd.testing.assert_frame_equal(frame, before)
