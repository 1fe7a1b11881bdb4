"""Write the outputs of ``logistics run``: summary, tables, 调拨单, map layers, routes, schedule."""

from __future__ import annotations

import csv
import json
import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.allocation import REASON_ZH, fefo_assign
from logistics.common import atomic_path, write_text_atomic
from logistics.outputs.gantt import plot_gantt
from logistics.outputs.geometry import legs_to_geodataframe, write_routes_geojson
from logistics.outputs.sheets import write_dispatch_xlsx, write_schedule_xlsx
from logistics.roads import travel_time_matrix

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.plan import RunResult

__all__ = [
    "flow_rows",
    "flows_to_geodataframe",
    "points_to_geodataframe",
    "road_names_function",
    "road_path_function",
    "write_run_outputs",
]


def _csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:

    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def flow_rows(res: RunResult) -> list[dict[str, Any]]:
    """Return the allocation's flow lines (depot → point, item, quantity, times) as table rows.

    Parameters
    ----------
    res
        A run result.
    """
    sc = res.model.scenario
    cat = sc.region.catalogue
    names = {pt.id: pt.name for pt in sc.demand}
    depot_names = {d.id: d.name for d in res.model.depots}
    picks: dict[tuple[int, str, str], list[str]] = {}
    try:
        for pk in fefo_assign(res.allocation, res.model.batches):
            exp = pk.expiry.isoformat() if pk.expiry else "-"
            picks.setdefault((pk.lane, pk.source_id, pk.item_id), []).append(
                f"{pk.batch_id}({exp}):{pk.quantity:g}"
            )
    except ValueError:  # batches short of the plan cannot happen for stock read from lines
        picks = {}
    rows = []
    for f in sorted(res.allocation.flows, key=lambda f: (f.depot_id, f.point_id, f.item_id, f.delivery_h)):
        item = cat[f.item_id]
        # transfer orders list whole pieces for countable items (the LP divides units)
        qty = round(f.quantity, 3) if item.is_measure else float(math.floor(f.quantity + 1e-6))
        if qty <= 0:
            continue
        share = qty / f.quantity if f.quantity > 0 else 0.0
        rows.append(
            {
                "depot_id": f.depot_id,
                "depot_name": depot_names.get(f.depot_id, f.depot_id),
                "source_id": f.source_id,
                "point_id": f.point_id,
                "point_name": names.get(f.point_id, f.point_id),
                "item_id": f.item_id,
                "item_name": item.name_zh,
                "unit": item.unit,
                "quantity": qty,
                "weight_kg": round(f.weight_kg * share, 1),
                "volume_m3": round(f.volume_m3 * share, 3),
                "vehicle_group": f.fleet_id,
                "depart_window_h": round(f.window_start_h, 2),
                "delivery_h": round(f.delivery_h, 2),
                "distance_km": round(f.distance_km, 2),
                "batches_fefo": "; ".join(picks.get((f.lane, f.source_id, f.item_id), [])),
            }
        )
    return rows


def _write_transfer_orders(path: Path, res: RunResult, rows: list[dict[str, Any]]) -> None:
    """调拨单: one sheet per depot, lines grouped by destination, Chinese headers."""
    from openpyxl import Workbook  # heavy: loaded only on this path
    from openpyxl.styles import Font  # heavy: loaded only on this path

    sc = res.model.scenario
    wb = Workbook()
    wb.remove(wb.active)
    by_depot: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_depot.setdefault(r["depot_id"], []).append(r)
    notes = "；".join(res.model.notes)
    for did, lines in by_depot.items():
        ws = wb.create_sheet(title=did[:31])
        ws.append([f"救灾物资调拨单 — {lines[0]['depot_name']}"])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([f"情景：{sc.name}　时限：灾后{sc.deadline_h:g}小时内送达"])
        if notes:
            ws.append([f"【示意数据】{notes}"])
        ws.append([])
        header = [
            "调入点",
            "物资",
            "数量",
            "单位",
            "重量(kg)",
            "体积(m³)",
            "车辆组",
            "装车时段(时)",
            "预计送达(时)",
            "批次(先到期先出)",
        ]
        ws.append(header)
        for c in ws[ws.max_row]:
            c.font = Font(bold=True)
        for r in lines:
            ws.append([r["point_name"], r["item_name"], r["quantity"], r["unit"], r["weight_kg"], r["volume_m3"],
                       r["vehicle_group"], r["depart_window_h"], r["delivery_h"], r["batches_fefo"]])  # fmt: skip
        ws.append([])
        ws.append(["经办人：", "", "审核：", "", "日期："])
        for col, width in zip("ABCDEFGHIJ", (16, 12, 10, 6, 10, 10, 22, 12, 12, 40), strict=True):
            ws.column_dimensions[col].width = width
    if not by_depot:
        ws = wb.create_sheet("调拨单")
        ws.append(["本情景无调拨（无可调运物资或均无法送达）"])
    with atomic_path(path) as tmp:
        wb.save(tmp)


