"""Tests of reach.audience: the reach estimators, their intervals and the summary.json contract.

Expected values are written by hand (the arithmetic is shown in comments) or come from
../shared/docs/methods.md; none was produced by running the code under test.
"""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest

from reach import audience, config, pipeline, sample
from reach.config import sample_dir

LOOKUP_CSV = config.project_root() / "config" / "town_districts.csv"


@pytest.fixture(scope="module")
def lookup_frame() -> pd.DataFrame:
    return pd.read_csv(LOOKUP_CSV)


# ---------------------------------------------------------------------------------------------
# Random duplication (methods.md §4.1, validation case V4)
# ---------------------------------------------------------------------------------------------


class TestRandomDuplication:
    def test_worked_example_400_spots_of_a_tenth_of_a_percent(self):
        # methods.md: 1 − (1 − 0.001)^400 = 0.32981 ≈ 33% (reported 33%).
        value = audience.random_duplication([0.001] * 400)
        assert value == pytest.approx(0.32981, abs=5e-6)
        assert abs(value - 0.33) <= 0.005  # V4 tolerance: ±0.5 percentage points of the reported 33%

    def test_sainsbury_variant_takes_five_percent_off(self):
        # methods.md: 0.95 × 0.32981 ≈ 0.3133
        assert audience.random_duplication([0.001] * 400, "sainsbury_0.95") == pytest.approx(0.3133, abs=5e-5)

    def test_two_channels_by_hand(self):
        # 1 − (1 − 0.5)(1 − 0.2) = 1 − 0.4 = 0.6
        assert audience.random_duplication([0.5, 0.2]) == pytest.approx(0.6)

    def test_no_exposure_reaches_no_one(self):
        assert audience.random_duplication([]) == 0.0

    def test_unknown_variant_and_bad_rates_are_refused(self):
        with pytest.raises(ValueError):
            audience.random_duplication([0.1], "sainsbury")
        with pytest.raises(ValueError):
            audience.random_duplication([1.2])


# ---------------------------------------------------------------------------------------------
# Chapman (methods.md §4.2)
# ---------------------------------------------------------------------------------------------


class TestChapman:
    # n1 = 60, n2 = 40, m = 12, by hand:
    #   N   = (61 · 41) / 13 − 1 = 2501 / 13 − 1 = 192.384615 − 1 = 191.384615
    #   Var = 61 · 41 · 48 · 28 / (13² · 14) = 3 361 344 / 2366 = 1420.686
    #   M12 = 60 + 40 − 12 = 88, N − M12 = 103.384615
    #   C   = exp(1.959964 · √ln(1 + 1420.686 / 103.384615²)) = exp(1.959964 · √ln 1.132919)
    #       = exp(1.959964 · 0.353266) = exp(0.692388) = 1.998486
    #   CI  = [88 + 103.3846 / 1.998486, 88 + 103.3846 · 1.998486] = [139.73, 294.61]
    def test_estimate_and_seber_variance_by_hand(self):
        result = audience.chapman(60, 40, 12)
        assert result["estimate"] == pytest.approx(191.384615, rel=1e-6)
        assert result["variance"] == pytest.approx(1420.686, rel=1e-5)
        assert result["se"] == pytest.approx(math.sqrt(1420.686), rel=1e-5)
        assert result["observed"] == 88

    def test_chao_log_transformed_interval_by_hand(self):
        result = audience.chapman(60, 40, 12)
        assert result["low"] == pytest.approx(139.73, abs=0.01)
        assert result["high"] == pytest.approx(294.61, abs=0.01)

    def test_chao_lower_limit_stays_above_the_people_seen(self):
        for n1, n2, m in [(60, 40, 12), (10, 8, 7), (500, 30, 1), (5, 5, 0)]:
            result = audience.chapman(n1, n2, m)
            assert result["low"] > n1 + n2 - m
            assert result["low"] < result["estimate"] < result["high"]

    def test_everyone_on_one_list_recaptured_gives_no_uncertainty(self):
        # m = n2: N = (n1+1)(n2+1)/(n2+1) − 1 = n1 and the variance has the factor (n2 − m) = 0.
        result = audience.chapman(30, 10, 10)
        assert result["estimate"] == pytest.approx(30)
        assert result["variance"] == 0
        assert result["low"] == result["high"] == 30

    def test_impossible_counts_are_refused(self):
        with pytest.raises(ValueError):
            audience.chapman(10, 5, 6)
        with pytest.raises(ValueError):
            audience.chapman(-1, 5, 0)


