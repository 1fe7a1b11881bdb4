"""Read drivable road networks from GraphML, OSM XML, OSM PBF and road line layers.

:func:`network_from_file` dispatches on the file suffix:

======================================  ==============================================
suffix                                  reader
======================================  ==============================================
``.graphml`` (``.graphml.gz``)          :func:`osmnx.load_graphml`
``.osm``, ``.osm.bz2``, ``.xml``        :func:`osmnx.graph_from_xml`, then simplified
``.pbf`` (``.osm.pbf``)                 :mod:`pyrosm` (imported lazily), then simplified
``.shp``, ``.gpkg``, ``.geojson``,      line layer with ``highway`` (or Geofabrik ``fclass``),
``.json``, ``.fgb``                     ``oneway``, ``maxspeed``, ``name``, ``ref``, ``osm_id``
======================================  ==============================================

Only drivable ``highway`` classes are kept (:data:`~logistics.roads.speeds.DRIVE_CLASSES`,
plus ``service`` on request); ways tagged ``access=no|private``, ``motor_vehicle=no``
or ``area=yes`` are dropped. Line layers are split into edges at every vertex shared by
two features (coordinates rounded to 1e-7°), so junctions become nodes.
"""

from __future__ import annotations

import bz2
import re
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.common import atomic_path
from logistics.exceptions import InputNote, Problem, RoadFetchError, RoadNetworkError, Text, say, tr
from logistics.roads._graphml import read_graphml
from logistics.roads._lines import column, directed_edges, feature_attributes, split_at_junctions
from logistics.roads.clip import clip_area, clip_network
from logistics.roads.graph import network_from_graph, network_from_parts
from logistics.roads.network import RoadNetwork, network_from_arrays
from logistics.roads.speeds import DRIVE_CLASSES, SpeedParams

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

__all__ = [
    "LINE_SUFFIXES",
    "network_from_file",
    "network_from_graphml",
    "network_from_lines",
    "network_from_osm_xml",
    "network_from_pbf",
    "network_from_place",
]

LINE_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".fgb")
_XML_SUFFIXES = (".osm", ".osm.bz2", ".xml", ".xml.bz2", ".osm.gz")
_NO = {"no", "private"}


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for s in (".osm.bz2", ".xml.bz2", ".osm.gz", ".graphml.gz", ".osm.pbf"):
        if name.endswith(s):
            return s
    return path.suffix.lower()


def network_from_file(
    path: str | Path,
    *,
    speeds: SpeedParams | None = None,
    include_service: bool = False,
    layer: str | None = None,
    clip: Any = None,
) -> RoadNetwork:
    """Read a drivable road network from a file, choosing the reader by suffix.

    Parameters
    ----------
    path
        GraphML, OSM XML (optionally bzip2), OSM PBF, or a line layer.
    speeds
        Speed parameters for truck travel times (default :class:`SpeedParams`).
    include_service
        Also keep ``highway=service`` roads.
    layer
        Layer name for multi-layer files (GeoPackage).
    clip
        Keep only the roads inside this area: ``(west, south, east, north)`` degrees, the text
        ``"west,south,east,north"``, or a polygon (WKT or a GeoJSON, shapefile, GeoPackage or KML
        file). PBF extracts and line layers are cut while they are read (a province extract does
        not have to fit in memory whole), every format exactly after
        (:func:`~logistics.roads.clip.clip_network`).

    Raises
    ------
    RoadNetworkError
        If the file is missing, empty, unreadable, has no CRS (line layers) or has no
        drivable road.
    """
    p = Path(path)
    if not p.is_file():
        raise RoadNetworkError([Problem(tr("road file not found", "未找到道路文件"), file=str(p))])
    if p.stat().st_size == 0:
        raise RoadNetworkError([Problem(tr("road file is empty", "道路文件为空"), file=str(p))])
    area = clip_area(clip) if clip is not None else None
    net = _read_any(p, speeds, include_service, layer, area)
    return clip_network(net, area) if area is not None else net


