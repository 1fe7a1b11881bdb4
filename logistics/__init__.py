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
    "parse_quantity": "logistics.stock.quantity",
    "Count": "logistics.stock.quantity",
    "Capacity": "logistics.stock.quantity",
    "parse_chinese_number": "logistics.stock.numerals",
    "format_chinese_number": "logistics.stock.numerals",
    "Catalogue": "logistics.stock.catalogue",
    "Item": "logistics.stock.catalogue",
    "Norm": "logistics.stock.catalogue",
    "load_catalogue": "logistics.stock.catalogue",
    "Depot": "logistics.stock.inventory",
    "InventoryLine": "logistics.stock.inventory",
    "Inventory": "logistics.stock.inventory",
    "ReserveType": "logistics.stock.inventory",
    "inventory_from_file": "logistics.stock.inventory_io",
    "Region": "logistics.region.region",
    "load_region": "logistics.region.region",
    "demo_region": "logistics.region.region",
    "RoadNetwork": "logistics.roads.network",
    "SpeedParams": "logistics.roads.speeds",
    "network_from_file": "logistics.roads.read",
    "network_from_place": "logistics.roads.read",
    "demo_network": "logistics.roads.demo",
    "SnapParams": "logistics.roads.snap",
    "snap_points": "logistics.roads.snap",
    "Closure": "logistics.roads.disruption",
    "Slowdown": "logistics.roads.disruption",
    "apply_disruptions": "logistics.roads.disruption",
    "disruptions_from_file": "logistics.roads.disruption",
    "RoadMatrices": "logistics.roads.matrix",
    "travel_time_matrix": "logistics.roads.matrix",
    "distance_matrix": "logistics.roads.matrix",
    "path_between": "logistics.roads.matrix",
    "Shipment": "logistics.routing.problem",
    "VehicleType": "logistics.routing.problem",
    "Fleet": "logistics.routing.problem",
    "ServiceTimes": "logistics.routing.problem",
    "RoutingProblem": "logistics.routing.problem",
    "RoutingParams": "logistics.routing.solve",
    "plan_routes": "logistics.routing.solve",
    "plan_routes_with_feedback": "logistics.routing.solve",
    "RoutingResult": "logistics.routing.result",
    "RoutingStats": "logistics.routing.result",
    "VehicleRoute": "logistics.routing.result",
    "Trip": "logistics.routing.result",
    "Stop": "logistics.routing.result",
    "ItemLoad": "logistics.routing.result",
    "LateStop": "logistics.routing.result",
    "UnmetLoad": "logistics.routing.result",
    "check_routes": "logistics.routing.check",
    "legs_to_geodataframe": "logistics.outputs.geometry",
    "stops_to_geodataframe": "logistics.outputs.geometry",
    "write_routes_geojson": "logistics.outputs.geometry",
    "write_routes_gpkg": "logistics.outputs.geometry",
    "write_schedule_xlsx": "logistics.outputs.sheets",
    "write_dispatch_xlsx": "logistics.outputs.sheets",
    "plot_gantt": "logistics.outputs.gantt",
    "find_cjk_font": "logistics.outputs.gantt",
    "ReportHistory": "logistics.report.history",
    "SmtpParams": "logistics.report.mailer",
    "send_message": "logistics.report.mailer",
    "NightlyReport": "logistics.report.build",
    "build_report": "logistics.report.build",
    "write_report_files": "logistics.report.build",
    "report_email": "logistics.report.message",
    "ReportConfig": "logistics.report.config",
    "load_report_config": "logistics.report.config",
    "run_nightly": "logistics.report.nightly",
    "AllocationProblem": "logistics.allocation.problem",
    "AllocationParams": "logistics.allocation.problem",
    "Substitution": "logistics.allocation.problem",
    "solve_allocation": "logistics.allocation.problem",
    "AllocationResult": "logistics.allocation.result",
    "build_schedule": "logistics.allocation.schedule",
    "fefo_assign": "logistics.allocation.schedule",
    "Batch": "logistics.allocation.schedule",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'logistics' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
