"""Benchmark of the Monte Carlo engine against the goals in PRODUCT.md ("Non-functional").

Run from the repository root::

    PYTHONPATH=$PWD python bench/engine.py            # full run (about a minute)
    PYTHONPATH=$PWD python bench/engine.py --quick    # smaller grid, no 10M-path RSS run

It prints one table:

(a) ``simulate`` on the reference scenario (baseline growth + a call-centre component, one lever,
    one shock) at 1M paths to FY2030, on all cores and on one thread;
(b) drawing the same number of standard normals with NumPy's default generator, one thread,
    best of 5, and the ratio (goal: simulate <= 1.0x the draw);
(c) scaling over paths and horizons, one thread: time per path-year should be flat (cost
    linear in paths x years);
(d) peak RSS of a fresh process simulating 10M paths (goal <= 1.5 GB), and MB per million paths;
(e) ``python -m simulator --help`` in a fresh process (goal < 0.3 s) and the heavy modules it
    imports (there should be none);
(f) the iid reference question through ``simulate`` and through hand-written NumPy (goal: <= 1.5x);
(g) goal seek and sensitivity on every shipped scenario, before and after "prepare once": before,
    every evaluation re-read the actuals and refitted the nowcast (``simulate(variant)``, which
    prepares), after, one ``prepare`` and every run on the plan (``--prepare-only`` runs just
    this section);
(h) ``run``'s work (simulate + summary) on the iid question against hand-written NumPy and
    squigglepy computing the same summary: seven quantiles and the mean per year, P(hit) per
    target (goal: <= 0.7x each, 1M paths); and the summary alone before/after (np.quantile);
(i) sobol against plain Monte Carlo on the baseline at 16,384 paths over 24 seeds: variance of
    P(FY29 hit) and of the FY29 mean (goal: P(hit) variance >= 4x smaller, unbiased);
(j) wall time to reach a simulation error of 0.1 points on P(FY29 hit), baseline, each sampler;
(k) a target with closed-form P = 2e-5 (lognormal growth, AR(1) 0.5) at 100,000 paths
    (goal: within 25%);
(l) peak RSS of simulate + summary at 10M paths of the reference scenario (goal < 1.0 GB).

squigglepy is in the ``bench`` extra: ``pip install -e '.[bench]'``.

Wall times on a shared machine are noisy: every timing is the best of several runs, and the
conclusions are ratios measured in the same process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.engine.runs import simulate  # noqa: E402
from simulator.engine.streams import cpu_count  # noqa: E402
from simulator.scenario.loader import load_scenario  # noqa: E402
from simulator.scenario.schema import Scenario  # noqa: E402

#: Baseline growth + call-centre components + one lever + one shock; ``{horizon}`` is filled in.
REFERENCE_YAML = """\
name: Bench reference
description: baseline growth, call-centre components, one lever, one shock
base: history
horizon: {horizon}
seed: 2026
growth:
  - years: 2026-2027
    dist: normal
    mean: 0.19
    sd: 0.06
  - years: 2028-{horizon}
    dist: normal
    mean: 0.17
    sd: 0.08
persistence: 0.4
components:
  - name: call_centres
    base: 328
    growth:
      - years: 2026-{horizon}
        dist: lognormal
        mean: 0.10
        sd: 0.05
  - name: rest
    base: rest
correlation: [[1.0, 0.5], [0.5, 1.0]]
levers:
  - name: export_facilitation
    years: 2027-{horizon}
    dist: interval
    low: 0.0
    high: 0.04
shocks:
  - name: global_slowdown
    years: 2026-{horizon}
    probability: 0.1
    impact: {{dist: normal, mean: -0.08, sd: 0.03}}
    recovery: 0.5
targets: uraan
"""

#: The iid reference question: FY2025 base 3,810, growth Normal(0.18, 0.06) for five years.
IID_YAML = """\
name: iid reference
nowcast: false
base: {fiscal_year: 2025, value: 3810}
horizon: 2030
seed: 1
growth:
  - years: 2026-2030
    dist: normal
    mean: 0.18
    sd: 0.06
targets: uraan
"""

HEAVY = ("numpy", "scipy", "scipy.stats", "pydantic", "matplotlib", "statsmodels", "yaml")
GB = 1e9


def load_yaml(text: str) -> Scenario:
    """Load a scenario from a YAML string through a temporary file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        return load_scenario(path)


