"""Clip a road network to an area: a bounding box or a polygon (large extracts, one city's roads)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logistics.exceptions import Problem, RoadNetworkError, say, tr
from logistics.roads.disruption import polygon_from
from logistics.roads.graph import graph_from_network, network_from_graph

if TYPE_CHECKING:
    from logistics.roads.network import RoadNetwork

__all__ = ["clip_area", "clip_network"]


def clip_area(area: Any) -> Any:
    """Return ``area`` as a shapely polygon in WGS-84.

    Parameters
    ----------
    area
        ``(west, south, east, north)`` degrees, the text ``"west,south,east,north"``, or anything
        :func:`~logistics.roads.disruption.polygon_from` reads (WKT, GeoJSON, shapefile,
        GeoPackage, KML).

    Raises
    ------
    RoadNetworkError
        If the box is not four numbers with west < east and south < north, or the polygon
        cannot be read.
    """
    import shapely  # heavy: loaded only on this path

    box = area
    if (
        isinstance(area, str)
        and area.count(",") == 3
        and not area.strip().upper().startswith(("POLYGON", "MULTI"))
    ):
        try:
            box = tuple(float(x) for x in area.split(","))
        except ValueError:
            raise RoadNetworkError([Problem(tr("expected west,south,east,north in degrees",
                                               "应为 west,south,east,north（经纬度，单位：度）"), value=area)]) from None  # fmt: skip
    if isinstance(box, tuple | list) and len(box) == 4 and all(isinstance(x, int | float) for x in box):
        w, s, e, n = (float(x) for x in box)
        if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
            raise RoadNetworkError([Problem(tr("expected west < east and south < north in degrees",
                                               "应满足 west < east 且 south < north（经纬度，单位：度）"),
                                            value=str(tuple(box)))])  # fmt: skip
        return shapely.box(w, s, e, n)
    try:
        return polygon_from(area)
    except Exception as exc:  # DisruptionError, with its own problems
        raise RoadNetworkError(
            [Problem(tr(f"cannot read the clip area: {exc}", f"无法读取裁剪范围：{say(exc)}"))]
        ) from exc


def clip_network(network: RoadNetwork, area: Any) -> RoadNetwork:
    """Keep the roads whose both ends lie in ``area`` (box or polygon, see :func:`clip_area`).

    Edges keep their travel times, lengths, names and geometry; nodes left without an edge
    are dropped.

    Raises
    ------
    RoadNetworkError
        If no road is left inside the area.
    """
    import shapely  # heavy: loaded only on this path

    poly = clip_area(area)
    inside = shapely.contains_xy(poly, network.lon, network.lat)
    keep = inside[network.tail] & inside[network.head]
    if not keep.any():
        raise RoadNetworkError(
            [Problem(tr("no road lies inside the clip area", "裁剪范围内没有道路"), value=poly.wkt[:60])]
        )
    G = graph_from_network(network)
    # graph_from_network adds edge e as (tail, head, k) with k counting earlier edges of that pair
    seen: dict[tuple[int, int], int] = {}
    drop = []
    for e, (u, v) in enumerate(zip(network.tail.tolist(), network.head.tolist(), strict=True)):
        k = seen.get((u, v), 0)
        seen[(u, v)] = k + 1
        if not keep[e]:
            drop.append((u, v, k))
    G.remove_edges_from(drop)
    G.remove_nodes_from([n for n in list(G.nodes) if G.degree(n) == 0])
    out = network_from_graph(G)
    return out.replace(meta={**out.meta, **network.meta, "clip": poly.wkt[:200]})
