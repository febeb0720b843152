"""Free-text themes from a published codebook of phrases, and the quotes the analyst approved.

A quote reaches the report only when the SHA-256 of its (already redacted) text is in
``config/approved_quotes.csv`` (:func:`quote_hash`, :func:`approved_quotes`); ``reach quotes
--month YYYY-MM`` lists the candidates with their hashes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from reach.estimate.outtakes import _norm

# ---------------------------------------------------------------------------------------
# Free-text themes
# ---------------------------------------------------------------------------------------


def parse_codebook(codebook: Mapping[str, Any]) -> dict[str, list[str]]:
    """Check a codebook (theme → phrases) and return it as plain lists.

    Accepts either the mapping itself or ``{"themes": mapping}`` (the layout of
    ``config/codebook.yaml``).

    Parameters
    ----------
    codebook : Mapping
        Theme name → list of phrases.

    Returns
    -------
    dict of str to list of str

    Raises
    ------
    ValueError
        If a theme has no phrases or a phrase is not text.
    """
    themes = codebook.get("themes", codebook) if isinstance(codebook, Mapping) else None
    if not isinstance(themes, Mapping) or not themes:
        raise ValueError("the codebook must map each theme to a list of phrases")
    out: dict[str, list[str]] = {}
    for theme, phrases in themes.items():
        if isinstance(phrases, str) or not isinstance(phrases, Iterable):
            raise ValueError(f"codebook theme {theme!r}: phrases must be a list")
        phrases = [p for p in phrases]
        if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise ValueError(f"codebook theme {theme!r}: needs at least one non-empty phrase")
        out[str(theme)] = [p.strip() for p in phrases]
    return out


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a regex: whole words, case-insensitive; space or hyphen match either; ``*`` = any ending."""
    text = _norm(phrase)
    stem = text.endswith("*")
    text = text.rstrip("*")
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", text) if p]
    body = r"[\s\-]+".join(parts)
    return r"(?<!\w)" + body + (r"\w*" if stem else r"(?!\w)")


def code_themes(
    comments: Iterable[object], codebook: Mapping[str, Any], min_n: int = 10, max_quotes: int | None = 3
) -> pd.DataFrame:
    """Count comments per theme and pick candidate quotes.

    A comment belongs to a theme when it contains any of the theme's phrases (whole words,
    case-insensitive, curly apostrophes treated as straight; a space or hyphen in a phrase
    matches either; a trailing ``*`` matches any word ending, e.g. ``swaddl*``). A comment can
    belong to several themes. Quotes are the first ``max_quotes`` distinct matching comments in
    the order given (all of them when ``max_quotes`` is None), and only for themes with at
    least ``min_n`` comments: candidates, which :func:`approved_quotes` narrows to those the
    analyst approved. Texts are returned as given (already redacted); escaping for display
    happens where they are shown.

    Parameters
    ----------
    comments : iterable
        Free-text answers; blanks and missing values are skipped.
    codebook : Mapping
        Theme → phrases (see :func:`parse_codebook`).
    min_n : int
        Fewest comments for a theme's quotes to be shown.
    max_quotes : int or None
        Most quotes per theme; None for every distinct matching comment.

    Returns
    -------
    pandas.DataFrame
        One row per theme in codebook order plus ``"(not coded)"``: ``theme``, ``comments``
        (count), ``share`` (of all non-blank comments), ``quotes`` (list of str).
    """
    themes = parse_codebook(codebook)
    texts = [str(c).strip() for c in comments if isinstance(c, str) and str(c).strip()]
    normed = [_norm(t) for t in texts]
    patterns = {t: re.compile("|".join(_phrase_pattern(p) for p in ps)) for t, ps in themes.items()}
    coded = np.zeros(len(texts), dtype=bool)
    rows = []
    for theme, pattern in patterns.items():
        hits = [i for i, text in enumerate(normed) if pattern.search(text)]
        coded[hits] = True
        quotes: list[str] = []
        if len(hits) >= min_n:
            for i in hits:
                if texts[i] not in quotes:
                    quotes.append(texts[i])
                if max_quotes is not None and len(quotes) >= max_quotes:
                    break
        rows.append({"theme": theme, "comments": len(hits), "quotes": quotes})
    rows.append({"theme": "(not coded)", "comments": int((~coded).sum()), "quotes": []})
    frame = pd.DataFrame(rows, columns=["theme", "comments", "quotes"])
    frame["share"] = frame["comments"] / len(texts) if texts else np.nan
    return frame[["theme", "comments", "share", "quotes"]]


def quote_hash(text: str) -> str:
    """The key of a quote in ``config/approved_quotes.csv``: SHA-256 of its text, hex.

    The text is the comment as stored in the processed tables (redacted, surrounding spaces
    removed) and as :func:`code_themes` returns it, encoded as UTF-8.

    Parameters
    ----------
    text : str
        A quote.

    Returns
    -------
    str
        64 lower-case hex digits.

    Examples
    --------
    >>> quote_hash("abc")  # the FIPS 180-2 test vector
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def approved_quotes(candidates: Iterable[str], approved: Collection[str], max_quotes: int) -> list[str]:
    """The first ``max_quotes`` candidates that the analyst approved.

    Parameters
    ----------
    candidates : iterable of str
        A theme's candidate quotes, in order (:func:`code_themes` with ``max_quotes=None``).
    approved : collection of str
        Hashes of the approved quotes (:func:`quote_hash`; ``config/approved_quotes.csv``).
    max_quotes : int
        Most quotes to keep.

    Returns
    -------
    list of str
        The approved candidates, in their order; empty when none is approved.

    Examples
    --------
    >>> approved_quotes(["Clear.", "Too long.", "abc"], {quote_hash("abc"), quote_hash("Clear.")}, 3)
    ['Clear.', 'abc']
    >>> approved_quotes(["Clear."], set(), 3)
    []
    """
    keys = {str(key).strip().lower() for key in approved}
    return [text for text in candidates if quote_hash(text) in keys][: max(0, int(max_quotes))]
