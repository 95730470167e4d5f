"""A what-if explorer: one self-contained HTML page with sliders over a scenario's levers and key
assumptions, every slider position precomputed.

The grid (every combination of each knob's values) runs through the sweep machinery's point
evaluation (:mod:`simulator.questions.points`) on common random numbers: every point uses the
run's seed, so the engine gives each named role the same normal scores and a difference between
two points comes from the assumptions alone. Each point keeps only P(hit) per target and the
fan's quantiles per year, so the page is small and moving a slider just looks up the point (no
server, no simulation in the browser).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.engine.executors import Executor
from simulator.errors import UserInputError, did_you_mean
from simulator.present.newsroom import QUANTILE_KEYS
from simulator.questions.points import Overrides, PointResult, PointTask, evaluate_point, run_points
from simulator.questions.variants import (
    FIXED,
    NOT_PARAMETERS,
    DataValue,
    KeyPath,
    ScenarioData,
    apply_overrides,
    as_list,
    entry,
    walk,
)
from simulator.scenario.schema import Scenario
from simulator.stats.summary import Summary

#: Most grid points an explorer page may hold (each is a full Monte Carlo run).
MAX_POINTS = 1000
#: Values per default knob.
DEFAULT_STEPS = 5
#: A growth mean's default slider runs this far either side of the scenario's value.
MEAN_SPAN = 0.06


class ExploreError(UserInputError):
    """An explorer cannot be built as asked (unknown key, bad range, too many points)."""


@dataclass(frozen=True)
class Knob:
    """One slider: a scenario key and the values it takes.

    Attributes
    ----------
    key : str — ``growth[0].mean``, ``persistence``, ``levers.NAME`` (the lever fixed at the
        value), ``levers.NAME.FIELD``, ``shocks.NAME.probability``, ``shocks.NAME.impact.FIELD``
    label : str — what the slider says
    values : tuple of float — in the key's units (growth as a fraction)
    default : int — index of the value closest to the scenario as written
    """

    key: str
    label: str
    values: tuple[float, ...]
    default: int


@dataclass(frozen=True)
class VariantResult:
    """One grid point's reductions.

    Attributes
    ----------
    p_hit : tuple of float or None — per target, in the scenario's order (None: not projected)
    quantiles : tuple of tuple of float — per projected year, p05 … p95 (USD million)
    """

    p_hit: tuple[float | None, ...]
    quantiles: tuple[tuple[float, ...], ...]

    @classmethod
    def of(cls, point: PointResult) -> VariantResult:
        """The explorer's reductions of a sweep point run with its fan."""
        return cls(
            p_hit=tuple(point.p_hit(i) for i in range(len(point.hits))),
            quantiles=point.quantiles,
        )


@dataclass(frozen=True)
class Exploration:
    """Every grid point of an explorer, ready to write.

    Attributes
    ----------
    summary : Summary — the run of the scenario as written (history, base, targets)
    knobs : tuple of Knob
    points : tuple of tuple of int — value indices per knob, in grid order
    results : tuple of VariantResult — one per point
    years : tuple of int — projected fiscal years
    paths, seed : int
    """

    summary: Summary
    knobs: tuple[Knob, ...]
    points: tuple[tuple[int, ...], ...]
    results: tuple[VariantResult, ...]
    years: tuple[int, ...]
    paths: int
    seed: int


# --- Keys -------------------------------------------------------------------------------------


def _is_value(v: DataValue) -> bool:
    return isinstance(v, int | float)


def _keys(data: ScenarioData) -> dict[str, KeyPath]:
    """Every key this explorer may vary, mapped to its path in ``model_dump`` data.

    ``levers.NAME`` replaces the lever by a fixed value (the :data:`FIXED` pseudo-field).
    """
    keys: dict[str, KeyPath] = {}
    for i, _ in enumerate(as_list(data.get("growth"))):
        for k, v in entry(data, ("growth", i)).items():
            if k not in NOT_PARAMETERS and _is_value(v):
                keys[f"growth[{i}].{k}"] = ("growth", i, k)
    keys["persistence"] = ("persistence",)
    for i, _ in enumerate(as_list(data.get("levers"))):
        lv = entry(data, ("levers", i))
        keys[f"levers.{lv['name']}"] = ("levers", i, FIXED)
        for k, v in lv.items():
            if k not in NOT_PARAMETERS and _is_value(v):
                keys[f"levers.{lv['name']}.{k}"] = ("levers", i, k)
    for i, _ in enumerate(as_list(data.get("shocks"))):
        sh = entry(data, ("shocks", i))
        keys[f"shocks.{sh['name']}.probability"] = ("shocks", i, "probability")
        for k, v in entry(sh, ("impact",)).items():
            if k != "dist" and _is_value(v):
                keys[f"shocks.{sh['name']}.impact.{k}"] = ("shocks", i, "impact", k)
    return keys


