"""Independent feasibility check of a routing result against its problem (``check_routes``).

Everything is recomputed from the problem's shipments, fleet, matrices and
service times; nothing is taken from the routing engine except the result being
checked. The check is used by the tests and can be run on any result.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

from logistics.routing.result import UNMET_REASONS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.routing.problem import RoutingProblem, VehicleType
    from logistics.routing.result import RoutingResult, Stop, Trip, UnmetLoad, VehicleRoute


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def check_routes(
    problem: RoutingProblem,
    result: RoutingResult,
    *,
    time_tol_s: float = 1e-6,
    rel_tol: float = 1e-6,
) -> list[str]:
    """Return every violation found in ``result`` (an empty list means feasible).

    Checked: trucks exist in the fleet (type, depot, count, capacity, speed);
    trip numbering; weight and volume of every trip within the truck's
    capacity; trip limits; every time recomputed from the depot's ready time,
    the goods' release times, loading and unloading times (per point where
    given), waits until a point receives, and the problem's
    legs (:meth:`RoutingProblem.leg`: its timing model, else the matrices,
    divided by the speed factor); trip distances; every shipped quantity, weight and volume
    delivered or listed as unmet, exactly once; the ``late``,
    ``behind_promise``, ``over_duration`` and ``after_closing`` lists equal to what the times
    imply (so no stop is silently late).

    Parameters
    ----------
    problem
        The routing problem.
    result
        The result to check.
    time_tol_s
        Absolute tolerance on times, seconds.
    rel_tol
        Relative tolerance on loads and distances.

    Returns
    -------
    list of str
        Human-readable violations.
    """
    checker = _Checker(problem, time_tol_s, rel_tol)
    for route in result.routes:
        checker.route(route)
    checker.unmet(result.unmet)
    checker.balance()
    checker.lists(result)
    return checker.bad


class _Checker:
    """State of one check: what was shipped, what the routes deliver, what the times imply."""

    def __init__(self, problem: RoutingProblem, time_tol_s: float, rel_tol: float) -> None:
        self.problem, self.time_tol_s, self.rel_tol = problem, time_tol_s, rel_tol
        self.bad: list[str] = []
        self.types = {(vt.depot_id, vt.name): vt for vt in problem.fleet.vehicle_types}
        self.promised: dict[tuple[str, str], float] = {}
        self.release: dict[tuple[str, str, str, str], float] = {}
        self.shipped: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for s in problem.shipments:
            acc = self.shipped[(s.depot_id, s.point_id, s.item_id)]
            acc[0] += s.quantity
            acc[1] += s.weight_kg
            acc[2] += s.volume_m3
            key4 = (s.depot_id, s.point_id, s.source_id, s.item_id)
            self.release[key4] = min(self.release.get(key4, math.inf), float(s.release_h) * 3600.0)
            if s.promised_arrival_h is not None:
                key = (s.depot_id, s.point_id)
                self.promised[key] = min(self.promised.get(key, math.inf), s.promised_arrival_h * 3600.0)
        self.delivered: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self.late: set[tuple[str, int, str]] = set()
        self.behind: set[tuple[str, int, str]] = set()
        self.over: set[str] = set()
        self.closed: set[str] = set()
        self.later: set[tuple[str, int, str]] = set()
        self.seen: set[tuple[str, str, int]] = set()

    def route(self, route: VehicleRoute) -> None:
        """Check one truck: its type, index, capacity, trips and working time."""
        bad, name = self.bad, route.vehicle_id
        vt = self.types.get((route.depot_id, route.vehicle_type))
        if vt is None:
            bad.append(f"{name}: no vehicle type {route.vehicle_type!r} at {route.depot_id!r}")
            return
        key = (route.depot_id, route.vehicle_type, route.vehicle_index)
        if key in self.seen:
            bad.append(f"{name}: truck appears twice")
        self.seen.add(key)
        if not (0 <= route.vehicle_index < vt.count):
            bad.append(f"{name}: index {route.vehicle_index} but only {vt.count} trucks")
        if (route.capacity_kg, route.capacity_m3, route.speed_factor) != (
            vt.capacity_kg,
            vt.capacity_m3,
            vt.speed_factor,
        ):
            bad.append(f"{name}: capacity or speed differs from the fleet")
        if not route.trips:
            bad.append(f"{name}: no trips")
            return
        if vt.max_trips is not None and len(route.trips) > vt.max_trips:
            bad.append(f"{name}: {len(route.trips)} trips, limit {vt.max_trips}")
        free = self.problem.ready_s(route.depot_id)
        for k, trip in enumerate(route.trips, start=1):
            free = self.trip(route, vt, trip, k, free)
        if vt.max_duration_h is not None and (
            route.trips[-1].return_s - route.trips[0].start_s > vt.max_duration_h * 3600.0 + self.time_tol_s
        ):
            self.over.add(name)
        closes = self.problem.closes_h.get(route.depot_id)
        back = [t.return_s for t in route.trips if not t.later]
        if closes is not None and back and max(back) > closes * 3600.0 + self.time_tol_s:
            self.closed.add(name)

    def trip(self, route: VehicleRoute, vt: VehicleType, trip: Trip, k: int, free: float) -> float:
        """Check one trip (number, loads, times, distance); return when the truck is free again."""
        bad, problem, tol, rel = self.bad, self.problem, self.time_tol_s, self.rel_tol
        where = f"{route.vehicle_id} trip {trip.number}"
        if trip.number != k:
            bad.append(f"{where}: expected trip number {k}")
        if trip.depot_id != route.depot_id:
            bad.append(f"{where}: leaves from {trip.depot_id!r}, not its depot")
        if not trip.stops:
            bad.append(f"{where}: no stops")
            return free
        w = sum(x.weight_kg for s in trip.stops for x in s.loads)
        v = sum(x.volume_m3 for s in trip.stops for x in s.loads)
        if w > vt.capacity_kg * (1 + rel):
            bad.append(f"{where}: {w:.3f} kg > capacity {vt.capacity_kg} kg")
        if v > vt.capacity_m3 * (1 + rel):
            bad.append(f"{where}: {v:.6f} m³ > capacity {vt.capacity_m3} m³")
        if trip.start_s < free - tol:
            bad.append(f"{where}: starts at {trip.start_s:.1f} s before truck is free at {free:.1f} s")
        released = max((self.release.get((route.depot_id, s.point_id, x.source_id, x.item_id), 0.0)
                        for s in trip.stops for x in s.loads), default=0.0)  # fmt: skip
        if trip.start_s < released - tol:
            bad.append(
                f"{where}: starts loading at {trip.start_s:.1f} s before its goods are released ({released:.1f} s)"
            )
        if abs(trip.departure_s - trip.start_s - problem.service.load_s) > tol:
            bad.append(f"{where}: departure is not start + loading time")
        prev = route.depot_id
        now, dist = trip.departure_s, 0.0
        for s in trip.stops:
            arrive, leg = problem.leg(prev, s.point_id, now, vt.speed_factor)
            dist += leg
            self.stop(route, vt, trip, s, arrive, leg)
            now, prev = s.departure_s, s.point_id
        back, leg = problem.leg(prev, route.depot_id, now, vt.speed_factor)
        dist += leg
        if abs(trip.return_s - back) > tol:
            bad.append(f"{where}: return {trip.return_s:.3f} s, recomputed {back:.3f} s")
        if not _close(trip.distance_m, dist, rel):
            bad.append(f"{where}: distance {trip.distance_m} m, recomputed {dist} m")
        return trip.return_s

    def stop(
        self, route: VehicleRoute, vt: VehicleType, trip: Trip, s: Stop, arrive: float, leg: float
    ) -> None:
        """Check one stop: leg, arrival, unloading time, loads; note lateness."""
        bad, problem, tol = self.bad, self.problem, self.time_tol_s
        where = f"{route.vehicle_id} trip {trip.number}"
        if not _close(s.leg_m, leg, self.rel_tol):
            bad.append(f"{where}: leg to {s.point_id!r} is {s.leg_m} m, recomputed {leg} m")
        if not math.isfinite(arrive) or abs(s.arrival_s - arrive) > tol:
            bad.append(f"{where}: arrival at {s.point_id!r} {s.arrival_s:.3f} s, recomputed {arrive:.3f} s")
        weight = sum(x.weight_kg for x in s.loads)
        ps = problem.point_service.get(s.point_id, problem.service)
        unload = ps.unload_s + ps.unload_s_per_t * weight / 1e3
        opens = problem.earliest_h.get(s.point_id, 0.0) * 3600.0
        wait = max(0.0, opens - s.arrival_s)
        if abs(s.wait_s - wait) > tol:
            bad.append(
                f"{where}: wait at {s.point_id!r} is {s.wait_s:.1f} s, the point receives from {opens:.1f} s"
            )
        if abs(s.departure_s - s.arrival_s - wait - unload) > tol:
            bad.append(f"{where}: unloading at {s.point_id!r} is not {unload:.1f} s after the wait")
        if not s.loads or any(x.quantity < 0 or x.weight_kg < 0 for x in s.loads):
            bad.append(f"{where}: empty or negative load at {s.point_id!r}")
        for x in s.loads:
            acc = self.delivered[(route.depot_id, s.point_id, x.item_id)]
            acc[0] += x.quantity
            acc[1] += x.weight_kg
            acc[2] += x.volume_m3
        h = problem.deadline_h.get(s.point_id)
        due = None if h is None else h * 3600.0 - (unload if problem.unloaded_by_deadline else 0.0)
        if trip.later:
            self.later.add((route.vehicle_id, trip.number, s.point_id))
        elif due is not None and s.arrival_s > due + tol:
            self.late.add((route.vehicle_id, trip.number, s.point_id))
        p = self.promised.get((route.depot_id, s.point_id))
        if p is not None and s.arrival_s > p + tol:
            self.behind.add((route.vehicle_id, trip.number, s.point_id))

    def unmet(self, lines: Sequence[UnmetLoad]) -> None:
        """Count unmet lines as accounted for; check their reasons."""
        for u in lines:
            if u.reason not in UNMET_REASONS:
                self.bad.append(f"unmet line {u}: unknown reason {u.reason!r}")
            acc = self.delivered[(u.depot_id, u.point_id, u.item_id)]
            acc[0] += u.quantity
            acc[1] += u.weight_kg
            acc[2] += u.volume_m3

    def balance(self) -> None:
        """Check that every shipped quantity, weight and volume is delivered or unmet, exactly once."""
        for key in sorted(set(self.shipped) | set(self.delivered), key=str):
            a, b = self.shipped.get(key, [0.0, 0.0, 0.0]), self.delivered.get(key, [0.0, 0.0, 0.0])
            for dim, unit, x, y in zip(
                ("quantity", "weight", "volume"), ("", " kg", " m³"), a, b, strict=True
            ):
                if not _close(x, y, self.rel_tol) and abs(x - y) > 1e-9:
                    self.bad.append(f"{key}: shipped {dim} {x}{unit}, delivered + unmet {y}{unit}")

    def lists(self, result: RoutingResult) -> None:
        """Check that the late, behind-promise and over-duration lists equal what the times imply."""
        late, behind = self.late, self.behind
        listed = {(x.vehicle_id, x.trip, x.point_id) for x in result.late}
        if listed != late:
            self.bad.append(
                f"late list differs: missing {sorted(late - listed)}, extra {sorted(listed - late)}"
            )
        listed = {(x.vehicle_id, x.trip, x.point_id) for x in result.behind_promise}
        if listed != behind:
            self.bad.append(
                f"behind_promise list differs: missing {sorted(behind - listed)}, extra {sorted(listed - behind)}"
            )
        listed = {(x.vehicle_id, x.trip, x.point_id) for x in result.later_wave}
        if listed != self.later:
            self.bad.append(f"later_wave list differs: missing {sorted(self.later - listed)}")
        if set(result.over_duration) != self.over:
            self.bad.append(f"over_duration list differs: expected {sorted(self.over)}")
        if set(result.after_closing) != self.closed:
            self.bad.append(f"after_closing list differs: expected {sorted(self.closed)}")
