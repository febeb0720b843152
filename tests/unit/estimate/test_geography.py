from __future__ import annotations

import pandas as pd
import pytest

from reach import config as config_mod
from reach.estimate import base as estimate_base
from reach.estimate import geography
from reach.sample import world

LOOKUP_CSV = config_mod.project_root() / "config" / "town_districts.csv"


@pytest.fixture(scope="module")
def lookup_frame() -> pd.DataFrame:
    return pd.read_csv(LOOKUP_CSV)


# ---------------------------------------------------------------------------------------------
# Geography
# ---------------------------------------------------------------------------------------------


class TestTownLookup:
    def test_seven_districts_with_their_codes(self, lookup_frame):
        pairs = set(zip(lookup_frame["district"], lookup_frame["district_code"], strict=True))
        assert pairs == {(name, code) for code, name in geography.DISTRICTS}
        assert set(lookup_frame["county_code"]) == {"E10000020"}

    def test_norwich_area_suburbs_go_to_their_own_districts(self, lookup_frame):
        lookup = geography.town_lookup(lookup_frame)
        assert lookup["norwich"][1] == "E07000148"
        for town in ("Hellesdon", "Sprowston", "Taverham", "Thorpe St Andrew", "Old Catton", "Drayton"):
            assert lookup[town.casefold()] == ("Broadland", "E07000144"), town
        for town in ("Costessey", "Cringleford", "Poringland", "Trowse", "Hethersett", "Wymondham"):
            assert lookup[town.casefold()] == ("South Norfolk", "E07000149"), town

    def test_suffolk_and_other_places_are_not_norfolk(self, lookup_frame):
        lookup = geography.town_lookup(lookup_frame)
        for place in ("Lowestoft", "Ipswich", "Brandon", "Bungay", "London", "Peterborough"):
            assert place.casefold() not in lookup

    def test_every_town_the_sample_uses_is_mapped_to_its_district(self, lookup_frame):
        lookup = geography.town_lookup(lookup_frame)
        for code, _name, _births, towns in world._DISTRICTS:
            for town in towns:
                assert lookup[town.casefold()][1] == code, town

    def test_matching_ignores_case_and_curly_apostrophes(self, lookup_frame):
        lookup = geography.town_lookup(lookup_frame)
        assert lookup[geography._norm_place("KING’S  LYNN")][1] == "E07000146"

    def test_bad_codes_are_refused(self):
        with pytest.raises(ValueError):
            geography.town_lookup(
                pd.DataFrame({"city": ["X"], "district": ["Babergh"], "district_code": ["E07000200"]})
            )


class TestNorfolkShare:
    def test_not_set_is_reported_and_bounds_the_share(self, lookup_frame):
        lookup = geography.town_lookup(lookup_frame)
        city = pd.DataFrame(
            {
                "month": "2026-10",
                "city": ["Norwich", "Thetford", "Lowestoft", "London", "(not set)"],
                "active_users": [30, 20, 15, 25, 10],
            }
        )
        result = geography.norfolk_share(city, "2026-10", lookup, geo_error=0.0)
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
        lookup = geography.town_lookup(lookup_frame)
        city = pd.DataFrame({"month": "2026-10", "city": ["Norwich", "London"], "active_users": [50, 50]})
        narrow = geography.norfolk_share(city, "2026-10", lookup, geo_error=0.0)["share"]
        wide = geography.norfolk_share(city, "2026-10", lookup, geo_error=0.03)["share"]
        assert wide["low"] == pytest.approx(narrow["low"] - 0.03)
        assert wide["high"] == pytest.approx(narrow["high"] + 0.03)

    def test_consent_differing_between_areas_moves_the_limits_on_the_odds_scale(self, lookup_frame):
        lookup = geography.town_lookup(lookup_frame)
        city = pd.DataFrame({"month": "2026-10", "city": ["Norwich", "London"], "active_users": [50, 50]})
        same = geography.norfolk_share(city, "2026-10", lookup, geo_error=0.0)["share"]
        differ = geography.norfolk_share(city, "2026-10", lookup, geo_error=0.0, consent_ratio=1.25)["share"]

        def odds(p):
            return p / (1 - p)

        assert odds(differ["low"]) == pytest.approx(odds(same["low"]) / 1.25)
        assert odds(differ["high"]) == pytest.approx(odds(same["high"]) * 1.25)

    def test_the_allowance_covers_norfolk_consenting_less_than_elsewhere(self, lookup_frame):
        # 1,000 Norfolk and 1,000 other visitors; Norfolk consents at 50 %, elsewhere at 62.5 % (x1.25):
        # GA4 sees 500 and 625, a tracked share of 44 %, while the true share is 50 %.
        lookup = geography.town_lookup(lookup_frame)
        city = pd.DataFrame({"month": "2026-10", "city": ["Norwich", "London"], "active_users": [500, 625]})
        plain = geography.norfolk_share(city, "2026-10", lookup, geo_error=0.0)["share"]
        allowed = geography.norfolk_share(city, "2026-10", lookup, geo_error=0.0, consent_ratio=1.25)["share"]
        assert not plain["low"] <= 0.5 <= plain["high"]
        assert allowed["low"] <= 0.5 <= allowed["high"]


