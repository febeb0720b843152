"""Try to recover hidden counts (1 to 7) from every figure of a month built with many small cells.

Issue 15, item 2. A month of hand-written processed tables has small groups everywhere: form
answers by district and respondent type (a share of 9 of 11, groups of 1 to 7, a withheld
"*" and "10" that add up to 19), a month in the trend window with 2 "no" answers, a page
widget with 2 "no", a theme that all but 5 comments mention, and a recall return with
suppressed and near-complete districts. Its ``summary.json`` (and the At a glance tiles and the
helpful trend chart the report shows) is then attacked the way a reader could:

* every share beside its shown count: each whole-number pair (k, n) that the shown count
  allows and that gives exactly the published share;
* each breakdown against its total: the groups add up to the total, so every group's
  (yes-answers, answers) must fit with the others' (exact for shown shares, the shown count's
  range for withheld ones) and the total; and the withheld groups together are the total
  minus the shown groups;
* the 12-month trend: refitted with every other month's published counts and each possible
  count of the withheld month.

A count is recovered when the attack leaves it exactly one possible value, of 1 to 7. The
attacker's rules are written here from docs/methodology.md (the NHS rule rounds to the
nearest 5; the trend is a binomial GLM of each month's counts on the month number), never
from the code under test. ``TestTheAttackFindsLeaks`` checks that the attack recovers
counts from outputs that are known to leak.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import yaml

from reach import build, config
from reach.summary import charts as chart_data
from reach.summary import glance as at_a_glance
from reach.summary import monthly
from reach.tidy.specs import ASSET_KEYS, TABLE_SPECS
from tests.conftest import REPO_ROOT

MONTH = "2026-10"
WINDOW = [f"2025-{m:02d}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]
SMALL = frozenset(range(1, 8))
ALL3 = "On their back;In a clear, flat cot or Moses basket;In their own sleep space, alone"
SOME = "On their back"

# ---------------------------------------------------------------------------------------------
# The attacker (independent of reach: the NHS rule and the trend model as documented)
# ---------------------------------------------------------------------------------------------


def counts_for(shown: str) -> range:
    """Every count the NHS rule shows as ``shown``: 0 as "0", 1-7 as "*", else nearest 5."""
    if shown == "0":
        return range(0, 1)
    if shown == "*":
        return range(1, 8)
    centre = int(shown)
    return range(max(8, centre - 2), centre + 3)  # 53..57 all round to 55; 8..12 to 10


def share_pairs(estimate: float, answers: Iterable[int]) -> set[tuple[int, int]]:
    """The (k, n) with n in ``answers`` and k / n equal to the published share."""
    pairs = set()
    for n in answers:
        if n <= 0:
            continue
        k = round(estimate * n)
        if 0 <= k <= n and math.isclose(k / n, estimate, rel_tol=0, abs_tol=1e-12):
            pairs.add((k, n))
    return pairs


def pinned(values: Iterable[int]) -> int | None:
    """The small count a set of possible values gives away (one value, 1 to 7), else None."""
    values = set(values)
    return next(iter(values)) if len(values) == 1 and values <= SMALL else None


def share_leaks(estimate: float, answers: range) -> list[str]:
    """What a share beside its shown count gives away: 'k=2', 'n-k=2', 'n=5'."""
    pairs = share_pairs(estimate, answers) or share_pairs(estimate, range(1, answers.stop))
    assert pairs, f"the attack found no count behind {estimate} with n in {answers}"
    leaks = []
    for name, values in (
        ("k", {k for k, _ in pairs}),
        ("n-k", {n - k for k, n in pairs}),
        ("n", {n for _, n in pairs}),
    ):
        if pinned(values) is not None:
            leaks.append(f"{name}={pinned(values)}")
    return leaks


class Infeasible(Exception):
    """No counts fit what is shown: some "*" stands for more than 7 (secondary suppression)."""


def _sums(cells: list[set[tuple[int, int]]], shape: tuple[int, int]) -> np.ndarray:
    """Boolean array A[k, n]: some choice of one (k, n) per cell adds up to (k, n)."""
    reach = np.zeros(shape, dtype=bool)
    reach[0, 0] = True
    for cell in cells:
        grown = np.zeros(shape, dtype=bool)
        for k, n in cell:
            if k < shape[0] and n < shape[1]:
                grown[k:, n:] |= reach[: shape[0] - k, : shape[1] - n]
        reach = grown
    return reach


def breakdown_leaks(total: set[tuple[int, int]], groups: Mapping[str, set[tuple[int, int]]]) -> list[str]:
    """Counts of 1-7 a breakdown gives away against its total (groups add up to the total)."""
    top_n = max(n for _, n in total)
    shape = (top_n + 1, top_n + 1)
    leaks = []
    names = list(groups)
    for name in names:
        others = _sums([groups[g] for g in names if g != name], shape)
        fits = {
            (k, n)
            for k, n in groups[name]
            if any(0 <= tk - k and 0 <= tn - n and others[tk - k, tn - n] for tk, tn in total)
        }
        if not fits:
            raise Infeasible(name)
        for label, values in (
            ("n", {n for _, n in fits}),
            ("k", {k for k, _ in fits}),
            ("n-k", {n - k for k, n in fits}),
        ):
            if pinned(values) is not None:
                leaks.append(f"{name}: {label}={pinned(values)}")
    exact = [g for g in names if len(groups[g]) == 1]
    rest = [g for g in names if g not in exact and max(n for _, n in groups[g]) > 0]
    if len(total) == 1 and rest:
        (tk, tn) = next(iter(total))
        k = tk - sum(next(iter(groups[g]))[0] for g in exact)
        n = tn - sum(next(iter(groups[g]))[1] for g in exact)
        for label, value in (("n", n), ("k", k), ("n-k", n - k)):
            if value in SMALL:
                leaks.append(f"withheld groups together ({', '.join(rest)}): {label}={value}")
    return leaks


def refined_total(
    total: set[tuple[int, int]], breakdowns: Iterable[Mapping[str, set]]
) -> set[tuple[int, int]]:
    """The totals that every breakdown can add up to (a breakdown can give a withheld total back)."""
    top_n = max(n for _, n in total)
    keep = set(total)
    for groups in breakdowns:
        sums = _sums(list(groups.values()), (top_n + 1, top_n + 1))
        keep = {(k, n) for k, n in keep if sums[k, n]}
    if not keep:
        raise Infeasible("total")
    return keep


def outtake_leaks(block: Mapping) -> list[str]:
    """Every count of 1-7 one measure's out-takes give away: its shares and its two breakdowns."""
    leaks = []
    for name, leaf in [("overall", block["overall"])] + [
        (f"{bd} {g}", leaf) for bd in ("by_district", "by_respondent_type") for g, leaf in block[bd].items()
    ]:
        if leaf["estimate"] is not None:
            leaks += [f"{name}: {leak}" for leak in share_leaks(leaf["estimate"], counts_for(leaf["n"]))]
    names = ("by_district", "by_respondent_type")
    try:  # "*" read as 1 to 7, as a reader would first read it
        breakdowns = {bd: {g: _cell(leaf) for g, leaf in block[bd].items()} for bd in names}
        total = refined_total(_cell(block["overall"]), breakdowns.values())
        found = [
            f"{bd} {leak}" for bd, groups in breakdowns.items() for leak in breakdown_leaks(total, groups)
        ]
    except Infeasible:  # some "*" must stand for more than 7
        top = max(counts_for(block["overall"]["n"]))
        breakdowns = {bd: {g: _cell(leaf, top) for g, leaf in block[bd].items()} for bd in names}
        total = refined_total(_cell(block["overall"], top), breakdowns.values())
        found = [
            f"{bd} {leak}" for bd, groups in breakdowns.items() for leak in breakdown_leaks(total, groups)
        ]
    return leaks + found


