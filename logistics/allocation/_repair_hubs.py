"""Depot-by-depot plans of a guide that passes through transfer hubs (internal).

The guide lives on the expanded problem (:func:`~logistics.allocation._hubs.expand`). It is
planned in two passes with :func:`~logistics.allocation._repair.repair`:

1. every depot that is not a hub plans its flows, those into the hubs' receiving points
   included (a receiving point counts in its depot's LP as much as what the guide sends on
   from that wave is worth);
2. every hub's depot plans its own flows and the forwarding, with what pass 1 delivered in
   each wave as the stock of the wave's transfer source.

What a wave received beyond what the hub sent on is then taken off the senders' cargo (their
trips and truck time stay as planned, so their plans stay feasible): each wave sends exactly
what it received, which satisfies the hub rows of
:func:`~logistics.allocation._hubs.add_hub_rows`. Receipts never exceed the guide's, so the
throughput rows the guide satisfies hold too. Hubs' depots do not send to other hubs in the
guide (:func:`~logistics.allocation._lagrange.solve_items`), so two passes suffice.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._model import coverage_share
from logistics.allocation._repair import Part, Plan, cover, repair

if TYPE_CHECKING:
    from logistics.allocation._relaxed_hubs import HubData
    from logistics.allocation._repair import Clock
    from logistics.allocation.params import AllocationParams
    from logistics.allocation.problem import AllocationProblem


def repair_hubs(
    q: AllocationProblem,
    params: AllocationParams,
    flows: np.ndarray,
    caches: tuple[dict[int, tuple[bytes, Part]], dict[int, tuple[bytes, Part]]],
    value: np.ndarray,
    hubs: HubData,
    *,
    final: bool = False,
    clock: Clock | None = None,
) -> Plan:
    """Plan the guide ``flows`` (``[n, 4]`` rows on the expanded problem ``q``) in two passes."""
    J, S, Q, K = hubs.num_points, hubs.num_sources, hubs.num_waves, q.num_items
    src = flows[:, 0].astype(np.int64)
    second = hubs.hub_depot_source[src] if len(flows) else np.zeros(0, dtype=bool)
    q1 = dataclasses.replace(
        q,
        persons=np.concatenate([q.persons[:J], _worth(q, flows, hubs)]),
        priority=np.concatenate([q.priority[:J], np.ones(Q)]),
    )
    plan1 = repair(q1, params, flows[~second], caches[0], value, final=final, clock=clock)
    received = np.zeros((Q, K))
    for part in plan1.parts.values():
        pts, items, x = _cargo(part)
        into = pts >= J
        np.add.at(received, (pts[into] - J, items[into]), x[into])
    stock = q.stock.copy()
    stock[S:] = received
    q2 = dataclasses.replace(q1, stock=stock)
    salt = np.round(received, 6).tobytes()
    plan2 = repair(q2, params, flows[second], caches[1], value, final=final, clock=clock, salt=salt)
    sent = np.zeros((Q, K))
    for d, part in plan2.parts.items():
        srcs = np.flatnonzero(q.source_depot == d)[part.lanes.x_src]
        out = srcs >= S
        np.add.at(sent, (srcs[out] - S, part.lanes.x_item[out]), part.cargo[out])
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = np.where(received > 0, np.minimum(sent / received, 1.0), 1.0)
    parts = {d: _trim(part, keep, J) for d, part in plan1.parts.items()}
    parts.update(plan2.parts)
    delivered = np.zeros((q.num_points, K))
    for part in parts.values():
        pts, items, x = _cargo(part)
        np.add.at(delivered, (pts, items), x)
    return Plan(parts, delivered, float((value * cover(q, delivered, value)).sum()), stock)


def _cargo(part: Part) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point (of the problem), item and units of each cargo variable of a depot's plan."""
    ln = part.lanes
    return part.points[ln.lane_j[ln.x_lane]], ln.x_item, part.cargo


def _trim(part: Part, keep: np.ndarray, J: int) -> Part:
    """Scale a sender's cargo into each wave by ``keep`` (``[Q, K]``): what the hub sent on."""
    pts, items, _x = _cargo(part)
    into = np.flatnonzero(pts >= J)
    if not len(into):
        return part
    f = keep[pts[into] - J, items[into]]
    if np.all(f >= 1.0):
        return part
    v = part.v.copy()
    v[part.vx[into]] *= f
    return dataclasses.replace(part, v=v)


def _worth(q: AllocationProblem, flows: np.ndarray, hubs: HubData) -> np.ndarray:
    """``[Q]`` what the guide sends on from each wave is worth, in persons × priority (≥ a tiny amount).

    A fully covered point is worth its persons × priority in a depot's LP (coverage shares
    add up to 1), so a receiving point with this many "persons" weighs what it enables.
    """
    J, S, Q = hubs.num_points, hubs.num_sources, hubs.num_waves
    share, counted = coverage_share(q)
    wts = q.priority * q.persons * counted
    out = np.zeros(Q)
    if len(flows):
        s, j, k, x = (
            flows[:, 0].astype(np.int64),
            flows[:, 1].astype(np.int64),
            flows[:, 2].astype(np.int64),
            flows[:, 3],
        )
        fwd = (s >= S) & (j < J)
        np.add.at(out, s[fwd] - S, x[fwd] * share[j[fwd], k[fwd]] * wts[j[fwd]])
    return np.maximum(out, 1e-9 * max(float(wts.sum()), 1.0))
