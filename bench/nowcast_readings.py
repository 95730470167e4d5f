"""The current year under each reading of where the year starts (docs/nowcast.md).

Prints, for the prior alone (``nowcast: false``), the anchored reading, the flat reading and
the shipped equal mixture: the months' signal ``Y`` (mean ± sd), the weight on the prior, the
year's 10/50/90% quantiles, what the remaining months imply on the same months a year
earlier, and P(FY2026 >= $5,000M).

    python bench/nowcast_readings.py [SCENARIO] [--actuals CSV] [--paths 100000] [--seed 2026]

SCENARIO defaults to scenarios/baseline.yaml; --actuals replaces its monthly actuals (a new
month of SBP data), so the range of the two readings can be quoted with the latest numbers.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import simulator
from simulator.engine import nowcast, runs

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml"


@contextmanager
def readings(values: tuple[float, ...]) -> Iterator[None]:
    """Make the engine condition with ``values`` instead of :data:`LEVEL_READINGS`."""
    original = runs.condition
    runs.condition = functools.partial(nowcast.condition, readings=values)
    try:
        yield
    finally:
        runs.condition = original


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default=str(BASELINE))
    ap.add_argument("--actuals", default=None, help="CSV of monthly actuals (month,usd_million)")
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    sc = simulator.load_scenario(args.scenario)
    cases: list[tuple[str, object, tuple[float, ...]]] = [
        ("prior only (nowcast: false)", sc.model_copy(update={"nowcast": False}), ()),
        ("anchored reading", sc, (0.0,)),
        ("flat reading", sc, (nowcast.FLAT_LEVEL_VAR,)),
        ("both, equal mixture (shipped)", sc, nowcast.LEVEL_READINGS),
    ]
    year = int(runs.prepare(sc, actuals=args.actuals).years[0])  # the first projected year
    level = next(
        (t.value for t in sc.targets if t.fiscal_year == year and t.component is None), None
    )
    fy = f"FY{year % 100:02d}"
    print(f"{sc.name}, FY{year}, {args.paths:,} paths, seed {args.seed}")
    print(
        "| | Y (months' signal) | w on prior | 10% | 50% | 90% | rest of year vs a year "
        f"earlier (median) | P({fy} >= {level or 0:,.0f}) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, scenario, values in cases:
        with readings(values or nowcast.LEVEL_READINGS):
            plan = runs.prepare(scenario, actuals=args.actuals)  # type: ignore[arg-type]
            res = runs.simulate(plan, paths=args.paths, seed=args.seed)
        total = res.values[:, 0]
        q10, q50, q90 = np.quantile(total, [0.1, 0.5, 0.9])
        p = float(np.mean(total >= level)) if level is not None else float("nan")
        se = float(np.sqrt(p * (1 - p) / total.size))
        nm = plan.nowcast_model
        cy = plan.current
        signal = "—" if nm is None else f"{nm.signal_mean:,.0f} ± {nm.signal_sd:,.0f}"
        weight = "1 (prior)" if nm is None else f"{nm.weight:.2f}"
        rest = "—"
        if cy is not None:
            k = cy.months_observed
            rest = f"{(q50 - cy.observed_total) / cy.last_year[k:].sum() - 1:+.1%}"
        print(
            f"| {label} | {signal} | {weight} | {q10:,.0f} | {q50:,.0f} | {q90:,.0f} | {rest} "
            f"| {p:.1%} (± {1.96 * se:.1%}) |"
        )


if __name__ == "__main__":
    main()
