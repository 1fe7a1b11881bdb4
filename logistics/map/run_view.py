"""The one-map view of a run: demand points by met share, truck routes with times, closures.

Reads what ``logistics run`` wrote — ``summary.json``, the GeoPackage (layers found by their
English names in its ``field_names`` table, so a Chinese or an English run reads alike),
``allocation.csv``, ``arrivals.csv`` and ``unmet.csv`` — and never recomputes the plan: the map
shows the same figures as the run's other outputs.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.exceptions import InputError, Problem, tr
from logistics.map.view import LegendEntry, MapLayer, MapView, feature, popup_html, share_color, share_legend

if TYPE_CHECKING:
    from logistics.region import Region

__all__ = ["read_run_layers", "run_view"]

GPKG = "logistics.gpkg"


def _missing(path: Path, what_en: str, what_zh: str) -> InputError:
    return InputError(
        [
            Problem(
                tr(f"not a run output folder: {what_en}", f"不是情景运行的输出目录：{what_zh}"),
                file=str(path),
            )
        ]
    )


def read_run_layers(run_dir: Path) -> dict[str, Any]:
    """Read the run's GeoPackage layers as GeoDataFrames with English layer and field names.

    Parameters
    ----------
    run_dir
        Output folder of ``logistics run``.
    """
    import pyogrio  # heavy: loaded only on this path

    path = run_dir / GPKG
    if not path.is_file():
        raise _missing(path, f"{GPKG} is missing", f"缺少 {GPKG}")
    names = pyogrio.read_dataframe(path, layer="field_names")
    layer_en = dict(zip(names["layer"], names["layer_en"], strict=True))
    fields: dict[str, dict[str, str]] = defaultdict(dict)
    for lay, f, f_en in zip(names["layer"], names["field"], names["field_en"], strict=True):
        fields[lay][f] = f_en
    out = {}
    for name, _geom in pyogrio.list_layers(path):
        if name == "field_names" or name == "layer_styles":
            continue
        gdf = pyogrio.read_dataframe(path, layer=name)
        out[layer_en.get(name, name)] = gdf.rename(columns=fields.get(name, {}))
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _truck_color(vehicle: str) -> str:
    h = int(hashlib.sha1(vehicle.encode()).hexdigest()[:6], 16)  # stable across runs and machines
    return f"hsl({h % 360}, 70%, 40%)"


def _num(v: Any, digits: int = 1) -> str:
    try:
        return f"{float(v):,.{digits}f}"
    except (TypeError, ValueError):
        return ""


def _points(
    layers: dict[str, Any], run_dir: Path, allocation: list[dict[str, str]], deadline_h: float, zh: bool
) -> MapLayer:
    arrivals = {r["point"]: r for r in _csv(run_dir / "arrivals.csv")}
    delivered: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    units: dict[str, str] = {}
    for r in allocation:
        if r.get("wave") == "deadline":
            delivered[r["point_id"]][r["item_name"]] += float(r["quantity"] or 0)
            units[r["item_name"]] = r["unit"]
    short: dict[str, list[str]] = defaultdict(list)
    for r in _csv(run_dir / "unmet.csv"):
        if float(r.get("unmet") or 0) > 0:
            short[r["point"]].append(
                f"{r['item']}: {_num(r['unmet'], 0)} ({r['reason_zh'] if zh else r['reason']})"
            )
    gdf = layers.get("points")
    features = []
    for _, row in [] if gdf is None else gdf.iterrows():
        pid, share = str(row["point_id"]), float(row["met_share"])
        arr = arrivals.get(pid, {})
        rows = [
            ("转移安置人数" if zh else "relocated persons", _num(row.get("relocated"), 0)),
            (f"{deadline_h:g} 小时内满足率" if zh else f"met by {deadline_h:g} h", f"{100 * share:.1f}%"),
            ("首车到达（小时）" if zh else "first arrival (h)", _num(arr.get("first_arrival_h"), 2)),
            ("最后卸货（小时）" if zh else "last unloaded (h)", _num(row.get("last_unloaded_h"), 2)),
        ]
        rows += [
            (f"{'送达' if zh else 'delivered'} {k}", f"{v:,.0f} {units[k]}")
            for k, v in sorted(delivered[pid].items())
        ]
        lines = [("缺口 " if zh else "short ") + s for s in short.get(pid, [])]
        if row.get("shortfall_reasons"):
            lines.append(str(row["shortfall_reasons"]))
        features.append(
            feature(
                row.geometry,
                id=pid,
                name=str(row["name"]),
                popup=popup_html(str(row["name"]), rows, lines=lines),
                color=share_color(share),
                radius=8,
                share=round(share, 4),
                late=int(share < 1),
            )
        )
    return MapLayer(
        "points",
        "需求点（按满足率）" if zh else "Demand points (met share)",
        features,
        legend=share_legend("zh" if zh else "en", "满足率", "met"),
    )


def _depots(layers: dict[str, Any], allocation: list[dict[str, str]], zh: bool) -> MapLayer:
    sent: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    units: dict[str, str] = {}
    for r in allocation:
        sent[r["depot_id"]][r["item_name"]] += float(r["quantity"] or 0)
        units[r["item_name"]] = r["unit"]
    gdf = layers.get("depots")
    features = []
    for _, row in [] if gdf is None else gdf.iterrows():
        did = str(row["depot_id"])
        rows = [("编号" if zh else "id", did), ("级别" if zh else "level", str(row.get("level") or ""))]
        rows += [
            (f"{'调出' if zh else 'sends'} {k}", f"{v:,.0f} {units[k]}") for k, v in sorted(sent[did].items())
        ]
        features.append(
            feature(
                row.geometry,
                id=did,
                name=str(row["name"]),
                popup=popup_html(str(row["name"]), rows),
                color="#08306b",
                radius=7,
            )
        )
    return MapLayer("depots", "储备库（点）" if zh else "Depots", features,
                    legend=[LegendEntry("#08306b", "储备库（点）" if zh else "depot")])  # fmt: skip


def _routes(layers: dict[str, Any], zh: bool) -> tuple[MapLayer, tuple[float, float] | None]:
    gdf = layers.get("routes")
    features = []
    hours: list[float] = []
    for _, row in [] if gdf is None else gdf.iterrows():
        if row.geometry is None or row.geometry.is_empty:
            continue
        truck, t0, t1 = str(row["vehicle_id"]), float(row["depart_h"]), float(row["arrive_h"])
        hours += [t0, t1]
        rows = [
            ("车辆" if zh else "truck", truck),
            ("趟次/段" if zh else "trip / leg", f"{int(row['trip'])} / {int(row['leg'])}"),
            ("起讫" if zh else "from → to", f"{row['from_name']} → {row['to_name']}"),
            ("出发—到达（小时）" if zh else "depart – arrive (h)", f"{t0:.2f} – {t1:.2f}"),
            ("载重（千克）" if zh else "load (kg)", _num(row.get("load_kg"), 0)),
        ]
        features.append(
            feature(
                row.geometry,
                name=f"{truck} {row['to_name']}",
                popup=popup_html(truck, rows),
                color=_truck_color(truck),
                truck=truck,
                t0=round(t0, 4),
                t1=round(t1, 4),
            )
        )
    span = (min(hours), max(hours)) if hours else None
    legend = [
        LegendEntry("#555555", "车辆路线（每车一色）" if zh else "truck legs (one colour per truck)", "line")
    ]
    return MapLayer("routes", "车辆路线" if zh else "Truck routes", features, legend=legend), span


def _closures(layers: dict[str, Any], zh: bool) -> MapLayer:
    gdf = layers.get("closures")
    features = []
    for _, row in [] if gdf is None else gdf.iterrows():
        closed = str(row.get("kind")) in ("closure", "封闭")
        reopen = row.get("reopen_h")
        rows = [("类型" if zh else "kind", str(row.get("kind"))),
                ("抢通时间（小时）" if zh else "reopens at (h)", _num(reopen, 1) or ("未定" if zh else "not set")),
                ("路段数" if zh else "road links", _num(row.get("edges"), 0))]  # fmt: skip
        features.append(
            feature(
                row.geometry,
                name=str(row["label"]),
                popup=popup_html(str(row["label"]), rows),
                color="#d7191c" if closed else "#fdae61",
                dash=1,
            )
        )
    legend = [LegendEntry("#d7191c", "道路封闭（至抢通）" if zh else "road closed (until reopened)", "line"),
              LegendEntry("#fdae61", "限速路段" if zh else "slowdown", "line")]  # fmt: skip
    return MapLayer(
        "closures", "道路封闭与抢通" if zh else "Closures and reopenings", features, legend=legend
    )


def run_view(run_dir: str | Path, *, region: Region | None = None, lang: str = "zh") -> MapView:
    """Build the map of a run's output folder.

    Parameters
    ----------
    run_dir
        Output folder of ``logistics run``.
    region
        When given, the run must be of this region (same adcode), else :class:`InputError`.
    lang
        ``"zh"`` or ``"en"``.

    Raises
    ------
    InputError
        Missing folder or files, or a run of another region.
    """
    zh = lang == "zh"
    d = Path(run_dir)
    if not d.is_dir():
        raise InputError([Problem(tr("run folder not found", "找不到情景运行输出目录"), file=str(d))])
    summary_path = d / "summary.json"
    if not summary_path.is_file():
        raise _missing(summary_path, "summary.json is missing", "缺少 summary.json")
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(
            [Problem(tr(f"not valid JSON: {exc}", f"不是有效的 JSON：{exc}"), file=str(summary_path))]
        ) from None
    ran = summary.get("region") or {}
    if region is not None and not ran:
        raise InputError([Problem(
            tr("summary.json does not name the run's region (written by an older version; run again)",
               "summary.json 未记录运行所用区域（旧版本生成，请重新运行情景）"),
            file=str(summary_path), column="region")])  # fmt: skip
    if region is not None and str(ran.get("adcode")) != str(region.adcode):
        raise InputError([Problem(
            tr(f"the run is of region {ran.get('name')!r} ({ran.get('adcode')}), not {region.name!r} ({region.adcode})",
               f"该运行结果属于区域 {ran.get('name')!r}（{ran.get('adcode')}），不是 {region.name!r}（{region.adcode}）"),
            file=str(summary_path), column="region", value=str(ran.get("adcode")))])  # fmt: skip
    layers = read_run_layers(d)
    deadline = float(summary.get("deadline_h") or 12.0)
    routes, span = _routes(layers, zh)
    allocation = _csv(d / "allocation.csv")
    view_layers = [
        _closures(layers, zh),
        routes,
        _points(layers, d, allocation, deadline, zh),
        _depots(layers, allocation, zh),
    ]
    share = float(summary.get("demand_met_share_by_deadline") or 0.0)
    name = summary.get("scenario", "")
    if zh:
        title = f"{name} 应急调运一张图"
        subtitle = f"{deadline:g} 小时内需求满足率 {100 * share:.1f}%（按实际车辆路线计）"
    else:
        title = f"{name}: relief logistics one-map"
        subtitle = f"demand met by {deadline:g} h: {100 * share:.1f} % (from the routed trucks)"
    return MapView(title, subtitle, view_layers, notes=[str(n) for n in summary.get("illustrative", [])],
                   hours=span, lang=lang)  # type: ignore[arg-type]  # fmt: skip
