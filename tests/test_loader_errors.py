"""Every mistake in a scenario file becomes one clear ``FILE:LINE: key.path: message`` line."""
# ruff: noqa: E501  (expected error lines read best unbroken)

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.errors import ScenarioError, ScenarioErrors
from simulator.scenario.loader import load_scenario

HEAD = """\
name: Test
base: {fiscal_year: 2025, value: 3810}
horizon: 2030
"""
GROWTH = """\
growth:
  - years: 2026-2030
    dist: normal
    mean: 0.19
    sd: 0.06
"""


def errors_of(tmp_path: Path, text: str | bytes, name: str = "s.yaml") -> list[str]:
    """Load ``text`` as a file and return its error lines with the tmp folder removed."""
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    errs = info.value.errors if isinstance(info.value, ScenarioErrors) else [info.value]
    return [str(e).replace(str(tmp_path) + "/", "") for e in errs]


def growth_item(body: str) -> str:
    """A scenario whose only growth range is ``body`` (indented keys of one list item)."""
    return HEAD + "growth:\n  - years: 2026-2030\n" + body


# -- distribution parameters ---------------------------------------------------------------------

PARAMETER_CASES = [
    (
        "    dist: t\n    mean: 0.1\n    sd: 0.05\n    df: 2\n",
        "s.yaml:9: growth[0].df: must be > 2 (got 2)",
    ),
    (
        "    dist: triangular\n    low: 0.3\n    mode: 0.1\n    high: 0.4\n",
        "s.yaml:5: growth[0]: need low <= mode <= high (got 0.3, 0.1, 0.4)",
    ),
    (
        "    dist: pert\n    low: 0.1\n    mode: 0.5\n    high: 0.4\n",
        "s.yaml:5: growth[0]: need low <= mode <= high (got 0.1, 0.5, 0.4)",
    ),
    (
        "    dist: uniform\n    low: 0.5\n    high: 0.4\n",
        "s.yaml:5: growth[0]: need low <= high (got low 0.5 > high 0.4)",
    ),
    (
        "    dist: normal\n    mean: 0.1\n    sd: -0.02\n",
        "s.yaml:8: growth[0].sd: must be >= 0 (got -0.02)",
    ),
    (
        "    dist: split_normal\n    mode: 0.1\n    sd_low: -1\n    sd_high: 0.1\n",
        "s.yaml:8: growth[0].sd_low: must be >= 0 (got -1)",
    ),
    (
        "    dist: lognormal\n    mean: -1.5\n    sd: 0.1\n",
        "s.yaml:7: growth[0].mean: must be > -1 (got -1.5)",
    ),
    (
        "    dist: normal\n    mean: .nan\n    sd: 0.1\n",
        "s.yaml:7: growth[0].mean: must be a finite number (not NaN or inf)",
    ),
    (
        "    dist: normal\n    mean: 0.1\n    sd: .inf\n",
        "s.yaml:8: growth[0].sd: must be a finite number (not NaN or inf)",
    ),
    (
        "    dist: normal\n    mean: '0.1'\n    sd: 0.1\n",
        "s.yaml:7: growth[0].mean: must be a number (got '0.1')",
    ),
    (
        "    dist: normal\n    mean: yes\n    sd: 0.1\n",
        "s.yaml:7: growth[0].mean: must be a number (got true)",
    ),
    (
        "    dist: normal\n    mean: [1]\n    sd: 0.1\n",
        "s.yaml:7: growth[0].mean: must be a number (got a list)",
    ),
    (
        "    dist: interval\n    low: 0.1\n    high: 0.2\n    level: 1.5\n",
        "s.yaml:9: growth[0].level: must be < 1 (got 1.5)",
    ),
    ("    dist: fixed\n", "s.yaml:5: growth[0].value: required key is missing"),
    (
        "    dist: lognorm\n    mean: 0.1\n    sd: 0.1\n",
        "s.yaml:6: growth[0].dist: unknown dist 'lognorm' (did you mean 'lognormal'?); expected one "
        "of: normal, lognormal, t, triangular, pert, uniform, split_normal, fixed, interval, log_t, percentiles",
    ),
    (
        "    mean: 0.1\n    sd: 0.1\n",
        "s.yaml:5: growth[0].dist: required key is missing; expected one of: normal, lognormal, t, "
        "triangular, pert, uniform, split_normal, fixed, interval, log_t, percentiles",
    ),
]