def _read_any(
    p: Path, speeds: SpeedParams | None, include_service: bool, layer: str | None, area: Any
) -> RoadNetwork:
    """Read ``p`` by its suffix; PBF and line layers already cut to ``area`` (a polygon) when given."""
    suf = _suffix(p)
    if suf in (".graphml", ".graphml.gz"):
        return network_from_graphml(p, speeds=speeds, include_service=include_service)
    if suf in _XML_SUFFIXES:
        return network_from_osm_xml(p, speeds=speeds, include_service=include_service)
    if suf in (".pbf", ".osm.pbf"):
        return network_from_pbf(p, speeds=speeds, include_service=include_service, area=area)
    if suf in LINE_SUFFIXES:
        import geopandas as gpd  # heavy: loaded only on this path

        kw: dict[str, Any] = {"layer": layer} if layer else {}
        enc = shapefile_encoding(p)
        if enc is not None:
            kw["encoding"] = enc
            warnings.warn(tr(f"{p}: no .cpg file; attributes (road names) read as {enc.upper()}",
                             f"{p}：缺少 .cpg 文件，属性（道路名称）已按 {enc.upper()} 编码读取"),
                          InputNote, stacklevel=3)  # fmt: skip
        if area is not None:  # geopandas reprojects the mask to the layer's CRS; clip_network is exact
            kw["mask"] = gpd.GeoSeries([area], crs="EPSG:4326")
        try:
            gdf = gpd.read_file(p, **kw)
        except Exception as exc:  # pyogrio raises several types
            raise RoadNetworkError([Problem(tr(f"cannot read line layer: {exc}", f"无法读取线图层：{exc}"),
                                            file=str(p))]) from exc  # fmt: skip
        return network_from_lines(gdf, speeds=speeds, include_service=include_service, source=str(p))
    raise RoadNetworkError([Problem(
        tr("unknown road file type; expected .graphml, .osm, .osm.bz2, .pbf, .shp, .gpkg or .geojson",
           "未知的道路文件类型；应为 .graphml、.osm、.osm.bz2、.pbf、.shp、.gpkg 或 .geojson"),
        file=str(p), value=suf)])  # fmt: skip


def shapefile_encoding(path: Path) -> str | None:
    """Text encoding of a shapefile's attributes when it has no ``.cpg`` file, else ``None``.

    Without a ``.cpg`` GDAL decodes the ``.dbf`` as Latin-1, so road names saved in GBK (as
    Chinese GIS software often does) would come out garbled. The record bytes are tried as
    UTF-8, then GB18030 (a superset of GBK); a file that is neither keeps GDAL's default.
    """
    if path.suffix.lower() != ".shp":
        return None
    if any(path.with_suffix(s).exists() for s in (".cpg", ".CPG")):
        return None
    dbf = next((path.with_suffix(s) for s in (".dbf", ".DBF") if path.with_suffix(s).exists()), None)
    if dbf is None:
        return None
    raw = dbf.read_bytes()
    if len(raw) < 32:
        return None
    records = raw[int.from_bytes(raw[8:10], "little") :]
    if all(b < 0x80 for b in records):
        return None  # plain ASCII: any encoding reads it
    for enc in ("utf-8", "gb18030"):
        try:
            records.decode(enc)
        except UnicodeDecodeError:
            continue
        return enc
    return None


# ---------------------------------------------------------------- networkx-based readers
def _drivable(d: dict[str, Any], classes: frozenset[str]) -> bool:
    hw = d.get("highway")
    hws = hw if isinstance(hw, list) else [hw]
    if not any(str(h) in classes for h in hws):
        return False
    for key in ("access", "motor_vehicle", "motorcar"):
        v = d.get(key)
        if isinstance(v, str) and v in _NO:
            return False
    return d.get("area") != "yes"


def _classes(include_service: bool) -> frozenset[str]:
    return DRIVE_CLASSES | {"service"} if include_service else DRIVE_CLASSES


def _class_counts(G: nx.MultiDiGraph) -> Text:

    c: Counter[str] = Counter()
    for _, _, d in G.edges(data=True):
        hw = d.get("highway")
        c.update(hw if isinstance(hw, list) else [str(hw)])
    found = ", ".join(f"{k} {v}" for k, v in c.most_common(8))
    return tr(found or "none", found or "无")