def _paths(scenario: Scenario, overrides: Sequence[tuple[str, float]]) -> Overrides:
    """The data path of each ``(key, value)``.

    Raises
    ------
    ExploreError
        For an unknown key, with the closest one and the list.
    """
    keys = _keys(scenario.model_dump(by_alias=True))
    for key, _ in overrides:
        if key not in keys:
            raise ExploreError(
                f"unknown key '{key}'{did_you_mean(key, keys)}; keys: {', '.join(keys)}",
                file=scenario.file,
                key="--vary",
            )
    return tuple((keys[key], float(value)) for key, value in overrides)


def variant(scenario: Scenario, overrides: Sequence[tuple[str, float]]) -> Scenario:
    """The scenario with each ``(key, value)`` set, validated through the schema.

    Raises
    ------
    ExploreError
        For an unknown key (with the closest one and the list) or a value the format refuses.
    """
    from pydantic import ValidationError

    data = apply_overrides(scenario.model_dump(by_alias=True), _paths(scenario, overrides))
    try:
        out = Scenario.model_validate(data)
    except ValidationError as exc:
        where = ", ".join(f"{k}={v:g}" for k, v in overrides)
        msg = exc.errors()[0]["msg"]
        raise ExploreError(
            f"not allowed ({where}): {msg}", file=scenario.file, key="--vary"
        ) from None
    return out.with_provenance(scenario.provenance.derive())


_VARY = re.compile(r"^(?P<key>[^=]+)=(?P<lo>[^:]+):(?P<hi>[^:]+):(?P<n>\d+)$")


def parse_vary(text: str, scenario: Scenario) -> Knob:
    """A knob from ``KEY=LO:HI:N`` (the same form as ``simulator sweep --vary``).

    Raises
    ------
    ExploreError
        For another form, non-numbers, LO > HI, N < 2 or an unknown key.
    """
    form = "KEY=LO:HI:N, such as growth[0].mean=0.10:0.30:5"
    m = _VARY.match(text.strip())
    if m is None:
        raise ExploreError(f"cannot read '{text}'; expected {form}", key="--vary")
    try:
        lo, hi, n = float(m["lo"]), float(m["hi"]), int(m["n"])
    except ValueError:
        raise ExploreError(f"LO and HI must be numbers in '{text}'", key="--vary") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi or n < 2:
        raise ExploreError(f"need finite LO <= HI and N >= 2 in '{text}'", key="--vary")
    key = m["key"].strip()
    variant(scenario, [(key, lo)])  # the key exists and the low end is allowed
    values = tuple(float(v) for v in np.linspace(lo, hi, n))
    current = _current(scenario, key)
    default = int(np.argmin([abs(v - current) for v in values])) if current is not None else 0
    return Knob(key=key, label=key, values=values, default=default)


def _current(scenario: Scenario, key: str) -> float | None:
    data: ScenarioData = scenario.model_dump(by_alias=True)
    path = _keys(data)[key]
    if path[0] == "levers" and path[-1] == FIXED:
        return _centre(entry(data, path[:-1]))
    cur = walk(data, path)
    return float(cur) if isinstance(cur, int | float) else None


def _number(item: ScenarioData, key: str) -> float | None:
    v = item.get(key)
    return float(v) if isinstance(v, int | float) else None


def _centre(item: ScenarioData) -> float | None:
    for k in ("mode", "mean", "value"):
        v = _number(item, k)
        if v is not None:
            return v
    low, high = _number(item, "low"), _number(item, "high")
    if low is not None and high is not None:
        return (low + high) / 2
    return None


def _lever_range(item: ScenarioData) -> tuple[float, float] | None:
    low, high = _number(item, "low"), _number(item, "high")
    if low is not None and high is not None:
        return low, high
    m, sd = _number(item, "mean"), _number(item, "sd")
    if m is not None and sd is not None:
        return m - 2 * sd, m + 2 * sd
    v = _number(item, "value")
    if v is not None:
        return min(0.0, v), max(0.0, v) if v else 0.03
    return None