@pytest.mark.parametrize(("body", "expected"), PARAMETER_CASES)
def test_parameter_errors(tmp_path: Path, body: str, expected: str) -> None:
    assert errors_of(tmp_path, growth_item(body)) == [expected]


# -- wrong types and values at the top level ---------------------------------------------------

TOP_CASES = [
    (HEAD + GROWTH + "persistence: 1.5\n", "s.yaml:9: persistence: must be <= 0.99 (got 1.5)"),
    (HEAD + GROWTH + "persistence: high\n", "s.yaml:9: persistence: must be a number (got 'high')"),
    (HEAD + GROWTH + "paths: 1.5\n", "s.yaml:9: paths: must be a whole number (got 1.5)"),
    (HEAD + GROWTH + "seed: -1\n", "s.yaml:9: seed: must be >= 0 (got -1)"),
    (HEAD + GROWTH + "name: [1]\n", "s.yaml:9: name: duplicate key (first on line 1)"),
    ("name: [1]\n" + GROWTH, "s.yaml:1: name: must be text (got a list)"),
    ("name: ''\n" + GROWTH, "s.yaml:1: name: must not be empty (got '')"),
    (
        HEAD.replace("horizon: 2030", "horizon: soon") + GROWTH,
        "s.yaml:3: horizon: must be a whole number (got 'soon')",
    ),
    (
        "name: x\nbase: hist\n" + GROWTH,
        "s.yaml:2: base: must be 'history' or a mapping {fiscal_year, value} (got 'hist')",
    ),
    (
        "name: x\nbase: {fiscal_year: 2025, valu: 3810}\n" + GROWTH,
        "s.yaml:2: base.valu: unknown key 'valu' (did you mean 'value'?); allowed: fiscal_year, value",
    ),
    ("name: x\ngrowth: 5\n", "s.yaml:2: growth: must be a list (got 5)"),
    ("name: x\n", "s.yaml:1: growth: required: a list of year ranges, each with a dist"),
    ("growth: []\n", "s.yaml:1: name: required key is missing"),
    (
        HEAD + GROWTH + "persistance: 0.3\n",
        "s.yaml:9: persistance: unknown key 'persistance' (did you mean 'persistence'?); allowed: "
        "actuals, allow_large_growth, base, components, correlation, description, extends, growth, horizon, levers, "
        "limits, name, nowcast, paths, persistence, sampler, seed, shocks, targets",
    ),
    (
        HEAD + GROWTH + "targets: uran\n",
        "s.yaml:9: targets: unknown target set 'uran' (did you mean 'uraan'?); expected 'uraan' or a "
        "list of {name, fiscal_year, value}",
    ),
    (
        HEAD + GROWTH + "limits: {floor: 0.2, cap: 0.1}\n",
        "s.yaml:9: limits: need floor <= cap (got floor 0.2 > cap 0.1)",
    ),
    (HEAD + GROWTH + "limits: {floor: -1}\n", "s.yaml:9: limits.floor: must be > -1 (got -1)"),
]


@pytest.mark.parametrize(("text", "expected"), TOP_CASES)
def test_top_level_errors(tmp_path: Path, text: str, expected: str) -> None:
    assert errors_of(tmp_path, text) == [expected]


# -- year ranges ---------------------------------------------------------------------------------


def test_overlapping_year_ranges(tmp_path: Path) -> None:
    text = (
        HEAD
        + GROWTH.replace("2026-2030", "2026-2028")
        + GROWTH.split("\n", 1)[1].replace("2026-2030", "2028-2030")
    )
    assert errors_of(tmp_path, text) == [
        "s.yaml:9: growth[1].years: year ranges 2026-2028 and 2028-2030 overlap; each year must "
        "be covered exactly once"
    ]


