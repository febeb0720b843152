"""The plain-English methodology section of the report, rendered from ``templates/methodology.html.j2``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from IPython.display import HTML

from reach.config import impact_settings, resolve_settings, setting
from reach.core.disclosure import NHS_RULE

TEMPLATE = Path(__file__).resolve().parent / "templates" / "methodology.html.j2"


def methodology_values(settings: Mapping[str, Any] | None) -> dict[str, str]:
    """The settings the methodology text quotes, formatted for reading.

    Parameters
    ----------
    settings : Mapping, optional
        Settings (``reach.consent_rate``, ``suppression``, ``impact`` thresholds, ``confidence_level``);
        a setting left out takes its default from :mod:`reach.config`.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> values = methodology_values({"reach": {"consent_rate": {"low": 0.5, "high": 0.9}}})
    >>> values["consent_low"], values["consent_high"], values["level"], values["high"]
    ('50%', '90%', '95%', '7')
    """
    reach = resolve_settings(settings)
    impact = impact_settings(settings)
    rule = {**NHS_RULE, **(setting(settings, "suppression") or {})}
    return {
        "level": f"{float(setting(settings, 'confidence_level')):.0%}",
        "consent_low": f"{reach['consent_rate']['low']:.0%}",
        "consent_high": f"{reach['consent_rate']['high']:.0%}",
        "survey_min": str(int(reach["survey_min_respondents"])),
        "parents_min": str(int(reach["survey_min_parents"])),
        "min_n": str(int(impact["outtakes_min_n"])),
        "themes_min": str(int(impact["themes_min_n"])),
        "high": str(int(rule["high"])),
        "round_to": str(int(rule["round_to"])),
    }


def methodology(settings: Mapping[str, Any] | None) -> HTML:
    """Plain-English summary of every method named in the report, with the settings in force.

    Parameters
    ----------
    settings : Mapping, optional
        As for :func:`methodology_values`.

    Returns
    -------
    IPython.display.HTML
        Sub-sections (``h3``) of the Methodology section.

    Examples
    --------
    >>> "95% interval" in methodology({}).data
    True
    """
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE.parent), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return HTML(environment.get_template(TEMPLATE.name).render(**methodology_values(settings)))
