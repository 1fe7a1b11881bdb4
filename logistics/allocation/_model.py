"""Build the allocation LP/MIP as sparse matrices.

The formulation is documented in :mod:`logistics.allocation.problem`. Everything here
is vectorised with numpy/scipy so that a province-sized instance builds in
seconds; :mod:`logistics.allocation._solver` hands the model to OR-Tools through
``ModelBuilderHelper.fill_model_from_sparse_data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._hubs import add_hub_rows
from logistics.allocation._lanes import TIME_EPS_H, servable_points

if TYPE_CHECKING:
    import scipy.sparse as sp

    from logistics.allocation._hubs import Expansion
    from logistics.allocation._lanes import Lanes
    from logistics.allocation.problem import AllocationProblem


class _Matrix:
    """Accumulates variables and constraint rows in COO form."""

    def __init__(self) -> None:
        self.nvar = 0
        self.lb: list[np.ndarray] = []
        self.ub: list[np.ndarray] = []
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.rlb: list[np.ndarray] = []
        self.rub: list[np.ndarray] = []
        self.nrow = 0

    def add_vars(self, n: int, lb: float | np.ndarray = 0.0, ub: float | np.ndarray = np.inf) -> np.ndarray:
        idx = np.arange(self.nvar, self.nvar + n)
        self.lb.append(np.broadcast_to(np.asarray(lb, dtype=float), (n,)))
        self.ub.append(np.broadcast_to(np.asarray(ub, dtype=float), (n,)))
        self.nvar += n
        return idx

    def add_rows(self, n: int, lo: float | np.ndarray, hi: float | np.ndarray) -> np.ndarray:
        idx = np.arange(self.nrow, self.nrow + n)
        self.rlb.append(np.broadcast_to(np.asarray(lo, dtype=float), (n,)))
        self.rub.append(np.broadcast_to(np.asarray(hi, dtype=float), (n,)))
        self.nrow += n
        return idx

    def add_terms(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray | float) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        self.rows.append(rows)
        self.cols.append(np.asarray(cols, dtype=np.int64))
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=float), rows.shape))

    def arrays(self) -> tuple[np.ndarray, ...]:
        import scipy.sparse as sp  # heavy: SciPy, loaded when a model is built

        def cat(parts: list[np.ndarray], dtype: type = float) -> np.ndarray:
            return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

        A = sp.csr_matrix(
            (cat(self.vals), (cat(self.rows, np.int64), cat(self.cols, np.int64))),
            shape=(self.nrow, self.nvar),
        )
        A.sum_duplicates()
        return cat(self.lb), cat(self.ub), cat(self.rlb), cat(self.rub), A


@dataclass(frozen=True)
class Model:
    """The assembled model: bounds, rows, objective vectors and variable maps."""

    lb: np.ndarray
    ub: np.ndarray
    rlb: np.ndarray
    rub: np.ndarray
    A: sp.csr_matrix
    obj_a: np.ndarray  # normalised share covered (maximise)
    obj_b: np.ndarray  # z (minimise)
    obj_ph: np.ndarray  # person-hours, linear part (minimise)
    ph_constant: float
    obj_tk: np.ndarray  # ton-km (minimise)
    integer: np.ndarray  # indices of integer variables
    patterns: tuple[tuple[int, int, int, int], ...]  # (group, truck or -1, pattern, var)
    vx: np.ndarray
    vn: np.ndarray  # [L] pooled trips (LP) or [L, Nmax] per truck (MIP, -1 = none)
    vy: np.ndarray  # [J, K] index or -1
    vu: np.ndarray  # [J, P] index or -1
    vz: int
    # row indices, for pricing columns (column generation)
    row_weight: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # [L]
    row_volume: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # [L]
    stock_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # s*K+k
    stock_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    balance_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # j*K+k
    balance_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: per (group, phase) block: (group, phase, sorted due times, chain row of each due)
    time_rows: tuple[tuple[int, int, np.ndarray, np.ndarray], ...] = ()
    #: [J] points some source can serve at all (structural, see ``servable_points``)
    servable: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: [J] row of the equity constraint (5) of each point, -1 = none (not counted or not servable)
    row_equity: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: [J, nvar] met share of each point as a linear function of the variables
    share_rows: sp.csr_matrix | None = None


def coverage_share(p: AllocationProblem) -> tuple[np.ndarray, np.ndarray]:
    """Share of a point's needs one unit of each item covers, and which points count."""
    omega = np.where(p.demand > 0, p.item_weight[None, :], 0.0)
    Omega = omega.sum(axis=1)
    counted = (Omega > 0) & (p.demand.sum(axis=1) > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(
            counted[:, None] & (p.demand > 0), omega / (Omega[:, None] * p.demand), 0.0
        )  # per unit covered
    return share, counted


def unit_values(p: AllocationProblem) -> np.ndarray:
    """Objective (a) per unit covered, ``[J, K]``: coverage share × persons × priority, normalised."""
    share, counted = coverage_share(p)
    wts = p.priority * p.persons * counted
    norm = wts.sum()
    return share * (wts / norm)[:, None] if norm > 0 else np.zeros_like(share)


def build_model(p: AllocationProblem, ln: Lanes, integer_trips: bool, hubs: Expansion | None = None) -> Model:
    """Assemble variables, constraints (1)–(7) and the objective vectors.

    With ``hubs`` (``p`` is then ``hubs.problem``) the receiving points get no balance rows;
    the hub rows of :func:`~logistics.allocation._hubs.add_hub_rows` tie them to the transfer
    sources.
    """
    m = _Matrix()
    # variables: cargo, trips, coverage (own and substitute), largest unmet share
    vx = m.add_vars(len(ln.x_lane))
    vn, integer = _add_trip_vars(m, p, ln, integer_trips)
    subs = _substitution_indices(p)
    vy, vu = _add_coverage_vars(m, p, subs)
    vz = int(m.add_vars(1)[0])
    # rows, in the order (3)-(4), (1), (2), C <= d, (5), (6), symmetry (MIP)
    row_weight, row_volume = _add_capacity_rows(m, p, ln, vx, vn, integer_trips)
    stock_keys, stock_rows = _add_stock_rows(m, p, ln, vx)
    balance_keys, balance_rows = _add_balance_rows(m, p, ln, vx, vy, vu, subs, hubs)
    if hubs is not None:
        add_hub_rows(m, hubs, ln, vx)
    _add_coverage_rows(m, p, vy, vu, subs)
    share, counted = coverage_share(p)
    obj_a, obj_ph, ph_constant, obj_tk = _objective_vectors(m.nvar, p, ln, vx, vy, vu, subs, share, counted)
    obj_b = np.zeros(m.nvar)
    obj_b[vz] = 1.0
    servable = servable_points(p, ln)
    terms = _share_terms(p, vy, vu, subs, share, counted)
    row_equity = _add_equity_rows(m, p, vz, terms, counted & servable)
    time_rows: list[tuple[int, int, np.ndarray, np.ndarray]] = []
    patterns = _add_time_rows(m, p, ln, vn, integer_trips, time_rows)
    _add_fleet_limit_rows(m, p, ln, vn, integer_trips)
    if integer_trips:
        _add_symmetry_rows(m, p, ln, vn)
        integer = np.concatenate([integer, np.array([v for *_r, v in patterns], dtype=np.int64)])
    lb, ub, rlb, rub, A = m.arrays()
    pad = m.nvar - len(obj_a)
    share_rows = _share_matrix(terms, p.num_points, m.nvar)

    def full(v: np.ndarray) -> np.ndarray:
        return np.concatenate([v, np.zeros(pad)])

    return Model(
        lb=lb,
        ub=ub,
        rlb=rlb,
        rub=rub,
        A=A,
        obj_a=full(obj_a),
        obj_b=full(obj_b),
        obj_ph=full(obj_ph),
        ph_constant=ph_constant,
        obj_tk=full(obj_tk),
        integer=integer,
        patterns=tuple(patterns),
        vx=vx,
        vn=vn,
        vy=vy,
        vu=vu,
        vz=vz,
        row_weight=row_weight,
        row_volume=row_volume,
        stock_keys=stock_keys,
        stock_rows=stock_rows,
        balance_keys=balance_keys,
        balance_rows=balance_rows,
        time_rows=tuple(time_rows),
        servable=servable,
        row_equity=row_equity,
        share_rows=share_rows,
    )


def _add_trip_vars(
    m: _Matrix, p: AllocationProblem, ln: Lanes, integer_trips: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Trip variables ``n_ℓ`` (pooled) or ``n_ℓt`` per truck; returns them and the integer ones."""
    L = len(ln.lane_g)
    if not integer_trips:
        return m.add_vars(L), np.zeros(0, dtype=np.int64)
    counts = p.fleet_count[ln.lane_g] if L else np.zeros(0, dtype=np.int64)
    nmax = int(counts.max()) if L else 0
    vn = np.full((L, nmax), -1, dtype=np.int64)
    for t in range(nmax):
        rows = np.flatnonzero(counts > t)
        vn[rows, t] = m.add_vars(len(rows))
    return vn, vn[vn >= 0]


def _substitution_indices(p: AllocationProblem) -> list[tuple[int, int, float]]:
    """Substitutions as ``(item k1, substitute k2, ratio)`` with item indices."""
    idx = {k: i for i, k in enumerate(p.item_ids)}
    return [(idx[s.item], idx[s.substitute], s.ratio) for s in p.substitutions]


def _add_coverage_vars(
    m: _Matrix, p: AllocationProblem, subs: list[tuple[int, int, float]]
) -> tuple[np.ndarray, np.ndarray]:
    """Own use ``y_jk ≤ d_jk`` and substitute use ``u_jp`` where there is demand (-1 = none)."""
    J, K = p.num_points, p.num_items
    vy = np.full((J, K), -1, dtype=np.int64)
    pos = np.argwhere(p.demand > 0)
    vy[pos[:, 0], pos[:, 1]] = m.add_vars(len(pos), 0.0, p.demand[pos[:, 0], pos[:, 1]])
    vu = np.full((J, len(subs)), -1, dtype=np.int64)
    for q, (k1, _k2, _r) in enumerate(subs):
        js = np.flatnonzero(p.demand[:, k1] > 0)
        vu[js, q] = m.add_vars(len(js))
    return vy, vu


def _add_capacity_rows(
    m: _Matrix, p: AllocationProblem, ln: Lanes, vx: np.ndarray, vn: np.ndarray, integer_trips: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(3)-(4) weight and volume per lane; returns the weight rows and the volume rows."""
    L = len(ln.lane_g)
    w_kg = p.weight_kg[ln.x_item]
    w_m3 = p.volume_m3[ln.x_item]
    cap_kg = p.capacity_kg[ln.lane_g]
    cap_m3 = p.capacity_m3[ln.lane_g]
    cap_rows = []
    for wx, cap in ((w_kg, cap_kg), (w_m3, cap_m3)):
        rows = m.add_rows(L, -np.inf, 0.0)
        cap_rows.append(rows)
        m.add_terms(rows[ln.x_lane], vx, wx)
        if integer_trips:
            li, ti = np.nonzero(vn >= 0)
            m.add_terms(rows[li], vn[li, ti], -cap[li])
        else:
            m.add_terms(rows, vn, -cap)
    return cap_rows[0], cap_rows[1]


def _add_stock_rows(
    m: _Matrix, p: AllocationProblem, ln: Lanes, vx: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(1) stock per (source, item) that is carried; returns the keys ``s*K+k`` and the rows."""
    sk = ln.x_src * p.num_items + ln.x_item
    uniq, inv = np.unique(sk, return_inverse=True)
    rows = m.add_rows(len(uniq), -np.inf, p.stock.ravel()[uniq])
    m.add_terms(rows[inv], vx, 1.0)
    return uniq, rows


def _add_balance_rows(
    m: _Matrix,
    p: AllocationProblem,
    ln: Lanes,
    vx: np.ndarray,
    vy: np.ndarray,
    vu: np.ndarray,
    subs: list[tuple[int, int, float]],
    hubs: Expansion | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(2) balance per (point, item) that can receive something; returns the keys ``j*K+k`` and the rows.

    A hub's receiving points have no balance row (their cargo is in the hub rows).
    """
    K = p.num_items
    xs = np.arange(len(ln.x_lane))
    if hubs is not None:
        xs = xs[ln.lane_j[ln.x_lane] < hubs.base.num_points]
    jk_x = ln.lane_j[ln.x_lane[xs]] * K + ln.x_item[xs]
    jk_all = np.unique(
        np.concatenate(
            [
                jk_x,
                np.flatnonzero((vy >= 0).ravel()),
                *[np.flatnonzero(vu[:, q] >= 0) * K + subs[q][1] for q in range(len(subs))],
            ]
        )
    )
    rows = m.add_rows(len(jk_all), 0.0, 0.0)
    row_of = dict(zip(jk_all.tolist(), rows.tolist(), strict=True))
    m.add_terms(rows[np.searchsorted(jk_all, jk_x)], vx[xs], 1.0)
    ys = np.flatnonzero((vy >= 0).ravel())
    m.add_terms(rows[np.searchsorted(jk_all, ys)], vy.ravel()[ys], -1.0)
    for q, (_k1, k2, _ratio) in enumerate(subs):
        js = np.flatnonzero(vu[:, q] >= 0)
        m.add_terms([row_of[int(j) * K + k2] for j in js], vu[js, q], -1.0)
    return jk_all, rows


def _add_coverage_rows(
    m: _Matrix, p: AllocationProblem, vy: np.ndarray, vu: np.ndarray, subs: list[tuple[int, int, float]]
) -> None:
    """Coverage ``C_jk ≤ d_jk`` of items that substitutes add to (else a bound on ``y``)."""
    for k1 in sorted({s[0] for s in subs}):
        js = np.flatnonzero(p.demand[:, k1] > 0)
        rows = m.add_rows(len(js), -np.inf, p.demand[js, k1])
        m.add_terms(rows, vy[js, k1], 1.0)
        for q, (kk, _k2, ratio) in enumerate(subs):
            if kk == k1:
                m.add_terms(rows, vu[js, q], 1.0 / ratio)


def _objective_vectors(
    nvar: int,
    p: AllocationProblem,
    ln: Lanes,
    vx: np.ndarray,
    vy: np.ndarray,
    vu: np.ndarray,
    subs: list[tuple[int, int, float]],
    share: np.ndarray,
    counted: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """Objectives (a), person-hours (linear part and constant) and ton-km over ``nvar`` variables."""
    K = p.num_items
    wts = p.priority * p.persons * counted
    A_norm = wts.sum()
    cov_a = share * (wts[:, None] / A_norm if A_norm > 0 else 0.0)
    cov_ph = share * (p.persons * p.deadline_h)[:, None]
    obj_a = np.zeros(nvar)
    obj_ph = np.zeros(nvar)
    obj_tk = np.zeros(nvar)
    ys = np.flatnonzero((vy >= 0).ravel())
    for coef, vec in ((cov_a, obj_a), (-cov_ph, obj_ph)):
        vec[vy[ys // K, ys % K]] = coef.ravel()[ys]
        for q, (k1, _k2, ratio) in enumerate(subs):
            js = np.flatnonzero(vu[:, q] >= 0)
            vec[vu[js, q]] = coef[js, k1] / ratio
    xj = ln.lane_j[ln.x_lane]
    obj_ph[vx] += (share * p.persons[:, None])[xj, ln.x_item] * ln.lane_delivery[ln.x_lane]
    ph_constant = float((p.persons * p.deadline_h * counted).sum())
    dist = np.nan_to_num(p.distance_km[ln.lane_d, ln.lane_j])
    obj_tk[vx] = p.weight_kg[ln.x_item] * dist[ln.x_lane] / 1000.0
    return obj_a, obj_ph, ph_constant, obj_tk


def _share_terms(
    p: AllocationProblem,
    vy: np.ndarray,
    vu: np.ndarray,
    subs: list[tuple[int, int, float]],
    share: np.ndarray,
    counted: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Met share of each counted point, ``Σ_k ω_k C_jk / (Ω_j d_jk)``, as (point, variable, coefficient)."""
    K = p.num_items
    ys = np.flatnonzero((vy >= 0).ravel())
    yy = ys[counted[ys // K]]
    pts, cols, vals = [yy // K], [vy.ravel()[yy]], [share.ravel()[yy]]
    for q, (k1, _k2, ratio) in enumerate(subs):
        js = np.flatnonzero((vu[:, q] >= 0) & counted)
        pts.append(js)
        cols.append(vu[js, q])
        vals.append(share[js, k1] / ratio)
    return (
        np.concatenate(pts).astype(np.int64),
        np.concatenate(cols).astype(np.int64),
        np.concatenate(vals).astype(float),
    )


def _share_matrix(terms: tuple[np.ndarray, np.ndarray, np.ndarray], J: int, nvar: int) -> sp.csr_matrix:
    """``[J, nvar]`` matrix whose row ``j`` times the variables is the met share of ``j``."""
    import scipy.sparse as sp  # heavy: SciPy, loaded when a model is built

    pts, cols, vals = terms
    S = sp.csr_matrix((vals, (pts, cols)), shape=(J, nvar))
    S.sum_duplicates()
    return S


def _add_equity_rows(
    m: _Matrix,
    p: AllocationProblem,
    vz: int,
    terms: tuple[np.ndarray, np.ndarray, np.ndarray],
    rated: np.ndarray,
) -> np.ndarray:
    """(5) equity: ``Σ share·C + z ≥ 1`` for the points in the measure; returns the row of each point (-1 = none).

    ``rated`` marks the points in the equity measure: counted and servable.
    """
    js = np.flatnonzero(rated)
    rows = m.add_rows(len(js), 1.0, np.inf)
    row_j = np.full(p.num_points, -1, dtype=np.int64)
    row_j[js] = rows
    pts, cols, vals = terms
    keep = rated[pts]
    m.add_terms(row_j[pts[keep]], cols[keep], vals[keep])
    m.add_terms(rows, np.full(len(rows), vz), 1.0)
    return row_j


def _blocks(ln: Lanes) -> list[np.ndarray]:
    """Lane index arrays of each (group, window) block, in due order."""
    if not len(ln.lane_g):
        return []
    key = ln.lane_g * (len(ln.win_start) + 1) + ln.lane_w
    cut = np.flatnonzero(np.diff(key)) + 1
    return np.split(np.arange(len(key)), cut)


def _add_fleet_limit_rows(
    m: _Matrix, p: AllocationProblem, ln: Lanes, vn: np.ndarray, integer_trips: bool
) -> None:
    """Constraint (7): trips per truck and working hours per truck, where the fleet limits them.

    Pooled (LP): a group's trips add up to at most ``N_g × max_trips`` and their cycle times to
    at most ``N_g × max_duration_h``; per truck (MIP): at most ``max_trips`` and
    ``max_duration_h``. A truck's working time also spans its waits, so this is a relaxation.
    """
    for g in range(p.num_fleets):
        lanes = np.flatnonzero(ln.lane_g == g)
        if not len(lanes):
            continue
        trucks = range(int(p.fleet_count[g])) if integer_trips else [-1]
        size = 1.0 if integer_trips else float(p.fleet_count[g])
        for limit, coef in (
            (p.fleet_max_trips[g], np.ones(len(lanes))),
            (p.fleet_max_duration_h[g], ln.lane_cycle[lanes]),
        ):
            if not np.isfinite(limit):
                continue
            for t in trucks:
                cols = vn[lanes, t] if integer_trips else vn[lanes]
                keep = cols >= 0
                row = m.add_rows(1, -np.inf, float(limit) * size)
                m.add_terms(np.repeat(row, int(keep.sum())), cols[keep], coef[keep])


def _add_time_rows(
    m: _Matrix,
    p: AllocationProblem,
    ln: Lanes,
    vn: np.ndarray,
    integer_trips: bool,
    time_rows: list[tuple[int, int, np.ndarray, np.ndarray]],
) -> list[tuple[int, int, int, int]]:
    """Constraint (6) per (group, phase[, truck]); returns pattern variables.

    A depot with one pattern gives its trucks a constant time budget. With
    several patterns the trucks are split between them: ``N_gπ`` continuous
    trucks (LP) or a binary choice per truck (MIP), and the budget of a phase
    is ``(e - r) × N_gπ``. Returns ``(group, truck or -1, pattern, variable)``.
    """
    pats_of_depot = np.bincount(ln.pattern_depot, minlength=p.num_depots)
    pattern_var: dict[tuple[int, int, int], int] = {}
    out: list[tuple[int, int, int, int]] = []
    for block in _blocks(ln):
        g, w = int(ln.lane_g[block[0]]), int(ln.lane_w[block[0]])
        pat = int(ln.win_pattern[w])
        shared = pats_of_depot[p.fleet_depot[g]] > 1
        dues, pos = np.unique(ln.lane_due[block], return_inverse=True)
        slack = dues - ln.win_start[w]
        trucks = range(int(p.fleet_count[g])) if integer_trips else [-1]
        for t in trucks:
            size = 1.0 if integer_trips else float(p.fleet_count[g])
            if shared:
                key = (g, t, pat)
                if key not in pattern_var:
                    var = int(m.add_vars(1, 0.0, size)[0])
                    pattern_var[key] = var
                    out.append((g, t, pat, var))
                u = m.add_vars(len(dues))
                rows = m.add_rows(len(dues), -np.inf, TIME_EPS_H)
                m.add_terms(rows, u, 1.0)
                m.add_terms(rows, np.full(len(dues), pattern_var[key]), -slack)
            else:
                u = m.add_vars(len(dues), 0.0, slack * size + TIME_EPS_H)
            rows = m.add_rows(len(dues), 0.0, 0.0)
            if not integer_trips:
                time_rows.append((g, w, dues, rows))
            m.add_terms(rows, u, 1.0)
            m.add_terms(rows[1:], u[:-1], -1.0)
            cols = vn[block, t] if integer_trips else vn[block]
            m.add_terms(rows[pos], cols, -ln.lane_cycle[block])
    # trucks split between patterns
    by_truck: dict[tuple[int, int], list[int]] = {}
    for g, t, _pat, var in out:
        by_truck.setdefault((g, t), []).append(var)
    for (g, _t), vars_ in sorted(by_truck.items()):
        row = m.add_rows(1, -np.inf, 1.0 if integer_trips else float(p.fleet_count[g]))
        m.add_terms(np.repeat(row, len(vars_)), np.array(vars_), 1.0)
    return out


def _add_symmetry_rows(m: _Matrix, p: AllocationProblem, ln: Lanes, vn: np.ndarray) -> None:
    """Trucks of a group are identical: order them by total working time."""
    for g in range(p.num_fleets):
        lanes = np.flatnonzero(ln.lane_g == g)
        for t in range(int(p.fleet_count[g]) - 1):
            if not len(lanes):
                break
            row = m.add_rows(1, 0.0, np.inf)
            m.add_terms(np.repeat(row, len(lanes)), vn[lanes, t], ln.lane_cycle[lanes])
            m.add_terms(np.repeat(row, len(lanes)), vn[lanes, t + 1], -ln.lane_cycle[lanes])
