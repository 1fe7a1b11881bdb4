"""Independent formulations of the allocation model, solved with scipy's HiGHS.

Written from the formulation in the docs, not from logistics.allocation._model:

* ``slot_mip`` — every truck has a sequence of trip *slots* per window with
  explicit start times and big-M deadline constraints (a sequencing model);
* ``pooled_lp`` — trips of a fleet group pooled, with the earliest-due-date
  time constraints written as explicit dense sums (no auxiliary variables).

Both return the optimum of each lexicographic stage.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

EPS = 1e-9


class _LP:
    def __init__(self) -> None:
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.integ: list[int] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def var(self, lb: float = 0.0, ub: float = math.inf, integer: bool = False) -> int:
        self.lb.append(lb)
        self.ub.append(ub)
        self.integ.append(1 if integer else 0)
        return len(self.lb) - 1

    def con(self, coefs: dict[int, float], lo: float, hi: float) -> None:
        self.rows.append((dict(coefs), lo, hi))

    def solve(self, c: np.ndarray, extra: list[tuple[np.ndarray, float, float]]) -> np.ndarray:
        n = len(self.lb)
        r, cidx, vals, lo, hi = [], [], [], [], []
        for i, (coefs, a, b) in enumerate(self.rows):
            for k, v in coefs.items():
                r.append(i)
                cidx.append(k)
                vals.append(v)
            lo.append(a)
            hi.append(b)
        A = sp.csr_matrix((vals, (r, cidx)), shape=(len(self.rows), n))
        cons = [LinearConstraint(A, lo, hi)]
        for vec, a, b in extra:
            cons.append(LinearConstraint(vec[None, :n], a, b))
        res = milp(
            c[:n],
            constraints=cons,
            integrality=np.array(self.integ),
            bounds=Bounds(self.lb, self.ub),
            options={"mip_rel_gap": 0.0, "presolve": True},
        )
        assert res.status == 0, res.message
        return res.x


def _common(p):
    """Windows per depot, wanted items, objective weights (from the docs)."""
    K, J, D, S = len(p.item_ids), len(p.point_ids), len(p.depot_ids), len(p.source_ids)
    windows = {}  # depot -> list of patterns, each a list of phases (start, end)
    for d in range(D):
        rs = sorted(
            {float(p.ready_h[s]) for s in range(S) if p.source_depot[s] == d and p.stock[s].sum() > 0}
        )
        if len(rs) <= 4:
            subsets = [[r for i, r in enumerate(rs) if mask & (1 << i)] for mask in range(1, 2 ** len(rs))]
        else:
            subsets = [[r] for r in rs] + [rs]
        windows[d] = [
            [(sub[i], sub[i + 1] if i + 1 < len(sub) else math.inf) for i in range(len(sub))]
            for sub in subsets
        ]
    kidx = {k: i for i, k in enumerate(p.item_ids)}
    subs = [(kidx[s.item], kidx[s.substitute], s.ratio) for s in p.substitutions]
    wanted = np.zeros((J, K), dtype=bool)
    for j in range(J):
        for k in range(K):
            wanted[j, k] = p.demand[j, k] > 0 or any(k2 == k and p.demand[j, k1] > 0 for k1, k2, _ in subs)
    share = np.zeros((J, K))  # ω_k / (Ω_j d_jk)
    for j in range(J):
        om = sum(p.item_weight[k] for k in range(K) if p.demand[j, k] > 0)
        for k in range(K):
            if p.demand[j, k] > 0 and om > 0:
                share[j, k] = p.item_weight[k] / (om * p.demand[j, k])
    counted = [j for j in range(J) if share[j].sum() > 0]
    total_w = sum(p.priority[j] * p.persons[j] for j in counted)
    return windows, subs, wanted, share, counted, total_w


def _solve_stages(p, B, cover_terms, inflow, stock_use, ph_x, tk_x, cost, objective, tol):
    K, J = len(p.item_ids), len(p.point_ids)
    _windows, subs, _wanted, share, counted, total_w = _common(p)
    y = {}
    for j in range(J):
        for k in range(K):
            if p.demand[j, k] > 0:
                y[(j, k)] = B.var(0.0, float(p.demand[j, k]))
    u = {}
    for q, (k1, _k2, _r) in enumerate(subs):
        for j in range(J):
            if p.demand[j, k1] > 0:
                u[(j, q)] = B.var()
    for j in range(J):
        for k in range(K):
            row = dict(inflow.get((j, k), {}))
            if (j, k) in y:
                row[y[(j, k)]] = -1.0
            for q, (_k1, k2, _r) in enumerate(subs):
                if k2 == k and (j, q) in u:
                    row[u[(j, q)]] = -1.0
            if row:
                B.con(row, 0.0, 0.0)
            if any(k1 == k for k1, _, _ in subs) and (j, k) in y:
                row = {y[(j, k)]: 1.0}
                for q, (k1, _k2, r) in enumerate(subs):
                    if k1 == k:
                        row[u[(j, q)]] = 1.0 / r
                B.con(row, -math.inf, float(p.demand[j, k]))
    for (s, k), row in stock_use.items():
        B.con(row, -math.inf, float(p.stock[s, k]))

    def coverage(j, k):  # {var: coef} of C_jk
        out = {}
        if (j, k) in y:
            out[y[(j, k)]] = 1.0
        for q, (k1, _k2, r) in enumerate(subs):
            if k1 == k and (j, q) in u:
                out[u[(j, q)]] = 1.0 / r
        return out

    z = B.var()
    for j in counted:
        row = {z: 1.0}
        for k in range(K):
            for var, c in coverage(j, k).items():
                row[var] = row.get(var, 0.0) + share[j, k] * c
        B.con(row, 1.0, math.inf)
    n = len(B.lb)
    a_vec = np.zeros(n)
    ph_vec = np.zeros(n)
    tk_vec = np.zeros(n)
    ph_const = 0.0
    for j in counted:
        ph_const += p.persons[j] * p.deadline_h[j]
        for k in range(K):
            for var, c in coverage(j, k).items():
                a_vec[var] += p.priority[j] * p.persons[j] * share[j, k] * c / total_w
                ph_vec[var] -= p.persons[j] * p.deadline_h[j] * share[j, k] * c
    for var, c in ph_x.items():
        ph_vec[var] += c
    for var, c in tk_x.items():
        tk_vec[var] += c
    b_vec = np.zeros(n)
    b_vec[z] = 1.0
    c_vec, c_const = (ph_vec, ph_const) if cost == "person_hours" else (tk_vec, 0.0)
    stages = {}
    fixes = []  # (vector, optimum, sense)

    def run(obj):
        # like the library: widen the fixing slack tenfold (<= 3 times) if HiGHS
        # finds the fixed model infeasible through its tolerances
        for widen in (1.0, 10.0, 100.0, 1000.0):
            extra = [
                (1e4 * v, 1e4 * (o - tol * widen), math.inf)
                if sense > 0
                else (1e4 * v, -math.inf, 1e4 * (o + tol * widen))
                for v, o, sense in fixes
            ]
            try:
                return B.solve(obj, extra)
            except AssertionError:
                if widen == 1000.0:
                    raise
        raise AssertionError("unreachable")

    # HiGHS stops MIPs at an absolute gap of 1e-6 (not settable through scipy):
    # the share objectives are scaled so that this gap is 1e-10 of a share
    if objective in ("lexicographic", "delivered"):
        x = run(-1e4 * a_vec)
        stages["delivered"] = float(a_vec @ x)
        fixes.append((a_vec, stages["delivered"], +1))
    if objective in ("lexicographic", "equity"):
        x = run(1e4 * b_vec)
        stages["equity"] = float(x[z])
        fixes.append((b_vec, stages["equity"], -1))
    if objective in ("lexicographic", "cost"):
        x = run(c_vec)
        stages[cost] = float(c_vec @ x) + c_const
    return stages


def _cargo(p, B, j, d, R, srcs, wanted, share, inflow, stock_use, ph_x, tk_x):
    """Cargo variables of one trip slot / lane; returns (weight row, volume row)."""
    K = len(p.item_ids)
    wrow, vrow = {}, {}
    tau = float(p.travel_time_h[d, j])
    t_nom = R + p.load_h + tau + p.unload_h
    for s in srcs:
        for k in range(K):
            if p.stock[s, k] > 0 and wanted[j, k]:
                xv = B.var()
                wrow[xv] = float(p.weight_kg[k])
                vrow[xv] = float(p.volume_m3[k])
                inflow[(j, k)][xv] = 1.0
                stock_use[(s, k)][xv] = 1.0
                ph_x[xv] = share[j, k] * p.persons[j] * t_nom if share[j].sum() > 0 else 0.0
                tk_x[xv] = p.weight_kg[k] * float(p.distance_km[d, j]) / 1000.0
    return wrow, vrow


def _feasible_points(p, d, R, E):
    lam, mu = p.load_h, p.unload_h
    out = []
    for j in range(len(p.point_ids)):
        tau = p.travel_time_h[d, j]
        if not np.isfinite(tau):
            continue
        c = lam + 2 * tau + mu
        if R + lam + tau + mu <= p.deadline_h[j] + EPS and R + c <= E + EPS:
            out.append(j)
    return out


def _slots(p, B, g, d, R, E, chosen, wanted, share, inflow, stock_use, ph_x, tk_x, big_m):
    """Trip slots of one truck in one phase [R, E); ``chosen`` = pattern binary or None."""
    lam, mu = p.load_h, p.unload_h
    pts = _feasible_points(p, d, R, E)
    if not pts:
        return
    cyc = {j: lam + 2 * float(p.travel_time_h[d, j]) + mu for j in pts}
    horizon = min(E, max(p.deadline_h[j] + p.travel_time_h[d, j] for j in pts))
    n_slots = math.floor((horizon - R) / min(cyc.values()) + 1e-9)
    srcs = [
        s
        for s in range(len(p.source_ids))
        if p.source_depot[s] == d and p.stock[s].sum() > 0 and p.ready_h[s] <= R
    ]
    prev = None
    for _slot in range(n_slots):
        start = B.var(R, big_m)
        zs = {j: B.var(0.0, 1.0, integer=True) for j in pts}
        row = {zs[j]: 1.0 for j in pts}
        if chosen is not None:
            row[chosen] = -1.0
        B.con(row, -math.inf, 0.0 if chosen is not None else 1.0)
        if prev is not None:
            p_start, p_z = prev
            row = {start: 1.0, p_start: -1.0}
            for j in pts:
                row[p_z[j]] = -cyc[j]
            B.con(row, 0.0, math.inf)
            row = {zs[j]: 1.0 for j in pts}
            for j in pts:
                row[p_z[j]] = -1.0
            B.con(row, -math.inf, 0.0)
        for j in pts:
            tau = float(p.travel_time_h[d, j])
            B.con(
                {start: 1.0, zs[j]: big_m},
                -math.inf,
                p.deadline_h[j] - lam - tau - mu + big_m + EPS,
            )
            if math.isfinite(E):
                B.con({start: 1.0, zs[j]: big_m}, -math.inf, E - cyc[j] + big_m + EPS)
            wrow, vrow = _cargo(p, B, j, d, R, srcs, wanted, share, inflow, stock_use, ph_x, tk_x)
            wrow[zs[j]] = -float(p.capacity_kg[g])
            vrow[zs[j]] = -float(p.capacity_m3[g])
            B.con(wrow, -math.inf, 0.0)
            B.con(vrow, -math.inf, 0.0)
        prev = (start, zs)


def slot_mip(p, *, cost="person_hours", objective="lexicographic", tol=1e-9):
    """Sequencing MIP: per truck a pattern choice, then trip slots per phase."""
    windows, _subs, wanted, share, _counted, _total_w = _common(p)
    B = _LP()
    inflow, stock_use = defaultdict(dict), defaultdict(dict)
    ph_x, tk_x = {}, {}
    big_m = 10.0 * (
        float(np.max(p.deadline_h))
        + float(np.nanmax(np.where(np.isfinite(p.travel_time_h), p.travel_time_h, 0)))
        + 10.0
        + float(np.max(p.ready_h, initial=0))
    )
    for g in range(len(p.fleet_ids)):
        d = int(p.fleet_depot[g])
        for _t in range(int(p.fleet_count[g])):
            pats = windows[d]
            choose = [B.var(0.0, 1.0, integer=True) for _ in pats] if len(pats) > 1 else None
            if choose:
                B.con(dict.fromkeys(choose, 1.0), -math.inf, 1.0)
            for pi, phases in enumerate(pats):
                for R, E in phases:
                    chosen = choose[pi] if choose else None
                    _slots(
                        p,
                        B,
                        g,
                        d,
                        R,
                        E,
                        chosen,
                        wanted,
                        share,
                        inflow,
                        stock_use,
                        ph_x,
                        tk_x,
                        big_m,
                    )
    return _solve_stages(p, B, None, inflow, stock_use, ph_x, tk_x, cost, objective, tol)


def _pooled_phase(p, B, g, d, R, E, N, n_var, wanted, share, inflow, stock_use, ph_x, tk_x):
    """Lanes of one fleet group in one phase; ``n_var`` = trucks on the pattern or None."""
    lam, mu = p.load_h, p.unload_h
    pts = _feasible_points(p, d, R, E)
    srcs = [
        s
        for s in range(len(p.source_ids))
        if p.source_depot[s] == d and p.stock[s].sum() > 0 and p.ready_h[s] <= R
    ]
    trips, due, cyc = {}, {}, {}
    for j in pts:
        tau = float(p.travel_time_h[d, j])
        cyc[j] = lam + 2 * tau + mu
        due[j] = min(p.deadline_h[j] + tau, E)
        trips[j] = B.var()
        wrow, vrow = _cargo(p, B, j, d, R, srcs, wanted, share, inflow, stock_use, ph_x, tk_x)
        wrow[trips[j]] = -float(p.capacity_kg[g])
        vrow[trips[j]] = -float(p.capacity_m3[g])
        B.con(wrow, -math.inf, 0.0)
        B.con(vrow, -math.inf, 0.0)
    for e in sorted(set(due.values())):
        row = {trips[j]: cyc[j] for j in pts if due[j] <= e}
        if n_var is None:
            B.con(row, -math.inf, N * (e - R) + EPS)
        else:
            row[n_var] = -(e - R)
            B.con(row, -math.inf, EPS)


def pooled_lp(p, *, cost="person_hours", objective="lexicographic", tol=1e-9):
    """LP with pooled fractional trips and dense earliest-due-date sums."""
    windows, _subs, wanted, share, _counted, _total_w = _common(p)
    B = _LP()
    inflow, stock_use = defaultdict(dict), defaultdict(dict)
    ph_x, tk_x = {}, {}
    for g in range(len(p.fleet_ids)):
        d = int(p.fleet_depot[g])
        N = int(p.fleet_count[g])
        if N == 0:
            continue
        pats = windows[d]
        trucks = [B.var(0.0, N) for _ in pats] if len(pats) > 1 else None
        if trucks:
            B.con(dict.fromkeys(trucks, 1.0), -math.inf, N)
        for pi, phases in enumerate(pats):
            for R, E in phases:
                n_var = trucks[pi] if trucks else None
                _pooled_phase(p, B, g, d, R, E, N, n_var, wanted, share, inflow, stock_use, ph_x, tk_x)
    return _solve_stages(p, B, None, inflow, stock_use, ph_x, tk_x, cost, objective, tol)
