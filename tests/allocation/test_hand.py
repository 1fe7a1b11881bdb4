"""Hand-worked allocation cases: capacities, deadlines, windows, reasons, substitution."""

from __future__ import annotations

import numpy as np
import pytest

from logistics.allocation import (
    AllocationParams,
    AllocationProblem,
    Substitution,
    build_schedule,
    solve_allocation,
)
from tests.allocation._checker import check_schedule


def single(
    *,
    weight_kg=(10.0,),
    volume_m3=(0.01,),
    stock=(100.0,),
    demand=(50.0,),
    travel_h=1.0,
    deadline_h=12.0,
    cap_kg=1000.0,
    cap_m3=10.0,
    trucks=1,
    ready_h=0.0,
    load_h=0.5,
    unload_h=0.5,
    substitutions=(),
):
    """One depot, one source, one truck group, one point (cycle = 3 h when τ = 1 h)."""
    K = len(weight_kg)
    return AllocationProblem.from_arrays(
        item_ids=[f"i{k}" for k in range(K)],
        weight_kg=weight_kg,
        volume_m3=volume_m3,
        depot_ids=["D"],
        source_ids=["D-own"],
        source_depot=["D"],
        ready_h=ready_h,
        stock=[list(stock)],
        point_ids=["P"],
        persons=[100],
        demand=[list(demand)],
        deadline_h=deadline_h,
        travel_time_h=[[travel_h]],
        fleet_ids=["D-trucks"],
        fleet_depot=["D"],
        capacity_kg=[cap_kg],
        capacity_m3=[cap_m3],
        fleet_count=[trucks],
        load_h=load_h,
        unload_h=unload_h,
        substitutions=substitutions,
    )


def solve(p, **kw):
    r = solve_allocation(p, AllocationParams(integer_trips=True, **kw))
    assert check_schedule(p, r, build_schedule(p, r)) == []
    return r


def test_two_items_all_delivered() -> None:
    p = single(weight_kg=(10.0, 20.0), volume_m3=(0.01, 0.02), stock=(100, 100), demand=(50, 30))
    r = solve(p)
    np.testing.assert_allclose(r.covered, [[50, 30]])
    assert r.demand_met_share_by_deadline == pytest.approx(1.0)
    assert r.max_unmet_share == pytest.approx(0.0)
    assert r.shortfalls == ()
    # 50·10 + 30·20 = 1,100 kg: two trips of a 1,000 kg truck
    assert sum(t.trips for t in r.truck_trips) == 2


def test_weight_binds() -> None:
    # 100 kg units, 1,000 kg truck: 10 units a trip; deadline 5 h: trips unload at 2 h and 5 h
    p = single(weight_kg=(100.0,), volume_m3=(0.1,), demand=(50.0,), deadline_h=5.0)
    r = solve(p)
    assert r.covered[0, 0] == pytest.approx(20.0)
    assert [s.reason for s in r.shortfalls] == ["no_trucks"]
    assert r.shortfalls[0].unmet == pytest.approx(30.0)


def test_volume_binds() -> None:
    # 10 kg but 1 m³ units, 5 m³ truck: 5 units a trip, two trips by 5 h
    p = single(weight_kg=(10.0,), volume_m3=(1.0,), cap_m3=5.0, deadline_h=5.0)
    r = solve(p)
    assert r.covered[0, 0] == pytest.approx(10.0)
    trips = build_schedule(p, r)
    assert [t.volume_m3 for t in trips] == pytest.approx([5.0, 5.0])
    assert [t.weight_kg for t in trips] == pytest.approx([50.0, 50.0])


@pytest.mark.parametrize(
    ("deadline_h", "expected"), [(1.9, 0.0), (2.0, 10.0), (4.9, 10.0), (5.0, 20.0), (8.0, 30.0)]
)
def test_deadline_cuts_trips(deadline_h: float, expected: float) -> None:
    """Trips start at 0, 3, 6 h and unload at 2, 5, 8 h."""
    p = single(weight_kg=(100.0,), volume_m3=(0.1,), deadline_h=deadline_h)
    r = solve(p)
    assert r.covered[0, 0] == pytest.approx(expected)
    assert max((t.unloaded_h for t in build_schedule(p, r)), default=0.0) <= deadline_h


