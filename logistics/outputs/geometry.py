"""Route geometry on the road graph: legs and stops as GeoDataFrames, GeoJSON and GeoPackage."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.common import atomic_path, write_text_atomic
from logistics.outputs._text import clock, items_text, name_of

if TYPE_CHECKING:
    import geopandas
    from shapely.geometry import LineString

    from logistics.routing import RoutingResult

logger = logging.getLogger(__name__)

#: ``path(from_id, to_id, depart_s)`` returns the road geometry (WGS-84 lon/lat) of a leg leaving
#: at ``depart_s`` seconds from t0, or ``None``; the departure time selects the road state.
PathFunc = Callable[[str, str, float], "LineString | None"]

CRS = "EPSG:4326"
LEG_LAYER = "route_legs"
STOP_LAYER = "route_stops"


def _h(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600.0, 4)


def _leg_geometry(
    path: PathFunc | None,
    frm: str,
    to: str,
    depart_s: float,
    coords: Mapping[str, tuple[float, float]] | None,
) -> tuple[Any, str]:
    from shapely.geometry import LineString  # heavy: loaded only on this path

    line = path(frm, to, depart_s) if path is not None else None
    if line is not None and not line.is_empty:
        return line, "road"
    if coords and frm in coords and to in coords:
        return LineString([coords[frm], coords[to]]), "straight"
    return None, "none"


def legs_to_geodataframe(
    result: RoutingResult,
    path: PathFunc | None,
    *,
    coords: Mapping[str, tuple[float, float]] | None = None,
    place_names: Mapping[str, str] | None = None,
) -> geopandas.GeoDataFrame:
    """Return one LineString per driven leg (depot → stop → … → depot), CRS WGS-84.

    Columns: ``vehicle_id, depot_id, vehicle_type, vehicle_index, trip, leg,
    from_id, to_id, from_name, to_name, depart_h, arrive_h, distance_km,
    load_kg, load_m3, kind`` (``"delivery"`` or ``"return"``),
    ``geometry_source`` (``"road"`` from ``path``, ``"straight"`` from
    ``coords`` when ``path`` gives ``None``, or ``"none"``) and ``label_zh``
    (e.g. ``"D1/重型货车#1 第1趟 第2段：甲→乙"``).

    Parameters
    ----------
    result
        Routing result.
    path
        Road geometry of a leg, ``path(from_id, to_id, depart_s) -> LineString | None``
        (lon/lat); ``None`` to use straight lines.
    coords
        ``id -> (lon, lat)`` for the straight-line fallback.
    place_names
        Display names of depots and points.

    Returns
    -------
    geopandas.GeoDataFrame
        The legs.
    """
    import geopandas  # heavy: loaded only on this path

    rows = []
    geoms = []
    for r in result.routes:
        for t in r.trips:
            onboard_kg, onboard_m3 = t.weight_kg, t.volume_m3
            prev, prev_dep = r.depot_id, t.departure_s
            hops = [(s.point_id, s.arrival_s, s) for s in t.stops]
            hops.append((r.depot_id, t.return_s, None))
            for k, (to, arrive, stop) in enumerate(hops, start=1):
                geom, source = _leg_geometry(path, prev, to, prev_dep, coords)
                geoms.append(geom)
                rows.append(
                    {
                        "vehicle_id": r.vehicle_id,
                        "depot_id": r.depot_id,
                        "vehicle_type": r.vehicle_type,
                        "vehicle_index": r.vehicle_index,
                        "trip": t.number,
                        "leg": k,
                        "from_id": str(prev),
                        "to_id": str(to),
                        "from_name": name_of(prev, place_names),
                        "to_name": name_of(to, place_names),
                        "depart_h": _h(prev_dep),
                        "arrive_h": _h(arrive),
                        "distance_km": round(
                            (stop.leg_m if stop is not None else t.distance_m - sum(x.leg_m for x in t.stops))
                            / 1000.0,
                            4,
                        ),
                        "load_kg": round(onboard_kg, 3),
                        "load_m3": round(onboard_m3, 6),
                        "kind": "delivery" if stop is not None else "return",
                        "geometry_source": source,
                        "label_zh": f"{r.vehicle_id} 第{t.number}趟 第{k}段："
                        f"{name_of(prev, place_names)}→{name_of(to, place_names)}",
                    }
                )
                if stop is not None:
                    onboard_kg -= stop.weight_kg
                    onboard_m3 -= stop.volume_m3
                    prev, prev_dep = to, stop.departure_s
    gdf = geopandas.GeoDataFrame(rows, geometry=geoms, crs=CRS)
    missing = int((gdf["geometry_source"] == "none").sum()) if rows else 0
    if missing:
        logger.warning("%d route legs have no geometry (no path and no coordinates)", missing)
    return gdf


def stops_to_geodataframe(
    result: RoutingResult,
    coords: Mapping[str, tuple[float, float]],
    *,
    place_names: Mapping[str, str] | None = None,
    item_names: Mapping[str, str] | None = None,
) -> geopandas.GeoDataFrame:
    """Return one Point per stop, CRS WGS-84.

    Columns: ``vehicle_id, depot_id, trip, seq, point_id, point_name,
    arrival_h, departure_h, deadline_h, late, weight_kg, volume_m3, items,
    label_zh`` (e.g. ``"第1趟 第2站 乙 预计 T+02:30"``).

    Parameters
    ----------
    result
        Routing result.
    coords
        ``id -> (lon, lat)`` of the points.
    place_names
        Display names.
    item_names
        Display names of items.

    Returns
    -------
    geopandas.GeoDataFrame
        The stops (stops without coordinates get an empty geometry).
    """
    import geopandas  # heavy: loaded only on this path
    from shapely.geometry import Point  # heavy: loaded only on this path

    rows, geoms = [], []
    for r in result.routes:
        for t in r.trips:
            for k, s in enumerate(t.stops, start=1):
                xy = coords.get(s.point_id)
                geoms.append(Point(xy) if xy is not None else None)
                rows.append(
                    {
                        "vehicle_id": r.vehicle_id,
                        "depot_id": r.depot_id,
                        "trip": t.number,
                        "seq": k,
                        "point_id": str(s.point_id),
                        "point_name": name_of(s.point_id, place_names),
                        "arrival_h": _h(s.arrival_s),
                        "departure_h": _h(s.departure_s),
                        "deadline_h": _h(s.deadline_s),
                        "late": s.late_s > 1e-6,
                        "weight_kg": round(s.weight_kg, 3),
                        "volume_m3": round(s.volume_m3, 6),
                        "items": items_text(s.loads, item_names),
                        "label_zh": f"第{t.number}趟 第{k}站 {name_of(s.point_id, place_names)} "
                        f"预计 {clock(s.arrival_s)}",
                    }
                )
    return geopandas.GeoDataFrame(rows, geometry=geoms, crs=CRS)


def _feature(row: Mapping[str, Any], geom: Any, kind: str) -> dict[str, Any]:
    from shapely.geometry import mapping  # heavy: loaded only on this path

    props = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
    props = {k: (v.item() if hasattr(v, "item") else v) for k, v in props.items()}
    props["feature"] = kind
    return {
        "type": "Feature",
        "properties": props,
        "geometry": None if geom is None or geom.is_empty else mapping(geom),
    }


def _features(gdf: geopandas.GeoDataFrame, kind: str) -> list[dict[str, Any]]:
    """GeoJSON features of a layer's rows (``feature`` property ``kind``)."""
    rows = gdf.drop(columns="geometry").to_dict("records")
    return [_feature(row, geom, kind) for row, geom in zip(rows, gdf.geometry, strict=True)]


