"""Marginal distributions for growth rates and other uncertain inputs.

Every distribution maps standard normal scores ``z`` to draws with exactly its marginal, through
``from_normal(z)``. That is what the Gaussian copula needs: the engine correlates the scores
(across years and components) and each marginal stays exactly what the scenario file says.

Where an exact cheap route exists (normal, lognormal, interval, fixed, uniform) it is used; the
others go through ``scipy.stats`` inverse CDFs of ``Φ(z)``. ``scipy_dist()`` gives the
equivalent frozen scipy distribution for tests and for the generic route.

Adding a distribution is one class decorated with :func:`register`.

References
----------
Wallis, K. F. (2004). "An assessment of Bank of England and National Institute inflation
forecast uncertainties", National Institute Economic Review 189 (the two-piece normal).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import special

if TYPE_CHECKING:
    from scipy.stats._distn_infrastructure import rv_frozen

FloatArray = NDArray[np.float64]

#: Every distribution by its ``dist`` name.
DISTRIBUTIONS: dict[str, type[DistributionBase]] = {}


def register(cls: type[DistributionBase]) -> type[DistributionBase]:
    """Class decorator: add a distribution to :data:`DISTRIBUTIONS` under its ``dist`` name."""
    name = cls.model_fields["dist"].default
    DISTRIBUTIONS[name] = cls
    return cls


#: Largest magnitude of a parameter: growth of ±100,000% a year is far past any real assumption,
#: and the bound keeps every draw finite (no overflow in ``mean + sd * z``).
LIMIT = 1000.0
Finite = Annotated[float, Field(ge=-LIMIT, le=LIMIT, allow_inf_nan=False)]
NonNeg = Annotated[float, Field(ge=0, le=LIMIT, allow_inf_nan=False)]


class DistributionBase(BaseModel):
    """A distribution of a real quantity (such as annual growth, 0.19 = +19%)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    dist: str

    #: Parameters that are growth rates (fractions: 0.25 = +25%), as opposed to shapes such as
    #: ``df`` or ``level``. :meth:`large_growth` checks these.
    GROWTH_FIELDS: ClassVar[tuple[str, ...]] = ()

    def large_growth(self) -> tuple[str, float] | None:
        """The first growth parameter above 1 (100% a year) in absolute value, or None.

        Returns
        -------
        (key, value) or None
            ``key`` as the file writes it (``mean``, ``sd``, ``low``, ...), and its value.

        Examples
        --------
        >>> Normal(mean=25, sd=0.1).large_growth()
        ('mean', 25.0)
        """
        for name in self.GROWTH_FIELDS:
            value = float(getattr(self, name))
            if abs(value) > 1.0:
                return (type(self).model_fields[name].alias or name, value)
        return None

    def lowest(self) -> tuple[float, str] | None:
        """The smallest value a draw can take and the key that sets it; None if unbounded below.

        Distributions bounded below by their parameters (fixed, uniform, triangular, pert)
        say so; the others (normal, t, ...) are unbounded below, or, like lognormal and log_t,
        stay above -1 whatever their parameters.
        """
        return None

    def from_normal(self, z: FloatArray) -> FloatArray:
        """Map standard normal scores to draws with this marginal (same shape as ``z``)."""
        return np.asarray(self.scipy_dist().ppf(special.ndtr(z)), dtype=np.float64)

    def scipy_dist(self) -> rv_frozen:
        """The equivalent frozen ``scipy.stats`` distribution."""
        raise NotImplementedError

    def mean(self) -> float:
        """Expected value."""
        return float(self.scipy_dist().mean())

    def median(self) -> float:
        """Median."""
        return float(self.scipy_dist().median())

    def std(self) -> float:
        """Standard deviation (growth as a fraction); 0 for ``fixed``. Sensitivity moves a
        growth range by minus and plus this."""
        return float(self.scipy_dist().std())

    def shifted(self, delta: float) -> DistributionBase:
        """The same distribution moved by ``delta`` (used by goal seek)."""
        raise NotImplementedError

    def describe(self) -> str:
        """Short human description, such as ``normal(mean 0.19, sd 0.06)``."""
        params = ", ".join(
            f"{k} {v:g}"
            for k, v in self.model_dump(by_alias=True).items()
            if k != "dist" and v is not None
        )
        return f"{self.dist}({params})"


def _shift(model: DistributionBase, delta: float, *fields: str) -> DistributionBase:
    return model.model_copy(update={f: getattr(model, f) + delta for f in fields})