# ---------------------------------------------------------------------------------------------
# Log-linear capture–recapture (methods.md §4.3)
# ---------------------------------------------------------------------------------------------


def _cells(counts: dict[str, int], names=("a", "b", "c")) -> pd.DataFrame:
    rows = [
        {**{n: int(ch) for n, ch in zip(names, key, strict=True)}, "count": v} for key, v in counts.items()
    ]
    return pd.DataFrame(rows)


class TestLoglinearPopulation:
    def test_forced_saturated_three_list_model_matches_the_closed_form(self):
        # N0 = z111·z100·z010·z001 / (z110·z101·z011) = 10·50·40·30 / (20·15·12) = 600000/3600 = 166.667
        counts = {"111": 10, "110": 20, "101": 15, "011": 12, "100": 50, "010": 40, "001": 30}
        result = audience.loglinear_population(_cells(counts), pairs="saturated")
        assert result["n0"] == pytest.approx(166.6667, rel=1e-4)
        assert result["observed"] == 177
        assert result["estimate"] == pytest.approx(177 + 166.6667, rel=1e-4)

    def test_two_list_independence_is_lincoln_petersen(self):
        # Cells 11 = 12, 10 = 48, 01 = 28: N0 = 48·28/12 = 112, N = 88 + 112 = 200 = 60·40/12.
        frame = pd.DataFrame({"web": [1, 1, 0], "video": [1, 0, 1], "count": [12, 48, 28]})
        result = audience.loglinear_population(frame, pairs=[])
        assert result["n0"] == pytest.approx(112, rel=1e-6)
        assert result["estimate"] == pytest.approx(200, rel=1e-6)
        assert "independence" in result["model"]

    def test_aic_keeps_independence_when_the_lists_are_independent(self):
        # N = 1000 people, P(on list) = 0.5, 0.4, 0.3, independently: expected cells exactly
        # z_abc = 1000 · Π p or (1 − p); the unseen cell is 1000 · 0.5 · 0.6 · 0.7 = 210.
        p = (0.5, 0.4, 0.3)
        counts = {}
        for key in ("111", "110", "101", "011", "100", "010", "001"):
            counts[key] = 1000 * math.prod(pi if ch == "1" else 1 - pi for pi, ch in zip(p, key, strict=True))
        result = audience.loglinear_population(_cells(counts))
        assert result["model"] == "independence"
        assert result["n0"] == pytest.approx(210, rel=1e-6)
        assert result["estimate"] == pytest.approx(1000, rel=1e-6)
        assert result["observed"] <= result["low"] <= result["estimate"] <= result["high"]
        assert "AIC" in result["method"] and "profile" in result["method"]
        assert len(result["candidates"]) == 8  # independence + the 7 subsets of the three two-way terms

    def test_person_level_rows_are_counted(self):
        frame = pd.DataFrame({"a": [1, 1, 0, 1], "b": [1, 0, 1, 0]})  # 11 once, 10 twice, 01 once
        result = audience.loglinear_population(frame, pairs=[])
        # N0 = z10 · z01 / z11 = 2 · 1 / 1 = 2
        assert result["n0"] == pytest.approx(2, rel=1e-6)

    def test_needs_two_lists_and_people(self):
        with pytest.raises(ValueError):
            audience.loglinear_population(pd.DataFrame({"a": [1], "count": [3]}))
        with pytest.raises(ValueError):
            audience.loglinear_population(pd.DataFrame({"a": [1], "b": [0], "count": [0]}))


# ---------------------------------------------------------------------------------------------
# Channels: bounds, consent, YouTube, Meta
# ---------------------------------------------------------------------------------------------


def _pages(users: list[int], month: str = "2026-10") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": month,
            "page_path": [f"/p{i}/" for i in range(len(users))],
            "views": [2 * u for u in users],
            "active_users": users,
            "asset_id": [f"a{i}" for i in range(len(users))],
        }
    )


