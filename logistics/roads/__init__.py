"""Road networks: files, truck speeds, disruptions, snapping and travel-time matrices."""

from logistics.roads.clip import clip_area as clip_area
from logistics.roads.clip import clip_network as clip_network
from logistics.roads.demo import BRIDGES_NOTE as BRIDGES_NOTE
from logistics.roads.demo import DEMO_GRAPH_FILE as DEMO_GRAPH_FILE
from logistics.roads.demo import build_demo_graph as build_demo_graph
from logistics.roads.demo import demo_network as demo_network
from logistics.roads.demo import demo_network_path as demo_network_path
from logistics.roads.disruption import Closure as Closure
from logistics.roads.disruption import Disruption as Disruption
from logistics.roads.disruption import Slowdown as Slowdown
from logistics.roads.disruption import apply_disruptions as apply_disruptions
from logistics.roads.disruption import disruption_breakpoints as disruption_breakpoints
from logistics.roads.disruption import disruption_edges as disruption_edges
from logistics.roads.disruption import disruptions_from_file as disruptions_from_file
from logistics.roads.disruption import polygon_from as polygon_from
from logistics.roads.graph import graph_from_network as graph_from_network
from logistics.roads.graph import network_from_graph as network_from_graph
from logistics.roads.graph import network_from_parts as network_from_parts
from logistics.roads.matrix import RoadMatrices as RoadMatrices
from logistics.roads.matrix import RoadPath as RoadPath
from logistics.roads.matrix import distance_matrix as distance_matrix
from logistics.roads.matrix import node_matrices as node_matrices
from logistics.roads.matrix import path_between as path_between
from logistics.roads.matrix import path_from_tree as path_from_tree
from logistics.roads.matrix import travel_time_matrix as travel_time_matrix
from logistics.roads.network import RoadNetwork as RoadNetwork
from logistics.roads.network import haversine_m as haversine_m
from logistics.roads.network import network_from_arrays as network_from_arrays
from logistics.roads.read import LINE_SUFFIXES as LINE_SUFFIXES
from logistics.roads.read import network_from_file as network_from_file
from logistics.roads.read import network_from_graphml as network_from_graphml
from logistics.roads.read import network_from_lines as network_from_lines
from logistics.roads.read import network_from_osm_xml as network_from_osm_xml
from logistics.roads.read import network_from_pbf as network_from_pbf
from logistics.roads.read import network_from_place as network_from_place
from logistics.roads.snap import SnapParams as SnapParams
from logistics.roads.snap import SnapResult as SnapResult
from logistics.roads.snap import checked_points as checked_points
from logistics.roads.snap import points_frame as points_frame
from logistics.roads.snap import points_from_csv as points_from_csv
from logistics.roads.snap import snap_points as snap_points
from logistics.roads.speeds import CHINA_DEFAULT_SPEEDS_KPH as CHINA_DEFAULT_SPEEDS_KPH
from logistics.roads.speeds import DRIVE_CLASSES as DRIVE_CLASSES
from logistics.roads.speeds import SpeedParams as SpeedParams
from logistics.roads.speeds import parse_maxspeed_kph as parse_maxspeed_kph
from logistics.roads.speeds import travel_time_s as travel_time_s
from logistics.roads.speeds import truck_speed_kph as truck_speed_kph
from logistics.roads.timed import MAX_TREE_ENTRIES as MAX_TREE_ENTRIES
from logistics.roads.timed import Leg as Leg
from logistics.roads.timed import TimedMatrices as TimedMatrices
from logistics.roads.timed import timed_matrices as timed_matrices

__all__ = [
    "BRIDGES_NOTE",
    "CHINA_DEFAULT_SPEEDS_KPH",
    "DEMO_GRAPH_FILE",
    "DRIVE_CLASSES",
    "LINE_SUFFIXES",
    "MAX_TREE_ENTRIES",
    "Closure",
    "Disruption",
    "Leg",
    "RoadMatrices",
    "RoadNetwork",
    "RoadPath",
    "Slowdown",
    "SnapParams",
    "SnapResult",
    "SpeedParams",
    "TimedMatrices",
    "apply_disruptions",
    "build_demo_graph",
    "checked_points",
    "clip_area",
    "clip_network",
    "demo_network",
    "demo_network_path",
    "disruption_breakpoints",
    "disruption_edges",
    "disruptions_from_file",
    "distance_matrix",
    "graph_from_network",
    "haversine_m",
    "network_from_arrays",
    "network_from_file",
    "network_from_graph",
    "network_from_graphml",
    "network_from_lines",
    "network_from_osm_xml",
    "network_from_parts",
    "network_from_pbf",
    "network_from_place",
    "node_matrices",
    "parse_maxspeed_kph",
    "path_between",
    "path_from_tree",
    "points_frame",
    "points_from_csv",
    "polygon_from",
    "snap_points",
    "timed_matrices",
    "travel_time_matrix",
    "travel_time_s",
    "truck_speed_kph",
]
