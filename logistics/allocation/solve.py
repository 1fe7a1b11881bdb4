"""Solve an allocation problem: the staged LP/MIP of each objective mode, or column generation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._certified import choose_method, solve_certified
from logistics.allocation._cg import solve_cg
from logistics.allocation._full import solve_model
from logistics.allocation._hubs import expand
from logistics.allocation._transfer import solve_with_hubs
from logistics.allocation.params import AllocationParams

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.allocation._certified import CertifiedRound
    from logistics.allocation.problem import AllocationProblem
    from logistics.allocation.result import AllocationResult

__all__ = ["solve_allocation"]


def solve_allocation(
    problem: AllocationProblem,
    params: AllocationParams | None = None,
    *,
    progress: Callable[[CertifiedRound], None] | None = None,
) -> AllocationResult:
    """Solve the allocation problem; shortages are part of the result.

    Parameters
    ----------
    problem
        The problem.
    params
        Solver parameters; defaults to ``AllocationParams()``.
    progress
        Called after each round of the certified mode with its bound, plan
        value and gap (not called by the exact mode).

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
    return _solve(problem, params if params is not None else AllocationParams(), progress)


def _solve(
    p: AllocationProblem, params: AllocationParams, progress: Callable[[CertifiedRound], None] | None
) -> AllocationResult:
    """Solve with the method ``params`` asks for (or picks); see :func:`solve_allocation`."""
    e = expand(p) if p.hubs else None  # once: the method's choice and the solve both need it
    if choose_method(p, params, e) == "certified":
        return solve_certified(p, params, progress=progress, expansion=e)
    if e is not None:
        return solve_with_hubs(p, params, e)
    limited = bool(np.isfinite(p.fleet_max_trips).any() or np.isfinite(p.fleet_max_duration_h).any())
    if params.column_generation and not params.integer_trips and not limited:
        # column generation prices lanes against (1)-(6); with trip or working-hour limits (7)
        # the full model is solved instead
        return solve_cg(p, params)
    return solve_model(p, params).result(p, params)
