import copy

import pandas as pd
import pytest

from reach.summary import glance
from tests.unit.glance_cases import (
    GLANCE_IMPACT,
    GLANCE_REACH,
    GLANCE_SETTINGS,
    GLANCE_TABLES,
    _feedback,
)


class TestRagStatus:
    @pytest.mark.parametrize(
        ("low", "high", "status"),
        [
            (0.80, 0.95, "green"),  # whole interval at or above the target 0.80
            (0.79, 0.95, "amber"),  # reaches across the target
            (0.65, 0.75, "amber"),  # between floor 0.6 and target 0.8
            (0.55, 0.70, "amber"),  # reaches across the floor
            (0.40, 0.59, "red"),  # whole interval below the floor
            (None, None, "none"),  # no interval
        ],
    )
    def test_judged_from_the_whole_interval(self, low, high, status):
        assert glance.rag_status(low, high, 0.8, 0.6) == status

    def test_no_target_gives_no_status_and_no_floor_never_red(self):
        assert glance.rag_status(0.1, 0.2, None, None) == "none"
        assert glance.rag_status(0.1, 0.2, 0.8, None) == "amber"

    def test_floor_above_target_is_an_error(self):
        with pytest.raises(ValueError, match="floor"):
            glance.rag_status(0.5, 0.6, 0.5, 0.7)


class TestHelpfulShare:
    def test_share_with_rounded_count(self):
        answers = ["Yes"] * 9 + ["No"] * 8 + ["Not sure", None]
        result = glance.helpful_share(_feedback("2026-10", answers), "2026-10")
        assert result["estimate"] == pytest.approx(9 / 18)
        assert result["n"] == "20"  # 18 answers rounded to the nearest 5
        assert result["reason"] is None

    def test_percentage_from_a_small_complement_is_hidden(self):
        # 9 of 11 said yes: shown as "10" answering and 82 %, it would give away the 2 who did not.
        result = glance.helpful_share(_feedback("2026-10", ["Yes"] * 9 + ["No", "Not sure", None]), "2026-10")
        assert result["estimate"] is None and result["low"] is None and result["n"] == "10"

    def test_seven_answers_are_hidden(self):
        result = glance.helpful_share(_feedback("2026-10", ["Yes"] * 6 + ["No"]), "2026-10")
        assert result["estimate"] is None and result["low"] is None
        assert result["n"] == "*"
        assert "fewer than 8" in result["reason"]

    def test_percentage_from_a_small_numerator_is_hidden(self):
        # 3 of 20 said yes: the numerator is 1-7, so the percentage would disclose it.
        result = glance.helpful_share(_feedback("2026-10", ["Yes"] * 3 + ["No"] * 17), "2026-10")
        assert result["estimate"] is None and result["n"] == "20"

    def test_nobody_answered(self):
        assert (
            glance.helpful_share(_feedback("2026-10", []), "2026-10")["reason"]
            == "nobody answered the feedback form"
        )


