"""Seeded random small allocation instances for the tests."""

from __future__ import annotations

import numpy as np

from logistics.allocation import AllocationProblem, Substitution
from logistics.allocation.hubs import Hub


def random_problem(
    seed: int, *, max_trucks: int = 2, groups_per_depot: int = 1, substitutions: bool = True
) -> AllocationProblem:
    """A small instance: 1-2 depots, 1-3 items, 2-3 points, 1-2 sources per depot."""
    rng = np.random.default_rng(seed)
    K = int(rng.integers(1, 4))
    D = int(rng.integers(1, 3))
    J = int(rng.integers(2, 4))
    items = [f"i{k}" for k in range(K)]
    depots = [f"d{d}" for d in range(D)]
    sources, src_depot, ready, kind, stock = [], [], [], [], []
    for d in range(D):
        n_src = int(rng.integers(1, 3))
        for s in range(n_src):
            sources.append(f"d{d}s{s}")
            src_depot.append(depots[d])
            ready.append(0.0 if s == 0 else float(rng.choice([1.5, 2.0, 3.0])))
            kind.append("own" if s == 0 else "contract")
            row = rng.integers(0, 60, size=K).astype(float)
            row[rng.random(K) < 0.2] = 0.0
            stock.append(row)
    if D == 2 and rng.random() < 0.3:  # second depot is mutual aid arriving later
        for i, sd in enumerate(src_depot):
            if sd == "d1":
                ready[i] += 1.0
                kind[i] = "mutual_aid"
    fleets, fleet_depot, cap_kg, cap_m3, count = [], [], [], [], []
    for d in range(D):
        for g in range(groups_per_depot):
            fleets.append(f"d{d}g{g}")
            fleet_depot.append(depots[d])
            cap_kg.append(float(rng.integers(300, 1500)))
            cap_m3.append(float(rng.integers(2, 10)))
            count.append(int(rng.integers(0 if rng.random() < 0.1 else 1, max_trucks + 1)))
    demand = rng.integers(0, 80, size=(J, K)).astype(float)
    demand[rng.random((J, K)) < 0.15] = 0.0
    tt = rng.uniform(0.5, 3.0, size=(D, J))
    tt[rng.random((D, J)) < 0.15] = np.nan
    subs = []
    if substitutions and K >= 2 and rng.random() < 0.4:
        subs.append(Substitution("i0", "i1", float(rng.choice([1.0, 2.0]))))
    return AllocationProblem.from_arrays(
        item_ids=items,
        weight_kg=rng.uniform(5, 50, size=K).round(1),
        volume_m3=rng.uniform(0.02, 0.3, size=K).round(3),
        item_weight=rng.choice([1.0, 2.0], size=K),
        depot_ids=depots,
        source_ids=sources,
        source_depot=src_depot,
        ready_h=ready,
        source_kind=kind,
        stock=np.array(stock),
        point_ids=[f"p{j}" for j in range(J)],
        persons=rng.integers(50, 500, size=J).astype(float),
        priority=rng.choice([1.0, 2.0, 3.0], size=J),
        demand=demand,
        deadline_h=rng.uniform(3.0, 8.0, size=J).round(2),
        travel_time_h=tt.round(2),
        distance_km=np.where(np.isnan(tt), np.nan, (tt * 45).round(1)),
        fleet_ids=fleets,
        fleet_depot=fleet_depot,
        capacity_kg=cap_kg,
        capacity_m3=cap_m3,
        fleet_count=count,
        load_h=0.5,
        unload_h=0.25,
        substitutions=subs,
    )


