"""``growth: record``: growth assumptions resolved from the annual record up to the origin.

The rule is a pure function of the fiscal-year totals known at the origin, so it can be replayed
at any past origin (the backtest does) and gives a real-time prior at any past date (the nowcast
backtest can call :func:`fit_record` with the years and values it knows).

Model (``docs/calibration.md`` has the equations and the fitted numbers). With ``V_t`` the
fiscal-year totals (USD million) and ``r_t = ln(V_t / V_{t-1})`` the ``n`` log growth rates up
to the origin ``T`` (the last ``window`` of them, if given):

* **Centre and spread.** ``r_t = mu + e_t``, ``e_t ~ N(0, sigma^2)`` independent: the sample
  mean ``rbar`` and sd ``s`` (``n - 1`` df).
* **Parameter uncertainty** (``tails: student``, the default). Under the reference prior
  ``p(mu, sigma^2) ∝ 1 / sigma^2`` the joint predictive of the next ``H`` log growth rates is
  multivariate Student t with ``n - 1`` df, location ``rbar`` and scale matrix
  ``s^2 (I + J / n)`` (``J`` all ones): one year ahead ``r ~ t_{n-1}(rbar, s sqrt(1 + 1/n))``
  and over ``h`` years ``sum r ~ t_{n-1}(h rbar, s sqrt(h + h^2 / n))``. The mean's
  uncertainty is the same unknown in every year (its effect grows like ``h``, not
  ``sqrt(h)``), so it is carried by a per-path draw: the engine represents the predictive as
  each year's ``ln(1 + g) ~ t_{n-1}(rbar, s)`` (``dist: log_t``) plus a lever
  :data:`MEAN_LEVER` ``~ t_{n-1}(0, s / sqrt(n))`` drawn once per path and added to every
  year's growth (times ``exp(rbar)``, the delta method, because levers add to g). This matches
  the predictive's means and its whole covariance matrix exactly; its one-year quantiles agree
  with the closed form to about 1% of the band width, and its five-year 10–90% band to
  about 4% (the common-sigma tail dependence of the multivariate t is not represented).
* **Tails.** The Student t with ``n - 1`` df has the fat tails parameter uncertainty implies
  (9 growth rates: 8 df). FY21 (+46%) and FY23 (-1%) are in the sample and in ``s``; with two
  such years in nine, a separate regime component's frequency and size cannot be estimated
  apart from ``s``, so the rule has none (the docs show what one would look like).
  ``tails: normal`` drops the fat tails (lognormal years, a normal mean lever): a comparison,
  not a recommendation.
* **Persistence.** ``phi`` of the AR(1) ``r_t = c + phi r_{t-1} + u_t`` (statsmodels
  ``AutoReg``, needs :data:`MIN_AR_POINTS` growth rates), shrunk toward 0 by the positive-part
  James-Stein factor ``max(0, 1 - se^2 / phi^2)``: an estimate smaller than its standard
  error resolves to 0. On the bundled record ``phi = -0.02 ± 0.35``, so persistence is 0.

The rule needs :data:`MIN_POINTS` growth rates: with ``n - 1 > 2`` df the predictive has a
finite variance, so the mean lever is an ordinary ``t`` with an sd.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np
from numpy.typing import NDArray

from simulator.errors import UserInputError

if TYPE_CHECKING:
    from simulator.scenario.schema import GrowthRange, Lever, Scenario

#: Fewest growth rates the rule uses: n - 1 = 3 df, the fewest with a finite predictive variance.
MIN_POINTS = 4
#: Fewest growth rates for the AR(1) estimate of persistence (n - 1 rows, 2 parameters).
MIN_AR_POINTS = 5
#: Persistence is kept inside this range (the engine's AR(1) needs |rho| < 1).
PERSISTENCE_BOUND = 0.9
#: Tail models of the rule.
TAILS: tuple[str, ...] = ("student", "normal")
#: Name of the lever that carries the uncertainty of the mean, common to every projected year.
MEAN_LEVER = "record_mean"


@dataclass(frozen=True)
class RecordFit:
    """The record rule fitted at one origin.

    Attributes
    ----------
    origin : int — last fiscal year the rule saw (the base year of a projection from it)
    origin_value : float — USD million in ``origin``
    years : ndarray of int, shape (n,) — fiscal year of each growth rate used
    log_growth : ndarray, shape (n,) — ``ln(V_t / V_{t-1})``
    window : int or None — the ``window`` option (None: every comparable year)
    tails : str — ``"student"`` or ``"normal"``
    centre : float — ``rbar``, mean log growth (log points a year)
    spread : float — ``s``, sd of log growth (``n - 1`` df)
    phi, phi_se : float or None — AR(1) coefficient of log growth and its standard error
        (None with fewer than :data:`MIN_AR_POINTS` growth rates)
    persistence : float — ``phi`` after shrinkage (0 when not estimated)
    """

    origin: int
    origin_value: float
    years: NDArray[np.int64]
    log_growth: NDArray[np.float64]
    window: int | None
    tails: str
    centre: float
    spread: float
    phi: float | None
    phi_se: float | None
    persistence: float

    @property
    def n(self) -> int:
        """Number of growth rates used."""
        return int(self.years.size)

    @property
    def df(self) -> int:
        """Degrees of freedom of the Student-t predictive, ``n - 1``."""
        return self.n - 1

    @property
    def span(self) -> str:
        """``FY2017–FY2025``."""
        return f"FY{int(self.years[0])}–FY{int(self.years[-1])}"

    @property
    def mean_scale(self) -> float:
        """Scale of the mean's uncertainty, ``s / sqrt(n)``, log points."""
        return self.spread / math.sqrt(self.n)

    @property
    def growth_median(self) -> float:
        """Median growth one year ahead, ``exp(rbar) - 1`` (fraction)."""
        return math.expm1(self.centre)

    def year_dist(self) -> dict[str, str | float]:
        """Each projected year's growth, as the fields of a growth range (without ``years``)."""
        if self.tails == "student":
            return {"dist": "log_t", "loc": self.centre, "scale": self.spread, "df": self.df}
        s2 = self.spread**2
        mean = math.exp(self.centre + s2 / 2.0) - 1.0
        return {"dist": "lognormal", "mean": mean, "sd": (1.0 + mean) * math.sqrt(math.expm1(s2))}

    def lever_dist(self) -> dict[str, str | float]:
        """The :data:`MEAN_LEVER` lever's distribution (fields of a lever, without years/name).

        Its scale in growth is ``exp(rbar) * s / sqrt(n)`` (student) or ``(1 + mean g) * s /
        sqrt(n)`` (normal): the delta method, because a lever adds to g rather than to
        ``ln(1 + g)``.
        """
        if self.tails == "student":
            scale = math.exp(self.centre) * self.mean_scale
            sd = scale * math.sqrt(self.df / (self.df - 2.0))
            return {"dist": "t", "mean": 0.0, "sd": sd, "df": float(self.df)}
        mean = float(self.year_dist()["mean"])
        return {"dist": "normal", "mean": 0.0, "sd": (1.0 + mean) * self.mean_scale}

    def predictive_quantiles(self, q: Any, horizon: int) -> NDArray[np.float64]:
        """Closed-form quantiles of the level ``horizon`` years ahead (USD million).

        The Jeffreys-prior predictive ``ln V_{T+h} - ln V_T ~ t_{n-1}(h rbar, s sqrt(h + h^2/n))``
        (normal for ``tails: normal``). Exact for the model when persistence is 0; the engine's
        representation of it is checked against this in the tests.

        Parameters
        ----------
        q : array_like of float in (0, 1)
        horizon : int >= 1 — years ahead
        """
        from scipy import stats

        h = float(horizon)
        scale = self.spread * math.sqrt(h + h * h / self.n)
        qq = np.asarray(q, dtype=float)
        z = stats.t.ppf(qq, self.df) if self.tails == "student" else stats.norm.ppf(qq)
        return np.asarray(self.origin_value * np.exp(h * self.centre + scale * z), dtype=float)

    def to_dict(self) -> dict[str, Any]:
        """The fit and what it resolves to, for ``summary.json`` (``growth_rule``)."""
        yd = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in self.year_dist().items()}
        ld = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in self.lever_dist().items()}
        return {
            "rule": "record",
            "window": self.window,
            "tails": self.tails,
            "origin": self.origin,
            "growth_years": [int(self.years[0]), int(self.years[-1])],
            "n": self.n,
            "centre_log": round(self.centre, 6),
            "spread_log": round(self.spread, 6),
            "df": self.df if self.tails == "student" else None,
            "median_growth": round(self.growth_median, 6),
            "ar1_phi": None if self.phi is None else round(self.phi, 6),
            "ar1_phi_se": None if self.phi_se is None else round(self.phi_se, 6),
            "persistence": round(self.persistence, 6),
            "year_growth": yd,
            "mean_lever": {"name": MEAN_LEVER, **ld},
            "sentence": self.sentence(),
        }

    def sentence(self) -> str:
        """One line saying what the rule resolved to, for the run table and the report."""
        if self.tails == "student":
            dist = (
                f"ln(1+g) ~ t{self.df}(centre {self.centre:.3f}, scale {self.spread:.3f}) a "
                f"year (median {self.growth_median:+.1%})"
            )
            lever = f"mean uncertainty t{self.df}(0, {self.mean_scale:.3f}) per path"
        else:
            dist = f"ln(1+g) ~ N({self.centre:.3f}, {self.spread:.3f}) a year"
            lever = f"mean uncertainty N(0, {self.mean_scale:.3f}) per path"
        ar = (
            f"AR(1) {self.phi:+.2f} ± {self.phi_se:.2f}"
            if self.phi is not None and self.phi_se is not None
            else "AR(1) not estimated"
        )
        return (
            f"growth: record ({self.span}, n = {self.n}): {dist}, {lever}; persistence "
            f"{self.persistence:.2f} ({ar})"
        )