class TestWebReach:
    def test_page_bounds_without_town_table(self):
        # Pages with 30, 20, 10 users: at least the largest page (30), at most the sum (60);
        # point √(30·60) = 42.43. Consent 100% leaves them as they are.
        result = audience.web_reach(_pages([30, 20, 10]), "2026-10", consent_rate={"low": 1.0, "high": 1.0})
        assert (result["reach"]["low"], result["reach"]["high"]) == (30, 60)
        assert result["reach"]["estimate"] == 42
        assert result["tracked"]["low"] == 30 and result["tracked"]["high"] == 60

    def test_town_total_narrows_the_bounds(self):
        # Town/City total 50 lies in [30, 60]: tracked users 50, within ±5% → [47.5, 52.5] → [47, 53].
        city = pd.DataFrame({"month": "2026-10", "city": ["Norwich", "London"], "active_users": [30, 20]})
        result = audience.web_reach(
            _pages([30, 20, 10]), "2026-10", city, consent_rate={"low": 1.0, "high": 1.0}
        )
        assert result["tracked"] == {
            "estimate": 50,
            "low": 47,
            "high": 53,
            "method": result["tracked"]["method"],
        }
        assert "Town/City" in result["reach"]["method"]

    def test_town_total_outside_the_page_bounds_is_not_used(self):
        city = pd.DataFrame({"month": "2026-10", "city": ["Norwich"], "active_users": [500]})
        result = audience.web_reach(
            _pages([30, 20, 10]), "2026-10", city, consent_rate={"low": 1.0, "high": 1.0}
        )
        assert (result["reach"]["low"], result["reach"]["high"]) == (30, 60)

    def test_bigquery_distinct_users_are_exact(self):
        users = pd.DataFrame({"month": ["2026-10"], "asset_id": [None], "users": [44]})
        result = audience.web_reach(
            _pages([30, 20, 10]), "2026-10", web_users=users, consent_rate={"low": 0.5, "high": 0.5}
        )
        assert result["tracked"]["low"] == result["tracked"]["high"] == 44
        assert "BigQuery" in result["reach"]["method"]
        assert result["reach"]["estimate"] == 88  # 44 ÷ 0.5

    def test_other_months_and_non_asset_pages_are_ignored(self):
        pages = pd.concat([_pages([30]), _pages([999], "2026-09")])
        pages.loc[len(pages)] = ["2026-10", "/", 1, 5000, None]
        result = audience.web_reach(pages, "2026-10", consent_rate={"low": 1.0, "high": 1.0})
        assert result["reach"]["high"] == 30

    def test_no_export_gives_no_reach(self):
        assert audience.web_reach(_pages([30], "2026-09"), "2026-10")["reach"] is None


class TestConsentAdjustment:
    def test_fixed_rate_divides(self):
        # 600 tracked, 60% accept: 600 / 0.6 = 1000
        assert audience.consent_adjusted(600, 600, 600, 0.6, 0.6)["estimate"] == 1000

    def test_range_and_binomial_error_by_hand(self):
        # low  = 600/0.8 − 1.959964·√(600·0.2)/0.8 = 750 − 26.84 = 723.16 → 723
        # high = 600/0.5 + 1.959964·√(600·0.5)/0.5 = 1200 + 67.90 = 1267.90 → 1268
        # point = 600 / 0.65 = 923.08 → 923
        r = audience.consent_adjusted(600, 600, 600, 0.5, 0.8)
        assert (r["low"], r["estimate"], r["high"]) == (723, 923, 1268)
        assert "50%–80%" in r["method"]

    def test_never_below_the_tracked_count(self):
        assert audience.consent_adjusted(3, 3, 3, 0.9, 1.0)["low"] >= 3


class TestVideoReach:
    def _video(self, **extra):
        frame = pd.DataFrame(
            {
                "month": "2026-10",
                "video_id": ["v1", "v2"],
                "views": [100, 60],
                "unique_viewers": [80.0, 50.0],
                "avg_views_per_viewer": [1.25, 1.2],
                "asset_id": ["x", "y"],
            }
        )
        for key, value in extra.items():
            frame[key] = value
        return frame

    def test_total_row_unique_viewers_are_used_as_counted(self):
        totals = pd.DataFrame({"month": ["2026-10"], "views": [160], "unique_viewers": [115.0]})
        result = audience.video_reach(self._video(), totals, "2026-10")
        assert result["reach"]["estimate"] == result["reach"]["low"] == result["reach"]["high"] == 115
        assert result["flag"] is None
        assert result["frequency"]["estimate"] == pytest.approx(160 / 115)

    def test_per_video_unique_viewers_are_bounds(self):
        result = audience.video_reach(self._video(), None, "2026-10")
        assert (result["reach"]["low"], result["reach"]["high"]) == (80, 130)

    def test_views_over_average_views_per_viewer(self):
        # 100/1.25 = 80 and 60/1.2 = 50 viewers: bounds [80, 130]
        result = audience.video_reach(self._video(unique_viewers=float("nan")), None, "2026-10")
        assert (result["reach"]["low"], result["reach"]["high"]) == (80, 130)
        assert "average views per viewer" in result["reach"]["method"]

    def test_views_alone_are_an_upper_bound_and_flagged(self):
        frame = self._video(unique_viewers=float("nan"), avg_views_per_viewer=float("nan"))
        result = audience.video_reach(frame, None, "2026-10", max_views_per_viewer=4)
        assert result["reach"]["high"] == 160 and result["reach"]["low"] == 40  # 160 / 4
        assert result["flag"] == "views_upper_bound"
        assert "upper bound" in result["reach"]["method"]


