"""Column generation reaches the full LP's optimum in every lexicographic stage."""

from __future__ import annotations

import json

import numpy as np
import pytest

from logistics._allocation_cg import CGStats, solve_cg
from logistics.allocation import AllocationParams, solve_allocation
from tests.allocation._checker import share_met
from tests.allocation._independent import pooled_lp
from tests.allocation._instances import medium_problem, random_problem


def check_lp_plan(p, r) -> list[str]:
    """Independent checks of a pooled-LP plan from its flows and shipments only.

    Stock per source, readiness, per-lane weight and volume against trips ×
    capacity, unloading by the deadline, and for every fleet group and window
    the earliest-due-date time budget with all the group's trucks (a necessary
    condition of the pooled truck-time constraint).
    """
    eps = 1e-6
    err = []
    S = {s: i for i, s in enumerate(p.source_ids)}
    K = {k: i for i, k in enumerate(p.item_ids)}
    J = {j: i for i, j in enumerate(p.point_ids)}
    D = {d: i for i, d in enumerate(p.depot_ids)}
    G = {g: i for i, g in enumerate(p.fleet_ids)}
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
    for sh in r.shipments:
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


def _same_stages(a, b) -> None:
    assert [n for n, _ in a.stages] == [n for n, _ in b.stages]
    for (name, x), (_, y) in zip(a.stages, b.stages, strict=True):
        assert x == pytest.approx(y, rel=1e-6, abs=1e-8), name


@pytest.mark.parametrize("seed", range(30))
def test_column_generation_equals_full_lp(seed: int) -> None:
    """30 generated instances: every stage's optimum equals the full LP's."""
    p = medium_problem(seed)
    cost = "ton_km" if seed % 3 == 0 else "person_hours"
    full = solve_allocation(p, AllocationParams(cost=cost))
    stats = CGStats()
    cg = solve_cg(p, AllocationParams(cost=cost, column_generation=True), k0=1, stats=stats)
    _same_stages(cg, full)
    assert cg.demand_met_share_by_deadline == pytest.approx(share_met(p, cg.covered), abs=1e-9)
    assert check_lp_plan(p, cg) == []
    # the master stays a subset of the full model
    assert cg.num_variables <= full.num_variables
    assert stats.rounds[-1][3] == 0  # the last round priced nothing in


@pytest.mark.parametrize("seed", range(10))
def test_column_generation_equals_independent_pooled_lp(seed: int) -> None:
    p = random_problem(seed, max_trucks=3, groups_per_depot=1 + seed % 2)
    r = solve_allocation(p, AllocationParams(column_generation=True))
    theirs = pooled_lp(p)
    for name, value in theirs.items():
        assert dict(r.stages)[name] == pytest.approx(value, rel=1e-6, abs=1e-9), name


@pytest.mark.parametrize("objective", ["delivered", "equity", "cost"])
def test_single_objectives(objective: str) -> None:
    p = medium_problem(3)
    full = solve_allocation(p, AllocationParams(objective=objective))
    cg = solve_allocation(p, AllocationParams(objective=objective, column_generation=True))
    _same_stages(cg, full)


@pytest.mark.parametrize("seed", range(5))
def test_pruned_start_reaches_unpruned_optimum(seed: int) -> None:
    """Starting from each point's fastest depot, pricing recovers what pruning loses."""
    p = medium_problem(40 + seed)
    full = solve_allocation(p, AllocationParams())
    pruned = solve_allocation(p, AllocationParams(max_depots_per_point=1))
    cg = solve_allocation(p, AllocationParams(max_depots_per_point=1, column_generation=True))
    _same_stages(cg, full)
    assert cg.demand_met_share_by_deadline >= pruned.demand_met_share_by_deadline - 1e-9


def test_deterministic() -> None:
    p = medium_problem(7)
    params = AllocationParams(column_generation=True)
    a = json.dumps(solve_allocation(p, params).summary(), sort_keys=True)
    b = json.dumps(solve_allocation(p, params).summary(), sort_keys=True)
    assert a == b


def test_no_pruned_reason() -> None:
    """Pairs left out by column generation are proven useless, never reported as pruned."""
    for seed in range(10):
        r = solve_allocation(medium_problem(seed), AllocationParams(column_generation=True))
        assert all(s.reason != "pruned" for s in r.shortfalls)