# ---------------------------------------------------------------------------------------------
# Births and coverage pro-rating
# ---------------------------------------------------------------------------------------------


def _births(district_status: str = "illustrative", county_2026: str = "illustrative") -> pd.DataFrame:
    rows = [("2024", "E10000020", "Norfolk", "7200", "published")]
    rows.append(("2026", "E10000020", "Norfolk", "7200", county_2026))
    shares = [1152, 1008, 864, 1296, 720, 1224, 936]  # sums to 7200
    for (code, name), b in zip(geography.DISTRICTS, shares, strict=True):
        rows.append(("2026", code, name, str(b), district_status))
        rows.append(("2024", code, name, str(b), district_status))
    return pd.DataFrame(rows, columns=["year", "area_code", "area_name", "live_births", "status"]).assign(
        source=""
    )


class TestBirths:
    def test_month_is_pro_rated_by_days_from_the_latest_published_county_figure(self):
        result = geography.births_in_period(_births(), ["2026-10"])
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
        assert geography.births_in_period(births, ["2024-02"])["county"] == pytest.approx(580.0)

    def test_published_district_rows_are_used_as_they_are(self):
        births = _births(district_status="published", county_2026="published")
        result = geography.births_in_period(births, ["2026-10"])
        assert result["districts"]["E07000148"] == pytest.approx(1224 * 31 / 365)
        assert result["district_status"] == "published"

    def test_three_months(self):
        result = geography.births_in_period(
            _births(county_2026="published"), ["2026-08", "2026-09", "2026-10"]
        )
        assert result["county"] == pytest.approx(7200 * (31 + 30 + 31) / 365)

    def test_poisson_interval_for_births(self):
        # exact (Garwood) 95% limits for a count of 100: 81.36 … 121.63 (standard tables)
        low, high = estimate_base.poisson_interval(100)
        assert low == pytest.approx(81.36, abs=0.01) and high == pytest.approx(121.63, abs=0.01)


class TestCityTotalWarning:
    """A Town/City export must cover only the asset pages: its users can be at most the pages' sum."""

    @staticmethod
    def pages(month="2026-10"):
        # Asset pages: 120 + 80 = 200 users; the home page (no asset) has 5,000.
        return pd.DataFrame(
            {
                "month": [month] * 3,
                "active_users": [120, 80, 5000],
                "asset_id": ["ss-web", "cosleep-web", None],
            }
        )

    @staticmethod
    def city(*users, month="2026-10"):
        return pd.DataFrame({"month": [month] * len(users), "city": [f"T{n}" for n in range(len(users))],
                             "active_users": list(users)})  # fmt: skip

    def test_site_wide_total_is_named(self):
        warning = geography.city_total_warning(self.city(3000, 2400), self.pages(), "2026-10")
        assert warning.startswith(
            "The GA4 Town/City export counts 5,400 users in October 2026, more than the 200 users of all the "
            "asset pages together"
        )
        assert "filtered to the asset pages" in warning

    def test_total_within_the_pages_sum_passes(self):
        assert geography.city_total_warning(self.city(150, 40), self.pages(), "2026-10") is None

    def test_tolerance_above_the_sum(self):
        # 205 users is 2.5% above 200: inside the default 5%, outside 1%.
        assert geography.city_total_warning(self.city(205), self.pages(), "2026-10") is None
        assert (
            geography.city_total_warning(self.city(205), self.pages(), "2026-10", tolerance=0.01) is not None
        )

    def test_only_the_month_counts(self):
        city = pd.concat([self.city(150), self.city(9000, month="2026-09")])
        assert geography.city_total_warning(city, self.pages(), "2026-10") is None

    def test_nothing_to_compare(self):
        assert geography.city_total_warning(None, self.pages(), "2026-10") is None
        assert geography.city_total_warning(self.city(10), self.pages(month="2026-09"), "2026-10") is None
