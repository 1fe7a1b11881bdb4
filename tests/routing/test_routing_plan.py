"""Routing engine on tiny, hand-checkable instances (iteration limits, fixed seeds)."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from logistics.routing import (
    RoutingParams,
    RoutingProblem,
    ServiceTimes,
    Shipment,
    VehicleType,
    check_routes,
    plan_routes,
    plan_routes_with_feedback,
)
from tests.routing.helpers import bags, euclid_matrices, random_problem, star_problem

PARAMS = RoutingParams(seed=1, max_iterations=300)


def _solve(problem: RoutingProblem, params: RoutingParams = PARAMS):
    result = plan_routes(problem, params)
    assert check_routes(problem, result) == []
    return result


def _route_cost(tt: np.ndarray, ids: list[str], order: tuple[str, ...]) -> float:
    path = ["D", *order, "D"]
    return sum(tt[ids.index(a), ids.index(b)] for a, b in itertools.pairwise(path))


def test_single_trip_is_the_brute_force_optimum():
    xy = {"D": (0, 0), "A": (0, 10), "B": (10, 12), "C": (11, 1), "E": (4, 5)}
    ids, tt, dist = euclid_matrices(xy)
    ships = [bags("D", p, 1.0) for p in "ABCE"]
    problem = RoutingProblem.from_matrices(ships, [VehicleType("D", "truck", 10_000, 50, 1)], ids, tt, dist)
    result = _solve(problem)
    (route,) = result.routes
    (trip,) = route.trips
    order = tuple(s.point_id for s in trip.stops)
    costs = {p: _route_cost(tt, ids, p) for p in itertools.permutations("ABCE")}
    best = min(costs.values())
    assert costs[order] == pytest.approx(best, rel=1e-9)
    assert trip.return_s == pytest.approx(best, rel=1e-9)
    # of the two orientations of the optimal tour, the one with earlier arrivals is driven
    rev = tuple(reversed(order))
    arrivals = np.cumsum([tt[ids.index(a), ids.index(b)] for a, b in itertools.pairwise(["D", *order])])
    arrivals_rev = np.cumsum([tt[ids.index(a), ids.index(b)] for a, b in itertools.pairwise(["D", *rev])])
    assert arrivals.sum() <= arrivals_rev.sum() + 1e-6


def _partitions(items: list[str]):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        for k in range(len(part)):
            yield [*part[:k], [first, *part[k]], *part[k + 1 :]]
        yield [[first], *part]


def test_multi_trip_distance_is_the_brute_force_optimum():
    xy = {"D": (0, 0), "A": (2, 9), "B": (9, 8), "C": (10, -3), "E": (-6, 4), "F": (-3, -8)}
    tonnes = {"A": 4.0, "B": 3.0, "C": 5.0, "E": 2.0, "F": 4.0}
    ids, tt, dist = euclid_matrices(xy)
    ships = [bags("D", p, t) for p, t in tonnes.items()]
    problem = RoutingProblem.from_matrices(ships, [VehicleType("D", "truck", 8000, 50, 1)], ids, tt, dist)
    result = _solve(problem, RoutingParams(seed=3, max_iterations=500, objective="distance"))
    best = math_inf = float("inf")
    for part in _partitions(list(tonnes)):
        if any(sum(tonnes[p] for p in block) > 8.0 for block in part):
            continue
        total = sum(
            min(_route_cost(dist, ids, perm) for perm in itertools.permutations(block)) for block in part
        )
        best = min(best, total)
    assert best < math_inf
    assert result.total_distance_m() == pytest.approx(best, rel=1e-9)
    assert result.cost() == pytest.approx(best, rel=1e-9)
    assert len(result.routes) == 1 and len(result.routes[0].trips) >= 3


def test_short_fleet_reloads_for_three_trips_on_time():
    # 1 truck of 10 t, 25 t to deliver 1 h away: 3 trips, by hand:
    # ready 1.0 h, load 0.5 h, drive 1 h, unload 0.25 h, drive back 1 h -> 2.75 h per trip
    problem = star_problem(
        [bags("D", "P", 25.0)],
        [VehicleType("D", "truck", 10_000, 100, 1)],
        {"P": 1.0},
        ready_h={"D": 1.0},
        deadline_h={"P": 9.0},
        service=ServiceTimes(load_s=1800, unload_s=900),
    )
    result = _solve(problem)
    (route,) = result.routes
    assert len(route.trips) == 3
    arrivals_h = [t.stops[0].arrival_s / 3600 for t in route.trips]
    assert arrivals_h == pytest.approx([2.5, 5.25, 8.0])
    assert sorted(t.weight_kg for t in route.trips) == pytest.approx([5000, 10000, 10000])
    assert result.is_feasible() and result.is_complete()
    assert result.summary()["last_arrival_h"] == pytest.approx(8.0)
    assert all(t.is_direct for t in route.trips)


def test_split_delivery_uses_two_trucks_when_one_trip_each_meets_the_deadline():
    problem = star_problem(
        [bags("D", "P", 16.0)],
        [VehicleType("D", "truck", 10_000, 100, 2)],
        {"P": 1.0},
        deadline_h={"P": 2.5},
    )
    result = _solve(problem)
    assert len(result.routes) == 2
    assert [len(r.trips) for r in result.routes] == [1, 1]
    loads = sorted(r.trips[0].stops[0].weight_kg for r in result.routes)
    assert loads == pytest.approx([6000, 10000])
    assert sum(x.quantity for _, _, s in result.stops() for x in s.loads) == 160
    assert result.is_feasible()


def test_parallel_trucks_preferred_for_earliest_arrivals():
    # two full truckloads to two points and two trucks: no deadline, yet both drive at once
    problem = star_problem(
        [bags("D", "A", 10.0), bags("D", "B", 10.0)],
        [VehicleType("D", "truck", 10_000, 100, 2)],
        {"A": 1.0, "B": 1.5},
    )
    result = _solve(problem)
    assert len(result.routes) == 2
    assert result.last_arrival_s() == pytest.approx(1.5 * 3600)


@pytest.mark.parametrize(
    ("kg", "m3", "binding"),
    [(12_000, 10.0, "weight"), (5_000, 50.0, "volume")],
)
def test_weight_or_volume_binds(kg, m3, binding):
    n = 1000
    ship = Shipment("D", "P", "kit", n, kg, m3)
    problem = star_problem([ship], [VehicleType("D", "truck", 10_000, 40, 1)], {"P": 1.0})
    result = _solve(problem)
    trips = result.routes[0].trips
    assert len(trips) == 2
    full = max(trips, key=lambda t: t.weight_kg)
    if binding == "weight":
        assert full.weight_kg == pytest.approx(10_000, abs=kg / n)
        assert all(t.volume_m3 <= 40 for t in trips)
    else:
        assert full.volume_m3 == pytest.approx(40, abs=m3 / n)
        assert all(t.weight_kg <= 10_000 for t in trips)


def test_heterogeneous_fleet_per_depot():
    xy = {"D1": (0, 0), "D2": (30, 0), "P1": (5, 5), "P2": (25, 5), "P3": (15, -5)}
    ids, tt, dist = euclid_matrices(xy)
    ships = [
        bags("D1", "P1", 3.0),
        Shipment("D1", "P3", "generator", 2, 12_000, 6.0),  # 6 t a unit: only "big" fits
        bags("D2", "P2", 7.0),
        bags("D2", "P3", 2.0),
    ]
    fleet = [
        VehicleType("D1", "big", 20_000, 60, 1),
        VehicleType("D1", "small", 5_000, 20, 2, speed_factor=1.2),
        VehicleType("D2", "medium", 8_000, 30, 1, speed_factor=0.9),
    ]
    problem = RoutingProblem.from_matrices(ships, fleet, ids, tt, dist)
    result = _solve(problem)
    own = {"D1": {"big", "small"}, "D2": {"medium"}}
    for r in result.routes:
        assert r.vehicle_type in own[r.depot_id]
        for t in r.trips:
            for s in t.stops:
                if any(x.item_id == "generator" for x in s.loads):
                    assert r.vehicle_type == "big"
    d2 = [r for r in result.routes if r.depot_id == "D2"]
    assert sum(s.weight_kg for r in d2 for t in r.trips for s in t.stops) == pytest.approx(9000)


def test_missed_deadline_is_reported_and_fed_back():
    problem = star_problem(
        [bags("D", "FAR", 1.0), bags("D", "NEAR", 1.0)],
        [VehicleType("D", "truck", 10_000, 100, 2)],
        {"FAR": 2.0, "NEAR": 0.5},
        deadline_h={"FAR": 1.0, "NEAR": 1.0},
    )
    result = _solve(problem)
    assert not result.is_feasible()
    assert [(x.point_id, round(x.delay_s)) for x in result.late] == [("FAR", 3600)]
    assert result.feedback() == [("D", "FAR")]
    summary = result.summary()
    assert summary["point_arrivals"]["FAR"]["late"] is True
    assert summary["point_arrivals"]["NEAR"]["late"] is False
    assert summary["feedback_pairs"] == [["D", "FAR"]]


def test_arrival_behind_the_allocation_promise_is_reported():
    problem = star_problem(
        [bags("D", "P", 1.0, promised_h=0.5)],
        [VehicleType("D", "truck", 10_000, 100, 1)],
        {"P": 1.0},
        deadline_h={"P": 2.0},
    )
    result = _solve(problem)
    assert result.is_feasible()
    assert [(x.point_id, x.due_s) for x in result.behind_promise] == [("P", 1800.0)]
    assert result.feedback() == []
    assert result.feedback(include_promise=True) == [("D", "P")]


def test_trip_limit_leaves_explicit_unmet_lines():
    problem = star_problem(
        [bags("D", "P", 20.0)], [VehicleType("D", "truck", 10_000, 100, 1, max_trips=1)], {"P": 1.0}
    )
    result = _solve(problem)
    assert len(result.routes[0].trips) == 1
    assert [(u.reason, u.quantity) for u in result.unmet] == [("fleet_capacity", 100)]
    assert result.feedback() == [("D", "P")]


def test_working_time_limit_violation_is_reported():
    problem = star_problem(
        [bags("D", "P", 30.0)],
        [VehicleType("D", "truck", 10_000, 100, 1, max_duration_h=4.0)],
        {"P": 1.0},
    )
    result = _solve(problem)
    assert result.over_duration == ("D/truck#1",)
    assert not result.is_feasible()


def test_same_seed_and_iterations_give_identical_results_and_stats():
    problem = random_problem(7)
    params = RoutingParams(seed=5, max_iterations=200)
    a, b = plan_routes(problem, params), plan_routes(problem, params)
    assert check_routes(problem, a) == []
    assert a.routes == b.routes and a.late == b.late and a.unmet == b.unmet
    assert (a.stats.iterations, a.stats.objective, a.stats.n_clients) == (
        b.stats.iterations,
        b.stats.objective,
        b.stats.n_clients,
    )
    # two solves per depot: loads whole, then cut into pieces (split deliveries)
    assert a.stats.iterations == {"D1": 400, "D2": 400}
    assert a.summary() | {"stats": None} == b.summary() | {"stats": None}
    whole = plan_routes(problem, dataclasses.replace(params, split_share=None))
    assert whole.stats.iterations == {"D1": 200, "D2": 200}


def test_more_trucks_give_less_lateness_and_earlier_arrivals():
    base = random_problem(11, deadline_h=4.0)
    fleet = [
        VehicleType(vt.depot_id, vt.name, vt.capacity_kg, vt.capacity_m3, vt.count * 2, vt.speed_factor)
        for vt in base.fleet.vehicle_types
    ]
    more = RoutingProblem.from_matrices(
        base.shipments,
        fleet,
        base.ids,
        base.travel_time_s,
        base.distance_m,
        ready_h=base.ready_h,
        deadline_h=base.deadline_h,
        service=base.service,
    )
    a, b = _solve(base), _solve(more)
    assert a.late, "the base fleet should be short for this test to mean anything"
    assert sum(x.delay_s for x in b.late) < sum(x.delay_s for x in a.late)
    assert b.last_arrival_s() < a.last_arrival_s()


@pytest.mark.parametrize("module", ["logistics.routing.solve", "logistics.outputs._text"])
def test_docstring_examples(module):
    import doctest
    import importlib

    failed, attempted = doctest.testmod(importlib.import_module(module))
    assert attempted > 0 and failed == 0


def test_feedback_loop_moves_late_flows_to_another_depot():
    xy = {"FAR": (0, 0), "NEAR": (50, 0), "P": (60, 0)}
    ids, tt, dist = euclid_matrices(xy)  # 60 km/h: FAR->P 1 h, NEAR->P 10 min
    fleet = [VehicleType("FAR", "t", 10_000, 40, 1), VehicleType("NEAR", "t", 10_000, 40, 1)]
    problem = RoutingProblem.from_matrices(
        [bags("FAR", "P", 2.0)], fleet, ids, tt, dist, deadline_h={"P": 0.5}
    )
    calls = []

    def reallocate(pairs, result):
        calls.append(pairs)
        moved = {p for _, p in pairs}
        return [
            Shipment("NEAR", s.point_id, s.item_id, s.quantity, s.weight_kg, s.volume_m3)
            if s.point_id in moved
            else s
            for s in problem.shipments
        ]

    result, rounds = plan_routes_with_feedback(problem, reallocate, PARAMS)
    assert calls == [[("FAR", "P")]]
    assert rounds == 1
    assert result.is_feasible()
    assert {r.depot_id for r in result.routes} == {"NEAR"}


def test_feedback_loop_stops_when_the_allocation_cannot_change():
    problem = star_problem(
        [bags("D", "P", 1.0)],
        [VehicleType("D", "t", 10_000, 40, 1)],
        {"P": 2.0},
        deadline_h={"P": 1.0},
    )
    result, rounds = plan_routes_with_feedback(problem, lambda pairs, r: None, PARAMS)
    assert rounds == 0
    assert [x.point_id for x in result.late] == ["P"]


def test_search_still_reduces_lateness_when_deadlines_cannot_all_be_met():
    # PyVRP keeps only feasible solutions as "best"; the engine keeps the least-late one
    problem = random_problem(11, deadline_h=2.5, n_points=25)
    start = plan_routes(problem, RoutingParams(seed=1, max_iterations=0))
    searched = plan_routes(problem, RoutingParams(seed=1, max_iterations=500))
    assert check_routes(problem, searched) == []
    assert start.late and searched.late
    assert sum(x.delay_s for x in searched.late) < 0.8 * sum(x.delay_s for x in start.late)
