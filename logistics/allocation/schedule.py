"""Explicit truck schedules (round trips truck by truck) for an integer-trip allocation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from logistics.exceptions import AllocationInputError, Problem, tr

if TYPE_CHECKING:
    from logistics.allocation.problem import AllocationProblem
    from logistics.allocation.result import AllocationResult


@dataclass(frozen=True)
class RoundTrip:
    """One round trip of one truck.

    Times are hours from the start of the response: loading starts at
    ``start_h``, the truck arrives at ``arrival_h``, the goods are unloaded
    (delivered) at ``unloaded_h`` and the truck is back at ``return_h``.
    ``cargo`` lists ``(source_id, item_id, units)``.
    """

    fleet_id: str
    truck: int
    depot_id: str
    point_id: str
    lane: int
    start_h: float
    arrival_h: float
    unloaded_h: float
    return_h: float
    cargo: tuple[tuple[str, str, float], ...]
    weight_kg: float
    volume_m3: float


def build_schedule(problem: AllocationProblem, result: AllocationResult) -> tuple[RoundTrip, ...]:
    """Turn an integer-trip result into explicit trips, truck by truck.

    Each truck works its windows in order; within a window its trips run back
    to back from the window start in earliest-due-date order (ties by lane).
    A lane's cargo is split evenly over all its trips. Trips to a hub (first legs of a
    transfer) have the hub wave's receiving point as ``point_id``.

    Parameters
    ----------
    problem
        The problem that was solved.
    result
        Its result, solved with ``integer_trips=True``.

    Returns
    -------
    tuple of RoundTrip
        Sorted by fleet, truck and start time.

    Raises
    ------
    AllocationInputError
        If the result has fractional trips (``integer_trips=False``).
    """
    if not result.integer_trips:
        raise AllocationInputError(
            [
                Problem(
                    tr(
                        "an explicit schedule needs a result solved with integer_trips=True",
                        "生成逐车次调度需要以 integer_trips=True 求解的调配结果",
                    ),
                    column="integer_trips",
                    value="False",
                )
            ]
        )
    ship = {s.lane: s for s in result.lanes}
    cargo: dict[int, list[tuple[str, str, float, float, float]]] = defaultdict(list)
    for f in result.flows:
        cargo[f.lane].append((f.source_id, f.item_id, f.quantity, f.weight_kg, f.volume_m3))
    d_idx = {d: i for i, d in enumerate(problem.depot_ids)}
    j_idx = {j: i for i, j in enumerate(problem.point_ids)}
    h_idx = {h.depot_id: i for i, h in enumerate(problem.hubs)}
    per_truck: dict[tuple[str, int], list[tuple[float, float, int, int]]] = defaultdict(list)
    for tt in result.truck_trips:
        s = ship[tt.lane]
        per_truck[(tt.fleet_id, tt.truck)].append((s.window_start_h, s.due_h, tt.lane, tt.trips))
    trips: list[RoundTrip] = []
    lam, mu = problem.load_h, problem.unload_h
    for (fleet, truck), lanes in sorted(per_truck.items()):
        clock = -1.0
        window = None
        for w_start, _due, lane, n in sorted(lanes):
            if w_start != window:
                window, clock = w_start, w_start
            s = ship[lane]
            if s.hub_id:  # first leg of a transfer: to the hub's receiving point
                tau = float(problem.hub_travel_time_h[d_idx[s.depot_id], h_idx[s.hub_id]])
            else:
                tau = float(problem.travel_time_h[d_idx[s.depot_id], j_idx[s.point_id]])
            share = 1.0 / s.trips
            load = tuple((src, item, q * share) for src, item, q, _w, _v in cargo[lane])
            kg = sum(w for *_r, w, _v in cargo[lane]) * share
            m3 = sum(v for *_r, v in cargo[lane]) * share
            for _ in range(n):
                start = clock
                arrival = start + lam + tau
                unloaded = arrival + mu
                back = unloaded + tau
                trips.append(
                    RoundTrip(
                        fleet,
                        truck,
                        s.depot_id,
                        s.point_id,
                        lane,
                        start,
                        arrival,
                        unloaded,
                        back,
                        load,
                        kg,
                        m3,
                    )
                )
                clock = back
    return tuple(trips)
