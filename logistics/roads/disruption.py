"""Road disruptions: closures (塌方, 洪水, 桥梁损毁) with optional reopening (抢通), and slowdowns.

A :class:`Closure` selects edges by OSM way id, road name, road reference (``G102``) or
polygon (edges whose geometry touches it) and closes them from hour 0 until ``reopen_h``
(never reopened when ``None``). A :class:`Slowdown` multiplies the speed on the part of every
edge inside its polygon by ``speed_factor`` from ``start_h`` (default 0) until ``end_h`` (the end
of the response when ``None``). :func:`apply_disruptions` returns a new
:class:`~logistics.roads.network.RoadNetwork` with ``open_from_h`` and ``travel_time_s`` updated
(every slowdown, or with ``at_h`` only those active at that hour); the physical graph (nodes,
edges, lengths) is unchanged. :func:`disruption_breakpoints` lists the hours at which the road
state changes (reopenings, slowdown starts and ends): between two of them it is constant.

Disruption files (``--closures``) are TOML::

    [[closure]]
    label = "洋河大桥受损"
    names = ["G228洋河大桥"]          # and/or way_ids = [...], refs = ["G1"]
    reopen_h = 36                     # 抢通 after 36 h; omit for a lasting closure

    [[closure]]
    polygon = "flood_zone.geojson"    # a GeoJSON file (relative to the TOML) or WKT text

    [[slowdown]]
    polygon = "POLYGON ((119.1 39.6, 119.3 39.6, 119.3 39.8, 119.1 39.8, 119.1 39.6))"
    speed_factor = 0.5
    start_h = 2                       # optional: from hour 2 (default 0) …
    end_h = 30                        # … until hour 30 (omit: until the end)

or GeoJSON: every (Multi)Polygon feature is a closure, or a slowdown when its properties
have ``kind = "slowdown"``; properties ``reopen_h``, ``speed_factor``, ``start_h``, ``end_h``
and ``label`` apply.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.exceptions import DisruptionError, Problem, say, tr

if TYPE_CHECKING:
    from collections.abc import Sequence

    from shapely.geometry.base import BaseGeometry

    from logistics.roads.network import RoadNetwork

__all__ = [
    "Closure",
    "Disruption",
    "Slowdown",
    "apply_disruptions",
    "disruption_breakpoints",
    "disruption_edges",
    "disruptions_from_file",
    "polygon_from",
]


def polygon_from(value: Any, *, base: Path | None = None) -> BaseGeometry:
    """Read a polygon from WKT text, a GeoJSON, shapefile, GeoPackage or KML file, or a geometry.

    Parameters
    ----------
    value
        WKT (``POLYGON (…)``/``MULTIPOLYGON (…)``), a path to a GeoJSON file, a shapefile
        (``.shp``), a GeoPackage (``.gpkg``, first layer) or a KML/KMZ file as Google Earth and
        奥维 write them (all polygon features are merged; layers in another CRS are converted
        to WGS-84), a GeoJSON mapping, or a shapely (Multi)Polygon (WGS-84).
    base
        Folder that relative file paths are resolved against.

    Raises
    ------
    DisruptionError
        If the value is not a valid polygon in WGS-84 degrees.
    """
    import shapely  # heavy: loaded only on this path
    from shapely.geometry.base import BaseGeometry  # heavy: loaded only on this path

    src = str(value)[:60]
    try:
        if isinstance(value, BaseGeometry):
            geom = value
        elif isinstance(value, dict):
            geom = _geojson_union(value)
        elif isinstance(value, str) and value.strip().upper().startswith(("POLYGON", "MULTIPOLYGON")):
            geom = shapely.from_wkt(value)
        else:
            p = Path(value)
            if base is not None and not p.is_absolute():
                p = base / p
            if not p.is_file():
                raise DisruptionError([Problem(tr("polygon file not found (or WKT text not recognised)",
                                                  "未找到面文件（或无法识别 WKT 文本）"), value=src)])  # fmt: skip
            if p.suffix.lower() in _LAYER_SUFFIXES:
                geom = _layer_union(p)
            else:
                geom = _geojson_union(json.loads(p.read_text(encoding="utf-8")))
            src = str(p)
    except DisruptionError:
        raise
    except Exception as exc:
        raise DisruptionError(
            [Problem(tr(f"cannot read polygon: {exc}", f"无法读取面：{say(exc)}"), value=src)]
        ) from exc
    if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise DisruptionError(
            [Problem(tr("expected a Polygon or MultiPolygon", "应为 Polygon 或 MultiPolygon"), value=src)]
        )
    x0, y0, x1, y1 = geom.bounds
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise DisruptionError([Problem(tr("polygon coordinates are not WGS-84 lon/lat degrees",
                                          "面的坐标不是 WGS-84 经纬度"), value=src)])  # fmt: skip
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom


#: polygon files read through GDAL (pyogrio) rather than as GeoJSON text
_LAYER_SUFFIXES = (".shp", ".gpkg", ".kml", ".kmz")


def _layer_union(path: Path) -> BaseGeometry:
    """Union of the polygons of a vector file's first layer, in WGS-84."""
    import geopandas as gpd  # heavy: loaded only on this path
    import shapely  # heavy: loaded only on this path

    gdf = gpd.read_file(path)
    if gdf.crs is None and path.suffix.lower() in (".shp", ".gpkg"):
        raise DisruptionError([Problem(tr("the polygon layer has no CRS (.prj)", "面图层没有坐标系（缺少 .prj）"),
                                       file=str(path))])  # fmt: skip
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    geoms = [g for g in gdf.geometry if g is not None and g.geom_type in ("Polygon", "MultiPolygon")]
    if not geoms:
        raise DisruptionError([Problem(tr("no Polygon or MultiPolygon in the file", "文件中没有 Polygon 或 MultiPolygon"),
                                       file=str(path))])  # fmt: skip
    return shapely.union_all(geoms)


