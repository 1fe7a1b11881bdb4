"""Timetables of trucks (ETA of every stop) and the earliest-arrival trip assignment.

Times are computed here from the real (float) travel-time matrix, not from the
solver's rounded integers: a truck starts loading when its depot is ready (or when
it is back from its previous trip) and every good of the trip is released, loads for
``service.load_s``, drives, waits where a point does not receive yet, unloads for the
point's unloading time (fixed per visit + per tonne) at each stop, and returns.
Consecutive parts for the same point on one trip are one stop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from logistics.routing.result import ItemLoad, Stop, Trip

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.routing._split import Part
    from logistics.routing.problem import RoutingProblem, VehicleType

_TOL_S = 1e-6


def _merge_loads(parts: Sequence[Part]) -> tuple[ItemLoad, ...]:
    acc: dict[tuple[str, str], list[float]] = {}
    for part in parts:
        for x in part.loads:
            a = acc.setdefault((x.item_id, x.source_id), [0.0, 0.0, 0.0])
            a[0] += x.quantity
            a[1] += x.weight_kg
            a[2] += x.volume_m3
    return tuple(ItemLoad(k, *v, source_id=src) for (k, src), v in acc.items())


def schedule_truck(
    problem: RoutingProblem,
    depot_id: str,
    vt: VehicleType,
    trips: Sequence[Sequence[Part]],
    *,
    available_s: float = 0.0,
    first_number: int = 1,
    orient: bool = False,
) -> tuple[Trip, ...]:
    """Return the timed trips of one truck driving ``trips`` one after another.

    Parameters
    ----------
    problem
        The routing problem.
    depot_id
        Home depot.
    vt
        The truck's type (speed factor).
    trips
        Parts of each trip in visiting order.
    available_s
        When the truck is free, seconds from t0 (the depot's ready time applies too).
    first_number
        Number of the first trip.
    orient
        Drive a trip in reverse when that gives less lateness, or the same
        lateness, no later return and earlier arrivals (on symmetric roads a
        trip and its reverse tie for the solver, but not for the people waiting).

    Returns
    -------
    tuple of Trip
        Trips with arrival and departure times of every stop.
    """
    t = max(available_s, problem.ready_s(depot_id))
    out = []
    for n, parts in enumerate(trips, start=first_number):
        start = max([t, *(p.release_s for p in parts)])
        trip = _timed_trip(problem, depot_id, vt, parts, start, n)
        if orient and len({p.point_id for p in parts}) > 1:
            rev = _timed_trip(problem, depot_id, vt, parts[::-1], start, n)
            if _trip_key(rev) < _trip_key(trip):
                trip = rev
        out.append(trip)
        t = trip.return_s
    return tuple(out)


def _trip_key(trip: Trip) -> tuple[float, float, float]:
    late = sum(s.late_s for s in trip.stops)
    return (round(late, 3), round(trip.return_s, 3), round(sum(s.arrival_s for s in trip.stops), 3))


def _timed_trip(
    problem: RoutingProblem,
    depot_id: str,
    vt: VehicleType,
    parts: Sequence[Part],
    start: float,
    n: int,
) -> Trip:
    """Time one trip loading from ``start``; it leaves later when that only saves waiting.

    A truck that would wait at its first stop for the point to start receiving starts loading
    later by that wait, unless that makes any stop later (time-dependent roads).
    """
    trip = _drive(problem, depot_id, vt, parts, start, n)
    wait = trip.stops[0].wait_s if trip.stops else 0.0
    if wait > _TOL_S:
        later = _drive(problem, depot_id, vt, parts, start + wait, n)
        if later.return_s <= trip.return_s + _TOL_S and all(
            b.departure_s <= a.departure_s + _TOL_S for a, b in zip(trip.stops, later.stops, strict=True)
        ):
            trip = later
    return trip


def _drive(
    problem: RoutingProblem,
    depot_id: str,
    vt: VehicleType,
    parts: Sequence[Part],
    start: float,
    n: int,
) -> Trip:
    """Time one trip: load from ``start``, drive, wait for receiving windows, unload, return."""
    departure = start + problem.service.load_s
    now, prev, dist = departure, depot_id, 0.0
    stops = []
    for point, group in groupby(parts, key=lambda p: p.point_id):
        group = list(group)
        arrival, leg = problem.leg(prev, point, now, vt.speed_factor)
        dist += leg
        loads = _merge_loads(group)
        weight = sum(x.weight_kg for x in loads)
        wait = max(0.0, problem.earliest_s(point) - arrival)
        leave = arrival + wait + problem.unloading_s(point, weight)
        promised = [p.promised_s for p in group if p.promised_s is not None]
        stops.append(
            Stop(
                point,
                loads,
                arrival,
                leave,
                problem.arrival_deadline_s(point, weight),
                min(promised) if promised else None,
                leg,
                wait,
            )
        )
        now, prev = leave, point
    back, leg = problem.leg(prev, depot_id, now, vt.speed_factor)
    dist += leg
    return Trip(n, depot_id, start, departure, back, tuple(stops), dist)


@dataclass(frozen=True)
class Truck:
    """One truck with its timed trips and the parts each trip carries."""

    vt: VehicleType
    index: int
    trips: tuple[Trip, ...]
    parts: tuple[tuple[Part, ...], ...] = ()


def score(trucks: Sequence[Truck]) -> tuple[int, float, float]:
    """Return ``(late stops, total lateness s, sum of arrivals s)``: lower is better."""
    stops = [s for tr in trucks for t in tr.trips for s in t.stops]
    late = [s.late_s for s in stops if s.late_s > _TOL_S]
    return len(late), round(sum(late), 3), round(sum(s.arrival_s for s in stops), 3)


def over_hours(problem: RoutingProblem, vt: VehicleType, trips: Sequence[Trip]) -> bool:
    """Return whether a truck works longer than its limit or returns after its depot closes."""
    if not trips:
        return False
    if (
        vt.max_duration_h is not None
        and trips[-1].return_s - trips[0].start_s > vt.max_duration_h * 3600.0 + _TOL_S
    ):
        return True
    closes = problem.closes_s(vt.depot_id)
    return closes is not None and trips[-1].return_s > closes + _TOL_S


def assign_earliest(
    problem: RoutingProblem,
    depot_id: str,
    trucks: Sequence[Truck],
) -> list[Truck] | None:
    """Reassign the solver's trips to trucks so that goods arrive as early as possible.

    Earliest-deadline-first list scheduling: trips in order of their earliest
    deadline (then of their start in the solver's plan) each go to the truck that
    can carry them and gives the least lateness, then the smallest sum of
    arrivals, then the earliest return. Trucks with a fixed cost that the solver
    did not use stay unused. Trip limits and working-time limits are respected.

    Parameters
    ----------
    problem
        The routing problem.
    depot_id
        The depot.
    trucks
        The solver's trucks with their timed trips.

    Returns
    -------
    list of Truck or None
        The new trucks (those with trips), or ``None`` if some trip fits no truck.
    """
    used = {(tr.vt.name, tr.index) for tr in trucks}
    fleet = [
        (vt, k)
        for vt in problem.fleet.at_depot(depot_id)
        for k in range(vt.count)
        if vt.fixed_cost == 0 or (vt.name, k) in used
    ]
    jobs = []
    for tr in trucks:
        for t, parts in zip(tr.trips, tr.parts, strict=True):
            deadlines = [s.deadline_s for s in t.stops if s.deadline_s is not None]
            jobs.append((min(deadlines, default=math.inf), t.start_s, len(jobs), tuple(parts), t))
    jobs.sort(key=lambda j: j[:3])
    plan: dict[int, list[Trip]] = {i: [] for i in range(len(fleet))}
    carried: dict[int, list[tuple[Part, ...]]] = {i: [] for i in range(len(fleet))}
    for *_, parts, old in jobs:
        best = None
        idle: set[str] = set()  # idle trucks of one type are alike: trying the first is enough
        for i, (vt, _k) in enumerate(fleet):
            if not plan[i]:
                if vt.name in idle:
                    continue
                idle.add(vt.name)
            if not vt.fits(old.weight_kg, old.volume_m3):
                continue
            if vt.max_trips is not None and len(plan[i]) >= vt.max_trips:
                continue
            free = plan[i][-1].return_s if plan[i] else 0.0
            (trip,) = schedule_truck(
                problem,
                depot_id,
                vt,
                [parts],
                available_s=free,
                first_number=len(plan[i]) + 1,
                orient=True,
            )
            if over_hours(problem, vt, [*plan[i], trip]):
                continue
            key = (
                round(sum(s.late_s for s in trip.stops), 3),
                round(sum(s.arrival_s for s in trip.stops), 3),
                trip.return_s,
                i,
            )
            if best is None or key < best[0]:
                best = (key, i, trip)
        if best is None:
            return None
        plan[best[1]].append(best[2])
        carried[best[1]].append(parts)
    return [
        Truck(fleet[i][0], fleet[i][1], tuple(trips), tuple(carried[i])) for i, trips in plan.items() if trips
    ]
