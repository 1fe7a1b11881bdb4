"""Files written from a run: tables, 调拨单, map layers, schedules, dispatch sheets and charts."""

from logistics.outputs.fonts import cjk_font_path as cjk_font_path
from logistics.outputs.fonts import find_cjk_font as find_cjk_font
from logistics.outputs.gantt import gantt_figure as gantt_figure
from logistics.outputs.gantt import plot_gantt as plot_gantt
from logistics.outputs.geometry import legs_to_geodataframe as legs_to_geodataframe
from logistics.outputs.geometry import stops_to_geodataframe as stops_to_geodataframe
from logistics.outputs.geometry import write_routes_geojson as write_routes_geojson
from logistics.outputs.geometry import write_routes_gpkg as write_routes_gpkg
from logistics.outputs.layers import closures_to_geodataframe as closures_to_geodataframe
from logistics.outputs.layers import depots_to_geodataframe as depots_to_geodataframe
from logistics.outputs.layers import flows_to_geodataframe as flows_to_geodataframe
from logistics.outputs.layers import points_to_geodataframe as points_to_geodataframe
from logistics.outputs.layers import road_names_function as road_names_function
from logistics.outputs.layers import road_path_function as road_path_function
from logistics.outputs.sheets import write_dispatch_xlsx as write_dispatch_xlsx
from logistics.outputs.sheets import write_schedule_xlsx as write_schedule_xlsx
from logistics.outputs.tables import delivery_rows as delivery_rows
from logistics.outputs.tables import unmet_rows as unmet_rows
from logistics.outputs.transfer import write_transfer_orders as write_transfer_orders
from logistics.outputs.write import WRITER_MODULES as WRITER_MODULES
from logistics.outputs.write import write_run_outputs as write_run_outputs

__all__ = [
    "WRITER_MODULES",
    "cjk_font_path",
    "closures_to_geodataframe",
    "delivery_rows",
    "depots_to_geodataframe",
    "find_cjk_font",
    "flows_to_geodataframe",
    "gantt_figure",
    "legs_to_geodataframe",
    "plot_gantt",
    "points_to_geodataframe",
    "road_names_function",
    "road_path_function",
    "stops_to_geodataframe",
    "unmet_rows",
    "write_dispatch_xlsx",
    "write_routes_geojson",
    "write_routes_gpkg",
    "write_run_outputs",
    "write_schedule_xlsx",
    "write_transfer_orders",
]
