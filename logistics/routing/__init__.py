"""Vehicle routing of relief shipments: trucks, trips, stops and arrival times (PyVRP)."""

from logistics.routing.check import check_routes as check_routes
from logistics.routing.problem import Fleet as Fleet
from logistics.routing.problem import RoutingProblem as RoutingProblem
from logistics.routing.problem import Shipment as Shipment
from logistics.routing.problem import TravelModel as TravelModel
from logistics.routing.problem import VehicleType as VehicleType
from logistics.routing.result import ItemLoad as ItemLoad
from logistics.routing.result import LateStop as LateStop
from logistics.routing.result import RoutingResult as RoutingResult
from logistics.routing.result import RoutingStats as RoutingStats
from logistics.routing.result import Stop as Stop
from logistics.routing.result import Trip as Trip
from logistics.routing.result import UnmetLoad as UnmetLoad
from logistics.routing.result import VehicleRoute as VehicleRoute
from logistics.routing.service import PointService as PointService
from logistics.routing.service import ServiceTimes as ServiceTimes
from logistics.routing.solve import OBJECTIVES as OBJECTIVES
from logistics.routing.solve import RoutingParams as RoutingParams
from logistics.routing.solve import extend_routes as extend_routes
from logistics.routing.solve import plan_routes as plan_routes
from logistics.routing.solve import plan_routes_with_feedback as plan_routes_with_feedback

__all__ = [
    "OBJECTIVES",
    "Fleet",
    "ItemLoad",
    "LateStop",
    "PointService",
    "RoutingParams",
    "RoutingProblem",
    "RoutingResult",
    "RoutingStats",
    "ServiceTimes",
    "Shipment",
    "Stop",
    "TravelModel",
    "Trip",
    "UnmetLoad",
    "VehicleRoute",
    "VehicleType",
    "check_routes",
    "extend_routes",
    "plan_routes",
    "plan_routes_with_feedback",
]
