"""Tiny hand-written exports in the real shapes, shared by the ingest tests."""

# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import datetime as dt
import io
import zipfile

D = dt.date


def crlf(text: str, final_newline: bool = False) -> bytes:
    """GA4 bytes: CRLF line endings and (by default) no final newline."""
    lines = text.strip("\n").split("\n")
    return ("\r\n".join(lines) + ("\r\n" if final_newline else "")).encode()


def ga4(
    body: str,
    *,
    title="Pages and screens: Page path and screen class",
    blank="# ",
    segment="# All Users",
    start="20260224",
    end="20260323",
    blank_before_header=False,
) -> bytes:
    pre = [
        "# ----------------------------------------",
        f"# {title}",
        "# Account: Safer Sleep",
        "# Property: Safer Sleep - GA4",
        "# ----------------------------------------",
        blank,
        *([segment] if segment else []),
        f"# Start date: {start}",
        f"# End date: {end}",
    ]
    if blank_before_header:
        pre.append("")
    return crlf("\n".join(pre) + "\n" + body.strip("\n"))


PAGES = """\
Page path and screen class,Views,Active users,Views per active user,Average engagement time per active user,Event count,Key events,Total revenue
/,221,154,1.4350649350649352,12.35064935064935,683,0,0
/safer-sleep/,139,83,1.6746987951807228,39.34939759036145,359,0,0
/adults/,74,37,2,23.43243243243243,125,0,0
"""


DATE_BY_METRIC = """\
Date,Event count,Total users,Event count per user,Average session duration,New users,Returning users
20230710,11338,2831,4.28,61.45,2539,309
20230708,7555,1964,4.20,66.77,1718,218
20230709,6804,1814,4.15,60.81,1563,160
"""


YT_TABLE = """\
Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,Impressions,Impressions click-through rate (%)
Total,,,,1500,20.5,3,9000,1.7
UWQNrpakgcA,"Safer sleep, every sleep","Aug 28, 2025",9,1000,12.5,5,4000,3.51
 -i5vAKwX_bY,Room sharing  ,,60,500,8.0,-2,5000,0.4
"""


YT_RICH = """\
Content,Video title,Video publish time,Duration,Unique viewers,Average views per viewer,Engaged views,Average view duration,Average percentage viewed (%),Views,Watch time (hours),Subscribers,Thumbnail impressions,Thumbnail click-through rate (%)
Total,,,,40,1.5,60,0:04:04,10.73,30,4.1,1,222,1.35
6xFxE92I6Nk,Is PHP the new JavaScript?,"Sep 27, 2024",978,,,27,1:02:03,139.04,27,1.9,0,200,5.02
"""


# --------------------------------------------------------------------------------------------

POSTS = (
    "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Permalink,Post type,Views,Reach,"
    '"Reactions, Comments and Shares",Reactions,Comments,Shares,Total clicks,Link clicks,Other Clicks,'
    "3-Second Video Views\n"
    '122158000000000123,1039829308656930,NSCP,Safer sleep,"Back to sleep, every sleep",,11/24/2025 11:00,'
    "https://fb.com/1,Photos,1200,900,30,20,5,5,40,10,30,\n"
    "122158000000000456,1039829308656930,NSCP,Reel,desc,45,11/25/2025 "
    "09:30,https://fb.com/2,Reels,,500,3,2,1,0,4,1,3,120\n"
)


# --------------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()