@register
class Normal(DistributionBase):
    """Normal(mean, sd)."""

    dist: Literal["normal"] = "normal"
    GROWTH_FIELDS = ("mean_", "sd")
    mean_: Finite = Field(alias="mean")
    sd: NonNeg

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, populate_by_name=True)

    def from_normal(self, z: FloatArray) -> FloatArray:
        return self.mean_ + self.sd * z

    def scipy_dist(self) -> rv_frozen:
        from scipy import stats

        return stats.norm(self.mean_, self.sd)

    def mean(self) -> float:
        return self.mean_

    def median(self) -> float:
        return self.mean_

    def std(self) -> float:
        return self.sd

    def shifted(self, delta: float) -> DistributionBase:
        return _shift(self, delta, "mean_")


@register
class LogNormal(DistributionBase):
    """Growth g whose gross rate 1 + g is lognormal, matched to the mean and sd of g."""

    dist: Literal["lognormal"] = "lognormal"
    GROWTH_FIELDS = ("mean_", "sd")
    mean_: Annotated[float, Field(gt=-1, le=LIMIT, allow_inf_nan=False)] = Field(alias="mean")
    sd: NonNeg

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, populate_by_name=True)

    @model_validator(mode="after")
    def _spread(self) -> LogNormal:
        if self.sd > 100.0 * (1.0 + self.mean_):
            raise ValueError(
                f"sd {self.sd:g} is too large for mean {self.mean_:g}: a lognormal needs "
                "sd <= 100 * (1 + mean)"
            )
        return self

    @property
    def log_params(self) -> tuple[float, float]:
        """(mu, sigma) of ln(1 + g)."""
        s2 = math.log1p((self.sd / (1.0 + self.mean_)) ** 2)
        return math.log1p(self.mean_) - s2 / 2.0, math.sqrt(s2)

    def from_normal(self, z: FloatArray) -> FloatArray:
        mu, s = self.log_params
        return np.expm1(mu + s * z)

    def scipy_dist(self) -> rv_frozen:
        from scipy import stats

        mu, s = self.log_params
        return stats.lognorm(s, loc=-1.0, scale=math.exp(mu))

    def mean(self) -> float:
        return self.mean_

    def median(self) -> float:
        return math.expm1(self.log_params[0])

    def std(self) -> float:
        return self.sd

    def shifted(self, delta: float) -> DistributionBase:
        return _shift(self, delta, "mean_")


@register
class StudentT(DistributionBase):
    """Student t with the given mean and standard deviation (df > 2)."""

    dist: Literal["t"] = "t"
    GROWTH_FIELDS = ("mean_", "sd")
    mean_: Finite = Field(alias="mean")
    sd: NonNeg
    df: Annotated[float, Field(gt=2, allow_inf_nan=False)]

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, populate_by_name=True)

    def scipy_dist(self) -> rv_frozen:
        from scipy import stats

        scale = self.sd * math.sqrt((self.df - 2.0) / self.df)
        return stats.t(self.df, loc=self.mean_, scale=scale)

    def mean(self) -> float:
        return self.mean_

    def median(self) -> float:
        return self.mean_

    def std(self) -> float:
        return self.sd

    def shifted(self, delta: float) -> DistributionBase:
        return _shift(self, delta, "mean_")


class _LowModeHigh(DistributionBase):
    GROWTH_FIELDS = ("low", "mode", "high")

    low: Finite
    mode: Finite
    high: Finite

    def lowest(self) -> tuple[float, str] | None:
        return (self.low, "low")

    @model_validator(mode="after")
    def _ordered(self) -> _LowModeHigh:
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"need low <= mode <= high (got {self.low:g}, {self.mode:g}, {self.high:g})"
            )
        return self

    def shifted(self, delta: float) -> DistributionBase:
        return _shift(self, delta, "low", "mode", "high")


@register
class Triangular(_LowModeHigh):
    """Triangular(low, mode, high)."""

    dist: Literal["triangular"] = "triangular"

    def scipy_dist(self) -> rv_frozen:
        from scipy import stats

        width = self.high - self.low
        c = 0.5 if width == 0 else (self.mode - self.low) / width
        return stats.triang(c, loc=self.low, scale=width)

    def from_normal(self, z: FloatArray) -> FloatArray:
        if self.high == self.low:
            return np.full_like(z, self.low)
        # The closed-form inverse CDF, written as scipy.stats.triang.ppf computes it (so the
        # numbers are identical), without its generic wrapper: about 4x faster.
        width = self.high - self.low
        c = (self.mode - self.low) / width
        q = special.ndtr(z)
        unit = np.where(q < c, np.sqrt(c * q), 1.0 - np.sqrt((1.0 - c) * (1.0 - q)))
        return np.asarray(unit * width + self.low, dtype=np.float64)


