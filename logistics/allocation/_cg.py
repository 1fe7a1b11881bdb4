"""Column generation for the pooled-truck LP (large instances).

The LP of :mod:`logistics.allocation.problem` has a cargo variable per lane, source and
item: a province (200 depots × 5,000 points × 30 items) would need about
10⁸ of them. Almost all are zero at the optimum, so the LP is solved over a
*restricted master* — a subset of lanes and cargo variables — which grows until
no left-out column can improve it:

1. start from the fastest depots of every point, with the cargo of each
   wanted item from one source;
2. solve the master with the stage's objective and read the row duals;
3. *price* every left-out column with those duals:

   * a cargo variable ``x_ℓsk`` of a lane in the master has the usual reduced
     cost ``c − Aᵀy`` (stock, balance, weight and volume rows);
   * a lane not in the master brings new rows (its weight and volume rows, and
     possibly a new due time in its truck-time chain). Extending the dual
     solution to them is possible — so the lane cannot improve the master —
     iff the best load of one trip, valued at the current prices,
     ``max {Σ q_k x_k : Σ w_k x_k ≤ Q, Σ v_k x_k ≤ U, x ≥ 0}``, is at most the
     price of the trip's truck time ``θ_ℓ = c_ℓ × (dual of the first chain row
     with due ≥ e_ℓ, 0 if none)``. Here ``q_k`` is the best reduced profit of
     item ``k`` over the lane's sources (stock and balance duals). The load
     value is bounded above by ``min(Q max q_k⁺/w_k, U max q_k⁺/v_k)``, so a
     lane is added when that bound exceeds ``θ_ℓ``;

4. add the improving columns (at most a few new lanes per point per round)
   and repeat; stop when nothing improves by more than the tolerance.

When pricing finds nothing, the duals extended by zero (new chain rows) and by
the load LP's dual (new weight and volume rows) are feasible for the full LP,
so the master's optimum is the full LP's optimum: no demand met is lost by
leaving the other pairs out. Each stage of the objective mode (including
every leximin round and check, :mod:`logistics.allocation._stages`) is
generated in turn, starting from the previous stage's columns. Rows that hold
earlier optima involve only coverage variables, which are all in every master,
so they do not change the pricing of cargo columns or lanes.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._lanes import Lanes, build_lanes, servable_points
from logistics.allocation._model import Model, build_model, coverage_share
from logistics.allocation._solver import objective_vector, solve_stage
from logistics.allocation._stages import Outcome, solve_objectives
from logistics.allocation.result import make_result

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.allocation._solver import Fix
    from logistics.allocation.params import AllocationParams
    from logistics.allocation.problem import AllocationProblem
    from logistics.allocation.result import AllocationResult

logger = logging.getLogger(__name__)

#: reduced-profit tolerance on the scaled objective (max |c| = 1)
RC_TOL = 1e-7
#: new lanes added per point and round
ADD_PER_POINT = 3
#: lanes priced at a time (memory: chunk × items floats)
CHUNK = 100_000


@dataclasses.dataclass
class CGStats:
    """Column-generation statistics of one solve.

    Attributes
    ----------
    rounds
        One entry per master solve: ``(stage, lanes, cargo columns, columns
        added by pricing, master objective)``; the last round of each stage
        adds nothing.
    """

    rounds: list[tuple[str, int, int, int, float]] = dataclasses.field(default_factory=list)


class _Master:
    """The growing set of lanes (indices into the universe) and cargo columns."""

    def __init__(self, p: AllocationProblem, universe: Lanes) -> None:
        self.p = p
        self.u = universe
        self.lane_in = np.zeros(len(universe.lane_g), dtype=bool)
        self.x_keys = np.zeros(0, dtype=np.int64)  # (lane*S + s)*K + k, sorted

    def key(self, lane: np.ndarray, src: np.ndarray, item: np.ndarray) -> np.ndarray:
        S, K = self.p.num_sources, self.p.num_items
        return (lane.astype(np.int64) * S + src) * K + item

    def add(self, lane: np.ndarray, src: np.ndarray, item: np.ndarray) -> int:
        keys = np.unique(self.key(lane, src, item))
        new = keys[~np.isin(keys, self.x_keys, assume_unique=True)]
        self.x_keys = np.union1d(self.x_keys, new)
        self.lane_in[np.unique(lane)] = True
        return len(new)

    def lanes(self) -> tuple[Lanes, np.ndarray]:
        """Master :class:`Lanes` and the universe index of each master lane."""
        S, K = self.p.num_sources, self.p.num_items
        idx = np.flatnonzero(self.lane_in)
        pos = np.full(len(self.lane_in), -1, dtype=np.int64)
        pos[idx] = np.arange(len(idx))
        lane = self.x_keys // (S * K)
        u = self.u
        ln = dataclasses.replace(
            u,
            lane_g=u.lane_g[idx],
            lane_w=u.lane_w[idx],
            lane_j=u.lane_j[idx],
            lane_d=u.lane_d[idx],
            lane_cycle=u.lane_cycle[idx],
            lane_due=u.lane_due[idx],
            lane_delivery=u.lane_delivery[idx],
            x_lane=pos[lane],
            x_src=(self.x_keys // K) % S,
            x_item=self.x_keys % K,
        )
        return ln, idx


def _eligible_sources(p: AllocationProblem, u: Lanes) -> list[np.ndarray]:
    has_stock = p.stock.sum(axis=1) > 0
    return [
        np.flatnonzero((p.source_depot == u.win_depot[w]) & has_stock & (p.ready_h <= u.win_start[w]))
        for w in range(len(u.win_depot))
    ]


def _initial(p: AllocationProblem, u: Lanes, master: _Master, elig: list[np.ndarray], k0: int) -> None:
    """Lanes of each point's ``k0`` fastest candidate depots, one source per item."""
    masked = np.where(u.candidate, p.travel_time_h, np.inf)
    order = np.argsort(masked, axis=0, kind="stable")[:k0]
    keep = np.zeros_like(u.candidate)
    np.put_along_axis(keep, order, True, axis=0)
    keep &= u.candidate
    lanes = np.flatnonzero(keep[u.lane_d, u.lane_j])
    # per phase and item: the eligible source with the most stock
    best_src = np.full((len(u.win_depot), p.num_items), -1, dtype=np.int64)
    for w, srcs in enumerate(elig):
        if len(srcs):
            st = p.stock[srcs]
            best_src[w] = np.where(st.max(axis=0) > 0, srcs[st.argmax(axis=0)], -1)
    src = best_src[u.lane_w[lanes]]  # [L0, K]
    ok = (src >= 0) & u.wanted[u.lane_j[lanes]]
    li, k = np.nonzero(ok)
    master.add(lanes[li], src[li, k], k)
    master.lane_in[lanes] = True


