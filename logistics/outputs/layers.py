"""Map layers of a run (for QGIS): flows, demand points, depots, and road paths of legs."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from logistics.plan import UNMET_REASON_ZH
from logistics.roads import Closure, disruption_edges

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.plan import RunResult

__all__ = [
    "depots_to_geodataframe",
    "flows_to_geodataframe",
    "points_to_geodataframe",
    "road_names_function",
    "road_path_function",
]


def _paths(res: RunResult) -> Callable[[str, str, float], Any]:
    """Return a cached ``path(from, to, depart_s)`` over the run's road states."""
    cache: dict[tuple[str, str, int], Any] = {}
    tm = res.model.timed

    def path(a: str, b: str, depart_s: float) -> Any:
        state = tm.leg(tm.index(a), tm.index(b), depart_s).state
        key = (a, b, state)
        if key not in cache:
            cache[key] = res.model.road_path(a, b, depart_s / 3600.0)
        return cache[key]

    return path


def road_path_function(res: RunResult) -> Callable[[str, str, float], Any]:
    """Return ``path(from_id, to_id, depart_s)``: the road geometry of a leg of the run (or ``None``).

    Parameters
    ----------
    res
        A run result.
    """
    paths = _paths(res)

    def geometry(a: str, b: str, depart_s: float) -> Any:
        p = paths(a, b, depart_s)
        return p.geometry if p is not None else None

    return geometry


def road_names_function(res: RunResult) -> Callable[[str, str, float], list[str]]:
    """Return ``names(from_id, to_id, depart_s)``: road names along a leg, in order.

    Parameters
    ----------
    res
        A run result.
    """
    paths = _paths(res)
    tm = res.model.timed

    def names(a: str, b: str, depart_s: float) -> list[str]:
        p = paths(a, b, depart_s)
        if p is None:
            return []
        net = tm.network_at(tm.leg(tm.index(a), tm.index(b), depart_s).state)
        out: list[str] = []
        for e in p.edges:
            n = str(net.name[e] or net.ref[e] or "")
            if n and (not out or out[-1] != n):
                out.append(n)
        return out

    return names


def flows_to_geodataframe(res: RunResult, rows: list[dict[str, Any]]) -> Any:
    """Return the plan's flows: one road line per depot → point with what it carries (EPSG:4326).

    Parameters
    ----------
    res
        A run result.
    rows
        Its dispatch lines (:func:`~logistics.outputs.tables.delivery_rows`).
    """
    import geopandas as gpd  # heavy: loaded only on this path
    from shapely.geometry import LineString  # heavy: loaded only on this path

    model = res.model
    pts: dict[str, Any] = {d.id: d for d in model.depots} | {pt.id: pt for pt in model.scenario.demand}
    agg: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"weight_kg": 0.0, "volume_m3": 0.0, "items": {}, "last": 0.0, "later": False}
    )
    for r in rows:
        a = agg[(r["depot_id"], r["point_id"])]
        a["weight_kg"] += r["weight_kg"]
        a["volume_m3"] += r["volume_m3"]
        a["items"][r["item_name"]] = a["items"].get(r["item_name"], 0) + r["quantity"]
        a["last"] = max(a["last"], r["last_unloaded_h"])
        a["later"] = a["later"] or r["wave"] == "later"
    paths = _paths(res)
    recs, geoms = [], []
    for (d, j), a in sorted(agg.items()):
        dep = model.depot(d)
        start = (model.depot_ready_h.get(d, 0.0) + model.scenario.load_h) * 3600.0
        path = paths(d, j, start)
        line = path.geometry if path is not None and path.geometry is not None else None
        geoms.append(line if line is not None else LineString([(dep.lon, dep.lat), (pts[j].lon, pts[j].lat)]))
        recs.append({"depot_id": d, "depot_name": dep.name, "point_id": j, "point_name": pts[j].name,
                     "weight_t": round(a["weight_kg"] / 1000, 3), "volume_m3": round(a["volume_m3"], 2),
                     "items": "；".join(f"{k}{v:g}" for k, v in a["items"].items()), "last_unloaded_h": a["last"],
                     "later_wave": a["later"], "road_geometry": line is not None})  # fmt: skip
    return gpd.GeoDataFrame(recs, geometry=geoms, crs="EPSG:4326")


