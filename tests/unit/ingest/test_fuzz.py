"""Property-based fuzzing of every export kind (issue 15, item 6).

Each example takes one seed export (the bundled sample's raw files for the sample month, plus a
few hand-written files of the kinds the sample does not ship) and damages it the way files are
damaged in practice: cut short, re-encoded, a BOM added or line endings changed, a column
duplicated, blanked or shifted, a date moved out of the month, a number made huge or negative,
a cell wrapped in Excel's ``="..."``, an id turned into scientific notation, bytes flipped. The
mutant is written to a temporary file and read and validated exactly as a build does
(:func:`reach.ingest.read.read_exports`, :func:`reach.ingest.validate.validate_export`).

For every mutant the outcome must be one of:

* **refused**: a :class:`reach.errors.ReachError` whose one-line message names the file;
* **announced**: read, with a warning;
* **unchanged**: read to the same tables as the undamaged seed.

Mutations that only change values (a huge number, a date, a duplicated or deleted row, a
flipped byte) may also give a different table: such a file is a plausible export, and only
the first property holds (never an unexpected exception). A cut may also give what
docs/architecture.md says cannot be detected: the rows before a line end, or a GA4 file whose
last number lost its last digits. Any other exception, or a silent change of a file that only
had its structure or encoding damaged, fails. The file's bytes are hashed before and after
every read.

The catalogue of known bad inputs with their exact messages is
``tests/integration/test_bad_inputs.py``; this test looks for the cases nobody wrote down.
Two whole-month runs (build and summary of a short raw tree) check the same outcomes at the
level of ``summary.json``.
"""

from __future__ import annotations

import atexit
import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from reach import config
from reach.errors import ReachError
from reach.ingest.read import read_exports
from reach.ingest.validate import validate_export

# Hypothesis caches what it learns in ./.hypothesis; tests write only to temporary folders.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="reach-hypothesis-")
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)
set_hypothesis_home_dir(_HYPOTHESIS_HOME)

MONTH = "2026-10"
RAW = config.sample_dir() / "raw"


# ---------------------------------------------------------------------------------------------
# Seeds: every export kind the sample ships, and small files of the other kinds
# ---------------------------------------------------------------------------------------------


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _extra_seeds() -> dict[str, bytes]:
    youtube = RAW / MONTH / "youtube"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("Table data.csv", "Chart data.csv", "Totals.csv"):
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 2, 9, 0, 0))
            zf.writestr(info, (youtube / name).read_bytes())
    form = next((RAW / MONTH / "feedback").glob("Safer sleep feedback*.csv"))
    rows = list(csv.reader(io.StringIO(form.read_text(encoding="utf-8-sig"), newline="")))
    workbook = [rows[0]] + [
        [
            int(r[0]),
            dt.datetime.strptime(r[1], "%m/%d/%y %H:%M:%S"),
            dt.datetime.strptime(r[2], "%m/%d/%y %H:%M:%S"),
        ]
        + r[3:]
        for r in rows[1:6]
    ]
    return {
        "Safer sleep (Responses) - Form responses 1.csv": (
            b"Timestamp,Email address,Which district do you live or work in?,Was the information helpful?,"
            b"Is there anything else you would like to tell us?\n"
            b"13/10/2026 10:01:02,a@b.org,Norwich,Yes,Clear advice\n"
            b"14/10/2026 11:00:00,,Breckland,No,\n"
            b"21/10/2026 19:30:00,,South Norfolk,Yes,Thank you\n"
        ),
        "Untitled-report-Oct-1-2026-to-Oct-31-2026_Reach.csv": (
            '\ufeff"Campaign name",Reach,Impressions,Frequency,Currency,"Amount spent (GBP)",'
            '"Reporting starts","Reporting ends"\n'
            ",1000,1500,1.5,GBP,200.5,2026-10-01,2026-10-31\n"
            '"Safer sleep – October",600,900,1.5,GBP,120.25,2026-10-01,2026-10-31\n'
            "Back to sleep,400,600,1.5,GBP,80.25,2026-10-01,2026-10-31\n"
        ).encode(),
        "Facebook follows.csv": (
            'sep=,\r\n"Facebook follows"\r\n"Date","Primary"\r\n'
            + "".join(f'"2026-10-{d:02d}T00:00:00","{(d * 7) % 23}"\r\n' for d in range(1, 32))
        ).encode("utf-16"),
        "feedex_2026-10-01_2026-10-31_safer-sleep.csv": (
            b"creation date,path or service name,feedback,service satisfaction rating,type\n"
            b'2026-10-03 13:45:00,/safer-sleep,"reading advice\nlink broken",,problem-report\n'
            b"2026-10-09 09:00:00,/safer-sleep,great,5,service-feedback\n"
        ),
        "Reports_snapshot.csv": (
            b"# ----------------------------------------\n# Reports snapshot\n# Account: NSCP\n"
            b"# Property: Safer Sleep\n# ----------------------------------------\n#  \n"
            b"# Start date: 20261001\n# End date: 20261031\nNth day,Active users\n0000,0\n0001,4\n0002,7\n\n"
            b"# Where do your new users come from?\n# Start date: 20261001\n# End date: 20261031\n"
            b"First user primary channel group (Default Channel Group),New users\nDirect,27\nOrganic Social,26\n"
        ),
        "youtube 2026-10-01_2026-10-31.zip": archive.getvalue(),
        "Safer sleep feedback.xlsx": _xlsx(workbook),
    }


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes = field(repr=False)
    kinds: tuple[str, ...]
    fingerprint: tuple = field(repr=False)
    warned: bool
    columns: list = field(repr=False)


