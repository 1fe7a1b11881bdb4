"""The certified large-scale mode: feasible plans, valid bounds, hand-worked cases (issue 17).

Bounds are checked against the optimum of an independent formulation
(``tests/allocation/_independent.pooled_lp``, scipy's HiGHS), plans with the
independent LP-plan checker, and demand met is recomputed from coverage.
"""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from logistics.allocation import AllocationParams, AllocationProblem, solve_allocation
from logistics.allocation._certified import choose_method, estimated_cargo_variables
from logistics.allocation._full import solve_model
from logistics.allocation._lagrange import fitted, solve_items, usage
from logistics.allocation._model import unit_values
from logistics.allocation._relaxed import certified_bound, prepare, truck_rows
from logistics.allocation._repair import Clock, repair
from logistics.exceptions import AllocationInputError, AllocationSolverError
from tests.allocation._checker import check_lp_plan, share_met
from tests.allocation._independent import pooled_lp
from tests.allocation._instances import medium_problem, random_problem

#: round and iteration limits (never wall-clock) for the tests
CERT = {"method": "certified", "certified_rounds": 2, "lagrange_iterations": 4}


def _instances() -> list[tuple[str, AllocationProblem]]:
    out = [(f"small-{s}", random_problem(s, max_trucks=2, groups_per_depot=1 + s % 2)) for s in range(24)]
    out += [(f"medium-{s}", medium_problem(s)) for s in range(8)]
    return out


INSTANCES = _instances()


@pytest.mark.parametrize(("name", "p"), INSTANCES, ids=[n for n, _ in INSTANCES])
def test_certified_plan_feasible_and_bound_above_independent_optimum(name: str, p: AllocationProblem) -> None:
    r = solve_allocation(p, AllocationParams(objective="lexicographic", **CERT))
    assert r.method == "certified"
    best = pooled_lp(p, objective="delivered")["delivered"]
    a = r.demand_met_share_by_deadline
    # the bound is proven: at least the exact optimum of an independent formulation
    assert r.bound >= best - 1e-7, (r.bound, best)
    # the plan is feasible: the independent checker finds nothing, and it cannot beat the optimum
    assert check_lp_plan(p, r) == []
    assert a <= best + 1e-7
    # the reported figures are recomputed from the plan
    assert a == pytest.approx(share_met(p, r.covered), abs=1e-9)
    assert r.gap == pytest.approx(max(r.bound - a, 0.0) / r.bound if r.bound > 0 else 0.0)
    assert (r.covered <= r.demand + 1e-9).all()
    assert not r.time_limited  # no limit: stopped on rounds and iterations


@pytest.mark.parametrize("seed", range(6))
def test_bound_holds_for_any_prices(seed: int) -> None:
    """Weak duality: every price vector gives a bound above the exact optimum."""
    p = medium_problem(seed)
    data = prepare(p, unit_values(p))
    rows = truck_rows(data)
    best = pooled_lp(p, objective="delivered")["delivered"]
    rng = np.random.default_rng(seed)
    for _ in range(5):
        mu_kg = rng.exponential(1.0, len(rows.keys)) / np.maximum(rows.cap_kg, 1.0)
        mu_m3 = rng.exponential(1.0, len(rows.keys)) / np.maximum(rows.cap_m3, 1.0)
        pi = rng.exponential(0.5, p.stock.shape) * float(data.value.max())
        assert certified_bound(p, data, rows, mu_kg, mu_m3, pi) >= best - 1e-9
        # the flow problems' own stock prices give a bound too
        _flows, pi2 = solve_items(p, data, rows, mu_kg, mu_m3)
        assert certified_bound(p, data, rows, mu_kg, mu_m3, pi2) >= best - 1e-9


def _one_depot(stock: float, demand: list[float], trucks: int, travel_h: list[float]) -> AllocationProblem:
    J = len(demand)
    return AllocationProblem.from_arrays(
        item_ids=["tent"],
        weight_kg=[30.0],
        volume_m3=[0.1],
        depot_ids=["A"],
        source_ids=["A-own"],
        source_depot=["A"],
        stock=[[stock]],
        point_ids=[f"P{j}" for j in range(J)],
        persons=[300.0] * J,
        demand=[[d] for d in demand],
        travel_time_h=[travel_h],
        fleet_ids=["A-truck"],
        fleet_depot=["A"],
        capacity_kg=[900.0],
        capacity_m3=[20.0],
        fleet_count=[trucks],
        deadline_h=12.0,
        load_h=0.5,
        unload_h=0.5,
    )


def test_hand_worked_stock_limit() -> None:
    """50 tents for a demand of 100: demand met 0.5, and the bound is 0.5 (up to integer flow scaling)."""
    r = solve_allocation(_one_depot(50.0, [100.0], 1, [1.0]), AllocationParams(**CERT))
    assert r.demand_met_share_by_deadline == pytest.approx(0.5)
    assert 0.5 <= r.bound <= 0.5 + 1e-6
    assert r.gap <= 1e-6


def test_hand_worked_truck_limit() -> None:
    """One truck of 900 kg (30 tents), 1 h away: a round trip takes 0.5 + 2 + 0.5 = 3 h.

    Trips must be back by 12 + 1 = 13 h, so the truck makes 13 / 3 trips
    (pooled LP) and carries 130 tents of the 200 wanted: demand met 0.65.
    The bound is at least that, and the certified plan reaches it.
    """
    r = solve_allocation(
        _one_depot(500.0, [200.0], 1, [1.0]),
        AllocationParams(method="certified", certified_rounds=3, lagrange_iterations=10),
    )
    assert r.demand_met_share_by_deadline == pytest.approx(0.65)
    assert r.bound >= 0.65 - 1e-9
    assert r.bound <= 1.0
    assert check_lp_plan(_one_depot(500.0, [200.0], 1, [1.0]), r) == []


