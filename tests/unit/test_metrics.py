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


# ---------------------------------------------------------------------------------------------
# Issue 6: "At a glance" tiles and the numbers behind the report's charts.
# Expected values are worked out by hand in the comments (Wilson by the formula of methods.md §5.1).
# ---------------------------------------------------------------------------------------------


class TestShiftMonth:
    @pytest.mark.parametrize(
        ("month", "by", "expected"),
        [
            ("2026-10", -1, "2026-09"),
            ("2026-01", -1, "2025-12"),
            ("2026-10", -12, "2025-10"),
            ("2026-12", 1, "2027-01"),
        ],
    )
    def test_moves_across_year_ends(self, month, by, expected):
        assert metrics.shift_month(month, by) == expected


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
        assert metrics.rag_status(low, high, 0.8, 0.6) == status

    def test_no_target_gives_no_status_and_no_floor_never_red(self):
        assert metrics.rag_status(0.1, 0.2, None, None) == "none"
        assert metrics.rag_status(0.1, 0.2, 0.8, None) == "amber"

    def test_floor_above_target_is_an_error(self):
        with pytest.raises(ValueError, match="floor"):
            metrics.rag_status(0.5, 0.6, 0.5, 0.7)


class TestFormatting:
    def test_values(self):
        assert metrics.format_value(1787.6, "people") == "1,788"
        assert metrics.format_value(0.7716, "share") == "77%"
        assert metrics.format_value(-0.05, "relative") == "-5%"
        assert metrics.format_value(None, "share") == "–"

    def test_changes_in_people_and_points(self):
        assert metrics.format_change(-232, "people") == "-232"
        assert metrics.format_change(0.154, "share") == "+15 points"
        assert metrics.format_change(0.01, "share") == "+1 point"
        assert metrics.format_change_interval(0.0055, 0.3053, "share") == "+1 to +31 points"
        assert metrics.format_change_interval(-120, 1340, "people") == "-120 to +1,340"


class TestCompareIntervals:
    def test_separate_intervals_are_a_clear_change(self):
        now, before = {"estimate": 10, "low": 8, "high": 12}, {"estimate": 5, "low": 4, "high": 7}
        assert metrics.compare_intervals(now, before)["verdict"] == "rise"
        assert metrics.compare_intervals(before, now)["verdict"] == "fall"
        assert metrics.compare_intervals(now, before)["estimate"] == 5

    def test_overlapping_intervals_are_no_clear_change(self):
        result = metrics.compare_intervals(
            {"estimate": 1788, "low": 1020, "high": 3136}, {"estimate": 1477, "low": 1061, "high": 2057}
        )
        assert result["verdict"] == "no clear change"
        assert result["estimate"] == 311
        assert result["low"] is None and result["high"] is None

    def test_missing_figure_is_not_comparable(self):
        assert (
            metrics.compare_intervals({"estimate": None}, {"estimate": 5, "low": 4, "high": 6})["verdict"]
            == "not comparable"
        )


class TestCompareProportions:
    def test_newcombe_reference_and_verdict(self):
        # methods.md §5.1: Newcombe difference 7/34 vs 1/34 is 0.019 to 0.34 (Fagerland et al. 2015).
        result = metrics.compare_proportions(7, 34, 1, 34)
        assert result["estimate"] == pytest.approx(6 / 34)
        assert result["low"] == pytest.approx(0.019, abs=0.005)
        assert result["high"] == pytest.approx(0.34, abs=0.005)
        assert result["verdict"] == "rise"
        assert "Newcombe" in result["method"]

    def test_same_share_is_no_clear_change_and_empty_month_not_comparable(self):
        assert metrics.compare_proportions(5, 10, 5, 10)["verdict"] == "no clear change"
        assert metrics.compare_proportions(5, 10, 0, 0)["verdict"] == "not comparable"


PAGES = pd.DataFrame(
    {
        "month": ["2026-10", "2026-10", "2026-10", "2026-09"],
        "asset_id": ["A", "B", None, "A"],
        "sessions": [100, 50, 1000, 40],
        "engagement_rate": [0.6, 0.4, 0.9, 0.5],
    }
)


class TestWebEngagementRate:
    def test_pools_registered_pages_by_sessions(self):
        # Engaged = 0.6·100 + 0.4·50 = 80 of 150 sessions (the unregistered page is left out).
        # Wilson 80/150, z = 1.96: centre 0.532501, half-width 0.078836 -> 0.45367 to 0.61134.
        result = metrics.web_engagement_rate(PAGES, "2026-10")
        assert (result["engaged"], result["sessions"]) == (80, 150)
        assert result["estimate"] == pytest.approx(80 / 150)
        assert result["low"] == pytest.approx(0.45366, abs=1e-4)
        assert result["high"] == pytest.approx(0.61134, abs=1e-4)

    def test_month_without_sessions_has_no_figure(self):
        result = metrics.web_engagement_rate(PAGES, "2026-08")
        assert result["sessions"] == 0 and result["estimate"] is None and result["low"] is None


