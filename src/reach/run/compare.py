"""What ``reach verify`` compares, and how it names the first difference: notebook outputs, pages, the index row.

Pure functions over text, notebooks and HTML; :mod:`reach.run.verify` runs the month again and
calls them.

**Volatile parts**, the only things neutralised before comparing:

- in notebook outputs and pages, the sanitizers of ``config/nbval_sanitize.cfg`` (the ones
  reviewers give nbval): timestamps, durations, memory addresses and absolute paths up to
  ``data/processed/`` or ``reports/``;
- in pages, the ``id="cell-id=…"`` of each cell's ``div``: papermill gives the injected-parameters
  cell a new random id on every run (:data:`HTML_VOLATILE`);
- in notebooks, only outputs and cell sources are compared, never cell or notebook metadata
  (papermill's start and end times and durations, execution counts, kernel ids), and the source
  of the injected-parameters cell is not compared (it names the folder of the rebuilt tables).

Everything else is compared as it is: every number, every word, every image's bytes and every
attribute.
"""

from __future__ import annotations

import configparser
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: Cell tag papermill gives the cell of parameters it injects.
INJECTED_TAG = "injected-parameters"

#: Pattern and replacement of the parts of a page that change from one rendering to the next.
HTML_VOLATILE = ((re.compile(r'id="cell-id=[^"]*"'), 'id="cell-id=CELL"'),)

Rules = Sequence[tuple[re.Pattern, str]]


def load_sanitizers(path: Path) -> list[tuple[re.Pattern, str]]:
    """The ``regex``/``replace`` pairs of an nbval sanitizer file, in order (none when it is missing).

    Parameters
    ----------
    path : pathlib.Path
        An nbval ``--nbval-sanitize-with`` file.

    Returns
    -------
    list of (re.Pattern, str)
    """
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(path, encoding="utf-8"):
        return []
    return [
        (re.compile(parser[section]["regex"]), parser[section].get("replace", ""))
        for section in parser.sections()
        if "regex" in parser[section]
    ]


def sanitize(text: str, rules: Rules) -> str:
    """Apply each ``(pattern, replacement)`` to ``text`` in turn.

    Examples
    --------
    >>> sanitize("run at 2026-11-03 09:15:02", [(re.compile("[0-9-]{10} [0-9:]{8}"), "TIME")])
    'run at TIME'
    """
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text


def _shorten_tokens(text: str, limit: int = 40) -> str:
    """Cut long runs without spaces (base64 images, hashes) to their start."""
    return re.sub(rf"\S{{{limit + 1},}}", lambda m: m.group(0)[:20] + "…", text)


def excerpt(text: str, index: int, before: int = 40, after: int = 60) -> str:
    """The passage of ``text`` around ``index``, on word boundaries, whitespace collapsed.

    Examples
    --------
    >>> excerpt("the quick brown fox jumps over the lazy dog", 16, before=6, after=8)
    '…brown fox jumps…'
    """
    start, end = max(0, index - before), min(len(text), index + after)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    passage = _shorten_tokens(" ".join(text[start:end].split()))
    return f"{'…' if start > 0 else ''}{passage}{'…' if end < len(text) else ''}"


def markup_excerpt(text: str, index: int, width: int = 30) -> str:
    """The characters of ``text`` on either side of ``index``, as they are (markup, base64 images).

    Examples
    --------
    >>> markup_excerpt('<img src="data:image/png;base64,AAAAXBBBB">', 36, width=4)
    '…AAAAXBBB…'
    """
    start, end = max(0, index - width), min(len(text), index + width)
    passage = text[start:end].replace("\n", " ")
    return f"{'…' if start > 0 else ''}{passage}{'…' if end < len(text) else ''}"


def first_index(left: str, right: str) -> int:
    """Index of the first character at which two strings differ (the shorter length if one starts the other).

    Examples
    --------
    >>> first_index("abcd", "abXd"), first_index("ab", "abc")
    (2, 2)
    """
    for index, (a, b) in enumerate(zip(left, right, strict=False)):
        if a != b:
            return index
    return min(len(left), len(right))


def _passages(left: str, right: str) -> tuple[str, str]:
    index = first_index(left, right)
    return excerpt(left, index), excerpt(right, index)


@dataclass(frozen=True)
class Passage:
    """One piece of what a page shows: a run of text, or an image's text alternative."""

    text: str
    heading: str
    about: bool


