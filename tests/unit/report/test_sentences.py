from __future__ import annotations

import copy

import pandas as pd

from reach.estimate import outtakes
from reach.report import sentences
from reach.report import sentences as report_sentences
from reach.summary import glance
from tests.unit.glance_cases import (
    GLANCE_IMPACT,
    GLANCE_REACH,
    GLANCE_SETTINGS,
    GLANCE_TABLES,
)

# ---------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------


def _leaf(estimate, n="60"):
    return {
        "estimate": estimate,
        "low": None if estimate is None else estimate - 0.1,
        "high": None if estimate is None else estimate + 0.1,
        "n": n,
    }


def _hand_summary() -> dict:
    measure = {
        "label": "",
        "overall": _leaf(0.5),
        "by_respondent_type": {"Other": _leaf(None, "*")},
        "by_district": {},
        "previous_month": _leaf(0.45),
        "change": {"estimate": 0.05, "low": -0.1, "high": 0.2, "n": "60", "n_previous": "60", "method": ""},
        "trend": {
            "odds_ratio_per_month": 1.0,
            "low": 0.9,
            "high": 1.1,
            "p_value": 0.6,
            "months": 12,
            "n": "600",
            "method": "",
        },
    }
    return {
        "month": "2026-10",
        "level": 0.95,
        "outtakes": {
            "month": "2026-10",
            "min_n": 10,
            **{m: copy.deepcopy(measure) for m in outtakes.MEASURE_LABELS},
        },
        "its": [
            {
                "series": "partner:visits_assessed",
                "rate_ratio": 1.02,
                "low": 0.98,
                "high": 1.06,
                "method": "",
            },
            {"series": "web_daily_views:c1", "rate_ratio": 1.6, "low": 1.4, "high": 1.8, "method": ""},
        ],
        "counterfactual": [
            {
                "campaign": "c1",
                "actual": 30.0,
                "predicted": 28.0,
                "predicted_sd": 2.0,
                "predicted_low": 24.1,
                "predicted_high": 31.9,
                "abs_effect": 2.0,
                "rel_effect": 0.07,
                "rel_low": -0.06,
                "rel_high": 0.24,
                "actual_cumulative": 420.0,
                "predicted_cumulative": 392.0,
            }  # fmt: skip
        ],
        "campaigns": [{"campaign": "c1", "name": "Campaign One"}],
        "precision": [],
        "themes": None,
        "notes": ["c2: only 10 days before the campaign (at least 28 needed)"],
    }


class TestSentences:
    def test_plain_english_with_limits(self):
        sentences = report_sentences.impact_sentences(_hand_summary())
        text = " ".join(sentences)
        # No multiplicity verdict on the hand-made change: exploratory, never "a real change".
        assert "changed by +5 percentage points (95% CI -10 to +20" in text
        assert "consistent with chance (exploratory: not chosen in advance)" in text
        assert "Campaign One" in text
        assert "No clear change: the interval includes a rate ratio of 1" in text  # partner 0.98-1.06
        assert "does not show what families do" in text
        assert "not people" in text
        assert "Not estimated: c2" in text
        assert "not shown" in text  # a suppressed group
        assert all(isinstance(s, str) and s for s in sentences)


def _cf_row(campaign, rel, low, high, **extra):
    return {
        "campaign": campaign, "actual": 28.0, "predicted": 20.0, "predicted_sd": 2.0, "predicted_low": 16.1,
        "predicted_high": 23.9, "abs_effect": 8.0, "rel_effect": rel, "rel_low": low, "rel_high": high,
        "actual_cumulative": 392.0, "predicted_cumulative": 280.0, **extra,
    }  # fmt: skip


