"""Required growth against the record, the progress ratio, and the track record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.data.history import load_annual
from simulator.questions.record import (
    cagr,
    growth_record,
    past_targets,
    progress_category,
    required_growth_summary,
    resolve_fiscal_year,
)
from simulator.scenario.schema import URAAN_TARGETS


@pytest.fixture(scope="module")
def history() -> dict[int, float]:
    a = load_annual()
    return dict(zip(a.fiscal_years.tolist(), a.values.tolist(), strict=True))


def test_cagr() -> None:
    assert cagr(100.0, 121.0, 2) == pytest.approx(0.1)
    with pytest.raises(ValueError):
        cagr(100.0, 121.0, 0)


@pytest.mark.parametrize(
    ("ratio", "category"),
    [
        (1.3, "on track"),
        (0.95, "on track"),
        (0.9499, "acceleration needed"),
        (0.60, "acceleration needed"),
        (0.5999, "limited progress"),
        (0.0, "limited progress"),
        (-0.1, "moving away"),
        (None, "already reached"),
    ],
)
def test_progress_category(ratio: float | None, category: str) -> None:
    assert progress_category(ratio) == category


def test_record_and_required_growth(history: dict[int, float]) -> None:
    rec = growth_record(history)
    assert [w.label for w in rec.windows] == ["FY20–FY25", "FY16–FY25"]
    assert rec.windows[0].cagr == pytest.approx((3810 / 1440) ** (1 / 5) - 1)
    assert rec.windows[1].cagr == pytest.approx((3810 / 788.64) ** (1 / 9) - 1)
    assert rec.best_year == (2021, pytest.approx(2108 / 1440 - 1))
    assert rec.worst_year == (2023, pytest.approx(2596 / 2619 - 1))
    out = required_growth_summary(URAAN_TARGETS, base_year=2025, base_value=3810, history=history)
    by_year = {t.fiscal_year: t for t in out.targets}
    assert by_year[2026].required_cagr == pytest.approx(5000 / 3810 - 1)
    assert by_year[2029].required_cagr == pytest.approx((10000 / 3810) ** 0.25 - 1)
    assert by_year[2030].required_cagr == pytest.approx((20000 / 3810) ** 0.2 - 1)
    p = by_year[2029].progress[0]
    assert p.ratio == pytest.approx(rec.windows[0].cagr / by_year[2029].required_cagr)
    assert p.category == "acceleration needed"
    assert by_year[2030].progress[0].category == "limited progress"


def test_record_ends_at_an_earlier_base(history: dict[int, float]) -> None:
    rec = growth_record(history, end_year=2024)
    assert [w.label for w in rec.windows] == ["FY19–FY24", "FY16–FY24"]


def test_resolve_fiscal_year() -> None:
    assert resolve_fiscal_year("FY2025") == 2025
    assert resolve_fiscal_year("2020") == 2020
    assert resolve_fiscal_year("~2029") is None
    assert resolve_fiscal_year("next fiscal year (stated Aug 2024; likely FY2025)") is None


def test_past_targets(history: dict[int, float]) -> None:
    items = past_targets(history)
    assert [(p.target_id, p.fiscal_year, p.value) for p in items] == [
        ("target_2020", 2020, 5000.0),
        ("fy22_target", 2022, 3500.0),
        ("fy23_target", 2023, 5000.0),
        ("fy25_target", 2025, 4200.0),
    ]
    assert not any(p.hit for p in items)
    assert items[-1].gap == pytest.approx(3810 / 4200 - 1)
    # Earliest statement of a target reported twice.
    assert items[-1].date_stated.startswith("2024-12")
    # Since 2013, the MoITT plan (stated 2013-11) comes in, FY16 and FY17 met.
    older = past_targets(history, since=2013)
    assert sum(p.hit for p in older) == 2


def test_cli_required_growth(tmp_path: Path) -> None:
    out = tmp_path / "rg"
    res = CliRunner().invoke(cli, ["required-growth", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "Growth needed from FY25 = $3,810M, against the record" in res.output
    assert "27.3%" in res.output
    assert "Official targets since 2016 met: 0 of 4" in res.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "required_growth.json",
        "required_growth.png",
        "track_record.png",
    ]
    data = json.loads((out / "required_growth.json").read_text())
    assert data["base"] == {"fiscal_year": 2025, "value": 3810.0}
    assert data["track_record"]["total"] == 4


def test_cli_required_growth_with_scenario_base(tmp_path: Path, baseline_file: Path) -> None:
    sc = tmp_path / "b24.yaml"
    sc.write_text(
        f"extends: {baseline_file}\nname: From FY24\nbase: {{fiscal_year: 2024, value: 3223}}\n"
        "growth:\n  - years: 2025-2030\n    dist: normal\n    mean: 0.18\n    sd: 0.07\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(
        cli, ["required-growth", str(sc), "--out", str(tmp_path / "o"), "--format", "svg", "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["base"] == {"fiscal_year": 2024, "value": 3223.0}
    assert data["record"]["windows"][0]["label"] == "FY19–FY24"
    t29 = next(t for t in data["targets"] if t["fiscal_year"] == 2029)
    assert t29["required_cagr"] == pytest.approx((10000 / 3223) ** 0.2 - 1)
    assert (tmp_path / "o" / "required_growth.svg").exists()


def test_cli_required_growth_missing_scenario(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    res = CliRunner().invoke(cli, ["required-growth", str(missing)])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [f"{missing}: file not found"]


def test_remaining_months_need_on_the_bundled_series() -> None:
    """$5B in FY26 with July–October in: the rest must average (5,000 − YTD)/8 a month, which
    is a faster rate on the same months a year earlier than the whole year's 31.2%."""
    from simulator.data.history import load_monthly
    from simulator.questions.record import remaining_needs

    monthly = load_monthly()
    now, before = monthly.year(2026), monthly.year(2025)
    (need,) = remaining_needs(URAAN_TARGETS, base_year=2025, monthly=monthly)
    assert (need.fiscal_year, need.months_reported, need.months_left) == (2026, 4, 8)
    assert need.last_month == "2025-10"
    assert need.ytd == pytest.approx(1443.0)
    assert need.ytd_growth == pytest.approx(1443.0 / before[:4].sum() - 1)
    assert need.per_month == pytest.approx((5000.0 - 1443.0) / 8)
    assert need.remaining_growth == pytest.approx((5000.0 - 1443.0) / before[4:].sum() - 1)
    assert need.per_month == pytest.approx(445, abs=1)
    assert need.remaining_growth > 0.312 + 0.03  # the months to come need more than the year
    assert int((now == now).sum()) == 4  # four months reported (NaN elsewhere)


def test_no_remaining_need_once_the_year_is_complete_or_unstarted() -> None:
    from simulator.data.history import load_monthly
    from simulator.questions.record import remaining_needs

    monthly = load_monthly()
    assert remaining_needs(URAAN_TARGETS, base_year=2024, monthly=monthly) == []  # FY25 done
    assert remaining_needs(URAAN_TARGETS, base_year=2026, monthly=monthly) == []  # FY27 unstarted


def test_cli_required_growth_shows_the_remaining_months(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["required-growth", "--out", str(tmp_path / "rg")])
    assert res.exit_code == 0, res.output
    assert "FY26 so far: $1,443M to Oct 2025 (+19.7% on a year earlier)." in res.output
    assert "needs $445M/month for the remaining 8 months: +36.7%" in res.output
    assert "against the whole year's +31.2%" in res.output
    data = json.loads((tmp_path / "rg" / "required_growth.json").read_text())
    (cy,) = data["current_year"]
    assert cy["months_left"] == 8
    assert cy["remaining_growth"] == pytest.approx(0.367, abs=5e-4)
