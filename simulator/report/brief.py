"""A brief-ready report: key numbers, the current year, the assumptions and the charts.

The content is built once, as a list of blocks (:func:`brief_blocks`, a pure function of the
summaries), and rendered twice: as Markdown (:func:`brief_markdown`, pure text) and as an A4
PDF laid out with matplotlib alone (:func:`write_pdf`). The two therefore say the same thing,
and every number in them is formatted from the ``summary.json`` / ``comparison.json`` written
beside them (the same formatting as the terminal tables of :mod:`simulator.present.tables`).

Money is USD million; fiscal years run July–June (2026 = FY2026).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from simulator.present.tables import _money, _months, _pp, _prob, every_target_text, interval_text
from simulator.questions.compare import simulate_all as simulate_all  # re-exported: report's runs

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from simulator.engine.paths import Projection
    from simulator.scenario.distributions import DistributionBase
    from simulator.scenario.schema import Scenario

TITLE = "Pakistan's IT exports against their targets"

#: What each chart shows, for its caption (by chart name, before the scenario stem).
CAPTIONS = {
    "fan": (
        "IT exports by fiscal year under '{name}': reported years in black, the median path "
        "and the central 50%, 80% and 90% of simulated paths, with the targets marked."
    ),
    "current_year": (
        "{fy} month by month under '{name}': the months reported so far, the same months a "
        "year earlier, and the likely range of the months still to come."
    ),
    "target_probabilities": (
        "Chance of reaching each target under '{name}', with its 95% interval (Monte Carlo "
        "error only; it does not cover doubt about the assumptions)."
    ),
    "target_distributions": (
        "Where IT exports land in each target year under '{name}'; the shaded area is the "
        "chance of reaching the target."
    ),
    "comparison": "The scenarios side by side, on the same random draws.",
    "comparison_probabilities": (
        "Chance of reaching each target under each scenario, with 95% intervals."
    ),
}


# --- blocks: the content, independent of the format -------------------------------------


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is the title."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Running text; ``style`` is ``"body"``, ``"lead"`` (the headline) or ``"note"``."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Bullets:
    """A list of short items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of text cells; ``align`` has one ``"l"`` or ``"r"`` per column."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: str


@dataclass(frozen=True)
class Chart:
    """A chart file written beside the report, and its caption."""

    file: str
    caption: str


Block = Heading | Paragraph | Bullets | Table | Chart


@dataclass(frozen=True)
class Brief:
    """Everything the report says, as plain data.

    Parameters
    ----------
    summaries : one :func:`simulator.targets.summarize` dict per scenario (the first is the
        reference)
    assumptions : one tuple of plain sentences per scenario (:func:`describe_assumptions`)
    comparison : :func:`simulator.compare.compare_projections` output, or None for one scenario
    charts : the chart files, in the order they are shown
    files : the data files written beside the report (summary and comparison JSON)
    """

    summaries: tuple[Mapping[str, Any], ...]
    assumptions: tuple[tuple[str, ...], ...]
    comparison: Mapping[str, Any] | None = None
    charts: tuple[Chart, ...] = ()
    files: tuple[str, ...] = field(default=())


# --- words and numbers ------------------------------------------------------------------


def _fy(year: int) -> str:
    return f"FY{year % 100:02d}"


def _billions(x: float) -> str:
    b = x / 1000.0
    return f"${b:,.0f}B" if b == round(b) else f"${b:,.1f}B"


def _growth(g: float, digits: int = 1) -> str:
    return f"{g * 100:+.{digits}f}%"


def _years(span: Sequence[int]) -> str:
    a, b = span
    return _fy(a) if a == b else f"{_fy(a)}–{_fy(b)}"


def spoken_chance(p: float) -> str:
    """A Monte Carlo chance as a sentence says it: "about 37%", "less than 1%"."""
    if p < 0.005:
        return "less than 1%"
    if p > 0.995:
        return "more than 99%"
    return f"about {p:.0%}"


