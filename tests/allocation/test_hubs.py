"""Transfer hubs (中转站): hand-worked cases, an independent LP, a feasibility checker."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from logistics.allocation import AllocationParams, AllocationProblem, Hub, build_schedule, solve_allocation
from logistics.exceptions import AllocationInputError
from tests.allocation._hub_checker import check_hub_plan
from tests.allocation._independent_hubs import pooled_lp_hubs
from tests.allocation._instances import hub_problem

SEEDS = range(36)


def _line(hub: Hub | None, *, direct_h: float = 5.0, stock: float = 1000.0) -> AllocationProblem:
    """Depot A (stock, 1 truck of 1 t) 5 h from X; hub H (2 trucks of 1 t) 1 h from X, 3 h from A.

    Tents of 10 kg; X needs 300 by 12 h; loading and unloading 0.5 h each.
    """
    return AllocationProblem.from_arrays(
        item_ids=["tent"],
        weight_kg=[10.0],
        volume_m3=[0.01],
        depot_ids=["A", "H"],
        source_ids=["A-own"],
        source_depot=["A"],
        stock=[[stock]],
        point_ids=["X"],
        persons=[300],
        demand=[[300.0]],
        travel_time_h=[[direct_h], [1.0]],
        fleet_ids=["A-t", "H-t"],
        fleet_depot=["A", "H"],
        capacity_kg=[1000.0, 1000.0],
        capacity_m3=[20.0, 20.0],
        fleet_count=[1, 2],
        deadline_h=12.0,
        hubs=[hub] if hub else [],
        hub_travel_time_h=[[3.0], [0.0]] if hub else None,
    )


DELIVERED = AllocationParams(objective="delivered")


def test_hub_beats_direct_by_hand() -> None:
    """Direct only: the truck's 17 h budget (due = 12 h + 5 h) over 11 h cycles → 17/11 trips = 1700/11 tents.

    Through H (cut-off 4 h): one 7 h cycle A → H due at 4 h + 3 h, then 10/11 of a direct trip in
    the 10 h left → 100 + 1000/11 = 2100/11 tents; H's trucks carry the 100 from 5 h.
    """
    r0 = solve_allocation(_line(None), DELIVERED)
    assert r0.covered[0, 0] == pytest.approx(1700 / 11, rel=1e-7)
    p = _line(Hub("H", (4.0,), handling_h=1.0))
    r = solve_allocation(p, DELIVERED)
    assert r.covered[0, 0] == pytest.approx(2100 / 11, rel=1e-7)
    legs = {f.leg: f for f in r.flows}
    assert legs["to_hub"].quantity == pytest.approx(100.0, rel=1e-7)
    assert legs["to_hub"].point_id == "H⇐4h" and legs["to_hub"].hub_id == "H"
    assert legs["direct"].quantity == pytest.approx(1000 / 11, rel=1e-7)
    assert legs["from_hub"].quantity == pytest.approx(100.0, rel=1e-7)
    assert legs["from_hub"].window_start_h == 5.0 and legs["from_hub"].depot_id == "H"
    (t,) = r.transfers
    assert (t.hub_id, t.cutoff_h, t.ready_h) == ("H", 4.0, 5.0)
    assert t.received == pytest.approx(100.0, rel=1e-7) and t.sent == pytest.approx(100.0, rel=1e-7)
    assert r.summary()["hubs"] == [
        {"hub": "H", "received_t": 1.0, "received_units": 100.0, "sent_units": 100.0}
    ]
    assert r.point_ids == ("X",) and r.source_ids == ("A-own",)
    assert check_hub_plan(p, r) == []


def test_hub_delay_too_long_is_not_used() -> None:
    """Handling 8 h: ready at 12 h, unloaded at X at 14 h > 12 h: the hub cannot help."""
    p = _line(Hub("H", (4.0,), handling_h=8.0))
    r = solve_allocation(p, DELIVERED)
    assert not r.transfers and all(f.leg == "direct" for f in r.flows)
    assert r.covered[0, 0] == pytest.approx(1700 / 11, rel=1e-7)


def test_hub_throughput_is_respected() -> None:
    """Throughput 300 kg/h, cut-off 5 h, first unloading at H at 4 h → 300 kg through H.

    A's truck: 0.3 of a 7 h cycle to H, then (17 − 2.1)/11 direct trips: 300 kg + 14.9/11 t.
    """
    p = _line(Hub("H", (5.0,), handling_h=1.0, throughput_kg_h=300.0))
    r = solve_allocation(p, DELIVERED)
    assert r.covered[0, 0] == pytest.approx(30 + 1490 / 11, rel=1e-7)
    (t,) = r.transfers
    assert t.received_kg == pytest.approx(300.0, rel=1e-7)
    assert check_hub_plan(p, r) == []
    # at the first possible unloading the hub has had no time to receive anything
    r4 = solve_allocation(_line(Hub("H", (4.0,), throughput_kg_h=300.0)), DELIVERED)
    assert not r4.transfers


def test_hub_waves_carry_goods_forward() -> None:
    """Two waves: what arrives by 4 h may leave at 5 h or at 9 h; never more than arrived."""
    p = _line(Hub("H", (4.0, 8.0), handling_h=1.0))
    r = solve_allocation(p)
    assert check_hub_plan(p, r) == []
    got = sum(t.received for t in r.transfers)
    sent = sum(t.sent for t in r.transfers)
    assert sent == pytest.approx(got, rel=1e-7)
    assert (
        r.demand_met_share_by_deadline
        >= solve_allocation(_line(Hub("H", (4.0,)))).demand_met_share_by_deadline - 1e-9
    )


def test_direct_route_enough_means_no_hub() -> None:
    """A 1.5 h from X: direct trips deliver everything sooner; the hub only adds delay."""
    p = _line(Hub("H", (4.0,)), direct_h=1.5)
    r = solve_allocation(p)
    assert r.demand_met_share_by_deadline == pytest.approx(1.0)
    assert not r.transfers


def _better(a: dict[str, float], b: dict[str, float]) -> int:
    """+1 if stages ``a`` beat ``b`` lexicographically ((a) up, (b) down, (c) down), -1 if worse, 0 if tied."""
    for name, sign in (("delivered", 1), ("equity", -1), ("person_hours", -1)):
        x, y = a[name], b[name]
        if abs(x - y) > 1e-6 * max(1.0, abs(y)):
            return 1 if (x - y) * sign > 0 else -1
    return 0


@pytest.mark.parametrize("seed", SEEDS)
def test_hub_used_exactly_when_it_beats_direct(seed: int) -> None:
    """Random instances: the plan is feasible (checker), equals an independent LP, and uses the hub
    exactly when that beats the same instance without it (lexicographic objective)."""
    p = hub_problem(seed)
    r = solve_allocation(p)
    assert check_hub_plan(p, r) == []
    mine, theirs = dict(r.stages), pooled_lp_hubs(p)
    for name, value in theirs.items():
        assert mine[name] == pytest.approx(value, rel=1e-6, abs=1e-9), name
    r0 = solve_allocation(hub_problem(seed, hubs=False))
    verdict = _better(mine, dict(r0.stages))
    assert verdict >= 0
    assert bool(r.transfers) == (verdict > 0)


def test_hub_input_errors_name_the_field() -> None:
    base = _line(None)
    with pytest.raises(AllocationInputError) as err:
        _line(Hub("nowhere"))
    assert "hubs[0].depot_id" in str(err.value)
    with pytest.raises(AllocationInputError) as err:
        _line(Hub("H", (5.0, 4.0)))
    assert "hubs[0].cutoffs_h" in str(err.value)
    with pytest.raises(AllocationInputError) as err:
        _line(Hub("H", throughput_kg_h=0.0))
    assert "hubs[0].throughput_kg_h" in str(err.value)
    with pytest.raises(AllocationInputError) as err:
        AllocationProblem.from_arrays(
            **{f: getattr(base, f) for f in ("item_ids", "weight_kg", "volume_m3", "depot_ids", "source_ids")},
            source_depot=["A"], stock=base.stock, point_ids=base.point_ids, persons=base.persons,
            demand=base.demand, travel_time_h=base.travel_time_h, fleet_ids=base.fleet_ids,
            fleet_depot=["A", "H"], capacity_kg=base.capacity_kg, capacity_m3=base.capacity_m3,
            fleet_count=base.fleet_count, hubs=[Hub("H")], hub_travel_time_h=[[1.0]],
        )  # fmt: skip
    assert "hub_travel_time_h" in str(err.value)


def test_transfers_frame() -> None:
    r = solve_allocation(_line(Hub("H", (4.0,))), DELIVERED)
    frames = r.to_frames()
    assert list(frames["transfers"]["hub_id"]) == ["H"]
    assert set(frames["flows"]["leg"]) == {"to_hub", "direct", "from_hub"}
    assert math.isclose(float(np.sum(r.stock_used)), 100 + 1000 / 11, rel_tol=1e-7)


@pytest.mark.parametrize("seed", range(6))
def test_integer_trips_through_hubs_give_a_feasible_schedule(seed: int) -> None:
    """Whole trips: the plan passes the checker, and the truck schedule keeps the cut-offs."""
    p = hub_problem(seed)
    r = solve_allocation(p, AllocationParams(integer_trips=True))
    assert check_hub_plan(p, r) == []
    hubs = {h.depot_id: h for h in p.hubs}
    by_truck: dict[tuple[str, int], list] = {}
    for t in build_schedule(p, r):
        by_truck.setdefault((t.fleet_id, t.truck), []).append(t)
        if "⇐" in t.point_id:
            hub, cutoff = t.point_id.split("⇐")
            assert float(cutoff.rstrip("h")) in hubs[hub].cutoffs_h
            assert t.unloaded_h <= float(cutoff.rstrip("h")) + 1e-9
    for trips in by_truck.values():
        trips.sort(key=lambda t: t.start_h)
        assert all(b.start_h >= a.return_h - 1e-9 for a, b in itertools.pairwise(trips))