@register
class Pert(_LowModeHigh):
    """PERT(low, mode, high): a beta on [low, high] with shape 4 around the mode."""

    dist: Literal["pert"] = "pert"

    def scipy_dist(self) -> rv_frozen:
        from scipy import stats

        width = self.high - self.low
        if width == 0:
            return stats.uniform(self.low, 0.0)
        a = 1.0 + 4.0 * (self.mode - self.low) / width
        b = 1.0 + 4.0 * (self.high - self.mode) / width
        return stats.beta(a, b, loc=self.low, scale=width)

    def from_normal(self, z: FloatArray) -> FloatArray:
        if self.high == self.low:
            return np.full_like(z, self.low)
        return super().from_normal(z)


@register
class Uniform(DistributionBase):
    """Uniform(low, high)."""

    dist: Literal["uniform"] = "uniform"
    GROWTH_FIELDS = ("low", "high")
    low: Finite
    high: Finite

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low > self.high:
            raise ValueError(f"need low <= high (got low {self.low:g} > high {self.high:g})")
        return self

    def lowest(self) -> tuple[float, str] | None:
        return (self.low, "low")

    def from_normal(self, z: FloatArray) -> FloatArray:
        return np.asarray(self.low + (self.high - self.low) * special.ndtr(z), dtype=np.float64)

    def scipy_dist(self) -> rv_frozen:
        from scipy import stats

        return stats.uniform(self.low, self.high - self.low)

    def shifted(self, delta: float) -> DistributionBase:
        return _shift(self, delta, "low", "high")


@register
class SplitNormal(DistributionBase):
    """Two-piece normal (Bank of England fan chart): mode, sd below it, sd above it."""

    dist: Literal["split_normal"] = "split_normal"
    GROWTH_FIELDS = ("mode", "sd_low", "sd_high")
    mode: Finite
    sd_low: NonNeg
    sd_high: NonNeg

    def from_normal(self, z: FloatArray) -> FloatArray:
        s1, s2 = self.sd_low, self.sd_high
        if s1 + s2 == 0:
            return np.full_like(z, self.mode)
        u = special.ndtr(z)
        p = s1 / (s1 + s2)
        with np.errstate(divide="ignore", invalid="ignore"):
            lower = self.mode + s1 * special.ndtri(u * (s1 + s2) / (2.0 * s1)) if s1 > 0 else 0.0
            upper = (
                self.mode + s2 * special.ndtri((u - p) * (s1 + s2) / (2.0 * s2) + 0.5)
                if s2 > 0
                else 0.0
            )
        return np.where(u < p, lower, upper)

    def scipy_dist(self) -> rv_frozen:
        return _SplitNormalRV(self.mode, self.sd_low, self.sd_high)

    def mean(self) -> float:
        return self.mode + math.sqrt(2.0 / math.pi) * (self.sd_high - self.sd_low)

    def median(self) -> float:
        return float(self.from_normal(np.zeros(1))[0])

    def std(self) -> float:
        s1, s2 = self.sd_low, self.sd_high
        return math.sqrt((1.0 - 2.0 / math.pi) * (s2 - s1) ** 2 + s1 * s2)

    def shifted(self, delta: float) -> DistributionBase:
        return _shift(self, delta, "mode")


@register
class Fixed(DistributionBase):
    """A known value, no uncertainty."""

    dist: Literal["fixed"] = "fixed"
    GROWTH_FIELDS = ("value",)
    value: Finite

    def lowest(self) -> tuple[float, str] | None:
        return (self.value, "value")

    def from_normal(self, z: FloatArray) -> FloatArray:
        return np.full_like(z, self.value)

    def scipy_dist(self) -> rv_frozen:
        from scipy import stats

        return stats.uniform(self.value, 0.0)

    def mean(self) -> float:
        return self.value

    def median(self) -> float:
        return self.value

    def std(self) -> float:
        return 0.0

    def shifted(self, delta: float) -> DistributionBase:
        return _shift(self, delta, "value")