def reference(horizon: int = 2030) -> Scenario:
    """The reference scenario projected to fiscal year ``horizon``."""
    return load_yaml(REFERENCE_YAML.format(horizon=horizon))


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    """Smallest wall time of ``repeat`` calls, seconds."""
    return timed(fn, repeat)[0]


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Smallest wall time and mean process CPU time (all threads) of ``repeat`` calls, seconds."""
    best = float("inf")
    cpu0 = time.process_time()
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best, (time.process_time() - cpu0) / repeat


def normals_needed(scenario: Scenario, paths: int) -> int:
    """How many standard normals ``simulate`` draws: growth, levers, shocks and the nowcast."""
    from simulator.data.timeline import actuals_for, build_timeline
    from simulator.engine.nowcast import N_SCORES
    from simulator.engine.runs import make_plan

    plan = make_plan(scenario, build_timeline(scenario, actuals_for(scenario)))
    n_years = len(plan.years)
    n_series = len(plan.series)
    per_path = n_series * n_years + len(scenario.levers) + 2 * n_years * len(scenario.shocks)
    if plan.current is not None:  # the drift, and one score per month not yet reported
        per_path += 1 + (N_SCORES - 1 - plan.current.months_observed)
    return paths * per_path


def draw_time(n: int, repeat: int = 5) -> tuple[float, float]:
    """Best wall and mean CPU time to draw ``n`` normals with ``default_rng``, one thread."""
    gen = np.random.default_rng(12345)
    return timed(lambda: gen.standard_normal(n), repeat)


def peak_rss(paths: int) -> tuple[float, float]:
    """Peak RSS (bytes) of a fresh process after imports, and after simulating ``paths``."""
    code = f"""
import resource, sys
sys.path.insert(0, {str(ROOT)!r})
from bench.engine import reference
from simulator.engine.runs import simulate
sc = reference()
simulate(sc, paths=1000, seed=1)
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
before = hwm()
res = simulate(sc, paths={paths}, seed=1)
print(before, hwm())
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    before, after = (float(x) for x in out.stdout.split())
    return before, after