def test_missing_years_are_named(tmp_path: Path) -> None:
    from simulator.scenario.check import validate_files

    text = (
        HEAD
        + GROWTH.replace("2026-2030", "2026-2027")
        + GROWTH.split("\n", 1)[1].replace("2026-2030", "2029-2030")
    )
    (tmp_path / "s.yaml").write_text(text)
    problems = [
        str(p).replace(str(tmp_path) + "/", "") for p in validate_files([str(tmp_path / "s.yaml")])
    ]
    assert problems == [
        "s.yaml:4: growth: no growth range covers fiscal year(s) 2028; ranges must cover "
        "2026-2030 exactly once"
    ]


@pytest.mark.parametrize(
    ("years", "message"),
    [
        (
            "2026-20x0",
            "bad year range '2026-20x0'; expected a fiscal year such as 2027 or a range such as 2026-2030 (FY26-FY30 also works)",
        ),
        ("2030-2026", "range 2030-2026 runs backwards; write it as 2026-2030"),
        ("1990-2030", "fiscal year 1990 out of range 2000-2100"),
        ("true", "expected a fiscal year such as 2027 or a range such as 2026-2030 (got true)"),
    ],
)
def test_bad_year_ranges(tmp_path: Path, years: str, message: str) -> None:
    text = HEAD + GROWTH.replace("2026-2030", years)
    assert errors_of(tmp_path, text) == [f"s.yaml:5: growth[0].years: {message}"]


# -- unknown keys everywhere get the right line and a hint ---------------------------------------