def _campaign_summary() -> dict:
    quiet = {"in_time": {"post_start": "2026-02-23", "rel_effect": 0.02, "rel_low": -0.2, "rel_high": 0.3,
                         "excludes_zero": False},
             "pages": [{"page": "p1", "rel_effect": 0.1, "rel_low": -0.1, "rel_high": 0.3, "excludes_zero": False}],
             "pages_excluding_zero": 0.0, "finds_effect": False}  # fmt: skip
    found = copy.deepcopy(quiet)
    found["in_time"].update(rel_effect=0.3, rel_low=0.1, rel_high=0.55, excludes_zero=True)
    found["finds_effect"] = True
    summary = _hand_summary()
    summary["its"] = [
        {"series": "web_daily_views:c1", "rate_ratio": 1.38, "low": 0.98, "high": 1.94, "method": "", "primary": False},
        {"series": "web_daily_views:c2", "rate_ratio": 1.64, "low": 1.25, "high": 2.16, "method": "", "primary": True},
    ]  # fmt: skip
    summary["counterfactual"] = [
        _cf_row("c1", 0.40, 0.11, 0.90, primary=True, placebo=quiet, mde={"rel_effect": 0.38, "power": 0.8}),
        _cf_row("c2", 0.37, 0.18, 0.64, primary=False, placebo=found, mde={"rel_effect": 0.23, "power": 0.8}),
        _cf_row("c3", 0.05, -0.1, 0.2, primary=True),
    ]
    summary["campaigns"] = [
        {"campaign": "c1", "name": "Campaign One", "primary_method": "counterfactual", "prespecified": True,
         "agreement": {"agree": False,
                       "reason": "the counterfactual finds a clear change and the time series does not"}},
        {"campaign": "c2", "name": "Campaign Two", "primary_method": "time_series", "prespecified": True,
         "agreement": {"agree": True, "reason": "both intervals exclude no change and they overlap"}},
        {"campaign": "c3", "name": "Campaign Three", "primary_method": "counterfactual", "prespecified": False},
    ]  # fmt: skip
    return summary


class TestCampaignSentences:
    def test_primary_leads_then_checks_then_the_robustness_check(self):
        text = report_sentences.impact_sentences(_campaign_summary())
        one = [
            s for s in text if "Campaign One" in s or s.startswith(("Placebo", "This design", "Robustness"))
        ]
        lead = next(i for i, s in enumerate(text) if s.startswith("Campaign One, main answer"))
        assert text[lead] == (
            "Campaign One, main answer (counterfactual, chosen before the campaign): the campaign's web pages had "
            "28.0 views a day during the campaign; without it the model predicts 20.0 (95% interval 16.1 to 23.9), "
            "an estimated change of +8.0 views a day (+40%, 95% interval +11% to +90%): a clear rise: the whole "
            "interval is above no change."
        )
        assert one
        following = text[lead + 1 : lead + 5]
        assert following[0].startswith("Placebo checks found nothing where there was no campaign: a fake campaign "
                                       "start on 23 February 2026 gave +2%")  # fmt: skip
        assert following[1] == (
            "This design could only have detected a rise of about 38% or more (with 80% power at the 95% level); "
            "a smaller real effect would usually show as no clear change."
        )
        assert following[2].startswith("Robustness check (interrupted time series): daily views")
        assert "1.38 times (95% CI 0.98 to 1.94)" in following[2] and "no clear change" in following[2]
        assert following[3].startswith(
            "The two methods disagree: the counterfactual finds a clear change and the time series does not."
        )

    def test_time_series_primary_and_a_placebo_that_finds_an_effect(self):
        text = report_sentences.impact_sentences(_campaign_summary())
        lead = next(i for i, s in enumerate(text) if s.startswith("Campaign Two, main answer"))
        assert text[lead].startswith(
            "Campaign Two, main answer (interrupted time series, chosen before the campaign)"
        )
        assert "1.64 times (95% CI 1.25 to 2.16)" in text[lead] and "a clear rise" in text[lead]
        assert text[lead + 1] == (
            "Placebo checks found a change where there was no campaign: a fake campaign start on 23 February 2026, "
            "before the real one, gave +30% (95% interval +10% to +55%). So the counterfactual's estimate is not "
            "distinguishable from normal variation in these pages."
        )
        assert text[lead + 2].startswith(
            "The counterfactual design could only have detected a rise of about 23%"
        )
        assert text[lead + 3].startswith(
            "Robustness check (counterfactual): the campaign's web pages had 28.0"
        )
        assert text[lead + 4] == "The two methods agree: both intervals exclude no change and they overlap."

    def test_not_prespecified_is_said(self):
        text = " ".join(report_sentences.impact_sentences(_campaign_summary()))
        assert (
            "Campaign Three: no primary method was chosen before the campaign (campaigns.csv leaves primary_method "
            "blank), so the counterfactual is taken as the main answer: the campaign's web pages had" in text
        )
        assert "(+5%, 95% interval -10% to +20%): no clear change: the interval includes no change." in text

    def test_placebo_pages_that_move_are_named(self):
        summary = _campaign_summary()
        page = {"page": "p1", "rel_effect": 0.41, "rel_low": 0.1, "rel_high": 0.96, "excludes_zero": True}
        summary["counterfactual"][0]["placebo"]["pages"] = [page]
        text = " ".join(report_sentences.impact_sentences(summary))
        assert (
            "1 of 1 pages the campaign did not promote, each treated as if it were the campaign page, also changed "
            "(p1 +41% (+10% to +96%))" in text
        )
        assert (
            "So the campaign's estimate is not distinguishable from normal variation in these pages." in text
        )


