"""Self-contained interactive HTML: ``fan.html`` (``run``) and ``comparison.html`` (``compare``).

Each page is one file: a Vega-Lite chart built with Altair, with the Vega, Vega-Lite and
Vega-Embed JavaScript inlined from the ``vl-convert-python`` package
(``vl_convert.javascript_bundle()``), so it opens from a folder or an e-mail attachment with no
network. Hovering a year shows its median and bands; hovering a target marker shows P(hit).
The chart names its scenario in its subtitle.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from simulator.fiscal import label as fy_label
from simulator.present.newsroom import QUANTILE_KEYS, views

if TYPE_CHECKING:
    from simulator.questions.compare import Comparison
    from simulator.stats.jsonable import JSONDict
from simulator.stats.summary import Summary

#: Vega-Embed options: SVG (sharp, and its text is searchable), no action menu (it links out).
EMBED_OPTIONS = {"renderer": "svg", "actions": False}
BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
SERIES = ("#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#6B6B6B", "#F0E442")
WIDTH, HEIGHT = 640, 340


@cache
def javascript_bundle() -> str:
    """Vega-Embed, Vega-Lite and Vega as one script (from vl-convert-python; no network)."""
    import vl_convert

    bundle = str(vl_convert.javascript_bundle())  # type: ignore[call-arg]
    return bundle.replace("</script", "<\\/script")


def _json(obj: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(obj, allow_nan=False).replace("</", "<\\/")


def page(title: str, body: str, script: str, *, note: str = "") -> str:
    """A whole HTML document: the inlined bundle, ``body`` and then ``script`` (run after it)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 16px;
  max-width: 760px; }}