def _x_coef(p: AllocationProblem, u: Lanes, kind: str, lanes: np.ndarray, ph_share: np.ndarray) -> np.ndarray:
    """Objective coefficient of a cargo unit per (lane, item) for stage ``kind``."""
    if kind == "person_hours":
        return ph_share[u.lane_j[lanes]] * u.lane_delivery[lanes][:, None]
    if kind == "ton_km":
        dist = np.nan_to_num(p.distance_km[u.lane_d[lanes], u.lane_j[lanes]])
        return dist[:, None] * p.weight_kg[None, :] / 1000.0
    return np.zeros((len(lanes), p.num_items))


@dataclasses.dataclass(frozen=True)
class _Prices:
    """A stage's objective and the master's row duals, mapped onto the universe for pricing."""

    sgn: float  # +1 to maximise, -1 to minimise
    scale: float  # objective scale (max |c|)
    kind: str  # objective kind of the stage
    ph_share: np.ndarray  # [J, K] person-hours share of a unit
    best: np.ndarray  # [W, K] best stock term -sgn*y_stock over a phase's eligible sources
    best_src: np.ndarray  # [W, K] that source (-1 = none)
    balance: np.ndarray  # [J, K] balance duals
    chain: np.ndarray  # [universe lanes] dual of the first chain row with due >= the lane's
    weight: np.ndarray  # [universe lanes] weight-row duals (master lanes)
    volume: np.ndarray  # [universe lanes] volume-row duals (master lanes)