def _geojson_union(obj: dict[str, Any]) -> BaseGeometry:
    import shapely  # heavy: loaded only on this path
    from shapely.geometry import shape  # heavy: loaded only on this path

    if obj.get("type") == "FeatureCollection":
        geoms = [shape(f["geometry"]) for f in obj.get("features", []) if f.get("geometry")]
    elif obj.get("type") == "Feature":
        geoms = [shape(obj["geometry"])]
    else:
        geoms = [shape(obj)]
    geoms = [g for g in geoms if g.geom_type in ("Polygon", "MultiPolygon")]
    if not geoms:
        raise DisruptionError([Problem(tr("no Polygon or MultiPolygon in the GeoJSON",
                                          "GeoJSON 中没有 Polygon 或 MultiPolygon"))])  # fmt: skip
    return shapely.union_all(geoms)


@dataclass(frozen=True)
class Closure:
    """Close edges from hour 0, optionally reopening (抢通) at ``reopen_h``.

    Parameters
    ----------
    way_ids
        OSM way ids; every edge built from one of them is closed.
    names
        Road names (exact match with any of an edge's ``;``-separated names).
    refs
        Road references such as ``"G102"`` (exact match).
    polygon
        Area (WGS-84 shapely polygon, WKT or GeoJSON path); edges touching it are closed.
    reopen_h
        Hour at which the edges reopen; ``None`` for no reopening.
    label
        Description shown in messages.
    edges
        Edge indices of the network the closure is applied to (robustness sweeps and
        critical-road screening close single road links this way).
    """

    way_ids: tuple[int, ...] = ()
    names: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    polygon: Any = None
    reopen_h: float | None = None
    label: str = ""
    edges: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "way_ids", tuple(int(w) for w in self.way_ids))
        object.__setattr__(self, "names", tuple(str(n) for n in self.names))
        object.__setattr__(self, "refs", tuple(str(n) for n in self.refs))
        object.__setattr__(self, "edges", tuple(int(e) for e in self.edges))
        if self.polygon is not None:
            object.__setattr__(self, "polygon", polygon_from(self.polygon))
        if not (self.way_ids or self.names or self.refs or self.edges or self.polygon is not None):
            raise DisruptionError(tr(f"closure {self.label!r}: give way_ids, names, refs or a polygon",
                                     f"封闭 {self.label!r}：需给出 way_ids、names、refs 或 polygon"))  # fmt: skip
        if self.reopen_h is not None and not (0 <= self.reopen_h < math.inf):
            raise DisruptionError(tr(f"closure {self.label!r}: expected reopen_h >= 0 hours, got {self.reopen_h}",
                                     f"封闭 {self.label!r}：reopen_h 应为不小于 0 的小时数，实际为 {self.reopen_h}"))  # fmt: skip