def help_time(repeat: int = 5) -> tuple[float, list[str]]:
    """Best wall time of ``python -m simulator --help``, and the heavy modules it imports."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "simulator", "--help"]

    def once() -> None:
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)

    t = best_of(once, repeat)
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stderr
    imported = {line.split("|")[-1].strip() for line in trace.splitlines() if "|" in line}
    return t, [m for m in HEAVY if m in imported]


def iid_numpy(paths: int, seed: int = 1) -> tuple[float, float, float]:
    """The iid question in the most direct NumPy: P(FY26>=5000), P(FY29>=10000), P(FY30>=20000)."""
    gen = np.random.default_rng(seed)
    gross = gen.standard_normal((paths, 5))
    gross *= 0.06
    gross += 1.18
    level = np.cumprod(gross, axis=1)
    level *= 3810.0
    return (
        float(np.count_nonzero(level[:, 0] >= 5000) / paths),
        float(np.count_nonzero(level[:, 3] >= 10000) / paths),
        float(np.count_nonzero(level[:, 4] >= 20000) / paths),
    )


def iid_simulate(scenario: Scenario, paths: int) -> tuple[float, float, float]:
    """The iid question through :func:`simulate`."""
    res = simulate(scenario, paths=paths, seed=1)
    v = res.values
    return (
        float(np.count_nonzero(v[:, 0] >= 5000) / paths),
        float(np.count_nonzero(v[:, 3] >= 10000) / paths),
        float(np.count_nonzero(v[:, 4] >= 20000) / paths),
    )


def prepare_once(row: Callable[[str, str, str], None], paths: int, repeat: int) -> None:
    """(g): goal seek and sensitivity wall time, the old per-run preparing path against now.

    Before: each of goal seek's evaluations and each of sensitivity's 1 + 2N runs called
    ``simulate(variant)``, which reads the actuals CSV, builds the timeline and fits the
    nowcast. After: one ``prepare`` and every variant prepared ``like`` that plan (no file,
    no refit), as ``goal_seek`` and ``sensitivity`` now do. Both replay the same runs at the
    same paths on the same draws: goal seek's evaluation count at uplifts spread over its
    bracket, and sensitivity's exact variants.
    """
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        _prepare_once_scenario(row, path, paths, repeat)


def _prepare_once_scenario(
    row: Callable[[str, str, str], None], path: Path, paths: int, repeat: int
) -> None:
    from simulator.engine.runs import common_random_numbers, prepare
    from simulator.questions.goalseek import BRACKET, goal_seek, shift_growth
    from simulator.questions.sensitivity import named_inputs

    sc = load_scenario(path)
    target = max(sc.targets, key=lambda t: (t.fiscal_year <= sc.horizon, t.fiscal_year))
    k = goal_seek(sc, target=target, probability=0.5, paths=paths, seed=1, threads=1).evaluations
    seek = [shift_growth(sc, float(d)) for d in np.linspace(BRACKET[0], BRACKET[1], k)]
    base = simulate(sc, paths=paths, seed=1, threads=1)
    resolved = base.scenario  # growth: record resolved, as sensitivity itself varies it
    sens = [resolved] + [v for inp in named_inputs(resolved, base) for v in (inp.low, inp.high)]
    plan = prepare(sc)
    crn = common_random_numbers(plan, paths=paths, seed=1, threads=1)

    def before(variants: list[Scenario]) -> Callable[[], None]:
        def go() -> None:
            for v in variants:
                simulate(v, paths=paths, seed=1, threads=1)  # prepares: reads and refits

        return go

    def after(variants: list[Scenario]) -> Callable[[], None]:
        def go() -> None:
            first = prepare(sc)  # once
            for v in variants:
                crn.simulate(prepare(v, like=first))

        return go

    t_prep = best_of(lambda: prepare(sc), repeat)
    t_like = best_of(lambda: prepare(seek[0], like=plan), repeat)
    row(
        f"(g) prepare {path.stem}: afresh / like a plan",
        f"{t_prep / t_like:.1f}x",
        f"{t_prep * 1e3:.1f} ms reading and fitting, {t_like * 1e3:.2f} ms from the plan",
    )
    for what, variants in (("goal seek", seek), ("sensitivity", sens)):
        t_old, t_new = best_of(before(variants), repeat), best_of(after(variants), repeat)
        row(
            f"(g) {what} {path.stem}, {len(variants)} runs",
            f"{t_old / t_new:.2f}x",
            f"before {t_old:.2f} s, after {t_new:.2f} s ({paths:,} paths, 1 thread)",
        )


QS = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
IID_TARGETS = ((0, 5000.0), (3, 10000.0), (4, 20000.0))


def summary_numpy(paths: int, seed: int = 1) -> tuple[float, ...]:
    """The iid question's summary in hand-written NumPy: quantiles, means, P(hit)."""
    gen = np.random.default_rng(seed)
    gross = gen.standard_normal((paths, 5))
    gross *= 0.06
    gross += 1.18
    level = np.cumprod(gross, axis=1)
    level *= 3810.0
    np.quantile(level, QS, axis=0)
    level.mean(axis=0)
    return tuple(float(np.count_nonzero(level[:, t] >= v) / paths) for t, v in IID_TARGETS)


def summary_squigglepy(paths: int, seed: int = 1) -> tuple[float, ...]:
    """The same summary with squigglepy's sampler and percentiles."""
    import squigglepy as sq

    sq.set_seed(seed)
    growth = sq.norm(mean=0.18, sd=0.06)
    level = np.full(paths, 3810.0)
    out = []
    for t in range(5):
        level = level * (1.0 + np.asarray(sq.sample(growth, n=paths)))
        sq.get_percentiles(level, percentiles=[q * 100 for q in QS])
        float(np.mean(level))
        for tt, v in IID_TARGETS:
            if tt == t:
                out.append(float(np.count_nonzero(level >= v) / paths))
    return tuple(out)


def summary_run(scenario: Scenario, paths: int) -> tuple[float, ...]:
    """What ``simulator run`` computes: simulate, then summary()."""
    s = simulate(scenario, paths=paths, seed=1).summary()
    return tuple(t.p_hit for t in s.targets if t.p_hit is not None)


