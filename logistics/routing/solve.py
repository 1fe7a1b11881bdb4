"""Plan vehicle routes for an allocation: trucks, trips, stops and ETAs (``plan_routes``).

``plan_routes_with_feedback`` closes the loop with the allocation: late or unmet
depot→point pairs go back to a caller-supplied re-allocation function.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from logistics.common.parallel import map_ordered
from logistics.routing._pyvrp import DepotSolution, SolverRoute, solve_depot
from logistics.routing._schedule import Truck, assign_earliest, schedule_truck, score
from logistics.routing._split import Part, cut_pieces, rejoin, split_flows
from logistics.routing._waves import drop_late, fill, later_wave
from logistics.routing.result import (
    LateStop,
    RoutingResult,
    RoutingStats,
    UnmetLoad,
    VehicleRoute,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.routing.problem import RoutingProblem, Shipment, VehicleType

__all__ = ["OBJECTIVES", "RoutingParams", "extend_routes", "plan_routes", "plan_routes_with_feedback"]

logger = logging.getLogger(__name__)

_TOL_S = 1e-6
#: Depots are routed in several processes only from this many parts (truckload pieces) on:
#: below it forking costs more than it saves (the demo's re-plan passes have 2–63 parts and
#: take 0.01–0.3 s; its first pass has 250 parts and takes 3 s).
_PARALLEL_PARTS = 100
OBJECTIVES = ("duration", "distance")
#: With split deliveries and a wall-clock limit, the solve with whole loads gets this share of
#: the limit and the solve with pieces the rest.
_WHOLE_SHARE = 0.25


@dataclass(frozen=True)
class RoutingParams:
    """Parameters of :func:`plan_routes`.

    Parameters
    ----------
    seed
        Seed of the solver (default 0).
    max_iterations
        Iteration limit of each solve of a depot (default 2,000; with split deliveries a
        depot is solved twice). Runs with the same seed and iteration limit give identical
        results.
    max_runtime_s
        Wall-clock limit of the solver per depot, seconds (default ``None``); with split
        deliveries the solve with whole loads gets a quarter of it and the solve with
        pieces the rest. Not deterministic; for production runs. With both limits the
        first one reached stops the solver.
    no_improvement
        Also stop a depot's search after this many iterations without a better
        plan (default ``None``; deterministic): small depots stop early, large
        ones run up to ``max_iterations``.
    objective
        ``"duration"`` (default): minimise the trucks' total working time,
        seconds; ``"distance"``: minimise total road distance, metres. Fixed
        costs of trucks are added in the same unit. Deadlines are constraints.
    earliest_arrival
        Reassign the solver's trips to trucks by earliest-deadline-first list
        scheduling when that gives fewer late stops or earlier arrivals
        (default ``True``). The trips themselves are kept.
    fill
        With valued (optional) shipments: route what the first pass left on the time the
        trucks have left (default ``True``).
    later_wave
        With valued (optional) shipments: deliver what cannot make its deadline after it,
        as explicit later trips (default ``False``: such lines are unmet with reason
        ``"deadline"``).
    jobs
        Processes to route depots on (default 1). Depots are routed independently, each with
        ``seed``, so the result does not depend on ``jobs``.
    split_share
        Split deliveries (default 0.1): after a first solve with every load whole, loads that
        are not full truckloads are cut into pieces of at most this share of the depot's
        smallest truck (whole units) and the solver, started from the first solution, decides
        how each load is split between trips and trucks; the split plan is kept only when
        its objective is lower, so splitting never makes a plan worse. Pieces of one point on
        one trip are one stop and pay the fixed unloading time once. ``None`` turns splitting
        off (loads larger than a truck are still cut into full truckloads).

    Raises
    ------
    ValueError
        When a limit is negative, both limits are ``None``, or the objective is
        unknown.
    """

    seed: int = 0
    max_iterations: int | None = 2_000
    max_runtime_s: float | None = None
    objective: str = "duration"
    earliest_arrival: bool = True
    fill: bool = True
    later_wave: bool = False
    no_improvement: int | None = None
    jobs: int = 1
    split_share: float | None = 0.1

    def __post_init__(self) -> None:
        if self.max_iterations is None and self.max_runtime_s is None:
            raise ValueError("Expected max_iterations or max_runtime_s (or both).")
        if self.max_iterations is not None and not (self.max_iterations >= 0):
            raise ValueError(f"Expected max_iterations >= 0, got {self.max_iterations}.")
        if self.max_runtime_s is not None and not (self.max_runtime_s >= 0):
            raise ValueError(f"Expected max_runtime_s >= 0, got {self.max_runtime_s}.")
        if self.objective not in OBJECTIVES:
            raise ValueError(f"Expected objective in {OBJECTIVES}, got {self.objective!r}.")
        if not (self.jobs >= 1):
            raise ValueError(f"Expected jobs >= 1, got {self.jobs}.")
        if self.split_share is not None and not (0 < self.split_share <= 1):
            raise ValueError(f"Expected split_share in (0, 1] or None, got {self.split_share}.")


def _unmet_part(part: Part, reason: str) -> list[UnmetLoad]:
    return [
        UnmetLoad(part.depot_id, part.point_id, x.item_id, x.quantity, x.weight_kg, x.volume_m3, reason)
        for x in part.loads
    ]


def _merge_unmet(unmet: Sequence[UnmetLoad]) -> tuple[UnmetLoad, ...]:
    """Add up unmet lines of one depot, point, item and reason (pieces of one load), in first-seen order."""
    acc: dict[tuple[str, str, str, str], list[float]] = {}
    for u in unmet:
        a = acc.setdefault((u.depot_id, u.point_id, u.item_id, u.reason), [0.0, 0.0, 0.0])
        a[0] += u.quantity
        a[1] += u.weight_kg
        a[2] += u.volume_m3
    return tuple(UnmetLoad(d, p, i, *v, reason=r) for (d, p, i, r), v in acc.items())


def _drop_overload(vt: VehicleType, trip: tuple[Part, ...], unmet: list[UnmetLoad]) -> list[Part]:
    """Keep the parts of ``trip`` that fit the truck in order; the rest become unmet."""
    keep: list[Part] = []
    w = v = 0.0
    for part in trip:
        if vt.fits(w + part.weight_kg, v + part.volume_m3):
            keep.append(part)
            w += part.weight_kg
            v += part.volume_m3
        else:
            unmet += _unmet_part(part, "fleet_capacity")
    return keep


def plan_routes(problem: RoutingProblem, params: RoutingParams | None = None) -> RoutingResult:
    """Route the trucks of every depot to deliver the allocation.

    Pipeline: group shipments per depot→point and item; set aside unroutable
    lines (no truck at the depot, unreachable point, a unit larger than every
    truck) as unmet with a reason; cut flows larger than a truck into
    truckload parts (full-truckload direct trips and split deliveries); solve
    each depot with PyVRP (heterogeneous fleet, weight and volume capacity,
    deadlines as time windows, loading and unloading times, reloading for
    multiple trips, working-time limits); time every stop on the real travel
    times; and list every stop after its deadline (``late``) or after the
    allocation's promise (``behind_promise``).

    Parameters
    ----------
    problem
        The validated routing problem.
    params
        Solver parameters (default :class:`RoutingParams`).

    Returns
    -------
    RoutingResult
        Trucks with timed trips, unmet lines, late stops and statistics.

    Examples
    --------
    One depot, one 10 t truck, two points on a line (1 h and 2 h away):

    >>> import numpy as np
    >>> from logistics.routing.problem import RoutingProblem, Shipment, VehicleType
    >>> tt = np.array([[0, 3600, 7200], [3600, 0, 3600], [7200, 3600, 0]])
    >>> problem = RoutingProblem.from_matrices(
    ...     [Shipment("D", "A", "tent", 100, 3000, 10), Shipment("D", "B", "tent", 50, 1500, 5)],
    ...     [VehicleType("D", "truck", 10_000, 40, count=1)],
    ...     ["D", "A", "B"], tt, tt * 10,
    ... )
    >>> result = plan_routes(problem, RoutingParams(max_iterations=50))
    >>> [[s.point_id for s in t.stops] for t in result.routes[0].trips]
    [['A', 'B']]
    >>> result.summary()["last_arrival_h"]
    2.0
    """
    params = params if params is not None else RoutingParams()
    started = time.perf_counter()
    plan = split_flows(problem)
    optional = any(s.value is not None for s in problem.shipments)
    unmet = list(plan.unmet)
    routes: list[VehicleRoute] = []
    stats: dict[str, dict[str, int]] = {"iterations": {}, "objective": {}, "clients": {}}
    depots = list(plan.parts.items())
    done = map_ordered(functools.partial(_route_depot, problem, params, optional), depots, params.jobs,
                       cost=[len(parts) for _, parts in depots], min_cost=_PARALLEL_PARTS)  # fmt: skip
    for (depot, parts), (depot_routes, depot_unmet, iterations, objective) in zip(depots, done, strict=True):
        stats["iterations"][str(depot)] = iterations
        stats["objective"][str(depot)] = objective
        stats["clients"][str(depot)] = len(parts)
        unmet += depot_unmet
        routes += depot_routes
    run = RoutingStats(params.seed, stats["iterations"], stats["objective"], stats["clients"],
                       time.perf_counter() - started)  # fmt: skip
    return _result(problem, routes, unmet, run, params)


def _result(
    problem: RoutingProblem, routes: list[VehicleRoute], unmet: list[UnmetLoad], run: RoutingStats,
    params: RoutingParams,
) -> RoutingResult:  # fmt: skip
    """Assemble a result: fixed costs, late and behind-promise stops, working hours, unmet lines merged."""
    fixed = sum(
        vt.fixed_cost
        for r in routes
        for vt in problem.fleet.at_depot(r.depot_id)
        if vt.name == r.vehicle_type
    )
    late, behind = _late_stops(routes)
    if late:
        # the caller reports late stops in the user's language (RoutingResult.late)
        logger.debug("%d stop(s) arrive after their deadline", len(late))
    return RoutingResult(tuple(routes), _merge_unmet(unmet), tuple(late), tuple(behind), run, params.objective, fixed,
                         _over_duration(problem, routes), _later_stops(routes),
                         _after_closing(problem, routes))  # fmt: skip


def _route_depot(
    problem: RoutingProblem, params: RoutingParams, optional: bool, work: tuple[str, list[Part]]
) -> tuple[list[VehicleRoute], list[UnmetLoad], int, int]:
    """Route one depot's parts: its routes, unmet lines, solver iterations and objective."""
    depot, parts = work
    unmet: list[UnmetLoad] = []
    sol = _solve_split(problem, depot, parts, params, optional)
    trucks = _depot_trucks(problem, depot, sol.routes, params, unmet)
    if optional:
        trucks, left = _waves(problem, depot, trucks, list(sol.unplanned), params)
        unmet += [u for part in left for u in _unmet_part(part, "deadline")]
    else:
        unmet += [u for part in sol.unplanned for u in _unmet_part(part, "fleet_capacity")]
    return _to_routes(problem, depot, trucks), unmet, sol.iterations, sol.objective