def _odds_ratio(per_month: list[tuple[int, int] | None]) -> float | None:
    """Binomial GLM of the monthly counts on the month number: exp(slope) (docs/methodology.md)."""
    rows = [
        (t, k, n) for t, cell in enumerate(per_month) if cell is not None and cell[1] > 0 for k, n in [cell]
    ]
    if len(rows) < 3:
        return None
    t = np.array([r[0] for r in rows], dtype=float)
    k = np.array([r[1] for r in rows], dtype=float)
    n = np.array([r[2] for r in rows], dtype=float)
    if k.sum() in (0, n.sum()):
        return None
    fit = sm.GLM(
        np.column_stack([k, n - k]), np.column_stack([np.ones_like(t), t]), family=sm.families.Binomial()
    ).fit()
    return math.exp(float(fit.params[1]))


def trend_leaks(
    published: float | None, known: dict[int, tuple[int, int]], hidden: dict[int, range]
) -> list[str]:
    """Counts of a withheld month recovered by refitting the trend with every candidate.

    ``known``: position in the window → the month's published counts; ``hidden``: position →
    the shown range of its answers. A candidate is the month left out, or any (k, n).
    """
    leaks = []
    size = 1 + max([*known, *hidden])
    for position, answers in hidden.items():
        fits = []
        for cell in [None] + [(k, n) for n in answers for k in range(n + 1)]:
            per_month = [known.get(t) for t in range(size)]
            per_month[position] = cell
            ratio = _odds_ratio(per_month)
            same = (ratio is None and published is None) or (
                ratio is not None and published is not None and math.isclose(ratio, published, rel_tol=1e-7)
            )
            if same:
                fits.append(cell)
        assert fits, "the attack found no month that fits the published trend"
        cells = [c for c in fits if c is not None]
        if len(cells) == len(fits):  # the month cannot have been left out
            for label, values in (
                ("k", {k for k, _ in cells}),
                ("n-k", {n - k for k, n in cells}),
                ("n", {n for _, n in cells}),
            ):
                if pinned(values) is not None:
                    leaks.append(f"month {position}: {label}={pinned(values)}")
    return leaks


