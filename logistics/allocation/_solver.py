"""Solve one stage of the allocation model with OR-Tools, earlier stage optima held (internal).

A stage optimises one objective of :mod:`logistics.allocation.problem` over the
model of :mod:`logistics.allocation._model` plus *fixes*: rows that hold the
optima of earlier stages (objective (a), the largest unmet share (b), or the
leximin levels of single points) within a small slack.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from logistics.exceptions import AllocationSolverError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import scipy.sparse as sp

    from logistics.allocation._model import Model

#: slack widening factors tried when a fixed stage is reported infeasible
WIDEN = (1.0, 10.0, 100.0, 1000.0)


@dataclass(frozen=True)
class Fix:
    """An earlier stage's optimum held in later stages.

    Attributes
    ----------
    kind
        ``"a"``, ``"b"``, ``"person_hours"``, ``"ton_km"`` (objective vector),
        ``"share"`` (the met share of each point in ``points``) or
        ``"ordered"`` (the sum of the ``rank`` smallest met shares of the
        points in the equity measure, see :func:`solve_stage`).
    value
        Value to hold: the objective value (constant included), or for
        ``"share"`` one level per point.
    sense
        +1: ``≥ value − slack``; −1: ``≤ value + slack``.
    slack
        Absolute slack; widened tenfold (at most three times) when the solver
        reports the fixed model infeasible.
    points
        Point indices of a ``"share"`` fix. Their equity rows (5) are switched
        off while it holds, so that ``z`` measures only the other points.
    rank
        ``m`` of an ``"ordered"`` fix.
    """

    kind: str
    value: float | np.ndarray
    sense: int
    slack: float
    points: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    rank: int = 0


def objective_vector(model: Model, kind: str) -> tuple[np.ndarray, float]:
    """Objective vector and constant of ``kind``: ``a``, ``b``, a cost, or ``share:<point>``."""
    if kind == "a":
        return model.obj_a, 0.0
    if kind == "b":
        return model.obj_b, 0.0
    if kind == "person_hours":
        return model.obj_ph, model.ph_constant
    if kind == "ton_km":
        return model.obj_tk, 0.0
    if kind.startswith("share:"):
        assert model.share_rows is not None
        return np.asarray(model.share_rows[int(kind[6:])].toarray()).ravel(), 0.0
    raise ValueError(f"unknown objective {kind!r}")


@dataclass
class _Stage:
    """One stage's LP/MIP: the model, extended by the fix rows and ordered-outcome columns."""

    lb: list[np.ndarray]
    ub: list[np.ndarray]
    obj: list[np.ndarray]
    blocks: list[tuple[sp.csr_matrix, np.ndarray, np.ndarray]]  # rows over the columns so far
    rlb: np.ndarray

    @property
    def ncol(self) -> int:
        return sum(len(x) for x in self.lb)

    def add_cols(self, lb: np.ndarray, ub: np.ndarray, obj: np.ndarray) -> int:
        first = self.ncol
        self.lb.append(lb)
        self.ub.append(ub)
        self.obj.append(obj)
        return first

    def add_rows(self, M: sp.csr_matrix, lo: np.ndarray, hi: np.ndarray) -> None:
        self.blocks.append((M, lo, hi))

    def arrays(self) -> tuple[np.ndarray, ...]:
        import scipy.sparse as sp  # heavy: SciPy, loaded when a model is solved

        n = self.ncol
        if len(self.blocks) == 1 and self.blocks[0][0].shape[1] == n:
            A = self.blocks[0][0]  # the model alone: no copy
        else:
            mats = [
                sp.csr_matrix((M.data, M.indices, M.indptr), shape=(M.shape[0], n)) for M, _, _ in self.blocks
            ]
            A = sp.vstack(mats, format="csr")
        lo = np.concatenate([self.rlb, *[b[1] for b in self.blocks[1:]]])
        hi = np.concatenate([b[2] for b in self.blocks])
        return np.concatenate(self.lb), np.concatenate(self.ub), np.concatenate(self.obj), A, lo, hi


