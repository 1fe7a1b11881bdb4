"""Response scenarios (应急情景): hazard, demand points, disruptions and fleets, read from TOML files."""

from logistics.scenario.scenario import SHELTER_CATEGORIES as SHELTER_CATEGORIES
from logistics.scenario.scenario import DemandPoint as DemandPoint
from logistics.scenario.scenario import DisruptionSpec as DisruptionSpec
from logistics.scenario.scenario import Hazard as Hazard
from logistics.scenario.scenario import Scenario as Scenario
from logistics.scenario.scenario import VehicleSpec as VehicleSpec
from logistics.scenario.scenario import load_scenario as load_scenario
from logistics.scenario.scenario import read_fleet as read_fleet

__all__ = [
    "SHELTER_CATEGORIES",
    "DemandPoint",
    "DisruptionSpec",
    "Hazard",
    "Scenario",
    "VehicleSpec",
    "load_scenario",
    "read_fleet",
]
