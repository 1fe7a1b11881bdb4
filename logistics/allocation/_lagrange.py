"""Lagrangian relaxation of the relaxed LP ``R``: one min-cost flow per item (internal).

The truck rows of ``R`` (:mod:`logistics.allocation._relaxed`) are moved into
the objective with prices ``μ ≥ 0`` (per kg·h and m³·h of each row); what is
left separates into one transportation problem per item — sources with their
stock, points with their demand, arcs priced ``value − truck price`` — solved
exactly by OR-Tools' network simplex (``SimpleMinCostFlow``) in integer
hundredths of a unit. Node potentials of the optimal flow (shortest paths in
its residual graph) give the stock prices ``π``, and
:func:`~logistics.allocation._relaxed.certified_bound` turns ``(μ, π)`` into a
bound that holds for the full ``R`` whatever the arcs in the flow problems.
``μ`` is updated by projected subgradient steps (Polyak's step towards the best
plan found, on rows normalised by their capacity).

Substitutions are left out of the flow problems (they would make them
generalised flows); the bound still counts them, so it stays valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._relaxed import GRID, certified_bound, pair_prices
from logistics.exceptions import AllocationSolverError

if TYPE_CHECKING:
    from logistics.allocation._relaxed import Data, TruckRows
    from logistics.allocation.problem import AllocationProblem

#: flows are integers in these parts of a unit
QTY = 100
#: integer costs: objective units (largest value 1) times this
COST = 1e7
#: tie-break per unit and hour of a truck's round trip (objective units): nearer sources first
TIE = 1e-7
#: flow problems keep each point's this many cheapest sources when an item has more arcs than ARC_LIMIT
NEAREST = 12
ARC_LIMIT = 200_000


@dataclass
class Flows:
    """Arc flows of the flow problems: source, point, item, units."""

    s: np.ndarray
    j: np.ndarray
    k: np.ndarray
    x: np.ndarray

    def as_array(self) -> np.ndarray:
        """``[n, 4]`` rows (s, j, k, units)."""
        return np.stack([self.s, self.j, self.k, self.x], axis=1).astype(float)


def solve_items(
    p: AllocationProblem,
    data: Data,
    rows: TruckRows,
    mu_kg: np.ndarray,
    mu_m3: np.ndarray,
    *,
    stock: np.ndarray | None = None,
    demand: np.ndarray | None = None,
    usable: np.ndarray | None = None,
) -> tuple[Flows, np.ndarray]:
    """Solve every item's flow problem at truck prices ``μ``; return the flows and stock prices ``π``.

    ``stock``, ``demand`` (what is left) and ``usable`` (``[S]`` sources still
    allowed) replace the problem's for the fill passes of the primal heuristic.
    """
    stock = p.stock if stock is None else stock
    demand = p.demand if demand is None else demand
    from ortools.graph.python import min_cost_flow  # heavy: OR-Tools, loaded when the certified mode runs

    tw, tv = pair_prices(data, rows, mu_kg, mu_m3)
    S, K = p.num_sources, p.num_items
    pi = np.zeros((S, K))
    parts: list[tuple[np.ndarray, ...]] = []
    for k in range(K):
        ok = data.ok & (stock[:, k] > 0)[:, None] & (demand[:, k] > 0)[None, :]
        if usable is not None:
            ok &= usable[:, None]
        if not ok.any():
            continue
        price = p.weight_kg[k] * tw + p.volume_m3[k] * tv + TIE * data.cycle
        s, j = _arcs(ok, price)
        xs, pik = _transport(min_cost_flow, stock[:, k], demand[:, k], data.value[:, k], s, j, price[s, j])
        pi[:, k] = pik
        keep = xs > 0
        parts.append((s[keep], j[keep], np.full(int(keep.sum()), k), xs[keep]))
    if not parts:
        z = np.zeros(0, dtype=np.int64)
        return Flows(z, z, z, np.zeros(0)), pi
    cat = [np.concatenate([part[i] for part in parts]) for i in range(4)]
    return Flows(cat[0].astype(np.int64), cat[1].astype(np.int64), cat[2].astype(np.int64), cat[3]), pi


def _arcs(ok: np.ndarray, price: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arcs of one item's flow problem: all eligible pairs, or each point's cheapest when there are many."""
    if ok.sum() <= ARC_LIMIT or ok.shape[0] <= NEAREST:
        s, j = np.nonzero(ok)
        return s, j
    masked = np.where(ok, price, np.inf)
    top = np.argpartition(masked, NEAREST - 1, axis=0)[:NEAREST]
    js = np.broadcast_to(np.arange(ok.shape[1]), top.shape)
    keep = np.isfinite(masked[top, js])
    return top[keep], js[keep]


