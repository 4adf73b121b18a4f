"""Scenario files (TOML): loader, the layered model, and its analysis."""

from negotiate.scenario.loader import load_scenario, loads_scenario
from negotiate.scenario.result import Constraint, ScenarioResult, TippingPoint
from negotiate.scenario.spec import Scenario

__all__ = [
    "Constraint",
    "Scenario",
    "ScenarioResult",
    "TippingPoint",
    "load_scenario",
    "loads_scenario",
]