@register
class Interval(DistributionBase):
    """Shorthand: the normal whose central ``level`` interval is [low, high]."""

    dist: Literal["interval"] = "interval"
    GROWTH_FIELDS = ("low", "high")
    low: Finite
    high: Finite
    level: Annotated[float, Field(gt=0, lt=1, allow_inf_nan=False)] = 0.9

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.low > self.high:
            raise ValueError(f"need low <= high (got low {self.low:g} > high {self.high:g})")
        return self

    @property
    def normal(self) -> Normal:
        """The matched normal distribution."""
        zq = float(special.ndtri(0.5 + self.level / 2.0))
        return Normal(mean_=(self.low + self.high) / 2.0, sd=(self.high - self.low) / (2.0 * zq))

    def from_normal(self, z: FloatArray) -> FloatArray:
        return self.normal.from_normal(z)

    def scipy_dist(self) -> rv_frozen:
        return self.normal.scipy_dist()

    def mean(self) -> float:
        return (self.low + self.high) / 2.0

    def median(self) -> float:
        return self.mean()

    def std(self) -> float:
        return self.normal.sd

    def shifted(self, delta: float) -> DistributionBase:
        return _shift(self, delta, "low", "high")


@register
class LogT(DistributionBase):
    """Growth g whose log gross rate ln(1 + g) is Student t(df, loc, scale).

    The fat-tailed counterpart of ``lognormal``, and what ``growth: record`` resolves to: the
    Student-t predictive of log growth (``docs/calibration.md``). ``loc`` and ``scale`` are in
    log points (0.175 = ln 1.19); ``df > 0`` (df <= 2 has no finite variance). The mean of g is
    infinite for every df (``E[exp(T)]`` diverges), so :meth:`mean` is ``inf``; ``limits``
    bound the draws in a run, and :meth:`shifted` moves the median.
    """

    dist: Literal["log_t"] = "log_t"
    GROWTH_FIELDS = ("loc", "scale")
    loc: Annotated[float, Field(ge=-10, le=10, allow_inf_nan=False)]
    scale: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)]
    df: Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False)]

    def from_normal(self, z: FloatArray) -> FloatArray:
        from scipy import stats

        if self.scale == 0:
            return np.full_like(z, math.expm1(self.loc))
        t = stats.t.ppf(special.ndtr(z), self.df)
        return np.asarray(np.expm1(self.loc + self.scale * t), dtype=np.float64)

    def scipy_dist(self) -> rv_frozen:
        return _LogTRV(self.loc, self.scale, self.df)

    def mean(self) -> float:
        # E[exp(T)] diverges for a Student t of any df (see the class docstring).
        return math.inf if self.scale > 0 else math.expm1(self.loc)

    def median(self) -> float:
        return math.expm1(self.loc)

    def shifted(self, delta: float) -> DistributionBase:
        # Move the median of g by exactly delta (a shift of ln(1 + g) by ln((1+m+delta)/(1+m))).
        m = self.median()
        return self.model_copy(update={"loc": self.loc + math.log1p(delta / (1.0 + m))})


@register
class Percentiles(DistributionBase):
    """Growth g given by its 10th, 50th and 90th percentiles.

    ln(1 + g) is a two-piece normal through the three: median ln(1 + p50), with the sd below
    the median set by p10 and the sd above it by p90, so g's 10th, 50th and 90th percentiles
    are exactly ``p10``, ``p50`` and ``p90`` and g stays above -1. What a level assumption
    ("reaches about V by FY, 80% range lo-hi") resolves to (:mod:`simulator.scenario.levels`).
    """

    dist: Literal["percentiles"] = "percentiles"
    GROWTH_FIELDS = ("p10", "p50", "p90")
    p10: Annotated[float, Field(gt=-1, le=LIMIT, allow_inf_nan=False)]
    p50: Annotated[float, Field(gt=-1, le=LIMIT, allow_inf_nan=False)]
    p90: Annotated[float, Field(gt=-1, le=LIMIT, allow_inf_nan=False)]

    @model_validator(mode="after")
    def _ordered(self) -> Percentiles:
        if not self.p10 <= self.p50 <= self.p90:
            raise ValueError(
                f"need p10 <= p50 <= p90 (got {self.p10:g}, {self.p50:g}, {self.p90:g})"
            )
        return self

    @property
    def log_params(self) -> tuple[float, float, float]:
        """(median, sd below, sd above) of ln(1 + g)."""
        z90 = float(special.ndtri(0.9))
        m = math.log1p(self.p50)
        return m, (m - math.log1p(self.p10)) / z90, (math.log1p(self.p90) - m) / z90

    def from_normal(self, z: FloatArray) -> FloatArray:
        m, lo, hi = self.log_params
        return np.asarray(np.expm1(m + np.where(z < 0, lo, hi) * z), dtype=np.float64)

    def scipy_dist(self) -> rv_frozen:
        return _PercentilesRV(self)

    def mean(self) -> float:
        m, lo, hi = self.log_params
        upper = math.exp(hi * hi / 2.0) * float(special.ndtr(hi))
        lower = math.exp(lo * lo / 2.0) * float(special.ndtr(-lo))
        return math.exp(m) * (upper + lower) - 1.0

    def median(self) -> float:
        return self.p50

    def shifted(self, delta: float) -> DistributionBase:
        return _shift(self, delta, "p10", "p50", "p90")


