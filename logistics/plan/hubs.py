"""Goods through transfer hubs (中转站) in the routed plan: the second leg starts from what arrived.

The first leg (depot → hub) is routed with the direct shipments; a hub is a stop whose deadline
is its last cut-off (:func:`~logistics.plan.deliver.routing_problem`). What the trucks actually unload at a hub by each
cut-off is then forwarded (:func:`forward_shipments`): the allocation's second-leg lines, in the
order of their waves, take the goods that have arrived; goods unloaded after a wave's cut-off
wait for the next wave, and goods that arrive after the last cut-off are not forwarded. Each
forwarded line is released at its wave's cut-off plus the hub's handling time and is routed on
the hub's trucks after what they already do (:func:`~logistics.routing.extend_routes`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from logistics.plan.deliver import _item_values
from logistics.routing import Shipment

if TYPE_CHECKING:
    from logistics.allocation import AllocationResult
    from logistics.plan.model import ScenarioModel
    from logistics.plan.routed import Plan
    from logistics.routing import RoutingResult

__all__ = ["forward_shipments", "hub_receipts", "hub_section"]


def hub_receipts(
    model: ScenarioModel, routes: RoutingResult
) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Return the goods unloaded at each hub by the by-deadline trips: ``(hub, item) → [(hour, units)]``.

    Parameters
    ----------
    model
        The scenario model.
    routes
        The routes so far.
    """
    hubs = {h.depot_id for h in model.problem.hubs}
    out: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in routes.routes:
        for t in r.trips:
            if t.later:
                continue
            for s in t.stops:
                if s.point_id not in hubs:
                    continue
                for x in s.loads:
                    out[(s.point_id, x.item_id)].append((s.departure_s / 3600.0, x.quantity))
    return {k: sorted(v) for k, v in out.items()}


def forward_shipments(model: ScenarioModel, alloc: AllocationResult, routes: RoutingResult) -> list[Shipment]:
    """Return the second-leg shipments of the goods that reached each hub (see the module docstring).

    Parameters
    ----------
    model
        The scenario model.
    alloc
        The allocation (its ``from_hub`` flows are the second-leg lines).
    routes
        The routes of the first leg.
    """
    p = model.problem
    if not p.hubs:
        return []
    hubs = {h.depot_id: h for h in p.hubs}
    kidx = {k: i for i, k in enumerate(p.item_ids)}
    jidx = {j: i for i, j in enumerate(p.point_ids)}
    values = _item_values(model.problem, p, alloc)
    cat = model.scenario.region.catalogue
    lines: dict[tuple[str, float, str, str], float] = defaultdict(float)
    for f in alloc.flows:
        if f.leg == "from_hub":
            lines[(f.hub_id, f.window_start_h, f.point_id, f.item_id)] += f.quantity
    arrived = {key: list(v) for key, v in hub_receipts(model, routes).items()}
    out = []
    for (hub_id, ready, point, item), want in sorted(lines.items()):
        hub = hubs[hub_id]
        step = 0.1 if cat[item].is_measure else 1.0
        queue = arrived.get((hub_id, item), [])
        left = math.floor(want / step + 1e-6) * step
        while left > 1e-9 and queue:
            at, q = queue[0]
            wave = next((c for c in hub.cutoffs_h if at <= c + 1e-9), None)
            if wave is None:  # after the last cut-off: never forwarded
                queue.pop(0)
                continue
            take = min(left, math.floor(q / step + 1e-6) * step)
            if take <= 1e-9:
                queue.pop(0)
                continue
            release = max(ready, wave + hub.handling_h)
            queue[0] = (at, q - take)
            if q - take <= 1e-9:
                queue.pop(0)
            left -= take
            k, j = kidx[item], jidx[point]
            out.append(Shipment(hub_id, point, item, round(take, 1), take * float(p.weight_kg[k]),
                                take * float(p.volume_m3[k]), release_h=release,
                                source_id=f"{hub_id}⇒{release:g}h", value=take * float(values[j, k])))  # fmt: skip
    return out


def hub_section(model: ScenarioModel, alloc: AllocationResult, plan: Plan | None) -> list[dict[str, Any]]:
    """Return ``summary.json``'s ``hubs``: per hub, what the allocation planned and what the trucks did.

    ``planned_t`` is the allocation's tonnage through the hub; ``received_t`` what trucks unload
    there by its last cut-off, per wave in ``waves`` (unloaded by that cut-off, after the one
    before); ``forwarded_t`` what the hub's trucks unload at points by their deadlines.

    Parameters
    ----------
    model
        The scenario model.
    alloc
        The allocation.
    plan
        The routed plan (``None`` without routing: only the planned figures).
    """
    names = {d.id: d.name for d in model.depots}
    out = []
    for h in model.problem.hubs:
        planned = sum(t.received_kg for t in alloc.transfers if t.hub_id == h.depot_id) / 1000.0
        row: dict[str, Any] = {"hub": h.depot_id, "name": names.get(h.depot_id, h.depot_id),
                               "cutoffs_h": list(h.cutoffs_h), "handling_h": h.handling_h,
                               "throughput_t_h": None if math.isinf(h.throughput_kg_h) else h.throughput_kg_h / 1000.0,
                               "planned_t": round(planned, 3)}  # fmt: skip
        if plan is not None:
            got = [d for d in plan.handoffs if d.point_id == h.depot_id and not d.later]
            waves, before = [], -math.inf
            for c in h.cutoffs_h:
                kg = sum(d.weight_kg for d in got if before < d.unloaded_s / 3600.0 <= c + 1e-9)
                waves.append({"cutoff_h": c, "received_t": round(kg / 1000.0, 3)})
                before = c
            sent = [d for d in plan.deliveries if d.source_id.startswith(f"{h.depot_id}⇒") and not d.later]
            row |= {"received_t": round(sum(d.weight_kg for d in got) / 1000.0, 3), "waves": waves,
                    "forwarded_t": round(sum(d.weight_kg for d in sent) / 1000.0, 3)}  # fmt: skip
        out.append(row)
    return out
