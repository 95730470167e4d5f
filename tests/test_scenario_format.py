"""The scenario format does what it says: copula correlation, shocks, levers, limits, extends."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from scipy import special, stats

from simulator.engine.runs import simulate
from simulator.errors import ScenarioError
from simulator.scenario.loader import dump_scenario, load_scenario
from simulator.scenario.schema import Scenario

# A base year after the bundled actuals, so only the scenario's own assumptions matter.
BASE = {"fiscal_year": 2030, "value": 1000.0}


def scenario_file(tmp_path: Path, data: dict[str, Any], name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def build(tmp_path: Path, **overrides: Any) -> Scenario:
    data: dict[str, Any] = {
        "name": "test",
        "base": BASE,
        "horizon": 2033,
        "growth": [{"years": "2031-2033", "dist": "fixed", "value": 0.0}],
    }
    data.update(overrides)
    return load_scenario(scenario_file(tmp_path, data))


def fixed(value: float, years: str = "2031-2033") -> list[dict[str, Any]]:
    return [{"years": years, "dist": "fixed", "value": value}]


# -- correlation ---------------------------------------------------------------------------------


def two_components(growth_a: dict[str, Any], growth_b: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": "a", "base": 400, "growth": [{"years": "2031-2033", **growth_a}]},
        {"name": "b", "base": "rest", "growth": [{"years": "2031-2033", **growth_b}]},
    ]


def test_component_correlation_normal_marginals(tmp_path: Path) -> None:
    sc = build(
        tmp_path,
        components=two_components(
            {"dist": "normal", "mean": 0.1, "sd": 0.05}, {"dist": "normal", "mean": 0.2, "sd": 0.1}
        ),
        correlation=[[1, 0.6], [0.6, 1]],
        persistence=0.0,
    )
    n = 100_000
    res = simulate(sc, paths=n, seed=3)
    ga = res.components["a"][:, 0] / 400 - 1
    gb = res.components["b"][:, 0] / 600 - 1
    r = np.corrcoef(ga, gb)[0, 1]
    se = (1 - 0.6**2) / np.sqrt(n)
    assert abs(r - 0.6) < 4 * se
    np.testing.assert_allclose(res.values, res.components["a"] + res.components["b"])
    # each marginal is exactly as declared
    assert stats.kstest(ga, stats.norm(0.1, 0.05).cdf).pvalue > 0.01
    # other years are independent of year 1 with persistence 0
    assert abs(np.corrcoef(ga, res.components["a"][:, 1] / res.components["a"][:, 0])[0, 1]) < 0.02


def test_component_correlation_holds_in_normal_scores_for_skewed_marginals(tmp_path: Path) -> None:
    la = {"dist": "lognormal", "mean": 0.15, "sd": 0.2}
    lb = {"dist": "split_normal", "mode": 0.1, "sd_low": 0.15, "sd_high": 0.03}
    sc = build(
        tmp_path,
        components=two_components(la, lb),
        correlation=[[1, 0.6], [0.6, 1]],
        persistence=0.5,
    )
    n = 100_000
    res = simulate(sc, paths=n, seed=4)
    dists = [sc.components[i].growth[0] for i in range(2)]  # type: ignore[index]
    za = special.ndtri(dists[0].scipy_dist().cdf(res.components["a"][:, 0] / 400 - 1))
    zb = special.ndtri(dists[1].scipy_dist().cdf(res.components["b"][:, 0] / 600 - 1))
    r = np.corrcoef(za, zb)[0, 1]
    assert abs(r - 0.6) < 4 * (1 - 0.36) / np.sqrt(n)
    # persistence links year 1 and year 2 normal scores with correlation rho = 0.5
    a = res.components["a"]
    za2 = special.ndtri(dists[0].scipy_dist().cdf(a[:, 1] / a[:, 0] - 1))
    assert abs(np.corrcoef(za, za2)[0, 1] - 0.5) < 4 * (1 - 0.25) / np.sqrt(n)


def test_non_psd_correlation_is_repaired_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    comps = [
        {
            "name": n,
            "base": 300,
            "growth": [{"years": "2031-2033", "dist": "normal", "mean": 0.1, "sd": 0.05}],
        }
        for n in ("a", "b", "c")
    ]
    corr = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]
    sc = build(tmp_path, components=comps, correlation=corr)
    with (
        caplog.at_level(logging.WARNING, logger="simulator.engine.runs"),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        res = simulate(sc, paths=50_000, seed=1)
    assert not caught  # the repair is reported once, through logging only
    [record] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert record.getMessage().startswith(
        f"{tmp_path / 's.yaml'}: correlation matrix is not positive"
    )
    assert "nearest correlation matrix" in record.getMessage()
    repaired = res.plan.corr_chol @ res.plan.corr_chol.T
    assert np.linalg.eigvalsh(repaired).min() > -1e-8
    np.testing.assert_allclose(np.diag(repaired), 1, atol=1e-6)
    np.testing.assert_allclose(repaired, [[1, 0.5, -0.5], [0.5, 1, 0.5], [-0.5, 0.5, 1]], atol=1e-4)
    g = np.stack([res.components[n][:, 0] / 300 - 1 for n in "abc"])
    assert np.linalg.eigvalsh(np.corrcoef(g)).min() > -1e-6


def test_psd_correlation_gives_no_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    sc = build(
        tmp_path,
        components=two_components(
            {"dist": "normal", "mean": 0.1, "sd": 0.05}, {"dist": "normal", "mean": 0.2, "sd": 0.1}
        ),
        correlation=[[1, -1], [-1, 1]],
    )
    with caplog.at_level(logging.WARNING):
        res = simulate(sc, paths=1000, seed=1)
    assert not caplog.records
    ga = res.components["a"][:, 0] / 400 - 1
    gb = res.components["b"][:, 0] / 600 - 1
    assert np.corrcoef(ga, gb)[0, 1] == pytest.approx(-1, abs=1e-6)


# -- shocks --------------------------------------------------------------------------------------

N = 40_000


def shock(**kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": "slowdown",
        "years": "2031-2033",
        "probability": 0.2,
        "impact": {"dist": "fixed", "value": -0.1},
    }
    out.update(kw)
    return out


def test_shocks_occur_at_their_stated_frequency(tmp_path: Path) -> None:
    res = simulate(build(tmp_path, shocks=[shock()]), paths=N, seed=5)
    se = np.sqrt(0.2 * 0.8 / N)
    assert (np.abs(res.shock_hits["slowdown"] - 0.2) < 4 * se).all()
    # hits per path ~ Binomial(3, 0.2): the final level is 1000 * 0.9**k
    k = np.rint(np.log(res.values[:, -1] / 1000) / np.log(0.9)).astype(int)
    np.testing.assert_allclose(res.values[:, -1], 1000 * 0.9**k)
    for j in range(4):
        p = stats.binom(3, 0.2).pmf(j)
        assert abs((k == j).mean() - p) < 4 * np.sqrt(p * (1 - p) / N)


def test_shocks_only_strike_inside_their_window(tmp_path: Path) -> None:
    res = simulate(build(tmp_path, shocks=[shock(years=2032, probability=1.0)]), paths=100, seed=5)
    np.testing.assert_array_equal(res.shock_hits["slowdown"], [0, 1, 0])
    np.testing.assert_allclose(res.values, np.tile([1000, 900, 900], (100, 1)))


def test_once_shocks_strike_at_most_once(tmp_path: Path) -> None:
    res = simulate(build(tmp_path, shocks=[shock(once=True)]), paths=N, seed=6)
    final = res.values[:, -1]
    assert set(np.round(np.unique(final), 6)) <= {900.0, 1000.0}
    p_any = 1 - 0.8**3
    assert abs((final < 950).mean() - p_any) < 4 * np.sqrt(p_any * (1 - p_any) / N)
    expected = [0.2, 0.8 * 0.2, 0.8**2 * 0.2]
    for got, p in zip(res.shock_hits["slowdown"], expected, strict=True):
        assert abs(got - p) < 4 * np.sqrt(p * (1 - p) / N)
    assert res.shock_hits["slowdown"].sum() == pytest.approx((final < 950).mean())


@pytest.mark.parametrize("recovery", [0.0, 0.5, 1.0])
def test_recovery_restores_the_level_the_year_after(tmp_path: Path, recovery: float) -> None:
    sc = build(
        tmp_path,
        growth=fixed(0.1),
        shocks=[
            shock(
                years=2031,
                probability=1.0,
                impact={"dist": "normal", "mean": -0.2, "sd": 0.0},
                recovery=recovery,
            )
        ],
    )
    res = simulate(sc, paths=10, seed=1)
    lost = 0.8 ** (1 - recovery)
    expected = [1100 * 0.8, 1210 * lost, 1331 * lost]
    np.testing.assert_allclose(res.values, np.tile(expected, (10, 1)), rtol=1e-12)


def test_shock_on_one_component_leaves_the_other(tmp_path: Path) -> None:
    comps = two_components({"dist": "fixed", "value": 0.0}, {"dist": "fixed", "value": 0.0})
    sc = build(
        tmp_path, components=comps, shocks=[shock(years=2031, probability=1.0, components=["a"])]
    )
    res = simulate(sc, paths=5, seed=1)
    np.testing.assert_allclose(res.components["a"][:, 0], 360)
    np.testing.assert_allclose(res.components["b"][:, 0], 600)
    np.testing.assert_allclose(res.values[:, 0], 960)


# -- levers --------------------------------------------------------------------------------------


def test_fixed_lever_adds_to_growth_in_its_years(tmp_path: Path) -> None:
    lever = {"name": "ai", "years": "2032-2033", "dist": "fixed", "value": 0.03}
    res = simulate(build(tmp_path, growth=fixed(0.1), levers=[lever]), paths=3, seed=1)
    expected = 1000 * np.cumprod([1.1, 1.13, 1.13])
    np.testing.assert_allclose(res.values, np.tile(expected, (3, 1)))


def test_lever_is_drawn_once_per_path_with_its_marginal(tmp_path: Path) -> None:
    lever = {"name": "ai", "years": "2031-2033", "dist": "uniform", "low": 0.0, "high": 0.06}
    res = simulate(build(tmp_path, levers=[lever]), paths=20_000, seed=2)
    g = res.values / np.column_stack([np.full(res.paths, 1000.0), res.values[:, :-1]]) - 1
    np.testing.assert_allclose(g[:, 1], g[:, 0])
    np.testing.assert_allclose(g[:, 2], g[:, 0])
    assert stats.kstest(g[:, 0], stats.uniform(0, 0.06).cdf).pvalue > 0.01


def test_lever_on_one_component(tmp_path: Path) -> None:
    comps = two_components({"dist": "fixed", "value": 0.0}, {"dist": "fixed", "value": 0.0})
    lever = {"name": "ai", "years": 2031, "dist": "fixed", "value": 0.5, "components": ["a"]}
    res = simulate(build(tmp_path, components=comps, levers=[lever]), paths=2, seed=1)
    np.testing.assert_allclose(res.components["a"][:, 0], 600)
    np.testing.assert_allclose(res.components["b"][:, 0], 600)


# -- limits and plain compounding ------------------------------------------------------------------


def test_sd_zero_reproduces_plain_compounding(tmp_path: Path) -> None:
    growth = [{"years": "2031-2033", "dist": "normal", "mean": 0.19, "sd": 0.0}]
    res = simulate(build(tmp_path, growth=growth, persistence=0.7), paths=4, seed=1)
    np.testing.assert_allclose(
        res.values, np.tile(1000 * 1.19 ** np.arange(1, 4), (4, 1)), rtol=1e-14
    )


def test_cap_binds_as_reported(tmp_path: Path) -> None:
    res = simulate(build(tmp_path, growth=fixed(0.5), limits={"cap": 0.3}), paths=50, seed=1)
    np.testing.assert_array_equal(res.cap_binds, [1, 1, 1])
    np.testing.assert_array_equal(res.floor_binds, [0, 0, 0])
    np.testing.assert_allclose(res.values, np.tile(1000 * 1.3 ** np.arange(1, 4), (50, 1)))


def test_floor_binds_as_reported(tmp_path: Path) -> None:
    res = simulate(build(tmp_path, growth=fixed(-0.7)), paths=50, seed=1)
    np.testing.assert_array_equal(res.floor_binds, [1, 1, 1])
    np.testing.assert_allclose(res.values, np.tile(1000 * 0.5 ** np.arange(1, 4), (50, 1)))


def test_cap_bind_share_matches_the_tail(tmp_path: Path) -> None:
    growth = [{"years": "2031-2033", "dist": "normal", "mean": 0.2, "sd": 0.1}]
    n = 40_000
    res = simulate(build(tmp_path, growth=growth, limits={"cap": 0.3}), paths=n, seed=1)
    p = stats.norm.sf(1.0)
    assert (np.abs(res.cap_binds - p) < 4 * np.sqrt(p * (1 - p) / n)).all()
    g0 = res.values[:, 0] / 1000 - 1
    assert g0.max() == pytest.approx(0.3)


# -- extends ---------------------------------------------------------------------------------

PARENT = """\
name: parent
base: {fiscal_year: 2030, value: 1000}
horizon: 2035
seed: 7
growth:
  - years: 2031-2035
    dist: normal
    mean: 0.1
    sd: 0.05