def _feedback(month: str, answers: list) -> pd.DataFrame:
    return pd.DataFrame({"month": [month] * len(answers), "helpful": answers})


class TestHelpfulShare:
    def test_share_with_rounded_count(self):
        result = metrics.helpful_share(
            _feedback("2026-10", ["Yes"] * 9 + ["No", "Not sure", None]), "2026-10"
        )
        assert result["estimate"] == pytest.approx(9 / 11)
        assert result["n"] == "10"  # 11 answers rounded to the nearest 5
        assert result["reason"] is None

    def test_seven_answers_are_hidden(self):
        result = metrics.helpful_share(_feedback("2026-10", ["Yes"] * 6 + ["No"]), "2026-10")
        assert result["estimate"] is None and result["low"] is None
        assert result["n"] == "*"
        assert "fewer than 8" in result["reason"]

    def test_percentage_from_a_small_numerator_is_hidden(self):
        # 3 of 20 said yes: the numerator is 1-7, so the percentage would disclose it.
        result = metrics.helpful_share(_feedback("2026-10", ["Yes"] * 3 + ["No"] * 17), "2026-10")
        assert result["estimate"] is None and result["n"] == "20"

    def test_nobody_answered(self):
        assert (
            metrics.helpful_share(_feedback("2026-10", []), "2026-10")["reason"]
            == "nobody answered the feedback form"
        )


def _reach_block(estimate, low, high, cov=None):
    cov = cov or (None, 0.0, 1.0)
    return {
        "combined": {"estimate": estimate, "low": low, "high": high, "method": "test method"},
        "coverage": {"births_in_period": 600, "estimate": cov[0], "low": cov[1], "high": cov[2]},
        "by_district": [],
    }


GLANCE_TABLES = {
    "web_pages": pd.DataFrame(
        {
            "month": ["2026-10", "2026-09", "2025-10"],
            "asset_id": ["A", "A", "A"],
            "sessions": [200, 100, 100],
            "engagement_rate": [0.7, 0.5, 0.7],
        }
    ),
    "feedback": pd.concat(
        [
            _feedback("2026-10", ["Yes"] * 27 + ["No"] * 3),  # 90% of 30
            _feedback("2026-09", ["Yes"] * 15 + ["No"] * 15),  # 50% of 30
            _feedback("2025-10", ["Yes"] * 4 + ["No"]),  # 5 answers: hidden
        ],
        ignore_index=True,
    ),
}
GLANCE_REACH = {
    "2026-10": _reach_block(1800, 1200, 2600, (0.6, 0.5, 0.7)),
    "2026-09": _reach_block(900, 700, 1100, (0.55, 0.4, 0.7)),
    "2025-10": _reach_block(None, None, None),
    "2025-09": _reach_block(None, None, None),
    "2024-10": _reach_block(None, None, None),
}
GLANCE_IMPACT = {
    "campaigns": [
        {
            "campaign": "late",
            "name": "Autumn <push>",
            "start": "2026-10-12",
            "end": "2026-10-25",
            "post_start": "2026-10-12",
            "post_end": "2026-10-25",
        },
        {"campaign": "early", "name": "Spring week", "start": "2026-03-09", "end": "2026-03-22"},
    ],
    "counterfactual": [
        {
            "campaign": "late",
            "rel_effect": 0.3,
            "rel_low": 0.15,
            "rel_high": 0.5,
            "actual": 26.0,
            "predicted": 20.0,
        },
        {
            "campaign": "early",
            "rel_effect": 0.4,
            "rel_low": 0.1,
            "rel_high": 0.9,
            "actual": 28.0,
            "predicted": 20.0,
        },
    ],
}
GLANCE_SETTINGS = {
    "targets": {
        "reach_people": {"target": 1000, "floor": 500},
        "coverage": {"target": 0.5, "floor": 0.3},
        "engagement_rate": {"target": 0.6, "floor": 0.45},
        "helpful": {"target": 0.9, "floor": 0.75},
        "campaign_effect": {"target": 0.1, "floor": 0.0},
    }
}