def _scaled(M: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
    """Rows of ``M`` scaled to max |coef| = 1, and the scale of each row."""
    import scipy.sparse as sp  # heavy: SciPy, loaded when a model is solved

    peak = abs(M).max(axis=1).toarray().ravel()
    scale = 1.0 / np.where(peak > 0, peak, 1.0)
    return sp.csr_matrix(sp.diags(scale) @ M), scale


def _ordered_block(st: _Stage, model: Model, m: int, in_obj: bool) -> np.ndarray:
    """Add columns ``r, d_j`` and rows ``d_j ≥ r − s_j`` of rank ``m``; return ``θ_m`` over the columns.

    The points ``j`` are those in the equity measure (rows (5)). ``θ_m = m·r −
    Σ_j d_j`` is at most the sum of the ``m`` smallest shares ``s_j`` and
    equals it at the maximum over ``r`` and ``d``.
    """
    import scipy.sparse as sp  # heavy: SciPy, loaded when a model is solved

    assert model.share_rows is not None
    points = np.flatnonzero(model.row_equity >= 0)
    n = len(points)
    theta = np.concatenate([[float(m)], -np.ones(n)])
    first = st.add_cols(
        np.concatenate([[-np.inf], np.zeros(n)]),
        np.full(n + 1, np.inf),
        theta if in_obj else np.zeros(n + 1),
    )
    ext = sp.hstack(
        [
            model.share_rows[points],
            sp.csr_matrix((n, first - model.share_rows.shape[1])),
            sp.csr_matrix(-np.ones((n, 1))),
            sp.identity(n, format="csr"),
        ],
        format="csr",
    )
    st.add_rows(ext, np.zeros(n), np.full(n, np.inf))
    row = np.zeros(first + n + 1)
    row[first:] = theta
    return row


def _assemble(
    model: Model, kind: str, scale: float, fixes: Sequence[Fix], widen: float
) -> tuple[_Stage, float]:
    """Build the stage's problem: objective ``kind`` / ``scale``, fixes realised with slack × ``widen``."""
    import scipy.sparse as sp  # heavy: SciPy, loaded when a model is solved

    if kind.startswith("ordered:"):
        obj, const = np.zeros(model.A.shape[1]), 0.0
    else:
        obj, const = objective_vector(model, kind)
    st = _Stage([model.lb], [model.ub], [obj / scale], [(model.A, model.rlb, model.rub)], model.rlb)
    for fx in fixes:
        if fx.kind == "share":
            assert model.share_rows is not None
            M = model.share_rows[fx.points]
            off = model.row_equity[fx.points]
            st.rlb = st.rlb.copy() if st.rlb is model.rlb else st.rlb
            st.rlb[off[off >= 0]] = -np.inf
            value = np.asarray(fx.value, dtype=float)
        elif fx.kind == "ordered":
            M = sp.csr_matrix(_ordered_block(st, model, fx.rank, False)[None, :])
            value = np.array([float(fx.value)])
        else:
            vec, c0 = objective_vector(model, fx.kind)
            M = sp.csr_matrix(vec[None, :])
            value = np.array([float(fx.value) - c0])
        M, row_scale = _scaled(M)
        bound = (value - fx.sense * fx.slack * widen) * row_scale
        inf = np.full(len(value), np.inf)
        st.add_rows(M, bound if fx.sense > 0 else -inf, inf if fx.sense > 0 else bound)
    if kind.startswith("ordered:"):
        _ordered_block(st, model, int(kind[8:]), True)
    return st, const


def solve_stage(
    model: Model,
    kind: str,
    maximize: bool,
    fixes: Sequence[Fix],
    solver: str,
    integer: bool,
    seed: int,
    stage: str,
    *,
    scale: float = 1.0,
    duals: bool = False,
    time_limit_s: float | None = None,
) -> tuple[np.ndarray, np.ndarray | None, float, float]:
    """Optimise objective ``kind`` (divided by ``scale``) with the earlier optima ``fixes`` held.

    ``kind`` is one of :func:`objective_vector`'s or ``"ordered:<m>"``: the
    sum of the ``m`` smallest met shares of the points in the equity measure,
    written with auxiliary columns (``m·r − Σ_j d_j``, ``d_j ≥ r − s_j``,
    ``d ≥ 0``; Ogryczak's ordered outcomes), as are ``"ordered"`` fixes. The
    ordered kinds are used with ``scale = 1`` only.

    Returns the values of the model's variables, the row duals (if asked; LP
    only; the model's rows first), the objective value (unscaled, constant
    included) and the slack widening factor used. ``time_limit_s`` (wall clock,
    ``None``: none) is passed to the solver for each solve. The slack of the fixes
    grows tenfold (at most three times) only when the solver reports the
    fixed model infeasible, which can come from feasibility tolerances only:
    the previous stage's solution satisfies every fix.

    Raises
    ------
    AllocationSolverError
        The solver did not report an optimum (after widening, if infeasible), or
        stopped at ``time_limit_s``.
    """
    n = model.A.shape[1]
    for widen in WIDEN if fixes else (1.0,):
        st, const = _assemble(model, kind, scale, fixes, widen)
        try:
            v, y = _run(st, maximize, model.integer, solver, integer, seed, stage, duals, time_limit_s)
        except AllocationSolverError as exc:
            if exc.status != "INFEASIBLE" or widen == WIDEN[-1] or not fixes:
                raise
            continue
        obj = np.concatenate(st.obj)
        return v[:n], y, float(obj @ v) * scale + const, widen
    raise AssertionError("unreachable")  # pragma: no cover


def _solver_params(name: str, integer: bool, seed: int) -> str:
    if name == "scip":
        return f"limits/gap = 0\nlimits/absgap = 0\nrandomization/randomseedshift = {seed}"
    if name == "highs":
        base = "output_flag=false\nlog_to_console=false\nthreads=1"
        return base + (f"\nmip_rel_gap=0\nmip_abs_gap=0\nrandom_seed={seed}" if integer else "")
    return ""


def _run(
    st: _Stage,
    maximize: bool,
    integer_vars: np.ndarray,
    solver: str,
    integer: bool,
    seed: int,
    stage: str,
    duals: bool,
    time_limit_s: float | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Solve the assembled stage once (within ``time_limit_s`` seconds of wall clock, if given)."""
    from ortools.linear_solver.python import model_builder_helper as mbh  # heavy: OR-Tools, when solving

    lb, ub, obj, A, rlb, rub = st.arrays()
    h = mbh.ModelBuilderHelper()
    h.fill_model_from_sparse_data(lb, ub, obj, rlb, rub, A)
    h.set_maximize(maximize)
    if integer:
        for i in integer_vars.tolist():
            h.set_var_integrality(i, True)
    s = mbh.ModelSolverHelper(solver)
    params = _solver_params(solver, integer, seed)
    if params:
        s.set_solver_specific_parameters(params)
    if time_limit_s is not None:
        s.set_time_limit_in_seconds(max(time_limit_s, 1e-3))
    t0 = time.perf_counter()
    s.solve(h)
    status = s.status()
    if status == mbh.SolveStatus.ABNORMAL and solver == "glop":
        # GLOP occasionally gives up on a degenerate lexicographic stage: HiGHS
        # solves the same model (deterministic fallback, recorded nowhere else)
        left = None if time_limit_s is None else time_limit_s - (time.perf_counter() - t0)
        if left is not None and left <= 0:
            raise AllocationSolverError(stage, "TIME_LIMIT")
        return _run(st, maximize, integer_vars, "highs", integer, seed, stage, duals, left)
    if status != mbh.SolveStatus.OPTIMAL:
        raise AllocationSolverError(stage, status.name)
    values = np.asarray(s.variable_values(), dtype=float)
    return values, (np.asarray(s.dual_values(), dtype=float) if duals else None)
