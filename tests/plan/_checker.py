"""Independent checker of a run's routed plan and its files.

Recomputes, without the engine's search or share code:

* the road states from the scenario's disruptions, and every leg's arrival with its own
  networkx Dijkstra on each state's roads (drive now, or wait at the origin for a later state);
* the headline and point shares from the routed arrivals (its own coverage and weights);
* the sums of allocation.csv, the trucks' loads and the 调拨单.

It returns every violation found (an empty list means the plan checks out).
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import networkx as nx
from openpyxl import load_workbook

if TYPE_CHECKING:
    from pathlib import Path

LEG_REL_TOL = 0.01  # leg times within 1 % of the checker's shortest path
ABS_TOL_S = 1.0
SHARE_TOL = 1e-6


class Roads:
    """The checker's own road states: a networkx graph per state, Dijkstra on demand."""

    def __init__(self, res: Any) -> None:
        tm = res.model.timed
        self.hours = self._breakpoints(res)
        self.graphs = []
        for k, h in enumerate(self.hours):
            net = tm.networks[k]
            g = nx.DiGraph()
            for e in range(net.n_edges):
                if net.open_from_h[e] <= h + 1e-9:
                    u, v, w = int(net.tail[e]), int(net.head[e]), float(net.travel_time_s[e])
                    if not g.has_edge(u, v) or g[u][v]["w"] > w:
                        g.add_edge(u, v, w=w)
            self.graphs.append(g)
        self.node = {pid: int(n) for pid, n in zip(tm.ids, tm.snapped.node, strict=True)}
        self._cache: dict[tuple[int, str], dict[int, float]] = {}

    @staticmethod
    def _breakpoints(res: Any) -> list[float]:
        sc = res.model.scenario
        horizon = max([p.deadline_h or sc.deadline_h for p in sc.demand] + [sc.deadline_h])
        hours = {0.0}
        for d in sc.disruptions:
            for h in (d.reopen_h, getattr(d, "start_h", None), getattr(d, "end_h", None)):
                if h is not None and 0 < h <= horizon:
                    hours.add(float(h))
        return sorted(hours)

    def static_s(self, k: int, a: str, b: str) -> float:
        key = (k, a)
        if key not in self._cache:
            src = self.node[a]
            g = self.graphs[k]
            self._cache[key] = (
                nx.single_source_dijkstra_path_length(g, src, weight="w") if src in g else {src: 0.0}
            )
        return self._cache[key].get(self.node[b], math.inf)

    def arrival_s(self, a: str, b: str, depart_s: float, speed: float) -> float:
        k0 = max(i for i, h in enumerate(self.hours) if h * 3600.0 <= depart_s + 1e-9)
        return min(max(depart_s, self.hours[k] * 3600.0) + self.static_s(k, a, b) / speed
                   for k in range(k0, len(self.hours)))  # fmt: skip


def _coverage(demand: dict, delivered: dict, subs: list) -> dict:
    cov = {key: min(delivered.get(key, 0.0), d) for key, d in demand.items()}
    spare = {key: delivered.get(key, 0.0) - demand.get(key, 0.0) for key in delivered}
    for item, sub, ratio in subs:
        for (j, k), d in demand.items():
            if k != item:
                continue
            extra = max(spare.get((j, sub), 0.0), 0.0)
            use = min(extra / ratio, d - cov[(j, k)])
            cov[(j, k)] += use
            spare[(j, sub)] = extra - use * ratio
    return cov


def check_plan(res: Any, out_dir: Path | None = None, roads: Roads | None = None) -> list[str]:
    """Return every violation of the plan of ``res`` (and of its files in ``out_dir``)."""
    bad: list[str] = []
    roads = roads or Roads(res)
    if [round(h, 9) for h in roads.hours] != [round(float(h), 9) for h in res.model.timed.start_h]:
        bad.append(f"road states {list(res.model.timed.start_h)} != checker's {roads.hours}")
    bad += _check_trips(res, roads)
    bad += _check_headline(res)
    bad += _check_resources(res)
    if out_dir is not None:
        bad += _check_files(res, out_dir)
    return bad


