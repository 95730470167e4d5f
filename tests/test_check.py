"""Bad inputs are refused the same way by ``validate`` and by ``run``: exit 2, one line naming the
file, the line and the key, no traceback and no output written (issue 13)."""
# ruff: noqa: E501  (expected error lines read best unbroken)

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli

TOTAL = """\
name: x
base: {fiscal_year: 2025, value: 3810}
horizon: 2030
growth:
  - years: 2026-2030
    dist: normal
    mean: 0.19
    sd: 0.06
"""

COMPONENTS = """\
name: x
horizon: 2030
components:
  - name: call_centres
    base: 328
    growth:
      - years: 2026-2030
        dist: normal
        mean: 0.18
        sd: 0.06
  - name: rest
    base: rest
    growth:
      - years: 2026-2030
        dist: normal
        mean: 0.19
        sd: 0.06
"""


def refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> str:
    """The one line both ``validate`` and ``run`` print for scenario ``text`` (checked equal)."""
    monkeypatch.chdir(tmp_path)
    Path("bad.yaml").write_text(text, encoding="utf-8")
    runner = CliRunner()
    v = runner.invoke(cli, ["validate", "bad.yaml"])
    r = runner.invoke(cli, ["run", "bad.yaml", "--paths", "200", "--out", "out"])
    for res in (v, r):
        assert res.exit_code == 2, res.output
        assert res.stdout == ""
        assert "Traceback" not in res.stderr
        assert len(res.stderr.splitlines()) == 1, res.stderr
    assert v.stderr == r.stderr
    assert not Path("out").exists()
    return v.stderr.strip()


def accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """``validate`` passes ``text`` and ``run`` runs it."""
    monkeypatch.chdir(tmp_path)
    Path("ok.yaml").write_text(text, encoding="utf-8")
    runner = CliRunner()
    v = runner.invoke(cli, ["validate", "ok.yaml"])
    assert (v.exit_code, v.stdout) == (0, "ok.yaml: ok\n"), v.output
    r = runner.invoke(cli, ["run", "ok.yaml", "--paths", "200", "--out", "out"])
    assert r.exit_code == 0, r.output


# -- percent typed for a fraction ----------------------------------------------------------------