@dataclass(frozen=True)
class Slowdown:
    """Multiply the speed inside a polygon by ``speed_factor`` (travel time divided by it).

    Only the part of an edge inside the polygon is slowed, and only from ``start_h`` until
    ``end_h``.

    Parameters
    ----------
    polygon
        Area (WGS-84 shapely polygon, WKT or GeoJSON path).
    speed_factor
        In (0, 1]; 0.5 halves the speed.
    label
        Description shown in messages.
    start_h
        Hour (after onset) at which the slowdown begins; default 0.
    end_h
        Hour at which it ends (roads back to normal speed); ``None`` (default) for a slowdown
        lasting the whole response. ``0 <= start_h < end_h``, both finite.

    Raises
    ------
    DisruptionError
        If the polygon is not valid, ``speed_factor`` is outside (0, 1], or the hours are not
        finite numbers with ``0 <= start_h < end_h``.
    """

    polygon: Any
    speed_factor: float
    label: str = ""
    start_h: float = 0.0
    end_h: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "polygon", polygon_from(self.polygon))
        if not (0 < self.speed_factor <= 1):
            raise DisruptionError(tr(f"slowdown {self.label!r}: expected speed_factor in (0, 1], got {self.speed_factor}",
                                     f"限速 {self.label!r}：speed_factor 应在 (0, 1] 内，实际为 {self.speed_factor}"))  # fmt: skip
        start = _hour(self.start_h)
        if start is None or not (0 <= start < math.inf):
            raise DisruptionError([Problem(tr(f"slowdown {self.label!r}: expected start_h >= 0 hours (finite)",
                                              f"限速 {self.label!r}：start_h 应为不小于 0 的有限小时数"),
                                           column="start_h", value=str(self.start_h))])  # fmt: skip
        object.__setattr__(self, "start_h", start)
        if self.end_h is not None:
            end = _hour(self.end_h)
            if end is None or not (start < end < math.inf):
                raise DisruptionError([Problem(tr(
                    f"slowdown {self.label!r}: expected end_h > start_h = {start:g} hours "
                    "(finite; omit it for a slowdown lasting the whole response)",
                    f"限速 {self.label!r}：end_h 应为大于 start_h = {start:g} 的有限小时数（限速持续整个响应期时请省略）",
                ), column="end_h", value=str(self.end_h))])  # fmt: skip
            object.__setattr__(self, "end_h", end)

    def active_at(self, hour: float) -> bool:
        """Return whether the slowdown applies at ``hour`` (``start_h <= hour < end_h``).

        Parameters
        ----------
        hour
            Hours after onset.
        """
        return self.start_h <= hour < (math.inf if self.end_h is None else self.end_h)


def _hour(value: Any) -> float | None:
    """``value`` as a float number of hours, ``None`` if it is not a number (or is a bool)."""
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


Disruption = Closure | Slowdown


def _candidates(network: RoadNetwork, geom: BaseGeometry) -> np.ndarray:
    """Edges whose bounding box meets the polygon's bounding box."""
    x0, y0, x1, y1 = geom.bounds
    gp = network.geom_ptr
    lo_x = np.minimum.reduceat(network.geom_lon, gp[:-1])
    hi_x = np.maximum.reduceat(network.geom_lon, gp[:-1])
    lo_y = np.minimum.reduceat(network.geom_lat, gp[:-1])
    hi_y = np.maximum.reduceat(network.geom_lat, gp[:-1])
    return np.flatnonzero((hi_x >= x0) & (lo_x <= x1) & (hi_y >= y0) & (lo_y <= y1))


def _touching(network: RoadNetwork, geom: BaseGeometry) -> np.ndarray:
    import shapely  # heavy: loaded only on this path

    cand = _candidates(network, geom)
    if len(cand) == 0:
        return cand
    shapely.prepare(geom)
    return cand[shapely.intersects(network.edge_geometries(cand), geom)]


