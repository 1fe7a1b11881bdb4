"""The one-map view (应急一张图): one offline HTML page of a region's stock or a run's plan."""

from logistics.map.build import build_map as build_map
from logistics.map.html import map_html as map_html
from logistics.map.html import write_map_html as write_map_html
from logistics.map.region_view import county_areas as county_areas
from logistics.map.region_view import region_view as region_view
from logistics.map.run_view import read_run_layers as read_run_layers
from logistics.map.run_view import run_view as run_view
from logistics.map.static import render_map_png as render_map_png
from logistics.map.view import LegendEntry as LegendEntry
from logistics.map.view import MapLayer as MapLayer
from logistics.map.view import MapView as MapView

__all__ = [
    "LegendEntry",
    "MapLayer",
    "MapView",
    "build_map",
    "county_areas",
    "map_html",
    "read_run_layers",
    "region_view",
    "render_map_png",
    "run_view",
    "write_map_html",
]