.note {{ font-size: 11px; color: #6B6B6B; margin-top: 8px; }}
#vg-tooltip-element {{ font-size: 12px; }}
</style>
<script>{javascript_bundle()}</script>
</head>
<body>
{body}
<p class="note">{html.escape(note)}</p>
<script>
{script}
</script>
</body>
</html>
"""


def _data(values: list[JSONDict]) -> Any:
    """Inline data for an Altair chart: its rows are JSON written into the page."""
    import altair as alt

    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def _money(x: float | None) -> str | None:
    from simulator.present.text import billions

    return None if x is None else billions(x)


def _y_axis() -> Any:
    import altair as alt

    return alt.Axis(
        title="IT exports a year",
        labelExpr="datum.value == 0 ? '$0' : '$' + format(datum.value / 1000, '~g') + 'B'",
        tickCount=6,
    )


def _x_axis() -> Any:
    import altair as alt

    # "FY26" ticks; Vega thins them by itself on long horizons (labelOverlap).
    return alt.Axis(
        title=None,
        labelExpr="'FY' + slice(toString(datum.value), 2)",
        tickMinStep=1,
        labelOverlap=True,
        grid=False,
    )


def _band_text(r: Mapping[str, float], lo: str, hi: str) -> str:
    return f"{_money(r[lo])}\u2013{_money(r[hi])}"


def fan_rows(result: Summary | Comparison, *, since: int = 2016) -> list[JSONDict]:
    """One row per fiscal year for the fan (USD million, plus tooltip text), first scenario."""
    v = views(result)
    s = v.series[0]
    base_year = s.base.fiscal_year
    rows: list[JSONDict] = []
    for h in v.history:
        y = h.fiscal_year
        if since <= y <= base_year:
            rows.append({"year": y, "actual": float(h.value)})
    by_year = {r["year"]: r for r in rows}
    base_row = by_year.setdefault(base_year, {"year": base_year, "actual": float(s.base.value)})
    if base_row not in rows:
        rows.append(base_row)
    for k in QUANTILE_KEYS:
        base_row[k] = float(s.base.value)
    for ys in s.years:
        rows.append({"year": ys.fiscal_year, **{k: ys.quantile(k) for k in QUANTILE_KEYS}})
    for r in rows:
        r["fy"] = fy_label(r["year"])
        # The hover tooltip: only the lines that apply to this year (vega-tooltip shows an
        # object's keys as rows, so a history year has no empty "median" line).
        tip = {"Year": r["fy"]}
        if r.get("actual") is not None:
            tip["Actual (SBP)"] = _money(r["actual"])
        if "p50" in r and r["year"] != base_year:
            tip["Median projection"] = _money(r["p50"])
            tip["50% of paths"] = _band_text(r, "p25", "p75")
            tip["80% of paths"] = _band_text(r, "p10", "p90")
            tip["90% of paths"] = _band_text(r, "p05", "p95")
        r["tip"] = tip
    return sorted(rows, key=lambda r: r["year"])


def target_rows(result: Summary | Comparison, label: str | None = None) -> list[JSONDict]:
    """One row per target with a chance to show: level, kind and P(hit) text per scenario."""
    from simulator.present.text import chance_text

    v = views(result)
    out = []
    for t in v.targets:
        chances = {k: p for k, p in t.p_hit.items() if p is not None}
        if not chances or (label is not None and label not in chances):
            continue
        text = "; ".join(
            f"{chance_text(p)}" + ("" if len(chances) == 1 else f" ({k})")
            for k, p in chances.items()
        )
        out.append(
            {
                "year": t.fiscal_year,
                "value": t.value,
                "fy": fy_label(t.fiscal_year),
                "target": f"{_money(t.value)} by {fy_label(t.fiscal_year)}"
                + ("" if t.kind == "official target" else f" ({t.kind})"),
                "official": t.kind == "official target",
                "p_hit_text": text,
            }
        )
    return out


def _target_layer(targets: list[JSONDict]) -> Any:
    import altair as alt

    return (
        alt.Chart(_data(targets))
        .mark_point(shape="diamond", filled=True, size=130, strokeWidth=1.5)
        .encode(
            x="year:Q",
            y="value:Q",
            color=alt.condition("datum.official", alt.value(VERMILLION), alt.value(ORANGE)),
            tooltip=[
                alt.Tooltip("target:N", title="Target"),
                alt.Tooltip("p_hit_text:N", title="P(hit)"),
            ],
        )
    )


def _hover_layer(rows: list[JSONDict], x_lo: float) -> Any:
    """Full-height columns, one per year, that carry the year's tooltip and light up on hover."""
    import altair as alt

    hover = alt.selection_point(on="pointerover", fields=["year"], empty=False, clear="pointerout")
    return (
        alt.Chart(_data(rows))
        .transform_calculate(x0="datum.year - 0.5", x1="datum.year + 0.5")
        .mark_rect(color="#888888", tooltip=alt.ExprRef("datum.tip"))
        .encode(
            x=alt.X("x0:Q", scale=alt.Scale(domainMin=x_lo)),
            x2="x1:Q",
            opacity=alt.condition(hover, alt.value(0.12), alt.value(0.01)),
        )
        .add_params(hover)
    )


def fan_chart(result: Summary, *, title: str | None = None) -> Any:
    """The fan of a run as an Altair chart."""
    import altair as alt

    from simulator.plotting.projection import _fan_title
    from simulator.plotting.style import source_text

    rows = fan_rows(result)
    name = result.scenario.name
    targets = target_rows(result)
    x_lo, x_hi = rows[0]["year"] - 0.5, rows[-1]["year"] + 0.5
    x = alt.X("year:Q", axis=_x_axis(), scale=alt.Scale(domain=[x_lo, x_hi], nice=False))
    base = alt.Chart(_data(rows))
    layers = [
        base.mark_area(color=BLUE, opacity=op).encode(
            x=x, y=alt.Y(f"{lo}:Q", axis=_y_axis(), scale=alt.Scale(zero=True)), y2=f"{hi}:Q"
        )
        for lo, hi, op in (("p05", "p95", 0.15), ("p10", "p90", 0.22), ("p25", "p75", 0.32))
    ]
    layers.append(base.mark_line(color=BLUE, strokeWidth=2.5).encode(x=x, y="p50:Q"))
    layers.append(
        base.mark_line(
            color="#000000", strokeWidth=2, point={"color": "#000000", "size": 30}
        ).encode(x=x, y="actual:Q")
    )
    layers.insert(0, _hover_layer(rows, x_lo))
    if targets:
        layers.append(_target_layer(targets))
    note = source_text(result)
    return (
        alt.layer(*layers)
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.TitleParams(
                title or _fan_title(result),
                subtitle=[
                    f"Scenario: {name}",
                    "Shaded: where 90%, 80% and 50% of simulated paths fall; line: median. "
                    "Hover a year or a target.",
                ],
                anchor="start",
            ),
        )
        .configure_view(stroke=None)
    ), note


def comparison_chart(comparison: Comparison, *, title: str | None = None) -> Any:
    """Scenarios' medians with light 80% bands, on one chart."""
    import altair as alt

    from simulator.plotting.comparison import _comparison_title
    from simulator.plotting.style import source_text

    v = views(comparison)
    first = fan_rows(comparison)
    hist = [r for r in first if "actual" in r]
    base_year = max(r["year"] for r in hist)
    long: list[JSONDict] = []
    per_year: dict[int, JSONDict] = {
        r["year"]: {
            "year": r["year"],
            "fy": r["fy"],
            "tip": {k: r["tip"][k] for k in r["tip"] if k in ("Year", "Actual (SBP)")},
        }
        for r in first
    }
    shown = ("p10", "p50", "p90")
    for s in v.series:
        points = [(s.base.fiscal_year, dict.fromkeys(shown, float(s.base.value)))]
        points += [(r.fiscal_year, {k: r.quantile(k) for k in shown}) for r in s.years]
        for y, r in points:
            long.append({"year": y, "scenario": s.label, **r})
            if y != base_year:
                row = per_year.setdefault(
                    y, {"year": y, "fy": fy_label(y), "tip": {"Year": fy_label(y)}}
                )
                row["tip"][f"{s.label}: median"] = (
                    f"{_money(r['p50'])} (80%: {_band_text(r, 'p10', 'p90')})"
                )
    labels = [s.label for s in v.series]
    colour = alt.Color(
        "scenario:N",
        scale=alt.Scale(domain=labels, range=list(SERIES[: len(labels)])),
        legend=alt.Legend(title=None, orient="top-left"),
    )
    rows = sorted(per_year.values(), key=lambda r: r["year"])
    x_lo, x_hi = rows[0]["year"] - 0.5, rows[-1]["year"] + 0.5
    x = alt.X("year:Q", axis=_x_axis(), scale=alt.Scale(domain=[x_lo, x_hi], nice=False))
    data = alt.Chart(_data(long))
    layers = [
        _hover_layer(rows, x_lo),
        data.mark_area(opacity=0.1).encode(
            x=x, y=alt.Y("p10:Q", axis=_y_axis()), y2="p90:Q", color=colour
        ),
        data.mark_line(strokeWidth=2.5).encode(x=x, y="p50:Q", color=colour),
        alt.Chart(_data(hist))
        .mark_line(color="#000000", strokeWidth=2, point={"color": "#000000", "size": 30})
        .encode(x=x, y="actual:Q"),
    ]
    targets = target_rows(comparison)
    if targets:
        layers.append(_target_layer(targets))
    names = "; ".join(s.name for s in v.series)
    chart = (
        alt.layer(*layers)
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.TitleParams(
                title or _comparison_title(comparison),
                subtitle=[
                    f"Scenarios: {names}",
                    "Lines: median projection; shaded: where 80% of paths fall; same random "
                    "draws in every scenario. Hover a year or a target.",
                ],
                anchor="start",
            ),
        )
        .configure_view(stroke=None)
    )
    return chart, source_text(comparison)


def chart_page(chart: Any, note: str, *, title: str) -> str:
    """A self-contained page for one Altair chart (spec and JavaScript inline)."""
    spec = chart.to_dict()
    spec.pop("$schema", None)  # a reference, never fetched; left out so the page names no URL
    script = (
        f"vegaEmbed('#chart', {_json(spec)}, {_json(EMBED_OPTIONS)})"
        ".then(function (r) { window.vegaView = r.view; document.body.dataset.ready = '1'; });"
    )
    credit = " Chart: Vega-Lite via Altair (vega, vega-lite, vega-embed inlined)."
    return page(title, '<div id="chart"></div>', script, note=note + credit)


def fan_html(summary: Summary) -> str:
    """``fan.html`` text for a run."""
    chart, note = fan_chart(summary)
    return chart_page(chart, note, title=f"{summary.scenario.name}: IT exports fan chart")


def comparison_html(comparison: Comparison) -> str:
    """``comparison.html`` text for a comparison."""
    chart, note = comparison_chart(comparison)
    names: Sequence[str] = [s.name for s in comparison.scenarios]
    return chart_page(chart, note, title="IT exports by scenario: " + "; ".join(names))
