"""Levels as assumptions (issue 12): "reaches about V by FY (80% range lo-hi)" resolves to growth."""
# ruff: noqa: E501  (expected error lines read best unbroken)

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import special

from simulator.engine.runs import prepare, simulate
from simulator.scenario.loader import load_scenario
from tests.test_check import refused

TOTAL = """\
name: level
base: {fiscal_year: 2025, value: 3810}
horizon: 2030
nowcast: false
growth:
  - years: 2026-2030
    level: 6000
    by: FY2028
"""

COMPONENTS = """\
name: level
base: {fiscal_year: 2025, value: 3810}
horizon: 2030
nowcast: false
components:
  - name: call_centres
    base: 328
    growth:
      - years: 2026-2030
        level: 500
        by: 2028
  - name: rest
    base: rest
    growth:
      - {years: 2026-2030, dist: fixed, value: 0.1}
"""


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def test_zero_spread_hits_the_level_exactly_on_the_total(tmp_path: Path) -> None:
    res = simulate(load(tmp_path, TOTAL), paths=50, seed=1, threads=1)
    g = (6000 / 3810) ** (1 / 3) - 1  # closed form
    want = 3810 * (1 + g) ** np.arange(1, 6)
    np.testing.assert_allclose(res.values, np.broadcast_to(want, res.values.shape), rtol=1e-12)
    assert res.values[:, list(res.years).index(2028)] == pytest.approx(6000, rel=1e-12)
    [fit] = res.scenario.levels
    assert (fit.series, fit.by, fit.base, fit.years) == ("total", 2028, 3810.0, (2026, 2030))
    assert fit.growth == pytest.approx((g, g, g), rel=1e-14)


def test_zero_spread_hits_the_level_exactly_on_a_component(tmp_path: Path) -> None:
    res = simulate(load(tmp_path, COMPONENTS), paths=50, seed=1, threads=1)
    cc = res.components["call_centres"]
    g = (500 / 328) ** (1 / 3) - 1
    np.testing.assert_allclose(cc[:, 2], 500.0, rtol=1e-12)
    np.testing.assert_allclose(cc[:, 4], 328 * (1 + g) ** 5, rtol=1e-12)
    np.testing.assert_allclose(sum(res.components.values()), res.values, rtol=1e-12)


def test_the_80_percent_range_maps_to_the_growth_percentiles(tmp_path: Path) -> None:
    text = COMPONENTS.replace(
        "        by: 2028\n", "        by: 2028\n        low: 450\n        high: 560\n"
    )
    plan = prepare(load(tmp_path, text))
    [fit] = plan.scenario.levels
    closed = tuple((v / 328) ** (1 / 3) - 1 for v in (450, 500, 560))
    assert fit.growth == pytest.approx(closed, rel=1e-14)
    dist = plan.growth[0][0]
    z = np.array([special.ndtri(0.1), 0.0, special.ndtri(0.9)])
    np.testing.assert_allclose(dist.from_normal(z), closed, rtol=1e-12)
    assert fit.sentence() == (
        "Level assumption: call_centres reaches $500M by FY28 from $328M in FY25: +15.1% a year "
        "in FY26\u2013FY30 (80% range $450M-$560M; growth +11.1% to +19.5%)."
    )


def test_perfectly_persistent_years_give_the_stated_range(tmp_path: Path) -> None:
    """With persistence near 1 each path keeps one growth rate, so the level's 80% range in
    FY2028 is the stated one (within Monte Carlo error)."""
    text = TOTAL.replace("    by: FY2028\n", "    by: FY2028\n    low: 5400\n    high: 6900\n")
    res = simulate(load(tmp_path, text + "persistence: 0.99\n"), paths=40_000, seed=5, threads=1)
    lo, mid, hi = np.quantile(res.values[:, 2], [0.1, 0.5, 0.9])
    assert mid == pytest.approx(6000, rel=0.01)
    assert lo == pytest.approx(5400, rel=0.02) and hi == pytest.approx(6900, rel=0.02)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    by: FY2028\n", "    by: FY2032\n", "bad.yaml:8: growth[0].by: FY2032 is outside the range's years 2026-2030; the level is reached within them"),
        ("    level: 6000\n", "    level: -6000\n", "bad.yaml:7: growth[0].level: must be > 0 (got -6000)"),
        ("    by: FY2028\n", "    by: FY2028\n    low: 5000\n", "bad.yaml:6: growth[0].high: give both low and high (the level's 80% range, USD million) or neither"),
        ("    by: FY2028\n", "    by: FY2028\n    low: 6500\n    high: 7000\n", "bad.yaml:6: growth[0]: need low <= level <= high (got 6500, 6000, 7000)"),
        ("    by: FY2028\n", "    by: next year\n", "bad.yaml:8: growth[0].by: bad fiscal year 'next year'; write one such as FY2029, FY29, 2029 or 2028-29"),
        ("    level: 6000\n", "    level: 6000000\n", "bad.yaml:7: growth[0].level: reaching 6e+06 by FY2028 from 3810 in FY2025 takes +1063.4% a year, outside limits [-0.5, 1]; is the level in USD million?"),
        ("  - years: 2026-2030\n    level", "  - years: 2026\n    dist: fixed\n    value: 0.1\n  - years: 2027-2030\n    level", "bad.yaml:9: growth[1].years: a level is reached from the base (FY2025), so its range must start in FY2026 (got 2027-2030)"),
    ],
)  # fmt: skip
def test_bad_levels_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, expected: str
) -> None:
    assert old in TOTAL
    text = TOTAL.replace(old, new, 1)
    assert refused(tmp_path, monkeypatch, text) == expected


def test_a_shared_top_level_level_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "name: x\nnowcast: false\ngrowth:\n  - {years: 2026-2030, level: 6000}\ncomponents:\n"
        "  - {name: a, base: 300}\n  - {name: b, base: rest}\n"
    )
    assert refused(tmp_path, monkeypatch, text) == (
        "bad.yaml:4: growth[0].level: a level in the top-level growth is shared by the "
        "components a, b; put it in one component's growth"
    )


def test_goal_seek_shifts_the_resolved_growth(tmp_path: Path) -> None:
    from simulator.questions.goalseek import shift_growth

    sc = shift_growth(load(tmp_path, TOTAL), 0.02)
    [fit] = prepare(sc).scenario.levels
    g = (6000 / 3810) ** (1 / 3) - 1
    assert fit.growth[1] == pytest.approx(g + 0.02, rel=1e-12)


def test_run_prints_and_records_the_resolved_growth(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from simulator.cli import cli

    path = tmp_path / "s.yaml"
    path.write_text(TOTAL + "    low: 5400\n    high: 6900\n", encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["run", str(path), "--paths", "200", "--out", str(out)])
    assert res.exit_code == 0, res.output
    g = (6000 / 3810) ** (1 / 3) - 1
    line = (
        f"Level assumption: total reaches $6,000M by FY28 from $3,810M in FY25: {g:+.1%} a year "
        f"in FY26\u2013FY30 (80% range $5,400M-$6,900M; growth {(5400 / 3810) ** (1 / 3) - 1:+.1%} "
        f"to {(6900 / 3810) ** (1 / 3) - 1:+.1%})."
    )
    assert line in res.stdout.splitlines()
    [level] = json.loads((out / "summary.json").read_text())["levels"]
    assert level["growth_p50"] == pytest.approx(g, rel=1e-14)
    assert (level["level"], level["by"], level["sentence"]) == (6000.0, 2028, line)
