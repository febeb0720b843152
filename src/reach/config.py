"""Settings and run parameters.

Three kinds of setting live in three places: per-run values (the month) arrive as arguments
and are checked by :class:`RunParams`; stable settings come from ``config/reach.yaml`` through
:func:`load_config`; the project root can be moved with the ``REACH_PROJECT_ROOT`` variable.
Nothing is read at import time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reach.exceptions import InputValidationError

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


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


def parse_month(value: object) -> dt.date:
    """Parse an ISO ``YYYY-MM`` month into the date of its first day.

    Parameters
    ----------
    value : object
        The month as given by the user.

    Returns
    -------
    datetime.date
        The first day of the month.

    Raises
    ------
    InputValidationError
        If the value is not a real month written ``YYYY-MM``.

    Examples
    --------
    >>> parse_month("2026-10")
    datetime.date(2026, 10, 1)
    """
    text = str(value).strip()
    match = MONTH_PATTERN.match(text)
    if not match:
        raise InputValidationError(f"month {text!r} is not written YYYY-MM (for example 2026-10)")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise InputValidationError(f"month {text!r} does not exist: the month part must be 01 to 12")
    if year < 2015:
        raise InputValidationError(f"month {text!r} is before GA4 existed; give a month from 2015 on")
    return dt.date(year, month, 1)


def month_end(first_day: dt.date) -> dt.date:
    """Return the last day of the month that starts on ``first_day``."""
    next_first = (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return next_first - dt.timedelta(days=1)


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
    path (the table is read by :func:`reach.pipeline.build` into the processed store).
    """
    files: dict[str, str] = {}
    impact_section = settings.get("impact")
    if isinstance(impact_section, dict) and isinstance(impact_section.get("codebook"), str):
        codebook_path = _resolve(impact_section["codebook"])
        try:
            codebook = yaml.safe_load(codebook_path.read_text(encoding="utf-8"))
        except OSError as err:
            raise InputValidationError(
                f"cannot read the free-text codebook named by impact.codebook ({err.strerror})", path=codebook_path
            ) from err
        except yaml.YAMLError as err:
            raise InputValidationError(f"the free-text codebook is not valid YAML ({err})", path=codebook_path) from err
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
    """

    report_month: str
    processed_dir: str
    sample: bool = False
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
            folder) and ``sample`` (bool).

        Returns
        -------
        RunParams

        Raises
        ------
        InputValidationError
            If a parameter is missing, has the wrong type, or names a folder that does not exist.
        """
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
        return cls(values["report_month"], str(processed), values["sample"])