def fit_record(
    years: Any,
    values: Any,
    origin: int | None = None,
    *,
    window: int | None = None,
    tails: str = "student",
) -> RecordFit:
    """Fit the record rule to fiscal-year totals known at ``origin``.

    Pure: arrays in, a frozen fit out, nothing read or written. Only years up to ``origin`` are
    used, so the fit at a past origin is the real-time fit.

    Parameters
    ----------
    years : array_like of int, shape (m,)
        Fiscal years, ascending and consecutive (2016 = FY2016).
    values : array_like of float, shape (m,)
        Totals in those years, USD million (> 0).
    origin : int, optional
        Last fiscal year the rule may use (default: the last of ``years``).
    window : int, optional
        Use only the last ``window`` growth rates (>= :data:`MIN_POINTS`; default all).
    tails : {"student", "normal"}

    Returns
    -------
    RecordFit

    Raises
    ------
    UserInputError
        With fewer than :data:`MIN_POINTS` growth rates up to ``origin``, non-consecutive
        years, non-positive values or an unknown ``tails``.

    Examples
    --------
    >>> fit = fit_record([2016, 2017, 2018, 2019, 2020], [100.0, 110, 121, 133.1, 146.41])
    >>> round(fit.centre, 4), round(fit.spread, 6), fit.df
    (0.0953, 0.0, 3)
    """
    if tails not in TAILS:
        raise UserInputError(f"unknown tails '{tails}'; expected one of: {', '.join(TAILS)}")
    yrs = np.asarray(years, dtype=np.int64)
    vals = np.asarray(values, dtype=np.float64)
    if yrs.shape != vals.shape or yrs.ndim != 1:
        raise UserInputError("years and values must be 1-d arrays of the same length")
    if origin is not None:
        keep = yrs <= origin
        yrs, vals = yrs[keep], vals[keep]
    if yrs.size and np.any(np.diff(yrs) != 1):
        raise UserInputError("the annual record must hold consecutive fiscal years")
    if np.any(vals <= 0) or not np.all(np.isfinite(vals)):
        raise UserInputError("annual values must be positive and finite (USD million)")
    r = np.log(vals[1:] / vals[:-1])
    gy = yrs[1:]
    if window is not None:
        if window < MIN_POINTS:
            raise UserInputError(f"window must be at least {MIN_POINTS} growth rates")
        r, gy = r[-window:], gy[-window:]
    if r.size < MIN_POINTS:
        end = f"FY{int(yrs[-1])}" if yrs.size else "the origin"
        raise UserInputError(
            f"the record rule needs at least {MIN_POINTS} annual growth rates up to {end}; "
            f"the record has {r.size}"
        )
    n = r.size
    centre = float(np.mean(r))
    spread = float(np.std(r, ddof=1))
    phi = phi_se = None
    persistence = 0.0
    if n >= MIN_AR_POINTS and spread > 0:
        from statsmodels.tsa.ar_model import AutoReg

        res = AutoReg(r, lags=1, trend="c").fit()
        phi, phi_se = float(res.params[1]), float(res.bse[1])
        if phi != 0.0 and math.isfinite(phi_se):
            shrink = max(0.0, 1.0 - phi_se**2 / phi**2)
            persistence = float(np.clip(phi * shrink, -PERSISTENCE_BOUND, PERSISTENCE_BOUND)) + 0.0
    return RecordFit(
        origin=int(yrs[-1]),
        origin_value=float(vals[-1]),
        years=gy,
        log_growth=r,
        window=window,
        tails=tails,
        centre=centre,
        spread=spread,
        phi=phi,
        phi_se=phi_se,
        persistence=persistence,
    )


