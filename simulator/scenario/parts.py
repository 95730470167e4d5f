"""The parts a scenario is made of: growth ranges, levers, level assumptions, shocks, limits,
components, the growth rule, the base and targets (pydantic v2, frozen and closed).

Each part checks itself (a shock's impact above -1, a component base with one of value and
share); checks across parts live with :class:`~simulator.scenario.schema.Scenario`, which
holds them. Growth rates are fractions (0.19 = +19% a year); money is USD million; years are
fiscal years (2026 = FY2026, July 2025 – June 2026).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    WithJsonSchema,
    create_model,
    field_validator,
    model_validator,
)

from simulator.errors import did_you_mean
from simulator.fiscal import FIRST, LAST, SPAN_PATTERN, YEAR_PATTERN, parse_span, parse_year
from simulator.scenario.distributions import DISTRIBUTIONS, DistributionBase, FloatArray
from simulator.scenario.distributions import Distribution as Distribution

FIRST_FISCAL_YEAR = FIRST
LAST_FISCAL_YEAR = LAST


def _parse_years(value: Any) -> Any:
    """Accept 2027, "FY2027", "2026-2030" or "FY26-FY30" (inclusive) and return (start, end)."""
    return parse_span(value)


def _one_year(value: Any) -> Any:
    """Accept 2028, "FY2028", "FY28" or "2027-28" and return the fiscal year."""
    if isinstance(value, str):
        return parse_year(value)
    return value


def _check_span(value: tuple[int, int]) -> tuple[int, int]:
    start, end = value
    for y in value:
        if not FIRST_FISCAL_YEAR <= y <= LAST_FISCAL_YEAR:
            raise ValueError(f"fiscal year {y} out of range {FIRST_FISCAL_YEAR}-{LAST_FISCAL_YEAR}")
    if start > end:
        raise ValueError(f"range {start}-{end} runs backwards; write it as {end}-{start}")
    return value


YearSpan = Annotated[
    tuple[int, int],
    BeforeValidator(_parse_years),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer"},
                {"type": "string", "pattern": SPAN_PATTERN},
            ],
            "description": "fiscal year (2027, FY2027) or inclusive range (2026-2030, FY26-FY30)",
        }
    ),
]
"""An inclusive range of fiscal years, written ``2026-2030`` or ``2027``."""


class SchemaIssue(ValueError):
    """A cross-field problem, with the key path (relative to the model) that it concerns."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path


