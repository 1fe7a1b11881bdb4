"""Column generation reaches the full LP's optimum in every lexicographic stage."""

from __future__ import annotations

import json

import pytest

from logistics.allocation import AllocationParams, solve_allocation
from logistics.allocation._cg import CGStats, solve_cg
from tests.allocation._checker import check_lp_plan, share_met
from tests.allocation._independent import pooled_lp
from tests.allocation._instances import medium_problem, random_problem


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
