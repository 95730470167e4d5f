"""The CLI's validate and schema commands, in-process: exact error lines, exit code 2."""
# ruff: noqa: E501  (expected error lines read best unbroken)

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import cli

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: x\ngrowth:\n  - years: 2026-2030\n    dist: lognorm\n    mean: 0.1\n    sd: 0.1\n",
            ["bad.yaml:4: growth[0].dist: unknown dist 'lognorm' (did you mean 'lognormal'?); "
             "expected one of: normal, lognormal, t, triangular, pert, uniform, split_normal, "
             "fixed, interval, log_t, percentiles"],
        ),
        (
            "name: x\ngrowth:\n  - years: 2026-2030\n    dist: normal\n    mean: 0.1\n    sd: -0.02\n"
            "persistance: 0.2\n",
            ["bad.yaml:6: growth[0].sd: must be >= 0 (got -0.02)",
             "bad.yaml:7: persistance: unknown key 'persistance' (did you mean 'persistence'?); "
             "allowed: actuals, allow_large_growth, base, components, correlation, description, extends, growth, "
             "horizon, levers, limits, name, nowcast, paths, persistence, sampler, seed, shocks, targets"],
        ),
        ("!!python/object/apply:os.system ['true']\n",
         ["bad.yaml:1: YAML tag refused: 'tag:yaml.org,2002:python/object/apply:os.system'; "
          "only plain YAML (mappings, lists, text, numbers)"]),
        (
            "name: x\nhorizon: 2030\ngrowth:\n  - years: 2026-2028\n    dist: fixed\n    value: 0.1\n",
            ["bad.yaml:3: growth: no growth range covers fiscal year(s) 2029-2030; ranges must "
             "cover 2026-2030 exactly once"],
        ),
    ],
)  # fmt: skip
def test_validate_prints_one_line_per_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.yaml").write_text(text)
    code, out, err = invoke("validate", "bad.yaml")
    assert code == 2
    assert out == ""
    assert err.splitlines() == expected
    assert "Traceback" not in err


def test_validate_several_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("empty.yaml").write_text("")
    Path("bin.yaml").write_bytes(b"\x00\x01")
    code, _, err = invoke("validate", "empty.yaml", "missing.yaml", "bin.yaml", ".")
    assert code == 2
    assert err.splitlines() == [
        "empty.yaml: empty file; expected a YAML mapping with name, growth, ...",
        "missing.yaml: file not found",
        "bin.yaml: binary file; expected YAML text",
        ".: is a directory; expected a YAML scenario file",
    ]


def test_validate_good_files() -> None:
    files = [str(p) for p in sorted(SCENARIOS.glob("*.yaml"))]
    code, out, err = invoke("validate", *files)
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"{f}: ok" for f in files]


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("name: x\n")
    result = CliRunner().invoke(cli, ["--debug", "run", str(tmp_path / "bad.yaml")])
    assert result.exit_code != 2
    assert result.exception is not None


def test_schema_is_json_schema_for_the_format(tmp_path: Path) -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    for path in sorted(SCENARIOS.glob("*.yaml")):
        validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    bad = yaml.safe_load("name: x\npersistance: 0.2\ngrowth: []\n")
    assert not validator.is_valid(bad)
    bad = yaml.safe_load("name: x\ngrowth: [{years: 2026-2030, dist: lognorm, mean: 0, sd: 0}]\n")
    assert not validator.is_valid(bad)


def test_schema_help() -> None:
    code, out, _ = invoke("schema", "--help")
    assert code == 0 and "JSON Schema" in out
