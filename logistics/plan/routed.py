"""The plan the trucks deliver: every shipment on a truck trip with its times (the single truth).

A :class:`Plan` is built from the routed trucks only. Deliveries of the by-deadline wave count
as met; the later wave (goods that could not arrive by their point's deadline) is reported
with its arrival times and never counted as met by the deadline. Unmet demand is demand minus
what the by-deadline wave covers, with one reason per point and item:

* the allocation's reason (``no_stock``, ``unreachable``, ``too_far``, ``no_trucks``,
  ``stock_exhausted``, ``pruned``) when even the allocation could not cover it;
* ``after_deadline`` when the goods were planned but only arrive in the later wave;
* ``not_routed`` when the trucks could not carry them at all;
* ``rounding`` when less than one piece (0.1 of a measured unit) is missing: transfer orders
  carry whole pieces, the allocation divides units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation import REASON_ZH
from logistics.plan.shares import coverage, headline_share, point_met_shares

if TYPE_CHECKING:
    from logistics.allocation import AllocationResult
    from logistics.plan.model import ScenarioModel
    from logistics.routing import RoutingResult

__all__ = ["UNMET_REASON_ZH", "Delivery", "Plan", "UnmetLine", "build_plan"]

#: Chinese names of every reason a point's demand is unmet in a plan.
UNMET_REASON_ZH: dict[str, str] = {
    **REASON_ZH,
    "after_deadline": "晚于时限送达（后续批次）",
    "not_routed": "车辆无法按时运达",
    "rounding": "整件取整余量",
}
_EPS = 1e-6


@dataclass(frozen=True)
class Delivery:
    """Goods of one item from one source, unloaded at one point by one truck trip.

    Parameters
    ----------
    depot_id, source_id, point_id, item_id
        Where from, which stock, where to, what.
    quantity, weight_kg, volume_m3
        How much (whole pieces for countable items).
    vehicle_id, trip
        The truck (``depot/type#n``) and its trip number.
    departure_s, arrival_s, unloaded_s
        Departure from the depot, arrival at the point, end of unloading (seconds from t0).
    later
        Whether it is in the later wave (after the point's deadline).
    """

    depot_id: str
    source_id: str
    point_id: str
    item_id: str
    quantity: float
    weight_kg: float
    volume_m3: float
    vehicle_id: str
    trip: int
    departure_s: float
    arrival_s: float
    unloaded_s: float
    later: bool = False


@dataclass(frozen=True)
class UnmetLine:
    """Demand of one item at one point not covered by the deadline.

    Parameters
    ----------
    point_id, item_id
        Where and what.
    demand
        Units needed.
    covered
        Units covered by the by-deadline wave (substitutes at their ratio).
    later
        Units of this item delivered in the later wave.
    unmet
        ``demand - covered``.
    reason
        See the module docstring and :data:`UNMET_REASON_ZH`.
    """

    point_id: str
    item_id: str
    demand: float
    covered: float
    later: float
    unmet: float
    reason: str


@dataclass(frozen=True, eq=False)
class Plan:
    """The routed plan and every figure derived from it.

    Parameters
    ----------
    point_ids, item_ids
        Rows and columns of the arrays.
    demand, delivered, covered, delivered_later
        ``[J, K]`` units needed, delivered by the deadline, covered by the deadline
        (substitutes at their ratio) and delivered after it.
    point_shares
        ``[J]`` met shares by the deadline (:mod:`logistics.plan.shares`).
    servable
        ``[J]`` whether any source can serve the point at all.
    demand_met_share_by_deadline
        The headline: priority × persons weighted mean of the point shares.
    max_unmet_share
        Largest ``1 − met share`` over servable points.
    allocation_share
        What the allocation the trucks executed promised (its objective (a)).
    bound
        Upper bound on the headline: the allocation with the fastest road states.
    deliveries
        Every delivery, by-deadline wave and later wave.
    unmet
        Unmet lines with their reasons.
    routing
        The trucks' routes (both waves).
    handoffs
        Goods unloaded at transfer hubs (中转站) to be forwarded (``point_id`` is the hub).
    """

    point_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    demand: np.ndarray
    delivered: np.ndarray
    covered: np.ndarray
    delivered_later: np.ndarray
    point_shares: np.ndarray
    servable: np.ndarray
    demand_met_share_by_deadline: float
    max_unmet_share: float
    allocation_share: float
    bound: float
    deliveries: tuple[Delivery, ...]
    unmet: tuple[UnmetLine, ...]
    routing: RoutingResult
    handoffs: tuple[Delivery, ...] = ()

    @property
    def quality(self) -> float:
        """Headline as a share of the bound (1 when the bound is 0)."""
        return self.demand_met_share_by_deadline / self.bound if self.bound > 0 else 1.0

    def unservable_points(self) -> list[str]:
        """Return the ids of the points no source can serve (reported apart from the equity measure)."""
        return [j for j, ok in zip(self.point_ids, self.servable, strict=True) if not ok]


def _deliveries(routing: RoutingResult) -> list[Delivery]:
    """One delivery per load of every stop."""
    out = []
    for r in routing.routes:
        for t in r.trips:
            for s in t.stops:
                out += [
                    Delivery(r.depot_id, x.source_id, s.point_id, x.item_id, x.quantity, x.weight_kg, x.volume_m3,
                             r.vehicle_id, t.number, t.departure_s, s.arrival_s, s.departure_s, t.later)
                    for x in s.loads
                ]  # fmt: skip
    return out


def _servable(model: ScenarioModel, alloc: AllocationResult) -> np.ndarray:
    """Whether some source could deliver at least one item each point needs (the allocation's test)."""
    out = set(alloc.unservable_points)
    return np.array([j not in out for j in model.problem.point_ids])


def _unmet_lines(
    model: ScenarioModel, alloc: AllocationResult, plan_arrays: dict[str, np.ndarray]
) -> list[UnmetLine]:
    """Unmet lines with the allocation's reason, or the routing's."""
    p = model.problem
    lp_reason = {(s.point_id, s.item_id): s.reason for s in alloc.shortfalls}
    cat = model.scenario.region.catalogue
    demand, covered, later = plan_arrays["demand"], plan_arrays["covered"], plan_arrays["later"]
    out = []
    for j, point in enumerate(p.point_ids):
        for k, item in enumerate(p.item_ids):
            gap = float(demand[j, k] - covered[j, k])
            if demand[j, k] <= 0 or gap <= _EPS * max(1.0, float(demand[j, k])):
                continue
            step = 0.1 if cat[item].is_measure else 1.0
            if float(alloc.covered[j, k]) < float(demand[j, k]) - 1e-6 and (point, item) in lp_reason:
                reason = lp_reason[(point, item)]
            elif gap < step - 1e-9:
                reason = "rounding"
            else:
                reason = "after_deadline" if later[j, k] > 0 else "not_routed"
            out.append(UnmetLine(point, item, float(demand[j, k]), float(covered[j, k]), float(later[j, k]), gap,
                                 reason))  # fmt: skip
    return out


def build_plan(
    model: ScenarioModel, alloc: AllocationResult, routing: RoutingResult, *, bound: float
) -> Plan:
    """Derive the plan's figures from the routed trucks.

    Parameters
    ----------
    model
        The scenario model.
    alloc
        The allocation the trucks executed.
    routing
        The routes (by-deadline and later waves).
    bound
        Upper bound on the headline (the bound problem's optimum).
    """
    p = model.problem
    kidx = {k: i for i, k in enumerate(p.item_ids)}
    jidx = {j: i for i, j in enumerate(p.point_ids)}
    every = _deliveries(routing)
    deliveries = [d for d in every if d.point_id in jidx]
    handoffs = tuple(d for d in every if d.point_id not in jidx)  # goods unloaded at transfer hubs
    delivered = np.zeros((p.num_points, p.num_items))
    later = np.zeros_like(delivered)
    for d in deliveries:
        (later if d.later else delivered)[jidx[d.point_id], kidx[d.item_id]] += d.quantity
    covered = coverage(p.demand, delivered, p.item_ids, p.substitutions)
    shares = point_met_shares(p.demand, covered, p.item_weight)
    servable = _servable(model, alloc)
    has = p.demand.sum(axis=1) > 0
    headline = headline_share(shares, p.persons, p.priority, has)
    worst = max((1.0 - s for s, ok, h in zip(shares, servable, has, strict=True) if ok and h), default=0.0)
    unmet = _unmet_lines(model, alloc, {"demand": p.demand, "covered": covered, "later": later})
    return Plan(p.point_ids, p.item_ids, np.asarray(p.demand), delivered, covered, later, shares, servable,
                headline, float(worst), float(alloc.demand_met_share_by_deadline), float(bound), tuple(deliveries),
                tuple(unmet), routing, handoffs)  # fmt: skip
