"""Truck prices by block descent on the dual of ``R``, depot by depot (internal).

The dual of the relaxation ``R`` (:mod:`logistics.allocation._relaxed`) has three blocks of
prices: truck rows ``μ`` and stock ``π`` (both belong to one depot) and coverage ``φ`` (one
per point and item). With ``φ`` fixed, the best ``(μ, π)`` split by depot: depot ``d``'s
share is the dual of

    max Σ per·(v_jk − φ_jk) x_a   over the depot's arcs ``a`` of ``R``
    s.t. its stock rows, its truck rows, 0 ≤ x_a ≤ d_jk / per,

a small LP (its rows: the depot's stock and truck rows; its columns: its arcs), solved with
HiGHS. With ``μ`` fixed, the best ``(π, φ)`` are the flow problems' stock prices and the
coverage prices of :func:`~logistics.allocation._relaxed.certified_bound`. Alternating
the two lowers the dual objective step by step; each step's bound is certified by
``certified_bound`` like any other prices' (this module computes prices, never a bound).

Why: the Dantzig–Wolfe master prices only the truck rows its few columns make binding,
and on networks where trucks are short everywhere its bound stays at the no-truck bound
for tens of iterations (bench/README.md). The depot LPs price every depot's trucks at
once, by what its trucks could deliver at the points' current prices. Started from
``φ = 0`` (each depot alone), the descent lowered the bound on Hebei's 50 × 1,250 × 30
network from 0.937 to 0.840 in six steps, and the flows at its prices are master columns
that load every depot. Block descent can stall short of the optimum (the dual is not
smooth), so the master's iterations continue after it.

Each depot's LP is built once and re-solved by HiGHS's dual simplex from its last basis
when ``φ`` changes (only the objective changes). Through hubs the depot LPs hold only the
arcs from the depots' own stock to the problem's own points (any truck prices give a
valid bound; these price the trucks by what they can deliver directly).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._lagrange import columns, fitted, solve_items
from logistics.allocation._master import quiet_highs
from logistics.allocation._relaxed import GRID, bound_and_coverage, eligible, kinds

if TYPE_CHECKING:
    from logistics.allocation._master import Master
    from logistics.allocation._relaxed import Data, TruckRows
    from logistics.allocation._relaxed_hubs import HubData
    from logistics.allocation._repair import Clock
    from logistics.allocation.params import AllocationParams
    from logistics.allocation.problem import AllocationProblem

logger = logging.getLogger(__name__)


def descend(
    p: AllocationProblem,
    data: Data,
    rows: TruckRows,
    master: Master,
    params: AllocationParams,
    clock: Clock,
    hubs: HubData | None = None,
    nu: np.ndarray | None = None,
    bound: float = float("inf"),
) -> float:
    """Up to ``params.descent_iterations`` descent steps from ``φ = 0``; return the best bound.

    ``bound`` is the best bound so far: when the second step (or a later one) is still
    above it, the descent is not lowering the bound on this instance and stops.

    Each step's flows (and, without hubs, the flows scaled to fit, as in the master's
    iterations) become master columns. Stops at half the time limit, like the master's
    iterations: a depot LP still running then is stopped and its step dropped. With
    ``hubs`` (``p`` is the expanded problem) the depot LPs hold the arcs from the depots'
    own stock to the problem's own points only, the flow problems and the bound are those
    of the master's iterations at the throughput prices ``nu``.
    """
    ub, steps = float("inf"), 0
    if clock.late(0.5):
        return ub
    half = None if clock.limit_s is None else clock.start + 0.5 * clock.limit_s  # as the master's iterations
    prices = DepotPrices(p, data, rows, seed=params.seed, hubs=hubs)
    phi = np.zeros((p.num_points, p.num_items))
    for _ in range(params.descent_iterations):
        mu = prices.prices(data.value, phi, half)
        if mu is None:
            break
        flows, pi = solve_items(p, data, rows, *mu, hubs=hubs, nu=nu)
        step, phi = bound_and_coverage(p, data, rows, *mu, pi, hubs, nu)
        ub = min(ub, step)
        for f in (flows,) if hubs is not None else (flows, fitted(p, data, rows, flows)):
            for k, val, use, part in columns(p, data, rows, f, hubs):
                master.add(k, val, use, part)
        steps += 1
        if steps >= 2 and step >= bound:
            break
    logger.info("certified allocation, depot descent: %d steps, bound %.6f", steps, ub)
    return ub


class DepotPrices:
    """One LP per depot with stocked sources; :meth:`prices` gives ``μ`` for coverage prices ``φ``.

    The LPs are built on their first use, so that a time limit can stop the first step
    between two depots rather than after building them all.
    """

    def __init__(
        self, p: AllocationProblem, data: Data, rows: TruckRows, *, seed: int = 0, hubs: HubData | None = None
    ) -> None:
        import highspy  # heavy: HiGHS, loaded when the certified mode runs

        self.hs, self.p, self.data, self.rows, self.seed = highspy, p, data, rows, seed
        self.arcs = _arcs_by_depot(p, data, hubs)
        self.built: dict[int, _DepotModel] = {}

    @property
    def models(self) -> list[_DepotModel]:
        """The depots' LPs built so far, by depot."""
        return [self.built[d] for d in sorted(self.built)]

    def prices(
        self, value: np.ndarray, phi: np.ndarray, until: float | None = None
    ) -> tuple[np.ndarray, ...] | None:
        """Truck prices ``(μ_kg, μ_m3)`` (scaled objective units) of every depot's LP at ``φ``.

        ``value`` is ``R``'s objective per unit covered (``Data.value``). ``None`` when
        ``until`` (a :func:`time.perf_counter` instant) passes before every depot's LP
        has its optimum.
        """
        n = len(self.rows.keys)
        mu_kg, mu_m3 = np.zeros(n), np.zeros(n)
        for d in sorted(self.arcs):
            if until is not None and time.perf_counter() >= until:
                return None
            if d not in self.built:
                self.built[d] = _DepotModel(self.hs, self.p, self.data, self.rows, d, self.arcs[d], self.seed)
            m = self.built[d]
            out = m.solve(value, phi, until)
            if out is None:
                return None
            mu_kg[m.rows], mu_m3[m.rows] = out
        return mu_kg, mu_m3


