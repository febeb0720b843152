from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pandas as pd
import pytest

from reach.estimate import its
from tests.conftest import REPO_ROOT

SICILY = REPO_ROOT.parent / "shared" / "reference-cases" / "sicily.csv"


SHARED_ABSENT = "../shared/reference-cases not present (only on developers' machines and CI)"


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
        fit = its.interrupted_time_series(
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
        fit = its.interrupted_time_series(
            sicily, "aces", "time", "smokban", offset="stdpop", family="poisson"
        )
        assert fit.rate_ratio == pytest.approx(0.8944, abs=5e-5)
        assert (fit.low, fit.high) == pytest.approx((0.8647, 0.9251), abs=5e-5)
        assert fit.trend == pytest.approx(1.0050, abs=5e-5)
        assert "Poisson GLM" in fit.method

    def test_model2_quasipoisson(self, sicily):
        fit = its.interrupted_time_series(sicily, "aces", "time", "smokban", offset="stdpop")
        assert fit.rate_ratio == pytest.approx(0.8944, abs=5e-5)
        assert (fit.low, fit.high) == pytest.approx((0.8392, 0.9532), abs=5e-5)
        assert fit.dispersion == pytest.approx(3.5592, abs=5e-5)

    def test_model3_as_pure_poisson(self, sicily):
        fit = its.interrupted_time_series(
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
        fit = its.interrupted_time_series(
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
        fit = its.interrupted_time_series(
            sicily, "aces", "time", "smokban", offset="stdpop", seasonality_period=12, harmonics=2
        )
        summary = fit.summary()
        json.dumps(summary, allow_nan=False)
        assert summary["rate_ratio"] == pytest.approx(0.885, abs=5e-4)
        assert summary["level_change"] is None
        assert 0 <= summary["ljung_box_p"] <= 1 and summary["ljung_box_lag"] >= 1

    def test_input_not_changed(self, sicily):
        before = sicily.copy()
        its.interrupted_time_series(sicily, "aces", "time", "smokban", offset="stdpop", slope_change=True)
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
        design = its.its_design(
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
        design = its.its_design(frame, "date", "step", month_factors=True, trend=False)
        assert [c for c in design.columns if c.startswith("month_")] == ["month_2025-02", "month_2025-03"]
        assert "time" not in design.columns
        # April has campaign days only, so it shares March's factor.
        april = frame["date"] >= "2025-04-01"
        assert (design.loc[april, "month_2025-03"] == 1.0).all()
        with pytest.raises(ValueError, match="trend"):
            its.its_design(frame, "date", "step", trend=False, slope_change=True)

    def test_daily_poisson_with_day_of_week_recovers_planted_step(self):
        frame = _daily_counts(7)
        fit = its.interrupted_time_series(frame, "views", "date", "step", day_of_week=True)
        assert fit.low <= 1.5 <= fit.high
        # Saturday / Monday = 0.78 / 1.14 was planted.
        assert math.exp(fit.params["dow_Sat"]) == pytest.approx(0.78 / 1.14, abs=0.08)
        assert fit.hac_lags is None and "Pearson" in fit.method

    def test_hac_errors_on_request(self):
        frame = _daily_counts(7)
        fit = its.interrupted_time_series(frame, "views", "date", "step", day_of_week=True, hac_lags=7)
        plain = its.interrupted_time_series(frame, "views", "date", "step", day_of_week=True)
        assert fit.hac_lags == 7 and "Newey–West HAC errors, 7 lags" in fit.method
        assert fit.rate_ratio == pytest.approx(plain.rate_ratio)  # same estimate, other errors
        assert fit.high - fit.low != pytest.approx(plain.high - plain.low)

    def test_offset_makes_it_a_controlled_design(self):
        frame = _daily_counts(3)
        frame["control"] = 100.0
        with_offset = its.interrupted_time_series(
            frame, "views", "date", "step", offset="control", day_of_week=True
        )
        without = its.interrupted_time_series(frame, "views", "date", "step", day_of_week=True)
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
        fit = its.interrupted_time_series(frame, "y", "t", "x", family="ols_hac")
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
            its.interrupted_time_series(frame, "views", "date", "step")
        frame = _daily_counts(1)
        frame.loc[0, "step"] = 2
        with pytest.raises(ValueError, match="0 and 1"):
            its.interrupted_time_series(frame, "views", "date", "step")
        with pytest.raises(ValueError, match="family"):
            its.interrupted_time_series(_daily_counts(1), "views", "date", "step", family="negbin")