class _Update(TypedDict, total=False):
    """The fields of a scenario that resolving ``growth: record`` replaces."""

    growth: list[GrowthRange]
    levers: list[Lever]
    persistence: float


def resolve_scenario(
    scenario: Scenario,
    history_years: Any,
    history_values: Any,
    *,
    first_year: int,
) -> Scenario:
    """A scenario with ``growth: record`` made explicit; any other scenario unchanged.

    The rule is fitted on the history up to the base year (``history_*`` are the complete
    fiscal years up to it) and becomes: one growth range ``first_year..horizon`` with
    :meth:`RecordFit.year_dist`, the lever :data:`MEAN_LEVER` over the same years (for the
    components that follow the top-level growth, if there are components), and the fitted
    persistence unless the file sets ``persistence`` itself. The fit is kept as
    ``scenario.growth_rule``. File, digest and key locations are kept.

    Raises
    ------
    ScenarioError
        When the record up to the base year is too short, located at ``growth``.
    """
    from pydantic import TypeAdapter

    from simulator.scenario.schema import GrowthRange, Lever, RecordGrowth

    rule = scenario.growth
    if not isinstance(rule, RecordGrowth):
        return scenario
    try:
        fit = fit_record(history_years, history_values, window=rule.window, tails=rule.tails)
    except UserInputError as exc:
        from simulator.errors import ScenarioError

        file, line = scenario.provenance.locate(("growth",))
        raise ScenarioError(exc.message, file=file, line=line, key="growth") from exc
    span = f"{first_year}-{scenario.horizon}" if scenario.horizon > first_year else first_year
    growth = TypeAdapter(list[GrowthRange]).validate_python([{"years": span, **fit.year_dist()}])
    users = None
    if scenario.components is not None:
        users = [c.name for c in scenario.components if c.growth is None]
    lever = TypeAdapter(Lever).validate_python(
        {
            "name": MEAN_LEVER,
            "years": span,
            **fit.lever_dist(),
            "components": users,
            "description": "Uncertainty of the record's mean growth, common to every year",
        }
    )
    levers = list(scenario.levers) if users == [] else [lever, *scenario.levers]
    update: _Update = {"growth": growth, "levers": levers}
    if "persistence" not in scenario.model_fields_set:
        update["persistence"] = fit.persistence
    # Resolving the rule does not make a variant: the result keeps the file's provenance.
    out = scenario.model_copy(update=update).with_provenance(scenario.provenance)
    # model_copy marks updated fields as set; keep what the file set (persistence included).
    object.__setattr__(out, "__pydantic_fields_set__", set(scenario.model_fields_set))
    out._growth_rule = fit
    return out


__all__ = [
    "MEAN_LEVER",
    "MIN_AR_POINTS",
    "MIN_POINTS",
    "TAILS",
    "RecordFit",
    "fit_record",
    "resolve_scenario",
]
