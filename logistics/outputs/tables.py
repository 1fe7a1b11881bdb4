"""The tables of a run, from its routed plan: dispatch lines, unmet lines, arrivals.

Every quantity comes from the plan's deliveries, so ``allocation.csv``, the 调拨单 and the trucks'
loads agree line by line. Batches are picked first-expiry-first-out per source and item, in the
order the goods arrive, and always add up to the line.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from logistics.plan import UNMET_REASON_ZH

if TYPE_CHECKING:
    from logistics.allocation import Batch
    from logistics.plan import Delivery, RunResult

__all__ = ["delivery_rows", "unmet_rows"]


def _h(s: float) -> float:
    return round(s / 3600.0, 2)


def _num(x: float) -> float | int:
    """Whole numbers as integers (pieces), others rounded to 0.001."""
    v = round(x, 3)
    return int(v) if float(v).is_integer() else v


def _pick(queue: list[list[Any]], qty: float) -> list[tuple[str, dt.date | None, float]]:
    """Take ``qty`` from the batch queue ``[[id, expiry, left], …]`` (first expiry first)."""
    out = []
    rest = qty
    while rest > 1e-9 and queue:
        b = queue[0]
        take = min(rest, b[2])
        if take > 1e-9:
            out.append((b[0], b[1], round(take, 3)))
        b[2] -= take
        rest -= take
        if b[2] <= 1e-9:
            queue.pop(0)
    return out


def _batch_queues(batches: dict[tuple[str, str], list[Batch]]) -> dict[tuple[str, str], list[list[Any]]]:
    return {
        key: [[b.batch_id, b.expiry, b.quantity] for b in sorted(bs, key=lambda b: (b.expiry is None, b.expiry or dt.date.max, b.batch_id))]
        for key, bs in batches.items()
    }  # fmt: skip


def delivery_rows(res: RunResult) -> list[dict[str, Any]]:
    """Return the plan's dispatch lines: one per depot, source, point, item and wave.

    Parameters
    ----------
    res
        A routed run result.

    Returns
    -------
    list of dict
        Columns ``depot_id, depot_name, source_id, source_kind, point_id, point_name, item_id,
        item_name, unit, quantity, weight_kg, volume_m3, wave (``deadline``, ``later`` or
        ``to_hub``: a first leg to a transfer hub), vehicles, first_arrival_h,
        last_unloaded_h, deadline_h, batches_fefo``, and for documents ``batch_picks`` (batch id,
        expiry, quantity) and ``vehicle_trips`` (vehicle id, trip).
    """
    if res.plan is None:
        return []
    model = res.model
    sc, cat = model.scenario, model.scenario.region.catalogue
    names = {pt.id: pt.name for pt in sc.demand}
    deadline = {pt.id: pt.deadline_h or sc.deadline_h for pt in sc.demand}
    depot_names = {d.id: d.name for d in model.depots}
    kinds = {s.id: s.kind for s in model.sources}
    # first legs to transfer hubs (中转站) are lines too: wave "to_hub", due by the hub's last cut-off
    hubs = {h.depot_id: max(h.cutoffs_h) for h in model.problem.hubs}
    names |= {h: depot_names.get(h, h) for h in hubs}
    deadline |= hubs
    groups: dict[tuple[str, str, str, str, bool], list[Delivery]] = defaultdict(list)
    for d in (*res.plan.deliveries, *res.plan.handoffs):
        groups[(d.depot_id, d.source_id, d.point_id, d.item_id, d.later)].append(d)
    queues = _batch_queues(model.batches)
    order = sorted(groups, key=lambda k: (min(d.arrival_s for d in groups[k]), k))
    picks = {
        key: _pick(queues.get((key[1], key[3]), []), sum(d.quantity for d in groups[key])) for key in order
    }
    rows = []
    for key in sorted(groups):
        (depot, src, point, item, later), ds = key, groups[key]
        qty = math.fsum(d.quantity for d in ds)
        rows.append({
            "depot_id": depot, "depot_name": depot_names.get(depot, depot), "source_id": src,
            "source_kind": kinds.get(src, "transfer" if "⇒" in src else ""), "point_id": point,
            "point_name": names.get(point, point),
            "item_id": item, "item_name": cat[item].name_zh, "unit": cat[item].unit, "quantity": _num(qty),
            "weight_kg": round(math.fsum(d.weight_kg for d in ds), 1),
            "volume_m3": round(math.fsum(d.volume_m3 for d in ds), 3), "wave": "to_hub" if point in hubs else "later" if later else "deadline",
            "vehicles": "; ".join(sorted({f"{d.vehicle_id}/{d.trip}" for d in ds})),
            "first_arrival_h": _h(min(d.arrival_s for d in ds)), "last_unloaded_h": _h(max(d.unloaded_s for d in ds)),
            "deadline_h": deadline.get(point),
            "batches_fefo": "; ".join(f"{b}({e.isoformat() if e else '-'}):{_num(q)}" for b, e, q in picks[key]),
            "batch_picks": picks[key], "vehicle_trips": sorted({(d.vehicle_id, d.trip) for d in ds}),
        })  # fmt: skip
    return rows


def unmet_rows(summary: dict[str, Any], lang: str = "zh") -> list[dict[str, Any]]:
    """Return the unmet lines of a run's summary with names, units and the reason in words.

    Parameters
    ----------
    summary
        The run's summary (:meth:`~logistics.plan.RunResult.summary`).
    lang
        ``zh`` adds the Chinese reason.
    """
    unmet = summary["unmet"]
    point_name = {p["point"]: p["name"] for p in unmet["by_point"]}
    item = {i["item"]: i for i in unmet["by_item"]}
    return [
        {
            "point": u["point"],
            "point_name": point_name.get(u["point"], u["point"]),
            "item": u["item"],
            "item_name": item.get(u["item"], {}).get("name", u["item"]),
            "unit": item.get(u["item"], {}).get("unit", ""),
            **{k: v for k, v in u.items() if k not in ("point", "item")},
            "reason_zh": UNMET_REASON_ZH.get(u["reason"], u["reason"]),
        }
        for u in unmet["lines"]
    ]