class TestGlanceSentences:
    def test_every_figure_in_words_with_its_interval(self):
        result = glance.glance(
            GLANCE_TABLES, "2026-10", GLANCE_SETTINGS, {"impact": GLANCE_IMPACT}, reach_by_month=GLANCE_REACH
        )
        text = " ".join(sentences.glance_sentences(result))
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
        result = glance.glance(GLANCE_TABLES, "2025-10", {}, {}, reach_by_month=GLANCE_REACH)
        text = " ".join(sentences.glance_sentences(result))
        assert "could not be worked out: no web, video or social export for this month" in text
        assert "The share finding the information helpful is not shown for October 2025" in text


class TestChangeText:
    def test_newcombe_change_in_points(self):
        comparison = {
            "value": {"estimate": 0.73, "low": 0.59, "high": 0.83},
            "change": {"estimate": 0.154, "low": 0.0055, "high": 0.3053, "verdict": "rise"},
        }
        assert sentences.change_text(comparison, "share") == (
            "73% (59% to 83%); +15 points (95% interval +1 to +31 points): a clear rise, "
            "the interval of the change excludes zero"
        )

    def test_overlap_change_in_people(self):
        comparison = {
            "value": {"estimate": 1477, "low": 1061, "high": 2057},
            "change": {"estimate": 311.0, "low": None, "high": None, "verdict": "no clear change"},
        }
        assert sentences.change_text(comparison, "people") == (
            "1,477 (1,061 to 2,057); +311: no clear change, the two intervals overlap"
        )


# ---------------------------------------------------------------------------------------
# Multiplicity wording: clear only for a prespecified primary with a small q
# ---------------------------------------------------------------------------------------


def _judged(measure_change: dict, trend: dict | None = None) -> list[str]:
    summary = _hand_summary()
    block = summary["outtakes"]["key_messages"]
    block["change"].update(measure_change)
    if trend:
        block["trend"].update(trend)
    return report_sentences._outtake_sentences(summary["outtakes"], "2026-10", "October 2026", "95%")


class TestJudgedSentences:
    def test_primary_with_small_q_is_a_clear_change(self):
        text = " ".join(_judged({"estimate": 0.2, "low": 0.05, "high": 0.35, "q_value": 0.004, "primary": True,
                                 "verdict": "rise"}))  # fmt: skip
        assert (
            "the share who ticked all three key safer-sleep messages and no wrong option changed by +20 percentage "
            "points (95% CI +5 to +35; respondents differ from month to month): a clear rise (chosen in advance, and "
            "clear after allowing for the month's other tests, q = 0.004 across the month's tests)."
        ) in text

    def test_same_comparison_not_primary_is_consistent_with_chance(self):
        text = " ".join(_judged({"estimate": 0.2, "low": 0.05, "high": 0.35, "q_value": 0.004, "primary": False,
                                 "verdict": "consistent with chance"}))  # fmt: skip
        assert "+20 percentage points (95% CI +5 to +35" in text
        assert "consistent with chance (exploratory: not chosen in advance, q = 0.004" in text
        assert "clear rise" not in text and "real change" not in text

    def test_primary_with_large_q_is_consistent_with_chance(self):
        text = " ".join(_judged({"q_value": 0.2, "primary": True, "verdict": "consistent with chance"}))
        assert "consistent with chance (chosen in advance, but not clear once the month's other tests" in text

    def test_rose_steadily_only_for_a_judged_trend(self):
        rising = {"odds_ratio_per_month": 1.2, "low": 1.1, "high": 1.3, "p_value": 0.0001}
        exploratory = " ".join(_judged({}, {**rising, "q_value": 0.001, "verdict": "consistent with chance"}))
        assert "steadily" not in exploratory
        assert "the fitted trend in the share who ticked all three" in exploratory
        assert "is upward (odds ratio 1.20 a month, 95% CI 1.10 to 1.30): consistent" in exploratory
        judged = " ".join(_judged({}, {**rising, "q_value": 0.001, "primary": True, "verdict": "rise"}))
        assert (
            "rose steadily (odds ratio 1.20 a month" in judged and "a clear rise (chosen in advance" in judged
        )

    def test_engagement_rate_change_is_a_difference_only_when_not_tested(self):
        engaged = {
            "web_by_theme": [{"theme": "sleep", "engagement_rate": 0.62}],
            "rate_changes": [{"theme": "sleep", "comparison": "previous_month", "estimate": 0.05,
                              "rate_reference": 0.57, "descriptive": True}],
        }  # fmt: skip
        text = " ".join(report_sentences._engagement_sentences(engaged, "October 2026"))
        assert (
            "62% of sessions were engaged in October 2026 (+5 points on the previous month, a difference only)."
            in text
        )
        assert "Changes in engagement rates are differences only, not tested: sessions cluster by day" in text
        assert "clear" not in text

    def test_multiplicity_sentence_names_the_primaries(self):
        family = {"tests_in_family": 6, "false_discovery_rate": 0.05,
                  "primary": ["key_messages.change", "intends_change.change"],
                  "primary_not_tested": ["intends_change.change"]}  # fmt: skip
        (text,) = report_sentences._multiplicity_sentences(family)
        assert text.startswith(
            "How changes are judged: this month's 6 statistical tests were judged together"
        )
        assert "the month-on-month change in the share who ticked all three key safer-sleep messages" in text
        assert (
            "Not testable this month (a share not shown, or no answers): the month-on-month change in the "
            in text
        )

    def test_change_text_for_chance_and_descriptive_comparisons(self):
        chance = {
            "value": {"estimate": 0.73, "low": 0.59, "high": 0.83},
            "change": {"estimate": 0.154, "low": 0.0055, "high": 0.3053, "verdict": "consistent with chance",
                       "q_value": 0.2, "primary": True},
        }  # fmt: skip
        assert sentences.change_text(chance, "share").endswith(
            "consistent with chance, chosen in advance, but not clear once the month's other tests are allowed for, "
            "q = 0.200 across the month's tests"
        )
        described = {
            "value": {"estimate": 0.6, "low": None, "high": None},
            "change": {"estimate": 0.02, "low": None, "high": None, "verdict": "descriptive"},
        }
        assert sentences.change_text(described, "share") == (
            "60%; +2 points: a difference only, not tested (no test allows for how these figures cluster)"
        )


