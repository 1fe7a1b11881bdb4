"""PyVRP back end: build one depot's instance, solve it with a seed and limits, decode it."""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.routing._scale import scale_loads, scale_matrix, scale_time

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pyvrp

    from logistics.routing._split import Part
    from logistics.routing.problem import RoutingProblem, VehicleType


#: Penalty weights used to pick the least-bad solution when no feasible one is found:
#: per unit of excess load (g or L) and per second of time warp (lateness).
FALLBACK_LOAD_PENALTY = 1_000
FALLBACK_TW_PENALTY = 100


class _LeastInfeasible:
    """ILS callback keeping the candidate with the lowest fixed-weight penalised cost.

    PyVRP's ``best`` only ever holds feasible solutions; when deadlines cannot all
    be met it stays the initial solution. This observer keeps the candidate that
    minimises cost + 1,000 × excess load + 100 × time warp instead.
    """

    def __init__(self, num_load_dims: int) -> None:
        from pyvrp import CostEvaluator  # heavy: loaded only on this path

        self.evaluator = CostEvaluator([FALLBACK_LOAD_PENALTY] * num_load_dims, FALLBACK_TW_PENALTY, 0)
        self.best: pyvrp.Solution | None = None
        self.best_cost = float("inf")

    def _see(self, sol: pyvrp.Solution) -> None:
        cost = self.evaluator.penalised_cost(sol)
        if cost < self.best_cost:
            self.best, self.best_cost = sol, cost

    def on_start(self, ils: object) -> None:
        self._see(ils.initial_solution)  # type: ignore[attr-defined]

    def on_iteration(
        self,
        current: pyvrp.Solution,
        candidate: pyvrp.Solution,
        best: pyvrp.Solution,
        cost_evaluator: object,
    ) -> None:
        self._see(candidate)

    def on_end(self, result: object) -> None:
        pass

    def on_restart(self, best: object) -> None:
        pass

    def on_best(self, best: pyvrp.Solution) -> None:
        self._see(best)


def solve_data(
    data: pyvrp.ProblemData,
    *,
    seed: int,
    max_iterations: int | None = None,
    max_runtime_s: float | None = None,
    least_infeasible: bool = False,
    no_improvement: int | None = None,
    initial: pyvrp.Solution | None = None,
) -> pyvrp.Result:
    """Solve a PyVRP instance with PyVRP's default iterated local search.

    This is the one call the routing engine and ``bench/cvrplib.py`` share, so
    the benchmark measures exactly the configuration used in production (the
    engine only adds the observer of ``least_infeasible``).

    Parameters
    ----------
    data
        PyVRP problem data.
    seed
        Seed of PyVRP's random number generator.
    max_iterations
        Stop after this many iterations (deterministic with ``seed``).
    max_runtime_s
        Stop after this many seconds of wall-clock time (not deterministic).
        When both limits are given, the solver stops at the first one reached.
    least_infeasible
        When no feasible solution is found (deadlines that cannot all be met),
        return the candidate with the least penalised lateness and excess load
        instead of PyVRP's initial solution.
    no_improvement
        Also stop after this many iterations without a better solution (deterministic).
    initial
        Solution to start the search from (default: PyVRP's own start).

    Returns
    -------
    pyvrp.Result
        PyVRP's result (best solution, iterations, runtime).

    Raises
    ------
    ValueError
        When neither limit is given, or a limit is negative.
    """
    from pyvrp import IteratedLocalSearchParams, SolveParams, solve  # heavy: loaded only on this path
    from pyvrp.exceptions import PenaltyBoundWarning  # heavy: loaded only on this path
    from pyvrp.stop import (  # heavy: loaded only on this path
        MaxIterations,
        MaxRuntime,
        MultipleCriteria,
        NoImprovement,
    )

    criteria = []
    if max_iterations is not None:
        if not (max_iterations >= 0):
            raise ValueError(f"Expected max_iterations >= 0, got {max_iterations}.")
        criteria.append(MaxIterations(int(max_iterations)))
    if max_runtime_s is not None:
        if not (max_runtime_s >= 0):
            raise ValueError(f"Expected max_runtime_s >= 0, got {max_runtime_s}.")
        criteria.append(MaxRuntime(float(max_runtime_s)))
    if not criteria:
        raise ValueError("Expected max_iterations or max_runtime_s (or both).")
    if no_improvement is not None:
        criteria.append(NoImprovement(int(no_improvement)))
    stop = criteria[0] if len(criteria) == 1 else MultipleCriteria(criteria)
    params = SolveParams()
    observer = None
    if least_infeasible:
        observer = _LeastInfeasible(data.num_load_dimensions)
        params = SolveParams(ils=IteratedLocalSearchParams(callbacks=observer))
    with warnings.catch_warnings():
        # Raised when deadlines cannot all be met; the engine reports late stops itself.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = solve(data, stop, seed=int(seed), collect_stats=False, display=False, params=params,
                       initial_solution=initial)  # fmt: skip
    if observer is not None and not result.is_feasible() and observer.best is not None:
        result = dataclasses.replace(result, best=observer.best)
    return result