def _fingerprint(exports, columns: list[list[str]] | None = None) -> tuple:
    """What a build takes from the exports: kind, period, rows and totals (not messages).

    With ``columns`` (the seed's, per export) only those columns count: a column the seed does
    not have (a blank or repeated one) is not kept in any processed table.
    """
    out = []
    for i, e in enumerate(exports):
        table, totals = e.table, {k: v for k, v in (e.totals or {}).items() if v is not None}
        if columns is not None and i < len(columns) and set(columns[i]) <= set(table.columns):
            table = table[columns[i]]
            totals = {k: v for k, v in totals.items() if k in columns[i]}
        json = table.to_json(orient="split", date_format="iso", default_handler=str)
        out.append((e.kind, e.start, e.end, json, repr(sorted(totals.items()))))
    return tuple(out)


def _read(path: Path) -> list:
    return [validate_export(e) for e in read_exports(path)]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> list[Seed]:
    folder = tmp_path_factory.mktemp("seeds")
    files = {p.name: p.read_bytes() for p in sorted((RAW / MONTH).rglob("*")) if p.is_file()}
    files.update(_extra_seeds())
    out = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        exports = _read(path)
        out.append(
            Seed(
                name,
                data,
                tuple(e.kind for e in exports),
                _fingerprint(exports),
                any(e.warnings for e in exports),
                [list(e.table.columns) for e in exports],
            )
        )
    return out


def test_the_seeds_cover_every_kind_but_bigquery(seeds):
    from reach.ingest.export import KIND_LABELS

    kinds = {kind for seed in seeds for kind in seed.kinds}
    assert kinds == set(KIND_LABELS) - {"ga4_bigquery"}, set(KIND_LABELS) - kinds


# ---------------------------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------------------------

#: What a mutation may do to a file that is still read without a warning.
#: "same": only the same tables (the damage is to structure or encoding);
#: "cut": the same, or what a cut cannot be told from (rows before a line end; a GA4 number cut);
#: "value": anything (the mutant is a plausible export with other values).
SAME, CUT, VALUE = "same", "cut", "value"


@dataclass(frozen=True)
class Mutant:
    data: bytes = field(repr=False)
    what: str
    allows: str


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in (
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF8, "utf-8-sig"),
    ):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    return data.decode("utf-8"), "utf-8"


@dataclass
class Table:
    """A CSV export split into the lines before its table, the table's rows and what follows."""

    head: str
    rows: list[list[str]]
    tail: str
    newline: str
    final: bool
    encoding: str

    @classmethod
    def of(cls, data: bytes) -> Table | None:
        if data[:2] == b"PK":
            return None
        text, encoding = _decode(data)
        newline = "\r\n" if "\r\n" in text else "\n"
        lines = text.split(newline)
        start = next(
            (i for i, line in enumerate(lines) if "," in line and not line.startswith(("#", "sep="))), None
        )
        if start is None:
            return None
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i] == "" or lines[i].startswith("#")),
            len(lines),
        )
        final = text.endswith(newline)
        if end == len(lines) and final:
            end -= 1  # the empty string after the final line break
        body = newline.join(lines[start:end])
        rows = list(csv.reader(io.StringIO(body, newline="")))
        head = "".join(line + newline for line in lines[:start])
        tail = newline.join(lines[end:]) if end < len(lines) else ""
        return cls(head, rows, tail, newline, final, encoding)

    def bytes(self) -> bytes:
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator=self.newline).writerows(self.rows)
        body = out.getvalue()
        if self.tail:
            body += self.tail
        elif not self.final:
            body = body[: -len(self.newline)]
        return (self.head + body).encode(self.encoding)


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cells(table: Table, test: Callable[[str, str], bool]) -> list[tuple[int, int]]:
    header = table.rows[0] if table.rows else []
    return [
        (r, c)
        for r in range(1, len(table.rows))
        for c, value in enumerate(table.rows[r])
        if c < len(header) and test(header[c], value)
    ]


