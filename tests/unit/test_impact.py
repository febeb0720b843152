"""Tests for reach.impact.

Every expected value here is written by hand: published reference numbers from
../shared/docs/methods.md (Sicily, R binom values, Newcombe, Ooyala VTR), numbers derived on
paper in the comments, or effects planted in simulated data. None comes from running the code
under test.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from reach import impact

SICILY = Path(__file__).resolve().parents[3] / "shared" / "reference-cases" / "sicily.csv"
SHARED_ABSENT = "../shared/reference-cases not present (only on developers' machines and CI)"
REPO = Path(__file__).resolve().parents[2]
Z95 = 1.959963984540054


@pytest.fixture(scope="module")
def sicily() -> pd.DataFrame:
    if not SICILY.is_file():
        pytest.skip(SHARED_ABSENT)
    return pd.read_csv(SICILY)


# ---------------------------------------------------------------------------------------
# Interrupted time series: Sicily (methods.md §2.4, V1 and V1b)
# ---------------------------------------------------------------------------------------


class TestSicily:
    def test_reference_file_is_the_published_one(self, sicily):
        data = SICILY.read_bytes()
        blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        assert blob == "fa8300aa793d1544a7ae05622796e55e44df53cd"

    def test_model3_matches_reported_r_output(self, sicily):
        # Reported (R run of the authors' code): RR 0.885 (0.839 to 0.933), dispersion 2.262,
        # trend 1.067 per year; tolerance 0.0005.
        fit = impact.interrupted_time_series(
            sicily, "aces", "time", "smokban", offset="stdpop",
            seasonality_period=12, harmonics=2, family="quasipoisson",
        )  # fmt: skip
        assert fit.rate_ratio == pytest.approx(0.885, abs=5e-4)
        assert fit.low == pytest.approx(0.839, abs=5e-4)
        assert fit.high == pytest.approx(0.933, abs=5e-4)
        assert fit.dispersion == pytest.approx(2.262, abs=5e-4)
        assert fit.trend_over(12)[0] == pytest.approx(1.067, abs=5e-4)
        # Computed values of §2.4 at 4 dp.
        assert fit.rate_ratio == pytest.approx(0.8851, abs=5e-5)
        assert (fit.low, fit.high) == pytest.approx((0.8394, 0.9332), abs=5e-5)
        assert fit.dispersion == pytest.approx(2.2622, abs=5e-5)
        assert fit.trend_over(12)[0] == pytest.approx(1.0668, abs=5e-5)
        assert fit.n_pre == 36 and fit.n_post == 23

    def test_model1_poisson(self, sicily):
        fit = impact.interrupted_time_series(
            sicily, "aces", "time", "smokban", offset="stdpop", family="poisson"
        )
        assert fit.rate_ratio == pytest.approx(0.8944, abs=5e-5)
        assert (fit.low, fit.high) == pytest.approx((0.8647, 0.9251), abs=5e-5)
        assert fit.trend == pytest.approx(1.0050, abs=5e-5)
        assert "Poisson GLM" in fit.method

    def test_model2_quasipoisson(self, sicily):
        fit = impact.interrupted_time_series(sicily, "aces", "time", "smokban", offset="stdpop")
        assert fit.rate_ratio == pytest.approx(0.8944, abs=5e-5)
        assert (fit.low, fit.high) == pytest.approx((0.8392, 0.9532), abs=5e-5)
        assert fit.dispersion == pytest.approx(3.5592, abs=5e-5)

    def test_model3_as_pure_poisson(self, sicily):
        fit = impact.interrupted_time_series(
            sicily,
            "aces",
            "time",
            "smokban",
            offset="stdpop",
            seasonality_period=12,
            harmonics=2,
            family="poisson",
        )
        assert (fit.rate_ratio, fit.low, fit.high) == pytest.approx((0.8851, 0.8544, 0.9168), abs=5e-5)

    def test_model4_slope_change(self, sicily):
        fit = impact.interrupted_time_series(
            sicily, "aces", "time", "smokban", offset="stdpop",
            seasonality_period=12, harmonics=2, slope_change=True,
        )  # fmt: skip
        assert (fit.rate_ratio, fit.low, fit.high) == pytest.approx((0.8765, 0.8268, 0.9292), abs=5e-5)
        assert (fit.slope_change, fit.slope_low, fit.slope_high) == pytest.approx(
            (1.0015, 0.9978, 1.0051), abs=5e-5
        )
        assert fit.dispersion == pytest.approx(2.2746, abs=5e-5)
        # F(1, 51) = 0.639, p = 0.428 against model 3.
        assert fit.slope_test_p == pytest.approx(0.428, abs=5e-4)

    def test_summary_is_json_ready(self, sicily):
        fit = impact.interrupted_time_series(
            sicily, "aces", "time", "smokban", offset="stdpop", seasonality_period=12, harmonics=2
        )
        summary = fit.summary()
        json.dumps(summary, allow_nan=False)
        assert summary["rate_ratio"] == pytest.approx(0.885, abs=5e-4)
        assert summary["level_change"] is None
        assert 0 <= summary["ljung_box_p"] <= 1 and summary["ljung_box_lag"] >= 1

    def test_input_not_changed(self, sicily):
        before = sicily.copy()
        impact.interrupted_time_series(sicily, "aces", "time", "smokban", offset="stdpop", slope_change=True)
        pd.testing.assert_frame_equal(sicily, before)


# ---------------------------------------------------------------------------------------
# Interrupted time series: design, daily data, OLS, errors
# ---------------------------------------------------------------------------------------


def _daily_counts(seed: int, effect: float = 1.5, days: int = 154, campaign: int = 14) -> pd.DataFrame:
    """Poisson daily counts: mean 40, the sample's day-of-week multipliers, a planted step."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2025-01-06", periods=days, freq="D")  # a Monday
    dow = np.array([1.14, 1.12, 1.10, 1.06, 0.98, 0.78, 0.82])[dates.day_of_week]
    step = (np.arange(days) >= days - campaign).astype(int)
    views = rng.poisson(40 * dow * np.where(step == 1, effect, 1.0))
    return pd.DataFrame({"date": dates, "views": views, "step": step})