PERCENT_CASES = [
    (
        TOTAL.replace("mean: 0.19", "mean: 25").replace("sd: 0.06", "sd: 10"),
        "bad.yaml:7: growth[0].mean: growth is a fraction: 25% is 0.25 (got 25); if you mean 2500% a year, add allow_large_growth: true to the item (or at the top of the file)",
    ),
    (
        TOTAL.replace("sd: 0.06", "sd: 5"),
        "bad.yaml:8: growth[0].sd: growth is a fraction: 5% is 0.05 (got 5); if you mean 500% a year, add allow_large_growth: true to the item (or at the top of the file)",
    ),
    (
        TOTAL.replace(
            "    dist: normal\n    mean: 0.19\n    sd: 0.06\n",
            "    dist: pert\n    low: 0.1\n    mode: 0.18\n    high: 30\n",
        ),
        "bad.yaml:9: growth[0].high: growth is a fraction: 30% is 0.3 (got 30); if you mean 3000% a year, add allow_large_growth: true to the item (or at the top of the file)",
    ),
    (
        TOTAL
        + "levers:\n  - name: ai\n    years: 2027-2030\n    dist: uniform\n    low: 0\n    high: 6\n",
        "bad.yaml:14: levers[0].high: growth is a fraction: 6% is 0.06 (got 6); if you mean 600% a year, add allow_large_growth: true to the item (or at the top of the file)",
    ),
    (
        TOTAL
        + "shocks:\n  - name: s\n    years: 2027-2030\n    probability: 0.2\n    impact: {dist: normal, mean: -10, sd: 0.05}\n",
        "bad.yaml:13: shocks[0].impact.mean: growth is a fraction: -10% is -0.1 (got -10); if you mean -1000% a year, add allow_large_growth: true to the item (or at the top of the file)",
    ),
    (
        TOTAL + "limits: {floor: -0.5, cap: 40}\n",
        "bad.yaml:9: limits.cap: growth is a fraction: 40% is 0.4 (got 40); if you mean 4000% a year, add allow_large_growth: true to limits (or at the top of the file)",
    ),
    (
        COMPONENTS.replace("sd: 0.06\n  - name: rest", "sd: 8\n  - name: rest"),
        "bad.yaml:10: components[0].growth[0].sd: growth is a fraction: 8% is 0.08 (got 8); if you mean 800% a year, add allow_large_growth: true to the item (or at the top of the file)",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PERCENT_CASES)
def test_percent_for_fraction_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    assert refused(tmp_path, monkeypatch, text) == expected


def test_large_growth_said_on_the_item_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lever = "levers:\n  - {name: boom, years: 2027, dist: uniform, low: -0.1, high: 1.2, allow_large_growth: true}\n"
    accepted(tmp_path, monkeypatch, TOTAL + lever + "limits: {cap: 3, allow_large_growth: true}\n")


def test_large_growth_said_at_the_top_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lever = "levers:\n  - {name: boom, years: 2027, dist: uniform, low: -0.1, high: 1.2}\n"
    text = TOTAL + lever + "allow_large_growth: true\n"
    accepted(tmp_path, monkeypatch, text + "limits: {cap: 3}\n")


def test_growth_of_exactly_100_percent_is_not_a_typo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("ok.yaml").write_text(TOTAL.replace("sd: 0.06", "sd: 1.0") + "limits: {cap: 1}\n")
    v = CliRunner().invoke(cli, ["validate", "ok.yaml"])
    assert (v.exit_code, v.stdout) == (0, "ok.yaml: ok\n"), v.output


# -- validate checks what run checks -----------------------------------------------------------


def test_a_target_beyond_the_horizon_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = TOTAL + "targets:\n  - name: Far\n    fiscal_year: 2035\n    value: 30000\n"
    assert refused(tmp_path, monkeypatch, text) == (
        "bad.yaml:11: targets[0].fiscal_year: FY2035 is after the horizon 2030, so it cannot be "
        "judged; set horizon: 2035 or drop the target"
    )


def test_the_default_targets_may_lie_beyond_the_horizon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``targets: uraan`` is the same set whatever the horizon; later ones read "beyond horizon"."""
    text = TOTAL.replace("horizon: 2030", "horizon: 2028").replace("2026-2030", "2026-2028")
    accepted(tmp_path, monkeypatch, text)


def two_months(tmp_path: Path) -> Path:
    csv = tmp_path / "two.csv"
    csv.write_text("month,usd_million\n2025-07,354\n2025-08,327\n", encoding="utf-8")
    return csv


def test_actuals_with_only_two_months_of_the_year_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """July-August alone used to drop the current year silently (the nowcast had nothing to
    compare them with, so FY26 was projected as if no month were known)."""
    two_months(tmp_path)
    text = TOTAL.replace("base: {fiscal_year: 2025, value: 3810}\n", "") + "actuals: two.csv\n"
    assert refused(tmp_path, monkeypatch, text) == (
        "two.csv:2: month: holds 2 month(s) of FY2026 but not all twelve months of FY2025, which "
        "the nowcast compares them with; add the earlier months (the bundled "
        "simulator/data/ict_exports_monthly.csv has them) or set nowcast: false to project "
        "FY2026 from the base alone"
    )


def test_two_months_with_the_nowcast_off_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_months(tmp_path)
    text = TOTAL.replace("base: {fiscal_year: 2025, value: 3810}\n", "")
    accepted(tmp_path, monkeypatch, text + "actuals: two.csv\nnowcast: false\n")


def test_run_with_two_months_on_the_command_line_is_refused(tmp_path: Path) -> None:
    csv = two_months(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        cli, ["run", "scenarios/baseline.yaml", "--actuals", str(csv), "--out", str(out)]
    )
    assert res.exit_code == 2
    assert res.stderr.startswith(f"{csv}:2: month: holds 2 month(s) of FY2026")
    assert len(res.stderr.splitlines()) == 1
    assert not out.exists()


def test_validate_takes_the_actuals_run_takes(tmp_path: Path) -> None:
    csv = two_months(tmp_path)
    args = ["scenarios/baseline.yaml", "--actuals", str(csv)]
    v = CliRunner().invoke(cli, ["validate", *args])
    r = CliRunner().invoke(cli, ["run", *args, "--out", str(tmp_path / "out")])
    assert (v.exit_code, r.exit_code) == (2, 2)
    assert v.stderr == r.stderr
    assert v.stderr.startswith(f"{csv}:2: month: holds 2 month(s) of FY2026")


def test_months_not_starting_in_july_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = "month,usd_million\n2025-09,366\n2025-10,386\n"
    (tmp_path / "late.csv").write_text(late, encoding="utf-8")
    text = TOTAL.replace("base: {fiscal_year: 2025, value: 3810}\n", "") + "actuals: late.csv\n"
    assert refused(tmp_path, monkeypatch, text) == (
        "late.csv:2: month: holds 2 month(s) of FY2026 starting 2025-09, not July 2025; the "
        "current year's months must start in July; add the earlier months (the bundled "
        "simulator/data/ict_exports_monthly.csv has them) or set nowcast: false to project "
        "FY2026 from the base alone"
    )


def test_a_repaired_correlation_warns_from_validate_as_from_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    three = (
        COMPONENTS.replace(
            "  - name: rest\n",
            "  - name: other\n    base: 100\n    growth: [{years: 2026-2030, dist: fixed, value: 0.1}]\n"
            "  - name: rest\n",
        )
        + "correlation:\n  - [1, 0.9, -0.9]\n  - [0.9, 1, 0.9]\n  - [-0.9, 0.9, 1]\n"
    )
    monkeypatch.chdir(tmp_path)
    Path("c.yaml").write_text(three, encoding="utf-8")
    messages = []
    for args in (["validate", "c.yaml"], ["run", "c.yaml", "--paths", "200", "--out", "o"]):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="simulator.engine.runs"):
            res = CliRunner().invoke(cli, args)
        assert res.exit_code == 0, res.output
        messages.append([r.getMessage() for r in caplog.records])
    assert messages[0] == messages[1]
    [line] = messages[0]
    assert line.startswith("c.yaml: correlation matrix is not positive semi-definite")


# -- validate and run agree on every malformed input of the loader's tests ----------------------


def _loader_cases() -> list[str | bytes]:
    """The malformed scenario texts of tests/test_loader_errors.py, built the same way."""
    from tests import test_loader_errors as le

    def params(test: object) -> list[tuple[object, ...]]:
        marks = getattr(test, "pytestmark", [])
        return [tuple(p) for m in marks if m.name == "parametrize" for p in m.args[1]]

    texts: list[str | bytes] = [le.growth_item(body) for body, _ in le.PARAMETER_CASES]
    texts += [text for text, _ in le.TOP_CASES]
    texts += [
        le.FULL.replace(str(old), str(new), 1)
        for old, new, _ in params(le.test_unknown_keys_and_bad_values_in_every_section)
    ]
    texts += [
        le.COMPONENTS.replace(str(old), str(new), 1)
        for old, new, _ in params(le.test_component_errors)
    ]
    texts += [raw for raw, _ in params(le.test_bad_files) if isinstance(raw, bytes)]
    texts += [
        le.growth_item(str(body)) for body, _ in params(le.test_absurd_magnitudes_are_refused)
    ]
    texts += [text for text, _ in PERCENT_CASES]
    return texts


LOADER_CASES = _loader_cases()


@pytest.mark.parametrize("text", LOADER_CASES, ids=[f"case{i}" for i in range(len(LOADER_CASES))])
def test_validate_and_run_give_the_same_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | bytes
) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("bad.yaml")
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    v = runner.invoke(cli, ["validate", "bad.yaml"])
    r = runner.invoke(cli, ["run", "bad.yaml", "--paths", "200", "--out", "out"])
    assert (v.exit_code, r.exit_code) == (2, 2), (v.output, r.output)
    assert v.stderr == r.stderr
    assert v.stderr.startswith("bad.yaml")
    assert "Traceback" not in v.stderr
    assert not Path("out").exists()


def test_a_misspelt_override_in_a_variant_names_the_inherited_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(__file__).resolve().parent.parent
    text = (
        f"extends: {root / 'scenarios' / 'ai-push.yaml'}\nname: typo\n"
        "levers:\n  - {name: ai_services_pus, high: 0.08}\n"
    )
    assert refused(tmp_path, monkeypatch, text) == (
        "bad.yaml:4: levers[0].name: no inherited lever named 'ai_services_pus' (did you mean "
        "'ai_services_push'?) to override; a new one needs years, dist"
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("3950", "usd_million: implausible value 3,950 for 2025-11"),
        ("1e9", "usd_million: implausible value 1e+09 for 2025-11"),
        ("0", "usd_million:"),
    ],
)
def test_a_bad_month_in_the_actuals_is_refused_by_validate_and_run_alike(
    tmp_path: Path, value: str, problem: str
) -> None:
    """A typo in a new month (3950 for 395), an absurd value or a zero: one line naming the file,
    the row and the value, exit 2 from validate and from run, no traceback, nothing written."""
    bundled = Path(__file__).resolve().parent.parent / "simulator/data/ict_exports_monthly.csv"
    csv = tmp_path / "actuals.csv"
    csv.write_text(bundled.read_text(encoding="utf-8") + f"2025-11,{value},,,\n", encoding="utf-8")
    args = ["scenarios/baseline.yaml", "--actuals", str(csv)]
    out = tmp_path / "out"
    v = CliRunner().invoke(cli, ["validate", *args])
    r = CliRunner().invoke(cli, ["run", *args, "--out", str(out)])
    assert (v.exit_code, r.exit_code) == (2, 2), (v.output, r.output)
    assert v.stderr == r.stderr
    lines = v.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in v.output + r.output
    assert lines[0].startswith(f"{csv}:67: {problem}")
    assert not out.exists()