def page_passages(page: str) -> list[Passage]:
    """What a reader of an HTML page gets, in document order: text, and ``[image: alt]`` for each image.

    Each piece carries the heading it falls under, and whether it is in the "About this report"
    facts (``div.reach-about``, rendered from ``manifest.json``).
    """
    from bs4 import BeautifulSoup, Comment, NavigableString, Tag

    soup = BeautifulSoup(page, "html.parser")
    passages, heading = [], ""
    for node in soup.descendants:
        if isinstance(node, Tag) and node.name == "img":
            text = f"[image: {' '.join((node.get('alt') or '').split())}]"
        elif isinstance(node, NavigableString) and not isinstance(node, Comment):
            if node.parent is not None and node.parent.name in {"style", "script"}:
                continue
            text = " ".join(str(node).split())
            if not text:
                continue
            if node.parent is not None and node.parent.name in {"h1", "h2", "h3"}:
                heading = text
        else:
            continue
        about = any("reach-about" in (parent.get("class") or []) for parent in node.parents)
        passages.append(Passage(text, "About this report" if about else heading, about))
    return passages


def describe_page_difference(published: str, rerun: str, rules: Rules = ()) -> tuple[str, bool] | None:
    """Where a published page first differs from its re-rendering, in words; None when they are the same.

    The text a reader sees is compared first; when that is the same, the markup (images' bytes,
    attributes) is, and the line of the published file is named.

    Parameters
    ----------
    published, rerun : str
        The two pages.
    rules : sequence of (re.Pattern, str)
        Sanitizers applied to both (with :data:`HTML_VOLATILE`).

    Returns
    -------
    (str, bool) or None
        The passage in words, and whether it lies in the "About this report" facts.
    """
    rules = [*rules, *HTML_VOLATILE]
    left, right = sanitize(published, rules), sanitize(rerun, rules)
    if left == right:
        return None
    a, b = page_passages(left), page_passages(right)
    for one, two in zip(a, b, strict=False):
        if one.text != two.text:
            shown, expected = _passages(one.text, two.text)
            where = f'under "{one.heading}"' if one.heading else "before the first heading"
            return f"text {where} reads «{shown}» where the re-rendered page reads «{expected}»", one.about
    if len(a) != len(b):
        longer, which = (a, "the published page") if len(a) > len(b) else (b, "the re-rendered page")
        extra = longer[min(len(a), len(b))]
        return f"only {which} goes on with «{excerpt(extra.text, 0)}»", extra.about
    index = first_index(left, right)
    line = left.count("\n", 0, index) + 1
    shown, expected = markup_excerpt(left, index), markup_excerpt(right, index)
    return f"markup at line {line} reads «{shown}» where the re-rendered page has «{expected}»", False


def index_row(page: str, month: str) -> str | None:
    """The month's row of ``reports/index.html`` (its ``<tr>``), or None when the index has no row for it."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    link = soup.find("a", href=f"{month}/report.html")
    row = link.find_parent("tr") if link is not None else None
    return None if row is None else str(row)


def shown_fingerprints(page: str) -> dict[str, str]:
    """The start of each input's SHA-256 as a published page shows it ("About this report"), by path."""
    from bs4 import BeautifulSoup

    shown = {}
    for row in BeautifulSoup(page, "html.parser").select(".reach-about tbody tr"):
        cells = row.find_all("td")
        if len(cells) >= 3:
            prefix = re.sub(r"[^0-9a-f]", "", cells[2].get_text().lower())
            if prefix:
                shown[cells[0].get_text()] = prefix
    return shown