class _PercentilesRV:
    """Minimal scipy-like frozen :class:`Percentiles` (cdf, ppf, mean, std)."""

    def __init__(self, d: Percentiles) -> None:
        self.d = d

    def ppf(self, u: Any) -> Any:
        return self.d.from_normal(special.ndtri(np.asarray(u, dtype=float)))

    def cdf(self, x: Any) -> Any:
        m, lo, hi = self.d.log_params
        y = np.log1p(np.asarray(x, dtype=float)) - m
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(y < 0, y / lo if lo > 0 else -np.inf, y / hi if hi > 0 else np.inf)
        return special.ndtr(np.where(y == 0, 0.0, z))

    def mean(self) -> float:
        return self.d.mean()

    def median(self) -> float:
        return self.d.p50

    def std(self) -> float:
        m, lo, hi = self.d.log_params
        second = math.exp(2 * m) * (
            math.exp(2 * hi * hi) * float(special.ndtr(2 * hi))
            + math.exp(2 * lo * lo) * float(special.ndtr(-2 * lo))
        )
        mean1 = self.d.mean() + 1.0
        return math.sqrt(max(second - mean1 * mean1, 0.0))


class _LogTRV:
    """Minimal scipy-like frozen log-t (cdf, ppf, median) for tests and the generic route."""

    def __init__(self, loc: float, scale: float, df: float) -> None:
        self.loc, self.scale, self.df = loc, scale, df

    def cdf(self, x: Any) -> Any:
        from scipy import stats

        y = np.log1p(np.asarray(x, dtype=float))
        if self.scale == 0:
            return (y >= self.loc).astype(float)
        return stats.t.cdf((y - self.loc) / self.scale, self.df)

    def ppf(self, u: Any) -> Any:
        from scipy import stats

        return np.expm1(self.loc + self.scale * stats.t.ppf(np.asarray(u, dtype=float), self.df))

    def mean(self) -> float:
        return math.inf if self.scale > 0 else math.expm1(self.loc)

    def median(self) -> float:
        return math.expm1(self.loc)

    def std(self) -> float:
        # g's sd is infinite; half the central 68.27% interval stands in (a normal's sd).
        lo, hi = self.ppf([special.ndtr(-1.0), special.ndtr(1.0)])
        return float(hi - lo) / 2.0


class _SplitNormalRV:
    """Minimal scipy-like frozen two-piece normal (cdf, ppf) for tests and the generic route."""

    def __init__(self, mode: float, s1: float, s2: float) -> None:
        self.mode, self.s1, self.s2 = mode, s1, s2

    def cdf(self, x: Any) -> Any:
        x = np.asarray(x, dtype=float)
        s1, s2 = self.s1, self.s2
        p = s1 / (s1 + s2)
        with np.errstate(divide="ignore", invalid="ignore"):
            lo = 2 * p * special.ndtr((x - self.mode) / s1) if s1 > 0 else 0.0
            hi = p + 2 * (1 - p) * (special.ndtr((x - self.mode) / s2) - 0.5) if s2 > 0 else 1.0
        return np.where(x < self.mode, lo, hi)

    def ppf(self, u: Any) -> Any:
        z = special.ndtri(np.asarray(u, dtype=float))
        return SplitNormal(mode=self.mode, sd_low=self.s1, sd_high=self.s2).from_normal(z)

    def mean(self) -> float:
        return self.mode + math.sqrt(2.0 / math.pi) * (self.s2 - self.s1)

    def median(self) -> float:
        return float(self.ppf(0.5))


def _union() -> Any:
    members = tuple(DISTRIBUTIONS.values())
    return Annotated[Union[members], Field(discriminator="dist")]  # noqa: UP007


#: The type of any distribution spec, discriminated on ``dist``.
Distribution = _union()
