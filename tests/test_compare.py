"""Comparison on common random numbers: paired differences and the compare command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.questions.compare import compare_projections, labels_for, run_comparison
from simulator.scenario.loader import load_scenario
from simulator.stats.targets import paired_difference

PATHS = 5_000


def test_paired_difference_by_hand() -> None:
    a = np.array([True, False, False, True])
    b = np.array([True, True, False, False])
    diff, se = paired_difference(a, b)
    d = np.array([0, 1, 0, -1], dtype=float)
    assert diff == 0.0
    assert se == pytest.approx(d.std(ddof=1) / 2)


def test_scenario_against_itself_is_exactly_zero(baseline_file: Path) -> None:
    sc = load_scenario(baseline_file)
    comp = run_comparison([sc, sc], paths=PATHS, seed=7)
    for t in comp.targets:
        first, second = t.results
        assert second.p_hit == first.p_hit
        assert second.diff == 0.0
        assert second.diff_se == 0.0
    assert [s.label for s in comp.scenarios] == ["Baseline momentum", "Baseline momentum (2)"]


def test_lever_changes_only_its_years_and_pairing_shrinks_the_error(
    baseline_file: Path, variants: dict[str, Path]
) -> None:
    scs = [load_scenario(baseline_file), load_scenario(variants["ai"])]
    comp = run_comparison(scs, paths=PATHS, seed=11)
    by_year = {t.fiscal_year: t.results[1] for t in comp.targets}
    # The lever starts in FY27: FY26 is the same path for path.
    assert by_year[2026].diff == 0.0
    r = by_year[2029]
    assert r.diff is not None and r.diff > 0
    p_a = comp.targets[1].results[0].p_hit
    p_b = r.p_hit
    assert p_a is not None and p_b is not None
    unpaired = np.sqrt(p_a * (1 - p_a) / PATHS + p_b * (1 - p_b) / PATHS)
    assert r.diff_se is not None and r.diff_se < unpaired
    assert r.diff == pytest.approx(p_b - p_a)


def test_comparison_json_keeps_its_keys(baseline_file: Path) -> None:
    from simulator.engine.runs import simulate
    from simulator.scenario.schema import Target

    sc = load_scenario(baseline_file)
    beyond = Target(name="Far", fiscal_year=2040, value=1.0, kind="industry projection")
    run = simulate(sc, paths=200, seed=1, threads=1)
    data = compare_projections([run, run], [*sc.targets, beyond]).to_dict()
    assert list(data) == ["run", "scenarios", "targets"]
    assert list(data["run"]) == ["paths", "seed", "seed_entropy", "version", "data_vintage"]
    assert isinstance(data["run"]["seed_entropy"], str)
    assert list(data["scenarios"][0]) == [
        *("name", "label", "file", "sha256", "seed", "base", "history", "years"),
    ]
    assert list(data["targets"][0]) == [
        *("name", "fiscal_year", "value", "kind", "component", "results"),
    ]
    projected, far = data["targets"][0]["results"][0], data["targets"][-1]["results"][0]
    assert list(projected) == [
        *("scenario", "p_hit", "p_hit_sim_error", "hits", "paths", "diff", "diff_se"),
    ]
    assert isinstance(projected["p_hit_sim_error"], list)
    assert list(far) == ["scenario", "p_hit", "p_hit_sim_error", "diff", "diff_se"]
    assert far["scenario"] == "Baseline momentum"
    assert {k: far[k] for k in list(far)[1:]} == dict.fromkeys(list(far)[1:])
    assert json.loads(json.dumps(data)) == data


def test_unequal_paths_are_refused(baseline_file: Path) -> None:
    from simulator.engine.runs import simulate

    sc = load_scenario(baseline_file)
    with pytest.raises(ValueError, match="equal paths"):
        compare_projections([simulate(sc, paths=100, seed=1), simulate(sc, paths=200, seed=1)])


def test_labels_for() -> None:
    assert labels_for(["A", "B", "A", "A"]) == ["A", "B", "A (2)", "A (3)"]


def test_cli_compare_writes_files(
    tmp_path: Path, baseline_file: Path, variants: dict[str, Path]
) -> None:
    out = tmp_path / "cmp"
    res = CliRunner().invoke(
        cli,
        [
            "compare",
            str(baseline_file),
            str(variants["ai"]),
            str(variants["fast"]),
            "--paths",
            str(PATHS),
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "vs first" in res.output
    assert "seed 2026" in res.output  # the first file's seed
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == [
        "comparison.csv",
        "comparison.html",
        "comparison.json",
        "comparison.png",
        "comparison_probabilities.png",
        "fan_wide.csv",
        "long.csv",
    ]
    data = json.loads((out / "comparison.json").read_text())
    assert data["run"]["seed"] == 2026
    rows = list(csv.DictReader((out / "comparison.csv").read_text().splitlines()))
    assert len(rows) == 3 * 3
    first_rows = [r for r in rows if r["scenario"] == "Baseline momentum"]
    assert all(r["diff_vs_first"] == "0" for r in first_rows)


def test_cli_compare_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    res = CliRunner().invoke(cli, ["compare", str(missing), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [f"{missing}: file not found"]
