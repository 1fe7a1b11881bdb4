"""From an allocation to trucks: whole-unit shipments, the routing problem on the timed roads.

Shipments are the allocation's flows summed per source, point and item, in whole units for
countable items (a depot's line to a point is the floor of its total; the pieces go to its
sources by largest remainder within their stock) and to 0.1 of the unit for measured items
(kg, L). Each carries its source's release time and its value: the share of the headline
(demand met by the deadline) it adds when it arrives in time (:func:`~logistics.plan.shares.unit_values`,
substitutes valued as what they cover).

The routing problem's matrices are the longest leg times between the first departure and the
last deadline (:meth:`~logistics.roads.TimedMatrices.worst_travel_s`), so the solver never plans
a stop that the real, time-dependent clock makes late; the schedule is then timed on that clock
(:class:`RoadClock`). Deadlines are given to routing as arrival times: the point's deadline minus
the unloading time, so that a stop on time is unloaded by the deadline.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from logistics.plan.shares import unit_values
from logistics.routing import Fleet, PointService, RoutingProblem, ServiceTimes, Shipment, VehicleType

if TYPE_CHECKING:
    from collections.abc import Mapping

    from logistics.allocation import AllocationProblem, AllocationResult
    from logistics.plan.model import ScenarioModel
    from logistics.roads import TimedMatrices

__all__ = ["RoadClock", "routing_problem", "shipments_from_allocation"]


class RoadClock:
    """The routing engine's exact clock on timed road matrices (see :mod:`logistics.roads.timed`).

    Parameters
    ----------
    timed
        Timed matrices of the run's places.
    """

    def __init__(self, timed: TimedMatrices) -> None:
        self.timed = timed

    def leg(self, frm: str, to: str, depart_s: float, speed_factor: float) -> tuple[float, float]:
        """Return ``(arrival_s, length_m)``: drive now or wait at ``frm`` for a later road state.

        A slower truck (``speed_factor`` < 1) drives each state's fastest path more slowly;
        waiting is not affected.
        """
        tm = self.timed
        i, j = tm.index(frm), tm.index(to)
        k0 = max(tm.state_at(depart_s), 0)
        best = (math.inf, math.nan)
        for k in range(k0, tm.num_states):
            go = max(depart_s, float(tm.start_h[k]) * 3600.0)
            arrive = go + float(tm.travel_time_s[k, i, j]) / speed_factor
            if arrive < best[0] - 1e-9:
                best = (arrive, float(tm.length_m[k, i, j]))
        return best


def _item_values(valued: AllocationProblem, p: AllocationProblem, alloc: AllocationResult) -> np.ndarray:
    """``[J, K]`` value of one delivered unit of ``alloc`` (a solution of ``p``) for ``valued``'s demand.

    Its own demand's value, or, for units used as substitutes, what they cover.
    """
    base = unit_values(valued.demand, valued.item_weight, valued.persons, valued.priority)
    values = base.copy()
    kidx = {k: i for i, k in enumerate(p.item_ids)}
    jidx = {j: i for i, j in enumerate(p.point_ids)}
    used: dict[tuple[int, int], float] = defaultdict(float)
    worth: dict[tuple[int, int], float] = defaultdict(float)
    subs = {(s.item, s.substitute): s.ratio for s in p.substitutions}
    for point, item, substitute, units in alloc.substitutions_used:
        j, k1, k2 = jidx[point], kidx[item], kidx[substitute]
        used[(j, k2)] += units
        worth[(j, k2)] += units * base[j, k1] / subs[(item, substitute)]
    for (j, k2), units in used.items():
        delivered = float(alloc.delivered[j, k2])
        if delivered > 0:
            own = min(delivered - units, float(p.demand[j, k2]))
            values[j, k2] = (max(own, 0.0) * base[j, k2] + worth[(j, k2)]) / delivered
    return values


def _whole_units(
    model: ScenarioModel, p: AllocationProblem, alloc: AllocationResult
) -> dict[tuple[str, str, str], float]:
    """Quantities per (source, point, item): whole pieces, or 0.1 of a measured unit, within stock."""
    cat = model.scenario.region.catalogue
    raw: dict[tuple[str, str, str], float] = defaultdict(float)
    for f in alloc.flows:
        if f.leg == "from_hub":  # the second leg is shipped from what reaches the hub (plan.hubs)
            continue
        raw[(f.source_id, f.hub_id if f.leg == "to_hub" else f.point_id, f.item_id)] += f.quantity
    src_depot = {s.id: s.depot_id for s in model.sources}
    stock = {
        (s, k): float(p.stock[a, b]) for a, s in enumerate(p.source_ids) for b, k in enumerate(p.item_ids)
    }
    used: dict[tuple[str, str], float] = defaultdict(float)
    out: dict[tuple[str, str, str], float] = {}
    groups: dict[tuple[str, str, str], list[tuple[str, float]]] = defaultdict(list)
    for (src, point, item), q in sorted(raw.items()):
        groups[(src_depot[src], point, item)].append((src, q))
    for (_d, point, item), lines in groups.items():
        step = 0.1 if cat[item].is_measure else 1.0
        target = math.floor(sum(q for _, q in lines) / step + 1e-6) * step
        base = {src: math.floor(q / step + 1e-6) * step for src, q in lines}
        rest = round((target - sum(base.values())) / step)
        for src, _q in sorted(lines, key=lambda x: (-(x[1] / step - math.floor(x[1] / step + 1e-6)), x[0])):
            if rest > 0 and used[(src, item)] + base[src] + step <= stock.get((src, item), 0.0) + 1e-6:
                base[src] += step
                rest -= 1
        for src, q in base.items():
            used[(src, item)] += q
            if q > 0:
                out[(src, point, item)] = round(q, 1)
    return out


def shipments_from_allocation(
    model: ScenarioModel, alloc: AllocationResult, *, problem: AllocationProblem | None = None
) -> list[Shipment]:
    """Return the allocation's lines as routing shipments (whole units, release times, values).

    Parameters
    ----------
    model
        The scenario model (values are shares of its problem's headline).
    alloc
        An allocation of ``problem``.
    problem
        The problem ``alloc`` solves (default ``model.problem``; e.g. a residual problem with the
        stock and demand left after a first plan).
    """
    p = problem if problem is not None else model.problem
    kidx = {k: i for i, k in enumerate(p.item_ids)}
    jidx = {j: i for i, j in enumerate(p.point_ids)}
    values = _item_values(model.problem, p, alloc)
    via = _hub_unit_values(alloc, values, jidx, kidx)
    sources = {s.id: s for s in model.sources}
    out = []
    for (src, point, item), q in sorted(_whole_units(model, p, alloc).items()):
        s, k = sources[src], kidx[item]
        unit = float(values[jidx[point], k]) if point in jidx else via.get((point, item), 0.0)
        out.append(Shipment(s.depot_id, point, item, q, q * float(p.weight_kg[k]), q * float(p.volume_m3[k]),
                            release_h=s.ready_h, source_id=src, value=q * unit))  # fmt: skip
    return out


def _hub_unit_values(
    alloc: AllocationResult, values: np.ndarray, jidx: dict[str, int], kidx: dict[str, int]
) -> dict[tuple[str, str], float]:
    """Value of one unit sent to a hub: the mean value of the hub's second-leg units of the item."""
    units: dict[tuple[str, str], float] = defaultdict(float)
    worth: dict[tuple[str, str], float] = defaultdict(float)
    for f in alloc.flows:
        if f.leg == "from_hub":
            units[(f.hub_id, f.item_id)] += f.quantity
            worth[(f.hub_id, f.item_id)] += f.quantity * float(values[jidx[f.point_id], kidx[f.item_id]])
    return {key: worth[key] / q for key, q in units.items() if q > 0}


def routing_problem(
    model: ScenarioModel, shipments: list[Shipment], *, depart_h: Mapping[str, float] | None = None
) -> RoutingProblem:
    """Return the routing problem of a plan: trucks, conservative matrices, the road clock.

    Parameters
    ----------
    model
        The scenario model.
    shipments
        What to deliver.
    depart_h
        Earliest departure hour per depot (default: its first ready time + loading); the
        solver's matrix holds the longest leg times from then to the last deadline.
    """
    sc, p, tm = model.scenario, model.problem, model.timed
    horizon_s = max(float(np.max(p.deadline_h)), 0.0) * 3600.0 if p.num_points else 0.0
    start_s = min((h + sc.load_h for h in model.depot_ready_h.values()), default=0.0) * 3600.0
    worst = tm.worst_travel_s(start_s, max(horizon_s, start_s))
    for d in model.depots:
        first = depart_h[d.id] if depart_h is not None else model.depot_ready_h.get(d.id, 0.0) + sc.load_h
        i, t0 = tm.index(d.id), first * 3600.0
        row = tm.worst_travel_s(t0, max(horizon_s, t0))
        worst[i, :], worst[:, i] = row[i, :], row[:, i]
    lengths = tm.length_m.min(axis=0)
    np.fill_diagonal(worst, 0.0)
    np.fill_diagonal(lengths, 0.0)
    # a point's deadline is for goods unloaded: trucks arrive one unloading time (of the stop) earlier
    service = {pt.id: PointService(_or(pt.unload_h, sc.unload_h) * 3600, _or(pt.unload_h_per_t, sc.unload_h_per_t) * 3600)
               for pt in sc.demand}  # fmt: skip
    deadline = {pt.id: pt.deadline_h or sc.deadline_h for pt in sc.demand}
    deadline |= {h.depot_id: max(h.cutoffs_h) for h in p.hubs}  # first legs: by the hub's last cut-off
    opens = {pt.id: min(pt.receive_from_h, deadline[pt.id]) for pt in sc.demand if pt.receive_from_h}
    return RoutingProblem.from_matrices(
        shipments, Fleet(_vehicle_types(model)), tm.ids, worst, np.where(np.isfinite(worst), lengths, np.inf),
        ready_h={d.id: model.depot_ready_h.get(d.id, 0.0) for d in model.depots}, deadline_h=deadline,
        service=ServiceTimes(load_s=sc.load_h * 3600, unload_s=sc.unload_h * 3600,
                             unload_s_per_t=sc.unload_h_per_t * 3600), timing=RoadClock(tm),
        earliest_h=opens, closes_h={did: close for did, _, close in sc.depot_hours},
        point_service=service, unloaded_by_deadline=True,
    )  # fmt: skip


def _or(x: float | None, default: float) -> float:
    return default if x is None else x


def _vehicle_types(model: ScenarioModel) -> tuple[VehicleType, ...]:
    """One routing vehicle type per fleet group of the allocation problem (trucks of one kind at one depot)."""
    p = model.problem
    specs = {(v.depot_id, v.vehicle_type): v for v in model.fleet}
    out = []
    for g in range(p.num_fleets):
        if p.fleet_count[g] <= 0:
            continue
        depot, name = p.depot_ids[int(p.fleet_depot[g])], p.fleet_ids[g].split("/", 1)[1]
        spec = specs.get((depot, name))
        out.append(VehicleType(depot, name, float(p.capacity_kg[g]), float(p.capacity_m3[g]), int(p.fleet_count[g]),
                               max_trips=getattr(spec, "max_trips", None),
                               max_duration_h=getattr(spec, "max_duration_h", None)))  # fmt: skip
    return tuple(out)
