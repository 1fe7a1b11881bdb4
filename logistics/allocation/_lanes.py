"""Phases, candidate depot–point pairs, lanes and cargo variables of the allocation model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.allocation.problem import AllocationProblem

#: slack (h) when comparing times, so that a trip exactly on the deadline fits
TIME_EPS_H = 1e-9


#: all non-empty subsets of a depot's ready times are patterns up to this many
MAX_SUBSET_READY_TIMES = 4


def ready_patterns(ready: np.ndarray) -> list[tuple[float, ...]]:
    """Phase patterns of one depot: which ready times a truck starts a phase at.

    All non-empty subsets of the sorted distinct ready times (in bitmask order)
    when there are at most :data:`MAX_SUBSET_READY_TIMES`; otherwise each
    single ready time plus the full chain.
    """
    rs = [float(r) for r in np.unique(ready)]
    Q = len(rs)
    if Q <= MAX_SUBSET_READY_TIMES:
        return [tuple(rs[i] for i in range(Q) if mask >> i & 1) for mask in range(1, 2**Q)]
    return [(r,) for r in rs] + [tuple(rs)]


@dataclass(frozen=True)
class Lanes:
    """Phases, candidate pairs and lanes of a problem (internal).

    A *pattern* is a set of phase start times a truck may follow; its phases
    ``w`` run from one start to the next (the last is open). Lanes ``ℓ`` are
    sorted by (group, phase, due time, point).
    """

    win_depot: np.ndarray  # [W] depot of each phase
    win_start: np.ndarray
    win_end: np.ndarray
    win_pattern: np.ndarray  # [W] global pattern index
    pattern_depot: np.ndarray  # [Π]
    pattern_starts: tuple[tuple[float, ...], ...]
    time_ok: np.ndarray  # [W, J] a trip in phase w can unload at j by its deadline
    candidate: np.ndarray  # [D, J] pair kept after pruning
    wanted: np.ndarray  # [J, K] item k is demanded at j, directly or as substitute
    lane_g: np.ndarray
    lane_w: np.ndarray
    lane_j: np.ndarray
    lane_d: np.ndarray
    lane_cycle: np.ndarray
    lane_due: np.ndarray
    lane_delivery: np.ndarray  # nominal unloading time r_w + λ + τ + μ
    x_lane: np.ndarray  # cargo variables: lane, source, item
    x_src: np.ndarray
    x_item: np.ndarray


@dataclass(frozen=True)
class _Phases:
    """Phases of every depot's patterns and the timing of a trip in each phase (internal)."""

    depot: np.ndarray  # [W]
    start: np.ndarray  # [W]
    end: np.ndarray  # [W]
    pattern: np.ndarray  # [W] global pattern index
    pattern_depot: np.ndarray  # [Π]
    pattern_starts: tuple[tuple[float, ...], ...]
    tau0: np.ndarray  # [W, J] travel time, 0 where unreachable
    cycle: np.ndarray  # [W, J]
    due: np.ndarray  # [W, J] latest return
    time_ok: np.ndarray  # [W, J]


def build_lanes(
    p: AllocationProblem,
    max_depots_per_point: int | None,
    *,
    cargo: bool = True,
    pairs: np.ndarray | None = None,
    receiving: np.ndarray | None = None,
) -> Lanes:
    """Compute phases, feasible and candidate pairs, lanes and cargo variables.

    With ``cargo=False`` the cargo variables are not enumerated (``x_*`` are
    empty): column generation builds them lane by lane. ``pairs`` (``[D, J]``)
    restricts the candidate pairs further (the certified mode's plan).
    ``receiving`` (``[J]``) marks the hubs' receiving points of an expanded problem
    (:mod:`logistics.allocation._hubs`): they want every item some point wants, and only
    sources of kind ``transfer`` cannot send to them (goods pass through one hub at most).
    """
    S, K = p.num_sources, p.num_items
    has_stock = p.stock.sum(axis=1) > 0 if K else np.zeros(S, dtype=bool)
    ph = _phases(p, has_stock)
    wanted = _wanted_items(p)
    if receiving is not None and receiving.any():
        wanted[receiving] = wanted[~receiving].any(axis=0)
    candidate = _candidate_pairs(p, ph, wanted, max_depots_per_point)
    if pairs is not None:
        candidate &= pairs
    lane_parts, cargo_parts = _lane_parts(p, ph, candidate, wanted, has_stock, cargo)
    if receiving is not None and receiving.any() and cargo_parts:
        transfer = np.array([k == "transfer" for k in p.source_kind], dtype=bool)
        lane_j = _cat(lane_parts, 2, np.int64)
        keeps = [~(transfer[c[1]] & receiving[lane_j[c[0]]]) for c in cargo_parts]
        cargo_parts = [(c[0][k], c[1][k], c[2][k]) for c, k in zip(cargo_parts, keeps, strict=True)]
    return Lanes(
        win_depot=ph.depot,
        win_start=ph.start,
        win_end=ph.end,
        win_pattern=ph.pattern,
        pattern_depot=ph.pattern_depot,
        pattern_starts=ph.pattern_starts,
        time_ok=ph.time_ok,
        candidate=candidate,
        wanted=wanted,
        lane_g=_cat(lane_parts, 0, np.int64),
        lane_w=_cat(lane_parts, 1, np.int64),
        lane_j=_cat(lane_parts, 2, np.int64),
        lane_d=_cat(lane_parts, 3, np.int64),
        lane_cycle=_cat(lane_parts, 4, float),
        lane_due=_cat(lane_parts, 5, float),
        lane_delivery=_cat(lane_parts, 6, float),
        x_lane=_cat(cargo_parts, 0, np.int64),
        x_src=_cat(cargo_parts, 1, np.int64),
        x_item=_cat(cargo_parts, 2, np.int64),
    )


