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
