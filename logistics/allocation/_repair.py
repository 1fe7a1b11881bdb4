"""Depot-by-depot exact plans of the certified mode's guide flows (internal).

The guide (flows of the relaxation) is split by depot, and each depot's share is
planned by the exact LP of :mod:`logistics.allocation._model` on that depot alone
(its sources, fleets, patterns, truck-time and trip limits), with the flows as
demand. The depots' plans together are a feasible plan of the whole problem: each
depot uses only its own stock and trucks, and the flows never exceed demand.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._full import solve_model
from logistics.allocation._tidy import QTY_EPS
from logistics.allocation.params import AllocationParams
from logistics.allocation.problem import AllocationProblem
from logistics.common.parallel import map_ordered
from logistics.exceptions import AllocationSolverError

if TYPE_CHECKING:
    from logistics.allocation._lanes import Lanes

logger = logging.getLogger(__name__)


@dataclass
class Plan:
    """The depots' exact plans of one round and what they deliver."""

    parts: dict[int, Part]
    delivered: np.ndarray  # [J, K]
    a: float
    stock: np.ndarray | None = None  # the stock the depots were planned with, where not the problem's


@dataclass(frozen=True)
class Clock:
    """Start and time limit (s, ``None``: none) of one solve."""

    start: float
    limit_s: float | None

    @property
    def until(self) -> float | None:
        """The :func:`time.perf_counter` instant of the limit (``None``: no limit)."""
        return None if self.limit_s is None else self.start + self.limit_s

    def late(self, share: float = 1.0) -> bool:
        """Whether ``share`` of the time limit has passed."""
        return self.limit_s is not None and time.perf_counter() > self.start + share * self.limit_s


@dataclass(frozen=True)
class Part:
    """One depot's exact plan: its points, the flows it was given, its lanes and solver values."""

    given: np.ndarray  # [n, 4] the guide's flows from the depot: (source, point, item, units)
    points: np.ndarray
    want: np.ndarray  # [len(points), K]
    lanes: Lanes
    vx: np.ndarray
    vn: np.ndarray
    patterns: tuple[tuple[int, int, int, int], ...]
    v: np.ndarray

    @property
    def cargo(self) -> np.ndarray:
        """Units on each cargo variable of the depot's plan (solver noise below ``QTY_EPS`` is 0)."""
        x = self.v[self.vx]
        return np.where(x > QTY_EPS, x, 0.0)


def repair(
    p: AllocationProblem,
    params: AllocationParams,
    flows: np.ndarray,
    cache: dict[int, tuple[bytes, Part]],
    value: np.ndarray,
    *,
    final: bool = False,
    clock: Clock | None = None,
    salt: bytes = b"",
) -> Plan:
    """Plan each depot's flows with the exact LP of that depot alone; return the combined plan.

    Rounds maximise demand met only; the ``final`` pass adds the cost stage
    (its stage (a) is the same LP, so demand met does not change). Depots not
    yet planned when the ``clock``'s limit passes send nothing (the plan stays feasible),
    and a depot LP still running then is stopped there and sends nothing either.
    ``salt`` goes into the cache keys (what else the depots' plans depend on).
    """
    J, K = p.num_points, p.num_items
    depot_of = p.source_depot[flows[:, 0].astype(np.int64)] if len(flows) else np.zeros(0, dtype=np.int64)
    objective = "cost" if final and params.objective != "delivered" else "delivered"
    sub_params = AllocationParams(
        objective=objective, cost=params.cost, lp_solver=params.lp_solver, method="exact", seed=params.seed
    )
    parts: dict[int, Part] = {}
    todo: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, bytes]] = []
    for d in np.unique(depot_of).tolist():
        sel = flows[depot_of == d]
        pts, inv = np.unique(sel[:, 1].astype(np.int64), return_inverse=True)
        want = np.zeros((len(pts), K))
        np.add.at(want, (inv.ravel(), sel[:, 2].astype(np.int64)), sel[:, 3])
        key = salt + objective.encode() + pts.tobytes() + np.round(want, 6).tobytes()
        hit = cache.get(d)
        if hit is not None and hit[0] == key:
            parts[d] = hit[1]
        else:
            todo.append((d, sel, pts, want, key))

    def solve_one(job: tuple[int, np.ndarray, np.ndarray, np.ndarray, bytes]) -> Part | None:
        if clock is not None and clock.late():  # past the time limit: the depot sends nothing
            return None
        d, sel, pts, want, _key = job
        t0 = time.perf_counter()
        try:
            s = solve_model(
                _depot_problem(p, d, pts, want), sub_params, until=None if clock is None else clock.until
            )
        except AllocationSolverError:
            if clock is not None and clock.late():  # stopped at the time limit: the depot sends nothing
                return None
            raise
        logger.debug(
            "depot %s: %d points, %d cargo variables, %.2f s",
            p.depot_ids[d],
            len(pts),
            len(s.model.vx),
            time.perf_counter() - t0,
        )
        return Part(sel, pts, want, s.lanes, s.model.vx, s.model.vn, s.model.patterns, s.v)

    done = map_ordered(solve_one, todo, params.jobs, cost=[float(job[3].size) for job in todo])
    for (d, *_rest, key), part in zip(todo, done, strict=True):
        if part is not None:
            cache[d] = (key, part)
            parts[d] = part
    delivered = np.zeros((J, K))
    for part in parts.values():
        x = part.cargo
        np.add.at(delivered, (part.points[part.lanes.lane_j[part.lanes.x_lane]], part.lanes.x_item), x)
    covered = cover(p, delivered, value)
    return Plan(parts, delivered, float((value * covered).sum()))


