"""Writing one simulated month as the files each platform exports."""

from __future__ import annotations

import datetime as dt

import numpy as np

from reach.sample.formats import (
    _CITY_FILE,
    _CITY_HEADER,
    _DAILY_FILE,
    _DAILY_HEADER,
    _FORM_HEADER,
    _META_HEADER,
    _PAGES_FILE,
    _PAGES_HEADER,
    _PAGES_TITLE,
    _PARTNER_HEADER,
    _PARTNER_INDICATOR,
    _PF_HEADER,
    _RECALL_HEADER,
    _RECALL_SUPPRESSED,
    _TRAFFIC_FILE,
    _TRAFFIC_HEADER,
    _YT_HEADER_NEW,
    _YT_HEADER_OLD,
    _YT_NEW_FROM,
    _csv_text,
    _dec,
    _ga4_bytes,
    _hms,
    _lf_csv,
    _num,
    _sorted_desc,
)
from reach.sample.simulate import _MAX_DEVICES, _Month
from reach.sample.world import _PAGE_ID, _PAGE_NAME, _SITE, _VIDEO, _WEB

# ---------------------------------------------------------------------------------------
# Rendering the exports
# ---------------------------------------------------------------------------------------


def _first_visit_events(mo: _Month, sel: np.ndarray) -> np.ndarray:
    """One extra ``first_visit`` event on each new GA4 user's first tracked session."""
    extra = np.zeros(mo.w_person.size, int)
    idx = np.flatnonzero(sel)
    if idx.size == 0:
        return extra
    users = mo.w_user
    order = idx[np.lexsort((idx, mo.w_day[idx], users[idx]))]
    _, first = np.unique(users[order], return_index=True)
    for i in order[first]:
        if mo.new_user[mo.w_person[i]]:
            extra[i] = 1
    return extra


def _render_ga4(mo: _Month) -> dict[str, bytes]:
    """Render the month's four GA4 exports (pages, daily, town/city, traffic) from tracked sessions."""
    tracked = mo.consent[mo.w_person] if mo.w_person.size else np.zeros(0, bool)
    fv = _first_visit_events(mo, tracked)
    # GA4 counts users (a person on two devices is two users), never people
    events = mo.w_events + fv
    idx = np.flatnonzero(tracked)
    return {
        _PAGES_FILE: _ga4_pages(mo, idx, events),
        _DAILY_FILE: _ga4_daily(mo, idx, events),
        _CITY_FILE: _ga4_city(mo, idx, events),
        _TRAFFIC_FILE: _ga4_traffic(mo, idx, events),
    }


def _ga4_pages(mo: _Month, idx: np.ndarray, events: np.ndarray) -> bytes:
    """GA4 Pages and screens over the tracked sessions ``idx``, plus the other site pages."""
    rows = []
    user = mo.w_user
    for path in sorted({mo.w_path[i] for i in idx}):
        s = [i for i in idx if mo.w_path[i] == path]
        views = int(mo.w_views[s].sum())
        users = len({int(user[i]) for i in s})
        sessions = len(s)
        engaged = int(mo.w_engaged[s].sum())
        er = engaged / sessions
        rows.append(
            [
                path,
                views,
                users,
                views / users,
                float(mo.w_eng[s].sum()) / users,
                int(events[s].sum()),
                0,
                0,
                er,
                1 - er,
                users,
                sessions,
                float(mo.w_dur[s].sum()) / sessions,
            ]
        )
    rows += [list(r) for r in mo.other_rows]
    rows = _sorted_desc(rows, 1)
    return _ga4_bytes(
        _PAGES_TITLE,
        mo.start,
        mo.end,
        _PAGES_HEADER,
        [[_num(v) if not isinstance(v, str) else v for v in r] for r in rows],
    )


