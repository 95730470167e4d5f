"""Targets on components, shocks that last several years and levers that ramp (issue 12)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.engine.runs import simulate
from simulator.scenario.loader import load_scenario
from simulator.stats.targets import summarize
from tests.oracle import plain_loop

ROOT = Path(__file__).resolve().parent.parent
CALL_CENTRES = ROOT / "scenarios" / "call-centres.yaml"

FLAT = """\
name: Flat
base: {fiscal_year: 2025, value: 1000}
horizon: 2030
nowcast: false
growth:
  - years: 2026-2030
    dist: fixed
    value: 0.10
"""


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _load(tmp_path: Path, text: str, name: str = "s.yaml") -> object:
    return load_scenario(_write(tmp_path, text, name))


def _run_cli(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.output


# --- targets on components -------------------------------------------------------------------


@pytest.fixture(scope="module")
def cc_run() -> object:
    return simulate(load_scenario(CALL_CENTRES), paths=4000, seed=7, threads=1)


def test_component_target_is_judged_on_its_component(cc_run: object) -> None:
    res = cc_run
    summary = summarize(res).to_dict()  # type: ignore[arg-type]
    (row,) = [t for t in summary["targets"] if t["component"] == "call_centres"]
    comp = res.components["call_centres"]  # type: ignore[attr-defined]
    col = int(np.flatnonzero(res.years == 2028)[0])  # type: ignore[attr-defined]
    x = comp[:, col]
    assert row["p_hit"] == np.count_nonzero(x >= 500) / x.size
    assert row["p50"] == float(np.median(x))
    assert row["expected_shortfall"] == pytest.approx(float(np.maximum(500 - x, 0).mean()))
    assert row["required_cagr"] == pytest.approx((500 / 328) ** (1 / 3) - 1)
    assert row["kind"] == "industry expectation"
    assert row["source"].startswith("https://cwpakistan.com/")
    crossed = np.logical_or.accumulate(comp >= 500, axis=1).mean(axis=0)
    by_year = summary["first_crossing"]["Call centres $500M"]["by_year"]
    assert [by_year[str(int(y))] for y in res.years] == pytest.approx(crossed.tolist())  # type: ignore[attr-defined]
    # The parts add up to the total on every path.
    parts = sum(res.components.values())  # type: ignore[attr-defined]
    np.testing.assert_allclose(parts, res.values, rtol=1e-12)  # type: ignore[attr-defined]


def test_component_target_in_table_csv_and_compare(tmp_path: Path) -> None:
    code, out = _run_cli(
        "run", str(CALL_CENTRES), "--paths", "3000", "--seed", "3", "--out", str(tmp_path / "o")
    )
    assert code == 0, out
    assert "Call centres $500M" in out
    assert "is judged on call centres alone" in out
    csv_text = (tmp_path / "o" / "targets.csv").read_text()
    header, *rows = csv_text.splitlines()
    assert "component" in header.split(",")
    assert any(",call_centres," in r for r in rows)
    code, out = _run_cli(
        "compare",
        str(CALL_CENTRES),
        str(ROOT / "scenarios" / "baseline.yaml"),
        "--paths",
        "3000",
        "--out",
        str(tmp_path / "c"),
    )
    assert code == 0, out
    assert "call centres only" in out


def test_unknown_component_in_a_target(tmp_path: Path) -> None:
    text = CALL_CENTRES.read_text().replace("component: call_centres", "component: call_centers")
    path = _write(
        tmp_path, text.replace("extends: baseline.yaml", f"extends: {ROOT}/scenarios/baseline.yaml")
    )
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "call_centers" in s)
    for cmd in ("validate", "run"):
        code, out = (
            _run_cli(cmd, str(path), "--paths", "100") if cmd == "run" else _run_cli(cmd, str(path))
        )
        assert code == 2
        assert out.strip().splitlines()[-1] == (
            f"{path}:{line}: targets[3].component: unknown component 'call_centers' (did you mean "
            "'call_centres'?); expected one of: call_centres, rest_of_ict"
        )


def test_component_target_without_components(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        FLAT + "targets:\n  - name: x\n    fiscal_year: 2028\n    value: 500\n"
        "    component: call_centres\n",
    )
    code, out = _run_cli("validate", str(path))
    assert code == 2
    assert out.strip() == (
        f"{path}:13: targets[0].component: names component 'call_centres', but the scenario "
        "has no components; drop the key to judge the target on the total"
    )


# --- shocks that last ------------------------------------------------------------------------

SHOCK = """\
shocks:
  - name: slump
    years: 2027
    probability: 1
    impact: {{dist: fixed, value: -0.10}}
    duration: {duration}
{extra}"""


def test_duration_three_leaves_the_path_at_0_9_cubed(tmp_path: Path) -> None:
    flat = simulate(_load(tmp_path, FLAT, "flat.yaml"), paths=5, seed=1, threads=1).values[0]
    sc = _load(tmp_path, FLAT + SHOCK.format(duration=3, extra=""))
    got = simulate(sc, paths=5, seed=1, threads=1).values
    expect = flat * np.array([1, 0.9, 0.9**2, 0.9**3, 0.9**3])
    np.testing.assert_allclose(got, np.broadcast_to(expect, got.shape), rtol=1e-13)


def test_recovery_comes_the_year_after_the_last(tmp_path: Path) -> None:
    flat = simulate(_load(tmp_path, FLAT, "flat.yaml"), paths=5, seed=1, threads=1).values[0]
    sc = _load(tmp_path, FLAT + SHOCK.format(duration=2, extra="    recovery: 0.5\n"))
    got = simulate(sc, paths=5, seed=1, threads=1).values[0]
    # Lost 0.9**2 over FY27-28; half of that (in logs) comes back in FY29.
    expect = flat * np.array([1, 0.9, 0.81, 0.81**0.5, 0.81**0.5])
    np.testing.assert_allclose(got, expect, rtol=1e-13)


def test_lasting_shocks_match_the_plain_loop(tmp_path: Path) -> None:
    text = """\