# ---------------------------------------------------------------------------------------------
# The month: hand-written processed tables with many small cells
# ---------------------------------------------------------------------------------------------


def _answer(
    month, rtype, district, helpful, key=ALL3, intends="No, I already do this", where=None, comment=None
):
    return {
        "month": month,
        "completed_at": f"{month}-15 10:00:00",
        "respondent_type": rtype,
        "district": district,
        "where_seen": where,
        "helpful": helpful,
        "key_messages": key,
        "intends_change": intends,
        "comment": comment,
        "recruited_via": None,
        "source_file": f"{month}/feedback/form.csv",
    }


# This month's form answers: district → list of (respondent type, helpful). Yes-answers by
# district: Breckland 22/30, Norwich 9/11 (the example), Broadland 6/12, Great Yarmouth
# 7/7, North Norfolk 12/20, South Norfolk 0/9, King's Lynn 2/3, Outside Norfolk 1/2, not
# answered 1/1. By type: professionals 4 of 7 ("*"), "Other" 6 of 12 ("10"): withheld together
# they hold 19 answers, which only 7 + 12 can make.
THIS_MONTH = {
    "Breckland": [("Parent or carer", "Yes")] * 22 + [("Parent or carer", "No")] * 8,
    "Norwich": [("Parent or carer", "Yes")] * 9 + [("Parent or carer", "No")] * 2,
    "Broadland": [("Other", "Yes")] * 6 + [("Other", "No")] * 6,
    "Great Yarmouth": [("Professional", "Yes")] * 4 + [("Parent or carer", "Yes")] * 3,
    "North Norfolk": [("Parent or carer", "Yes")] * 12
    + [("Professional", "No")] * 3
    + [("Parent or carer", "No")] * 5,
    "South Norfolk": [("Parent or carer", "No")] * 9,
    "King's Lynn and West Norfolk": [("Parent or carer", "Yes")] * 2 + [("Parent or carer", "Not sure")],
    "Outside Norfolk": [("Parent or carer", "Yes"), ("Parent or carer", "No")],
    None: [("Parent or carer", "Yes")],
}


