"""Run a response scenario end to end: allocation, vehicle routes, outputs (``logistics run``)."""

from __future__ import annotations

import json
import math
import time
import warnings
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.allocation import AllocationParams, solve_allocation
from logistics.plan.model import build_scenario_model
from logistics.roads import travel_time_matrix
from logistics.routing import (
    Fleet,
    RoutingParams,
    RoutingProblem,
    ServiceTimes,
    Shipment,
    VehicleType,
    plan_routes_with_feedback,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.allocation import AllocationResult
    from logistics.plan.model import ScenarioModel
    from logistics.routing import RoutingResult
    from logistics.scenario import Scenario

__all__ = ["RunParams", "RunResult", "run_scenario"]


@dataclass(frozen=True)
class RunParams:
    """Options of :func:`run_scenario`.

    Parameters
    ----------
    seed
        Seed for the solvers (default: the scenario's).
    objective
        Override the scenario's objective.
    routing
        Plan vehicle routes after the allocation.
    routing_iterations
        Iteration limit of the routing search per depot (deterministic with the seed).
    feedback_rounds
        Re-solves of the allocation when routed stops are late (pairs fed back are forbidden).
    """

    seed: int | None = None
    objective: str | None = None
    routing: bool = True
    routing_iterations: int = 200
    feedback_rounds: int = 3

    def __post_init__(self) -> None:
        if not (self.routing_iterations >= 1 and self.feedback_rounds >= 0):
            raise ValueError("Expected routing_iterations >= 1 and feedback_rounds >= 0.")


@dataclass(frozen=True)
class RunResult:
    """Everything :func:`run_scenario` produced.

    Parameters
    ----------
    model
        The scenario model (problem, depots, road matrices).
    allocation
        The allocation result (after any feedback re-solves).
    routing
        The routing result, or ``None`` when routing was off.
    feedback_rounds
        Allocation re-solves triggered by late routed stops.
    forbidden_pairs
        Depot→point pairs forbidden by the feedback.
    timings_s
        Wall-clock seconds per step.
    """

    model: ScenarioModel
    allocation: AllocationResult
    routing: RoutingResult | None
    feedback_rounds: int = 0
    forbidden_pairs: tuple[tuple[str, str], ...] = ()
    timings_s: dict[str, float] = field(default_factory=dict)
    seed: int = 0
    road_matrix: Any = None  # depots + points square RoadMatrices used by routing (reused for geometry)

    def summary(self) -> dict[str, Any]:
        """Return the deterministic summary written to ``summary.json``."""
        return build_summary(self)


def _allocation_params(scenario: Scenario, params: RunParams, seed: int) -> Any:

    objective = params.objective or scenario.objective
    cost = "ton_km" if objective == "ton_km" else "person_hours"
    mode = {"person_hours": "cost", "ton_km": "cost"}.get(objective, objective)
    return AllocationParams(objective=mode, cost=cost, seed=seed)


def _shipments(model: ScenarioModel, alloc: AllocationResult) -> list[Any]:

    p = model.problem
    k_index = {k: i for i, k in enumerate(p.item_ids)}
    acc: dict[tuple[str, str, str], list[float]] = {}
    for f in alloc.flows:
        key = (f.depot_id, f.point_id, f.item_id)
        q = acc.setdefault(key, [0.0, 0.0])
        q[0] += f.quantity
        q[1] = max(q[1], f.delivery_h)
    out = []
    for (d, j, k), (q, promise) in sorted(acc.items()):
        if q <= 1e-9:
            continue
        i = k_index[k]
        # the LP divides units; countable items travel in whole pieces (rounded down, so stock and
        # truck capacity still hold), measured items (kg, L) as planned
        q = round(q, 6) if model.scenario.region.catalogue[k].is_measure else float(math.floor(q + 1e-6))
        if q <= 0:
            continue
        out.append(
            Shipment(
                d, j, k, q, q * float(p.weight_kg[i]), q * float(p.volume_m3[i]), promised_arrival_h=promise
            )
        )
    return out


def _routing_problem(model: ScenarioModel, shipments: list[Any]) -> Any:

    sc = model.scenario
    p = model.problem
    ids = [d.id for d in model.depots] + [pt.id for pt in sc.demand]
    coords = [(d.id, d.lon, d.lat) for d in model.depots] + [(pt.id, pt.lon, pt.lat) for pt in sc.demand]

    with warnings.catch_warnings():  # unreachable pairs are already reported by the scenario model
        warnings.simplefilter("ignore")
        m = travel_time_matrix(
            model.network, coords, coords, disruptions=model.disruptions, depart_h=sc.load_h
        )
    tt = np.where(np.isfinite(m.travel_time_s), m.travel_time_s, np.inf)
    dd = np.where(np.isfinite(m.length_m), m.length_m, np.inf)
    vts = [
        VehicleType(p.depot_ids[int(p.fleet_depot[g])], p.fleet_ids[g].split("/", 1)[1], float(p.capacity_kg[g]),
                    float(p.capacity_m3[g]), int(p.fleet_count[g]))
        for g in range(p.num_fleets)
        if p.fleet_count[g] > 0
    ]  # fmt: skip
    ready = {d.id: model.depot_ready_h.get(d.id, 0.0) for d in model.depots}
    # a depot's goods leave when the first source used by the plan is ready
    deadline = {pt.id: pt.deadline_h or sc.deadline_h for pt in sc.demand}
    prob = RoutingProblem.from_matrices(
        shipments, Fleet(tuple(vts)), ids, tt, dd, ready_h=ready, deadline_h=deadline,
        service=ServiceTimes(load_s=sc.load_h * 3600, unload_s=sc.unload_h * 3600),
    )  # fmt: skip
    return prob, m


def run_scenario(
    scenario: Scenario, params: RunParams | None = None, *, progress: Callable[[str], None] | None = None
) -> RunResult:
    """Allocate stock and plan routes for a scenario.

    Parameters
    ----------
    scenario
        The scenario.
    params
        Options (seed, objective, routing).
    progress
        Called with step names as the run advances (``roads``, ``model``, ``allocation``,
        ``routing``, ``feedback``).

    Returns
    -------
    RunResult
        Allocation, routes and what is needed to write the outputs. Shortages and unreachable
        points are part of the result, never exceptions.

    Raises
    ------
    InputError
        For bad inputs (road data, disruptions, points off the network).
    """
    params = params or RunParams()
    say = progress or (lambda _msg: None)
    seed = scenario.seed if params.seed is None else params.seed
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    model = build_scenario_model(scenario, progress=say)
    timings["model_s"] = time.perf_counter() - t0
    aparams = _allocation_params(scenario, params, seed)
    say("allocation")
    t1 = time.perf_counter()
    alloc = solve_allocation(model.problem, aparams)
    timings["allocation_s"] = time.perf_counter() - t1
    routing = None
    square = None
    rounds = 0
    forbidden: list[tuple[str, str]] = []
    if params.routing and alloc.flows:
        say("routing")
        t2 = time.perf_counter()
        rparams = RoutingParams(seed=seed, max_iterations=params.routing_iterations)
        prob, square = _routing_problem(model, _shipments(model, alloc))
        state = {"alloc": alloc, "model": model}

        def reallocate(pairs: Any, result: Any) -> Any:
            # Feed the routed lateness back: a depot→point pair whose stops arrive late gets its
            # travel time lengthened by the largest delay seen, so the allocation plans less on
            # it (or nothing, once no trip fits); unmet lines forbid the pair.
            say("feedback")
            p = state["model"].problem
            tt = np.array(p.travel_time_h, dtype=float)
            di = {d: i for i, d in enumerate(p.depot_ids)}
            pj = {j: i for i, j in enumerate(p.point_ids)}
            delay: dict[tuple[str, str], float] = {}
            for x in result.late:
                delay[(x.depot_id, x.point_id)] = max(
                    delay.get((x.depot_id, x.point_id), 0.0), x.delay_s / 3600.0
                )
            changed = False
            for d, j in pairs:
                if d not in di or j not in pj or not np.isfinite(tt[di[d], pj[j]]):
                    continue
                if (d, j) in delay:
                    tt[di[d], pj[j]] += max(delay[(d, j)], 0.05)
                else:
                    tt[di[d], pj[j]] = np.nan
                forbidden.append((d, j))
                changed = True
            if not changed:
                return None
            m2 = replace(state["model"], problem=replace(p, travel_time_h=tt))
            a2 = solve_allocation(m2.problem, aparams)
            state["alloc"], state["model"] = a2, m2
            return _shipments(m2, a2)

        routing, rounds = plan_routes_with_feedback(
            prob, reallocate, rparams, max_rounds=params.feedback_rounds
        )
        alloc, model = state["alloc"], state["model"]
        timings["routing_s"] = time.perf_counter() - t2
    timings["total_s"] = time.perf_counter() - t0
    return RunResult(model, alloc, routing, rounds, tuple(forbidden), timings, seed, square)


def _r(x: float, nd: int = 4) -> float | int:
    if x is None or not np.isfinite(x):
        return None  # type: ignore[return-value]
    v = round(float(x), nd)
    return int(v) if v.is_integer() else v


def build_summary(res: RunResult) -> dict[str, Any]:
    """Build ``summary.json`` (deterministic: no wall-clock times; those go to ``timing.json``).

    Parameters
    ----------
    res
        A run result.
    """
    sc = res.model.scenario
    a = res.allocation
    p = res.model.problem
    cat = sc.region.catalogue
    names = {pt.id: pt.name for pt in sc.demand}
    unmet_by_item = []
    for i, k in enumerate(p.item_ids):
        dem = float(a.demand[:, i].sum())
        cov = float(a.covered[:, i].sum())
        unmet_by_item.append({"item": k, "name": cat[k].name_zh, "unit": cat[k].unit, "demand": _r(dem, 3),
                              "covered": _r(cov, 3), "unmet": _r(max(0.0, dem - cov), 3)})  # fmt: skip
    unmet_by_point = []
    for j, pid in enumerate(p.point_ids):
        d = a.demand[j]
        share = float(np.sum(np.minimum(a.covered[j], d)) / d.sum()) if d.sum() > 0 else 1.0
        unmet_by_point.append({"point": pid, "name": names[pid], "persons": int(p.persons[j]),
                               "met_share": _r(share), "unmet_share": _r(1 - share)})  # fmt: skip
    lines = [
        {
            "point": s.point_id,
            "item": s.item_id,
            "demand": _r(s.demand, 3),
            "unmet": _r(s.unmet, 3),
            "reason": s.reason,
        }
        for s in sorted(a.shortfalls, key=lambda s: (s.point_id, s.item_id))
    ]
    arrivals = _arrivals(res)
    out: dict[str, Any] = {
        "scenario": sc.name,
        "hazard": {"type": sc.hazard.type, "time": sc.hazard.time.isoformat() if sc.hazard.time else None},
        "deadline_h": sc.deadline_h,
        "days": sc.days,
        "demand_met_share_by_deadline": _r(a.demand_met_share_by_deadline, 6),
        "max_unmet_share": _r(a.max_unmet_share, 6),
        "objectives": {k: _r(v, 4) for k, v in a.objectives.items()},
        "objective_mode": a.objective,
        "solver": {
            "name": a.solver,
            "status": a.status,
            "variables": a.num_variables,
            "constraints": a.num_constraints,
        },
        "status": a.status,
        "seed": res.seed,
        "run_time_s": None,
        "run_time_note": "wall-clock times are written to timing.json so that reruns give a byte-identical summary.json",
        "unmet": {"by_item": unmet_by_item, "by_point": unmet_by_point, "lines": lines},
        "arrivals": arrivals,
        "routes": _routes_section(res),
        "feedback": {
            "rounds": res.feedback_rounds,
            "forbidden_pairs": [list(x) for x in res.forbidden_pairs],
        },
        "road_warnings": list(res.model.warnings),
        "illustrative": list(res.model.notes),
    }
    return json.loads(json.dumps(out, ensure_ascii=False, default=str))


def routed_met_share(res: RunResult) -> float | None:
    """Share of demand delivered by the deadline according to the routes (same weighting as (a)).

    Each point counts by priority × persons, each of its items equally, an item by the share of
    its demand unloaded by the point's deadline (substitutes counted one for one where the
    scenario allows them). ``None`` without routes.
    """
    if res.routing is None:
        return None
    p = res.model.problem
    a = res.allocation
    kidx = {k: i for i, k in enumerate(p.item_ids)}
    jidx = {j: i for i, j in enumerate(p.point_ids)}
    got = np.zeros_like(np.asarray(a.demand, dtype=float))
    for route in res.routing.routes:
        for trip in route.trips:
            for stop in trip.stops:
                if stop.deadline_s is not None and stop.arrival_s > stop.deadline_s + 1e-6:
                    continue
                for ld in stop.loads:
                    got[jidx[stop.point_id], kidx[ld.item_id]] += ld.quantity
    for sub in p.substitutions:
        k1, k2 = kidx[sub.item], kidx[sub.substitute]
        spare = np.maximum(0.0, got[:, k2] - np.asarray(a.demand)[:, k2])
        got[:, k1] += spare / sub.ratio
    d = np.asarray(a.demand, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(d > 0, np.minimum(got, d) / d, 0.0)
    n_items = (d > 0).sum(axis=1)
    point_share = np.where(n_items > 0, frac.sum(axis=1) / np.maximum(n_items, 1), 1.0)
    w = np.asarray(p.priority, dtype=float) * np.asarray(p.persons, dtype=float) * (n_items > 0)
    return float((w * point_share).sum() / w.sum()) if w.sum() > 0 else 1.0


def _drop_keys(obj: Any, key: str) -> Any:
    if isinstance(obj, dict):
        return {k: _drop_keys(v, key) for k, v in obj.items() if k != key}
    if isinstance(obj, list):
        return [_drop_keys(v, key) for v in obj]
    return obj


def _routes_section(res: RunResult) -> dict[str, Any] | None:
    if res.routing is None:
        return None
    out = _drop_keys(res.routing.summary(), "runtime_s")  # wall-clock: timing.json only
    out["demand_met_share_by_deadline_routed"] = _r(routed_met_share(res), 6)
    out["note"] = (
        "the allocation (an LP with pooled, fractional truck trips) promises demand_met_share_by_deadline; "
        "the routes deliver demand_met_share_by_deadline_routed with whole trucks; late stops are listed, "
        "and were fed back to the allocation (travel time of the pair lengthened by the delay, "
        "unmet pairs forbidden) up to the feedback limit"
    )
    return out


def _arrivals(res: RunResult) -> list[dict[str, Any]]:
    sc = res.model.scenario
    a = res.allocation
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for f in a.flows:
        first[f.point_id] = min(first.get(f.point_id, np.inf), f.delivery_h)
        last[f.point_id] = max(last.get(f.point_id, -np.inf), f.delivery_h)
    routed = res.routing.point_arrivals_s() if res.routing is not None else {}
    out = []
    for pt in sc.demand:
        routed.get(pt.id)
        out.append(
            {
                "point": pt.id,
                "name": pt.name,
                "deadline_h": pt.deadline_h or sc.deadline_h,
                "first_delivery_h": _r(first.get(pt.id, np.nan), 3),
                "last_delivery_h": _r(last.get(pt.id, np.nan), 3),
                "routed_first_arrival_h": _r(routed[pt.id][0] / 3600, 3) if pt.id in routed else None,
                "routed_last_arrival_h": _r(routed[pt.id][1] / 3600, 3) if pt.id in routed else None,
            }
        )
    return out