def default_knobs(scenario: Scenario) -> list[Knob]:
    """Sliders for each lever (fixed at values across its range) and each growth range's mean
    (±6 points around the scenario's), :data:`DEFAULT_STEPS` values each."""
    from simulator.present.text import fy_label

    data: ScenarioData = scenario.model_dump(by_alias=True)
    knobs = []
    for i, lever in enumerate(scenario.levers):
        lv = entry(data, ("levers", i))
        rng = _lever_range(lv)
        if rng is None:
            continue
        values = tuple(float(v) for v in np.linspace(rng[0], rng[1], DEFAULT_STEPS))
        centre = _centre(lv) or 0.0
        y0, y1 = lever.years
        knobs.append(
            Knob(
                key=f"levers.{lever.name}",
                label=f"{lever.name.replace('_', ' ')} ({fy_label(y0)}\u2013{fy_label(y1)})",
                values=values,
                default=int(np.argmin([abs(v - centre) for v in values])),
            )
        )
    if isinstance(scenario.growth, list):
        for i, g in enumerate(scenario.growth):
            m = _number(entry(data, ("growth", i)), "mean")
            if m is None:
                continue
            values = tuple(
                float(v) for v in np.linspace(m - MEAN_SPAN, m + MEAN_SPAN, DEFAULT_STEPS)
            )
            y0, y1 = g.years
            knobs.append(
                Knob(
                    key=f"growth[{i}].mean",
                    label=f"growth mean {fy_label(y0)}\u2013{fy_label(y1)}",
                    values=values,
                    default=DEFAULT_STEPS // 2,
                )
            )
    return knobs


# --- Grid -------------------------------------------------------------------------------------


def evaluate_variant(
    scenario: Scenario,
    overrides: Sequence[tuple[str, float]],
    *,
    paths: int,
    seed: int,
    actuals: str | None = None,
) -> VariantResult:
    """Simulate one variant on the run's seed and reduce it to P(hit) and the fan's quantiles
    (one grid point, through :func:`simulator.questions.points.evaluate_point`).

    Raises
    ------
    ExploreError
        For an unknown key or a value the format refuses.
    """
    from simulator.data.timeline import actuals_for

    variant(scenario, overrides)
    task = PointTask(
        data=scenario.model_dump(by_alias=True),
        file=scenario.file,
        overrides=_paths(scenario, overrides),
        paths=paths,
        seed=seed,
        monthly=actuals_for(scenario, actuals),
        fan=True,
    )
    return VariantResult.of(evaluate_point(task))


def explore(
    scenario: Scenario,
    knobs: Sequence[Knob],
    *,
    paths: int,
    seed: int | None = None,
    actuals: str | None = None,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
) -> Exploration:
    """Run every grid point of ``knobs`` on common random numbers.

    Parameters
    ----------
    scenario : Scenario
    knobs : sequence of Knob — at least one
    paths : int — paths per point
    seed : int, optional — default: the scenario's seed (else fresh entropy, recorded)
    executor : Executor, optional — where the points run (default: threads in this process)
    progress : callable, optional — called with 1 after each point

    Raises
    ------
    ExploreError
        With no knob, more than :data:`MAX_POINTS` points, or a point the format refuses.
    """
    from simulator.engine.runs import common_random_numbers, prepare
    from simulator.questions.points import run_seed

    if not knobs:
        raise ExploreError(
            "nothing to vary: the scenario has no levers or growth means; give --vary KEY=LO:HI:N",
            file=scenario.file,
        )
    n = math.prod(len(k.values) for k in knobs)
    if n > MAX_POINTS:
        raise ExploreError(
            f"{n} grid points is more than {MAX_POINTS}; use fewer values or keys",
            key="--vary",
        )
    seed = run_seed(scenario, seed)
    crn = common_random_numbers(scenario, paths=paths, seed=seed, threads=1)
    base = crn.simulate(prepare(scenario, actuals=actuals))
    points = tuple(itertools.product(*(range(len(k.values)) for k in knobs)))
    overrides = []
    for idx in points:
        keyed = [(k.key, k.values[i]) for k, i in zip(knobs, idx, strict=True)]
        variant(scenario, keyed)  # every point is allowed before any runs
        overrides.append(_paths(scenario, keyed))
    results = run_points(
        scenario,
        overrides,
        paths=paths,
        seed=seed,
        executor=executor,
        actuals=actuals,
        fan=True,
        progress=progress,
    )
    return Exploration(
        summary=base.summary(),
        knobs=tuple(knobs),
        points=points,
        results=tuple(VariantResult.of(r) for r in results),
        years=tuple(int(y) for y in base.years),
        paths=paths,
        seed=int(seed),
    )


