"""Every piece of text a number becomes: probabilities, money, fiscal years, growth, months, seeds.

Tables, charts, the report and the notebooks all call these, so one number is never quoted two
ways. Money is USD million; fiscal years run July–June (2026 = FY2026, "FY26").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from simulator.fiscal import label, span_label
from simulator.stats.summary import TargetStats

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- fiscal years and months ------------------------------------------------------------------


def fy_label(year: int) -> str:
    """2026 → "FY26" (:func:`simulator.fiscal.label`, the one place labels are written)."""
    return label(year)


def fy_span(first: int, last: int) -> str:
    """(2026, 2027) → "FY26–FY27"; one year reads "FY26"."""
    return span_label(first, last)


def month_name(label: str) -> str:
    """Month label "2025-11" → "Nov 2025"."""
    year, month = label.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def month_short(label: str) -> str:
    """Month label "2025-11" → "Nov"; July and January also carry the year ("Jul\\n2025")."""
    year, month = label.split("-")
    name = MONTH_NAMES[int(month) - 1]
    return f"{name}\n{year}" if int(month) in (1, 7) else name


def months_text(n: int) -> str:
    """3 → "3 months"; 1 → "1 month"."""
    return count_text(n, "month")


def count_text(n: int, noun: str) -> str:
    """(3, "scenario") → "3 scenarios"; (1, "scenario") → "1 scenario"."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


# --- money --------------------------------------------------------------------------------------


def money(x: float | None) -> str:
    """USD million → "$3,810M"; a hyphen-minus for negatives ("-$120M"); None → "n/a"."""
    if x is None:
        return "n/a"
    sign = "-" if x < 0 else ""
    return f"{sign}${abs(x):,.0f}M"


def billions(x: float, _pos: object = None, *, digits: int = 1) -> str:
    """USD million → "$4.5B"; round billions stay round ("$10B", "$0").

    The signature also serves as a matplotlib ``FuncFormatter`` (value, tick position).
    """
    b = x / 1000.0
    if b == 0:
        return "$0"
    if b == round(b):
        return f"${b:,.0f}B"
    return f"${b:,.{digits}f}B"


# --- probabilities -----------------------------------------------------------------------------


def probability_text(
    p: float | None,
    *,
    estimate: bool = False,
    hits: int | None = None,
    paths: int | None = None,
) -> str:
    """A probability for tables, charts and briefs (the one rule they all use).

    One decimal from 0.1% to 99.9% ("18.0%", "2.4%", "97.5%"); below 0.1% or above 99.9% as
    many decimals as show two significant digits of ``p`` (or of ``1 - p``): "0.0021%",
    "99.9987%", never "<0.1%". ``estimate`` marks a simulated share: given its ``hits`` of
    ``paths``, 0 or all hits read as the exact one-sided 95% Clopper-Pearson bound,
    "below 0.003% (95% upper bound, 0 of 100,000 paths)" (``1 - 0.05**(1/n)``) or "above
    99.997% (95% lower bound, 100,000 of 100,000 paths)" (``0.05**(1/n)``). Otherwise (an
    interval's end point, an observed outcome) 0 and 1 read "0%" and "100%".
    """
    if p is None:
        return "n/a"
    if estimate and paths and hits is not None and hits in (0, paths):
        n = int(paths)
        if hits == 0:
            return f"below {_fine_pct(1.0 - 0.05 ** (1.0 / n))} (95% upper bound, 0 of {n:,} paths)"
        return f"above {_fine_pct(0.05 ** (1.0 / n))} (95% lower bound, {n:,} of {n:,} paths)"
    if p == 0 or p == 1:
        return f"{p:.0%}"
    if p < 0.001 or p > 0.999:
        return _fine_pct(p)
    return f"{p:.1%}"


def _fine_pct(p: float) -> str:
    """A percentage with two significant digits of ``p`` or of ``1 - p``, whichever is small."""
    small = min(p, 1.0 - p)
    if small <= 0:
        return f"{p:.0%}"
    decimals = max(1, 1 - math.floor(math.log10(small * 100.0)))
    return f"{p * 100.0:.{decimals}f}%"


def hit_text(target: TargetStats) -> str:
    """A target's P(hit), by :func:`probability_text`.

    A share of plain paths with 0 or all hits reads as its bound (``p_hit_bound``); any other
    estimate (including importance sampling's, ``estimator: importance``) as its number.
    """
    b = target.p_hit_bound
    if target.estimator == "paths" and b is not None:
        return probability_text(target.p_hit, estimate=True, hits=b.hits, paths=b.paths)
    return probability_text(target.p_hit, estimate=True)


def chance_text(p: float | None) -> str:
    """A Monte Carlo P(hit): :func:`probability_text` with ``estimate=True``."""
    return probability_text(p, estimate=True)