def sampler_spread(scenario: Scenario, sampler: str, paths: int, seeds: int) -> dict[str, float]:
    """Over seeds: mean and variance of P(FY29 hit), of the FY29 mean, and mean reported se^2."""
    ps, means, se2 = [], [], []
    for seed in range(seeds):
        s = simulate(scenario, paths=paths, seed=seed, sampler=sampler).summary()
        t = next(t for t in s.targets if t.fiscal_year == 2029)
        assert t.p_hit is not None and t.p_hit_se is not None
        ps.append(t.p_hit)
        se2.append(t.p_hit_se**2)
        means.append(next(y.mean for y in s.years if y.fiscal_year == 2029))
    return {
        "p": float(np.mean(ps)),
        "var_p": float(np.var(ps, ddof=1)),
        "se2": float(np.mean(se2)),
        "var_mean": float(np.var(means, ddof=1)),
    }


RARE_YAML = """\
name: rare closed form
nowcast: false
base: {{fiscal_year: 2025, value: 3810}}
horizon: 2029
seed: 5
growth:
  - years: 2026-2029
    dist: lognormal
    mean: 0.18
    sd: 0.07
persistence: 0.5
limits: {{floor: -0.99, cap: 100}}
targets:
  - {{name: rare, fiscal_year: 2029, value: {value}}}
"""


def rare_level(p: float, rho: float = 0.5) -> float:
    """The FY2029 level RARE_YAML's lognormal growth reaches with probability ``p``."""
    import math

    from scipy import stats

    s2 = math.log1p((0.07 / 1.18) ** 2)
    mu = 4 * (math.log1p(0.18) - s2 / 2)
    var = s2 * sum(rho ** abs(i - j) for i in range(4) for j in range(4))
    return 3810 * math.exp(mu + math.sqrt(var) * float(stats.norm.isf(p)))


def peak_rss_run(paths: int) -> float:
    """Peak RSS (bytes) of a fresh process running simulate + summary on ``paths``."""
    code = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from bench.engine import reference
