"""Free-text themes from a published codebook of phrases."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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
    comments: Iterable[object], codebook: Mapping[str, Any], min_n: int = 10, max_quotes: int = 3
) -> pd.DataFrame:
    """Count comments per theme and pick illustrative quotes.

    A comment belongs to a theme when it contains any of the theme's phrases (whole words,
    case-insensitive, curly apostrophes treated as straight; a space or hyphen in a phrase
    matches either; a trailing ``*`` matches any word ending, e.g. ``swaddl*``). A comment can
    belong to several themes. Quotes are the first ``max_quotes`` distinct matching comments in
    the order given, and only for themes with at least ``min_n`` comments. Texts are returned as
    given (already redacted); escaping for display happens where they are shown.

    Parameters
    ----------
    comments : iterable
        Free-text answers; blanks and missing values are skipped.
    codebook : Mapping
        Theme → phrases (see :func:`parse_codebook`).
    min_n : int
        Fewest comments for a theme's quotes to be shown.
    max_quotes : int
        Most quotes per theme.

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
                if len(quotes) >= max_quotes:
                    break
        rows.append({"theme": theme, "comments": len(hits), "quotes": quotes})
    rows.append({"theme": "(not coded)", "comments": int((~coded).sum()), "quotes": []})
    frame = pd.DataFrame(rows, columns=["theme", "comments", "quotes"])
    frame["share"] = frame["comments"] / len(texts) if texts else np.nan
    return frame[["theme", "comments", "share", "quotes"]]
