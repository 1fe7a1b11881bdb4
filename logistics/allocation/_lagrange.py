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
The prices ``μ`` come from the restricted master of
:mod:`logistics.allocation._master` (Dantzig–Wolfe), whose columns are these flows.

Substitutions are left out of the flow problems (they would make them
generalised flows); the bound still counts them, so it stays valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._relaxed import GRID, eligible, pair_prices, within_depot
from logistics.exceptions import AllocationSolverError

if TYPE_CHECKING:
    from logistics.allocation._relaxed import Data, TruckRows
    from logistics.allocation._relaxed_hubs import HubData
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
    """Arc flows of the flow problems: source, point, item shipped, units, item covered."""

    s: np.ndarray
    j: np.ndarray
    k: np.ndarray
    x: np.ndarray
    kc: np.ndarray

    def as_array(self) -> np.ndarray:
        """``[n, 4]`` rows (s, j, item shipped, units)."""
        return np.stack([self.s, self.j, self.k, self.x], axis=1).astype(float)

    def select(self, m: np.ndarray) -> Flows:
        """Return the flows where ``m`` holds."""
        return Flows(self.s[m], self.j[m], self.k[m], self.x[m], self.kc[m])


def components(p: AllocationProblem, data: Data) -> list[tuple[list[int], list[tuple[int, int]]]]:
    """Items linked by substitutions of ratio 1, each with its arc kinds (shipped, covered).

    A substitution of ratio 1 is an ordinary arc from a source of the substitute
    to the point's demand for the item, so linked items share one flow problem.
    Other ratios would make a generalised flow: they are left out of the flow
    problems (the bound still counts them).
    """
    K = p.num_items
    parent = list(range(K))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    subs = [(k1, k2) for k1, k2, ratio in data.subs if ratio == 1.0]
    for k1, k2 in subs:
        parent[root(k1)] = root(k2)
    groups: dict[int, list[int]] = {}
    for k in range(K):
        groups.setdefault(root(k), []).append(k)
    out = []
    for items in groups.values():
        kinds = [(k, k) for k in items] + [(k2, k1) for k1, k2 in subs if k1 in items]
        out.append((items, kinds))
    return out


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
    hubs: HubData | None = None,
    nu: np.ndarray | None = None,
) -> tuple[Flows, np.ndarray]:
    """Solve every item group's flow problem at truck prices ``μ``; return the flows and stock prices ``π``.

    ``stock``, ``demand`` (what is left) and ``usable`` (``[S]`` sources still
    allowed) replace the problem's for the fill passes of the primal heuristic.
    With ``hubs`` (``p`` is the expanded problem) each wave's receiving point passes what it
    gets to its transfer source, arcs into a wave also pay the throughput prices ``ν``, and
    the sources of hub depots do not send to hubs (the plan forwards in one pass).
    """
    from ortools.graph.python import min_cost_flow  # heavy: OR-Tools, loaded when the certified mode runs

    stock = p.stock if stock is None else stock
    demand = p.demand if demand is None else demand
    tw, tv = pair_prices(data, rows, mu_kg, mu_m3)
    supply = stock
    links = None
    if hubs is not None:
        J, S = hubs.num_points, hubs.num_sources
        tw = hubs.with_throughput(tw, nu)
        supply = stock.copy()
        supply[S:] = 0.0
        links = (J + np.arange(hubs.num_waves), S + np.arange(hubs.num_waves))
    pi = np.zeros((p.num_sources, p.num_items))
    parts: list[Flows] = []
    for items, kinds in components(p, data):
        arcs = []
        for k, kc in kinds:
            ok = eligible(p, data, k, kc, stock=stock, demand=demand)
            if hubs is not None and k == kc and (demand[: hubs.num_points, k] > 0).any():
                into = data.ok[:, J:] & (stock[:, k] > 0)[:, None] & ~hubs.hub_depot_source[:, None]
                ok[:, J:] = into
            if usable is not None:
                ok &= usable[:, None]
            if ok.any():
                price = p.weight_kg[k] * tw + p.volume_m3[k] * tv + TIE * data.cycle
                s, j = _arcs(ok, price)
                arcs.append((s, j, np.full(len(s), k), np.full(len(s), kc), price[s, j]))
        if not arcs:
            continue
        s, j, k, kc, price = (np.concatenate([a[i] for a in arcs]) for i in range(5))
        x, pis = _transport(min_cost_flow, items, supply, demand, data.value, (s, j, k, kc, price), links)
        pi[:, items] = pis
        keep = x > 0
        parts.append(Flows(s[keep], j[keep], k[keep], x[keep], kc[keep]))
    if not parts:
        z = np.zeros(0, dtype=np.int64)
        return Flows(z, z, z, np.zeros(0), z), pi
    return Flows(*(np.concatenate([getattr(f, n) for f in parts]) for n in ("s", "j", "k", "x", "kc"))), pi