class TestSocialReach:
    def test_post_reach_bounds_and_midpoint(self):
        posts = pd.DataFrame(
            {
                "month": "2026-10",
                "post_id": ["1", "2", "3"],
                "views": [150, 100, 60],
                "reach": [100, 80, 50],
                "asset_id": ["s", "s", "s"],
            }
        )
        result = audience.social_reach(posts, "2026-10")
        # largest post 100, sum 230, point √(100·230) = 151.66 → 152
        assert (result["reach"]["low"], result["reach"]["estimate"], result["reach"]["high"]) == (
            100,
            152,
            230,
        )
        assert result["frequency"]["estimate"] == pytest.approx(310 / 152)


class TestPeriods:
    def test_months_of_each_period(self):
        assert audience.period_months("2026-10") == ["2026-10"]
        assert audience.period_months("2026-01", "rolling_3") == ["2025-11", "2025-12", "2026-01"]
        assert audience.period_months("2026-10", "fytd") == [f"2026-{m:02d}" for m in range(4, 11)]
        assert audience.period_months("2026-04", "fytd") == ["2026-04"]
        assert audience.period_months("2026-03", "fytd")[0] == "2025-04"

    def test_longer_periods_are_bounds_never_sums_as_estimates(self):
        posts = pd.DataFrame(
            {
                "month": ["2026-08", "2026-09", "2026-10"],
                "post_id": ["1", "2", "3"],
                "views": [1, 1, 1],
                "reach": [40, 70, 50],
                "asset_id": ["s", "s", "s"],
            }
        )
        tables = {
            "social_posts": posts,
            "web_pages": _pages([1]).iloc[0:0],
            "video": None,
            "video_totals": None,
        }
        result = audience.channel_reach(tables, "2026-10", "rolling_3")
        social = result["social"]["reach"]
        # busiest month 70 … sum of months 160
        assert (social["low"], social["high"]) == (70, 160)
        assert social["method"].startswith("bounds from monthly exports")
        assert result["period"] == {"start": "2026-08-01", "end": "2026-10-31"}

    def test_a_missing_month_leaves_no_upper_limit(self):
        posts = pd.DataFrame(
            {
                "month": ["2026-08", "2026-10"],
                "post_id": ["1", "3"],
                "views": [1, 1],
                "reach": [40, 50],
                "asset_id": ["s", "s"],
            }
        )
        tables = {"social_posts": posts, "web_pages": None, "video": None, "video_totals": None}
        social = audience.channel_reach(tables, "2026-10", "rolling_3")["social"]
        assert social["reach"]["high"] is None and social["missing_months"] == ["2026-09"]


# ---------------------------------------------------------------------------------------------
# Geography
# ---------------------------------------------------------------------------------------------


class TestTownLookup:
    def test_seven_districts_with_their_codes(self, lookup_frame):
        pairs = set(zip(lookup_frame["district"], lookup_frame["district_code"], strict=True))
        assert pairs == {(name, code) for code, name in audience.DISTRICTS}
        assert set(lookup_frame["county_code"]) == {"E10000020"}

    def test_norwich_area_suburbs_go_to_their_own_districts(self, lookup_frame):
        lookup = audience.town_lookup(lookup_frame)
        assert lookup["norwich"][1] == "E07000148"
        for town in ("Hellesdon", "Sprowston", "Taverham", "Thorpe St Andrew", "Old Catton", "Drayton"):
            assert lookup[town.casefold()] == ("Broadland", "E07000144"), town
        for town in ("Costessey", "Cringleford", "Poringland", "Trowse", "Hethersett", "Wymondham"):
            assert lookup[town.casefold()] == ("South Norfolk", "E07000149"), town

    def test_suffolk_and_other_places_are_not_norfolk(self, lookup_frame):
        lookup = audience.town_lookup(lookup_frame)
        for place in ("Lowestoft", "Ipswich", "Brandon", "Bungay", "London", "Peterborough"):
            assert place.casefold() not in lookup

    def test_every_town_the_sample_uses_is_mapped_to_its_district(self, lookup_frame):
        lookup = audience.town_lookup(lookup_frame)
        for code, _name, _births, towns in sample._DISTRICTS:
            for town in towns:
                assert lookup[town.casefold()][1] == code, town

    def test_matching_ignores_case_and_curly_apostrophes(self, lookup_frame):
        lookup = audience.town_lookup(lookup_frame)
        assert lookup[audience._norm_place("KING’S  LYNN")][1] == "E07000146"

    def test_bad_codes_are_refused(self):
        with pytest.raises(ValueError):
            audience.town_lookup(
                pd.DataFrame({"city": ["X"], "district": ["Babergh"], "district_code": ["E07000200"]})
            )