def flows_to_geodataframe(res: RunResult, rows: list[dict[str, Any]]) -> Any:
    """Return the flows as straight depot → point lines (GeoDataFrame, EPSG:4326).

    Parameters
    ----------
    res
        A run result.
    rows
        Its :func:`flow_rows`.
    """
    import geopandas as gpd  # heavy: loaded only on this path
    from shapely.geometry import LineString  # heavy: loaded only on this path

    model = res.model
    pts = {pt.id: pt for pt in model.scenario.demand}
    agg: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        a = agg.setdefault(
            (r["depot_id"], r["point_id"]),
            {"weight_kg": 0.0, "volume_m3": 0.0, "items": {}, "delivery_h": 0.0},
        )
        a["weight_kg"] += r["weight_kg"]
        a["volume_m3"] += r["volume_m3"]
        a["items"][r["item_name"]] = a["items"].get(r["item_name"], 0) + r["quantity"]
        a["delivery_h"] = max(a["delivery_h"], r["delivery_h"])
    recs, geoms = [], []
    for (d, j), a in sorted(agg.items()):
        dep = model.depot(d)
        path = model.road_path(d, j)
        geom = (
            path.geometry
            if path is not None and path.geometry is not None
            else LineString([(dep.lon, dep.lat), (pts[j].lon, pts[j].lat)])
        )
        recs.append({"depot_id": d, "depot_name": dep.name, "point_id": j, "point_name": pts[j].name,
                     "weight_t": round(a["weight_kg"] / 1000, 3), "volume_m3": round(a["volume_m3"], 2),
                     "items": "；".join(f"{k}{v:g}" for k, v in a["items"].items()), "last_delivery_h": a["delivery_h"],
                     "road_geometry": path is not None})  # fmt: skip
        geoms.append(geom)
    return gpd.GeoDataFrame(recs, geometry=geoms, crs="EPSG:4326")


def points_to_geodataframe(res: RunResult, summary: dict[str, Any]) -> Any:
    """Return the demand points with their met and unmet shares (GeoDataFrame, EPSG:4326).

    Parameters
    ----------
    res
        A run result.
    summary
        Its summary (:meth:`RunResult.summary`).
    """
    import geopandas as gpd  # heavy: loaded only on this path

    sc = res.model.scenario
    by_point = {u["point"]: u for u in summary["unmet"]["by_point"]}
    arr = {a["point"]: a for a in summary["arrivals"]}
    reasons: dict[str, set[str]] = {}
    for s in res.allocation.shortfalls:
        reasons.setdefault(s.point_id, set()).add(REASON_ZH.get(s.reason, s.reason))
    recs = []
    for pt in sc.demand:
        u = by_point[pt.id]
        recs.append({"point_id": pt.id, "name": pt.name, "relocated": pt.relocated, "need_relief": pt.need_relief,
                     "priority": pt.priority, "met_share": u["met_share"], "unmet_share": u["unmet_share"],
                     "last_delivery_h": arr[pt.id]["last_delivery_h"], "shortfall_reasons": "、".join(sorted(reasons.get(pt.id, [])))})  # fmt: skip
    return gpd.GeoDataFrame(
        recs,
        geometry=gpd.points_from_xy([p.lon for p in sc.demand], [p.lat for p in sc.demand]),
        crs="EPSG:4326",
    )


def _write_vector(path: Path, layers: dict[str, Any]) -> None:
    with atomic_path(path) as tmp:
        for name, gdf in layers.items():
            if len(gdf):
                gdf.to_file(tmp, layer=name, driver="GPKG")