def _solve_split(
    problem: RoutingProblem, depot: str, parts: list[Part], params: RoutingParams, optional: bool
) -> DepotSolution:
    """Solve with every load whole, then with loads cut into pieces from that solution; keep the better."""
    solve = functools.partial(solve_depot, problem, depot, objective=params.objective, seed=params.seed,
                              max_iterations=params.max_iterations, optional=optional,
                              no_improvement=params.no_improvement)  # fmt: skip
    budget = params.max_runtime_s
    if params.split_share is None:
        return solve(parts, max_runtime_s=budget)
    started = time.perf_counter()
    whole = solve(parts, max_runtime_s=None if budget is None else budget * _WHOLE_SHARE)
    pieces, groups = cut_pieces(problem, parts, params.split_share)
    if len(pieces) == len(parts):
        return whole
    initial = [
        (vt, tuple(a for d, k in acts for a in ([(True, 0)] if d else [(False, g) for g in groups[k]])))
        for vt, acts in whole.raw
    ]
    left = None if budget is None else max(budget - (time.perf_counter() - started), 0.0)
    split = solve(pieces, initial=initial, max_runtime_s=left)
    logger.debug("depot %s: whole loads %.0f, split %.0f", depot, whole.penalised, split.penalised)
    if split.penalised < whole.penalised:
        return dataclasses.replace(split, iterations=whole.iterations + split.iterations)
    return dataclasses.replace(whole, iterations=whole.iterations + split.iterations)


