"""Critical roads on generated small networks (issue 21).

Each instance is a random road network joining two depots and five townships of the demo region
through extra junctions. For every road section:

* the exact loss the ranking reports equals an independent recomputation — travel times by
  networkx Dijkstra on the network with the section removed (compared with the model's), and
  the allocation optimum by the independent scipy/HiGHS formulation of tests/allocation;
* the screening bound is at least the exact loss (the proof's claim);

and the ranking's top k is the true top k: no section left out loses more than the k-th.
"""

from __future__ import annotations

import itertools
import json
import math
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pytest

from logistics.allocation import AllocationParams, solve_allocation
from logistics.plan import build_scenario_model
from logistics.roads import Closure
from logistics.scenario import load_scenario
from logistics.sweep import CriticalParams, critical_roads, link_bounds, road_links
from logistics.sweep.links import road_sections
from logistics.sweep.variants import sweep_base
from tests.allocation._independent import pooled_lp
from tests.helpers import ROOT

if TYPE_CHECKING:
    from pathlib import Path

DEPOTS = ("QHD-C130324", "QHD-T130324-02")
TOWNS = ("潘庄镇", "石门镇", "双望镇", "木井镇", "蛤泊镇")


def _places() -> dict[str, tuple[float, float]]:
    """Two depots and five townships near 卢龙, at their coordinates in the demo region."""
    from logistics.region import demo_region

    region = demo_region()
    inv = region.inventory()
    out = {d: (inv.depot(d).lon, inv.depot(d).lat) for d in DEPOTS}
    out.update({p.name: (p.lon, p.lat) for p in region.places() if p.name in TOWNS})
    return out


CLASSES = ("primary", "secondary", "tertiary")


def _instance(folder: Path, seed: int) -> Path:
    """Write roads.geojson (a random connected network through the places) and a scenario."""
    rng = np.random.default_rng(seed)
    places = _places()
    nodes = list(places.values()) + [
        (float(rng.uniform(118.86, 119.09)), float(rng.uniform(39.76, 39.98))) for _ in range(6)
    ]
    pts = np.array(nodes)
    edges = set()
    for i in range(len(nodes)):  # each node to its 2-3 nearest: a sparse network with some detours
        d = np.hypot(*(pts - pts[i]).T)
        for j in np.argsort(d)[1 : 2 + int(rng.integers(1, 3))]:
            edges.add((min(i, int(j)), max(i, int(j))))
    g = nx.Graph(list(edges))
    comps = list(nx.connected_components(g))
    for a, b in itertools.pairwise(comps):  # join components
        edges.add((min(next(iter(a)), next(iter(b))), max(next(iter(a)), next(iter(b)))))
    feats = []
    for k, (i, j) in enumerate(sorted(edges)):
        feats.append({"type": "Feature", "properties": {"highway": CLASSES[int(rng.integers(0, 3))], "name": f"路{k}"},
                      "geometry": {"type": "LineString", "coordinates": [list(nodes[i]), list(nodes[j])]}})  # fmt: skip
    (folder / "roads.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8"
    )
    region = (ROOT / "data" / "depots" / "qinhuangdao" / "region.toml").as_posix()
    demand = "".join(
        f'[[demand]]\nplace = "{name}"\nrelocated = {int(rng.integers(300, 2500))}\nneed_relief = {int(rng.integers(0, 2000))}\n\n'
        for name in TOWNS
    )
    text = (f'name = "生成路网{seed}"\nregion = "{region}"\nroads = "roads.geojson"\nseed = {seed}\n'
            f'[hazard]\ntype = "earthquake"\nepicentre = [118.95, 39.88]\nmagnitude = 6.0\n\n'
            f'[response]\ndeadline_h = {float(rng.choice([3.0, 4.0, 6.0]))}\ndays = 1\n\n'
            f'[depots]\nuse = ["QHD-C130324", "QHD-T130324-02"]\n\n{demand}')  # fmt: skip
    path = folder / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _independent_value(model, closed_edges: set[int]) -> tuple[float, np.ndarray]:
    """Objective (a) by the independent LP on networkx travel times (section removed)."""
    net, tm = model.network, model.timed
    g = nx.DiGraph()
    for e in range(net.n_edges):
        if e not in closed_edges:
            u, v, w = int(net.tail[e]), int(net.head[e]), float(net.travel_time_s[e])
            if not g.has_edge(u, v) or g[u][v]["w"] > w:
                g.add_edge(u, v, w=w)
    p = model.problem
    times = np.full((len(p.depot_ids), len(p.point_ids)), np.inf)
    for a, d in enumerate(p.depot_ids):
        src = int(tm.snapped.node[tm.index(d)])
        dist = nx.single_source_dijkstra_path_length(g, src, weight="w") if src in g else {}
        for b, pt in enumerate(p.point_ids):
            dst = int(tm.snapped.node[tm.index(pt)])
            times[a, b] = dist.get(dst, math.inf) / 3600.0
    return times


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_loss_matches_an_independent_recomputation_and_the_ranking_is_safe(tmp_path, seed) -> None:
    path = _instance(tmp_path, seed)
    sc = load_scenario(path)
    base = sweep_base(sc)
    model = build_scenario_model(sc, network=base.network)
    res = solve_allocation(model.problem, AllocationParams(objective="delivered", seed=seed))
    a0 = res.demand_met_share_by_deadline
    a0_ind = pooled_lp(model.problem, objective="delivered")["delivered"]
    assert a0 == pytest.approx(a0_ind, abs=1e-6)
    links = road_links(base.network)
    u_link, _ = link_bounds(model, res, links.edge_link)
    section = road_sections(base.network, links, np.asarray(model.timed.snapped.node))
    exact = {}
    for sec in np.unique(section):
        edges = {int(e) for lk in np.flatnonzero(section == sec) for e in links.edges(int(lk))}
        closed = build_scenario_model(
            sc, network=base.network, extra_disruptions=[Closure(edges=tuple(edges))]
        )
        value = solve_allocation(
            closed.problem, AllocationParams(objective="delivered", seed=seed)
        ).demand_met_share_by_deadline
        # independent: networkx times on the network without the section, then the scipy LP
        times = _independent_value(model, edges)
        ok = np.isfinite(times)
        assert np.allclose(closed.timed.travel_time_s[0][np.ix_(
            [closed.timed.index(d) for d in model.problem.depot_ids],
            [closed.timed.index(pt) for pt in model.problem.point_ids])][ok] / 3600.0, times[ok], rtol=1e-9)  # fmt: skip
        ind = pooled_lp(closed.problem, objective="delivered")["delivered"]
        assert value == pytest.approx(ind, abs=1e-6), sec
        exact[int(sec)] = a0 - value
        bound = max((u_link.get(int(lk), 0.0) for lk in np.flatnonzero(section == sec)), default=0.0)
        assert exact[int(sec)] <= bound + 1e-7, (sec, exact[int(sec)], bound)  # the screening bound holds
    assert max(exact.values()) > 1e-3  # cutting some section does cost relief here
    k = 3
    ranking = critical_roads(path, None, CriticalParams(top=k, pairs=2, workers=1))
    assert ranking.complete
    got = [r["section"] for r in ranking.ranked]
    for r in ranking.ranked:
        assert r["loss_pp"] == pytest.approx(100 * exact[r["section"]], abs=1e-3)
    kth = min(exact[s] for s in got)
    assert all(loss <= kth + 1e-7 for s, loss in exact.items() if s not in got)  # nothing better left out
    assert ranking.evaluated and len(ranking.evaluated) <= len(exact)