def _depot_problem(p: AllocationProblem, d: int, pts: np.ndarray, want: np.ndarray) -> AllocationProblem:
    """Depot ``d`` alone, with demand ``want`` (``[len(pts), K]``) at the points ``pts``."""
    srcs = np.flatnonzero(p.source_depot == d)
    fleets = np.flatnonzero(p.fleet_depot == d)
    return AllocationProblem(
        item_ids=p.item_ids,
        weight_kg=p.weight_kg,
        volume_m3=p.volume_m3,
        item_weight=p.item_weight,
        depot_ids=(p.depot_ids[d],),
        source_ids=tuple(p.source_ids[s] for s in srcs),
        source_depot=np.zeros(len(srcs), dtype=np.int64),
        source_kind=tuple(p.source_kind[s] for s in srcs),
        ready_h=p.ready_h[srcs],
        stock=p.stock[srcs],
        point_ids=tuple(p.point_ids[j] for j in pts),
        persons=p.persons[pts],
        priority=p.priority[pts],
        demand=np.where(want > QTY_EPS, want, 0.0),
        deadline_h=p.deadline_h[pts],
        travel_time_h=p.travel_time_h[[d]][:, pts],
        distance_km=p.distance_km[[d]][:, pts],
        fleet_ids=tuple(p.fleet_ids[g] for g in fleets),
        fleet_depot=np.zeros(len(fleets), dtype=np.int64),
        capacity_kg=p.capacity_kg[fleets],
        capacity_m3=p.capacity_m3[fleets],
        fleet_count=p.fleet_count[fleets],
        load_h=p.load_h,
        unload_h=p.unload_h,
        fleet_max_trips=p.fleet_max_trips[fleets],
        fleet_max_duration_h=p.fleet_max_duration_h[fleets],
    )


def cover(p: AllocationProblem, delivered: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Coverage ``C`` of the best use of delivered units, ``[J, K]``."""
    y, u = uses(p, delivered, value)
    covered = y.copy()
    idx = {k: i for i, k in enumerate(p.item_ids)}
    for q, s in enumerate(p.substitutions):
        covered[:, idx[s.item]] += u[:, q] / s.ratio
    return np.minimum(covered, p.demand)


def uses(p: AllocationProblem, delivered: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best use of delivered units: own demand ``y`` and substitutions ``u`` (LP when there are any)."""
    J, K = p.num_points, p.num_items
    if not p.substitutions:
        return np.minimum(delivered, p.demand), np.zeros((J, 0))
    import scipy.sparse as sp  # heavy: SciPy, loaded only when substitutions are allowed
    from scipy.optimize import linprog  # heavy: SciPy, loaded only when substitutions are allowed

    idx = {k: i for i, k in enumerate(p.item_ids)}
    subs = [(idx[s.item], idx[s.substitute], s.ratio) for s in p.substitutions]
    Q = len(subs)
    ny = J * K
    n = ny + J * Q
    c = np.concatenate([-value.ravel(), np.concatenate([-value[:, k1] / r for k1, _k2, r in subs])])
    rows, cols, vals = [np.arange(ny)], [np.arange(ny)], [np.ones(ny)]  # use rows: y + Σu ≤ delivered
    rows += [np.arange(ny) + ny]
    cols += [np.arange(ny)]
    vals += [np.ones(ny)]  # coverage rows: y + Σ u / r ≤ demand
    for q, (k1, k2, r) in enumerate(subs):
        js = np.arange(J)
        uc = ny + q * J + js
        rows += [js * K + k2, ny + js * K + k1]
        cols += [uc, uc]
        vals += [np.ones(J), np.full(J, 1.0 / r)]
    A = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(2 * ny, n))
    rhs = np.concatenate([delivered.ravel(), p.demand.ravel()])
    res = linprog(c, A_ub=A, b_ub=rhs, bounds=(0, None), method="highs")
    sol = np.maximum(res.x, 0.0) if res.x is not None else np.zeros(n)
    return np.minimum(sol[:ny].reshape(J, K), p.demand), sol[ny:].reshape(Q, J).T