def _pieces(problem: RoutingProblem, parts: list[Part], params: RoutingParams) -> list[Part]:
    """Parts cut into pieces for filling spare truck capacity (unchanged without splitting)."""
    return parts if params.split_share is None else cut_pieces(problem, parts, params.split_share)[0]


def _waves(
    problem: RoutingProblem, depot: str, trucks: list[Truck], unplanned: list[Part], params: RoutingParams
) -> tuple[list[Truck], list[Part]]:
    """Keep the by-deadline wave on time, fill spare truck time, then the later wave (see ``_waves``)."""
    trucks, dropped = drop_late(problem, depot, trucks)
    left = [*unplanned, *dropped]
    if left and params.fill:
        trucks, left = fill(problem, depot, trucks, _pieces(problem, left, params), objective=params.objective, seed=params.seed,
                            max_iterations=params.max_iterations, max_runtime_s=params.max_runtime_s,
                                no_improvement=params.no_improvement)  # fmt: skip
    if left and params.later_wave:
        trucks, left = later_wave(problem, depot, trucks, rejoin(problem, depot, left))
    return trucks, left


def _depot_trucks(
    problem: RoutingProblem,
    depot: str,
    solved: Sequence[SolverRoute],
    params: RoutingParams,
    unmet: list[UnmetLoad],
) -> list[Truck]:
    """Time the solver's routes of one depot on its trucks (earliest-arrival reassignment if better)."""
    types = problem.fleet.at_depot(depot)
    counter: dict[str, int] = {}
    trucks = []
    for route in solved:
        vt = types[route.type_index]
        trips = [t for t in (_drop_overload(vt, trip, unmet) for trip in route.trips) if t]
        if not trips:
            continue
        index = counter.get(vt.name, 0)
        counter[vt.name] = index + 1
        timed = schedule_truck(problem, depot, vt, trips, orient=True)
        trucks.append(Truck(vt, index, timed, tuple(tuple(t) for t in trips)))
    if params.earliest_arrival and trucks:
        other = assign_earliest(problem, depot, trucks)
        if other is not None and score(other) < score(trucks):
            logger.debug("depot %s: earliest-arrival assignment %s -> %s", depot, score(trucks), score(other))
            trucks = other
    return trucks


