"""Interrupted time series (segmented regression) for campaign and partner-indicator steps."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.diagnostic import acorr_ljungbox

from reach.core.intervals import _num, _z
from reach.estimate.outtakes import _FAMILIES

_DOW_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# ---------------------------------------------------------------------------------------
# Interrupted time series
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ITSResult:
    """An interrupted-time-series fit.

    Attributes
    ----------
    method : str
        Plain description of the model and its standard errors.
    family : str
        ``"poisson"``, ``"quasipoisson"`` or ``"ols_hac"``.
    effect_name : str
        ``"rate ratio"`` (GLM: exp of the step coefficient) or ``"level change"`` (OLS, outcome units).
    effect, low, high : float
        Step effect and its confidence limits.
    dispersion : float
        Pearson χ² / residual df (quasi-Poisson scale; 1 is Poisson-like). For OLS, the residual variance.
    trend, trend_low, trend_high : float or None
        Pre-existing trend per time unit: rate ratio per unit (GLM) or change per unit (OLS);
        None when the model has no trend term.
    slope_change, slope_low, slope_high : float or None
        Change in trend after the interruption (same scale as ``trend``), if fitted.
    slope_test_p : float or None
        p-value for the slope change: F-test against the model without it (GLM, allowing for
        overdispersion, as R's ``anova(..., test="F")``) or the Wald test (OLS).
    ljung_box_p : float
        Ljung–Box p-value of the residuals (deviance residuals for GLMs) at ``ljung_box_lag``;
        small values mean autocorrelation remains.
    ljung_box_lag : int
    n_pre, n_post : int
        Points before and after the interruption.
    level : float
        Confidence level.
    hac_lags : int or None
        Newey–West lag when HAC errors were used.
    params : pandas.Series
        All coefficients (link scale), labelled ``const``, ``time``, ``step``, ``slope``,
        ``sin1``/``cos1``…, ``dow_Tue``…
    conf_int : pandas.DataFrame
        Their confidence limits (link scale).
    """

    method: str
    family: str
    effect_name: str
    effect: float
    low: float
    high: float
    dispersion: float
    trend: float | None
    trend_low: float | None
    trend_high: float | None
    slope_change: float | None
    slope_low: float | None
    slope_high: float | None
    slope_test_p: float | None
    ljung_box_p: float | None
    ljung_box_lag: int
    n_pre: int
    n_post: int
    level: float
    hac_lags: int | None
    params: pd.Series = field(repr=False)
    conf_int: pd.DataFrame = field(repr=False)

    @property
    def rate_ratio(self) -> float | None:
        """The step's rate ratio (None for OLS)."""
        return self.effect if self.family != "ols_hac" else None

    def trend_over(self, periods: float) -> tuple[float, float, float]:
        """The underlying trend over ``periods`` time units, e.g. 12 months for a yearly trend.

        Parameters
        ----------
        periods : float
            Number of time units.

        Returns
        -------
        tuple of float
            Estimate, low, high (``exp(periods·β_time)`` for GLMs, ``periods·β_time`` for OLS).
        """
        if "time" not in self.params:
            raise ValueError("this model has no trend term")
        b = float(self.params["time"])
        lo, hi = (float(v) for v in self.conf_int.loc["time"])
        if self.family == "ols_hac":
            return periods * b, periods * lo, periods * hi
        return math.exp(periods * b), math.exp(periods * lo), math.exp(periods * hi)

    def summary(self) -> dict:
        """JSON-ready summary.

        Returns
        -------
        dict
            ``method``, ``family``, ``effect_name``, ``rate_ratio`` (None for OLS),
            ``level_change`` (None for GLMs), ``low``, ``high``, ``dispersion``,
            ``trend_per_period``, ``trend_low``, ``trend_high``, ``slope_change``,
            ``slope_low``, ``slope_high``, ``slope_test_p``, ``ljung_box_p``,
            ``ljung_box_lag``, ``n_pre``, ``n_post``, ``level``, ``hac_lags``.
        """
        glm = self.family != "ols_hac"
        return {
            "method": self.method,
            "family": self.family,
            "effect_name": self.effect_name,
            "rate_ratio": _num(self.effect) if glm else None,
            "level_change": None if glm else _num(self.effect),
            "low": _num(self.low),
            "high": _num(self.high),
            "dispersion": _num(self.dispersion),
            "trend_per_period": _num(self.trend),
            "trend_low": _num(self.trend_low),
            "trend_high": _num(self.trend_high),
            "slope_change": _num(self.slope_change),
            "slope_low": _num(self.slope_low),
            "slope_high": _num(self.slope_high),
            "slope_test_p": _num(self.slope_test_p),
            "ljung_box_p": _num(self.ljung_box_p),
            "ljung_box_lag": int(self.ljung_box_lag),
            "n_pre": int(self.n_pre),
            "n_post": int(self.n_post),
            "level": float(self.level),
            "hac_lags": self.hac_lags,
        }


def _numeric_time(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = pd.to_datetime(values)
        return ((stamps - stamps.min()) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    return pd.to_numeric(values).to_numpy(dtype=float)


def _slope_column(t: np.ndarray, step: np.ndarray) -> np.ndarray:
    """``(time − t0)·step`` with t0 the time of the last point before the interruption."""
    before = t[step == 0]
    first_after = t[step == 1].min()
    t0 = before[before < first_after].max() if (before < first_after).any() else first_after
    return (t - t0) * step


def _add_fourier_terms(
    design: pd.DataFrame, t: np.ndarray, harmonics: int, seasonality_period: float | None
) -> None:
    """Add the ``sin1, …`` then ``cos1, …`` columns to ``design`` in place."""
    if not seasonality_period:
        raise ValueError("harmonics need a seasonality_period")
    for k in range(1, int(harmonics) + 1):
        design[f"sin{k}"] = np.sin(2 * np.pi * k * t / seasonality_period)
    for k in range(1, int(harmonics) + 1):
        design[f"cos{k}"] = np.cos(2 * np.pi * k * t / seasonality_period)


def _add_day_of_week(design: pd.DataFrame, dates: pd.Series) -> None:
    """Add the ``dow_Tue … dow_Sun`` dummies (Monday the reference) to ``design`` in place."""
    weekday = pd.to_datetime(dates).dt.day_of_week.to_numpy()
    for d in range(1, 7):
        design[f"dow_{_DOW_NAMES[d]}"] = (weekday == d).astype(float)


def _add_month_factors(design: pd.DataFrame, dates: pd.Series, step: np.ndarray) -> None:
    """Add the ``month_YYYY-MM`` factors (months after the step share the latest earlier one) in place."""
    months = pd.to_datetime(dates).dt.strftime("%Y-%m").to_numpy()
    own = sorted(set(months[step == 0]))
    if not own:
        raise ValueError("month factors need points before the interruption")
    assigned = np.array([max([m for m in own if m <= month], default=own[0]) for month in months])
    for month in own[1:]:
        design[f"month_{month}"] = (assigned == month).astype(float)


def its_design(
    data: pd.DataFrame,
    time: str,
    intervention: str,
    *,
    seasonality_period: float | None = None,
    harmonics: int = 0,
    slope_change: bool = False,
    day_of_week: str | bool | None = None,
    month_factors: str | bool | None = None,
    trend: bool = True,
) -> pd.DataFrame:
    """The segmented-regression design matrix, with fixed column names.

    Columns: ``const``; ``time`` (unless ``trend`` is false); ``step`` (the 0/1 intervention);
    ``slope`` = ``(time − t0)·step`` where t0 is the time of the last point before the
    interruption (as ``I(time-36):smokban`` in the Sicily code); ``sin1, cos1, …`` =
    ``sin/cos(2πk·time/period)`` for k = 1..harmonics (R's ``harmonic(month, k, 12)``, since
    time ≡ month mod 12); ``dow_Tue … dow_Sun`` (Monday is the reference day); and
    ``month_YYYY-MM`` calendar-month factors (daily data; the first month is the reference).
    Every month with at least one point before the interruption gets its own factor; a month
    with points only after it shares the factor of the latest earlier month, so the step is
    never confounded with a month of its own.

    Parameters
    ----------
    data : pandas.DataFrame
        Rows sorted by time.
    time, intervention : str
        Columns: elapsed time (numbers, or dates counted in days) and the 0/1 step.
    seasonality_period : float, optional
        Period of the Fourier terms in time units (12 for months).
    harmonics : int
        Number of sine/cosine pairs.
    slope_change : bool
        Add the ``slope`` column.
    day_of_week : str or bool, optional
        Column of dates for day-of-week dummies, or True to use ``time`` (which must hold dates).
    month_factors : str or bool, optional
        Column of dates for calendar-month factors, or True to use ``time``.
    trend : bool
        Include the linear ``time`` term.

    Returns
    -------
    pandas.DataFrame
        The design matrix (float), on ``data``'s index.
    """
    t = _numeric_time(data[time])
    step = pd.to_numeric(data[intervention]).to_numpy(dtype=float)
    if not np.isin(step, (0.0, 1.0)).all():
        raise ValueError(f"{intervention!r} must hold only 0 and 1")
    design = pd.DataFrame({"const": 1.0, "time": t, "step": step}, index=data.index)
    if not trend:
        if slope_change:
            raise ValueError("a slope change needs the trend term")
        design = design.drop(columns="time")
    if slope_change:
        design["slope"] = _slope_column(t, step)
    if harmonics:
        _add_fourier_terms(design, t, harmonics, seasonality_period)
    if day_of_week:
        _add_day_of_week(design, data[time if day_of_week is True else day_of_week])
    if month_factors:
        _add_month_factors(design, data[time if month_factors is True else month_factors], step)
    return design


class _DesignOptions(NamedTuple):
    """The keyword options of :func:`its_design`."""

    seasonality_period: float | None
    harmonics: int
    slope_change: bool
    day_of_week: str | bool | None
    month_factors: str | bool | None
    trend: bool


def _its_counts(design: pd.DataFrame) -> tuple[int, int]:
    """Points before and after the interruption; at least 3 of each are needed."""
    n_post = int(design["step"].sum())
    n_pre = int(len(design) - n_post)
    if n_pre < 3 or n_post < 3:
        raise ValueError(
            f"need at least 3 points before and after the interruption, got {n_pre} and {n_post}"
        )
    return n_pre, n_post


def _its_inputs(
    data: pd.DataFrame,
    outcome: str,
    time: str,
    intervention: str,
    offset: str | None,
    family: str,
    level: float,
    options: _DesignOptions,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check the options, keep the complete rows in time order and build the design matrix."""
    if family not in _FAMILIES:
        raise ValueError(f"family must be one of {_FAMILIES}, got {family!r}")
    _z(level)
    needed = [outcome, time, intervention] + ([offset] if offset else [])
    for extra in (options.day_of_week, options.month_factors):
        if isinstance(extra, str):
            needed.append(extra)
    frame = data[list(dict.fromkeys(needed))].dropna()
    frame = frame.assign(_t=_numeric_time(frame[time])).sort_values("_t", kind="stable")
    design = its_design(frame, time, intervention, **options._asdict())
    _its_counts(design)
    return frame, design


def _its_terms(options: _DesignOptions) -> list[str]:
    """The model's terms in words, for the method description."""
    parts = [f"step change{' and slope change' if options.slope_change else ''}"] + (
        ["linear trend"] if options.trend else []
    )
    if options.harmonics:
        parts.append(
            f"{options.harmonics} Fourier pair{'s' if options.harmonics > 1 else ''} "
            f"(period {options.seasonality_period:g})"
        )
    if options.day_of_week:
        parts.append("day-of-week terms")
    if options.month_factors:
        parts.append("calendar-month factors")
    return parts


def _fit_ols_hac(
    y: pd.Series, design: pd.DataFrame, offset: str | None, hac_lags: int | None, parts: list[str]
) -> tuple[Any, float, str, int]:
    """OLS with Newey–West errors: the fit, residual variance, method text and lag used."""
    if offset:
        raise ValueError("offset applies to the GLM families only")
    lags = int(hac_lags) if hac_lags is not None else int(math.floor(4 * (len(y) / 100) ** (2 / 9)))
    fit = sm.OLS(y, design).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    dispersion = float(fit.scale)
    method = f"OLS segmented regression ({', '.join(parts)}); Newey–West HAC errors, {lags} lags"
    return fit, dispersion, method, lags


def _fit_poisson_glm(
    y: pd.Series,
    design: pd.DataFrame,
    frame: pd.DataFrame,
    offset: str | None,
    family: str,
    hac_lags: int | None,
    parts: list[str],
) -> tuple[Any, float, str, int | None, np.ndarray | None]:
    """(Quasi-)Poisson GLM: the fit, Pearson dispersion, method text, HAC lag and log offset."""
    if (y < 0).any():
        raise ValueError("counts must not be negative")
    off = None
    if offset:
        exposure = pd.to_numeric(frame[offset]).astype(float)
        if (exposure <= 0).any():
            raise ValueError("exposures must be positive")
        off = np.log(exposure.to_numpy())
    model = sm.GLM(y, design, family=sm.families.Poisson(), offset=off)
    kwargs: dict[str, Any] = {"scale": "X2"} if family == "quasipoisson" else {}
    if hac_lags is not None:
        kwargs.update(cov_type="HAC", cov_kwds={"maxlags": int(hac_lags)})
    fit = model.fit(**kwargs)
    dispersion = float(np.sum(fit.resid_pearson**2) / fit.df_resid)
    name = "Quasi-Poisson" if family == "quasipoisson" else "Poisson"
    errors = (
        f"Newey–West HAC errors, {int(hac_lags)} lags"
        if hac_lags is not None
        else ("dispersion from Pearson χ²/df" if family == "quasipoisson" else "model-based errors")
    )
    method = f"{name} GLM, log link{', log(' + offset + ') offset' if offset else ''} ({', '.join(parts)}); {errors}"
    hac = int(hac_lags) if hac_lags is not None else None
    return fit, dispersion, method, hac, off


def _slope_change_p(
    fit: Any, y: pd.Series, design: pd.DataFrame, off: np.ndarray | None, family: str, dispersion: float
) -> float:
    """p-value of the slope change: Wald (OLS) or F / χ² test against the model without it (GLM)."""
    if family == "ols_hac":
        return float(np.asarray(fit.pvalues)[list(design.columns).index("slope")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reduced = sm.GLM(y, design.drop(columns="slope"), family=sm.families.Poisson(), offset=off).fit()
    phi = dispersion if family == "quasipoisson" else 1.0
    f_stat = (reduced.deviance - fit.deviance) / phi
    return (
        float(stats.f.sf(f_stat, 1, fit.df_resid))
        if family == "quasipoisson"
        else float(stats.chi2.sf(f_stat, 1))
    )


def _ljung_box(fit: Any, family: str, options: _DesignOptions) -> tuple[float, int]:
    """Ljung–Box p-value of the residuals and the lag it was taken at."""
    residuals = np.asarray(fit.resid if family == "ols_hac" else fit.resid_deviance, dtype=float)
    if options.day_of_week or options.month_factors:
        lag = 14
    elif options.harmonics or options.seasonality_period:
        lag = int(options.seasonality_period or 12)
    else:
        lag = 10
    lag = max(1, min(lag, len(residuals) // 4))
    lb = acorr_ljungbox(residuals, lags=[lag])
    return float(lb["lb_pvalue"].iloc[0]), int(lag)


def _fit_its(
    frame: pd.DataFrame,
    design: pd.DataFrame,
    outcome: str,
    offset: str | None,
    family: str,
    hac_lags: int | None,
    level: float,
    options: _DesignOptions,
) -> ITSResult:
    """Fit the segmented regression and assemble the step, trend, slope and residual checks."""
    n_pre, n_post = _its_counts(design)
    y = pd.to_numeric(frame[outcome]).astype(float)
    parts = _its_terms(options)
    off = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if family == "ols_hac":
            fit, dispersion, method, hac = _fit_ols_hac(y, design, offset, hac_lags, parts)
        else:
            fit, dispersion, method, hac, off = _fit_poisson_glm(
                y, design, frame, offset, family, hac_lags, parts
            )
    params = pd.Series(np.asarray(fit.params, dtype=float), index=design.columns)
    conf = pd.DataFrame(
        np.asarray(fit.conf_int(alpha=1 - level), dtype=float), index=design.columns, columns=["low", "high"]
    )
    transform = (lambda v: v) if family == "ols_hac" else math.exp
    slope = slope_low = slope_high = slope_p = None
    if options.slope_change:
        slope = transform(params["slope"])
        slope_low, slope_high = (transform(v) for v in conf.loc["slope"])
        slope_p = _slope_change_p(fit, y, design, off, family, dispersion)
    ljung_box_p, lag = _ljung_box(fit, family, options)
    trend = options.trend
    return ITSResult(
        method=method + f"; Wald {level:.0%} intervals",
        family=family,
        effect_name="level change" if family == "ols_hac" else "rate ratio",
        effect=transform(params["step"]),
        low=transform(conf.at["step", "low"]),
        high=transform(conf.at["step", "high"]),
        dispersion=dispersion,
        trend=transform(params["time"]) if trend else None,
        trend_low=transform(conf.at["time", "low"]) if trend else None,
        trend_high=transform(conf.at["time", "high"]) if trend else None,
        slope_change=slope,
        slope_low=slope_low,
        slope_high=slope_high,
        slope_test_p=slope_p,
        ljung_box_p=ljung_box_p,
        ljung_box_lag=lag,
        n_pre=n_pre,
        n_post=n_post,
        level=float(level),
        hac_lags=hac,
        params=params,
        conf_int=conf,
    )


def interrupted_time_series(
    data: pd.DataFrame,
    outcome: str,
    time: str,
    intervention: str,
    *,
    offset: str | None = None,
    seasonality_period: float | None = None,
    harmonics: int = 0,
    slope_change: bool = False,
    family: str = "quasipoisson",
    hac_lags: int | None = None,
    day_of_week: str | bool | None = None,
    month_factors: str | bool | None = None,
    trend: bool = True,
    level: float = 0.95,
) -> ITSResult:
    """Segmented regression for an interrupted time series (Lopez Bernal, Cummins & Gasparrini 2017).

    ``log E[y_t] = log(offset_t) + b0 + b1·time_t + b2·step_t [+ b3·(time_t − t0)·step_t]
    [+ Fourier pairs] [+ day-of-week]`` for counts (Poisson or quasi-Poisson GLM, log link), or
    the same right-hand side for ``E[y_t]`` with OLS and Newey–West standard errors for
    continuous outcomes (rates, log sessions). The step effect is ``exp(b2)``, a rate ratio
    (GLM), or ``b2``, a level change (OLS).

    Quasi-Poisson uses the Pearson χ²/df dispersion (statsmodels ``scale="X2"``, as R's
    ``quasipoisson``); intervals are Wald intervals (R's ``ci.lin``). With ``hac_lags`` a GLM
    gets Newey–West (Bartlett) sandwich errors, which allow for overdispersion and residual
    autocorrelation up to that lag; ``ols_hac`` always uses them (default lag
    ``floor(4·(n/100)^(2/9))``). A Ljung–Box test of the residuals is reported as a check.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per time point. Not changed.
    outcome : str
        Outcome column (counts for the GLM families).
    time : str
        Elapsed time (numbers, e.g. 1..n months; or dates, counted in days from the first).
    intervention : str
        0 before the interruption, 1 after.
    offset : str, optional
        Exposure column (population, denominator); ``log(exposure)`` is the offset, as
        ``offset(log(stdpop))`` in R. GLM families only.
    seasonality_period : float, optional
        Period of the Fourier seasonality in time units (12 for monthly data).
    harmonics : int
        Number of Fourier sine/cosine pairs (0 = no seasonality terms).
    slope_change : bool
        Also estimate a change in slope, ``(time − t0)·step`` with t0 the last pre-interruption time.
    family : {"quasipoisson", "poisson", "ols_hac"}
        Model.
    hac_lags : int, optional
        Newey–West lag (GLMs: only if given; OLS: default as above).
    day_of_week : str or bool, optional
        Date column for day-of-week terms (daily data), or True when ``time`` holds dates.
    month_factors : str or bool, optional
        Date column for calendar-month factors (daily data; see :func:`its_design`), or True
        when ``time`` holds dates. They absorb month-to-month shifts of the baseline (the
        "month factors" in docs/methodology.md, Interrupted time series) so that the step is estimated from the contrast
        with the same month's days before the interruption.
    trend : bool
        Include the linear trend (usually dropped with month factors).
    level : float
        Confidence level.

    Returns
    -------
    ITSResult

    Raises
    ------
    ValueError
        For an unknown family, fewer than 3 points on either side of the interruption, an
        intervention column that is not 0/1, negative counts or non-positive exposures.
    """
    options = _DesignOptions(seasonality_period, harmonics, slope_change, day_of_week, month_factors, trend)
    frame, design = _its_inputs(data, outcome, time, intervention, offset, family, level, options)
    return _fit_its(frame, design, outcome, offset, family, hac_lags, level, options)