def _keep_drivable(
    G: nx.MultiDiGraph, include_service: bool, path: Path, *, simplify: bool
) -> nx.MultiDiGraph:
    import osmnx as ox  # heavy: loaded only on this path

    classes = _classes(include_service)
    found = _class_counts(G)
    drop = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if not _drivable(d, classes)]
    G.remove_edges_from(drop)
    G.remove_nodes_from([n for n in list(G.nodes) if G.degree(n) == 0])
    if G.number_of_edges() == 0:
        need = ", ".join(sorted(classes))
        raise RoadNetworkError([Problem(tr(f"no drivable road (classes found: {found}); trucks need one of {need}",
                                           f"没有可供车辆通行的道路（已有道路等级：{say(found)}）；车辆需要以下等级之一：{need}"),
                                        file=str(path))])  # fmt: skip
    if simplify:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            G = ox.simplify_graph(G)
    return G


def network_from_graphml(
    path: str | Path, *, speeds: SpeedParams | None = None, include_service: bool = False
) -> RoadNetwork:
    """Read an osmnx GraphML file (``.graphml`` or gzip-compressed ``.graphml.gz``).

    Parameters
    ----------
    path
        The file.
    speeds
        Speed parameters (travel times are always recomputed from ``highway``/``maxspeed``).
    include_service
        Also keep ``highway=service`` roads.

    Raises
    ------
    RoadNetworkError
        If the file cannot be read or has no drivable edge.
    """
    p = Path(path)
    try:
        G = read_graphml(p)
    except (ET.ParseError, ValueError, KeyError, SyntaxError) as exc:
        raise RoadNetworkError([Problem(tr(f"cannot read GraphML: {exc}", f"无法读取 GraphML：{say(exc)}"),
                                        file=str(p))]) from exc  # fmt: skip
    if not G.edges:
        raise RoadNetworkError([Problem(tr("the graph has no edges", "路网图中没有路段"), file=str(p))])
    classes = _classes(include_service)
    edges = [(u, v, d) for u, v, d in G.edges if "highway" not in d or _drivable(d, classes)]
    if not edges:
        raise RoadNetworkError(
            [Problem(tr("no drivable road in the graph", "图中没有可供车辆通行的道路"), file=str(p))]
        )
    used = {n for u, v, _d in edges for n in (u, v)}
    nodes = {n: d for n, d in G.nodes.items() if n in used}
    for key in ("illustrative", "simplified"):
        if isinstance(G.graph.get(key), str):
            G.graph[key] = G.graph[key].strip().lower() == "true"
    G.graph.setdefault("source", str(p))
    return network_from_parts(nodes, edges, G.directed, G.graph, speeds=speeds or SpeedParams())


def network_from_osm_xml(
    path: str | Path, *, speeds: SpeedParams | None = None, include_service: bool = False
) -> RoadNetwork:
    """Read an OSM XML export (``.osm``, ``.xml``, optionally ``.bz2``) with osmnx.

    The drivable ways are kept, one-way tags respected, and the graph simplified (nodes only
    at junctions and dead ends; the way geometry is kept on the edges).

    Parameters
    ----------
    path
        The file.
    speeds
        Speed parameters.
    include_service
        Also keep ``highway=service`` roads.

    Raises
    ------
    RoadNetworkError
        If the file is not OSM XML or has no drivable way.
    """
    import osmnx as ox  # heavy: loaded only on this path

    p = Path(path)
    try:
        if p.name.lower().endswith(".bz2"):
            bz2.BZ2File(p).read(16)  # fail early and clearly on a corrupt archive
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            G = ox.graph_from_xml(p, simplify=False, retain_all=True, bidirectional=False)
    except Exception as exc:
        raise RoadNetworkError([Problem(tr(f"cannot read OSM XML: {exc}", f"无法读取 OSM XML：{exc}"),
                                        file=str(p))]) from exc  # fmt: skip
    if G.number_of_edges() == 0:
        raise RoadNetworkError([Problem(tr("no road (way with a highway tag) in the file",
                                           "文件中没有道路（带 highway 标签的 way）"), file=str(p))])  # fmt: skip
    G = _keep_drivable(G, include_service, p, simplify=True)
    G.graph["source"] = str(p)
    return network_from_graph(G, speeds=speeds or SpeedParams())


