from __future__ import annotations

import pytest

from reach.estimate import multiplicity

# Benjamini & Hochberg (1995), section 4: the 15 p-values of the myocardial-infarction study.
BH_1995 = [
    0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
    0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000,
]  # fmt: skip

# The step-up procedure by hand: sort, take m·p(i)/i, then the running minimum from the largest
# p down (q(i) = min over j >= i of m·p(j)/j), capped at 1. With m = 15:
#   m·p/i = 0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0695, 0.0638571, 0.0645, 0.0765,
#           0.486, 0.5811818, 0.714875, 0.7532308, 0.8132143, 1
#   q     = 0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571, 0.0638571, 0.0645, 0.0765,
#           0.486, 0.5811818, 0.714875, 0.7532308, 0.8132143, 1
BH_1995_Q = [
    0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571, 0.0638571, 0.0645, 0.0765,
    0.486, 0.5811818, 0.714875, 0.7532308, 0.8132143, 1.0,
]  # fmt: skip


class TestQValues:
    def test_textbook_step_up_example(self):
        q = multiplicity.bh_qvalues(BH_1995)
        assert q == pytest.approx(BH_1995_Q, abs=1e-6)
        # The paper rejects the four smallest at a false discovery rate of 0.05.
        assert sum(value < 0.05 for value in q) == 4

    def test_order_given_is_kept_and_missing_p_values_are_not_counted(self):
        # Two tests (m = 2): 0.04 → 2·0.04/2 = 0.04; 0.01 → min(2·0.01/1, 0.04) = 0.02.
        assert multiplicity.bh_qvalues([0.04, None, 0.01]) == pytest.approx([0.04, None, 0.02])
        assert multiplicity.bh_qvalues([]) == []
        assert multiplicity.bh_qvalues([None]) == [None]


def _tests() -> list[dict]:
    # m = 4: q = 0.001·4/1 = 0.004; 0.02·4/2 = 0.04; 0.03·4/3 = 0.04; 0.5·4/4 = 0.5.
    return [
        {"test": "key_messages.change", "p_value": 0.001, "estimate": -0.2},
        {"test": "helpful.change", "p_value": 0.02, "estimate": 0.1},
        {"test": "helpful.trend", "p_value": 0.03, "estimate": 0.05},
        {"test": "intends_change.change", "p_value": 0.5, "estimate": 0.01},
    ]


class TestMonthFamily:
    def test_primary_with_small_q_is_a_change_and_the_same_comparison_not_primary_is_chance(self):
        family = multiplicity.month_family(_tests(), ["key_messages.change", "intends_change.change"])
        rows = {row["test"]: row for row in family["tests"]}
        assert rows["key_messages.change"]["q_value"] == pytest.approx(0.004)
        assert rows["key_messages.change"]["verdict"] == "fall" and rows["key_messages.change"]["primary"]
        # q = 0.04 < 0.05 but not prespecified: consistent with chance (exploratory).
        assert rows["helpful.change"]["q_value"] == pytest.approx(0.04)
        assert rows["helpful.change"]["verdict"] == "consistent with chance"
        assert rows["helpful.change"]["primary"] is False
        # Prespecified but q = 0.5: consistent with chance.
        assert rows["intends_change.change"]["verdict"] == "consistent with chance"
        again = multiplicity.month_family(_tests(), ["intends_change.change"])
        assert multiplicity.verdict_of(again, "key_messages.change")["verdict"] == "consistent with chance"
        assert family["tests_in_family"] == 4 and family["false_discovery_rate"] == pytest.approx(0.05)
        assert set(family["tests"][0]) == {"test", "p_value", "q_value", "primary", "verdict"}

    def test_q_not_p_decides(self):
        # Alone, p = 0.03 would pass at 5 %; with 0.04 and 0.045 beside it every q is 0.045.
        tests = [
            {"test": "a", "p_value": 0.03, "estimate": 1.0},
            {"test": "b", "p_value": 0.04, "estimate": 1.0},
            {"test": "c", "p_value": 0.045, "estimate": 1.0},
        ]
        assert multiplicity.month_family(tests[:1], ["a"])["tests"][0]["verdict"] == "rise"
        family = multiplicity.month_family(tests, ["a"])
        assert family["tests"][0]["q_value"] == pytest.approx(0.045)
        assert family["tests"][0]["verdict"] == "rise"
        family = multiplicity.month_family(
            [
                *tests,
                {"test": "d", "p_value": 0.9, "estimate": 1.0},
                {"test": "e", "p_value": 0.8, "estimate": 1.0},
            ],
            ["a"],
        )
        # m = 5: q(a) = min(5·0.03/1, 5·0.04/2, 5·0.045/3, 5·0.8/4, 5·0.9/5) = 0.075 > 0.05.
        assert family["tests"][0]["q_value"] == pytest.approx(0.075)
        assert family["tests"][0]["verdict"] == "consistent with chance"

    def test_untested_comparisons_are_left_out_and_named_when_primary(self):
        tests = [*_tests(), {"test": "key_messages.trend", "p_value": None, "estimate": None}]
        family = multiplicity.month_family(tests, ["key_messages.trend", "key_messages.change"], level=0.9)
        assert [row["test"] for row in family["tests"]] == [t["test"] for t in _tests()]
        assert family["primary_not_tested"] == ["key_messages.trend"]
        assert family["false_discovery_rate"] == pytest.approx(0.1)
        assert multiplicity.verdict_of(family, "key_messages.trend") is None

    def test_direction_can_be_given_for_ratios_and_no_direction_is_no_change(self):
        tests = [
            {"test": "its:x", "p_value": 0.001, "direction": "rise"},
            {"test": "zero", "p_value": 0.001, "estimate": 0.0},
        ]
        rows = multiplicity.month_family(tests, ["its:x", "zero"])["tests"]
        assert [row["verdict"] for row in rows] == ["rise", "consistent with chance"]

    def test_duplicate_names_are_refused(self):
        with pytest.raises(ValueError, match="unique"):
            multiplicity.month_family([_tests()[0], _tests()[0]], [])
