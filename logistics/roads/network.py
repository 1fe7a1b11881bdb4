"""The immutable road network: node and edge arrays in compressed sparse row (CSR) order.

A :class:`RoadNetwork` is a directed multigraph stored as flat NumPy arrays, ready for the
compiled shortest-path routines of :mod:`scipy.sparse.csgraph`. Edge ``e`` goes from node
``tail[e]`` to node ``head[e]``; edges are sorted by ``tail`` so that the edges leaving node
``u`` are ``indptr[u]:indptr[u + 1]``. networkx is the interchange format
(:func:`~logistics.roads.graph.graph_from_network`,
:func:`~logistics.roads.graph.network_from_graph`), not the engine.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.exceptions import RoadNetworkError, tr
from logistics.roads.speeds import SpeedParams, truck_speed_kph

if TYPE_CHECKING:
    import geopandas as gpd
    import scipy.sparse as sp

__all__ = ["RoadNetwork", "haversine_m", "network_from_arrays"]

_R_EARTH_M = 6_371_008.8
#: Smallest edge travel time (s); keeps labels strictly increasing along every path.
MIN_TRAVEL_TIME_S = 1e-3


def haversine_m(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> np.ndarray:
    """Great-circle distance in metres between WGS-84 points (vectorised).

    Parameters
    ----------
    lon1, lat1, lon2, lat2
        Degrees (scalars or arrays).
    """
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * _R_EARTH_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _polyline_lengths_m(geom_ptr: np.ndarray, glon: np.ndarray, glat: np.ndarray) -> np.ndarray:
    seg = haversine_m(glon[:-1], glat[:-1], glon[1:], glat[1:]) if len(glon) > 1 else np.zeros(0)
    # segments that straddle two polylines are dropped by the cumulative-sum difference
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    start, end = geom_ptr[:-1], geom_ptr[1:] - 1
    return cum[end] - cum[start]


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """A directed road multigraph in CSR arrays (build with :func:`network_from_arrays`).

    Parameters
    ----------
    node_osmid
        OSM node id (or any integer id) per node, shape ``(N,)``.
    lon, lat
        WGS-84 coordinates per node (degrees).
    indptr
        ``(N + 1,)`` CSR row pointer: edges leaving node ``u`` are ``indptr[u]:indptr[u+1]``.
    tail, head
        ``(E,)`` node index of each edge's start and end.
    length_m
        Edge length (metres).
    travel_time_s
        Truck travel time (seconds), after any slowdown.
    speed_kph
        Truck speed (km/h) before any slowdown.
    maxspeed_kph
        Tagged speed limit (km/h), NaN where untagged.
    highway, name, ref
        OSM class, name(s) (several joined by ``";"``) and reference (e.g. ``G102``).
    bridge
        Whether the edge is a bridge.
    way_ptr, way_ids
        OSM way ids of edge ``e`` are ``way_ids[way_ptr[e]:way_ptr[e+1]]``.
    geom_ptr, geom_lon, geom_lat
        Vertices of edge ``e`` (both end nodes included) are ``geom_*[geom_ptr[e]:geom_ptr[e+1]]``.
    open_from_h
        Hour from which the edge can be entered: 0 open, ``inf`` closed, ``h > 0`` reopens
        (抢通) at hour ``h`` after the start of the scenario.
    meta
        Graph attributes (``name``, ``source``, ``illustrative`` …).
    """

    node_osmid: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    indptr: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    length_m: np.ndarray
    travel_time_s: np.ndarray
    speed_kph: np.ndarray
    maxspeed_kph: np.ndarray
    highway: np.ndarray
    name: np.ndarray
    ref: np.ndarray
    bridge: np.ndarray
    way_ptr: np.ndarray
    way_ids: np.ndarray
    geom_ptr: np.ndarray
    geom_lon: np.ndarray
    geom_lat: np.ndarray
    open_from_h: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ basics
    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.lon)

    @property
    def n_edges(self) -> int:
        """Number of directed edges."""
        return len(self.tail)

    @property
    def illustrative(self) -> bool:
        """Whether the network is invented for a demo (graph attribute ``illustrative``)."""
        return bool(self.meta.get("illustrative", False))

    def replace(self, **changes: Any) -> RoadNetwork:
        """Return a copy with some arrays replaced (edge order must be kept).

        Parameters
        ----------
        **changes
            Field name -> new value.
        """
        changes = {k: (_ro(np.asarray(v)) if isinstance(v, np.ndarray) else v) for k, v in changes.items()}
        return dataclasses.replace(self, _cache={}, **changes)

    def edge_way_ids(self, e: int) -> list[int]:
        """OSM way ids of edge ``e``.

        Parameters
        ----------
        e
            Edge index.
        """
        return [int(w) for w in self.way_ids[self.way_ptr[e] : self.way_ptr[e + 1]]]

    def edge_coords(self, e: int) -> np.ndarray:
        """``(k, 2)`` lon/lat vertices of edge ``e``.

        Parameters
        ----------
        e
            Edge index.
        """
        s, t = self.geom_ptr[e], self.geom_ptr[e + 1]
        return np.column_stack([self.geom_lon[s:t], self.geom_lat[s:t]])

    def edge_geometries(self, edges: np.ndarray | None = None) -> np.ndarray:
        """Shapely LineStrings of the given edges (all edges by default).

        Parameters
        ----------
        edges
            Edge indices.
        """
        import shapely  # heavy: loaded only on this path

        edges = np.arange(self.n_edges) if edges is None else np.asarray(edges, dtype=np.int64)
        if len(edges) == 0:
            return np.empty(0, dtype=object)
        counts = self.geom_ptr[edges + 1] - self.geom_ptr[edges]
        idx = np.repeat(self.geom_ptr[edges], counts) + (
            np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        )
        coords = np.column_stack([self.geom_lon[idx], self.geom_lat[idx]])
        return shapely.linestrings(coords, indices=np.repeat(np.arange(len(edges)), counts))

    # ------------------------------------------------------------ graph views
    def open_mask(self, at_h: float = 0.0) -> np.ndarray:
        """Boolean mask of edges that can be entered at hour ``at_h``.

        Parameters
        ----------
        at_h
            Hour after the start of the scenario.
        """
        return self.open_from_h <= at_h

    def compressed(self, weight: str, open_at_h: float | None = 0.0) -> tuple[sp.csr_matrix, np.ndarray]:
        """Simple-graph CSR matrix of ``weight`` (cheapest of parallel edges) and its edge ids.

        Parameters
        ----------
        weight
            ``"travel_time_s"`` or ``"length_m"``.
        open_at_h
            Keep the edges open at this hour; ``None`` keeps every edge (the physical network).

        Returns
        -------
        csr, entry_edge
            ``csr.data[k]`` is the weight of edge ``entry_edge[k]``.
        """
        key = ("csr", weight, open_at_h)
        if key in self._cache:
            return self._cache[key]
        import scipy.sparse as sp  # heavy: loaded only on this path

        w = self._weight(weight)
        idx = np.arange(self.n_edges) if open_at_h is None else np.flatnonzero(self.open_mask(open_at_h))
        order = np.lexsort((w[idx], self.head[idx], self.tail[idx]))
        srt = idx[order]
        t, h = self.tail[srt], self.head[srt]
        first = np.ones(len(srt), dtype=bool)
        first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
        keep = srt[first]
        indptr = np.zeros(self.n_nodes + 1, dtype=np.int64)
        np.add.at(indptr, self.tail[keep] + 1, 1)
        indptr = np.cumsum(indptr)
        csr = sp.csr_matrix(
            (w[keep].astype(np.float64), self.head[keep].astype(np.int32), indptr.astype(np.int32)),
            shape=(self.n_nodes, self.n_nodes),
        )
        self._cache[key] = (csr, keep)
        return csr, keep

    def _weight(self, weight: str) -> np.ndarray:
        if weight == "travel_time_s":
            return self.travel_time_s
        if weight == "length_m":
            return self.length_m
        raise ValueError(f"Expected weight 'travel_time_s' or 'length_m', got {weight!r}.")

    def main_component(self) -> np.ndarray:
        """Return the node mask of the largest strongly connected component (closures ignored)."""
        if "scc" not in self._cache:
            from scipy.sparse.csgraph import connected_components  # heavy: loaded only on this path

            csr, _ = self.compressed("length_m", open_at_h=None)
            _, labels = connected_components(csr, directed=True, connection="strong")
            big = np.bincount(labels).argmax() if len(labels) else 0
            self._cache["scc"] = labels == big
        return self._cache["scc"]

    def n_components(self, connection: str = "weak", *, open_at_h: float | None = None) -> int:
        """Count weakly or strongly connected components.

        Parameters
        ----------
        connection
            ``"weak"`` or ``"strong"``.
        open_at_h
            Count on the edges open at this hour; ``None`` (default) uses every edge.
        """
        from scipy.sparse.csgraph import connected_components  # heavy: loaded only on this path

        csr, _ = self.compressed("length_m", open_at_h=open_at_h)
        return int(connected_components(csr, directed=True, connection=connection)[0])

    def edge_between(self, u: int, v: int, weight: str, open_at_h: float | None = 0.0) -> int:
        """Index of the cheapest open edge ``u -> v`` (``-1`` if none).

        Parameters
        ----------
        u, v
            Node indices.
        weight
            ``"travel_time_s"`` or ``"length_m"``.
        open_at_h
            As in :meth:`compressed`.
        """
        csr, entry = self.compressed(weight, open_at_h)
        s, t = csr.indptr[u], csr.indptr[u + 1]
        k = s + np.searchsorted(csr.indices[s:t], v)
        if k < t and csr.indices[k] == v:
            return int(entry[k])
        return -1

    def road_km_by_class(self) -> dict[str, float]:
        """Kilometres of road per ``highway`` class, a two-way road counted once."""
        import pandas as pd  # heavy: loaded only on this path

        df = pd.DataFrame(
            {"t": self.tail, "h": self.head, "len": np.round(self.length_m, 1), "hw": self.highway}
        )
        rev = df.rename(columns={"t": "h", "h": "t"})[["t", "h", "len"]].drop_duplicates()
        m = df.merge(rev.assign(twin=True), on=["t", "h", "len"], how="left")
        twin = m["twin"].eq(True).to_numpy()
        weight = np.where(twin, 0.5, 1.0)
        out = pd.Series(self.length_m * weight / 1000.0).groupby(self.highway).sum()
        return {str(k): float(v) for k, v in out.sort_values(ascending=False).items()}

    def summary(self) -> dict[str, Any]:
        """Return counts for ``logistics roads info``: nodes, edges, components, km by class."""
        return {
            "nodes": self.n_nodes,
            "edges": self.n_edges,
            "weak_components": self.n_components("weak"),
            "strong_components": self.n_components("strong"),
            "main_component_nodes": int(self.main_component().sum()),
            "closed_edges": int(np.isinf(self.open_from_h).sum()),
            "reopening_edges": int((np.isfinite(self.open_from_h) & (self.open_from_h > 0)).sum()),
            "km_by_class": self.road_km_by_class(),
            "illustrative": self.illustrative,
        }

    # ----------------------------------------------------------- interchange
    def edges_frame(self) -> gpd.GeoDataFrame:
        """Edges as a GeoDataFrame (EPSG:4326) with the edge arrays as columns."""
        import geopandas as gpd  # heavy: loaded only on this path

        return gpd.GeoDataFrame(
            {
                "u": self.tail,
                "v": self.head,
                "length_m": self.length_m,
                "travel_time_s": self.travel_time_s,
                "speed_kph": self.speed_kph,
                "highway": self.highway,
                "name": self.name,
                "ref": self.ref,
                "osmid": [
                    self.edge_way_ids(e)[0] if self.way_ptr[e + 1] > self.way_ptr[e] else -1
                    for e in range(self.n_edges)
                ],
                "bridge": self.bridge,
                "open_from_h": self.open_from_h,
            },
            geometry=self.edge_geometries(),
            crs="EPSG:4326",
        )


def network_from_arrays(
    *,
    lon: np.ndarray,
    lat: np.ndarray,
    tail: np.ndarray,
    head: np.ndarray,
    highway: Any,
    node_osmid: np.ndarray | None = None,
    geometry: list[np.ndarray] | None = None,
    length_m: np.ndarray | None = None,
    travel_time_s: np.ndarray | None = None,
    speed_kph: np.ndarray | None = None,
    maxspeed_kph: np.ndarray | None = None,
    name: Any = None,
    ref: Any = None,
    bridge: np.ndarray | None = None,
    way_ids: list[list[int]] | np.ndarray | None = None,
    open_from_h: np.ndarray | None = None,
    speeds: SpeedParams | None = None,
    meta: dict[str, Any] | None = None,
) -> RoadNetwork:
    """Build a :class:`RoadNetwork` from unsorted edge arrays (the one constructor).

    Missing lengths are computed along the geometry (great circle); missing speeds from
    ``highway`` and ``maxspeed_kph`` with ``speeds``; missing travel times from length and
    speed. Edges are then sorted by tail node.

    Parameters
    ----------
    lon, lat
        Node coordinates (WGS-84 degrees).
    tail, head
        Node index of each edge's start and end.
    highway
        OSM class per edge.
    node_osmid
        Node ids (default ``0..N-1``).
    geometry
        Per edge an ``(k, 2)`` lon/lat array from tail to head (default: straight line).
    length_m, travel_time_s, speed_kph, maxspeed_kph
        Per edge; NaN entries are filled as described above.
    name, ref
        Per edge strings (default empty).
    bridge
        Per edge booleans.
    way_ids
        Per edge list of OSM way ids, or one id per edge.
    open_from_h
        Per edge hour from which the edge is open (default 0).
    speeds
        Speed parameters for edges without a travel time.
    meta
        Graph attributes.

    Raises
    ------
    RoadNetworkError
        If there are no edges, coordinates are not finite or node indices are out of range.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    n, tail, head = len(lon), np.asarray(tail, dtype=np.int64), np.asarray(head, dtype=np.int64)
    m = len(tail)
    _check_nodes_and_edges(lon, lat, tail, head)
    highway = _strs(highway, m)
    maxspeed = _floats(maxspeed_kph, np.nan, m)
    speed = _fill_speeds(_floats(speed_kph, np.nan, m), highway, maxspeed, speeds or SpeedParams())
    geometry_counts, glon, glat = _flat_geometry(geometry, lon, lat, tail, head)
    gptr = np.concatenate([[0], np.cumsum(geometry_counts)])
    length = _floats(length_m, np.nan, m)
    bad = ~np.isfinite(length)
    if bad.any():
        length[bad] = _polyline_lengths_m(gptr, glon, glat)[bad]
    tt = _floats(travel_time_s, np.nan, m)
    bad = ~np.isfinite(tt)
    tt[bad] = length[bad] / (speed[bad] / 3.6)
    tt = np.maximum(tt, MIN_TRAVEL_TIME_S)
    wcount, wflat = _flat_way_ids(way_ids, m)

    order = np.argsort(tail, kind="stable")
    gptr2, gidx = _permute_ragged(geometry_counts, np.arange(len(glon)), order)
    wptr2, wflat2 = _permute_ragged(wcount, wflat, order)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, tail + 1, 1)
    indptr = np.cumsum(indptr)
    return RoadNetwork(
        node_osmid=_ro(
            np.arange(n, dtype=np.int64) if node_osmid is None else np.asarray(node_osmid, dtype=np.int64)
        ),
        lon=_ro(lon),
        lat=_ro(lat),
        indptr=_ro(indptr),
        tail=_ro(tail[order].astype(np.int32)),
        head=_ro(head[order].astype(np.int32)),
        length_m=_ro(length[order]),
        travel_time_s=_ro(tt[order]),
        speed_kph=_ro(speed[order]),
        maxspeed_kph=_ro(maxspeed[order]),
        highway=_ro(highway[order]),
        name=_ro(_strs(name, m)[order]),
        ref=_ro(_strs(ref, m)[order]),
        bridge=_ro(np.zeros(m, dtype=bool) if bridge is None else np.asarray(bridge, dtype=bool)[order]),
        way_ptr=_ro(wptr2),
        way_ids=_ro(wflat2),
        geom_ptr=_ro(gptr2),
        geom_lon=_ro(glon[gidx]),
        geom_lat=_ro(glat[gidx]),
        open_from_h=_ro(np.zeros(m) if open_from_h is None else np.asarray(open_from_h, dtype=float)[order]),
        meta=dict(meta or {}),
    )


