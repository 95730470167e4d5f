"""Golden outputs: ``summary.json``, ``quantiles.csv`` and ``targets.csv`` of every shipped
scenario, byte for byte, for a fixed seed and path count.

A refactor must leave these unchanged. A change that is meant to move the numbers (a new
method, a fixed divergence) regenerates them on purpose, and its commit says why::

    SIMULATOR_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
FILES = ("summary.json", "quantiles.csv", "targets.csv")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_outputs_are_byte_identical(
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
        assert got == want_file.read_bytes(), f"{scenario.stem}/{name} changed"