class TestITSDesign:
    def test_column_names_are_fixed(self):
        frame = _daily_counts(1)
        design = impact.its_design(
            frame, "date", "step", seasonality_period=7, harmonics=1, slope_change=True, day_of_week=True
        )
        assert list(design.columns) == [
            "const", "time", "step", "slope", "sin1", "cos1",
            "dow_Tue", "dow_Wed", "dow_Thu", "dow_Fri", "dow_Sat", "dow_Sun",
        ]  # fmt: skip
        # slope = (time - t0) * step with t0 the last day before the step: 1 on the first step day.
        assert design["slope"].iloc[-14] == 1.0 and design["slope"].iloc[-15] == 0.0

    def test_month_factors(self):
        dates = pd.date_range("2025-01-01", "2025-04-05", freq="D")
        step = (dates >= "2025-03-20").astype(int)  # campaign 20 March to 5 April
        frame = pd.DataFrame({"date": dates, "step": step})
        design = impact.its_design(frame, "date", "step", month_factors=True, trend=False)
        assert [c for c in design.columns if c.startswith("month_")] == ["month_2025-02", "month_2025-03"]
        assert "time" not in design.columns
        # April has campaign days only, so it shares March's factor.
        april = frame["date"] >= "2025-04-01"
        assert (design.loc[april, "month_2025-03"] == 1.0).all()
        with pytest.raises(ValueError, match="trend"):
            impact.its_design(frame, "date", "step", trend=False, slope_change=True)

    def test_daily_poisson_with_day_of_week_recovers_planted_step(self):
        frame = _daily_counts(7)
        fit = impact.interrupted_time_series(frame, "views", "date", "step", day_of_week=True)
        assert fit.low <= 1.5 <= fit.high
        # Saturday / Monday = 0.78 / 1.14 was planted.
        assert math.exp(fit.params["dow_Sat"]) == pytest.approx(0.78 / 1.14, abs=0.08)
        assert fit.hac_lags is None and "Pearson" in fit.method

    def test_hac_errors_on_request(self):
        frame = _daily_counts(7)
        fit = impact.interrupted_time_series(frame, "views", "date", "step", day_of_week=True, hac_lags=7)
        plain = impact.interrupted_time_series(frame, "views", "date", "step", day_of_week=True)
        assert fit.hac_lags == 7 and "Newey–West HAC errors, 7 lags" in fit.method
        assert fit.rate_ratio == pytest.approx(plain.rate_ratio)  # same estimate, other errors
        assert fit.high - fit.low != pytest.approx(plain.high - plain.low)

    def test_offset_makes_it_a_controlled_design(self):
        frame = _daily_counts(3)
        frame["control"] = 100.0
        with_offset = impact.interrupted_time_series(
            frame, "views", "date", "step", offset="control", day_of_week=True
        )
        without = impact.interrupted_time_series(frame, "views", "date", "step", day_of_week=True)
        # A constant exposure only shifts the intercept by log(100).
        assert with_offset.rate_ratio == pytest.approx(without.rate_ratio, rel=1e-6)
        assert with_offset.params["const"] == pytest.approx(without.params["const"] - math.log(100), abs=1e-6)

    def test_ols_hac_level_change(self):
        rng = np.random.default_rng(11)
        n = 200
        noise = np.zeros(n)
        for i in range(1, n):
            noise[i] = 0.5 * noise[i - 1] + rng.normal(0, 0.5)
        step = (np.arange(n) >= 120).astype(int)
        frame = pd.DataFrame(
            {"t": np.arange(n, dtype=float), "y": 10 + 0.1 * np.arange(n) + 5 * step + noise, "x": step}
        )
        fit = impact.interrupted_time_series(frame, "y", "t", "x", family="ols_hac")
        assert fit.effect_name == "level change" and fit.rate_ratio is None
        assert fit.effect == pytest.approx(5, abs=0.75)
        assert fit.hac_lags == math.floor(4 * (n / 100) ** (2 / 9))  # Newey–West rule: 4
        # Positively autocorrelated errors: Newey–West intervals are wider than plain OLS ones.
        import statsmodels.api as sm

        plain = sm.OLS(frame["y"], sm.add_constant(frame[["t", "x"]])).fit()
        assert (fit.high - fit.low) / 2 > 1.96 * plain.bse["x"]
        assert fit.ljung_box_p < 0.05  # the residual check flags the AR(1) errors
        assert fit.summary()["level_change"] == pytest.approx(fit.effect)

    def test_too_few_points_and_bad_inputs(self):
        frame = _daily_counts(1, days=20, campaign=2)
        with pytest.raises(ValueError, match="at least 3 points"):
            impact.interrupted_time_series(frame, "views", "date", "step")
        frame = _daily_counts(1)
        frame.loc[0, "step"] = 2
        with pytest.raises(ValueError, match="0 and 1"):
            impact.interrupted_time_series(frame, "views", "date", "step")
        with pytest.raises(ValueError, match="family"):
            impact.interrupted_time_series(_daily_counts(1), "views", "date", "step", family="negbin")