def _check_nodes_and_edges(lon: np.ndarray, lat: np.ndarray, tail: np.ndarray, head: np.ndarray) -> None:
    """Raise :class:`RoadNetworkError` on no edges, bad coordinates or dangling edge ends."""
    if len(tail) == 0:
        raise RoadNetworkError(tr("the road network has no drivable edges", "路网中没有可供车辆通行的路段"))
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        raise RoadNetworkError(tr("node coordinates must be finite numbers", "节点坐标必须为有限数值"))
    if (np.abs(lat) > 90).any() or (np.abs(lon) > 180).any():
        raise RoadNetworkError(tr("node coordinates are not WGS-84 degrees (|lon| > 180 or |lat| > 90)",
                                  "节点坐标不是 WGS-84 经纬度（|lon| > 180 或 |lat| > 90）"))  # fmt: skip
    if tail.min() < 0 or head.min() < 0 or max(tail.max(), head.max()) >= len(lon):
        raise RoadNetworkError(tr("edge end points refer to missing nodes", "路段端点引用了不存在的节点"))


def _floats(x: Any, default: float, m: int) -> np.ndarray:
    """Per-edge float copy of ``x``, or ``m`` times ``default`` when ``x`` is None."""
    return np.full(m, default) if x is None else np.asarray(x, dtype=float).copy()


