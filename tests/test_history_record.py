"""A fiscal year complete in the monthly actuals extends the annual record for every command
(issue 13): with July 2025 - June 2026 reported, the record "moves on" to FY2026."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.data.history import bundled_monthly_path, load_annual
from simulator.data.timeline import annual_record

FY26 = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]


@pytest.fixture(scope="module")
def fy26(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The bundled months, then November 2025 - June 2026 at +20% on a year earlier."""
    with bundled_monthly_path().open(encoding="utf-8") as fh:
        vals = {r["month"]: float(r["usd_million"]) for r in csv.DictReader(fh)}
    for m in FY26:
        y, mm = m.split("-")
        vals[m] = round(vals[f"{int(y) - 1}-{mm}"] * 1.2, 1)
    path = tmp_path_factory.mktemp("actuals") / "fy26.csv"
    path.write_text(
        "month,usd_million\n" + "".join(f"{k},{v}\n" for k, v in sorted(vals.items())),
        encoding="utf-8",
    )
    total = sum(v for k, v in vals.items() if "2025-07" <= k <= "2026-06")
    return path, total


def test_the_record_gains_fy2026(fy26: tuple[Path, float]) -> None:
    path, total = fy26
    rec = annual_record(path)
    bundled = load_annual()
    assert rec.fiscal_years.tolist() == [*bundled.fiscal_years.tolist(), 2026]
    assert rec.values[-1] == pytest.approx(total, rel=1e-12)
    assert rec.sources[-1] == str(path)
    assert annual_record().fiscal_years.tolist() == bundled.fiscal_years.tolist()


def test_required_growth_starts_from_fy2026(fy26: tuple[Path, float], tmp_path: Path) -> None:
    path, total = fy26
    res = CliRunner().invoke(
        cli, ["required-growth", "--actuals", str(path), "--out", str(tmp_path / "o"), "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["base"] == {"fiscal_year": 2026, "value": pytest.approx(total)}


def test_calibrate_fits_through_fy2026(fy26: tuple[Path, float]) -> None:
    path, _ = fy26
    res = CliRunner().invoke(cli, ["calibrate", "--actuals", str(path)])
    assert res.exit_code == 0, res.output
    assert "FY2017–FY2026: n = 10 yearly growth rates" in res.stdout
    plain = CliRunner().invoke(cli, ["calibrate"])
    assert "FY2017–FY2025: n = 9 yearly growth rates" in plain.stdout


def test_the_annual_backtest_gains_an_origin(fy26: tuple[Path, float], tmp_path: Path) -> None:
    path, _ = fy26
    out = tmp_path / "bt"
    args = ["backtest", "--actuals", str(path), "--paths", "400", "--out", str(out)]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert json.loads((out / "backtest.json").read_text())["origins"][-1] == 2025


def test_run_moves_its_base_on(fy26: tuple[Path, float], tmp_path: Path) -> None:
    path, total = fy26
    args = ["run", "scenarios/baseline.yaml", "--actuals", str(path), "--paths", "500"]
    res = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "r"), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["base"] == {"fiscal_year": 2026, "value": pytest.approx(total)}
    assert summary["history"][-1]["fiscal_year"] == 2026