class TestGlance:
    @pytest.fixture
    def result(self):
        return metrics.glance(
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
        assert status["helpful"] == ("amber", "Watch")  # 90% of 30: Wilson 74.4%-96.5% crosses 90%
        assert status["campaign_effect"] == ("green", "On track")  # +15% to +50% all >= +10%
        tile = result["tiles"][0]
        assert tile["status_reason"] == "whole interval at or above the target of 1,000"

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
        assert change["verdict"] == "rise"

    def test_helpful_change_and_hidden_year_ago(self, result):
        tile = result["tiles"][3]
        assert tile["value"]["n"] == "30"
        assert "_successes" not in tile["value"]  # unrounded counts never leave the function
        assert tile["comparisons"][0]["change"]["estimate"] == pytest.approx(0.4)  # 90% - 50%
        assert tile["comparisons"][0]["change"]["verdict"] == "rise"
        year_ago = tile["comparisons"][1]
        assert year_ago["value"]["estimate"] is None and year_ago["value"]["n"] == "*"
        assert year_ago["change"]["verdict"] == "not comparable"

    def test_campaign_tile_is_the_latest_campaign_against_the_one_before(self, result):
        tile = result["tiles"][4]
        assert tile["campaign"]["name"] == "Autumn <push>"
        assert tile["value"]["estimate"] == 0.3
        (before,) = tile["comparisons"]
        assert before["label"] == "the previous campaign (Spring week)"
        assert before["change"]["verdict"] == "no clear change"  # 15%-50% overlaps 10%-90%
        assert "previous campaign" in tile["note"]

    def test_without_impact_or_targets_there_is_no_status(self):
        result = metrics.glance(GLANCE_TABLES, "2026-10", {}, {}, reach_by_month=GLANCE_REACH)
        assert {t["status"] for t in result["tiles"]} == {"none"}
        campaign = result["tiles"][4]
        assert campaign["value"]["estimate"] is None
        assert campaign["value"]["reason"] == "the impact estimates were not computed"
        assert campaign["status_reason"] == "no target is set for this measure"

    def test_does_not_modify_inputs(self):
        before = GLANCE_TABLES["feedback"].copy()
        metrics.glance(GLANCE_TABLES, "2026-10", GLANCE_SETTINGS, {}, reach_by_month=GLANCE_REACH)
        pd.testing.assert_frame_equal(GLANCE_TABLES["feedback"], before)


class TestGlanceSentences:
    def test_every_figure_in_words_with_its_interval(self):
        result = metrics.glance(
            GLANCE_TABLES, "2026-10", GLANCE_SETTINGS, {"impact": GLANCE_IMPACT}, reach_by_month=GLANCE_REACH
        )
        text = " ".join(metrics.glance_sentences(result))
        assert "In October 2026 between 1,200 and 2,600 people saw at least one safer-sleep" in text
        assert (
            "Between 50% and 70% of Norfolk families with a newborn (about 600 births in the month)" in text
        )
        assert "a clear rise, the two intervals do not overlap" in text
        assert (
            "During Autumn <push> (12 to 25 October 2026) the campaign's web pages had 30% more views" in text
        )
        assert "(95% interval 15% more to 50% more)" in text
        assert "Status against the targets: 4 On track, 1 Watch." in text

    def test_missing_figures_say_why(self):
        result = metrics.glance(GLANCE_TABLES, "2025-10", {}, {}, reach_by_month=GLANCE_REACH)
        text = " ".join(metrics.glance_sentences(result))
        assert "could not be estimated: no web, video or social export for this month" in text
        assert "The share finding the information helpful is not shown for October 2025" in text


class TestChangeText:
    def test_newcombe_change_in_points(self):
        comparison = {
            "value": {"estimate": 0.73, "low": 0.59, "high": 0.83},
            "change": {"estimate": 0.154, "low": 0.0055, "high": 0.3053, "verdict": "rise"},
        }
        assert metrics.change_text(comparison, "share") == (
            "73% (59% to 83%); +15 points (95% interval +1 to +31 points): a clear rise, "
            "the interval of the change excludes zero"
        )

    def test_overlap_change_in_people(self):
        comparison = {
            "value": {"estimate": 1477, "low": 1061, "high": 2057},
            "change": {"estimate": 311.0, "low": None, "high": None, "verdict": "no clear change"},
        }
        assert metrics.change_text(comparison, "people") == (
            "1,477 (1,061 to 2,057); +311: no clear change, the two intervals overlap"
        )


class TestHelpfulTrend:
    def test_one_row_per_month_with_hidden_small_months(self):
        feedback = pd.concat(
            [_feedback("2026-08", ["Yes"] * 8 + ["No"] * 2), _feedback("2026-10", ["Yes"] * 3)],
            ignore_index=True,
        )
        trend = metrics.helpful_trend(feedback, "2026-10", months=3)
        assert list(trend["month"]) == ["2026-08", "2026-09", "2026-10"]
        assert trend["estimate"].iloc[0] == pytest.approx(0.8)
        assert list(trend["answers"]) == ["10", "0", "*"]
        assert trend["estimate"].isna().tolist() == [False, True, True]


class TestAssetLeague:
    def test_ranks_with_change_and_missing_previous(self):
        now = pd.DataFrame(
            {"asset_id": ["a", "b", "c"], "asset_title": ["A", "B", "C"], "views": [50, 200, 50]}
        )
        before = pd.DataFrame({"asset_id": ["a", "b"], "asset_title": ["A", "B"], "views": [40, 250]})
        league = metrics.asset_league(now, before, "views")
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
        steps = metrics.funnel_steps(summary, self._tables(12), "2026-10")
        assert [s["step"] for s in steps] == [
            "People reached online", "Engaged visits to the web pages", "Answered the feedback form",
            "Said they will change something",
        ]  # fmt: skip
        assert [s["shown"] for s in steps] == ["1,800", "80", "25", "10"]  # 23 -> 25, 12 -> 10
        assert (steps[0]["low"], steps[0]["high"]) == (1200, 2600)
        assert all(s["source"] for s in steps)

    def test_small_count_is_suppressed(self):
        summary = {"reach": {"combined": {"estimate": None, "low": None, "high": None}}}
        steps = metrics.funnel_steps(summary, self._tables(5), "2026-10")
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
        frame = metrics.district_coverage(reach)
        assert frame["coverage"].iloc[0] == pytest.approx(0.87)
        assert list(frame["families"]) == ["85", "*"]
        assert list(frame["births"]) == ["100", "*"]  # 98 -> 100; 6 is 1-7
        assert list(frame["suppressed"]) == [False, True]
        assert frame[["coverage", "low", "high"]].iloc[1].isna().all()


class TestTrackingGaps:
    def test_missing_days_and_exports_are_listed(self):
        days = pd.date_range("2026-02-01", "2026-02-28", freq="D")
        kept = [d for d in days if d.day not in (5, 6)]
        tables = {
            "web_daily": pd.DataFrame({"month": "2026-02", "date": kept}),
            "web_pages": pd.DataFrame({"month": ["2026-01"]}),
            "feedback": pd.DataFrame({"month": ["2026-02"]}),
        }
        gaps = metrics.tracking_gaps(tables, "2026-02")
        assert gaps == [
            "GA4 Pages and screens: no export for the month",
            "GA4 daily page views: 2 of 28 days missing (5, 6 February)",
        ]


class TestDataCaveats:
    def test_topics_in_order_with_counts(self):
        tables = {
            "inputs": pd.DataFrame(
                {
                    "path": ["2026-10/ga4/a.csv", "2026-10/ga4/b.csv", "2026-09/x.csv"],
                    "role": ["raw export"] * 3,
                    "warnings": ["GA4 folded rare values into an '(other)' row (line 9)", "", "x"],
                }
            ),
            "unmatched": pd.DataFrame(
                {"month": ["2026-10", "2026-10"], "measure": ["views", "sessions"], "value": [30, 4]}
            ),
            "restatements": pd.DataFrame({"table": ["web_daily", "video"]}),
            "notes": pd.DataFrame({"source": ["feedback"], "note": ["<b>2 rows</b> kept"]}),
        }
        summary = {"data_quality": {"quarantined_rows": 3}, "impact": {"notes": ["no counterfactual"]}}
        items = metrics.data_caveats(tables, "2026-10", summary)
        assert [i["topic"] for i in items] == [
            "Tracking gaps", "Rows set aside", "Pages, videos and posts not in the asset registry",
            "Restated values", "GA4 '(other)' rows and thresholding", "Warnings when reading the files",
            "Note on feedback", "Not estimated",
        ]  # fmt: skip
        text = {i["topic"]: i["text"] for i in items}
        assert text["Rows set aside"].startswith("3 rows could not be used")
        assert text["Pages, videos and posts not in the asset registry"].startswith(
            "2 identifiers this month (30 views)"
        )
        assert text["Restated values"].startswith("2 values were changed by a later export (1 of them GA4")
        assert "In 1 of this month's files" in text["GA4 '(other)' rows and thresholding"]
        assert (
            text["Warnings when reading the files"]
            == "1 of the 2 files for this month had warnings; they are in the file table below."
        )
