"""Solve an allocation problem: the staged LP/MIP of each objective mode, or column generation."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._cg import solve_cg
from logistics.allocation._lanes import build_lanes
from logistics.allocation._model import build_model
from logistics.allocation._solver import solve_stage
from logistics.allocation._stages import Outcome, solve_objectives
from logistics.allocation.params import AllocationParams
from logistics.allocation.result import make_result

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.allocation._solver import Fix
    from logistics.allocation.problem import AllocationProblem
    from logistics.allocation.result import AllocationResult

__all__ = ["solve_allocation"]


def solve_allocation(problem: AllocationProblem, params: AllocationParams | None = None) -> AllocationResult:
    """Solve the allocation problem; shortages are part of the result.

    Parameters
    ----------
    problem
        The problem.
    params
        Solver parameters; defaults to ``AllocationParams()``.

    Returns
    -------
    AllocationResult
        Flows, per-lane trips, coverage and shortfall reasons, the three
        objective values and solver statistics.

    Raises
    ------
    logistics.exceptions.LogisticsError
        The solver failed (not optimal), which indicates a bug or a numerical
        breakdown: the model always has a feasible solution (deliver nothing).

    Examples
    --------
    >>> from logistics.allocation import AllocationProblem
    >>> p = AllocationProblem.from_arrays(
    ...     item_ids=["tent"], weight_kg=[30.0], volume_m3=[0.1],
    ...     depot_ids=["A"], source_ids=["A-own"], source_depot=["A"], stock=[[50.0]],
    ...     point_ids=["X"], persons=[300], demand=[[100.0]], travel_time_h=[[1.0]],
    ...     fleet_ids=["A-truck"], fleet_depot=["A"], capacity_kg=[900.0],
    ...     capacity_m3=[20.0], fleet_count=[1])
    >>> r = solve_allocation(p)
    >>> round(r.demand_met_share_by_deadline, 3), r.shortfalls[0].reason
    (0.5, 'stock_exhausted')
    """
    return _solve(problem, params if params is not None else AllocationParams())


def _solve(p: AllocationProblem, params: AllocationParams) -> AllocationResult:
    """Build the model and run the stages of ``params.objective``; see :func:`solve_allocation`."""
    limited = bool(np.isfinite(p.fleet_max_trips).any() or np.isfinite(p.fleet_max_duration_h).any())
    if params.column_generation and not params.integer_trips and not limited:
        # column generation prices lanes against (1)-(6); with trip or working-hour limits (7)
        # the full model is solved instead
        return solve_cg(p, params)
    t0 = time.perf_counter()
    ln = build_lanes(p, params.max_depots_per_point)
    model = build_model(p, ln, params.integer_trips)
    t_build = time.perf_counter() - t0
    solver = params.mip_solver if params.integer_trips else params.lp_solver
    integer = params.integer_trips

    def stage(kind: str, maximize: bool, fixes: Sequence[Fix], name: str, *, duals: bool) -> Outcome:
        v, y, value, widen = solve_stage(
            model, kind, maximize, fixes, solver, integer, params.seed, name, duals=duals and not integer
        )
        return Outcome(model, ln, v, y, value, widen)

    rated = np.flatnonzero(model.row_equity >= 0)
    stages, out, widen = solve_objectives(params, stage, rated, lp=not integer)
    t_solve = time.perf_counter() - t0 - t_build
    return make_result(
        p,
        params,
        ln,
        model,
        out.v,
        stages,
        solver=solver,
        slack=params.lexicographic_tolerance * widen,
        build_time_s=t_build,
        solve_time_s=t_solve,
    )
