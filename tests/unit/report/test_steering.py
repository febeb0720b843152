"""The steering group's findings and what they mean: plain words, at most five, saying what each tile says."""

import re

import pytest

from reach.report import steering

# The words the issue bans from the steering paper (model names and statistical jargon).
JARGON = (
    "GLM",
    "Poisson",
    "Wald",
    "χ²",
    "quasi",
    "counterfactual",
    "placebo",
    "q-value",
    "Wilson",
    "p-value",
)
STATUS_LABELS = {"green": "On track", "amber": "Watch", "red": "Below target", "none": "No status"}


def _tile(key, status, value, target=None, comparisons=(), unit="share", label="A measure", **extra):
    return {
        "key": key,
        "label": label,
        "unit": unit,
        "value": value,
        "target": target,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "comparisons": list(comparisons),
        "note": None,
        **extra,
    }


LAST_MONTH = "last month (September 2026)"

HELPFUL_RISING_BUT_WATCH = _tile(
    "helpful",
    "amber",
    {"estimate": 0.88, "low": 0.78, "high": 0.94, "n": "60"},
    {"target": 0.9, "floor": 0.75},
    [
        {
            "key": "previous_month",
            "label": LAST_MONTH,
            "value": {"estimate": 0.73, "low": 0.59, "high": 0.83},
            "change": {"estimate": 0.154, "low": 0.0055, "high": 0.3053, "verdict": "rise"},
        }
    ],
    label="Found the information helpful",
)
COVERAGE_RED = _tile(
    "coverage",
    "red",
    {"estimate": 0.3, "low": 0.2, "high": 0.4},
    {"target": 0.5, "floor": 0.45},
    label="Families with a newborn reached",
)
ENGAGEMENT_BETWEEN = _tile(
    "engagement_rate",
    "amber",
    {"estimate": 0.55, "low": 0.52, "high": 0.58, "sessions": 1434},
    {"target": 0.6, "floor": 0.5},
    [
        {
            "key": "previous_month",
            "label": LAST_MONTH,
            "value": {"estimate": 0.53, "low": 0.5, "high": 0.56},
            "change": {"estimate": 0.02, "low": None, "high": None, "verdict": "descriptive"},
        }
    ],
    label="Engaged visits to the web pages",
)
REACH_RANGE = _tile(
    "reach_people",
    "green",
    {"estimate": None, "low": 1200, "high": 2600},
    {"target": 1000, "floor": None},
    [
        {
            "key": "previous_month",
            "label": LAST_MONTH,
            "value": {"estimate": None, "low": 1100, "high": 2400},
            "change": {"estimate": None, "low": None, "high": None, "verdict": "not comparable"},
        }
    ],
    unit="people",
    label="People reached online",
)
CAMPAIGN_UNCLEAR = _tile(
    "campaign_effect",
    "amber",
    {"estimate": -0.05, "low": -0.2, "high": 0.1, "method": "structural time-series counterfactual"},
    {"target": 0.1, "floor": None},
    unit="relative",
    label="Latest campaign: extra web page views",
    campaign={
        "campaign": "ssw-2026",
        "name": "Safer Sleep Week 2026",
        "start": "2026-09-07",
        "end": "2026-09-20",
        "primary_method": "counterfactual",
        "placebo_finds_effect": True,
    },
)
HELPFUL_NO_FIGURE = _tile(
    "helpful",
    "none",
    {"estimate": None, "low": None, "high": None, "reason": "nobody answered the feedback form", "n": "0"},
    {"target": 0.9, "floor": 0.75},
    label="Found the information helpful",
)


def glance(*tiles):
    return {"month": "2026-10", "tiles": list(tiles)}


