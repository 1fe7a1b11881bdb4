"""Keep the by-deadline wave on time: drop late stops, fill the trucks' spare time, a later wave.

Used when shipments carry values (optional delivery): the solver plans with conservative travel
times, the schedule is then timed on the exact clock, and

1. :func:`drop_late` removes every stop that would still arrive after its deadline (and trips
   beyond a truck's working hours) from the by-deadline wave, re-timing the truck each time;
2. :func:`fill` gives the parts left over a second chance on the time the trucks have left
   (one solver vehicle per truck, free from its last return);
3. :func:`later_wave` delivers what is still left after the deadlines, each part on the truck
   that is free first, as explicit later trips (never counted as met by the deadline).
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING

from logistics.routing._pyvrp import TruckStart, solve_depot
from logistics.routing._schedule import Truck, over_hours, schedule_truck

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.routing._split import Part
    from logistics.routing.problem import RoutingProblem, VehicleType

_TOL_S = 1e-6


def _late_point(problem: RoutingProblem, truck: Truck) -> tuple[int, str] | None:
    """Return ``(trip index, point)`` of the first late stop of a truck, or ``None``."""
    for k, trip in enumerate(truck.trips):
        for s in trip.stops:
            if s.deadline_s is not None and s.arrival_s > s.deadline_s + _TOL_S:
                return k, s.point_id
    if over_hours(problem, truck.vt, truck.trips):
        return len(truck.trips) - 1, ""
    return None


def _timed(
    problem: RoutingProblem, depot: str, vt: VehicleType, index: int, trips: list[list[Part]]
) -> Truck:
    timed = schedule_truck(problem, depot, vt, trips, orient=True)
    return Truck(vt, index, timed, tuple(tuple(t) for t in trips))


def drop_late(problem: RoutingProblem, depot: str, trucks: Sequence[Truck]) -> tuple[list[Truck], list[Part]]:
    """Remove late stops (and trips past working hours) until every truck is on time.

    Parameters
    ----------
    problem
        The routing problem.
    depot
        The depot.
    trucks
        Timed trucks with the parts of each trip.

    Returns
    -------
    trucks, dropped
        The trucks that still drive, and the parts removed.
    """
    out: list[Truck] = []
    dropped: list[Part] = []
    for tr in trucks:
        trips = [list(p) for p in tr.parts]
        truck = tr
        while (hit := _late_point(problem, truck)) is not None:
            k, point = hit
            keep = [p for p in trips[k] if point and p.point_id != point]
            dropped += [p for p in trips[k] if not (point and p.point_id != point)]
            trips[k] = keep
            trips = [t for t in trips if t]
            if not trips:
                break
            truck = _timed(problem, depot, tr.vt, tr.index, trips)
        if trips:
            out.append(truck)
    return out, dropped


def _starts(problem: RoutingProblem, depot: str, trucks: Sequence[Truck]) -> tuple[list[TruckStart], list]:
    """Every truck of the depot as a solver vehicle free from its last return (unused ones from 0)."""
    busy = {(tr.vt.name, tr.index): tr for tr in trucks}
    starts, keys = [], []
    for vt in problem.fleet.at_depot(depot):
        for i in range(vt.count):
            tr = busy.get((vt.name, i))
            if tr is None:
                starts.append(TruckStart(vt, 0.0, vt.max_trips, None))
            else:
                left = None if vt.max_trips is None else vt.max_trips - len(tr.trips)
                hours = None
                if vt.max_duration_h is not None:
                    hours = vt.max_duration_h * 3600.0 - (tr.trips[-1].return_s - tr.trips[0].start_s)
                closes = problem.closes_s(depot)
                if (left is not None and left < 1) or (hours is not None and hours <= 0):
                    continue
                if closes is not None and tr.trips[-1].return_s >= closes:
                    continue
                starts.append(TruckStart(vt, tr.trips[-1].return_s, left, hours))
            keys.append((vt, i))
    return starts, keys


def fill(
    problem: RoutingProblem,
    depot: str,
    trucks: Sequence[Truck],
    leftover: Sequence[Part],
    *,
    objective: str,
    seed: int,
    max_iterations: int | None,
    max_runtime_s: float | None,
    no_improvement: int | None = None,
) -> tuple[list[Truck], list[Part]]:
    """Route leftover parts on the time the trucks have left; return the trucks and what is still left.

    Parameters
    ----------
    problem, depot
        The routing problem and the depot.
    trucks
        Timed trucks (on time).
    leftover
        Parts not delivered yet.
    objective, seed, max_iterations, max_runtime_s, no_improvement
        Solver settings (see :class:`~logistics.routing.solve.RoutingParams`).
    """
    starts, keys = _starts(problem, depot, trucks)
    if not leftover or not starts:
        return list(trucks), list(leftover)
    sol = solve_depot(problem, depot, leftover, objective=objective, seed=seed, max_iterations=max_iterations,
                      max_runtime_s=max_runtime_s, optional=True, trucks=starts,
                      no_improvement=no_improvement)  # fmt: skip
    by_key = {(tr.vt.name, tr.index): [list(p) for p in tr.parts] for tr in trucks}
    for route in sol.routes:
        vt, i = keys[route.type_index]
        by_key.setdefault((vt.name, i), []).extend(list(t) for t in route.trips)
    types = {vt.name: vt for vt in problem.fleet.at_depot(depot)}
    rebuilt = [_timed(problem, depot, types[name], i, trips) for (name, i), trips in by_key.items() if trips]
    rebuilt.sort(key=lambda tr: (list(types).index(tr.vt.name), tr.index))
    kept, dropped = drop_late(problem, depot, rebuilt)
    return kept, [*sol.unplanned, *dropped]


def later_wave(
    problem: RoutingProblem, depot: str, trucks: Sequence[Truck], leftover: Sequence[Part]
) -> tuple[list[Truck], list[Part]]:
    """Deliver leftover parts after their deadlines, each on the truck free first (later trips).

    Trip limits are respected; working-time limits are not (a later wave is another shift).

    Returns
    -------
    trucks, refused
        The trucks with their later trips appended, and parts no truck can take.
    """
    fleet = {(vt.name, i): vt for vt in problem.fleet.at_depot(depot) for i in range(vt.count)}
    plan = {k: (list(tr.trips), list(tr.parts)) for tr in trucks for k in [(tr.vt.name, tr.index)]}
    refused: list[Part] = []
    order = sorted(leftover, key=lambda p: (problem.deadline_s(p.point_id) or math.inf, -p.value, p.point_id))
    for part in order:
        best = None
        for key, vt in fleet.items():
            trips, _ = plan.get(key, ([], []))
            if not vt.fits(part.weight_kg, part.volume_m3):
                continue
            if vt.max_trips is not None and len(trips) >= vt.max_trips:
                continue
            free = trips[-1].return_s if trips else 0.0
            (trip,) = schedule_truck(
                problem, depot, vt, [[part]], available_s=free, first_number=len(trips) + 1
            )
            if math.isfinite(trip.return_s) and (best is None or trip.stops[0].arrival_s < best[0]):
                best = (trip.stops[0].arrival_s, key, trip)
        if best is None:
            refused.append(part)
            continue
        _, key, trip = best
        trips, parts = plan.setdefault(key, ([], []))
        trips.append(dataclasses.replace(trip, later=True))
        parts.append((part,))
    out = [Truck(fleet[k], k[1], tuple(t), tuple(p)) for k, (t, p) in plan.items() if t]
    names = [vt.name for vt in problem.fleet.at_depot(depot)]
    out.sort(key=lambda tr: (names.index(tr.vt.name), tr.index))
    return out, refused
