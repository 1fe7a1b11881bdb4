"""Emergency relief stockpile and relief-logistics optimiser (应急物资储备与调配).

The public API is re-exported here from the subpackages, which follow the data flow (see
docs/architecture.md). Heavy libraries (pandas, geopandas, SciPy, OR-Tools, PyVRP, matplotlib)
are imported only by the functions that need them, so ``import logistics`` stays fast.
"""

from logistics.allocation import AllocationParams as AllocationParams
from logistics.allocation import AllocationProblem as AllocationProblem
from logistics.allocation import AllocationResult as AllocationResult
from logistics.allocation import Batch as Batch
from logistics.allocation import Hub as Hub
from logistics.allocation import Substitution as Substitution
from logistics.allocation import build_schedule as build_schedule
from logistics.allocation import fefo_assign as fefo_assign
from logistics.allocation import solve_allocation as solve_allocation
from logistics.common.version import __version__ as __version__
from logistics.outputs import find_cjk_font as find_cjk_font
from logistics.outputs import legs_to_geodataframe as legs_to_geodataframe
from logistics.outputs import plot_gantt as plot_gantt
from logistics.outputs import stops_to_geodataframe as stops_to_geodataframe
from logistics.outputs import write_dispatch_xlsx as write_dispatch_xlsx
from logistics.outputs import write_routes_geojson as write_routes_geojson
from logistics.outputs import write_routes_gpkg as write_routes_gpkg
from logistics.outputs import write_schedule_xlsx as write_schedule_xlsx
from logistics.plan import RunParams as RunParams
from logistics.plan import RunResult as RunResult
from logistics.plan import run_scenario as run_scenario
from logistics.region import Region as Region
from logistics.region import demo_region as demo_region
from logistics.region import inventory_from_file as inventory_from_file
from logistics.region import load_region as load_region
from logistics.report import NightlyReport as NightlyReport
from logistics.report import ReportConfig as ReportConfig
from logistics.report import ReportHistory as ReportHistory
from logistics.report import SmtpParams as SmtpParams
from logistics.report import build_report as build_report
from logistics.report import load_report_config as load_report_config
from logistics.report import report_email as report_email
from logistics.report import run_nightly as run_nightly
from logistics.report import send_message as send_message
from logistics.report import write_report_files as write_report_files
from logistics.roads import Closure as Closure
from logistics.roads import RoadMatrices as RoadMatrices
from logistics.roads import RoadNetwork as RoadNetwork
from logistics.roads import Slowdown as Slowdown
from logistics.roads import SnapParams as SnapParams
from logistics.roads import SpeedParams as SpeedParams
from logistics.roads import apply_disruptions as apply_disruptions
from logistics.roads import demo_network as demo_network
from logistics.roads import disruptions_from_file as disruptions_from_file
from logistics.roads import distance_matrix as distance_matrix
from logistics.roads import graph_from_network as graph_from_network
from logistics.roads import network_from_file as network_from_file
from logistics.roads import network_from_graph as network_from_graph
from logistics.roads import network_from_place as network_from_place
from logistics.roads import path_between as path_between
from logistics.roads import snap_points as snap_points
from logistics.roads import travel_time_matrix as travel_time_matrix
from logistics.routing import Fleet as Fleet
from logistics.routing import ItemLoad as ItemLoad
from logistics.routing import LateStop as LateStop
from logistics.routing import PointService as PointService
from logistics.routing import RoutingParams as RoutingParams
from logistics.routing import RoutingProblem as RoutingProblem
from logistics.routing import RoutingResult as RoutingResult
from logistics.routing import RoutingStats as RoutingStats
from logistics.routing import ServiceTimes as ServiceTimes
from logistics.routing import Shipment as Shipment
from logistics.routing import Stop as Stop
from logistics.routing import Trip as Trip
from logistics.routing import UnmetLoad as UnmetLoad
from logistics.routing import VehicleRoute as VehicleRoute
from logistics.routing import VehicleType as VehicleType
from logistics.routing import check_routes as check_routes
from logistics.routing import plan_routes as plan_routes
from logistics.routing import plan_routes_with_feedback as plan_routes_with_feedback
from logistics.scenario import Scenario as Scenario
from logistics.scenario import load_scenario as load_scenario
from logistics.stock import Capacity as Capacity
from logistics.stock import Catalogue as Catalogue
from logistics.stock import Count as Count
from logistics.stock import Depot as Depot
from logistics.stock import Inventory as Inventory
from logistics.stock import InventoryLine as InventoryLine
from logistics.stock import Item as Item
from logistics.stock import Norm as Norm
from logistics.stock import ReserveType as ReserveType
from logistics.stock import format_chinese_number as format_chinese_number
from logistics.stock import load_catalogue as load_catalogue
from logistics.stock import parse_chinese_number as parse_chinese_number
from logistics.stock import parse_quantity as parse_quantity
from logistics.sufficiency import CheckParams as CheckParams
from logistics.sufficiency import run_check as run_check

__all__ = [
    "AllocationParams",
    "AllocationProblem",
    "AllocationResult",
    "Batch",
    "Capacity",
    "Catalogue",
    "CheckParams",
    "Closure",
    "Count",
    "Depot",
    "Fleet",
    "Hub",
    "Inventory",
    "InventoryLine",
    "Item",
    "ItemLoad",
    "LateStop",
    "NightlyReport",
    "Norm",
    "PointService",
    "Region",
    "ReportConfig",
    "ReportHistory",
    "ReserveType",
    "RoadMatrices",
    "RoadNetwork",
    "RoutingParams",
    "RoutingProblem",
    "RoutingResult",
    "RoutingStats",
    "RunParams",
    "RunResult",
    "Scenario",
    "ServiceTimes",
    "Shipment",
    "Slowdown",
    "SmtpParams",
    "SnapParams",
    "SpeedParams",
    "Stop",
    "Substitution",
    "Trip",
    "UnmetLoad",
    "VehicleRoute",
    "VehicleType",
    "__version__",
    "apply_disruptions",
    "build_report",
    "build_schedule",
    "check_routes",
    "demo_network",
    "demo_region",
    "disruptions_from_file",
    "distance_matrix",
    "fefo_assign",
    "find_cjk_font",
    "format_chinese_number",
    "graph_from_network",
    "inventory_from_file",
    "legs_to_geodataframe",
    "load_catalogue",
    "load_region",
    "load_report_config",
    "load_scenario",
    "network_from_file",
    "network_from_graph",
    "network_from_place",
    "parse_chinese_number",
    "parse_quantity",
    "path_between",
    "plan_routes",
    "plan_routes_with_feedback",
    "plot_gantt",
    "report_email",
    "run_check",
    "run_nightly",
    "run_scenario",
    "send_message",
    "snap_points",
    "solve_allocation",
    "stops_to_geodataframe",
    "travel_time_matrix",
    "write_dispatch_xlsx",
    "write_report_files",
    "write_routes_geojson",
    "write_routes_gpkg",
    "write_schedule_xlsx",
]