def _check_trips(res: Any, roads: Roads) -> list[str]:
    sc, bad = res.model.scenario, []
    points: dict[str, Any] = {p.id: p for p in sc.demand}
    for h in sc.hubs:  # a hub receives goods as a stop, by its last cut-off, unloaded like a point
        points[h.depot_id] = SimpleNamespace(unload_h=None, unload_h_per_t=None, receive_from_h=None,
                                             deadline_h=max(h.cutoffs_h))  # fmt: skip
    hours = {d: (o * 3600.0, c * 3600.0) for d, o, c in sc.depot_hours}
    load_s = sc.load_h * 3600.0
    for r in res.plan.routing.routes:
        opens, closes = hours.get(r.depot_id, (0.0, math.inf))
        for t in r.trips:
            if abs(t.departure_s - t.start_s - load_s) > ABS_TOL_S:
                bad.append(f"{r.vehicle_id}/{t.number}: loading time")
            if t.start_s < opens - ABS_TOL_S:
                bad.append(f"{r.vehicle_id}/{t.number}: loads at {t.start_s:.0f}s before the depot opens")
            prev, now = r.depot_id, t.departure_s
            for s in t.stops:
                ref = roads.arrival_s(prev, s.point_id, now, r.speed_factor)
                if not abs(s.arrival_s - ref) <= max(ABS_TOL_S, LEG_REL_TOL * (ref - now)):
                    bad.append(f"{r.vehicle_id}/{t.number} leg {prev}->{s.point_id} at {now:.0f}s: "
                               f"arrives {s.arrival_s:.0f}s, checker {ref:.0f}s")  # fmt: skip
                bad += _check_stop(sc, points[s.point_id], s, t.later, f"{r.vehicle_id}/{t.number}")
                prev, now = s.point_id, s.departure_s
            back = roads.arrival_s(prev, r.depot_id, now, r.speed_factor)
            if not abs(t.return_s - back) <= max(ABS_TOL_S, LEG_REL_TOL * (back - now)):
                bad.append(f"{r.vehicle_id}/{t.number}: return {t.return_s:.0f}s, checker {back:.0f}s")
            if not t.later and t.return_s > closes + ABS_TOL_S:
                bad.append(f"{r.vehicle_id}/{t.number}: back at {t.return_s:.0f}s after the depot closes")
    return bad


def _check_stop(sc: Any, p: Any, s: Any, later: bool, where: str) -> list[str]:
    """Receiving window, unloading time (fixed per visit + per tonne) and deadline of one stop."""
    bad = []
    fixed = (p.unload_h if p.unload_h is not None else sc.unload_h) * 3600.0
    per_t = (p.unload_h_per_t if p.unload_h_per_t is not None else sc.unload_h_per_t) * 3600.0
    tonnes = sum(x.weight_kg for x in s.loads) / 1000.0
    start = max(s.arrival_s, (p.receive_from_h or 0.0) * 3600.0)  # waits until the point receives
    if abs(s.departure_s - start - fixed - per_t * tonnes) > ABS_TOL_S:
        bad.append(f"{where}: unloading at {s.point_id} ends at {s.departure_s:.0f}s, checker "
                   f"{start + fixed + per_t * tonnes:.0f}s")  # fmt: skip
    deadline = (p.deadline_h or sc.deadline_h) * 3600.0
    if not later and s.departure_s > deadline + ABS_TOL_S:
        bad.append(f"{where}: {s.point_id} unloaded at {s.departure_s:.0f}s, after its deadline {deadline:.0f}s "
                   "(by-deadline wave)")  # fmt: skip
    return bad


