"""Property tests: CSVs of monthly actuals never fail with anything but the project's own error
(random rows, encodings, separators, values), and what loads is a clean series."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.data.history import load_monthly
from simulator.errors import ActualsError

FUZZ = settings(
    max_examples=600,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

month = st.one_of(
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2019, 2027), st.integers(1, 12)),
    st.sampled_from(["2025-13", "2025-00", "25-07", "2025/07", "July 2025", "", "2025-7"]),
    st.text(max_size=8),
)
value = st.one_of(
    st.floats(min_value=1, max_value=1000).map(lambda v: f"{v:.1f}"),
    st.sampled_from(["0", "-5", "nan", "inf", "1e9", "3950", "1,234", "", "x", "386 "]),
    st.text(max_size=6),
)


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    sep = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    header = draw(
        st.sampled_from(
            [f"month{sep}usd_million", f"month{sep}usd_million{sep}accept_outlier",
             f"usd_million{sep}month", "date,value", ""]
        )
    )  # fmt: skip
    if draw(st.booleans()):  # a plausible consecutive run, then noise
        y, m = 2023, 7
        rows = []
        for _ in range(draw(st.integers(0, 30))):
            rows.append(f"{y}-{m:02d}{sep}{draw(st.floats(250, 450)):.1f}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        rows = []
    for _ in range(draw(st.integers(0, 5))):
        cells = [draw(month), draw(value)]
        if draw(st.booleans()):
            cells.append(draw(st.sampled_from(["yes", "", "no"])))
        rows.append(sep.join(cells))
    text = "\n".join([header, *rows]) + draw(st.sampled_from(["", "\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@FUZZ
@given(raw=csv_bytes())
def test_actuals_load_or_fail_cleanly(scratch: Path, raw: bytes) -> None:
    path = scratch / "actuals.csv"
    path.write_bytes(raw)
    try:
        series = load_monthly(path)
    except ActualsError as exc:
        assert str(exc).startswith(str(path)), str(exc)
        assert "\n" not in str(exc)
        return
    assert series.values.size > 0
    assert np.isfinite(series.values).all() and (series.values > 0).all()
    order = series.years * 12 + series.months
    assert (np.diff(order) > 0).all()
