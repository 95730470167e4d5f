"""One fiscal-year parser (simulator.fiscal) for scenario files, options and the bundled CSVs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.fiscal import SPAN_PATTERN, label, parse_span, parse_year, span_label
from simulator.scenario.loader import load_scenario


@pytest.mark.parametrize(
    ("text", "year"),
    [(2026, 2026), ("2026", 2026), ("FY2026", 2026), ("fy26", 2026), ("FY26", 2026),
     (" FY2026 ", 2026), ("2025-26", 2026), ("1999-00", 2000), ("2025\u201326", 2026)],
)  # fmt: skip
def test_one_year(text: str | int, year: int) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["26", "FY 26", "2025-27", "next year", "20 26", "FY202", ""])
def test_not_a_year(text: str) -> None:
    with pytest.raises(ValueError, match="bad fiscal year"):
        parse_year(text)


@pytest.mark.parametrize(
    ("text", "span"),
    [(2027, (2027, 2027)), ("FY2027", (2027, 2027)), ("2026-2030", (2026, 2030)),
     ("FY26-FY30", (2026, 2030)), ("FY2026-FY2030", (2026, 2030)), ("FY26\u2013FY30", (2026, 2030)),
     ("FY26-30", (2026, 2030)), ("2026 - FY30", (2026, 2030)), ([2026, 2030], (2026, 2030))],
)  # fmt: skip
def test_ranges(text: str | int | list[int], span: tuple[int, int]) -> None:
    assert parse_span(text) == span
    if isinstance(text, str):
        assert re.match(SPAN_PATTERN, text)


def test_a_budget_year_is_ambiguous_as_a_range() -> None:
    with pytest.raises(ValueError) as exc:
        parse_span("2026-27")
    assert str(exc.value) == (
        "'2026-27' is ambiguous here: write FY2027 for the fiscal year 2026-27, or 2026-2027 "
        "for the two fiscal years FY2026 and FY2027"
    )


@given(first=st.integers(2000, 2100), n=st.integers(0, 20), fy=st.booleans(), short=st.booleans())
def test_labels_read_back(first: int, n: int, fy: bool, short: bool) -> None:
    last = min(first + n, 2099)
    a = label(first) if short and first < 2100 else label(first, long=True)
    b = label(last) if short else label(last, long=True)
    text = f"{a}-{b}" if fy else f"{first}-{last}"
    assert parse_span(text) == (first, last)
    assert re.match(SPAN_PATTERN, text)
    assert parse_year(label(last, long=True)) == last


def test_labels() -> None:
    assert (label(2026), label(2026, long=True)) == ("FY26", "FY2026")
    assert span_label(2026, 2030) == "FY26\u2013FY30"
    assert span_label(2027, 2027) == "FY27"


def test_yaml_years_take_fiscal_labels(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: x\ngrowth:\n  - {years: FY26-FY27, dist: normal, mean: 0.19, sd: 0.06}\n"
        "  - {years: FY2028-FY2030, dist: normal, mean: 0.17, sd: 0.08}\n"
        "levers:\n  - {name: ai, years: FY27-30, dist: fixed, value: 0.02}\n"
        "shocks:\n  - {name: s, years: FY28, probability: 0.1,\n"
        "     impact: {dist: fixed, value: -0.1}}\n"
    )
    sc = load_scenario(path)
    assert [g.years for g in sc.growth or []] == [(2026, 2027), (2028, 2030)]
    assert sc.levers[0].years == (2027, 2030)
    assert sc.shocks[0].years == (2028, 2028)
