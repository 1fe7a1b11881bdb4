"""logistics.gpkg as QGIS opens it: Chinese layer and field names, stored layer styles.

With ``lang="zh"`` (the default) layers and fields carry Chinese names (调运流向, 需求点, 储备库,
道路封闭与限速, 车辆路线; 库点编号, 重量（吨）…), and the table ``field_names`` maps every one to
its English name (``lang="en"`` keeps the English names). The table ``layer_styles`` — the one
QGIS reads a GeoPackage's default styles from — holds a QML style per layer, so the layers open
coloured: flows blue, routes green, closures red, depots as squares, demand points as circles.
Everything written is deterministic (no timestamps), so two identical runs give identical tables.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["FIELD_ZH", "LAYER_ZH", "write_gpkg"]

#: layer names in Chinese
LAYER_ZH = {
    "flows": "调运流向",
    "points": "需求点",
    "depots": "储备库",
    "closures": "道路封闭与限速",
    "routes": "车辆路线",
}

#: field names in Chinese (shared by the layers that have them)
FIELD_ZH = {
    "depot_id": "库点编号", "depot_name": "库点", "point_id": "需求点编号", "point_name": "需求点",
    "weight_t": "重量（吨）", "volume_m3": "体积（立方米）", "items": "物资", "last_unloaded_h": "最后卸货（小时）",
    "later_wave": "时限后补送", "road_geometry": "线形来源", "name": "名称", "relocated": "转移安置人数",
    "need_relief": "需救助人数", "priority": "优先级", "met_share": "满足率", "unmet_share": "缺口比例",
    "shortfall_reasons": "缺口原因", "level": "级别", "reserve_type": "储备类型", "label": "名称",
    "kind": "类型", "reopen_h": "抢通时间（小时）", "speed_factor": "限速系数", "start_h": "开始（小时）",
    "end_h": "结束（小时）", "edges": "路段数", "vehicle_id": "车辆编号", "vehicle_type": "车型",
    "vehicle_index": "车辆序号", "trip": "趟次", "leg": "路段序号", "from_id": "起点编号", "to_id": "终点编号",
    "from_name": "起点", "to_name": "终点", "depart_h": "出发（小时）", "arrive_h": "到达（小时）",
    "distance_km": "里程（公里）", "load_kg": "载重（千克）", "load_m3": "载货体积（立方米）",
    "geometry_source": "线形来源", "label_zh": "说明",
}  # fmt: skip

#: (geometry kind, RGBA colour, size or width in mm) per layer
_STYLE = {
    "flows": ("line", "31,120,180,200", 0.9),
    "routes": ("line", "51,160,44,230", 0.7),
    "closures": ("line", "227,26,28,255", 1.6),
    "depots": ("marker", "106,61,154,255", 4.0),
    "points": ("marker", "255,127,0,255", 3.0),
}


def write_gpkg(path: Path, layers: dict[str, Any], *, lang: str = "zh") -> None:
    """Write the layers (name → GeoDataFrame, empty ones left out) with names, fields and styles.

    Parameters
    ----------
    path
        The GeoPackage to create (a temporary path: the caller renames it into place).
    layers
        English layer name → GeoDataFrame with English field names.
    lang
        ``"zh"``: Chinese layer and field names plus the ``field_names`` table; ``"en"``: English.
    """
    zh = lang == "zh"
    written: list[tuple[str, str, str, str]] = []  # (layer, field, field_en, layer_en)
    styles: list[tuple[str, str]] = []
    for name, gdf in layers.items():
        if not len(gdf):
            continue
        layer = LAYER_ZH.get(name, name) if zh else name
        cols = {c: (FIELD_ZH.get(c, c) if zh else c) for c in gdf.columns if c != gdf.geometry.name}
        gdf.rename(columns=cols).to_file(path, layer=layer, driver="GPKG")
        written += [(layer, new, old, name) for old, new in cols.items()]
        if name in _STYLE:
            styles.append((layer, _qml(*_STYLE[name])))
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE field_names (layer TEXT, field TEXT, field_en TEXT, layer_en TEXT)")
        db.executemany("INSERT INTO field_names VALUES (?, ?, ?, ?)", written)
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES ('field_names', 'attributes', 'field_names', '字段中英文对照 / field names', "
            "'2000-01-01T00:00:00.000Z')"
        )
        db.execute(
            "CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
            "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), "
            "styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, "
            "owner TEXT(30), ui TEXT(30), update_time DATETIME)"
        )
        db.executemany(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
            "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
            "VALUES ('', '', ?, 'geom', ?, ?, '', 1, 'logistics', '', NULL, '2000-01-01T00:00:00')",
            [(layer, layer, qml) for layer, qml in styles],
        )


def _qml(kind: str, rgba: str, size: float) -> str:
    """Return a single-symbol QGIS style: a line of ``size`` mm or a marker of ``size`` mm."""
    if kind == "line":
        sym, cls = "line", "SimpleLine"
        opts = {"line_color": rgba, "line_width": f"{size:g}", "line_width_unit": "MM", "capstyle": "round"}
    else:
        sym, cls = "marker", "SimpleMarker"
        opts = {"color": rgba, "size": f"{size:g}", "size_unit": "MM", "outline_color": "35,35,35,255",
                "name": "square" if size >= 4 else "circle"}  # fmt: skip
    options = "".join(
        f'<Option name={quoteattr(k)} type="QString" value={quoteattr(v)}/>' for k, v in opts.items()
    )
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        '<qgis version="3.28.0" styleCategories="Symbology">'
        '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0"><symbols>'
        f'<symbol type="{sym}" name="0" alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="{cls}" enabled="1" pass="0" locked="0"><Option type="Map">{options}</Option></layer>'
        "</symbol></symbols></renderer-v2></qgis>"
    )
