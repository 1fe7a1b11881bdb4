"""Road line layers to edge arrays: feature attributes, splitting at junctions, one-way directions.

The steps of :func:`~logistics.roads.read.network_from_lines` after the layer has been
checked and reduced to drivable LineStrings in EPSG:4326.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.roads.speeds import parse_maxspeed_kph

if TYPE_CHECKING:
    import geopandas as gpd

_ROUND = 1e7  # vertex rounding: 1e-7 degree (about 1 cm)


def column(gdf: gpd.GeoDataFrame, *names: str) -> str | None:
    """Return the first column of ``gdf`` named one of ``names`` (case-insensitive), or ``None``.

    Parameters
    ----------
    gdf
        The layer.
    *names
        Lower-case candidate names, in order of preference.
    """
    lower = {c.lower(): c for c in gdf.columns}
    for n in names:
        if n in lower:
            return lower[n]
    return None


def feature_attributes(g: gpd.GeoDataFrame, cls_col: str) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per-feature edge attributes and one-way codes of a layer of LineStrings.

    Parameters
    ----------
    g
        The drivable LineStrings.
    cls_col
        Name of the ``highway`` / ``fclass`` column.

    Returns
    -------
    attributes, oneway
        Arrays keyed by the argument names of
        :func:`~logistics.roads.network.network_from_arrays` (``highway``, ``maxspeed_kph``,
        ``name``, ``ref``, ``bridge``, ``way_ids``), and the codes of :func:`_oneway_codes`.
    """
    col = {
        k: column(g, *names)
        for k, names in {
            "oneway": ("oneway",),
            "maxspeed": ("maxspeed",),
            "name": ("name",),
            "ref": ("ref",),
            "osm_id": ("osm_id", "osmid", "way_id", "id"),
            "bridge": ("bridge",),
        }.items()
    }
    n_feat = len(g)
    hw = g[cls_col].astype(str).to_numpy()
    oneway = _oneway_codes(g[col["oneway"]].to_numpy()) if col["oneway"] else np.zeros(n_feat, dtype=np.int8)
    maxspeed = (
        np.array([_maxspeed(v) for v in g[col["maxspeed"]].to_numpy()])
        if col["maxspeed"]
        else np.full(n_feat, np.nan)
    )
    name, ref = _text(g, col["name"]), _text(g, col["ref"])
    bridge = (
        np.array([str(v).strip().lower() in ("t", "yes", "true", "1") for v in g[col["bridge"]].to_numpy()])
        if col["bridge"]
        else np.zeros(n_feat, dtype=bool)
    )
    osm = (
        np.array([_int_or(v, -1) for v in g[col["osm_id"]].to_numpy()], dtype=np.int64)
        if col["osm_id"]
        else np.full(n_feat, -1, dtype=np.int64)
    )
    attributes = {
        "highway": hw,
        "maxspeed_kph": maxspeed,
        "name": name,
        "ref": ref,
        "bridge": bridge,
        "way_ids": osm,
    }
    return attributes, oneway


def split_at_junctions(
    coords: np.ndarray, part: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[np.ndarray], np.ndarray]:
    """Split the features at every vertex shared by two features (and at their ends).

    Parameters
    ----------
    coords
        Vertices of all features, feature after feature.
    part
        Feature index of each vertex.

    Returns
    -------
    lon, lat, u, v, geoms, piece_feat
        Node coordinates; per piece its end nodes, its vertices and its feature.
    """
    part, xy, uniq, vid = _vertex_ids(coords, part)
    first = np.ones(len(part), dtype=bool)
    first[1:] = part[1:] != part[:-1]
    last = np.ones(len(part), dtype=bool)
    last[:-1] = part[1:] != part[:-1]
    # features reduced to a single vertex have no edge
    single = first & last
    is_node = first | last | (np.bincount(vid, minlength=len(uniq))[vid] >= 2)
    npos = np.flatnonzero(is_node & ~single)
    same = part[npos[1:]] == part[npos[:-1]]
    s_pos, e_pos = npos[:-1][same], npos[1:][same]
    piece_feat = part[s_pos]
    counts = e_pos - s_pos + 1
    idx = np.repeat(s_pos, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    gxy = xy[idx]
    node_vids = np.unique(vid[npos])
    vid_to_node = np.full(len(uniq), -1, dtype=np.int64)
    vid_to_node[node_vids] = np.arange(len(node_vids))
    lon = uniq[node_vids, 0] / _ROUND
    lat = uniq[node_vids, 1] / _ROUND
    u = vid_to_node[vid[s_pos]]
    v = vid_to_node[vid[e_pos]]
    gptr = np.concatenate([[0], np.cumsum(counts)])
    geoms = [gxy[gptr[i] : gptr[i + 1]] for i in range(len(u))]
    return lon, lat, u, v, geoms, piece_feat


def directed_edges(
    u: np.ndarray, v: np.ndarray, geoms: list[np.ndarray], piece_feat: np.ndarray, oneway: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], np.ndarray]:
    """Directed edges of the pieces: forward ones first, then backward ones (reversed geometry).

    Parameters
    ----------
    u, v, geoms, piece_feat
        Pieces as returned by :func:`split_at_junctions`.
    oneway
        One-way code per feature.

    Returns
    -------
    tail, head, geometry, feature
        Per directed edge its end nodes, its vertices and its feature.
    """
    ow = oneway[piece_feat]
    fwd = ow >= 0
    bwd = ow <= 0
    fi, bi = np.flatnonzero(fwd), np.flatnonzero(bwd)
    tail = np.concatenate([u[fi], v[bi]])
    head = np.concatenate([v[fi], u[bi]])
    geometry = [geoms[i] for i in fi] + [geoms[i][::-1] for i in bi]
    pf = np.concatenate([piece_feat[fi], piece_feat[bi]])
    return tail, head, geometry, pf


def _vertex_ids(
    coords: np.ndarray, part: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vertex ids from rounded coordinates, consecutive repeats inside a feature dropped.

    Returns the feature and lon/lat of the kept vertices, the distinct rounded coordinates
    and the id (row of those) of each kept vertex.
    """
    q = np.round(coords[:, :2] * _ROUND).astype(np.int64)
    dup = np.zeros(len(q), dtype=bool)
    dup[1:] = (part[1:] == part[:-1]) & (q[1:] == q[:-1]).all(axis=1)
    q, part, xy = q[~dup], part[~dup], coords[~dup, :2]
    uniq, vid = np.unique(q, axis=0, return_inverse=True)
    return part, xy, uniq, vid.ravel()


def _oneway_codes(values: Any) -> np.ndarray:
    """0 = both ways, 1 = forward only, -1 = backward only."""
    out = np.zeros(len(values), dtype=np.int8)
    for i, v in enumerate(values):
        s = str(v).strip().lower()
        if s in ("f", "yes", "true", "1", "t_f"):
            out[i] = 1
        elif s in ("t", "-1", "reverse"):
            out[i] = -1
    return out


def _text(g: gpd.GeoDataFrame, c: str | None) -> np.ndarray:
    """Column ``c`` as strings, empty where missing (all empty without the column)."""
    if c is None:
        return np.array([""] * len(g), dtype=object)
    return np.array(
        ["" if v is None or str(v) in ("nan", "None") else str(v) for v in g[c].to_numpy()],
        dtype=object,
    )


def _maxspeed(v: object) -> float:
    s = parse_maxspeed_kph(v)
    return np.nan if s is None else s


def _int_or(v: object, default: int) -> int:
    try:
        return int(float(v))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
