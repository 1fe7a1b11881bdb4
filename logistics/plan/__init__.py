"""The run of a scenario: supply sources and matrices, allocation, routes and the summary."""

from logistics.plan.model import PRODUCTION_BLOCK_H as PRODUCTION_BLOCK_H
from logistics.plan.model import ScenarioModel as ScenarioModel
from logistics.plan.model import SupplySource as SupplySource
from logistics.plan.model import build_scenario_model as build_scenario_model
from logistics.plan.model import disruptions_of as disruptions_of
from logistics.plan.model import scenario_network as scenario_network
from logistics.plan.run import RunParams as RunParams
from logistics.plan.run import RunResult as RunResult
from logistics.plan.run import run_scenario as run_scenario

__all__ = [
    "PRODUCTION_BLOCK_H",
    "RunParams",
    "RunResult",
    "ScenarioModel",
    "SupplySource",
    "build_scenario_model",
    "disruptions_of",
    "run_scenario",
    "scenario_network",
]
