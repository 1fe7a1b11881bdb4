"""Input of vehicle routing: shipments, fleet, service times and travel matrices."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Integral, Real
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

import numpy as np

from logistics.exceptions import FleetError, Problem, RoutingInputError, say, tr
from logistics.routing.service import PointService, ServiceTimes

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


@dataclass(frozen=True)
class Shipment:
    """One allocation line: a quantity of one item to move from a depot to a point.

    Parameters
    ----------
    depot_id
        Depot the goods leave from (an id in :attr:`RoutingProblem.ids`).
    point_id
        Demand point the goods go to (an id in :attr:`RoutingProblem.ids`).
    item_id
        Relief item.
    quantity
        Number of units (a whole number for countable items; any non-negative
        number for bulk goods). Parts are cut in whole units when it is whole.
    weight_kg
        Total weight of the line (not per unit), kg.
    volume_m3
        Total volume of the line (not per unit), m³.
    promised_arrival_h
        Arrival the allocation promised for this line, hours from t0, if any.
    release_h
        Hour from which the goods can be loaded (a contract supplier's lead time, a
        production batch); a trip carrying them starts loading no earlier. Default 0.
    source_id
        Where the goods come from (own stock, contract reserve, a production batch); kept on
        every load so that batches can be picked from the right stock. Default ``""``.
    value
        What delivering the whole line by its point's deadline is worth (any non-negative
        unit, e.g. its share of the demand-met objective). When any line has a value, lines
        become optional for the solver: it delivers the most value it can by the deadlines,
        and what cannot make it is never planned late (see :class:`RoutingParams`).
    """

    depot_id: str
    point_id: str
    item_id: str
    quantity: float
    weight_kg: float
    volume_m3: float
    promised_arrival_h: float | None = None
    release_h: float = 0.0
    source_id: str = ""
    value: float | None = None

    def problems(self) -> list[str]:
        """Return what is wrong with this line (empty when valid)."""
        out = []
        for name in ("quantity", "weight_kg", "volume_m3", "promised_arrival_h", "value", "release_h"):
            value = getattr(self, name)
            if value is None and name in ("promised_arrival_h", "value"):
                continue
            if not (isinstance(value, Real) and 0 <= value < math.inf):
                out.append(tr(f"expected a finite {name} >= 0, got {value!r}",
                              f"{name} 应为不小于 0 的有限值，实际为 {value!r}"))  # fmt: skip
        return out


class TravelModel(Protocol):
    """Time-dependent leg times: the routing engine's exact clock (e.g. roads that reopen).

    Without one, legs take the times of the problem's matrices whatever the hour.
    """

    def leg(self, frm: str, to: str, depart_s: float, speed_factor: float) -> tuple[float, float]:
        """Return ``(arrival_s, length_m)`` of a leg from ``frm`` to ``to`` leaving at ``depart_s``.

        ``arrival_s`` may include waiting for a road to reopen; ``inf`` when unreachable.
        """
        ...


@dataclass(frozen=True)
class VehicleType:
    """Trucks of one kind based at one depot.

    Parameters
    ----------
    depot_id
        Depot the trucks start from, reload at and return to.
    name
        Name shown to people (e.g. ``"重型货车"``); unique per depot.
    capacity_kg
        Payload per truck, kg (> 0).
    capacity_m3
        Cargo volume per truck, m³ (> 0).
    count
        Number of such trucks at the depot (>= 0).
    speed_factor
        Multiplies road speeds: travel times are divided by it (default 1.0;
        e.g. 0.8 for a slow heavy truck).
    fixed_cost
        Cost of using one truck, in objective units (seconds for the default
        ``"duration"`` objective, metres for ``"distance"``). Default 0.
    max_trips
        Most trips (loads) per truck; ``None`` (default) means unlimited reloading.
    max_duration_h
        Longest working time of a truck, from the start of its first loading to
        its last return, hours; ``None`` (default) means no limit.

    Raises
    ------
    FleetError
        When a capacity is not positive and finite, the count is negative or not
        whole, the speed factor is not positive, ``max_trips < 1`` or
        ``max_duration_h <= 0``.
    """

    depot_id: str
    name: str
    capacity_kg: float
    capacity_m3: float
    count: int
    speed_factor: float = 1.0
    fixed_cost: float = 0.0
    max_trips: int | None = None
    max_duration_h: float | None = None

    def __post_init__(self) -> None:
        where = tr(
            f"vehicle type {self.name!r} at depot {self.depot_id!r}",
            f"库点 {self.depot_id!r} 的车型 {self.name!r}",
        )
        problems = []

        def bad(en: str, zh: str, column: str, value: object) -> None:
            problems.append(
                Problem(tr(f"{where}: {en}", f"{say(where)}：{zh}"), column=column, value=repr(value))
            )

        for name in ("capacity_kg", "capacity_m3"):
            value = getattr(self, name)
            if not (isinstance(value, Real) and 0 < value < math.inf):
                bad(f"expected {name} > 0", f"{name} 应大于 0", name, value)
        if not (isinstance(self.count, Integral) and not isinstance(self.count, bool) and self.count >= 0):
            bad("expected a whole count >= 0", "车辆数应为不小于 0 的整数", "count", self.count)
        if not (isinstance(self.speed_factor, Real) and 0 < self.speed_factor < math.inf):
            bad("expected speed_factor > 0", "speed_factor 应大于 0", "speed_factor", self.speed_factor)
        if not (isinstance(self.fixed_cost, Real) and 0 <= self.fixed_cost < math.inf):
            bad("expected fixed_cost >= 0", "fixed_cost 应不小于 0", "fixed_cost", self.fixed_cost)
        if self.max_trips is not None and not (isinstance(self.max_trips, Integral) and self.max_trips >= 1):
            bad(
                "expected max_trips >= 1 or None",
                "max_trips 应不小于 1 或为 None",
                "max_trips",
                self.max_trips,
            )
        d = self.max_duration_h
        if d is not None and not (isinstance(d, Real) and 0 < d < math.inf):
            bad(
                "expected max_duration_h > 0 or None",
                "max_duration_h 应大于 0 或为 None",
                "max_duration_h",
                d,
            )
        if problems:
            raise FleetError(problems)

    def fits(self, weight_kg: float, volume_m3: float, *, rel_tol: float = 1e-9) -> bool:
        """Return whether a load of ``weight_kg`` and ``volume_m3`` fits one truck."""
        return weight_kg <= self.capacity_kg * (1 + rel_tol) and volume_m3 <= self.capacity_m3 * (1 + rel_tol)

    def fill_ratio(self, weight_kg: float, volume_m3: float) -> float:
        """Return the load as a share of one truck, in its binding dimension."""
        return max(weight_kg / self.capacity_kg, volume_m3 / self.capacity_m3)


@dataclass(frozen=True)
class Fleet:
    """All vehicle types of all depots.

    Parameters
    ----------
    vehicle_types
        Vehicle types; ``(depot_id, name)`` must be unique.

    Raises
    ------
    FleetError
        When two vehicle types of one depot have the same name.
    """

    vehicle_types: tuple[VehicleType, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "vehicle_types", tuple(self.vehicle_types))
        seen: set[tuple[str, str]] = set()
        problems = []
        for vt in self.vehicle_types:
            if not isinstance(vt, VehicleType):
                problems.append(
                    Problem(
                        tr(
                            f"expected a VehicleType, got {type(vt).__name__}",
                            f"应为 VehicleType，实际为 {type(vt).__name__}",
                        )
                    )
                )
                continue
            key = (vt.depot_id, vt.name)
            if key in seen:
                problems.append(
                    Problem(
                        tr(
                            f"depot {vt.depot_id!r} has two vehicle types named {vt.name!r}",
                            f"库点 {vt.depot_id!r} 有两个名为 {vt.name!r} 的车型",
                        )
                    )
                )
            seen.add(key)
        if problems:
            raise FleetError(problems)

    def at_depot(self, depot_id: str) -> tuple[VehicleType, ...]:
        """Return the vehicle types with at least one truck at ``depot_id``."""
        return tuple(v for v in self.vehicle_types if v.depot_id == depot_id and v.count > 0)


@dataclass(frozen=True, eq=False)
class RoutingProblem:
    """Everything the routing engine needs, validated at construction.

    Parameters
    ----------
    shipments
        Allocation lines (several lines of one depot→point pair are grouped).
    fleet
        Vehicle types per depot.
    ids
        Ids of the rows/columns of the matrices; must contain every depot and
        point id used by ``shipments``.
    travel_time_s
        Square matrix of road travel times in seconds, ``ids`` × ``ids``
        (``numpy.inf`` marks an unreachable pair).
    distance_m
        Square matrix of road distances in metres, same shape and ``inf``
        convention.
    ready_h
        Hour (from t0) at which each depot opens (trucks can start loading); missing
        depots are ready at 0.
    deadline_h
        Hour (from t0) by which each point must be reached (the latest arrival of its
        time window); points without an entry have no deadline.
    service
        Loading and unloading times.
    earliest_h
        Hour (from t0) from which each point can receive (the earliest service time of its
        time window): a truck arriving earlier waits there. Points without an entry receive
        at any time.
    closes_h
        Hour (from t0) at which each depot closes: its trucks must be back by then. Depots
        without an entry never close.
    point_service
        Unloading time per point (fixed per visit + per tonne), replacing the unloading
        times of ``service`` at that point.
    unloaded_by_deadline
        ``False`` (default): a deadline is the latest arrival at the point. ``True``: it is
        the latest end of unloading, so the latest arrival of a stop is its point's deadline
        minus the stop's unloading time (:attr:`Stop.deadline_s` holds that arrival deadline).
    timing
        Time-dependent leg times used to time the schedule exactly (optional). The matrices
        must then not be shorter than any leg they stand for: the solver plans with them, and a
        plan that meets its deadlines on them meets them on the real clock too.

    Raises
    ------
    RoutingInputError
        Listing every problem: malformed matrices (shape, negative or NaN
        values, non-zero diagonal), unknown or duplicate ids, invalid shipment
        lines, invalid ready or deadline hours.
    """

    shipments: tuple[Shipment, ...]
    fleet: Fleet
    ids: tuple[str, ...]
    travel_time_s: np.ndarray
    distance_m: np.ndarray
    ready_h: Mapping[str, float] = field(default_factory=dict)
    deadline_h: Mapping[str, float] = field(default_factory=dict)
    service: ServiceTimes = field(default_factory=ServiceTimes)
    timing: TravelModel | None = None
    earliest_h: Mapping[str, float] = field(default_factory=dict)
    closes_h: Mapping[str, float] = field(default_factory=dict)
    point_service: Mapping[str, PointService] = field(default_factory=dict)
    unloaded_by_deadline: bool = False

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "shipments", tuple(self.shipments))
        set_(self, "ids", tuple(self.ids))
        tt = np.array(self.travel_time_s, dtype=float)
        dist = np.array(self.distance_m, dtype=float)
        tt.setflags(write=False)
        dist.setflags(write=False)
        set_(self, "travel_time_s", tt)
        set_(self, "distance_m", dist)
        set_(self, "ready_h", MappingProxyType(dict(self.ready_h)))
        set_(self, "deadline_h", MappingProxyType(dict(self.deadline_h)))
        set_(self, "earliest_h", MappingProxyType(dict(self.earliest_h)))
        set_(self, "closes_h", MappingProxyType(dict(self.closes_h)))
        set_(self, "point_service", MappingProxyType(dict(self.point_service)))
        problems = self._problems()
        if problems:
            raise RoutingInputError(problems)
        set_(self, "_index", {pid: i for i, pid in enumerate(self.ids)})

    def _problems(self) -> list[Problem]:
        out: list[Problem] = []
        n = len(self.ids)
        if len(set(self.ids)) != n:
            dup = sorted({str(i) for i in self.ids if self.ids.count(i) > 1})
            out.append(
                Problem(
                    tr("duplicate ids in the matrix id list", "矩阵编号列表中有重复编号"),
                    value=", ".join(dup),
                )
            )
        out += self._matrix_problems(n)
        known = set(self.ids)
        for row, s in enumerate(self.shipments, start=1):
            if not isinstance(s, Shipment):
                out.append(
                    Problem(
                        tr(
                            f"expected a Shipment, got {type(s).__name__}",
                            f"应为 Shipment，实际为 {type(s).__name__}",
                        ),
                        row=row,
                    )
                )
                continue
            for msg in s.problems():
                out.append(Problem(msg, sheet="shipments", row=row))
            for col in ("depot_id", "point_id"):
                if getattr(s, col) not in known:
                    out.append(
                        Problem(
                            tr(f"{col} is not in the matrix ids", f"{col} 不在矩阵编号中"),
                            sheet="shipments",
                            row=row,
                            column=col,
                            value=str(getattr(s, col)),
                        )
                    )
        hours = (("ready_h", self.ready_h), ("deadline_h", self.deadline_h), ("earliest_h", self.earliest_h),
                 ("closes_h", self.closes_h))  # fmt: skip
        for name, mapping in hours:
            for key, value in mapping.items():
                if not (isinstance(value, Real) and 0 <= value < math.inf):
                    out.append(
                        Problem(
                            tr(f"expected a finite {name} >= 0", f"{name} 应为不小于 0 的有限值"),
                            column=name,
                            row=None,
                            value=f"{key}: {value!r}",
                        )
                    )
        out += self._window_problems(known)
        return out

    def _matrix_problems(self, n: int) -> list[Problem]:
        """Shape, NaN, negative entries and diagonal of the travel-time and distance matrices."""
        out: list[Problem] = []
        for name in ("travel_time_s", "distance_m"):
            m = getattr(self, name)
            if m.shape != (n, n):
                out.append(
                    Problem(
                        tr(f"expected {name} of shape ({n}, {n})", f"{name} 的形状应为 ({n}, {n})"),
                        column=name,
                        value=str(m.shape),
                    )
                )
                continue
            if np.isnan(m).any():
                out.append(
                    Problem(
                        tr(
                            f"{name} contains NaN (use inf for unreachable)",
                            f"{name} 含有 NaN（不可达请用 inf）",
                        ),
                        column=name,
                    )
                )
            if (m < 0).any():
                i, j = np.argwhere(m < 0)[0]
                out.append(
                    Problem(
                        tr(
                            f"{name} has a negative entry at ({self.ids[i]!r}, {self.ids[j]!r})",
                            f"{name} 在 ({self.ids[i]!r}, {self.ids[j]!r}) 处的值为负",
                        ),
                        column=name,
                        value=str(m[i, j]),
                    )
                )
            if n and np.any(np.diag(m) != 0):
                out.append(
                    Problem(tr(f"{name} must have a zero diagonal", f"{name} 的对角线必须为 0"), column=name)
                )
        return out

    def _window_problems(self, known: set[str]) -> list[Problem]:
        """Unknown ids in the per-place mappings and empty time windows."""
        out = []
        for name in ("ready_h", "deadline_h", "earliest_h", "closes_h", "point_service"):
            for key in getattr(self, name):
                if key not in known:
                    out.append(Problem(tr(f"{name} names a place that is not in the matrix ids", f"{name} 中的地点不在矩阵编号中"), column=name,
                                       value=str(key)))  # fmt: skip
        for key, ps in self.point_service.items():
            if not isinstance(ps, PointService):
                out.append(Problem(tr("expected a PointService", "应为 PointService"), column="point_service",
                                   value=f"{key}: {type(ps).__name__}"))  # fmt: skip
        pairs = (("earliest_h", "deadline_h", tr("receives from", "最早接收时间"), tr("deadline", "时限")),
                 ("ready_h", "closes_h", tr("opens at", "开放时间"), tr("closing hour", "关闭时间")))  # fmt: skip
        for lo_name, hi_name, lo_text, hi_text in pairs:
            lo_map, hi_map = getattr(self, lo_name), getattr(self, hi_name)
            for key, hi in hi_map.items():
                lo = lo_map.get(key)
                if isinstance(lo, Real) and isinstance(hi, Real) and lo > hi:
                    out.append(Problem(tr(f"{key!r} {lo_text} hour {lo:g}, after its {hi_text} {hi:g}: empty time window",
                                          f"{key!r} 的{say(lo_text)}（第 {lo:g} 小时）晚于其{say(hi_text)}（第 {hi:g} 小时）：时间窗为空"),
                                       column=lo_name, value=f"{key}: {lo!r}"))  # fmt: skip
        return out

    @classmethod
    def from_matrices(
        cls,
        shipments: Sequence[Shipment],
        fleet: Fleet | Sequence[VehicleType],
        ids: Sequence[str],
        travel_time_s: np.ndarray | Sequence[Sequence[float]],
        distance_m: np.ndarray | Sequence[Sequence[float]],
        *,
        ready_h: Mapping[str, float] | None = None,
        deadline_h: Mapping[str, float] | None = None,
        service: ServiceTimes | None = None,
        timing: TravelModel | None = None,
        earliest_h: Mapping[str, float] | None = None,
        closes_h: Mapping[str, float] | None = None,
        point_service: Mapping[str, PointService] | None = None,
        unloaded_by_deadline: bool = False,
    ) -> RoutingProblem:
        """Build a problem from plain sequences and matrices.

        Parameters
        ----------
        shipments
            Allocation lines.
        fleet
            A :class:`Fleet` or a sequence of :class:`VehicleType`.
        ids
            Matrix row/column ids.
        travel_time_s
            Travel times, seconds (``inf`` = unreachable).
        distance_m
            Distances, metres (``inf`` = unreachable).
        ready_h
            Depot ready hours (default: all 0).
        deadline_h
            Point deadlines in hours (default: none).
        service
            Loading and unloading times (default: all 0).
        timing
            Time-dependent leg times (default: the matrices at every hour).
        earliest_h
            Hour from which each point receives (default: any time).
        closes_h
            Depot closing hours (default: never).
        point_service
            Unloading time per point (default: ``service`` everywhere).
        unloaded_by_deadline
            Deadlines are for the end of unloading, not for arrival (default ``False``).

        Returns
        -------
        RoutingProblem
            The validated problem.

        Raises
        ------
        RoutingInputError
            See :class:`RoutingProblem`.
        FleetError
            See :class:`VehicleType` and :class:`Fleet`.
        """
        if not isinstance(fleet, Fleet):
            fleet = Fleet(tuple(fleet))
        return cls(
            shipments=tuple(shipments),
            fleet=fleet,
            ids=tuple(ids),
            travel_time_s=np.asarray(travel_time_s, dtype=float),
            distance_m=np.asarray(distance_m, dtype=float),
            ready_h=dict(ready_h or {}),
            deadline_h=dict(deadline_h or {}),
            service=service if service is not None else ServiceTimes(),
            timing=timing,
            earliest_h=dict(earliest_h or {}),
            closes_h=dict(closes_h or {}),
            point_service=dict(point_service or {}),
            unloaded_by_deadline=bool(unloaded_by_deadline),
        )

    def index(self, place_id: str) -> int:
        """Return the matrix row of ``place_id``."""
        return self._index[place_id]  # type: ignore[attr-defined]

    def travel_s(self, frm: str, to: str, speed_factor: float = 1.0) -> float:
        """Return the travel time from ``frm`` to ``to`` for a truck, seconds."""
        return float(self.travel_time_s[self.index(frm), self.index(to)]) / speed_factor

    def leg(self, frm: str, to: str, depart_s: float, speed_factor: float = 1.0) -> tuple[float, float]:
        """Return ``(arrival_s, length_m)`` of a leg leaving ``frm`` at ``depart_s``.

        Uses :attr:`timing` when given, else the matrices (the same at every hour).
        """
        if self.timing is not None:
            return self.timing.leg(frm, to, depart_s, speed_factor)
        return depart_s + self.travel_s(frm, to, speed_factor), self.leg_m(frm, to)

    def leg_m(self, frm: str, to: str) -> float:
        """Return the road distance from ``frm`` to ``to``, metres."""
        return float(self.distance_m[self.index(frm), self.index(to)])

    def ready_s(self, depot_id: str) -> float:
        """Return when ``depot_id`` can start loading, seconds from t0."""
        return float(self.ready_h.get(depot_id, 0.0)) * 3600.0

    def deadline_s(self, point_id: str) -> float | None:
        """Return the deadline of ``point_id`` in seconds from t0, or ``None``."""
        h = self.deadline_h.get(point_id)
        return None if h is None else float(h) * 3600.0

    def arrival_deadline_s(self, point_id: str, weight_kg: float) -> float | None:
        """Return the latest arrival of a stop delivering ``weight_kg`` at ``point_id`` (seconds), or ``None``.

        The point's deadline, less the stop's unloading time when :attr:`unloaded_by_deadline`.
        """
        due = self.deadline_s(point_id)
        if due is None or not self.unloaded_by_deadline:
            return due
        return due - self.unloading_s(point_id, weight_kg)

    def earliest_s(self, point_id: str) -> float:
        """Return when ``point_id`` starts receiving, seconds from t0 (0 when always)."""
        return float(self.earliest_h.get(point_id, 0.0)) * 3600.0

    def closes_s(self, depot_id: str) -> float | None:
        """Return when ``depot_id`` closes, seconds from t0, or ``None``."""
        h = self.closes_h.get(depot_id)
        return None if h is None else float(h) * 3600.0

    def unload_fixed_s(self, point_id: str) -> float:
        """Return the fixed unloading time of one visit to ``point_id``, seconds."""
        ps = self.point_service.get(point_id)
        return float(ps.unload_s if ps is not None else self.service.unload_s)

    def unloading_s(self, point_id: str, weight_kg: float) -> float:
        """Return the unloading time of a stop at ``point_id`` delivering ``weight_kg``, seconds."""
        ps = self.point_service.get(point_id)
        return (ps if ps is not None else self.service).unloading_s(weight_kg)
