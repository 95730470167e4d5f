"""The bundled series and user CSVs of monthly actuals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from simulator.data.history import fiscal_month, fiscal_year, load_annual, load_monthly
from simulator.data.timeline import history_totals
from simulator.errors import ActualsError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def test_fiscal_calendar() -> None:
    assert fiscal_year(2025, 7) == 2026
    assert fiscal_year(2026, 6) == 2026
    assert fiscal_month(7) == 1
    assert fiscal_month(6) == 12


def test_bundled_annual_matches_the_facts() -> None:
    annual = load_annual()
    assert annual.fiscal_years[0] == 2016
    assert annual.value(2025) == 3810
    assert annual.value(2016) == pytest.approx(788.64)
    assert all(s.startswith("http") for s in annual.sources)


def test_bundled_monthly_fy26_so_far() -> None:
    monthly = load_monthly()
    fy26 = monthly.year(2026)
    np.testing.assert_array_equal(fy26[:4], [354, 337, 366, 386])
    assert np.isnan(fy26[4:]).all()
    assert monthly.vintage == "2025-10"
    assert np.nansum(fy26) == 1443


def test_monthly_sums_agree_with_annual() -> None:
    complete = load_monthly().complete_fiscal_years()
    annual = load_annual()
    for fy, v in zip(complete.fiscal_years, complete.values, strict=True):
        assert abs(v - annual.value(int(fy))) <= 3


#: sha256 of the project's sourced data set (../shared/data) that the package ships verbatim.
SOURCE_DIGESTS = {
    "ict_exports_annual.csv": "4f06ca8d044ac71993e70c7f46e61d60254c16a01c3455fd78ac46261fe67749",
    "ict_exports_monthly.csv": "3737215723de1817b31976954e547be3e1f33d8faf42579b4aee8ab4b7cd6db5",
    "other_series.csv": "ec8cab21818a0a6a8b4d9e41db4cf1130b577c403d011569da4a1482131aecfc",
    "targets_and_projections.csv": (
        "833baf3449b3dcc41108ad98600e90b5c5aec956400678ef9abb362937133034"
    ),
}


def test_bundled_files_are_verbatim_copies() -> None:
    """The shipped CSVs are byte-for-byte the sourced data set: checked against its pinned
    digests everywhere (a clean clone has no ../shared), and against the files themselves
    where the data set lies beside the project."""
    here = Path(__file__).resolve().parents[1] / "simulator" / "data"
    for name, digest in SOURCE_DIGESTS.items():
        assert hashlib.sha256((here / name).read_bytes()).hexdigest() == digest, name
        if SHARED.exists():
            assert (here / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_history_totals_extend_with_completed_year(tmp_path: Path) -> None:
    src = load_monthly()
    lines = ["month,usd_million"]
    lines += [
        f"{y:04d}-{m:02d},{v:g}" for y, m, v in zip(src.years, src.months, src.values, strict=True)
    ]
    lines += [f"2025-{m:02d},400" for m in (11, 12)] + [f"2026-{m:02d},400" for m in range(1, 7)]
    path = tmp_path / "newer.csv"
    path.write_text("\n".join(lines) + "\n")
    years, values = history_totals(load_monthly(path))
    assert years[-1] == 2026
    assert values[-1] == 1443 + 8 * 400


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("month,usd_million\n2021-07,1\n2021-07,2\n", 3, "duplicate month 2021-07"),
        ("month,usd_million\n2021-07,1\n2021-09,2\n", 3, "gap: 2021-08 is missing"),
        ("month,usd_million\n2021-07,1\n2021-08,-2\n", 3, "negative value"),
        ("month,usd_million\n2021-07,1\n2021-08,abc\n", 3, "not a number"),
        ("month,usd_million\n2021-08,1\n2021-07,2\n", 3, "rows must be in calendar order"),
        ("month,usd_million\n2021-13,1\n", 2, "bad month"),
        ("when,value\n2021-07,1\n", 1, "missing column 'month'"),
    ],
)
def test_bad_actuals_are_located(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text(text)
    with pytest.raises(ActualsError) as info:
        load_monthly(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert fragment in str(info.value)


def test_non_csv_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(ActualsError, match="not a CSV file"):
        load_monthly(tmp_path / "x.xlsx")
    with pytest.raises(ActualsError, match="file not found"):
        load_monthly(tmp_path / "nope.csv")


def _bundled_plus(tmp_path: Path, row: str, header_extra: str = "") -> Path:
    """The bundled monthly CSV with one more row (November 2025) appended."""
    text = (
        Path(__file__).resolve().parent.parent / "simulator/data/ict_exports_monthly.csv"
    ).read_text(encoding="utf-8")
    if header_extra:
        lines = text.splitlines()
        text = "\n".join([lines[0] + header_extra, *(ln + "," for ln in lines[1:])]) + "\n"
    path = tmp_path / "actuals.csv"
    path.write_text(text + row + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("3950", "implausible value 3,950 for 2025-11: +1174% on the same month a year earlier"),
        ("1e9", "implausible value 1e+09 for 2025-11"),
        ("0", "zero value 0; a month's exports must be > 0"),
        ("31", "implausible value 31 for 2025-11: -90% on the same month a year earlier"),
    ],
)
def test_implausible_month_is_refused_at_its_line(tmp_path: Path, value: str, why: str) -> None:
    path = _bundled_plus(tmp_path, f"2025-11,{value},stated,,")
    n_lines = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(ActualsError) as exc:
        load_monthly(path)
    msg = str(exc.value)
    assert msg.startswith(f"{path}:{n_lines}: usd_million: {why}"), msg
    if value != "0":
        assert "accept_outlier" in msg


def test_accept_outlier_column_lets_a_genuine_outlier_through(tmp_path: Path) -> None:
    path = _bundled_plus(tmp_path, "2025-11,1200,stated,,,yes", header_extra=",accept_outlier")
    monthly = load_monthly(path)
    assert monthly.values[-1] == 1200
    assert monthly.vintage == "2025-11"


def test_month_without_year_earlier_is_checked_against_recent_median(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("month,usd_million\n2021-07,200\n2021-08,210\n2021-09,2100\n", encoding="utf-8")
    with pytest.raises(ActualsError, match=r":4: usd_million: implausible value 2,100 for 2021-09"):
        load_monthly(path)