def _strs(x: Any, m: int) -> np.ndarray:
    """Per-edge object array of strings, or ``m`` empty strings when ``x`` is None."""
    return np.array([""] * m if x is None else [str(s) for s in x], dtype=object)


def _fill_speeds(
    speed: np.ndarray, highway: np.ndarray, maxspeed: np.ndarray, params: SpeedParams
) -> np.ndarray:
    """Fill the non-finite speeds from ``highway`` and ``maxspeed`` (in place)."""
    bad = ~np.isfinite(speed)
    if bad.any():
        speed[bad] = [
            truck_speed_kph(h, None if math.isnan(ms) else ms, params)
            for h, ms in zip(highway[bad], maxspeed[bad], strict=True)
        ]
    return speed


def _flat_geometry(
    geometry: list[np.ndarray] | None, lon: np.ndarray, lat: np.ndarray, tail: np.ndarray, head: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vertex count per edge and the flat vertex lon/lat (straight lines without ``geometry``)."""
    if geometry is None:
        geometry_counts = np.full(len(tail), 2, dtype=np.int64)
        glon = np.column_stack([lon[tail], lon[head]]).ravel()
        glat = np.column_stack([lat[tail], lat[head]]).ravel()
    else:
        geometry_counts = np.array([len(g) for g in geometry], dtype=np.int64)
        if (geometry_counts < 2).any():
            raise RoadNetworkError(
                tr("every edge geometry needs at least two vertices", "每条路段的几何形状至少需要两个顶点")
            )
        allc = np.concatenate(geometry)
        glon, glat = allc[:, 0].astype(float), allc[:, 1].astype(float)
    return geometry_counts, glon, glat


def _flat_way_ids(way_ids: list[list[int]] | np.ndarray | None, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Way-id count per edge and the flat way ids (``-1`` per edge without ``way_ids``)."""
    if way_ids is None:
        wl: list[list[int]] = [[-1]] * m
    else:
        wl = [list(w) if isinstance(w, list | tuple | np.ndarray) else [int(w)] for w in way_ids]
    wcount = np.array([len(w) for w in wl], dtype=np.int64)
    wflat = np.array([x for w in wl for x in w], dtype=np.int64)
    return wcount, wflat


def _permute_ragged(
    ptr_counts: np.ndarray, flat: np.ndarray, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Reorder a ragged array (``ptr_counts`` items per edge) into edge ``order``: new pointer, items."""
    starts = np.concatenate([[0], np.cumsum(ptr_counts)])[:-1][order]
    counts = ptr_counts[order]
    idx = np.repeat(starts, counts) + (
        np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    return np.concatenate([[0], np.cumsum(counts)]), flat[idx]
