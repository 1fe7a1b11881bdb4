"""``summary.json``: every figure of a run, from the routed plan (deterministic, no wall-clock)."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.plan.hubs import hub_section
from logistics.plan.shares import point_met_shares

if TYPE_CHECKING:
    from logistics.plan.routed import Plan
    from logistics.plan.run import RunResult

__all__ = ["build_summary"]

_NOTE = (
    "demand_met_share_by_deadline is what the routed trucks unload by each point's deadline (the "
    "later wave is not counted); plan.allocation is what the allocation promised and plan.bound an "
    "upper bound (the allocation with the fastest road states); shares weight each needed item by its "
    "item weight and points by priority x persons (logistics.plan.shares); solver.method is exact (the full "
    "allocation LP) or certified (large scenarios: docs/allocation.md), solver.bound a proven upper bound on "
    "the allocation's demand met (objective a) and solver.gap = (bound - allocation) / bound; solver.time_limited "
    "is true when the certified mode stopped at --allocation-time-limit"
)


def _r(x: float | None, nd: int = 4) -> float | int | None:
    if x is None or not math.isfinite(x):
        return None
    v = round(float(x), nd)
    return int(v) if v.is_integer() else v


def _h(s: float | None) -> float | int | None:
    return None if s is None else _r(s / 3600.0, 3)


def _by_item(res: RunResult, plan: Plan | None) -> list[dict[str, Any]]:
    cat = res.model.scenario.region.catalogue
    a, p = res.allocation, res.model.problem
    out = []
    for i, k in enumerate(p.item_ids):
        dem = float(p.demand[:, i].sum())
        cov = float(plan.covered[:, i].sum()) if plan is not None else float(a.covered[:, i].sum())
        later = float(plan.delivered_later[:, i].sum()) if plan is not None else 0.0
        out.append({"item": k, "name": cat[k].name_zh, "unit": cat[k].unit, "demand": _r(dem, 3),
                    "covered": _r(cov, 3), "delivered_later": _r(later, 3), "unmet": _r(max(0.0, dem - cov), 3)})  # fmt: skip
    return out


def _by_point(res: RunResult, plan: Plan | None) -> list[dict[str, Any]]:
    p = res.model.problem
    names = {pt.id: pt.name for pt in res.model.scenario.demand}
    if plan is not None:
        shares, servable = plan.point_shares, plan.servable
    else:
        shares, servable = (
            point_met_shares(p.demand, res.allocation.covered, p.item_weight),
            np.ones(len(p.point_ids)),
        )
    return [
        {"point": pid, "name": names[pid], "persons": int(p.persons[j]), "met_share": _r(float(shares[j])),
         "unmet_share": _r(1.0 - float(shares[j])), "servable": bool(servable[j])}
        for j, pid in enumerate(p.point_ids)
    ]  # fmt: skip


def _lines(res: RunResult, plan: Plan | None) -> list[dict[str, Any]]:
    if plan is None:
        return [{"point": s.point_id, "item": s.item_id, "demand": _r(s.demand, 3), "covered": _r(s.covered, 3),
                 "delivered_later": 0, "unmet": _r(s.unmet, 3), "reason": s.reason}
                for s in sorted(res.allocation.shortfalls, key=lambda s: (s.point_id, s.item_id))]  # fmt: skip
    return [{"point": u.point_id, "item": u.item_id, "demand": _r(u.demand, 3), "covered": _r(u.covered, 3),
             "delivered_later": _r(u.later, 3), "unmet": _r(u.unmet, 3), "reason": u.reason}
            for u in sorted(plan.unmet, key=lambda u: (u.point_id, u.item_id))]  # fmt: skip


def _arrivals(res: RunResult, plan: Plan | None) -> list[dict[str, Any]]:
    sc = res.model.scenario
    first: dict[tuple[str, bool], float] = {}
    last: dict[tuple[str, bool], float] = {}
    for d in plan.deliveries if plan is not None else ():
        key = (d.point_id, d.later)
        first[key] = min(first.get(key, math.inf), d.arrival_s)
        last[key] = max(last.get(key, -math.inf), d.unloaded_s)
    return [
        {"point": pt.id, "name": pt.name, "deadline_h": pt.deadline_h or sc.deadline_h,
         "first_arrival_h": _h(first.get((pt.id, False))), "last_unloaded_h": _h(last.get((pt.id, False))),
         "later_first_arrival_h": _h(first.get((pt.id, True))), "later_last_unloaded_h": _h(last.get((pt.id, True)))}
        for pt in sc.demand
    ]  # fmt: skip


def _hubs(res: RunResult, plan: Plan | None) -> dict[str, Any]:
    """Transfer hubs: per hub, planned and done; and which plan was kept (through hubs or direct)."""
    choice = res.hub_choice or {}
    return {"chosen": choice.get("chosen", "hubs"), "with_hubs": _r(choice.get("with_hubs"), 6),
            "direct_only": _r(choice.get("direct_only"), 6), "hubs": hub_section(res.model, res.allocation, plan)}  # fmt: skip


def _plan_section(res: RunResult, plan: Plan | None) -> dict[str, Any]:
    if plan is None:
        return {"routed": False, "allocation": _r(res.allocation.demand_met_share_by_deadline, 6),
                "bound": _r(res.bound_allocation.demand_met_share_by_deadline, 6)}  # fmt: skip
    later = [d for d in plan.deliveries if d.later]
    names = {pt.id: pt.name for pt in res.model.scenario.demand}
    return {
        "routed": True,
        "allocation": _r(plan.allocation_share, 6),
        "bound": _r(plan.bound, 6),
        "quality": _r(plan.quality, 6),
        "deliveries": len(plan.deliveries),
        "later_wave_deliveries": len(later),
        "later_wave_weight_t": _r(sum(d.weight_kg for d in later) / 1000.0, 3),
        "unservable_points": plan.unservable_points(),
        "unservable_point_names": [names[j] for j in plan.unservable_points()],
    }


def _routes(plan: Plan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    out = plan.routing.summary()
    out.pop("stats", None)  # solver statistics hold wall-clock times: timing.json only
    out.pop("feedback_pairs", None)
    return out


def build_summary(res: RunResult) -> dict[str, Any]:
    """Build ``summary.json`` (deterministic: wall-clock times go to ``timing.json``).

    Parameters
    ----------
    res
        A run result.
    """
    sc, a, plan = res.model.scenario, res.allocation, res.plan
    headline = plan.demand_met_share_by_deadline if plan is not None else a.demand_met_share_by_deadline
    worst = plan.max_unmet_share if plan is not None else a.max_unmet_share
    out: dict[str, Any] = {
        "scenario": sc.name,
        "region": {"name": sc.region.name, "adcode": sc.region.adcode},
        "hazard": {"type": sc.hazard.type, "time": sc.hazard.time.isoformat() if sc.hazard.time else None},
        "deadline_h": sc.deadline_h,
        "days": sc.days,
        "demand_met_share_by_deadline": _r(headline, 6),
        "max_unmet_share": _r(worst, 6),
        "headline_from": "routed plan" if plan is not None else "allocation (not routed)",
        "plan": _plan_section(res, plan),
        "objectives": {k: _r(v, 4) for k, v in a.objectives.items()},
        "objective_mode": a.objective,
        "solver": {
            "name": a.solver,
            "method": a.method,
            "bound": _r(a.bound, 6),
            "gap": _r(a.gap, 6),
            "time_limited": a.time_limited,
            "status": a.status,
            "variables": a.num_variables,
            "constraints": a.num_constraints,
        },
        "status": a.status,
        "seed": res.seed,
        "run_time_s": None,
        "run_time_note": "wall-clock times are written to timing.json so that reruns give a byte-identical summary.json",
        "note": _NOTE,
        "unmet": {
            "by_item": _by_item(res, plan),
            "by_point": _by_point(res, plan),
            "lines": _lines(res, plan),
        },
        "arrivals": _arrivals(res, plan),
        "routes": _routes(plan),
        **({"hubs": _hubs(res, plan)} if res.model.problem.hubs else {}),
        "road_warnings": list(res.model.warnings),
        "illustrative": list(res.model.notes),
    }
    return json.loads(json.dumps(out, ensure_ascii=False, default=str))