def _is_count(header: str, value: str) -> bool:
    name = header.casefold()
    return (
        bool(NUMBER.match(value))
        and not value.startswith("-")
        and not any(w in name for w in ("id", "date", "day"))
    )


DATE = re.compile(r"(20\d\d)-(\d\d)-(\d\d)|^(20\d\d)(\d\d)(\d\d)$|^(\d{1,2})/(\d{1,2})/(\d{2,4})")


def _other_month(value: str, month: int) -> str:
    def swap(m: re.Match) -> str:
        if m.group(1):
            return f"{m.group(1)}-{month:02d}-{m.group(3)}"
        if m.group(4):
            return f"{m.group(4)}{month:02d}{m.group(6)}"
        return f"{month}/{m.group(8)}/{m.group(9)}"

    return DATE.sub(swap, value, count=1)


@st.composite
def mutants(draw, seed: Seed) -> Mutant:
    data = seed.data
    table = Table.of(data)
    kinds = ["cut", "bytes"]
    if table is not None and len(table.rows) >= 2:
        kinds += ["encoding", "bom", "newlines", "duplicate column", "blank column", "shift", "date",
                  "huge", "negative", "excel", "scientific", "rows"]  # fmt: skip
    kind = draw(st.sampled_from(kinds))
    if kind == "cut":
        at = draw(st.integers(1, len(data) - 1))
        return Mutant(data[:at], f"cut at byte {at}", CUT)
    if kind == "bytes":
        at = draw(st.integers(0, len(data) - 1))
        new = draw(st.binary(min_size=1, max_size=3))
        return Mutant(data[:at] + new + data[at + 1 :], f"bytes {new!r} at {at}", VALUE)
    text, _ = _decode(data)
    if kind == "encoding":
        encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-8-sig", "cp1252", "latin-1", "utf-32"]))
        try:
            return Mutant(text.encode(encoding), f"re-encoded as {encoding}", SAME)
        except UnicodeEncodeError:  # a character the encoding lacks: replacing it changes the text
            return Mutant(text.encode(encoding, errors="replace"), f"re-encoded as {encoding}, lossy", VALUE)
    if kind == "bom":
        bom = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF8 * 2, b"\xef\xbb"]))
        return Mutant(bom + data, f"BOM {bom!r} added", SAME)
    if kind == "newlines":
        # Line breaks between lines; those inside a quoted value are part of the value.
        style = draw(st.sampled_from(["\n", "\r\n", "\r", "no final", "extra final"]))
        if style == "no final":
            table.final, table.tail = False, table.tail.rstrip("\r\n")
        elif style == "extra final":
            table.final, table.tail = True, table.tail + table.newline
        else:
            table.head = table.head.replace(table.newline, style)
            table.tail = table.tail.replace(table.newline, style)
            table.newline = style
        return Mutant(table.bytes(), f"line endings {style!r}", SAME)
    header = table.rows[0]
    width = len(header)
    if kind in ("duplicate column", "blank column"):
        column = draw(st.integers(0, width - 1))
        for row in table.rows:
            row[len(row) :] = [""] * (width - len(row))
            row.insert(column + 1, row[column] if kind == "duplicate column" else "")
        return Mutant(table.bytes(), f"{kind} at {column}", SAME)
    if kind == "shift":
        row = draw(st.integers(1, len(table.rows) - 1))
        column = draw(st.integers(0, max(0, len(table.rows[row]) - 1)))
        if draw(st.booleans()) and table.rows[row]:
            del table.rows[row][column]
            what = f"cell {column} of row {row} removed"
        else:
            table.rows[row].insert(column, draw(st.sampled_from(["", "0", "x"])))
            what = f"cell inserted at {column} of row {row}"
        return Mutant(table.bytes(), what, SAME)
    if kind == "rows":
        row = draw(st.integers(1, len(table.rows) - 1))
        if draw(st.booleans()):
            table.rows.insert(row, list(table.rows[row]))
            return Mutant(table.bytes(), f"row {row} duplicated", VALUE)
        del table.rows[row]
        return Mutant(table.bytes(), f"row {row} deleted", VALUE)
    if kind == "date":
        cells = _cells(table, lambda h, v: bool(DATE.search(v)))
        if not cells:
            return Mutant(data, "no date", SAME)
        r, c = draw(st.sampled_from(cells))
        month = draw(st.sampled_from([1, 7, 9, 11, 12]))
        table.rows[r][c] = _other_month(table.rows[r][c], month)
        return Mutant(table.bytes(), f"date in row {r}, column {c} moved to month {month}", VALUE)
    if kind in ("huge", "negative", "scientific"):
        cells = _cells(
            table, _is_count if kind != "scientific" else lambda h, v: bool(re.match(r"^\d{6,}$", v))
        )
        if not cells:
            return Mutant(data, f"no cell for {kind}", SAME)
        r, c = draw(st.sampled_from(cells))
        value = table.rows[r][c]
        if kind == "huge":
            power = draw(st.integers(12, 40))
            table.rows[r][c] = str(10**power)
            # Beyond 2**53 whole numbers are no longer exact: no export holds one.
            allows = VALUE if 10**power < 2**53 else "refused or warned"
            return Mutant(table.bytes(), f"10**{power} in row {r}, column {c}", allows)
        if kind == "negative":
            table.rows[r][c] = "-" + value
            allows = SAME if float(value) == 0 else "refused or warned"
            return Mutant(table.bytes(), f"negative number in row {r}, column {c}", allows)
        table.rows[r][c] = f"{float(value):.5E}"
        return Mutant(table.bytes(), f"scientific notation in row {r}, column {c}", SAME)
    # Excel's way of keeping text as text: ="…"
    r = draw(st.integers(1, len(table.rows) - 1))
    if not table.rows[r]:
        return Mutant(data, "empty row", SAME)
    c = draw(st.integers(0, len(table.rows[r]) - 1))
    table.rows[r][c] = f'="{table.rows[r][c]}"'
    return Mutant(table.bytes(), f'="…" around row {r}, column {c}', SAME)


