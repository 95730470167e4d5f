"""The engine conditions the current fiscal year on the months already reported."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from simulator.data.history import load_monthly
from simulator.engine.runs import simulate
from simulator.scenario.loader import load_scenario

BASELINE = Path("scenarios/baseline.yaml")


def _extended_actuals(tmp_path: Path, extra: dict[str, float]) -> Path:
    src = load_monthly()
    rows = [
        f"{y:04d}-{m:02d},{v:g}" for y, m, v in zip(src.years, src.months, src.values, strict=True)
    ]
    rows += [f"{k},{v:g}" for k, v in extra.items()]
    path = tmp_path / "actuals.csv"
    path.write_text("month,usd_million\n" + "\n".join(rows) + "\n")
    return path


def test_summary_has_current_year_with_needed_run_rate() -> None:
    res = simulate(load_scenario(BASELINE), paths=20_000, seed=1)
    cy = res.summary().current_year
    assert cy["fiscal_year"] == 2026
    assert cy["months_observed"] == 4
    assert cy["observed_total"] == 1443
    assert cy["remaining"][0]["month"] == "2025-11"
    assert len(cy["remaining"]) == 8
    need = cy["needed_run_rate"][0]
    assert need["per_month"] == pytest.approx((5000 - 1443) / 8)


def test_monthly_quantiles_ordered_and_median_path_sums_to_year_median() -> None:
    res = simulate(load_scenario(BASELINE), paths=50_000, seed=2)
    cy = res.summary().current_year
    keys = ["p2_5", "p05", "p10", "p25", "p50", "p75", "p90", "p95", "p97_5"]
    for row in cy["remaining"]:
        vals = [row[k] for k in keys]
        assert vals == sorted(vals)
    month_median_sum = cy["observed_total"] + sum(r["p50"] for r in cy["remaining"])
    totals = res.values[:, 0]
    se = np.std(totals) / math.sqrt(totals.size) * 1.25  # the sample median's standard error
    # The months are linear in the scores given the year's total, so the medians add up, up
    # to the skew that the mixture of the two level readings adds (about 0.2% for FY2026).
    assert abs(month_median_sum - np.median(totals)) < 4 * se + 0.005 * np.median(totals)


def test_observed_months_count_exactly(tmp_path: Path) -> None:
    res = simulate(load_scenario(BASELINE), paths=5000, seed=3)
    cy = res.summary().current_year
    assert cy["observed_total"] == sum(r["value"] for r in cy["observed"])
    assert np.all(res.values[:, 0] > cy["observed_total"])


def test_newer_actuals_move_the_current_year_on(tmp_path: Path) -> None:
    path = _extended_actuals(tmp_path, {"2025-11": 390, "2025-12": 420})
    res = simulate(load_scenario(BASELINE), paths=5000, seed=4, actuals=str(path))
    cy = res.summary().current_year
    assert cy["months_observed"] == 6
    assert cy["observed_total"] == 1443 + 390 + 420
    assert res.summary().run.data_vintage == "2025-12"


def test_completed_year_becomes_the_base(tmp_path: Path) -> None:
    months = {f"2025-{m:02d}": 400.0 for m in (11, 12)}
    months |= {f"2026-{m:02d}": 420.0 for m in range(1, 7)}
    months["2026-07"] = 450.0
    path = _extended_actuals(tmp_path, months)
    res = simulate(load_scenario(BASELINE), paths=5000, seed=5, actuals=str(path))
    s = res.summary().to_dict()
    assert s["base"] == {"fiscal_year": 2026, "value": 1443 + 800 + 6 * 420}
    assert s["years"][0]["fiscal_year"] == 2027
    assert s["current_year"]["fiscal_year"] == 2027
    assert s["current_year"]["months_observed"] == 1
    fy26 = next(t for t in s["targets"] if t["fiscal_year"] == 2026)
    assert fy26["status"] == "observed"


def test_nowcast_off_ignores_reported_months(write_yaml: object) -> None:
    sc = load_scenario(BASELINE).model_copy(update={"nowcast": False})
    res = simulate(sc, paths=2000, seed=1)
    assert res.summary().current_year is None


def test_monthly_sample_is_capped_not_paths_by_months() -> None:
    from simulator.engine.paths import MONTH_SAMPLE

    res = simulate(load_scenario(BASELINE), paths=MONTH_SAMPLE + 5000, seed=6)
    cy = res.summary().current_year
    assert cy["remaining_sample_paths"] == MONTH_SAMPLE
    assert res.values.shape == (MONTH_SAMPLE + 5000, 5)


def test_nowcast_is_independent_of_threads_and_chunks() -> None:
    from simulator.engine.streams import BLOCK

    sc = load_scenario(BASELINE)
    a = simulate(sc, paths=2 * BLOCK + 7, seed=8, threads=1, chunk_size=10**7)
    b = simulate(sc, paths=2 * BLOCK + 7, seed=8, threads=2, chunk_size=BLOCK)
    np.testing.assert_array_equal(a.values, b.values)
    assert a.summary().current_year == b.summary().current_year


def test_current_year_sentence_says_1_month_not_1_months() -> None:
    from simulator.present.tables import current_year_sentence

    cy = {
        "fiscal_year": 2027,
        "months_observed": 11,
        "observed_total": 5000.0,
        "full_year": {"p10": 5400.0, "p50": 5500.0, "p90": 5600.0},
        "needed_run_rate": [{"name": "T", "per_month": 600.0}],
    }
    text = current_year_sentence(cy)
    assert "11 months" in text and "for the remaining month." in text
    text = current_year_sentence({**cy, "months_observed": 1, "needed_run_rate": []})
    assert "FY27 so far: 1 month, $5,000M" in text


def test_table_says_missed_for_a_target_already_reported(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from simulator.cli import cli

    months = {f"2025-{m:02d}": 420.0 for m in (11, 12)}
    months |= {f"2026-{m:02d}": 430.0 for m in range(1, 7)}
    path = _extended_actuals(tmp_path, months)
    run = CliRunner().invoke(
        cli,
        [
            "run",
            str(BASELINE),
            "--paths",
            "2000",
            "--actuals",
            str(path),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert run.exit_code == 0, run.stderr
    row = next(ln for ln in run.stdout.splitlines() if ln.startswith("Uraan Pakistan FY26"))
    assert "missed" in row and "(actual)" in row
    seek = CliRunner().invoke(
        cli,
        [
            "goal-seek",
            str(BASELINE),
            "--target",
            "FY2029",
            "--probability",
            "0.5",
            "--paths",
            "2000",
            "--actuals",
            str(path),
        ],
    )
    assert seek.exit_code == 0, seek.stderr
    assert "P(hit) reached: 50" in seek.stdout


def _truncated_actuals(tmp_path: Path, k: int) -> Path:
    """The bundled actuals with only the first ``k`` months of FY2026."""
    src = load_monthly()
    rows = []
    for y, m, v in zip(src.years, src.months, src.values, strict=True):
        fy, fm = (y + 1, m - 6) if m >= 7 else (y, m + 6)
        if fy == 2026 and fm > k:
            continue
        rows.append(f"{y:04d}-{m:02d},{v:g}")
    path = tmp_path / f"actuals_k{k}.csv"
    path.write_text("month,usd_million\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("name", sorted(p.name for p in Path("scenarios").glob("*.yaml")))
def test_reported_months_only_narrow_the_year(tmp_path: Path, name: str) -> None:
    """Replaying FY2026 with k = 0..4 months: the year's bands never widen, nor exceed
    the bands with ``nowcast: false``, for every shipped scenario."""
    sc = load_scenario(Path("scenarios") / name)
    levels = (0.5, 0.8, 0.9)

    def widths(values: np.ndarray) -> np.ndarray:
        q = np.quantile(values, [q for lv in levels for q in ((1 - lv) / 2, (1 + lv) / 2)])
        return q[1::2] - q[0::2]

    off = simulate(sc.model_copy(update={"nowcast": False}), paths=20_000, seed=5)
    prior_w = widths(off.values[:, 0])
    if int(off.years[0]) != 2026:
        pytest.skip(f"{name} does not project FY2026 first")
    previous = prior_w
    for k in range(5):
        res = simulate(sc, paths=20_000, seed=5, actuals=str(_truncated_actuals(tmp_path, k)))
        w = widths(res.values[:, 0])
        assert np.all(w <= prior_w + 1e-9), (k, w, prior_w)
        assert np.all(w <= previous + 1e-9), (k, w, previous)
        previous = w
        if k == 0:
            np.testing.assert_array_equal(res.values, off.values)
