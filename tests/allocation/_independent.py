"""Independent formulations of the allocation model, solved with scipy's HiGHS.

Written from the formulation in the docs, not from logistics.allocation._model:

* ``slot_mip`` — every truck has a sequence of trip *slots* per window with
  explicit start times and big-M deadline constraints (a sequencing model);
* ``pooled_lp`` — trips of a fleet group pooled, with the earliest-due-date
  time constraints written as explicit dense sums (no auxiliary variables).

Both return the optimum of each stage of an objective mode, written from the
docs as well: ``"lexicographic"`` (a) → (b) over the servable points → (c);
``"delivered"`` (a); ``"cost"`` (a) → (c); ``"equity"`` leximin → (a) → (c),
where leximin is computed by *ordered outcomes* (lexicographically maximise
the sum of the m smallest shares, m = 1, 2, …), a different method from the
library's rounds of fixing blocked points.
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


def servable(p):
    """Points some source can serve at all (from the docs, in closed form).

    A point is servable when, for some item it needs, a source holding the
    item or an allowed substitute sits at a depot with a truck and one trip
    loaded at the source's ready time unloads at the point by its deadline.
    """
    K, J = len(p.item_ids), len(p.point_ids)
    kidx = {k: i for i, k in enumerate(p.item_ids)}
    out = []
    for j in range(J):
        ok = False
        for k in range(K):
            if p.demand[j, k] <= 0:
                continue
            alts = [k] + [kidx[s.substitute] for s in p.substitutions if kidx[s.item] == k]
            for s in range(len(p.source_ids)):
                d = int(p.source_depot[s])
                trucks = sum(int(c) for g, c in enumerate(p.fleet_count) if p.fleet_depot[g] == d)
                tau = p.travel_time_h[d, j]
                if (
                    any(p.stock[s, a] > 0 for a in alts)
                    and trucks > 0
                    and np.isfinite(tau)
                    and p.ready_h[s] + p.load_h + tau + p.unload_h <= p.deadline_h[j] + EPS
                ):
                    ok = True
        out.append(ok)
    return out


def sorted_shares(p, covered):
    """Sorted met shares ``Σ_k ω_k C_jk / (Ω_j d_jk)`` of the servable points with demand."""
    _windows, _subs, _wanted, share, counted, _total_w = _common(p)
    ok = servable(p)
    return sorted(float(share[j] @ covered[j]) for j in counted if ok[j])


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


def _coverage_vars(p, B, inflow, stock_use, subs):
    """Own-use and substitute variables, balance, coverage and stock rows; returns C_jk as {var: coef}."""
    K, J = len(p.item_ids), len(p.point_ids)
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

    def coverage(j, k):
        out = {}
        if (j, k) in y:
            out[y[(j, k)]] = 1.0
        for q, (k1, _k2, r) in enumerate(subs):
            if k1 == k and (j, q) in u:
                out[u[(j, q)]] = 1.0 / r
        return out

    return coverage


def _ordered_outcomes(B, met, rated):
    """Variables for leximin by ordered outcomes (Ogryczak): θ_m = sum of the m smallest shares.

    For m = 1..n: r_m free, d_mj ≥ 0, d_mj ≥ r_m − share_j; then
    ``max m·r_m − Σ_j d_mj`` is the sum of the m smallest shares. Returns
    one ``{var: coef}`` per m.
    """
    n = len(rated)
    thetas = []
    for m in range(1, n + 1):
        r = B.var(-math.inf, math.inf)
        theta = {r: float(m)}
        for j in rated:
            d = B.var()
            row = {d: 1.0, r: -1.0}
            for var, c in met[j].items():
                row[var] = row.get(var, 0.0) + c
            B.con(row, 0.0, math.inf)
            theta[d] = -1.0
        thetas.append(theta)
    return thetas


def _solve_stages(p, B, inflow, stock_use, ph_x, tk_x, *, cost, objective, tol, min_share=1.0):
    """Stages of each objective mode (from the docs); equity is leximin by ordered outcomes.

    Returns ``{stage: optimum}``; for ``objective="equity"`` also
    ``"leximin"``: the sorted leximin share vector of the servable points.
    """
    K = len(p.item_ids)
    _windows, subs, _wanted, share, counted, total_w = _common(p)
    coverage = _coverage_vars(p, B, inflow, stock_use, subs)
    ok = servable(p)
    rated = [j for j in counted if ok[j]]
    met = {}  # point -> {var: coef} of its met share
    for j in counted:
        met[j] = {}
        for k in range(K):
            for var, c in coverage(j, k).items():
                met[j][var] = met[j].get(var, 0.0) + share[j, k] * c
    z = B.var()
    for j in rated:
        B.con({z: 1.0, **met[j]}, 1.0, math.inf)
    thetas = _ordered_outcomes(B, met, rated) if objective == "equity" else []
    n = len(B.lb)

    def vec(terms):
        out = np.zeros(n)
        for var, c in terms.items():
            out[var] += c
        return out

    a_vec = np.zeros(n)
    ph_vec = np.zeros(n)
    ph_const = 0.0
    for j in counted:
        ph_const += p.persons[j] * p.deadline_h[j]
        a_vec += p.priority[j] * p.persons[j] * vec(met[j]) / total_w
        ph_vec -= p.persons[j] * p.deadline_h[j] * vec(met[j])
    ph_vec += vec(ph_x)
    tk_vec = vec(tk_x)
    b_vec = vec({z: 1.0})
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
    sums = []
    for theta in thetas:
        t_vec = vec(theta)
        x = run(-1e4 * t_vec)
        sums.append(float(t_vec @ x))
        fixes.append((t_vec, sums[-1], +1))
    if objective == "equity":
        stages["leximin"] = list(np.diff([0.0, *sums]))
    x = run(-1e4 * a_vec)
    stages["delivered"] = float(a_vec @ x)
    if objective == "delivered":
        return stages
    fixes.append((a_vec, min_share * stages["delivered"], +1))
    if objective == "lexicographic":
        x = run(1e4 * b_vec)
        stages["equity"] = float(x[z])
        fixes.append((b_vec, stages["equity"], -1))
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


def slot_mip(p, *, cost="person_hours", objective="lexicographic", tol=1e-9, min_share=1.0):
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
    return _solve_stages(
        p, B, inflow, stock_use, ph_x, tk_x, cost=cost, objective=objective, tol=tol, min_share=min_share
    )


def _pooled_phase(p, B, g, d, R, E, N, n_var, wanted, share, inflow, stock_use, ph_x, tk_x, receiving=()):
    """Lanes of one fleet group in one phase; ``n_var`` = trucks on the pattern or None.

    ``receiving``: points that take no goods from sources of kind ``transfer`` (hub waves).
    """
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
        from_here = [s for s in srcs if not (j in receiving and p.source_kind[s] == "transfer")]
        wrow, vrow = _cargo(p, B, j, d, R, from_here, wanted, share, inflow, stock_use, ph_x, tk_x)
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


def pooled_lp(p, *, cost="person_hours", objective="lexicographic", tol=1e-9, min_share=1.0, hub_rows=None):
    """LP with pooled fractional trips and dense earliest-due-date sums.

    ``hub_rows`` (see :mod:`tests.allocation._independent_hubs`): ``(receiving points, wanted
    there, function adding the hub rows)``.
    """
    windows, _subs, wanted, share, _counted, _total_w = _common(p)
    receiving = ()
    if hub_rows is not None:
        receiving, want_there, add_rows = hub_rows
        for j in receiving:
            wanted[j] = want_there
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
                _pooled_phase(
                    p, B, g, d, R, E, N, n_var, wanted, share, inflow, stock_use, ph_x, tk_x, receiving
                )
    if hub_rows is not None:
        add_rows(B, inflow, stock_use)
    return _solve_stages(
        p, B, inflow, stock_use, ph_x, tk_x, cost=cost, objective=objective, tol=tol, min_share=min_share
    )
