from __future__ import annotations

import copy

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
        assert "no clear change: the interval includes zero" in text
        assert "Campaign One" in text
        assert "No clear change: the interval includes a rate ratio of 1" in text  # partner 0.98-1.06
        assert "does not show what families do" in text
        assert "not people" in text
        assert "Not estimated: c2" in text
        assert "not shown" in text  # a suppressed group
        assert all(isinstance(s, str) and s for s in sentences)


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
        assert "could not be estimated: no web, video or social export for this month" in text
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
