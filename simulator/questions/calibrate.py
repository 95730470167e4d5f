"""Growth assumptions fitted to the annual history, written as a scenario.

The data are the bundled SBP ICT fiscal-year totals (USD million), comparable from FY2016, so
the log growth rates ``y_t = ln(V_t / V_{t-1})`` run FY2017–FY2025: nine numbers. Two models are
fitted with statsmodels:

* **iid**: ``y_t = mu + e_t``, ``e_t ~ N(0, s^2)`` (OLS on a constant): the mean ``mu``, its
  standard error ``s / sqrt(n)`` and the residual sd ``s`` (``n - 1`` degrees of freedom);
* **AR(1)**: ``y_t = c + phi y_{t-1} + e_t`` (``statsmodels.tsa.ar_model.AutoReg``, conditional
  least squares), giving the persistence ``phi`` with its standard error.

They become scenario assumptions as follows (see ``docs/calibration.md``):

* each projected year's growth is ``lognormal`` with ``ln(1 + g) ~ N(mu, s^2)``, written as the
  mean and sd of ``g``: ``mean = exp(mu + s^2/2) - 1``, ``sd = (1 + mean) sqrt(exp(s^2) - 1)``;
* the uncertainty of the estimated mean is a **lever** ``mean_uncertainty``: Normal(0, se) with
  ``se = (1 + mean) * s / sqrt(n)`` (delta method), drawn once per path and added to every
  year's growth. A mean that is unknown is the same unknown in every year, so its effect on a
  level ``h`` years out grows like ``h`` (not ``sqrt(h)``, as inflating each year's sd would
  give). One year ahead the two agree: predictive variance ``s^2 (1 + 1/n)``;
* ``persistence`` is ``phi`` clipped to [0, 0.9]. It is only fitted with at least
  :data:`MIN_AR_POINTS` growth rates; with fewer it is 0 and says so.

The sd ``s`` is itself uncertain (``n - 1`` degrees of freedom) and is not inflated for that;
the docs say how wide that uncertainty is.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulator.data.history import AnnualSeries, load_annual
from simulator.errors import UserInputError

#: Fewest growth rates for the iid fit (a mean, an sd and a standard error need n >= 3).
MIN_POINTS = 3
#: Fewest growth rates for the AR(1) fit: n - 1 regression rows, 2 parameters, >= 2 df left.
MIN_AR_POINTS = 5
#: Persistence is clipped to this range: negative persistence is not supported by the evidence
#: and above 0.9 the AR(1) is close to a random walk in growth.
PERSISTENCE_RANGE = (0.0, 0.9)
#: Name of the lever that carries the uncertainty of the estimated mean.
MEAN_LEVER = "mean_uncertainty"


@dataclass(frozen=True)
class GrowthFit:
    """Growth assumptions fitted to fiscal-year totals.

    Attributes
    ----------
    years : ndarray of int, shape (n,) — fiscal year of each growth rate (FY of ``V_t``)
    log_growth : ndarray of float, shape (n,) — ``ln(V_t / V_{t-1})``
    base_year : int — last fiscal year used (the latest level the fit saw)
    base_value : float — USD million in ``base_year``
    mu, mu_se : float — mean log growth and its standard error (iid model)
    sd : float — residual sd of log growth (iid model, ``n - 1`` df)
    ar_const, ar_const_se, ar_phi, ar_phi_se, ar_resid_sd : float or None — AR(1) fit
        (``None`` when ``n < MIN_AR_POINTS``); ``ar_resid_sd`` is ``sqrt(ssr / (n - 1 - 2))``
    growth_mean, growth_sd : float — mean and sd of g for the lognormal (fraction)
    mean_se : float — sd of the ``mean_uncertainty`` lever (fraction of growth)
    persistence : float — ``ar_phi`` clipped to :data:`PERSISTENCE_RANGE` (0 if not fitted)
    """

    years: NDArray[np.int64]
    log_growth: NDArray[np.float64]
    base_year: int
    base_value: float
    mu: float
    mu_se: float
    sd: float
    ar_const: float | None
    ar_const_se: float | None
    ar_phi: float | None
    ar_phi_se: float | None
    ar_resid_sd: float | None
    growth_mean: float
    growth_sd: float
    mean_se: float
    persistence: float

    @property
    def n(self) -> int:
        """Number of growth rates fitted."""
        return int(self.years.size)

    @property
    def span(self) -> str:
        """``FY2017–FY2025``."""
        return f"FY{int(self.years[0])}–FY{int(self.years[-1])}"

    def format_table(self) -> str:
        """The fit as a markdown table, with a plain warning about the sample size."""
        lines = [
            f"Fit of log growth ln(V_t/V_t-1), {self.span}: n = {self.n} yearly growth rates.",
            "",
            "| model | parameter | estimate | s.e. |",
            "|---|---|---|---|",
            f"| iid | mean of ln(1+g) | {self.mu:.4f} | {self.mu_se:.4f} |",
            f"| iid | residual sd | {self.sd:.4f} | ({self.n - 1} df) |",
        ]
        if self.ar_phi is not None:
            lines += [
                f"| AR(1) | constant | {self.ar_const:.4f} | {self.ar_const_se:.4f} |",
                f"| AR(1) | phi (lag-1 coefficient) | {self.ar_phi:.4f} | {self.ar_phi_se:.4f} |",
                f"| AR(1) | residual sd | {self.ar_resid_sd:.4f} | ({self.n - 3} df) |",
            ]
        else:
            lines.append(f"| AR(1) | not fitted | - | fewer than {MIN_AR_POINTS} growth rates |")
        lo, hi = _sd_interval(self.sd, self.n - 1)
        lines += [
            "",
            "Scenario assumptions:",
            f"- growth: lognormal, mean {self.growth_mean:.4f}, sd {self.growth_sd:.4f} "
            "(ln(1+g) ~ N(mean, residual sd) of the iid fit)",
            f"- lever {MEAN_LEVER}: normal(0, {self.mean_se:.4f}), drawn once per path: "
            "the standard error of the mean, common to every year",
            f"- persistence: {self.persistence:.2f} "
            + (
                f"(AR(1) phi {self.ar_phi:.3f} ± {self.ar_phi_se:.3f} clipped to "
                f"[{PERSISTENCE_RANGE[0]:g}, {PERSISTENCE_RANGE[1]:g}])"
                if self.ar_phi is not None
                else "(not fitted: too few points)"
            ),
            "",
            f"Caution: only {self.n} data points. The mean is known to about ±"
            f"{1.96 * self.mu_se:.3f} (95%) and the sd to within roughly [{lo:.3f}, {hi:.3f}] "
            "(95%, chi-square)"
            + (
                f"; the AR(1) phi's 95% interval is [{self.ar_phi - 1.96 * self.ar_phi_se:.2f}, "
                f"{self.ar_phi + 1.96 * self.ar_phi_se:.2f}]"
                if self.ar_phi is not None and self.ar_phi_se is not None
                else ""
            )
            + ". FY21 (+46%, COVID demand) and FY23 (-0.9%, exchange-rate gap) are kept in.",
        ]
        return "\n".join(lines)


def _sd_interval(sd: float, df: int) -> tuple[float, float]:
    from scipy import stats

    lo = sd * math.sqrt(df / float(stats.chi2.ppf(0.975, df)))
    hi = sd * math.sqrt(df / float(stats.chi2.ppf(0.025, df)))
    return lo, hi


def fit_growth(
    years: NDArray[np.int64] | list[int],
    values: NDArray[np.float64] | list[float],
    *,
    first: int | None = None,
    last: int | None = None,
) -> GrowthFit:
    """Fit the iid and AR(1) models to the log growth of fiscal-year totals.

    Parameters
    ----------
    years : array of int, shape (m,)
        Consecutive fiscal years, ascending.
    values : array of float, shape (m,)
        Totals in those years, USD million (> 0).
    first, last : int, optional
        First and last fiscal year of growth to fit (growth of year t is ``V_t / V_{t-1}``).
        Default: every year the data allow.

    Returns
    -------
    GrowthFit

    Raises
    ------
    UserInputError
        If the range asks for years the data do not hold, skips a year, or leaves fewer than
        :data:`MIN_POINTS` growth rates.

    Examples
    --------
    >>> fit = fit_growth([2020, 2021, 2022, 2023], [100.0, 110.0, 121.0, 133.1])
    >>> round(fit.mu, 4), round(fit.sd, 6)
    (0.0953, 0.0)
    """
    yrs = np.asarray(years, dtype=np.int64)
    vals = np.asarray(values, dtype=np.float64)
    if yrs.size < 2 or np.any(np.diff(yrs) != 1):
        raise UserInputError("the annual series must hold consecutive fiscal years")
    lo = int(yrs[1]) if first is None else first
    hi = int(yrs[-1]) if last is None else last
    if lo < int(yrs[1]) or hi > int(yrs[-1]):
        raise UserInputError(
            f"growth can be fitted for FY{int(yrs[1])}–FY{int(yrs[-1])} only (the comparable "
            f"series starts in FY{int(yrs[0])}); got FY{lo}–FY{hi}"
        )
    if hi - lo + 1 < MIN_POINTS:
        raise UserInputError(
            f"need at least {MIN_POINTS} years of growth to fit; FY{lo}–FY{hi} has "
            f"{max(hi - lo + 1, 0)}"
        )
    if np.any(vals <= 0) or not np.all(np.isfinite(vals)):
        raise UserInputError("annual values must be positive and finite (USD million)")
    keep = (yrs >= lo - 1) & (yrs <= hi)
    v = vals[keep]
    y = np.log(v[1:] / v[:-1])
    gy = yrs[keep][1:]
    return _fit(gy, y, base_year=hi, base_value=float(v[-1]))


def _fit(
    gy: NDArray[np.int64], y: NDArray[np.float64], *, base_year: int, base_value: float
) -> GrowthFit:
    import statsmodels.api as sm

    n = y.size
    iid = sm.OLS(y, np.ones(n)).fit()
    mu = float(iid.params[0])
    sd = float(math.sqrt(iid.scale))
    mu_se = sd / math.sqrt(n)
    ar: dict[str, float | None] = dict.fromkeys(("c", "c_se", "phi", "phi_se", "resid"))
    persistence = 0.0
    if n >= MIN_AR_POINTS and sd > 0:
        from statsmodels.tsa.ar_model import AutoReg

        res = AutoReg(y, lags=1, trend="c").fit()
        params, bse = np.asarray(res.params), np.asarray(res.bse)
        resid = np.asarray(res.resid)
        ar = {
            "c": float(params[0]),
            "c_se": float(bse[0]),
            "phi": float(params[1]),
            "phi_se": float(bse[1]),
            "resid": float(math.sqrt(float(resid @ resid) / (resid.size - 2))),
        }
        persistence = float(np.clip(params[1], *PERSISTENCE_RANGE))
    s2 = sd * sd
    growth_mean = math.exp(mu + s2 / 2.0) - 1.0
    growth_sd = (1.0 + growth_mean) * math.sqrt(math.expm1(s2))
    return GrowthFit(
        years=gy,
        log_growth=y,
        base_year=base_year,
        base_value=base_value,
        mu=mu,
        mu_se=mu_se,
        sd=sd,
        ar_const=ar["c"],
        ar_const_se=ar["c_se"],
        ar_phi=ar["phi"],
        ar_phi_se=ar["phi_se"],
        ar_resid_sd=ar["resid"],
        growth_mean=growth_mean,
        growth_sd=growth_sd,
        mean_se=(1.0 + growth_mean) * mu_se,
        persistence=persistence,
    )


def calibrate(
    annual: AnnualSeries | None = None, *, first: int | None = None, last: int | None = None
) -> GrowthFit:
    """:func:`fit_growth` on the bundled annual series (FY2016–FY2025 → growth FY2017–FY2025).

    Examples
    --------
    >>> fit = calibrate()
    >>> fit.n, fit.span
    (9, 'FY2017–FY2025')
    """
    a = load_annual() if annual is None else annual
    return fit_growth(a.fiscal_years, a.values, first=first, last=last)


def _r(x: float) -> float:
    """Numbers as written in the YAML (4 decimals), so the dict and the text agree."""
    return round(x, 4)


def scenario_dict(
    fit: GrowthFit,
    *,
    base: str | dict[str, float] = "history",
    first_year: int | None = None,
    horizon: int = 2030,
    paths: int = 100_000,
    seed: int = 2026,
    nowcast: bool = True,
) -> dict[str, Any]:
    """The calibrated scenario as plain data (what the YAML of :func:`scenario_yaml` holds).

    Parameters
    ----------
    fit : GrowthFit
    base : "history" or {"fiscal_year": int, "value": float}
        Where the projection starts (USD million).
    first_year : int, optional
        First projected fiscal year (default ``fit.base_year + 1``); growth covers it to
        ``horizon``.
    horizon : int
        Last projected fiscal year.
    paths, seed : int
    nowcast : bool
        Whether the current fiscal year uses the months already reported.
    """
    start = fit.base_year + 1 if first_year is None else first_year
    years = f"{start}-{horizon}"
    return {
        "name": f"Calibrated to {fit.span}",
        "description": (
            f"Growth fitted to the {fit.n} comparable yearly growth rates {fit.span} (iid "
            "lognormal + AR(1) persistence), with the mean's standard error as a lever."
        ),
        "base": base,
        "horizon": horizon,
        "paths": paths,
        "seed": seed,
        "growth": [
            {
                "years": years,
                "dist": "lognormal",
                "mean": _r(fit.growth_mean),
                "sd": _r(fit.growth_sd),
            }
        ],
        "persistence": _r(fit.persistence),
        "levers": [
            {
                "name": MEAN_LEVER,
                "years": years,
                "dist": "normal",
                "mean": 0.0,
                "sd": _r(fit.mean_se),
                "description": "Standard error of the fitted mean growth, common to all years.",
            }
        ],
        "targets": "uraan",
        "nowcast": nowcast,
    }


def calibrated_scenario(fit: GrowthFit, **kwargs: Any) -> Any:
    """The :class:`simulator.scenario.Scenario` of :func:`scenario_dict` (same keywords)."""
    from simulator.scenario.schema import Scenario

    return Scenario.model_validate(scenario_dict(fit, **kwargs))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def scenario_yaml(
    fit: GrowthFit, *, horizon: int = 2030, latest: tuple[int, float] | None = None
) -> str:
    """YAML text of the calibrated scenario, with a comment on where each number came from.

    The scenario starts from ``base: history``, the latest complete fiscal year in the actuals,
    whatever window the fit used. It loads (``simulator.loader.load_scenario``) to the
    scenario of ``calibrated_scenario(fit, first_year=latest[0] + 1, horizon=horizon)``.

    Parameters
    ----------
    fit : GrowthFit
    horizon : int
        Last projected fiscal year.
    latest : (int, float), optional
        Latest complete fiscal year and its value, USD million (default: the bundled series').

    Raises
    ------
    UserInputError
        If ``horizon`` is not after the latest fiscal year.
    """
    if latest is None:
        a = load_annual()
        latest = (int(a.fiscal_years[-1]), float(a.values[-1]))
    if horizon <= latest[0]:
        raise UserInputError(f"horizon {horizon} must be after the base year FY{latest[0]}")
    d = scenario_dict(fit, horizon=horizon, first_year=latest[0] + 1)
    g = d["growth"][0]
    lv = d["levers"][0]
    years = g["years"]
    if fit.ar_phi is not None:
        pers = (
            f"# AR(1) of log growth (statsmodels AutoReg, lags=1, constant): phi = "
            f"{fit.ar_phi:.4f}, s.e. {fit.ar_phi_se:.4f},\n"
            f"# clipped to [{PERSISTENCE_RANGE[0]:g}, {PERSISTENCE_RANGE[1]:g}]. With n = "
            f"{fit.n} this is weakly determined: zero and 0.5 are both plausible."
        )
    else:
        pers = f"# Not fitted: fewer than {MIN_AR_POINTS} growth rates, so years are independent."
    return f"""\
# Calibrated scenario, written by `simulator calibrate`: every number below was fitted to the
# bundled SBP ICT fiscal-year totals (USD million), log growth ln(V_t/V_t-1) for {fit.span}
# (n = {fit.n} yearly growth rates: few, so treat these as a reference, not a forecast).
# Growth is a fraction (0.19 = +19%); years are fiscal years (2026 = FY2026). Method:
# docs/calibration.md.
name: {_q(d["name"])}
description: {_q(d["description"])}

# Latest complete fiscal year in the actuals (FY{latest[0]} = {latest[1]:,.0f} when this was
# written).
base: history
horizon: {horizon}
paths: {d["paths"]}
seed: {d["seed"]}

growth:
  # ln(1+g) ~ Normal(mu = {fit.mu:.4f}, s = {fit.sd:.4f}): the mean and residual sd of log
  # growth over {fit.span} (statsmodels OLS on a constant, {fit.n - 1} df). As the mean and sd
  # of g: mean = exp(mu + s^2/2) - 1, sd = (1 + mean) * sqrt(exp(s^2) - 1).
  - years: {years}
    dist: lognormal
    mean: {g["mean"]}
    sd: {g["sd"]}

# Year-to-year correlation of growth surprises (Gaussian copula AR(1)).
{pers}
persistence: {d["persistence"]}

levers:
  # Parameter uncertainty: the fitted mean has standard error s / sqrt(n) = {fit.mu_se:.4f} in
  # log growth, x (1 + mean) = {fit.mean_se:.4f} in growth. Drawn once per path and added to every
  # year, because an unknown mean is the same unknown each year.
  - name: {lv["name"]}
    years: {years}
    dist: normal
    mean: 0.0
    sd: {lv["sd"]}
    description: {_q(lv["description"])}

# Uraan Pakistan: $5B in FY26 and $10B in FY29 (official); $20B by FY30 (industry projection).
targets: uraan

# The current fiscal year combines the months already reported with the growth above
# (docs/nowcast.md).
nowcast: true
"""


def parse_fiscal_year(text: str, *, option: str = "year") -> int:
    """``"FY2017"``, ``"2017"`` or ``"FY17"`` → 2017.

    Raises
    ------
    UserInputError
        For anything else, naming ``option``.
    """
    t = text.strip().upper().removeprefix("FY")
    if t.isdigit() and len(t) == 4:
        return int(t)
    if t.isdigit() and len(t) == 2:
        return 2000 + int(t)
    raise UserInputError(f"{option}: bad fiscal year '{text}'; write one such as FY2017")


def write_text(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then a rename).

    Raises
    ------
    UserInputError
        If ``path`` exists and ``overwrite`` is false, or it cannot be written.
    """
    if path.exists() and not overwrite:
        raise UserInputError("exists; add --force to overwrite it", file=str(path))
    if path.is_dir():
        raise UserInputError("is a directory; expected a file name", file=str(path))
    parent = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise UserInputError(f"cannot write: {exc.strerror or exc}", file=str(path)) from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


__all__ = [
    "MEAN_LEVER",
    "MIN_AR_POINTS",
    "MIN_POINTS",
    "GrowthFit",
    "calibrate",
    "calibrated_scenario",
    "fit_growth",
    "parse_fiscal_year",
    "scenario_dict",
    "scenario_yaml",
    "write_text",
]
