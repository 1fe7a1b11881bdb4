"""The certified large-scale mode of the allocation (internal).

1. The relaxation ``R`` (:mod:`logistics.allocation._relaxed`) is priced by
   Lagrangian relaxation of its truck rows: one min-cost flow per item group
   (:mod:`logistics.allocation._lagrange`), prices from a Dantzig–Wolfe master
   (:mod:`logistics.allocation._master`) and, when the master is stuck at the no-truck
   bound, from depot-by-depot descent (:mod:`logistics.allocation._descent`); the
   iterations are in :mod:`logistics.allocation._pricing`. Every iteration gives a
   certified upper bound on demand met (a) (``certified_bound``).
2. The master's flows (the guide) are planned depot by depot with the exact LP
   (:mod:`logistics.allocation._repair`; through hubs in two passes,
   :mod:`logistics.allocation._repair_hubs`): a feasible plan of the whole problem.
3. Where a depot could not carry all it was given, its truck rows in ``R`` are
   scaled down by the share it carried and ``R`` is solved again (a repair
   round); the best plan is kept. Rounds stop at ``gap_target``, after
   ``certified_rounds`` or at ``time_limit_s``.
4. The plan is written into the full model restricted to the pairs it uses and
   turned into an ordinary :class:`~logistics.allocation.result.AllocationResult`
   (``method="certified"``, ``bound``, ``gap``).

With transfer hubs, all of this runs on the expanded problem
(:func:`~logistics.allocation._hubs.expand`) and the result is contracted to the
problem's own points and sources.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._hubs import available, expand
from logistics.allocation._lagrange import solve_items
from logistics.allocation._lanes import build_lanes
from logistics.allocation._model import build_model, unit_values
from logistics.allocation._pricing import Pricing
from logistics.allocation._pricing import gap as relative_gap
from logistics.allocation._relaxed import prepare, truck_rows
from logistics.allocation._relaxed_hubs import hub_data
from logistics.allocation._repair import Clock, Part, Plan, cover, repair, uses
from logistics.allocation._repair_hubs import repair_hubs
from logistics.allocation._tidy import QTY_EPS
from logistics.allocation._transfer import contract
from logistics.allocation.result import make_result
from logistics.exceptions import AllocationInputError, Problem, tr

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.allocation._hubs import Expansion
    from logistics.allocation._lanes import Lanes
    from logistics.allocation._master import Master
    from logistics.allocation._model import Model
    from logistics.allocation._relaxed import Data, TruckRows
    from logistics.allocation._relaxed_hubs import HubData
    from logistics.allocation.params import AllocationParams
    from logistics.allocation.problem import AllocationProblem
    from logistics.allocation.result import AllocationResult

logger = logging.getLogger(__name__)

#: passes per round that send the demand a plan leaves to depots with trucks to spare
FILL_PASSES = 1


def estimated_cargo_variables(p: AllocationProblem) -> int:
    """Cargo variables the full LP would have, roughly: pairs × items in common × fleets × sources."""
    if not (p.num_sources and p.num_points and p.num_items):
        return 0
    D = p.num_depots
    stocked = np.zeros((D, p.num_items))
    np.add.at(stocked, p.source_depot, p.stock > 0)
    common = (stocked > 0).astype(float) @ (p.demand > 0).T.astype(float)  # [D, J]
    reach = np.isfinite(p.travel_time_h) & (p.travel_time_h + p.load_h + p.unload_h <= p.deadline_h[None, :])
    groups = np.bincount(p.fleet_depot[p.fleet_count > 0], minlength=D)
    sources = np.bincount(p.source_depot[p.stock.sum(axis=1) > 0], minlength=D)
    per_depot = groups * np.maximum(sources, 1)
    return int(((common * reach).sum(axis=1) * per_depot).sum())


def choose_method(p: AllocationProblem, params: AllocationParams, expansion: Expansion | None = None) -> str:
    """``"exact"`` or ``"certified"`` for ``params.method`` (``"auto"`` decides by size).

    ``expansion`` is ``p``'s hub expansion if the caller has it (made here when needed).
    """
    if params.method == "certified":
        if params.integer_trips or params.objective == "equity":
            raise AllocationInputError(
                [
                    Problem(
                        tr(
                            "the certified mode plans pooled trucks (LP) with objectives lexicographic, "
                            "delivered or cost",
                            "certified 模式按合并车辆（线性规划）调配，目标只能为 lexicographic、delivered 或 cost",
                        ),
                        column="method",
                        value="certified",
                    )
                ]
            )
        return "certified"
    if params.method == "exact":
        return "exact"
    plain = not (
        params.integer_trips
        or params.objective == "equity"
        or params.column_generation
        or params.max_depots_per_point is not None
    )
    if p.hubs and expansion is None:
        expansion = expand(p)
    size = estimated_cargo_variables(expansion.problem if expansion is not None else p)
    return "certified" if plain and size > params.certified_above else "exact"


@dataclass(frozen=True)
class CertifiedRound:
    """Progress of the certified mode after one round.

    Attributes
    ----------
    round
        Round number, from 1.
    bound
        Proven upper bound on demand met (a) so far.
    plan
        Demand met (a) of the best plan so far.
    gap
        ``(bound − plan) / bound``.
    elapsed_s
        Wall-clock seconds since the solve started.
    """

    round: int
    bound: float
    plan: float
    gap: float
    elapsed_s: float


def solve_certified(
    p: AllocationProblem,
    params: AllocationParams,
    *,
    progress: Callable[[CertifiedRound], None] | None = None,
    expansion: Expansion | None = None,
) -> AllocationResult:
    """Solve ``p`` in the certified mode; see the module docstring.

    With transfer hubs the relaxation, the flow problems and the plan live on the expanded
    problem (:mod:`logistics.allocation._relaxed_hubs`, :mod:`logistics.allocation._repair_hubs`)
    and the result is contracted to ``p``'s own points and sources, as the exact mode's is;
    ``expansion`` is ``p``'s expansion if the caller has made it.
    """
    t0 = time.perf_counter()
    clock = Clock(t0, params.time_limit_s)
    e = expansion if expansion is not None else (expand(p) if p.hubs else None)
    hd = hub_data(e) if e is not None else None
    q = e.problem if e is not None else p
    value = unit_values(q)
    data = prepare(q, value, hd)
    rows = truck_rows(data)
    pricing = Pricing(q, data, rows, hd, params)
    caps_scale = np.ones(len(rows.keys))
    best: Plan | None = None
    caches: tuple[dict[int, tuple[bytes, Part]], dict[int, tuple[bytes, Part]]] = ({}, {})

    def plan_of(guide: np.ndarray, *, final: bool = False) -> Plan:
        if hd is None:
            return repair(q, params, guide, caches[0], value, final=final, clock=clock)
        return repair_hubs(q, params, guide, caches, value, hd, final=final, clock=clock)

    limited = False
    for rnd in range(params.certified_rounds):
        limited = pricing.iterate(clock) or limited
        ub = pricing.ub
        guide = _combine(pricing.master, pricing.lam)
        plan = plan_of(guide)
        for _ in range(FILL_PASSES):
            if clock.late():
                break
            more = _refill(q, data, rows, (pricing.mu_kg, pricing.mu_m3), plan, hd)
            if not len(more):
                break
            guide = _merge(guide, more)
            plan = plan_of(guide)
        if best is None or plan.a > best.a + 1e-12:
            best = plan
        gap = relative_gap(ub, best.a)
        logger.info(
            "certified allocation, round %d: bound %.6f, plan %.6f, gap %.3f %%",
            rnd + 1,
            ub,
            best.a,
            100 * gap,
        )
        if progress is not None:
            progress(CertifiedRound(rnd + 1, ub, best.a, gap, time.perf_counter() - t0))
        if gap <= params.gap_target or clock.late():
            break
        caps_scale = _shrink(q, data, rows, guide, plan, caps_scale)
        pricing.master.scale_caps(caps_scale)
    assert best is not None
    if params.objective != "delivered" and not clock.late():
        costed = plan_of(_given(best), final=True)
        if costed.parts.keys() == best.parts.keys():  # else a depot's LP met the time limit: keep best
            best = costed
    limited = limited or clock.late()  # rounds, refill, depot plans or the cost stage were cut short
    result = _finish(p, params, e, best, value, data, min(pricing.ub, 1.0), t0)
    return dataclasses.replace(result, time_limited=limited)


def _finish(
    p: AllocationProblem,
    params: AllocationParams,
    e: Expansion | None,
    best: Plan,
    value: np.ndarray,
    data: Data,
    ub: float,
    t0: float,
) -> AllocationResult:
    """Return the result of the best plan (on ``p``'s own points and sources), with its bound and gap."""
    q = e.problem if e is not None else p
    t_solve = time.perf_counter() - t0
    planned = q if best.stock is None else dataclasses.replace(q, stock=best.stock)
    ln, model, v = _assemble(planned, best, value, e)
    full = np.zeros((q.num_depots, q.num_points), dtype=bool)
    np.logical_or.at(full, q.source_depot, data.ok)
    if e is not None:  # a transfer source holds what reached its wave and was not sent before
        stock = q.stock.copy()
        stock[p.num_sources :] = available(e, ln, np.where(v[model.vx] > 0, v[model.vx], 0.0))
        planned = dataclasses.replace(q, stock=stock)
    result = make_result(
        planned,
        params,
        dataclasses.replace(ln, candidate=full | ln.candidate),
        model,
        v,
        [("bound", ub)],
        solver=f"min-cost-flow+{params.lp_solver}",
        slack=0.0,
        build_time_s=time.perf_counter() - t0 - t_solve,
        solve_time_s=t_solve,
        hubs=e,
    )
    if e is not None:
        result = contract(e, result)
    return dataclasses.replace(
        result, method="certified", bound=ub, gap=relative_gap(ub, result.demand_met_share_by_deadline)
    )


def _refill(
    p: AllocationProblem,
    data: Data,
    rows: TruckRows,
    mu: tuple[np.ndarray, np.ndarray],
    plan: Plan,
    hubs: HubData | None = None,
) -> np.ndarray:
    """Flows for the demand a plan leaves, from depots that carried all they were given.

    Depots that fell short are full (their trucks are the limit); the others
    may have trucks to spare. The flow problems are solved on the stock and
    demand left, with only the sources of those depots, at the current truck
    prices.
    """
    stock = p.stock.astype(float).copy()
    demand = np.maximum(p.demand - cover(p, plan.delivered, data.value), 0.0)
    spare = np.zeros(p.num_depots, dtype=bool)
    for d, part in plan.parts.items():
        ln = part.lanes
        x = part.cargo
        srcs = np.flatnonzero(p.source_depot == d)
        np.subtract.at(stock, (srcs[ln.x_src], ln.x_item), x)
        got = float((x * p.weight_kg[ln.x_item]).sum())
        spare[d] = got >= (1 - 1e-3) * float((part.want * p.weight_kg[None, :]).sum())
    spare[[d for d in range(p.num_depots) if d not in plan.parts]] = True
    usable = spare[p.source_depot]
    if hubs is not None:
        usable[hubs.num_sources :] = False
    if not usable.any():
        return np.zeros((0, 4))
    flows, _pi = solve_items(
        p, data, rows, mu[0], mu[1], stock=np.maximum(stock, 0.0), demand=demand, usable=usable
    )
    out = flows.as_array()
    return out[out[:, 3] > QTY_EPS] if len(out) else out


def _merge(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sum two sets of flow rows (s, j, k, units)."""
    return _summed(np.concatenate([a, b]))


def _summed(rows: np.ndarray) -> np.ndarray:
    """Flow rows (s, j, k, units) with one row per (s, j, k), units added; rows of no units dropped."""
    keys, inv = np.unique(rows[:, :3].astype(np.int64), axis=0, return_inverse=True)
    x = np.bincount(inv.ravel(), rows[:, 3], minlength=len(keys))
    keep = x > QTY_EPS
    return np.column_stack([keys[keep].astype(float), x[keep]])


def _given(plan: Plan) -> np.ndarray:
    """Return the flows a plan's depots were given, ``[n, 4]`` rows (s, j, k, units)."""
    parts = [part.given for part in plan.parts.values()]
    return np.concatenate(parts) if parts else np.zeros((0, 4))


def _combine(master: Master, lam: np.ndarray) -> np.ndarray:
    """Return the master's convex combination of item flows, ``[n, 4]`` rows (s, j, k, units)."""
    parts = []
    for (_k, f), w in zip(master.columns, lam, strict=True):
        if w > 1e-12:
            parts.append(np.column_stack([f.s, f.j, f.k, f.x * w]))  # type: ignore[attr-defined]
    return _summed(np.concatenate(parts).astype(float)) if parts else np.zeros((0, 4))


def _shrink(
    p: AllocationProblem, data: Data, rows: TruckRows, flows: np.ndarray, plan: Plan, scale: np.ndarray
) -> np.ndarray:
    """Scale down, for the subgradient steps, the truck rows of depots that carried less than planned."""
    if not len(flows):
        return scale
    s, j, k, x = (
        flows[:, 0].astype(np.int64),
        flows[:, 1].astype(np.int64),
        flows[:, 2].astype(np.int64),
        flows[:, 3],
    )
    planned = np.bincount(p.source_depot[s], data.cycle[s, j] * p.weight_kg[k] * x, minlength=p.num_depots)
    carried = np.zeros(p.num_depots)
    for d, part in plan.parts.items():
        ln = part.lanes
        xs = part.cargo
        carried[d] = float((ln.lane_cycle[ln.x_lane] * p.weight_kg[ln.x_item] * xs).sum())
    ratio = np.where(planned > 0, carried / np.where(planned > 0, planned, 1.0), 1.0)
    depot_ratio = np.clip(ratio, 0.5, 1.0)[data.cls_depot[rows.keys[:, 0]]] if len(rows.keys) else np.ones(0)
    return np.where(depot_ratio < 1 - 1e-6, scale * depot_ratio, scale)


def _assemble(
    p: AllocationProblem, plan: Plan, value: np.ndarray, hubs: Expansion | None = None
) -> tuple[Lanes, Model, np.ndarray]:
    """Write the depots' plans into the full model (with ``hubs``: and its hub rows) restricted to the pairs they use."""
    S, J, K = p.num_sources, p.num_points, p.num_items
    pairs = np.zeros((p.num_depots, J), dtype=bool)
    for d, part in plan.parts.items():
        xs = part.cargo > 0
        pairs[d, part.points[part.lanes.lane_j[part.lanes.x_lane[xs]]]] = True
    ln = build_lanes(p, None, pairs=pairs, receiving=None if hubs is None else hubs.receiving())
    model = build_model(p, ln, False, hubs)
    v = np.zeros(model.A.shape[1])
    W = max(len(ln.win_depot), 1)
    lane_key = (ln.lane_g * W + ln.lane_w) * J + ln.lane_j
    lane_order = np.argsort(lane_key)
    x_key = (ln.x_lane * S + ln.x_src) * K + ln.x_item
    x_order = np.argsort(x_key)
    pattern_var = {(g, pat): var for g, _t, pat, var in model.patterns}
    for d, part in plan.parts.items():
        sl, pts = part.lanes, part.points
        srcs = np.flatnonzero(p.source_depot == d)
        fleets = np.flatnonzero(p.fleet_depot == d)
        wins = np.flatnonzero(ln.win_depot == d)
        pats = np.flatnonzero(ln.pattern_depot == d)
        key = (fleets[sl.lane_g] * W + wins[sl.lane_w]) * J + pts[sl.lane_j]
        glane = _lookup(lane_key, lane_order, key)
        have = glane >= 0
        v[model.vn[glane[have]]] = part.v[part.vn[have]]
        xv = part.v[part.vx]
        used = (xv > QTY_EPS) & have[sl.x_lane]
        gx = _lookup(
            x_key, x_order, (glane[sl.x_lane[used]] * S + srcs[sl.x_src[used]]) * K + sl.x_item[used]
        )
        v[model.vx[gx]] = xv[used]
        for g, _t, pat, var in part.patterns:
            gv = pattern_var.get((int(fleets[g]), int(pats[pat])))
            if gv is not None:
                v[gv] = part.v[var]
    delivered = np.zeros((J, K))
    np.add.at(delivered, (ln.lane_j[ln.x_lane], ln.x_item), v[model.vx])
    y, u = uses(p, delivered, value)
    pos = model.vy >= 0
    v[model.vy[pos]] = np.minimum(y, p.demand)[pos]
    for q in range(model.vu.shape[1]):
        js = np.flatnonzero(model.vu[:, q] >= 0)
        v[model.vu[js, q]] = u[js, q]
    return ln, model, v


def _lookup(keys: np.ndarray, order: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Index of each ``want`` in ``keys`` (sorted by ``order``), -1 where absent."""
    if not len(keys):
        return np.full(len(want), -1, dtype=np.int64)
    pos = np.searchsorted(keys[order], want)
    pos = np.minimum(pos, len(keys) - 1)
    found = keys[order][pos] == want
    return np.where(found, order[pos], -1)