def _feedback() -> pd.DataFrame:
    rows = []
    for position, month in enumerate(WINDOW):
        if month == MONTH:
            continue
        if month == "2026-05":  # withheld in its own month: 9 of 11 said yes
            answers = ["Yes"] * 9 + ["No"] * 2
        else:
            yes = 22 + (position * 7) % 11
            answers = ["Yes"] * yes + ["No"] * (40 - yes)
        for i, helpful in enumerate(answers):
            comment = "Thanks, really helpful" if i < 4 else None
            intends = "Yes, I will change something" if i % 3 == 0 else "No"
            rows.append(_answer(month, "Parent or carer", "Breckland", helpful, ALL3 if i % 4 else SOME, intends,
                                "Just One Norfolk website", comment))  # fmt: skip
    # 40 thanks by September (4 a month over 10 months) and 5 about room temperature now: the
    # 40 of 45 would give away the 5 comments that do not thank.
    index = 0
    for district, answers in THIS_MONTH.items():
        for rtype, helpful in answers:
            key = None if index % 13 == 5 else (ALL3 if index % 5 else SOME)
            intends = "Yes, I will change something" if index % 6 == 0 else "No, I already do this"
            where = (
                "Facebook"
                if index % 9 == 0
                else ("Just One Norfolk website" if index % 2 else "Leaflet or QR code")
            )
            comment = "The room was too hot in summer" if index < 5 else None
            rows.append(_answer(MONTH, rtype, district, helpful, key, intends, where, comment))
            index += 1
    frame = pd.DataFrame(rows)
    return frame.astype({c: "string" for c in frame.columns})


def _page_feedback() -> pd.DataFrame:
    helpful = [True] * 10 + [False] * 2  # 10 of 12: the 2 "no" are a small count
    return pd.DataFrame(
        {
            "month": MONTH,
            "submitted_at": f"{MONTH}-20 12:00:00",
            "page_path": "/safer-sleep",
            "helpful": helpful,
            "comment": None,
            "source_file": f"{MONTH}/feedback/page.csv",
            "asset_id": "safer-sleep-web",
            "asset_title": "Safer sleep",
            "theme": "safer-sleep",
        }
    ).astype({"month": "string", "comment": "string"})


# The recall return: an estimate (52 of 80), a suppressed numerator, 4 and 2 families not
# recalling, too few asked, 45 of 90, and none of 30.
RECALL = [
    ("E07000143", "Breckland", 84, 80, 52, 30, 3, 25, 40, ""),
    ("E07000144", "Broadland", 76, 70, None, None, 0, 3, None, "recalled_any;recalled_web;recalled_leaflet"),
    ("E07000145", "Great Yarmouth", 41, 40, 36, 20, 5, 12, 30, ""),
    ("E07000146", "King's Lynn and West Norfolk", 6, 5, None, None, None, None, None, "recalled_any"),
    ("E07000147", "North Norfolk", 61, 60, 58, 40, 2, 6, 50, ""),
    ("E07000148", "Norwich", 95, 90, 45, 20, 10, 15, 30, ""),
    ("E07000149", "South Norfolk", 30, 30, 0, 0, 0, 0, 0, ""),
]


def _recall() -> pd.DataFrame:
    columns = ["district_code", "district", "new_birth_visits", "families_asked", "recalled_any",
               "recalled_web", "recalled_video", "recalled_social", "recalled_leaflet", "suppressed"]  # fmt: skip
    frame = pd.DataFrame(RECALL, columns=columns)
    for column in columns[2:-1]:
        frame[column] = frame[column].astype("Int64")
    frame.insert(0, "month", MONTH)
    frame["source_file"] = f"{MONTH}/health_visiting/recall.csv"
    return frame