name: Loop
base: {fiscal_year: 2025, value: 1000}
horizon: 2030
nowcast: false
persistence: 0.3
growth:
  - years: 2026-2030
    dist: normal
    mean: 0.15
    sd: 0.05
levers:
  - name: push
    years: 2027-2030
    dist: uniform
    low: 0.0
    high: 0.04
    ramp: 3
shocks:
  - name: slump
    years: 2026-2030
    probability: 0.3
    impact: {dist: normal, mean: -0.08, sd: 0.03}
    duration: 2
    recovery: 0.4
"""
    sc = _load(tmp_path, text)
    fast = simulate(sc, paths=300, seed=5, threads=1).values
    slow = plain_loop(sc, paths=300, seed=5)
    np.testing.assert_allclose(fast, slow, rtol=1e-10)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "shocks[0].duration: must be >= 1 (got 0)"),
        ("1.5", "shocks[0].duration: must be a whole number (got 1.5)"),
    ],
)
def test_bad_duration(tmp_path: Path, value: str, message: str) -> None:
    path = _write(tmp_path, FLAT + SHOCK.format(duration=value, extra=""))
    code, out = _run_cli("validate", str(path))
    assert code == 2
    (line,) = out.strip().splitlines()
    assert line == f"{path}:14: {message}"


# --- levers that ramp ------------------------------------------------------------------------

LEVER = """\
levers:
  - name: push
    years: 2027-2030
    dist: fixed
    value: 0.06
    ramp: {ramp}
"""


def test_ramp_phases_a_fixed_lever_in_linearly(tmp_path: Path) -> None:
    sc = _load(tmp_path, FLAT + LEVER.format(ramp=3))
    got = simulate(sc, paths=3, seed=1, threads=1).values[0]
    growth = [0.10, 0.12, 0.14, 0.16, 0.16]
    np.testing.assert_allclose(got, 1000 * np.cumprod([1 + g for g in growth]), rtol=1e-13)


def test_ramp_longer_than_the_lever_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, FLAT + LEVER.format(ramp=5))
    code, out = _run_cli("validate", str(path))
    assert code == 2
    assert out.strip() == (
        f"{path}:14: levers[0].ramp: ramp of 5 years is longer than the lever's years "
        "2027-2030 (4 years); use a ramp of 1-4"
    )


# --- component charts ------------------------------------------------------------------------


def test_component_charts(cc_run: object) -> None:
    from simulator.plotting.components import plot_component_fans, plot_component_stack

    summary = summarize(cc_run)  # type: ignore[arg-type]
    fig = plot_component_fans(summary)
    axes = fig.get_axes()
    assert [ax.get_title(loc="left") for ax in axes] == ["Call centres", "Rest of ICT"]
    labels = [t.get_text() for t in axes[0].texts]
    assert any(s.replace("\n", " ").startswith("Call centres $500M: P(hit) ") for s in labels)
    assert not axes[1].texts
    stack = plot_component_stack(summary).get_axes()[0]
    assert [t.get_text() for t in stack.get_legend().get_texts()] == ["Call centres", "Rest of ICT"]
    assert len(stack.collections) == 2


def test_run_writes_component_charts(tmp_path: Path) -> None:
    code, out = _run_cli(
        "run", str(CALL_CENTRES), "--paths", "2000", "--seed", "1", "--out", str(tmp_path)
    )
    assert code == 0, out
    assert (tmp_path / "components_fan.png").stat().st_size > 0
    assert (tmp_path / "components_stack.png").stat().st_size > 0