def _inside_fraction(network: RoadNetwork, edges: np.ndarray, geom: BaseGeometry) -> np.ndarray:
    import shapely  # heavy: loaded only on this path

    lines = network.edge_geometries(edges)
    scale = math.cos(math.radians((geom.bounds[1] + geom.bounds[3]) / 2))

    def sc(g: Any) -> Any:
        return shapely.transform(g, lambda c: c * np.array([scale, 1.0]))

    total = shapely.length(sc(lines))
    inside = shapely.length(shapely.intersection(sc(lines), sc(geom)))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.clip(inside / total, 0, 1), 1.0)


def _edge_names(network: RoadNetwork) -> dict[str, np.ndarray]:
    key = "name_index"
    if key not in network._cache:
        idx: dict[str, list[int]] = {}
        for e, n in enumerate(network.name):
            for part in str(n).split(";"):
                if part:
                    idx.setdefault(part, []).append(e)
        network._cache[key] = {k: np.array(v) for k, v in idx.items()}
    return network._cache[key]


def apply_disruptions(
    network: RoadNetwork, disruptions: Sequence[Disruption], *, at_h: float | None = None
) -> RoadNetwork:
    """Return the network with closures and slowdowns applied.

    Closures of the same edge combine to the latest reopening; slowdowns multiply. Closures are
    always applied as ``open_from_h`` (the hour each edge opens), whatever ``at_h``.

    Parameters
    ----------
    network
        The network.
    disruptions
        Closures and slowdowns.
    at_h
        Hour of the road state wanted: only the slowdowns active then
        (``start_h <= at_h < end_h``) change ``travel_time_s``. ``None`` (default) applies every
        slowdown, whatever its hours.

    Raises
    ------
    DisruptionError
        If a selector (way id, name, ref, polygon) matches no edge (every such selector is
        listed, slowdowns inactive at ``at_h`` included), the closures together close every
        edge of the network, or ``at_h`` is not a finite number.

    Examples
    --------
    >>> from logistics.roads.demo import demo_network
    >>> net = apply_disruptions(demo_network(), [Closure(names=["G228洋河大桥"], reopen_h=36)])
    >>> sorted(set(net.open_from_h[net.open_from_h > 0].tolist()))
    [36.0]
    """
    if at_h is not None and (isinstance(at_h, bool) or not math.isfinite(at_h)):
        raise DisruptionError([Problem(tr("expected at_h a finite number of hours", "at_h 应为有限的小时数"),
                                       value=str(at_h))])  # fmt: skip
    if not disruptions:
        return network
    open_from = network.open_from_h.copy()
    tt = network.travel_time_s.copy()
    problems: list[Problem] = []
    for d in disruptions:
        tag = d.label or type(d).__name__.lower()
        if isinstance(d, Closure):
            sel = _closure_edges(network, d, tag, problems)
            until = math.inf if d.reopen_h is None else float(d.reopen_h)
            open_from[sel] = np.maximum(open_from[sel], until)
            continue
        e = _touching(network, d.polygon)
        if len(e) == 0:
            problems.append(Problem(tr(f"slowdown {tag!r}: the polygon touches no road", f"限速 {tag!r}：面范围未涉及任何道路"),
                                    value=d.polygon.wkt[:60]))  # fmt: skip
        elif at_h is None or d.active_at(at_h):
            f = _inside_fraction(network, e, d.polygon)
            tt[e] = tt[e] * ((1 - f) + f / d.speed_factor)
    if not problems and np.isinf(open_from).all():
        problems.append(Problem(tr(f"the closures close every one of the {network.n_edges} road edges; nothing could move",
                                   f"封闭措施使全部 {network.n_edges} 条路段中断，车辆无法通行")))  # fmt: skip
    if problems:
        raise DisruptionError(problems)
    meta = dict(network.meta)
    meta["disruptions"] = [d.label or type(d).__name__ for d in disruptions]
    if at_h is not None:
        meta["disruptions_at_h"] = float(at_h)
    return network.replace(open_from_h=open_from, travel_time_s=tt, meta=meta)