def test_lp_pools_fractional_trips() -> None:
    """The LP relaxation can use the 4th hour before the deadline: 4/3 trips."""
    p = single(weight_kg=(100.0,), volume_m3=(0.1,), deadline_h=3.0)  # due (return) 4 h
    r = solve_allocation(p)
    assert r.covered[0, 0] == pytest.approx(10.0 * 4.0 / 3.0)
    assert solve(p).covered[0, 0] == pytest.approx(10.0)


def test_contract_stock_window() -> None:
    """Stock ready at 3 h: first trip loads at 3 h, unloads at 5 h."""
    p = single(weight_kg=(100.0,), volume_m3=(0.1,), ready_h=3.0, deadline_h=7.9)
    r = solve(p)
    assert r.covered[0, 0] == pytest.approx(10.0)
    (trip,) = build_schedule(p, r)
    assert trip.start_h == pytest.approx(3.0)
    assert trip.unloaded_h == pytest.approx(5.0)


def test_own_then_contract_windows() -> None:
    """Own stock in [0, 3), contract stock from 3 h; trips may not straddle 3 h."""
    p = AllocationProblem.from_arrays(
        item_ids=["tent"],
        weight_kg=[100.0],
        volume_m3=[0.1],
        depot_ids=["D"],
        source_ids=["own", "contract"],
        source_depot=["D", "D"],
        ready_h=[0.0, 3.0],
        source_kind=["own", "contract"],
        stock=[[5.0], [100.0]],
        point_ids=["P"],
        persons=[100],
        demand=[[100.0]],
        deadline_h=8.0,
        travel_time_h=[[1.0]],
        fleet_ids=["T"],
        fleet_depot=["D"],
        capacity_kg=[1000.0],
        capacity_m3=[10.0],
        fleet_count=[1],
    )
    r = solve(p)
    # trips at 0 (5 own units), 3 and 6 (contract, or own leftovers): 25 units
    assert r.covered[0, 0] == pytest.approx(25.0)
    assert r.stock_used[0, 0] == pytest.approx(5.0)


def test_unreachable_point() -> None:
    p = single(travel_h=np.nan)
    r = solve(p)
    assert r.covered[0, 0] == 0.0
    assert [(s.point_id, s.item_id, s.reason) for s in r.shortfalls] == [("P", "i0", "unreachable")]


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"travel_h": 20.0}, "too_far"),
        ({"ready_h": 11.0}, "too_far"),
        ({"stock": (0.0,)}, "no_stock"),
        ({"trucks": 0}, "no_trucks"),
        ({"stock": (20.0,)}, "stock_exhausted"),
        ({"weight_kg": (100.0,), "deadline_h": 2.0}, "no_trucks"),
    ],
)
def test_shortfall_reasons(kwargs: dict, reason: str) -> None:
    r = solve(single(**kwargs))
    assert [s.reason for s in r.shortfalls] == [reason]


def test_pruned_reason_and_competition() -> None:
    """Two points, two depots; with one depot per point the far depot is cut off."""
    p = AllocationProblem.from_arrays(
        item_ids=["water"],
        weight_kg=[10.0],
        volume_m3=[0.01],
        depot_ids=["A", "B"],
        source_ids=["A", "B"],
        source_depot=["A", "B"],
        stock=[[10.0], [100.0]],
        point_ids=["X", "Y"],
        persons=[100, 100],
        priority=[2.0, 1.0],
        demand=[[50.0], [50.0]],
        travel_time_h=[[1.0, 1.0], [2.0, 2.0]],
        fleet_ids=["A", "B"],
        fleet_depot=["A", "B"],
        capacity_kg=[1000.0, 1000.0],
        capacity_m3=[10.0, 10.0],
        fleet_count=[1, 1],
    )
    full = solve(p)
    assert full.shortfalls == ()
    pruned = solve_allocation(p, AllocationParams(max_depots_per_point=1))
    # A is nearest to both; A's 10 units go to the higher-priority point X
    assert pruned.covered[:, 0] == pytest.approx([10.0, 0.0], abs=1e-6)
    assert {(s.point_id, s.reason) for s in pruned.shortfalls} == {
        ("X", "pruned"),
        ("Y", "pruned"),
    }
    scarce = solve(p.__class__.from_arrays(**{**_kw(p), "stock": [[10.0], [0.0]]}))
    assert scarce.covered[:, 0] == pytest.approx([10.0, 0.0], abs=1e-6)
    assert {(s.point_id, s.reason) for s in scarce.shortfalls} == {
        ("X", "stock_exhausted"),
        ("Y", "stock_exhausted"),
    }