_INT_MAX = (1 << 63) - 1


@dataclass(frozen=True)
class SolverRoute:
    """One truck of the solver's solution: its vehicle type and its trips of parts."""

    type_index: int
    trips: tuple[tuple[Part, ...], ...]


#: A solver route as ``(vehicle type, activities)``: ``(True, 0)`` is a reload at the depot,
#: ``(False, k)`` a visit to client ``k`` (start and end at the depot left out).
RawRoute = tuple[int, tuple[tuple[bool, int], ...]]


@dataclass(frozen=True)
class DepotSolution:
    """Decoded solver output for one depot.

    ``penalised`` ranks solutions of one depot's problem: the objective plus uncollected
    prizes, plus lateness and excess load at the fallback weights.
    """

    routes: tuple[SolverRoute, ...]
    unplanned: tuple[Part, ...]
    iterations: int
    objective: int
    raw: tuple[RawRoute, ...] = ()
    penalised: float = 0.0


#: Prize per unit of :attr:`Part.value` when parts are optional (values are shares of demand
#: met, about 1e-6 … 1): large enough that delivering more value always beats saving time.
PRIZE_SCALE = 1e10


@dataclass(frozen=True)
class TruckStart:
    """One truck that is already partly busy (the fill pass): free from ``free_s``."""

    vt: VehicleType
    free_s: float
    trips_left: int | None
    hours_left_s: float | None


def build_depot_data(
    problem: RoutingProblem,
    depot_id: str,
    parts: Sequence[Part],
    *,
    objective: str,
    optional: bool = False,
    trucks: Sequence[TruckStart] | None = None,
) -> pyvrp.ProblemData:
    """Return the PyVRP instance of one depot: its trucks and its delivery parts.

    Location 0 is the depot; the other locations are the distinct points of
    ``parts`` in order of first appearance. Client ``k`` is ``parts[k]``.

    Parameters
    ----------
    problem
        The routing problem (matrices, fleet, times).
    depot_id
        The depot.
    parts
        Delivery parts of this depot (every part fits at least one truck).
    objective
        ``"duration"`` (seconds) or ``"distance"`` (metres).
    optional
        Parts are optional clients with a prize of ``value × PRIZE_SCALE``: the solver
        delivers the most value it can within the deadlines.
    trucks
        One vehicle per entry (free from a given time, with trips and working time left)
        instead of the depot's fleet types; used to fill the time trucks have left.

    Returns
    -------
    pyvrp.ProblemData
        The instance.
    """
    from pyvrp import Depot, Location, ProblemData  # heavy: loaded only on this path

    points = list(dict.fromkeys(p.point_id for p in parts))
    places = [depot_id, *points]
    rows = np.array([problem.index(pid) for pid in places])
    sub_tt = problem.travel_time_s[np.ix_(rows, rows)]
    sub_d = problem.distance_m[np.ix_(rows, rows)]
    fleet = [TruckStart(vt, 0.0, vt.max_trips, None) for vt in problem.fleet.at_depot(depot_id)]
    starts = list(trucks) if trucks is not None else fleet
    speeds = sorted({t.vt.speed_factor for t in starts})
    # the fixed unloading time of a visit is on every arc into a point from another place, so
    # pieces of one point on one trip pay it once; the point's time window moves by it
    fixed = np.array([0.0, *(problem.unload_fixed_s(pid) for pid in points)])
    durations = [scale_matrix(_with_unloading(sub_tt / sf, fixed), round_up=True) for sf in speeds]
    distance = scale_matrix(sub_d, round_up=False)
    ready = scale_time(problem.ready_s(depot_id), round_up=True) or 0
    closes = scale_time(problem.closes_s(depot_id), round_up=False)
    load_s = scale_time(problem.service.load_s, round_up=True) or 0
    clients = _clients(problem, parts, {pid: i for i, pid in enumerate(places)}, optional)
    counts = None if trucks is not None else [vt.count for vt in problem.fleet.at_depot(depot_id)]
    vehicle_types = _vehicle_types(problem, starts, counts, speeds, (ready, closes), objective)
    locations = [Location(0.0, 0.0, name=str(pid)) for pid in places]
    depot = Depot(location=0, tw_early=ready, tw_late=_INT_MAX if closes is None else max(closes, ready),
                  service_duration=load_s, name=str(depot_id))  # fmt: skip
    return ProblemData(locations, clients, [depot], vehicle_types, [distance] * len(speeds), durations)


