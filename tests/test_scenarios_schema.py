"""Every shipped scenario loads, runs small and validates against ``simulator schema``."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import cli
from simulator.engine.runs import simulate
from simulator.scenario.loader import load_scenario

SCENARIOS = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def schema() -> dict[str, object]:
    res = CliRunner().invoke(cli, ["schema"])
    assert res.exit_code == 0, res.output
    out: dict[str, object] = json.loads(res.stdout)
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_validates_loads_and_runs(path: Path, schema: dict[str, object]) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(raw)
    sc = load_scenario(path)
    res = simulate(sc, paths=500, seed=1, threads=1)
    assert res.values.shape == (500, len(res.years))
    assert np.isfinite(res.values).all()
    if res.components:
        np.testing.assert_allclose(sum(res.components.values()), res.values, rtol=1e-12)


def test_every_new_key_is_used_by_a_shipped_scenario() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in SCENARIOS)
    for key in ("component:", "source:", "duration:", "ramp:", "level:"):
        assert key in text, key