@pytest.mark.parametrize("seed", [4, 7])
def test_screening_bound_holds_with_a_transfer_hub(tmp_path, seed) -> None:
    """With 刘田各庄镇储备点 as a hub, goods it forwards lean on the roads into it too: the bound still holds."""
    from tests.allocation._independent_hubs import pooled_lp_hubs

    path = _instance(tmp_path, seed)
    path.write_text(path.read_text(encoding="utf-8") + '\n[[hub]]\ndepot = "QHD-T130324-02"\ncutoffs_h = [1.0, 2.0]\n'
                    'handling_h = 0.25\n', encoding="utf-8")  # fmt: skip
    sc = load_scenario(path)
    base = sweep_base(sc)
    model = build_scenario_model(sc, network=base.network)
    params = AllocationParams(objective="delivered", seed=seed)
    res = solve_allocation(model.problem, params)
    a0 = res.demand_met_share_by_deadline
    assert res.transfers  # the hub is used in these instances
    assert a0 == pytest.approx(pooled_lp_hubs(model.problem, objective="delivered")["delivered"], abs=1e-6)
    links = road_links(base.network)
    u_link, _ = link_bounds(model, res, links.edge_link)
    section = road_sections(base.network, links, np.asarray(model.timed.snapped.node))
    for sec in np.unique(section):
        edges = {int(e) for lk in np.flatnonzero(section == sec) for e in links.edges(int(lk))}
        closed = build_scenario_model(
            sc, network=base.network, extra_disruptions=[Closure(edges=tuple(edges))]
        )
        loss = a0 - solve_allocation(closed.problem, params).demand_met_share_by_deadline
        bound = max((u_link.get(int(lk), 0.0) for lk in np.flatnonzero(section == sec)), default=0.0)
        assert loss <= bound + 1e-7, (sec, loss, bound)
