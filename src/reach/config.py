"""Settings and run parameters: where the project is, the settings file, and notebook parameters.

:func:`load_config` reads ``config/reach.yaml`` (and the files it names, such as the codebook);
the defaults of the ``reach:`` and ``impact:`` sections live here, once each
(:class:`Settings`, :class:`ReachSettings`, :class:`ImpactSettings`); :class:`RunParams` checks the parameters a
report notebook is run with.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from reach.core.disclosure import NHS_RULE
from reach.core.months import month_end, parse_month
from reach.errors import InputValidationError

#: The three key safer-sleep messages as the feedback form offers them.
KEY_MESSAGES = (
    "On their back",
    "In a clear, flat cot or Moses basket",
    "In their own sleep space, alone",
)
#: Options that are *not* safer-sleep advice; ticking one means the messages were not stated.
KEY_MESSAGE_DISTRACTORS = ("Swaddled with a loose blanket",)
#: The answers that count as "helpful" and as "intends to change something".
HELPFUL_YES = "Yes"
INTENDS_CHANGE_YES = "Yes, I will change something"


def _default(value: Any) -> Any:
    """A dataclass field whose default is a fresh copy of a dict or list."""
    return field(default_factory=lambda: copy.deepcopy(value))


@dataclass(frozen=True)
class ReachSettings:
    """The ``reach:`` section of ``config/reach.yaml``, with every default (formulas in docs/methodology.md)."""

    #: Share of web visitors who accept analytics cookies (GA4 sees only them): a range.
    consent_rate: dict = _default({"low": 0.45, "high": 0.85})
    #: Survey-based duplication needs at least this many respondents who saw >= 1 online channel.
    survey_min_respondents: int = 30
    #: Coverage needs at least this many Norfolk parents/carers who answered "where did you see".
    survey_min_parents: int = 15
    #: When the month's survey is too small, pool it over this many months (the month included).
    survey_pool_months: int = 3
    #: Variant of the random-duplication formula: "random" or "sainsbury_0.95".
    random_duplication_variant: str = "random"
    #: The GA4 Town/City total may differ from distinct users by this fraction (users seen in two
    #: towns are counted twice; thresholded rows are left out).
    city_total_tolerance: float = 0.05
    #: Lower limit of video viewers when only views are exported: views / this many views each.
    video_max_views_per_viewer: float = 3.0
    #: Absolute allowance added to both ends of the Norfolk share for IP-geolocation error.
    geo_error: float = 0.02
    #: Most GA4 users, or YouTube viewers, one person may count as (several devices, cleared
    #: cookies): the lower limit of web and video people is divided by it.
    users_per_person_max: float = 1.25
    #: Most the consent rate of Norfolk visitors may differ from other visitors' (a ratio either
    #: way): the Norfolk share's interval allows for it.
    consent_ratio_between_areas: float = 1.25
    #: Recall at the new-birth visit: the chance a family reached remembers an asset (a range) ...
    recall_sensitivity: dict = _default({"low": 0.85, "high": 1.0})
    #: ... and the chance a family not reached "recalls" one (a range); coverage limits allow for both.
    recall_false_rate: dict = _default({"low": 0.0, "high": 0.05})
    #: Per-district counts are rounded to this (intervals outwards): the NHS rule's base.
    district_round_to: int = 5
    #: Keywords (case-insensitive) that map a "where did you see" option to a channel; every
    #: other non-empty option counts as an offline source (leaflet, health visitor, other).
    survey_channel_keywords: dict = _default(
        {
            "web": ["website", "web page", "webpage"],
            "video": ["youtube", "video"],
            "social": ["facebook", "instagram", "social media"],
        }
    )


@dataclass(frozen=True)
class ImpactSettings:
    """The ``impact:`` section of ``config/reach.yaml``, with every default (formulas in docs/methodology.md)."""

    #: Groups with fewer answers than this are not shown.
    outtakes_min_n: int = 10
    #: Months in the trend test of each out-take.
    trend_months: int = 12
    key_messages: list = _default(list(KEY_MESSAGES))
    key_message_distractors: list = _default(list(KEY_MESSAGE_DISTRACTORS))
    helpful_yes: str = HELPFUL_YES
    intends_change_yes: str = INTENDS_CHANGE_YES
    #: Free-text codebook (theme -> phrases); ``load_config`` replaces its path by its contents.
    codebook: Any = None
    themes_months: int = 12
    themes_min_n: int = 10
    themes_max_quotes: int = 3
    #: Quotes the analyst approved for the report (``config/approved_quotes.csv``);
    #: ``load_config`` replaces its path by the approved hashes. None: no quote is shown.
    approved_quotes: Any = None
    counterfactual_min_pre_days: int = 28
    counterfactual_max_pre_days: int = 365
    washout_days: int = 7
    #: How the control pages enter the counterfactual: "ratio" or "regression".
    counterfactual_controls: str = "ratio"
    counterfactual_prior_level_sd: float | None = None
    #: Most control pages rerun as placebo campaign pages per campaign (each is one more model fit).
    counterfactual_placebo_pages: int = 3
    its_daily_hac_lags: int | None = None
    #: Fewest monthly points on each side of a step for the partner-indicator time series.
    its_min_points: int = 3
    #: Precision planning: the change (percentage points) and power to plan for (the power is
    #: also that of each campaign's minimum detectable effect).
    precision_change_pp: float = 10
    precision_power: float = 0.8
    #: The month's prespecified primary comparisons (the steering group owns the list): only these
    #: may be called a clear change, and only with a Benjamini–Hochberg q-value below 1 − level
    #: across all the month's tests. Names as in ``impact.multiplicity.tests`` of summary.json.
    primary_comparisons: list = _default(["key_messages.change", "intends_change.change"])


@dataclass(frozen=True)
class Settings:
    """Every setting of ``config/reach.yaml``, typed, with its one default.

    ``config/reach.yaml`` documents each setting for the analyst; a setting left out of it takes
    the default here. Code that receives the settings as a mapping (they travel to notebooks as
    JSON) reads a missing top-level value with :func:`setting`.

    Examples
    --------
    >>> Settings().confidence_level
    0.95
    >>> Settings.from_mapping({"reach": {"geo_error": 0.03}}).reach.geo_error
    0.03
    """

    organisation: str = ""
    report_title: str = "Safer sleep report"
    #: Where the analyst's reference tables live (asset registry, campaigns, births).
    reference_dir: str = "config/reference"
    #: Months of history the trend charts show (the reporting month included).
    trend_months: int = 24
    #: Form timestamps: "MDY", "DMY" or None (infer; ambiguous files are an error).
    forms_date_order: str | None = None
    #: Family-feedback questions, matched by header text.
    feedback_questions: dict = _default({})
    #: Statistical disclosure control: the NHS sub-national rule.
    suppression: dict = _default(dict(NHS_RULE))
    confidence_level: float = 0.95
    #: Notebooks executed for each month; each renders to the page its metadata names (``reach.page``).
    notebooks: list = _default(["reach_monthly_report.ipynb", "reach_monthly_appendix.ipynb"])
    #: Town/City -> district lookup (a CSV path).
    town_districts: str | None = None
    #: Reading exports (reach.ingest.limits): a zip archive whose members would unpack to more
    #: than this many megabytes in all is refused ...
    zip_max_unpacked_mb: float = 100
    #: ... and so is one with a member over 1 MB that unpacks to more than this many times its
    #: packed size (real exports compress 2 to 40 times).
    zip_max_ratio: float = 100
    #: A YouTube Table data export whose rows add up to less than this share of its own Total
    #: row is refused as cut short (it lists at most 500 videos, so a little less is normal).
    totals_min_share: float = 0.5
    reach: ReachSettings = field(default_factory=ReachSettings)
    impact: ImpactSettings = field(default_factory=ImpactSettings)
    #: Targets of the At a glance tiles: measure -> {target, floor}.
    targets: dict = _default({})
    #: Paths of the files the settings named (filled by :func:`load_config`).
    setting_files: dict = _default({})

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> Settings:
        """Check a settings mapping and fill in every default.

        Raises
        ------
        InputValidationError
            For a setting whose name is not known (a typo would otherwise be ignored silently).
        """
        mapping = dict(mapping or {})
        sections = {"reach": ReachSettings, "impact": ImpactSettings}
        known = {f.name for f in fields(cls)}
        for name in mapping:
            if name not in known:
                raise InputValidationError(f"unknown setting {name!r}; known: {', '.join(sorted(known))}")
        for name, section in sections.items():
            values = dict(mapping.get(name) or {})
            section_known = {f.name for f in fields(section)}
            for key in values:
                if key not in section_known:
                    raise InputValidationError(
                        f"unknown setting {name}.{key}; known: {', '.join(sorted(section_known))}"
                    )
            mapping[name] = section(**values)
        return cls(**mapping)


#: The defaults of the top-level settings, by name.
_TOP_LEVEL_DEFAULTS = Settings()


def setting(settings: Mapping[str, Any] | None, name: str) -> Any:
    """A top-level setting from a settings mapping, or its default when it is not there.

    Examples
    --------
    >>> setting({}, "confidence_level"), setting({"confidence_level": 0.9}, "confidence_level")
    (0.95, 0.9)
    """
    settings = settings or {}
    return settings[name] if name in settings else getattr(_TOP_LEVEL_DEFAULTS, name)


def resolve_settings(settings: Mapping[str, Any] | None = None, **overrides: Any) -> dict:
    """The reach estimators' settings: the defaults, the ``reach:`` section and keyword overrides.

    Parameters
    ----------
    settings : Mapping, optional
        The whole settings mapping (:func:`load_config`). Its ``reach`` section overrides the
        defaults of :class:`ReachSettings`; its top-level ``confidence_level`` sets ``level``.
    **overrides
        Any field of :class:`ReachSettings`, ``level``, or ``town_districts`` (the Town/City →
        district lookup as a DataFrame, read by the caller).

    Returns
    -------
    dict
        The settings used.

    Raises
    ------
    ValueError
        For an unknown key or an impossible value (consent outside 0..1, low above high, a
        level outside 0..1, an unknown random-duplication variant).

    Examples
    --------
    >>> resolve_settings({"confidence_level": 0.9})["level"], resolve_settings()["survey_min_parents"]
    (0.9, 15)
    """
    settings = settings or {}
    out = {
        **asdict(ReachSettings()),
        "level": float(setting(settings, "confidence_level")),
        "town_districts": None,
    }
    for source in (settings.get("reach") or {}, overrides):
        for key, value in source.items():
            if key not in out:
                raise ValueError(f"unknown reach setting {key!r}; known: {', '.join(sorted(out))}")
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


def impact_settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The impact estimators' settings: the defaults of :class:`ImpactSettings` and the ``impact:`` section.

    Adds ``level`` (the top-level ``confidence_level``) and ``suppression`` (the disclosure rule).

    Examples
    --------
    >>> opts = impact_settings({"impact": {"outtakes_min_n": 20}})
    >>> opts["outtakes_min_n"], opts["themes_min_n"], opts["level"]
    (20, 10, 0.95)
    """
    settings = settings or {}
    merged = asdict(ImpactSettings())
    merged.update(dict(settings.get("impact") or {}))
    merged["level"] = float(setting(settings, "confidence_level"))
    merged["suppression"] = dict(settings.get("suppression") or {})
    return merged


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
    try:
        Settings.from_mapping(data)
    except InputValidationError as err:
        raise InputValidationError(str(err), path=path) from None
    except TypeError as err:
        raise InputValidationError(f"a setting has the wrong shape ({err})", path=path) from None
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
    impact_section = settings.get("impact")
    if isinstance(impact_section, dict) and isinstance(impact_section.get("approved_quotes"), str):
        approved = read_approved_quotes(_resolve(impact_section["approved_quotes"]))
        files["approved_quotes"] = impact_section["approved_quotes"]
        settings = {**settings, "impact": {**impact_section, "approved_quotes": approved}}
    if isinstance(settings.get("town_districts"), str):
        files["town_districts"] = settings["town_districts"]
    return {**settings, "setting_files": files}


