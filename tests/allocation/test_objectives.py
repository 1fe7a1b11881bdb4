"""Objective modes (issue 15 item 7): every mode delivers, equity over servable points, leximin."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from logistics.allocation import AllocationParams, AllocationProblem, solve_allocation
from logistics.exceptions import AllocationInputError
from tests.allocation._checker import check_lp_plan, share_met
from tests.allocation._independent import pooled_lp, servable, sorted_shares
from tests.allocation._instances import medium_problem, random_problem

NAN = math.nan
#: solve variants: pooled LP, exact MIP, LP by column generation
VARIANTS = {
    "lp": {},
    "mip": {"integer_trips": True},
    "cg": {"column_generation": True},
}


def four_points() -> AllocationProblem:
    """Depot A (90 units) serves Y and Z; depot B (10 units) serves only X; nothing reaches U.

    One item (10 kg a unit), two 1 t trucks per depot, 1 h drives, 12 h
    deadline: trucks never bind. Demand X 20, Y 40, Z 60, U 30; persons
    X 100, Y 1,000, Z 100, U 100.

    Leximin by hand over the servable points X, Y, Z: X can get at most
    10/20 = 0.5 (B's stock), so round 1 raises everybody to 0.5 and fixes
    X there; round 2 spreads A's 90 units over Y and Z's 100 units of
    demand: 0.9 each (Y 36, Z 54). U is unservable (no road) and is left
    out. Objective (a) alone prefers Y (10× the persons per unit): Y 40,
    Z 50, shares 1 and 5/6.
    """
    return AllocationProblem.from_arrays(
        item_ids=["water"],
        weight_kg=[10.0],
        volume_m3=[0.01],
        depot_ids=["A", "B"],
        source_ids=["A", "B"],
        source_depot=["A", "B"],
        stock=[[90.0], [10.0]],
        point_ids=["X", "Y", "Z", "U"],
        persons=[100, 1000, 100, 100],
        demand=[[20.0], [40.0], [60.0], [30.0]],
        travel_time_h=[[NAN, 1.0, 1.0, NAN], [1.0, NAN, NAN, NAN]],
        fleet_ids=["A", "B"],
        fleet_depot=["A", "B"],
        capacity_kg=[1000.0, 1000.0],
        capacity_m3=[10.0, 10.0],
        fleet_count=[2, 2],
    )


def near_and_far() -> AllocationProblem:
    """Point P needs 100 units; depot N (40 km) holds 60, depot F (80 km) holds 100.

    Every plan that delivers all 100 units has ton-km ≥ 10 kg × (60 × 40 +
    40 × 80) / 1000 = 56 (all of N first); delivering 90 units costs at least
    10 × (60 × 40 + 30 × 80) / 1000 = 48.
    """
    return AllocationProblem.from_arrays(
        item_ids=["water"],
        weight_kg=[10.0],
        volume_m3=[0.01],
        depot_ids=["N", "F"],
        source_ids=["N", "F"],
        source_depot=["N", "F"],
        stock=[[60.0], [100.0]],
        point_ids=["P"],
        persons=[500],
        demand=[[100.0]],
        travel_time_h=[[1.0], [2.0]],
        distance_km=[[40.0], [80.0]],
        fleet_ids=["N", "F"],
        fleet_depot=["N", "F"],
        capacity_kg=[1000.0, 1000.0],
        capacity_m3=[10.0, 10.0],
        fleet_count=[2, 2],
    )


def point_shares(p: AllocationProblem, covered: np.ndarray) -> np.ndarray:
    """Weighted met share of each point (0 without demand)."""
    need = p.demand > 0
    om = np.where(need, p.item_weight[None, :], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(need, covered / p.demand, 0.0)
        return np.where(om.sum(axis=1) > 0, (om * frac).sum(axis=1) / om.sum(axis=1), 0.0)


# ------------------------------------------------------------------ equity / leximin


@pytest.mark.parametrize("variant", VARIANTS)
def test_equity_is_leximin_over_servable_points(variant: str) -> None:
    p = four_points()
    r = solve_allocation(p, AllocationParams(objective="equity", **VARIANTS[variant]))
    # the hand-computed leximin vector; the unreachable point gets nothing and is reported apart
    assert r.covered[:, 0] == pytest.approx([10.0, 36.0, 54.0, 0.0], abs=1e-6)
    assert point_shares(p, r.covered) == pytest.approx([0.5, 0.9, 0.9, 0.0], abs=1e-6)
    assert r.unservable_points == ("U",)
    levels = [v for n, v in r.stages if n.startswith("leximin_")]
    if variant == "mip":  # one position of the sorted vector per round
        assert levels == pytest.approx([0.5, 0.9, 0.9], abs=1e-6)
    else:  # X fixed in round 1, Y and Z together in round 2
        assert levels == pytest.approx([0.5, 0.9], abs=1e-6)
    assert [n for n, _ in r.stages][-2:] == ["delivered", "person_hours"]
    # equity measure (b) over the servable points: X's 0.5, not U's 1
    assert r.max_unmet_share == pytest.approx(0.5, abs=1e-6)
    assert r.demand_met_share_by_deadline == pytest.approx(share_met(p, r.covered), abs=1e-9)
    assert r.demand_met_share_by_deadline > 0.5


def test_equity_differs_from_delivered_and_lexicographic() -> None:
    p = four_points()
    delivered = solve_allocation(p, AllocationParams(objective="delivered"))
    assert delivered.covered[1:3, 0] == pytest.approx([40.0, 50.0], abs=1e-6)
    lex = solve_allocation(p, AllocationParams())
    assert lex.covered[1:3, 0] == pytest.approx([40.0, 50.0], abs=1e-6)
    # (b) over servable points tells plans apart: X's 0.5 is the worst, not U's 1
    assert lex.max_unmet_share == pytest.approx(0.5, abs=1e-9)
    assert dict(lex.stages)["equity"] == pytest.approx(0.5, abs=1e-9)
    equity = solve_allocation(p, AllocationParams(objective="equity"))
    assert equity.demand_met_share_by_deadline < delivered.demand_met_share_by_deadline - 0.01


def test_leximin_round_limit_holds_the_last_level() -> None:
    """With one round, Y and Z are only held at ≥ 0.5; (a) then prefers Y."""
    p = four_points()
    r = solve_allocation(p, AllocationParams(objective="equity", leximin_rounds=1))
    assert [n for n, _ in r.stages] == ["leximin_1", "delivered", "person_hours"]
    assert r.covered[:, 0] == pytest.approx([10.0, 40.0, 50.0, 0.0], abs=1e-6)


def test_unservable_points_in_summary() -> None:
    r = solve_allocation(four_points(), AllocationParams(objective="equity"))
    s = r.summary()
    assert s["unservable_points"] == [{"point": "U", "reasons": ["unreachable"]}]
    assert s["totals"]["points_unservable"] == 1
    assert s["objectives"]["max_unmet_share"] == pytest.approx(0.5)
    assert "U" not in [w["point"] for w in s["worst_points"]]
    assert json.dumps(s) == json.dumps(
        solve_allocation(four_points(), AllocationParams(objective="equity")).summary()
    )


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("objective", ["equity", "cost"])
def test_same_input_same_summary(variant: str, objective: str) -> None:
    p = medium_problem(2) if variant != "mip" else random_problem(5, max_trucks=3)
    params = AllocationParams(objective=objective, cost="ton_km", **VARIANTS[variant])
    a = json.dumps(solve_allocation(p, params).summary(), ensure_ascii=False)
    b = json.dumps(solve_allocation(p, params).summary(), ensure_ascii=False)
    assert a.encode() == b.encode()


@pytest.mark.parametrize("seed", range(40))
def test_leximin_matches_independent_ordered_outcomes(seed: int) -> None:
    """LP leximin (rounds fixing blocked points) = leximin by ordered outcomes (scipy HiGHS)."""
    p = random_problem(seed, max_trucks=3, groups_per_depot=1 + seed % 2)
    cost = "ton_km" if seed % 2 else "person_hours"
    r = solve_allocation(p, AllocationParams(objective="equity", cost=cost))
    theirs = pooled_lp(p, objective="equity", cost=cost)
    assert sorted_shares(p, r.covered) == pytest.approx(theirs["leximin"], abs=1e-6)
    mine = dict(r.stages)
    assert mine["delivered"] == pytest.approx(theirs["delivered"], rel=1e-6, abs=1e-9)
    assert mine[cost] == pytest.approx(theirs[cost], rel=1e-6, abs=1e-9)
    ok = servable(p)
    expected = tuple(p.point_ids[j] for j in range(p.num_points) if p.demand[j].sum() > 0 and not ok[j])
    assert r.unservable_points == expected


@pytest.mark.parametrize("seed", range(6))
def test_leximin_column_generation_equals_full_lp(seed: int) -> None:
    p = medium_problem(seed)
    full = solve_allocation(p, AllocationParams(objective="equity"))
    cg = solve_allocation(p, AllocationParams(objective="equity", column_generation=True))
    assert [n for n, _ in cg.stages] == [n for n, _ in full.stages]
    for (name, x), (_, y) in zip(cg.stages, full.stages, strict=True):
        assert x == pytest.approx(y, rel=1e-6, abs=1e-8), name
    assert sorted(point_shares(p, cg.covered)) == pytest.approx(
        sorted(point_shares(p, full.covered)), abs=1e-6
    )
    assert check_lp_plan(p, cg) == []


@pytest.mark.parametrize("seed", range(20))
def test_max_unmet_share_over_servable_points(seed: int) -> None:
    p = random_problem(seed)
    r = solve_allocation(p)
    ok = servable(p)
    shares = point_shares(p, r.covered)
    rated = [j for j in range(p.num_points) if ok[j] and p.demand[j].sum() > 0]
    assert r.max_unmet_share == pytest.approx(max((1 - shares[j] for j in rated), default=0.0), abs=1e-9)
    structural = {"no_stock", "unreachable", "too_far", "no_trucks"}
    for pid in r.unservable_points:
        reasons = {s.reason for s in r.shortfalls if s.point_id == pid}
        assert reasons and reasons <= structural
        assert shares[p.point_ids.index(pid)] == 0.0


# ------------------------------------------------------------------ cost modes deliver


@pytest.mark.parametrize("variant", VARIANTS)
def test_ton_km_mode_delivers_and_is_cheapest(variant: str) -> None:
    p = near_and_far()
    kw = VARIANTS[variant]
    delivered = solve_allocation(p, AllocationParams(objective="delivered", **kw))
    r = solve_allocation(p, AllocationParams(objective="cost", cost="ton_km", **kw))
    assert r.demand_met_share_by_deadline == pytest.approx(1.0, abs=1e-9)
    assert r.ton_km == pytest.approx(56.0, abs=1e-6)
    assert r.ton_km <= delivered.ton_km + 1e-9
    assert [n for n, _ in r.stages] == ["delivered", "ton_km"]


@pytest.mark.parametrize("cost", ["ton_km", "person_hours"])
@pytest.mark.parametrize("seed", range(15))
def test_cost_modes_deliver_like_delivered_mode(seed: int, cost: str) -> None:
    p = random_problem(seed, max_trucks=3)
    delivered = solve_allocation(p, AllocationParams(objective="delivered", cost=cost))
    r = solve_allocation(p, AllocationParams(objective="cost", cost=cost))
    assert r.demand_met_share_by_deadline == pytest.approx(delivered.demand_met_share_by_deadline, abs=1e-6)
    assert getattr(r, cost) <= getattr(delivered, cost) + 1e-6 * max(1.0, getattr(delivered, cost))
    assert dict(r.stages) == pytest.approx(pooled_lp(p, objective="cost", cost=cost), rel=1e-6, abs=1e-9)


def test_min_delivered_share_hand() -> None:
    """Ton-km pushes (a) down to the allowed 0.9 × a*: 60 units from N, 30 from F."""
    p = near_and_far()
    r = solve_allocation(p, AllocationParams(objective="cost", cost="ton_km", min_delivered_share=0.9))
    assert dict(r.stages)["delivered"] == pytest.approx(1.0)
    assert r.demand_met_share_by_deadline == pytest.approx(0.9, abs=1e-7)
    assert r.ton_km == pytest.approx(48.0, abs=1e-5)


@pytest.mark.parametrize("objective", ["cost", "lexicographic", "equity"])
@pytest.mark.parametrize("seed", range(10))
def test_min_delivered_share(seed: int, objective: str) -> None:
    p = random_problem(seed, max_trucks=3)
    params = AllocationParams(objective=objective, cost="ton_km", min_delivered_share=0.9)
    r = solve_allocation(p, params)
    a_star = dict(r.stages)["delivered"]
    assert r.demand_met_share_by_deadline >= 0.9 * a_star - 1e-8
    if objective != "equity":  # (a) first: a* is the best achievable demand met
        best = solve_allocation(p, AllocationParams(objective="delivered")).demand_met_share_by_deadline
        assert a_star == pytest.approx(best, abs=1e-9)
        theirs = pooled_lp(p, objective=objective, cost="ton_km", min_share=0.9)
        assert dict(r.stages) == pytest.approx(theirs, rel=1e-6, abs=1e-9)


# ------------------------------------------------------------------ parameters


@pytest.mark.parametrize("value", [0.0, -0.1, 1.5, math.nan, True])
def test_min_delivered_share_validated(value: float) -> None:
    with pytest.raises(AllocationInputError, match="min_delivered_share"):
        AllocationParams(min_delivered_share=value)


@pytest.mark.parametrize("value", [0, -1, 2.5, True])
def test_leximin_rounds_validated(value: int) -> None:
    with pytest.raises(AllocationInputError, match="leximin_rounds"):
        AllocationParams(leximin_rounds=value)