class TestNorfolkShare:
    def test_not_set_is_reported_and_bounds_the_share(self, lookup_frame):
        lookup = audience.town_lookup(lookup_frame)
        city = pd.DataFrame(
            {
                "month": "2026-10",
                "city": ["Norwich", "Thetford", "Lowestoft", "London", "(not set)"],
                "active_users": [30, 20, 15, 25, 10],
            }
        )
        result = audience.norfolk_share(city, "2026-10", lookup, geo_error=0.0)
        # Norfolk 50 of 100 tracked users, 10 not set: point 50/90 = 0.5556;
        # low = Wilson(50, 100) lower = 0.40383, high = Wilson(60, 100) upper = 0.69060.
        assert (
            result["norfolk_users"] == 50 and result["not_set_users"] == 10 and result["outside_users"] == 40
        )
        assert result["share"]["estimate"] == pytest.approx(50 / 90)
        assert result["share"]["low"] == pytest.approx(0.40383, abs=1e-5)
        assert result["share"]["high"] == pytest.approx(0.69060, abs=1e-5)
        assert result["not_in_lookup"] == {"Lowestoft": 15, "London": 25}
        by = result["by_district"].set_index("code")["users"]
        assert by["E07000148"] == 30 and by["E07000143"] == 20

    def test_geolocation_allowance_widens_both_ends(self, lookup_frame):
        lookup = audience.town_lookup(lookup_frame)
        city = pd.DataFrame({"month": "2026-10", "city": ["Norwich", "London"], "active_users": [50, 50]})
        narrow = audience.norfolk_share(city, "2026-10", lookup, geo_error=0.0)["share"]
        wide = audience.norfolk_share(city, "2026-10", lookup, geo_error=0.03)["share"]
        assert wide["low"] == pytest.approx(narrow["low"] - 0.03)
        assert wide["high"] == pytest.approx(narrow["high"] + 0.03)


# ---------------------------------------------------------------------------------------------
# Survey-based duplication and coverage
# ---------------------------------------------------------------------------------------------