def _transport(
    mcf_module: object,
    stock: np.ndarray,
    demand: np.ndarray,
    value: np.ndarray,
    s: np.ndarray,
    j: np.ndarray,
    price: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One item: max Σ (value − price) x over its arcs; return the arc flows (units) and ``π`` (``[S]``)."""
    S, J = len(stock), len(demand)
    supply = np.floor(stock * QTY).astype(np.int64)
    cap = np.floor(demand * QTY).astype(np.int64)
    T = S + J
    total = int(supply.sum())
    srcs = np.flatnonzero(supply > 0)
    pts = np.flatnonzero(cap > 0)
    tails = np.concatenate([s, S + pts, srcs])
    heads = np.concatenate([S + j, np.full(len(pts), T), np.full(len(srcs), T)])
    caps = np.concatenate([np.full(len(s), total), cap[pts], supply[srcs]])
    costs = np.concatenate(
        [
            np.rint(price * COST),
            -np.rint(value[pts] * COST),
            np.zeros(len(srcs)),
        ]
    ).astype(np.int64)
    mcf = mcf_module.SimpleMinCostFlow()  # type: ignore[attr-defined]
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(T + 1, dtype=np.int64)
    supplies[:S] = supply
    supplies[T] = -total
    mcf.set_nodes_supplies(np.arange(T + 1), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise AllocationSolverError(f"min-cost flow returned status {status}")
    flow = mcf.flows(np.arange(len(tails)))
    d = _potentials(T + 1, tails, heads, caps, costs, flow)
    pi = np.maximum(d[:S] - d[T], 0.0) / COST
    return flow[: len(s)] / QTY, pi


def _potentials(
    n: int, tails: np.ndarray, heads: np.ndarray, caps: np.ndarray, costs: np.ndarray, flow: np.ndarray
) -> np.ndarray:
    """Shortest-path distances in the residual graph from a root joined to every node at cost 0.

    Bellman–Ford, vectorised: relax every residual arc until nothing changes.
    An optimal flow has no negative cycle, so it stops within ``n`` passes.
    """
    fwd = flow < caps
    back = flow > 0
    t = np.concatenate([tails[fwd], heads[back]])
    h = np.concatenate([heads[fwd], tails[back]])
    c = np.concatenate([costs[fwd], -costs[back]]).astype(float)
    d = np.zeros(n)
    for _ in range(n + 1):
        new = d.copy()
        np.minimum.at(new, h, d[t] + c)
        if np.array_equal(new, d):
            return d
        d = new
    raise AllocationSolverError("negative cycle in a residual graph: the flow was not optimal")


def usage(p: AllocationProblem, data: Data, rows: TruckRows, flows: Flows) -> tuple[np.ndarray, np.ndarray]:
    """Left-hand sides of the truck rows (kg·h and m³·h) under ``flows``."""
    C = len(data.cls_depot)
    out = []
    b = data.bucket[flows.s, flows.j]
    cyc = data.cycle[flows.s, flows.j]
    for per in (p.weight_kg, p.volume_m3):
        load = np.bincount(b, cyc * per[flows.k] * flows.x, minlength=C * GRID).reshape(C, GRID)
        cum = np.cumsum(load, axis=1)  # buckets ≤ b
        use = np.zeros(len(rows.keys))
        for i, (c, bb) in enumerate(rows.keys.tolist()):
            later = (data.cls_depot == data.cls_depot[c]) & (data.cls_rank >= data.cls_rank[c])
            use[i] = cum[later, bb].sum()
        out.append(use)
    return out[0], out[1]


@dataclass
class Lagrange:
    """State of the subgradient method: prices normalised by row capacity, best bound, step size."""

    mu_kg: np.ndarray
    mu_m3: np.ndarray
    best_bound: float = float("inf")
    theta: float = 1.0
    stalls: int = 0


def iterate(
    p: AllocationProblem, data: Data, rows: TruckRows, state: Lagrange, lower: float, caps_scale: np.ndarray
) -> tuple[Flows, float]:
    """One subgradient iteration: solve the items, bound, step; return the flows and this bound.

    ``lower`` is the best plan's (a) (Polyak's target); ``caps_scale`` scales each
    row's capacity in the step only (repair rounds shrink depots that fell short);
    the bound always uses the true capacities.
    """
    ck, cm = rows.cap_kg, rows.cap_m3
    mu_kg = np.where(ck > 0, state.mu_kg / np.where(ck > 0, ck, 1.0), 0.0)
    mu_m3 = np.where(cm > 0, state.mu_m3 / np.where(cm > 0, cm, 1.0), 0.0)
    flows, pi = solve_items(p, data, rows, mu_kg, mu_m3)
    ub = certified_bound(p, data, rows, mu_kg, mu_m3, pi)
    if ub < state.best_bound - 1e-12:
        state.best_bound, state.stalls = ub, 0
    else:
        state.stalls += 1
        if state.stalls >= 2:
            state.theta, state.stalls = state.theta / 2, 0
    use_kg, use_m3 = usage(p, data, rows, flows)
    g_kg = np.where(ck > 0, use_kg / np.where(ck > 0, ck * caps_scale, 1.0) - 1.0, 0.0)
    g_m3 = np.where(cm > 0, use_m3 / np.where(cm > 0, cm * caps_scale, 1.0) - 1.0, 0.0)
    # prices of rows with slack may only fall (projection at 0)
    norm = float(
        (g_kg[(g_kg > 0) | (state.mu_kg > 0)] ** 2).sum() + (g_m3[(g_m3 > 0) | (state.mu_m3 > 0)] ** 2).sum()
    )
    if norm > 0:
        step = state.theta * max(ub - lower, 1e-6 * ub) * data.scale / norm
        state.mu_kg = np.maximum(state.mu_kg + step * g_kg, 0.0)
        state.mu_m3 = np.maximum(state.mu_m3 + step * g_m3, 0.0)
    return flows, ub