def small_cell_tables(settings: Mapping) -> dict[str, pd.DataFrame]:
    """Processed tables of the month: no web, video or social activity, many small cells."""
    tables = {
        name: pd.DataFrame({c: pd.Series(dtype="object") for c in (*columns, "source_file")})
        for name, (columns, _) in TABLE_SPECS.items()
    }
    for name in ASSET_KEYS:
        tables[name] = tables[name].assign(asset_id=None, asset_title=None, theme=None).astype("object")
    reference = build.read_reference(config.sample_dir() / "reference")
    tables.update({f"reference_{name}": frame for name, frame in reference.items()})
    tables["reference_campaigns"] = reference["campaigns"].iloc[0:0]
    tables["reference_town_districts"] = build.read_town_districts(settings)
    empty = {
        "inputs": ["path", "role", "sha256", "bytes", "kind", "start", "end", "rows", "warnings"],
        "unmatched": ["table", "month", "identifier", "measure", "value"],
        "quarantine": ["source_file", "line", "table", "reason"],
        "restatements": ["table", "key", "column", "earlier", "later", "earlier_file", "later_file"],
        "notes": ["source", "note"],
    }
    tables.update({name: pd.DataFrame(columns=columns) for name, columns in empty.items()})
    tables["feedback"] = _feedback()
    tables["page_feedback"] = _page_feedback()
    tables["hv_recall"] = _recall()
    return tables


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The month's summary.json as written, and what the report shows beside it."""
    settings = dict(config.load_config())
    codebook = yaml.safe_load((REPO_ROOT / "config" / "codebook.yaml").read_text(encoding="utf-8"))
    settings["impact"] = {**dict(settings.get("impact") or {}), "codebook": codebook}
    tables = small_cell_tables(settings)
    summary = monthly.monthly_summary(tables, MONTH, False, settings, quotes=True)
    path = tmp_path_factory.mktemp("attack") / "summary.json"
    monthly.write_summary(summary, path)
    written = json.loads(path.read_text(encoding="utf-8"))
    tiles = at_a_glance.glance(tables, MONTH, settings, summary)
    trend = chart_data.helpful_trend(tables["feedback"], MONTH, 24, 0.95, settings.get("suppression"))
    return written, tiles, trend, tables


# ---------------------------------------------------------------------------------------------
# The attack on the month
# ---------------------------------------------------------------------------------------------


