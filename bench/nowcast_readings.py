"""FY2026 on the baseline under each reading of where the year starts (docs/nowcast.md).

Prints, for the prior alone (``nowcast: false``), the anchored reading, the flat reading and
the shipped equal mixture: the months' signal ``Y`` (mean ± sd), the weight on the prior, the
year's 10/50/90% quantiles, what the remaining months imply on the same months a year
earlier, and P(FY2026 >= $5,000M).

    python bench/nowcast_readings.py [--paths 100000] [--seed 2026]
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
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    sc = simulator.load_scenario(BASELINE)
    cases: list[tuple[str, object, tuple[float, ...]]] = [
        ("prior only (nowcast: false)", sc.model_copy(update={"nowcast": False}), ()),
        ("anchored reading", sc, (0.0,)),
        ("flat reading", sc, (nowcast.FLAT_LEVEL_VAR,)),
        ("both, equal mixture (shipped)", sc, nowcast.LEVEL_READINGS),
    ]
    print(f"baseline, FY2026, {args.paths:,} paths, seed {args.seed}")
    print(
        "| | Y (months' signal) | w on prior | 10% | 50% | 90% | rest of year vs a year "
        "earlier (median) | P(FY26 >= 5,000) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, scenario, values in cases:
        with readings(values or nowcast.LEVEL_READINGS):
            plan = runs.prepare(scenario)  # type: ignore[arg-type]
            res = runs.simulate(plan, paths=args.paths, seed=args.seed)
        total = res.values[:, 0]
        q10, q50, q90 = np.quantile(total, [0.1, 0.5, 0.9])
        p = float(np.mean(total >= 5000.0))
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