class Frozen(BaseModel):
    """Base of every schema model: immutable and closed to unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


def _span_valid(cls: type[BaseModel], value: tuple[int, int]) -> tuple[int, int]:
    return _check_span(value)


def _ranged(name: str, extra: dict[str, tuple[Any, Any]], doc: str) -> Any:
    """Build the discriminated union of ``dist`` classes, each with ``extra`` fields added.

    This keeps YAML flat (``- years: 2026-2027 / dist: normal / mean: ... / sd: ...``) while the
    distribution registry stays the single place that lists distributions.
    """
    # create_model's field definitions share its keyword namespace with options such as
    # __doc__, so mypy cannot match a dict of (type, default) pairs to them: Any here only.
    fields: Any = extra
    members = []
    for dname, dcls in DISTRIBUTIONS.items():
        members.append(
            create_model(
                f"{name}_{dname}",
                __base__=dcls,
                __doc__=doc,
                __validators__={"span": field_validator("years")(_span_valid)},
                **fields,
            )
        )
    return Annotated[Union[tuple(members)], Field(discriminator="dist")]  # noqa: UP007


class _Ranged(DistributionBase):
    """Static type of a growth range or lever (the runtime type is a tagged union)."""

    years: tuple[int, int]
    name: str
    components: list[str] | None
    description: str
    ramp: int | None
    allow_large_growth: bool


#: Validation context key (``Scenario.model_validate(data, context={FILE_CHECKS: True})``): the
#: loader's plausibility checks on what a user wrote, such as percent-for-fraction typos. A
#: scenario built in code (a sweep's or calibration's variant) is not checked for them.
FILE_CHECKS = "file_checks"

#: The key that lets an item (or, at the top, the whole file) hold growth above 100% a year.
LARGE_GROWTH_KEY = "allow_large_growth"
_LARGE = (bool, False)


if TYPE_CHECKING:
    GrowthRange = _Ranged
    Lever = _Ranged
else:
    GrowthRange = _ranged(
        "GrowthRange",
        {"years": (YearSpan, ...), LARGE_GROWTH_KEY: _LARGE},
        "Annual growth (0.19 = +19%) of a series over a range of fiscal years.",
    )
    Lever = _ranged(
        "Lever",
        {
            "name": (str, Field(min_length=1)),
            "years": (YearSpan, ...),
            "components": (list[str] | None, None),
            "description": (str, ""),
            "ramp": (Annotated[int, Field(ge=1)] | None, None),
            LARGE_GROWTH_KEY: _LARGE,
        },
        "A named policy or market change: adds an uncertain amount (drawn once per path) to "
        "annual growth in every year of its range; with ``ramp: N`` it phases in linearly "
        "over its first N years (1/N, 2/N, ... of the drawn amount).",
    )


class LevelRange(DistributionBase):
    """Growth stated as a level: "reaches about ``level`` by ``by`` (80% range low-high)".

    It stands for constant growth over ``years`` at the rate that takes the series (the total,
    or a component) from its base to ``level`` in fiscal year ``by`` (default: the range's last
    year): g = (level / base) ** (1 / n) - 1, n = by - base year. ``low`` and ``high`` are the
    80% range of the level in ``by``; they map to that growth's 10th and 90th percentiles. The
    growth is drawn once per path and held for every year of the range, so the level in ``by``
    has exactly that median and 80% range (before shocks, levers and limits). Resolved when the
    base is known (:func:`simulator.scenario.levels.resolve_levels`); the range must start in
    the first projected year.

    It resolves to ``dist: percentiles`` growth in each year of the range (10th, 50th and 90th
    percentiles from ``low``, ``level`` and ``high``), drawn through the copula like any range.
    Until resolved it cannot be drawn (:meth:`from_normal` raises); :meth:`shifted` moves the
    growth it will resolve to.
    """

    dist: Literal["level"] = "level"
    years: YearSpan
    level: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    by: (
        Annotated[
            int,
            BeforeValidator(_one_year),
            Field(ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR),
            WithJsonSchema(
                {
                    "anyOf": [
                        {"type": "integer"},
                        {"type": "string", "pattern": YEAR_PATTERN},
                    ],
                    "description": "fiscal year (2028, FY2028, FY28)",
                }
            ),
        ]
        | None
    ) = None
    low: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    high: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    description: str = ""

    _span = field_validator("years")(_span_valid)

    @model_validator(mode="after")
    def _consistent(self) -> LevelRange:
        if (self.low is None) != (self.high is None):
            raise SchemaIssue(
                ("low" if self.low is None else "high",),
                "give both low and high (the level's 80% range, USD million) or neither",
            )
        if (
            self.low is not None
            and self.high is not None
            and not (self.low <= self.level <= self.high)
        ):
            raise ValueError(
                f"need low <= level <= high (got {self.low:g}, {self.level:g}, {self.high:g})"
            )
        if self.by is not None and not self.years[0] <= self.by <= self.years[1]:
            raise SchemaIssue(
                ("by",),
                f"FY{self.by} is outside the range's years {self.years[0]}-{self.years[1]}; "
                "the level is reached within them",
            )
        return self

    _shift: float = PrivateAttr(default=0.0)

    @property
    def target_year(self) -> int:
        """The fiscal year the level is reached in (``by``, or the range's last year)."""
        return self.by if self.by is not None else self.years[1]

    @property
    def shift(self) -> float:
        """Growth added to the resolved rate by :meth:`shifted` (goal seek), a fraction."""
        return self._shift

    def shifted(self, delta: float) -> DistributionBase:
        new = self.model_copy()
        new._shift = self._shift + delta
        return new

    def from_normal(self, z: FloatArray) -> FloatArray:
        raise RuntimeError("a level assumption is resolved against its base before it is drawn")

    def describe(self) -> str:
        spread = "" if self.low is None else f", 80% range {self.low:g}-{self.high:g}"
        return f"level({self.level:g} by FY{self.target_year}{spread})"


def _level_or_dist(value: Any) -> str:
    # ``interval`` has a ``level`` of its own (its central probability); a level assumption
    # has no dist (or ``dist: level``).
    if isinstance(value, LevelRange) or (
        isinstance(value, dict) and "level" in value and value.get("dist", "level") == "level"
    ):
        return "Level"
    return "Dist"


if TYPE_CHECKING:
    GrowthItem = GrowthRange | LevelRange
else:
    GrowthItem = Annotated[
        Annotated[LevelRange, Tag("Level")] | Annotated[GrowthRange, Tag("Dist")],
        Discriminator(_level_or_dist),
    ]


class Shock(Frozen):
    """A named event that may strike in a window of fiscal years.

    In a year it strikes, that year's level is multiplied by ``1 + impact`` (roughly, ``impact``
    is added to that year's growth). With ``duration`` N (default 1) the same drawn impact
    lowers each of the N consecutive years from the strike year, so the level ends
    ``(1 + impact) ** N`` below where it would have been. With ``recovery`` r, the year after
    the last is multiplied by ``(1 + impact) ** (-r * N)``: r = 1 regains the whole lost level,
    r = 0 none of it.
    """

    name: str = Field(min_length=1)
    years: YearSpan
    probability: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
    once: bool = False
    impact: Distribution
    recovery: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = 0.0
    duration: Annotated[int, Field(ge=1, le=100)] = 1
    components: list[str] | None = None
    description: str = ""
    allow_large_growth: bool = False

    _span = field_validator("years")(_span_valid)

    @model_validator(mode="after")
    def _impact_above_minus_one(self) -> Shock:
        # Bounded impacts must stay above -1; unbounded ones (normal, t, ...) are floored at
        # -0.99 by the engine, as documented.
        bound = self.impact.lowest()
        if bound is None:
            return self
        lowest, key = bound
        if lowest <= -1:
            raise SchemaIssue(
                ("impact", key),
                f"must be > -1: a fall of 100% or more is impossible (got {lowest:g})",
            )
        return self


class Limits(Frozen):
    """Floor and cap on each year's growth, so compounding cannot run away."""

    floor: Annotated[float, Field(gt=-1, allow_inf_nan=False)] = -0.5
    cap: Annotated[float, Field(gt=-1, allow_inf_nan=False)] = 1.0
    allow_large_growth: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Limits:
        if self.floor > self.cap:
            raise ValueError(f"need floor <= cap (got floor {self.floor:g} > cap {self.cap:g})")
        return self


class ComponentBase(Frozen):
    """Base-year value of a component: a value (USD million), a share of the total, or the rest."""

    value: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    share: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> ComponentBase:
        if (self.value is None) == (self.share is None):
            raise ValueError("give exactly one of value (USD million) or share (0-1)")
        return self


def _component_base(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"value": value}
    return value


def _map_or_word(value: Any) -> str:
    """Route a union of "a keyword or a mapping" by the input's shape (one clear error, not two)."""
    return "Mapping" if isinstance(value, dict | BaseModel) else "Word"


class Component(Frozen):
    """A named part of the total with its own base and growth."""

    name: str = Field(min_length=1)
    base: Annotated[
        Annotated[ComponentBase, Tag("Mapping")] | Annotated[Literal["rest"], Tag("Word")],
        Discriminator(_map_or_word),
        BeforeValidator(_component_base),
    ]
    growth: list[GrowthItem] | None = None
    description: str = ""


#: Growth rules a scenario may name instead of a list of ranges.
GROWTH_RULES: tuple[str, ...] = ("record",)


class RecordGrowth(Frozen):
    """``growth: record``: growth estimated from the annual record up to the base year.

    The rule (``simulator.stats.record_rule``, ``docs/calibration.md``) fits the centre, the
    spread with its parameter uncertainty (a Student-t predictive), and the persistence of log
    growth to the comparable SBP fiscal-year totals up to the base year, so it can be replayed
    at any past origin. ``run`` prints what it resolves to.
    """

    rule: Literal["record"] = "record"
    window: Annotated[int, Field(ge=4, le=100)] | None = None
    tails: Literal["student", "normal"] = "student"


def _growth_rule(value: Any) -> Any:
    if isinstance(value, str):
        if value in GROWTH_RULES:
            return {"rule": value}
        raise ValueError(
            f"unknown growth rule '{value}'{did_you_mean(value, GROWTH_RULES)}; expected "
            "'record', {rule: record, window: N, tails: student|normal}, or a list of year "
            "ranges, each with a dist"
        )
    return value


def _list_or_rule(value: Any) -> str:
    return "Rule" if isinstance(value, dict | RecordGrowth) else "List"


class ExplicitBase(Frozen):
    """An explicit base year: fiscal year and value (USD million, from 0.01 to 10,000,000:
    $10,000 to $10 trillion, so a typo in the exponent is refused rather than overflowing)."""

    fiscal_year: Annotated[int, Field(ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR)]
    value: Annotated[float, Field(ge=0.01, le=1e7, allow_inf_nan=False)]


#: The ``kind`` of a government target; every other kind (an industry projection, an
#: unofficial estimate, a plain "target") is not official.
OFFICIAL_KIND = "official target"


def is_official_kind(kind: str) -> bool:
    """True only for :data:`OFFICIAL_KIND` ("unofficial estimate" is not official)."""
    return kind == OFFICIAL_KIND


class Target(Frozen):
    """A level to reach in a fiscal year (USD million).

    With ``component`` it is judged on that component's paths (its base, its level), not on
    the total's. ``source`` is free text (a URL) saying where the level comes from.
    """

    name: str = Field(min_length=1)
    fiscal_year: Annotated[int, Field(ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR)]
    value: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    kind: str = "target"
    component: str | None = None
    source: str = ""

    @property
    def official(self) -> bool:
        """Whether this is an official (government) target: the headline prefers these."""
        return is_official_kind(self.kind)

    @staticmethod
    def headline(targets: Sequence[Target]) -> Target | None:
        """The target a headline leads with: the last official target, else the last one.

        The one rule for titles, the report and sensitivity; pass the projected targets.
        """
        pool = [t for t in targets if t.official] or list(targets)
        return max(pool, key=lambda t: t.fiscal_year) if pool else None


#: The default target set, ``targets: uraan``.
URAAN_TARGETS: tuple[Target, ...] = (
    Target(name="Uraan Pakistan FY26", fiscal_year=2026, value=5000, kind="official target"),
    Target(name="Uraan Pakistan FY29", fiscal_year=2029, value=10000, kind="official target"),
    Target(name="$20B by 2030", fiscal_year=2030, value=20000, kind="industry projection"),
)


def _targets(value: Any) -> Any:
    if value == "uraan":
        return [t.model_dump() for t in URAAN_TARGETS]
    if isinstance(value, str):
        raise ValueError(
            f"unknown target set '{value}'{did_you_mean(value, ['uraan'])}; expected 'uraan' or "
            "a list of {name, fiscal_year, value}"
        )
    return value
