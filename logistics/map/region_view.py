"""The one-map view of a region and its stock: depots, townships and each county's sufficiency.

Depots show what they hold (usable stock per item on the date) and what expires soon; counties
are coloured by the sufficiency check (:func:`~logistics.sufficiency.run_check`): the lower of
the county's quantity coverage at the target level and its share delivered by the deadline.
County areas come from an administrative-boundary file when one is given (matched by adcode or
name); otherwise each county is drawn as a circle at its seat.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from logistics.exceptions import InputError, Problem, tr
from logistics.map.view import LegendEntry, MapLayer, MapView, feature, popup_html, share_color, share_legend
from logistics.region import LEVEL_NAMES_ZH
from logistics.sufficiency import CheckParams, run_check

if TYPE_CHECKING:
    from pathlib import Path

    from logistics.region import Region

__all__ = ["county_areas", "region_view"]

#: depot colours by level (市 / 县 / 乡镇) and for reserves that are not physical stock
DEPOT_COLORS = {"市": "#08306b", "县": "#2171b5", "乡": "#6baed6", "other": "#7b3294"}
#: stock expiring within this many days is flagged in a depot's popup
EXPIRY_WARNING_DAYS = 90


def _depot_color(level: str, reserve_type: str) -> str:
    if reserve_type != "实物储备":
        return DEPOT_COLORS["other"]
    return DEPOT_COLORS[
        "市" if "市" in level or "省" in level else "县" if "县" in level or "区" in level else "乡"
    ]


def _depot_layer(region: Region, report: dict[str, Any], on: dt.date, zh: bool) -> MapLayer:
    inv = region.inventory()
    names = {it.id: (it.name("zh" if zh else "en"), it.unit) for it in inv.catalogue.items}
    expiring = defaultdict(list)
    for e in report.get("expiring", []):
        if e["days_left"] <= EXPIRY_WARNING_DAYS:
            expiring[e["depot"]].append(e)
    features = []
    for d in inv.depots:
        totals: dict[str, float] = defaultdict(float)
        for ln in inv.lines_at(d.id):
            if ln.expiry_date is None or ln.expiry_date >= on:
                totals[ln.item_id] += ln.quantity
        rows = [
            (names.get(i, (i, ""))[0], f"{q:,.0f} {names.get(i, (i, ''))[1]}")
            for i, q in sorted(totals.items(), key=lambda kv: names.get(kv[0], (kv[0],))[0])
        ]
        warn = []
        for e in sorted(expiring.get(d.id, []), key=lambda e: e["days_left"]):
            qty = f"{e['quantity']:,.0f}{e['unit']}"
            if zh:
                when = "已过期" if e["days_left"] < 0 else f"{e['days_left']} 天后过期"
                warn.append(f"⚠ {e['name']} {qty}：{when}（有效期 {e['expiry_date']}）")
            else:
                when = "expired" if e["days_left"] < 0 else f"expires in {e['days_left']} days"
                warn.append(f"⚠ {e['name']} {qty}: {when} ({e['expiry_date']})")
        head = [
            ("编号" if zh else "id", d.id),
            ("级别" if zh else "level", d.level),
            ("类型" if zh else "type", str(d.reserve_type.value)),
        ]
        if d.illustrative:
            warn.append("示意数据" if zh else "illustrative data")
        features.append(
            feature(
                {"type": "Point", "coordinates": [d.lon, d.lat]},
                id=d.id,
                name=d.name,
                popup=popup_html(d.name, head + rows, lines=warn),
                color=_depot_color(d.level, str(d.reserve_type.value)),
                radius=9 if "市" in d.level else 7,
                warn=len(warn),
            )
        )
    legend = [
        LegendEntry(DEPOT_COLORS["市"], "市级储备库" if zh else "city depot"),
        LegendEntry(DEPOT_COLORS["县"], "县级储备库" if zh else "county depot"),
        LegendEntry(DEPOT_COLORS["乡"], "乡镇储备点" if zh else "township depot"),
        LegendEntry(DEPOT_COLORS["other"], "协议/产能储备" if zh else "contract / capacity reserve"),
    ]
    return MapLayer("depots", "储备库（点）" if zh else "Depots", features, legend=legend)


def county_areas(path: str | Path) -> dict[str, Any]:
    """County polygons of an administrative-boundary file, by adcode and by name (WGS-84).

    Parameters
    ----------
    path
        GeoJSON, GeoPackage or shapefile with a ``name`` (or ``名称``) field and optionally
        ``adcode``.
    """
    import geopandas as gpd  # heavy: loaded only on this path

    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # GDAL raises many types for broken files
        raise InputError(
            [Problem(tr(f"cannot read boundaries: {exc}", f"无法读取行政区划边界：{exc}"), file=str(path))]
        ) from None
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    col = next((c for c in ("name", "名称", "NAME") if c in gdf.columns), None)
    if col is None:
        raise InputError(
            [
                Problem(
                    tr("no name field (name or 名称)", "缺少名称字段（name 或 名称）"),
                    file=str(path),
                    column="name",
                )
            ]
        )
    out: dict[str, Any] = {}
    for _, row in gdf.iterrows():
        out[str(row[col])] = row.geometry
        if "adcode" in gdf.columns and row["adcode"] is not None:
            out[str(row["adcode"])] = row.geometry
    return out


def _county_layer(region: Region, report: dict[str, Any], admin: dict[str, Any] | None, zh: bool) -> MapLayer:
    places = region.places()
    time_rows = {c["county"]: c for c in (report.get("time") or {}).get("counties", [])}
    deadline = max((report.get("time") or {}).get("deadlines_h", [12.0]) or [12.0])
    features = []
    for name, c in report.get("counties", {}).items():
        own = [p for p in places if p.county == name]
        seat = next((p for p in own if p.kind == "城区"), None) or max(
            own, key=lambda p: p.population or 0, default=None
        )
        t = time_rows.get(name)
        timely = None if t is None else t.get(f"share_within_{deadline:g}h")
        status = min(c["min_coverage"], timely) if timely is not None else c["min_coverage"]
        rows = [
            ("人口" if zh else "population", f"{c['population']:,}"),
            ("数量保障率（最低）" if zh else "quantity coverage (lowest)", f"{100 * c['min_coverage']:.0f}%"),
            ("最薄弱物资" if zh else "weakest item", str(c.get("weakest_name") or "")),
        ]
        if timely is not None:
            rows.append(
                (
                    f"{deadline:g} 小时内送达" if zh else f"delivered within {deadline:g} h",
                    f"{100 * timely:.0f}%",
                )
            )
        geom = None
        if admin is not None:
            adcode = own[0].adcode if own else None
            geom = admin.get(str(adcode)) if adcode else None
            geom = geom if geom is not None else admin.get(name)
        props = dict(
            name=name, popup=popup_html(name, rows), color=share_color(status), share=round(status, 4)
        )
        if geom is not None:
            features.append(feature(geom, **props))
        elif seat is not None:
            features.append(
                feature({"type": "Point", "coordinates": [seat.lon, seat.lat]}, radius=22, **props)
            )
    what = ("保障率", "coverage")
    return MapLayer(
        "counties",
        "县区储备保障" if zh else "County sufficiency",
        features,
        legend=[LegendEntry(e.color, e.label, "area") for e in share_legend("zh" if zh else "en", *what)],
    )


def _place_layer(region: Region, zh: bool) -> MapLayer:
    features = [
        feature(
            {"type": "Point", "coordinates": [p.lon, p.lat]},
            id=p.id,
            name=p.name,
            popup=popup_html(
                p.name,
                [
                    ("县区" if zh else "county", p.county),
                    ("人口" if zh else "population", f"{p.population:,}"),
                ],
            ),
            color="#636363",
            radius=3,
        )
        for p in region.places()
    ]
    return MapLayer(
        "places",
        "乡镇" if zh else "Townships",
        features,
        legend=[LegendEntry("#636363", "乡镇" if zh else "township")],
    )


def region_view(
    region: Region,
    *,
    on: dt.date | None = None,
    level: str | None = None,
    rules: str | None = None,
    deadline_h: float = 12.0,
    time_check: bool = True,
    admin: str | Path | None = None,
    report: dict[str, Any] | None = None,
    lang: str = "zh",
) -> MapView:
    """Build the map of a region's stock and sufficiency.

    Parameters
    ----------
    region
        The region (depots, inventory, places, response rules).
    on
        Date of the stock and of expiry warnings (default today).
    level, rules, deadline_h, time_check
        As for :class:`~logistics.sufficiency.CheckParams`.
    admin
        Optional county-boundary file (see :func:`county_areas`).
    report
        A :func:`~logistics.sufficiency.run_check` report of this region and date, to draw
        instead of checking again (the nightly report passes its own).
    lang
        ``"zh"`` or ``"en"``.
    """
    zh = lang == "zh"
    on = on or dt.date.today()
    if report is None:
        params = CheckParams(date=on, level=level, rules=rules, deadline_h=deadline_h, time_check=time_check)
        report = run_check(region, params)
    areas = county_areas(admin) if admin is not None else None
    layers = [
        _county_layer(region, report, areas, zh),
        _place_layer(region, zh),
        _depot_layer(region, report, on, zh),
    ]
    met, target = report["highest_level_met"], report["target_level"]
    if zh:
        title = f"{region.name}应急物资储备一张图"
        subtitle = (
            f"{on.isoformat()} · 现有储备满足{LEVEL_NAMES_ZH.get(met, '无')}响应 · "
            f"目标{LEVEL_NAMES_ZH.get(target, target)}"
        )
    else:
        title = f"{region.name_en or region.name}: relief stock one-map"
        subtitle = f"{on.isoformat()} · stock meets level {met or 'none'} · target {target}"
    return MapView(title, subtitle, layers, notes=[str(n) for n in report.get("notes", [])], lang=lang)  # type: ignore[arg-type]
