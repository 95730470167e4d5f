"""One number, one way (simulator/present/text.py): the formatter's rules, and every P(hit) the
shipped scenarios' outputs quote (the CLI table, the chart titles and labels read from the
SVG text) is the one summary.json holds, worded by the one formatter."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.plotting.style import target_label
from simulator.present.text import hit_text, interval_text, probability_text
from simulator.stats.summary import Summary, TargetStats

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"


def test_probabilities_keep_one_decimal_above_one_percent() -> None:
    assert probability_text(0.18) == "18.0%"
    assert probability_text(0.1797) == "18.0%"
    assert probability_text(0.5) == "50.0%"
    assert probability_text(0.055) == "5.5%"
    assert probability_text(0.975) == "97.5%"
    assert probability_text(0.00021) == "0.021%"
    assert interval_text((0.179, 0.181)) == "17.9\u201318.1%"
    assert interval_text((0.0, 0.003)) == "0\u20130.3%"


def _svg_text(path: Path) -> str:
    """Every text element of a chart, in order, lines joined by spaces (undoing the wrap)."""
    root = ET.parse(path).getroot()
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def _percent_matches(text: str, p: float) -> bool:
    """Whether a plain "18.4%" quotes ``p`` (a fraction) at the decimals it shows."""
    m = re.fullmatch(r"(\d+(?:\.(\d+))?)%", text)
    if m is None:
        return True  # a bound ("below 0.075% (…)"): its wording is the formatter's, checked above
    decimals = len(m.group(2) or "")
    return float(m.group(1)) == round(p * 100, decimals)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_quoted_chance_is_the_summary_s(
    scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    args = ["run", str(scenario), "--paths", "1500", "--seed", "5", "--format", "svg"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = Summary.from_dict(json.loads((out / "summary.json").read_text(encoding="utf-8")))
    projected = [t for t in summary.targets if t.projected]
    assert projected, "every shipped scenario projects a target"
    quoted = {t.name: hit_text(t) for t in projected}
    for t in projected:
        assert t.p_hit is not None and _percent_matches(quoted[t.name], t.p_hit)

    # The table: each target's row quotes its P(hit) and its interval.
    rows = result.output.splitlines()
    for t in projected:
        (row,) = [r for r in rows if r.startswith(t.name[:26]) and f" {t.fiscal_year} " in r]
        assert f" {quoted[t.name]} " in row
        assert f" {interval_text(t.p_hit_sim_error)} " in row

    # The charts: every "P(hit) …" quotes one of the targets' texts; the headline title, the
    # distribution panels and the fan's "Also:" line quote their own target's.
    texts = {p.name: _svg_text(p) for p in sorted(out.glob("*.svg"))}
    allowed = set(quoted.values())
    for name, text in texts.items():
        for m in re.finditer(r"P\(hit\) ", text):
            rest = text[m.end() :]
            assert any(rest.startswith(q) for q in allowed), (name, rest[:40])
    head = summary.headline
    assert head is not None
    title = f"Chance of reaching {target_label(head).split(' (')[0]}: {quoted[head.name]}"
    for name in ("fan.svg", "target_probabilities.svg", "target_distributions.svg"):
        assert title in texts[name], name
    for t in projected:
        assert quoted[t.name] in texts["target_probabilities.svg"]
        if t.component is not None:  # drawn on its component's fan, not on the total's
            continue
        assert f"P(hit) {quoted[t.name]}" in texts["fan.svg"]
        if t is not head:
            assert f"{target_label(t)} {quoted[t.name]}" in texts["fan.svg"]


def test_a_bound_reads_as_a_bound_everywhere() -> None:
    t = TargetStats.from_dict(
        {
            "name": "far",
            "fiscal_year": 2030,
            "value": 90000.0,
            "kind": "target",
            "component": None,
            "source": "",
            "required_cagr": 0.9,
            "status": "projected",
            "p_hit": 0.0,
            "p_hit_sim_error": [0.0, 0.002],
            "p50": 9000.0,
            "p50_gap": -81000.0,
            "expected_shortfall": 81000.0,
            "estimator": "paths",
            "hits": 0,
            "p_hit_se": 0.0,
            "p_hit_bound": {"side": "upper", "value": 0.001996, "hits": 0, "paths": 1500},
        }
    )
    assert hit_text(t) == "below 0.20% (95% upper bound, 0 of 1,500 paths)"
    assert hit_text(TargetStats.from_dict(t.to_dict())) == hit_text(t)