def count_figures(page: str) -> int:
    """The charts on a page: images, and SVG drawings that are not hidden decorations."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    drawings = [svg for svg in soup.find_all("svg") if svg.get("aria-hidden") != "true"]
    return len(soup.find_all("img")) + len(drawings)


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _output_parts(output: dict, rules: Rules) -> list[tuple[str, str]]:
    """An output as ``(what, content)`` pairs: its kind, then each text or image it holds."""
    kind = output.get("output_type", "")
    if kind == "stream":
        return [(f"{output.get('name', 'stream')} text", sanitize(_text(output.get("text", "")), rules))]
    if kind == "error":
        return [("error", f"{output.get('ename')}: {output.get('evalue')}")]
    parts = [("kind", kind)]
    for mime, value in sorted((output.get("data") or {}).items()):
        textual = mime.startswith("text/") or mime.endswith(("json", "+xml"))
        content = _text(value) if textual or isinstance(value, list) else str(value)
        parts.append((mime, sanitize(content, rules) if textual else content))
    metadata = output.get("metadata") or {}
    if metadata:
        parts.append(("metadata", json.dumps(metadata, sort_keys=True)))
    return parts


def _cell_outputs(cell: dict, rules: Rules) -> list[tuple[str, str]]:
    parts = []
    for number, output in enumerate(cell.get("outputs") or []):
        parts.extend(
            (f"output {number + 1} {what}", content) for what, content in _output_parts(output, rules)
        )
    return parts


def _describe_parts(published: list[tuple[str, str]], rerun: list[tuple[str, str]]) -> str:
    for (what, left), (what_again, right) in zip(published, rerun, strict=False):
        if what != what_again:
            return f"{what} in the report, {what_again} on re-running"
        if left != right:
            if what.endswith("text/html"):
                found = describe_page_difference(left, right)
                if found is not None:
                    return f"{what}: {found[0].replace('re-rendered page', 're-run')}"
            if what.split()[-1].startswith("image/"):
                return f"{what}: the image differs"
            shown, expected = _passages(left, right)
            return f"{what} reads «{shown}» where the re-run gives «{expected}»"
    return f"{len(published)} output parts in the report, {len(rerun)} on re-running"


def _first_line(cell: dict) -> str:
    lines = _text(cell.get("source", "")).strip().splitlines()
    return lines[0].strip()[:70] if lines else ""


def compare_notebooks(published: Path, rerun: Path, rules: Rules) -> tuple[list[str], int]:
    """Compare the code cells of a published executed notebook with the same notebook run again.

    Parameters
    ----------
    published, rerun : pathlib.Path
        The two executed notebooks.
    rules : sequence of (re.Pattern, str)
        Sanitizers for text outputs.

    Returns
    -------
    (list of str, int)
        ``"<notebook> code cell N (<first source line>): outputs differ: …"`` (or ``source
        differs``) per differing cell, numbered from 0 among code cells, and the number of code
        cells compared.
    """
    name = published.name
    try:
        left = json.loads(published.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return [f"{name}: cannot be read as a notebook ({err})"], 0
    right = json.loads(rerun.read_text(encoding="utf-8"))
    cells = [c for c in left.get("cells", []) if c.get("cell_type") == "code"]
    again = [c for c in right.get("cells", []) if c.get("cell_type") == "code"]
    problems = []
    if len(cells) != len(again):
        problems.append(f"{name}: {len(cells)} code cells in the report, {len(again)} on re-running")
    for number, (cell, other) in enumerate(zip(cells, again, strict=False)):
        injected = INJECTED_TAG in (cell.get("metadata", {}).get("tags") or [])
        label = f"{name} code cell {number} ({_first_line(other)})"
        if not injected and _text(cell.get("source", "")) != _text(other.get("source", "")):
            problems.append(f"{label}: source differs from the notebook run again")
            continue
        shown, expected = _cell_outputs(cell, rules), _cell_outputs(other, rules)
        if shown != expected:
            problems.append(f"{label}: outputs differ: {_describe_parts(shown, expected)}")
    return problems, min(len(cells), len(again))


def count_values(data: object) -> int:
    """The number of values (leaves) in a JSON document, each list item counted.

    Examples
    --------
    >>> count_values({"a": 1, "b": {"c": [1, 2], "d": None}})
    4
    """
    if isinstance(data, dict):
        return sum(count_values(value) for value in data.values())
    if isinstance(data, list):
        return sum(count_values(value) for value in data)
    return 1


def _shown(value: object, limit: int = 160) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare_summary(recorded: object, rebuilt: object, prefix: str = "") -> list[str]:
    """List every value that differs between two summaries (nested keys joined by dots, list items by ``[i]``).

    Examples
    --------
    >>> compare_summary({"a": {"b": 1}}, {"a": {"b": 2}})
    ['a.b: 1 in the report, 2 on re-running']
    >>> compare_summary({"a": [{"n": 1}, {"n": 2}]}, {"a": [{"n": 1}, {"n": 3}]})
    ['a[1].n: 2 in the report, 3 on re-running']
    """
    if isinstance(recorded, dict) and isinstance(rebuilt, dict):
        differences = []
        for key in sorted(set(recorded) | set(rebuilt), key=str):
            name = f"{prefix}.{key}" if prefix else str(key)
            if key not in recorded or key not in rebuilt:
                differences.append(
                    f"{name}: {_shown(recorded.get(key))} in the report, {_shown(rebuilt.get(key))} on re-running"
                )
            else:
                differences.extend(compare_summary(recorded[key], rebuilt[key], name))
        return differences
    if isinstance(recorded, list) and isinstance(rebuilt, list) and len(recorded) == len(rebuilt):
        return [
            line
            for number, (left, right) in enumerate(zip(recorded, rebuilt, strict=True))
            for line in compare_summary(left, right, f"{prefix}[{number}]")
        ]
    if recorded != rebuilt or type(recorded) is not type(rebuilt):
        return [f"{prefix}: {_shown(recorded)} in the report, {_shown(rebuilt)} on re-running"]
    return []
