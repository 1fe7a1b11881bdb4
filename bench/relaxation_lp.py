"""How good can the certified bound get? The relaxation R solved as one LP, its prices priced in full.

The certified mode's bound (``certified_bound``) is valid for *any* truck and stock prices; its
quality is the quality of the prices. The Dantzig–Wolfe master finds poor ones on large
instances (bench/README.md, "Certified mode through hubs"). This script measures what better
prices would give: it solves R (stock, coverage and aggregated truck rows, no hubs) as one LP
with scipy's HiGHS — on every point, or on a random sample of the points with their demand
scaled up — takes the LP's row duals as prices and prices every admissible arc of the *full*
instance with them. The printed bound is therefore valid for the full instance whatever the
sample; the sample only decides how good it is.

Run from the repository root::

    python bench/relaxation_lp.py 30x150x5                 # every point (exact R optimum)
    python bench/relaxation_lp.py 50x1250x30 --sample 0.1  # a tenth of the points
    python bench/relaxation_lp.py 50x1250x30 --nearest 6   # 6 sources per point: a lower bound on R
    python bench/relaxation_lp.py 50x1250x30 --pdlp 1e-3   # every point, OR-Tools PDLP
    python bench/relaxation_lp.py 50x1250x30 --aggregate 250  # 250 clusters: a relaxation of R
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import time
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from _args import positive_float, positive_int, share, size_text  # bench/'s own module
from hebei import hebei_instance  # bench/ is the script's folder: its sibling module
from scipy.optimize import linprog

from logistics.allocation._lagrange import _arcs, solve_items
from logistics.allocation._model import unit_values
from logistics.allocation._relaxed import (
    GRID,
    Data,
    TruckRows,
    certified_bound,
    eligible,
    kinds,
    prepare,
    truck_rows,
)

if TYPE_CHECKING:
    from logistics.allocation.problem import AllocationProblem


def relaxation_lp(
    p: AllocationProblem,
    data: Data,
    rows: TruckRows,
    *,
    sample: float | None,
    seed: int,
    pdlp_eps: float | None = None,
    nearest: int | None = None,
    demand: np.ndarray | None = None,
    members: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, int, float]:
    """Solve R as one LP (on a point sample); return (value, π, μ_kg, μ_m3, arcs, seconds).

    With ``pdlp_eps`` the LP is solved by OR-Tools' PDLP (first-order, two threads) to that
    relative and absolute tolerance instead of HiGHS interior point, and the worst violation of
    its primal solution is printed.
    With ``nearest`` every point keeps only its ``nearest`` fastest sources per item (on all
    points): the LP is then a restriction of R, and its optimum (HiGHS, with crossover) a
    *lower* bound on R's optimum, where its prices still give a valid upper bound.

    Truck rows are written with bucket variables ``z[c, b]`` (load of class ``c`` due in
    bucket ``b``, in hours of the depot's whole fleet) so that an arc has two truck
    coefficients; row ``(c, b)`` sums ``z`` over its depot's classes ranked at or after ``c``
    and buckets up to ``b``.

    ``data`` and ``demand`` may describe aggregated points (:func:`aggregate`): ``data``'s
    per-point arrays and ``demand`` then have one column/row per cluster, and ``members``
    (each point's cluster, the points' values per unit and demand, ``[J]``, ``[J, K]``,
    ``[J, K]``) keeps the points' own coverage: a cluster's coverage row becomes a balance
    row (what the points cover ≤ what arrives) and each point's coverage a variable bounded
    by its demand, valued at its own value.
    """
    demand = p.demand if demand is None else demand
    J, S, K = len(demand), p.num_sources, p.num_items
    keep = np.ones(J, dtype=bool) if sample is None else np.random.default_rng(seed).random(J) < sample
    grow = 1.0 if sample is None else 1.0 / sample
    parts = []
    for k, kc, _q, per in kinds(p, data):
        ok = eligible(p, data, k, kc, demand=demand) & keep[None, :]
        if ok.any():
            price = data.cycle * p.weight_kg[k]
            # each point's 12 nearest when many; with ``nearest``, that many always
            s, j = _arcs(ok, price) if nearest is None else _arcs(ok, price, nearest, 0)
            parts.append((s, j, np.full(len(s), k), np.full(len(s), kc), np.full(len(s), per)))
    s, j, k, kc, per = (np.concatenate([a[i] for a in parts]) for i in range(5))
    n, nb, R = len(s), len(data.cls_depot) * GRID, len(rows.keys)
    nz = n + 2 * nb
    if members is not None:
        label, m_value, m_demand = members
        mj, mk = np.nonzero(m_demand > 0)
        ny = len(mj)
        nz += ny
    arc = np.arange(n)
    depot_of = data.cls_depot[data.cls[s]]
    rd = data.cls_depot[rows.keys[:, 0]]
    ri, ci = [], []
    for r, (c, b) in enumerate(rows.keys):
        same = np.flatnonzero((data.cls_depot == data.cls_depot[c]) & (data.cls_rank >= data.cls_rank[c]))
        for c2 in same:
            ri += [r] * (b + 1)
            ci += list(c2 * GRID + np.arange(b + 1))
    ri_a, ci_a = np.array(ri), np.array(ci)
    a_ub = sp.vstack([
        sp.csr_matrix((np.ones(n), (s * K + k, arc)), shape=(S * K, nz)),  # stock
        _coverage(j * K + kc, per, J * K, nz, n + 2 * nb, None if members is None else label[mj] * K + mk),
        sp.csr_matrix((np.ones(len(ri_a)), (ri_a, n + ci_a)), shape=(R, nz)),  # truck kg·h
        sp.csr_matrix((np.ones(len(ri_a)), (ri_a, n + nb + ci_a)), shape=(R, nz)),  # truck m³·h
    ]).tocsr()  # fmt: skip
    cover_rhs = (demand * (grow * keep)[:, None]).ravel() if members is None else np.zeros(J * K)
    b_ub = np.concatenate([
        p.stock.ravel(), cover_rhs,
        rows.cap_kg / data.kg_h[rd], rows.cap_m3 / data.m3_h[rd],
    ])  # fmt: skip
    bucket = data.bucket[s, j]
    cyc = data.cycle[s, j]
    eq = []
    for coef in (cyc * p.weight_kg[k] / data.kg_h[depot_of], cyc * p.volume_m3[k] / data.m3_h[depot_of]):
        off = n if not eq else n + nb
        eq.append(sp.csr_matrix(
            (np.concatenate([coef, -np.ones(nb)]),
             (np.concatenate([bucket, np.arange(nb)]), np.concatenate([arc, off + np.arange(nb)]))),
            shape=(nb, nz),
        ))  # fmt: skip
    if members is None:
        cost = np.concatenate([-data.value[j, kc] * per, np.zeros(2 * nb)])
        bounds: tuple | np.ndarray = (0, None)
    else:  # the points' coverage carries the value, the arcs none
        cost = np.concatenate([np.zeros(n + 2 * nb), -m_value[mj, mk]])
        bounds = np.column_stack(
            [np.zeros(nz), np.concatenate([np.full(n + 2 * nb, np.inf), m_demand[mj, mk]])]
        )
    a_eq = sp.vstack(eq).tocsr()
    t = time.perf_counter()
    if pdlp_eps is None:
        res = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=np.zeros(2 * nb), bounds=bounds,
                      method="highs-ipm")  # fmt: skip
        if res.status != 0:
            raise SystemExit(f"R LP: {res.message}")
        y, fun = -res.ineqlin.marginals, res.fun  # minimisation: a binding ≤ row has a marginal ≤ 0
    else:
        y, fun = _pdlp(cost, a_ub, b_ub, a_eq, pdlp_eps, S * K, J * K)
    took = time.perf_counter() - t
    pi = y[: S * K].reshape(S, K)
    mu_kg = y[S * K + J * K : S * K + J * K + R] / data.kg_h[rd]
    mu_m3 = y[S * K + J * K + R :] / data.m3_h[rd]
    return -fun / data.scale, pi, mu_kg, mu_m3, n, took


def _coverage(
    row: np.ndarray, per: np.ndarray, m: int, nz: int, first_y: int, y_row: np.ndarray | None
) -> sp.csr_matrix:
    """Coverage rows (``per`` × arc ≤ demand), or with ``y_row`` balance rows (Σ y − per × arc ≤ 0)."""
    arc = np.arange(len(row))
    if y_row is None:
        return sp.csr_matrix((per, (row, arc)), shape=(m, nz))
    ny = len(y_row)
    return sp.csr_matrix(
        (np.concatenate([-per, np.ones(ny)]), (np.concatenate([row, y_row]), np.concatenate([arc, first_y + np.arange(ny)]))),
        shape=(m, nz),
    )  # fmt: skip


def aggregate(
    p: AllocationProblem, data: Data, n: int, seed: int, *, mean: bool = False
) -> tuple[Data, np.ndarray, np.ndarray]:
    """Merge the points into ``n`` clusters so that R on the clusters is a *relaxation* of R.

    Clusters are k-means clusters of the points' travel-time profiles (hours to every depot,
    unreachable as twice the longest time) and deadlines. A cluster gets, per source, the
    fastest cycle and the latest due-time bucket of its members that the source can serve
    (it is eligible where any member is) and the members' summed demand; in
    :func:`relaxation_lp` (``members``) each point keeps its own coverage and value. Every
    solution of R maps onto the clusters (sum each source's cargo over the members) with the
    same value and no more truck time in any row, so the clusters' optimum is at least R's;
    and a dual solution of the clusters' LP, priced on every arc of the full instance by
    ``certified_bound``, gives each member arc a reduced profit no larger than its cluster's,
    so the bound is at most the clusters' optimum. With ``mean`` a cluster gets its members'
    mean cycle and bucket instead: an approximation of R, not a relaxation. The clusters carry
    no value of their own (``value`` is 0): the points keep theirs. Returns (the clusters'
    ``Data``, their demand ``[n, K]``, each point's cluster ``[J]``).
    """
    from scipy.cluster.vq import kmeans2  # only with --aggregate

    tt = p.travel_time_h.T.copy()  # [J, D]
    top = float(np.nanmax(tt)) if np.isfinite(tt).any() else 1.0
    feat = np.column_stack([np.where(np.isfinite(tt), tt, 2 * top), p.deadline_h])
    _centres, label = kmeans2(feat, n, seed=seed, minit="++")
    used = np.unique(label)
    label = np.searchsorted(used, label)  # drop empty clusters
    n = len(used)
    S, K = p.num_sources, p.num_items
    ok = np.zeros((S, n), dtype=bool)
    cycle = np.full((S, n), np.inf)
    bucket = np.full((S, n), -1, dtype=np.int64)
    value = np.zeros((n, K))
    demand = np.zeros((n, K))
    np.add.at(demand, label, p.demand)
    for c in range(n):
        m = label == c
        okm = data.ok[:, m]
        ok[:, c] = okm.any(axis=1)
        if mean:
            cnt = np.maximum(okm.sum(axis=1), 1)
            cycle[:, c] = np.where(okm, data.cycle[:, m], 0.0).sum(axis=1) / cnt
            bucket[:, c] = np.where(okm, data.bucket[:, m], 0).sum(axis=1) // cnt
            bucket[:, c] = np.where(ok[:, c], bucket[:, c], -1)
        else:
            cycle[:, c] = np.where(okm, data.cycle[:, m], np.inf).min(axis=1)
            bucket[:, c] = np.where(okm, data.bucket[:, m], -1).max(axis=1)
    cycle = np.where(ok, cycle, 0.0)
    return dataclasses.replace(data, ok=ok, cycle=cycle, bucket=bucket, value=value), demand, label


def _pdlp(
    cost: np.ndarray,
    a_ub: sp.csr_matrix,
    b_ub: np.ndarray,
    a_eq: sp.csr_matrix,
    eps: float,
    n_stock: int,
    n_cover: int,
) -> tuple[np.ndarray, float]:
    """min cost·x, A_ub x ≤ b_ub, A_eq x = 0, x ≥ 0 with PDLP; return (row duals of A_ub ≥ 0, value)."""
    from ortools.linear_solver.python import model_builder_helper as mbh  # PDLP only when asked

    a = sp.vstack([a_ub, a_eq]).tocsr()
    m, n = a_ub.shape[0], a.shape[1]
    lo = np.concatenate([np.full(m, -np.inf), np.zeros(a_eq.shape[0])])
    hi = np.concatenate([b_ub, np.zeros(a_eq.shape[0])])
    h = mbh.ModelBuilderHelper()
    h.fill_model_from_sparse_data(np.zeros(n), np.full(n, np.inf), cost, lo, hi, a)
    s = mbh.ModelSolverHelper("pdlp")
    s.set_solver_specific_parameters(
        "num_threads: 2\ntermination_criteria { simple_optimality_criteria { "
        f"eps_optimal_relative: {eps} eps_optimal_absolute: {eps} }} }}"
    )
    s.solve(h)
    if s.status() != mbh.SolveStatus.OPTIMAL:
        raise SystemExit(f"R LP (PDLP): {s.status().name}")
    x = np.maximum(np.asarray(s.variable_values()), 0.0)
    ax = a @ x
    viol = (ax[:m] - b_ub) / np.maximum(b_ub, 1e-9)
    for name, part in (("stock", slice(0, n_stock)), ("coverage", slice(n_stock, n_stock + n_cover)),
                       ("truck", slice(n_stock + n_cover, m))):  # fmt: skip
        print(
            f"  PDLP primal, {name} rows: worst violation {100 * max(float(viol[part].max()), 0.0):.1f} % of the row's bound"
        )
    # bucket rows (in hours of the depot's whole fleet): Σ arc loads − bucket variable = 0
    print(f"  PDLP primal, bucket rows: worst imbalance {float(abs(ax[m:]).max()):.3f} fleet-hours")
    y = np.maximum(-np.asarray(s.dual_values())[:m], 0.0)  # minimisation: a binding ≤ row has a dual ≤ 0
    return y, float(s.objective_value())


def _what(args: argparse.Namespace) -> str:
    """What the printed LP value is, for the options given."""
    if args.sample:
        return "the sample, scaled"
    if args.pdlp:
        return "PDLP objective, primal not exact"
    if args.aggregate and args.mean:
        return f"R on {args.aggregate} clusters of points with mean cycles: an approximation of R"
    if args.aggregate:
        return f"R on {args.aggregate} clusters of points: a relaxation of R (with all arcs, an upper bound on R)"
    if args.nearest:
        return f"R restricted to {args.nearest} sources per point and item: a lower bound on R"
    return "R optimum on pruned arcs"


def parser() -> argparse.ArgumentParser:
    """The script's options (their types refuse malformed values: one error, exit 2)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", type=size_text, help="DxJxK of the Hebei instance without hubs, e.g. 50x1250x30")
    ap.add_argument("--sample", type=share, default=None, help="share of points in the LP (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--nearest", type=positive_int, default=None, metavar="N",
                    help="keep only each point's N fastest sources per item: the LP value is then a lower bound on R")  # fmt: skip
    ap.add_argument("--pdlp", type=positive_float, default=None, metavar="EPS",
                    help="solve with OR-Tools PDLP to this tolerance instead of HiGHS interior point")  # fmt: skip
    ap.add_argument("--aggregate", type=positive_int, default=None, metavar="N",
                    help="solve R on N clusters of points (a relaxation of R) and price the full instance with its duals")  # fmt: skip
    ap.add_argument("--mean", action="store_true",
                    help="with --aggregate: clusters get their members' mean cycle and bucket (not a relaxation)")  # fmt: skip
    ap.add_argument(
        "--trucks", type=positive_float, default=1.0, help="truck count factor (0.1: scarce, as --hubs)"
    )
    ap.add_argument("--stock", type=positive_float, default=1.0, help="stock factor (3: ample, as --hubs)")
    return ap


def main() -> None:
    args = parser().parse_args()
    d, jn, kn = (int(x) for x in args.size.split("x"))
    p = hebei_instance(d, jn, kn, hubs=False, trucks=args.trucks, stock=args.stock)
    data = prepare(p, unit_values(p))
    rows = truck_rows(data)
    zero = np.zeros(len(rows.keys))
    print(
        f"{platform.machine()}, {args.size} (trucks × {args.trucks}, stock × {args.stock}), sample {args.sample or 'all points'}, {len(rows.keys)} truck rows"
    )
    print(
        f"bound at zero prices (the no-truck bound): {certified_bound(p, data, rows, zero, zero, np.zeros((p.num_sources, p.num_items))):.6f}"
    )
    lp_data, lp_demand, members = data, None, None
    if args.aggregate:
        t = time.perf_counter()
        lp_data, lp_demand, label = aggregate(p, data, args.aggregate, args.seed, mean=args.mean)
        members = (label, data.value, p.demand)
        print(f"{len(lp_demand)} clusters of points ({time.perf_counter() - t:.1f} s)")
    value, pi, mu_kg, mu_m3, n, took = relaxation_lp(
        p, lp_data, rows, sample=args.sample, seed=args.seed, pdlp_eps=args.pdlp, nearest=args.nearest,
        demand=lp_demand, members=members,
    )  # fmt: skip
    print(f"R LP: {n} arcs, value {value:.6f} ({_what(args)}), "
          f"{took:.1f} s ({'PDLP' if args.pdlp else 'HiGHS interior point'}); binding truck rows: {int((mu_kg > 1e-12).sum())} kg, "
          f"{int((mu_m3 > 1e-12).sum())} m³")  # fmt: skip
    t = time.perf_counter()
    bound = certified_bound(p, data, rows, mu_kg, mu_m3, pi)
    print(
        f"certified bound on the full instance at the LP's prices: {bound:.6f} ({time.perf_counter() - t:.2f} s)"
    )
    print(
        f"  with its truck prices only (stock prices 0): {certified_bound(p, data, rows, mu_kg, mu_m3, 0 * pi):.6f}"
    )
    t = time.perf_counter()
    _flows, pi_full = solve_items(p, data, rows, mu_kg, mu_m3)  # the best stock prices at these truck prices
    print(f"  with its truck prices and the stock prices of the flow problems at them: "
          f"{certified_bound(p, data, rows, mu_kg, mu_m3, pi_full):.6f} ({time.perf_counter() - t:.1f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