def points_to_geodataframe(res: RunResult, summary: dict[str, Any]) -> Any:
    """Return the demand points with their met shares and unmet reasons (EPSG:4326).

    Parameters
    ----------
    res
        A run result.
    summary
        Its summary (:meth:`~logistics.plan.RunResult.summary`).
    """
    import geopandas as gpd  # heavy: loaded only on this path

    sc = res.model.scenario
    by_point = {u["point"]: u for u in summary["unmet"]["by_point"]}
    arr = {a["point"]: a for a in summary["arrivals"]}
    reasons: dict[str, set[str]] = defaultdict(set)
    for u in summary["unmet"]["lines"]:
        reasons[u["point"]].add(UNMET_REASON_ZH.get(u["reason"], u["reason"]))
    recs = [
        {"point_id": pt.id, "name": pt.name, "relocated": pt.relocated, "need_relief": pt.need_relief,
         "priority": pt.priority, "met_share": by_point[pt.id]["met_share"],
         "unmet_share": by_point[pt.id]["unmet_share"], "last_unloaded_h": arr[pt.id]["last_unloaded_h"],
         "shortfall_reasons": "、".join(sorted(reasons[pt.id]))}
        for pt in sc.demand
    ]  # fmt: skip
    return gpd.GeoDataFrame(
        recs,
        geometry=gpd.points_from_xy([p.lon for p in sc.demand], [p.lat for p in sc.demand]),
        crs="EPSG:4326",
    )


def depots_to_geodataframe(res: RunResult) -> Any:
    """Return the depots in play (EPSG:4326).

    Parameters
    ----------
    res
        A run result.
    """
    import geopandas as gpd  # heavy: loaded only on this path

    ds = res.model.depots
    recs = [
        {"depot_id": d.id, "name": d.name, "level": d.level, "reserve_type": d.reserve_type.value} for d in ds
    ]
    return gpd.GeoDataFrame(
        recs, geometry=gpd.points_from_xy([d.lon for d in ds], [d.lat for d in ds]), crs="EPSG:4326"
    )


def closures_to_geodataframe(res: RunResult) -> Any:
    """Return the scenario's road closures and slowdowns as the roads they hit (EPSG:4326).

    One feature per disruption: the affected road edges as a MultiLineString, with its label,
    kind (``封闭`` closure, ``限速`` slowdown), reopening hour (抢通) or speed factor and hours, so
    that a planner sees in QGIS why a place is cut off.

    Parameters
    ----------
    res
        A run result.
    """
    import geopandas as gpd  # heavy: loaded only on this path
    from shapely.geometry import MultiLineString  # heavy: loaded only on this path

    net = res.model.network
    recs, geoms = [], []
    for d in res.model.disruptions:
        edges = disruption_edges(net, d)
        if not len(edges):
            continue
        closure = isinstance(d, Closure)
        recs.append({
            "label": d.label or ("封闭" if closure else "限速"), "kind": "封闭" if closure else "限速",
            "reopen_h": (None if d.reopen_h is None else float(d.reopen_h)) if closure else None,
            "speed_factor": None if closure else float(d.speed_factor),
            "start_h": None if closure else float(d.start_h),
            "end_h": None if closure or d.end_h is None else float(d.end_h), "edges": len(edges),
        })  # fmt: skip
        geoms.append(MultiLineString([net.edge_coords(int(e)) for e in edges]))
    cols = ["label", "kind", "reopen_h", "speed_factor", "start_h", "end_h", "edges"]
    return gpd.GeoDataFrame(recs, columns=cols, geometry=geoms, crs="EPSG:4326")