def _ga4_daily(mo: _Month, idx: np.ndarray, events: np.ndarray) -> bytes:
    """GA4 daily file: Date as the primary dimension, only the registry's canonical asset paths."""
    daily = []
    user = mo.w_user
    for j, a in enumerate(_WEB):
        for d in range(mo.days):
            day = mo.start + dt.timedelta(days=d)
            if day < a.launch:
                continue
            s = [i for i in idx if mo.w_asset[i] == j and mo.w_day[i] == d and mo.w_path[i] == a.path]
            users = len({int(user[i]) for i in s})
            eng = float(mo.w_eng[s].sum()) / users if users else 0
            daily.append(
                [f"{day:%Y%m%d}", a.path, int(mo.w_views[s].sum()), users, int(events[s].sum()), eng]
            )
    daily = _sorted_desc(daily, 2)
    return _ga4_bytes(
        _PAGES_TITLE,
        mo.start,
        mo.end,
        _DAILY_HEADER,
        [[r[0], r[1]] + [_num(v) for v in r[2:]] for r in daily],
    )


def _ga4_city(mo: _Month, idx: np.ndarray, events: np.ndarray) -> bytes:
    """GA4 Town/City over the asset pages' tracked users."""
    city = []
    user = mo.w_user
    for town in sorted({mo.town[mo.w_person[i]] for i in idx}):
        s = [i for i in idx if mo.town[mo.w_person[i]] == town]
        people = {int(user[i]) for i in s}
        users = len(people)
        new = sum(1 for u in people if mo.new_user[u // (_MAX_DEVICES + 1)])
        engaged = int(mo.w_engaged[s].sum())
        city.append(
            [
                town,
                users,
                new,
                engaged,
                engaged / len(s),
                engaged / users,
                float(mo.w_eng[s].sum()) / users,
                int(events[s].sum()),
                0,
                0,
            ]
        )
    city = _sorted_desc(city, 1)
    return _ga4_bytes(
        "Demographic details: Country",
        mo.start,
        mo.end,
        _CITY_HEADER,
        [[r[0]] + [_num(v) for v in r[1:]] for r in city],
    )


def _ga4_traffic(mo: _Month, idx: np.ndarray, events: np.ndarray) -> bytes:
    """GA4 Traffic acquisition over the asset pages' tracked sessions."""
    traffic = []
    for src in sorted({mo.w_source[i] for i in idx}):
        s = [i for i in idx if mo.w_source[i] == src]
        sessions = len(s)
        engaged = int(mo.w_engaged[s].sum())
        ev = int(events[s].sum())
        traffic.append(
            [
                src[0],
                src[1],
                sessions,
                engaged,
                engaged / sessions,
                float(mo.w_eng[s].sum()) / sessions,
                ev / sessions,
                ev,
                0,
                0,
            ]
        )
    traffic = _sorted_desc(traffic, 2)
    return _ga4_bytes(
        "Traffic acquisition: Session primary channel group (Default Channel Group)",
        mo.start,
        mo.end,
        _TRAFFIC_HEADER,
        [[r[0], r[1]] + [_num(v) for v in r[2:]] for r in traffic],
    )


def _yt_id(vid: str) -> str:
    return " " + vid if vid.startswith("-") else vid


def _publish(d: dt.date) -> str:
    return f"{d:%b} {d.day}, {d.year}"


def _render_youtube(mo: _Month) -> dict[str, bytes]:
    """Render the month's YouTube Studio exports: table, chart and totals."""
    live = [j for j, a in enumerate(_VIDEO) if a.launch <= mo.end]
    new_header = mo.ym >= _YT_NEW_FROM
    stats = _youtube_video_stats(mo, live)
    total = _youtube_total(mo, live, stats)
    table = [
        list(_YT_HEADER_NEW if new_header else _YT_HEADER_OLD),
        _youtube_row("Total", "", "", "", total, new_header),
    ]
    for st in stats:
        a = st["a"]
        table.append(
            _youtube_row(
                _yt_id(a.video_ids[0]), a.video_title, _publish(a.launch), str(a.duration), st, new_header
            )
        )
    chart, totals = _youtube_daily(mo, live)
    return {"Table data.csv": _lf_csv(table), "Chart data.csv": _lf_csv(chart), "Totals.csv": _lf_csv(totals)}


def _youtube_video_stats(mo: _Month, live: list[int]) -> list[dict]:
    """Per-video statistics of the live videos, most viewed first."""
    ex = mo.yt_extra
    stats = []
    for j in live:
        a = _VIDEO[j]
        s = mo.v_asset == j
        views = int(s.sum())
        viewers = len(set(mo.v_person[s].tolist()))
        watch = float(mo.v_watch[s].sum())
        clicks = int(ex["impr_click"][s].sum())
        impressions = int(round(clicks / ex["ctr"][j])) if clicks else int(round(3 / ex["ctr"][j]))
        subs = int(ex["subs_gained"][s].sum()) - int(ex["subs_lost"][j])
        stats.append(
            {
                "a": a,
                "views": views,
                "viewers": viewers,
                "watch": watch,
                "clicks": clicks,
                "impr": impressions,
                "subs": subs,
                "pct": float(np.mean(mo.v_watch[s] / a.duration)) * 100 if views else 0.0,
            }
        )
    stats.sort(key=lambda r: (-r["views"], r["a"].video_ids[0]))
    return stats


def _youtube_total(mo: _Month, live: list[int], stats: list[dict]) -> dict:
    """Statistics of the Total row: sums over videos, and distinct viewers over all live videos."""
    all_views = int(sum(r["views"] for r in stats))
    in_live = np.isin(mo.v_asset, live)
    return {
        "views": all_views,
        "viewers": len(set(mo.v_person[in_live].tolist())),
        "watch": float(sum(r["watch"] for r in stats)),
        "clicks": int(sum(r["clicks"] for r in stats)),
        "impr": int(sum(r["impr"] for r in stats)),
        "subs": int(sum(r["subs"] for r in stats)),
        "pct": (
            float(np.mean(mo.v_watch[in_live] / np.array([_VIDEO[a].duration for a in mo.v_asset[in_live]])))
            * 100
            if all_views
            else 0.0
        ),
    }


def _youtube_row(label: str, title: str, publish: str, duration: str, st: dict, new_header: bool) -> list:
    """One Table data row; the audience columns only with the newer header."""
    base = [label, title, publish, duration]
    views = st["views"]
    tail = [
        str(views),
        _dec(st["watch"] / 3600, 4),
        str(st["subs"]),
        str(st["impr"]),
        _dec(100 * st["clicks"] / st["impr"], 2) if st["impr"] else "",
    ]
    if not new_header:
        return base + tail
    aud = [
        str(st["viewers"]),
        _dec(views / st["viewers"], 2) if st["viewers"] else "0",
        _hms(st["watch"] / views) if views else "0:00:00",
        _dec(st["pct"], 2),
    ]
    return base + aud + tail


def _youtube_daily(mo: _Month, live: list[int]) -> tuple[list, list]:
    """Chart data (views per video and day) and Totals (views per day) rows."""
    chart = [["Date", "Content", "Video title", "Video publish time", "Duration", "Views"]]
    per_day = np.zeros(mo.days, int)
    for j in sorted(live, key=lambda j: _VIDEO[j].video_ids[0]):
        a = _VIDEO[j]
        counts = np.bincount(mo.v_day[mo.v_asset == j], minlength=mo.days)
        per_day += counts
        for d in range(mo.days):
            chart.append(
                [
                    f"{mo.start + dt.timedelta(days=d):%Y-%m-%d}",
                    _yt_id(a.video_ids[0]),
                    a.video_title,
                    _publish(a.launch),
                    str(a.duration),
                    str(int(counts[d])),
                ]
            )
    totals = [["Date", "Views"]] + [
        [f"{mo.start + dt.timedelta(days=d):%Y-%m-%d}", str(int(per_day[d]))] for d in range(mo.days)
    ]
    return chart, totals


def _meta_name(mo: _Month) -> str:
    return f"{mo.start:%b-%d-%Y}_{mo.end:%b-%d-%Y}_{mo.meta_file_id}.csv"


def _render_meta(mo: _Month) -> bytes:
    rows = [list(_META_HEADER)]
    for p in sorted(mo.posts, key=lambda p: (p["time"], p["post_id"]), reverse=True):
        video = p["duration"] is not None
        rcs = p["reactions"] + p["comments"] + p["shares"]
        link = p["link_clicks"]
        total_clicks = p["other_clicks"] + (link or 0)
        rows.append(
            [
                p["post_id"],
                _PAGE_ID,
                _PAGE_NAME,
                "",
                p["text"],
                str(p["duration"]) if video else "",
                f"{p['time']:%m/%d/%Y %H:%M}",
                "",
                f"https://www.facebook.com/{_PAGE_ID}/posts/{p['post_id']}",
                "No",
                "No",
                p["type"],
                "",
                "",
                "",
                "",
                "Lifetime",
                str(p["views"]),
                str(p["reach"]),
                str(rcs),
                str(p["reactions"]),
                str(p["comments"]),
                str(p["shares"]),
                str(total_clicks),
                "" if link is None else str(link),
                str(p["other_clicks"]),
                str(p["seconds"]) if video else "",
                (_dec(p["seconds"] / p["v3"], 2) if p["v3"] else "0") if video else "",
                str(p["v3"]) if video else "",
                str(p["v60"]) if video else "",
            ]
        )
    return b"\xef\xbb\xbf" + _lf_csv(rows)


def _forms_time(t: dt.datetime) -> str:
    return f"{t.month}/{t.day}/{t.year % 100:02d} {t.hour}:{t.minute:02d}:{t.second:02d}"


def _render_forms(mo: _Month, comments: dict[int, str]) -> bytes:
    rows = [list(_FORM_HEADER)]
    for i, r in enumerate(mo.responses, start=1):
        rows.append(
            [
                str(i),
                _forms_time(r["start"]),
                _forms_time(r["end"]),
                "anonymous",
                "",
                "",
                r["type"],
                r["district"],
                r["how"],
                r["where"],
                r["helpful"],
                r["key"],
                r["intends"],
                comments.get(i, r["comment"]),
            ]
        )
    return b"\xef\xbb\xbf" + _csv_text(rows, "\r\n").encode("utf-8")


def _render_page_feedback(mo: _Month, comments: dict[int, str]) -> bytes:
    rows = [list(_PF_HEADER)]
    for i, r in enumerate(mo.page_feedback, start=1):
        rows.append(
            [f"{r['time']:%Y-%m-%d %H:%M:%S}", _SITE + r["path"], r["helpful"], comments.get(i, r["comment"])]
        )
    return _lf_csv(rows)


def _render_partner(mo: _Month) -> bytes:
    rows = [list(_PARTNER_HEADER)]
    rows += [[mo.ym, _PARTNER_INDICATOR, code, name, str(nu), str(de)] for code, name, nu, de in mo.partner]
    return _lf_csv(rows)


def _recall_cell(value: int) -> str:
    """A count as the provider writes it: ``*`` for 1 to 7, else the number."""
    low, high = _RECALL_SUPPRESSED
    return "*" if low <= value <= high else str(int(value))


def _render_recall(mo: _Month) -> bytes:
    """The health-visiting provider's new-birth-visit recall return: one row per district."""
    rows = [list(_RECALL_HEADER)]
    for r in mo.recall_rows:
        rows.append([mo.ym, r["district"]] + [_recall_cell(r[c]) for c in _RECALL_HEADER[2:]])
    return _lf_csv(rows)