def disruption_edges(network: RoadNetwork, disruption: Disruption) -> np.ndarray:
    """Edges a closure closes or a slowdown touches (sorted edge indices; empty if none).

    Parameters
    ----------
    network
        The road network the disruption applies to.
    disruption
        A :class:`Closure` or :class:`Slowdown`.
    """
    if isinstance(disruption, Closure):
        return _closure_edges(network, disruption, disruption.label, [])
    return np.asarray(_touching(network, disruption.polygon), dtype=np.int64)


def _closure_edges(network: RoadNetwork, d: Closure, tag: str, problems: list[Problem]) -> np.ndarray:
    """Edges selected by closure ``d``; a problem added for every selector matching nothing."""
    names = _edge_names(network)
    hit: list[np.ndarray] = [np.asarray(d.edges, dtype=np.int64)] if d.edges else []
    if d.edges and not all(0 <= e < network.n_edges for e in d.edges):
        problems.append(Problem(tr(f"closure {tag!r}: edge index outside the network", f"封闭 {tag!r}：路段编号超出路网范围"),
                                value=str(max(d.edges))))  # fmt: skip
        hit = []
    for w in d.way_ids:
        e = _edges_of_way(network, w)
        if len(e) == 0:
            problems.append(Problem(tr(f"closure {tag!r}: no road edge has this OSM way id",
                                       f"封闭 {tag!r}：没有路段属于该 OSM way id"), value=str(w)))  # fmt: skip
        hit.append(e)
    for n in d.names:
        e = names.get(n, np.zeros(0, dtype=np.int64))
        if len(e) == 0:
            problems.append(
                Problem(
                    tr(f"closure {tag!r}: no road has this name", f"封闭 {tag!r}：没有该名称的道路"), value=n
                )
            )
        hit.append(e)
    for r in d.refs:
        e = np.flatnonzero(np.array([r in str(x).split(";") for x in network.ref]))
        if len(e) == 0:
            problems.append(Problem(tr(f"closure {tag!r}: no road has this ref", f"封闭 {tag!r}：没有该编号（ref）的道路"),
                                    value=r))  # fmt: skip
        hit.append(e)
    if d.polygon is not None:
        e = _touching(network, d.polygon)
        if len(e) == 0:
            problems.append(Problem(tr(f"closure {tag!r}: the polygon touches no road", f"封闭 {tag!r}：面范围未涉及任何道路"),
                                    value=d.polygon.wkt[:60]))  # fmt: skip
        elif len(e) == network.n_edges:
            problems.append(Problem(tr(f"closure {tag!r}: the polygon closes every one of the "
                                       f"{network.n_edges} road edges; nothing could move",
                                       f"封闭 {tag!r}：该面使全部 {network.n_edges} 条路段中断，车辆无法通行"),
                                    value=d.polygon.wkt[:60]))  # fmt: skip
        hit.append(e)
    return np.unique(np.concatenate(hit)).astype(np.int64) if hit else np.zeros(0, dtype=np.int64)


def disruption_breakpoints(disruptions: Sequence[Disruption]) -> tuple[float, ...]:
    """Return the hours after onset at which the road state changes, sorted and distinct.

    These are the closures' ``reopen_h`` and the slowdowns' ``start_h`` and ``end_h``, keeping
    only hours > 0 (hour 0 is the start of the response). Between two consecutive breakpoints
    (and before the first, from hour 0) the roads are the same, so one matrix per interval is
    enough: that of ``apply_disruptions(network, disruptions, at_h=h)`` at its start ``h``.

    Parameters
    ----------
    disruptions
        Closures and slowdowns.

    Examples
    --------
    >>> box = "POLYGON ((119.1 39.6, 119.3 39.6, 119.3 39.8, 119.1 39.8, 119.1 39.6))"
    >>> disruption_breakpoints([
    ...     Closure(names=["G228洋河大桥"], reopen_h=36),
    ...     Closure(names=["G102"]),
    ...     Slowdown(box, 0.5, start_h=0, end_h=12),
    ...     Slowdown(box, 0.8, start_h=6, end_h=36),
    ... ])
    (6.0, 12.0, 36.0)
    """
    hours: set[float] = set()
    for d in disruptions:
        if isinstance(d, Closure):
            hours.add(math.inf if d.reopen_h is None else float(d.reopen_h))
        else:
            hours.update((d.start_h, math.inf if d.end_h is None else d.end_h))
    return tuple(sorted(h for h in hours if 0 < h < math.inf))


