"""Province-sized allocation benchmark: 200 depots x 5,000 points x 30 items (LP).

Generates a seeded synthetic province (coordinates in a 500 km square, travel
times from straight-line distance x detour / speed) and times the LP on
instances of growing size with candidate pruning. It also solves a smaller
instance with and without pruning (and with pruning as the start of column
generation) and prints the objective values, to measure what pruning loses,
and can compare column generation with the full LP.

Run from the repository root::

    python bench/allocation_province.py                      # 20x500x30, 50x1250x30 + pruning check
    python bench/allocation_province.py --full               # also 200x5000x30 (does not finish, see README)
    python bench/allocation_province.py --sizes "" --skip-pruning --cg-check 10x150x10
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np

from logistics.allocation import AllocationParams, AllocationProblem, solve_allocation

SEED = 20261123
SIDE_KM = 500.0
DETOUR = 1.3
SPEED_KMH = 50.0


def province_instance(
    n_depots: int = 200,
    n_points: int = 5000,
    n_items: int = 30,
    *,
    seed: int = SEED,
    trucks: float = 1.0,
    contract: float = 0.3,
    mutual_aid: float = 0.05,
) -> AllocationProblem:
    """A synthetic province with both shortage and surplus.

    * depots and points uniform in a 500 km square; 5 % of depots are mutual-aid
      partners (stock ready after 6 h), 30 % hold a contract reserve (ready 4 h);
    * persons per point log-normal (median ~600), priority 1-3, deadline 12 h
      (10 h at a fifth of the points), 3 days of support;
    * per-person norms, unit weights and volumes vary by item; total stock per
      item is 40 %-160 % of total demand, spread unevenly over depots;
    * every depot has 2-8 light trucks (2 t, 12 m³), a third also 1-4 heavy
      trucks (8 t, 40 m³); loading 0.5 h, unloading 0.25 h.
    """
    rng = np.random.default_rng(seed)
    dep_xy = rng.uniform(0, SIDE_KM, size=(n_depots, 2))
    pt_xy = rng.uniform(0, SIDE_KM, size=(n_points, 2))
    dist = np.linalg.norm(dep_xy[:, None, :] - pt_xy[None, :, :], axis=2) * DETOUR
    travel = 0.2 + dist / SPEED_KMH
    travel[rng.random(travel.shape) < 0.01] = np.nan  # a few cut roads
    items = [f"item{k:02d}" for k in range(n_items)]
    # per person-day: ~0.3 kg per item on average (about 9 kg for 30 items)
    norm = rng.uniform(0.02, 0.5, size=n_items)  # units per person per day
    weight = rng.uniform(0.1, 1.0, size=n_items)  # kg per unit
    volume = weight * rng.uniform(0.002, 0.01, size=n_items)  # m³ per unit
    persons = np.round(rng.lognormal(np.log(600), 0.8, size=n_points))
    demand = np.round(persons[:, None] * norm[None, :] * 3.0 * (rng.random((n_points, n_items)) < 0.8))
    total = demand.sum(axis=0)
    depots = [f"D{i:03d}" for i in range(n_depots)]
    share = rng.dirichlet(np.full(n_depots, 0.7), size=n_items).T  # uneven spread
    level = rng.uniform(0.4, 1.6, size=n_items)
    kind = np.where(rng.random(n_depots) < mutual_aid, "mutual_aid", "own")
    src_ids, src_depot, src_kind, ready, stock = [], [], [], [], []
    for d in range(n_depots):
        own = np.round(share[d] * total * level)
        mutual = kind[d] == "mutual_aid"
        if not mutual and rng.random() < contract:
            part = np.round(own * 0.4)
            src_ids.append(f"{depots[d]}-contract")
            src_depot.append(depots[d])
            src_kind.append("contract")
            ready.append(4.0)
            stock.append(part)
            own = own - part
        src_ids.append(f"{depots[d]}-{'aid' if mutual else 'own'}")
        src_depot.append(depots[d])
        src_kind.append(str(kind[d]))
        ready.append(6.0 if mutual else 0.0)
        stock.append(own)
    fl_ids, fl_depot, cap_kg, cap_m3, count = [], [], [], [], []
    for d in range(n_depots):
        fl_ids.append(f"{depots[d]}-light")
        fl_depot.append(depots[d])
        cap_kg.append(2000.0)
        cap_m3.append(12.0)
        count.append(round(trucks * rng.integers(5, 21)))
        if rng.random() < 1 / 3:
            fl_ids.append(f"{depots[d]}-heavy")
            fl_depot.append(depots[d])
            cap_kg.append(8000.0)
            cap_m3.append(40.0)
            count.append(round(trucks * rng.integers(2, 9)))
    deadline = np.where(rng.random(n_points) < 0.2, 10.0, 12.0)
    return AllocationProblem.from_arrays(
        item_ids=items,
        weight_kg=weight,
        volume_m3=volume,
        depot_ids=depots,
        source_ids=src_ids,
        source_depot=src_depot,
        source_kind=src_kind,
        ready_h=ready,
        stock=np.array(stock),
        point_ids=[f"P{j:04d}" for j in range(n_points)],
        persons=persons,
        priority=rng.choice([1.0, 2.0, 3.0], size=n_points, p=[0.6, 0.3, 0.1]),
        demand=demand,
        deadline_h=deadline,
        travel_time_h=travel,
        distance_km=np.where(np.isfinite(travel), dist, np.nan),
        fleet_ids=fl_ids,
        fleet_depot=fl_depot,
        capacity_kg=cap_kg,
        capacity_m3=cap_m3,
        fleet_count=count,
        load_h=0.5,
        unload_h=0.25,
    )


def run(p: AllocationProblem, k: int | None, objective: str = "lexicographic", cg: bool = False) -> dict:
    t0 = time.perf_counter()
    r = solve_allocation(
        p, AllocationParams(max_depots_per_point=k, objective=objective, column_generation=cg)
    )
    wall = time.perf_counter() - t0
    s = r.summary()
    return {
        "k": k,
        "column_generation": cg,
        "objective": objective,
        "wall_s": round(wall, 1),
        "build_s": round(r.build_time_s, 1),
        "solve_s": round(r.solve_time_s, 1),
        "variables": r.num_variables,
        "constraints": r.num_constraints,
        "lanes": r.num_lanes,
        "demand_met_share": round(r.demand_met_share_by_deadline, 6),
        "max_unmet_share": round(r.max_unmet_share, 6),
        "units_met_share": round(r.units_met_share, 6),
        "person_hours": round(r.person_hours, 1),
        "shortfalls_by_reason": {x["reason"]: x["pairs"] for x in s["shortfalls_by_reason"]},
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, default=4, help="depots kept per point (default 4)")
    ap.add_argument(
        "--sizes",
        default="20x500x30,50x1250x30",
        help="comma-separated DEPOTSxPOINTSxITEMS to time (default 20x500x30,50x1250x30)",
    )
    ap.add_argument("--full", action="store_true", help="also time 200x5000x30 (slow, see README)")
    ap.add_argument("--objective", default="lexicographic")
    ap.add_argument("--skip-pruning", action="store_true")
    ap.add_argument(
        "--cg-check",
        default="",
        help="comma-separated sizes on which column generation is compared with the full LP",
    )
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, python {platform.python_version()}")
    sizes = [tuple(int(x) for x in s.split("x")) for s in args.sizes.split(",") if s]
    if args.full:
        sizes.append((200, 5000, 30))
    for nd, npt, nk in sizes:
        p = province_instance(nd, npt, nk)
        out = run(p, args.k, args.objective)
        print(json.dumps({"instance": f"{nd}x{npt}x{nk}", **out}), flush=True)
    for spec in [s for s in args.cg_check.split(",") if s]:
        nd, npt, nk = (int(x) for x in spec.split("x"))
        p = province_instance(nd, npt, nk, seed=SEED + 2)
        full = run(p, None, args.objective)
        cg = run(p, None, args.objective, cg=True)
        print(json.dumps({"instance": spec, **full}), flush=True)
        print(
            json.dumps(
                {
                    "instance": spec,
                    **cg,
                    "ratio_to_full_lp": round(cg["demand_met_share"] / full["demand_met_share"], 9),
                    "time_ratio": round(cg["wall_s"] / max(full["wall_s"], 0.05), 2),
                }
            ),
            flush=True,
        )
    if args.skip_pruning:
        return
    # pruning check on a smaller instance: pruned vs unpruned, stage (a)
    small = province_instance(20, 300, 10, seed=SEED + 1)
    full = run(small, None, "delivered")
    print(json.dumps({"instance": "20x300x10", **full}), flush=True)
    for k, cg in ((2, False), (4, False), (6, False), (10, False), (2, True)):
        pr = run(small, k, "delivered", cg=cg)
        ratio = pr["demand_met_share"] / full["demand_met_share"]
        speed = full["wall_s"] / max(pr["wall_s"], 0.05)
        print(
            json.dumps(
                {
                    "instance": "20x300x10",
                    **pr,
                    "ratio_to_unpruned": round(ratio, 6),
                    "speedup": round(speed, 1),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
