"""simulator: will Pakistan's IT exports reach their targets, and what would it take?

The public API::

    import simulator
    sc = simulator.load_scenario("scenarios/baseline.yaml")
    res = simulator.simulate(sc, paths=100_000, seed=1)
    res.years, res.values, res.summary()  # a typed Summary; .to_dict() is summary.json

Money is USD million; fiscal years run July–June (2026 = FY2026).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from simulator.api import simulate
    from simulator.engine.runs import Projection
    from simulator.scenario.loader import load_scenario
    from simulator.scenario.schema import Scenario

__all__ = ["Projection", "Scenario", "__version__", "load_scenario", "simulate"]

_LAZY = {
    "simulate": "simulator.api",
    "Projection": "simulator.engine.runs",
    "load_scenario": "simulator.scenario.loader",
    "Scenario": "simulator.scenario.schema",
}


def __getattr__(name: str) -> Any:
    """Import the API lazily so that ``simulator --help`` stays fast."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")