def medium_problem(seed: int) -> AllocationProblem:
    """A larger instance for column generation: 3-6 depots, 8-25 points, 2-6 items.

    Depots hold uneven stock (some items nowhere), some have a contract source
    ready later, one or two truck groups with different weight/volume ratios,
    a few cut roads, and deadlines that make far depots useless.
    """
    rng = np.random.default_rng(10_000 + seed)
    K = int(rng.integers(2, 7))
    D = int(rng.integers(3, 7))
    J = int(rng.integers(8, 26))
    depots = [f"d{d}" for d in range(D)]
    sources, src_depot, ready, kind, stock = [], [], [], [], []
    demand = rng.integers(0, 120, size=(J, K)).astype(float)
    demand[rng.random((J, K)) < 0.2] = 0.0
    for d in range(D):
        for s in range(1 + int(rng.random() < 0.4)):
            sources.append(f"d{d}s{s}")
            src_depot.append(depots[d])
            ready.append(0.0 if s == 0 else float(rng.choice([1.0, 2.5])))
            kind.append("own" if s == 0 else "contract")
            row = rng.integers(0, int(demand.sum() / D) + 2, size=K).astype(float)
            row[rng.random(K) < 0.25] = 0.0
            stock.append(row)
    fleets, fleet_depot, cap_kg, cap_m3, count = [], [], [], [], []
    for d in range(D):
        for g in range(1 + int(rng.random() < 0.5)):
            fleets.append(f"d{d}g{g}")
            fleet_depot.append(depots[d])
            cap_kg.append(float(rng.choice([800.0, 2000.0, 5000.0])))
            cap_m3.append(float(rng.choice([4.0, 12.0, 20.0])))
            count.append(int(rng.integers(0 if rng.random() < 0.1 else 1, 4)))
    xy_d = rng.uniform(0, 300, size=(D, 2))
    xy_j = rng.uniform(0, 300, size=(J, 2))
    km = np.linalg.norm(xy_d[:, None] - xy_j[None], axis=2) * 1.3
    tt = 0.2 + km / 50.0
    tt[rng.random((D, J)) < 0.1] = np.nan
    subs = []
    if K >= 2 and rng.random() < 0.3:
        subs.append(Substitution("i0", "i1", float(rng.choice([1.0, 2.0]))))
    return AllocationProblem.from_arrays(
        item_ids=[f"i{k}" for k in range(K)],
        weight_kg=rng.uniform(2, 40, size=K).round(1),
        volume_m3=rng.uniform(0.01, 0.2, size=K).round(3),
        item_weight=rng.choice([1.0, 2.0], size=K),
        depot_ids=depots,
        source_ids=sources,
        source_depot=src_depot,
        ready_h=ready,
        source_kind=kind,
        stock=np.array(stock),
        point_ids=[f"p{j}" for j in range(J)],
        persons=rng.integers(50, 2000, size=J).astype(float),
        priority=rng.choice([1.0, 2.0, 3.0], size=J),
        demand=demand,
        deadline_h=rng.choice([6.0, 8.0, 12.0], size=J),
        travel_time_h=tt.round(3),
        distance_km=np.where(np.isnan(tt), np.nan, km.round(1)),
        fleet_ids=fleets,
        fleet_depot=fleet_depot,
        capacity_kg=cap_kg,
        capacity_m3=cap_m3,
        fleet_count=count,
        load_h=0.5,
        unload_h=0.25,
        substitutions=subs,
    )


