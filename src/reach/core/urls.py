"""Normalising web page addresses so GA4 paths, BigQuery URLs and registry patterns compare equal."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd


def normalise_path(value: object) -> str:
    """Reduce a page path or full URL to a comparable path.

    The host, query string and fragment are dropped, the path is lower-cased and a trailing
    slash removed (GA4 reports ``/adults/`` and ``/adults`` as separate rows).

    Parameters
    ----------
    value : object
        A path such as ``/baby-sleep/safer-sleep/?utm_source=qr`` or a full URL.

    Returns
    -------
    str
        ``/baby-sleep/safer-sleep``; ``""`` for a missing or empty value.

    Examples
    --------
    >>> normalise_path("https://www.justonenorfolk.nhs.uk/Baby-Sleep/?x=1")
    '/baby-sleep'
    >>> normalise_path("/")
    '/'
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    parts = urlsplit(text if "://" in text else "http://host" + ("" if text.startswith("/") else "/") + text)
    path = parts.path.lower()
    while "//" in path:
        path = path.replace("//", "/")
    if len(path) > 1:
        path = path.rstrip("/")
    return path or "/"
