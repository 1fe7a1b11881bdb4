"""Convert between :class:`~logistics.roads.network.RoadNetwork` and networkx graphs (interchange).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph(crs="epsg:4326")
>>> G.add_node(1, x=119.60, y=39.94)
>>> G.add_node(2, x=119.61, y=39.94)
>>> _ = G.add_edge(1, 2, highway="primary", length=853.0, name="河北大街")
>>> net = network_from_graph(G)
>>> net.n_nodes, net.n_edges, round(float(net.travel_time_s[0]), 1)
(2, 1, 60.2)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.exceptions import RoadNetworkError, tr
from logistics.roads.network import network_from_arrays
from logistics.roads.speeds import SpeedParams, parse_maxspeed_kph, truck_speed_kph

if TYPE_CHECKING:
    import networkx as nx

    from logistics.roads.network import RoadNetwork

__all__ = ["graph_from_network", "network_from_graph", "network_from_parts"]


def graph_from_network(network: RoadNetwork, *, geometry: bool = True) -> nx.MultiDiGraph:
    """Return an osmnx-compatible ``MultiDiGraph`` (node ids are node indices).

    Nodes carry ``x``, ``y`` (lon, lat) and ``osmid``; edges carry ``length_m``,
    ``travel_time_s``, ``speed_kph``, ``highway``, ``name``, ``ref``, ``osmid`` (way id or
    list), ``bridge``, ``open_from_h``, ``maxspeed`` (if tagged), osmnx's ``length`` and
    ``travel_time``, and ``geometry`` (shapely LineString) when asked.

    Parameters
    ----------
    network
        The network.
    geometry
        Whether to attach edge geometries.
    """
    import networkx as nx  # heavy: loaded only on this path

    G = nx.MultiDiGraph(crs="epsg:4326", **{k: v for k, v in network.meta.items() if k != "crs"})
    for i in range(network.n_nodes):
        G.add_node(i, x=float(network.lon[i]), y=float(network.lat[i]), osmid=int(network.node_osmid[i]))
    geoms = network.edge_geometries() if geometry else None
    for e in range(network.n_edges):
        ways = network.edge_way_ids(e)
        attrs: dict[str, Any] = {
            "length_m": float(network.length_m[e]),
            "travel_time_s": float(network.travel_time_s[e]),
            "speed_kph": float(network.speed_kph[e]),
            "length": float(network.length_m[e]),
            "travel_time": float(network.travel_time_s[e]),
            "highway": str(network.highway[e]),
            "osmid": ways[0] if len(ways) == 1 else ways,
            "open_from_h": float(network.open_from_h[e]),
        }
        for key in ("name", "ref"):
            val = str(getattr(network, key)[e])
            if val:
                attrs[key] = val
        if network.bridge[e]:
            attrs["bridge"] = "yes"
        if math.isfinite(network.maxspeed_kph[e]):
            attrs["maxspeed"] = f"{network.maxspeed_kph[e]:g}"
        if geoms is not None:
            attrs["geometry"] = geoms[e]
        G.add_edge(int(network.tail[e]), int(network.head[e]), **attrs)
    return G


def network_from_graph(G: nx.MultiDiGraph | nx.DiGraph, *, speeds: SpeedParams | None = None) -> RoadNetwork:
    """Build a network from a networkx graph with ``x``/``y`` (lon/lat) node attributes.

    Edge attributes read: ``length_m`` or osmnx's ``length`` (metres; computed from the
    geometry if absent), ``highway``, ``maxspeed``, ``name``, ``ref``, ``osmid`` (way id or
    list), ``bridge``, ``geometry`` (LineString or WKT), ``open_from_h`` and
    ``travel_time_s``. Travel times are recomputed from ``highway``/``maxspeed`` when
    ``speeds`` is given or when an edge has no ``travel_time_s``. An undirected graph gets
    both directions of every edge.

    Parameters
    ----------
    G
        The graph (osmnx ``MultiDiGraph`` or any networkx graph).
    speeds
        Speed parameters; ``None`` keeps stored travel times where present.

    Raises
    ------
    RoadNetworkError
        If the graph has no edges or nodes lack coordinates.
    """
    if G.number_of_edges() == 0:
        raise RoadNetworkError(tr("the road graph has no edges", "路网图中没有路段"))
    edge_iter = (
        G.edges(keys=True, data=True)
        if G.is_multigraph()
        else ((u, v, 0, d) for u, v, d in G.edges(data=True))
    )
    edges = [(u, v, d) for u, v, _k, d in edge_iter]
    return network_from_parts(dict(G.nodes(data=True)), edges, G.is_directed(), G.graph, speeds=speeds)


def network_from_parts(
    nodes: dict[Any, dict[str, Any]],
    edge_list: list[tuple[Any, Any, dict[str, Any]]],
    directed: bool,
    graph: dict[str, Any],
    *,
    speeds: SpeedParams | None = None,
) -> RoadNetwork:
    """Build a network from plain node and edge data (what :func:`network_from_graph` reads off a graph).

    Parameters
    ----------
    nodes
        Node id → attributes (``x``, ``y``, optional ``osmid``), in graph order.
    edge_list
        ``(u, v, attributes)`` per edge (attributes as in :func:`network_from_graph`).
    directed
        ``False``: every edge gives both directions.
    graph
        Graph attributes (kept as the network's ``meta``, except ``crs``).
    speeds
        Speed parameters; ``None`` keeps stored travel times where present.

    Raises
    ------
    RoadNetworkError
        If there are no edges or nodes lack coordinates.
    """
    if not edge_list:
        raise RoadNetworkError(tr("the road graph has no edges", "路网图中没有路段"))
    lon, lat, osmid, pos = _node_arrays(nodes)
    rows = _edge_rows(edge_list, directed, pos)
    params = speeds or SpeedParams()
    geometry: list[np.ndarray] = []
    edges: list[dict[str, Any]] = []
    for a, b, d, rev in rows:
        geometry.append(_edge_coords(d.get("geometry"), lon, lat, a, b, rev))
        edges.append(_edge_attributes(d, params, keep_times=speeds is None))
    col = {key: [e[key] for e in edges] for key in edges[0]}
    meta = {k: v for k, v in graph.items() if k not in ("crs",)}
    return network_from_arrays(
        lon=lon,
        lat=lat,
        tail=np.array([r[0] for r in rows], dtype=np.int64),
        head=np.array([r[1] for r in rows], dtype=np.int64),
        node_osmid=osmid,
        geometry=geometry,
        length_m=np.array(col["length_m"], dtype=float),
        travel_time_s=np.array(col["travel_time_s"], dtype=float),
        speed_kph=np.array(col["speed_kph"], dtype=float),
        maxspeed_kph=np.array(col["maxspeed_kph"], dtype=float),
        highway=col["highway"],
        name=col["name"],
        ref=col["ref"],
        bridge=np.array(col["bridge"], dtype=bool),
        way_ids=col["way_ids"],
        open_from_h=np.array(col["open_from_h"], dtype=float),
        meta=meta,
    )


def _node_arrays(
    nodes: dict[Any, dict[str, Any]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[Any, int]]:
    """Node lon, lat and osmid arrays, and the index of each graph node."""
    pos = {n: i for i, n in enumerate(nodes)}
    missing = [n for n, d in nodes.items() if "x" not in d or "y" not in d]
    if missing:
        raise RoadNetworkError(tr(f"{len(missing)} nodes have no x/y coordinates, e.g. {missing[:5]}",
                                  f"{len(missing)} 个节点缺少 x/y 坐标，例如 {missing[:5]}"))  # fmt: skip
    lon = np.array([float(d["x"]) for d in nodes.values()])
    lat = np.array([float(d["y"]) for d in nodes.values()])
    osmid = np.array(
        [_as_int(d.get("osmid", n), i) for i, (n, d) in enumerate(nodes.items())], dtype=np.int64
    )
    return lon, lat, osmid, pos


def _edge_rows(
    edge_list: list[tuple[Any, Any, dict[str, Any]]], directed: bool, pos: dict[Any, int]
) -> list[tuple[int, int, dict[str, Any], bool]]:
    """Directed edges as (tail, head, attributes, reversed); an undirected edge gives both directions."""
    rows: list[tuple[int, int, dict[str, Any], bool]] = []
    for u, v, d in edge_list:
        pairs = [(u, v, False)] if directed else [(u, v, False), (v, u, True)]
        for a, b, rev in pairs:
            rows.append((pos[a], pos[b], d, rev))
    return rows


def _edge_coords(g: Any, lon: np.ndarray, lat: np.ndarray, a: int, b: int, rev: bool) -> np.ndarray:
    """Lon/lat vertices from node ``a`` to ``b``: the edge geometry turned to fit, else a straight line."""
    import shapely  # heavy: loaded only on this path

    if isinstance(g, str):
        g = shapely.from_wkt(g)
    if g is None:
        return np.array([[lon[a], lat[a]], [lon[b], lat[b]]])
    c = np.asarray(g.coords, dtype=float)[:, :2]
    if rev:
        c = c[::-1]
    if not (
        np.allclose(c[0], (lon[a], lat[a]), atol=1e-6) and np.allclose(c[-1], (lon[b], lat[b]), atol=1e-6)
    ):
        c = (
            c[::-1]
            if np.allclose(c[0], (lon[b], lat[b]), atol=1e-6)
            else np.array([[lon[a], lat[a]], [lon[b], lat[b]]])
        )
    return c


def _edge_attributes(d: dict[str, Any], params: SpeedParams, *, keep_times: bool) -> dict[str, Any]:
    """One edge's length, times, speeds, class, names, bridge flag, way ids and opening hour.

    Missing lengths and travel times are NaN; ``keep_times`` keeps a stored ``travel_time_s``
    (and ``speed_kph``).
    """
    ln = d.get("length_m", d.get("length"))
    hw = d.get("highway", "")
    hw = hw[0] if isinstance(hw, list) and hw else hw
    ms = parse_maxspeed_kph(d.get("maxspeed"))
    speed = truck_speed_kph(hw, d.get("maxspeed"), params)
    tt = np.nan
    if keep_times and _finite(d.get("travel_time_s")):
        tt = float(d["travel_time_s"])
        if _finite(d.get("speed_kph")):
            speed = float(d["speed_kph"])
    name, ref = _join(d.get("name")), _join(d.get("ref"))
    br = d.get("bridge")
    ways = d.get("osmid", -1)
    of = d.get("open_from_h", 0.0)
    return {
        "length_m": float(ln) if ln is not None and _finite(ln) else np.nan,
        "travel_time_s": tt,
        "speed_kph": speed,
        "maxspeed_kph": np.nan if ms is None else ms,
        "highway": str(hw),
        "name": name,
        "ref": ref,
        "bridge": br not in (None, "", "no", "False", False, "F", 0)
        and not (isinstance(br, float) and math.isnan(br)),
        "way_ids": [_as_int(w, -1) for w in (ways if isinstance(ways, list) else [ways])],
        "open_from_h": float(of) if of not in (None, "") else 0.0,
    }


def _finite(x: object) -> bool:
    try:
        return x is not None and x != "" and math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _as_int(x: object, default: int) -> int:
    try:
        return int(x)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def _join(x: object) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, list | tuple):
        return ";".join(dict.fromkeys(str(s) for s in x if s is not None and str(s) != "nan"))
    return str(x)
