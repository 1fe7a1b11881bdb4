"""Independent feasibility checker for pooled-LP plans through transfer hubs (written from the docs).

It reads only the problem and the result's flows, lanes, coverage and transfers. Times come
from the problem's matrices (``travel_time_h`` to points, ``hub_travel_time_h`` to hubs); a
flow's hub wave is read from its receiving point or transfer source as documented
(``<hub>⇐<cut-off>h`` and ``<hub>⇒<ready>h``).
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

EPS = 1e-6


def _wave_cutoff(hub, name: str, arrow: str) -> float:
    """The cut-off of the wave named ``name`` (``<hub>⇐<c>h`` or ``<hub>⇒<c + handling>h``)."""
    value = float(name.rsplit(arrow, 1)[1].rstrip("h"))
    c = value if arrow == "⇐" else value - hub.handling_h
    best = min(hub.cutoffs_h, key=lambda x: abs(x - c))
    assert abs(best - c) < 1e-6, (name, hub.cutoffs_h)
    return best


def earliest_arrival(p, h: int) -> float:
    """First time a truck of another depot with stock can unload at hub ``h``."""
    hub = p.hubs[h]
    best = math.inf
    for s in range(len(p.source_ids)):
        d = int(p.source_depot[s])
        if p.depot_ids[d] == hub.depot_id or p.stock[s].sum() <= 0:
            continue
        if not any(p.fleet_depot[g] == d and p.fleet_count[g] > 0 for g in range(len(p.fleet_ids))):
            continue
        tau = p.hub_travel_time_h[d, h]
        if np.isfinite(tau):
            best = min(best, p.ready_h[s] + p.load_h + tau + p.unload_h)
    return best


def check_hub_plan(p, r) -> list[str]:
    """Return every violation of the plan ``r`` of ``p`` (empty list = feasible)."""
    err: list[str] = []
    S = {s: i for i, s in enumerate(p.source_ids)}
    K = {k: i for i, k in enumerate(p.item_ids)}
    J = {j: i for i, j in enumerate(p.point_ids)}
    D = {d: i for i, d in enumerate(p.depot_ids)}
    G = {g: i for i, g in enumerate(p.fleet_ids)}
    H = {h.depot_id: i for i, h in enumerate(p.hubs)}
    used = np.zeros_like(p.stock)
    got = np.zeros_like(p.demand)
    received = defaultdict(float)  # (hub, cutoff, item) -> units unloaded at the hub
    sent = defaultdict(float)  # (hub, cutoff, item) -> units loaded at the hub
    lane_kg: dict[int, float] = defaultdict(float)
    lane_m3: dict[int, float] = defaultdict(float)
    for f in r.flows:
        k = K[f.item_id]
        if f.quantity < -EPS:
            err.append(f"{f}: negative quantity")
        lane_kg[f.lane] += f.quantity * p.weight_kg[k]
        lane_m3[f.lane] += f.quantity * p.volume_m3[k]
        if f.source_id in S:
            s = S[f.source_id]
            used[s, k] += f.quantity
            if p.ready_h[s] > f.window_start_h + EPS:
                err.append(f"{f}: loaded before its source is ready")
            if p.depot_ids[p.source_depot[s]] != f.depot_id:
                err.append(f"{f}: source at another depot")
        else:  # second leg: goods the hub forwards
            h = H[f.hub_id]
            hub = p.hubs[h]
            c = _wave_cutoff(hub, f.source_id, "⇒")
            if f.depot_id != hub.depot_id or f.leg != "from_hub":
                err.append(f"{f}: forwarded goods not loaded at their hub")
            if f.window_start_h < c + hub.handling_h - EPS:
                err.append(f"{f}: leaves the hub before cut-off + handling")
            sent[(h, c, k)] += f.quantity
        if f.point_id in J:
            j = J[f.point_id]
            got[j, k] += f.quantity
            tau = p.travel_time_h[D[f.depot_id], j]
            if not np.isfinite(tau) or f.window_start_h + p.load_h + tau + p.unload_h > p.deadline_h[j] + EPS:
                err.append(f"{f}: not unloaded by the point's deadline")
        else:  # first leg: to a hub
            h = H[f.hub_id]
            hub = p.hubs[h]
            c = _wave_cutoff(hub, f.point_id, "⇐")
            if f.source_id not in S or f.leg != "to_hub":
                err.append(f"{f}: goods reach a hub from a hub")
            tau = p.hub_travel_time_h[D[f.depot_id], h]
            if f.depot_id == hub.depot_id:
                err.append(f"{f}: a hub sends to itself")
            if not np.isfinite(tau) or f.window_start_h + p.load_h + tau + p.unload_h > c + EPS:
                err.append(f"{f}: not unloaded at the hub by the cut-off {c}")
            received[(h, c, k)] += f.quantity
    if (used > p.stock * (1 + 1e-7) + EPS).any():
        err.append("stock exceeded")
    for h, hub in enumerate(p.hubs):
        a = earliest_arrival(p, h)
        for k in range(len(p.item_ids)):
            cum_in = cum_out = 0.0
            for c in hub.cutoffs_h:
                cum_in += received[(h, c, k)]
                cum_out += sent[(h, c, k)]
                if cum_out > cum_in * (1 + 1e-7) + EPS:
                    err.append(f"hub {hub.depot_id} wave {c} item {k}: sends {cum_out} of {cum_in} received")
            if cum_out < cum_in * (1 - 1e-6) - EPS:
                err.append(f"hub {hub.depot_id} item {k}: {cum_in - cum_out} received and left at the hub")
        kg = 0.0
        for c in hub.cutoffs_h:
            kg += sum(received[(h, c, k)] * p.weight_kg[k] for k in range(len(p.item_ids)))
            finite = math.isfinite(hub.throughput_kg_h)
            room = max(c - a, 0.0) * hub.throughput_kg_h if finite and kg > EPS else math.inf
            if kg > room * (1 + 1e-7) + EPS:
                err.append(f"hub {hub.depot_id}: {kg} kg received by {c} h, throughput allows {room}")
    # lanes: weight and volume against trips, and each fleet's earliest-due-date time budget
    budget: dict[tuple[int, float], list[tuple[float, float]]] = defaultdict(list)
    for t in r.lanes:
        g, d = G[t.fleet_id], D[t.depot_id]
        if lane_kg[t.lane] > t.trips * p.capacity_kg[g] * (1 + 1e-7) + EPS:
            err.append(f"lane {t.lane} overweight")
        if lane_m3[t.lane] > t.trips * p.capacity_m3[g] * (1 + 1e-7) + EPS:
            err.append(f"lane {t.lane} over volume")
        if t.point_id in J:
            j = J[t.point_id]
            tau, deadline = p.travel_time_h[d, j], p.deadline_h[j]
        else:
            h = H[t.hub_id]
            tau, deadline = p.hub_travel_time_h[d, h], _wave_cutoff(p.hubs[h], t.point_id, "⇐")
        due = min(deadline + tau, t.window_end_h)
        budget[(g, t.window_start_h)].append((due, t.trips * (p.load_h + 2 * tau + p.unload_h)))
    for (g, start), trips in budget.items():
        trips.sort()
        cum = np.cumsum([x[1] for x in trips])
        dues = np.array([x[0] for x in trips])
        if (cum > p.fleet_count[g] * (dues - start) * (1 + 1e-7) + EPS).any():
            err.append(f"fleet {p.fleet_ids[g]} window {start}: trips exceed truck time")
    if not np.allclose(got, r.delivered, rtol=1e-6, atol=1e-5):
        err.append("delivered units differ from the flows")
    if (r.covered > p.demand + EPS).any():
        err.append("coverage exceeds demand")
    if not p.substitutions and (r.covered > got + 1e-5).any():
        err.append("coverage exceeds what arrived")
    # the reported transfers are what the flows say
    for t in r.transfers:
        h, k = H[t.hub_id], K[t.item_id]
        if (
            abs(t.received - received[(h, t.cutoff_h, k)]) > 1e-6
            or abs(t.sent - sent[(h, t.cutoff_h, k)]) > 1e-6
        ):
            err.append(f"transfer {t} differs from the flows")
    return err