# --- Page -------------------------------------------------------------------------------------


def _value_text(knob: Knob, v: float) -> str:
    if knob.key.endswith("probability"):
        return f"{v:.0%} a year"
    if knob.key == "persistence":
        return f"{v:.2f}"
    pts = v * 100
    sign = "+" if knob.key.startswith("levers") and pts > 0 else ""
    unit = " pts" if knob.key.startswith("levers") else "%"
    return f"{sign}{pts:.1f}{unit}".replace("-", "\u2212")


def explorer_data(ex: Exploration) -> dict[str, Any]:
    """The JSON the page carries: knobs, targets, history and every point's results."""
    from simulator.present.text import billions, chance_text, fy_label

    s = ex.summary
    targets = [
        {
            "label": f"{billions(t.value)} by {fy_label(t.fiscal_year)}"
            + ("" if t.kind == "official target" else f" ({t.kind})"),
            "year": t.fiscal_year,
            "value": t.value,
            "official": t.kind == "official target",
        }
        for t in s.targets
    ]
    return {
        "scenario": s.scenario.name,
        "knobs": [
            {
                "key": k.key,
                "label": k.label,
                "values": list(k.values),
                "texts": [_value_text(k, v) for v in k.values],
                "default": k.default,
            }
            for k in ex.knobs
        ],
        "targets": targets,
        "years": list(ex.years),
        "base": s.base.to_dict(),
        "history": [h.to_dict() for h in s.history if h.fiscal_year >= 2016],
        "quantile_keys": list(QUANTILE_KEYS),
        "points": [
            {
                "index": list(idx),
                "p_hit": list(r.p_hit),
                "p_hit_text": [None if p is None else chance_text(p) for p in r.p_hit],
                "quantiles": [list(q) for q in r.quantiles],
            }
            for idx, r in zip(ex.points, ex.results, strict=True)
        ],
    }


_SCRIPT = """
const DATA = %(data)s;
const knobs = DATA.knobs;
const strides = [];
let stride = 1;
for (let i = knobs.length - 1; i >= 0; i--) {
  strides[i] = stride; stride *= knobs[i].values.length;
}
const state = knobs.map(k => k.default);
function point() {
  let i = 0; state.forEach((s, j) => { i += s * strides[j]; }); return DATA.points[i];
}
function fanRows(p) {
  const rows = DATA.history.map(h => ({year: h.fiscal_year, actual: h.value}));
  const base = {year: DATA.base.fiscal_year};
  DATA.quantile_keys.forEach(k => { base[k] = DATA.base.value; });
  rows.push(base);
  DATA.years.forEach((y, i) => {
    const r = {year: y};
    DATA.quantile_keys.forEach((k, j) => { r[k] = p.quantiles[i][j]; });
    rows.push(r);
  });
  return rows;
}
function render() {
  const p = point();
  document.getElementById('point').textContent = JSON.stringify(state);
  knobs.forEach((k, j) => {
    document.getElementById('value-' + j).textContent = k.texts[state[j]];
  });
  DATA.targets.forEach((t, i) => {
    const cell = document.getElementById('p-hit-' + i);
    cell.textContent = p.p_hit_text[i] === null ? 'observed' : p.p_hit_text[i];
  });
  if (window.vegaView) {
    window.vegaView.data('fan', fanRows(p)).run();
  }
}
const panel = document.getElementById('knobs');
knobs.forEach((k, j) => {
  const row = document.createElement('div');
  row.className = 'knob';
  const label = document.createElement('label');
  label.htmlFor = 'knob-' + j;
  label.textContent = k.label;
  const input = document.createElement('input');
  input.type = 'range'; input.id = 'knob-' + j; input.min = 0; input.max = k.values.length - 1;
  input.step = 1; input.value = k.default; input.dataset.key = k.key;
  input.addEventListener('input', () => { state[j] = Number(input.value); render(); });
  const out = document.createElement('output');
  out.id = 'value-' + j;
  row.append(label, input, out);
  panel.append(row);
});
const spec = %(spec)s;
spec.datasets = {fan: fanRows(point())};
vegaEmbed('#chart', spec, %(options)s).then(r => {
  window.vegaView = r.view; render(); document.body.dataset.ready = '1';
});
render();
"""