levers:
  - name: ai
    years: 2032-2035
    dist: uniform
    low: 0.0
    high: 0.04
    description: AI push
  - name: policy
    years: 2031
    dist: fixed
    value: 0.01
shocks:
  - name: slowdown
    years: 2032-2033
    probability: 0.2
    impact: {dist: normal, mean: -0.1, sd: 0.03}
limits: {floor: -0.4, cap: 0.8}
targets:
  - {name: five, fiscal_year: 2031, value: 5000}
  - {name: ten, fiscal_year: 2034, value: 10000}
"""


def family(tmp_path: Path, child: str, parent: str = PARENT) -> Scenario:
    (tmp_path / "parent.yaml").write_text(parent)
    (tmp_path / "child.yaml").write_text(child)
    return load_scenario(tmp_path / "child.yaml")


def test_extends_inherits_everything(tmp_path: Path) -> None:
    sc = family(tmp_path, "extends: parent.yaml\nname: child\n")
    parent = load_scenario(tmp_path / "parent.yaml")
    a = sc.model_dump(exclude={"name", "extends"})
    assert a == parent.model_dump(exclude={"name", "extends"})
    assert sc.name == "child" and sc.extends == "parent.yaml"
    assert sc.sha256 != parent.sha256


def test_extends_overrides_growth_by_year_range(tmp_path: Path) -> None:
    child = """\