def _arcs_by_depot(
    p: AllocationProblem, data: Data, hubs: HubData | None
) -> dict[int, list[tuple[np.ndarray, ...]]]:
    """Per depot, the arcs of ``R`` from its sources, kind by kind: (s, j, k, kc, per).

    With ``hubs``, only arcs from the depots' own sources to the problem's own points.
    """
    out: dict[int, list[tuple[np.ndarray, ...]]] = {}
    depot = data.cls_depot[np.maximum(data.cls, 0)] if len(data.cls_depot) else np.zeros(0, dtype=np.int64)
    for k, kc, _q, per in kinds(p, data):
        ok = eligible(p, data, k, kc)
        if hubs is not None:
            ok[hubs.num_sources :] = False
            ok[:, hubs.num_points :] = False
        s, j = np.nonzero(ok)
        if not len(s):
            continue
        order = np.argsort(depot[s], kind="stable")
        s, j = s[order], j[order]
        cuts = np.flatnonzero(np.diff(depot[s])) + 1
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(s)], strict=True):
            n = b - a
            out.setdefault(int(depot[s[a]]), []).append(
                (s[a:b], j[a:b], np.full(n, k), np.full(n, kc), np.full(n, per))
            )
    return out


class _DepotModel:
    """Depot ``d``'s LP in HiGHS.

    Columns: the arcs ``x`` (bounded by demand), then bucket loads ``z`` (kg·h and m³·h of
    the depot's cargo per class and due bucket). Rows: stock per (source, item), truck rows
    (kg·h, then m³·h: ``Σ z`` over the classes ranked at or after the row's and the buckets
    up to its grid point ``≤`` its capacity), then ``Σ cycle·w·x − z = 0`` per bucket.
    """

    def __init__(
        self,
        highspy: object,
        p: AllocationProblem,
        data: Data,
        rows: TruckRows,
        d: int,
        arcs: list[tuple[np.ndarray, ...]],
        seed: int,
    ) -> None:
        import scipy.sparse as sp  # heavy: SciPy, loaded when the certified mode runs

        s, j, k, kc, per = (np.concatenate([a[i] for a in arcs]) for i in range(5))
        self.depot, self.j, self.kc, self.per = d, j, kc, per
        n = self.n = len(s)
        self.value = 0.0  # objective of the last solve (scaled objective units)
        classes = np.flatnonzero(data.cls_depot == d)  # consecutive, in rank order
        c0, nb = int(classes[0]), len(classes) * GRID
        self.rows = np.flatnonzero((rows.keys[:, 0] >= c0) & (rows.keys[:, 0] < c0 + len(classes)))
        nr = len(self.rows)
        keys, stock_row = np.unique(s * p.num_items + k, return_inverse=True)
        ns = len(keys)
        self.ns, self.nr = ns, nr
        local = data.bucket[s, j] - c0 * GRID
        cyc = data.cycle[s, j]
        # truck row r holds bucket (c, b) when c is ranked at or after the row's class and b ≤ its grid point
        lc, lb = rows.keys[self.rows, 0] - c0, rows.keys[self.rows, 1]
        grid_c, grid_b = np.divmod(np.arange(nb), GRID)
        member = (grid_c[None, :] >= lc[:, None]) & (grid_b[None, :] <= lb[:, None])  # [nr, nb]
        tr, tb = np.nonzero(member)
        ri = [stock_row, ns + 2 * nr + local, ns + 2 * nr + nb + local, ns + tr, ns + nr + tr]
        ci = [np.arange(n), np.arange(n), np.arange(n), n + tb, n + nb + tb]
        vi = [np.ones(n), cyc * p.weight_kg[k], cyc * p.volume_m3[k], np.ones(len(tr)), np.ones(len(tr))]
        ri.append(ns + 2 * nr + np.arange(2 * nb))
        ci.append(n + np.arange(2 * nb))
        vi.append(-np.ones(2 * nb))
        m, ncol = ns + 2 * nr + 2 * nb, n + 2 * nb
        a = sp.csc_matrix((np.concatenate(vi), (np.concatenate(ri), np.concatenate(ci))), shape=(m, ncol))
        inf = highspy.kHighsInf  # type: ignore[attr-defined]
        lp = highspy.HighsLp()  # type: ignore[attr-defined]
        lp.num_col_, lp.num_row_ = ncol, m
        lp.col_cost_ = np.zeros(ncol)
        lp.col_lower_ = np.zeros(ncol)
        lp.col_upper_ = np.concatenate([p.demand[j, kc] / per, np.full(2 * nb, inf)])
        lp.row_lower_ = np.concatenate([np.full(ns + 2 * nr, -inf), np.zeros(2 * nb)])
        lp.row_upper_ = np.concatenate(
            [p.stock.ravel()[keys], rows.cap_kg[self.rows], rows.cap_m3[self.rows], np.zeros(2 * nb)]
        )
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise  # type: ignore[attr-defined]
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
        lp.sense_ = highspy.ObjSense.kMaximize  # type: ignore[attr-defined]
        h = quiet_highs(highspy)
        for name, val in (
            ("output_flag", False),
            ("threads", 1),
            ("random_seed", int(seed)),
            ("presolve", "off"),
        ):
            h.setOptionValue(name, val)
        h.setOptionValue("simplex_strategy", 1)  # dual simplex: a new objective keeps the basis dual-usable
        h.passModel(lp)
        self.hs, self.h = highspy, h

    def solve(self, value: np.ndarray, phi: np.ndarray, until: float | None) -> tuple[np.ndarray, ...] | None:
        """Return the LP's truck-row duals (kg·h, m³·h) at coverage prices ``φ``; ``None`` at ``until``."""
        cost = self.per * (value[self.j, self.kc] - phi[self.j, self.kc])
        self.h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), cost)
        if until is not None:
            left = until - time.perf_counter()
            if left <= 0:
                return None
            self.h.setOptionValue("time_limit", float(left))
        self.h.run()
        if self.h.getModelStatus() != self.hs.HighsModelStatus.kOptimal:  # type: ignore[attr-defined]
            return None
        self.value = float(self.h.getInfo().objective_function_value)
        y = np.asarray(self.h.getSolution().row_dual)
        # maximisation: a binding ≤ row's dual is ≥ 0 (as in the master)
        return np.maximum(y[self.ns : self.ns + self.nr], 0.0), np.maximum(
            y[self.ns + self.nr : self.ns + 2 * self.nr], 0.0
        )