def headline_target(targets: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The target a headline leads with: the last projected official target, else the last one.

    The same rule as the charts' titles (:func:`simulator.plotting.headline_target`).
    """
    projected = [t for t in targets if t.get("status", "projected") == "projected"]
    official = [t for t in projected if "official" in str(t.get("kind", ""))]
    pool = official or projected
    return max(pool, key=lambda t: t["fiscal_year"]) if pool else None


def _target_words(t: Mapping[str, Any]) -> str:
    """ "$5B in FY26", or "$20B by FY30 (industry projection)" for a target of another kind."""
    words = f"{_billions(t['value'])} in {_fy(t['fiscal_year'])}"
    kind = str(t.get("kind") or "")
    if kind and kind != "target" and "official" not in kind:
        words = f"{_billions(t['value'])} by {_fy(t['fiscal_year'])} ({kind})"
    return words


def headline(summaries: Sequence[Mapping[str, Any]], comparison: Mapping[str, Any] | None) -> str:
    """The brief's first sentence (and, with several scenarios, how the others differ).

    Examples
    --------
    "The chance that IT exports reach $10B by FY29 is about 2% under 'Baseline momentum'."
    """
    ref = summaries[0]
    name = ref["scenario"]["name"]
    head = headline_target(ref["targets"])
    if head is None:
        return f"No target falls inside the projection under '{name}'."
    text = (
        f"The chance that IT exports reach {_billions(head['value'])} by "
        f"{_fy(head['fiscal_year'])} is {spoken_chance(head['p_hit'])} under '{name}'."
    )
    return text


def comparison_sentence(
    summaries: Sequence[Mapping[str, Any]], comparison: Mapping[str, Any] | None
) -> str:
    """How the headline's chance differs under the other scenarios ("" for one scenario)."""
    head = headline_target(summaries[0]["targets"])
    if comparison is None or head is None:
        return ""
    parts = []
    for t in comparison["targets"]:
        if t["fiscal_year"] != head["fiscal_year"] or t["value"] != head["value"]:
            continue
        for r in t["results"][1:]:
            if r["p_hit"] is None:
                continue
            diff = f", {_pp(r['diff'])} on the same draws" if r["diff"] is not None else ""
            parts.append(f"Under '{r['scenario']}' it is {spoken_chance(r['p_hit'])}{diff}.")
    return " ".join(parts)


def _other_targets_sentence(summary: Mapping[str, Any]) -> str:
    """The chances of the targets the headline leaves out, in one sentence ("" if none)."""
    head = headline_target(summary["targets"])
    chances, observed = [], []
    for t in summary["targets"]:
        if t is head:
            continue
        if t["status"] == "observed":
            verb = "was met" if t["p_hit"] else f"was missed by {_money(-t['p50_gap'])}"
            observed.append(f"{_target_words(t)} {verb}.")
        elif t["status"] == "projected":
            chances.append(f"{spoken_chance(t['p_hit'])} for {_target_words(t)}")
    text = ""
    if chances:
        if len(chances) > 1:
            chances[-1] = "and " + chances[-1]
        text = "The chance is " + (", " if len(chances) > 2 else " ").join(chances) + "."
    return " ".join([text, *observed]).strip()


def _key_table(summary: Mapping[str, Any]) -> Table:
    rows = []
    for t in summary["targets"]:
        ci = t["p_hit_ci95"]
        p_text = _prob(t["p_hit"])
        ci_text = interval_text(ci, "–")
        if t["status"] == "observed":
            p_text, ci_text = ("met" if t["p_hit"] else "missed"), "(actual)"
        elif t["status"] == "beyond horizon":
            p_text, ci_text = "beyond horizon", ""
        cagr = t["required_cagr"]
        rows.append(
            (
                t["name"],
                _fy(t["fiscal_year"]),
                _money(t["value"]),
                p_text,
                ci_text,
                _money(t["p50"]),
                _money(t["p50_gap"]),
                f"{cagr:.1%}" if cagr is not None else "n/a",
            )
        )
    return Table(
        header=(
            "Target",
            "Year",
            "Level",
            "P(hit)",
            "95% interval",
            "Median",
            "Median gap",
            "Needs a year",
        ),
        rows=tuple(rows),
        align="llrrrrrr",
    )


def _p_all_sentence(summary: Mapping[str, Any]) -> str:
    if summary.get("p_all_targets") is None:
        return ""
    return every_target_text(summary) + "."


def _month_name(label: str) -> str:
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    year, month = label.split("-")
    return f"{names[int(month) - 1]} {year}"


def current_year_paragraph(summary: Mapping[str, Any], *, with_name: bool = True) -> str:
    """Where the partly reported fiscal year is heading, in plain sentences ("" if none)."""
    cy = summary.get("current_year")
    if not cy:
        return ""
    fy = _fy(cy["fiscal_year"])
    k = cy["months_observed"]
    months = ""
    if cy.get("observed"):
        first, last = cy["observed"][0]["month"], cy["observed"][-1]["month"]
        a, b = _month_name(first), _month_name(last)
        if k == 1:
            months = f" ({a})"
        elif first[:4] == last[:4]:
            months = f" ({a[:3]}–{b})"
        else:
            months = f" ({a}–{b})"
    fyr = cy["full_year"]
    under = f" under '{summary['scenario']['name']}'" if with_name else ""
    text = (
        f"{fy} so far: {_months(k)} reported{months}, {_money(cy['observed_total'])}, "
        f"{_growth(cy['ytd_growth'])} on the same months a year earlier. The full year is "
        f"heading for {_money(fyr['p50'])}{under} (80% range {_money(fyr['p10'])}–"
        f"{_money(fyr['p90'])})."
    )
    rest = "month" if k == 11 else f"{12 - k} months"
    for need in cy.get("needed_run_rate", []):
        text += (
            f" Reaching {need['name']} ({_money(need['value'])}) needs "
            f"{_money(need['per_month'])} a month for the remaining {rest}, against "
            f"{_money(need['last_year_per_month'])} a month in the same months last year."
        )
    return text


def _comparison_table(comparison: Mapping[str, Any]) -> Table:
    rows = []
    for t in comparison["targets"]:
        for i, r in enumerate(t["results"]):
            ci = r["p_hit_ci95"]
            rows.append(
                (
                    f"{t['name']} ({_money(t['value'])}, {_fy(t['fiscal_year'])})"
                    if i == 0
                    else "",
                    r["scenario"],
                    _prob(r["p_hit"]),
                    interval_text(ci, "–"),
                    "reference" if i == 0 else _pp(r["diff"]),
                    "" if i == 0 or r["diff_se"] is None else f"{r['diff_se'] * 100:.2f} pp",
                )
            )
    return Table(
        header=("Target", "Scenario", "P(hit)", "95% interval", "vs reference", "s.e."),
        rows=tuple(rows),
        align="llrrrr",
    )


def _seed_words(run: Mapping[str, Any]) -> str:
    if run.get("seed") is None:
        return f"no seed given; fresh entropy {run['seed_entropy']} (pass it as --seed to replay)"
    return f"seed {run['seed']}"


def reproduce_command(summaries: Sequence[Mapping[str, Any]]) -> str:
    """The command line that reproduces the report's numbers."""
    run = summaries[0]["run"]
    seed = run["seed"] if run.get("seed") is not None else run["seed_entropy"]
    files = " ".join(str(s["scenario"]["file"]) for s in summaries)
    cmd = f"simulator report {files} --paths {run['paths']} --seed {seed}"
    actuals = run.get("actuals_file")
    if actuals and not str(actuals).startswith("<bundled>"):
        cmd += f" --actuals {actuals}"
    return cmd


def _footer(brief: Brief) -> list[Block]:
    run = brief.summaries[0]["run"]
    items = [
        f"simulator v{run['version']}; {run['paths']:,} paths per scenario; "
        f"{_seed_words(run)}"
        + ("; all scenarios on the same random draws" if len(brief.summaries) > 1 else "")
        + ".",
        f"Data to {run['data_vintage']}: SBP via press reports "
        f"(`{run.get('actuals_file') or 'bundled'}`, "
        f"sha256 `{run.get('actuals_sha256') or 'n/a'}`).",
    ]
    for s in brief.summaries:
        sc = s["scenario"]
        items.append(f"Scenario '{sc['name']}': `{sc['file']}`, sha256 `{sc['sha256']}`.")
    items.append(f"Reproduce: `{reproduce_command(brief.summaries)}`")
    if brief.files:
        items.append("Every number above is in " + ", ".join(f"`{f}`" for f in brief.files) + ".")
    return [Heading("Reproducibility"), Bullets(tuple(items))]


def brief_blocks(brief: Brief) -> list[Block]:
    """The report's content, in order, as blocks (pure: no files, no figures).

    Parameters
    ----------
    brief : Brief

    Returns
    -------
    list of Heading, Paragraph, Bullets, Table and Chart
    """
    several = len(brief.summaries) > 1
    ref = brief.summaries[0]
    run = ref["run"]
    blocks: list[Block] = [Heading(TITLE, 1)]
    blocks.append(Paragraph(headline(brief.summaries, brief.comparison), "lead"))
    intro = _other_targets_sentence(ref)
    intro += " " + comparison_sentence(brief.summaries, brief.comparison)
    if several:
        names = ", ".join(f"'{s['scenario']['name']}'" for s in brief.summaries[1:])
        intro += (
            f" This brief compares {len(brief.summaries)} scenarios on the same random draws, "
            f"so their differences come from the assumptions alone: '{ref['scenario']['name']}' "
            f"(the reference) with {names}."
        )
    if intro:
        blocks.append(Paragraph(intro.strip()))
    blocks.append(
        Paragraph(
            f"Monte Carlo projection of SBP ICT exports (telecommunications, computer and "
            f"information services), {run['paths']:,} simulated paths, data to "
            f"{run['data_vintage']}. Money in US dollars; fiscal years run July–June "
            "(FY26 = July 2025–June 2026).",
            "note",
        )
    )

    blocks.append(Heading("Key numbers"))
    for s in brief.summaries:
        if several:
            blocks.append(Heading(s["scenario"]["name"], 3))
        blocks.append(_key_table(s))
        p_all = _p_all_sentence(s)
        if p_all:
            blocks.append(Paragraph(p_all, "note"))
    blocks.append(
        Paragraph(
            "P(hit) is the share of simulated paths at or above the target in its year; the 95% "
            "interval (Wilson) is the Monte Carlo error only. The median gap is the median "
            "outcome minus the target (negative: a shortfall). 'Needs a year' is the constant "
            f"annual growth from {_fy(ref['base']['fiscal_year'])} = "
            f"{_money(ref['base']['value'])} that reaches the target.",
            "note",
        )
    )

    if brief.comparison is not None:
        blocks.append(Heading("Scenarios compared"))
        blocks.append(_comparison_table(brief.comparison))
        blocks.append(
            Paragraph(
                "'vs reference' is the difference in P(hit) from "
                f"'{brief.comparison['scenarios'][0]['label']}' on the same random draws, in "
                "percentage points; s.e. is its paired standard error.",
                "note",
            )
        )

    cy_texts = [current_year_paragraph(s, with_name=True) for s in brief.summaries]
    cy_texts = [t for t in cy_texts if t]
    if cy_texts:
        fy = _fy(
            next(s for s in brief.summaries if s.get("current_year"))["current_year"]["fiscal_year"]
        )
        blocks.append(Heading(f"This fiscal year ({fy})"))
        blocks.append(Paragraph(cy_texts[0]))
        for s in brief.summaries[1:]:
            cy = s.get("current_year")
            if cy:
                fyr = cy["full_year"]
                blocks.append(
                    Paragraph(
                        f"Under '{s['scenario']['name']}': heading for {_money(fyr['p50'])} "
                        f"(80% range {_money(fyr['p10'])}–{_money(fyr['p90'])})."
                    )
                )

    blocks.append(Heading("Assumptions"))
    for s, lines in zip(brief.summaries, brief.assumptions, strict=True):
        sc = s["scenario"]
        if several:
            blocks.append(Heading(sc["name"], 3))
        if sc.get("description"):
            blocks.append(Paragraph(sc["description"]))
        if s is not ref:  # only what differs from the reference, so the differences stand out
            own = tuple(line for line in lines if line not in brief.assumptions[0])
            if not own:
                blocks.append(Paragraph("The same assumptions as the reference scenario."))
                continue
            blocks.append(Paragraph("As the reference scenario, except:"))
            lines = own
        blocks.append(Bullets(tuple(lines)))

    if brief.charts:
        blocks.append(Heading("Charts"))
        blocks.extend(brief.charts)
    blocks.extend(_footer(brief))
    return blocks


# --- Markdown ---------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(blocks: Sequence[Block]) -> str:
    """Render blocks as Markdown (GitHub-flavoured tables; charts as relative image links)."""
    out: list[str] = []
    n_fig = 0
    for b in blocks:
        if isinstance(b, Heading):
            out.append("#" * b.level + " " + b.text)
        elif isinstance(b, Paragraph):
            if b.style == "lead":
                out.append(f"**{b.text}**")
            elif b.style == "note":
                out.append(f"_{b.text}_")
            else:
                out.append(b.text)
        elif isinstance(b, Bullets):
            out.append("\n".join(f"- {item}" for item in b.items))
        elif isinstance(b, Table):
            sep = ["---:" if a == "r" else ":---" for a in b.align]
            lines = [
                "| " + " | ".join(_md_cell(h) for h in b.header) + " |",
                "| " + " | ".join(sep) + " |",
            ]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            out.append("\n".join(lines))
        else:
            n_fig += 1
            out.append(
                f"![Figure {n_fig}: {b.caption}]({quote(b.file)})\n\n*Figure {n_fig}.* {b.caption}"
            )
    return "\n\n".join(out) + "\n"


def brief_markdown(brief: Brief) -> str:
    """``report.md``: the brief as Markdown (pure)."""
    return markdown(brief_blocks(brief))


# --- assumptions in words ----------------------------------------------------------------


def _spread(d: DistributionBase) -> tuple[float, float, float]:
    """Median and central 90% range of a distribution (equal for a fixed value)."""
    mid = float(d.median())
    try:
        lo, hi = (float(v) for v in d.scipy_dist().ppf([0.05, 0.95]))
    except (ValueError, NotImplementedError):  # pragma: no cover - every registered dist has one
        lo = hi = mid
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo = hi = mid
    return mid, lo, hi


def _dist_words(d: DistributionBase, *, points: bool = False, unit: str = "") -> str:
    """ "about +19.0% a year (normal; 90% of draws between +9.1% and +28.9%)"."""

    def f(x: float) -> str:
        return f"{x * 100:+.1f} points" if points else _growth(x)

    mid, lo, hi = _spread(d)
    if abs(hi - lo) < 1e-12:
        return f"exactly {f(mid)}{unit}"
    name = d.dist.replace("_", " ")
    return f"about {f(mid)}{unit} ({name}; 90% of draws between {f(lo)} and {f(hi)})"


def describe_assumptions(scenario: Scenario) -> tuple[str, ...]:
    """A scenario's assumptions as plain sentences, one per item, for a reader of the brief.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    tuple of str
    """
    lines: list[str] = []
    for g in scenario.growth or []:
        lines.append(f"Growth {_years(g.years)}: {_dist_words(g, unit=' a year')}.")
    if scenario.components:
        for c in scenario.components:
            desc = f" ({c.description})" if c.description else ""
            if c.base == "rest":
                base = "the rest of the total in the base year"
            elif c.base.value is not None:
                base = f"{_money(c.base.value)} in the base year"
            else:
                base = f"{(c.base.share or 0):.0%} of the total in the base year"
            growth = "; ".join(
                f"{_years(g.years)} {_dist_words(g, unit=' a year')}" for g in c.growth or []
            )
            growth = f"; growth {growth}" if growth else "; follows the scenario's growth"
            lines.append(f"Component '{c.name}'{desc}: {base}{growth}.")
        if scenario.correlation and len(scenario.correlation) == 2:
            lines.append(
                f"The components' growth surprises are correlated ({scenario.correlation[0][1]:g})."
            )
        elif scenario.correlation:
            lines.append("A correlation matrix links the components' growth surprises.")
    rho = scenario.persistence
    if rho == 0:
        lines.append("Years are independent: a good year says nothing about the next.")
    else:
        lines.append(
            f"Persistence {rho:g}: a growth surprise carries into the next year with "
            f"correlation {rho:g} (AR(1)), so good and bad years come in runs."
        )
    for lv in scenario.levers:
        desc = f" ({lv.description})" if lv.description else ""
        only = f", for {', '.join(lv.components)} only" if lv.components else ""
        lines.append(
            f"Lever '{lv.name}'{desc}: adds {_dist_words(lv, points=True)} to growth each "
            f"year in {_years(lv.years)}{only}; drawn once per path, so it persists."
        )
    for sh in scenario.shocks:
        desc = f" ({sh.description})" if sh.description else ""
        mid, lo, hi = _spread(sh.impact)
        way = "falls" if mid < 0 else "rises"
        size = f"about {abs(mid):.0%}"
        if abs(hi - lo) > 1e-12:
            size += (
                f" (90%: {abs(hi):.0%} to {abs(lo):.0%})"
                if mid < 0
                else f" (90%: {lo:.0%} to {hi:.0%})"
            )
        recur = "at most once" if sh.once else "can recur"
        text = (
            f"Shock '{sh.name}'{desc}: a {sh.probability:.0%} chance each year in "
            f"{_years(sh.years)} ({recur}); in a year it strikes, the level {way} by {size}"
        )
        if sh.recovery > 0:
            text += f"; {sh.recovery:.0%} of that comes back the next year"
        lines.append(text + ".")
    lines.append(
        f"Yearly growth is held between {_growth(scenario.limits.floor, 0)} and "
        f"{_growth(scenario.limits.cap, 0)}."
    )
    if scenario.nowcast:
        lines.append(
            "A part-reported fiscal year is its reported months plus simulated remaining months, "
            "whose growth blends this scenario's assumption with the year-to-date signal."
        )
    return tuple(lines)


# --- running and files -------------------------------------------------------------------


def unique_stems(files: Sequence[str]) -> list[str]:
    """File stems made unique for output names: a repeated stem gets "-2", "-3" …"""
    out: list[str] = []
    for f in files:
        stem, k = Path(f).stem or "scenario", 2
        cand = stem
        while cand in out:
            cand, k = f"{stem}-{k}", k + 1
        out.append(cand)
    return out


Draw = Callable[[], "Figure"]


@dataclass(frozen=True)
class Bundle:
    """A report ready to write: its content and the figures behind its charts."""

    brief: Brief
    stems: tuple[str, ...]
    draws: Mapping[str, Draw]


def build_bundle(
    projections: Sequence[Projection], files: Sequence[str], *, fmt: str = "png"
) -> Bundle:
    """Summaries, comparison, assumptions and chart list of the runs ``projections``.

    Parameters
    ----------
    projections : one run per scenario, on common random numbers (the first is the reference)
    files : the scenario files, for the output names (``summary-<stem>.json`` …)
    fmt : image format of the charts
    """
    from simulator.questions.compare import compare_projections
    from simulator.report import charts
    from simulator.stats.targets import chart_data

    stems = unique_stems(files)
    summaries = []
    for p in projections:
        s = p.summary()
        s["chart_data"] = chart_data(p)
        summaries.append(s)
    comparison = compare_projections(projections) if len(projections) > 1 else None

    chart_list: list[Chart] = []
    draws: dict[str, Draw] = {}

    def add(name: str, draw: Draw, summary: Mapping[str, Any] | None, stem: str | None) -> None:
        file = f"{name}-{stem}.{fmt}" if stem else f"{name}.{fmt}"
        fy = summary["current_year"]["fiscal_year"] if summary and "current_year" in summary else 0
        scenario = summary["scenario"]["name"] if summary else ""
        caption = CAPTIONS.get(name, name).format(name=scenario, fy=_fy(fy))
        chart_list.append(Chart(file, caption))
        draws[file] = draw

    if comparison is not None:
        for name, draw in charts.compare_charts(comparison).items():
            add(name, draw, None, None)
    order = ("fan", "current_year", "target_probabilities", "target_distributions")
    for i, (s, stem) in enumerate(zip(summaries, stems, strict=True)):
        made = charts.run_charts(s)
        names: tuple[str, ...] = order if i == 0 else ("fan",)
        if comparison is not None:  # the comparison's probability chart already shows these
            names = tuple(n for n in names if n != "target_probabilities")
        for name in names:
            if name in made:
                add(name, made[name], s, stem)
    data_files = tuple(f"summary-{stem}.json" for stem in stems)
    if comparison is not None:
        data_files += ("comparison.json",)
    brief = Brief(
        summaries=tuple(summaries),
        assumptions=tuple(describe_assumptions(p.scenario) for p in projections),
        comparison=comparison,
        charts=tuple(chart_list),
        files=data_files,
    )
    return Bundle(brief=brief, stems=tuple(stems), draws=draws)


def report_files(bundle: Bundle) -> dict[str, str | Callable[[Path], None]]:
    """Every file ``simulator report`` writes, by name (for ``write_outputs``)."""
    from simulator.present.files import summary_json
    from simulator.report import charts

    files: dict[str, str | Callable[[Path], None]] = {
        "report.md": brief_markdown(bundle.brief),
        "report.pdf": _pdf_writer(bundle),
    }
    for stem, s in zip(bundle.stems, bundle.brief.summaries, strict=True):
        files[f"summary-{stem}.json"] = summary_json(s)
    if bundle.brief.comparison is not None:
        files["comparison.json"] = summary_json(bundle.brief.comparison)
    for file, draw in bundle.draws.items():
        files[file] = charts.saver(draw)
    return files


def _pdf_writer(bundle: Bundle) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        write_pdf(path, bundle.brief, bundle.draws)

    return write


# --- PDF -----------------------------------------------------------------------------------

A4 = (8.27, 11.69)  # inches, portrait
MARGIN = 0.75  # inches, left and right
TOP, BOTTOM = 0.8, 0.85  # inches
INK = "#222222"
GREY = "#6B6B6B"
RULE = "#999999"
FONT = "DejaVu Sans"
PRINT_DPI = 300  # charts on the PDF pages


class _Flow:
    """Lays text blocks out on A4 pages, top to bottom, starting a page when one is full."""

    def __init__(self, pdf: Any, footer: str) -> None:
        from matplotlib.backends.backend_agg import RendererAgg

        self.pdf = pdf
        self.footer = footer
        self.renderer = RendererAgg(10, 10, 72)  # type: ignore[no-untyped-call]  # 72 dpi: widths come out in points
        self.fig: Figure | None = None
        self.y = 0.0  # inches from the bottom of the page
        self.pages = 0
        self.width = A4[0] - 2 * MARGIN

    # measuring
    def text_width(self, text: str, size: float, bold: bool = False) -> float:
        from matplotlib.font_manager import FontProperties

        prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
        text = text.replace("`", "")
        w, _, _ = self.renderer.get_text_width_height_descent(  # type: ignore[no-untyped-call]
            text, prop, ismath=False
        )
        return float(w) / 72.0

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        lines: list[str] = []
        line = ""
        for word in text.split():
            cand = f"{line} {word}" if line else word
            if line and self.text_width(cand, size, bold) > width:
                lines.append(line)
                line = word
            else:
                line = cand
        if line:
            lines.append(line)
        return lines or [""]

    # pages
    def new_page(self) -> Figure:
        from matplotlib.figure import Figure

        self.finish()
        self.fig = Figure(figsize=A4)
        self.pages += 1
        self.y = A4[1] - TOP
        return self.fig

    def finish(self) -> None:
        if self.fig is not None:
            self.put(
                MARGIN, BOTTOM - 0.35, f"{self.footer} · page {self.pages}", 7, color=GREY, va="top"
            )
            self.pdf.savefig(self.fig)
            self.fig = None

    def need(self, height: float) -> None:
        if self.fig is None or self.y - height < BOTTOM:
            self.new_page()

    def put(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        color: str = INK,
        ha: str = "left",
        va: str = "baseline",
        family: str = FONT,
    ) -> None:
        assert self.fig is not None
        self.fig.text(
            x / A4[0],
            y / A4[1],
            text.replace("`", ""),
            fontsize=size,
            fontweight="bold" if bold else "normal",
            color=color,
            ha=ha,
            va=va,
            family=family,
            parse_math=False,  # "$5B … $10B" is money, not TeX
        )

    def rule(self, x0: float, x1: float, y: float, width: float = 0.6) -> None:
        from matplotlib.lines import Line2D

        assert self.fig is not None
        self.fig.add_artist(
            Line2D(
                [x0 / A4[0], x1 / A4[0]],
                [y / A4[1], y / A4[1]],
                transform=self.fig.transFigure,
                color=RULE,
                linewidth=width,
            )
        )

    # blocks
    def lines(
        self,
        lines: list[str],
        size: float,
        *,
        x: float = MARGIN,
        bold: bool = False,
        color: str = INK,
        after: float = 0.08,
        bullet: str | None = None,
    ) -> None:
        step = size * 1.4 / 72
        for i, line in enumerate(lines):
            self.need(step)
            self.y -= step
            if bullet and i == 0:
                self.put(x - 0.16, self.y, bullet, size, color=color)
            self.put(x, self.y, line, size, bold=bold, color=color)
        self.y -= after

    def heading(self, h: Heading) -> None:
        size = {1: 17.0, 2: 12.0}.get(h.level, 10.0)
        self.need(size * 1.4 / 72 + 0.15 + 3 * 9.0 * 1.4 / 72)  # keep with what follows
        if self.y < A4[1] - TOP - 0.01:
            self.y -= 0.12 if h.level <= 2 else 0.04
        self.lines(self.wrap(h.text, size, self.width, True), size, bold=True, after=0.06)

    def paragraph(self, p: Paragraph) -> None:
        size, bold, color = {"lead": (12.0, True, INK), "note": (7.8, False, GREY)}.get(
            p.style, (9.0, False, INK)
        )
        after = 0.14 if p.style == "lead" else 0.08
        lines = self.wrap(p.text, size, self.width, bold)
        if len(lines) <= 6:  # no widows: a short paragraph stays on one page
            self.need(len(lines) * size * 1.4 / 72)
        self.lines(lines, size, bold=bold, color=color, after=after)

    def bullets(self, b: Bullets) -> None:
        indent = 0.2
        for item in b.items:
            size = 8.5
            lines = self.wrap(item, size, self.width - indent)
            self.need(len(lines) * size * 1.4 / 72)  # an item stays on one page
            self.lines(lines, size, x=MARGIN + indent, after=0.03, bullet="•")
        self.y -= 0.05

    def table(self, t: Table) -> None:
        pad = 0.12
        size = 8.5
        while True:
            widths = [
                max(
                    [self.text_width(t.header[j], size, True)]
                    + [self.text_width(r[j], size) for r in t.rows]
                )
                for j in range(len(t.header))
            ]
            if sum(widths) + pad * (len(widths) - 1) <= self.width or size <= 6.5:
                break
            size -= 0.25
        step = size * 1.75 / 72
        self.need(step * (len(t.rows) + 1) + 0.1)
        x0, x1 = MARGIN, MARGIN + sum(widths) + pad * (len(widths) - 1)
        self.rule(x0, x1, self.y, 0.9)
        xs = []
        x = MARGIN
        for w in widths:
            xs.append(x)
            x += w + pad

        def row(cells: Sequence[str], bold: bool) -> None:
            self.y -= step
            for j, cell in enumerate(cells):
                right = t.align[j] == "r"
                xx = xs[j] + widths[j] if right else xs[j]
                self.put(
                    xx,
                    self.y + size * 0.45 / 72,
                    cell,
                    size,
                    bold=bold,
                    ha="right" if right else "left",
                )

        row(t.header, True)
        self.rule(x0, x1, self.y, 0.6)
        for r in t.rows:
            row(r, False)
        self.rule(x0, x1, self.y, 0.9)
        self.y -= 0.12

    def chart_page(self, chart: Chart, number: int, draw: Draw, header: str) -> None:
        """Place a chart and its caption where the page has room (two charts fit an A4 page),
        else on a new page under a running header."""
        import io

        from matplotlib.image import imread

        from simulator.plotting.figures import BRIEF_SIZE

        need = self.width * BRIEF_SIZE[1] / BRIEF_SIZE[0] + 0.2 + 3 * 8.5 * 1.4 / 72
        if self.fig is None or self.y - need < BOTTOM:
            self.new_page()
            self.put(MARGIN, self.y, header, 7.5, color=GREY, va="top")
            self.y -= 0.3
        else:
            self.y -= 0.15
        fig = self.fig
        assert fig is not None
        # The chart is drawn exactly as its PNG (same function, same size) at print resolution,
        # then placed at its natural size: 7 in wide fits A4's text width.
        from simulator.plotting.figures import brief_style

        buf = io.BytesIO()
        with brief_style():
            draw().savefig(buf, format="png", dpi=PRINT_DPI)
        buf.seek(0)
        img = imread(buf, format="png")
        h_px, w_px = img.shape[0], img.shape[1]
        w_in = self.width
        h_in = w_in * h_px / w_px
        left = MARGIN
        ax = fig.add_axes((left / A4[0], (self.y - h_in) / A4[1], w_in / A4[0], h_in / A4[1]))
        ax.imshow(img, interpolation="none")
        ax.set_axis_off()
        self.y -= h_in + 0.2
        self.lines(self.wrap(f"Figure {number}. {chart.caption}", 8.5, self.width), 8.5, color=INK)


def write_pdf(path: Path, brief: Brief, draws: Mapping[str, Draw]) -> int:
    """Write ``report.pdf``: the text (title, headline, tables, notes), then the charts, two to
    an A4 page where they fit, with TrueType fonts embedded.

    Parameters
    ----------
    path : Path
        Where to write the PDF.
    brief : Brief
    draws : mapping of chart file name to a function drawing its figure

    Returns
    -------
    int — the number of pages written
    """
    from matplotlib.backends.backend_pdf import PdfPages

    blocks = brief_blocks(brief)
    run = brief.summaries[0]["run"]
    footer = f"{TITLE} · simulator v{run['version']} · data to {run['data_vintage']}"
    metadata = {"Title": TITLE, "Creator": f"simulator v{run['version']}", "CreationDate": None}
    import matplotlib as mpl

    # TrueType (Type 42) fonts, embedded: Type 3 prints and searches badly.
    with mpl.rc_context({"pdf.fonttype": 42}), PdfPages(path, metadata=metadata) as pdf:
        flow = _Flow(pdf, footer)
        flow.new_page()
        charts: list[Chart] = []
        for b in blocks:
            if isinstance(b, Heading):
                if b.text == "Charts" and b.level == 2:
                    continue
                flow.heading(b)
            elif isinstance(b, Paragraph):
                flow.paragraph(b)
            elif isinstance(b, Bullets):
                flow.bullets(b)
            elif isinstance(b, Table):
                flow.table(b)
            else:
                charts.append(b)
        header = f"{TITLE} · {brief.summaries[0]['scenario']['name']}"
        if len(brief.summaries) > 1:
            header = f"{TITLE} · {len(brief.summaries)} scenarios"
        for i, c in enumerate(charts, start=1):
            flow.chart_page(c, i, draws[c.file], header)
        flow.finish()
        return flow.pages