def write_routes_geojson(
    result: RoutingResult,
    out_path: str | Path,
    path: PathFunc | None,
    *,
    coords: Mapping[str, tuple[float, float]] | None = None,
    place_names: Mapping[str, str] | None = None,
    item_names: Mapping[str, str] | None = None,
) -> Path:
    """Write legs (LineStrings) and, with ``coords``, stops (Points) as one GeoJSON file.

    Each feature has a ``feature`` property, ``"leg"`` or ``"stop"``; the other
    properties are those of :func:`legs_to_geodataframe` and
    :func:`stops_to_geodataframe`. Coordinates are WGS-84 lon/lat (RFC 7946).
    The file is written atomically.

    Parameters
    ----------
    result
        Routing result.
    out_path
        Destination ``.geojson`` file.
    path
        Road geometry of a leg, or ``None``.
    coords
        ``id -> (lon, lat)``: straight-line fallback and stop points.
    place_names
        Display names of places.
    item_names
        Display names of items.

    Returns
    -------
    pathlib.Path
        ``out_path``.
    """
    legs = legs_to_geodataframe(result, path, coords=coords, place_names=place_names)
    feats = _features(legs, "leg")
    if coords:
        feats += _features(
            stops_to_geodataframe(result, coords, place_names=place_names, item_names=item_names), "stop"
        )
    doc = {"type": "FeatureCollection", "features": feats}
    write_text_atomic(out_path, json.dumps(doc, ensure_ascii=False))
    return Path(out_path)


def write_routes_gpkg(
    result: RoutingResult,
    out_path: str | Path,
    path: PathFunc | None,
    *,
    coords: Mapping[str, tuple[float, float]] | None = None,
    place_names: Mapping[str, str] | None = None,
    item_names: Mapping[str, str] | None = None,
) -> Path:
    """Write a GeoPackage with layers ``route_legs`` and (with ``coords``) ``route_stops``.

    Parameters
    ----------
    result
        Routing result.
    out_path
        Destination ``.gpkg`` file (replaced atomically).
    path
        Road geometry of a leg, or ``None``.
    coords
        ``id -> (lon, lat)``: straight-line fallback and stop points.
    place_names
        Display names of places.
    item_names
        Display names of items.

    Returns
    -------
    pathlib.Path
        ``out_path``.
    """
    legs = legs_to_geodataframe(result, path, coords=coords, place_names=place_names)
    with atomic_path(out_path) as tmp:
        legs.to_file(tmp, layer=LEG_LAYER, driver="GPKG")
        if coords:
            stops = stops_to_geodataframe(result, coords, place_names=place_names, item_names=item_names)
            stops.to_file(tmp, layer=STOP_LAYER, driver="GPKG")
    return Path(out_path)