def write_run_outputs(
    res: RunResult, out_dir: str | Path, *, lang: str = "zh", progress: Callable[[str], None] | None = None
) -> dict[str, Path]:
    """Write every output of a run into ``out_dir`` (each file atomically).

    Files: ``summary.json`` (deterministic), ``timing.json``, ``allocation.csv``, ``unmet.csv``,
    ``arrivals.csv``, ``调拨单.xlsx`` (one sheet per depot), ``flows.geojson`` and
    ``logistics.gpkg`` (layers flows, points, depots, routes; open in QGIS), and with routes
    ``routes.geojson``, ``schedule.xlsx``, ``dispatch.xlsx`` (a sheet per driver, Chinese) and
    ``gantt.png``.

    Parameters
    ----------
    res
        A run result.
    out_dir
        Output folder (created).
    lang
        Language of sheet labels and the chart.
    progress
        Called with the name of each file written.

    Returns
    -------
    dict
        Output name → path.
    """
    import geopandas as gpd  # heavy: loaded only on this path

    say = progress or (lambda _m: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    summary = res.summary()
    files["summary"] = out / "summary.json"
    write_text_atomic(files["summary"], json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    files["timing"] = out / "timing.json"
    write_text_atomic(
        files["timing"], json.dumps({k: round(v, 3) for k, v in res.timings_s.items()}, indent=1) + "\n"
    )
    rows = flow_rows(res)
    files["allocation"] = out / "allocation.csv"
    _csv(
        files["allocation"], rows, list(rows[0]) if rows else ["depot_id", "point_id", "item_id", "quantity"]
    )
    files["unmet"] = out / "unmet.csv"
    unmet = [dict(u, reason_zh=REASON_ZH.get(u["reason"], u["reason"])) for u in summary["unmet"]["lines"]]
    _csv(files["unmet"], unmet, ["point", "item", "demand", "unmet", "reason", "reason_zh"])
    files["arrivals"] = out / "arrivals.csv"
    _csv(
        files["arrivals"],
        summary["arrivals"],
        list(summary["arrivals"][0]) if summary["arrivals"] else ["point"],
    )
    files["transfer_orders"] = out / "调拨单.xlsx"
    _write_transfer_orders(files["transfer_orders"], res, rows)
    say("tables")
    flows = flows_to_geodataframe(res, rows)
    points = points_to_geodataframe(res, summary)
    depots = gpd.GeoDataFrame(
        [{"depot_id": d.id, "name": d.name, "level": d.level, "reserve_type": d.reserve_type.value} for d in res.model.depots],
        geometry=gpd.points_from_xy([d.lon for d in res.model.depots], [d.lat for d in res.model.depots]), crs="EPSG:4326",
    )  # fmt: skip
    files["flows"] = out / "flows.geojson"
    with atomic_path(files["flows"]) as tmp:
        (flows if len(flows) else gpd.GeoDataFrame({"depot_id": []}, geometry=[], crs="EPSG:4326")).to_file(
            tmp, driver="GeoJSON"
        )
    layers = {"flows": flows, "points": points, "depots": depots}
    if res.routing is not None:
        model = res.model
        place_names = {pt.id: pt.name for pt in model.scenario.demand} | {d.id: d.name for d in model.depots}
        item_names = {k: model.scenario.region.catalogue[k].name_zh for k in model.problem.item_ids}
        coords = {pt.id: (pt.lon, pt.lat) for pt in model.scenario.demand} | {
            d.id: (d.lon, d.lat) for d in model.depots
        }
        path_fn = road_path_function(res)
        t0 = model.scenario.hazard.time
        files["routes"] = out / "routes.geojson"
        write_routes_geojson(
            res.routing,
            files["routes"],
            path_fn,
            coords=coords,
            place_names=place_names,
            item_names=item_names,
        )
        layers["routes"] = legs_to_geodataframe(res.routing, path_fn, coords=coords, place_names=place_names)
        files["schedule"] = out / "schedule.xlsx"
        write_schedule_xlsx(
            res.routing, files["schedule"], t0=t0, place_names=place_names, item_names=item_names, lang=lang
        )
        files["dispatch"] = out / "dispatch.xlsx"
        write_dispatch_xlsx(res.routing, files["dispatch"], t0=t0, place_names=place_names, item_names=item_names,
                            road_names=road_names_function(res))  # fmt: skip
        files["gantt"] = out / "gantt.png"
        plot_gantt(res.routing, files["gantt"], t0=t0, place_names=place_names, lang=lang)
        say("routes")
    files["gpkg"] = out / "logistics.gpkg"
    _write_vector(files["gpkg"], layers)
    return files


def _square_matrices(res: RunResult) -> Any:
    cache = res.road_matrix if res.road_matrix is not None else getattr(res, "_square", None)
    if cache is None:
        model = res.model
        sc = model.scenario
        coords = [(d.id, d.lon, d.lat) for d in model.depots] + [(pt.id, pt.lon, pt.lat) for pt in sc.demand]

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cache = travel_time_matrix(
                model.network, coords, coords, disruptions=model.disruptions, depart_h=sc.load_h
            )
        object.__setattr__(res, "_square", cache)
    return cache


def road_path_function(res: RunResult) -> Callable[[str, str], Any]:
    """Return ``path(from_id, to_id)``: the road path between two places of the run.

    Parameters
    ----------
    res
        A run result.
    """
    m = _square_matrices(res)

    def path(a: str, b: str) -> Any:
        p = m.path(a, b)
        return p.geometry if p.reachable else None

    return path


def road_names_function(res: RunResult) -> Callable[[str, str], list[str]]:
    """Return ``names(from_id, to_id)``: the road names along the path between two places.

    Parameters
    ----------
    res
        A run result.
    """
    m = _square_matrices(res)
    net = res.model.network

    def names(a: str, b: str) -> list[str]:
        p = m.path(a, b)
        if not p.reachable:
            return []
        out: list[str] = []
        for e in p.edges:
            n = str(net.name[e] or net.ref[e] or "")
            if n and (not out or out[-1] != n):
                out.append(n)
        return out

    return names