# ---------------------------------------------------------------------------------------
# Proportions (methods.md §5.1, V2 and V2b) and precision planning
# ---------------------------------------------------------------------------------------


class TestProportions:
    @pytest.mark.parametrize(
        ("k", "n", "low", "high"),
        [
            (4, 20, 0.0806576625797981, 0.4160174322518935),
            (18, 20, 0.6989663547715128, 0.972133518786232),
            (4, 200, 0.00780442641634947, 0.05028708690582643),
            (190, 200, 0.910421851861224, 0.972617354399236),
            (0, 30, 0.0, 0.11351339),
        ],
    )
    def test_wilson_matches_r(self, k, n, low, high):
        assert impact.proportion_interval(k, n) == pytest.approx((low, high), abs=1e-8)

    def test_clopper_pearson_matches_r(self):
        got = impact.proportion_interval(4, 20, method="clopper-pearson")
        assert got == pytest.approx((0.05733399705003284, 0.436614002996668), abs=1e-8)

    def test_clopper_pearson_conover_table(self):
        assert impact.proportion_interval(5, 25, method="clopper-pearson") == pytest.approx(
            (0.068, 0.407), abs=5e-4
        )

    def test_newcombe_difference(self):
        diff, low, high = impact.difference_interval(7, 34, 1, 34)
        assert diff == pytest.approx(6 / 34)
        assert (low, high) == pytest.approx((0.019, 0.34), abs=0.005)

    def test_unknown_method_rejected(self):
        with pytest.raises(ValueError):
            impact.proportion_interval(1, 2, method="wald")

    def test_sample_size_for_change(self):
        # h = 2 asin(sqrt .6) - 2 asin(sqrt .5) = 0.2013579; Var(2 asin sqrt p̂) = 1/n in each
        # group, so n = 2·((1.959964 + 0.841621) / h)² = 2 × 193.584 = 387.17 -> 388 per month.
        plan = impact.sample_size_for_change(0.5, 0.6)
        assert plan["n_per_group"] == 388
        assert plan["effect_size"] == pytest.approx(0.2013579, abs=1e-6)
        assert "388" in plan["sentence"] and "60%" in plan["sentence"]
        with pytest.raises(ValueError):
            impact.sample_size_for_change(0.5, 0.5)


# ---------------------------------------------------------------------------------------
# Out-takes
# ---------------------------------------------------------------------------------------

ALL3 = "On their back;In a clear, flat cot or Moses basket;In their own sleep space, alone"


def _responses(month: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "month": month,
                "respondent_type": r,
                "district": d,
                "helpful": h,
                "key_messages": k,
                "intends_change": i,
                "comment": None,
            }
            for r, d, h, k, i in rows
        ]
    ).astype(
        {
            c: "string"
            for c in ("month", "respondent_type", "district", "helpful", "key_messages", "intends_change")
        }
    )


def _hand_month() -> pd.DataFrame:
    parent = [
        ("Parent or carer", "Breckland", h, ALL3, "No, I already do this")
        for h in ["Yes"] * 9 + ["No"] * 2 + ["Not sure"]
    ]
    pro = [("Professional", "Norwich", "Yes", ALL3, "No") for _ in range(3)]
    return _responses("2026-10", parent + pro)


