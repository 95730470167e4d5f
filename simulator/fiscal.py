"""Fiscal years, read and written in one place.

Pakistan's fiscal year runs July–June: FY2026 is July 2025 – June 2026. People write it several
ways, and every part of the package (scenario files, command-line options, the bundled CSVs)
reads it with :func:`parse_year` or :func:`parse_span`:

- ``2026``, ``"2026"``, ``"FY2026"``, ``"FY26"`` (any case) → 2026;
- ``"2025-26"`` (the budget-year form: the calendar years it spans) → 2026, where one year is
  meant (a command-line option); where a range may be meant (``years:``) it is ambiguous and
  refused with both readings;
- ranges, inclusive: ``"2026-2030"``, ``"FY26-FY30"``, ``"FY2026-FY2030"``, ``"FY26–FY30"`` (an
  en dash) → (2026, 2030).

Two-digit years are 20xx. :func:`label` writes one back ("FY26", or "FY2026" with ``long``).
"""

from __future__ import annotations

import re

__all__ = [
    "FIRST",
    "LAST",
    "SPAN_PATTERN",
    "YEAR_PATTERN",
    "label",
    "parse_span",
    "parse_year",
    "span_label",
]

#: Fiscal years the package accepts anywhere.
FIRST = 2000
LAST = 2100

_TOKEN = re.compile(r"^(?:FY)?(\d{4}|\d{2})$")
_BUDGET = re.compile(r"^(\d{4})-(\d{2})$")
_DASHES = ("\u2013", "\u2014")  # en and em dash, as in "FY26–FY30"

EXAMPLES = "such as FY2029, FY29, 2029 or 2028-29"


def _token(text: str, *, bare_short: bool) -> int | None:
    m = _TOKEN.match(text)
    if m is None:
        return None
    digits = m.group(1)
    if len(digits) == 2:
        if not (bare_short or text.startswith("FY")):
            return None
        return 2000 + int(digits)
    return int(digits)


def _clean(text: str) -> str:
    out = text.strip().upper()
    for dash in _DASHES:
        out = out.replace(dash, "-")
    return re.sub(r"\s*-\s*", "-", out)


#: A JSON Schema ``pattern`` for the text forms :func:`parse_year` reads (one fiscal year).
YEAR_PATTERN = r"^\s*(?:(?:[Ff][Yy])?\d{4}|[Ff][Yy]\d{2}|\d{4}\s*[-\u2013\u2014]\s*\d{2})\s*$"

#: A JSON Schema ``pattern`` for the text forms :func:`parse_span` reads (the years' bounds
#: and order are checked on loading).
SPAN_PATTERN = (
    r"^\s*(?:"
    r"(?:[Ff][Yy])?\d{4}|[Ff][Yy]\d{2}"
    r"|\d{4}\s*[-\u2013\u2014]\s*(?:(?:[Ff][Yy])?\d{4}|[Ff][Yy]\d{2})"
    r"|[Ff][Yy](?:\d{2}|\d{4})\s*[-\u2013\u2014]\s*(?:[Ff][Yy])?(?:\d{2}|\d{4})"
    r")\s*$"
)


def parse_year(value: str | int) -> int:
    """One fiscal year, written ``2026``, ``"FY2026"``, ``"FY26"`` or ``"2025-26"``.

    Raises
    ------
    ValueError
        For anything else (the message says what is allowed).

    Examples
    --------
    >>> [parse_year(v) for v in (2026, "FY2026", "fy26", "2025-26")]
    [2026, 2026, 2026, 2026]
    """
    if isinstance(value, bool):
        raise ValueError(f"bad fiscal year {str(value).lower()}; write one {EXAMPLES}")
    if isinstance(value, int):
        return value
    text = _clean(str(value))
    year = _token(text, bare_short=False)
    if year is None:
        m = _BUDGET.match(text)
        if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
            year = int(m.group(1)) + 1
    if year is None:
        raise ValueError(f"bad fiscal year '{value}'; write one {EXAMPLES}")
    return year


def parse_span(value: str | int | list[int] | tuple[int, int]) -> tuple[int, int]:
    """An inclusive range of fiscal years (or one year, as a range of one).

    Accepts ``2027``, ``"FY2027"``, ``"FY27"``, ``"2026-2030"``, ``"FY26-FY30"``,
    ``"FY2026-FY2030"``, ``"FY26-30"``, and a pair ``[2026, 2030]``. The order is not checked
    here (see the callers' messages). The budget-year form ``"2025-26"`` is refused as
    ambiguous (FY2026, or FY2025-FY2026?), with both readings in the message.

    Raises
    ------
    ValueError
        For anything else.

    Examples
    --------
    >>> parse_span("FY26-FY30"), parse_span("FY2027"), parse_span(2027)
    ((2026, 2030), (2027, 2027), (2027, 2027))
    """
    if isinstance(value, list | tuple):
        if len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return (int(value[0]), int(value[1]))
        raise ValueError(_span_hint(value))
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(
            "expected a fiscal year such as 2027 or a range such as 2026-2030 "
            f"(got {str(value).lower() if isinstance(value, bool) else type(value).__name__})"
        )
    text = _clean(str(value))
    budget = _BUDGET.match(text)
    if budget and (int(budget.group(1)) + 1) % 100 == int(budget.group(2)):
        # "2026-27" is the fiscal year FY2027 to some and FY2026-FY2027 to others.
        a = int(budget.group(1))
        raise ValueError(
            f"'{value}' is ambiguous here: write FY{a + 1} for the fiscal year {value}, or "
            f"{a}-{a + 1} for the two fiscal years FY{a} and FY{a + 1}"
        )
    try:
        year = parse_year(value)
    except ValueError:
        pass
    else:
        return (year, year)
    parts = text.split("-")
    if len(parts) == 2:
        first = _token(parts[0], bare_short=False)
        last = _token(parts[1], bare_short=parts[0].startswith("FY"))
        if first is not None and last is not None:
            return (first, last)
    raise ValueError(_span_hint(value))


def _span_hint(value: object) -> str:
    return (
        f"bad year range {value!r}; expected a fiscal year such as 2027 or a range such as "
        "2026-2030 (FY26-FY30 also works)"
    )


def label(year: int, *, long: bool = False) -> str:
    """2026 → "FY26" (charts, tables); with ``long``, "FY2026".

    Examples
    --------
    >>> label(2026), label(2026, long=True)
    ('FY26', 'FY2026')
    """
    return f"FY{year}" if long else f"FY{year % 100:02d}"


def span_label(first: int, last: int, *, long: bool = False) -> str:
    """(2026, 2030) → "FY26–FY30"; one year reads "FY26"."""
    if first == last:
        return label(first, long=long)
    return f"{label(first, long=long)}\u2013{label(last, long=long)}"


def month_label(fiscal_year: int, fiscal_month: int) -> str:
    """The calendar month of a fiscal month, as the actuals CSV writes it.

    Examples
    --------
    >>> month_label(2026, 1), month_label(2026, 12)
    ('2025-07', '2026-06')
    """
    month = (fiscal_month + 5) % 12 + 1
    year = fiscal_year - 1 if month >= 7 else fiscal_year
    return f"{year:04d}-{month:02d}"
