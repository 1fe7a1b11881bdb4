"""The independent route checker catches tampered results (it is not vacuous)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from logistics.routing import ItemLoad, LateStop, RoutingParams, check_routes, plan_routes
from tests.routing.helpers import random_problem


@pytest.fixture(scope="module")
def solved():
    """A solved random two-depot problem with some late stops."""
    problem = random_problem(3, deadline_h=3.0)
    result = plan_routes(problem, RoutingParams(seed=1, max_iterations=150))
    assert check_routes(problem, result) == []
    assert result.late
    return problem, result


def _edit_first_trip(result, **changes):
    r0 = result.routes[0]
    t0 = replace(r0.trips[0], **changes)
    return replace(result, routes=(replace(r0, trips=(t0, *r0.trips[1:])), *result.routes[1:]))


def _edit_first_stop(result, **changes):
    s0 = replace(result.routes[0].trips[0].stops[0], **changes)
    t0 = result.routes[0].trips[0]
    return _edit_first_trip(result, stops=(s0, *t0.stops[1:]))


def test_detects_an_arrival_that_does_not_follow_from_travel_times(solved):
    problem, result = solved
    s0 = result.routes[0].trips[0].stops[0]
    bad = check_routes(problem, _edit_first_stop(result, arrival_s=s0.arrival_s - 60))
    assert any("recomputed" in b for b in bad)


def test_detects_overload_and_lost_goods(solved):
    problem, result = solved
    s0 = result.routes[0].trips[0].stops[0]
    heavy = (*s0.loads, ItemLoad("tent", 10_000, 350_000, 1_200))
    bad = check_routes(problem, _edit_first_stop(result, loads=heavy))
    assert any("> capacity" in b for b in bad)
    assert any("delivered + unmet" in b for b in bad)
    bad = check_routes(problem, replace(result, unmet=(), routes=result.routes[1:]))
    assert any("delivered + unmet" in b for b in bad)


def test_detects_a_silently_late_stop(solved):
    problem, result = solved
    bad = check_routes(problem, replace(result, late=result.late[1:]))
    assert any(b.startswith("late list differs: missing") for b in bad)
    fake = LateStop("D1", "P0", "D1/heavy#1", 9, 0.0, 0.0)
    bad = check_routes(problem, replace(result, late=(*result.late, fake)))
    assert any("extra" in b for b in bad)


def test_detects_a_truck_that_is_not_in_the_fleet(solved):
    problem, result = solved
    r0 = result.routes[0]
    bad = check_routes(problem, replace(result, routes=(replace(r0, vehicle_index=99), *result.routes[1:])))
    assert any("only" in b and "trucks" in b for b in bad)


def test_detects_a_trip_starting_before_the_depot_is_ready(solved):
    problem, result = solved
    t0 = result.routes[0].trips[0]
    bad = check_routes(problem, _edit_first_trip(result, start_s=t0.start_s - 3600))
    assert any("before truck is free" in b for b in bad)