class TestOuttakes:
    def test_key_message_definition(self):
        frame = _responses(
            "2026-10",
            [
                ("Parent or carer", "Norwich", "Yes", ALL3, "Yes, I will change something"),
                ("Parent or carer", "Norwich", "Yes", ALL3 + ";Room temperature 16-20°C", "No"),
                ("Parent or carer", "Norwich", "No", ALL3 + ";Swaddled with a loose blanket", "Not sure"),
                (
                    "Parent or carer",
                    "Norwich",
                    "Not sure",
                    "On their back;In their own sleep space, alone",
                    "No, I already do this",
                ),
                ("Parent or carer", "Norwich", None, None, None),
            ],
        )
        coded = impact.feedback_outcomes(frame)
        assert coded["key_messages"].tolist() == [True, True, False, False, pd.NA]
        assert coded["helpful"].tolist() == [True, True, False, False, pd.NA]
        assert coded["intends_change"].tolist() == [True, False, False, False, pd.NA]

    def test_overall_groups_and_suppression(self):
        result = impact.outtakes(_hand_month(), "2026-10", min_n=10)
        helpful = result["helpful"]
        # 12 of 15 said yes; 15 is shown rounded to 5 ("15").
        assert helpful["overall"]["estimate"] == pytest.approx(12 / 15)
        assert helpful["overall"]["n"] == "15"
        assert set(helpful["overall"]) == {"estimate", "low", "high", "n"}
        # Parents: 9 of 12; Wilson by hand: centre (p + z²/2n)/(1 + z²/n), half-width
        # z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n) -> 0.46769 to 0.91106. n = 12 is shown as "10".
        parents = helpful["by_respondent_type"]["Parent or carer"]
        assert parents["estimate"] == pytest.approx(0.75)
        assert (parents["low"], parents["high"]) == pytest.approx((0.4676947, 0.9110583), abs=1e-6)
        assert parents["n"] == "10"
        # Three professionals: suppressed, count shown as "*".
        assert helpful["by_respondent_type"]["Professional"] == {
            "estimate": None,
            "low": None,
            "high": None,
            "n": "*",
        }
        assert helpful["by_district"]["Norwich"]["estimate"] is None
        # Intends change: 0 of 15 -> numerator 0 is not hidden by the NHS rule.
        assert result["intends_change"]["overall"]["estimate"] == 0.0

    def test_numerator_of_one_to_seven_is_suppressed(self):
        rows = [("Parent or carer", "Breckland", "Yes", ALL3, "Yes, I will change something")] * 5
        rows += [("Parent or carer", "Breckland", "No", ALL3, "No")] * 15
        result = impact.outtakes(_responses("2026-10", rows), "2026-10", min_n=10)
        assert result["helpful"]["overall"]["estimate"] is None  # 5 of 20: the 5 would be "*"
        assert result["helpful"]["overall"]["n"] == "20"

    def test_month_on_month_change_uses_newcombe(self):
        # 27/34 this month vs 33/34 last month is the complement of Newcombe's 7/34 vs 1/34
        # example, so the interval is (-0.34, -0.019).
        this = [("Parent or carer", "Breckland", "Yes" if i < 27 else "No", ALL3, "No") for i in range(34)]
        last = [("Parent or carer", "Breckland", "Yes" if i < 33 else "No", ALL3, "No") for i in range(34)]
        frame = pd.concat([_responses("2026-09", last), _responses("2026-10", this)], ignore_index=True)
        change = impact.outtakes(frame, "2026-10")["helpful"]["change"]
        assert change["estimate"] == pytest.approx(-6 / 34)
        assert (change["low"], change["high"]) == pytest.approx((-0.34, -0.019), abs=0.005)

    def test_trend_test(self):
        rising = impact.trend_test([10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 43], [50] * 12)
        assert rising["odds_ratio_per_period"] > 1 and rising["p_value"] < 0.001
        flat = impact.trend_test([25] * 12, [50] * 12)  # identical proportions: slope exactly 0
        assert flat["odds_ratio_per_period"] == pytest.approx(1.0, abs=1e-9)
        assert flat["p_value"] == pytest.approx(1.0, abs=1e-9)
        few = impact.trend_test([1, 2], [5, 5])
        assert few["p_value"] is None and few["periods"] == 2

    def test_input_not_changed(self):
        frame = _hand_month()
        before = frame.copy()
        impact.outtakes(frame, "2026-10")
        pd.testing.assert_frame_equal(frame, before)


# ---------------------------------------------------------------------------------------
# Engagement and view-through
# ---------------------------------------------------------------------------------------


class TestEngagement:
    def test_view_through_rate_worked_example(self):
        # Ooyala KB: (700 + 0.75·50 + 0.5·50 + 0.25·100) / 1000 = 0.7875 exactly.
        assert impact.view_through_rate(1000, 900, 800, 750, 700) == 0.7875

    def test_pooling_and_comparisons(self):
        web = pd.DataFrame(
            {
                "month": ["2026-10", "2026-10", "2026-09"],
                "page_path": ["/a/", "/a", "/a/"],
                "sessions": [100, 50, 100],
                "engagement_rate": [0.5, 0.8, 0.4],
                "active_users": [80, 20, 50],
                "avg_engagement_time_per_active_user": [30.0, 60.0, 20.0],
                "asset_id": ["a", "a", "a"],
                "asset_title": ["A page"] * 3,
                "theme": ["safer-sleep"] * 3,
            }
        )
        video = pd.DataFrame(
            {
                "month": ["2026-10", "2026-10", "2026-09"],
                "video_id": ["v1", "v2", "v1"],
                "views": [100, 300, 60],
                "watch_time_hours": [1.0, 1.0, 1.0],
                "duration_s": [120, 60, 120],
                "avg_pct_viewed": [40.0, 80.0, np.nan],
                "asset_id": ["vid", "vid", "vid"],
                "asset_title": ["A video"] * 3,
                "theme": ["safer-sleep"] * 3,
            }
        )
        result = impact.engagement({"web_pages": web, "video": video}, "2026-10")
        row = result["web"][0]
        # engaged sessions (50 + 40) / 150; time (80·30 + 20·60) / 100.
        assert row["engagement_rate"] == pytest.approx(0.6)
        assert row["avg_engagement_time_s"] == pytest.approx(36.0)
        assert row["engagement_rate_previous_month"] == pytest.approx(0.4)
        assert row["engagement_rate_change_vs_previous_month"] == pytest.approx(0.2)
        assert row["engagement_rate_same_month_last_year"] is None
        vid = result["video"][0]
        assert vid["avg_pct_viewed"] == pytest.approx((100 * 40 + 300 * 80) / 400)
        # September has no "Average percentage viewed": 3600 s / 60 views = 60 s of a 120 s video.
        assert vid["avg_pct_viewed_previous_month"] == pytest.approx(50.0)
        assert result["web_by_theme"][0]["theme"] == "safer-sleep"
        json.dumps(result, allow_nan=False)


