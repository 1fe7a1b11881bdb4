"""After a first routing: re-plan what did not make the deadline, then the later wave.

The first routing carries the allocation's shipments by their deadlines where the trucks can.
What is left is re-planned on what is left:

* :func:`residual_problem` — the allocation problem on the stock not yet delivered by the
  deadline and the demand not yet covered, with each depot's goods loadable only once one of its
  trucks is free (so another depot, another truck or a split can serve a point that the first
  routing could not); travel times stay those of the plan problem;
* its allocation is routed on the trucks' remaining time (:func:`~logistics.routing.extend_routes`);
* :func:`later_shipments` — the first allocation's goods that are still undelivered and still
  needed form the later wave, delivered after the deadlines.

Every step only adds trips after the ones already planned, so re-planning never makes the plan
worse than routing the allocation once and repairing it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from logistics.plan.shares import coverage

if TYPE_CHECKING:
    from logistics.allocation import AllocationProblem
    from logistics.plan.model import ScenarioModel
    from logistics.routing import RoutingResult, Shipment

__all__ = ["covered_by_deadline", "depot_free_h", "later_shipments", "residual_problem"]


def _delivered(
    model: ScenarioModel, routes: RoutingResult
) -> tuple[np.ndarray, dict[tuple[str, str], float], dict[tuple[str, str, str], float]]:
    """Units delivered by the deadline: ``[J, K]``, per (source, item) and per (source, point, item)."""
    p = model.problem
    kidx = {k: i for i, k in enumerate(p.item_ids)}
    jidx = {j: i for i, j in enumerate(p.point_ids)}
    per_point = np.zeros((p.num_points, p.num_items))
    per_source: dict[tuple[str, str], float] = defaultdict(float)
    per_line: dict[tuple[str, str, str], float] = defaultdict(float)
    for r in routes.routes:
        for t in r.trips:
            if t.later:
                continue
            for s in t.stops:
                for x in s.loads:
                    per_source[(x.source_id, x.item_id)] += x.quantity  # also goods taken to a hub
                    if s.point_id in jidx:
                        per_point[jidx[s.point_id], kidx[x.item_id]] += x.quantity
                        per_line[(x.source_id, s.point_id, x.item_id)] += x.quantity
    return per_point, per_source, per_line


def covered_by_deadline(model: ScenarioModel, routes: RoutingResult) -> np.ndarray:
    """Return ``[J, K]`` demand covered by the by-deadline trips of ``routes`` (substitutes at ratio).

    Parameters
    ----------
    model
        The scenario model.
    routes
        The routes so far.
    """
    p = model.problem
    delivered, _, _ = _delivered(model, routes)
    return coverage(p.demand, delivered, p.item_ids, p.substitutions)


def residual_problem(model: ScenarioModel, routes: RoutingResult) -> AllocationProblem:
    """Return the allocation problem on the stock and demand left after ``routes``.

    Each source's goods become loadable when they are ready and one of its depot's trucks is
    free (its last by-deadline return, or the depot's ready time for an idle truck).

    Parameters
    ----------
    model
        The scenario model.
    routes
        The routes so far.
    """
    p = model.problem
    _, used, _ = _delivered(model, routes)
    covered = covered_by_deadline(model, routes)
    stock = np.array(p.stock, dtype=float)
    for a, src in enumerate(p.source_ids):
        for b, item in enumerate(p.item_ids):
            stock[a, b] = max(0.0, stock[a, b] - used.get((src, item), 0.0))
    free_h = depot_free_h(model, routes)
    ready = np.array([max(float(p.ready_h[a]), free_h[p.depot_ids[int(p.source_depot[a])]])
                      for a in range(p.num_sources)])  # fmt: skip
    demand = np.maximum(np.asarray(p.demand, dtype=float) - covered, 0.0)
    demand[demand < 1e-9] = 0.0
    count, trips, hours = _fleet_left(model, routes)
    # travel times stay the plan problem's: letting a busy depot use the faster roads of its
    # later departures would favour fewer trucks (measured: bench/monotonicity.py)
    # re-planning goes direct: a hub's second leg is shipped from what reached it (plan.hubs)
    return dataclasses.replace(p, stock=stock, demand=demand, ready_h=ready, fleet_count=count,
                               fleet_max_trips=trips, fleet_max_duration_h=hours, hubs=(),
                               hub_travel_time_h=None, hub_distance_km=None)  # fmt: skip


def _fleet_left(model: ScenarioModel, routes: RoutingResult) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per fleet group: trucks with trips and hours left, and (rounded up) trips and hours left per truck."""
    p = model.problem
    used: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for r in routes.routes:
        trips = [t for t in r.trips if not t.later]
        if trips:
            used[(r.depot_id, r.vehicle_type)].append(
                (len(trips), (trips[-1].return_s - trips[0].start_s) / 3600.0)
            )
    count = np.array(p.fleet_count, dtype=float)
    max_trips = np.array(p.fleet_max_trips, dtype=float)
    max_hours = np.array(p.fleet_max_duration_h, dtype=float)
    for g in range(p.num_fleets):
        key = (p.depot_ids[int(p.fleet_depot[g])], p.fleet_ids[g].split("/", 1)[1])
        busy = used.get(key, [])
        idle = int(p.fleet_count[g]) - len(busy)
        left = [(max_trips[g] - n, max_hours[g] - h) for n, h in busy] + [(max_trips[g], max_hours[g])] * idle
        left = [(n, h) for n, h in left if n >= 1 and h > 0]
        count[g] = len(left)
        if left:
            max_trips[g] = np.inf if np.isinf(max_trips[g]) else np.ceil(sum(n for n, _ in left) / len(left))
            max_hours[g] = max(h for _, h in left)
    return count, max_trips, max_hours


def depot_free_h(model: ScenarioModel, routes: RoutingResult) -> dict[str, float]:
    """Return the hour each depot first has a truck free after the by-deadline trips of ``routes``.

    Parameters
    ----------
    model
        The scenario model.
    routes
        The routes so far.
    """
    p = model.problem
    busy: dict[str, list[float]] = defaultdict(list)
    for r in routes.routes:
        ends = [t.return_s for t in r.trips if not t.later]
        if ends:
            busy[r.depot_id].append(max(ends) / 3600.0)
    counts: dict[str, int] = defaultdict(int)
    for g in range(p.num_fleets):
        counts[p.depot_ids[int(p.fleet_depot[g])]] += int(p.fleet_count[g])
    out = {}
    for d in p.depot_ids:
        times = sorted(busy.get(d, []))
        ready = model.depot_ready_h.get(d, 0.0)
        out[d] = ready if len(times) < counts[d] else max(ready, times[0])
    return out


def later_shipments(model: ScenarioModel, routes: RoutingResult, first: list[Shipment]) -> list[Shipment]:
    """Return the first allocation's goods still undelivered and still needed (the later wave).

    A point still needs an item up to its uncovered demand, and a substitute up to what it would
    cover of the items it may replace.

    Parameters
    ----------
    model
        The scenario model.
    routes
        The routes so far (by-deadline trips).
    first
        The shipments of the first allocation.
    """
    p = model.problem
    kidx = {k: i for i, k in enumerate(p.item_ids)}
    jidx = {j: i for i, j in enumerate(p.point_ids)}
    _, used, lines = _delivered(model, routes)
    cat = model.scenario.region.catalogue
    p_stock = {
        (s, k): float(p.stock[a, b]) for a, s in enumerate(p.source_ids) for b, k in enumerate(p.item_ids)
    }
    left = {key: q - used.get(key, 0.0) for key, q in p_stock.items()}  # after every by-deadline trip
    gap = np.maximum(np.asarray(p.demand, dtype=float) - covered_by_deadline(model, routes), 0.0)
    need = gap.copy()
    for sub in p.substitutions:
        need[:, kidx[sub.substitute]] += sub.ratio * gap[:, kidx[sub.item]]
    out = []
    for s in first:
        if s.point_id not in jidx:  # a first leg to a hub: not re-sent later
            continue
        key = (s.source_id, s.point_id, s.item_id)
        took = min(lines.get(key, 0.0), s.quantity)
        lines[key] = lines.get(key, 0.0) - took
        q = min(
            s.quantity - took,
            need[jidx[s.point_id], kidx[s.item_id]],
            left.get((s.source_id, s.item_id), 0.0),
        )
        q = float(np.floor(q * 10 + 1e-6)) / 10 if cat[s.item_id].is_measure else float(np.floor(q + 1e-6))
        if q <= 1e-9:
            continue
        need[jidx[s.point_id], kidx[s.item_id]] -= q
        left[(s.source_id, s.item_id)] -= q
        f = q / s.quantity
        out.append(dataclasses.replace(s, quantity=q, weight_kg=s.weight_kg * f, volume_m3=s.volume_m3 * f,
                                       value=(s.value or 0.0) * f))  # fmt: skip
    return out