def interval_text(ci: Sequence[float] | None, sep: str = "\u2013") -> str:
    """An interval of probabilities, "17.9–18.1%" (an en dash, one percent sign); its end
    points are bounds, not estimates, each by :func:`probability_text`."""
    if not ci:
        return "n/a"
    lo, hi = probability_text(ci[0]), probability_text(ci[1])
    return f"{lo.removesuffix('%')}{sep}{hi}"


def spoken_chance(p: float) -> str:
    """A Monte Carlo chance as a sentence says it: "about 37.2%", "about 0.0021%" (the number
    is :func:`probability_text`'s, so a sentence quotes what the table shows)."""
    return f"about {probability_text(p, estimate=True)}"


def pp(x: float | None, digits: int = 1) -> str:
    """A difference of probabilities in percentage points: +3.2 pp."""
    if x is None:
        return "n/a"
    return f"{x * 100:+.{digits}f} pp"


# --- growth and shares -------------------------------------------------------------------------


def percent(p: float | None, digits: int = 0) -> str:
    """A share or rate, "19.1%"; whole percents read "<1%" and ">99%" at the ends."""
    if p is None:
        return "n/a"
    if 0 < p < 0.005 and digits == 0:
        return "<1%"
    if 0.995 < p < 1 and digits == 0:
        return ">99%"
    return f"{p:.{digits}%}"


def growth_pct(g: float, digits: int = 1) -> str:
    """0.1912 → "19.1%"; a minus sign, not a hyphen, for falls."""
    return f"{g:.{digits}%}".replace("-", "\u2212")


def signed_growth(g: float, digits: int = 1) -> str:
    """0.19 → "+19.0%": growth with its sign, for sentences."""
    return f"{g * 100:+.{digits}f}%"


def rate_text(x: float) -> str:
    """0.17 → "17%", 0.125 → "12.5%"; a minus sign for falls."""
    v = round(x * 100, 1)
    text = f"{v:.0f}%" if v == round(v) else f"{v:.1f}%"
    return text.replace("-", "\u2212")


def points_text(x: float, *, sign: bool = False) -> str:
    """0.08 → "8 pts" (with ``sign``: "+8 pts")."""
    v = round(x * 100, 1)
    body = f"{abs(v):.0f}" if v == round(v) else f"{abs(v):.1f}"
    if sign:
        body = ("\u2212" if v < 0 else "+") + body
    return f"{body} pts"


# --- seeds ----------------------------------------------------------------------------------------


def seed_text(seed: int | None, entropy: int) -> str:
    """The seed as a reader can replay it: an unseeded run shows its fresh entropy."""
    if seed is None:
        return f"{entropy} (fresh entropy; --seed replays it)"
    return str(seed)


def seed_note(seed: int | None) -> str:
    """The seed as a chart's footer says it: "seed 2026", or "no seed" for an unseeded run
    (its 38-digit entropy is in the output's JSON, not on the chart)."""
    return "no seed (seed_entropy in the JSON replays it)" if seed is None else f"seed {seed}"


def seed_words(seed: int | None, entropy: int) -> str:
    """The seed in a sentence: "seed 2026", or the entropy that replays an unseeded run."""
    if seed is None:
        return f"no seed given; fresh entropy {entropy} (pass it as --seed to replay)"
    return f"seed {seed}"


#: Longest scenario name a chart title quotes whole; longer ones end in an ellipsis.
TITLE_NAME_CHARS = 28


def short_name(name: str, limit: int = TITLE_NAME_CHARS) -> str:
    """A scenario name fit for a title: whole if short, else cut at a word with "…"."""
    if len(name) <= limit:
        return name
    cut = name[: limit - 1].rsplit(" ", 1)[0] if " " in name[: limit - 1] else name[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


# --- names ------------------------------------------------------------------------------------

#: Words a snake_case name spells in capitals when a chart or table shows it.
ACRONYMS = frozenset({"ai", "bpo", "fx", "gdp", "ict", "it", "ites", "sbp", "us", "usd"})

#: Inputs the library names itself, in words (``record_mean`` is
#: :data:`simulator.stats.record_rule.MEAN_LEVER`, the record rule's uncertain mean).
NAMED_INPUTS = {"record_mean": "Growth record: mean"}


def display_name(name: str) -> str:
    """A snake_case name from a scenario (a component, lever or shock) as a reader reads it.

    "rest_of_ict" → "Rest of ICT", "ai_services_push" → "AI services push",
    "record_mean" → "Growth record: mean". A name already written in words ("Tech slowdown")
    is kept as it is.
    """
    if name in NAMED_INPUTS:
        return NAMED_INPUTS[name]
    if " " in name or name != name.lower():
        return name
    words = [w.upper() if w in ACRONYMS else w for w in name.replace("-", "_").split("_") if w]
    if not words:
        return name
    if not words[0].isupper():
        words[0] = words[0].capitalize()
    return " ".join(words)
