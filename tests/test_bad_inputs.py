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
