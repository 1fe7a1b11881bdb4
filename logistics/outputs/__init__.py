"""Files written from a run: tables, 调拨单, map layers, schedules, dispatch sheets and charts."""

from logistics.outputs.gantt import find_cjk_font as find_cjk_font
from logistics.outputs.gantt import plot_gantt as plot_gantt
from logistics.outputs.geometry import legs_to_geodataframe as legs_to_geodataframe
from logistics.outputs.geometry import stops_to_geodataframe as stops_to_geodataframe
from logistics.outputs.geometry import write_routes_geojson as write_routes_geojson
from logistics.outputs.geometry import write_routes_gpkg as write_routes_gpkg
from logistics.outputs.sheets import write_dispatch_xlsx as write_dispatch_xlsx
from logistics.outputs.sheets import write_schedule_xlsx as write_schedule_xlsx
from logistics.outputs.write import flow_rows as flow_rows
from logistics.outputs.write import flows_to_geodataframe as flows_to_geodataframe
from logistics.outputs.write import points_to_geodataframe as points_to_geodataframe
from logistics.outputs.write import road_names_function as road_names_function
from logistics.outputs.write import road_path_function as road_path_function
from logistics.outputs.write import write_run_outputs as write_run_outputs

__all__ = [
    "find_cjk_font",
    "flow_rows",
    "flows_to_geodataframe",
    "legs_to_geodataframe",
    "plot_gantt",
    "points_to_geodataframe",
    "road_names_function",
    "road_path_function",
    "stops_to_geodataframe",
    "write_dispatch_xlsx",
    "write_routes_geojson",
    "write_routes_gpkg",
    "write_run_outputs",
    "write_schedule_xlsx",
]