def _edges_of_way(network: RoadNetwork, way: int) -> np.ndarray:
    hits = np.flatnonzero(network.way_ids == way)
    if len(hits) == 0:
        return hits
    return np.unique(np.searchsorted(network.way_ptr, hits, side="right") - 1)


def disruptions_from_file(path: str | Path) -> list[Disruption]:
    """Read closures and slowdowns from a TOML or GeoJSON file (format in the module doc).

    Parameters
    ----------
    path
        ``.toml``, ``.geojson`` or ``.json``.

    Raises
    ------
    DisruptionError
        Listing every bad entry (with its table and index).
    """
    p = Path(path)
    if not p.is_file():
        raise DisruptionError([Problem(tr("disruption file not found", "未找到道路中断文件"), file=str(p))])
    try:
        if p.suffix.lower() == ".toml":
            data = tomllib.loads(p.read_text(encoding="utf-8"))
            entries = [("closure", e) for e in data.get("closure", [])] + [
                ("slowdown", e) for e in data.get("slowdown", [])
            ]
            unknown = set(data) - {"closure", "slowdown", "name", "description"}
            if unknown:
                raise DisruptionError([Problem(tr("unknown table(s); expected [[closure]] and [[slowdown]]",
                                                  "未知的表；应为 [[closure]] 和 [[slowdown]]"),
                                               file=str(p), value=", ".join(sorted(unknown)))])  # fmt: skip
        else:
            obj = json.loads(p.read_text(encoding="utf-8"))
            feats = obj.get("features", [obj]) if isinstance(obj, dict) else []
            entries = []
            for f in feats:
                props = dict(f.get("properties") or {})
                props["polygon"] = f.get("geometry")
                entries.append((str(props.pop("kind", "closure")), props))
    except DisruptionError:
        raise
    except Exception as exc:
        raise DisruptionError([Problem(tr(f"cannot read disruption file: {exc}", f"无法读取道路中断文件：{say(exc)}"),
                                       file=str(p))]) from exc  # fmt: skip
    out: list[Disruption] = []
    problems: list[Problem] = []
    for i, (kind, e) in enumerate(entries, start=1):
        try:
            poly = e.get("polygon")
            if isinstance(poly, str | dict):
                poly = polygon_from(poly, base=p.parent)
            if kind == "closure":
                out.append(
                    Closure(
                        way_ids=tuple(e.get("way_ids", ())),
                        names=tuple(e.get("names", ())),
                        refs=tuple(e.get("refs", ())),
                        polygon=poly,
                        reopen_h=e.get("reopen_h"),
                        label=str(e.get("label", f"closure {i}")),
                    )
                )
            elif kind == "slowdown":
                out.append(
                    Slowdown(
                        polygon=poly,
                        speed_factor=float(e.get("speed_factor", math.nan)),
                        label=str(e.get("label", f"slowdown {i}")),
                        start_h=e.get("start_h", 0.0),
                        end_h=e.get("end_h"),
                    )
                )
            else:
                problems.append(Problem(tr("kind must be 'closure' or 'slowdown'", "kind 必须为 'closure' 或 'slowdown'"),
                                        file=str(p), row=i, value=kind))  # fmt: skip
        except DisruptionError as exc:
            problems += [
                Problem(pr.message, file=str(p), row=i, column=pr.column, value=pr.value)
                for pr in exc.problems
            ]
        except (TypeError, ValueError) as exc:
            problems.append(
                Problem(tr(f"bad {kind} entry: {exc}", f"{kind} 条目有误：{say(exc)}"), file=str(p), row=i)
            )
    if problems:
        raise DisruptionError(problems)
    if not out:
        raise DisruptionError(
            [Problem(tr("no closure or slowdown in the file", "文件中没有封闭或限速条目"), file=str(p))]
        )
    return out
