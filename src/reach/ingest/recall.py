"""Parsing the health-visiting provider's monthly new-birth-visit recall return.

At the new-birth visit the health visitor asks the family, prompted, whether they remember
seeing any of the partnership's safer-sleep assets, and where. The provider returns counts only,
one row per Norfolk district per month (format in ``data/raw/README.md``)::

    month,district,new_birth_visits,families_asked,recalled_any,recalled_web,recalled_video,recalled_social,recalled_leaflet
    2026-10,Breckland,84,80,52,30,18,25,40

The provider suppresses a cell holding 1 to 7 by writing ``*``: such a cell is read as missing
and named in the row's ``suppressed`` column, so estimates can treat it as "between 1 and 7".
A blank cell is "not collected". The counts must nest: each channel's recall is at most
``recalled_any``, which is at most ``families_asked``, which is at most ``new_birth_visits``.
"""

from __future__ import annotations

import pandas as pd

from reach.errors import InputValidationError
from reach.ingest.export import Export, snake_case
from reach.ingest.partners import _month_column
from reach.ingest.records import _column, _Doc, _finish, _header_and_rows, _to_numeric, _unique_names
from reach.ingest.validate import KNOWN_AREAS

RECALL_COUNTS: tuple[str, ...] = (
    "new_birth_visits",
    "families_asked",
    "recalled_any",
    "recalled_web",
    "recalled_video",
    "recalled_social",
    "recalled_leaflet",
)
"""The count columns of the recall return, in the order of the documented header."""

RECALL_CHANNELS: dict[str, str] = {
    "web": "recalled_web",
    "video": "recalled_video",
    "social": "recalled_social",
    "leaflet": "recalled_leaflet",
}
"""Each asset channel the return asks about, and its count column."""

REQUIRED: tuple[str, ...] = ("month", "district", "families_asked", "recalled_any")
"""Columns without which the return says nothing about coverage."""

SUPPRESSED = "*"
"""How the provider writes a count of 1 to 7 it has suppressed."""

# Norfolk's seven districts, by ONS code.
_DISTRICTS: dict[str, str] = {code: name for code, name in KNOWN_AREAS.items() if code.startswith("E07")}


def _district_code(text: str) -> str | None:
    """The ONS code of a Norfolk district written as its code or its name (case and spacing ignored).

    Examples
    --------
    >>> _district_code("kings lynn and west norfolk"), _district_code("E07000148"), _district_code("Ipswich")
    ('E07000146', 'E07000148', None)
    """
    t = text.strip()
    if t.upper() in _DISTRICTS:
        return t.upper()
    key = "".join(ch for ch in t.casefold() if ch.isalnum())
    return next(
        (
            code
            for code, name in _DISTRICTS.items()
            if "".join(ch for ch in name.casefold() if ch.isalnum()) == key
        ),
        None,
    )


def _check_nesting(frame: pd.DataFrame, lines: list[int | None], doc: _Doc, header: dict[str, str]) -> None:
    """Each count at most the one it is part of; the first breach is the error."""
    pairs = [(c, "recalled_any") for c in RECALL_CHANNELS.values()]
    pairs += [("recalled_any", "families_asked"), ("families_asked", "new_birth_visits")]
    for part, whole in pairs:
        if part not in frame or whole not in frame:
            continue
        a, b = frame[part], frame[whole]
        bad = (a > b).fillna(False).to_numpy()
        if bad.any():
            i = int(bad.argmax())
            raise InputValidationError(
                f"expected {part} to be at most {whole} ({int(b.iloc[i])} on this row): every family counted "
                f"in {part} is one of the {whole}; check the row with the health-visiting provider",
                path=doc.path,
                row=lines[i],
                column=header[part],
                value=int(a.iloc[i]),
            )


def _parse_recall(doc: _Doc) -> Export:
    """Read a recall return into ``month``, ``district_code``, ``district``, the counts and ``suppressed``."""
    _, names, rows, warnings = _header_and_rows(doc)
    canon, w = _unique_names([snake_case(n) for n in names])
    warnings.extend(w)
    header = dict(zip(canon, names, strict=True))
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    suppressed: list[list[str]] = [[] for _ in rows]
    for i, c in enumerate(canon):
        vals = _column(rows, i)
        if c == "month":
            data["month"] = _month_column(vals, lines, doc, names[i])
        elif c == "district":
            codes = []
            for j, v in enumerate(vals):
                code = _district_code(v)
                if code is None:
                    raise InputValidationError(
                        "expected one of Norfolk's seven districts, by name or ONS code (E07000143 to E07000149)",
                        path=doc.path,
                        row=lines[j],
                        column=names[i],
                        value=v,
                    )
                codes.append(code)
            data["district_code"] = pd.Series(codes, dtype="str")
            data["district"] = pd.Series([_DISTRICTS[c] for c in codes], dtype="str")
        elif c in RECALL_COUNTS:
            for j, v in enumerate(vals):
                if v.strip() == SUPPRESSED:
                    suppressed[j].append(c)
            data[c] = _to_numeric(
                vals, lines, path=doc.path, column=names[i], count=True, na_values=(SUPPRESSED,), name=c
            )
            negative = (data[c] < 0).fillna(False).to_numpy()
            if negative.any():
                j = int(negative.argmax())
                raise InputValidationError(
                    "expected a count of families (0 or more)",
                    path=doc.path,
                    row=lines[j],
                    column=names[i],
                    value=vals[j],
                )
        else:
            warnings.append(f"column {names[i]!r} is not part of the recall return and is ignored")
    missing = [c for c in REQUIRED if c not in canon]
    if missing:
        raise InputValidationError(
            f"expected the recall return's columns {', '.join(REQUIRED)}; {', '.join(missing)} missing",
            path=doc.path,
            row=rows[0].line - 1 if rows and rows[0].line else None,
        )
    frame = pd.DataFrame(data)
    for c in RECALL_COUNTS:
        if c not in frame:
            frame[c] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    frame["suppressed"] = pd.Series([";".join(s) for s in suppressed], dtype="str")
    _check_nesting(frame, lines, doc, header)
    duplicated = frame.duplicated(["month", "district_code"]).to_numpy()
    if duplicated.any():
        j = int(duplicated.argmax())
        raise InputValidationError(
            "expected one row per district and month; this district and month appear twice",
            path=doc.path,
            row=lines[j],
            column=header["district"],
            value=frame["district"].iloc[j],
        )
    start = end = None
    if len(frame) and frame["month"].notna().any():
        start = frame["month"].min().date()
        end = (frame["month"].max() + pd.offsets.MonthEnd(0)).date()
    columns = {"month": header["month"], "district_code": header["district"], "district": header["district"]}
    columns.update({c: header.get(c, c) for c in (*RECALL_COUNTS, "suppressed")})
    frame = frame[["month", "district_code", "district", *RECALL_COUNTS, "suppressed"]]
    return _finish(
        doc,
        "hv_recall",
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        columns=columns,
        family="partner",
    )