# ---------------------------------------------------------------------------------------------
# The property
# ---------------------------------------------------------------------------------------------


#: Sources that always write rows: a file of theirs with none is refused (reach.ingest.damage).
ALWAYS_ROWS = {"ga4_report", "youtube_chart", "youtube_totals", "meta_posts", "meta_ads"}


def _undetectable_cut(seed: Seed, exports) -> bool:
    """What docs/architecture.md says a cut cannot be told from.

    The rows before the cut, whole (a cut at a line end in a file with no totals; no rows at
    all only for a source that may have none, such as a form nobody answered), or with one
    value cut short in one row (a GA4 file's last number; the last value of a file that need not
    end with a line break).
    """
    if len(exports) != 1 or len(seed.fingerprint) != 1:
        return False
    import pandas as pd

    before = pd.read_json(io.StringIO(seed.fingerprint[0][3]), orient="split")
    after = exports[0].table
    if len(after) == 0:
        return seed.kinds[0] not in ALWAYS_ROWS
    if list(after.columns) != list(before.columns) or len(after) > len(before):
        return False
    after = pd.read_json(io.StringIO(_fingerprint(exports)[0][3]), orient="split")
    rows = [tuple(map(str, r)) for r in before.itertuples(index=False)]
    pending = list(rows)
    cut = 0
    for row in (tuple(map(str, r)) for r in after.itertuples(index=False)):
        if row in pending:
            pending.remove(row)
            continue
        near = [r for r in pending if sum(a != b for a, b in zip(r, row, strict=True)) == 1]
        if not near or cut:
            return False
        pending.remove(near[0])
        cut += 1
    return True


def judge(seed: Seed, mutant: Mutant, folder: Path) -> str:
    """Read the mutant from a file; return the outcome, or raise AssertionError naming the failure."""
    path = folder / seed.name
    path.write_bytes(mutant.data)
    digest = hashlib.sha256(mutant.data).hexdigest()
    try:
        exports = _read(path)
    except ReachError as err:
        message = str(err)
        assert seed.name in message, f"{mutant.what}: the error does not name the file: {message}"
        assert "\n" not in message, f"{mutant.what}: the error is not one line: {message!r}"
        return "refused"
    finally:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, f"{mutant.what}: the file was changed"
    if any(e.warnings for e in exports) and not seed.warned:
        return "announced"
    if _fingerprint(exports, seed.columns) == seed.fingerprint:
        return "unchanged"
    assert mutant.allows in (CUT, VALUE), f"{mutant.what}: read to different tables without a warning"
    if mutant.allows == CUT:
        assert _undetectable_cut(seed, exports), f"{mutant.what}: cut short but read without a warning"
    return "different values"