# ---------------------------------------------------------------------------------------
# Free-text themes
# ---------------------------------------------------------------------------------------

CODEBOOK = {
    "Swaddling": ["swaddl*"],
    "Bed-sharing": ["bed sharing", "co sleep*"],
    "Cot": ["cot"],
    "Thanks": ["thank*"],
}


class TestThemes:
    def test_counts_matching_rules_and_quotes(self):
        comments = pd.Series(
            [
                "Is it OK to swaddle at night?",
                "We were bed-sharing and co-sleeping",  # hyphen matches a space
                "Thank you <b>so</b> much",  # returned as given: escaping happens at display
                "THANKS!",
                "Cottage pie recipe please",  # "cot" is a whole word only
                "A cot question",
                None,
                "   ",
                "thank you",
                "thank you",  # duplicate quote shown once
            ],
            dtype="object",
        )
        frame = impact.code_themes(comments, CODEBOOK, min_n=3, max_quotes=2)
        counts = dict(zip(frame["theme"], frame["comments"], strict=True))
        assert counts == {"Swaddling": 1, "Bed-sharing": 1, "Cot": 1, "Thanks": 4, "(not coded)": 1}
        quotes = dict(zip(frame["theme"], frame["quotes"], strict=True))
        assert quotes["Thanks"] == ["Thank you <b>so</b> much", "THANKS!"]
        assert quotes["Swaddling"] == []  # fewer than min_n comments: no quotes
        assert frame.loc[frame["theme"] == "Thanks", "share"].item() == pytest.approx(4 / 8)

    def test_project_codebook_is_valid(self):
        codebook = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text(encoding="utf-8"))
        themes = impact.parse_codebook(codebook)
        for theme in (
            "Room temperature",
            "Bed-sharing and co-sleeping",
            "Swaddling",
            "Smoking",
            "Sofa and armchair",
        ):
            assert theme in themes

    def test_bad_codebook(self):
        with pytest.raises(ValueError):
            impact.parse_codebook({"Empty": []})
        with pytest.raises(ValueError):
            impact.parse_codebook({"Text": "cot"})


# ---------------------------------------------------------------------------------------
# Counterfactual
# ---------------------------------------------------------------------------------------


def _vignette(seed: int) -> pd.DataFrame:
    """CausalImpact's vignette data, rebuilt with numpy (R's draws cannot be reproduced):
    x1 = 100 + AR(1) with ar = 0.999, y = 1.2·x1 + N(0, 1), +10 from t = 71 of 100."""
    rng = np.random.default_rng(seed)
    burn, n = 200, 100
    shocks = rng.normal(size=burn + n)
    ar = np.zeros(burn + n)
    for i in range(1, burn + n):
        ar[i] = 0.999 * ar[i - 1] + shocks[i]
    x1 = 100 + ar[burn:]
    y = 1.2 * x1 + rng.normal(size=n)
    y[70:] += 10
    index = pd.date_range("2014-01-01", periods=n, freq="D")
    return pd.DataFrame({"y": y, "x1": x1}, index=index)