class TestSurvey:
    def test_where_seen_answers_become_channel_flags(self):
        feedback = pd.DataFrame(
            {
                "month": ["2026-10"] * 4 + ["2026-09"],
                "respondent_type": [
                    "Parent or carer",
                    "Professional",
                    "Parent or carer",
                    "Parent or carer",
                    "x",
                ],
                "district": ["Breckland", "Norwich", "Outside Norfolk", "Prefer not to say", "Norwich"],
                "where_seen": [
                    "Just One Norfolk website;YouTube video;Facebook or Instagram",
                    "Leaflet or QR code;Health visitor or midwife",
                    "YouTube video",
                    None,
                    "Other",
                ],
            }
        )
        inc = audience.survey_incidence(feedback, ["2026-10"])
        assert len(inc) == 3  # the blank answer and the other month are left out
        first, second, third = inc.to_dict("records")
        assert (first["web"], first["video"], first["social"], first["offline"]) == (1, 1, 1, 0)
        assert first["parent"] and first["district_code"] == "E07000143"
        assert (second["web"], second["offline"], second["parent"]) == (0, 1, False)
        assert third["district_code"] == "outside"

    def _incidence(self, parents: list[tuple[int, int, int, int]], code: str = "E07000148") -> pd.DataFrame:
        rows = [
            {
                "month": "2026-10",
                "web": w,
                "video": v,
                "social": s,
                "offline": o,
                "parent": True,
                "district_code": code,
            }
            for w, v, s, o in parents
        ]
        return pd.DataFrame(rows)

    def test_family_coverage_by_hand(self):
        # 40 parents: 26 online and offline, 4 online only, 10 offline only.
        # Online 30, offline 36, both 26. Chapman N = 31·37/27 − 1 = 41.481; coverage = 30/41.481 = 0.72321.
        rows = [(1, 0, 0, 1)] * 26 + [(1, 0, 0, 0)] * 4 + [(0, 0, 0, 1)] * 10
        result = audience.family_coverage(self._incidence(rows), min_parents=10)
        assert (result["parents"], result["online"], result["offline"], result["both"]) == (40, 30, 36, 26)
        assert result["coverage"]["estimate"] == pytest.approx(0.72321, abs=1e-5)
        # the interval is at least as wide as the Wilson interval for 30/40 scaled by the exposed share:
        # Wilson(30, 40) = [0.59806, 0.85813]
        assert result["coverage"]["low"] <= 0.59806
        assert result["coverage"]["high"] <= 0.85813 + 1e-9
        assert "Chapman" in result["method"]

    def test_too_few_parents_gives_none(self):
        rows = [(1, 0, 0, 1)] * 5
        assert audience.family_coverage(self._incidence(rows), min_parents=10) is None

    def test_survey_duplication_limits(self):
        # 95 online respondents (and 5 offline only): web 80, video 40, social 50. Exact channel reach:
        # web 800, video 400, social 300..600 (bounds). Each channel says C = R / p:
        # web 800/(80/95) = 950, video 400/(40/95) = 950.
        rows = (
            [(1, 1, 1, 0)] * 20
            + [(1, 1, 0, 0)] * 10
            + [(1, 0, 1, 0)] * 20
            + [(1, 0, 0, 0)] * 30
            + [(0, 1, 1, 0)] * 5
            + [(0, 1, 0, 0)] * 5
            + [(0, 0, 1, 0)] * 5
            + [(0, 0, 0, 1)] * 5
        )
        inc = self._incidence(rows)
        channels = {
            "web": {"estimate": 800, "low": 800, "high": 800, "method": "m"},
            "video": {"estimate": 400, "low": 400, "high": 400, "method": "m"},
            "social": {"estimate": 420, "low": 300, "high": 600, "method": "m"},
        }
        result = audience.survey_duplication(channels, inc, min_respondents=50)
        r = result["reach"]
        assert result["respondents"] == 95
        assert result["upper_channel"] == "web"  # the largest share (80/95)
        # upper limit from web only: 800 / Wilson lower of 80/95
        low_p = audience._wilson(80, 95, 0.95)[0]
        assert r["high"] == math.ceil(800 / low_p)
        assert r["low"] >= 800  # never below the largest channel
        assert r["low"] <= 95 / 80 * 800 <= r["high"]
        assert "survey-based duplication" in r["method"]
        assert audience.survey_duplication(channels, inc, min_respondents=200) is None


# ---------------------------------------------------------------------------------------------
# Births and coverage pro-rating
# ---------------------------------------------------------------------------------------------


def _births(district_status: str = "illustrative", county_2026: str = "illustrative") -> pd.DataFrame:
    rows = [("2024", "E10000020", "Norfolk", "7200", "published")]
    rows.append(("2026", "E10000020", "Norfolk", "7200", county_2026))
    shares = [1152, 1008, 864, 1296, 720, 1224, 936]  # sums to 7200
    for (code, name), b in zip(audience.DISTRICTS, shares, strict=True):
        rows.append(("2026", code, name, str(b), district_status))
        rows.append(("2024", code, name, str(b), district_status))
    return pd.DataFrame(rows, columns=["year", "area_code", "area_name", "live_births", "status"]).assign(
        source=""
    )


class TestBirths:
    def test_month_is_pro_rated_by_days_from_the_latest_published_county_figure(self):
        result = audience.births_in_period(_births(), ["2026-10"])
        # 2026 is illustrative, so the 2024 published 7,200 is used: 7200 · 31/365 = 611.507
        assert result["county"] == pytest.approx(611.507, abs=1e-3)
        # illustrative districts only give the split: Breckland 611.507 · 1152/7200 = 97.841
        assert result["districts"]["E07000143"] == pytest.approx(97.841, abs=1e-3)
        assert result["district_status"] == "illustrative"
        assert any("2024 published" in note for note in result["notes"])
        assert sum(result["districts"].values()) == pytest.approx(result["county"])

    def test_leap_february(self):
        births = _births()
        births.loc[(births["year"] == "2024") & (births["area_code"] == "E10000020"), "live_births"] = "7320"
        # 7320 · 29/366 = 580.0
        assert audience.births_in_period(births, ["2024-02"])["county"] == pytest.approx(580.0)

    def test_published_district_rows_are_used_as_they_are(self):
        births = _births(district_status="published", county_2026="published")
        result = audience.births_in_period(births, ["2026-10"])
        assert result["districts"]["E07000148"] == pytest.approx(1224 * 31 / 365)
        assert result["district_status"] == "published"

    def test_three_months(self):
        result = audience.births_in_period(
            _births(county_2026="published"), ["2026-08", "2026-09", "2026-10"]
        )
        assert result["county"] == pytest.approx(7200 * (31 + 30 + 31) / 365)

    def test_poisson_interval_for_births(self):
        # exact (Garwood) 95% limits for a count of 100: 81.36 … 121.63 (standard tables)
        low, high = audience.poisson_interval(100)
        assert low == pytest.approx(81.36, abs=0.01) and high == pytest.approx(121.63, abs=0.01)


# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------


class TestSettings:
    def test_defaults_section_and_overrides(self):
        cfg = audience.resolve_settings(
            {"confidence_level": 0.9, "reach": {"survey_min_respondents": 12}}, geo_error=0.0
        )
        assert cfg["level"] == 0.9 and cfg["survey_min_respondents"] == 12 and cfg["geo_error"] == 0.0
        assert cfg["consent_rate"] == {"low": 0.45, "high": 0.85}

    def test_bad_settings_are_refused(self):
        with pytest.raises(ValueError):
            audience.resolve_settings(None, consent_rate={"low": 0.9, "high": 0.5})
        with pytest.raises(ValueError):
            audience.resolve_settings(None, no_such_setting=1)
        with pytest.raises(ValueError):
            audience.resolve_settings(None, random_duplication_variant="sainsbury")


# ---------------------------------------------------------------------------------------------
# The bundled sample: the planted truth lies inside every reported interval
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_summary(tmp_path_factory, lookup_frame):
    base = tmp_path_factory.mktemp("audience-sample")
    truth = json.loads((sample_dir() / "ground_truth.json").read_text())
    month = truth["sample_month"]
    settings = config.load_config()
    pipeline.build(month, sample_dir() / "raw", base, sample_dir() / "reference", settings)
    from reach import store

    tables = store.load_processed(base / month)
    summary = audience.reach_summary(tables, month, settings, town_districts=lookup_frame)
    details = audience.reach_details(tables, month, settings, town_districts=lookup_frame)
    return summary, details, truth["months"][month], month, tables


def _inside(value, interval) -> bool:
    return interval["low"] - 1e-9 <= value <= interval["high"] + 1e-9