def _price(
    p: AllocationProblem,
    master: _Master,
    model: Model,
    midx: np.ndarray,
    y: np.ndarray,
    sgn: float,
    scale: float,
    kind: str,
    elig: list[np.ndarray],
    ph_share: np.ndarray,
) -> int:
    """Add improving columns; return how many were added."""
    u = master.u
    pr = _prices(p, u, model, midx, y, sgn, scale, kind, elig, ph_share)
    add_l, add_s, add_k = [], [], []
    cand_lane, cand_val = [], []
    w_k, v_k = p.weight_kg, p.volume_m3
    for start in range(0, len(u.lane_g), CHUNK):
        lanes = np.arange(start, min(start + CHUNK, len(u.lane_g)))
        q = _profit(p, u, pr, lanes)
        inm = master.lane_in[lanes]
        # cargo of master lanes: exact reduced profit
        if inm.any():
            ml = lanes[inm]
            rc = q[inm] - sgn * (w_k[None, :] * pr.weight[ml, None] + v_k[None, :] * pr.volume[ml, None])
            li, k = np.nonzero(rc > RC_TOL)
            add_l.append(ml[li])
            add_s.append(pr.best_src[u.lane_w[ml[li]], k])
            add_k.append(k)
        out = ~inm
        if out.any():
            ol = lanes[out]
            val = _lane_value(p, u, pr, ol, q[out])
            good = val > RC_TOL
            cand_lane.append(ol[good])
            cand_val.append(val[good])
    n_new_lanes = 0
    if cand_lane:
        cl = np.concatenate(cand_lane)
        cv = np.concatenate(cand_val)
        if len(cl):
            cl = _best_per_point(u, cl, cv)
            n_new_lanes = len(cl)
            q = _profit(p, u, pr, cl)
            li, k = np.nonzero(q > RC_TOL)
            add_l.append(cl[li])
            add_s.append(pr.best_src[u.lane_w[cl[li]], k])
            add_k.append(k)
            master.lane_in[cl] = True
    if not add_l:
        return n_new_lanes
    n = master.add(np.concatenate(add_l), np.concatenate(add_s), np.concatenate(add_k))
    return n + n_new_lanes


def _prices(
    p: AllocationProblem,
    u: Lanes,
    model: Model,
    midx: np.ndarray,
    y: np.ndarray,
    sgn: float,
    scale: float,
    kind: str,
    elig: list[np.ndarray],
    ph_share: np.ndarray,
) -> _Prices:
    """Map the master's row duals ``y`` onto sources, points and universe lanes."""
    S, K, J = p.num_sources, p.num_items, p.num_points
    ys = np.zeros(S * K)
    ys[model.stock_keys] = y[model.stock_rows]
    ys = ys.reshape(S, K)
    yb = np.zeros(J * K)
    yb[model.balance_keys] = y[model.balance_rows]
    yb = yb.reshape(J, K)
    # best source per (phase, item): max of -sgn*y_stock over eligible stocked sources
    W = len(u.win_depot)
    best = np.full((W, K), -np.inf)
    best_src = np.full((W, K), -1, dtype=np.int64)
    for w, srcs in enumerate(elig):
        if not len(srcs):
            continue
        val = np.where(p.stock[srcs] > 0, -sgn * ys[srcs], -np.inf)
        best[w] = val.max(axis=0)
        best_src[w] = srcs[val.argmax(axis=0)]
    # weight/volume duals of master lanes
    yw = np.zeros(len(u.lane_g))
    yv = np.zeros(len(u.lane_g))
    yw[midx] = y[model.row_weight]
    yv[midx] = y[model.row_volume]
    return _Prices(sgn, scale, kind, ph_share, best, best_src, yb, _chain_duals(u, model, y), yw, yv)


def _chain_duals(u: Lanes, model: Model, y: np.ndarray) -> np.ndarray:
    """Chain-row dual per universe lane (first due >= lane due in the master block, 0 if none)."""
    W = len(u.win_depot)
    ychain = np.zeros(len(u.lane_g))
    blocks = {(g, w): (dues, rows) for g, w, dues, rows in model.time_rows}
    bkey = u.lane_g.astype(np.int64) * (W + 1) + u.lane_w
    cut = np.flatnonzero(np.diff(bkey)) + 1
    for blk in np.split(np.arange(len(bkey)), cut):
        if not len(blk):
            continue
        hit = blocks.get((int(u.lane_g[blk[0]]), int(u.lane_w[blk[0]])))
        if hit is None:
            continue
        dues, rows = hit
        i = np.searchsorted(dues, u.lane_due[blk], side="left")
        ok = i < len(dues)
        ychain[blk[ok]] = y[rows[i[ok]]]
    return ychain