class TestCounterfactual:
    def test_summary_has_exactly_the_contract_keys(self):
        data = _vignette(1)
        result = impact.counterfactual(
            data["y"], data[["x1"]], ("2014-01-01", "2014-03-11"), ("2014-03-12", "2014-04-10")
        )
        assert list(result.summary()) == [
            "actual", "predicted", "predicted_sd", "predicted_low", "predicted_high", "abs_effect",
            "rel_effect", "rel_low", "rel_high", "actual_cumulative", "predicted_cumulative",
        ]  # fmt: skip
        json.dumps(result.summary(), allow_nan=False)

    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_causalimpact_vignette_effect(self, seed):
        data = _vignette(seed)
        result = impact.counterfactual(
            data["y"], data[["x1"]], ("2014-01-01", "2014-03-11"), ("2014-03-12", "2014-04-10")
        )
        assert result.actual == pytest.approx(data["y"].iloc[70:].mean())
        assert result.actual_cumulative == pytest.approx(data["y"].iloc[70:].sum())
        assert result.abs_effect > 0 and result.rel_effect > 0
        assert result.abs_effect == pytest.approx(10, abs=1.0)
        assert result.abs_low <= 10 <= result.abs_high
        assert result.predicted_low < result.predicted < result.predicted_high
        assert result.n_pre == 70 and result.n_post == 30 and result.controls == ("x1",)

    def test_planted_effect_with_noisy_level(self):
        # y = level + 2·x + noise; level a slow random walk; +15 a day planted for the last 20 days.
        rng = np.random.default_rng(5)
        n, post = 160, 20
        x = 50 + 5 * np.sin(np.arange(n) / 9) + rng.normal(0, 1, n)
        level = 20 + np.cumsum(rng.normal(0, 0.2, n))
        y0 = level + 2 * x + rng.normal(0, 2, n)
        y = y0.copy()
        y[-post:] += 15
        index = pd.date_range("2025-01-01", periods=n, freq="D")
        result = impact.counterfactual(
            pd.Series(y, index),
            pd.DataFrame({"x": x}, index),
            (index[0], index[-post - 1]),
            (index[-post], index[-1]),
        )
        true_rel = 15 * post / y0[-post:].sum()
        assert result.abs_low <= 15 <= result.abs_high
        assert result.rel_low <= true_rel <= result.rel_high
        assert result.p_value < 0.001

    def test_no_effect_gives_interval_including_zero(self):
        rng = np.random.default_rng(8)
        n = 120
        x = 30 + rng.normal(0, 3, n)
        y = 10 + 0.5 * x + rng.normal(0, 1, n)
        index = pd.date_range("2025-01-01", periods=n, freq="D")
        result = impact.counterfactual(
            pd.Series(y, index),
            pd.Series(x, index, name="x"),
            ("2025-01-01", "2025-04-16"),
            ("2025-04-17", "2025-04-30"),
        )
        assert result.rel_low <= 0 <= result.rel_high

    def test_joint_covariance_matches_closed_form_for_local_level(self):
        # For a local level, y_{T+h} = mu_{T+1} + eta_1 + ... + eta_{h-1} + eps_{T+h}, so
        # Var(sum of H steps) = H²·P + s2_level·Σ_{j=1}^{H-1} (H-j)² + H·s2_irregular, with P the
        # level's variance at T+1 = (first step's forecast variance) - s2_irregular.
        rng = np.random.default_rng(3)
        n, steps = 150, 14
        y = 50 + np.cumsum(rng.normal(0, 0.5, n)) + rng.normal(0, 2, n)
        index = pd.date_range("2025-01-01", periods=n, freq="D")
        result = impact.counterfactual(
            pd.Series(y, index), None, (index[0], index[n - steps - 1]), (index[n - steps], index[-1])
        )
        scale = np.std(y[: n - steps], ddof=1)
        s2_eps = result.params["sigma2.irregular"] * scale**2
        s2_level = result.params["sigma2.level"] * scale**2
        first = result.series[result.series["period"] == "post"].iloc[0]
        var_first = ((first["predicted_high"] - first["predicted"]) / Z95) ** 2
        var_sum = (
            steps**2 * (var_first - s2_eps)
            + s2_level * sum((steps - j) ** 2 for j in range(1, steps))
            + steps * s2_eps
        )
        assert result.predicted_cumulative_sd == pytest.approx(math.sqrt(var_sum), rel=1e-6)
        assert result.predicted_sd == pytest.approx(math.sqrt(var_sum) / steps, rel=1e-6)

    def test_level_sd_fixed_at_causalimpact_prior_by_default(self):
        data = _vignette(4)
        periods = (("2014-01-01", "2014-03-11"), ("2014-03-12", "2014-04-10"))
        fixed = impact.counterfactual(data["y"], data[["x1"]], *periods)
        free = impact.counterfactual(data["y"], data[["x1"]], *periods, prior_level_sd=None)
        assert fixed.params["sigma2.level"] == pytest.approx(0.01**2)
        assert "fixed at 0.01" in fixed.method and "fixed" not in free.method
        assert free.params["sigma2.level"] != pytest.approx(0.01**2)

    def test_ratio_controls(self):
        # Campaign pages get 0.6 of the control pages' views; a site-wide drop of 30 % in the
        # last 40 days moves both; +50 % planted on the last 14 days.
        rng = np.random.default_rng(21)
        n, post = 140, 14
        site = np.where(np.arange(n) >= n - 40, 0.7, 1.0)
        x = rng.poisson(80 * site).astype(float)
        y0 = rng.poisson(48 * site).astype(float)
        y = y0.copy()
        y[-post:] += rng.poisson(0.5 * 48 * 0.7, post)
        index = pd.date_range("2025-01-01", periods=n, freq="D")
        result = impact.counterfactual(
            pd.Series(y, index),
            pd.DataFrame({"x": x}, index),
            (index[0], index[-post - 1]),
            (index[-post], index[-1]),
            controls="ratio",
        )
        assert result.control_ratio == pytest.approx(y[:-post].sum() / x[:-post].sum())
        true_rel = (y[-post:].sum() - y0[-post:].sum()) / y0[-post:].sum()
        assert result.rel_low <= true_rel <= result.rel_high
        assert "ratio" in result.method

    def test_bad_periods_and_missing_values(self):
        data = _vignette(1)
        with pytest.raises(ValueError, match="pre_start"):
            impact.counterfactual(data["y"], None, ("2014-01-01", "2014-03-20"), ("2014-03-12", "2014-04-10"))
        broken = data.copy()
        broken.iloc[80, 0] = np.nan
        with pytest.raises(ValueError, match="post-period"):
            impact.counterfactual(
                broken["y"], None, ("2014-01-01", "2014-03-11"), ("2014-03-12", "2014-04-10")
            )
        with pytest.raises(ValueError, match="controls"):
            impact.counterfactual(
                data["y"],
                data[["x1"]],
                ("2014-01-01", "2014-03-11"),
                ("2014-03-12", "2014-04-10"),
                controls="x",
            )

    def test_inputs_not_changed(self):
        data = _vignette(2)
        before = data.copy()
        impact.counterfactual(
            data["y"],
            data[["x1"]],
            ("2014-01-01", "2014-03-11"),
            ("2014-03-12", "2014-04-10"),
            controls="ratio",
        )
        pd.testing.assert_frame_equal(data, before)


