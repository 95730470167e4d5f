"""The public API: ``simulator.__all__`` and the wrappers in ``simulator.api``.

Every public name resolves; each wrapper gives what the CLI prints or draws for the same run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import simulator
from simulator.plotting.style import new_figure
from simulator.present.tables import target_table as json_target_table
from simulator.present.text import hit_text

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="module")
def summary() -> simulator.Summary:
    sc = simulator.load_scenario(BASELINE)
    return simulator.simulate(sc, paths=2_000, seed=11).summary()


def test_every_public_name_resolves_and_is_listed_once() -> None:
    assert sorted(simulator.__all__) == simulator.__all__
    assert set(simulator.__all__) == set(simulator._LAZY) | {"__version__"}
    for name in simulator.__all__:
        assert getattr(simulator, name) is not None, name
        assert f"``{name}``" in (simulator.__doc__ or "") or name == "__version__", name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = simulator.nope  # type: ignore[attr-defined]


def test_import_stays_light() -> None:
    """``import simulator`` imports none of the API until a name is used (fast ``--help``)."""
    code = "import sys, simulator; print(any(m.startswith('simulator.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_format_probability_is_the_tables_rule(summary: simulator.Summary) -> None:
    for t in summary.targets:
        assert simulator.format_probability(t) == hit_text(t)
    assert simulator.format_probability(0.1834) == "18.3%"  # one decimal from 0.1% to 99.9%
    assert simulator.format_probability(0.006) == "0.6%"
    assert simulator.format_probability(None) == "n/a"


def test_format_probability_never_rounds_a_rare_target_to_zero() -> None:
    """Issue 17: the quickstart printed "P(hit) 0.0%" where the table printed otherwise."""
    sc = simulator.load_scenario(BASELINE).model_copy(update={"nowcast": False})
    far = simulator.simulate(sc, paths=200, seed=3).summary().target("$20B by 2030")
    text = simulator.format_probability(far)
    assert text == hit_text(far)
    assert "0.0%" not in text and text != "0%"


def test_target_table_takes_the_typed_summary(summary: simulator.Summary) -> None:
    assert simulator.target_table(summary) == json_target_table(
        simulator.Summary.from_dict(summary.to_dict())
    )


def test_plot_wrappers_draw_on_the_axes_given(summary: simulator.Summary) -> None:
    _, ax = new_figure()
    assert simulator.plot_fan(summary, ax=ax) is ax
    assert "FY29" in ax.get_title(loc="left")
    _, ax = new_figure()
    assert simulator.plot_current_year(summary, ax=ax) is ax


def test_plot_current_year_needs_a_current_year() -> None:
    sc = simulator.load_scenario(BASELINE).model_copy(update={"nowcast": False})
    s = simulator.simulate(sc, paths=500, seed=1).summary()
    assert s.current_year is None
    with pytest.raises(ValueError, match="no partly reported current year"):
        simulator.plot_current_year(s)


def test_required_growth_is_the_commands_numbers() -> None:
    need = simulator.required_growth()
    assert need.base.to_dict() == {"fiscal_year": 2025, "value": 3810.0}
    by_year = {t.fiscal_year: t for t in need.targets}
    assert by_year[2029].required_cagr == pytest.approx((10_000 / 3810) ** (1 / 4) - 1)
    own = simulator.required_growth(ROOT / "scenarios" / "call-centres.yaml")
    assert len(own.targets) == len(need.targets) + 1  # its call-centre target too
    _, ax = new_figure()
    assert isinstance(simulator.plot_required_growth(need, ax=ax), Axes)


def test_plot_sweep_contour_names_the_scenario_and_target() -> None:
    sc = simulator.load_scenario(ROOT / "scenarios" / "ai-push.yaml")
    res = simulator.sweep(
        sc,
        [
            simulator.Vary("levers.ai_services_push.shift", 0.0, 0.04, 2),
            simulator.Vary("persistence", 0.0, 0.4, 2),
        ],
        paths=500,
        seed=5,
    )
    _, ax = new_figure()
    assert simulator.plot_sweep_contour(res, "Uraan Pakistan FY29", ax=ax) is ax
    assert ax.get_title().startswith("AI services push: chance of $10B by FY29")
    notes = [t.get_text() for t in ax.texts]
    assert any("Scenario: AI services push" in n and "500 paths" in n for n in notes)
    with pytest.raises(KeyError, match="no target 'FY99'"):
        simulator.plot_sweep_contour(res, "FY99")


def test_plot_backtest_is_the_commands_figure() -> None:
    bt = simulator.record_backtest(None, max_horizon=2, paths=500, seed=1)
    fig = simulator.plot_backtest(bt)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