def _check_headline(res: Any) -> list[str]:
    sc, p, plan = res.model.scenario, res.model.problem, res.plan
    demand = {(j, k): float(p.demand[a, b]) for a, j in enumerate(p.point_ids) for b, k in enumerate(p.item_ids)
              if p.demand[a, b] > 0}  # fmt: skip
    delivered: dict[tuple[str, str], float] = defaultdict(float)
    for r in plan.routing.routes:
        for t in r.trips:
            if t.later:
                continue
            for s in t.stops:
                for x in s.loads:
                    delivered[(s.point_id, x.item_id)] += x.quantity
    subs = [(s.item, s.substitute, s.ratio) for s in p.substitutions]
    cov = _coverage(demand, delivered, subs)
    num = den = 0.0
    shares = {}
    for a, j in enumerate(p.point_ids):
        items = [(k, d) for (jj, k), d in demand.items() if jj == j]
        if not items:
            continue
        w_k = {k: float(p.item_weight[p.item_ids.index(k)]) for k, _ in items}
        share = sum(w_k[k] * cov[(j, k)] / d for k, d in items) / sum(w_k.values())
        shares[j] = share
        w = float(p.priority[a]) * float(p.persons[a])
        num, den = num + w * share, den + w
    headline = num / den if den else 1.0
    s = res.summary()
    bad = []
    if abs(s["demand_met_share_by_deadline"] - headline) > SHARE_TOL:
        bad.append(f"headline {s['demand_met_share_by_deadline']} != recomputed {headline}")
    for u in s["unmet"]["by_point"]:
        if u["point"] in shares and abs(u["met_share"] - shares[u["point"]]) > 1e-4:
            bad.append(f"point {u['point']} met share {u['met_share']} != recomputed {shares[u['point']]}")
    if s["plan"]["bound"] + SHARE_TOL < headline:
        bad.append(f"bound {s['plan']['bound']} below the routed headline {headline}")
    del sc
    return bad


def _check_resources(res: Any) -> list[str]:
    bad, model = [], res.model
    stock = {(s.id, k): q for s in model.sources for k, q in s.stock.items()}
    ready = {s.id: s.ready_h * 3600.0 for s in model.sources}
    cat = model.scenario.region.catalogue
    used: dict[tuple[str, str], float] = defaultdict(float)
    trucks: dict[tuple[str, str], set[int]] = defaultdict(set)
    counts = {(v.depot_id, v.vehicle_type): v.count for v in model.fleet}
    for r in res.plan.routing.routes:
        trucks[(r.depot_id, r.vehicle_type)].add(r.vehicle_index)
        for t in r.trips:
            if (
                t.weight_kg > r.capacity_kg * (1 + 1e-9) + 1e-6
                or t.volume_m3 > r.capacity_m3 * (1 + 1e-9) + 1e-6
            ):
                bad.append(f"{r.vehicle_id}/{t.number}: over capacity")
            for s in t.stops:
                for x in s.loads:
                    used[(x.source_id, x.item_id)] += x.quantity
                    due = ready[x.source_id] if x.source_id in ready else _forward_ready(x.source_id)
                    if t.start_s < due - ABS_TOL_S:
                        bad.append(f"{r.vehicle_id}/{t.number}: loads {x.source_id} before it is released")
                    if not cat[x.item_id].is_measure and abs(x.quantity - round(x.quantity)) > 1e-9:
                        bad.append(f"{r.vehicle_id}/{t.number}: {x.quantity} {x.item_id} is not whole")
    stock |= _hub_resources(res, bad)
    for key, q in used.items():
        if q > stock.get(key, 0.0) * (1 + 1e-9) + 1e-6:
            bad.append(f"{key}: {q} delivered > stock {stock.get(key, 0.0)}")
    for key, idx in trucks.items():
        if len(idx) > counts.get(key, 0) or max(idx) >= counts.get(key, 0):
            bad.append(f"{key}: {len(idx)} trucks used, fleet {counts.get(key, 0)}")
    return bad


def _forward_ready(source_id: str) -> float:
    """Release (s) of goods a hub forwards, as its source id ``<hub>⇒<h>h`` says (waves: ``_hub_resources``)."""
    return float(source_id.split("⇒")[1].rstrip("h")) * 3600.0


