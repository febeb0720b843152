from __future__ import annotations

import math

import pandas as pd
import pytest

from reach.estimate import base as estimate_base
from reach.estimate import coverage as estimate_coverage
from reach.estimate import overlap

# ---------------------------------------------------------------------------------------------
# Random duplication (methods.md §4.1, validation case V4)
# ---------------------------------------------------------------------------------------------


class TestRandomDuplication:
    def test_worked_example_400_spots_of_a_tenth_of_a_percent(self):
        # methods.md: 1 − (1 − 0.001)^400 = 0.32981 ≈ 33% (reported 33%).
        value = overlap.random_duplication([0.001] * 400)
        assert value == pytest.approx(0.32981, abs=5e-6)
        assert abs(value - 0.33) <= 0.005  # V4 tolerance: ±0.5 percentage points of the reported 33%

    def test_sainsbury_variant_takes_five_percent_off(self):
        # methods.md: 0.95 × 0.32981 ≈ 0.3133
        assert overlap.random_duplication([0.001] * 400, "sainsbury_0.95") == pytest.approx(0.3133, abs=5e-5)

    def test_two_channels_by_hand(self):
        # 1 − (1 − 0.5)(1 − 0.2) = 1 − 0.4 = 0.6
        assert overlap.random_duplication([0.5, 0.2]) == pytest.approx(0.6)

    def test_no_exposure_reaches_no_one(self):
        assert overlap.random_duplication([]) == 0.0

    def test_unknown_variant_and_bad_rates_are_refused(self):
        with pytest.raises(ValueError):
            overlap.random_duplication([0.1], "sainsbury")
        with pytest.raises(ValueError):
            overlap.random_duplication([1.2])


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
        result = overlap.chapman(60, 40, 12)
        assert result["estimate"] == pytest.approx(191.384615, rel=1e-6)
        assert result["variance"] == pytest.approx(1420.686, rel=1e-5)
        assert result["se"] == pytest.approx(math.sqrt(1420.686), rel=1e-5)
        assert result["observed"] == 88

    def test_chao_log_transformed_interval_by_hand(self):
        result = overlap.chapman(60, 40, 12)
        assert result["low"] == pytest.approx(139.73, abs=0.01)
        assert result["high"] == pytest.approx(294.61, abs=0.01)

    def test_chao_lower_limit_stays_above_the_people_seen(self):
        for n1, n2, m in [(60, 40, 12), (10, 8, 7), (500, 30, 1), (5, 5, 0)]:
            result = overlap.chapman(n1, n2, m)
            assert result["low"] > n1 + n2 - m
            assert result["low"] < result["estimate"] < result["high"]

    def test_everyone_on_one_list_recaptured_gives_no_uncertainty(self):
        # m = n2: N = (n1+1)(n2+1)/(n2+1) − 1 = n1 and the variance has the factor (n2 − m) = 0.
        result = overlap.chapman(30, 10, 10)
        assert result["estimate"] == pytest.approx(30)
        assert result["variance"] == 0
        assert result["low"] == result["high"] == 30

    def test_impossible_counts_are_refused(self):
        with pytest.raises(ValueError):
            overlap.chapman(10, 5, 6)
        with pytest.raises(ValueError):
            overlap.chapman(-1, 5, 0)


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
        result = overlap.loglinear_population(_cells(counts), pairs="saturated")
        assert result["n0"] == pytest.approx(166.6667, rel=1e-4)
        assert result["observed"] == 177
        assert result["estimate"] == pytest.approx(177 + 166.6667, rel=1e-4)

    def test_two_list_independence_is_lincoln_petersen(self):
        # Cells 11 = 12, 10 = 48, 01 = 28: N0 = 48·28/12 = 112, N = 88 + 112 = 200 = 60·40/12.
        frame = pd.DataFrame({"web": [1, 1, 0], "video": [1, 0, 1], "count": [12, 48, 28]})
        result = overlap.loglinear_population(frame, pairs=[])
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
        result = overlap.loglinear_population(_cells(counts))
        assert result["model"] == "independence"
        assert result["n0"] == pytest.approx(210, rel=1e-6)
        assert result["estimate"] == pytest.approx(1000, rel=1e-6)
        assert result["observed"] <= result["low"] <= result["estimate"] <= result["high"]
        assert "AIC" in result["method"] and "profile" in result["method"]
        assert len(result["candidates"]) == 8  # independence + the 7 subsets of the three two-way terms

    def test_person_level_rows_are_counted(self):
        frame = pd.DataFrame({"a": [1, 1, 0, 1], "b": [1, 0, 1, 0]})  # 11 once, 10 twice, 01 once
        result = overlap.loglinear_population(frame, pairs=[])
        # N0 = z10 · z01 / z11 = 2 · 1 / 1 = 2
        assert result["n0"] == pytest.approx(2, rel=1e-6)

    def test_needs_two_lists_and_people(self):
        with pytest.raises(ValueError):
            overlap.loglinear_population(pd.DataFrame({"a": [1], "count": [3]}))
        with pytest.raises(ValueError):
            overlap.loglinear_population(pd.DataFrame({"a": [1], "b": [0], "count": [0]}))


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
        inc = overlap.survey_incidence(feedback, ["2026-10"])
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

    def test_responding_parents_are_counted_by_hand(self):
        # 40 Norfolk parents: 26 online and offline, 4 online only, 10 offline only; 3 outside Norfolk.
        rows = [(1, 0, 0, 1)] * 26 + [(1, 0, 0, 0)] * 4 + [(0, 0, 0, 1)] * 10
        inc = pd.concat([self._incidence(rows), self._incidence([(1, 0, 0, 0)] * 3, code="outside")])
        assert estimate_coverage.responding_parents_counts(inc, min_parents=10) == {
            "parents": 40,
            "online": 30,
        }

    def test_too_few_parents_gives_none(self):
        rows = [(1, 0, 0, 1)] * 5
        assert estimate_coverage.responding_parents_counts(self._incidence(rows), min_parents=10) is None

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
        result = overlap.survey_duplication(channels, inc, min_respondents=50)
        r = result["reach"]
        assert result["respondents"] == 95
        assert result["upper_channel"] == "web"  # the largest share (80/95)
        # upper limit from web only: 800 / Wilson lower of 80/95
        low_p = estimate_base._wilson(80, 95, 0.95)[0]
        assert r["high"] == math.ceil(800 / low_p)
        assert r["low"] >= 800  # never below the largest channel
        assert r["low"] <= 95 / 80 * 800 <= r["high"]
        assert "survey-based duplication" in r["method"]
        assert overlap.survey_duplication(channels, inc, min_respondents=200) is None