def _shares(node, path=""):
    """Every published share beside a count: (path, estimate, n text)."""
    if isinstance(node, dict):
        share = "n_previous" not in node  # a month-on-month change is a difference, checked below
        if share and isinstance(node.get("estimate"), float) and isinstance(node.get("n"), str) and node["n"]:
            if 0 <= node["estimate"] <= 1:
                yield path, node["estimate"], node["n"]
        for key, value in node.items():
            yield from _shares(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _shares(value, f"{path}[{index}]")


def _cell(leaf: Mapping, top: int | None = None) -> set[tuple[int, int]]:
    """What a reader knows of a group's (yes, answers): exact pairs, or the shown count's range.

    With ``top``, a "*" is any count from 1 to ``top`` (a count withheld by secondary
    suppression is shown as "*" too).
    """
    answers = range(1, top + 1) if top is not None and leaf["n"] == "*" else counts_for(leaf["n"])
    if leaf.get("estimate") is None:
        return {(k, n) for n in answers for k in range(n + 1)}
    return share_pairs(leaf["estimate"], answers)


class TestNoHiddenCountRecovered:
    def test_the_month_has_many_small_cells(self, published):
        summary = published[0]
        by_district = summary["impact"]["outtakes"]["helpful"]["by_district"]
        assert sum(leaf["n"] == "*" for leaf in by_district.values()) >= 4
        assert summary["feedback"]["helpful"]["estimate"] is not None  # 60 of 95: something is shown

    def test_no_share_beside_its_count_gives_a_small_count_away(self, published):
        summary, tiles, trend, _ = published
        leaks = {}
        found = list(_shares(summary))
        assert len(found) >= 8
        for path, estimate, n_text in found:
            if path == ".feedback.helpful":  # n is every response; the share's answers are fewer
                answers = range(1, counts_for(n_text).stop)
            else:
                answers = counts_for(n_text)
            if share_leaks(estimate, answers):
                leaks[path] = share_leaks(estimate, answers)
        for tile in tiles["tiles"]:
            for key, value in [("value", tile["value"])] + [
                (c["key"], c["value"]) for c in tile["comparisons"]
            ]:
                if value.get("estimate") is not None and isinstance(value.get("n"), str):
                    if share_leaks(value["estimate"], counts_for(value["n"])):
                        leaks[f"glance {tile['key']} {key}"] = share_leaks(
                            value["estimate"], counts_for(value["n"])
                        )
        for row in trend.itertuples(index=False):
            if not pd.isna(row.estimate):
                if share_leaks(float(row.estimate), counts_for(row.answers)):
                    leaks[f"helpful trend {row.month}"] = share_leaks(
                        float(row.estimate), counts_for(row.answers)
                    )
        assert leaks == {}

    def test_theme_shares_give_no_small_count_away(self, published):
        themes = published[0]["impact"]["themes"]["sources"]
        leaks = {}
        checked = 0
        for source, block in themes.items():
            totals = counts_for(block["comments"])
            for theme in block["themes"]:
                if theme["share"] is None:
                    continue
                checked += 1
                pairs = {
                    (k, n)
                    for n in totals
                    for k in counts_for(theme["comments"])
                    if math.isclose(k / n, theme["share"], abs_tol=1e-12)
                }
                assert pairs, theme
                for label, values in (("k", {k for k, _ in pairs}), ("n-k", {n - k for k, n in pairs})):
                    if pinned(values) is not None:
                        leaks[f"{source}: {theme['theme']}"] = f"{label}={pinned(values)}"
        assert checked >= 3
        assert leaks == {}

    @pytest.mark.parametrize("measure", ["helpful", "key_messages", "intends_change"])
    def test_no_group_follows_from_the_total_and_the_other_groups(self, published, measure):
        # Each breakdown against the total, the total known from its share or, when withheld,
        # from its shown count and what both breakdowns add up to.
        assert outtake_leaks(published[0]["impact"]["outtakes"][measure]) == []

    @pytest.mark.parametrize("measure", ["helpful", "key_messages", "intends_change"])
    def test_the_trend_gives_no_withheld_month_back(self, published, measure):
        summary, _, _, tables = published
        trend = summary["impact"]["outtakes"][measure]["trend"]
        assert (trend["first_month"], trend["last_month"]) == (WINDOW[0], WINDOW[-1])
        # The attacker knows every other month's counts (from those months' reports: shares of
        # 40 answers with 8 or more on each side are shown); 2026-05 was shown as n "10".
        yes = {
            "helpful": lambda r: r["helpful"] == "Yes",
            "key_messages": lambda r: r["key_messages"] == ALL3,
            "intends_change": lambda r: r["intends_change"] == "Yes, I will change something",
        }[measure]
        form = tables["feedback"]
        known = {}
        for position, month in enumerate(WINDOW):
            rows = form[(form["month"] == month) & form[measure].notna()]
            if month not in (MONTH, "2026-05"):
                known[position] = (int(rows.apply(yes, axis=1).sum()), len(rows))
        this = summary["impact"]["outtakes"][measure]["overall"]
        if this["estimate"] is not None:
            (known[WINDOW.index(MONTH)],) = share_pairs(this["estimate"], counts_for(this["n"]))
            hidden = {WINDOW.index("2026-05"): counts_for("10")}
        else:
            hidden = {WINDOW.index("2026-05"): counts_for("10"), WINDOW.index(MONTH): counts_for(this["n"])}
        assert trend_leaks(trend["odds_ratio_per_month"], known, hidden) == []

    def test_a_change_is_shown_only_between_two_shown_shares(self, published):
        for measure, block in published[0]["impact"]["outtakes"].items():
            if isinstance(block, dict) and "change" in block and block["change"]["estimate"] is not None:
                assert block["overall"]["estimate"] is not None, measure
                assert block["previous_month"]["estimate"] is not None, measure

    def test_district_coverage_gives_no_small_count_away(self, published):
        # Families asked are not shown; a district's share is k / n for some n of at least 8.
        leaks = {}
        for row in published[0]["reach"]["by_district"]:
            cov = row["coverage"]
            if cov["estimate"] is not None:
                found = share_leaks(cov["estimate"], range(8, 1001))
                if found:
                    leaks[row["district"]] = found
            families = row["reach"]
            for key in ("estimate", "low", "high"):
                assert families[key] is None or families[key] == 0 or families[key] > 7, (
                    row["district"],
                    key,
                )
        assert leaks == {}
        kinds = {row["district"]: row["coverage"]["kind"] for row in published[0]["reach"]["by_district"]}
        assert kinds["Broadland"] == kinds["Great Yarmouth"] == kinds["North Norfolk"] == "bound"
        assert published[0]["reach"]["coverage"]["estimate"] is None  # the county is a bound


def _tiny(cells: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    rows = []
    for rtype, district, yes, answers in cells:
        rows += [_answer(MONTH, rtype, district, "Yes" if i < yes else "No") for i in range(answers)]
    frame = pd.DataFrame(rows)
    return frame.astype({c: "string" for c in frame.columns})


P, PRO, OTH = "Parent or carer", "Professional", "Other"
TINY_MONTHS = {
    # Withheld "*" and "10" holding 19 answers beside shown parents.
    "pinned by ranges": [(P, "Breckland", 50, 76), (PRO, "Breckland", 4, 7), (OTH, "Norwich", 6, 12)],
    # Every type withheld; one district holding the whole total.
    "one district": [(PRO, "Breckland", 4, 7), (OTH, "Breckland", 6, 12)],
    # 1 + 8 + 8 = 17, shown "15": the "*" can only be 1.
    "rounded counts alone": [(P, "Breckland", 1, 1), (P, "Norwich", 4, 8), (P, "Broadland", 4, 8)],
    # Many groups of every size.
    "many groups": [
        (P, "Breckland", 20, 28), (PRO, "Breckland", 2, 3), (OTH, "Norwich", 5, 9), (P, "Norwich", 9, 11),
        (P, "North Norfolk", 8, 16), (PRO, "Broadland", 8, 8), (P, "South Norfolk", 0, 1),
        (OTH, "Outside Norfolk", 3, 5), (P, "Great Yarmouth", 12, 20),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", list(TINY_MONTHS))
def test_tiny_months_give_no_small_count_away(name):
    from reach.estimate import outtakes

    result = outtakes.outtakes(_tiny(TINY_MONTHS[name]), MONTH)
    for measure in ("helpful", "key_messages", "intends_change"):
        assert outtake_leaks(result[measure]) == [], measure


# ---------------------------------------------------------------------------------------------
# The attack itself finds counts in outputs known to leak
# ---------------------------------------------------------------------------------------------


class TestTheAttackFindsLeaks:
    def test_a_share_beside_a_rounded_count(self):
        # The example: Norwich key messages 0.8181818 beside n "10" is 9 of 11.
        assert share_leaks(9 / 11, counts_for("10")) == ["n-k=2"]
        assert share_leaks(12 / 20, counts_for("20")) == []

    def test_a_group_worked_out_from_the_total(self):
        # 60 of 95 shown; parents 50 of 76 shown; professionals "*" and "Other" "10" withheld:
        # together 19 answers, which only 7 + 12 can make.
        total = share_pairs(60 / 95, counts_for("95"))
        groups = {
            "Parent or carer": share_pairs(50 / 76, counts_for("75")),
            "Professional": _cell({"estimate": None, "n": "*"}),
            "Other": _cell({"estimate": None, "n": "10"}),
        }
        assert "Professional: n=7" in breakdown_leaks(total, groups)
        # One withheld group of 3 beside a shown total: the difference gives it back.
        groups = {"a": share_pairs(30 / 40, counts_for("40")), "b": _cell({"estimate": None, "n": "*"})}
        assert "b: n=3" in breakdown_leaks(share_pairs(32 / 43, counts_for("45")), groups)

    def test_a_withheld_total_given_back_by_the_other_breakdown(self):
        # Total withheld ("20"), but the only district shows 10 of 19: the types "*" and "10"
        # then hold exactly 19, so 7 + 12.
        leaf = {"estimate": None, "low": None, "high": None}
        block = {
            "overall": {**leaf, "n": "20"},
            "by_district": {"Breckland": {"estimate": 10 / 19, "n": "20"}},
            "by_respondent_type": {"Professional": {**leaf, "n": "*"}, "Other": {**leaf, "n": "10"}},
        }
        assert "by_respondent_type Professional: n=7" in outtake_leaks(block)

    def test_a_month_refitted_into_the_trend(self):
        known = {t: (20 + t, 40) for t in range(12) if t != 6}
        per_month = [known.get(t, (9, 11)) for t in range(12)]
        published = _odds_ratio(per_month)
        assert trend_leaks(published, known, {6: counts_for("10")}) == ["month 6: n-k=2"]
        # Fitted without the month, the trend says nothing about it.
        without = _odds_ratio([known.get(t) for t in range(12)])
        assert trend_leaks(without, known, {6: counts_for("10")}) == []
