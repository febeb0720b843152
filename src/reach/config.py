"""TODO docstring for config."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reach.core.months import month_end, parse_month
from reach.errors import InputValidationError

#: Settings of the reach estimates, with their defaults (``config/reach.yaml`` → ``reach:``).
DEFAULT_SETTINGS: dict[str, Any] = {
    # Share of web visitors who accept analytics cookies (GA4 sees only them): a range.
    "consent_rate": {"low": 0.45, "high": 0.85},
    # Survey-based duplication needs at least this many respondents who saw >= 1 online channel.
    "survey_min_respondents": 30,
    # Coverage needs at least this many Norfolk parents/carers who answered "where did you see".
    "survey_min_parents": 15,
    # When the month's survey is too small, pool it over this many months (the month included).
    "survey_pool_months": 3,
    # Variant of the random-duplication formula: "random" or "sainsbury_0.95".
    "random_duplication_variant": "random",
    # The GA4 Town/City total may differ from distinct users by this fraction (users seen in two
    # towns are counted twice; thresholded rows are left out).
    "city_total_tolerance": 0.05,
    # Lower limit of video viewers when only views are exported: views / this many views each.
    "video_max_views_per_viewer": 3.0,
    # Absolute allowance added to both ends of the Norfolk share for IP-geolocation error.
    "geo_error": 0.02,
    # Pseudo-respondents given to the county rate in a district's composite point estimate.
    "district_prior_strength": 10,
    # Per-district counts are rounded to this (intervals outwards): the NHS rule's base.
    "district_round_to": 5,
    # Confidence level (the top-level ``confidence_level`` setting is used when present).
    "level": 0.95,
    # Town/City → district lookup (a DataFrame read by the caller from config/town_districts.csv).
    "town_districts": None,
    # Keywords (case-insensitive) that map a "where did you see" option to a channel; every
    # other non-empty option counts as an offline source (leaflet, health visitor, other).
    "survey_channel_keywords": {
        "web": ["website", "web page", "webpage"],
        "video": ["youtube", "video"],
        "social": ["facebook", "instagram", "social media"],
    },
}


def resolve_settings(settings: Mapping[str, Any] | None = None, **overrides: Any) -> dict:
    """Combine the defaults, the ``reach:`` section of the settings and keyword overrides.

    Parameters
    ----------
    settings : Mapping, optional
        The whole settings mapping (:func:`reach.config.load_config`). Its ``reach`` section
        overrides :data:`DEFAULT_SETTINGS`; its top-level ``confidence_level`` sets ``level``.
    **overrides
        Any key of :data:`DEFAULT_SETTINGS`.

    Returns
    -------
    dict
        The settings used.

    Raises
    ------
    ValueError
        For an unknown key or an impossible value (consent outside 0..1, low above high, a
        level outside 0..1, an unknown random-duplication variant).
    """
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULT_SETTINGS.items()}
    settings = settings or {}
    if "confidence_level" in settings:
        out["level"] = float(settings["confidence_level"])
    section = settings.get("reach") or {}
    for source in (section, overrides):
        for key, value in source.items():
            if key not in DEFAULT_SETTINGS:
                raise ValueError(
                    f"unknown reach setting {key!r}; known: {', '.join(sorted(DEFAULT_SETTINGS))}"
                )
            out[key] = value
    consent = out["consent_rate"]
    low, high = float(consent["low"]), float(consent["high"])
    if not 0 < low <= high <= 1:
        raise ValueError(f"consent_rate must satisfy 0 < low <= high <= 1, got {consent!r}")
    out["consent_rate"] = {"low": low, "high": high}
    if not 0 < float(out["level"]) < 1:
        raise ValueError(f"level must lie between 0 and 1, got {out['level']!r}")
    if out["random_duplication_variant"] not in ("random", "sainsbury_0.95"):
        raise ValueError("random_duplication_variant must be 'random' or 'sainsbury_0.95'")
    return out


def project_root() -> Path:
    """Return the project root: ``$REACH_PROJECT_ROOT`` if set, else the checkout holding this package.

    Returns
    -------
    pathlib.Path
        Absolute path of the project root.
    """
    override = os.environ.get("REACH_PROJECT_ROOT")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2]


def sample_dir() -> Path:
    """Return the folder of the bundled synthetic sample (shipped inside the package)."""
    return Path(__file__).resolve().parent / "sample_data"


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    """Load the stable settings from ``config/reach.yaml``.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The YAML file; defaults to ``<project root>/config/reach.yaml``.

    Returns
    -------
    dict
        The settings.

    Raises
    ------
    InputValidationError
        If the file cannot be read or is not a YAML mapping.
    """
    if path is None:
        path = project_root() / "config" / "reach.yaml"
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise InputValidationError(f"cannot read the settings file ({err.strerror})", path=path) from err
    except yaml.YAMLError as err:
        raise InputValidationError(f"the settings file is not valid YAML ({err})", path=path) from err
    if not isinstance(data, dict):
        raise InputValidationError("the settings file must be a YAML mapping of names to values", path=path)
    return _load_setting_files(data)


def _resolve(relative: str) -> Path:
    path = Path(relative)
    return path if path.is_absolute() else project_root() / path


def _load_setting_files(settings: dict[str, Any]) -> dict[str, Any]:
    """Read the files the settings point to, recording their paths under ``setting_files``.

    ``impact.codebook`` (a YAML path) is replaced by the loaded codebook mapping, so the
    settings passed to notebooks are complete and JSON-serialisable; ``town_districts`` stays a
    path (the table is read by :func:`reach.build.build` into the processed store).
    """
    files: dict[str, str] = {}
    impact_section = settings.get("impact")
    if isinstance(impact_section, dict) and isinstance(impact_section.get("codebook"), str):
        codebook_path = _resolve(impact_section["codebook"])
        try:
            codebook = yaml.safe_load(codebook_path.read_text(encoding="utf-8"))
        except OSError as err:
            raise InputValidationError(
                f"cannot read the free-text codebook named by impact.codebook ({err.strerror})",
                path=codebook_path,
            ) from err
        except yaml.YAMLError as err:
            raise InputValidationError(
                f"the free-text codebook is not valid YAML ({err})", path=codebook_path
            ) from err
        if not isinstance(codebook, dict):
            raise InputValidationError("the free-text codebook must be a YAML mapping", path=codebook_path)
        files["codebook"] = impact_section["codebook"]
        settings = {**settings, "impact": {**impact_section, "codebook": codebook}}
    if isinstance(settings.get("town_districts"), str):
        files["town_districts"] = settings["town_districts"]
    return {**settings, "setting_files": files}


def setting_file(settings: Mapping[str, Any], name: str) -> Path | None:
    """Absolute path of a file named in the settings (``codebook``, ``town_districts``), or None.

    Parameters
    ----------
    settings : Mapping
        Settings from :func:`load_config`.
    name : str
        Key under ``setting_files``.

    Returns
    -------
    pathlib.Path or None
    """
    relative = (settings.get("setting_files") or {}).get(name)
    return None if relative is None else _resolve(relative)


@dataclass(frozen=True)
class RunParams:
    """Checked parameters of one report notebook run.

    Attributes
    ----------
    report_month : str
        Reporting month, ISO ``YYYY-MM``.
    processed_dir : str
        Folder of the processed tables for this run.
    sample : bool
        True when the bundled synthetic sample is used.
    summary_path : str
        Where the notebook writes ``summary.json``: absolute, or relative to the folder the
        notebook runs in (``reach run`` runs it in the report folder); empty to write nothing.
    """

    report_month: str
    processed_dir: str
    sample: bool = False
    summary_path: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def month_start(self) -> dt.date:
        """First day of the reporting month."""
        return parse_month(self.report_month)

    @property
    def month_end(self) -> dt.date:
        """Last day of the reporting month."""
        return month_end(self.month_start)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> RunParams:
        """Check notebook parameters (for example ``globals()``) and build a :class:`RunParams`.

        Papermill only warns about unknown parameters, so the notebook calls this straight after
        the parameters cell.

        Parameters
        ----------
        values : Mapping
            Must hold ``report_month`` (str ``YYYY-MM``), ``processed_dir`` (str, an existing
            folder) and ``sample`` (bool); may hold ``summary_path`` (str).

        Returns
        -------
        RunParams

        Raises
        ------
        InputValidationError
            If a parameter is missing, has the wrong type, or names a folder that does not exist.
        """
        if not isinstance(values.get("summary_path", ""), str):
            raise InputValidationError("notebook parameter 'summary_path' must be a str")
        for name, kind in (("report_month", str), ("processed_dir", str), ("sample", bool)):
            if name not in values:
                raise InputValidationError(f"notebook parameter {name!r} is missing")
            if not isinstance(values[name], kind):
                raise InputValidationError(
                    f"notebook parameter {name!r} must be a {kind.__name__}, got {type(values[name]).__name__}"
                )
        parse_month(values["report_month"])
        processed = Path(values["processed_dir"])
        if not processed.is_absolute():
            processed = project_root() / processed
        if not processed.is_dir():
            raise InputValidationError(
                "processed tables folder does not exist; run `reach run` to build it", path=processed
            )
        return cls(values["report_month"], str(processed), values["sample"], values.get("summary_path", ""))


# ---------------------------------------------------------------------------------------
# Defaults (each can be overridden from the ``impact:`` block of config/reach.yaml)
# ---------------------------------------------------------------------------------------

#: The three key safer-sleep messages as the feedback form offers them.
KEY_MESSAGES = (
    "On their back",
    "In a clear, flat cot or Moses basket",
    "In their own sleep space, alone",
)


#: Options that are *not* safer-sleep advice; ticking one means the messages were not stated.
KEY_MESSAGE_DISTRACTORS = ("Swaddled with a loose blanket",)


HELPFUL_YES = "Yes"


INTENDS_CHANGE_YES = "Yes, I will change something"


DEFAULTS: dict[str, Any] = {
    "outtakes_min_n": 10,
    "trend_months": 12,
    "key_messages": list(KEY_MESSAGES),
    "key_message_distractors": list(KEY_MESSAGE_DISTRACTORS),
    "helpful_yes": HELPFUL_YES,
    "intends_change_yes": INTENDS_CHANGE_YES,
    "themes_months": 12,
    "themes_min_n": 10,
    "themes_max_quotes": 3,
    "codebook": None,
    "counterfactual_min_pre_days": 28,
    "counterfactual_max_pre_days": 365,
    "washout_days": 7,
    "counterfactual_controls": "ratio",
    "counterfactual_prior_level_sd": None,
    "its_daily_hac_lags": None,
    "its_min_points": 3,
    "precision_change_pp": 10,
    "precision_power": 0.8,
}


# ---------------------------------------------------------------------------------------
# From processed tables to the "impact" block of summary.json
# ---------------------------------------------------------------------------------------


def _settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    settings = settings or {}
    merged = dict(DEFAULTS)
    merged.update(dict(settings.get("impact") or {}))
    merged["level"] = float(settings.get("confidence_level", 0.95))
    merged["suppression"] = dict(settings.get("suppression") or {})
    return merged