def _fan_spec(data: Mapping[str, Any]) -> dict[str, Any]:
    """A Vega-Lite fan over a named data set ``fan`` that the sliders replace (via Altair)."""
    import altair as alt

    from simulator.report.html import (
        BLUE,
        HEIGHT,
        ORANGE,
        VERMILLION,
        WIDTH,
        _data,
        _x_axis,
        _y_axis,
    )

    first = data["history"][0]["fiscal_year"] if data["history"] else data["base"]["fiscal_year"]
    x_dom = [first - 0.5, data["years"][-1] + 0.5]
    x = alt.X("year:Q", axis=_x_axis(), scale=alt.Scale(domain=x_dom, nice=False))
    top = max(
        [t["value"] for t in data["targets"]]
        + [q[-1] for p in data["points"] for q in p["quantiles"]]
    )
    y = alt.Y("p05:Q", axis=_y_axis(), scale=alt.Scale(domain=[0, top * 1.05]))
    fan = alt.Chart(alt.NamedData("fan"))
    layers = [
        fan.mark_area(color=BLUE, opacity=op).encode(
            x=x, y=y if lo == "p05" else alt.Y(f"{lo}:Q"), y2=f"{hi}:Q"
        )
        for lo, hi, op in (("p05", "p95", 0.15), ("p10", "p90", 0.22), ("p25", "p75", 0.32))
    ]
    layers.append(fan.mark_line(color=BLUE, strokeWidth=2.5).encode(x=x, y="p50:Q"))
    layers.append(
        fan.mark_line(
            color="#000000", strokeWidth=2, point={"color": "#000000", "size": 30}
        ).encode(x=x, y="actual:Q")
    )
    layers.append(
        alt.Chart(_data(list(data["targets"])))
        .mark_point(shape="diamond", filled=True, size=110)
        .encode(
            x="year:Q",
            y="value:Q",
            color=alt.condition("datum.official", alt.value(VERMILLION), alt.value(ORANGE)),
            tooltip=[alt.Tooltip("label:N", title="Target")],
        )
    )
    chart = (
        alt.layer(*layers)
        .properties(
            width=WIDTH,
            height=HEIGHT - 40,
            title=alt.TitleParams(
                f"What if? {data['scenario']}",
                subtitle=[
                    f"Scenario: {data['scenario']}",
                    "Shaded: where 90%, 80% and 50% of paths fall; line: median",
                ],
                anchor="start",
            ),
        )
        .configure_view(stroke=None)
    )
    spec = chart.to_dict()
    spec.pop("$schema", None)
    return dict(spec)


def explorer_html(ex: Exploration) -> str:
    """``explorer.html`` text: sliders, a P(hit) table and the fan, all precomputed and inline."""
    import html as h

    from simulator.plotting.style import source_text
    from simulator.report.html import EMBED_OPTIONS, _json, page

    data = explorer_data(ex)
    rows = "".join(
        f'<tr><td>{h.escape(t["label"])}</td><td class="p" id="p-hit-{i}"></td></tr>'
        for i, t in enumerate(data["targets"])
    )
    body = f"""
<h1>What if? {h.escape(data["scenario"])}</h1>
<p>Move a slider: the chance of each target and the fan change at once. Every position was
simulated in advance ({ex.paths:,} paths a point, {len(ex.points)} points, the same random
draws for each), so nothing is computed here and no server is needed.</p>
<style>
h1 {{ font-size: 18px; }} .knob {{ display: grid; grid-template-columns: 260px 220px 90px;
  align-items: center; margin: 4px 0; font-size: 13px; }}
table {{ border-collapse: collapse; margin: 10px 0; font-size: 13px; }}
td {{ padding: 3px 12px 3px 0; }} td.p {{ font-weight: bold; text-align: right; }}
</style>
<div id="knobs"></div>
<table id="p-hit"><tr><th align="left">Target</th><th>P(hit)</th></tr>{rows}</table>
<div id="chart"></div>
<span id="point" hidden></span>
"""
    script = _SCRIPT % {
        "data": _json(data),
        "spec": _json(_fan_spec(data)),
        "options": _json(EMBED_OPTIONS),
    }
    note = (
        source_text(ex.summary)
        + " P(hit) per slider position, on common random numbers."
        + " Chart: Vega-Lite via Altair (vega, vega-lite, vega-embed inlined)."
    )
    return page(f"What if? {data['scenario']}", body, script, note=note)