class TestExplainUnavailable:
    READINESS = pd.DataFrame(
        [
            {"source": "ga4_pages", "label": "GA4 pages", "headline": True, "status": "unusable",
             "detail": "Pages.csv: covers 24 Feb 2026 to 23 Mar 2026", "fix": ""},
            {"source": "youtube", "label": "YouTube videos", "headline": True, "status": "missing",
             "detail": "no file", "fix": ""},
            {"source": "meta_posts", "label": "Meta posts", "headline": True, "status": "present",
             "detail": "posts.csv: 4 rows", "fix": ""},
            {"source": "feedback", "label": "Family feedback", "headline": True, "status": "missing",
             "detail": "no file", "fix": ""},
        ]
    )  # fmt: skip

    def test_a_tile_with_an_unusable_export_says_why_not_no_export(self):
        result = glance.glance(GLANCE_TABLES, "2025-10", {}, {}, reach_by_month=GLANCE_REACH)
        explained = sentences.explain_unavailable(result, self.READINESS)
        reach = next(t for t in explained["tiles"] if t["key"] == "reach_people")
        assert reach["value"]["reason"] == (
            "no usable export for the month: GA4 pages: an export was there but could not be used "
            "(Pages.csv: covers 24 Feb 2026 to 23 Mar 2026); YouTube videos: no export"
        )
        text = " ".join(sentences.glance_sentences(explained))
        assert "no web, video or social export" not in text
        assert "could not be worked out: no usable export for the month: GA4 pages" in text

    def test_a_tile_whose_sources_are_only_missing_keeps_its_reason(self):
        result = glance.glance(GLANCE_TABLES, "2025-10", {}, {}, reach_by_month=GLANCE_REACH)
        explained = sentences.explain_unavailable(result, self.READINESS)
        before = {t["key"]: t for t in result["tiles"]}
        after = {t["key"]: t for t in explained["tiles"]}
        assert after["helpful"] == before["helpful"]

    def test_a_tile_with_a_figure_notes_what_it_was_made_without(self):
        result = glance.glance(
            GLANCE_TABLES, "2026-10", GLANCE_SETTINGS, {"impact": GLANCE_IMPACT}, reach_by_month=GLANCE_REACH
        )
        explained = sentences.explain_unavailable(result, self.READINESS)
        reach = next(t for t in explained["tiles"] if t["key"] == "reach_people")
        assert reach["value"] == next(t for t in result["tiles"] if t["key"] == "reach_people")["value"]
        assert reach["note"].startswith("Made without all its sources: GA4 pages: an export was there")

    def test_without_a_readiness_table_nothing_changes(self):
        result = glance.glance(GLANCE_TABLES, "2025-10", {}, {}, reach_by_month=GLANCE_REACH)
        assert sentences.explain_unavailable(result, None) == result
