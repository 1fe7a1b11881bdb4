"""Transfer hubs in the model: receiving points, transfer sources and their rows (internal).

:func:`expand` turns a problem with hubs into one without: every hub wave ``q`` becomes a
receiving point ``J + q`` (no demand, deadline the cut-off, travel times from
``hub_travel_time_h``) and a transfer source ``S + q`` at the hub's depot (ready at the
cut-off plus the handling time). :func:`add_hub_rows` ties them (see
:mod:`logistics.allocation.hubs`); :func:`contract` maps a result back to the problem's own
points and sources. The semantics are documented in :mod:`logistics.allocation.hubs`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from logistics.allocation._lanes import Lanes
    from logistics.allocation._model import _Matrix
    from logistics.allocation.problem import AllocationProblem

#: kind of the transfer sources of the expanded problem
TRANSFER = "transfer"


@dataclass(frozen=True)
class Expansion:
    """A problem with hubs and its expanded form (internal).

    ``wave_*`` are indexed by wave ``q`` (hub by hub, cut-offs in order); the wave's receiving
    point is ``J + q`` and its transfer source ``S + q`` in ``problem``.
    """

    base: AllocationProblem
    problem: AllocationProblem
    wave_hub: np.ndarray  # [Q] hub index
    wave_cutoff: np.ndarray  # [Q]
    wave_ready: np.ndarray  # [Q] cut-off + handling
    earliest_h: np.ndarray  # [H] first time any truck can unload at the hub (inf = never)

    @property
    def num_waves(self) -> int:
        """Number of waves ``Q``."""
        return len(self.wave_hub)

    def receiving(self) -> np.ndarray:
        """``[J + Q]`` whether a point of the expanded problem is a hub's receiving point."""
        out = np.zeros(self.problem.num_points, dtype=bool)
        out[self.base.num_points :] = True
        return out

    def transfer(self) -> np.ndarray:
        """``[S + Q]`` whether a source of the expanded problem is a hub's transfer source."""
        out = np.zeros(self.problem.num_sources, dtype=bool)
        out[self.base.num_sources :] = True
        return out


def wave_ids(p: AllocationProblem) -> tuple[list[str], list[str]]:
    """Ids of the receiving points and the transfer sources of ``p``'s hub waves."""
    points, sources = [], []
    for h in p.hubs:
        for c in h.cutoffs_h:
            points.append(f"{h.depot_id}⇐{c:g}h")
            sources.append(f"{h.depot_id}⇒{c + h.handling_h:g}h")
    return points, sources


def earliest_unloading(p: AllocationProblem) -> np.ndarray:
    """``[H]`` the first time a truck of another depot can unload at each hub (inf: never)."""
    D = p.num_depots
    has_fleet = np.zeros(D, dtype=bool)
    has_fleet[p.fleet_depot[p.fleet_count > 0]] = True
    first = np.full(D, np.inf)
    stocked = p.stock.sum(axis=1) > 0 if p.num_items else np.zeros(p.num_sources, dtype=bool)
    np.minimum.at(first, p.source_depot[stocked], p.ready_h[stocked])
    first[~has_fleet] = np.inf
    out = np.full(len(p.hubs), np.inf)
    for h, hub in enumerate(p.hubs):
        tt = np.where(np.isfinite(p.hub_travel_time_h[:, h]), p.hub_travel_time_h[:, h], np.inf)
        tt[p.depot_ids.index(hub.depot_id)] = np.inf
        out[h] = float(np.min(first + p.load_h + tt + p.unload_h, initial=np.inf))
    return out


def expand(p: AllocationProblem) -> Expansion:
    """Return the problem without hubs in which every hub wave is a receiving point and a transfer source."""
    K = p.num_items
    hub_of, cut, ready = [], [], []
    for h, hub in enumerate(p.hubs):
        for c in hub.cutoffs_h:
            hub_of.append(h)
            cut.append(c)
            ready.append(c + hub.handling_h)
    wave_hub = np.array(hub_of, dtype=np.int64)
    cutoff = np.array(cut, dtype=float)
    Q = len(wave_hub)
    hub_depot = np.array([p.depot_ids.index(h.depot_id) for h in p.hubs], dtype=np.int64)
    tt = p.hub_travel_time_h[:, wave_hub].copy()  # [D, Q]
    km = p.hub_distance_km[:, wave_hub].copy()
    tt[hub_depot[wave_hub], np.arange(Q)] = np.nan  # a hub does not send to itself
    # a transfer source can hold at most what reaches its hub by the cut-off: stock of the
    # sources whose depot has a truck and can unload there in time
    has_fleet = np.zeros(p.num_depots, dtype=bool)
    has_fleet[p.fleet_depot[p.fleet_count > 0]] = True
    arrive = p.ready_h[:, None] + p.load_h + tt[p.source_depot] + p.unload_h  # [S, Q]
    can = np.isfinite(arrive) & (arrive <= cutoff[None, :] + 1e-9) & has_fleet[p.source_depot][:, None]
    bound = can.T.astype(float) @ p.stock if K else np.zeros((Q, 0))  # [Q, K]
    points, sources = wave_ids(p)
    q = dataclasses.replace(
        p,
        point_ids=p.point_ids + tuple(points),
        persons=np.concatenate([p.persons, np.zeros(Q)]),
        priority=np.concatenate([p.priority, np.zeros(Q)]),
        demand=np.vstack([p.demand, np.zeros((Q, K))]),
        deadline_h=np.concatenate([p.deadline_h, cutoff]),
        travel_time_h=np.hstack([p.travel_time_h, tt]),
        distance_km=np.hstack([p.distance_km, np.where(np.isfinite(tt), km, np.nan)]),
        source_ids=p.source_ids + tuple(sources),
        source_depot=np.concatenate([p.source_depot, hub_depot[wave_hub]]),
        source_kind=p.source_kind + (TRANSFER,) * Q,
        ready_h=np.concatenate([p.ready_h, np.array(ready, dtype=float)]),
        stock=np.vstack([p.stock, bound]),
        hubs=(),
        hub_travel_time_h=None,
        hub_distance_km=None,
    )
    return Expansion(p, q, wave_hub, cutoff, np.array(ready, dtype=float), earliest_unloading(p))


