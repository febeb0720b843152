"""Tests for reach.sample: the seeded synthetic sample and its ground truth.

Expectations come from the documented export shapes (export-formats.md) and from identities
that must hold by construction (inclusion-exclusion, sums of daily rows), never from output.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from reach.errors import ReachError
from reach.sample.generate import SAMPLE_MONTH, generate_sample, write_sample

MONTHS = [
    f"{y}-{m:02d}"
    for y, m in [(2024, 11), (2024, 12)]
    + [(2025, m) for m in range(1, 13)]
    + [(2026, m) for m in range(1, 11)]
]
GA4_NAMES = (
    "Pages_and_screens_Page_path_and_screen_class.csv",
    "Pages_and_screens_Page_path_and_screen_class (1).csv",
    "Demographic_details_Country.csv",
    "Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group).csv",
)
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def files():
    return generate_sample()


@pytest.fixture(scope="module")
def truth(files):
    return json.loads(files["ground_truth.json"])


def month_files(files, month, sub):
    prefix = f"raw/{month}/{sub}/"
    return {k[len(prefix) :]: v for k, v in files.items() if k.startswith(prefix)}


def ga4_table(data: bytes):
    lines = data.decode("utf-8").split("\r\n")
    rows = list(csv.reader(io.StringIO("\n".join(lines[9:]))))
    return lines[:9], rows[0], rows[1:]


def lf_table(data: bytes):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


class TestGenerateSample:
    def test_same_seed_gives_identical_bytes(self, files):
        assert generate_sample(seed=2026, end_month="2026-10", months=24) == files

    def test_different_seed_gives_different_bytes(self):
        a = generate_sample(seed=1, months=2)
        b = generate_sample(seed=2, months=2)
        assert a.keys() != b.keys() or any(a[k] != b[k] for k in a)
        assert a["raw/2026-10/youtube/Totals.csv"] != b["raw/2026-10/youtube/Totals.csv"]

    def test_sample_month_constant(self):
        assert SAMPLE_MONTH == "2026-10"

    @pytest.mark.parametrize(
        "kwargs",
        [{"end_month": "2026-13"}, {"end_month": "Oct 2026"}, {"months": 0}, {"seed": -1}, {"seed": 1.5}],
    )
    def test_bad_arguments_raise_reach_error(self, kwargs):
        with pytest.raises(ReachError):
            generate_sample(**kwargs)

    def test_total_size_under_limit(self, files):
        assert sum(len(v) for v in files.values()) < 1.6 * 1024 * 1024


class TestLayout:
    def test_twenty_four_month_folders(self, files):
        months = sorted({k.split("/")[1] for k in files if k.startswith("raw/")})
        assert months == MONTHS

    def test_top_level_files(self, files):
        for name in (
            "README.md",
            "ground_truth.json",
            "reference/assets.csv",
            "reference/campaigns.csv",
            "reference/births.csv",
        ):
            assert name in files
        assert not any(k.startswith("raw/") and k.endswith("ground_truth.json") for k in files)

    @pytest.mark.parametrize("month", MONTHS)
    def test_every_month_has_every_file(self, files, month):
        assert set(month_files(files, month, "ga4")) == set(GA4_NAMES)
        assert set(month_files(files, month, "youtube")) == {"Table data.csv", "Chart data.csv", "Totals.csv"}
        y, m = month.split("-")
        (meta,) = month_files(files, month, "meta")
        mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][int(m) - 1]
        assert re.fullmatch(rf"{mon}-01-{y}_{mon}-\d\d-{y}_\d{{15,16}}\.csv", meta)
        fb = set(month_files(files, month, "feedback"))
        assert f"page-feedback-{month}.csv" in fb
        (forms,) = [n for n in fb if n.startswith("Safer sleep feedback(1-")]
        assert re.fullmatch(r"Safer sleep feedback\(1-\d+\)\.csv", forms)
        assert set(month_files(files, month, "partners")) == {f"outcome_indicators_{month}.csv"}
        assert set(month_files(files, month, "health_visiting")) == {f"hv_new_birth_recall_{month}.csv"}

    def test_readme_says_synthetic(self, files):
        text = files["README.md"].decode()
        assert "SYNTHETIC SAMPLE DATA" in text and "not real figures" in text and "2026" in text
        assert "illustrative" in text
        assert "not the estimators' own model" in text and "{" not in text


class TestGA4:
    def test_preamble_exact_and_bytes(self, files):
        titles = {
            GA4_NAMES[0]: "Pages and screens: Page path and screen class",
            GA4_NAMES[1]: "Pages and screens: Page path and screen class",
            GA4_NAMES[2]: "Demographic details: Country",
            GA4_NAMES[3]: "Traffic acquisition: Session primary channel group (Default Channel Group)",
        }
        for month in MONTHS:
            y, m = month.split("-")
            last = {"02": "28", "04": "30", "06": "30", "09": "30", "11": "30"}.get(m, "31")
            for name, data in month_files(files, month, "ga4").items():
                assert not data.startswith(BOM)
                assert not data.endswith(b"\n")
                assert data.count(b"\n") == data.count(b"\r\n")
                pre, _, _ = ga4_table(data)
                assert pre == [
                    "# ----------------------------------------",
                    f"# {titles[name]}",
                    "# Account: Norfolk County Council",
                    "# Property: Just One Norfolk - GA4",
                    "# ----------------------------------------",
                    "# ",
                    "# All Users",
                    f"# Start date: {y}{m}01",
                    f"# End date: {y}{m}{last}",
                ]

    def test_headers(self, files):
        g = month_files(files, SAMPLE_MONTH, "ga4")
        assert ga4_table(g[GA4_NAMES[0]])[1][:3] == ["Page path and screen class", "Views", "Active users"]
        assert len(ga4_table(g[GA4_NAMES[0]])[1]) == 13
        assert ga4_table(g[GA4_NAMES[1]])[1] == [
            "Date",
            "Page path and screen class",
            "Views",
            "Active users",
            "Event count",
            "Average engagement time per active user",
        ]
        assert ga4_table(g[GA4_NAMES[2]])[1][:2] == ["Town/City", "Active users"]
        assert ga4_table(g[GA4_NAMES[3]])[1][:3] == [
            "Session source / medium",
            "Session campaign",
            "Sessions",
        ]

    def test_rows_sorted_by_first_metric_descending(self, files):
        first_metric = {GA4_NAMES[0]: 1, GA4_NAMES[1]: 2, GA4_NAMES[2]: 1, GA4_NAMES[3]: 2}
        for month in MONTHS:
            for name, data in month_files(files, month, "ga4").items():
                _, _, rows = ga4_table(data)
                values = [float(r[first_metric[name]]) for r in rows]
                assert values == sorted(values, reverse=True), (month, name)

    def test_daily_file_not_in_date_order_and_dates_in_month(self, files):
        _, _, rows = ga4_table(month_files(files, SAMPLE_MONTH, "ga4")[GA4_NAMES[1]])
        dates = [r[0] for r in rows]
        assert all(re.fullmatch(r"202610\d\d", d) for d in dates)
        assert dates != sorted(dates)

    def test_rates_are_fractions_and_floats_full_precision(self, files):
        _, header, rows = ga4_table(month_files(files, SAMPLE_MONTH, "ga4")[GA4_NAMES[0]])
        er = header.index("Engagement rate")
        assert all(0 <= float(r[er]) <= 1 for r in rows)
        assert any(len(r[3].split(".")[-1]) > 10 for r in rows if "." in r[3])
        assert all(r[header.index("Total revenue")] == "0" for r in rows)

    def test_daily_views_add_up_to_monthly_page_views(self, files):
        g = month_files(files, SAMPLE_MONTH, "ga4")
        _, _, pages = ga4_table(g[GA4_NAMES[0]])
        _, _, daily = ga4_table(g[GA4_NAMES[1]])
        monthly = {r[0]: int(r[1]) for r in pages}
        for path in {r[1] for r in daily}:
            assert sum(int(r[2]) for r in daily if r[1] == path) == monthly[path]

    def test_active_users_per_page_at_most_tracked_users(self, files, truth):
        for month in MONTHS:
            tracked = truth["months"][month]["reach"]["web_tracked_ga4_users"]
            _, _, rows = ga4_table(month_files(files, month, "ga4")[GA4_NAMES[0]])
            assert all(int(r[2]) <= tracked for r in rows)
            assert all(int(r[1]) >= int(r[2]) for r in rows)

    def test_town_city_users_sum_to_tracked_users(self, files, truth):
        # each person has one town, so towns partition the tracked asset-page GA4 users; people on
        # several devices are several users, so there are more users than people
        for month in MONTHS:
            _, _, rows = ga4_table(month_files(files, month, "ga4")[GA4_NAMES[2]])
            reach = truth["months"][month]["reach"]
            assert sum(int(r[1]) for r in rows) == reach["web_tracked_ga4_users"] >= reach["web_tracked"]

    def test_traffic_sessions_sum_to_tracked_sessions(self, files, truth):
        for month in MONTHS:
            _, _, rows = ga4_table(month_files(files, month, "ga4")[GA4_NAMES[3]])
            assert sum(int(r[2]) for r in rows) == truth["months"][month]["volumes"]["web_sessions_tracked"]

    def test_special_rows_appear_in_some_months(self, files):
        paths = set()
        for month in MONTHS:
            _, _, rows = ga4_table(month_files(files, month, "ga4")[GA4_NAMES[0]])
            paths |= {r[0] for r in rows}
        assert {"/baby-sleep/safer-sleep", "/baby-sleep/safer-sleep/", "", "/"} <= paths

    def test_traffic_sources_include_qr_and_campaign(self, files):
        _, _, rows = ga4_table(month_files(files, SAMPLE_MONTH, "ga4")[GA4_NAMES[3]])
        pairs = {(r[0], r[1]) for r in rows}
        assert ("qr / print", "safer-sleep-leaflet-qr") in pairs
        assert ("facebook / social", "safer-sleep-autumn-2026") in pairs
        assert ("google / organic", "(organic)") in pairs


class TestYouTube:
    def test_bytes_lf_final_newline_no_bom(self, files):
        for name, data in month_files(files, SAMPLE_MONTH, "youtube").items():
            assert not data.startswith(BOM) and data.endswith(b"\n") and b"\r" not in data, name

    def test_total_row_second_with_blank_cells(self, files):
        for month in MONTHS:
            rows = lf_table(month_files(files, month, "youtube")["Table data.csv"])
            assert rows[1][:4] == ["Total", "", "", ""]
            views = rows[0].index("Views")
            vids = [int(r[views]) for r in rows[2:]]
            assert vids == sorted(vids, reverse=True)
            assert int(rows[1][views]) == sum(vids)

    def test_header_changes_in_2025_05(self, files):
        old = lf_table(month_files(files, "2025-04", "youtube")["Table data.csv"])[0]
        new = lf_table(month_files(files, "2025-05", "youtube")["Table data.csv"])[0]
        assert "Unique viewers" not in old and old[4] == "Views"
        assert new[4:8] == [
            "Unique viewers",
            "Average views per viewer",
            "Average view duration",
            "Average percentage viewed (%)",
        ]

    def test_chart_days_sum_to_totals(self, files):
        for month in MONTHS:
            yt = month_files(files, month, "youtube")
            chart = lf_table(yt["Chart data.csv"])
            totals = lf_table(yt["Totals.csv"])
            assert totals[0] == ["Date", "Views"]
            per_day = {}
            for r in chart[1:]:
                per_day[r[0]] = per_day.get(r[0], 0) + int(r[5])
            assert {r[0]: int(r[1]) for r in totals[1:]} == per_day

    def test_chart_order_and_video_sums(self, files):
        yt = month_files(files, SAMPLE_MONTH, "youtube")
        chart = lf_table(yt["Chart data.csv"])[1:]
        table = lf_table(yt["Table data.csv"])
        keys = [(r[1].lstrip(), r[0]) for r in chart]
        assert keys == sorted(keys)
        assert len(chart) == 31 * (len(table) - 2)
        views = table[0].index("Views")
        for r in table[2:]:
            assert sum(int(c[5]) for c in chart if c[1] == r[0]) == int(r[views])

    def test_dash_id_written_with_leading_space_and_formats(self, files):
        text = month_files(files, SAMPLE_MONTH, "youtube")["Table data.csv"].decode()
        assert re.search(r"^ -[A-Za-z0-9_-]{10},", text, re.M)
        rows = lf_table(text.encode())
        h = rows[0]
        for r in rows[2:]:
            assert len(r[0].strip()) == 11
            assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", r[2])
            assert re.fullmatch(r"\d+", r[3])
            assert re.fullmatch(r"\d:\d\d:\d\d", r[h.index("Average view duration")])
        assert '"Mar 4, 2024"' in text

    def test_total_unique_viewers_is_true_video_reach(self, files, truth):
        for month in MONTHS:
            if month < "2025-05":
                continue
            rows = lf_table(month_files(files, month, "youtube")["Table data.csv"])
            uv = rows[0].index("Unique viewers")
            assert int(rows[1][uv]) == truth["months"][month]["reach"]["video"]
            assert int(rows[1][uv]) <= sum(int(r[uv]) for r in rows[2:])


class TestMeta:
    def test_bom_header_and_rows(self, files, truth):
        assets = lf_table(files["reference/assets.csv"])
        registered = {p for r in assets[1:] for p in r[7].split(";") if p}
        for month in MONTHS:
            (data,) = month_files(files, month, "meta").values()
            assert data.startswith(BOM) and b"\r" not in data
            rows = lf_table(data)
            h = rows[0]
            assert h[0] == "Post ID" and "Reactions, Comments and Shares" in h and len(h) == 30
            assert 3 <= len(rows) - 1 <= 8
            for r in rows[1:]:
                assert re.fullmatch(r"\d{17}", r[0]) and re.fullmatch(r"\d{15}", r[1])
                assert r[h.index("Date")] == "Lifetime"
                assert r[h.index("Post type")] in {"Photos", "Videos", "Reels", "Links"}
                assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", r[h.index("Publish time")])
                assert r[h.index("Permalink")] == f"https://www.facebook.com/{r[1]}/posts/{r[0]}"
                assert int(r[h.index("Views")]) >= int(r[h.index("Reach")])
                assert int(r[h.index("Reach")]) <= truth["months"][month]["reach"]["social"]
                if r[h.index("Post type")] == "Photos":
                    assert r[h.index("3-Second Video Views")] == "" and r[h.index("Seconds viewed")] == ""
                assert r[0] in registered


class TestFeedback:
    def forms(self, files, month):
        fb = month_files(files, month, "feedback")
        (name,) = [n for n in fb if n.startswith("Safer sleep")]
        return name, fb[name]

    def test_forms_bytes_and_header(self, files):
        name, data = self.forms(files, SAMPLE_MONTH)
        assert data.startswith(BOM) and data.count(b"\n") == data.count(b"\r\n")
        rows = lf_table(data)
        assert rows[0][:6] == ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
        assert "How did you get to this form?" in rows[0]
        assert data.decode("utf-8-sig").startswith(
            'ID,Start time,Completion time,Email,Name,Last modified time,"Are you a parent or carer, or a'
        )

    def test_forms_rows(self, files):
        for month in MONTHS:
            name, data = self.forms(files, month)
            rows = lf_table(data)
            n = int(re.search(r"\(1-(\d+)\)", name).group(1))
            assert len(rows) - 1 == n and 20 <= n <= 60
            h = rows[0]
            for i, r in enumerate(rows[1:], start=1):
                assert r[0] == str(i) and r[3] == "anonymous" and r[4] == ""
                assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d\d \d{1,2}:\d\d:\d\d", r[1])
                where = r[h.index("Where did you see safer sleep information? (select all that apply)")]
                key = r[h.index("Which of these are part of the safer sleep advice? (select all that apply)")]
                assert where.endswith(";") and key.endswith(";")
                assert r[h.index("Was the information helpful?")] in {"Yes", "No", "Not sure"}

    def test_planted_comments_present_in_raw(self, files):
        text = "\n".join(v.decode("utf-8-sig") for k, v in files.items() if "/feedback/" in k)
        for needle in (
            "@example.com",
            "07700 900",
            "01632 960",
            "NR1 3QU",
            "my name is Sam",
            "Thanks, Priya",
            "943 476 5919",
            "<script>alert(1)</script>",
            "<b>bold</b>",
        ):
            assert needle in text, needle
        comments = []
        for month in MONTHS:
            rows = lf_table(self.forms(files, month)[1])
            comments += [r[-1] for r in rows[1:]]
        assert '=HYPERLINK("http://example.com","click")' in comments
        assert any(c.startswith("+44 7700 900123") for c in comments)
        pii = [
            c
            for c in comments
            if re.search(
                r"@example\.com|07700 ?900|01632 ?960|NR\d+ \d[A-Z]{2}|"
                r"my name is|Thanks, [A-Z]|\d{3} \d{3} \d{4}",
                c,
            )
        ]
        assert len(pii) >= 10

    def test_page_feedback_shape(self, files):
        for month in MONTHS:
            data = month_files(files, month, "feedback")[f"page-feedback-{month}.csv"]
            assert not data.startswith(BOM) and b"\r" not in data
            rows = lf_table(data)
            assert rows[0] == ["Submitted", "Page URL", "Was this page helpful?", "Comment"]
            assert 30 <= len(rows) - 1 <= 120
            for r in rows[1:]:
                assert re.fullmatch(rf"{month}-\d\d \d\d:\d\d:\d\d", r[0])
                assert r[1].startswith("https://www.justonenorfolk.nhs.uk/") and r[2] in {"Yes", "No"}


class TestPartnerAndReference:
    def test_partner_indicator(self, files):
        codes = [f"E0700014{i}" for i in range(3, 10)]
        for month in MONTHS:
            rows = lf_table(month_files(files, month, "partners")[f"outcome_indicators_{month}.csv"])
            assert rows[0] == ["month", "indicator", "area_code", "area_name", "numerator", "denominator"]
            assert [r[2] for r in rows[1:]] == codes
            assert all(r[0] == month and 0 <= int(r[4]) <= int(r[5]) for r in rows[1:])

    def test_births_districts_sum_to_county(self, files):
        rows = lf_table(files["reference/births.csv"])
        assert rows[0] == ["year", "area_code", "area_name", "live_births", "status", "source"]
        county = {r[0]: int(r[3]) for r in rows[1:] if r[1] == "E10000020"}
        assert county["2019"] == 8083 and county["2024"] == 7200
        for year in ("2023", "2024", "2025", "2026"):
            districts = [r for r in rows[1:] if r[0] == year and r[1].startswith("E07")]
            assert len(districts) == 7 and sum(int(r[3]) for r in districts) == county[year]
            assert all(r[4] == "illustrative" for r in districts)

    def test_assets_and_campaigns(self, files):
        assets = lf_table(files["reference/assets.csv"])
        assert assets[0] == [
            "asset_id",
            "title",
            "theme",
            "type",
            "launch_date",
            "url_paths",
            "video_ids",
            "post_ids",
            "campaign_tags",
        ]
        assert any("*" in r[5] for r in assets[1:])
        assert any(r[8] == "safer-sleep-leaflet-qr" for r in assets[1:])
        camps = lf_table(files["reference/campaigns.csv"])
        assert camps[0][:7] == [
            "campaign_id",
            "name",
            "start",
            "end",
            "channels",
            "utm_campaign",
            "description",
        ]
        assert any(r[2] <= "2026-10-31" and r[3] >= "2026-10-01" for r in camps[1:])


class TestGroundTruth:
    def test_top_level(self, files, truth):
        assert truth["seed"] == 2026 and truth["sample_month"] == "2026-10"
        assert sorted(truth["months"]) == MONTHS
        assert (
            files["ground_truth.json"].decode()
            == json.dumps(truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        )
        assert truth["partner_indicator_step"]["true_change_pp"] > 0

    @pytest.mark.parametrize("month", MONTHS)
    def test_reach_consistency(self, truth, month):
        t = truth["months"][month]
        for key in ("reach", "reach_norfolk"):
            r = t[key]
            assert (
                max(r["web"], r["video"], r["social"]) <= r["combined"] <= r["web"] + r["video"] + r["social"]
            )
            assert r["web_tracked"] <= r["web"]
        r, o = t["reach"], t["overlaps"]
        assert r["combined"] == (
            r["web"]
            + r["video"]
            + r["social"]
            - o["web&video"]
            - o["web&social"]
            - o["video&social"]
            + o["web&video&social"]
        )
        assert o["web&video&social"] <= min(o["web&video"], o["web&social"], o["video&social"])
        assert o["web&video"] <= min(r["web"], r["video"])
        for ch in ("web", "video", "social", "combined"):
            assert t["newborn_families_reached"][ch] <= t["reach_norfolk"][ch] <= t["reach"][ch]
        assert 0.55 <= t["consent_rate"] <= 0.80
        assert sum(d["births"] for d in t["by_district"].values()) == t["births"]
        assert all(d["families_reached"] <= d["births"] for d in t["by_district"].values())
        assert 0 <= t["norfolk_share_web"] <= 1

    def test_channels_positively_dependent(self, truth):
        # the latent factor makes observed overlap exceed what independence predicts
        t = truth["months"][SAMPLE_MONTH]
        n = sum(t["population"].values())
        r, o = t["reach"], t["overlaps"]
        assert o["web&video"] > r["web"] * r["video"] / n

    def test_campaign_truth(self, truth):
        camps = {c["campaign_id"]: c for c in truth["campaigns"]}
        assert len(camps) == 4
        for c in camps.values():
            assert c["assets"]
            # planted multiplicative uplift u: the true relative change is u - 1 up to sampling noise
            assert abs(c["true_rel_effect_web_daily_views"] - (c["planted_web_uplift"] - 1)) < 0.3
        assert any(c["start"] <= "2026-10-31" and c["end"] >= "2026-10-01" for c in camps.values())

    def test_feedback_truth_matches_files(self, files, truth):
        for month in MONTHS:
            fb = month_files(files, month, "feedback")
            (name,) = [n for n in fb if n.startswith("Safer sleep")]
            assert truth["months"][month]["feedback"]["responses"] == len(lf_table(fb[name])) - 1


class TestWriteSample:
    def test_writes_files_and_refuses_non_empty(self, tmp_path):
        out = tmp_path / "sample"
        result = write_sample(out, seed=3, months=1)
        assert result == out
        expected = generate_sample(seed=3, months=1)
        written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        assert written == expected
        with pytest.raises(ReachError):
            write_sample(out, seed=3, months=1)
        write_sample(out, seed=4, months=1, overwrite=True)
        assert (out / "ground_truth.json").read_bytes() == generate_sample(seed=4, months=1)[
            "ground_truth.json"
        ]
        assert [p.name for p in tmp_path.iterdir()] == ["sample"]

    def test_empty_existing_folder_is_allowed(self, tmp_path):
        out = tmp_path / "empty"
        out.mkdir()
        write_sample(out, seed=3, months=1)
        assert (out / "README.md").exists()

    def test_failure_leaves_nothing(self, tmp_path):
        out = tmp_path / "bad"
        with pytest.raises(ReachError):
            write_sample(out, end_month="2026-13")
        assert list(tmp_path.iterdir()) == []