class TestGlance:
    @pytest.fixture
    def result(self):
        return glance.glance(
            GLANCE_TABLES, "2026-10", GLANCE_SETTINGS, {"impact": GLANCE_IMPACT}, reach_by_month=GLANCE_REACH
        )

    def test_five_tiles_in_order_with_months(self, result):
        assert [t["key"] for t in result["tiles"]] == [
            "reach_people", "coverage", "engagement_rate", "helpful", "campaign_effect"
        ]  # fmt: skip
        assert (result["previous_month"], result["same_month_last_year"]) == ("2026-09", "2025-10")

    def test_statuses_follow_the_interval_rule(self, result):
        status = {t["key"]: (t["status"], t["status_label"]) for t in result["tiles"]}
        assert status["reach_people"] == ("green", "On track")  # 1,200-2,600 all >= 1,000
        assert status["coverage"] == ("green", "On track")  # 50%-70% all >= 50%
        assert status["helpful"] == ("amber", "Watch")  # 90% of 80: Wilson 81.5%-94.8% crosses 90%
        assert status["campaign_effect"] == ("green", "On track")  # +15% to +50% all >= +10%
        tile = result["tiles"][0]
        assert tile["status_reason"] == "whole interval at or above the target of 1,000"

    def test_each_tile_says_which_comparison_its_status_is_judged_on(self, result):
        basis = {t["key"]: t["status_basis"] for t in result["tiles"]}
        assert basis["helpful"] == (
            "Judged on October 2026's 95% interval against the target, not on the changes below"
        )
        assert basis["campaign_effect"] == (
            "Judged on the campaign's 95% interval against the target, not on the previous campaign"
        )

    def test_reach_change_uses_interval_overlap(self, result):
        last_month, last_year = result["tiles"][0]["comparisons"]
        assert last_month["label"] == "last month (September 2026)"
        assert last_month["change"]["verdict"] == "rise"  # 1,200 > 1,100: the intervals do not overlap
        assert last_month["change"]["estimate"] == 900
        assert last_year["change"]["verdict"] == "not comparable"
        assert last_year["value"]["reason"] == "no web, video or social export for this month"

    def test_engagement_rate_and_its_change(self, result):
        tile = result["tiles"][2]
        assert tile["value"]["estimate"] == pytest.approx(0.7)  # 140 of 200 sessions
        assert tile["value"]["sessions"] == 200
        change = tile["comparisons"][0]["change"]
        assert change["estimate"] == pytest.approx(0.2)  # 70% - 50%
        # No daily sessions: sessions cluster, so the difference is shown but not tested.
        assert change["verdict"] == "descriptive" and change["low"] is None and change["p_value"] is None

    def test_helpful_change_and_hidden_year_ago(self, result):
        tile = result["tiles"][3]
        assert tile["value"]["n"] == "80"
        assert "_successes" not in tile["value"]  # unrounded counts never leave the function
        assert tile["comparisons"][0]["change"]["estimate"] == pytest.approx(0.4)  # 90% - 50%
        # Not a prespecified primary comparison this month: not called a rise, however clear.
        assert tile["comparisons"][0]["change"]["verdict"] == "consistent with chance"
        year_ago = tile["comparisons"][1]
        assert year_ago["value"]["estimate"] is None and year_ago["value"]["n"] == "*"
        assert year_ago["change"]["verdict"] == "not comparable"

    def test_helpful_change_is_a_rise_only_when_the_months_family_judges_it_so(self):
        impact = copy.deepcopy(GLANCE_IMPACT)
        impact["multiplicity"] = {"tests": [
            {"test": "helpful.change", "p_value": 0.0001, "q_value": 0.0005, "primary": True, "verdict": "rise"}
        ]}  # fmt: skip
        result = glance.glance(
            GLANCE_TABLES, "2026-10", GLANCE_SETTINGS, {"impact": impact}, reach_by_month=GLANCE_REACH
        )
        last_month = result["tiles"][3]["comparisons"][0]["change"]
        assert (last_month["verdict"], last_month["q_value"]) == ("rise", 0.0005)

    def test_campaign_tile_is_the_latest_campaign_against_the_one_before(self, result):
        tile = result["tiles"][4]
        assert tile["campaign"]["name"] == "Autumn <push>"
        assert tile["value"]["estimate"] == 0.3
        (before,) = tile["comparisons"]
        assert before["label"] == "the previous campaign (Spring week)"
        assert before["change"]["verdict"] == "no clear change"  # 15%-50% overlaps 10%-90%
        assert "previous campaign" in tile["note"]

    def test_campaign_tile_uses_each_campaigns_primary_answer(self):
        impact = copy.deepcopy(GLANCE_IMPACT)
        impact["campaigns"][0]["primary_method"] = "time_series"  # "late" chose the time series
        impact["campaigns"][1]["primary_method"] = "counterfactual"
        its = {"series": "web_daily_views:late", "rate_ratio": 1.5, "low": 1.2, "high": 1.9, "method": "its"}
        impact["its"] = [
            {**its, "primary": True},
            {
                **its,
                "series": "web_daily_views:early",
                "rate_ratio": 1.1,
                "low": 0.9,
                "high": 1.3,
                "primary": False,
            },
        ]
        impact["counterfactual"][1]["placebo"] = {"finds_effect": True}
        result = glance.glance(
            GLANCE_TABLES, "2026-10", GLANCE_SETTINGS, {"impact": impact}, reach_by_month=GLANCE_REACH
        )
        tile = result["tiles"][4]
        # Rate ratio 1.5 (1.2 to 1.9) is +50% (+20% to +90%).
        assert tile["value"]["estimate"] == pytest.approx(0.5)
        assert (tile["value"]["low"], tile["value"]["high"]) == (pytest.approx(0.2), pytest.approx(0.9))
        assert tile["value"]["method"] == "its" and tile["campaign"]["primary_method"] == "time_series"
        assert tile["campaign"]["placebo_finds_effect"] is False
        (before,) = tile["comparisons"]
        assert before["value"]["estimate"] == 0.4  # "early" chose the counterfactual
        assert tile["status"] == "green"  # +20% to +90% all >= +10%

    def test_campaign_tile_warns_when_a_placebo_finds_an_effect(self):
        impact = copy.deepcopy(GLANCE_IMPACT)
        impact["counterfactual"][0]["placebo"] = {"finds_effect": True}
        result = glance.glance(
            GLANCE_TABLES, "2026-10", GLANCE_SETTINGS, {"impact": impact}, reach_by_month=GLANCE_REACH
        )
        tile = result["tiles"][4]
        assert tile["campaign"]["placebo_finds_effect"]
        assert "A check on dates with no campaign found a change as well" in tile["note"]

    def test_without_impact_or_targets_there_is_no_status(self):
        result = glance.glance(GLANCE_TABLES, "2026-10", {}, {}, reach_by_month=GLANCE_REACH)
        assert {t["status"] for t in result["tiles"]} == {"none"}
        campaign = result["tiles"][4]
        assert campaign["value"]["estimate"] is None
        assert campaign["value"]["reason"] == "the impact estimates were not computed"
        assert campaign["status_reason"] == "no target is set for this measure"
        assert campaign["status_basis"] == "No target is set, so there is no status"

    def test_does_not_modify_inputs(self):
        before = GLANCE_TABLES["feedback"].copy()
        glance.glance(GLANCE_TABLES, "2026-10", GLANCE_SETTINGS, {}, reach_by_month=GLANCE_REACH)
        pd.testing.assert_frame_equal(GLANCE_TABLES["feedback"], before)