def _kw(p: AllocationProblem) -> dict:
    return {
        "item_ids": p.item_ids,
        "weight_kg": p.weight_kg,
        "volume_m3": p.volume_m3,
        "depot_ids": p.depot_ids,
        "source_ids": p.source_ids,
        "source_depot": [p.depot_ids[d] for d in p.source_depot],
        "point_ids": p.point_ids,
        "persons": p.persons,
        "priority": p.priority,
        "demand": p.demand,
        "travel_time_h": p.travel_time_h,
        "fleet_ids": p.fleet_ids,
        "fleet_depot": [p.depot_ids[d] for d in p.fleet_depot],
        "capacity_kg": p.capacity_kg,
        "capacity_m3": p.capacity_m3,
        "fleet_count": p.fleet_count,
    }


def test_equity_spreads_shortage() -> None:
    """Equal priorities and sizes: stage (b) splits 60 units 30/30, not 50/10."""
    p = AllocationProblem.from_arrays(
        item_ids=["water"],
        weight_kg=[10.0],
        volume_m3=[0.01],
        depot_ids=["A"],
        source_ids=["A"],
        source_depot=["A"],
        stock=[[60.0]],
        point_ids=["X", "Y"],
        persons=[100, 100],
        demand=[[50.0], [50.0]],
        travel_time_h=[[1.0, 2.0]],
        fleet_ids=["A"],
        fleet_depot=["A"],
        capacity_kg=[1000.0],
        capacity_m3=[10.0],
        fleet_count=[2],
    )
    r = solve(p)
    assert r.covered[:, 0] == pytest.approx([30.0, 30.0])
    assert r.max_unmet_share == pytest.approx(0.4)
    only_a = solve_allocation(p, AllocationParams(objective="delivered"))
    assert only_a.demand_met_share_by_deadline == pytest.approx(0.6)


def test_substitution_only_when_allowed() -> None:
    kw = {"weight_kg": (20.0, 2.0), "volume_m3": (0.2, 0.02), "stock": (0.0, 100.0)}
    without = solve(single(**kw, demand=(10.0, 0.0)))
    assert [s.reason for s in without.shortfalls] == ["no_stock"]
    with_sub = solve(single(**kw, demand=(10.0, 0.0), substitutions=[Substitution("i0", "i1", 2.0)]))
    assert with_sub.covered[0] == pytest.approx([10.0, 0.0])
    assert with_sub.delivered[0] == pytest.approx([0.0, 20.0])
    assert with_sub.substitutions_used == (("P", "i0", "i1", pytest.approx(20.0)),)


def test_no_source_at_all_is_a_shortage_not_a_crash() -> None:
    """Every depot failed (a sweep variant): no sources, so every need is unmet with reason no_stock."""
    p = AllocationProblem.from_arrays(
        item_ids=["tent", "quilt"], weight_kg=[30.0, 2.0], volume_m3=[0.1, 0.02], depot_ids=["A"],
        source_ids=[], source_depot=[], stock=np.zeros((0, 2)), point_ids=["X"], persons=[100],
        demand=[[10.0, 20.0]], travel_time_h=[[1.0]], fleet_ids=["A-t"], fleet_depot=["A"],
        capacity_kg=[1000.0], capacity_m3=[10.0], fleet_count=[1],
    )  # fmt: skip
    r = solve_allocation(p)
    assert r.demand_met_share_by_deadline == 0.0
    assert {s.reason for s in r.shortfalls} == {"no_stock"} and len(r.shortfalls) == 2
