"""``simulator calibrate``: the record rule resolved, written as an explicit scenario.

The rule is :func:`simulator.stats.record_rule.fit_record`, the same one ``growth: record``
resolves to when a scenario runs (``docs/calibration.md`` has the equations and the fitted
numbers). This module prints the fit and writes it as a scenario file whose every number is
explicit and editable: each year's growth ``dist: log_t`` (the Student-t predictive of log
growth), the lever ``record_mean`` (the uncertain mean, drawn once per path) and the fitted
persistence. Numbers are written exactly (shortest round-trip decimals), so the file runs to
the same paths as ``growth: record`` on the same data (a test checks it).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.data.history import AnnualSeries, load_annual
from simulator.errors import UserInputError
from simulator.stats.jsonable import JSONDict
from simulator.stats.record_rule import MEAN_LEVER, MIN_AR_POINTS, MIN_POINTS, RecordFit, fit_record

if TYPE_CHECKING:
    from simulator.scenario.schema import Scenario


def calibrate(
    annual: AnnualSeries | None = None,
    *,
    first: int | None = None,
    last: int | None = None,
    tails: str = "student",
) -> RecordFit:
    """The record rule on the bundled annual series (FY2016–FY2025 → growth FY2017–FY2025).

    Parameters
    ----------
    annual : AnnualSeries, optional — default: the bundled comparable SBP series
    first : int, optional — first fiscal year of growth used (sets the rule's ``window``)
    last : int, optional — the origin: last fiscal year the rule sees
    tails : {"student", "normal"}

    Raises
    ------
    UserInputError
        If the years lie outside the series or leave too few growth rates.

    Examples
    --------
    >>> fit = calibrate()
    >>> fit.n, fit.span
    (9, 'FY2017–FY2025')
    """
    a = load_annual() if annual is None else annual
    lo, hi = int(a.fiscal_years[1]), int(a.fiscal_years[-1])
    origin = hi if last is None else last
    start = lo if first is None else first
    if start < lo or origin > hi or origin < lo:
        raise UserInputError(
            f"growth can be fitted for FY{lo}–FY{hi} only (the comparable series starts in "
            f"FY{int(a.fiscal_years[0])}); got FY{start}–FY{origin}"
        )
    if origin - start + 1 < MIN_POINTS:
        raise UserInputError(
            f"need at least {MIN_POINTS} years of growth; FY{start}–FY{origin} has "
            f"{max(origin - start + 1, 0)}"
        )
    window = None if first is None else origin - start + 1
    return fit_record(a.fiscal_years, a.values, origin, window=window, tails=tails)


def _sd_interval(sd: float, df: int) -> tuple[float, float]:
    from scipy import stats

    lo = sd * math.sqrt(df / float(stats.chi2.ppf(0.975, df)))
    hi = sd * math.sqrt(df / float(stats.chi2.ppf(0.025, df)))
    return lo, hi


def fit_table(fit: RecordFit) -> str:
    """The fit as a markdown table, what it resolves to, and a plain warning on sample size."""
    lo, hi = _sd_interval(fit.spread, fit.df)
    q = fit.predictive_quantiles([0.1, 0.5, 0.9], 1)
    lines = [
        f"Record rule on log growth ln(V_t/V_t-1), {fit.span}: n = {fit.n} yearly growth rates "
        f"(origin FY{fit.origin} = {fit.origin_value:,.0f}).",
        "",
        "| quantity | estimate | uncertainty |",
        "|---|---|---|",
        f"| centre: mean of ln(1+g) | {fit.centre:.4f} | s.e. {fit.mean_scale:.4f} |",
        f"| spread: sd of ln(1+g) | {fit.spread:.4f} | 95% {lo:.4f}–{hi:.4f} ({fit.df} df) |",
    ]
    if fit.phi is not None and fit.phi_se is not None:
        lines.append(f"| AR(1) phi of ln(1+g) | {fit.phi:.4f} | s.e. {fit.phi_se:.4f} |")
    else:
        lines.append(f"| AR(1) phi | not estimated | fewer than {MIN_AR_POINTS} growth rates |")
    lines += [
        "",
        "Resolved (what growth: record runs with):",
        f"- growth, each year: {_describe(fit.year_dist())}",
        f"- lever {MEAN_LEVER}, once per path, every year: {_describe(fit.lever_dist())}",
        f"- persistence: {fit.persistence:.4f} (phi shrunk toward 0 by max(0, 1 - se^2/phi^2))",
        f"- one year ahead (FY{fit.origin + 1}), closed form: median {q[1]:,.0f}, 80% band "
        f"{q[0]:,.0f}–{q[2]:,.0f} (USD million)",
        "",
        f"Caution: only {fit.n} growth rates. FY21 (+46%, COVID demand and freelancing) and "
        "FY23 (-0.9%, the exchange-rate gap) are kept in; they are why the spread is wide.",
    ]
    return "\n".join(lines)


def _describe(d: Mapping[str, str | float]) -> str:
    return f"{d['dist']}(" + ", ".join(f"{k} {v:.4g}" for k, v in d.items() if k != "dist") + ")"


def scenario_json(
    fit: RecordFit,
    *,
    base: str | dict[str, float] = "history",
    first_year: int | None = None,
    horizon: int = 2030,
    paths: int = 100_000,
    seed: int = 2026,
    nowcast: bool = True,
) -> JSONDict:
    """The resolved rule as plain scenario data: the serialisation of the scenario file
    :func:`scenario_yaml` writes (this module's JSON-like edge), as ``load_scenario`` reads it.

    The growth range, lever and persistence are exactly those
    :func:`simulator.stats.record_rule.resolve_scenario` gives ``growth: record``.

    Parameters
    ----------
    fit : RecordFit
    base : "history" or {"fiscal_year": int, "value": float} (USD million)
    first_year : int, optional — first projected fiscal year (default ``fit.origin + 1``)
    horizon : int — last projected fiscal year
    paths, seed : int
    nowcast : bool — whether the current fiscal year uses the months already reported
    """
    start = fit.origin + 1 if first_year is None else first_year
    years = f"{start}-{horizon}"
    return {
        "name": f"Record rule, resolved on {fit.span}",
        "description": (
            f"growth: record fitted to the {fit.n} comparable yearly growth rates {fit.span} "
            "and written out: Student-t predictive, the uncertain mean as a lever."
        ),
        "base": base,
        "horizon": horizon,
        "paths": paths,
        "seed": seed,
        "growth": [{"years": years, **fit.year_dist()}],
        "persistence": fit.persistence,
        "levers": [
            {
                "name": MEAN_LEVER,
                "years": years,
                **fit.lever_dist(),
                "description": "Uncertainty of the record's mean growth, common to every year",
            }
        ],
        "targets": "uraan",
        "nowcast": nowcast,
    }


def calibrated_scenario(fit: RecordFit, **kwargs: Any) -> Scenario:
    """The :class:`simulator.scenario.schema.Scenario` of :func:`scenario_json` (same keywords)."""
    from simulator.scenario.schema import Scenario

    return Scenario.model_validate(scenario_json(fit, **kwargs))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _x(v: Any) -> str:
    """A number exactly as Python reads it back (shortest round-trip decimal)."""
    return repr(float(v)) if isinstance(v, float) else str(v)


def scenario_yaml(fit: RecordFit, *, horizon: int = 2030) -> str:
    """YAML text of the resolved rule, with a comment on where each number came from.

    It starts from ``base: history``; run on the data the rule was fitted to (base year
    ``fit.origin``), it gives the same paths as ``growth: record``.

    Raises
    ------
    UserInputError
        If ``horizon`` is not after the origin.
    """
    if horizon <= fit.origin:
        raise UserInputError(f"horizon {horizon} must be after the base year FY{fit.origin}")
    d = scenario_json(fit, horizon=horizon)
    g, lv = d["growth"][0], d["levers"][0]
    g_lines = "\n".join(f"    {k}: {_x(v)}" for k, v in g.items() if k != "years")
    lv_lines = "\n".join(
        f"    {k}: {_x(v)}" for k, v in lv.items() if k not in ("name", "years", "description")
    )
    if fit.phi is not None and fit.phi_se is not None:
        pers = (
            f"# AR(1) of log growth (statsmodels AutoReg): phi = {fit.phi:.4f}, s.e. "
            f"{fit.phi_se:.4f}; shrunk toward 0 by\n# max(0, 1 - se^2/phi^2), so an estimate "
            "smaller than its standard error gives 0."
        )
    else:
        pers = (
            f"# Not estimated: fewer than {MIN_AR_POINTS} growth rates, so years are independent."
        )
    if fit.tails == "student":
        g_note = (
            f"  # ln(1+g) ~ Student t({fit.df} df, centre {fit.centre:.4f}, scale "
            f"{fit.spread:.4f}): the mean and sd\n  # of log growth over {fit.span}. With the "
            "lever below, the Student-t predictive\n  # (docs/calibration.md)."
        )
        lv_note = (
            f"  # The mean is uncertain: s/sqrt(n) = {fit.mean_scale:.4f} in log growth, t with "
            f"{fit.df} df, times\n  # exp(centre) because a lever adds to growth. Drawn once "
            "per path: the same\n  # unknown in every year."
        )
    else:
        g_note = (
            f"  # ln(1+g) ~ Normal({fit.centre:.4f}, {fit.spread:.4f}) over {fit.span}, written "
            "as the mean and sd of g."
        )
        lv_note = (
            f"  # The mean is uncertain: s/sqrt(n) = {fit.mean_scale:.4f} in log growth, normal."
        )
    return f"""\
# Written by `simulator calibrate`: the record rule (growth: record) resolved on the bundled
# SBP ICT fiscal-year totals (USD million), log growth ln(V_t/V_t-1) for {fit.span}
# (n = {fit.n} yearly growth rates). Every number is now explicit: edit freely. Growth is a
# fraction (0.19 = +19%); years are fiscal years (2026 = FY2026). Method: docs/calibration.md.
name: {_q(d["name"])}
description: {_q(d["description"])}

# Latest complete fiscal year in the actuals (FY{fit.origin} = {fit.origin_value:,.0f} when
# this was written).
base: history
horizon: {horizon}
paths: {d["paths"]}
seed: {d["seed"]}

growth:
{g_note}
  - years: {g["years"]}
{g_lines}

# Year-to-year correlation of growth surprises (Gaussian copula AR(1)).
{pers}
persistence: {_x(d["persistence"])}

levers:
{lv_note}
  - name: {lv["name"]}
    years: {lv["years"]}
{lv_lines}
    description: {_q(lv["description"])}

# Uraan Pakistan: $5B in FY26 and $10B in FY29 (official); $20B by FY30 (industry projection).
targets: uraan

# The current fiscal year combines the months already reported with the growth above
# (docs/nowcast.md).
nowcast: true
"""


def parse_fiscal_year(text: str, *, option: str = "year") -> int:
    """``"FY2017"``, ``"2017"``, ``"FY17"`` or ``"2016-17"`` → 2017 (one parser:
    :func:`simulator.fiscal.parse_year`).

    Raises
    ------
    UserInputError
        For anything else, naming ``option``.
    """
    from simulator.fiscal import parse_year

    try:
        return parse_year(text)
    except ValueError:
        raise UserInputError(
            f"{option}: bad fiscal year '{text}'; write one such as FY2017"
        ) from None


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
    from simulator.present.files import write_file

    try:
        write_file(path, text)
    except OSError as exc:
        raise UserInputError(f"cannot write: {exc.strerror or exc}", file=str(path)) from exc


__all__ = [
    "calibrate",
    "calibrated_scenario",
    "fit_table",
    "parse_fiscal_year",
    "scenario_json",
    "scenario_yaml",
    "write_text",
]