def add_hub_rows(m: _Matrix, e: Expansion, ln: Lanes, vx: np.ndarray) -> None:
    """Add the rows "sent ≤ received" per hub, wave and item (equal at the last wave) and the throughput rows."""
    p, base = e.problem, e.base
    J, S, K = base.num_points, base.num_sources, p.num_items
    xj = ln.lane_j[ln.x_lane]
    into = xj >= J  # cargo unloaded at a receiving point
    out_of = ln.x_src >= S  # cargo loaded at a transfer source
    wave_in = np.where(into, xj - J, -1)
    wave_out = np.where(out_of, ln.x_src - S, -1)
    for h, hub in enumerate(base.hubs):
        waves = np.flatnonzero(e.wave_hub == h)
        for i, qi in enumerate(waves):
            upto = waves[: i + 1]
            xin = np.flatnonzero(np.isin(wave_in, upto))
            xout = np.flatnonzero(np.isin(wave_out, upto))
            # goods leave only after they arrived; what arrives is all sent on by the last wave
            rows = m.add_rows(K, 0.0 if i == len(waves) - 1 else -np.inf, 0.0)
            m.add_terms(rows[ln.x_item[xout]], vx[xout], 1.0)
            m.add_terms(rows[ln.x_item[xin]], vx[xin], -1.0)
            if np.isfinite(hub.throughput_kg_h) and len(xin):
                room = max(float(e.wave_cutoff[qi] - e.earliest_h[h]), 0.0) * hub.throughput_kg_h
                row = m.add_rows(1, -np.inf, room)
                m.add_terms(np.repeat(row, len(xin)), vx[xin], p.weight_kg[ln.x_item[xin]])


def _waves_by_hub(e: Expansion, ln: Lanes) -> list[list[tuple[int, np.ndarray, np.ndarray]]]:
    """Per hub, its waves in order: ``(q, cargo into its receiving point, cargo out of its transfer source)``."""
    J, S = e.base.num_points, e.base.num_sources
    xj = ln.lane_j[ln.x_lane]
    return [
        [
            (int(q), np.flatnonzero(xj == J + q), np.flatnonzero(ln.x_src == S + q))
            for q in np.flatnonzero(e.wave_hub == h)
        ]
        for h in range(len(e.base.hubs))
    ]


def fit_transfers(e: Expansion, ln: Lanes, x: np.ndarray) -> np.ndarray:
    """Scale each wave's sent cargo down where it exceeds what arrived by then (solver tolerances)."""
    K = e.base.num_items
    x = x.copy()
    for waves in _waves_by_hub(e, ln):
        got, sent = np.zeros(K), np.zeros(K)
        for _q, xin, xout in waves:
            got += np.bincount(ln.x_item[xin], x[xin], minlength=K)
            out = np.bincount(ln.x_item[xout], x[xout], minlength=K)
            room = np.maximum(got - sent, 0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                f = np.where(out > room, room / out, 1.0)
            x[xout] *= f[ln.x_item[xout]]
            sent += np.minimum(out, room)
    return x


def available(e: Expansion, ln: Lanes, x: np.ndarray) -> np.ndarray:
    """``[Q, K]`` units each wave's transfer source could send: arrived by its cut-off, not sent before."""
    K = e.base.num_items
    out = np.zeros((e.num_waves, K))
    for waves in _waves_by_hub(e, ln):
        got, sent = np.zeros(K), np.zeros(K)
        for q, xin, xout in waves:
            got += np.bincount(ln.x_item[xin], x[xin], minlength=K)
            out[q] = np.maximum(got - sent, 0.0)
            sent += np.bincount(ln.x_item[xout], x[xout], minlength=K)
    return out