def _to_routes(problem: RoutingProblem, depot: str, trucks: Sequence[Truck]) -> list[VehicleRoute]:
    """Turn timed trucks into vehicle routes, in fleet order."""
    names = [vt.name for vt in problem.fleet.at_depot(depot)]
    ordered = sorted(trucks, key=lambda tr: (names.index(tr.vt.name), tr.index))
    return [
        VehicleRoute(
            depot, tr.vt.name, tr.index, tr.vt.capacity_kg, tr.vt.capacity_m3, tr.vt.speed_factor, tr.trips
        )
        for tr in ordered
    ]


def _later_stops(routes: Sequence[VehicleRoute]) -> tuple[LateStop, ...]:
    """Return the stops of later-wave trips (``due_s``: the point's deadline)."""
    return tuple(
        LateStop(r.depot_id, s.point_id, r.vehicle_id, t.number, s.arrival_s, s.deadline_s or 0.0)
        for r in routes
        for t in r.trips
        if t.later
        for s in t.stops
    )


def _late_stops(routes: Sequence[VehicleRoute]) -> tuple[list[LateStop], list[LateStop]]:
    """Return the stops after their deadline, and those after the allocation's promised arrival.

    Stops of later-wave trips are after their deadline by design and listed apart.
    """
    late, behind = [], []
    for r in routes:
        for t in r.trips:
            if t.later:
                continue
            for s in t.stops:
                if s.deadline_s is not None and s.arrival_s > s.deadline_s + _TOL_S:
                    late.append(
                        LateStop(r.depot_id, s.point_id, r.vehicle_id, t.number, s.arrival_s, s.deadline_s)
                    )
                if s.promised_s is not None and s.arrival_s > s.promised_s + _TOL_S:
                    behind.append(
                        LateStop(r.depot_id, s.point_id, r.vehicle_id, t.number, s.arrival_s, s.promised_s)
                    )
    return late, behind