FULL = (
    HEAD
    + GROWTH
    + """\
levers:
  - name: ai
    years: 2027-2030
    dist: uniform
    low: 0.0
    high: 0.05
shocks:
  - name: slowdown
    years: 2027-2028
    probability: 0.2
    impact: {dist: normal, mean: -0.1, sd: 0.03}
    recovery: 0.5
limits:
  floor: -0.3
  cap: 0.6
targets:
  - name: five
    fiscal_year: 2026
    value: 5000
"""
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    sd: 0.06\n",
            "    sdd: 0.06\n",
            [
                "s.yaml:8: growth[0].sdd: unknown key 'sdd' (did you mean 'sd'?); allowed: allow_large_growth, dist, mean, sd, years",
            ],
        ),
        (
            "    high: 0.05\n",
            "    high: 0.05\n    descripton: x\n",
            [
                "s.yaml:15: levers[0].descripton: unknown key 'descripton' (did you mean 'description'?); "
                "allowed: allow_large_growth, components, description, dist, high, low, name, ramp, years",
            ],
        ),
        (
            "    recovery: 0.5\n",
            "    recovry: 0.5\n",
            [
                "s.yaml:20: shocks[0].recovry: unknown key 'recovry' (did you mean 'recovery'?); allowed: "
                "allow_large_growth, components, description, duration, impact, name, once, probability, recovery, years",
            ],
        ),
        (
            "sd: 0.03}",
            "sd: 0.03, men: 1}",
            [
                "s.yaml:19: shocks[0].impact.men: unknown key 'men' (did you mean 'mean'?); allowed: dist, mean, sd",
            ],
        ),
        (
            "dist: normal, mean: -0.1",
            "dist: normall, mean: -0.1",
            [
                "s.yaml:19: shocks[0].impact.dist: unknown dist 'normall' (did you mean 'normal'?); expected "
                "one of: normal, lognormal, t, triangular, pert, uniform, split_normal, fixed, interval, log_t, percentiles",
            ],
        ),
        (
            "  cap: 0.6\n",
            "  capp: 0.6\n",
            [
                "s.yaml:23: limits.capp: unknown key 'capp' (did you mean 'cap'?); allowed: allow_large_growth, cap, floor",
            ],
        ),
        (
            "    value: 5000\n",
            "    valeu: 5000\n",
            [
                "s.yaml:27: targets[0].valeu: unknown key 'valeu' (did you mean 'value'?); allowed: "
                "component, fiscal_year, kind, name, source, value",
            ],
        ),
        (
            "    probability: 0.2\n",
            "    probability: 1.2\n",
            [
                "s.yaml:18: shocks[0].probability: must be <= 1 (got 1.2)",
            ],
        ),
        (
            "    probability: 0.2\n",
            "    probability: -0.2\n",
            [
                "s.yaml:18: shocks[0].probability: must be >= 0 (got -0.2)",
            ],
        ),
        (
            "    recovery: 0.5\n",
            "    recovery: .nan\n",
            [
                "s.yaml:20: shocks[0].recovery: must be a finite number (not NaN or inf)",
            ],
        ),
        (
            "    dist: uniform\n",
            "    dist: unifrom\n",
            [
                "s.yaml:12: levers[0].dist: unknown dist 'unifrom' (did you mean 'uniform'?); expected "
                "one of: normal, lognormal, t, triangular, pert, uniform, split_normal, fixed, interval, log_t, percentiles",
            ],
        ),
        (
            "    impact: {dist: normal, mean: -0.1, sd: 0.03}\n",
            "    impact: {dist: fixed, value: -1}\n",
            [
                "s.yaml:19: shocks[0].impact.value: must be > -1: a fall of 100% or more is "
                "impossible (got -1)",
            ],
        ),
        (
            "  cap: 0.6\n",
            "  cap: 0.6\n  once: true\n",
            [
                "s.yaml:24: limits.once: unknown key 'once'; allowed: allow_large_growth, cap, floor",
            ],
        ),
    ],
)
def test_unknown_keys_and_bad_values_in_every_section(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    assert old in FULL
    assert errors_of(tmp_path, FULL.replace(old, new, 1)) == expected


def test_full_scenario_is_valid(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(FULL)
    sc = load_scenario(tmp_path / "s.yaml")
    assert sc.levers[0].name == "ai" and sc.shocks[0].recovery == 0.5


# -- components and correlation ---------------------------------------------------------------

COMPONENTS = (
    HEAD
    + GROWTH
    + """\
components:
  - name: call_centres
    base: 328
    growth:
      - years: 2026-2030
        dist: normal
        mean: 0.2
        sd: 0.05
  - name: rest_of_ict
    base: rest
correlation:
  - [1, 0.5]
  - [0.5, 1]
"""
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  - [1, 0.5]\n  - [0.5, 1]\n",
            "  - [1, 0.5, 0]\n  - [0.5, 1, 0]\n  - [0, 0, 1]\n",
            [
                "s.yaml:19: correlation: must be a 2x2 matrix, one row and column per component",
            ],
        ),
        (
            "  - [0.5, 1]\n",
            "  - [0.4, 1]\n",
            [
                "s.yaml:20: correlation[0][1]: must be symmetric: [0][1] = 0.5 but [1][0] = 0.4",
            ],
        ),
        (
            "  - [1, 0.5]\n",
            "  - [0.9, 0.5]\n",
            [
                "s.yaml:20: correlation[0][0]: diagonal entries must be 1 (got 0.9)",
            ],
        ),
        (
            "  - [1, 0.5]\n  - [0.5, 1]\n",
            "  - [1, 1.5]\n  - [1.5, 1]\n",
            [
                "s.yaml:20: correlation[0][1]: entries must lie in [-1, 1] (got 1.5)",
            ],
        ),
        (
            "    base: rest\n",
            "    base: rset\n",
            [
                "s.yaml:18: components[1].base: must be 'rest', a value in USD million, or a mapping "
                "{value} or {share} (got 'rset')",
            ],
        ),
        (
            "    base: 328\n",
            "    base: {share: 2}\n",
            [
                "s.yaml:11: components[0].base.share: must be <= 1 (got 2)",
            ],
        ),
        (
            "    base: 328\n",
            "    base: {value: 328, share: 0.1}\n",
            [
                "s.yaml:11: components[0].base: give exactly one of value (USD million) or share (0-1)",
            ],
        ),
        (
            "    base: 328\n",
            "    base: 328\n    grwth: []\n",
            [
                "s.yaml:12: components[0].grwth: unknown key 'grwth' (did you mean 'growth'?); allowed: "
                "base, description, growth, name",
            ],
        ),
        (
            "        sd: 0.05\n",
            "        sd: 0.05\n        sdd: 1\n",
            [
                "s.yaml:17: components[0].growth[0].sdd: unknown key 'sdd' (did you mean 'sd'?); allowed: "
                "allow_large_growth, dist, mean, sd, years",
            ],
        ),
        (
            "  - name: rest_of_ict\n    base: rest\n",
            "  - name: call_centres\n    base: rest\n",
            [
                "s.yaml:17: components[1].name: duplicate name 'call_centres'; names must be unique",
            ],
        ),
    ],
)
def test_component_errors(tmp_path: Path, old: str, new: str, expected: list[str]) -> None:
    assert old in COMPONENTS
    assert errors_of(tmp_path, COMPONENTS.replace(old, new, 1)) == expected


