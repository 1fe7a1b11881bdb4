"""Explicit truck schedules and first-expiry-first-out batch picks for an allocation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from logistics.exceptions import AllocationInputError, Problem

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from logistics.allocation.problem import AllocationProblem
    from logistics.allocation.result import AllocationResult


@dataclass(frozen=True)
class Trip:
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


def build_schedule(problem: AllocationProblem, result: AllocationResult) -> tuple[Trip, ...]:
    """Turn an integer-trip result into explicit trips, truck by truck.

    Each truck works its windows in order; within a window its trips run back
    to back from the window start in earliest-due-date order (ties by lane).
    A lane's cargo is split evenly over all its trips.

    Parameters
    ----------
    problem
        The problem that was solved.
    result
        Its result, solved with ``integer_trips=True``.

    Returns
    -------
    tuple of Trip
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
                    "an explicit schedule needs a result solved with integer_trips=True",
                    column="integer_trips",
                    value="False",
                )
            ]
        )
    ship = {s.lane: s for s in result.shipments}
    cargo: dict[int, list[tuple[str, str, float, float, float]]] = defaultdict(list)
    for f in result.flows:
        cargo[f.lane].append((f.source_id, f.item_id, f.quantity, f.weight_kg, f.volume_m3))
    d_idx = {d: i for i, d in enumerate(problem.depot_ids)}
    j_idx = {j: i for i, j in enumerate(problem.point_ids)}
    per_truck: dict[tuple[str, int], list[tuple[float, float, int, int]]] = defaultdict(list)
    for tt in result.truck_trips:
        s = ship[tt.lane]
        per_truck[(tt.fleet_id, tt.truck)].append((s.window_start_h, s.due_h, tt.lane, tt.trips))
    trips: list[Trip] = []
    lam, mu = problem.load_h, problem.unload_h
    for (fleet, truck), lanes in sorted(per_truck.items()):
        clock = -1.0
        window = None
        for w_start, _due, lane, n in sorted(lanes):
            if w_start != window:
                window, clock = w_start, w_start
            s = ship[lane]
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
                    Trip(
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


@dataclass(frozen=True)
class Batch:
    """A batch of one item held by one source.

    Parameters
    ----------
    batch_id
        Batch number or label.
    quantity
        Units in the batch (≥ 0).
    expiry
        Expiry date; ``None`` (does not expire) sorts last.
    """

    batch_id: str
    quantity: float
    expiry: dt.date | None = None


@dataclass(frozen=True)
class BatchPick:
    """Units of one batch sent on one flow (lane, source, item, point)."""

    lane: int
    source_id: str
    item_id: str
    point_id: str
    batch_id: str
    expiry: dt.date | None
    quantity: float


def fefo_assign(
    result: AllocationResult,
    batches: Mapping[tuple[str, str], Sequence[Batch]],
) -> tuple[BatchPick, ...]:
    """Assign batches to flows, first expiry first out.

    For every (source, item), the flows using it are taken in order of
    nominal delivery time, then point id and lane; the batches in order of
    expiry date (no expiry last), then batch id. Each flow takes units from
    the earliest-expiring batch that still has some. Flows of a (source,
    item) without batch data are left out.

    Parameters
    ----------
    result
        An allocation result.
    batches
        ``{(source_id, item_id): [Batch, ...]}``.

    Returns
    -------
    tuple of BatchPick
        In the order the picks were made.

    Raises
    ------
    AllocationInputError
        When the batches of a (source, item) hold fewer units than the plan
        takes from it.
    """
    flows: dict[tuple[str, str], list[tuple[float, str, int, float]]] = defaultdict(list)
    for f in result.flows:
        flows[(f.source_id, f.item_id)].append((f.delivery_h, f.point_id, f.lane, f.quantity))
    picks: list[BatchPick] = []
    problems: list[Problem] = []
    for key in sorted(flows):
        if key not in batches:
            continue
        queue = sorted(batches[key], key=lambda b: (b.expiry is None, b.expiry or dt.date.max, b.batch_id))
        left = [b.quantity for b in queue]
        total = sum(left)
        need = sum(q for *_r, q in flows[key])
        if need > total * (1 + 1e-9) + 1e-6:
            problems.append(
                Problem(
                    f"batches hold {total:g} units but the plan takes {need:g}",
                    column="batches",
                    value=f"{key[0]}/{key[1]}",
                )
            )
            continue
        b = 0
        for delivery_h, point, lane, qty in sorted(flows[key]):
            del delivery_h
            rest = qty
            while rest > 1e-9 and b < len(queue):
                take = min(rest, left[b])
                if take > 0:
                    picks.append(
                        BatchPick(lane, key[0], key[1], point, queue[b].batch_id, queue[b].expiry, take)
                    )
                    left[b] -= take
                    rest -= take
                if left[b] <= 1e-9:
                    b += 1
    if problems:
        raise AllocationInputError(problems)
    return tuple(picks)
