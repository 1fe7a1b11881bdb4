"""Solve an allocation problem: the lexicographic LP/MIP, or column generation."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from logistics.allocation._cg import solve_cg
from logistics.allocation._lanes import build_lanes
from logistics.allocation._model import build_model, run, run_fixed
from logistics.allocation.params import AllocationParams
from logistics.allocation.result import make_result

if TYPE_CHECKING:
    import numpy as np

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
    """Build and solve the model for ``params.objective``; see :func:`solve_allocation`."""
    if params.column_generation and not params.integer_trips:
        return solve_cg(p, params)
    t0 = time.perf_counter()
    ln = build_lanes(p, params.max_depots_per_point)
    model = build_model(p, ln, params.integer_trips)
    t_build = time.perf_counter() - t0
    solver = params.mip_solver if params.integer_trips else params.lp_solver
    obj_c = model.obj_ph if params.cost == "person_hours" else model.obj_tk
    const_c = model.ph_constant if params.cost == "person_hours" else 0.0
    tol = params.lexicographic_tolerance
    run_args = (solver, params.integer_trips, params.seed)
    stages: list[tuple[str, float]] = []
    fixes: list[tuple[np.ndarray, float, float, int]] = []
    widen = 1.0
    if params.objective in ("lexicographic", "delivered"):
        v, _ = run(model, model.obj_a, True, [], *run_args, "delivered")
        a_star = float(model.obj_a @ v)
        stages.append(("delivered", a_star))
        fixes.append((model.obj_a, a_star, tol, +1))
    if params.objective in ("lexicographic", "equity"):
        v, _, w = run_fixed(model, model.obj_b, False, fixes, *run_args, "equity")
        widen = max(widen, w)
        z_star = float(v[model.vz])
        stages.append(("equity", z_star))
        fixes.append((model.obj_b, z_star, tol, -1))
    if params.objective in ("lexicographic", "cost"):
        v, _, w = run_fixed(model, obj_c, False, fixes, *run_args, "cost")
        widen = max(widen, w)
        stages.append((params.cost, float(obj_c @ v) + const_c))
    t_solve = time.perf_counter() - t0 - t_build
    return make_result(
        p,
        params,
        ln,
        model,
        v,
        stages,
        solver=solver,
        slack=tol * widen,
        build_time_s=t_build,
        solve_time_s=t_solve,
    )