def network_from_pbf(
    path: str | Path, *, speeds: SpeedParams | None = None, include_service: bool = False, area: Any = None
) -> RoadNetwork:
    """Read an OSM PBF file with pyrosm (imported only here), then simplify with osmnx.

    Parameters
    ----------
    path
        The ``.pbf`` / ``.osm.pbf`` file.
    speeds
        Speed parameters.
    include_service
        Also keep ``highway=service`` roads.
    area
        A shapely polygon (WGS-84): pyrosm reads only the ways inside it.

    Raises
    ------
    RoadNetworkError
        If pyrosm is missing, the file cannot be read or has no drivable way.
    """
    p = Path(path)
    try:
        import pyrosm  # heavy: loaded only on this path
    except ImportError as exc:  # pragma: no cover - pyrosm is a dependency of the main install
        raise RoadNetworkError([Problem(tr("reading .pbf needs the pyrosm package (pip install pyrosm)",
                                           "读取 .pbf 需要安装 pyrosm 包（pip install pyrosm）"),
                                        file=str(p))]) from exc  # fmt: skip
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            osm = pyrosm.OSM(str(p), bounding_box=area) if area is not None else pyrosm.OSM(str(p))
            got = osm.get_network(
                network_type="driving+service" if include_service else "driving", nodes=True
            )
    except Exception as exc:
        raise RoadNetworkError([Problem(tr(f"cannot read OSM PBF: {exc}", f"无法读取 OSM PBF：{exc}"),
                                        file=str(p))]) from exc  # fmt: skip
    if got is None or got[1] is None or len(got[1]) == 0:
        raise RoadNetworkError(
            [Problem(tr("no drivable road in the file", "文件中没有可供车辆通行的道路"), file=str(p))]
        )
    nodes, edges = got
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        G = osm.to_graph(
            nodes,
            edges,
            graph_type="networkx",
            retain_all=True,
            osmnx_compatible=True,
            simplify=False,
        )
    for _, _, d in G.edges(data=True):
        if "id" in d and "osmid" not in d:
            d["osmid"] = d["id"]
    G = _keep_drivable(G, include_service, p, simplify=True)
    G.graph["source"] = str(p)
    return network_from_graph(G, speeds=speeds or SpeedParams())


# ---------------------------------------------------------------------- line layers
def network_from_lines(
    gdf: gpd.GeoDataFrame,
    *,
    speeds: SpeedParams | None = None,
    include_service: bool = False,
    source: str = "<GeoDataFrame>",
) -> RoadNetwork:
    """Build a network from a road line layer, splitting lines at shared vertices.

    Columns (case-insensitive): ``highway`` or ``fclass`` (OSM class, required); ``oneway``
    (Geofabrik ``B``/``F``/``T``, or ``yes``/``no``/``-1``); ``maxspeed`` (km/h, ``0`` =
    untagged); ``name``; ``ref``; ``osm_id``/``osmid``; ``bridge`` (``T``/``F`` or
    ``yes``/``no``). Geometry: LineString or MultiLineString in any CRS (reprojected to
    EPSG:4326); a layer without a CRS is refused.

    Parameters
    ----------
    gdf
        The layer.
    speeds
        Speed parameters.
    include_service
        Also keep ``highway=service`` roads.
    source
        File name used in messages.

    Raises
    ------
    RoadNetworkError
        If the layer has no CRS, no class column, non-line geometries only, or no drivable road.
    """
    import shapely  # heavy: loaded only on this path

    cls_col = _class_column(gdf, source)
    g = _drivable_lines(gdf, cls_col, _classes(include_service), source)
    coords, part = shapely.get_coordinates(g.geometry.to_numpy(), return_index=True)
    attributes, oneway = feature_attributes(g, cls_col)
    lon, lat, u, v, geoms, piece_feat = split_at_junctions(coords, part)
    tail, head, geometry, pf = directed_edges(u, v, geoms, piece_feat, oneway)
    return network_from_arrays(
        lon=lon,
        lat=lat,
        tail=tail,
        head=head,
        geometry=geometry,
        **{key: values[pf] for key, values in attributes.items()},
        speeds=speeds or SpeedParams(),
        meta={"source": source, "crs": "EPSG:4326"},
    )


