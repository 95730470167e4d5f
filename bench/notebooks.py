"""Time each notebook in ``notebooks/`` executed top to bottom, against the 30 s goal (issue 17).

Run from the repository root::

    .venv/bin/python bench/notebooks.py            # every notebook
    .venv/bin/python bench/notebooks.py 04         # the notebooks whose names start with 04

Each notebook runs on a fresh ``python3`` kernel with nbclient, as ``tests/test_notebooks.py``
runs it (the test checks that it runs; this script says how long it took). The time includes
starting the kernel and importing the package, which a reader pays too. It prints seconds per
notebook and the ratio to the goal (<= 1.00 meets it), with the load average, since wall times
on a shared machine are noisy. Nothing is written: the committed notebooks stay without
outputs.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
#: Seconds per notebook that issue 17 asks for.
GOAL_SECONDS = 30.0


def run(path: Path) -> float:
    """Execute the notebook at ``path`` on a new kernel; wall seconds."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("prefix", nargs="*", help="run only notebooks whose names start with these")
    args = ap.parse_args()
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if args.prefix:
        paths = [p for p in paths if any(p.name.startswith(x) for x in args.prefix)]
    load = os.getloadavg()[0]
    print(f"load average {load:.2f} on {os.cpu_count()} cores; goal {GOAL_SECONDS:g} s a notebook")
    print(f"{'notebook':<32} {'seconds':>8} {'/ goal':>7}")
    total = 0.0
    for path in paths:
        seconds = run(path)
        total += seconds
        ok = "" if seconds <= GOAL_SECONDS else "  over the goal"
        print(f"{path.name:<32} {seconds:8.1f} {seconds / GOAL_SECONDS:7.2f}{ok}")
    print(f"{'all':<32} {total:8.1f}")
    print(f"load average {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
