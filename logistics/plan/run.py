"""Run a response scenario end to end: allocation, trucks, the routed plan (``logistics run``)."""

from __future__ import annotations

import dataclasses
import functools
import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from logistics.allocation import AllocationParams, solve_allocation
from logistics.common import import_in_background, in_background
from logistics.plan.deliver import routing_problem, shipments_from_allocation
from logistics.plan.hubs import forward_shipments
from logistics.plan.model import build_scenario_model
from logistics.plan.refill import depot_free_h, later_shipments, residual_problem
from logistics.plan.routed import build_plan
from logistics.plan.summary import build_summary
from logistics.routing import RoutingParams, extend_routes, plan_routes

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.allocation import AllocationResult
    from logistics.plan.model import ScenarioModel
    from logistics.plan.routed import Plan
    from logistics.routing import RoutingResult
    from logistics.scenario import Scenario

__all__ = [
    "RunParams",
    "RunResult",
    "allocation_params",
    "plan_model",
    "run_scenario",
    "with_deadline",
    "without_hubs",
]

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
    routing_no_improvement
        A depot's search also stops after this many iterations without a better plan
        (deterministic; ``None`` runs every depot to ``routing_iterations``).
    replan_rounds
        Times the stock and demand left after routing are allocated again and routed on the
        trucks' remaining time, while that delivers more (default up to 3; see
        :mod:`logistics.plan.refill`).
    jobs
        Processes to use (default 1): the bound allocation is solved beside the plan's, and
        depots are routed side by side (:func:`~logistics.common.map_ordered`). Results do not
        depend on it.
    preload
        Heavy modules later steps will import (e.g. the writers'): imported in a background
        thread while the allocation LP runs, which OR-Tools solves without holding the GIL
        (:func:`~logistics.common.import_in_background`). With routing, PyVRP is added.
    split_share
        Split deliveries: loads are cut into pieces of at most this share of a truck and the
        routing decides the split sizes (default 0.1; ``None`` keeps every load that fits a
        truck whole). See :class:`~logistics.routing.RoutingParams`.
    compare_direct
        With transfer hubs, also plan without them and keep the plan whose trucks deliver more
        by the deadlines (default); ``False`` keeps the plan through the hubs.
    allocation_time_limit_s
        Wall-clock limit (s) of each allocation solved in the certified mode (large
        scenarios, docs/allocation.md): the best plan found by then is used, with its bound
        and gap, and ``solver.time_limited`` in summary.json says it was cut short. ``None``
        (default): no limit. The exact mode (the shipped scenarios) ignores it.
    """

    seed: int | None = None
    objective: str | None = None
    routing: bool = True
    routing_iterations: int = 2000
    routing_no_improvement: int | None = 300
    replan_rounds: int = 3
    jobs: int = 1
    preload: tuple[str, ...] = ()
    split_share: float | None = 0.1
    compare_direct: bool = True
    allocation_time_limit_s: float | None = None

    def __post_init__(self) -> None:
        if not (self.routing_iterations >= 1 and self.replan_rounds >= 0 and self.jobs >= 1):
            raise ValueError("Expected routing_iterations >= 1, replan_rounds >= 0 and jobs >= 1.")
        lim = self.allocation_time_limit_s
        if lim is not None and not (math.isfinite(lim) and lim > 0):
            raise ValueError(f"Expected allocation_time_limit_s > 0 (or None), got {lim!r}.")


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
    hub_choice
        With transfer hubs: the headlines of the plan through the hubs and of the direct-only
        plan, and which one was kept (``"hubs"`` or ``"direct"``); ``None`` without hubs.
    """

    model: ScenarioModel
    allocation: AllocationResult
    bound_allocation: AllocationResult
    plan: Plan | None
    timings_s: dict[str, float] = field(default_factory=dict)
    seed: int = 0
    hub_choice: dict[str, Any] | None = None

    @property
    def routing(self) -> RoutingResult | None:
        """The plan's routes, or ``None``."""
        return self.plan.routing if self.plan is not None else None

    def summary(self) -> dict[str, Any]:
        """Return the deterministic summary written to ``summary.json``."""
        return build_summary(self)


def allocation_params(
    scenario: Scenario, objective: str | None, seed: int, time_limit_s: float | None = None
) -> AllocationParams:
    """Return the allocation parameters of a scenario's (or an overriding) objective mode.

    Parameters
    ----------
    scenario
        The scenario.
    objective
        Override of ``scenario.objective``.
    seed
        Solver seed.
    time_limit_s
        Wall-clock limit of the certified mode (``None``: none).
    """
    mode = objective or scenario.objective
    obj, cost = _MODES.get(mode, (mode, "person_hours"))
    return AllocationParams(objective=obj, cost=cost, seed=seed, time_limit_s=time_limit_s)  # type: ignore[arg-type]


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
    t0 = time.perf_counter()
    model = build_scenario_model(scenario, progress=say)
    res = plan_model(model, params, progress=say)
    res.timings_s["model_s"] = time.perf_counter() - t0 - sum(res.timings_s.values())
    res.timings_s["total_s"] = time.perf_counter() - t0
    return res


def plan_model(
    model: ScenarioModel, params: RunParams | None = None, *, progress: Callable[[str], None] | None = None
) -> RunResult:
    """Allocate, route and derive the plan of an already built scenario model.

    Parameters
    ----------
    model
        The scenario model (:func:`~logistics.plan.build_scenario_model`); derive variants (other
        deadlines) with :func:`with_deadline` instead of building the road matrices again.
    params
        Options (seed, objective, routing).
    progress
        Called with ``allocation``, ``routing`` and ``plan`` as the steps start.
    """
    params = params or RunParams()
    say = progress or (lambda _msg: None)
    res = _plan_once(model, params, say)
    if not (model.problem.hubs and params.routing and params.compare_direct and res.plan is not None):
        return res
    # the allocation plans single-stop trips; routed trucks also chain stops, which can make
    # direct delivery better than the hub's: plan both and keep what the trucks deliver more of
    say("hubs:direct")
    direct = _plan_once(without_hubs(model), params, say)
    assert direct.plan is not None
    via, straight = res.plan.demand_met_share_by_deadline, direct.plan.demand_met_share_by_deadline
    # the hub problem's bound bounds both plans (its feasible set holds the direct one's)
    chosen = res if via > straight + 1e-9 else dataclasses.replace(
        direct, model=model, bound_allocation=res.bound_allocation,
        plan=dataclasses.replace(direct.plan, bound=max(direct.plan.bound, res.plan.bound)))  # fmt: skip
    times = {k: res.timings_s.get(k, 0.0) + direct.timings_s.get(k, 0.0) for k in res.timings_s}
    choice = {"with_hubs": via, "direct_only": straight, "chosen": "hubs" if chosen is res else "direct"}
    return dataclasses.replace(chosen, timings_s=times, hub_choice=choice)


def without_hubs(model: ScenarioModel) -> ScenarioModel:
    """Return the model without its transfer hubs (every depot delivers direct).

    Parameters
    ----------
    model
        A scenario model.
    """
    drop = {"hubs": (), "hub_travel_time_h": None, "hub_distance_km": None}
    return dataclasses.replace(model, problem=dataclasses.replace(model.problem, **drop),
                               bound_problem=dataclasses.replace(model.bound_problem, **drop))  # fmt: skip


def _plan_once(model: ScenarioModel, params: RunParams, say: Callable[[str], None]) -> RunResult:
    """One allocation, its routing and its plan (see :func:`plan_model`)."""
    scenario = model.scenario
    seed = scenario.seed if params.seed is None else params.seed
    timings: dict[str, float] = {}
    say("allocation")
    t = time.perf_counter()
    limit = params.allocation_time_limit_s
    aparams = allocation_params(scenario, params.objective, seed, limit)
    job = functools.partial(
        solve_allocation,
        model.bound_problem,
        AllocationParams(objective="delivered", seed=seed, time_limit_s=limit),
    )
    with in_background(job, enabled=params.jobs > 1) as bound_job:  # stopped if this one fails
        wait = import_in_background(
            [*(("pyvrp",) if params.routing else ()), *params.preload], after=bound_job.wait
        )
        alloc = solve_allocation(
            model.problem,
            aparams,
            progress=lambda r: say(f"allocation_round:{r.round}:{r.bound:.6f}:{r.plan:.6f}:{r.gap:.6f}"),
        )
        wait()  # before any fork below
        bound = bound_job.result()
    timings["allocation_s"] = time.perf_counter() - t
    plan = None
    if params.routing:
        say("routing")
        top = max(bound.demand_met_share_by_deadline, alloc.demand_met_share_by_deadline)
        routes = _route(model, alloc, params, seed, timings)
        say("plan")
        plan = build_plan(model, alloc, routes, bound=top)
    return RunResult(model, alloc, bound, plan, timings, seed)


def _route(
    model: ScenarioModel, alloc: AllocationResult, params: RunParams, seed: int, timings: dict[str, float]
) -> RoutingResult:
    """Route the allocation by the deadlines, re-plan the rest on what is left, then the later wave."""
    rparams = RoutingParams(seed=seed, max_iterations=params.routing_iterations,
                            no_improvement=params.routing_no_improvement, jobs=params.jobs,
                            split_share=params.split_share)  # fmt: skip
    t = time.perf_counter()
    first = shipments_from_allocation(model, alloc)
    routes = plan_routes(routing_problem(model, first), rparams)
    forward = forward_shipments(model, alloc, routes)
    if forward:  # second legs: from what reached the hubs, on the hubs' trucks after their first trips
        routes = extend_routes(routing_problem(model, forward), routes, rparams)
    timings["routing_s"] = time.perf_counter() - t
    for _ in range(params.replan_rounds):
        residual = residual_problem(model, routes)
        if (
            residual.demand.sum() <= 0
            or not (residual.stock.sum(axis=0) > 0)[residual.demand.sum(axis=0) > 0].any()
        ):
            break
        extra = solve_allocation(
            residual,
            allocation_params(model.scenario, params.objective, seed, params.allocation_time_limit_s),
        )
        more = shipments_from_allocation(model, extra, problem=residual)
        if not more:
            break
        free = {d: h + model.scenario.load_h for d, h in depot_free_h(model, routes).items()}
        extended = extend_routes(routing_problem(model, more, depart_h=free), routes, rparams)
        if len(extended.stops()) == len(routes.stops()):
            break  # nothing more could be carried by the deadlines
        routes = extended
    later = later_shipments(model, routes, first)
    if later:
        routes = extend_routes(routing_problem(model, later), routes, rparams, later=True)
    timings["repair_s"] = time.perf_counter() - t - timings["routing_s"]
    return routes


def with_deadline(model: ScenarioModel, deadline_h: float) -> ScenarioModel:
    """Return the model with one deadline for every point (the road matrices are reused).

    The road states were computed up to the model's latest deadline: use deadlines up to it.

    Parameters
    ----------
    model
        A scenario model.
    deadline_h
        The new deadline, hours after the onset.
    """
    n = model.problem.num_points
    scenario = dataclasses.replace(
        model.scenario, deadline_h=deadline_h,
        demand=tuple(dataclasses.replace(p, deadline_h=None) for p in model.scenario.demand),
    )  # fmt: skip
    return dataclasses.replace(
        model, scenario=scenario, problem=dataclasses.replace(model.problem, deadline_h=[deadline_h] * n),
        bound_problem=dataclasses.replace(model.bound_problem, deadline_h=[deadline_h] * n),
    )  # fmt: skip
