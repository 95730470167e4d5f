"""Benchmark of ``simulator sweep`` on its executors, against the goals of issue 14.

Run from the repository root::

    PYTHONPATH=$PWD python bench/sweep.py            # 200 points x 100k paths (a few minutes)
    PYTHONPATH=$PWD python bench/sweep.py --quick    # 40 points x 20k paths

The same sweep (a 20 x 10 grid over ``growth[0].mean`` and ``persistence`` of an explicit-growth
scenario, one seed for every point) runs on:

(a) one worker process, (b) two worker processes, (c) a 2-worker Dask LocalCluster.

Each executor is started and warmed up (a few small points per worker: imports, first calls)
before the clock starts; the start-up is printed separately. It prints the speed-up of (b) over
(a) (goal >= 1.7x) and the Dask overhead (c) / (b) (goal <= 1.25x), checks that the three
sweep.csv texts are identical, and prints the parent's and the workers' peak RSS (the parent
keeps only hit counts and medians, so its memory does not grow with points).

Wall times on a shared machine are noisy: the load average is printed with the numbers, and
the conclusions are ratios from one process.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCENARIO = """\
name: Bench sweep
base: history
horizon: 2030
seed: 2026
growth:
  - years: 2026-2027
    dist: normal
    mean: 0.19
    sd: 0.06
  - years: 2028-2030
    dist: normal
    mean: 0.17
    sd: 0.08
persistence: 0.4
targets: uraan
"""


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 points x 20k paths")
    args = parser.parse_args()

    from simulator.engine.executors import DaskExecutor, Executor, ProcessExecutor
    from simulator.questions.sweep import Vary, sweep, sweep_csv
    from simulator.scenario.loader import load_scenario

    n_mean, n_pers, paths = (8, 5, 20_000) if args.quick else (20, 10, 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(SCENARIO, encoding="utf-8")
        sc = load_scenario(path)
        varies = [Vary("growth[0].mean", 0.10, 0.30, n_mean), Vary("persistence", 0.0, 0.9, n_pers)]
        warm = [Vary("growth[0].mean", 0.10, 0.30, 8)]  # every worker gets some
        makers: list[tuple[str, type[Executor], dict[str, object]]] = [
            ("1 process", ProcessExecutor, {"workers": 1}),
            ("2 processes", ProcessExecutor, {"workers": 2}),
            ("Dask LocalCluster, 2 workers", DaskExecutor, {"scheduler": "local", "workers": 2}),
        ]
        print(
            f"sweep: {n_mean * n_pers} points x {paths:,} paths, cores {os.cpu_count()}, "
            f"load average at start {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
            f"{os.getloadavg()[2]:.2f} (shared machine)"
        )
        times: dict[str, float] = {}
        texts: dict[str, str] = {}
        for name, cls, kw in makers:
            t0 = time.perf_counter()
            ex = cls(**kw)  # type: ignore[arg-type]
            try:
                sweep(sc, warm, paths=1_000, executor=ex)
                start = time.perf_counter() - t0
                t1 = time.perf_counter()
                res = sweep(sc, varies, paths=paths, executor=ex)
                times[name] = time.perf_counter() - t1
            finally:
                ex.close()
            texts[name] = sweep_csv(res)
            print(
                f"  {name:<30} {times[name]:7.1f} s  ({times[name] / len(res.points) * 1e3:6.0f} "
                f"ms/point; start-up and warm-up {start:4.1f} s)"
            )
        one, two, dask = (times[m[0]] for m in makers)
        print(f"speed-up, 2 processes over 1: {one / two:.2f}x (goal >= 1.7x)")
        print(f"Dask overhead, LocalCluster / 2 processes: {dask / two:.2f}x (goal <= 1.25x)")
        same = len(set(texts.values())) == 1
        print(f"sweep.csv identical on all three: {'yes' if same else 'NO'}")
        print(
            f"peak RSS: parent {_rss_mb(resource.RUSAGE_SELF):.0f} MB, largest worker "
            f"{_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB"
        )
        print(f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
