"""Result of vehicle routing: vehicles, trips, stops with ETAs, late stops and unmet loads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Reasons an allocation line is not routed (``UnmetLoad.reason``).
UNMET_REASONS: dict[str, str] = {
    "no_vehicle": "the depot has no truck",
    "unit_too_large": "one unit is heavier or bulkier than any truck at the depot",
    "unreachable": "no road between the depot and the point",
    "fleet_capacity": "the trucks' trip limits leave no room for this load",
    "deadline": "no truck can deliver it by the deadline (and no later wave was asked for)",
}


@dataclass(frozen=True)
class ItemLoad:
    """A quantity of one item on a truck (or left unmet).

    Parameters
    ----------
    item_id
        Relief item.
    quantity
        Units.
    weight_kg
        Weight, kg.
    volume_m3
        Volume, m³.
    source_id
        Where the goods come from (:attr:`Shipment.source_id`).
    """

    item_id: str
    quantity: float
    weight_kg: float
    volume_m3: float
    source_id: str = ""


@dataclass(frozen=True)
class Stop:
    """One delivery stop of a trip.

    Parameters
    ----------
    point_id
        Demand point.
    loads
        What is unloaded here, by item.
    arrival_s
        Arrival, seconds from t0.
    departure_s
        Departure after unloading, seconds from t0.
    deadline_s
        Deadline of the point, seconds from t0, if any.
    promised_s
        Earliest arrival the allocation promised for this depot→point pair, if any.
    leg_m
        Road distance driven from the previous place (depot or stop), metres.
    wait_s
        Time waited after arriving until the point starts receiving, seconds (unloading
        starts at ``arrival_s + wait_s``).
    """

    point_id: str
    loads: tuple[ItemLoad, ...]
    arrival_s: float
    departure_s: float
    deadline_s: float | None = None
    promised_s: float | None = None
    leg_m: float = 0.0
    wait_s: float = 0.0

    @property
    def weight_kg(self) -> float:
        """Total weight unloaded, kg."""
        return sum(x.weight_kg for x in self.loads)

    @property
    def volume_m3(self) -> float:
        """Total volume unloaded, m³."""
        return sum(x.volume_m3 for x in self.loads)

    @property
    def arrival_h(self) -> float:
        """Arrival, hours from t0."""
        return self.arrival_s / 3600.0

    @property
    def late_s(self) -> float:
        """Seconds after the deadline (0 when on time or without a deadline)."""
        return 0.0 if self.deadline_s is None else max(0.0, self.arrival_s - self.deadline_s)


@dataclass(frozen=True)
class Trip:
    """One loaded round trip: depot → stops → depot.

    Parameters
    ----------
    number
        1-based trip number of the truck.
    depot_id
        Depot of the trip.
    start_s
        Start of loading at the depot, seconds from t0.
    departure_s
        Departure from the depot, seconds from t0.
    return_s
        Return to the depot, seconds from t0.
    stops
        Stops in visiting order.
    distance_m
        Road distance of the round trip, metres.
    later
        Whether the trip belongs to the later wave: goods that could not arrive by their
        deadline, delivered afterwards (never counted as met by the deadline).
    """

    number: int
    depot_id: str
    start_s: float
    departure_s: float
    return_s: float
    stops: tuple[Stop, ...]
    distance_m: float
    later: bool = False

    @property
    def weight_kg(self) -> float:
        """Weight loaded at the depot, kg."""
        return sum(s.weight_kg for s in self.stops)

    @property
    def volume_m3(self) -> float:
        """Volume loaded at the depot, m³."""
        return sum(s.volume_m3 for s in self.stops)

    @property
    def is_direct(self) -> bool:
        """Whether the trip serves a single point (e.g. a full-truckload trip)."""
        return len({s.point_id for s in self.stops}) == 1


@dataclass(frozen=True)
class VehicleRoute:
    """All trips of one truck.

    Parameters
    ----------
    depot_id
        Home depot.
    vehicle_type
        Name of the vehicle type.
    vehicle_index
        0-based index among the trucks of that type at that depot.
    capacity_kg
        Payload, kg.
    capacity_m3
        Cargo volume, m³.
    speed_factor
        Travel times were divided by this.
    trips
        Trips in time order.
    """

    depot_id: str
    vehicle_type: str
    vehicle_index: int
    capacity_kg: float
    capacity_m3: float
    speed_factor: float
    trips: tuple[Trip, ...]

    @property
    def vehicle_id(self) -> str:
        """Label such as ``"D1/重型货车#2"`` (1-based number)."""
        return f"{self.depot_id}/{self.vehicle_type}#{self.vehicle_index + 1}"

    @property
    def distance_m(self) -> float:
        """Road distance of all trips, metres."""
        return sum(t.distance_m for t in self.trips)

    @property
    def end_s(self) -> float:
        """Return to the depot after the last trip, seconds from t0."""
        return self.trips[-1].return_s if self.trips else 0.0


@dataclass(frozen=True)
class LateStop:
    """A stop that arrives after its deadline (or after the allocation's promise).

    Parameters
    ----------
    depot_id
        Depot of the trip.
    point_id
        Demand point.
    vehicle_id
        Truck label (:attr:`VehicleRoute.vehicle_id`).
    trip
        1-based trip number.
    arrival_s
        Arrival, seconds from t0.
    due_s
        Deadline (or promised arrival), seconds from t0.
    """

    depot_id: str
    point_id: str
    vehicle_id: str
    trip: int
    arrival_s: float
    due_s: float

    @property
    def delay_s(self) -> float:
        """Seconds late."""
        return self.arrival_s - self.due_s


@dataclass(frozen=True)
class UnmetLoad:
    """An allocation line (or part of one) that no truck carries.

    Parameters
    ----------
    depot_id
        Depot.
    point_id
        Demand point.
    item_id
        Item.
    quantity
        Units not carried.
    weight_kg
        Weight not carried, kg.
    volume_m3
        Volume not carried, m³.
    reason
        One of :data:`UNMET_REASONS`.
    """

    depot_id: str
    point_id: str
    item_id: str
    quantity: float
    weight_kg: float
    volume_m3: float
    reason: str


@dataclass(frozen=True)
class RoutingStats:
    """How the solver ran.

    Parameters
    ----------
    seed
        Seed used.
    iterations
        PyVRP iterations per depot.
    objective
        PyVRP objective per depot (``"duration"``: seconds, ``"distance"``: metres),
        including fixed costs.
    n_clients
        Solver clients (delivery parts) per depot.
    runtime_s
        Wall-clock time of the whole call, seconds (varies between runs).
    """

    seed: int
    iterations: dict[str, int] = field(default_factory=dict)
    objective: dict[str, int] = field(default_factory=dict)
    n_clients: dict[str, int] = field(default_factory=dict)
    runtime_s: float = 0.0


@dataclass(frozen=True)
class RoutingResult:
    """Routes of all trucks, with late stops and unmet loads made explicit.

    Parameters
    ----------
    routes
        One entry per truck that drives at least one trip.
    unmet
        Allocation lines no truck carries, with the reason.
    late
        Stops arriving after their point's deadline (never silent).
    behind_promise
        Stops arriving after the allocation's promised arrival (but maybe within
        the deadline).
    stats
        Solver statistics.
    objective
        ``"duration"`` or ``"distance"``.
    fixed_cost
        Sum of the fixed costs of the trucks used (objective units).
    over_duration
        Trucks (:attr:`VehicleRoute.vehicle_id`) working longer than their
        type's ``max_duration_h``.
    later_wave
        Stops of the later wave (after their deadline by design; ``due_s`` is the deadline).
    after_closing
        Trucks (:attr:`VehicleRoute.vehicle_id`) back at their depot after it closes (from a
        by-deadline trip; later-wave trips are another shift).
    """

    routes: tuple[VehicleRoute, ...]
    unmet: tuple[UnmetLoad, ...]
    late: tuple[LateStop, ...]
    behind_promise: tuple[LateStop, ...]
    stats: RoutingStats
    objective: str = "duration"
    fixed_cost: float = 0.0
    over_duration: tuple[str, ...] = ()
    later_wave: tuple[LateStop, ...] = ()
    after_closing: tuple[str, ...] = ()

    def stops(self) -> list[tuple[VehicleRoute, Trip, Stop]]:
        """Return every stop with its truck and trip."""
        return [(r, t, s) for r in self.routes for t in r.trips for s in t.stops]

    def total_distance_m(self) -> float:
        """Road distance of all trips, metres."""
        return sum(r.distance_m for r in self.routes)

    def total_duration_s(self) -> float:
        """Sum over trips of (return − start of loading), seconds."""
        return sum(t.return_s - t.start_s for r in self.routes for t in r.trips)

    def cost(self) -> float:
        """Return the objective: total duration (s) or distance (m) plus fixed costs.

        Computed from the reported schedule (real travel times), so it can differ
        slightly from the solver's integer objective in :attr:`RoutingStats.objective`.
        """
        base = self.total_duration_s() if self.objective == "duration" else self.total_distance_m()
        return base + self.fixed_cost

    def is_feasible(self) -> bool:
        """Return whether every stop meets its deadline and every truck its working hours."""
        return not self.late and not self.over_duration and not self.after_closing

    def is_complete(self) -> bool:
        """Return whether every allocation line is carried."""
        return not self.unmet

    def last_arrival_s(self) -> float | None:
        """Return the latest arrival at any stop, seconds from t0 (``None`` if no stop)."""
        arrivals = [s.arrival_s for _, _, s in self.stops()]
        return max(arrivals) if arrivals else None

    def point_arrivals_s(self) -> dict[str, tuple[float, float]]:
        """Return ``point -> (first arrival, last arrival)`` in seconds from t0."""
        out: dict[str, tuple[float, float]] = {}
        for _, _, s in self.stops():
            lo, hi = out.get(s.point_id, (s.arrival_s, s.arrival_s))
            out[s.point_id] = (min(lo, s.arrival_s), max(hi, s.arrival_s))
        return dict(sorted(out.items()))

    def feedback(self, *, include_promise: bool = False) -> list[tuple[str, str]]:
        """Return the ``(depot_id, point_id)`` pairs the allocation should reconsider.

        These are the pairs with a late stop or an unmet line (and, with
        ``include_promise``, those behind the promised arrival). The caller can
        forbid or reduce them and solve the allocation again.

        Parameters
        ----------
        include_promise
            Also return pairs that are on time but behind the promise.

        Returns
        -------
        list of tuple of str
            Sorted, without duplicates.
        """
        pairs = {(x.depot_id, x.point_id) for x in (*self.late, *self.unmet)}
        if include_promise:
            pairs |= {(x.depot_id, x.point_id) for x in self.behind_promise}
        return sorted(pairs)

    def summary(self) -> dict[str, Any]:
        """Return a JSON-ready dict (the ``routes`` section of ``summary.json``).

        Times are hours from t0, rounded to 1e-4 h; distances in km.
        """

        def h(x: float | None) -> float | None:
            return None if x is None else round(x / 3600.0, 4)

        deadlines: dict[str, float | None] = {}
        late_points = {x.point_id for x in self.late}
        for _, _, s in self.stops():
            deadlines[s.point_id] = s.deadline_s
        points = {
            p: {
                "first_arrival_h": h(lo),
                "last_arrival_h": h(hi),
                "deadline_h": h(deadlines[p]),
                "late": p in late_points,
            }
            for p, (lo, hi) in self.point_arrivals_s().items()
        }

        def late_row(x: LateStop) -> dict[str, Any]:
            return {
                "depot_id": x.depot_id,
                "point_id": x.point_id,
                "vehicle_id": x.vehicle_id,
                "trip": x.trip,
                "arrival_h": h(x.arrival_s),
                "due_h": h(x.due_s),
                "delay_h": h(x.delay_s),
            }

        return {
            "feasible": self.is_feasible(),
            "complete": self.is_complete(),
            "objective": self.objective,
            "cost": round(self.cost(), 3),
            "vehicles_used": len(self.routes),
            "trips": sum(len(r.trips) for r in self.routes),
            "stops": len(self.stops()),
            "total_distance_km": round(self.total_distance_m() / 1000.0, 3),
            "last_arrival_h": h(self.last_arrival_s()),
            "point_arrivals": points,
            "late": [late_row(x) for x in self.late],
            "behind_promise": [late_row(x) for x in self.behind_promise],
            "later_wave": [late_row(x) for x in self.later_wave],
            "over_duration": list(self.over_duration),
            "after_closing": list(self.after_closing),
            "total_wait_h": h(sum(s.wait_s for _, _, s in self.stops())),
            "unmet": [
                {
                    "depot_id": u.depot_id,
                    "point_id": u.point_id,
                    "item_id": u.item_id,
                    "quantity": u.quantity,
                    "weight_kg": round(u.weight_kg, 3),
                    "volume_m3": round(u.volume_m3, 6),
                    "reason": u.reason,
                }
                for u in self.unmet
            ],
            "feedback_pairs": [list(p) for p in self.feedback()],
            "stats": {
                "seed": self.stats.seed,
                "iterations": dict(self.stats.iterations),
                "solver_objective": dict(self.stats.objective),
                "clients": dict(self.stats.n_clients),
                "runtime_s": round(self.stats.runtime_s, 3),
            },
        }