class TestFindings:
    def test_a_clear_rise_beside_a_watch_status_says_both_without_contradiction(self):
        (finding,) = steering.findings(glance(HELPFUL_RISING_BUT_WATCH))
        assert finding == (
            "88% (95% interval 78% to 94%) of the people who answered the feedback form in October 2026 (about 60) "
            "found the information helpful. They chose to answer, so they may not speak for everyone reached. "
            "Watch: the 95% interval reaches across the target of 90%, so the data cannot yet say whether the target "
            "was met. A clear rise (+15 points) compared with last month (September 2026), when it was 73%."
        )

    def test_below_the_floor(self):
        (finding,) = steering.findings(glance(COVERAGE_RED))
        assert (
            "Below target: the whole 95% interval is below the floor of 45%, the level at which the partnership "
            "agreed to act."
        ) in finding
        assert finding.startswith(
            "30% (95% interval 20% to 40%) of Norfolk families with a newborn remembered"
        )

    def test_between_floor_and_target_and_an_untested_difference(self):
        (finding,) = steering.findings(glance(ENGAGEMENT_BETWEEN))
        assert finding.startswith(
            "55% (95% interval 52% to 58%) of the 1,434 visits to the safer-sleep web pages"
        )
        assert (
            "Watch: the 95% interval lies between the floor of 50% and the target of 60%, so it is above the floor "
            "but short of the target."
        ) in finding
        assert finding.endswith(
            "Compared with last month (September 2026), when it was 53%, it moved (+2 points); we cannot say "
            "whether that is more than chance."
        )

    def test_a_range_is_called_a_range_and_judged_whole(self):
        (finding,) = steering.findings(glance(REACH_RANGE))
        assert finding == (
            "Between 1,200 and 2,600 people saw at least one safer-sleep web page, video or post in October 2026, "
            "each person counted once. It is a range because we cannot yet tell how many people saw more than one "
            "of them. On track: the whole range is at or above the target of 1,000. For last month (September 2026) "
            "it was 1,100 to 2,400 (also a range), so the two cannot be compared closely."
        )

    def test_campaign_in_plain_words_with_its_caution(self):
        (finding,) = steering.findings(glance(CAMPAIGN_UNCLEAR))
        assert finding == (
            "During Safer Sleep Week 2026 (7 to 20 September 2026) its web pages had 5% fewer views than expected "
            "had there been no campaign (95% interval 20% fewer to 10% more). This counts page views, not people. "
            "A check on dates with no campaign found a change as well, so treat this figure with caution. "
            "Watch: the 95% interval reaches across the target of 10% more, so the data cannot yet say whether the "
            "target was met."
        )
        assert "ssw-2026" not in finding  # the campaign's name, never its identifier

    def test_a_floor_of_no_change_is_said_in_words(self):
        tile = {**CAMPAIGN_UNCLEAR, "target": {"target": 0.1, "floor": 0.0}}
        (finding,) = steering.findings(glance(tile))
        assert "reaches across the target of 10% more and the floor of 0% (no change), so" in finding

    def test_no_figure_gives_the_reason_and_no_status(self):
        (finding,) = steering.findings(glance(HELPFUL_NO_FIGURE))
        assert finding == (
            "Found the information helpful: no figure for October 2026 (nobody answered the feedback form). "
            "No status: there is no 95% interval this month to judge it against the target."
        )

    def test_a_missing_source_note_is_kept(self):
        tile = {**REACH_RANGE, "note": "Made without all its sources: GA4 daily: no export."}
        (finding,) = steering.findings(glance(tile))
        assert finding.endswith("Made without all its sources: GA4 daily: no export.")

    def test_at_most_five(self):
        tiles = [
            REACH_RANGE,
            COVERAGE_RED,
            ENGAGEMENT_BETWEEN,
            HELPFUL_RISING_BUT_WATCH,
            CAMPAIGN_UNCLEAR,
            REACH_RANGE,
        ]
        assert len(steering.findings(glance(*tiles))) == 5

    @pytest.mark.parametrize(
        "tile",
        [
            HELPFUL_RISING_BUT_WATCH,
            COVERAGE_RED,
            ENGAGEMENT_BETWEEN,
            REACH_RANGE,
            CAMPAIGN_UNCLEAR,
            HELPFUL_NO_FIGURE,
        ],
        ids=lambda t: f"{t['key']}-{t['status']}",
    )
    def test_each_finding_states_its_tiles_status_and_no_other(self, tile):
        (finding,) = steering.findings(glance(tile))
        assert f"{tile['status_label']}:" in finding
        for label in set(STATUS_LABELS.values()) - {tile["status_label"]}:
            assert label not in finding

    def test_no_jargon_or_model_names(self):
        tiles = [REACH_RANGE, COVERAGE_RED, ENGAGEMENT_BETWEEN, HELPFUL_RISING_BUT_WATCH, CAMPAIGN_UNCLEAR]
        text = " ".join(steering.findings(glance(*tiles)) + steering.partnership(glance(*tiles)))
        for word in JARGON:
            assert not re.search(re.escape(word), text, re.I), word
        assert "structural" not in text  # the tile's method is never named


class TestPartnership:
    def test_statuses_named_attention_unsettled_campaign_and_limits(self):
        items = steering.partnership(
            glance(REACH_RANGE, COVERAGE_RED, HELPFUL_RISING_BUT_WATCH, CAMPAIGN_UNCLEAR)
        )
        assert items[0] == (
            "Of the 4 headline measures, 1 on track (people reached online); 2 to watch (finding the information "
            "helpful and the latest campaign's extra page views); 1 below target (families with a newborn reached)."
        )
        assert items[1] == (
            "Needs the partnership's attention: families with a newborn reached, below the agreed floor this month."
        )
        assert items[2].startswith("Whether families find the information helpful enough is not yet clear")
        assert "The latest campaign's effect is uncertain" in items[2]
        assert items[3] == (
            "Safer Sleep Week 2026 did not clearly change views of its web pages: its effect cannot be told from "
            "normal ups and downs. A check on dates with no campaign found a change as well, so this is uncertain."
        )
        assert items[4] == steering.LIMITS
        assert "sudden unexpected infant deaths" in steering.LIMITS

    def test_a_clear_campaign_effect_is_evidence_of_attention_not_behaviour(self):
        clear = {
            **CAMPAIGN_UNCLEAR,
            "status": "green",
            "status_label": "On track",
            "value": {"estimate": 0.64, "low": 0.19, "high": 1.65},
            "campaign": {**CAMPAIGN_UNCLEAR["campaign"], "placebo_finds_effect": False},
        }
        items = steering.partnership(glance(clear))
        assert items[1] == (
            "Safer Sleep Week 2026 clearly drew more views of its web pages than expected without it: evidence that "
            "the campaign brought people to the advice, though not that they followed it."
        )

    def test_nothing_below_target_means_no_attention_item(self):
        items = steering.partnership(glance(REACH_RANGE))
        assert items == ["Of the headline measure, 1 on track (people reached online).", steering.LIMITS]
