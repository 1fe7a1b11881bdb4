"""Group allocation lines into depot→point flows and cut them into truckload parts.

Steps (see ``docs/routing.md``):

1. group shipments per depot→point pair and item;
2. set aside, as unmet lines with a reason, flows whose depot has no truck, whose
   point cannot be reached, and items of which one unit fits no truck;
3. *fleet-round splitting*: in rounds over the depot's trucks (largest first),
   each truck cuts one full truckload, packed greedily in whole units, from the
   flow that most exceeds its capacity. Rounds stop when no flow exceeds any
   truck it could be cut for, so every remaining flow fits at least one truck.

Every part becomes one solver client. A full part fills a truck and is served by
a direct trip; several parts of one point are a split delivery.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from logistics.routing.result import ItemLoad, UnmetLoad

if TYPE_CHECKING:
    from logistics.routing.problem import RoutingProblem, VehicleType

_TOL = 1e-9


@dataclass
class _Line:
    """Remaining quantity of one item (from one source) of a flow."""

    item_id: str
    quantity: float
    weight_kg: float
    volume_m3: float
    integral: bool
    source_id: str = ""
    value: float = 0.0

    def take(self, fraction: float) -> tuple[ItemLoad, float]:
        """Remove ``fraction`` of what remains and return it with its value."""
        if fraction >= 1.0:
            out = ItemLoad(self.item_id, self.quantity, self.weight_kg, self.volume_m3, self.source_id)
            value = self.value
            self.quantity = self.weight_kg = self.volume_m3 = self.value = 0.0
            return out, value
        q = self.quantity * fraction
        if self.integral:
            q = float(round(q))
        f = q / self.quantity if self.integral and self.quantity > 0 else fraction
        out = ItemLoad(self.item_id, q, self.weight_kg * f, self.volume_m3 * f, self.source_id)
        value = self.value * f
        self.quantity -= out.quantity
        self.weight_kg -= out.weight_kg
        self.volume_m3 -= out.volume_m3
        self.value -= value
        return out, value

    @property
    def empty(self) -> bool:
        return self.quantity <= _TOL and self.weight_kg <= _TOL and self.volume_m3 <= _TOL


@dataclass
class _Flow:
    depot_id: str
    point_id: str
    release_s: float = 0.0
    lines: list[_Line] = field(default_factory=list)
    promised_s: float | None = None

    @property
    def weight_kg(self) -> float:
        return sum(x.weight_kg for x in self.lines)

    @property
    def volume_m3(self) -> float:
        return sum(x.volume_m3 for x in self.lines)


@dataclass(frozen=True)
class Part:
    """One delivery part: a solver client.

    Parameters
    ----------
    depot_id
        Depot.
    point_id
        Point.
    loads
        Items in the part.
    full
        Whether the part was cut to fill a truck (a full-truckload part).
    promised_s
        Promised arrival of the flow, seconds from t0, if any.
    release_s
        When its goods can be loaded, seconds from t0.
    value
        What delivering it by the deadline is worth (:attr:`Shipment.value`, prorated).
    """

    depot_id: str
    point_id: str
    loads: tuple[ItemLoad, ...]
    full: bool
    promised_s: float | None = None
    release_s: float = 0.0
    value: float = 0.0

    @property
    def weight_kg(self) -> float:
        """Weight, kg."""
        return sum(x.weight_kg for x in self.loads)

    @property
    def volume_m3(self) -> float:
        """Volume, m³."""
        return sum(x.volume_m3 for x in self.loads)


@dataclass
class SplitPlan:
    """Parts per depot and the lines that cannot be routed."""

    parts: dict[str, list[Part]]
    unmet: list[UnmetLoad]


def _is_whole(q: float) -> bool:
    return q >= 1 and abs(q - round(q)) <= 1e-9 * max(1.0, q)


def _group(problem: RoutingProblem) -> list[_Flow]:
    """Group shipments into flows per depot, point and release time; lines per item and source."""
    flows: dict[tuple[str, str, float], _Flow] = {}
    lines: dict[tuple[str, str, float, str, str], _Line] = {}
    for s in problem.shipments:
        if s.quantity <= 0 and s.weight_kg <= 0 and s.volume_m3 <= 0:
            continue
        release = float(s.release_h) * 3600.0
        fkey = (s.depot_id, s.point_id, release)
        flow = flows.setdefault(fkey, _Flow(s.depot_id, s.point_id, release))
        if s.promised_arrival_h is not None:
            p = float(s.promised_arrival_h) * 3600.0
            flow.promised_s = p if flow.promised_s is None else min(flow.promised_s, p)
        key = (*fkey, s.item_id, s.source_id)
        if key not in lines:
            lines[key] = _Line(s.item_id, 0.0, 0.0, 0.0, True, s.source_id)
            flow.lines.append(lines[key])
        line = lines[key]
        line.quantity += float(s.quantity)
        line.weight_kg += float(s.weight_kg)
        line.volume_m3 += float(s.volume_m3)
        line.value += float(s.value or 0.0)
    for line in lines.values():
        line.integral = _is_whole(line.quantity)
    return list(flows.values())


def _unit_fits_some(line: _Line, types: tuple[VehicleType, ...]) -> bool:
    if not line.integral:
        return True
    w, v = line.weight_kg / line.quantity, line.volume_m3 / line.quantity
    return any(t.fits(w, v) for t in types)


def _unmet(flow: _Flow, line: _Line, reason: str) -> UnmetLoad:
    return UnmetLoad(
        flow.depot_id,
        flow.point_id,
        line.item_id,
        line.quantity,
        line.weight_kg,
        line.volume_m3,
        reason,
    )


def _reachable(problem: RoutingProblem, depot: str, point: str) -> bool:
    i, j = problem.index(depot), problem.index(point)
    return all(
        math.isfinite(float(m[a, b]))
        for m in (problem.travel_time_s, problem.distance_m)
        for a, b in ((i, j), (j, i))
    )


def _pack(flow: _Flow, vt: VehicleType) -> tuple[list[ItemLoad], float]:
    """Cut greedily (whole units) as much of ``flow`` as fits one ``vt`` truck; return it and its value."""
    rem_w, rem_v = vt.capacity_kg, vt.capacity_m3

    def unit_share(line: _Line) -> float:
        n = line.quantity if line.integral else 1.0
        return max(line.weight_kg / vt.capacity_kg, line.volume_m3 / vt.capacity_m3) / n

    out = []
    value = 0.0
    for line in sorted((x for x in flow.lines if not x.empty), key=unit_share, reverse=True):
        f = 1.0
        if line.weight_kg > 0:
            f = min(f, rem_w / line.weight_kg)
        if line.volume_m3 > 0:
            f = min(f, rem_v / line.volume_m3)
        if f < 1.0 and line.integral:
            f = math.floor(f * line.quantity + 1e-9) / line.quantity
        if f <= 0:
            continue
        load, v = line.take(f)
        value += v
        rem_w = max(0.0, rem_w - load.weight_kg)
        rem_v = max(0.0, rem_v - load.volume_m3)
        out.append(load)
    flow.lines = [x for x in flow.lines if not x.empty]
    return out, value


def _merge(loads: list[ItemLoad]) -> tuple[ItemLoad, ...]:
    """Add up loads of the same item and source."""
    acc: dict[tuple[str, str], list[float]] = {}
    for x in loads:
        a = acc.setdefault((x.item_id, x.source_id), [0.0, 0.0, 0.0])
        a[0] += x.quantity
        a[1] += x.weight_kg
        a[2] += x.volume_m3
    return tuple(ItemLoad(k, *v, source_id=src) for (k, src), v in acc.items())


def split_flows(problem: RoutingProblem) -> SplitPlan:
    """Group shipments and cut them into truckload-sized parts per depot.

    Parameters
    ----------
    problem
        The routing problem.

    Returns
    -------
    SplitPlan
        Parts per depot (in a deterministic order) and unmet lines.
    """
    parts: dict[str, list[Part]] = {}
    unmet: list[UnmetLoad] = []
    by_depot: dict[str, list[_Flow]] = {}
    for flow in _group(problem):
        types = problem.fleet.at_depot(flow.depot_id)
        reason = None
        if not types:
            reason = "no_vehicle"
        elif not _reachable(problem, flow.depot_id, flow.point_id):
            reason = "unreachable"
        if reason is not None:
            unmet += [_unmet(flow, x, reason) for x in flow.lines]
            continue
        keep = []
        for line in flow.lines:
            if _unit_fits_some(line, types):
                keep.append(line)
            else:
                unmet.append(_unmet(flow, line, "unit_too_large"))
        flow.lines = keep
        if keep:
            by_depot.setdefault(flow.depot_id, []).append(flow)

    for depot, flows in by_depot.items():
        trucks = sorted(
            (vt for vt in problem.fleet.at_depot(depot) for _ in range(vt.count)),
            key=lambda vt: (vt.capacity_kg, vt.capacity_m3),
            reverse=True,
        )
        out: list[Part] = []
        cut = True
        while cut:
            cut = False
            for vt in trucks:
                over = [f for f in flows if vt.fill_ratio(f.weight_kg, f.volume_m3) > 1 + _TOL]
                over.sort(key=lambda f: vt.fill_ratio(f.weight_kg, f.volume_m3), reverse=True)
                for flow in over:
                    loads, value = _pack(flow, vt)
                    if loads:
                        out.append(Part(depot, flow.point_id, _merge(loads), True, flow.promised_s,
                                        flow.release_s, value))  # fmt: skip
                        cut = True
                        break
        for flow in flows:
            if flow.lines:
                loads = [
                    ItemLoad(x.item_id, x.quantity, x.weight_kg, x.volume_m3, x.source_id) for x in flow.lines
                ]
                value = sum(x.value for x in flow.lines)
                out.append(
                    Part(depot, flow.point_id, tuple(loads), False, flow.promised_s, flow.release_s, value)
                )
        # deterministic order: by point as first seen, then release time, full parts first
        order = {f.point_id: i for i, f in reversed(list(enumerate(flows)))}
        out.sort(key=lambda p: (order[p.point_id], p.release_s, not p.full))
        parts[depot] = out
    return SplitPlan(parts, unmet)


def cut_pieces(
    problem: RoutingProblem, parts: list[Part], share: float
) -> tuple[list[Part], list[list[int]]]:
    """Cut every part that is not a full truckload into pieces the solver may split between trips.

    A piece holds at most ``share`` of the depot's smallest truck (in its binding dimension,
    packed greedily in whole units like truckloads); a part no larger stays whole. Pieces of
    one part sit at the same point, so the solver decides how a load is split between trips
    and trucks; pieces of one point on one trip are one stop.

    Parameters
    ----------
    problem
        The routing problem (fleet).
    parts
        Parts of one depot.
    share
        Largest piece as a share of the smallest truck, in (0, 1].

    Returns
    -------
    pieces, groups
        The pieces, and for every part the indices of its pieces (consecutive).
    """
    pieces: list[Part] = []
    groups: list[list[int]] = []
    for part in parts:
        types = problem.fleet.at_depot(part.depot_id)
        small = min(types, key=lambda vt: (vt.capacity_kg, vt.capacity_m3))
        cap_kg, cap_m3 = small.capacity_kg * share, small.capacity_m3 * share
        if part.full or (part.weight_kg <= cap_kg * (1 + _TOL) and part.volume_m3 <= cap_m3 * (1 + _TOL)):
            groups.append([len(pieces)])
            pieces.append(part)
            continue
        flow = _Flow(part.depot_id, part.point_id, part.release_s, promised_s=part.promised_s)
        total = sum(x.quantity for x in part.loads) or 1.0
        for x in part.loads:
            line = _Line(x.item_id, x.quantity, x.weight_kg, x.volume_m3, _is_whole(x.quantity), x.source_id)
            line.value = part.value * (x.quantity / total)
            flow.lines.append(line)
        piece_type = dataclasses.replace(small, capacity_kg=cap_kg, capacity_m3=cap_m3, count=1)
        start = len(pieces)
        while flow.lines:
            loads, value = _pack(flow, piece_type)
            if not loads:  # one unit is larger than a piece: the rest stays one piece
                loads = [
                    ItemLoad(x.item_id, x.quantity, x.weight_kg, x.volume_m3, x.source_id) for x in flow.lines
                ]
                value = sum(x.value for x in flow.lines)
                flow.lines = []
            pieces.append(Part(part.depot_id, part.point_id, _merge(loads), False, part.promised_s,
                               part.release_s, value))  # fmt: skip
        groups.append(list(range(start, len(pieces))))
    return pieces, groups


def rejoin(problem: RoutingProblem, depot_id: str, pieces: list[Part]) -> list[Part]:
    """Join pieces of one point (and release time) back into loads that fit the depot's largest truck."""
    big = max(problem.fleet.at_depot(depot_id), key=lambda vt: (vt.capacity_kg, vt.capacity_m3))
    out: list[Part] = []
    open_: dict[tuple[str, float], list[Part]] = {}
    for piece in pieces:
        bucket = open_.setdefault((piece.point_id, piece.release_s), [])
        w = sum(p.weight_kg for p in bucket) + piece.weight_kg
        v = sum(p.volume_m3 for p in bucket) + piece.volume_m3
        if bucket and not big.fits(w, v):
            out.append(_joined(bucket))
            bucket.clear()
        bucket.append(piece)
    out += [_joined(b) for b in open_.values() if b]
    return out


def _joined(bucket: list[Part]) -> Part:
    first = bucket[0]
    if len(bucket) == 1:
        return first
    promised = [p.promised_s for p in bucket if p.promised_s is not None]
    return Part(first.depot_id, first.point_id, _merge([x for p in bucket for x in p.loads]), False,
                min(promised) if promised else None, first.release_s, sum(p.value for p in bucket))  # fmt: skip
