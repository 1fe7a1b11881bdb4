"""Solve a problem with transfer hubs and report it on the problem's own points (internal).

The problem is expanded (:func:`~logistics.allocation._hubs.expand`), solved by the exact model
with the hub rows, and the result is contracted: arrays and ids are the problem's own again,
flows and lanes to and from hubs are marked, and :class:`~logistics.allocation.result.Transfer`
rows say what passed through each wave of each hub.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._full import solve_model
from logistics.allocation._hubs import available, expand, fit_transfers
from logistics.allocation.result import Transfer

if TYPE_CHECKING:
    from logistics.allocation._hubs import Expansion
    from logistics.allocation.params import AllocationParams
    from logistics.allocation.problem import AllocationProblem
    from logistics.allocation.result import AllocationResult


def solve_with_hubs(
    p: AllocationProblem, params: AllocationParams, e: Expansion | None = None
) -> AllocationResult:
    """Solve ``p`` (which has hubs) with the exact model; see the module docstring.

    ``e`` is ``p``'s expansion if the caller has made it.
    """
    e = expand(p) if e is None else e
    s = solve_model(e.problem, params, e)
    # shortfall reasons: a transfer source holds what reached its wave and was not sent before
    x = np.where(s.v[s.model.vx] > 0, s.v[s.model.vx], 0.0)
    x = fit_transfers(e, s.lanes, x)
    stock = e.problem.stock.copy()
    stock[p.num_sources :] = available(e, s.lanes, x)
    q = dataclasses.replace(e.problem, stock=stock)
    r = s.result(q, params, e)
    return contract(e, r)


def contract(e: Expansion, r: AllocationResult) -> AllocationResult:
    """``r`` (a result of ``e.problem``) on the points and sources of ``e.base``."""
    p = e.base
    J, S = p.num_points, p.num_sources
    q = e.problem
    hub_of_point = {q.point_ids[J + w]: p.hubs[e.wave_hub[w]].depot_id for w in range(e.num_waves)}
    hub_of_source = {q.source_ids[S + w]: p.hubs[e.wave_hub[w]].depot_id for w in range(e.num_waves)}
    flows = []
    for f in r.flows:
        if f.point_id in hub_of_point:
            f = dataclasses.replace(f, leg="to_hub", hub_id=hub_of_point[f.point_id])
        elif f.source_id in hub_of_source:
            f = dataclasses.replace(f, leg="from_hub", hub_id=hub_of_source[f.source_id])
        flows.append(f)
    lanes = tuple(dataclasses.replace(t, hub_id=hub_of_point.get(t.point_id, "")) for t in r.lanes)
    return dataclasses.replace(
        r,
        point_ids=p.point_ids,
        source_ids=p.source_ids,
        demand=r.demand[:J],
        covered=r.covered[:J],
        delivered=r.delivered[:J],
        stock_used=r.stock_used[:S],
        flows=tuple(flows),
        lanes=lanes,
        transfers=_transfers(e, r),
    )


def _transfers(e: Expansion, r: AllocationResult) -> tuple[Transfer, ...]:
    """List what each hub wave received (by its cut-off) and sent, per item, in wave order."""
    p = e.base
    J, S, K = p.num_points, p.num_sources, p.num_items
    got = r.delivered[J:]  # [Q, K] unloaded at the receiving points
    sent = r.stock_used[S:]  # [Q, K] loaded at the transfer sources
    out = []
    for w in range(e.num_waves):
        hub = p.hubs[e.wave_hub[w]]
        for k in range(K):
            if got[w, k] > 0 or sent[w, k] > 0:
                out.append(
                    Transfer(
                        hub.depot_id,
                        float(e.wave_cutoff[w]),
                        float(e.wave_ready[w]),
                        p.item_ids[k],
                        float(got[w, k]),
                        float(sent[w, k]),
                        float(got[w, k] * p.weight_kg[k]),
                    )
                )
    return tuple(out)
