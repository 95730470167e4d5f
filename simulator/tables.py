"""Plain-text tables and sentences for the terminal and for briefs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _pct(p: float | None, digits: int = 0) -> str:
    if p is None:
        return "n/a"
    if 0 < p < 0.005 and digits == 0:
        return "<1%"
    if 0.995 < p < 1 and digits == 0:
        return ">99%"
    return f"{p:.{digits}%}"


def _money(x: float | None) -> str:
    if x is None:
        return "n/a"
    sign = "-" if x < 0 else ""
    return f"{sign}${abs(x):,.0f}M"


def target_table(summary: Mapping[str, Any]) -> str:
    """The target table printed by ``simulator run``: one row per target."""
    sc = summary["scenario"]
    run = summary["run"]
    base = summary["base"]
    lines = [
        f"{sc['name']}  ({run['paths']:,} paths, seed {run['seed']}, data to "
        f"{run['data_vintage']}; base FY{base['fiscal_year'] % 100:02d} "
        f"= {_money(base['value'])})",
        "",
    ]
    header = (
        f"{'Target':<26} {'FY':>4} {'Level':>9} {'P(hit)':>7} {'95% CI':>13} "
        f"{'Median':>9} {'Median gap':>11} {'Needs/yr':>9}"
    )
    lines += [header, "-" * len(header)]
    for t in summary["targets"]:
        ci = t["p_hit_ci95"]
        ci_text = f"{ci[0]:.1%}-{ci[1]:.1%}" if ci else "n/a"
        cagr = t["required_cagr"]
        lines.append(
            f"{t['name'][:26]:<26} {t['fiscal_year']:>4} {_money(t['value']):>9} "
            f"{_pct(t['p_hit']):>7} {ci_text:>13} {_money(t['p50']):>9} "
            f"{_money(t['p50_gap']):>11} {(_pct(cagr, 1) if cagr is not None else 'n/a'):>9}"
        )
    p_all = summary.get("p_all_targets")
    lines += ["", f"Chance of hitting every target: {_pct(p_all)}"]
    if "current_year" in summary:
        lines.append(current_year_sentence(summary["current_year"]))
    lines.append("'Needs/yr' is the constant annual growth from the base that reaches the target.")
    return "\n".join(lines)


def current_year_sentence(cy: Mapping[str, Any]) -> str:
    """One plain sentence on where the current fiscal year is heading."""
    fy = cy["fiscal_year"]
    k = cy["months_observed"]
    text = (
        f"FY{fy % 100:02d} so far: {k} months, {_money(cy['observed_total'])}; "
        f"full year heading for {_money(cy['full_year']['p50'])} "
        f"(80% range {_money(cy['full_year']['p10'])}-{_money(cy['full_year']['p90'])})."
    )
    for need in cy.get("needed_run_rate", []):
        text += (
            f" {need['name']} needs {_money(need['per_month'])}/month for the remaining "
            f"{12 - k} months."
        )
    return text
