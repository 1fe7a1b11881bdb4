"""Emergency relief stockpile and relief-logistics optimiser (应急物资储备与调配).

The public API is re-exported here. Heavy modules (pandas, geopandas, OR-Tools)
are imported lazily on first attribute access so that ``import logistics`` and
the command line start quickly.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("logistics")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

#: public name -> module that defines it
_LAZY: dict[str, str] = {
    "parse_quantity": "logistics.quantity",
    "Count": "logistics.quantity",
    "Capacity": "logistics.quantity",
    "parse_chinese_number": "logistics.numerals",
    "format_chinese_number": "logistics.numerals",
    "Catalogue": "logistics.catalogue",
    "Item": "logistics.catalogue",
    "Norm": "logistics.catalogue",
    "load_catalogue": "logistics.catalogue",
    "Depot": "logistics.inventory",
    "InventoryLine": "logistics.inventory",
    "Inventory": "logistics.inventory",
    "ReserveType": "logistics.inventory",
    "inventory_from_file": "logistics.inventory_io",
    "Region": "logistics.region",
    "load_region": "logistics.region",
    "demo_region": "logistics.region",
    "RoadNetwork": "logistics.network",
    "SpeedParams": "logistics.speeds",
    "network_from_file": "logistics.roads_io",
    "network_from_place": "logistics.roads_io",
    "demo_network": "logistics.demo_roads",
    "SnapParams": "logistics.snap",
    "snap_points": "logistics.snap",
    "Closure": "logistics.disruption",
    "Slowdown": "logistics.disruption",
    "apply_disruptions": "logistics.disruption",
    "disruptions_from_file": "logistics.disruption",
    "RoadMatrices": "logistics.matrix",
    "travel_time_matrix": "logistics.matrix",
    "distance_matrix": "logistics.matrix",
    "path_between": "logistics.matrix",
    "Shipment": "logistics.routing_problem",
    "VehicleType": "logistics.routing_problem",
    "Fleet": "logistics.routing_problem",
    "ServiceTimes": "logistics.routing_problem",
    "RoutingProblem": "logistics.routing_problem",
    "RoutingParams": "logistics.routing",
    "plan_routes": "logistics.routing",
    "plan_routes_with_feedback": "logistics.routing",
    "RoutingResult": "logistics.routing_result",
    "RoutingStats": "logistics.routing_result",
    "VehicleRoute": "logistics.routing_result",
    "Trip": "logistics.routing_result",
    "Stop": "logistics.routing_result",
    "ItemLoad": "logistics.routing_result",
    "LateStop": "logistics.routing_result",
    "UnmetLoad": "logistics.routing_result",
    "check_routes": "logistics.route_check",
    "legs_to_geodataframe": "logistics.route_geometry",
    "stops_to_geodataframe": "logistics.route_geometry",
    "write_routes_geojson": "logistics.route_geometry",
    "write_routes_gpkg": "logistics.route_geometry",
    "write_schedule_xlsx": "logistics.route_sheets",
    "write_dispatch_xlsx": "logistics.route_sheets",
    "plot_gantt": "logistics.route_gantt",
    "find_cjk_font": "logistics.route_gantt",
    "ReportHistory": "logistics.history",
    "SmtpParams": "logistics.mailer",
    "send_message": "logistics.mailer",
    "NightlyReport": "logistics.report",
    "build_report": "logistics.report",
    "write_report_files": "logistics.report",
    "report_email": "logistics.report_email",
    "ReportConfig": "logistics.report_config",
    "load_report_config": "logistics.report_config",
    "run_nightly": "logistics.nightly",
    "AllocationProblem": "logistics.allocation",
    "AllocationParams": "logistics.allocation",
    "Substitution": "logistics.allocation",
    "solve_allocation": "logistics.allocation",
    "AllocationResult": "logistics.allocation_result",
    "build_schedule": "logistics.allocation_schedule",
    "fefo_assign": "logistics.allocation_schedule",
    "Batch": "logistics.allocation_schedule",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'logistics' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
