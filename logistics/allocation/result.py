"""Result of an allocation: flows, trips, coverage, shortfalls with reasons, objectives."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.allocation._lanes import depot_has_fleet, item_alternatives, source_time_ok
from logistics.allocation._tidy import QTY_EPS, tidy_solution
from logistics.allocation.shares import point_met_shares

if TYPE_CHECKING:
    import pandas as pd

    from logistics.allocation._hubs import Expansion
    from logistics.allocation._lanes import Lanes
    from logistics.allocation._model import Model
    from logistics.allocation.params import AllocationParams
    from logistics.allocation.problem import AllocationProblem

__all__ = [
    "REASONS",
    "REASON_ZH",
    "AllocationResult",
    "Flow",
    "LaneTrips",
    "Shortfall",
    "Transfer",
    "TruckTrips",
]

#: shortfall reasons, in the order they are tested (see logistics.allocation.problem)
REASONS: tuple[str, ...] = (
    "no_stock",
    "unreachable",
    "too_far",
    "no_trucks",
    "pruned",
    "stock_exhausted",
)
#: Chinese names of the shortfall reasons (for reports and consoles).
REASON_ZH: dict[str, str] = {
    "no_stock": "无库存",
    "unreachable": "道路不通",
    "too_far": "路程过远，时限内无法送达",
    "no_trucks": "运力不足",
    "pruned": "候选库点筛除",
    "stock_exhausted": "库存已调往其他点",
}


@dataclass(frozen=True)
class Flow:
    """Units of one item from one source to one point on one lane.

    ``delivery_h`` is the nominal unloading time (earliest in the window);
    ``lane`` indexes :attr:`AllocationResult.lanes`. With transfer hubs, ``leg`` is
    ``"to_hub"`` (``point_id`` is then the hub wave's receiving point ``<hub>⇐<cut-off>h``) or
    ``"from_hub"`` (``source_id`` is the wave's transfer source ``<hub>⇒<ready>h``) and
    ``hub_id`` the hub's depot; otherwise ``"direct"`` and ``""``.
    """

    lane: int
    source_id: str
    depot_id: str
    fleet_id: str
    point_id: str
    item_id: str
    quantity: float
    weight_kg: float
    volume_m3: float
    window_start_h: float
    delivery_h: float
    distance_km: float
    leg: str = "direct"
    hub_id: str = ""


@dataclass(frozen=True)
class Transfer:
    """Units of one item through one wave of a hub (中转): received by the cut-off, sent on after.

    ``sent`` may include units received in earlier waves of the same hub.
    """

    hub_id: str
    cutoff_h: float
    ready_h: float
    item_id: str
    received: float
    sent: float
    received_kg: float


@dataclass(frozen=True)
class LaneTrips:
    """All trips of one fleet group in one window to one point (a lane).

    ``trips`` is fractional in the LP; ``due_h`` is the latest return time
    (deadline + travel time, or the window end).
    """

    lane: int
    depot_id: str
    fleet_id: str
    point_id: str
    window_start_h: float
    window_end_h: float
    trips: float
    weight_kg: float
    volume_m3: float
    cycle_h: float
    due_h: float
    delivery_h: float
    hub_id: str = ""


@dataclass(frozen=True)
class TruckTrips:
    """Whole trips of one truck on one lane (``integer_trips=True`` only)."""

    lane: int
    fleet_id: str
    truck: int
    point_id: str
    window_start_h: float
    trips: int


@dataclass(frozen=True)
class Shortfall:
    """Unmet demand of one item at one point, with its reason (see ``REASONS``)."""

    point_id: str
    item_id: str
    demand: float
    covered: float
    unmet: float
    reason: str


@dataclass(frozen=True, eq=False)
class AllocationResult:
    """Outcome of :func:`~logistics.allocation.problem.solve_allocation`.

    Arrays are indexed like the problem: ``[J, K]`` points × items, ``[S, K]``
    sources × items. ``covered`` counts substitutes at their ratio;
    ``delivered`` counts units of each item unloaded at each point.

    ``unservable_points`` lists, in problem order, the points with demand
    that no source can serve at all: for every item they need, no source
    holding it (or an allowed substitute) can unload it there by the deadline
    with a truck of its depot (each such item's shortfall reason is
    ``no_stock``, ``unreachable``, ``too_far`` or ``no_trucks``).
    ``max_unmet_share`` — objective (b), the largest weighted unmet share
    of a point — is taken over the other points only (0 when there are none),
    so that one cut-off village does not pin it at 1.

    ``method`` is ``"exact"`` (the full model) or ``"certified"`` (the
    large-scale mode); ``bound`` is a proven upper bound on demand met (a) —
    in the exact mode the optimum of stage (a) — and ``gap`` is
    ``(bound − demand_met_share_by_deadline) / bound``. ``time_limited`` is true when the
    certified mode reached ``AllocationParams.time_limit_s`` before it finished (rounds,
    depot plans or the cost stage were cut short; the gap says what it cost).

    With transfer hubs, ``transfers`` lists what passed through each hub wave, and flows and
    lanes to and from hubs are marked (:class:`Flow`); ``point_ids``, ``source_ids`` and the
    arrays are the problem's own.
    """

    point_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    source_ids: tuple[str, ...]
    status: str
    objective: str
    cost: str
    integer_trips: bool
    solver: str
    seed: int
    stages: tuple[tuple[str, float], ...]
    demand_met_share_by_deadline: float
    max_unmet_share: float
    unservable_points: tuple[str, ...]
    person_hours: float
    ton_km: float
    units_met_share: float
    lexicographic_slack: float
    demand: np.ndarray
    covered: np.ndarray
    delivered: np.ndarray
    stock_used: np.ndarray
    flows: tuple[Flow, ...]
    lanes: tuple[LaneTrips, ...]
    truck_trips: tuple[TruckTrips, ...]
    shortfalls: tuple[Shortfall, ...]
    substitutions_used: tuple[tuple[str, str, str, float], ...]
    num_variables: int
    num_constraints: int
    num_lanes: int
    num_candidate_pairs: int
    build_time_s: float
    solve_time_s: float
    method: str = "exact"
    bound: float = 1.0
    gap: float = 0.0
    transfers: tuple[Transfer, ...] = ()
    time_limited: bool = False

    @property
    def objectives(self) -> dict[str, float]:
        """The three objective values (both variants of (c))."""
        return {
            "demand_met_share_by_deadline": self.demand_met_share_by_deadline,
            "max_unmet_share": self.max_unmet_share,
            "person_hours": self.person_hours,
            "ton_km": self.ton_km,
        }

    def is_complete(self) -> bool:
        """Whether every demand is covered by its deadline."""
        return not self.shortfalls

    def summary(self, *, include_timing: bool = False) -> dict[str, Any]:
        """Return a JSON-serialisable summary with deterministic order and rounding.

        Parameters
        ----------
        include_timing
            Add wall-clock times under ``"timing"``. Off by default so that the
            same inputs give byte-identical output.
        """
        unmet = self.demand - self.covered
        by_item = [
            {
                "item": k,
                "demand": _r(self.demand[:, i].sum()),
                "covered": _r(self.covered[:, i].sum()),
                "unmet": _r(unmet[:, i].sum()),
            }
            for i, k in enumerate(self.item_ids)
        ]
        reasons = {r: 0 for r in REASONS}
        units = {r: 0.0 for r in REASONS}
        for s in self.shortfalls:
            reasons[s.reason] += 1
            units[s.reason] += s.unmet
        point_share = _point_unmet_share(self.demand, self.covered)
        apart = set(self.unservable_points)
        worst = sorted(
            (
                i
                for i in range(len(self.point_ids))
                if point_share[i] > 1e-9 and self.point_ids[i] not in apart
            ),
            key=lambda i: (-round(point_share[i], 9), self.point_ids[i]),
        )[:20]
        out: dict[str, Any] = {
            "status": self.status,
            "objective": self.objective,
            "cost": self.cost,
            "integer_trips": self.integer_trips,
            "solver": self.solver,
            "method": self.method,
            "bound": _r(self.bound),
            "gap": _r(self.gap),
            "time_limited": self.time_limited,
            "seed": self.seed,
            "objectives": {k: _r(v) for k, v in self.objectives.items()},
            "units_met_share": _r(self.units_met_share),
            "stages": [{"name": n, "value": _r(v)} for n, v in self.stages],
            "totals": {
                "demand_units": _r(self.demand.sum()),
                "covered_units": _r(self.covered.sum()),
                "unmet_units": _r(unmet.sum()),
                "trips": _r(sum(s.trips for s in self.lanes)),
                "weight_t": _r(sum(s.weight_kg for s in self.lanes) / 1000.0),
                "flows": len(self.flows),
                "points_fully_covered": int(np.sum(point_share <= 1e-9)),
                "points_unservable": len(self.unservable_points),
                "points": len(self.point_ids),
            },
            "by_item": by_item,
            "shortfalls_by_reason": [
                {"reason": r, "pairs": reasons[r], "units": _r(units[r])} for r in REASONS
            ],
            "worst_points": [{"point": self.point_ids[i], "unmet_share": _r(point_share[i])} for i in worst],
            "unservable_points": self._unservable_summary(),
            "hubs": _hub_summary(self.transfers),
            "model": {
                "variables": self.num_variables,
                "constraints": self.num_constraints,
                "lanes": self.num_lanes,
                "candidate_pairs": self.num_candidate_pairs,
            },
        }
        if include_timing:
            out["timing"] = {
                "build_s": round(self.build_time_s, 3),
                "solve_s": round(self.solve_time_s, 3),
            }
        return out

    def _unservable_summary(self) -> list[dict[str, Any]]:
        """Unservable points in problem order, each with its shortfall reasons (in ``REASONS`` order)."""
        found: dict[str, set[str]] = {j: set() for j in self.unservable_points}
        for s in self.shortfalls:
            if s.point_id in found:
                found[s.point_id].add(s.reason)
        return [
            {"point": j, "reasons": [r for r in REASONS if r in found[j]]} for j in self.unservable_points
        ]

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Return ``flows``, ``lanes``, ``truck_trips``, ``shortfalls`` and ``transfers`` as DataFrames."""
        import pandas as pd  # heavy: loaded only on this path

        def frame(rows: tuple[Any, ...], cls: type) -> pd.DataFrame:
            cols = list(cls.__dataclass_fields__)
            return pd.DataFrame([[getattr(r, c) for c in cols] for r in rows], columns=cols)

        return {
            "flows": frame(self.flows, Flow),
            "lanes": frame(self.lanes, LaneTrips),
            "truck_trips": frame(self.truck_trips, TruckTrips),
            "shortfalls": frame(self.shortfalls, Shortfall),
            "transfers": frame(self.transfers, Transfer),
        }


def _hub_summary(transfers: tuple[Transfer, ...]) -> list[dict[str, Any]]:
    """Per hub: tonnage received and units received and sent, in hub order."""
    out: dict[str, dict[str, Any]] = {}
    for t in transfers:
        h = out.setdefault(
            t.hub_id, {"hub": t.hub_id, "received_t": 0.0, "received_units": 0.0, "sent_units": 0.0}
        )
        h["received_t"] += t.received_kg / 1000.0
        h["received_units"] += t.received
        h["sent_units"] += t.sent
    return [{k: _r(v) if isinstance(v, float) else v for k, v in h.items()} for h in out.values()]


def _r(x: float, nd: int = 6) -> float:
    """Round for reports; never ``-0.0``."""
    v = round(float(x), nd)
    return 0.0 if v == 0 or math.isnan(v) else v


def _point_unmet_share(demand: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """Unweighted mean unmet share over the items a point needs (0 without demand)."""
    need = demand > 0
    n = need.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(need, (demand - covered) / demand, 0.0)
    return np.where(n > 0, frac.sum(axis=1) / np.maximum(n, 1), 0.0)


def make_result(
    p: AllocationProblem,
    params: AllocationParams,
    ln: Lanes,
    model: Model,
    v: np.ndarray,
    stages: list[tuple[str, float]],
    *,
    solver: str,
    slack: float,
    build_time_s: float,
    solve_time_s: float,
    hubs: Expansion | None = None,
) -> AllocationResult:
    """Turn solver values into an :class:`AllocationResult` (internal).

    Solver values are made exactly consistent first: tiny values become 0,
    whole trips are rounded, cargo is scaled down where it exceeds what the
    (rounded) trips can carry (solver tolerances), and coverage is scaled
    down where it exceeds what was delivered. Objective values are then
    computed from this plan; ``stages`` keeps the solver's stage optima.
    """
    v, x, trips, per_truck, delivered = tidy_solution(p, ln, model, v, params.integer_trips, hubs)
    covered, subs_used = _coverage(p, model, v)
    stock_used = np.zeros((p.num_sources, p.num_items))
    np.add.at(stock_used, (ln.x_src, ln.x_item), x)
    # objective values of the plan
    a, ph_cover = _share_and_wait(p, covered)
    point_share = _weighted_unmet_share(p, covered, model.servable)
    b = float(point_share.max()) if len(point_share) else 0.0
    unservable = (p.demand > 0).any(axis=1) & ~model.servable
    tot = p.demand.sum()
    a = min(max(a, 0.0), 1.0)
    best = max([v for n, v in stages if n == "delivered"] + [a])
    return AllocationResult(
        point_ids=p.point_ids,
        item_ids=p.item_ids,
        source_ids=p.source_ids,
        status="optimal",
        objective=params.objective,
        cost=params.cost,
        integer_trips=params.integer_trips,
        solver=solver,
        seed=params.seed,
        stages=tuple(stages),
        demand_met_share_by_deadline=a,
        max_unmet_share=max(b, 0.0),
        unservable_points=tuple(p.point_ids[j] for j in np.flatnonzero(unservable)),
        person_hours=float(model.obj_ph[model.vx] @ x) + ph_cover,
        ton_km=float(model.obj_tk @ v),
        units_met_share=float(covered.sum() / tot) if tot > 0 else 1.0,
        lexicographic_slack=slack,
        demand=p.demand.copy(),
        covered=covered,
        delivered=delivered,
        stock_used=stock_used,
        flows=_flows(p, ln, x),
        lanes=_lane_trips(p, ln, x, trips),
        truck_trips=_truck_trips(p, ln, per_truck),
        shortfalls=_shortfalls(p, ln, covered, stock_used),
        substitutions_used=tuple(subs_used),
        num_variables=int(model.A.shape[1]),
        num_constraints=int(model.A.shape[0]),
        num_lanes=len(ln.lane_g),
        num_candidate_pairs=int(ln.candidate.sum()),
        build_time_s=build_time_s,
        solve_time_s=solve_time_s,
        bound=min(best, 1.0),
        gap=max(best - a, 0.0) / best if best > 0 else 0.0,
    )


def _coverage(
    p: AllocationProblem, model: Model, v: np.ndarray
) -> tuple[np.ndarray, list[tuple[str, str, str, float]]]:
    """Coverage ``C`` (substitutes at their ratio, at most the demand) and the substitutions used."""
    y = np.zeros((p.num_points, p.num_items))
    pos = model.vy >= 0
    y[pos] = v[model.vy[pos]]
    covered = y.copy()
    idx = {k: i for i, k in enumerate(p.item_ids)}
    subs_used: list[tuple[str, str, str, float]] = []
    for q, sub in enumerate(p.substitutions):
        js = np.flatnonzero(model.vu[:, q] >= 0)
        uq = v[model.vu[js, q]]
        covered[js, idx[sub.item]] += uq / sub.ratio
        subs_used += [
            (p.point_ids[j], sub.item, sub.substitute, float(u)) for j, u in zip(js, uq, strict=True) if u > 0
        ]
    return np.clip(covered, 0.0, p.demand), subs_used


def _lane_fields(p: AllocationProblem, ln: Lanes, i: int) -> tuple[str, str, str, float]:
    """Depot, fleet group, point and window start of lane ``i``."""
    return (
        p.depot_ids[ln.lane_d[i]],
        p.fleet_ids[ln.lane_g[i]],
        p.point_ids[ln.lane_j[i]],
        float(ln.win_start[ln.lane_w[i]]),
    )


def _lane_trips(p: AllocationProblem, ln: Lanes, x: np.ndarray, trips: np.ndarray) -> tuple[LaneTrips, ...]:
    """Lanes with trips or cargo."""
    L = len(ln.lane_g)
    lane_kg = np.bincount(ln.x_lane, p.weight_kg[ln.x_item] * x, minlength=L)
    lane_m3 = np.bincount(ln.x_lane, p.volume_m3[ln.x_item] * x, minlength=L)
    return tuple(
        LaneTrips(
            int(i),
            *_lane_fields(p, ln, i),
            window_end_h=float(ln.win_end[ln.lane_w[i]]),
            trips=float(trips[i]),
            weight_kg=float(lane_kg[i]),
            volume_m3=float(lane_m3[i]),
            cycle_h=float(ln.lane_cycle[i]),
            due_h=float(ln.lane_due[i]),
            delivery_h=float(ln.lane_delivery[i]),
        )
        for i in np.flatnonzero((trips > 1e-9) | (lane_kg > 0))
    )


def _flows(p: AllocationProblem, ln: Lanes, x: np.ndarray) -> tuple[Flow, ...]:
    """Flows of the cargo variables that carry something."""
    w_kg = p.weight_kg[ln.x_item] * x
    w_m3 = p.volume_m3[ln.x_item] * x
    dist = p.distance_km[ln.lane_d, ln.lane_j] if len(ln.lane_g) else np.zeros(0)
    flows = []
    for i in np.flatnonzero(x > 0):
        ll = int(ln.x_lane[i])
        dep, flt, pt, ws = _lane_fields(p, ln, ll)
        flows.append(
            Flow(
                ll,
                p.source_ids[ln.x_src[i]],
                dep,
                flt,
                pt,
                p.item_ids[ln.x_item[i]],
                float(x[i]),
                float(w_kg[i]),
                float(w_m3[i]),
                ws,
                float(ln.lane_delivery[ll]),
                float(dist[ll]),
            )
        )
    return tuple(flows)


def _truck_trips(p: AllocationProblem, ln: Lanes, per_truck: np.ndarray | None) -> tuple[TruckTrips, ...]:
    """Whole trips of each truck on each lane (none in the LP)."""
    truck_trips: list[TruckTrips] = []
    if per_truck is not None:
        for i, t in zip(*np.nonzero(per_truck > 0), strict=True):
            _dep, flt, pt, ws = _lane_fields(p, ln, i)
            truck_trips.append(TruckTrips(int(i), flt, int(t), pt, ws, int(per_truck[i, t])))
    return tuple(truck_trips)


def _share_and_wait(p: AllocationProblem, covered: np.ndarray) -> tuple[float, float]:
    """Objective (a) and the coverage part of person-hours, from coverage ``C``.

    ``a = Σ_j π_j P_j Σ_k ω_k C_jk / (Ω_j d_jk) / Σ_j π_j P_j`` (1 without
    weighted demand); waiting ``Σ_jk P_j ω_k / Ω_j · T_j (1 − C_jk / d_jk)``.
    """
    per_point, counted = point_met_shares(p, covered)
    w = p.priority * p.persons * counted
    a = float((w * per_point).sum() / w.sum()) if w.sum() > 0 else 1.0
    wait = float((p.persons * p.deadline_h * counted * (1.0 - per_point)).sum())
    return a, wait


def _weighted_unmet_share(p: AllocationProblem, covered: np.ndarray, servable: np.ndarray) -> np.ndarray:
    """Objective (b) per point: ω-weighted mean unmet share (servable points with demand)."""
    need = p.demand > 0
    omega = np.where(need, p.item_weight[None, :], 0.0)
    Omega = omega.sum(axis=1)
    rows = need.any(axis=1) & (Omega > 0) & servable
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(need, covered / p.demand, 0.0)
    share = 1.0 - (omega * frac).sum(axis=1)[rows] / Omega[rows]
    return np.clip(share, 0.0, 1.0)


def _shortfalls(
    p: AllocationProblem, ln: Lanes, covered: np.ndarray, stock_used: np.ndarray
) -> tuple[Shortfall, ...]:
    """Attribute every unmet (point, item) to the first reason that applies."""
    unmet = p.demand - covered
    short = unmet > np.maximum(QTY_EPS, 1e-9 * p.demand)
    if not short.any():
        return ()
    src_d = p.source_depot
    reach = np.isfinite(p.travel_time_h)[src_d]  # [S, J]
    time_ok = source_time_ok(p, ln)
    fleet = depot_has_fleet(p)[src_d][:, None]
    cand = ln.candidate[src_d]
    leftover = (p.stock - stock_used) > np.maximum(1e-6, 1e-6 * p.stock)
    alts = item_alternatives(p)
    reason = np.full(short.shape, "", dtype=object)
    for k in range(p.num_items):
        js = np.flatnonzero(short[:, k])
        if not len(js):
            continue
        has = (p.stock[:, alts[k]] > 0).any(axis=1)[:, None]  # [S, 1]
        left = leftover[:, alts[k]].any(axis=1)[:, None]
        ok = has & time_ok[:, js] & fleet
        tests = [
            ~has.any(axis=0) & np.ones(len(js), dtype=bool),
            ~(has & reach[:, js]).any(axis=0),
            ~(has & time_ok[:, js]).any(axis=0),
            ~ok.any(axis=0),
            (ok & cand[:, js] & left).any(axis=0),
            ~(ok & cand[:, js]).any(axis=0) | (ok & ~cand[:, js] & left).any(axis=0),
        ]
        names = ("no_stock", "unreachable", "too_far", "no_trucks", "no_trucks", "pruned")
        r = np.full(len(js), "stock_exhausted", dtype=object)
        for test, name in zip(reversed(tests), reversed(names), strict=True):
            r[test] = name
        reason[js, k] = r
    out = []
    for j, k in zip(*np.nonzero(short), strict=True):
        out.append(
            Shortfall(
                p.point_ids[j],
                p.item_ids[k],
                float(p.demand[j, k]),
                float(covered[j, k]),
                float(unmet[j, k]),
                str(reason[j, k]),
            )
        )
    return tuple(out)
