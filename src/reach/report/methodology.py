"""The plain-English methodology section of the report."""

from __future__ import annotations

import html

from IPython.display import HTML


def methodology(settings: dict) -> HTML:
    """Plain-English summary of every method named in the report, with the settings in force.

    Parameters
    ----------
    settings : dict
        Settings (``reach.consent_rate``, ``suppression``, ``impact`` thresholds, ``confidence_level``).

    Returns
    -------
    IPython.display.HTML
        Sub-sections (``h3``) of the Methodology section.
    """
    reach = settings.get("reach") or {}
    consent = reach.get("consent_rate") or {"low": 0.45, "high": 0.85}
    impact = settings.get("impact") or {}
    rule = settings.get("suppression") or {}
    high, round_to = int(rule.get("high", 7)), int(rule.get("round_to", 5))
    level = f"{float(settings.get('confidence_level', 0.95)):.0%}"
    min_n = int(impact.get("outtakes_min_n", 10))
    themes_min = int(impact.get("themes_min_n", 10))
    survey_min = int(reach.get("survey_min_respondents", 30))
    parents_min = int(reach.get("survey_min_parents", 15))
    sections = [
        (
            "How to read the figures",
            [
                f"<strong>Intervals.</strong> Every estimate has a {level} interval: the range in which the true value "
                "very probably lies. The best estimate is only the most likely value inside it; the interval is the "
                "honest answer. Counts a platform records (views, sessions, watch time) are counts, not estimates, so "
                "they have no interval, but they are not numbers of people: one person can view many times.",
                "<strong>Changes.</strong> For shares of answers or sessions (found helpful, engaged visits) the "
                "change between two months has its own interval (Newcombe's method, below); the change is called clear "
                "only when that interval excludes zero. Reach and coverage are estimated by separate models each "
                "month, so their change has no interval of its own: it is called clear only when the two months' "
                "intervals do not overlap. That is cautious: a real change can hide inside overlapping intervals.",
                "<strong>Status (red, amber, green).</strong> Each headline figure is judged against a target and a "
                "floor agreed for the report (table below), using the whole interval, never the best estimate alone: "
                "<em>On track</em> (green, tick) when the whole interval is at or above the target; <em>Below "
                "target</em> (red, cross) when the whole interval is below the floor; <em>Watch</em> (amber, "
                "exclamation mark) otherwise, because the interval reaches across the target or the floor or lies "
                "between them and the data cannot yet say which side we are on; <em>No status</em> (grey, dash) when "
                "there is no interval that month or no target. A small month's chance variation therefore cannot turn "
                "a tile green or red on its own. The label and the icon's shape always say the same as the colour.",
            ],
        ),
        (
            "Reach: counting people, not views",
            [
                "<strong>Consent adjustment.</strong> Google Analytics (GA4) only counts visitors who accept analytics "
                f"cookies. The tracked visitors are divided by the share who accept, which is only known as a range "
                f"({consent['low']:.0%} to {consent['high']:.0%}), so the web figure is a range too.",
                "<strong>Page bounds.</strong> GA4 counts a person once per page. The people who saw an asset lie "
                "between its busiest page (everyone saw that page) and the sum over its pages (no one saw two). Where "
                "only such bounds are known, the best estimate is their geometric midpoint. Facebook post reach and "
                "YouTube viewers per video are bounded the same way.",
                "<strong>Survey-based duplication.</strong> The same parent may see the web page, the video and a "
                "post. The feedback form asks where people saw safer-sleep information; among respondents who saw at "
                "least one online channel, the share who saw each channel shows how much the channels overlap (if 60% "
                "saw the web page and 1,200 people visited it, about 2,000 were reached in all). Respondents tend to "
                "be the more engaged, so the limits are set cautiously. It needs at least "
                f"{survey_min} respondents reached online (otherwise months are pooled, or only bounds are given).",
                "<strong>Log-linear capture–recapture.</strong> The pattern of channels the respondents saw is also "
                "fitted with a log-linear model (as used to estimate hidden populations from overlapping lists), which "
                "estimates how many people the channels draw from.",
                "<strong>Random duplication.</strong> 1 − (1 − r₁)(1 − r₂)(1 − r₃), where r is each channel's share "
                "of that population: it assumes people see channels independently. When the same people use several "
                "channels it overstates reach, so it is only a reference, never the headline.",
                "<strong>Families with a newborn (Chapman).</strong> Coverage is the share of answering Norfolk parents "
                "who saw an online channel, times the share of families reached by any source. The second share is "
                "estimated by two-source capture–recapture (Chapman's estimator) between parents reached online and "
                f"parents reached offline (leaflets, health visitors). It needs at least {parents_min} parents. "
                "Families reached = coverage × births in the month; district births are illustrative, and district "
                "figures borrow strength from the county rate, so their intervals are wide.",
            ],
        ),
        (
            "Feedback: shares of answers",
            [
                "<strong>Wilson interval.</strong> A share of answers (for example 53 of 60 found the information "
                "helpful) has a Wilson score interval, which stays sensible with small numbers and near 0% or 100%. "
                "Engagement rates use it too, treating each session as a yes/no trial. People chose to answer, so "
                "the answers may not speak for everyone reached.",
                "<strong>Newcombe interval.</strong> The change in a share between two months has Newcombe's hybrid "
                "score interval for the difference of two proportions.",
                f"Shares are not shown for groups with fewer than {min_n} answers. The 12-month trend in a share is "
                "tested with a logistic regression on month.",
            ],
        ),
        (
            "Impact: did campaigns change anything?",
            [
                "<strong>Interrupted time series (quasi-Poisson).</strong> A regression of the monthly (or daily) "
                "counts on time, with a step when the campaign starts. The step's rate ratio says how much higher the "
                "series was than its earlier trend predicts (1 = no change). 'Quasi-Poisson' allows the counts to vary "
                "more than pure chance would, which widens the interval honestly. A before-and-after comparison of one "
                "series cannot rule out other things that changed at the same time.",
                "<strong>Structural time-series counterfactual.</strong> For each campaign, a model learnt from the "
                "days before it predicts the campaign pages' daily views from the pages the campaign did not promote; "
                "the gap between actual and predicted views during the campaign is the estimated effect. It follows "
                "Google's CausalImpact but is fitted by maximum likelihood: its central estimates should agree "
                "closely with CausalImpact, its intervals only approximately. It counts page views by people who "
                "accept cookies, not people, and not what they understood or did.",
            ],
        ),
        (
            "Keeping families safe: disclosure control",
            [
                "<strong>NHS small-number suppression.</strong> Counts of people below county level, and counts of "
                f"feedback answers, follow NHS England's rule: 0 stays 0, 1 to {high} is shown as *, and anything "
                f"else is rounded to the nearest {round_to}. A percentage is hidden when the count above or below it "
                "is hidden. Intervals and model estimates are worked out on the unrounded numbers, as the rule allows "
                "for such calculations.",
                "<strong>Free text.</strong> Comments are shown only after names, email addresses, phone numbers and "
                f"postcodes are removed, only for themes with at least {themes_min} comments, and always as plain "
                "text.",
            ],
        ),
    ]
    body = "".join(
        f"<h3>{html.escape(title)}</h3>" + "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        for title, paragraphs in sections
    )
    return HTML(f'<div class="reach-methodology">{body}</div>')
