"""Time sufficiency (时效性): whether the stock reaches a standard event in each county in time.

For each county (or district) of the region, a standard event of the target level is placed on
it: the level's design population is relocated, spread over the county's places in proportion to
their population. A plan is then made for it as for ``logistics run`` (allocation, trucks routed
over the road network, :func:`logistics.plan.plan_model`), and the share of demand the routed
trucks deliver by the deadline (priority- and person-weighted, :mod:`logistics.plan.shares`) is
reported for a 12 h and a 10 h deadline (初步救助 and the 十四五 target). The event covers the
first day's needs (``days = 1``): what must arrive within the deadline; quantity over the whole
support period is the quantity check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from typing import TYPE_CHECKING, Any

from logistics.plan import RunParams, build_scenario_model, plan_model, scenario_network, with_deadline
from logistics.scenario import DemandPoint, Hazard, Scenario, read_fleet

if TYPE_CHECKING:
    from logistics.region import Region, ResponseRules
    from logistics.stock import Inventory

__all__ = ["check_time"]

DEADLINES_H: tuple[float, ...] = (12.0, 10.0)
#: Plans of the standard events: a seed of their own and a shorter search than ``logistics run``.
TIME_CHECK_PARAMS = RunParams(seed=0, routing_iterations=300, routing_no_improvement=60, replan_rounds=1)


def check_time(
    region: Region,
    rules: ResponseRules,
    level: str,
    *,
    inv: Inventory | None = None,
    deadline_h: float = 12.0,
    date: dt.date | None = None,
    days: float = 1.0,
    params: RunParams = TIME_CHECK_PARAMS,
) -> dict[str, Any]:
    """Share of a standard level-``level`` event's needs delivered within 12 h and 10 h, per county.

    Parameters
    ----------
    region
        The region (places, fleet, depots).
    rules
        Response-level rules (design population of the level).
    level
        The level of the standard event (usually the target level).
    inv
        Inventory to use (default: the region's), e.g. with what-if stock added.
    deadline_h
        The main deadline (12 h by default); 10 h is always checked too.
    date
        Date for the expiry of stock (default today).
    days
        Days of needs the event asks for within the deadline (default 1: first-day needs).
    params
        How the plans are made (seed, routing effort).

    Returns
    -------
    dict
        ``counties``: list of ``{county, persons, points, share_within_12h, share_within_10h,
        max_unmet_share_12h, plan_for_12h, plan_for_10h}``, ``worst_county``, ``level``,
        ``design_population``, ``days``, ``seconds`` (wall-clock, not part of the deterministic
        figures). A plan made for a shorter deadline also meets a longer one, so each deadline's
        figures come from the better of its own plan and the plans of shorter deadlines
        (``plan_for_12h``: the deadline the plan used was made for); what that plan delivers by
        its own deadline is counted, a lower bound of what it delivers by the longer one.
    """
    t0 = time.perf_counter()
    rule = rules.levels[level]
    places = region.places()
    if inv is not None:
        region = dataclasses.replace(region)
        region.__dict__["_inventory"] = inv
    stock = region.inventory()
    fleet = tuple(read_fleet(region.extra["fleet_file"])) if region.extra.get("fleet_file") else ()
    when = dt.datetime.combine(date or dt.date.today(), dt.time(0, 0))
    network = None
    deadlines = tuple(dict.fromkeys((deadline_h, *DEADLINES_H)))
    counties = []
    by_county: dict[str, list[Any]] = {}
    for p in places:
        by_county.setdefault(p.county, []).append(p)
    for county, pts in by_county.items():
        total = sum(p.population for p in pts)
        demand = []
        for p in pts:
            persons = math.floor(rule.design_population * p.population / total) if total else 0
            if persons > 0:
                demand.append(DemandPoint(p.id, p.name, p.lon, p.lat, relocated=persons, county=county))
        scen = Scenario(
            name=f"{county} {rule.name_zh}标准事件",
            region=region,
            hazard=Hazard("other", when),
            demand=tuple(demand),
            days=days,
            deadline_h=max(deadlines),
            depot_ids=tuple(d.id for d in stock.depots),
            fleet=fleet,
        )
        if network is None:
            network = scenario_network(scen)
        model = build_scenario_model(scen, network=network)
        row: dict[str, Any] = {
            "county": county,
            "persons": sum(d.relocated for d in demand),
            "points": len(demand),
        }
        best = None  # a plan that meets a shorter deadline meets a longer one too
        for dl in sorted(deadlines):
            plan = plan_model(with_deadline(model, dl), params).plan
            assert plan is not None
            if best is None or plan.demand_met_share_by_deadline >= best[1].demand_met_share_by_deadline:
                best = (dl, plan)
            plan_dl, plan = best
            row[f"share_within_{dl:g}h"] = round(plan.demand_met_share_by_deadline, 4)
            row[f"plan_for_{dl:g}h"] = plan_dl
            if dl == deadline_h:
                row[f"max_unmet_share_{dl:g}h"] = round(plan.max_unmet_share, 4)
                reasons: dict[str, float] = {}
                for u in plan.unmet:
                    reasons[u.reason] = reasons.get(u.reason, 0.0) + u.unmet
                row["shortfall_reasons"] = sorted(reasons, key=lambda r: -reasons[r])
        counties.append(row)
    key = f"share_within_{deadline_h:g}h"
    worst = min(counties, key=lambda r: (r[key], r["county"]))["county"] if counties else None
    return {
        "level": level,
        "design_population": rule.design_population,
        "days": days,
        "deadlines_h": list(deadlines),
        "counties": counties,
        "worst_county": worst,
        "seconds": round(time.perf_counter() - t0, 1),
    }