from simulator.engine.runs import simulate
res = simulate(reference(), paths={paths}, seed=1)
res.summary()
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]) * 1024)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(out.stdout.split()[0])


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small grid, skip the 10M RSS run")
    parser.add_argument(
        "--prepare-only", action="store_true", help="only (g), goal seek and sensitivity"
    )
    parser.add_argument(
        "--precision", action="store_true", help="only the precision-per-second rows (h)-(l)"
    )
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))

    if args.prepare_only:
        prepare_once(row, 2_000 if args.quick else 5_000, 1 if args.quick else 3)
        _print(rows)
        return

    cores = cpu_count()
    row("machine", f"{cores} cores", f"numpy {np.__version__}, python {sys.version.split()[0]}")
    row("load average at start", f"{os.getloadavg()[0]:.2f}", "other processes compete if > 0")

    paths = 1_000_000
    if args.precision:
        precision_rows(row, paths, quick=args.quick)
        _print(rows)
        return
    # (a) and (b)
    sc = reference()
    simulate(sc, paths=paths, seed=1)  # warm up: imports, page faults of the first big arrays
    t_sim, cpu_sim = timed(lambda: simulate(sc, paths=paths, seed=1), 5)
    t_sim1 = best_of(lambda: simulate(sc, paths=paths, seed=1, threads=1), 3)
    n_norm = normals_needed(sc, paths)
    t_draw, cpu_draw = draw_time(n_norm)
    row("(a) simulate reference, 1M paths, FY2030", f"{t_sim:.3f} s", f"{cores} threads, best of 5")
    row("(a) same, threads=1", f"{t_sim1:.3f} s", f"{t_sim1 / t_draw:.2f}x the draw")
    row(f"(b) draw {n_norm / 1e6:.0f}M normals, 1 thread", f"{t_draw:.3f} s", "best of 5")
    ok = "met" if t_sim <= t_draw else "MISSED"
    row("(b) ratio simulate / draw (wall)", f"{t_sim / t_draw:.2f}x", f"goal <= 1.0x: {ok}")
    row(
        "(b) ratio of CPU seconds",
        f"{cpu_sim / cpu_draw:.2f}x",
        f"work done; on {cores} idle cores wall ~ {cpu_sim / cpu_draw / cores:.2f}x",
    )
    row("(b) speed-up of all threads over one", f"{t_sim1 / t_sim:.2f}x", f"ideal {cores}x")

    # (c) scaling
    grid_paths = [10_000, 100_000, 1_000_000] + ([] if args.quick else [10_000_000])
    grid_years = [5, 10, 25]
    per: list[float] = []
    for years in grid_years:
        sc_h = reference(2025 + years)
        for n in grid_paths:
            if n * years > 100_000_000:  # 10M x 25 years: 6 GB of results
                continue
            repeat = 5 if n * years <= 5_000_000 else (3 if n < 10_000_000 else 2)
            # One thread: the cost per path-year, not how many cores other processes leave us.
            t = best_of(lambda sc_h=sc_h, n=n: simulate(sc_h, paths=n, seed=1, threads=1), repeat)
            ns = t / (n * years) * 1e9
            if n >= 1_000_000:
                per.append(ns)
            label = f"(c) {n:>10,} paths x {years:>2} yrs, 1 thread"
            row(label, f"{t:.3f} s", f"{ns:.1f} ns/path-year")
    if per:
        spread = f"{max(per) / min(per):.2f}x"
        row("(c) spread of ns/path-year at >= 1M paths", spread, "1.0 = linear")

    # (d) memory
    if not args.quick:
        before, after = peak_rss(10_000_000)
        ok = "met" if after <= 1.5 * GB else "MISSED"
        row("(d) peak RSS, 10M paths reference", f"{after / GB:.2f} GB", f"goal <= 1.5 GB: {ok}")
        row(
            "(d) per million paths (above imports)",
            f"{(after - before) / 10 / 1e6:.0f} MB",
            f"imports + warm-up: {before / 1e6:.0f} MB",
        )

    # (e) --help
    t_help, heavy = help_time()
    ok = "met" if t_help < 0.3 else "MISSED"
    row("(e) python -m simulator --help", f"{t_help:.3f} s", f"goal < 0.3 s: {ok}")
    row("(e) heavy modules imported by --help", ", ".join(heavy) or "none", ", ".join(HEAVY))

    # (f) the iid question
    iid = load_yaml(IID_YAML)
    p_sim = iid_simulate(iid, paths)
    p_np = iid_numpy(paths)
    t_fsim = best_of(lambda: iid_simulate(iid, paths), 5)
    t_fnp = best_of(lambda: iid_numpy(paths), 5)
    row("(f) iid via simulate, 1M paths", f"{t_fsim:.3f} s", "P = " + _ps(p_sim))
    row("(f) iid via hand-written NumPy", f"{t_fnp:.3f} s", "P = " + _ps(p_np))
    ok = "met" if t_fsim <= 1.5 * t_fnp else "MISSED"
    row("(f) ratio simulate / NumPy", f"{t_fsim / t_fnp:.2f}x", f"goal <= 1.5x: {ok}")

    # (g) prepare once
    prepare_once(row, 2_000 if args.quick else 5_000, 1 if args.quick else 3)

    # (h)-(l) precision per second
    precision_rows(row, paths, quick=args.quick)
    _print(rows)


