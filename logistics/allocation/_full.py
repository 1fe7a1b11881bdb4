"""Solve the full allocation model, stage by stage (internal)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._lanes import build_lanes
from logistics.allocation._model import build_model
from logistics.allocation._solver import solve_stage
from logistics.allocation._stages import Outcome, solve_objectives
from logistics.allocation.result import make_result
from logistics.exceptions import AllocationSolverError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.allocation._hubs import Expansion
    from logistics.allocation._lanes import Lanes
    from logistics.allocation._model import Model
    from logistics.allocation._solver import Fix
    from logistics.allocation.params import AllocationParams
    from logistics.allocation.problem import AllocationProblem
    from logistics.allocation.result import AllocationResult


@dataclass(frozen=True)
class Solved:
    """The full model of a problem and the solver values of its last stage (internal)."""

    lanes: Lanes
    model: Model
    v: np.ndarray
    stages: list[tuple[str, float]]
    solver: str
    slack: float
    build_time_s: float
    solve_time_s: float

    def result(
        self, p: AllocationProblem, params: AllocationParams, hubs: Expansion | None = None
    ) -> AllocationResult:
        """Return the :class:`~logistics.allocation.result.AllocationResult` of these solver values for ``p``."""
        return make_result(p, params, self.lanes, self.model, self.v, self.stages, solver=self.solver,
                           slack=self.slack, build_time_s=self.build_time_s, solve_time_s=self.solve_time_s,
                           hubs=hubs)  # fmt: skip


def solve_model(
    p: AllocationProblem,
    params: AllocationParams,
    hubs: Expansion | None = None,
    *,
    until: float | None = None,
) -> Solved:
    """Build the full model and run the stages of ``params.objective`` on it.

    With ``hubs``, ``p`` is ``hubs.problem`` and the hub rows are part of the model.
    ``until`` (a :func:`time.perf_counter` instant, ``None``: none) stops every stage's
    solver there: a stage not solved by then raises
    :class:`~logistics.exceptions.AllocationSolverError`.
    """
    t0 = time.perf_counter()
    ln = build_lanes(p, params.max_depots_per_point, receiving=None if hubs is None else hubs.receiving())
    model = build_model(p, ln, params.integer_trips, hubs)
    t_build = time.perf_counter() - t0
    solver = params.mip_solver if params.integer_trips else params.lp_solver
    integer = params.integer_trips

    def stage(kind: str, maximize: bool, fixes: Sequence[Fix], name: str, *, duals: bool) -> Outcome:
        left = None if until is None else until - time.perf_counter()
        if left is not None and left <= 0:
            raise AllocationSolverError(name, "TIME_LIMIT")
        v, y, value, widen = solve_stage(
            model, kind, maximize, fixes, solver, integer, params.seed, name, duals=duals and not integer,
            time_limit_s=left,
        )  # fmt: skip
        return Outcome(model, ln, v, y, value, widen)

    rated = np.flatnonzero(model.row_equity >= 0)
    stages, out, widen = solve_objectives(params, stage, rated, lp=not integer)
    return Solved(
        ln,
        model,
        out.v,
        stages,
        solver,
        params.lexicographic_tolerance * widen,
        t_build,
        time.perf_counter() - t0 - t_build,
    )