class TestCampaignWindows:
    CAMPAIGNS = pd.DataFrame(
        {
            "campaign_id": ["a", "b"],
            "name": ["A", "B"],
            "start": ["2025-03-10", "2025-06-02"],
            "end": ["2025-03-23", "2025-06-15"],
            "utm_campaign": ["utm-a", "utm-b"],
        }
    )

    def test_windows_washout_and_partial(self):
        windows = impact.campaign_windows(
            self.CAMPAIGNS,
            pd.Timestamp("2025-01-01"),
            pd.Timestamp("2025-06-10"),
            washout_days=7,
            min_pre_days=28,
        )
        a, b = windows
        assert (a["pre_start"], a["pre_end"], a["post_end"]) == ("2025-01-01", "2025-03-09", "2025-03-23")
        # B: from 7 days after A ended (23 March + 1 + 7 = 31 March) to the day before B.
        assert (b["pre_start"], b["pre_end"]) == ("2025-03-31", "2025-06-01")
        assert b["partial"] and b["post_end"] == "2025-06-10" and b["post_days"] == 9
        short = impact.campaign_windows(
            self.CAMPAIGNS, pd.Timestamp("2025-02-20"), pd.Timestamp("2025-06-30"), min_pre_days=28
        )
        assert not short[0]["usable"] and "18 days" in short[0]["reason"]

    def test_pages_and_controls(self):
        days = pd.date_range("2025-03-31", "2025-06-15", freq="D")
        daily = pd.DataFrame({"p1": 10.0, "p2": 5.0, "new": np.nan, "ctrl": 20.0, "other": 3.0}, index=days)
        daily.loc["2025-06-02":, "new"] = 4.0
        assets = pd.DataFrame(
            {
                "asset_id": ["p1", "p2", "new", "ctrl", "other", "vid"],
                "type": ["web_page"] * 5 + ["video"],
                "campaign_tags": ["utm-b", "utm-a;utm-b", "utm-b", "", "utm-a", "utm-b"],
            }
        )
        window = impact.campaign_windows(self.CAMPAIGNS, days[0], days[-1])[1]
        y, X, info = impact.campaign_web_series(daily, assets, self.CAMPAIGNS, window)
        assert info["campaign_pages"] == ["p1", "p2"] and info["new_pages"] == ["new"]
        # "other" was promoted by A, which does not overlap B's window, so it is a control.
        assert info["control_pages"] == ["ctrl", "other"]
        assert (y == 15.0).all() and (X["control_pages"] == 23.0).all()


# ---------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------


def _leaf(estimate, n="60"):
    return {
        "estimate": estimate,
        "low": None if estimate is None else estimate - 0.1,
        "high": None if estimate is None else estimate + 0.1,
        "n": n,
    }


def _hand_summary() -> dict:
    measure = {
        "label": "",
        "overall": _leaf(0.5),
        "by_respondent_type": {"Other": _leaf(None, "*")},
        "by_district": {},
        "previous_month": _leaf(0.45),
        "change": {"estimate": 0.05, "low": -0.1, "high": 0.2, "n": "60", "n_previous": "60", "method": ""},
        "trend": {
            "odds_ratio_per_month": 1.0,
            "low": 0.9,
            "high": 1.1,
            "p_value": 0.6,
            "months": 12,
            "n": "600",
            "method": "",
        },
    }
    return {
        "month": "2026-10",
        "level": 0.95,
        "outtakes": {
            "month": "2026-10",
            "min_n": 10,
            **{m: copy.deepcopy(measure) for m in impact.MEASURE_LABELS},
        },
        "its": [
            {
                "series": "partner:visits_assessed",
                "rate_ratio": 1.02,
                "low": 0.98,
                "high": 1.06,
                "method": "",
            },
            {"series": "web_daily_views:c1", "rate_ratio": 1.6, "low": 1.4, "high": 1.8, "method": ""},
        ],
        "counterfactual": [
            {
                "campaign": "c1",
                "actual": 30.0,
                "predicted": 28.0,
                "predicted_sd": 2.0,
                "predicted_low": 24.1,
                "predicted_high": 31.9,
                "abs_effect": 2.0,
                "rel_effect": 0.07,
                "rel_low": -0.06,
                "rel_high": 0.24,
                "actual_cumulative": 420.0,
                "predicted_cumulative": 392.0,
            }  # fmt: skip
        ],
        "campaigns": [{"campaign": "c1", "name": "Campaign One"}],
        "precision": [],
        "themes": None,
        "notes": ["c2: only 10 days before the campaign (at least 28 needed)"],
    }


