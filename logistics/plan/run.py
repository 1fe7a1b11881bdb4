"""Run a response scenario end to end: allocation, trucks, the routed plan (``logistics run``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from logistics.allocation import AllocationParams, solve_allocation
from logistics.plan.deliver import routing_problem, shipments_from_allocation
from logistics.plan.model import build_scenario_model
from logistics.plan.routed import build_plan
from logistics.plan.summary import build_summary
from logistics.routing import RoutingParams, plan_routes

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.allocation import AllocationResult
    from logistics.plan.model import ScenarioModel
    from logistics.plan.routed import Plan
    from logistics.routing import RoutingResult
    from logistics.scenario import Scenario

__all__ = ["RunParams", "RunResult", "run_scenario"]

#: Objective modes of the scenario and the command line → allocation parameters.
_MODES = {"person_hours": ("cost", "person_hours"), "ton_km": ("cost", "ton_km")}


@dataclass(frozen=True)
class RunParams:
    """Options of :func:`run_scenario`.

    Parameters
    ----------
    seed
        Seed for the solvers (default: the scenario's).
    objective
        Override the scenario's objective (``lexicographic``, ``delivered``, ``equity``,
        ``person_hours``, ``ton_km``).
    routing
        Route the trucks (default). Without routing only the allocation is solved and no
        plan exists: the headline is then the allocation's promise, marked as such.
    routing_iterations
        Iteration limit of the routing search per depot and pass (deterministic with the seed).
    """

    seed: int | None = None
    objective: str | None = None
    routing: bool = True
    routing_iterations: int = 200

    def __post_init__(self) -> None:
        if not (self.routing_iterations >= 1):
            raise ValueError("Expected routing_iterations >= 1.")


@dataclass(frozen=True)
class RunResult:
    """Everything :func:`run_scenario` produced.

    Parameters
    ----------
    model
        The scenario model (allocation problems, timed road matrices).
    allocation
        The allocation the trucks executed.
    bound_allocation
        The allocation with the fastest road states (its objective (a) bounds the headline).
    plan
        The routed plan (the single truth), or ``None`` when routing was off.
    timings_s
        Wall-clock seconds per step.
    seed
        Seed used.
    """

    model: ScenarioModel
    allocation: AllocationResult
    bound_allocation: AllocationResult
    plan: Plan | None
    timings_s: dict[str, float] = field(default_factory=dict)
    seed: int = 0

    @property
    def routing(self) -> RoutingResult | None:
        """The plan's routes, or ``None``."""
        return self.plan.routing if self.plan is not None else None

    def summary(self) -> dict[str, Any]:
        """Return the deterministic summary written to ``summary.json``."""
        return build_summary(self)


def allocation_params(scenario: Scenario, objective: str | None, seed: int) -> AllocationParams:
    """Return the allocation parameters of a scenario's (or an overriding) objective mode.

    Parameters
    ----------
    scenario
        The scenario.
    objective
        Override of ``scenario.objective``.
    seed
        Solver seed.
    """
    mode = objective or scenario.objective
    obj, cost = _MODES.get(mode, (mode, "person_hours"))
    return AllocationParams(objective=obj, cost=cost, seed=seed)  # type: ignore[arg-type]


def run_scenario(
    scenario: Scenario, params: RunParams | None = None, *, progress: Callable[[str], None] | None = None
) -> RunResult:
    """Allocate stock, route the trucks and derive the plan of a scenario.

    Steps: road matrices per road state; the allocation (the plan's) and the bound allocation;
    whole-unit shipments valued by what they add to the headline; routing with deadlines kept
    (late stops are re-planned or moved to an explicit later wave); the plan's figures from the
    routed trucks only.

    Parameters
    ----------
    scenario
        The scenario.
    params
        Options (seed, objective, routing).
    progress
        Called with step names as the run advances (``roads``, ``model``, ``allocation``,
        ``routing``, ``plan``).

    Returns
    -------
    RunResult
        Shortages and unreachable points are part of the result, never exceptions.

    Raises
    ------
    InputError
        For bad inputs (road data, disruptions, points off the network).
    """
    params = params or RunParams()
    say = progress or (lambda _msg: None)
    seed = scenario.seed if params.seed is None else params.seed
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    model = build_scenario_model(scenario, progress=say)
    timings["model_s"] = time.perf_counter() - t0
    say("allocation")
    t = time.perf_counter()
    aparams = allocation_params(scenario, params.objective, seed)
    alloc = solve_allocation(model.problem, aparams)
    bound = solve_allocation(model.bound_problem, AllocationParams(objective="delivered", seed=seed))
    timings["allocation_s"] = time.perf_counter() - t
    plan = None
    if params.routing:
        say("routing")
        t = time.perf_counter()
        problem = routing_problem(model, shipments_from_allocation(model, alloc))
        rparams = RoutingParams(seed=seed, max_iterations=params.routing_iterations, later_wave=True)
        routes = plan_routes(problem, rparams)
        timings["routing_s"] = time.perf_counter() - t
        say("plan")
        # the routed headline never exceeds the executed allocation's (a): its shipments are that
        # allocation rounded down; the bound LP adds the fastest road states (see docs/plan.md)
        top = max(bound.demand_met_share_by_deadline, alloc.demand_met_share_by_deadline)
        plan = build_plan(model, alloc, routes, bound=top)
    timings["total_s"] = time.perf_counter() - t0
    return RunResult(model, alloc, bound, plan, timings, seed)