def _hub_resources(res: Any, bad: list[str]) -> dict[tuple[str, str], float]:
    """What each hub may forward: goods unloaded there by a cut-off, from that cut-off + handling on.

    For every forwarded trip loading at ``t``, the goods of each item it and the hub's earlier
    trips carry must not exceed what by-deadline trips unloaded at the hub by the latest cut-off
    ``c`` with ``c + handling ≤ t``. Returns the forwarded stock per (source, item) as "stock"
    (so that the stock check passes for them) after checking this.
    """
    sc = res.model.scenario
    got: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    sent: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    stock: dict[tuple[str, str], float] = defaultdict(float)
    hubs = {h.depot_id: h for h in sc.hubs}
    for r in res.plan.routing.routes:
        for t in r.trips:
            for s in t.stops:
                for x in s.loads:
                    if s.point_id in hubs and not t.later:
                        got[(s.point_id, x.item_id)].append((s.departure_s, x.quantity))
                    if "⇒" in x.source_id:
                        hub_id = x.source_id.split("⇒")[0]
                        if r.depot_id != hub_id:
                            bad.append(
                                f"{r.vehicle_id}/{t.number}: forwards {x.source_id} from another depot"
                            )
                        sent[(hub_id, x.item_id)].append((t.start_s, x.quantity))
                        stock[(x.source_id, x.item_id)] += x.quantity
    for (hub_id, item), loads in sent.items():
        hub = hubs[hub_id]
        for start, _q in loads:
            waves = [c for c in hub.cutoffs_h if (c + hub.handling_h) * 3600.0 <= start + ABS_TOL_S]
            if not waves:
                bad.append(f"hub {hub_id}: {item} forwarded at {start:.0f}s before any cut-off + handling")
                continue
            arrived = sum(q for at, q in got[(hub_id, item)] if at <= max(waves) * 3600.0 + ABS_TOL_S)
            out = sum(q for st, q in loads if st <= start + ABS_TOL_S)
            if out > arrived + 1e-6:
                bad.append(f"hub {hub_id}: {out} {item} forwarded by {start:.0f}s, {arrived} arrived by then")
    return dict(stock)


def _check_files(res: Any, out: Path) -> list[str]:
    bad = []
    loads: dict[tuple[str, str, str], float] = defaultdict(float)
    for r in res.plan.routing.routes:
        for t in r.trips:
            for s in t.stops:
                for x in s.loads:
                    loads[(r.depot_id, s.point_id, x.item_id)] += x.quantity
    csv_q: dict[tuple[str, str, str], float] = defaultdict(float)
    with open(out / "allocation.csv", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            csv_q[(row["depot_id"], row["point_id"], row["item_id"])] += float(row["quantity"])
    names = {d.id: d.name for d in res.model.depots}
    points = {p.name: p.id for p in res.model.scenario.demand} | {names[h.depot_id]: h.depot_id
                                                                    for h in res.model.scenario.hubs}  # fmt: skip
    items = {res.model.scenario.region.catalogue[k].name_zh: k for k in res.model.problem.item_ids}
    order_q: dict[tuple[str, str, str], float] = defaultdict(float)
    wb = load_workbook(out / "调拨单.xlsx", read_only=True)
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = next((i for i, r in enumerate(rows) if r and r[0] == "调入点"), None)
        if header is None:
            continue
        depot = next(d for d in names if d[:31] == ws.title)
        for r in rows[header + 1 :]:
            if r and r[0] in points and r[1] in items:
                order_q[(depot, points[r[0]], items[r[1]])] += float(r[2])
    for key in sorted(set(loads) | set(csv_q) | set(order_q)):
        a, b, c = loads.get(key, 0.0), csv_q.get(key, 0.0), order_q.get(key, 0.0)
        if not (abs(a - b) <= 1e-6 * max(1, a) and abs(a - c) <= 1e-6 * max(1, a)):
            bad.append(f"{key}: route loads {a}, allocation.csv {b}, 调拨单 {c}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    if summary != res.summary():
        bad.append("summary.json differs from the run's summary")
    return bad
