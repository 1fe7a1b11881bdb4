"""Independent feasibility checker for explicit truck schedules (written from scratch).

It trusts nothing in the result except the list of trips and the reported
coverage: times are recomputed from the problem's matrices, weights and
volumes from the item table.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import numpy as np

TOL = 1e-6


def index_of(ids) -> dict[str, int]:
    """Position of each id in ``ids``."""
    return {x: i for i, x in enumerate(ids)}


def check_schedule(problem, result, trips) -> list[str]:
    """Return every violation found (empty list = feasible)."""
    p = problem
    bad: list[str] = []
    fleet, depot, point, item, source = (
        index_of(ids) for ids in (p.fleet_ids, p.depot_ids, p.point_ids, p.item_ids, p.source_ids)
    )
    used = np.zeros_like(p.stock)
    got = np.zeros_like(p.demand)
    by_truck = defaultdict(list)
    for t in trips:
        g = fleet[t.fleet_id]
        d = depot[t.depot_id]
        j = point[t.point_id]
        if p.fleet_depot[g] != d:
            bad.append(f"{t}: truck not based at {t.depot_id}")
        if not (0 <= t.truck < p.fleet_count[g]):
            bad.append(f"{t}: truck index beyond the fleet count")
        tau = p.travel_time_h[d, j]
        if not np.isfinite(tau):
            bad.append(f"{t}: point unreachable from depot")
            continue
        if t.start_h < -TOL:
            bad.append(f"{t}: starts before time 0")
        arrive = t.start_h + p.load_h + tau
        unloaded = arrive + p.unload_h
        back = unloaded + tau
        for name, want, have in (
            ("arrival", arrive, t.arrival_h),
            ("unloaded", unloaded, t.unloaded_h),
            ("return", back, t.return_h),
        ):
            if abs(want - have) > TOL:
                bad.append(f"{t}: {name} time {have} but travel gives {want}")
        if unloaded > p.deadline_h[j] + TOL:
            bad.append(f"{t}: unloaded at {unloaded} after deadline {p.deadline_h[j]}")
        kg = m3 = 0.0
        for src, it, q in t.cargo:
            s, k = source[src], item[it]
            if q < -TOL:
                bad.append(f"{t}: negative cargo")
            if p.source_depot[s] != d:
                bad.append(f"{t}: cargo from {src} at another depot")
            if q > TOL and p.ready_h[s] > t.start_h + TOL:
                bad.append(f"{t}: loads {src} before it is ready ({p.ready_h[s]} h)")
            kg += q * p.weight_kg[k]
            m3 += q * p.volume_m3[k]
            used[s, k] += q
            got[j, k] += q
        if kg > p.capacity_kg[g] * (1 + TOL) + TOL:
            bad.append(f"{t}: {kg} kg over capacity {p.capacity_kg[g]}")
        if m3 > p.capacity_m3[g] * (1 + TOL) + TOL:
            bad.append(f"{t}: {m3} m3 over capacity {p.capacity_m3[g]}")
        by_truck[(g, t.truck)].append(t)
    for key, ts in by_truck.items():
        ts = sorted(ts, key=lambda t: t.start_h)
        for a, b in pairwise(ts):
            if b.start_h < a.return_h - TOL:
                bad.append(f"truck {key}: trip at {b.start_h} starts before return {a.return_h}")
    over = used - p.stock
    for s, k in zip(*np.nonzero(over > TOL * np.maximum(1, p.stock)), strict=True):
        bad.append(f"stock of {p.source_ids[s]}/{p.item_ids[k]} exceeded by {over[s, k]}")
    # what the schedule delivers must back the reported coverage
    if not np.allclose(got, result.delivered, rtol=1e-6, atol=1e-5):
        bad.append(f"schedule delivers {got.tolist()} but result says {result.delivered.tolist()}")
    need = result.covered.copy()
    for pt, it, sub, units in result.substitutions_used:
        j, k1, k2 = point[pt], item[it], item[sub]
        ratio = next(s.ratio for s in p.substitutions if s.item == it and s.substitute == sub)
        need[j, k1] -= units / ratio
        need[j, k2] += units
    if np.any(need > got + 1e-5):
        bad.append("coverage exceeds what the schedule delivers")
    if np.any(result.covered > p.demand + 1e-6):
        bad.append("coverage exceeds demand")
    return bad


def share_met(problem, covered) -> float:
    """Objective (a) recomputed from coverage (docs definition)."""
    p = problem
    num = den = 0.0
    for j in range(len(p.point_ids)):
        ks = [k for k in range(len(p.item_ids)) if p.demand[j, k] > 0]
        om = sum(p.item_weight[k] for k in ks)
        if not ks or om <= 0:
            continue
        w = p.priority[j] * p.persons[j]
        den += w
        num += w * sum(p.item_weight[k] * covered[j, k] / p.demand[j, k] for k in ks) / om
    return num / den if den > 0 else 1.0


def check_lp_plan(p, r) -> list[str]:
    """Independent checks of a pooled-LP plan from its flows and lanes only.

    Stock per source, readiness, per-lane weight and volume against trips ×
    capacity, unloading by the deadline, and for every fleet group and window
    the earliest-due-date time budget with all the group's trucks (a necessary
    condition of the pooled truck-time constraint).
    """
    eps = 1e-6
    err = []
    S, K, J, D, G = (
        index_of(ids) for ids in (p.source_ids, p.item_ids, p.point_ids, p.depot_ids, p.fleet_ids)
    )
    used = np.zeros_like(p.stock)
    lane_kg: dict[int, float] = {}
    lane_m3: dict[int, float] = {}
    for f in r.flows:
        s, k = S[f.source_id], K[f.item_id]
        used[s, k] += f.quantity
        if p.ready_h[s] > f.window_start_h + eps:
            err.append(f"{f.source_id} not ready for window {f.window_start_h}")
        lane_kg[f.lane] = lane_kg.get(f.lane, 0.0) + f.quantity * p.weight_kg[k]
        lane_m3[f.lane] = lane_m3.get(f.lane, 0.0) + f.quantity * p.volume_m3[k]
    if (used > p.stock * (1 + 1e-7) + eps).any():
        err.append("stock exceeded")
    budget: dict[tuple[int, float], list[tuple[float, float]]] = {}
    for sh in r.lanes:
        g, j, d = G[sh.fleet_id], J[sh.point_id], D[sh.depot_id]
        kg, m3 = lane_kg.get(sh.lane, 0.0), lane_m3.get(sh.lane, 0.0)
        if kg > sh.trips * p.capacity_kg[g] * (1 + 1e-7) + eps:
            err.append(f"lane {sh.lane} overweight")
        if m3 > sh.trips * p.capacity_m3[g] * (1 + 1e-7) + eps:
            err.append(f"lane {sh.lane} over volume")
        tau = p.travel_time_h[d, j]
        if kg > eps and sh.window_start_h + p.load_h + tau + p.unload_h > p.deadline_h[j] + eps:
            err.append(f"lane {sh.lane} unloads after the deadline")
        due = min(p.deadline_h[j] + tau, sh.window_end_h)
        cycle = p.load_h + 2 * tau + p.unload_h
        budget.setdefault((g, sh.window_start_h), []).append((due, sh.trips * cycle))
    for (g, start), trips in budget.items():
        trips.sort()
        dues = np.array([t[0] for t in trips])
        cum = np.cumsum([t[1] for t in trips])
        if (cum > p.fleet_count[g] * (dues - start) * (1 + 1e-7) + eps).any():
            err.append(f"fleet {p.fleet_ids[g]} window {start}: trips exceed truck time")
    return err