SEED_NAMES = sorted(
    [p.name for p in (RAW / MONTH).rglob("*") if p.is_file()]
    + [
        "Safer sleep (Responses) - Form responses 1.csv",
        "Untitled-report-Oct-1-2026-to-Oct-31-2026_Reach.csv",
        "Facebook follows.csv",
        "feedex_2026-10-01_2026-10-31_safer-sleep.csv",
        "Reports_snapshot.csv",
        "youtube 2026-10-01_2026-10-31.zip",
        "Safer sleep feedback.xlsx",
    ]
)


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(data=st.data())
def test_every_damaged_export_is_refused_announced_or_unchanged(seeds, tmp_path_factory, data):
    by_name = {seed.name: seed for seed in seeds}
    seed = by_name[data.draw(st.sampled_from(SEED_NAMES), label="seed")]
    mutant = data.draw(mutants(seed), label="mutant")
    folder = tmp_path_factory.mktemp("mutant")
    judge(seed, mutant, folder)
    shutil.rmtree(folder)


# ---------------------------------------------------------------------------------------------
# Whole months: the same outcomes at the level of summary.json
# ---------------------------------------------------------------------------------------------


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _month(raw: Path, out: Path) -> tuple[str | None, object]:
    """Build the sample month from ``raw`` and compose its summary: (summary text, tables) or (None, error)."""
    from reach import build, store
    from reach.summary.monthly import monthly_summary

    settings = config.load_config()
    before = _digests(raw)
    try:
        built = build.build(MONTH, raw, out, config.sample_dir() / "reference", settings)
    except ReachError as err:
        return None, err
    finally:
        assert _digests(raw) == before, "a raw file was changed, added or removed by the run"
    return store.json_text(monthly_summary(built.tables, MONTH, True, settings)), built.tables


@pytest.fixture(scope="module")
def short_tree(tmp_path_factory):
    """The sample's last two months of raw files, and the summary they give."""
    raw = tmp_path_factory.mktemp("month") / "raw"
    for month in ("2026-09", MONTH):
        shutil.copytree(RAW / month, raw / month)
    summary, _ = _month(raw, tmp_path_factory.mktemp("processed"))
    assert summary is not None
    return raw, summary


def _mutated_run(short_tree, tmp_path, rel: str, change: Callable[[bytes], bytes]):
    raw, baseline = short_tree
    tree = tmp_path / "raw"
    shutil.copytree(raw, tree)
    target = tree / MONTH / rel
    target.write_bytes(change(target.read_bytes()))
    summary, result = _month(tree, tmp_path / "processed")
    return baseline, summary, result, f"{MONTH}/{rel}"


def test_a_form_resaved_by_a_spreadsheet_is_announced_and_changes_nothing(short_tree, tmp_path):
    # Re-encoded as UTF-16 with a BOM and every district written as ="…" (a spreadsheet keeping text as text).
    def resave(data: bytes) -> bytes:
        table = Table.of(data)
        column = table.rows[0].index("Which district do you live or work in?")
        for row in table.rows[1:]:
            row[column] = f'="{row[column]}"'
        table.encoding = "utf-16"
        return table.bytes()

    baseline, summary, tables, path = _mutated_run(short_tree, tmp_path, next(
        str(p.relative_to(RAW / MONTH)) for p in (RAW / MONTH / "feedback").glob("Safer sleep feedback*.csv")
    ), resave)  # fmt: skip
    assert summary is not None, tables
    warnings = tables["inputs"].set_index("path").loc[path, "warnings"]
    assert "Excel text formula" in warnings
    # Every figure is the same; the data-quality block counts one more file with a warning.
    now, before = json.loads(summary), json.loads(baseline)
    assert now["data_quality"]["files_with_warnings"] == before["data_quality"]["files_with_warnings"] + 1
    now["data_quality"]["files_with_warnings"] = before["data_quality"]["files_with_warnings"]
    assert now == before


def test_a_pages_report_with_a_repeated_column_is_refused_announced_or_changes_nothing(short_tree, tmp_path):
    def repeat(data: bytes) -> bytes:
        table = Table.of(data)
        for row in table.rows:
            row.insert(2, row[1])  # Views twice
        return table.bytes()

    baseline, summary, result, path = _mutated_run(
        short_tree, tmp_path, "ga4/Pages_and_screens_Page_path_and_screen_class.csv", repeat
    )
    if summary is None:
        assert Path(path).name in str(result) and "\n" not in str(result)
    else:
        inputs = result["inputs"].set_index("path")
        assert inputs.loc[path, "warnings"] or summary == baseline
