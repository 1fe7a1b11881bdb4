"""The stages of each objective mode, and the leximin stage (internal).

:func:`solve_objectives` runs the stages of ``AllocationParams.objective`` in
order, each with the earlier optima held (see "Objectives" in
:mod:`logistics.allocation.problem`). It does not solve anything itself: a
:class:`StageSolver` solves one stage, either on the full model
(:mod:`logistics.allocation.solve`) or by column generation
(:mod:`logistics.allocation._cg`), so both follow the same stages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from logistics.allocation._solver import Fix

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.allocation._lanes import Lanes
    from logistics.allocation._model import Model
    from logistics.allocation.params import AllocationParams

#: a point is at the round's level when its share is within this of it, and
#: "cannot go above it" when its check optimum is within this of it (absolute, on shares)
LEXIMIN_EPS = 1e-7
#: a share row whose dual exceeds this (on the z objective, duals summing to 1) is binding
DUAL_EPS = 1e-6


@dataclass(frozen=True)
class Outcome:
    """Solution of one stage: the model solved, its lanes, values, row duals and objective value."""

    model: Model
    lanes: Lanes
    v: np.ndarray
    y: np.ndarray | None  # row duals (LP), model rows first; None when not asked or MIP
    value: float  # objective value of the stage, constant included
    widen: float  # slack widening factor the fixes needed


class StageSolver(Protocol):
    """Solves one stage: optimise objective ``kind`` with ``fixes`` held."""

    def __call__(
        self, kind: str, maximize: bool, fixes: Sequence[Fix], stage: str, *, duals: bool
    ) -> Outcome:
        """Solve and return the :class:`Outcome`; ``kind`` as in ``objective_vector``."""
        ...


def solve_objectives(
    params: AllocationParams, solve: StageSolver, rated: np.ndarray, *, lp: bool
) -> tuple[list[tuple[str, float]], Outcome, float]:
    """Run the stages of ``params.objective``; return (name, optimum) per stage, the last outcome, widening.

    ``rated`` holds the indices of the points in the equity measure (counted
    and servable); ``lp`` says whether row duals are available.

    * ``lexicographic``: (a); (b) with ``a ≥ share·a* − tol``; (c) with (b) too.
    * ``delivered``: (a).
    * ``cost``: (a); (c) with ``a ≥ share·a* − tol``.
    * ``equity``: leximin rounds; (a) with the levels held; (c) with both.
    """
    tol = params.lexicographic_tolerance
    stages: list[tuple[str, float]] = []
    fixes: list[Fix] = []
    widen = 1.0
    if params.objective == "equity":
        rule = leximin if lp else leximin_ordered
        lex, held, widen = rule(solve, rated, params.leximin_rounds, tol)
        stages += lex
        fixes += held
    out = solve("a", True, fixes, "delivered", duals=False)
    widen = max(widen, out.widen)
    stages.append(("delivered", out.value))
    if params.objective == "delivered":
        return stages, out, widen
    fixes.append(Fix("a", params.min_delivered_share * out.value, +1, tol))
    if params.objective == "lexicographic":
        out = solve("b", False, fixes, "equity", duals=False)
        widen = max(widen, out.widen)
        stages.append(("equity", out.value))
        fixes.append(Fix("b", out.value, -1, tol))
    out = solve(params.cost, False, fixes, "cost", duals=False)
    stages.append((params.cost, out.value))
    return stages, out, max(widen, out.widen)


def leximin(
    solve: StageSolver, rated: np.ndarray, rounds: int, tol: float
) -> tuple[list[tuple[str, float]], list[Fix], float]:
    """Leximin over the met shares of the ``rated`` points in the LP, at most ``rounds`` rounds.

    Round ``r`` minimises ``z`` (maximises ``t = 1 − z``) with ``share_j ≥ t``
    for the free points (their equity rows (5)) and ``share_j ≥ level_j − tol``
    for the fixed ones (their rows (5) switched off); the free points that
    cannot go above ``t`` (see :func:`_blocked`) are fixed at ``t``. Points
    still free after the last round are held at its level.

    Returns the stages ``("leximin_r", t_r)``, the fixes that hold every
    level, and the slack widening used.
    """
    free = np.asarray(rated, dtype=np.int64)
    fixed: list[int] = []
    levels: list[float] = []
    stages: list[tuple[str, float]] = []
    widen, t = 1.0, 1.0
    for r in range(1, rounds + 1):
        if not len(free):
            break
        fixes = _hold(fixed, levels, tol)
        name = f"leximin_{r}"
        out = solve("b", False, fixes, name, duals=True)
        widen = max(widen, out.widen)
        t = min(max(1.0 - out.value, 0.0), 1.0)
        stages.append((name, t))
        blocked = _blocked(solve, out, free, t, [*fixes, Fix("b", out.value, -1, tol)], name)
        fixed += blocked.tolist()
        levels += [t] * len(blocked)
        free = free[~np.isin(free, blocked)]
    fixed += free.tolist()
    levels += [t] * len(free)
    return stages, _hold(fixed, levels, tol), widen


def leximin_ordered(
    solve: StageSolver, rated: np.ndarray, rounds: int, tol: float
) -> tuple[list[tuple[str, float]], list[Fix], float]:
    """Leximin over the met shares of the ``rated`` points with whole trips (MIP), at most ``rounds`` rounds.

    The MIP's feasible set is not convex, so fixing the points that cannot
    rise on their own may not be possible. Round ``m`` instead maximises
    ``θ_m``, the sum of the ``m`` smallest shares, with ``θ_1 … θ_m−1`` held
    (Ogryczak's ordered outcomes, exact for any feasible set); its level, the
    ``m``-th smallest share, is ``θ_m − θ_m−1``. It stops early once a level
    reaches 1. Later positions are at least the last level (they are sorted).

    Returns the stages ``("leximin_m", level_m)``, the fixes holding every
    ``θ_m``, and the slack widening used.
    """
    fixes: list[Fix] = []
    stages: list[tuple[str, float]] = []
    widen, prev = 1.0, 0.0
    for m in range(1, min(rounds, len(rated)) + 1):
        name = f"leximin_{m}"
        out = solve(f"ordered:{m}", True, fixes, name, duals=False)
        widen = max(widen, out.widen)
        stages.append((name, min(max(out.value - prev, 0.0), 1.0)))
        fixes.append(Fix("ordered", out.value, +1, tol, rank=m))
        prev = out.value
        if stages[-1][1] >= 1.0 - LEXIMIN_EPS:
            break
    return stages, fixes, widen


def _hold(points: list[int], levels: list[float], tol: float) -> list[Fix]:
    """Return a fix holding each point's met share at its level (none without points)."""
    if not points:
        return []
    order = np.argsort(points, kind="stable")
    pts = np.asarray(points, dtype=np.int64)[order]
    return [Fix("share", np.asarray(levels, dtype=float)[order], +1, tol, pts)]


def _blocked(
    solve: StageSolver, out: Outcome, free: np.ndarray, t: float, hold: list[Fix], name: str
) -> np.ndarray:
    """Free points whose met share cannot go above the round's level ``t`` (sorted).

    A point whose share in the round's solution exceeds ``t`` can. A point
    whose equity row has a positive dual cannot (complementary slackness: in
    every optimum of the round it sits at ``t``). Every other point at ``t``
    gets a check: maximise its share with ``z ≤ z* + tol`` (``hold``); it is
    blocked when the optimum is within :data:`LEXIMIN_EPS` of ``t``. In the
    LP this finds exactly the blocked points, at least one per round. With
    whole trips (MIP) the feasible set is not convex and a round may find
    none; then the points at ``t`` in the round's solution are fixed.
    """
    m = out.model
    assert m.share_rows is not None
    share = m.share_rows[free] @ out.v
    if t >= 1.0 - LEXIMIN_EPS:
        return free
    at = share <= t + LEXIMIN_EPS
    sure = np.zeros(len(free), dtype=bool)
    if out.y is not None:
        sure = np.abs(out.y[m.row_equity[free]]) > DUAL_EPS
    blocked = sure.copy()
    for i in np.flatnonzero(at & ~sure):
        check = solve(f"share:{free[i]}", True, hold, f"{name}_check", duals=False)
        blocked[i] = check.value <= t + LEXIMIN_EPS
    if not blocked.any():
        blocked = at if at.any() else share <= share.min()
    return free[blocked]