def _arcs(
    ok: np.ndarray, price: np.ndarray, nearest: int = NEAREST, limit: int = ARC_LIMIT
) -> tuple[np.ndarray, np.ndarray]:
    """Arcs of one kind: all eligible pairs, or each point's ``nearest`` cheapest sources.

    The pruning applies only when there are more than ``limit`` eligible pairs.
    """
    if ok.sum() <= limit or ok.shape[0] <= nearest:
        s, j = np.nonzero(ok)
        return s, j
    masked = np.where(ok, price, np.inf)
    top = np.argpartition(masked, nearest - 1, axis=0)[:nearest]
    js = np.broadcast_to(np.arange(ok.shape[1]), top.shape)
    keep = np.isfinite(masked[top, js])
    return top[keep], js[keep]


def _transport(
    mcf_module: object,
    items: list[int],
    stock: np.ndarray,
    demand: np.ndarray,
    value: np.ndarray,
    arcs: tuple[np.ndarray, ...],
    links: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """One item group: max Σ (value − price) x over its arcs; return the arc flows and ``π`` (``[S, items]``).

    Nodes: (source, item) supplies, (point, item) demands, one sink. Flows are
    integers in hundredths of a unit, costs integers in ``1/COST`` objective units.
    ``links`` (points, sources) adds a free arc from each such point's node to the
    source's node, per item (a hub wave's receiving point to its transfer source).
    """
    s, j, k, kc, price = arcs
    S, J = stock.shape[0], demand.shape[0]
    n_items = len(items)
    slot = np.full(stock.shape[1], -1, dtype=np.int64)
    slot[items] = np.arange(n_items)
    supply = np.floor(stock[:, items] * QTY).astype(np.int64)  # [S, n]
    cap = np.floor(demand[:, items] * QTY).astype(np.int64)  # [J, n]
    src_node = np.arange(S * n_items).reshape(S, n_items)
    pt_node = S * n_items + np.arange(J * n_items).reshape(J, n_items)
    T = (S + J) * n_items
    total = int(supply.sum())
    ss, sk = np.nonzero(supply > 0)
    pj, pk = np.nonzero(cap > 0)
    lp, ls = (np.zeros(0, dtype=np.int64),) * 2 if links is None else links
    lt = pt_node[lp].ravel()  # every item of the group
    lh = src_node[ls].ravel()
    tails = np.concatenate([src_node[s, slot[k]], pt_node[pj, pk], src_node[ss, sk], lt])
    heads = np.concatenate([pt_node[j, slot[kc]], np.full(len(pj), T), np.full(len(ss), T), lh])
    caps = np.concatenate([np.full(len(s), total), cap[pj, pk], supply[ss, sk], np.full(len(lt), total)])
    costs = np.concatenate(
        [
            np.rint(price * COST),
            -np.rint(value[pj, np.asarray(items)[pk]] * COST),
            np.zeros(len(ss)),
            np.zeros(len(lt)),
        ]
    ).astype(np.int64)
    mcf = mcf_module.SimpleMinCostFlow()  # type: ignore[attr-defined]
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(T + 1, dtype=np.int64)
    supplies[: S * n_items] = supply.ravel()
    supplies[T] = -total
    mcf.set_nodes_supplies(np.arange(T + 1), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise AllocationSolverError("certified flow problem", str(status))
    flow = mcf.flows(np.arange(len(tails)))
    d = _potentials(T + 1, tails, heads, caps, costs, flow)
    pi = np.maximum(d[: S * n_items] - d[T], 0.0).reshape(S, n_items) / COST
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
    raise AllocationSolverError("certified flow problem", "negative cycle in the residual graph")


def usage(p: AllocationProblem, data: Data, rows: TruckRows, flows: Flows) -> tuple[np.ndarray, np.ndarray]:
    """Left-hand sides of the truck rows (kg·h and m³·h) under ``flows``."""
    C = len(data.cls_depot)
    out = []
    b = data.bucket[flows.s, flows.j]
    cyc = data.cycle[flows.s, flows.j]
    for per in (p.weight_kg, p.volume_m3):
        load = np.bincount(b, cyc * per[flows.k] * flows.x, minlength=C * GRID).reshape(C, GRID)
        cum = within_depot(data, np.cumsum(load, axis=1), later=True)  # buckets ≤ b, classes ranked ≥ c
        out.append(cum[rows.keys[:, 0], rows.keys[:, 1]] if len(rows.keys) else np.zeros(0))
    return out[0], out[1]


def columns(
    p: AllocationProblem, data: Data, rows: TruckRows, flows: Flows, hubs: HubData | None = None
) -> list[tuple[int, float, tuple[np.ndarray, ...], Flows]]:
    """Per item group with flow: its index, value (scaled objective units), loads on the master's rows, flows.

    The loads are those on the truck rows (kg·h, m³·h) and, with ``hubs``, on the
    throughput rows (kg). The group index is that of :func:`components` (one convexity
    row each in the master).
    """
    group = np.zeros(p.num_items, dtype=np.int64)
    for g, (items, _kinds) in enumerate(components(p, data)):
        group[items] = g
    out = []
    for g in np.unique(group[flows.k]).tolist():
        f = flows.select(group[flows.k] == g)
        use_kg, use_m3 = usage(p, data, rows, f)
        use_hub = np.zeros(0)
        if hubs is not None:
            into = f.j >= hubs.num_points
            kg = np.bincount(
                f.j[into] - hubs.num_points, p.weight_kg[f.k[into]] * f.x[into], minlength=hubs.num_waves
            )
            use_hub = hubs.usage(kg)
        out.append((int(g), float((data.value[f.j, f.kc] * f.x).sum()), (use_kg, use_m3, use_hub), f))
    return out


def fitted(p: AllocationProblem, data: Data, rows: TruckRows, flows: Flows) -> Flows:
    """``flows`` scaled down depot by depot until every truck row of ``R`` holds.

    Flows that ignore the trucks (low prices) overload the depots; scaled by the depot's
    largest overload they become a solution of ``R`` that loads every depot's trucks — a
    column that makes the master price all of them at once, where the flows' own columns
    price only the rows they overload. Not used through hubs (there a wave would have to
    send only what it still receives).
    """
    use_kg, use_m3 = usage(p, data, rows, flows)
    if not len(rows.keys):
        return flows
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.maximum(
            np.where(rows.cap_kg > 0, use_kg / rows.cap_kg, np.where(use_kg > 0, np.inf, 0.0)),
            np.where(rows.cap_m3 > 0, use_m3 / rows.cap_m3, np.where(use_m3 > 0, np.inf, 0.0)),
        )
    over = np.ones(p.num_depots)
    np.maximum.at(over, data.cls_depot[rows.keys[:, 0]], load)
    return Flows(flows.s, flows.j, flows.k, flows.x / over[p.source_depot[flows.s]], flows.kc)