#: The columns of ``config/approved_quotes.csv``.
APPROVED_QUOTES_COLUMNS = ("sha256", "approved_by", "approved_on")


def read_approved_quotes(path: str | Path) -> list[str]:
    """Read the analyst's approved quotes: the SHA-256 of each approved (redacted) quote text.

    The file is a CSV with the columns ``sha256`` (64 hex digits, from ``reach quotes``),
    ``approved_by`` (who approved it) and ``approved_on`` (``YYYY-MM-DD``), and any others
    (a note, the theme). Lines starting ``#`` and blank lines are skipped.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.

    Returns
    -------
    list of str
        The approved hashes, lower case, sorted, each once.

    Raises
    ------
    InputValidationError
        If the file cannot be read, lacks a column, or a line has a malformed hash, no
        approver or no date; the message names the line.
    """
    import csv

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else "it is not UTF-8 text"
        raise InputValidationError(
            f"cannot read the approved quotes named by impact.approved_quotes ({reason})", path=path
        ) from err
    numbered = [
        (n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")
    ]
    rows = list(csv.reader([line for _, line in numbered]))
    if not rows or any(column not in [c.strip() for c in rows[0]] for column in APPROVED_QUOTES_COLUMNS):
        raise InputValidationError(
            f"the approved quotes file needs the columns {', '.join(APPROVED_QUOTES_COLUMNS)} on its first line",
            path=path,
        )
    header = [c.strip() for c in rows[0]]
    hashes = set()
    for (number, _), row in zip(numbered[1:], rows[1:], strict=True):
        if len(row) > len(header):
            raise InputValidationError(
                f"line {number} has more values than the header: put a note that holds commas in double quotes",
                path=path,
            )
        values = dict(zip(header, (v.strip() for v in row), strict=False))
        digest = values.get("sha256", "").lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise InputValidationError(
                f"line {number}: sha256 must be the 64 hex digits `reach quotes` prints", path=path
            )
        if not values.get("approved_by"):
            raise InputValidationError(
                f"line {number}: approved_by is blank (who approved the quote?)", path=path
            )
        try:
            dt.date.fromisoformat(values.get("approved_on", ""))
        except ValueError:
            raise InputValidationError(
                f"line {number}: approved_on must be a date, YYYY-MM-DD", path=path
            ) from None
        hashes.add(digest)
    return sorted(hashes)


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
