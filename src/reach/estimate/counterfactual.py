"""Campaign counterfactuals.

What the campaign pages would have had without the campaign, from their own past and control pages.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.tsa.statespace.structural import UnobservedComponents

from reach.core.intervals import _num, _z
from reach.estimate.fake_starts import calibration_words, fake_start_scale, fake_windows

# ---------------------------------------------------------------------------------------
# Campaign counterfactual (a maximum-likelihood port of the CausalImpact idea)
# ---------------------------------------------------------------------------------------

COUNTERFACTUAL_KEYS = (
    "actual",
    "predicted",
    "predicted_sd",
    "predicted_low",
    "predicted_high",
    "abs_effect",
    "rel_effect",
    "rel_low",
    "rel_high",
    "actual_cumulative",
    "predicted_cumulative",
)


@dataclass(frozen=True)
class CounterfactualResult:
    """A campaign counterfactual: what the post-period would have looked like without the campaign.

    Attributes
    ----------
    actual, predicted : float
        Post-period averages per time step: observed, and predicted without the campaign.
    predicted_sd : float
        Standard deviation of the predicted average (from the joint forecast covariance).
    predicted_low, predicted_high : float
        Interval for the predicted average.
    abs_effect, abs_low, abs_high : float
        ``actual − predicted`` (average per step) and its interval.
    rel_effect, rel_low, rel_high : float or None
        ``sum(actual) / sum(predicted) − 1`` and its interval (None if a limit is undefined
        because the predicted sum's interval reaches zero).
    actual_cumulative, predicted_cumulative : float
        Post-period sums.
    predicted_cumulative_sd : float
    p_value : float
        One-sided tail probability of the observed sum under the counterfactual (normal
        approximation; CausalImpact reports the same quantity from its draws).
    level : float
    n_pre, n_post : int
        Time steps used before (fitted) and after (predicted).
    controls : tuple of str
        Control series used.
    control_ratio : float or None
        The pre-period ratio ``r`` in ``controls="ratio"`` mode.
    method : str
    converged : bool
        Whether the likelihood optimiser reported convergence.
    params : pandas.Series
        Fitted variances (standardised scale).
    series : pandas.DataFrame
        Per step over pre- and post-period: ``actual``, ``predicted`` (one-step-ahead in the
        pre-period, forecast in the post-period), ``predicted_low``, ``predicted_high``,
        ``period`` (``"pre"`` / ``"post"``).
    calibration : dict
        The fake-start check of the intervals (:func:`reach.estimate.fake_starts.fake_start_scale`
        plus ``requested``): ``fake_starts``, ``scale``, ``applied``, ``quantile``, ``calibrated``.
    """

    actual: float
    predicted: float
    predicted_sd: float
    predicted_low: float
    predicted_high: float
    abs_effect: float
    abs_low: float
    abs_high: float
    rel_effect: float | None
    rel_low: float | None
    rel_high: float | None
    actual_cumulative: float
    predicted_cumulative: float
    predicted_cumulative_sd: float
    p_value: float
    level: float
    n_pre: int
    n_post: int
    controls: tuple[str, ...]
    control_ratio: float | None
    method: str
    converged: bool
    params: pd.Series = field(repr=False)
    series: pd.DataFrame = field(repr=False)
    calibration: dict = field(default_factory=dict)

    def summary(self) -> dict:
        """The summary.json record (the caller adds ``"campaign"``).

        Returns
        -------
        dict
            Exactly ``actual``, ``predicted``, ``predicted_sd``, ``predicted_low``,
            ``predicted_high``, ``abs_effect``, ``rel_effect``, ``rel_low``, ``rel_high``,
            ``actual_cumulative``, ``predicted_cumulative``.
        """
        return {key: _num(getattr(self, key)) for key in COUNTERFACTUAL_KEYS}


def _label(index: pd.Index, value: object) -> object:
    if isinstance(index, pd.DatetimeIndex):
        return pd.Timestamp(value)
    return value


def _joint_forecast_cov(result, first: int, steps: int) -> np.ndarray:
    """Joint covariance of the ``steps`` observations from ``first`` on, given data before ``first``.

    For a linear Gaussian state-space model with predicted state ``a``, covariance ``P`` at
    ``first`` (observations from ``first`` on are missing, so the filter never updates on them):
    ``Var(α_{h}) = T Var(α_{h−1}) T' + R Q R'``, ``Cov(α_h, α_k) = Var(α_h) (T')^{k−h}``,
    ``Cov(y_h, y_k) = Z_h Cov(α_h, α_k) Z_k' + H·[h = k]``.
    """
    ssm = result.model.ssm

    def matrix(name: str, t: int) -> np.ndarray:
        m = np.asarray(ssm[name])
        return m[:, :, t] if m.ndim == 3 and m.shape[2] > 1 else (m[:, :, 0] if m.ndim == 3 else m)

    filt = result.filter_results
    k = filt.predicted_state.shape[0]
    var = [np.asarray(filt.predicted_state_cov[:, :, first])]
    for h in range(1, steps):
        t_mat, r_mat, q_mat = (
            matrix(name, first + h - 1) for name in ("transition", "selection", "state_cov")
        )
        var.append(t_mat @ var[-1] @ t_mat.T + r_mat @ q_mat @ r_mat.T)
    design = [matrix("design", first + h) for h in range(steps)]
    cov = np.zeros((steps, steps))
    for h in range(steps):
        carried = np.eye(k)
        for j in range(h, steps):
            value = float((design[h] @ var[h] @ carried.T @ design[j].T)[0, 0])
            if j == h:
                value += float(matrix("obs_cov", first + h)[0, 0])
            cov[h, j] = cov[j, h] = value
            carried = matrix("transition", first + j) @ carried
    return cov


class _Controls(NamedTuple):
    """How the control series enter the model."""

    known: np.ndarray
    exog: np.ndarray | None
    used: tuple[str, ...]
    ratio_r: float | None


class _Forecast(NamedTuple):
    """The fitted model's one-step-ahead and post-period forecasts on the outcome's scale."""

    forecast: np.ndarray
    pointwise_sd: np.ndarray
    cov: np.ndarray
    converged: bool
    params: pd.Series
    endog: np.ndarray
    exog: np.ndarray | None


def _counterfactual_window(
    y: pd.Series, pre_period: tuple[object, object], post_period: tuple[object, object]
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Check the outcome and periods; return the outcome over both periods and their masks."""
    if not isinstance(y, pd.Series):
        raise ValueError("y must be a pandas Series")
    if not y.index.is_monotonic_increasing or not y.index.is_unique:
        raise ValueError("y's index must be sorted and unique")
    index = y.index
    pre_start, pre_end = (_label(index, v) for v in pre_period)
    post_start, post_end = (_label(index, v) for v in post_period)
    if not pre_start <= pre_end < post_start <= post_end:
        raise ValueError("need pre_start <= pre_end < post_start <= post_end")
    window = y.loc[pre_start:post_end].astype(float)
    is_pre = (window.index >= pre_start) & (window.index <= pre_end)
    is_post = (window.index >= post_start) & (window.index <= post_end)
    window = window[is_pre | is_post]
    is_pre, is_post = is_pre[is_pre | is_post], is_post[is_pre | is_post]
    y_pre, y_post = window[is_pre], window[is_post]
    if y_pre.notna().sum() < 3:
        raise ValueError("the pre-period needs at least 3 observations")
    if y_post.empty or y_post.isna().any():
        raise ValueError("the post-period outcome must be present on every step")
    return window, is_pre, is_post


def _counterfactual_controls(
    X: pd.DataFrame | pd.Series | None, window: pd.Series, is_pre: np.ndarray, controls: str
) -> _Controls:
    """Check the control series and turn them into a known part (ratio) or standardised regressors."""
    if controls not in ("regression", "ratio"):
        raise ValueError(f"controls must be 'regression' or 'ratio', got {controls!r}")
    used: tuple[str, ...] = ()
    exog = None
    known = np.zeros(len(window))  # r·x in "ratio" mode: the part of y taken as known
    ratio_r = None
    if X is not None:
        frame = X.to_frame() if isinstance(X, pd.Series) else X
        frame = frame.reindex(window.index).astype(float)
        if frame.isna().any().any():
            raise ValueError("control series must have no missing values in the pre- and post-period")
        if controls == "ratio":
            total = frame.sum(axis=1)
            seen = is_pre & window.notna().to_numpy()
            if total[seen].sum() > 0:
                ratio_r = float(window[seen].sum() / total[seen].sum())
                known = ratio_r * total.to_numpy()
                used = tuple(str(c) for c in frame.columns)
        else:
            x_pre = frame[is_pre]
            scale = x_pre.std(ddof=1)
            frame = frame.loc[:, scale > 0]
            if not frame.empty:
                exog = ((frame - x_pre.mean()[frame.columns]) / scale[frame.columns]).to_numpy()
                used = tuple(str(c) for c in frame.columns)
    return _Controls(known, exog, used, ratio_r)


def _model_options(seasonal: int | None) -> dict[str, Any]:
    """Keyword options of the local-level ``UnobservedComponents`` model."""
    options: dict[str, Any] = {"level": "llevel", "mle_regression": False, "use_exact_diffuse": True}
    if seasonal:
        options["seasonal"] = int(seasonal)
    return options


def _fit_unobserved_components(
    endog: np.ndarray,
    exog: np.ndarray | None,
    n_pre: int,
    seasonal: int | None,
    prior_level_sd: float | None,
    start_params: np.ndarray | None = None,
):
    """Fit the local-level model to the pre-period and run its filter over both periods.

    ``start_params`` (the variances of a related fit) start the likelihood search when they fit
    this model; otherwise statsmodels' own starting values are used.
    """
    options = _model_options(seasonal)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pre_model = UnobservedComponents(
            endog[:n_pre], exog=None if exog is None else exog[:n_pre], **options
        )
        if prior_level_sd is None:
            usable = start_params is not None and len(start_params) == len(pre_model.param_names)
            start = start_params if usable else None
            # cov_type="none": the variances' own standard errors are never used, so skip their Hessian.
            fitted = pre_model.fit(start_params=start, disp=False, maxiter=500, cov_type="none")
        else:
            fixed = {"sigma2.level": float(prior_level_sd) ** 2}
            fitted = pre_model.fit_constrained(fixed, disp=False, maxiter=500, cov_type="none")
        full = UnobservedComponents(endog, exog=exog, **options).filter(np.asarray(fitted.params))
    return fitted, full


def _fit_and_forecast(
    window: pd.Series,
    is_pre: np.ndarray,
    is_post: np.ndarray,
    ctl: _Controls,
    seasonal: int | None,
    prior_level_sd: float | None,
    start_params: np.ndarray | None = None,
) -> _Forecast:
    """Standardise over the pre-period, fit the model and forecast back on the outcome's scale."""
    target = window - ctl.known
    mu, sd = float(target[is_pre].mean()), float(target[is_pre].std(ddof=1))
    if not sd > 0:
        sd = 1.0
    endog = ((target - mu) / sd).to_numpy().copy()
    n_pre, n_post = int(is_pre.sum()), int(is_post.sum())
    endog[n_pre:] = np.nan
    fitted, full = _fit_unobserved_components(endog, ctl.exog, n_pre, seasonal, prior_level_sd, start_params)
    converged = bool(fitted.mle_retvals.get("converged", True)) if fitted.mle_retvals else True
    filt = full.filter_results
    forecast = np.asarray(filt.forecasts[0], dtype=float) * sd + mu + ctl.known
    pointwise_sd = np.sqrt(np.asarray(filt.forecasts_error_cov[0, 0], dtype=float)) * sd
    cov = _joint_forecast_cov(full, n_pre, n_post) * sd**2
    params = pd.Series(np.asarray(fitted.params, dtype=float), index=list(fitted.model.param_names))
    return _Forecast(forecast, pointwise_sd, cov, converged, params, endog, ctl.exog)


def _fake_start_errors(fc: _Forecast, n_pre: int, n_post: int, seasonal: int | None, min_before: int) -> list:
    """Standardised errors of the post-period sum at fake starts in the pre-period.

    The model keeps the variances fitted to the whole pre-period; each fake campaign (as long
    as the real one) is forecast from the steps before it only, exactly as the real campaign
    is. Fake stretches with missing outcomes (a baseline gap) are skipped. All on the
    standardised scale, where ``(observed − predicted) / sd`` is the same as on the outcome's.
    """
    options = _model_options(seasonal)
    errors = []
    for start, stop in fake_windows(n_pre, n_post, min_before):
        observed = fc.endog[start:stop]
        if np.isnan(observed).any():
            continue
        masked = fc.endog[:stop].copy()
        masked[start:stop] = np.nan
        exog = None if fc.exog is None else fc.exog[:stop]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = UnobservedComponents(masked, exog=exog, **options).filter(fc.params.to_numpy())
        predicted = np.asarray(result.filter_results.forecasts[0][start:stop], dtype=float)
        variance = float(_joint_forecast_cov(result, start, stop - start).sum())
        if variance > 0 and np.isfinite(predicted).all():
            errors.append(float((observed.sum() - predicted.sum()) / math.sqrt(variance)))
    return errors


def _counterfactual_series(window: pd.Series, is_pre: np.ndarray, fc: _Forecast, z: float) -> pd.DataFrame:
    """Per-step actual and predicted values with pointwise intervals, over both periods."""
    return pd.DataFrame(
        {
            "actual": window.to_numpy(),
            "predicted": fc.forecast,
            "predicted_low": fc.forecast - z * fc.pointwise_sd,
            "predicted_high": fc.forecast + z * fc.pointwise_sd,
            "period": np.where(is_pre, "pre", "post"),
        },
        index=window.index,
    )


def _counterfactual_method(
    ctl: _Controls,
    n_pre: int,
    level: float,
    seasonal: int | None,
    prior_level_sd: float | None,
    calibration: dict | None = None,
) -> str:
    """Plain description of the counterfactual model and its intervals."""
    fixed_note = "" if prior_level_sd is None else f" with step sd fixed at {prior_level_sd:g} sd of y"
    names = [f"local level{fixed_note}"] + ([f"seasonal ({int(seasonal)})"] if seasonal else [])
    if ctl.ratio_r is not None:
        regression = f"sum of {len(ctl.used)} control series scaled by the pre-period ratio {ctl.ratio_r:.3g}"
    elif ctl.used:
        regression = f"static regression on {len(ctl.used)} control series"
    else:
        regression = "no control series"
    return (
        f"Structural time-series counterfactual ({' + '.join(names)}, {regression}; statsmodels "
        f"UnobservedComponents fitted by maximum likelihood on {n_pre} pre-period steps, data "
        f"standardised over the pre-period); {level:.0%} intervals from the analytic joint "
        f"forecast covariance{_calibration_text(calibration)}. A maximum-likelihood port of the "
        "CausalImpact idea: point estimates should match CausalImpact closely, intervals will differ."
    )


def _calibration_text(calibration: dict | None) -> str:
    """The fake-start check in words (empty when it was not asked for)."""
    if not calibration or not calibration.get("requested"):
        return ""
    return f"; {calibration_words(calibration)}"


def _counterfactual_result(
    window: pd.Series,
    is_pre: np.ndarray,
    is_post: np.ndarray,
    ctl: _Controls,
    fc: _Forecast,
    z: float,
    level: float,
    seasonal: int | None,
    prior_level_sd: float | None,
    calibration: dict,
) -> CounterfactualResult:
    """Compare the post-period forecast with the observed outcome and assemble the result."""
    n_pre, n_post = int(is_pre.sum()), int(is_post.sum())
    pred_post = fc.forecast[n_pre:]
    actual_sum = float(window[is_post].sum())
    pred_sum = float(pred_post.sum())
    # The model's sd, widened by the fake starts when there were enough (factor 1 otherwise).
    sum_sd = float(math.sqrt(max(fc.cov.sum(), 0.0))) * calibration["applied"]
    q = calibration["quantile"] if calibration["calibrated"] else z
    actual, predicted, avg_sd = actual_sum / n_post, pred_sum / n_post, sum_sd / n_post
    pred_low, pred_high = predicted - q * avg_sd, predicted + q * avg_sd
    sum_low, sum_high = pred_sum - q * sum_sd, pred_sum + q * sum_sd

    def ratio(denominator: float) -> float | None:
        return actual_sum / denominator - 1 if denominator > 0 else None

    distance = (actual_sum - pred_sum) / sum_sd if sum_sd > 0 else math.inf
    reference = stats.t(df=calibration["fake_starts"]) if calibration["calibrated"] else stats.norm
    p_value = float(min(reference.cdf(distance), reference.sf(distance)))
    return CounterfactualResult(
        actual=actual,
        predicted=predicted,
        predicted_sd=avg_sd,
        predicted_low=pred_low,
        predicted_high=pred_high,
        abs_effect=actual - predicted,
        abs_low=actual - pred_high,
        abs_high=actual - pred_low,
        rel_effect=ratio(pred_sum),
        rel_low=ratio(sum_high),
        rel_high=ratio(sum_low),
        actual_cumulative=actual_sum,
        predicted_cumulative=pred_sum,
        predicted_cumulative_sd=sum_sd,
        p_value=p_value,
        level=float(level),
        n_pre=n_pre,
        n_post=n_post,
        controls=ctl.used,
        control_ratio=ctl.ratio_r,
        method=_counterfactual_method(ctl, n_pre, level, seasonal, prior_level_sd, calibration),
        converged=fc.converged,
        params=fc.params,
        series=_counterfactual_series(window, is_pre, fc, q * calibration["applied"]),
        calibration=calibration,
    )


def counterfactual(
    y: pd.Series,
    X: pd.DataFrame | pd.Series | None,
    pre_period: tuple[object, object],
    post_period: tuple[object, object],
    level: float = 0.95,
    *,
    seasonal: int | None = None,
    controls: str = "regression",
    prior_level_sd: float | None = 0.01,
    start_params: np.ndarray | pd.Series | None = None,
    fake_start_min_pre: int | None = None,
) -> CounterfactualResult:
    """Predict the post-period without the campaign from a model fitted to the pre-period.

    This is a **maximum-likelihood port of the CausalImpact idea** (Brodersen et al. 2015), not
    CausalImpact itself: a local-level structural time-series model with a static regression on
    the control series (statsmodels ``UnobservedComponents(level="llevel", exog=X)``), with
    ``y`` and ``X`` standardised over the pre-period as CausalImpact does. The observation
    variance (and, with ``prior_level_sd=None``, the level variance) is estimated by maximum
    likelihood (Kalman filter) rather than sampled under bsts priors; by default the level's
    standard deviation is fixed at CausalImpact's default prior guess. The regression
    coefficients are kept in the state vector (``mle_regression=False``, exact diffuse start),
    so their uncertainty is part of the forecast. Point estimates should therefore match
    CausalImpact closely; **intervals will differ** (no posterior for the variances, no
    spike-and-slab selection of controls).

    The interval of the post-period *average* (and sum) comes from the **analytic joint forecast
    covariance** of the post-period observations (see ``_joint_forecast_cov``), not from
    simulation: forecasts at different days share the same uncertain level and coefficients,
    so they are strongly correlated and the average is far less precise than independent days
    would suggest. Intervals are Gaussian: ``predicted ± z·sd``; effect intervals follow by
    subtraction (absolute) and ratio (relative), as CausalImpact derives them from its draws.

    Parameters
    ----------
    y : pandas.Series
        Outcome, daily or weekly, on a DatetimeIndex (any sorted unique index also works, with
        periods given as labels of that index). Missing pre-period values are allowed.
    X : pandas.DataFrame or pandas.Series or None
        Control series on the same index, unaffected by the campaign; None for a local level only.
    pre_period, post_period : tuple
        ``(start, end)``, inclusive, as ISO date strings (or index labels).
    level : float
        Interval level.
    seasonal : int, optional
        Add a stochastic seasonal component with this period (e.g. 7 for day of week when no
        control series carries that pattern).
    controls : {"regression", "ratio"}
        How the control series enter. ``"regression"`` (default, as CausalImpact): a static
        regression on each standardised control, coefficients estimated. ``"ratio"``: the
        controls are summed and scaled by the pre-period ratio ``r = Σ y_pre / Σ x_pre``, and
        the local level models ``y − r·x`` (a regression with its coefficient fixed at the
        ratio of means). Use ``"ratio"`` for small daily counts: a regression on a noisy count
        series is attenuated towards zero (errors in variables), so site-wide shifts (cookie
        consent, season) that move all pages together are under-corrected, whereas a ratio of
        sums is not attenuated. The uncertainty of ``r`` itself is not propagated; the level
        absorbs its effect on the pre-period mean.
    prior_level_sd : float or None
        Standard deviation of the level's steps on the standardised scale. The default, 0.01,
        fixes it at CausalImpact's default prior guess (``prior.level.sd = 0.01``, a strongly
        informative prior that keeps the level nearly static), so that point estimates follow
        CausalImpact's defaults. ``None`` estimates it by maximum likelihood as well, letting
        the level drift with the data (wider, more honest intervals for series whose baseline
        moves; the pipeline uses this).
    start_params : array-like, optional
        Starting values of the variances for the likelihood search, e.g. ``params`` of a
        related fit (the campaign's placebos start from the campaign's fit, which saves time;
        the optimum reached is the same up to the optimiser's tolerance). Ignored when they do
        not match the model's parameters or the level's sd is fixed.
    fake_start_min_pre : int, optional
        Check the intervals against fake campaign starts in the pre-period (see
        :mod:`reach.estimate.fake_starts`): stretches as long as the post-period, each with at
        least this many steps before it, are forecast as the campaign is; the intervals are
        widened by how far those forecasts missed, beyond what the model expects, and use a
        Student *t* multiplier. None (default) keeps the model's own Gaussian intervals.

    Returns
    -------
    CounterfactualResult

    Raises
    ------
    ValueError
        If the periods overlap or are out of order, the pre-period has fewer than 3
        observations, the post-period has missing outcomes, or a control series has missing
        values in either period.
    """
    z = _z(level)
    window, is_pre, is_post = _counterfactual_window(y, pre_period, post_period)
    ctl = _counterfactual_controls(X, window, is_pre, controls)
    start = None if start_params is None else np.asarray(start_params, dtype=float)
    fc = _fit_and_forecast(window, is_pre, is_post, ctl, seasonal, prior_level_sd, start)
    n_pre, n_post = int(is_pre.sum()), int(is_post.sum())
    if fake_start_min_pre is None:
        calibration = {**fake_start_scale([], level), "requested": False}
    else:
        errors = _fake_start_errors(fc, n_pre, n_post, seasonal, int(fake_start_min_pre))
        calibration = {**fake_start_scale(errors, level), "requested": True}
    return _counterfactual_result(
        window, is_pre, is_post, ctl, fc, z, level, seasonal, prior_level_sd, calibration
    )


# ---------------------------------------------------------------------------------------
# Checks of a campaign counterfactual: placebos and the minimum detectable effect
# ---------------------------------------------------------------------------------------


def minimum_detectable_effect(
    predicted_cumulative: float, predicted_cumulative_sd: float, level: float = 0.95, power: float = 0.8
) -> float | None:
    """The smallest relative effect the counterfactual design could detect.

    ``MDE = (z_{1−α/2} + z_{power}) · sd(Σ predicted) / Σ predicted``, with ``α = 1 − level``:
    a true rise of this share of the predicted post-period sum would make the observed sum
    exceed the predicted sum by more than ``z_{1−α/2}·sd`` (so the interval of the relative
    effect would exclude zero) with probability ``power``, under the normal approximation
    the intervals use (the post-period's own sampling noise is part of the forecast sd).

    Parameters
    ----------
    predicted_cumulative, predicted_cumulative_sd : float
        The counterfactual's predicted post-period sum and its standard deviation.
    level : float
        Interval level.
    power : float
        Chance of detecting an effect of the returned size.

    Returns
    -------
    float or None
        The relative effect (0.3 = 30 % more views); None when the predicted sum is not positive.

    Examples
    --------
    With a predicted sum of 280 views, sd 28: (1.95996 + 0.84162) × 28 / 280 ≈ 0.28.

    >>> round(minimum_detectable_effect(280.0, 28.0), 4)
    0.2802
    """
    if not predicted_cumulative > 0 or not 0 < power < 1:
        return None
    return float((_z(level) + stats.norm.ppf(power)) * predicted_cumulative_sd / predicted_cumulative)


def _effect_record(result: CounterfactualResult) -> dict:
    """Relative effect, its interval and whether the interval excludes zero."""
    low, high = result.rel_low, result.rel_high
    return {
        "rel_effect": _num(result.rel_effect),
        "rel_low": _num(low),
        "rel_high": _num(high),
        "excludes_zero": bool(low is not None and high is not None and not low <= 0 <= high),
    }


def in_time_placebo(
    y: pd.Series,
    X: pd.DataFrame | pd.Series | None,
    pre_period: tuple[object, object],
    post_days: int,
    level: float = 0.95,
    *,
    min_pre_days: int = 28,
    **model: Any,
) -> dict:
    """The counterfactual rerun with a fake campaign start inside the pre-period.

    The last ``post_days`` steps of the pre-period play the campaign; the model is fitted on
    the steps before them. Nothing happened then, so an interval that excludes zero is a
    warning: the design "finds" effects in normal variation.

    Parameters
    ----------
    y, X : pandas.Series, pandas.DataFrame or None
        As for :func:`counterfactual`.
    pre_period : tuple
        The real pre-period ``(start, end)``.
    post_days : int
        Length of the fake post-period (the real campaign's).
    level : float
        Interval level.
    min_pre_days : int
        Fewest steps to fit on before the fake start.
    **model
        ``seasonal``, ``controls``, ``prior_level_sd``, ``start_params`` of :func:`counterfactual`.

    Returns
    -------
    dict
        ``pre_start``, ``pre_end``, ``post_start``, ``post_end`` (labels as text), ``rel_effect``,
        ``rel_low``, ``rel_high``, ``excludes_zero`` and ``reason`` (why there is no placebo, or
        None).
    """
    index = y.index
    start, end = (_label(index, v) for v in pre_period)
    labels = index[(index >= start) & (index <= end)]
    out: dict[str, Any] = {key: None for key in ("pre_start", "pre_end", "post_start", "post_end")}
    out.update(rel_effect=None, rel_low=None, rel_high=None, excludes_zero=False, reason=None)
    fitted = labels[: max(0, len(labels) - int(post_days))]
    if len(fitted) < max(3, int(min_pre_days)) or post_days < 1:
        out["reason"] = f"the pre-period is too short for a fake start ({len(labels)} steps)"
        return out
    fake = labels[len(fitted) :]
    periods = ((fitted[0], fitted[-1]), (fake[0], fake[-1]))
    result = counterfactual(y.loc[: fake[-1]], X, *periods, level, **model)
    text = (lambda v: v.date().isoformat()) if isinstance(index, pd.DatetimeIndex) else str
    labels_used = (*periods[0], *periods[1])
    out.update(zip(("pre_start", "pre_end", "post_start", "post_end"), map(text, labels_used), strict=True))
    out.update(_effect_record(result))
    return out


def placebo_pages(
    control_views: pd.DataFrame,
    pre_period: tuple[object, object],
    post_period: tuple[object, object],
    level: float = 0.95,
    *,
    max_pages: int = 3,
    missing: pd.Index | None = None,
    **model: Any,
) -> list[dict]:
    """The counterfactual rerun with each control page as if it were the campaign page.

    Each of the (at most ``max_pages``) control pages with the most pre-period views in turn
    is the outcome, and the sum of the remaining control pages is its control (no control, and
    a day-of-week seasonal, when none remain), over the real pre- and post-period. The campaign
    did not promote these pages, so intervals that exclude zero point to spill-over onto the
    control pages or to variation the model misses.

    Parameters
    ----------
    control_views : pandas.DataFrame
        Daily views of each control page (one column per page) over both periods.
    pre_period, post_period : tuple
        As for :func:`counterfactual`.
    level : float
        Interval level.
    max_pages : int
        Most pages to try (each is one more model fit).
    missing : pandas.Index, optional
        Steps whose outcome is treated as missing (the campaign's ``baseline_gap``).
    **model
        ``controls``, ``prior_level_sd`` and ``start_params`` of :func:`counterfactual`.

    Returns
    -------
    list of dict
        ``page``, ``rel_effect``, ``rel_low``, ``rel_high``, ``excludes_zero``.
    """
    index = control_views.index
    pre = (index >= _label(index, pre_period[0])) & (index <= _label(index, pre_period[1]))
    totals = control_views[pre].sum()
    order = sorted((c for c in control_views.columns if totals[c] > 0), key=lambda c: (-totals[c], str(c)))
    out = []
    for page in order[: max(0, int(max_pages))]:
        y = control_views[page].astype(float).copy()
        if missing is not None:
            y[y.index.isin(missing)] = np.nan
        rest = control_views.drop(columns=page)
        X = rest.sum(axis=1).to_frame("control_pages") if not rest.empty else None
        result = counterfactual(
            y, X, pre_period, post_period, level, seasonal=None if X is not None else 7, **model
        )
        out.append({"page": str(page), **_effect_record(result)})
    return out


def placebo_summary(in_time: dict, pages: list[dict]) -> dict:
    """The ``placebo`` record of a campaign counterfactual and whether any placebo found an effect.

    Parameters
    ----------
    in_time : dict
        From :func:`in_time_placebo`.
    pages : list of dict
        From :func:`placebo_pages`.

    Returns
    -------
    dict
        ``in_time``, ``pages``, ``pages_excluding_zero`` (share of placebo-page intervals that
        exclude zero; None without pages) and ``finds_effect`` (the in-time placebo or any
        placebo page has an interval excluding zero).

    Examples
    --------
    >>> placebo_summary({"excludes_zero": False}, [{"excludes_zero": True}, {"excludes_zero": False}])
    {'in_time': {'excludes_zero': False}, 'pages': [{'excludes_zero': True}, {'excludes_zero': False}], \
'pages_excluding_zero': 0.5, 'finds_effect': True}
    """
    share = sum(p["excludes_zero"] for p in pages) / len(pages) if pages else None
    return {
        "in_time": in_time,
        "pages": pages,
        "pages_excluding_zero": share,
        "finds_effect": bool(in_time.get("excludes_zero") or any(p["excludes_zero"] for p in pages)),
    }