def test_lever_on_unknown_component(tmp_path: Path) -> None:
    text = COMPONENTS + (
        "levers:\n  - {name: ai, years: 2027-2030, dist: fixed, value: 0.02, components: [call_centre]}\n"
    )
    assert errors_of(tmp_path, text) == [
        "s.yaml:23: levers[0].components: unknown component 'call_centre' (did you mean "
        "'call_centres'?); expected one of: call_centres, rest_of_ict"
    ]


def test_correlation_without_components(tmp_path: Path) -> None:
    text = HEAD + GROWTH + "correlation: [[1]]\n"
    assert errors_of(tmp_path, text) == ["s.yaml:9: correlation: needs components; there are none"]


# -- the file itself ---------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"nope\.yaml: file not found$"):
        load_scenario(tmp_path / "nope.yaml")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is a directory; expected a YAML scenario file"):
        load_scenario(tmp_path)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"name: x\x00\n", "s.yaml: binary file; expected YAML text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "s.yaml: binary file; expected YAML text"),
        (
            b"name: caf\xe9\n",
            "s.yaml: not UTF-8 text (bad byte at offset 9); save the file as UTF-8",
        ),
        (b"", "s.yaml: empty file; expected a YAML mapping with name, growth, ..."),
        (
            b"# only a comment\n\n",
            "s.yaml: empty file; expected a YAML mapping with name, growth, ...",
        ),
        (
            b"- a\n- b\n",
            "s.yaml:1: top level must be a mapping of keys (name, growth, ...); got a list",
        ),
        (
            b"just text\n",
            "s.yaml:1: top level must be a mapping of keys (name, growth, ...); got 'just text'",
        ),
        (
            b"name: x\ngrowth: [{years: 2026\n",
            "s.yaml:3: YAML syntax: expected ',' or '}', but got '<stream end>'",
        ),
        (b"name: x\n  bad: indent\n", "s.yaml:2: YAML syntax: mapping values are not allowed here"),
        (b"name: x\nname: y\n", "s.yaml:2: name: duplicate key (first on line 1)"),
    ],
)
def test_bad_files(tmp_path: Path, raw: bytes, expected: str) -> None:
    assert errors_of(tmp_path, raw) == [expected]