class TestSentences:
    def test_plain_english_with_limits(self):
        sentences = impact.impact_sentences(_hand_summary())
        text = " ".join(sentences)
        assert "no clear change: the interval includes zero" in text
        assert "Campaign One" in text
        assert "No clear change: the interval includes a rate ratio of 1" in text  # partner 0.98-1.06
        assert "does not show what families do" in text
        assert "not people" in text
        assert "Not estimated: c2" in text
        assert "not shown" in text  # a suppressed group
        assert all(isinstance(s, str) and s for s in sentences)


# ---------------------------------------------------------------------------------------
# The bundled synthetic sample: planted effects inside the reported intervals
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_impact(tmp_path_factory):
    from reach import config, pipeline

    sample = config.sample_dir()
    truth = json.loads((sample / "ground_truth.json").read_text())
    month = truth["sample_month"]
    settings = config.load_config()
    built = pipeline.build(
        month, sample / "raw", tmp_path_factory.mktemp("processed"), sample / "reference", settings
    )
    settings = dict(settings)
    codebook = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text(encoding="utf-8"))
    settings["impact"] = {**dict(settings.get("impact") or {}), "codebook": codebook}
    tables = dict(built.tables)
    snapshot = {name: frame.copy() for name, frame in tables.items()}
    summary = impact.impact_summary(tables, month, settings)
    return truth, summary, tables, snapshot


class TestBundledSample:
    def test_every_planted_campaign_effect_is_inside_its_interval(self, sample_impact):
        truth, summary, _, _ = sample_impact
        rows = {row["campaign"]: row for row in summary["counterfactual"]}
        end = pd.Timestamp(truth["sample_month"] + "-01") + pd.offsets.MonthEnd(0)
        inside = [c for c in truth["campaigns"] if pd.Timestamp(c["start"]) <= end]
        assert inside and set(rows) == {c["campaign_id"] for c in inside}
        for campaign in inside:
            row = rows[campaign["campaign_id"]]
            assert row["rel_low"] <= campaign["true_rel_effect_web_daily_views"] <= row["rel_high"], campaign[
                "campaign_id"
            ]

    def test_web_its_covers_the_planted_uplift(self, sample_impact):
        truth, summary, _, _ = sample_impact
        rows = {row["series"]: row for row in summary["its"]}
        for campaign in truth["campaigns"]:
            row = rows[f"web_daily_views:{campaign['campaign_id']}"]
            assert row["low"] <= campaign["planted_web_uplift"] <= row["high"], campaign["campaign_id"]

    def test_partner_step_is_inside_the_its_interval(self, sample_impact):
        truth, summary, _, _ = sample_impact
        step = truth["partner_indicator_step"]
        # The planted +5 points as a rate ratio at the step month: p is the denominator-weighted
        # mean over districts of baseline(2024-01) + 0.08 points × months since January 2024.
        k = (int(step["first_month"][:4]) - 2024) * 12 + int(step["first_month"][5:7]) - 1
        weights: dict[str, float] = {}
        for month in truth["months"].values():
            for code, cell in month["partner_indicator"].items():
                weights[code] = weights.get(code, 0) + cell["denominator"]
        total = sum(weights.values())
        p = sum(
            w / total * (step["baseline_proportion_2024_01"][c] + step["trend_pp_per_month"] / 100 * k)
            for c, w in weights.items()
        )
        planted = (p + step["true_change_pp"] / 100) / p
        row = next(r for r in summary["its"] if r["series"] == f"partner:{step['indicator']}")
        assert row["low"] <= planted <= row["high"]

    def test_outtakes_cover_the_planted_rates(self, sample_impact):
        truth, summary, _, _ = sample_impact
        planted = truth["months"][truth["sample_month"]]["feedback"]
        for measure, key in (
            ("helpful", "true_helpful_rate"),
            ("key_messages", "true_key_messages_rate"),
            ("intends_change", "true_intends_change_rate"),
        ):
            leaf = summary["outtakes"][measure]["overall"]
            assert leaf["low"] <= planted[key] <= leaf["high"], measure

    def test_contract_shapes(self, sample_impact):
        _, summary, _, _ = sample_impact
        json.dumps(summary, allow_nan=False)
        for key in ("engagement", "outtakes", "its", "counterfactual"):
            assert key in summary
        for row in summary["its"]:
            assert set(row) == {"series", "rate_ratio", "low", "high", "method"}
        for row in summary["counterfactual"]:
            assert list(row) == ["campaign", *impact.COUNTERFACTUAL_KEYS]
        for measure in impact.MEASURE_LABELS:
            block = summary["outtakes"][measure]
            leaves = [
                block["overall"],
                block["previous_month"],
                *block["by_respondent_type"].values(),
                *block["by_district"].values(),
            ]
            assert all(set(leaf) == {"estimate", "low", "high", "n"} for leaf in leaves)
        assert summary["themes"]["sources"]["feedback_form"]["themes"]
        sentences = impact.impact_sentences(summary)
        assert len(sentences) >= 10

    def test_processed_tables_not_changed(self, sample_impact):
        _, _, tables, snapshot = sample_impact
        for name, frame in snapshot.items():
            pd.testing.assert_frame_equal(tables[name], frame)
