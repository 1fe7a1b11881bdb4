"""Bad fleet and routing data: clear errors, or explicit unmet lines with a reason."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from logistics.exceptions import FleetError, InputError, RoutingInputError, RoutingScaleWarning
from logistics.routing import (
    Fleet,
    RoutingParams,
    RoutingProblem,
    ServiceTimes,
    Shipment,
    VehicleType,
    check_routes,
    plan_routes,
)
from tests.routing.helpers import bags, star_problem

PARAMS = RoutingParams(seed=0, max_iterations=100)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"capacity_kg": 0}, r"expected capacity_kg > 0 \(value '0'\)"),
        ({"capacity_kg": -5.0}, r"expected capacity_kg > 0"),
        ({"capacity_m3": math.nan}, r"expected capacity_m3 > 0 \(value 'nan'\)"),
        ({"capacity_m3": math.inf}, r"expected capacity_m3 > 0"),
        ({"count": -1}, r"expected a whole count >= 0"),
        ({"count": 1.5}, r"expected a whole count >= 0"),
        ({"count": True}, r"expected a whole count >= 0"),
        ({"speed_factor": 0.0}, r"expected speed_factor > 0"),
        ({"fixed_cost": -1.0}, r"expected fixed_cost >= 0"),
        ({"max_trips": 0}, r"expected max_trips >= 1 or None"),
        ({"max_duration_h": 0.0}, r"expected max_duration_h > 0 or None"),
    ],
)
def test_bad_vehicle_type_raises(kwargs, match):
    args = {
        "depot_id": "D1",
        "name": "卡车",
        "capacity_kg": 10_000,
        "capacity_m3": 40,
        "count": 2,
    } | kwargs
    with pytest.raises(FleetError, match=match) as info:
        VehicleType(**args)
    assert "vehicle type '卡车' at depot 'D1'" in str(info.value)
    assert isinstance(info.value, InputError)


def test_several_fleet_problems_are_reported_at_once():
    with pytest.raises(FleetError, match="2 problems") as info:
        VehicleType("D1", "t", 0, -1, 1)
    assert len(info.value.problems) == 2


def test_duplicate_vehicle_type_names_per_depot():
    vt = VehicleType("D1", "truck", 1000, 10, 1)
    with pytest.raises(FleetError, match="depot 'D1' has two vehicle types named 'truck'"):
        Fleet((vt, vt))


def test_bad_matrices_and_shipments_list_every_problem():
    tt = np.array([[0, 10, -1], [10, 0, 5], [np.nan, 5, 0]], dtype=float)
    ships = [
        Shipment("D", "P", "rice", -3, 10, 1),
        Shipment("D", "NOWHERE", "rice", 1, 10, 1),
    ]
    with pytest.raises(RoutingInputError) as info:
        RoutingProblem.from_matrices(
            ships,
            [VehicleType("D", "t", 1000, 10, 1)],
            ["D", "P", "Q"],
            tt,
            np.zeros((2, 2)),
            deadline_h={"P": -1.0},
        )
    text = str(info.value)
    for part in (
        "travel_time_s contains NaN",
        "travel_time_s has a negative entry at ('D', 'Q')",
        "expected distance_m of shape (3, 3)",
        "expected a finite quantity >= 0",
        "point_id is not in the matrix ids",
        "expected a finite deadline_h >= 0",
    ):
        assert part in text


def test_bad_service_time():
    with pytest.raises(RoutingInputError, match="expected load_s >= 0"):
        ServiceTimes(load_s=-1)


def test_depot_without_trucks_gives_unmet_lines():
    fleet = [VehicleType("D", "truck", 10_000, 40, 0)]
    problem = star_problem(
        [bags("D", "P", 2.0), bags("D", "Q", 1.0, item="water")], fleet, {"P": 1.0, "Q": 1.0}
    )
    result = plan_routes(problem, PARAMS)
    assert result.routes == ()
    assert {(u.point_id, u.item_id, u.reason) for u in result.unmet} == {
        ("P", "rice", "no_vehicle"),
        ("Q", "water", "no_vehicle"),
    }
    assert not result.is_complete()
    assert result.feedback() == [("D", "P"), ("D", "Q")]
    assert check_routes(problem, result) == []


def test_item_heavier_than_any_truck_is_unmet_and_the_rest_is_routed():
    ships = [Shipment("D", "P", "crane", 1, 25_000, 30), bags("D", "P", 2.0)]
    problem = star_problem(ships, [VehicleType("D", "truck", 10_000, 40, 1)], {"P": 1.0})
    result = plan_routes(problem, PARAMS)
    assert [(u.item_id, u.reason) for u in result.unmet] == [("crane", "unit_too_large")]
    assert [x.item_id for _, _, s in result.stops() for x in s.loads] == ["rice"]
    assert check_routes(problem, result) == []
    assert result.summary()["unmet"][0]["reason"] == "unit_too_large"


def test_unreachable_point_is_unmet():
    tt = np.array([[0, np.inf, 3600], [np.inf, 0, np.inf], [3600, np.inf, 0]])
    problem = RoutingProblem.from_matrices(
        [bags("D", "CUT", 1.0), bags("D", "OK", 1.0)],
        [VehicleType("D", "t", 10_000, 40, 1)],
        ["D", "CUT", "OK"],
        tt,
        tt * 10,
    )
    result = plan_routes(problem, PARAMS)
    assert [(u.point_id, u.reason) for u in result.unmet] == [("CUT", "unreachable")]
    assert [s.point_id for _, _, s in result.stops()] == ["OK"]
    assert check_routes(problem, result) == []


def test_huge_values_warn_about_scaling():
    problem = star_problem([bags("D", "P", 1.0)], [VehicleType("D", "t", 1e10, 40, 1)], {"P": 1.0})
    with pytest.warns(RoutingScaleWarning, match="check the units"):
        plan_routes(problem, PARAMS)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_iterations": None, "max_runtime_s": None}, "Expected max_iterations or"),
        ({"max_iterations": -1}, "Expected max_iterations >= 0"),
        ({"objective": "speed"}, "Expected objective in"),
    ],
)
def test_bad_params(kwargs, match):
    with pytest.raises(ValueError, match=match):
        RoutingParams(**kwargs)


def test_numpy_scalars_are_accepted():
    ship = Shipment("D", "P", "rice", np.int64(10), np.float32(1000.0), np.int64(1))
    vt = VehicleType("D", "t", np.int64(10_000), np.float64(40), np.int64(1))
    problem = star_problem([ship], [vt], {"P": 1.0})
    result = plan_routes(problem, PARAMS)
    assert result.is_complete() and check_routes(problem, result) == []
    json.dumps(result.summary())