def _phases(p: AllocationProblem, has_stock: np.ndarray) -> _Phases:
    """Phases of the patterns of every depot with stock, and when a trip in each can unload."""
    win_depot, win_start, win_end, win_pattern = [], [], [], []
    pattern_depot, pattern_starts = [], []
    for d in range(p.num_depots):
        srcs = np.flatnonzero((p.source_depot == d) & has_stock)
        if not len(srcs):
            continue
        for pat in ready_patterns(p.ready_h[srcs]):
            for i, r in enumerate(pat):
                win_depot.append(d)
                win_start.append(r)
                win_end.append(pat[i + 1] if i + 1 < len(pat) else np.inf)
                win_pattern.append(len(pattern_starts))
            pattern_depot.append(d)
            pattern_starts.append(pat)
    wd = np.array(win_depot, dtype=np.int64)
    ws = np.array(win_start, dtype=float)
    we = np.array(win_end, dtype=float)

    tau = p.travel_time_h[wd] if len(wd) else np.zeros((0, p.num_points))  # [W, J]
    reach = np.isfinite(tau)
    tau0 = np.where(reach, tau, 0.0)
    cycle = p.load_h + 2 * tau0 + p.unload_h
    due = np.minimum(p.deadline_h[None, :] + tau0, we[:, None])
    return _Phases(
        depot=wd,
        start=ws,
        end=we,
        pattern=np.array(win_pattern, dtype=np.int64),
        pattern_depot=np.array(pattern_depot, dtype=np.int64),
        pattern_starts=tuple(pattern_starts),
        tau0=tau0,
        cycle=cycle,
        due=due,
        time_ok=reach & (ws[:, None] + cycle <= due + TIME_EPS_H),
    )


def _wanted_items(p: AllocationProblem) -> np.ndarray:
    """Items wanted at each point (own demand or as an allowed substitute), ``[J, K]``."""
    wanted = p.demand > 0
    idx = {k: i for i, k in enumerate(p.item_ids)}
    for sub in p.substitutions:
        wanted[:, idx[sub.substitute]] |= p.demand[:, idx[sub.item]] > 0
    return wanted


def _candidate_pairs(
    p: AllocationProblem, ph: _Phases, wanted: np.ndarray, max_depots_per_point: int | None
) -> np.ndarray:
    """Depot–point pairs that can deliver something in time with a truck, pruned, ``[D, J]``."""
    D, K = p.num_depots, p.num_items
    has_fleet = np.zeros(D, dtype=bool)
    has_fleet[p.fleet_depot[p.fleet_count > 0]] = True
    depot_ok = np.zeros((D, p.num_points), dtype=bool)
    np.logical_or.at(depot_ok, ph.depot, ph.time_ok)
    depot_items = np.zeros((D, K))
    np.add.at(depot_items, p.source_depot, p.stock > 0)
    useful = (depot_items > 0).astype(float) @ wanted.T.astype(float) > 0  # [D, J]
    candidate = depot_ok & useful & has_fleet[:, None]
    if max_depots_per_point is not None and max_depots_per_point < D:
        masked = np.where(candidate, p.travel_time_h, np.inf)
        order = np.argsort(masked, axis=0, kind="stable")[:max_depots_per_point]
        keep = np.zeros_like(candidate)
        np.put_along_axis(keep, order, True, axis=0)
        candidate &= keep
    return candidate