def _after_closing(problem: RoutingProblem, routes: Sequence[VehicleRoute]) -> tuple[str, ...]:
    """Return the vehicles back at their depot after it closes (later-wave trips are another shift)."""
    out = []
    for r in routes:
        closes = problem.closes_s(r.depot_id)
        back = [t.return_s for t in r.trips if not t.later]
        if closes is not None and back and max(back) > closes + _TOL_S:
            out.append(r.vehicle_id)
    return tuple(out)


def _over_duration(problem: RoutingProblem, routes: Sequence[VehicleRoute]) -> tuple[str, ...]:
    """Return the vehicles whose working time exceeds their type's limit."""
    return tuple(
        r.vehicle_id
        for r in routes
        for vt in problem.fleet.at_depot(r.depot_id)
        if vt.name == r.vehicle_type
        and vt.max_duration_h is not None
        and r.trips[-1].return_s - r.trips[0].start_s > vt.max_duration_h * 3600.0 + _TOL_S
    )


#: ``reallocate(pairs, result)`` returns new shipments that avoid or reduce the
#: ``(depot_id, point_id)`` pairs, or ``None`` when the allocation cannot change.
ReallocateFunc = Callable[[list[tuple[str, str]], RoutingResult], "Sequence[Shipment] | None"]


def plan_routes_with_feedback(
    problem: RoutingProblem,
    reallocate: ReallocateFunc,
    params: RoutingParams | None = None,
    *,
    max_rounds: int = 3,
    include_promise: bool = False,
) -> tuple[RoutingResult, int]:
    """Route, and while stops are late or lines unmet, ask the allocation to re-solve.

    Each round passes :meth:`RoutingResult.feedback` to ``reallocate``; its new
    shipments replace the old ones and routing runs again. The loop stops when
    there is nothing to feed back, ``reallocate`` returns ``None`` or the same
    shipments, or after ``max_rounds`` re-solves. The last result is returned
    as it is: late stops and unmet lines that remain stay listed.

    Parameters
    ----------
    problem
        The routing problem of the first allocation.
    reallocate
        ``reallocate(pairs, result) -> shipments | None``.
    params
        Routing parameters.
    max_rounds
        Most re-solves (default 3).
    include_promise
        Also feed back pairs that are behind the promised arrival.

    Returns
    -------
    tuple of (RoutingResult, int)
        The last result and the number of re-solves done.

    Raises
    ------
    ValueError
        When ``max_rounds < 0``.
    """
    if not (max_rounds >= 0):
        raise ValueError(f"Expected max_rounds >= 0, got {max_rounds}.")
    result = plan_routes(problem, params)
    for done in range(max_rounds):
        pairs = result.feedback(include_promise=include_promise)
        if not pairs:
            return result, done
        shipments = reallocate(pairs, result)
        if shipments is None or tuple(shipments) == problem.shipments:
            return result, done
        problem = dataclasses.replace(problem, shipments=tuple(shipments))
        result = plan_routes(problem, params)
    return result, max_rounds


