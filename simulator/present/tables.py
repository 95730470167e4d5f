"""Plain-text tables and sentences for the terminal and for briefs."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


def _pct(p: float | None, digits: int = 0) -> str:
    if p is None:
        return "n/a"
    if 0 < p < 0.005 and digits == 0:
        return "<1%"
    if 0.995 < p < 1 and digits == 0:
        return ">99%"
    return f"{p:.{digits}%}"


def probability_text(
    p: float | None,
    *,
    estimate: bool = False,
    hits: int | None = None,
    paths: int | None = None,
) -> str:
    """A probability for tables, charts and briefs (the one rule they all use).

    One decimal below 10% and above 90%, whole percent between; below 0.1% or above 99.9% as
    many decimals as show two significant digits of ``p`` (or of ``1 - p``): "0.0021%",
    "99.9987%", never "<0.1%". ``estimate`` marks a simulated share: given its ``hits`` of
    ``paths``, 0 or all hits read as the exact one-sided 95% Clopper-Pearson bound,
    "below 0.003% (95% upper bound, 0 of 100,000 paths)" (``1 - 0.05**(1/n)``) or "above
    99.997% (95% lower bound, 100,000 of 100,000 paths)" (``0.05**(1/n)``). Otherwise (an
    interval's end point, an observed outcome) 0 and 1 read "0%" and "100%".
    """
    if p is None:
        return "n/a"
    if estimate and paths and hits is not None and hits in (0, paths):
        n = int(paths)
        if hits == 0:
            return f"below {_fine_pct(1.0 - 0.05 ** (1.0 / n))} (95% upper bound, 0 of {n:,} paths)"
        return f"above {_fine_pct(0.05 ** (1.0 / n))} (95% lower bound, {n:,} of {n:,} paths)"
    if p == 0 or p == 1:
        return f"{p:.0%}"
    if p < 0.001 or p > 0.999:
        return _fine_pct(p)
    return f"{p:.1%}" if p < 0.1 or p > 0.9 else f"{p:.0%}"


def _fine_pct(p: float) -> str:
    """A percentage with two significant digits of ``p`` or of ``1 - p``, whichever is small."""
    small = min(p, 1.0 - p)
    if small <= 0:
        return f"{p:.0%}"
    decimals = max(1, 1 - math.floor(math.log10(small * 100.0)))
    return f"{p * 100.0:.{decimals}f}%"


def hit_text(target: Mapping[str, Any]) -> str:
    """A target's P(hit) from its ``summary.json`` entry, by :func:`probability_text`.

    A share of plain paths with 0 or all hits reads as its bound (``p_hit_bound``); any other
    estimate (including importance sampling's, ``estimator: importance``) as its number.
    """
    bound = target.get("p_hit_bound")
    if target.get("estimator") == "paths" and bound:
        return probability_text(
            target["p_hit"], estimate=True, hits=bound["hits"], paths=bound["paths"]
        )
    return probability_text(target.get("p_hit"), estimate=True)


def every_target_text(summary: Mapping[str, Any]) -> str:
    """The "Chance of hitting every target" line: scoped to the horizon, certain if one missed."""
    p_all = summary.get("p_all_targets")
    horizon = summary["years"][-1]["fiscal_year"]
    beyond = any(t["status"] == "beyond horizon" for t in summary["targets"])
    scope = f" up to FY{horizon % 100:02d}" if beyond else ""
    missed = [t for t in summary["targets"] if t["status"] == "observed" and not t["p_hit"]]
    if missed:  # certain, not estimated: a target already reported as missed
        names = ", ".join(f"FY{t['fiscal_year'] % 100:02d}" for t in missed)
        every = f"0% ({names} already missed)"
    else:
        n = summary["run"]["paths"]
        hits = None if p_all is None else round(p_all * n)
        every = probability_text(p_all, estimate=True, hits=hits, paths=n)
    return f"Chance of hitting every target{scope}: {every}"


def _prob(p: float | None) -> str:
    return probability_text(p, estimate=True)


def interval_text(ci: Sequence[float] | None, sep: str = "-") -> str:
    """A 95% interval, "2.1%-2.4%"; its end points are bounds, not estimates."""
    if not ci:
        return "n/a"
    return f"{probability_text(ci[0])}{sep}{probability_text(ci[1])}"


def _money(x: float | None) -> str:
    if x is None:
        return "n/a"
    sign = "-" if x < 0 else ""
    return f"{sign}${abs(x):,.0f}M"


def _seed(run: Mapping[str, Any]) -> str:
    """The seed as a reader can replay it: an unseeded run shows its fresh entropy."""
    if run.get("seed") is None:
        return f"{run['seed_entropy']} (fresh entropy; --seed replays it)"
    return str(run["seed"])


def target_table(summary: Mapping[str, Any]) -> str:
    """The target table printed by ``simulator run``: one row per target."""
    sc = summary["scenario"]
    run = summary["run"]
    base = summary["base"]
    lines = [
        f"{sc['name']}  ({run['paths']:,} paths, seed {_seed(run)}, data to "
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
        ci_text = interval_text(ci)
        p_text = hit_text(t)
        if t["status"] == "observed":  # already reported: the actual, not a probability
            p_text = "met" if t["p_hit"] else "missed"
            ci_text = "(actual)"
        cagr = t["required_cagr"]
        lines.append(
            f"{t['name'][:26]:<26} {t['fiscal_year']:>4} {_money(t['value']):>9} "
            f"{p_text:>7} {ci_text:>13} {_money(t['p50']):>9} "
            f"{_money(t['p50_gap']):>11} {(_pct(cagr, 1) if cagr is not None else 'n/a'):>9}"
        )
    lines += ["", every_target_text(summary)]
    if "current_year" in summary:
        lines.append(current_year_sentence(summary["current_year"]))
    lines += _assumption_lines(summary)
    lines.append("'Needs/yr' is the constant annual growth from the base that reaches the target.")
    return "\n".join(lines)


def _assumption_lines(summary: Mapping[str, Any]) -> list[str]:
    """Components, shocks and binding limits, one plain line each (only when present)."""
    out: list[str] = []
    comps = summary.get("components") or {}
    if comps:
        last = summary["years"][-1]["fiscal_year"]
        parts = [
            f"{name.replace('_', ' ')} {_money(rows[-1]['p50'])}" for name, rows in comps.items()
        ]
        out.append(f"Components in FY{last % 100:02d} (medians): " + ", ".join(parts) + ".")
    for name, by_year in (summary.get("shocks") or {}).items():
        hits = {int(y): p for y, p in by_year.items() if p > 0}
        if hits:
            years = ", ".join(f"FY{y % 100:02d} {_prob(p)}" for y, p in sorted(hits.items()))
            out.append(f"Shock '{name}' struck in: {years} of paths.")
    limits = summary.get("limits") or {}
    for key, word in (("floor_binds", "floor"), ("cap_binds", "cap")):
        share = max((limits.get(key) or {"": 0.0}).values())
        if share > 0:
            out.append(
                f"The growth {word} ({limits[word]:+.0%}) bound in up to {_prob(share)} of "
                "paths in a year."
            )
    return out


def current_year_sentence(cy: Mapping[str, Any]) -> str:
    """One plain sentence on where the current fiscal year is heading."""
    fy = cy["fiscal_year"]
    k = cy["months_observed"]
    text = (
        f"FY{fy % 100:02d} so far: {_months(k)}, {_money(cy['observed_total'])}; "
        f"full year heading for {_money(cy['full_year']['p50'])} "
        f"(80% range {_money(cy['full_year']['p10'])}-{_money(cy['full_year']['p90'])})."
    )
    for need in cy.get("needed_run_rate", []):
        rest = "month" if k == 11 else f"{12 - k} months"
        text += f" {need['name']} needs {_money(need['per_month'])}/month for the remaining {rest}."
    return text


def _months(n: int) -> str:
    return "1 month" if n == 1 else f"{n} months"


def _pp(x: float | None, digits: int = 1) -> str:
    """A difference of probabilities in percentage points: +3.2 pp."""
    if x is None:
        return "n/a"
    return f"{x * 100:+.{digits}f} pp"


def comparison_table(comparison: Mapping[str, Any]) -> str:
    """The table printed by ``simulator compare``: P(hit) per target and scenario, with the
    paired difference from the first scenario and its standard error."""
    run = comparison["run"]
    first = comparison["scenarios"][0]["label"]
    lines = [
        f"{len(comparison['scenarios'])} scenarios on common random numbers "
        f"({run['paths']:,} paths, seed {_seed(run)}, data to {run['data_vintage']})",
        "",
    ]
    width = max([len(s["label"]) for s in comparison["scenarios"]] + [8])
    width = min(width, 32)
    header = f"{'Scenario':<{width}} {'P(hit)':>7} {'95% CI':>13} {'vs first':>10} {'(s.e.)':>10}"
    for t in comparison["targets"]:
        lines += [f"{t['name']} ({_money(t['value'])} in FY{t['fiscal_year'] % 100:02d})", header]
        lines.append("-" * len(header))
        for r in t["results"]:
            ci = r["p_hit_ci95"]
            ci_text = interval_text(ci)
            se = f"({r['diff_se'] * 100:.2f} pp)" if r["diff_se"] is not None else ""
            lines.append(
                f"{r['scenario'][:width]:<{width}} {_prob(r['p_hit']):>7} {ci_text:>13} "
                f"{_pp(r['diff'], 2):>10} {se:>10}"
            )
        lines.append("")
    lines.append(
        f"'vs first' is the difference from {first!r} on the same random draws; its standard "
        "error is sd(per-path hit difference)/sqrt(paths)."
    )
    return "\n".join(lines)


def required_growth_table(required: Mapping[str, Any], track: Mapping[str, Any]) -> str:
    """The table printed by ``simulator required-growth``."""
    base = required["base"]
    rec = required["record"]
    windows = rec["windows"]
    lines = [
        f"Growth needed from FY{base['fiscal_year'] % 100:02d} = {_money(base['value'])}, "
        "against the record",
        "",
    ]
    header = f"{'Target':<24} {'FY':>4} {'Level':>9} {'x base':>6} {'Needs/yr':>9}"
    for w in windows:
        header += f" {'ratio ' + w['label']:>17}"
    header += "  category"
    lines += [header, "-" * len(header)]
    for r in required["targets"]:
        line = (
            f"{r['name'][:24]:<24} {r['fiscal_year']:>4} {_money(r['value']):>9} "
            f"{r['multiple']:>6.2f} {_pct(r['required_cagr'], 1):>9}"
        )
        for p in r["progress"]:
            ratio = "n/a" if p["ratio"] is None else f"{p['ratio']:.2f}"
            line += f" {ratio:>17}"
        line += f"  {r['progress'][0]['category'] if r['progress'] else ''}"
        lines.append(line)
    best, worst = rec["best_year"], rec["worst_year"]
    lines += [
        "",
        "Record: "
        + "; ".join(f"{w['label']} {_pct(w['cagr'], 1)} a year" for w in windows)
        + f"; best year FY{best['fiscal_year'] % 100:02d} {_pct(best['growth'], 1)}, "
        f"worst FY{worst['fiscal_year'] % 100:02d} {_pct(worst['growth'], 1)}.",
        "Progress ratio = record CAGR / required CAGR (UN ESCAP / Open SDG method); category "
        f"from the {windows[0]['label']} ratio: on track >= 0.95, acceleration needed >= 0.60, "
        "limited progress >= 0, else moving away.",
        "",
        f"Official targets since 2016 met: {track['met']} of {track['total']}",
    ]
    for t in track["targets"]:
        verdict = "met" if t["hit"] else f"missed by {abs(t['gap']):.0%}"
        lines.append(
            f"  FY{t['fiscal_year'] % 100:02d}: target {_money(t['value'])} (set "
            f"{t['date_stated']}), actual {_money(t['actual'])}: {verdict}"
        )
    return "\n".join(lines)


def goal_seek_text(result: Mapping[str, Any]) -> str:
    """What ``simulator goal-seek`` prints: the uplift, the growth path, the P(hit) reached."""
    t = result["target"]
    what = f"lever '{result['lever']}'" if result["lever"] else "every year's growth"
    lines = [
        f"Goal: P(hit) {_pct(result['probability'])} for {t['name']} "
        f"({_money(t['value'])} in FY{t['fiscal_year'] % 100:02d})",
        f"Uplift to {what}: {result['uplift'] * 100:+.2f} points a year",
        f"P(hit) reached: {_pct(result['p_hit'], 1)} (was {_pct(result['p_hit_before'], 1)}; "
        f"{result['paths']:,} paths, seed {result['seed']}, {result['evaluations']} runs on "
        "the same random draws)",
        "",
        f"{'FY':>6} {'median growth before':>21} {'after':>8}",
    ]
    for y, b, a in zip(
        result["years"], result["median_growth_before"], result["median_growth"], strict=True
    ):
        lines.append(f"{'FY' + str(y % 100).zfill(2):>6} {_pct(b, 1):>21} {_pct(a, 1):>8}")
    return "\n".join(lines)
