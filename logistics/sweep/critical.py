"""Critical roads (抢通优先序): which road links, if cut, lose the most relief delivered by the deadline.

Measure: the loss of a link ``l`` is ``a₀ − a(l)``, where ``a`` is the allocation's objective
(a) — demand met by the deadline, weighted by persons and priority — and ``a(l)`` its optimum
with ``l`` closed (both directions) for the whole horizon.

**Screening with a proven bound, one pass.** Take an optimal base plan. A link can change a
depot→point travel time only if it lies on that pair's fastest path in some road state (every
state's fastest paths are read off the shortest-path trees already built, no search per link).
Remove from the base plan all cargo on the pairs whose paths use ``l``: what is left is still
feasible with ``l`` closed — those pairs' times are unchanged and every other constraint only
loosens — and it keeps every coverage term ``(point, item)`` that received none of that cargo
(nor a substitute of it). So ``a(l) ≥ a₀ − U(l)`` with ``U(l)`` the sum of those coverage terms,
i.e. ``loss(l) ≤ U(l)``.

**Sections.** Links chained through nodes of degree 2 (and not through a place's node) form a
section: every fastest path uses all of a section's links or none, so closing one link cuts the
same paths as closing the section. Bounds and exact losses are per section (the bound of a
section is the largest of its links'), which on the demo leaves 77 candidate sections of 1,157
links on used paths.

**Exact ranking.** Sections are evaluated exactly (closed, re-solved) in decreasing order of
``U``; the search stops once ``k`` links are known and the ``k``-th largest exact loss is at least
the bound of every link not evaluated — no link left out can rank above the ``k``-th.
Evaluations run as Dask tasks, like the sweep's. The pairs of the top links are then closed two
at a time: ``synergy = loss(a, b) − loss(a) − loss(b)``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from logistics.allocation import AllocationParams, coverage_terms, solve_allocation
from logistics.plan import build_scenario_model
from logistics.roads import Closure
from logistics.sweep.variants import base_for

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    import numpy as np

    from logistics.allocation import AllocationResult
    from logistics.plan import ScenarioModel
    from logistics.sweep.variants import SweepBase

__all__ = ["CriticalParams", "CriticalResult", "closed_value", "link_bounds"]


@dataclass(frozen=True)
class CriticalParams:
    """Options of :func:`~logistics.sweep.critical_run.critical_roads`.

    Parameters
    ----------
    top
        ``k``: links ranked exactly (the guarantee covers the top ``k``).
    pairs
        The top links whose pairs are closed together (``pairs·(pairs−1)/2`` evaluations).
    max_evaluations
        Most single-link evaluations; if reached before the stop rule holds, the result says so.
    workers, scheduler
        Dask: local worker processes, or an existing scheduler's address.
    batch
        Links evaluated per round of tasks (default: twice the workers).
    """

    top: int = 10
    pairs: int = 4
    max_evaluations: int = 600
    workers: int | None = None
    scheduler: str | None = None
    batch: int | None = None


@dataclass
class CriticalResult:
    """The ranking: exact losses, bounds, pairs and whether the guarantee holds."""

    base_share: float
    ranked: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    bounds: dict[int, float]
    evaluated: dict[int, float]
    complete: bool
    files: dict[str, Path] = field(default_factory=dict)


def link_bounds(
    model: ScenarioModel, res: AllocationResult, edge_link: np.ndarray
) -> tuple[dict[int, float], dict[int, int]]:
    """Return ``U(l)`` for every link on a used pair's fastest path, and the number of such pairs.

    Parameters
    ----------
    model
        The base scenario model.
    res
        Its optimal allocation (objective (a)).
    edge_link
        Link of each edge (:func:`~logistics.sweep.links.road_links`).
    """
    p, tm = model.problem, model.timed
    terms = coverage_terms(p, res.covered)
    jx = {pid: j for j, pid in enumerate(p.point_ids)}
    kx = {k: i for i, k in enumerate(p.item_ids)}
    items_of: dict[tuple[str, str], set[int]] = defaultdict(set)
    into_hub: dict[str, set[str]] = defaultdict(set)  # hub -> depots whose trucks bring it goods
    for f in res.flows:
        if f.quantity > 0 and f.leg == "to_hub":
            into_hub[f.hub_id].add(f.depot_id)
        elif f.quantity > 0:
            items_of[(f.depot_id, f.point_id)].add(kx[f.item_id])
    subs = [(kx[s.item], kx[s.substitute]) for s in p.substitutions]
    affected: dict[int, set[tuple[int, int]]] = defaultdict(set)
    pairs_on: dict[int, int] = defaultdict(int)
    for (d, pt), ks in items_of.items():
        j = jx[pt]
        cells = set(ks)
        for a, b in subs:  # a substitute's coverage leans on the other item's cargo
            if a in cells or b in cells:
                cells |= {a, b}
        used: set[int] = set()
        # goods a hub forwards also lean on the roads of every first leg into it
        for o, dest in [(d, pt), *((o, d) for o in sorted(into_hub.get(d, ())))]:
            for s in range(tm.num_states):
                path = tm.path(tm.index(o), tm.index(dest), s)
                used |= {int(edge_link[e]) for e in path.edges}
        for link in used:
            affected[link] |= {(j, k) for k in cells}
            pairs_on[link] += 1
    bounds = {link: float(sum(terms[j, k] for j, k in cells)) for link, cells in affected.items()}
    return bounds, dict(pairs_on)


def closed_value(base: SweepBase, edges: Sequence[int], seed: int = 0) -> float:
    """Return objective (a) with the given edges closed for the whole horizon (re-solved)."""
    closure = Closure(edges=tuple(int(e) for e in edges), label="critical-roads")
    model = build_scenario_model(base.scenario, network=base.network, extra_disruptions=[closure])
    return float(
        solve_allocation(
            model.problem, AllocationParams(objective="delivered", seed=seed)
        ).demand_met_share_by_deadline
    )


def critical_task(path: str, edges: tuple[int, ...], seed: int) -> float:
    """Dask task: objective (a) of the scenario file with ``edges`` closed for the whole horizon."""
    return closed_value(base_for(path), edges, seed)


def ranking_done(
    bounds_sorted: list[tuple[int, float]], evaluated: dict[int, float], base: float, k: int
) -> bool:
    """Whether the stop rule holds: ``k`` exact losses known, the ``k``-th ≥ every bound not evaluated."""
    losses = sorted((base - v for v in evaluated.values()), reverse=True)
    rest = [u for link, u in bounds_sorted if link not in evaluated]
    if not rest:
        return True
    if len(losses) < k:
        return False
    return losses[k - 1] >= max(rest) - 1e-12


def next_batch(bounds_sorted: list[tuple[int, float]], evaluated: dict[int, float], size: int) -> list[int]:
    """Return the next sections to evaluate: highest bounds first."""
    return [link for link, _u in bounds_sorted if link not in evaluated][:size]


def progress_text(done: int, bound: float, kth: float | None, zh: bool) -> str:
    """One progress line of the exact ranking."""
    if zh:
        return f"已精确评估 {done} 条路段；未评估路段损失上界 {100 * bound:.2f} 个百分点" + (
            f"，第 k 名损失 {100 * kth:.2f} 个百分点" if kth is not None else "")  # fmt: skip
    return f"{done} links evaluated; bound of the rest {100 * bound:.2f} pp" + (
        f", k-th loss {100 * kth:.2f} pp" if kth is not None else ""
    )