class TestBundledSample:
    def test_contract_has_exactly_the_issue_4_keys(self, sample_summary):
        summary, _, _, month, _ = sample_summary
        r_keys = {"estimate", "low", "high", "method"}
        assert set(summary) == {"period", "channels", "combined", "norfolk_share", "coverage", "by_district"}
        assert summary["period"] == {"start": f"{month}-01", "end": f"{month}-31"}
        assert set(summary["channels"]) == {"web", "video", "social"}
        for r in [*summary["channels"].values(), summary["combined"]]:
            assert set(r) == r_keys
            assert isinstance(r["estimate"], int) and r["low"] <= r["estimate"] <= r["high"]
            assert r["method"]
        assert set(summary["norfolk_share"]) == {"estimate", "low", "high"}
        assert set(summary["coverage"]) == {"births_in_period", "estimate", "low", "high"}
        assert [d["code"] for d in summary["by_district"]] == [f"E0700014{i}" for i in range(3, 10)]
        for d in summary["by_district"]:
            assert set(d) == {"district", "code", "reach", "coverage"}
            assert set(d["reach"]) == r_keys
            assert set(d["coverage"]) == {"births_in_period", "estimate", "low", "high"}
            for value in (d["reach"]["estimate"], d["reach"]["low"], d["reach"]["high"]):
                assert value % 5 == 0  # rounded to the NHS rule's base
        json.dumps(summary)  # serialisable as it stands

    @pytest.mark.parametrize("channel", ["web", "video", "social"])
    def test_planted_channel_reach_is_inside(self, sample_summary, channel):
        summary, _, truth, _, _ = sample_summary
        assert _inside(truth["reach"][channel], summary["channels"][channel])

    def test_planted_combined_reach_is_inside(self, sample_summary):
        summary, _, truth, _, _ = sample_summary
        assert _inside(truth["reach"]["combined"], summary["combined"])

    def test_planted_norfolk_share_is_inside(self, sample_summary):
        summary, _, truth, _, _ = sample_summary
        assert _inside(truth["norfolk_share_web"], summary["norfolk_share"])

    def test_planted_coverage_is_inside(self, sample_summary):
        summary, _, truth, _, _ = sample_summary
        coverage = truth["newborn_families_reached"]["combined"] / truth["births"]
        assert _inside(coverage, summary["coverage"])
        # 7,200 a year pro-rated to 31 days
        assert summary["coverage"]["births_in_period"] == round(7200 * 31 / 365)

    def test_planted_district_reach_and_coverage_are_inside(self, sample_summary):
        summary, _, truth, _, _ = sample_summary
        for d in summary["by_district"]:
            t = truth["by_district"][d["code"]]
            assert _inside(t["families_reached"], d["reach"]), d["district"]
            assert _inside(t["families_reached"] / t["births"], d["coverage"]), d["district"]

    def test_details_carry_frequency_not_set_and_both_combined_methods(self, sample_summary):
        _, details, truth, _, _ = sample_summary
        assert details["norfolk"]["not_set_users"] > 0
        assert details["channels"]["video"]["frequency"]["estimate"] == pytest.approx(
            truth["volumes"]["video_views"] / truth["reach"]["video"]
        )
        assert details["combined_random"]["method"].startswith("random duplication (random)")
        assert details["combined_survey"]["loglinear"]["method"].startswith("log-linear")
        assert details["periods"]["fytd"]["web"]["reach"]["method"].startswith("bounds from monthly exports")

    def test_sentences_never_show_a_number_without_its_interval(self, sample_summary):
        summary, _, _, _, _ = sample_summary
        sentences = audience.reach_sentences(summary)
        assert len(sentences) >= 6
        for sentence in sentences:
            text = re.sub(
                r"\b(January|February|March|April|May|June|July|August|September|October|November|"
                r"December) \d{4}\b",
                "",
                sentence,
            )
            if re.search(r"\d", text):
                assert "between" in text.lower() or "interval is" in text, sentence

    def test_without_survey_or_town_table_it_falls_back_and_says_so(self, sample_summary, lookup_frame):
        _, _, truth, month, tables = sample_summary
        reduced = dict(tables)
        reduced["feedback"] = tables["feedback"].iloc[0:0]
        reduced.pop("web_city")
        summary = audience.reach_summary(reduced, month, config.load_config(), town_districts=lookup_frame)
        assert summary["combined"]["method"].startswith("bounds from channel reach")
        assert _inside(truth["reach"]["combined"], summary["combined"])
        assert summary["coverage"]["estimate"] is None
        assert (summary["coverage"]["low"], summary["coverage"]["high"]) == (0.0, 1.0)
        assert summary["norfolk_share"] == {"estimate": None, "low": None, "high": None}
        assert "page users" in summary["channels"]["web"]["method"]
        assert _inside(truth["reach"]["web"], summary["channels"]["web"])
        assert any("too small" in s for s in audience.reach_sentences(summary))

    def test_missing_lookup_is_an_error_that_says_what_to_do(self, sample_summary):
        _, _, _, month, tables = sample_summary
        assert "reference_town_districts" in tables  # the pipeline stores the configured lookup
        without = {k: v for k, v in tables.items() if k != "reference_town_districts"}
        with pytest.raises(ValueError, match="town_districts.csv"):
            audience.reach_summary(without, month, config.load_config())


class TestDistrictRounding:
    """District counts follow the NHS rule: no 1-7 anywhere, others in 5s, limits outwards."""

    def test_ordinary_values_round_to_five_with_limits_outwards(self):
        r = audience._round_out({"estimate": 42.4, "low": 31.9, "high": 58.1, "method": "m"}, 5)
        assert r == {"estimate": 40, "low": 30, "high": 60, "method": "m"}

    def test_small_limits_move_outwards_past_one_to_seven(self):
        r = audience._round_out({"estimate": 12.0, "low": 6.0, "high": 21.0, "method": "m"}, 5)
        assert (r["low"], r["estimate"], r["high"]) == (0, 10, 25)
        r = audience._round_out({"estimate": 0.0, "low": 0.0, "high": 3.2, "method": "m"}, 5)
        assert (r["low"], r["estimate"], r["high"]) == (0, 0, 10)

    def test_small_estimate_is_hidden_and_the_method_says_why(self):
        r = audience._round_out({"estimate": 6.0, "low": 1.0, "high": 14.0, "method": "m"}, 5)
        assert r["estimate"] is None and (r["low"], r["high"]) == (0, 15)
        assert "not shown" in r["method"]