def _busy_trucks(problem: RoutingProblem, result: RoutingResult, depot: str) -> list[Truck]:
    """Return the trucks of ``result`` at ``depot`` with their trips as parts (starts held by release times)."""
    types = {vt.name: vt for vt in problem.fleet.at_depot(depot)}
    out = []
    for r in result.routes:
        if r.depot_id != depot or r.vehicle_type not in types:
            continue
        parts = tuple(
            tuple(Part(depot, s.point_id, s.loads, False, s.promised_s, t.start_s) for s in t.stops)
            for t in r.trips
        )
        out.append(Truck(types[r.vehicle_type], r.vehicle_index, r.trips, parts))
    return out


def extend_routes(
    problem: RoutingProblem,
    result: RoutingResult,
    params: RoutingParams | None = None,
    *,
    later: bool = False,
) -> RoutingResult:
    """Add the shipments of ``problem`` to the trucks of ``result``, after what they already do.

    With ``later=False`` the new goods go on the time the trucks have left and only by their
    deadlines (what cannot make it is unmet with reason ``"deadline"``); with ``later=True``
    they form the later wave (delivered after their deadlines, on the truck free first). The
    trips already planned keep their times.

    Parameters
    ----------
    problem
        The new shipments, with the same fleet, matrices and clock as the problem of ``result``.
    result
        The routes so far.
    params
        Solver parameters (``fill``/``later_wave`` are ignored).

    Returns
    -------
    RoutingResult
        The trucks with their old and new trips; ``unmet`` lists only new goods.
    """
    params = params if params is not None else RoutingParams()
    started = time.perf_counter()
    plan = split_flows(problem)
    unmet = list(plan.unmet)
    routes: list[VehicleRoute] = [r for r in result.routes if r.depot_id not in plan.parts]
    depots = list(plan.parts.items())
    done = map_ordered(functools.partial(_extend_depot, problem, result, params, later), depots, params.jobs,
                       cost=[len(parts) for _, parts in depots], min_cost=_PARALLEL_PARTS)  # fmt: skip
    for depot_routes, depot_unmet in done:
        routes += depot_routes
        unmet += depot_unmet
    names = {(vt.depot_id, vt.name): k for k, vt in enumerate(problem.fleet.vehicle_types)}
    routes.sort(
        key=lambda r: (problem.index(r.depot_id), names.get((r.depot_id, r.vehicle_type), 0), r.vehicle_index)
    )
    run = RoutingStats(params.seed, dict(result.stats.iterations), dict(result.stats.objective),
                       dict(result.stats.n_clients), result.stats.runtime_s + time.perf_counter() - started)  # fmt: skip
    return _result(problem, routes, unmet, run, params)


def _extend_depot(
    problem: RoutingProblem,
    result: RoutingResult,
    params: RoutingParams,
    later: bool,
    work: tuple[str, list[Part]],
) -> tuple[list[VehicleRoute], list[UnmetLoad]]:
    """Add one depot's new parts to its trucks (see :func:`extend_routes`): its routes and unmet lines."""
    depot, parts = work
    trucks = _busy_trucks(problem, result, depot)
    if later:
        trucks, left = later_wave(problem, depot, trucks, parts)
        unmet = [u for part in left for u in _unmet_part(part, "fleet_capacity")]
    else:
        trucks, left = fill(problem, depot, trucks, _pieces(problem, parts, params), objective=params.objective,
                            seed=params.seed,
                            max_iterations=params.max_iterations, max_runtime_s=params.max_runtime_s,
                            no_improvement=params.no_improvement)  # fmt: skip
        unmet = [u for part in left for u in _unmet_part(part, "deadline")]
    return _to_routes(problem, depot, trucks), unmet
