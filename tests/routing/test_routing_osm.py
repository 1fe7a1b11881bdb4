"""Routing on a real OSM road graph: matrices, path and road-name callables, geometry output.

The road layer owns graph → matrix conversion; this test wires a tiny real graph
(Haidian, Beijing, from ../shared) the way ``logistics run`` will, and checks that
the route geometry agrees with the matrices.
"""

from __future__ import annotations

import itertools
import json

import networkx as nx
import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString

from logistics.outputs import write_dispatch_xlsx, write_routes_geojson
from logistics.routing import (
    RoutingParams,
    RoutingProblem,
    ServiceTimes,
    VehicleType,
    check_routes,
    plan_routes,
)
from tests.routing.helpers import bags, shared_path

SPEED_KMH = 20.0


@pytest.fixture(scope="module")
def graph():
    """Largest strongly connected component of the Haidian OSM extract, with travel times."""
    ox = pytest.importorskip("osmnx")
    g = ox.graph_from_xml(shared_path("data", "roads", "beijing_haidian_map.osm.bz2"))
    g = ox.truncate.largest_component(g, strongly=True)
    for _, _, d in g.edges(data=True):
        d["travel_time"] = d["length"] / (SPEED_KMH / 3.6)
    return g


def _edge(g, u, v):
    return min(g[u][v].values(), key=lambda d: d["travel_time"])


def test_routes_follow_the_road_graph(graph, tmp_path):
    nodes = sorted(graph.nodes)
    places = {"D": nodes[0], **{f"P{k}": nodes[(k + 1) * len(nodes) // 6] for k in range(5)}}
    ids = list(places)
    tt = np.zeros((6, 6))
    dist = np.zeros((6, 6))
    paths = {}
    for i, a in enumerate(ids):
        _, found = nx.single_source_dijkstra(graph, places[a], weight="travel_time")
        for j, b in enumerate(ids):
            route = found[places[b]]
            paths[a, b] = route
            edges = [_edge(graph, u, v) for u, v in itertools.pairwise(route)]
            tt[i, j] = sum(e["travel_time"] for e in edges)
            dist[i, j] = sum(e["length"] for e in edges)

    def path(a, b, _depart_s):
        coords = []
        for u, v in zip(paths[a, b], paths[a, b][1:], strict=False):
            e = _edge(graph, u, v)
            if "geometry" in e:
                seg = list(e["geometry"].coords)
                if seg[0] != (graph.nodes[u]["x"], graph.nodes[u]["y"]):
                    seg.reverse()
            else:
                seg = [(graph.nodes[n]["x"], graph.nodes[n]["y"]) for n in (u, v)]
            coords += seg if not coords else seg[1:]
        return LineString(coords) if len(coords) > 1 else None

    def road_names(a, b, _depart_s):
        out = []
        for u, v in zip(paths[a, b], paths[a, b][1:], strict=False):
            name = _edge(graph, u, v).get("name")
            out += name if isinstance(name, list) else [name] if name else []
        return out

    ships = [bags("D", p, t) for p, t in zip(ids[1:], (2.0, 3.0, 1.5, 4.0, 2.5), strict=True)]
    problem = RoutingProblem.from_matrices(
        ships,
        [VehicleType("D", "中型货车", 5000, 30, 2)],
        ids,
        tt,
        dist,
        deadline_h={p: 1.5 for p in ids[1:]},
        service=ServiceTimes(load_s=600, unload_s=300),
    )
    result = plan_routes(problem, RoutingParams(seed=1, max_iterations=200))
    assert check_routes(problem, result) == []
    assert result.is_complete()

    out = write_routes_geojson(result, tmp_path / "routes.geojson", path)
    legs = json.loads(out.read_text(encoding="utf-8"))["features"]
    geod = Geod(ellps="WGS84")
    for leg in legs:
        props = leg["properties"]
        if props["from_id"] == props["to_id"]:
            continue
        line = LineString(leg["geometry"]["coordinates"])
        start = places[props["from_id"]]
        assert line.coords[0] == pytest.approx((graph.nodes[start]["x"], graph.nodes[start]["y"]))
        # the drawn road and the matrix distance agree (osmnx lengths are great-circle)
        assert geod.geometry_length(line) / 1000 == pytest.approx(props["distance_km"], rel=0.01)

    wb = write_dispatch_xlsx(result, tmp_path / "dispatch.xlsx", road_names=road_names)
    from openpyxl import load_workbook

    text = " ".join(str(c) for ws in load_workbook(wb).worksheets for row in ws.values for c in row if c)
    assert "经 " in text  # road names from OSM appear in 路线说明