def _profit(p: AllocationProblem, u: Lanes, pr: _Prices, lanes: np.ndarray) -> np.ndarray:
    """Best reduced profit ``q`` of a unit of each item per lane (stock and balance duals)."""
    q = pr.sgn * _x_coef(p, u, pr.kind, lanes, pr.ph_share) / pr.scale
    q = q + pr.best[u.lane_w[lanes]] - pr.sgn * pr.balance[u.lane_j[lanes]]
    return np.where(u.wanted[u.lane_j[lanes]], q, -np.inf)


def _lane_value(p: AllocationProblem, u: Lanes, pr: _Prices, ol: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Bound on the load value of one trip on each left-out lane, minus the price of its truck time."""
    w_k, v_k = p.weight_kg, p.volume_m3
    qp = np.maximum(q, 0.0)
    load = np.minimum(
        p.capacity_kg[u.lane_g[ol]] * (qp / w_k[None, :]).max(axis=1),
        p.capacity_m3[u.lane_g[ol]] * (qp / v_k[None, :]).max(axis=1),
    )
    theta = -pr.sgn * u.lane_cycle[ol] * pr.chain[ol]
    return load - theta


def _best_per_point(u: Lanes, cl: np.ndarray, cv: np.ndarray) -> np.ndarray:
    """At most ADD_PER_POINT new lanes per point, best first; returned sorted."""
    order = np.lexsort((-cv, u.lane_j[cl]))
    cl = cl[order]
    jj = u.lane_j[cl]
    first = np.r_[0, np.flatnonzero(np.diff(jj)) + 1]
    rank = np.arange(len(cl)) - np.repeat(first, np.diff(np.r_[first, len(cl)]))
    return np.sort(cl[rank < ADD_PER_POINT])


def solve_cg(
    p: AllocationProblem, params: AllocationParams, *, k0: int = 2, stats: CGStats | None = None
) -> AllocationResult:
    """Solve the LP (``integer_trips=False``) by column generation.

    The first master holds the lanes of each point's ``k0`` fastest candidate
    depots (``params.max_depots_per_point`` when given); pricing then adds any
    other pair that can improve the plan, so the optimum is the unpruned LP's.
    Every stage of the objective mode (and every leximin round and check) is
    generated in turn, starting from the previous stage's columns.
    """
    t0 = time.perf_counter()
    u = build_lanes(p, None, cargo=False)
    k0 = params.max_depots_per_point or k0
    elig = _eligible_sources(p, u)
    master = _Master(p, u)
    _initial(p, u, master, elig, k0)
    share, counted = coverage_share(p)
    ph_share = share * p.persons[:, None]
    t_build = time.perf_counter() - t0
    stats = stats if stats is not None else CGStats()

    def stage(kind: str, maximize: bool, fixes: Sequence[Fix], name: str, *, duals: bool) -> Outcome:
        sgn = 1.0 if maximize else -1.0
        while True:
            ln, midx = master.lanes()
            model = build_model(p, ln, False)
            obj, _const = objective_vector(model, kind)
            scale = max(float(np.abs(obj).max()), 1e-300)
            v, y, value, widen = solve_stage(
                model,
                kind,
                maximize,
                fixes,
                params.lp_solver,
                False,
                params.seed,
                name,
                scale=scale,
                duals=True,
            )
            assert y is not None
            added = _price(p, master, model, midx, y, sgn, scale, kind, elig, ph_share)
            stats.rounds.append((name, len(ln.lane_g), len(ln.x_lane), added, value))
            logger.debug("column generation round %s at %.1f s", stats.rounds[-1], time.perf_counter() - t0)
            if not added:
                return Outcome(model, ln, v, y * scale, value, widen)

    rated = np.flatnonzero(counted & servable_points(p, u))
    stages, out, widen = solve_objectives(params, stage, rated, lp=True)
    t_solve = time.perf_counter() - t0 - t_build
    return make_result(
        p,
        params,
        dataclasses.replace(out.lanes, candidate=u.candidate),
        out.model,
        out.v,
        stages,
        solver=params.lp_solver,
        slack=params.lexicographic_tolerance * widen,
        build_time_s=t_build,
        solve_time_s=t_solve,
    )
