"""Speeds per class, and the embedded illustrative demo network."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from logistics.roads import (
    CHINA_DEFAULT_SPEEDS_KPH,
    SpeedParams,
    build_demo_graph,
    demo_network_path,
    haversine_m,
    parse_maxspeed_kph,
    snap_points,
    truck_speed_kph,
)
from tests.helpers import ROOT


@pytest.mark.parametrize(
    ("value", "kph"),
    [
        ("60", 60.0),
        ("60 km/h", 60.0),
        ("30 mph", 48.28),
        ("60;80", 60.0),
        (["80", "50"], 50.0),
        (0, None),
        ("none", None),
        ("signals", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_maxspeed(value, kph):
    got = parse_maxspeed_kph(value)
    assert got == (None if kph is None else pytest.approx(kph, abs=0.01))


def test_truck_speed_rules():
    p = SpeedParams(truck_factor=0.8)
    assert truck_speed_kph("secondary", None, p) == pytest.approx(CHINA_DEFAULT_SPEEDS_KPH["secondary"] * 0.8)
    assert truck_speed_kph("secondary", "70", p) == pytest.approx(56.0)
    assert truck_speed_kph("motorway", "120", p) == pytest.approx(96.0)
    assert truck_speed_kph("motorway", "120", SpeedParams(truck_factor=1.0)) == 100.0  # legal truck cap
    assert truck_speed_kph("unknown_class", None, p) == pytest.approx(24.0)
    assert truck_speed_kph(["trunk", "primary"], None, p) == pytest.approx(64.0)
    with pytest.raises(ValueError, match="truck_factor"):
        SpeedParams(truck_factor=0)


def test_travel_time_units(demo):
    np.testing.assert_allclose(demo.travel_time_s, demo.length_m / (demo.speed_kph / 3.6), rtol=1e-9)


def test_demo_is_marked_illustrative_everywhere(demo):
    assert demo.illustrative
    G = nx.read_graphml(demo_network_path())
    assert G.graph["illustrative"] in (True, "True")
    assert all(d.get("illustrative") in (True, "True") for _, _, d in G.edges(data=True))
    assert demo.n_components("strong") == 1
    assert 2000 <= demo.n_nodes <= 6000
    assert demo_network_path().stat().st_size < 2_000_000


def test_demo_hierarchy_names_and_bridges(demo):
    km = demo.road_km_by_class()
    for cls in ("motorway", "trunk", "primary", "secondary", "tertiary"):
        assert km[cls] > 50
    refs = set(demo.ref)
    assert {"G1", "G0111", "G102", "G205", "G228", "S251", "S252"} <= refs
    bridges = set(demo.name[demo.bridge])
    assert {"G228洋河大桥", "G1滦河特大桥", "G102洋河大桥", "S251青龙河大桥"} <= bridges
    # expressways run faster than county roads
    assert np.median(demo.speed_kph[demo.highway == "motorway"]) > 2 * np.median(
        demo.speed_kph[demo.highway == "tertiary"]
    )


def test_demo_joins_real_seats_depots_and_places(demo):
    root = ROOT / "data" / "depots" / "qinhuangdao"
    places = pd.read_csv(root / "places.csv")
    res = snap_points(demo, places[["id", "lon", "lat"]])
    assert res.snap_distance_m.max() < 1.0  # every place is a node
    depots = pd.read_csv(root / "depots.csv")
    wgs = depots[depots["crs"] == "WGS84"]
    res = snap_points(demo, wgs[["id", "lon", "lat"]])
    assert res.snap_distance_m.max() < 200.0
    # road distances are 1.2-1.4 times the straight line (median over place pairs > 3 km)
    from logistics.roads import node_matrices

    nodes = snap_points(demo, places[["id", "lon", "lat"]]).node
    val, _ = node_matrices(demo, nodes, nodes, weight="length_m")
    lon, lat = places["lon"].to_numpy(), places["lat"].to_numpy()
    d = haversine_m(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    ratio = np.median(val[d > 3000] / d[d > 3000])
    assert 1.2 <= ratio <= 1.4


def test_demo_generator_is_reproducible(tmp_path):
    import osmnx as ox

    p = tmp_path / "demo.graphml"
    ox.save_graphml(build_demo_graph(), p)
    assert p.read_bytes() == demo_network_path().read_bytes()
