"""Matrices against an independent networkx Dijkstra, and hand-built closure/reopening cases."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from logistics.exceptions import UnreachableWarning
from logistics.roads import (
    Closure,
    RoadNetwork,
    apply_disruptions,
    graph_from_network,
    network_from_graph,
    node_matrices,
    path_between,
    travel_time_matrix,
)
from tests.roads.reference import earliest_arrival, simple_digraph

RTOL = 1e-6


def _check_against_networkx(net: RoadNetwork, weight: str, n_src: int, n_tgt: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    src = rng.choice(net.n_nodes, n_src, replace=False)
    tgt = rng.choice(net.n_nodes, n_tgt, replace=False)
    val, oth = node_matrices(net, src, tgt, weight=weight)
    other = "length_m" if weight == "travel_time_s" else "travel_time_s"
    H = simple_digraph(graph_from_network(net, geometry=False), weight)
    for i, s in enumerate(src):
        dist, paths = nx.single_source_dijkstra(H, int(s), weight=weight)
        for j, t in enumerate(tgt):
            if int(t) not in dist:
                assert np.isinf(val[i, j])
                continue
            assert val[i, j] == pytest.approx(dist[int(t)], rel=RTOL, abs=1e-9)
            p = paths[int(t)]
            along = sum(H[a][b][other] for a, b in itertools.pairwise(p))
            # the other quantity is along *a* optimal path; ties may pick another one
            if not np.isclose(oth[i, j], along, rtol=RTOL):
                alt = nx.dijkstra_path_length(H, int(s), int(t), weight=weight)
                assert alt == pytest.approx(val[i, j], rel=RTOL)


@pytest.mark.parametrize("weight", ["travel_time_s", "length_m"])
def test_pingshan_matrix_equals_networkx(pingshan, weight):
    _check_against_networkx(pingshan, weight, 6, 300, seed=1)


def test_haidian_matrix_equals_networkx(haidian):
    _check_against_networkx(haidian, "travel_time_s", 10, 200, seed=2)


def test_demo_matrix_equals_networkx(demo):
    _check_against_networkx(demo, "travel_time_s", 5, 400, seed=3)


# ---------------------------------------------------------------- hand-built graphs
def _line_graph() -> RoadNetwork:
    """A - B - D (fast, via a bridge way 7) and A - C - D (slow detour), two-way.

    Travel times are given directly: A-B 100 s, B-D 100 s (way 7), A-C 300 s, C-D 400 s.
    """
    G = nx.MultiDiGraph()
    for n, x in zip("ABCD", (0.0, 0.01, 0.01, 0.02), strict=True):
        G.add_node(n, x=119.0 + x, y=39.8 + (0.01 if n == "C" else 0.0))
    G.add_edge("A", "B", highway="primary", length=1000, travel_time_s=100.0, osmid=1, name="东路")
    G.add_edge("B", "D", highway="primary", length=1000, travel_time_s=100.0, osmid=7, name="大桥")
    G.add_edge("A", "C", highway="tertiary", length=1500, travel_time_s=300.0, osmid=2, name="北路")
    G.add_edge("C", "D", highway="tertiary", length=1500, travel_time_s=400.0, osmid=3, name="北路")
    for u, v, d in list(G.edges(data=True)):  # the way back, same ways (closures close both)
        G.add_edge(v, u, **d)
    return network_from_graph(G)


def _idx(net: RoadNetwork, name: str) -> int:
    return "ABCD".index(name)


@pytest.mark.parametrize(
    ("reopen_h", "depart_h", "expected_s", "wait_s"),
    [
        (None, 0.0, 700.0, 0.0),  # closed for good: detour 300 + 400
        (0.5, 0.0, 1900.0, 1700.0),  # waiting would give 1900 s: the 700 s detour wins
        (0.05, 0.0, 280.0, 80.0),  # reopens at 180 s: arrive B 100, wait 80, +100 = 280 < 700
        (0.05, 1.0, 200.0, 0.0),  # leaves after the reopening: no closure any more
    ],
)
def test_reopening_known_answers(reopen_h, depart_h, expected_s, wait_s):
    net = apply_disruptions(_line_graph(), [Closure(way_ids=[7], reopen_h=reopen_h, label="bridge")])
    a, d = _idx(net, "A"), _idx(net, "D")
    val, _ = node_matrices(net, [a], [d], depart_h=depart_h)
    exp = min(expected_s, 700.0)  # the detour is always available
    assert val[0, 0] == pytest.approx(exp, rel=1e-12)
    path = path_between(net, a, d, depart_h=depart_h)
    assert path.travel_time_s == pytest.approx(exp)
    if exp < 700.0:
        assert [int(n) for n in path.nodes] == [a, _idx(net, "B"), d]
        assert path.wait_s == pytest.approx(wait_s)
    else:
        assert [int(n) for n in path.nodes] == [a, _idx(net, "C"), d]
        assert path.wait_s == pytest.approx(0.0)


def test_waiting_beats_detour_only_when_shorter():
    # reopening at 0.15 h = 540 s: via B arrives 640 s (< 700 detour) after waiting 440 s
    net = apply_disruptions(_line_graph(), [Closure(names=["大桥"], reopen_h=0.15)])
    val, length = node_matrices(net, [0], [3])
    assert val[0, 0] == pytest.approx(640.0)
    assert length[0, 0] == pytest.approx(2000.0)
    # reopening at 0.2 h = 720 s: waiting gives 820 s, the detour 700 s wins
    net = apply_disruptions(_line_graph(), [Closure(names=["大桥"], reopen_h=0.2)])
    val, length = node_matrices(net, [0], [3])
    assert val[0, 0] == pytest.approx(700.0)
    assert length[0, 0] == pytest.approx(3000.0)


def test_all_routes_closed_is_nan_with_warning():
    net = _line_graph()
    pts = [("A", 119.0, 39.8), ("D", 119.02, 39.8)]  # exactly on nodes A and D
    dis = [Closure(way_ids=[7]), Closure(way_ids=[3])]
    with pytest.warns(UnreachableWarning, match=r"A->D"):
        res = travel_time_matrix(net, pts, pts, disruptions=dis, snap=None)
    assert np.isnan(res.travel_time_s[0, 1]) and np.isnan(res.length_m[0, 1])
    assert ("A", "D") in res.unreachable and ("D", "A") in res.unreachable
    assert not np.isinf(res.travel_time_s).any()
    assert not res.path("A", "D").reachable


def test_time_dependent_equals_independent_reference_on_demo(demo):
    """Random closures with reopenings on the demo network: exact vs a plain heapq search."""
    rng = np.random.default_rng(7)
    closed = rng.choice(demo.n_edges, 600, replace=False)
    opens = demo.open_from_h.copy()
    opens[closed] = rng.choice([0.2, 0.5, 1.0, 2.0, np.inf], size=len(closed))
    net = demo.replace(open_from_h=opens)
    G = graph_from_network(net, geometry=False)
    src = rng.choice(net.n_nodes, 4, replace=False)
    tgt = rng.choice(net.n_nodes, 300, replace=False)
    for depart_h in (0.0, 0.3):
        val, _ = node_matrices(net, src, tgt, depart_h=depart_h)
        for i, s in enumerate(src):
            ref = earliest_arrival(G, int(s), depart_h * 3600.0)
            exp = np.array([ref.get(int(t), np.inf) - depart_h * 3600.0 for t in tgt])
            assert np.array_equal(np.isinf(val[i]), np.isinf(exp))
            f = np.isfinite(exp)
            np.testing.assert_allclose(val[i][f], exp[f], rtol=RTOL)


def test_path_geometry_follows_edges(demo):
    a, b = 0, demo.n_nodes - 1
    p = path_between(demo, a, b)
    assert p.reachable
    assert p.nodes[0] == a and p.nodes[-1] == b
    assert p.length_m == pytest.approx(float(demo.length_m[p.edges].sum()))
    start, end = p.geometry.coords[0], p.geometry.coords[-1]
    assert start == pytest.approx((demo.lon[a], demo.lat[a]))
    assert end == pytest.approx((demo.lon[b], demo.lat[b]))
    val, _ = node_matrices(demo, [a], [b])
    assert p.travel_time_s == pytest.approx(val[0, 0], rel=1e-12)