def test_same_result_with_one_or_two_processes() -> None:
    p = medium_problem(3)
    one = solve_allocation(p, AllocationParams(jobs=1, **CERT)).summary()
    two = solve_allocation(p, AllocationParams(jobs=2, **CERT)).summary()
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)


def test_auto_picks_by_size_and_summary_reports_method_bound_gap() -> None:
    p = medium_problem(1)
    assert estimated_cargo_variables(p) > 0
    assert choose_method(p, AllocationParams()) == "exact"
    assert choose_method(p, AllocationParams(certified_above=1)) == "certified"
    assert choose_method(p, AllocationParams(certified_above=1, objective="equity")) == "exact"
    assert choose_method(p, AllocationParams(certified_above=1, integer_trips=True)) == "exact"
    exact = solve_allocation(p).summary()
    assert exact["method"] == "exact" and exact["gap"] == pytest.approx(0.0, abs=1e-6)
    assert exact["bound"] == pytest.approx(exact["objectives"]["demand_met_share_by_deadline"], abs=1e-6)
    cert = solve_allocation(p, AllocationParams(certified_above=1, certified_rounds=1, lagrange_iterations=3))
    s = cert.summary()
    assert s["method"] == "certified"
    assert s["bound"] >= s["objectives"]["demand_met_share_by_deadline"]
    assert s["gap"] == pytest.approx(cert.gap, abs=1e-6)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("method", "fast"),
        ("gap_target", 1.5),
        ("certified_rounds", 0),
        ("lagrange_iterations", True),
        ("descent_iterations", -1),
        ("descent_iterations", True),
        ("descent_iterations", 2.5),
        ("time_limit_s", -1),
        ("jobs", 0),
    ],
)
def test_bad_certified_parameters_are_refused(field: str, value: object) -> None:
    with pytest.raises(AllocationInputError) as e:
        AllocationParams(**{field: value})  # type: ignore[arg-type]
    assert field in str(e.value)


def test_certified_refuses_what_it_does_not_model() -> None:
    p = medium_problem(0)
    with pytest.raises(AllocationInputError, match="method"):
        solve_allocation(p, AllocationParams(method="certified", integer_trips=True))


def test_time_limit_already_passed_returns_a_feasible_plan_and_a_valid_bound() -> None:
    """A limit that has passed before the first step (deterministic: every check says late)."""
    p = medium_problem(2)
    r = solve_allocation(p, AllocationParams(method="certified", time_limit_s=1e-12))
    best = pooled_lp(p, objective="delivered")["delivered"]
    assert check_lp_plan(p, r) == []
    assert r.bound >= best - 1e-7
    assert 0.0 <= r.demand_met_share_by_deadline <= best + 1e-7
    assert r.gap == pytest.approx((r.bound - r.demand_met_share_by_deadline) / r.bound)
    assert r.time_limited and r.summary()["time_limited"] is True


@pytest.mark.parametrize("seed", range(6))
def test_fitted_flows_keep_every_truck_row(seed: int) -> None:
    """Flows at zero prices overload the depots; scaled by ``fitted`` they satisfy ``R``'s truck rows."""
    p = medium_problem(seed)
    data = prepare(p, unit_values(p))
    rows = truck_rows(data)
    z = np.zeros(len(rows.keys))
    flows, _pi = solve_items(p, data, rows, z, z)
    f = fitted(p, data, rows, flows)
    use_kg, use_m3 = usage(p, data, rows, f)
    assert (use_kg <= rows.cap_kg * (1 + 1e-9) + 1e-9).all()
    assert (use_m3 <= rows.cap_m3 * (1 + 1e-9) + 1e-9).all()
    assert (f.x <= flows.x + 1e-12).all()


def test_a_stage_past_its_time_limit_raises_time_limit() -> None:
    """``solve_model(..., until=...)``: a stage not solved by then is a solver failure named TIME_LIMIT."""
    with pytest.raises(AllocationSolverError) as e:
        solve_model(medium_problem(1), AllocationParams(method="exact"), until=time.perf_counter() - 1.0)
    assert e.value.status == "TIME_LIMIT"


class _StoppedMidSolve(Clock):
    """A clock that is not late when a depot LP starts but whose limit has passed by the time it solves.

    Deterministic stand-in for a limit that passes while a depot LP runs (the LP itself is real).
    """

    def __init__(self) -> None:
        super().__init__(time.perf_counter() - 10.0, 1.0)
        object.__setattr__(self, "checks", [False])

    def late(self, share: float = 1.0) -> bool:
        return self.checks.pop() if self.checks else True  # type: ignore[attr-defined]


def test_a_depot_lp_stopped_at_the_time_limit_sends_nothing() -> None:
    p = medium_problem(0)
    data = prepare(p, unit_values(p))
    guide = [
        (s, j, k, 0.1 * min(p.stock[s, k], p.demand[j, k]))
        for s in range(p.num_sources)
        for j in range(p.num_points)
        for k in range(p.num_items)
        if data.ok[s, j] and p.stock[s, k] > 0 and p.demand[j, k] > 0
    ]
    flows = np.array(guide, dtype=float)
    assert len(flows)
    value = unit_values(p)
    planned = repair(p, AllocationParams(method="certified"), flows, {}, value)
    assert planned.a > 0 and planned.parts  # without a limit the depots carry the guide
    stopped = repair(p, AllocationParams(method="certified"), flows, {}, value, clock=_StoppedMidSolve())
    assert stopped.parts == {} and stopped.a == 0.0
    assert (stopped.delivered == 0).all()
