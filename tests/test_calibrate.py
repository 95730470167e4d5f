"""calibrate: the record rule resolved and written as an explicit, editable scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.engine.runs import simulate
from simulator.errors import UserInputError
from simulator.questions.calibrate import (
    calibrate,
    calibrated_scenario,
    fit_table,
    parse_fiscal_year,
    scenario_yaml,
)
from simulator.scenario.loader import load_scenario
from simulator.stats.record_rule import MEAN_LEVER

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_fit_and_table() -> None:
    fit = calibrate()
    assert fit.n == 9 and fit.span == "FY2017–FY2025" and fit.origin == 2025
    text = fit_table(fit)
    assert f"| centre: mean of ln(1+g) | {fit.centre:.4f} |" in text
    assert "AR(1) phi" in text and "FY21 (+46%" in text


def test_window_origin_and_errors() -> None:
    fit = calibrate(last=2020)
    assert fit.years.tolist() == [2017, 2018, 2019, 2020] and fit.persistence == 0.0
    assert "not estimated" in fit_table(fit)
    assert calibrate(first=2020).window == 6
    with pytest.raises(UserInputError, match="at least 4"):
        calibrate(first=2017, last=2019)
    with pytest.raises(UserInputError, match="FY2017–FY2025 only"):
        calibrate(first=2016)
    with pytest.raises(UserInputError, match="FY2017–FY2025 only"):
        calibrate(last=2026)


def test_parse_fiscal_year() -> None:
    assert parse_fiscal_year("FY2017") == parse_fiscal_year("2017") == parse_fiscal_year("fy17")
    with pytest.raises(UserInputError, match="--from: bad fiscal year"):
        parse_fiscal_year("17a", option="--from")


@pytest.mark.parametrize("tails", ["student", "normal"])
def test_written_file_runs_to_the_same_paths_as_growth_record(tmp_path: Path, tails: str) -> None:
    """calibrate --write and growth: record are one rule: equal paths, not just close."""
    fit = calibrate(tails=tails)
    path = tmp_path / "cal.yaml"
    path.write_text(scenario_yaml(fit))
    written = load_scenario(path)
    assert written.model_dump() == calibrated_scenario(fit, first_year=2026).model_dump()
    rule = tmp_path / "rule.yaml"
    rule.write_text(f"name: r\ngrowth: {{rule: record, tails: {tails}}}\n")
    a = simulate(written, paths=3000, seed=4)
    b = simulate(load_scenario(rule), paths=3000, seed=4)
    np.testing.assert_array_equal(a.values, b.values)
    assert [lv.name for lv in written.levers] == [MEAN_LEVER]
    assert b.scenario.growth == written.growth and b.scenario.levers == written.levers


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_prints_fit_and_yaml() -> None:
    code, out, err = invoke("calibrate")
    assert code == 0, err
    assert "dist: log_t" in out and "persistence: 0.0" in out and "name: record_mean" in out


def test_cli_write_force_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "calibrated.yaml"
    code, out, err = invoke("calibrate", "--write", str(path), "--to", "FY2024")
    assert code == 0, err
    assert f"Wrote {path}" in out and "dist: log_t" not in out
    assert load_scenario(path).name == "Record rule, resolved on FY2017–FY2024"
    first = path.read_text()
    code, out, err = invoke("calibrate", "--write", str(path))
    assert code == 2
    assert err == f"{path}: exists; add --force to overwrite it\n"
    assert path.read_text() == first
    code, _, err = invoke("calibrate", "--write", str(path), "--force")
    assert code == 0, err
    assert load_scenario(path).name == "Record rule, resolved on FY2017–FY2025"
    assert not [p for p in tmp_path.iterdir() if p.name != path.name]
    code, _, err = invoke("calibrate", "--from", "2016")
    assert code == 2
    assert err.count("\n") == 1 and "FY2017–FY2025 only" in err
