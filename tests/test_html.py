"""Interactive HTML files are self-contained: the scenario named, the chart spec and the
JavaScript inline, and no http(s) resource referenced (checked live in test_html_browser.py)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from simulator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

#: Ways an HTML page can pull in a remote resource.
REMOTE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*https?:)"""
    r"""|(?:url\(\s*["']?\s*https?:)|(?:@import\s+["']?https?:)"""
    r"""|(?:\bimport\s*\(?\s*["']https?:)|(?:\bfetch\(\s*["']https?:)""",
    re.I,
)


def remote_references(text: str) -> list[str]:
    return [m.group(0) for m in REMOTE.finditer(text)]


def test_fan_and_comparison_pages_reference_no_remote_resource(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        cli,
        [
            "-q",
            "run",
            str(SCENARIOS / "fx-gap.yaml"),
            "--paths",
            "2000",
            "--out",
            str(tmp_path / "run"),
        ],
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        cli,
        [
            "-q",
            "compare",
            str(SCENARIOS / "baseline.yaml"),
            str(SCENARIOS / "fx-gap.yaml"),
            "--paths",
            "2000",
            "--out",
            str(tmp_path / "cmp"),
        ],
    )
    assert res.exit_code == 0, res.output
    for page in (tmp_path / "run" / "fan.html", tmp_path / "cmp" / "comparison.html"):
        text = page.read_text(encoding="utf-8")
        assert remote_references(text) == [], page.name
        assert "window.vegaEmbed=" in text  # the library is inline, not linked
        assert "Exchange-rate gap returns" in text


def test_the_check_catches_a_remote_script() -> None:
    assert remote_references('<script src="https://cdn.example/vega.js"></script>')
    assert not remote_references('xmlns="http://www.w3.org/2000/svg"')