def _with_unloading(tt: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """Add each place's fixed unloading time to the arcs into it from other places."""
    out = tt + fixed[None, :]
    np.fill_diagonal(out, 0.0)
    return out


def _clients(
    problem: RoutingProblem, parts: Sequence[Part], loc: dict[str, int], optional: bool
) -> list[Any]:
    """One PyVRP client per part: load, unloading time, deadline, release and prize."""
    from pyvrp import Client  # heavy: loaded only on this path

    demand = scale_loads(
        np.array([p.weight_kg for p in parts]), np.array([p.volume_m3 for p in parts]), round_up=True
    )
    out = []
    for k, part in enumerate(parts):
        point = part.point_id
        fixed = problem.unload_fixed_s(point)
        due = problem.deadline_s(point)
        per_t = problem.unloading_s(point, part.weight_kg) - fixed
        # folded clock: service starts at arrival + fixed; unloaded-by deadlines end after per_t
        shift = -per_t if problem.unloaded_by_deadline else fixed
        deadline = None if due is None else scale_time(due + shift, round_up=False)
        opens = problem.earliest_s(point)
        early = scale_time(opens + fixed, round_up=True) if opens > 0 else 0
        release = (
            scale_time(part.release_s + problem.service.load_s, round_up=True) if part.release_s > 0 else 0
        )
        extra: dict[str, Any] = {}
        if optional:
            extra = {"prize": max(1, round(part.value * PRIZE_SCALE)), "required": False}
        out.append(
            Client(
                location=loc[part.point_id],
                delivery=[int(x) for x in demand[k]],
                service_duration=scale_time(problem.unloading_s(point, part.weight_kg) - fixed, round_up=True)
                or 0,
                tw_early=early or 0,
                tw_late=_INT_MAX if deadline is None else max(deadline, early or 0),
                release_time=release or 0,
                name=f"{part.point_id}#{k}",
                **extra,
            )
        )
    return out


def _vehicle_types(
    problem: RoutingProblem,
    starts: Sequence[TruckStart],
    counts: Sequence[int] | None,
    speeds: list[float],
    hours: tuple[int, int | None],
    objective: str,
) -> list[Any]:
    """PyVRP vehicle types: the fleet's types with their counts, or one per busy truck."""
    from pyvrp import VehicleType as PyVehicleType  # heavy: loaded only on this path
    from pyvrp.constants import MAX_SIZE  # heavy: loaded only on this path

    capacity = scale_loads(
        np.array([t.vt.capacity_kg for t in starts]),
        np.array([t.vt.capacity_m3 for t in starts]),
        round_up=False,
    )
    ready, closes = hours
    out = []
    for i, t in enumerate(starts):
        vt = t.vt
        early = max(ready, scale_time(t.free_s, round_up=True) or 0)
        extra: dict[str, Any] = {}
        hours = vt.max_duration_h * 3600.0 if vt.max_duration_h is not None else None
        if t.hours_left_s is not None:
            hours = t.hours_left_s
        if hours is not None:
            extra["shift_duration"] = max(0, scale_time(hours, round_up=False) or 0)
        trips = t.trips_left
        out.append(
            PyVehicleType(
                num_available=int(vt.count) if counts is not None else 1,
                capacity=[int(x) for x in capacity[i]],
                start_depot=0,
                end_depot=0,
                fixed_cost=round(vt.fixed_cost) if counts is not None else 0,
                tw_early=early,
                tw_late=_INT_MAX if closes is None else max(closes, early),
                unit_distance_cost=1 if objective == "distance" else 0,
                unit_duration_cost=1 if objective == "duration" else 0,
                profile=speeds.index(vt.speed_factor),
                reload_depots=[] if trips == 1 else [0],
                max_reloads=MAX_SIZE if trips is None else max(int(trips) - 1, 0),
                name=vt.name,
                **extra,
            )
        )
    return out


def solve_depot(
    problem: RoutingProblem,
    depot_id: str,
    parts: Sequence[Part],
    *,
    objective: str,
    seed: int,
    max_iterations: int | None,
    max_runtime_s: float | None,
    optional: bool = False,
    trucks: Sequence[TruckStart] | None = None,
    no_improvement: int | None = None,
    initial: Sequence[RawRoute] | None = None,
) -> DepotSolution:
    """Solve one depot's routing with PyVRP and decode trucks and trips.

    Parameters
    ----------
    problem
        The routing problem.
    depot_id
        The depot.
    parts
        Its delivery parts.
    objective
        ``"duration"`` or ``"distance"``.
    seed
        Solver seed.
    max_iterations
        Iteration limit (deterministic).
    max_runtime_s
        Wall-clock limit.
    optional, trucks
        See :func:`build_depot_data`.
    no_improvement
        See :func:`solve_data`.
    initial
        Routes to start the search from, in terms of ``parts`` (e.g. a solution of the same
        loads before they were cut into pieces).

    Returns
    -------
    DepotSolution
        Trucks with their trips (parts in visiting order) and unplanned parts;
        ``SolverRoute.type_index`` indexes ``trucks`` when given.
    """
    from pyvrp import (  # heavy: loaded only on this path
        Activity,
        ActivityType,
        CostEvaluator,
        Route,
        Solution,
    )

    data = build_depot_data(problem, depot_id, parts, objective=objective, optional=optional, trucks=trucks)
    start = None
    if initial is not None:
        kinds = {True: ActivityType.DEPOT, False: ActivityType.CLIENT}
        start = Solution(
            data, [Route(data, [Activity(kinds[d], k) for d, k in acts], vt) for vt, acts in initial if acts]
        )
    result = solve_data(
        data,
        seed=seed,
        max_iterations=max_iterations,
        max_runtime_s=max_runtime_s,
        least_infeasible=True,
        no_improvement=no_improvement,
        initial=start,
    )
    best = result.best
    routes = []
    raw: list[RawRoute] = []
    visited: set[int] = set()
    for route in best.routes():
        trips: list[list[Part]] = []
        acts = [(bool(a.is_depot()), int(a.idx)) for a in route.schedule()][1:-1]
        raw.append((route.vehicle_type(), tuple(acts)))
        trips.append([])
        for is_depot, k in acts:
            if is_depot:
                trips.append([])
            else:
                trips[-1].append(parts[k])
                visited.add(k)
        trips = [t for t in trips if t]
        if trips:
            routes.append(SolverRoute(route.vehicle_type(), tuple(tuple(t) for t in trips)))
    unplanned = tuple(p for k, p in enumerate(parts) if k not in visited)
    objective_value = best.distance_cost() + best.duration_cost() + best.fixed_vehicle_cost()
    weights = CostEvaluator([FALLBACK_LOAD_PENALTY] * data.num_load_dimensions, FALLBACK_TW_PENALTY, 0)
    return DepotSolution(tuple(routes), unplanned, result.num_iterations, int(objective_value), tuple(raw),
                         float(weights.penalised_cost(best)))  # fmt: skip
