from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from reach.estimate import counterfactual

Z95 = 1.959963984540054


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
        result = counterfactual.counterfactual(
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
        result = counterfactual.counterfactual(
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
        result = counterfactual.counterfactual(
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
        result = counterfactual.counterfactual(
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
        result = counterfactual.counterfactual(
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
        fixed = counterfactual.counterfactual(data["y"], data[["x1"]], *periods)
        free = counterfactual.counterfactual(data["y"], data[["x1"]], *periods, prior_level_sd=None)
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
        result = counterfactual.counterfactual(
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
            counterfactual.counterfactual(
                data["y"], None, ("2014-01-01", "2014-03-20"), ("2014-03-12", "2014-04-10")
            )
        broken = data.copy()
        broken.iloc[80, 0] = np.nan
        with pytest.raises(ValueError, match="post-period"):
            counterfactual.counterfactual(
                broken["y"], None, ("2014-01-01", "2014-03-11"), ("2014-03-12", "2014-04-10")
            )
        with pytest.raises(ValueError, match="controls"):
            counterfactual.counterfactual(
                data["y"],
                data[["x1"]],
                ("2014-01-01", "2014-03-11"),
                ("2014-03-12", "2014-04-10"),
                controls="x",
            )

    def test_inputs_not_changed(self):
        data = _vignette(2)
        before = data.copy()
        counterfactual.counterfactual(
            data["y"],
            data[["x1"]],
            ("2014-01-01", "2014-03-11"),
            ("2014-03-12", "2014-04-10"),
            controls="ratio",
        )
        pd.testing.assert_frame_equal(data, before)


# ---------------------------------------------------------------------------------------
# Placebos and the minimum detectable effect
# ---------------------------------------------------------------------------------------

RATIO = {"controls": "ratio", "prior_level_sd": None}


def _pages(seed: int, lift: dict[str, float]) -> pd.DataFrame:
    """140 days of Poisson page views from 1 January 2025; the last 14 (7 to 20 May) are the campaign.

    Expected views a day: campaign 30, control pages c1 60, c2 40, c3 30; ``lift`` multiplies a
    page's expected views on the campaign days."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2025-01-01", periods=140, freq="D")
    means = {"campaign": 30.0, "c1": 60.0, "c2": 40.0, "c3": 30.0}
    frame = {}
    for page, mean in means.items():
        expected = np.full(140, mean)
        expected[-14:] *= lift.get(page, 1.0)
        frame[page] = rng.poisson(expected).astype(float)
    return pd.DataFrame(frame, index=index)


PRE, POST = ("2025-01-01", "2025-05-06"), ("2025-05-07", "2025-05-20")


class TestMinimumDetectableEffect:
    def test_hand_cases(self):
        # (z_0.975 + z_0.8)·sd/sum = (1.959964 + 0.841621) × 28 / 280 = 0.2801585
        assert counterfactual.minimum_detectable_effect(280.0, 28.0) == pytest.approx(0.2801585, abs=1e-6)
        # At the 90% level with 50% power: z_0.95 + z_0.5 = 1.644854 + 0, × 10 / 200
        assert counterfactual.minimum_detectable_effect(200.0, 10.0, 0.90, 0.5) == pytest.approx(
            0.0822427, abs=1e-6
        )
        assert counterfactual.minimum_detectable_effect(0.0, 10.0) is None


class TestInTimePlacebo:
    def test_planted_step_is_found_and_the_placebo_finds_nothing(self):
        data = _pages(11, {"campaign": 1.5})
        y, X = data["campaign"], data[["c1", "c2", "c3"]].sum(axis=1).to_frame("controls")
        result = counterfactual.counterfactual(y, X, PRE, POST, **RATIO)
        assert 0 < result.rel_low <= 0.5 <= result.rel_high  # +50% planted
        placebo = counterfactual.in_time_placebo(y, X, PRE, 14, **RATIO)
        # The last 14 days of the pre-period (23 April to 6 May) play the campaign.
        assert (placebo["pre_start"], placebo["pre_end"]) == ("2025-01-01", "2025-04-22")
        assert (placebo["post_start"], placebo["post_end"]) == ("2025-04-23", "2025-05-06")
        assert placebo["rel_low"] <= 0 <= placebo["rel_high"] and not placebo["excludes_zero"]
        assert placebo["reason"] is None

    def test_a_step_before_the_campaign_makes_the_placebo_find_an_effect(self):
        data = _pages(12, {})
        y = data["campaign"].copy()
        y.loc["2025-04-23":"2025-05-06"] *= 1.6  # something else lifted the pages before the campaign
        X = data[["c1", "c2", "c3"]].sum(axis=1).to_frame("controls")
        placebo = counterfactual.in_time_placebo(y, X, PRE, 14, **RATIO)
        assert placebo["excludes_zero"] and placebo["rel_low"] <= 0.6 <= placebo["rel_high"]

    def test_too_short_a_pre_period_gives_a_reason(self):
        data = _pages(13, {})
        placebo = counterfactual.in_time_placebo(
            data["campaign"], None, ("2025-01-01", "2025-02-10"), 14, min_pre_days=28
        )
        # 41 days: 27 left before a 14-day fake campaign, fewer than 28.
        assert placebo["rel_effect"] is None and not placebo["excludes_zero"]
        assert placebo["reason"] == "the pre-period is too short for a fake start (41 steps)"


class TestPlaceboPages:
    def test_spillover_onto_a_control_page_shows_up(self):
        # The campaign also lifted c1 by 60%. As the outcome, c1 is +60% against c2 + c3; c2 is
        # 1/1.4 - 1 = -28.6% against c1 + c3 (expected 96 + 30 = 126 a day instead of 90);
        # c3 is 1/1.36 - 1 = -26.5% against c1 + c2 (136 instead of 100).
        data = _pages(21, {"campaign": 1.6, "c1": 1.6})
        pages = counterfactual.placebo_pages(data[["c3", "c1", "c2"]], PRE, POST, **RATIO)
        assert [p["page"] for p in pages] == ["c1", "c2", "c3"]  # most pre-period views first
        expected = {"c1": 0.6, "c2": 1 / 1.4 - 1, "c3": 1 / 1.36 - 1}
        for page in pages:
            assert page["rel_low"] <= expected[page["page"]] <= page["rel_high"], page
            assert page["excludes_zero"], page
        summary = counterfactual.placebo_summary({"excludes_zero": False}, pages)
        assert summary["finds_effect"] and summary["pages_excluding_zero"] == 1.0

    def test_untouched_controls_find_nothing_and_the_limit_holds(self):
        data = _pages(22, {"campaign": 1.6})
        pages = counterfactual.placebo_pages(data[["c1", "c2", "c3"]], PRE, POST, max_pages=2, **RATIO)
        assert [p["page"] for p in pages] == ["c1", "c2"]
        assert all(p["rel_low"] <= 0 <= p["rel_high"] and not p["excludes_zero"] for p in pages)
        summary = counterfactual.placebo_summary({"excludes_zero": False}, pages)
        assert not summary["finds_effect"] and summary["pages_excluding_zero"] == 0.0

    def test_missing_days_and_a_single_page(self):
        data = _pages(23, {})
        gap = pd.date_range("2025-04-20", "2025-05-06", freq="D")
        (page,) = counterfactual.placebo_pages(data[["c2"]], PRE, POST, missing=gap, **RATIO)
        # No other control: a local level with a day-of-week seasonal, fitted without the gap days.
        assert page["page"] == "c2" and page["rel_low"] <= 0 <= page["rel_high"]

    def test_starting_from_a_related_fit_reaches_the_same_optimum(self):
        data = _pages(24, {"campaign": 1.3})
        X = data[["c1", "c2"]].sum(axis=1).to_frame("controls")
        first = counterfactual.counterfactual(data["campaign"], X, PRE, POST, **RATIO)
        placebo = counterfactual.counterfactual(data["c3"], X, PRE, POST, **RATIO)
        reused = counterfactual.counterfactual(data["c3"], X, PRE, POST, start_params=first.params, **RATIO)
        assert reused.rel_effect == pytest.approx(placebo.rel_effect, abs=1e-3)
        assert reused.predicted_cumulative_sd == pytest.approx(placebo.predicted_cumulative_sd, rel=1e-2)
        # Start values that do not fit the model (a seasonal adds a variance) are ignored.
        seasonal = counterfactual.counterfactual(
            data["c3"], None, PRE, POST, seasonal=7, start_params=first.params, **RATIO
        )
        assert seasonal.converged


# ---------------------------------------------------------------------------------------
# Fake starts: intervals checked against the baseline (assumption broken: AR(1) errors)
# ---------------------------------------------------------------------------------------


def _ar1_days(seed: int, n: int, rho: float, sd: float) -> np.ndarray:
    """Stationary AR(1) noise: each day keeps ``rho`` of yesterday's deviation."""
    rng = np.random.default_rng(seed)
    out = np.zeros(n)
    out[0] = rng.normal(0, sd / math.sqrt(1 - rho**2))
    for i in range(1, n):
        out[i] = rho * out[i - 1] + rng.normal(0, sd)
    return out


class TestFakeStarts:
    N, POST, EFFECT = 210, 14, 30.0

    def _series(self, seed: int) -> tuple[pd.Series, float]:
        """A flat baseline of 200 a day with AR(1) deviations (rho 0.8), +30 a day planted in the
        last 14 days, and the true relative effect: 30 × 14 over those days' views without it."""
        baseline = 200 + _ar1_days(seed, self.N, 0.8, 10.0)
        y = baseline.copy()
        y[-self.POST :] += self.EFFECT
        index = pd.date_range("2025-01-01", periods=self.N, freq="D")
        return pd.Series(y, index), self.EFFECT * self.POST / baseline[-self.POST :].sum()

    def _fit(self, seed: int, **kwargs):
        # The model, whose level is nearly fixed, takes the days as independent, so the sum of
        # 14 days varies up to (1 + rho) / (1 - rho) = 9 times more than it expects.
        y, _ = self._series(seed)
        index = y.index
        periods = ((index[0], index[-self.POST - 1]), (index[-self.POST], index[-1]))
        return counterfactual.counterfactual(y, None, *periods, **kwargs)

    def test_not_asked_for_keeps_the_model_interval(self):
        plain = self._fit(1)
        assert plain.calibration["requested"] is False and not plain.calibration["calibrated"]
        assert "fake start" not in plain.method
        low = plain.actual_cumulative / (plain.predicted_cumulative + Z95 * plain.predicted_cumulative_sd) - 1
        assert plain.rel_low == pytest.approx(low)

    def test_autocorrelated_days_widen_the_interval(self):
        plain = self._fit(1)
        checked = self._fit(1, fake_start_min_pre=28)
        cal = checked.calibration
        # 196 baseline days, 14-day fake campaigns after at least 28 days: 12 fake starts.
        assert cal["fake_starts"] == 12 and cal["calibrated"]
        assert cal["applied"] > 1.2
        assert checked.predicted_cumulative_sd == pytest.approx(
            plain.predicted_cumulative_sd * cal["applied"]
        )
        assert checked.predicted_cumulative == pytest.approx(plain.predicted_cumulative)
        width = checked.rel_high - checked.rel_low
        assert width > plain.rel_high - plain.rel_low
        assert "12 fake starts" in checked.method

    def test_coverage_recovers_when_days_are_autocorrelated(self):
        seeds = range(40)
        truths = [self._series(s)[1] for s in seeds]
        plain = [self._fit(s) for s in seeds]
        checked = [self._fit(s, fake_start_min_pre=28) for s in seeds]
        covered_plain = sum(r.rel_low <= t <= r.rel_high for r, t in zip(plain, truths, strict=True))
        covered_checked = sum(r.rel_low <= t <= r.rel_high for r, t in zip(checked, truths, strict=True))
        assert covered_plain < 32  # the model's own 95 % interval covers under 80 % of the time
        assert covered_checked >= 36  # 90 % or more once checked against the fake starts