def hub_problem(seed: int, *, hubs: bool = True) -> AllocationProblem:
    """A small instance with a far stocked depot, a hub near the points and a county depot.

    ``far`` holds most stock, 1-2 trucks, 3.5-6 h from the points; ``hub`` little or no stock,
    1-3 trucks, 0.3-1.5 h from the points and 1-3 h from ``far``; ``county`` some stock and one
    truck. The hub has 1-2 waves, 0.5-1.5 h handling and a throughput that is unlimited or
    binding. ``hubs=False`` gives the same instance without the hub.
    """
    rng = np.random.default_rng(20_000 + seed)
    K = int(rng.integers(1, 3))
    J = int(rng.integers(2, 5))
    depots = ["far", "hub", "county"]
    demand = rng.integers(10, 80, size=(J, K)).astype(float)
    stock = np.vstack(
        [
            rng.integers(40, 160, size=K).astype(float),
            rng.integers(0, 15, size=K).astype(float) * (rng.random() < 0.5),
            rng.integers(0, 40, size=K).astype(float),
        ]
    )
    tt = np.vstack(
        [rng.uniform(3.5, 6.0, size=J), rng.uniform(0.3, 1.5, size=J), rng.uniform(1.0, 3.5, size=J)]
    )
    tt[2, rng.random(J) < 0.3] = np.nan
    to_hub = np.array([[rng.uniform(1.0, 3.0)], [0.0], [rng.uniform(0.5, 2.0)]])
    waves = (float(rng.choice([3.0, 4.0, 5.0])),)
    if rng.random() < 0.5:
        waves += (waves[0] + float(rng.choice([2.0, 3.0])),)
    hub = Hub(
        "hub",
        waves,
        handling_h=float(rng.choice([0.5, 1.0, 1.5])),
        throughput_kg_h=float(rng.choice([np.inf, 400.0, 1500.0])),
    )
    return AllocationProblem.from_arrays(
        item_ids=[f"i{k}" for k in range(K)],
        weight_kg=rng.uniform(5, 30, size=K).round(1),
        volume_m3=rng.uniform(0.02, 0.2, size=K).round(3),
        item_weight=rng.choice([1.0, 2.0], size=K),
        depot_ids=depots,
        source_ids=["far-own", "hub-own", "county-own"],
        source_depot=depots,
        stock=stock,
        point_ids=[f"p{j}" for j in range(J)],
        persons=rng.integers(50, 500, size=J).astype(float),
        priority=rng.choice([1.0, 2.0], size=J),
        demand=demand,
        deadline_h=rng.choice([7.0, 9.0, 11.0], size=J),
        travel_time_h=tt.round(2),
        fleet_ids=["far/heavy", "hub/light", "county/light"],
        fleet_depot=depots,
        capacity_kg=[float(rng.choice([1500.0, 3000.0])), 800.0, 800.0],
        capacity_m3=[30.0, 10.0, 10.0],
        fleet_count=[int(rng.integers(1, 3)), int(rng.integers(1, 4)), 1],
        load_h=0.5,
        unload_h=0.25,
        hubs=[hub] if hubs else [],
        hub_travel_time_h=to_hub.round(2) if hubs else None,
    )


def scarce_problem(
    seed: int, *, depots: int = 6, points: int = 60, items: int = 5, hub: bool = False
) -> AllocationProblem:
    """Trucks short everywhere, stock ample: depots compete for nearby points.

    Built so that the Dantzig–Wolfe master's bound stays at the no-truck bound in its
    first iterations, which is when the certified mode runs its depot-by-depot descent.
    ``hub=True`` makes the first depot a transfer hub (one wave at 4 h, 1 h handling,
    1.5 t/h).
    """
    rng = np.random.default_rng(20_000 + seed)
    D, J, K = depots, points, items
    demand = rng.integers(10, 120, size=(J, K)).astype(float)
    xy_d = rng.uniform(0, 200, size=(D, 2))
    xy_j = xy_d[rng.integers(0, D, size=J)] + rng.normal(0, 25, size=(J, 2))
    km = np.linalg.norm(xy_d[:, None] - xy_j[None], axis=2) * 1.3
    tt = 0.2 + km / 50.0
    tt[rng.random((D, J)) < 0.05] = np.nan
    stock = np.tile(demand.sum(axis=0) * 3.0 / D, (D, 1)).round()
    return AllocationProblem.from_arrays(
        item_ids=[f"i{k}" for k in range(K)],
        weight_kg=rng.uniform(2, 40, size=K).round(1),
        volume_m3=rng.uniform(0.01, 0.2, size=K).round(3),
        depot_ids=[f"d{d}" for d in range(D)],
        source_ids=[f"d{d}s0" for d in range(D)],
        source_depot=[f"d{d}" for d in range(D)],
        stock=stock,
        point_ids=[f"p{j}" for j in range(J)],
        persons=rng.integers(50, 2000, size=J).astype(float),
        priority=rng.choice([1.0, 2.0], size=J),
        demand=demand,
        deadline_h=rng.choice([8.0, 12.0], size=J),
        travel_time_h=tt.round(3),
        distance_km=np.where(np.isnan(tt), np.nan, km.round(1)),
        fleet_ids=[f"d{d}g0" for d in range(D)],
        fleet_depot=[f"d{d}" for d in range(D)],
        capacity_kg=[800.0] * D,
        capacity_m3=[4.0] * D,
        fleet_count=[2] * D,
        load_h=0.5,
        unload_h=0.25,
        hubs=[Hub("d0", (4.0,), handling_h=1.0, throughput_kg_h=1500.0)] if hub else [],
        hub_travel_time_h=(0.2 + np.linalg.norm(xy_d - xy_d[0], axis=1)[:, None] * 1.3 / 50.0).round(3)
        if hub
        else None,
    )