class TestRecruitmentAdjustedDuplication:
    """Respondents a channel brought to the form all saw it; the adjusted share leaves them out."""

    def _incidence(self) -> pd.DataFrame:
        # 30 came through a web link (all saw web); 30 came another way: 10 saw web, 20 video only.
        rows = [{"web": 1, "video": 0, "recruited": "web"}] * 30
        rows += [{"web": 1, "video": 0, "recruited": "offline"}] * 10
        rows += [{"web": 0, "video": 1, "recruited": "offline"}] * 20
        return pd.DataFrame(
            [{"month": "2026-10", "social": 0, "offline": 0, "parent": True, "district_code": "E07000148", **r}
             for r in rows]
        )  # fmt: skip

    def test_each_share_comes_from_respondents_recruited_elsewhere(self):
        channels = {
            "web": {"estimate": 600, "low": 600, "high": 600, "method": "m"},
            "video": {"estimate": 400, "low": 400, "high": 400, "method": "m"},
            "social": None,
        }
        plain = overlap.survey_duplication(channels, self._incidence(), min_respondents=30)
        adjusted = overlap.survey_duplication(
            channels, self._incidence(), min_respondents=30, recruitment_adjusted=True
        )
        assert plain["shares"]["web"] == pytest.approx(40 / 60)
        assert adjusted["shares"]["web"] == pytest.approx(10 / 30)  # the 30 web-recruited left out
        assert adjusted["shares"]["video"] == pytest.approx(20 / 60)  # nobody came through a video
        # web's ratio R / p: 600 / (2/3) = 900 plain, 600 / (1/3) = 1,800 adjusted
        assert adjusted["by_channel"]["web"]["estimate"] == pytest.approx(1800)
        assert plain["by_channel"]["web"]["estimate"] == pytest.approx(900)

    def test_the_recruiting_channel_is_read_from_the_form_answer(self):
        feedback = pd.DataFrame({
            "month": ["2026-10"] * 3,
            "respondent_type": ["Parent or carer"] * 3,
            "district": ["Norwich"] * 3,
            "where_seen": ["A website"] * 3,
            "recruited_via": ["A link on the Just One Norfolk website", "A leaflet or QR code", None],
        })  # fmt: skip
        inc = overlap.survey_incidence(feedback, ["2026-10"])
        assert inc["recruited"].tolist() == ["web", "offline", "unknown"]