def precision_rows(row: Callable[..., None], paths: int, *, quick: bool) -> None:
    """Rows (h)-(l): run vs peers, sobol vs mc, time to a precision, rare target, memory."""
    import math

    from simulator.stats.targets import QUANTILES

    # (h) run vs peers
    iid = load_yaml(IID_YAML)
    summary_run(iid, paths)
    t_run = best_of(lambda: summary_run(iid, paths), 5)
    t_np = best_of(lambda: summary_numpy(paths), 5)
    try:
        t_sq: float | None = best_of(lambda: summary_squigglepy(paths), 5)
    except ImportError:
        t_sq = None
    res = simulate(iid, paths=paths, seed=1)
    t_sum = best_of(res.summary, 5)
    t_q = best_of(lambda: np.quantile(res.values, QUANTILES, axis=0), 5)
    row("(h) run (simulate + summary), iid, 1M", f"{t_run:.3f} s", f"summary alone {t_sum:.3f} s")
    row("(h) hand-written NumPy summary", f"{t_np:.3f} s", "")
    ok = "met" if t_run <= 0.7 * t_np else "MISSED"
    row("(h) ratio run / NumPy", f"{t_run / t_np:.2f}x", f"goal <= 0.7x: {ok}")
    if t_sq is not None:
        ok = "met" if t_run <= 0.7 * t_sq else "MISSED"
        row("(h) squigglepy summary", f"{t_sq:.3f} s", "")
        row("(h) ratio run / squigglepy", f"{t_run / t_sq:.2f}x", f"goal <= 0.7x: {ok}")
    else:
        row("(h) squigglepy", "not installed", "pip install -e '.[bench]'")
    row("(h) np.quantile of the 1M x 5 matrix (old)", f"{t_q:.3f} s", "the summary used it")
    # (i) sobol vs mc at equal paths, baseline
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    n, seeds = 16_384, 8 if quick else 24
    mc = sampler_spread(base, "mc", n, seeds)
    qmc = sampler_spread(base, "sobol", n, seeds)
    ratio = mc["var_p"] / qmc["var_p"]
    ok = "met" if ratio >= 4 else "MISSED"
    row("(i) var P(FY29), mc, 16,384 paths", f"{mc['var_p']:.3g}", f"mean P {mc['p']:.5f}")
    row(
        "(i) var P(FY29), sobol",
        f"{qmc['var_p']:.3g}",
        f"mean P {qmc['p']:.5f}; mean reported se^2 {qmc['se2']:.3g}",
    )
    row("(i) variance reduction on P(FY29)", f"{ratio:.1f}x", f"goal >= 4x: {ok}; {seeds} seeds")
    diff_se = math.sqrt((mc["var_p"] + qmc["var_p"]) / seeds)
    row(
        "(i) bias check sobol - mc",
        f"{qmc['p'] - mc['p']:+.5f}",
        f"{abs(qmc['p'] - mc['p']) / diff_se:.1f} se of the difference",
    )
    row("(i) variance reduction on the FY29 mean", f"{mc['var_mean'] / qmc['var_mean']:.1f}x", "")
    # (j) wall time to a 0.1-point error on P(FY29)
    goal = 0.001
    for kind, spread in (("mc", mc), ("sobol", qmc)):
        need = math.ceil(spread["var_p"] * n / goal**2)
        if kind == "sobol":
            need = -(-need // 1024) * 1024
        simulate(base, paths=need, seed=99, sampler=kind).summary()
        t0 = time.perf_counter()
        s = simulate(base, paths=need, seed=100, sampler=kind).summary()
        wall = time.perf_counter() - t0
        se = next(t for t in s.targets if t.fiscal_year == 2029).p_hit_se
        assert se is not None
        row(
            f"(j) time to se 0.1 pt on P(FY29), {kind}",
            f"{wall:.3f} s",
            f"{need:,} paths; reported se {se * 100:.3f} pt",
        )
    # (k) rare target
    p_true = 2e-5
    rare = load_yaml(RARE_YAML.format(value=rare_level(p_true)))
    t0 = time.perf_counter()
    t = simulate(rare, paths=100_000).summary().targets[0]
    wall = time.perf_counter() - t0
    assert t.p_hit is not None
    err = t.p_hit / p_true - 1
    ok = "met" if abs(err) <= 0.25 else "MISSED"
    row(
        "(k) closed-form P = 2e-5 at 100,000 paths",
        f"{t['p_hit']:.3g}",
        f"{err:+.1%} off, se {t['p_hit_se']:.2g}, {t['estimator']}, {wall:.2f} s; goal 25%: {ok}",
    )
    # (l) memory of run at 10M
    if not quick:
        peak = peak_rss_run(10_000_000)
        ok = "met" if peak < 1.0 * GB else "MISSED"
        row("(l) peak RSS simulate + summary, 10M", f"{peak / GB:.2f} GB", f"goal < 1.0 GB: {ok}")
    row("load average at end", f"{os.getloadavg()[0]:.2f}", "")


def _print(rows: list[tuple[str, str, str]]) -> None:
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    print(f"{'measure':<{w0}}  {'value':>{w1}}  note")
    print("-" * (w0 + w1 + 40))
    for name, value, note in rows:
        print(f"{name:<{w0}}  {value:>{w1}}  {note}")


def _ps(p: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.4f}" for x in p) + " (FY26>=5k, FY29>=10k, FY30>=20k)"


if __name__ == "__main__":
    main()
