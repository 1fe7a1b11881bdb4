"""Transfer hubs in the independent pooled LP (written from logistics.allocation.hubs' docs).

Each hub wave becomes, as the docs describe, a point without demand (deadline the cut-off,
travel times from ``hub_travel_time_h``) and a source of kind ``transfer`` at the hub (ready at
cut-off + handling, holding at most the stock that can reach the hub by the cut-off). The rows
tying them are written here as dense sums over the LP's inflow and stock-use terms: the goods
a wave's point receives have no balance row; per item and wave, cumulative sent ≤ cumulative
received, equal at the last wave (nothing is left at a hub); per wave, cumulative received kg ≤ throughput × (cut-off − first possible unloading).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from tests.allocation._hub_checker import earliest_arrival
from tests.allocation._independent import pooled_lp


def expanded(p):
    """The problem without hubs and its waves ``(hub, cut-off, point index, source index)``."""
    J, S, D = len(p.point_ids), len(p.source_ids), len(p.depot_ids)
    waves = []
    pts, srcs, tt_cols, km_cols, dead, ready, stock, sdep = [], [], [], [], [], [], [], []
    for h, hub in enumerate(p.hubs):
        dh = p.depot_ids.index(hub.depot_id)
        for c in hub.cutoffs_h:
            waves.append((h, c, J + len(pts), S + len(srcs)))
            pts.append(f"{hub.depot_id}⇐{c:g}h")
            srcs.append(f"{hub.depot_id}⇒{c + hub.handling_h:g}h")
            col = np.array(p.hub_travel_time_h[:, h], dtype=float)
            col[dh] = np.nan
            tt_cols.append(col)
            km_cols.append(np.where(np.isfinite(col), p.hub_distance_km[:, h], np.nan))
            dead.append(c)
            ready.append(c + hub.handling_h)
            sdep.append(dh)
            row = np.zeros(len(p.item_ids))
            for s in range(S):
                d = int(p.source_depot[s])
                truck = any(p.fleet_depot[g] == d and p.fleet_count[g] > 0 for g in range(len(p.fleet_ids)))
                tau = col[d]
                if truck and np.isfinite(tau) and p.ready_h[s] + p.load_h + tau + p.unload_h <= c + 1e-9:
                    row += p.stock[s]
            stock.append(row)
    Q = len(pts)
    q = dataclasses.replace(
        p,
        point_ids=p.point_ids + tuple(pts),
        persons=np.r_[p.persons, np.zeros(Q)],
        priority=np.r_[p.priority, np.zeros(Q)],
        demand=np.vstack([p.demand, np.zeros((Q, len(p.item_ids)))]),
        deadline_h=np.r_[p.deadline_h, dead],
        travel_time_h=np.hstack([p.travel_time_h, np.array(tt_cols).T.reshape(D, Q)]),
        distance_km=np.hstack([p.distance_km, np.array(km_cols).T.reshape(D, Q)]),
        source_ids=p.source_ids + tuple(srcs),
        source_depot=np.r_[p.source_depot, sdep].astype(int),
        source_kind=p.source_kind + ("transfer",) * Q,
        ready_h=np.r_[p.ready_h, ready],
        stock=np.vstack([p.stock, np.array(stock).reshape(Q, len(p.item_ids))]),
        hubs=(),
        hub_travel_time_h=None,
        hub_distance_km=None,
    )
    return q, waves


def pooled_lp_hubs(p, **kw):
    """Stage optima of ``p`` (with hubs) by the independent pooled LP; ``kw`` as ``pooled_lp``."""
    q, waves = expanded(p)
    J, K = len(p.point_ids), len(p.item_ids)
    receiving = [w[2] for w in waves]
    want_there = np.zeros(K, dtype=bool)
    for j in range(J):
        for k in range(K):
            want_there[k] |= p.demand[j, k] > 0
    for s in p.substitutions:
        want_there[p.item_ids.index(s.substitute)] |= bool((p.demand[:, p.item_ids.index(s.item)] > 0).any())

    def add_rows(B, inflow, stock_use):
        got = {}
        for j in receiving:  # received goods are not used at the point: no balance row
            for k in range(K):
                got[(j, k)] = inflow.pop((j, k), {})
        for h, hub in enumerate(p.hubs):
            mine = [w for w in waves if w[0] == h]
            a = earliest_arrival(p, h)
            for i in range(len(mine)):
                upto = mine[: i + 1]
                for k in range(K):
                    row = {}
                    for _h, _c, j, s in upto:
                        for var, c in stock_use.get((s, k), {}).items():
                            row[var] = row.get(var, 0.0) + c
                        for var, c in got[(j, k)].items():
                            row[var] = row.get(var, 0.0) - c
                    if row:
                        B.con(row, 0.0 if i == len(mine) - 1 else -math.inf, 0.0)
                if math.isfinite(hub.throughput_kg_h):
                    row = {}
                    for _h, _c, j, _s in upto:
                        for k in range(K):
                            for var, c in got[(j, k)].items():
                                row[var] = row.get(var, 0.0) + c * float(p.weight_kg[k])
                    if row:
                        B.con(row, -math.inf, max(mine[i][1] - a, 0.0) * hub.throughput_kg_h)

    return pooled_lp(q, hub_rows=(receiving, want_there, add_rows), **kw)
