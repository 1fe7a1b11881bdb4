"""The relaxed allocation LP ``R`` of the certified mode: its bound and its guiding plan (internal).

``R`` keeps the stock (1) and coverage (2) rows of the allocation model
(:mod:`logistics.allocation.problem`) but replaces the lanes, trips, patterns
and per-group truck-time rows (3)–(6) by *aggregated truck-time rows* per depot:
for every ready time ``ρ`` of the depot's stocked sources and every due time
``e`` of a grid (quantiles of the depot's due times ``T_j + τ_dj``)

    Σ c_dj w_k x_sjk  ≤  (Σ_g Q_g N_g) (e − ρ)     (weight)
    Σ c_dj v_k x_sjk  ≤  (Σ_g U_g N_g) (e − ρ)     (volume)

summed over cargo from sources ``s`` of the depot ready at or after ``ρ`` to
points whose due time is at most ``e``, with ``c_dj = λ + 2τ_dj + μ``.

Why ``R`` is a relaxation (its optimum bounds the exact LP's (a) from above):
a pooled-LP trip on lane ``ℓ`` carries at most ``Q_g n_ℓ`` kg, so the
left-hand side is at most ``Σ_g Q_g Σ c_ℓ n_ℓ`` over the lanes in phases that
start at or after ``ρ`` with due time at most ``e``; for each pattern those
phases are disjoint intervals inside ``[ρ, e]``, so by (6) their trips take at
most ``N_gπ (e − ρ)`` truck-hours, and ``Σ_π N_gπ ≤ N_g``. The same holds for
volume. Dropping the trip and working-hour limits (7) and the group choice only
enlarges the feasible set. A substitution is a column of its own: a unit of the
substitute ``k2`` sent to ``j`` covers ``1/ratio`` of the item ``k1`` there.

The certified bound does not trust any solver: :func:`certified_bound` takes
truck prices and stock prices (any non-negative ones), raises each coverage
price until *every* admissible arc — also those no flow problem ever held —
has a non-positive reduced profit, and returns the dual objective. Any such
dual solution bounds ``R`` and so the exact optimum. Arcs are priced in
vectorised passes, one item at a time, on ``[S, J]`` arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._lanes import TIME_EPS_H

if TYPE_CHECKING:
    from logistics.allocation._relaxed_hubs import HubData
    from logistics.allocation.problem import AllocationProblem

#: due-time grid points per depot in the aggregated truck rows
GRID = 16


@dataclass(frozen=True)
class Data:
    """Everything ``R`` needs from the problem, precomputed (internal)."""

    ok: np.ndarray  # [S, J] source can unload at the point by its deadline, with a truck at its depot
    cycle: np.ndarray  # [S, J] λ + 2τ + μ
    bucket: np.ndarray  # [S, J] class-bucket index of the pair's cargo (cls * GRID + b)
    cls: np.ndarray  # [S] class (depot, ready rank) of each source, -1 without stock
    cls_depot: np.ndarray  # [C]
    cls_rank: np.ndarray  # [C] rank of the ready time within the depot
    cls_ready: np.ndarray  # [C]
    grid: np.ndarray  # [D, GRID] due times of the truck rows
    kg_h: np.ndarray  # [D] Σ_g Q_g N_g
    m3_h: np.ndarray  # [D]
    value: np.ndarray  # [J, K] objective (a) per unit covered, times ``scale``
    scale: float  # objective (a) is scaled so that its largest coefficient is 1 (solver tolerances)
    subs: tuple[tuple[int, int, float], ...]  # (k1, k2, ratio)


def prepare(p: AllocationProblem, value: np.ndarray, hubs: HubData | None = None) -> Data:
    """Precompute ``R``'s per-pair data; ``value`` is objective (a) per unit covered, ``[J, K]``.

    With ``hubs`` (``p`` is the expanded problem) a transfer source does not send to a
    receiving point (goods pass through one hub at most), and the due times of the trips
    into the receiving points are points of the grid.
    """
    S, J, D = p.num_sources, p.num_points, p.num_depots
    has_stock = p.stock.sum(axis=1) > 0 if p.num_items else np.zeros(S, dtype=bool)
    fleet = np.zeros(D, dtype=bool)
    fleet[p.fleet_depot[p.fleet_count > 0]] = True
    tau = p.travel_time_h[p.source_depot] if S else np.zeros((0, J))
    reach = np.isfinite(tau)
    tau0 = np.where(reach, tau, 0.0)
    deliver = p.ready_h[:, None] + p.load_h + tau0 + p.unload_h
    ok = reach & (deliver <= p.deadline_h[None, :] + TIME_EPS_H)
    ok &= (has_stock & fleet[p.source_depot])[:, None]
    key = np.zeros(J, dtype=bool)
    if hubs is not None:
        ok[hubs.num_sources :, hubs.num_points :] = False
        key[hubs.num_points :] = True
    cycle = p.load_h + 2 * tau0 + p.unload_h
    due = p.deadline_h[None, :] + tau0
    # classes: (depot, distinct ready time) of stocked sources
    cls = np.full(S, -1, dtype=np.int64)
    cd, cr, cready = [], [], []
    grid = np.zeros((D, GRID))
    for d in range(D):
        srcs = np.flatnonzero((p.source_depot == d) & has_stock)
        if not len(srcs):
            continue
        readies = np.unique(p.ready_h[srcs])
        for r, rho in enumerate(readies):
            cls[srcs[p.ready_h[srcs] == rho]] = len(cd)
            cd.append(d)
            cr.append(r)
            cready.append(float(rho))
        dues = due[srcs][ok[srcs]]
        if len(dues):
            grid[d] = due_grid(dues, due[srcs][ok[srcs] & key[None, :]])
    src_grid = grid[p.source_depot]  # [S, GRID]
    b = np.zeros((S, J), dtype=np.int64)
    for s in range(S):
        b[s] = np.minimum(np.searchsorted(src_grid[s], due[s], side="left"), GRID - 1)
    bucket = np.where(ok, np.maximum(cls, 0)[:, None] * GRID + b, -1)
    kg = np.zeros(D)
    m3 = np.zeros(D)
    np.add.at(kg, p.fleet_depot, p.capacity_kg * p.fleet_count)
    np.add.at(m3, p.fleet_depot, p.capacity_m3 * p.fleet_count)
    idx = {k: i for i, k in enumerate(p.item_ids)}
    subs = tuple((idx[x.item], idx[x.substitute], float(x.ratio)) for x in p.substitutions)
    top = float(value.max()) if value.size else 0.0
    scale = 1.0 / top if top > 0 else 1.0
    return Data(
        ok=ok,
        cycle=cycle,
        bucket=bucket,
        cls=cls,
        cls_depot=np.array(cd, dtype=np.int64),
        cls_rank=np.array(cr, dtype=np.int64),
        cls_ready=np.array(cready, dtype=float),
        grid=grid,
        kg_h=kg,
        m3_h=m3,
        value=value * scale,
        scale=scale,
        subs=subs,
    )


def due_grid(dues: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """``GRID`` due times for one depot's truck rows, ascending, the last the largest due time.

    Every distinct due time when there are at most ``GRID``; otherwise the ``fixed`` ones
    (at most half the grid: the hubs' cut-offs) and quantiles of the others. Any grid gives
    valid rows; these make the rows tight where trips are due.
    """
    distinct = np.unique(dues)
    if len(distinct) <= GRID:
        return np.concatenate([distinct, np.full(GRID - len(distinct), distinct[-1])])
    keep = np.unique(fixed)[: GRID // 2]
    n = GRID - len(keep)
    qs = np.quantile(dues, np.linspace(0, 1, n + 1)[1:], method="higher")
    grid = np.sort(np.concatenate([keep, qs]))
    grid[-1] = dues.max()
    return grid


@dataclass(frozen=True)
class TruckRows:
    """The aggregated truck rows: class and grid point of each, and its right-hand sides."""

    keys: np.ndarray  # [n, 2] (class, grid index)
    cap_kg: np.ndarray  # [n] (Σ Q_g N_g)(e − ρ)
    cap_m3: np.ndarray  # [n]


def truck_rows(data: Data) -> TruckRows:
    """Rows per class ``(d, r)`` and grid point ``b`` with ``e_b > ρ_r``."""
    keys, kg, m3 = [], [], []
    for c in range(len(data.cls_depot)):
        d = int(data.cls_depot[c])
        for b in range(GRID):
            span = float(data.grid[d, b] - data.cls_ready[c])
            if span > 0:
                keys.append((c, b))
                kg.append(data.kg_h[d] * span)
                m3.append(data.m3_h[d] * span)
    return TruckRows(np.array(keys, dtype=np.int64).reshape(-1, 2), np.array(kg), np.array(m3))


def bucket_prices(
    data: Data, rows: TruckRows, mu_kg: np.ndarray, mu_m3: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Price per kg·h and m³·h of cargo in each class-bucket: the sum of the prices of its rows.

    A row (c, b) holds the buckets b' ≤ b of the classes of its depot ranked at
    or after c. Returns flat ``[C * GRID]`` arrays.
    """
    C = len(data.cls_depot)
    out = []
    for mu in (mu_kg, mu_m3):
        Y = np.zeros((C, GRID))
        if len(rows.keys):
            np.add.at(Y, (rows.keys[:, 0], rows.keys[:, 1]), np.maximum(mu, 0.0))
        rev = np.cumsum(Y[:, ::-1], axis=1)[:, ::-1]
        out.append(within_depot(data, rev, later=False).ravel())
    return out[0], out[1]


def within_depot(data: Data, X: np.ndarray, *, later: bool) -> np.ndarray:
    """Per class, the sum of ``X`` (``[C, …]``) over the classes of its depot ranked after (or before) it.

    ``later=True``: ranks at or after the class's; ``later=False``: at or before.
    Classes are numbered depot by depot in rank order, so these are suffix and
    prefix sums within each depot's run of classes.
    """
    C = len(data.cls_depot)
    if not C:
        return X.copy()
    first = np.searchsorted(data.cls_depot, data.cls_depot, side="left")
    last = np.searchsorted(data.cls_depot, data.cls_depot, side="right")
    zero = np.zeros((1, *X.shape[1:]))
    if later:
        suffix = np.concatenate([np.cumsum(X[::-1], axis=0)[::-1], zero])  # suffix[c] = Σ_{c' ≥ c}
        return suffix[np.arange(C)] - suffix[last]
    prefix = np.concatenate([zero, np.cumsum(X, axis=0)])  # prefix[c] = Σ_{c' < c}
    return prefix[np.arange(C) + 1] - prefix[first]


def pair_prices(data: Data, rows: TruckRows, mu_kg: np.ndarray, mu_m3: np.ndarray) -> tuple[np.ndarray, ...]:
    """Truck price per kg and per m³ shipped on each (source, point) pair, ``[S, J]`` each."""
    aw, av = bucket_prices(data, rows, mu_kg, mu_m3)
    if not len(aw):  # no stocked source at all
        return np.zeros(data.cycle.shape), np.zeros(data.cycle.shape)
    b = np.maximum(data.bucket, 0)
    on = data.bucket >= 0
    return np.where(on, data.cycle * aw[b], 0.0), np.where(on, data.cycle * av[b], 0.0)


def kinds(p: AllocationProblem, data: Data) -> list[tuple[int, int, int, float]]:
    """Arc kinds: (shipped item k, covered item kc, substitution q or -1, units covered per unit)."""
    out = [(k, k, -1, 1.0) for k in range(p.num_items)]
    out += [(k2, k1, q, 1.0 / ratio) for q, (k1, k2, ratio) in enumerate(data.subs)]
    return out


def eligible(
    p: AllocationProblem,
    data: Data,
    k: int,
    kc: int,
    *,
    stock: np.ndarray | None = None,
    demand: np.ndarray | None = None,
) -> np.ndarray:
    """``[S, J]``: arcs of shipped item ``k`` covering ``kc`` in ``R`` (or with the ``stock``/``demand`` left)."""
    stock = p.stock if stock is None else stock
    demand = p.demand if demand is None else demand
    return data.ok & (stock[:, k] > 0)[:, None] & (demand[:, kc] > 0)[None, :]


def certified_bound(
    p: AllocationProblem,
    data: Data,
    rows: TruckRows,
    mu_kg: np.ndarray,
    mu_m3: np.ndarray,
    pi: np.ndarray,
    hubs: HubData | None = None,
    nu: np.ndarray | None = None,
) -> float:
    """Upper bound on ``R``'s optimum (and so on the exact LP's (a)) from any prices ``μ, π ≥ 0``.

    Weak duality: with truck-row prices ``μ`` and stock prices ``π`` (``[S, K]``,
    objective units), each coverage price ``φ_jk`` is set to the largest reduced
    profit of any arc of ``R`` into ``(j, k)`` — own or substitute, every
    admissible source — so that the dual is feasible, and the dual objective
    ``Σ μ·cap + Σ π σ + Σ φ d`` is returned (unscaled). It holds for every
    ``μ, π ≥ 0``; good prices make it tight.

    With ``hubs`` (``p`` is the expanded problem) the throughput rows have prices ``ν``
    and the transfer sources are priced by :meth:`HubData.wave_prices` instead of ``π``
    (:mod:`logistics.allocation._relaxed_hubs`); they hold no stock of their own.
    """
    return bound_and_coverage(p, data, rows, mu_kg, mu_m3, pi, hubs, nu)[0]


def bound_and_coverage(
    p: AllocationProblem,
    data: Data,
    rows: TruckRows,
    mu_kg: np.ndarray,
    mu_m3: np.ndarray,
    pi: np.ndarray,
    hubs: HubData | None = None,
    nu: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """:func:`certified_bound` and the coverage prices ``φ`` (``[J, K]``) it set, from one pricing pass."""
    phi, pi, extra = _dual_prices(p, data, rows, mu_kg, mu_m3, pi, hubs, nu)
    own = p.num_sources if hubs is None else hubs.num_sources  # transfer sources hold no stock
    dual = (
        float(np.maximum(mu_kg, 0.0) @ rows.cap_kg)
        + float(np.maximum(mu_m3, 0.0) @ rows.cap_m3)
        + float((pi[:own] * p.stock[:own]).sum())
        + float((phi * p.demand).sum())
        + extra
    )
    return dual / data.scale, phi


def _dual_prices(
    p: AllocationProblem,
    data: Data,
    rows: TruckRows,
    mu_kg: np.ndarray,
    mu_m3: np.ndarray,
    pi: np.ndarray,
    hubs: HubData | None,
    nu: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Coverage prices ``φ``, stock prices (the transfer sources' set from the waves) and ``ν · room``."""
    tw, tv = pair_prices(data, rows, mu_kg, mu_m3)
    pi = np.maximum(pi, 0.0)
    extra = 0.0
    if hubs is not None:
        tw, pi, extra = _hub_prices(p, data, hubs, tw, tv, pi, nu)
    return _coverage(p, data, tw, tv, pi), pi, extra


def _coverage(p: AllocationProblem, data: Data, tw: np.ndarray, tv: np.ndarray, pi: np.ndarray) -> np.ndarray:
    """Each ``φ_jk``: the largest reduced profit of an admissible arc into ``(j, k)``, at least 0."""
    phi = np.zeros((p.num_points, p.num_items))
    for k, kc, _q, per in kinds(p, data):
        ok = eligible(p, data, k, kc)
        if not ok.any():
            continue
        prof = data.value[None, :, kc] - (pi[:, k, None] + p.weight_kg[k] * tw + p.volume_m3[k] * tv) / per
        phi[:, kc] = np.maximum(phi[:, kc], np.where(ok, prof, -np.inf).max(axis=0))
    return phi


def _hub_prices(
    p: AllocationProblem,
    data: Data,
    hubs: HubData,
    tw: np.ndarray,
    tv: np.ndarray,
    pi: np.ndarray,
    nu: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Truck prices with the throughput prices added, stock prices with the waves' prices, ``ν · room``."""
    J, S, Q = hubs.num_points, hubs.num_sources, hubs.num_waves
    nu = np.zeros(len(hubs.row_wave)) if nu is None else np.maximum(nu, 0.0)
    tw = hubs.with_throughput(tw, nu)
    pi = pi.copy()
    for k in range(p.num_items):
        ok = data.ok[:S, J:] & (p.stock[:S, k] > 0)[:, None]  # [S, Q] arcs into the waves
        cost = pi[:S, k, None] + p.weight_kg[k] * tw[:S, J:] + p.volume_m3[k] * tv[:S, J:]
        into = np.where(ok, cost, np.inf).min(axis=0) if S else np.full(Q, np.inf)
        pi[S:, k] = hubs.wave_prices(into)
    return tw, pi, float(nu @ hubs.room_kg)
