"""Hand-worked cases: receiving windows, release times, depot hours, split deliveries."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from logistics.exceptions import RoutingInputError
from logistics.routing import (
    PointService,
    RoutingParams,
    RoutingProblem,
    ServiceTimes,
    Shipment,
    VehicleType,
    check_routes,
    plan_routes,
)

from .helpers import random_problem

H = 3600.0
PARAMS = RoutingParams(seed=0, max_iterations=300)


def _stops(result):
    return [(s.point_id, s) for _, _, s in result.stops()]


# --- receiving windows -----------------------------------------------------------------


def _window_problem(**kw) -> RoutingProblem:
    """D; A 1 h away; B 1 h from D and 0.5 h from A. One truck, one trip."""
    ids = ["D", "A", "B"]
    tt = np.array([[0, 1, 1], [1, 0, 0.5], [1, 0.5, 0]]) * H
    ships = [Shipment("D", "A", "tent", 10, 300, 1), Shipment("D", "B", "tent", 10, 300, 1)]
    fleet = [VehicleType("D", "truck", 5000, 20, count=1, max_trips=1)]
    return RoutingProblem.from_matrices(ships, fleet, ids, tt, tt * 10, **kw)


def test_a_shelters_receiving_window_forces_a_wait():
    # A must be reached by 1.5 h, B receives only from 3 h: D→A (1 h) →B (1.5 h, waits 1.5 h)
    # unloads 10 min from 3 h, back at D at 4 h 10 min. D→B→A would reach A at 3.5 h: late.
    problem = _window_problem(
        deadline_h={"A": 1.5},
        earliest_h={"B": 3.0},
        service=ServiceTimes(unload_s=600),
    )
    result = plan_routes(problem, PARAMS)
    assert check_routes(problem, result) == []
    assert result.is_feasible()
    (trip,) = result.routes[0].trips
    a, b = trip.stops
    assert (a.point_id, b.point_id) == ("A", "B")
    assert (a.arrival_s, a.wait_s, a.departure_s) == (1 * H, 0.0, 1 * H + 600)
    assert b.arrival_s == pytest.approx(1 * H + 600 + 0.5 * H)
    assert b.wait_s == pytest.approx(3 * H - b.arrival_s)
    assert b.departure_s == pytest.approx(3 * H + 600)
    assert trip.return_s == pytest.approx(4 * H + 600)
    assert result.summary()["total_wait_h"] == pytest.approx(b.wait_s / H, abs=1e-4)


def test_a_truck_leaves_later_instead_of_waiting_at_its_first_stop():
    # only B, receiving from 3 h, 1 h away, 30 min loading: loading starts at 1.5 h, no wait
    problem = dataclasses.replace(
        _window_problem(earliest_h={"B": 3.0}, service=ServiceTimes(load_s=1800)),
        shipments=(Shipment("D", "B", "tent", 10, 300, 1),),
    )
    result = plan_routes(problem, PARAMS)
    assert check_routes(problem, result) == []
    (trip,) = result.routes[0].trips
    assert trip.start_s == pytest.approx(1.5 * H)
    assert trip.stops[0].arrival_s == pytest.approx(3 * H) and trip.stops[0].wait_s == 0


def test_a_window_that_cannot_be_met_is_reported_late_not_hidden():
    problem = _window_problem(deadline_h={"A": 0.5})  # A is 1 h away
    result = plan_routes(problem, PARAMS)
    assert check_routes(problem, result) == []
    assert [x.point_id for x in result.late] == ["A"]


def test_empty_windows_and_unknown_places_are_input_errors():
    with pytest.raises(RoutingInputError, match="empty time window"):
        _window_problem(earliest_h={"B": 5.0}, deadline_h={"B": 4.0})
    with pytest.raises(RoutingInputError, match="closing hour"):
        _window_problem(ready_h={"D": 8.0}, closes_h={"D": 6.0})
    with pytest.raises(RoutingInputError, match="not in the matrix ids") as err:
        _window_problem(earliest_h={"Z": 1.0})
    assert err.value.problems[0].value == "Z"
    with pytest.raises(RoutingInputError, match="unload_s"):
        PointService(-1.0)


# --- depot hours --------------------------------------------------------------------------


def test_trucks_are_back_before_the_depot_closes():
    # two trips of 2 h each: with the depot open 6 h–10 h a single truck can do both in time
    problem = _window_problem(ready_h={"D": 6.0}, closes_h={"D": 10.0})
    problem = dataclasses.replace(
        problem,
        fleet=dataclasses.replace(
            problem.fleet, vehicle_types=(VehicleType("D", "truck", 400, 20, count=1),)
        ),
    )
    result = plan_routes(problem, PARAMS)
    assert check_routes(problem, result) == []
    trips = result.routes[0].trips
    assert len(trips) == 2 and trips[0].start_s == 6 * H
    assert trips[-1].return_s <= 10 * H and result.after_closing == ()
    # closing at 9 h leaves time for one trip only: the second truck-trip is reported, never hidden
    late = dataclasses.replace(problem, closes_h={"D": 9.0})
    result = plan_routes(late, PARAMS)
    assert check_routes(late, result) == []
    assert result.after_closing == ("D/truck#1",) and not result.is_feasible()


# --- release times (production batches, contract lead times) -------------------------------


def _release_problem(count: int) -> RoutingProblem:
    ids = ["D", "A", "B"]
    tt = np.array([[0, 1, 1], [1, 0, 1.5], [1, 1.5, 0]]) * H
    ships = [
        Shipment("D", "A", "tent", 10, 300, 1, source_id="stock"),
        Shipment("D", "B", "quilt", 50, 100, 1, release_h=5.0, source_id="batch-1"),
        Shipment("D", "B", "tent", 10, 300, 1, source_id="stock"),
    ]
    fleet = [VehicleType("D", "truck", 5000, 20, count=count)]
    # A's tents are due by 2 h, so they cannot wait for the batch
    return RoutingProblem.from_matrices(
        ships, fleet, ids, tt, tt * 10, service=ServiceTimes(load_s=900), deadline_h={"A": 2.0}
    )


@pytest.mark.parametrize("count", [1, 2])
def test_a_production_batch_released_at_hour_h_delays_exactly_the_trips_that_carry_it(count):
    problem = _release_problem(count)
    result = plan_routes(problem, PARAMS)
    assert check_routes(problem, result) == []
    trips = [t for r in result.routes for t in r.trips]
    carrying = [t for t in trips if any(x.source_id == "batch-1" for s in t.stops for x in s.loads)]
    others = [t for t in trips if t not in carrying]
    assert len(carrying) == 1 and carrying[0].start_s == 5 * H  # loads when released, not later
    assert carrying[0].departure_s == 5 * H + 900
    # trips without the batch are not held: they start when the truck is free (0 h)
    assert others and all(t.start_s == 0.0 for t in others)


# --- split deliveries ---------------------------------------------------------------------


def _triangle(s: float, s_ac: float, *, objective: str = "distance", unload_s: float = 0.0):
    """A, B, C each r = 10 from D; |AB| = |BC| = s, |AC| = s_ac; loads 0.6, 0.8, 0.6 of a truck.

    Without splitting no two loads fit one truck: 3 trips, cost 6r = 60. With splitting two
    full trips suffice; the cheapest is D-A-B-D + D-B-C-D (B split 0.4 / 0.4): 4r + 2s. Any
    plan of 3 trips costs at least 6r, so the optimum is min(60, 40 + 2s) (+ unloading).
    """
    r = 10.0
    ids = ["D", "A", "B", "C"]
    d = np.array([[0, r, r, r], [r, 0, s, s_ac], [r, s, 0, s], [r, s_ac, s, 0]])
    ships = [Shipment("D", p, "rice", q, q * 100.0, q * 0.1) for p, q in (("A", 6), ("B", 8), ("C", 6))]
    fleet = [VehicleType("D", "truck", 1000, 100, count=3, max_trips=1)]
    problem = RoutingProblem.from_matrices(ships, fleet, ids, d, d, service=ServiceTimes(unload_s=unload_s))
    return problem, RoutingParams(seed=0, max_iterations=500, objective=objective)


def _visits(result) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, _, s in result.stops():
        out[s.point_id] = out.get(s.point_id, 0) + 1
    return out


def test_splitting_one_truckload_between_two_shelters_is_chosen_when_cheaper():
    problem, params = _triangle(4.0, 8.0)  # 40 + 8 = 48 < 60
    result = plan_routes(problem, params)
    assert check_routes(problem, result) == []
    assert result.cost() == pytest.approx(48.0)
    assert _visits(result) == {"A": 1, "B": 2, "C": 1}
    assert sorted(t.weight_kg for r in result.routes for t in r.trips) == [1000.0, 1000.0]
    # without splitting: three direct trips
    whole = plan_routes(problem, dataclasses.replace(params, split_share=None))
    assert whole.cost() == pytest.approx(60.0)


def test_splitting_is_not_chosen_when_it_is_dearer():
    problem, params = _triangle(12.0, 20.0)  # 40 + 24 = 64 > 60
    result = plan_routes(problem, params)
    assert check_routes(problem, result) == []
    assert result.cost() == pytest.approx(60.0)
    assert _visits(result) == {"A": 1, "B": 1, "C": 1}


@pytest.mark.parametrize(("unload_s", "split"), [(5.0, True), (20.0, False)])
def test_the_fixed_unloading_time_counts_once_per_visit_when_weighing_a_split(unload_s, split):
    # duration objective: split = 48 + 4 visits × u, whole = 60 + 3 × u; split iff u < 12
    problem, params = _triangle(4.0, 8.0, objective="duration", unload_s=unload_s)
    result = plan_routes(problem, params)
    assert check_routes(problem, result) == []
    expected = 48 + 4 * unload_s if split else 60 + 3 * unload_s
    assert result.cost() == pytest.approx(expected)
    assert (_visits(result)["B"] == 2) is split


def test_pieces_of_one_point_on_one_trip_are_one_stop_with_one_fixed_unloading():
    ids = ["D", "A"]
    tt = np.array([[0, 1], [1, 0]]) * H
    ships = [Shipment("D", "A", "rice", 50, 5000, 5)]  # half a truck: cut into 5 pieces
    fleet = [VehicleType("D", "truck", 10_000, 100, count=1)]
    service = {"A": PointService(unload_s=1200, unload_s_per_t=60)}
    problem = RoutingProblem.from_matrices(ships, fleet, ids, tt, tt * 10, point_service=service)
    result = plan_routes(problem, PARAMS)
    assert check_routes(problem, result) == []
    (stop,) = [s for _, _, s in result.stops()]
    assert stop.departure_s - stop.arrival_s == pytest.approx(1200 + 60 * 5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_splitting_never_makes_a_plan_worse(seed):
    problem = random_problem(seed)
    params = RoutingParams(seed=0, max_iterations=150)
    split = plan_routes(problem, params)
    whole = plan_routes(problem, dataclasses.replace(params, split_share=None))
    assert check_routes(problem, split) == []
    for depot, value in whole.stats.objective.items():
        assert split.stats.objective[depot] <= value
    assert split.cost() <= whole.cost() * (1 + 1e-6) + 1.0