def test_utf8_bom_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + GROWTH).encode())
    assert load_scenario(path).name == "Test"


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system\nargs: ['touch {marker}']\n",
        "name: !!python/object/apply:os.system ['touch {marker}']\n",
        "name: !!python/name:os.system\n",
        "- !!python/object/new:os.system ['touch {marker}']\n",
        "name: x\ngrowth: !!python/object/apply:os.system ['touch {marker}']\n",
        "name: x\ngrowth: !!set {{a, b}}\n",
    ],
)
def test_python_tags_are_refused_without_running_anything(tmp_path: Path, text: str) -> None:
    marker = tmp_path / "PWNED"
    [line] = errors_of(tmp_path, text.format(marker=marker))
    assert "YAML tag refused: 'tag:yaml.org,2002:" in line
    assert line.endswith("; only plain YAML (mappings, lists, text, numbers)")
    assert not marker.exists()


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    [line] = errors_of(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - start < 2
    assert (
        line
        in {
            "s.yaml: more than 100000 YAML nodes (alias bomb?)",
            "s.yaml:9: YAML: more than 100 aliases at line 9",
        }
        or "aliases" in line
    )


def test_many_aliases_are_refused(tmp_path: Path) -> None:
    text = "x: &x 1\nname: [" + ", ".join(["*x"] * 200) + "]\n"
    [line] = errors_of(tmp_path, text)
    assert "more than 100 aliases" in line


@pytest.mark.parametrize("kind", ["flow", "block"])
def test_deep_nesting_is_refused_quickly(tmp_path: Path, kind: str) -> None:
    if kind == "flow":
        text = "name: " + "[" * 1000 + "]" * 1000 + "\n"
    else:
        text = "name:\n" + "".join(" " * i + "k:\n" for i in range(1, 1000))
    start = time.perf_counter()
    [line] = errors_of(tmp_path, text)
    assert time.perf_counter() - start < 2
    assert line.endswith("nesting deeper than 40 levels")
    assert line.startswith("s.yaml:")


def test_too_large_file(tmp_path: Path) -> None:
    text = HEAD + GROWTH + "description: " + "x" * 1_100_000 + "\n"
    [line] = errors_of(tmp_path, text)
    assert line.startswith("s.yaml: file too large (")


def test_several_errors_come_in_line_order(tmp_path: Path) -> None:
    text = "name: x\npaths: 0\ngrowth:\n  - {years: 2026-2030, dist: normal, mean: 0.1, sd: -1}\nseed: -4\n"
    assert errors_of(tmp_path, text) == [
        "s.yaml:2: paths: must be >= 1 (got 0)",
        "s.yaml:4: growth[0].sd: must be >= 0 (got -1)",
        "s.yaml:5: seed: must be >= 0 (got -4)",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "    dist: normal\n    mean: 0.1\n    sd: 1e308\n",
            "s.yaml:8: growth[0].sd: must be <= 1000 (got 1e+308)",
        ),
        (
            "    dist: uniform\n    low: -1e5\n    high: 0.1\n",
            "s.yaml:7: growth[0].low: must be >= -1000 (got -100000.0)",
        ),
        (
            "    dist: lognormal\n    mean: -0.999\n    sd: 0.5\n",
            "s.yaml:5: growth[0]: sd 0.5 is too large for mean -0.999: a lognormal needs sd <= 100 * (1 + mean)",
        ),
    ],
)
def test_absurd_magnitudes_are_refused(tmp_path: Path, body: str, expected: str) -> None:
    assert errors_of(tmp_path, growth_item(body)) == [expected]


def test_exponent_notation_is_a_number(tmp_path: Path) -> None:
    """YAML 1.1 reads ``6e-2`` as text; the loader reads it as the number an analyst means."""
    path = tmp_path / "s.yaml"
    path.write_text(growth_item("    dist: normal\n    mean: 19e-2\n    sd: 6E-2\n"))
    [g] = load_scenario(path).growth or []
    assert (g.mean(), g.sd) == (0.19, 0.06)  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["levers", "shocks"])
def test_components_named_without_components_is_refused(
    kind: str, write_yaml: Callable[..., Path]
) -> None:
    """A lever or shock naming a component of a scenario that has none (it used to crash `run`
    with a KeyError, or strike nothing while reporting strikes)."""
    item = (
        "  - name: x\n    years: 2027\n    dist: fixed\n    value: 0.05\n"
        if kind == "levers"
        else "  - name: x\n    years: 2027\n    probability: 0.5\n"
        "    impact: {dist: fixed, value: -0.1}\n"
    )
    path = write_yaml(
        "name: s\ngrowth:\n  - years: 2026-2030\n    dist: normal\n    mean: 0.18\n"
        f"    sd: 0.05\n{kind}:\n{item}    components: [nope]\n"
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert f"{kind}[0].components: names component 'nope'" in str(exc.value)
    assert str(exc.value).startswith(f"{path}:")