extends: parent.yaml
name: child
growth:
  - years: 2033-2034
    dist: fixed
    value: 0.3
"""
    sc = family(tmp_path, child)
    spans = sorted((tuple(g.years), g.dist) for g in sc.growth or [])
    assert spans == [((2031, 2032), "normal"), ((2033, 2034), "fixed"), ((2035, 2035), "normal")]
    by_year = {g.years: g for g in sc.growth or []}
    assert by_year[(2035, 2035)].sd == 0.05  # type: ignore[attr-defined]


def test_extends_merges_named_lists_by_name(tmp_path: Path) -> None:
    child = """\
extends: parent.yaml
name: child
levers:
  - name: ai
    high: 0.06
  - name: policy
    dist: uniform
    low: 0.0
    high: 0.02
  - name: new
    years: 2035
    dist: fixed
    value: 0.01
shocks:
  - name: slowdown
    probability: 0.5
targets:
  - {name: ten, value: 12000}
"""
    sc = family(tmp_path, child)
    ai, policy, new = sc.levers
    assert (ai.name, ai.dist, ai.low, ai.high, ai.years, ai.description) == (  # type: ignore[attr-defined]
        "ai",
        "uniform",
        0.0,
        0.06,
        (2032, 2035),
        "AI push",
    )
    assert (policy.dist, policy.low, policy.high, policy.years) == (
        "uniform",
        0.0,
        0.02,
        (2031, 2031),
    )  # type: ignore[attr-defined]
    assert new.name == "new"
    [s] = sc.shocks
    assert s.probability == 0.5 and s.years == (2032, 2033) and s.impact.mean() == -0.1
    assert [(t.name, t.fiscal_year, t.value) for t in sc.targets] == [
        ("five", 2031, 5000),
        ("ten", 2034, 12000),
    ]


def test_extends_merges_maps_key_by_key_and_null_removes(tmp_path: Path) -> None:
    child = "extends: parent.yaml\nname: child\nlimits: {cap: 0.5}\nseed: null\nshocks: null\n"
    sc = family(tmp_path, child)
    assert (sc.limits.floor, sc.limits.cap) == (-0.4, 0.5)
    assert sc.seed is None
    assert sc.shocks == []


def test_extends_replaces_a_nested_distribution(tmp_path: Path) -> None:
    child = (
        "extends: parent.yaml\nname: child\n"
        "shocks:\n  - name: slowdown\n    impact: {dist: fixed, value: -0.2}\n"
    )
    [s] = family(tmp_path, child).shocks
    assert s.impact.dist == "fixed" and s.impact.mean() == -0.2


def test_extends_relative_paths(tmp_path: Path) -> None:
    sub = tmp_path / "variants" / "deep"
    sub.mkdir(parents=True)
    (tmp_path / "parent.yaml").write_text(PARENT)
    (sub / "child.yaml").write_text("extends: ../../parent.yaml\nname: child\n")
    assert load_scenario(sub / "child.yaml").horizon == 2035


def test_extends_errors_point_into_the_right_file(tmp_path: Path) -> None:
    (tmp_path / "parent.yaml").write_text(PARENT.replace("sd: 0.05", "sd: -0.05"))
    (tmp_path / "child.yaml").write_text("extends: parent.yaml\nname: child\npaths: 0\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "child.yaml")
    lines = str(info.value).replace(str(tmp_path) + "/", "").splitlines()
    assert lines == [
        "child.yaml:3: paths: must be >= 1 (got 0)",
        "parent.yaml:9: growth[0].sd: must be >= 0 (got -0.05)",
    ]


def test_extends_cycle_names_the_chain(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nextends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("name: b\n\nextends: c.yaml\n")
    (tmp_path / "c.yaml").write_text("extends: a.yaml\nname: c\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "a.yaml")
    assert (
        str(info.value)
        == f"{tmp_path / 'c.yaml'}:1: extends: cycle: a.yaml -> b.yaml -> c.yaml -> a.yaml"
    )


def test_extends_self(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nextends: a.yaml\n")
    with pytest.raises(ScenarioError, match=r"a\.yaml:2: extends: cycle: a\.yaml -> a\.yaml$"):
        load_scenario(tmp_path / "a.yaml")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("missing.yaml", "file not found: {tmp}/missing.yaml"),
        ("5", "must be a file name such as baseline.yaml (relative to this file)"),
        ("''", "must be a file name such as baseline.yaml (relative to this file)"),
        ("sub", "{tmp}/sub is a directory; expected a scenario file"),
    ],
)
def test_extends_bad_reference(tmp_path: Path, ref: str, message: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.yaml").write_text(f"name: a\nextends: {ref}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "a.yaml")
    assert str(info.value) == f"{tmp_path / 'a.yaml'}:2: extends: " + message.format(tmp=tmp_path)


# -- dump and load ---------------------------------------------------------------------------------


def test_dump_load_round_trip(tmp_path: Path) -> None:
    sc = family(tmp_path, "extends: parent.yaml\nname: child\n")
    text = dump_scenario(sc)
    path = tmp_path / "dumped.yaml"
    path.write_text(text)
    again = load_scenario(path)
    assert again.model_dump(exclude={"extends"}) == sc.model_dump(exclude={"extends"})


def test_json_schema_is_valid_json() -> None:
    import json

    schema = json.loads(json.dumps(Scenario.model_json_schema()))
    assert "growth" in schema["properties"]
    assert schema["additionalProperties"] is False