def _class_column(gdf: gpd.GeoDataFrame, source: str) -> str:
    """Name of the ``highway``/``fclass`` column, after checking the layer has a CRS and features."""
    if gdf.crs is None:
        raise RoadNetworkError([Problem(tr("the road layer has no CRS (coordinate reference system); add the .prj file "
                                           "or set the CRS, e.g. EPSG:4326",
                                           "道路图层没有坐标系；请补充 .prj 文件或设置坐标系，例如 EPSG:4326"),
                                        file=source)])  # fmt: skip
    if len(gdf) == 0:
        raise RoadNetworkError(
            [Problem(tr("the road layer has no features", "道路图层中没有要素"), file=source)]
        )
    cls_col = column(gdf, "highway", "fclass")
    if cls_col is None:
        raise RoadNetworkError([Problem(tr("the road layer needs a 'highway' (or Geofabrik 'fclass') column",
                                           "道路图层需要 'highway' 列（或 Geofabrik 的 'fclass' 列）"),
                                        file=source, value=", ".join(map(str, gdf.columns)))])  # fmt: skip
    return cls_col


def _drivable_lines(
    gdf: gpd.GeoDataFrame, cls_col: str, classes: frozenset[str], source: str
) -> gpd.GeoDataFrame:
    """Keep the features of a drivable class, as single LineStrings in EPSG:4326 (error if none)."""
    gdf = gdf.to_crs(4326) if not gdf.crs.equals("EPSG:4326") else gdf
    cls = gdf[cls_col].astype(str)
    keep = cls.isin(classes).to_numpy().copy()
    geom_type = gdf.geometry.geom_type.to_numpy()
    keep &= np.isin(geom_type, ["LineString", "MultiLineString"])
    if not keep.any():
        found = ", ".join(f"{k} {v}" for k, v in cls.value_counts().head(8).items())
        need = ", ".join(sorted(classes))
        raise RoadNetworkError([Problem(tr(f"no drivable line (classes found: {found}); trucks need one of {need}",
                                           f"没有可供车辆通行的线（已有道路等级：{found}）；车辆需要以下等级之一：{need}"),
                                        file=source)])  # fmt: skip
    g = gdf.loc[keep].explode(index_parts=False).reset_index(drop=True)
    return g[g.geometry.geom_type == "LineString"]


# ------------------------------------------------------------------------ download
def network_from_place(
    place: str,
    *,
    cache_dir: str | Path = "data/roads",
    speeds: SpeedParams | None = None,
    refresh: bool = False,
) -> tuple[RoadNetwork, Path]:
    """Download the drivable network of a named place with osmnx, cached as GraphML.

    The cache file is ``<cache_dir>/<place slug>.graphml``; an existing cache is read
    without network access unless ``refresh``.

    Parameters
    ----------
    place
        Place name Nominatim understands, e.g. ``"秦皇岛市, 河北省"``.
    cache_dir
        Folder for the cached GraphML (created if needed).
    speeds
        Speed parameters.
    refresh
        Download again even when the cache exists.

    Returns
    -------
    network, path
        The network and the cache file.

    Raises
    ------
    RoadFetchError
        If the download fails (no internet access, unknown place).
    """
    slug = re.sub(r"[^\w]+", "_", place, flags=re.UNICODE).strip("_").lower() or "place"
    dest = Path(cache_dir) / f"{slug}.graphml"
    if dest.is_file() and not refresh:
        return network_from_graphml(dest, speeds=speeds), dest
    import osmnx as ox  # heavy: loaded only on this path

    try:
        ox.settings.requests_timeout = 60
        G = ox.graph_from_place(place, network_type="drive", simplify=True)
    except Exception as exc:
        raise RoadFetchError(tr(
            f"cannot download the road network of {place!r} from OpenStreetMap "
            f"({type(exc).__name__}: {exc}). "
            "Check internet access, or pass a local file with --graph (GraphML, .osm, .pbf, .shp).",
            f"无法从 OpenStreetMap 下载 {place!r} 的路网（{type(exc).__name__}: {exc}）。"
            "请检查网络连接，或用 --graph 指定本地文件（GraphML、.osm、.pbf、.shp）。",
        )) from exc  # fmt: skip
    with atomic_path(dest) as tmp:
        ox.save_graphml(G, tmp)
    return network_from_graphml(dest, speeds=speeds), dest
