"""Response scenarios (应急情景): hazard, demand points, disruptions and fleets, read from TOML files."""

from logistics.scenario.fleet import read_fleet as read_fleet
from logistics.scenario.model import SHELTER_CATEGORIES as SHELTER_CATEGORIES
from logistics.scenario.model import DemandPoint as DemandPoint
from logistics.scenario.model import DisruptionSpec as DisruptionSpec
from logistics.scenario.model import Hazard as Hazard
from logistics.scenario.model import HubSpec as HubSpec
from logistics.scenario.model import Scenario as Scenario
from logistics.scenario.model import VehicleSpec as VehicleSpec
from logistics.scenario.read import load_scenario as load_scenario

__all__ = [
    "SHELTER_CATEGORIES",
    "DemandPoint",
    "DisruptionSpec",
    "Hazard",
    "HubSpec",
    "Scenario",
    "VehicleSpec",
    "load_scenario",
    "read_fleet",
]
