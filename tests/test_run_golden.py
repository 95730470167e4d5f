"""Golden outputs: ``summary.json``, ``quantiles.csv`` and ``targets.csv`` of every shipped
scenario, for a fixed seed and path count.

A refactor must leave these unchanged. A change that is meant to move the numbers (a new
method, a fixed divergence) regenerates them on purpose, and its commit says why::

    SIMULATOR_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_run_golden.py

On the machine that wrote them the files are byte-identical. Another processor rounds the last
bits of some arithmetic differently (its BLAS kernels, numpy's SIMD paths), so the comparison
is exact for every key, string, integer and layout, and for floats within a relative 1e-9:
six orders of magnitude above that arithmetic noise and far below any change of method. (The
nowcast's fitted variances, which used to move by 1e-4 between machines, are rounded to
:data:`simulator.engine.seasonal.FIT_DIGITS` significant digits for this reason.)
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from simulator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
FILES = ("summary.json", "quantiles.csv", "targets.csv")
RTOL = 1e-9


def differences(got: Any, want: Any, where: str = "") -> list[str]:
    """Where ``got`` differs from ``want``: exactly, except floats within :data:`RTOL`."""
    if isinstance(want, dict) and isinstance(got, dict):
        if list(got) != list(want):
            return [f"{where}: keys {list(got)} != {list(want)}"]
        return [d for k in want for d in differences(got[k], want[k], f"{where}.{k}")]
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return [f"{where}: length {len(got)} != {len(want)}"]
        return [
            d
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for d in differences(g, w, f"{where}[{i}]")
        ]
    if isinstance(want, float) and isinstance(got, float):
        if math.isclose(got, want, rel_tol=RTOL, abs_tol=1e-300) or got == want:
            return []
        return [f"{where}: {got!r} != {want!r}"]
    return [] if (type(got), got) == (type(want), want) else [f"{where}: {got!r} != {want!r}"]


def _cells(text: str) -> list[list[Any]]:
    """CSV rows with every cell that reads as a float made one (others stay strings)."""

    def cell(c: str) -> Any:
        try:
            return float(c) if any(ch in c for ch in ".eE") else c
        except ValueError:
            return c

    return [[cell(c) for c in row] for row in csv.reader(io.StringIO(text))]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_outputs_match_the_goldens(
    scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # summary.json records the file as given on the command line
    out = tmp_path / scenario.stem
    args = ["run", f"scenarios/{scenario.name}", "--paths", "3000", "--seed", "11"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in FILES:
        got = (out / name).read_bytes()
        want_file = GOLDEN / scenario.stem / name
        if os.environ.get("SIMULATOR_REGEN_GOLDEN"):
            want_file.parent.mkdir(parents=True, exist_ok=True)
            want_file.write_bytes(got)
        want = want_file.read_bytes()
        if got == want:
            continue
        g, w = got.decode("utf-8"), want.decode("utf-8")
        if name.endswith(".json"):
            diff = differences(json.loads(g), json.loads(w))
        else:
            diff = differences(_cells(g), _cells(w))
        assert not diff, f"{scenario.stem}/{name} changed:\n" + "\n".join(diff[:20])


def test_the_comparison_catches_a_change_and_forgives_the_last_bits() -> None:
    want = {"p": [0.25, 4660.73610579928], "name": "x", "n": 3}
    assert (
        differences({"p": [0.25, 4660.73610579928 * (1 + 1e-13)], "name": "x", "n": 3}, want) == []
    )
    assert differences({"p": [0.25, 4660.7361], "name": "x", "n": 3}, want)
    assert differences({"p": [0.25, 4660.73610579928], "name": "y", "n": 3}, want)
    assert differences({"p": [0.25, 4660.73610579928], "name": "x", "n": 3.0}, want)
    assert differences({"name": "x", "p": [0.25, 4660.73610579928], "n": 3}, want)