def _lane_parts(
    p: AllocationProblem,
    ph: _Phases,
    candidate: np.ndarray,
    wanted: np.ndarray,
    has_stock: np.ndarray,
    cargo: bool,
) -> tuple[list[tuple[np.ndarray, ...]], list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """Lanes per (group, phase), sorted by due time and point, and their cargo variables."""
    lane_parts: list[tuple[np.ndarray, ...]] = []
    cargo_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    n_lanes = 0
    for g in range(p.num_fleets):
        if p.fleet_count[g] <= 0:
            continue
        d = int(p.fleet_depot[g])
        for w in np.flatnonzero(ph.depot == d):
            # a lane needs one round trip within a driver's working hours (constraint 7)
            fits = ph.cycle[w] <= p.fleet_max_duration_h[g] + TIME_EPS_H
            js = np.flatnonzero(ph.time_ok[w] & candidate[d] & fits)
            if not len(js):
                continue
            js = js[np.lexsort((js, ph.due[w, js]))]
            lane_ids = n_lanes + np.arange(len(js))
            n_lanes += len(js)
            lane_parts.append(
                (
                    np.full(len(js), g),
                    np.full(len(js), w),
                    js,
                    np.full(len(js), d),
                    ph.cycle[w, js],
                    ph.due[w, js],
                    ph.start[w] + p.load_h + ph.tau0[w, js] + p.unload_h,
                )
            )
            srcs = np.flatnonzero((p.source_depot == d) & has_stock & (p.ready_h <= ph.start[w]))
            if not len(srcs) or not cargo:
                continue
            ls = np.repeat(lane_ids, len(srcs))
            ss = np.tile(srcs, len(js))
            mask = wanted[np.repeat(js, len(srcs))] & (p.stock[ss] > 0)
            r, k = np.nonzero(mask)
            cargo_parts.append((ls[r], ss[r], k))
    return lane_parts, cargo_parts


def _cat(parts: Sequence[tuple[np.ndarray, ...]], i: int, dtype: type) -> np.ndarray:
    """Column ``i`` of the parts, concatenated (empty without parts)."""
    return np.concatenate([part[i] for part in parts]).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def source_time_ok(p: AllocationProblem, ln: Lanes) -> np.ndarray:
    """Whether a trip from a phase its stock is ready for can unload at each point in time, ``[S, J]``.

    Open phases exist for every ready time of a depot's stocked sources, so a
    source with stock can serve ``j`` in time iff some phase at its depot that
    starts at or after its ready time reaches ``j`` by the deadline.
    """
    ok = np.zeros((p.num_sources, p.num_points), dtype=bool)
    for s in range(p.num_sources):
        ws = np.flatnonzero((ln.win_depot == p.source_depot[s]) & (ln.win_start >= p.ready_h[s]))
        if len(ws) and p.stock[s].sum() > 0:
            ok[s] = ln.time_ok[ws].any(axis=0)
    return ok


def depot_has_fleet(p: AllocationProblem) -> np.ndarray:
    """Whether each depot has at least one truck, ``[D]``."""
    has = np.zeros(p.num_depots, dtype=bool)
    has[p.fleet_depot[p.fleet_count > 0]] = True
    return has


def item_alternatives(p: AllocationProblem) -> dict[int, list[int]]:
    """Item ``k`` → ``[k, substitutes of k…]`` (item indices)."""
    idx = {k: i for i, k in enumerate(p.item_ids)}
    alts: dict[int, list[int]] = {k: [k] for k in range(p.num_items)}
    for sub in p.substitutions:
        alts[idx[sub.item]].append(idx[sub.substitute])
    return alts


def servable_points(p: AllocationProblem, ln: Lanes) -> np.ndarray:
    """Points that some source can serve at all, ``[J]`` (structural; no plan involved).

    A point is servable when, for at least one item it needs, some source
    holds that item or an allowed substitute, can unload it at the point by
    the deadline from a phase it is ready for, and its depot has a truck.
    Otherwise every item it needs has the shortfall reason ``no_stock``,
    ``unreachable``, ``too_far`` or ``no_trucks`` whatever the plan, and the
    point is left out of the equity measure (b) and the leximin stage.
    """
    time_ok = source_time_ok(p, ln) & depot_has_fleet(p)[p.source_depot][:, None]  # [S, J]
    out = np.zeros(p.num_points, dtype=bool)
    for k, alts in item_alternatives(p).items():
        holders = (p.stock[:, alts] > 0).any(axis=1)  # [S]
        can = time_ok[holders].any(axis=0)  # [J]
        out |= can & (p.demand[:, k] > 0)
    return out
