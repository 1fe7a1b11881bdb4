"""Snap depots and demand points to the nearest node of the road network's main component.

Points are snapped to the nearest node of the largest strongly connected component of the
physical network (closures ignored), so that every snapped pair is connected before any
disruption; reachability under disruptions is reported by the matrices. Distances are great
circle (nearest unit vectors: every pair compared for small inputs, a k-d tree for large ones). Points further than ``SnapParams.warn_m`` get a
:class:`~logistics.exceptions.SnapWarning` listing them; points further than
``SnapParams.max_m`` (at sea, outside the map) are refused with a
:class:`~logistics.exceptions.SnapError` listing every one of them.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.common.coords import normalise_crs, to_wgs84
from logistics.common.limits import MAX_FILE_BYTES
from logistics.common.tables import read_tables
from logistics.exceptions import InputError, Problem, SnapError, SnapWarning, Text, tr

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from logistics.roads.network import RoadNetwork

__all__ = ["SnapParams", "SnapResult", "checked_points", "points_frame", "points_from_csv", "snap_points"]

_R_EARTH_M = 6_371_008.8


@dataclass(frozen=True)
class SnapParams:
    """Snapping limits.

    Parameters
    ----------
    warn_m
        Warn about points further than this from their node (metres, default 500).
    max_m
        Refuse points further than this (metres, default 5000).
    """

    warn_m: float = 500.0
    max_m: float = 5000.0

    def __post_init__(self) -> None:
        if not (0 <= self.warn_m <= self.max_m):
            raise ValueError(f"Expected 0 <= warn_m <= max_m, got {self.warn_m} and {self.max_m}.")


@dataclass(frozen=True, eq=False)
class SnapResult:
    """Where each point was snapped.

    Parameters
    ----------
    ids
        Point ids, in input order.
    lon, lat
        Input coordinates (WGS-84).
    node
        Node index of each point.
    snap_distance_m
        Great-circle distance from the point to its node (metres).
    params
        The limits used.
    """

    ids: tuple[str, ...]
    lon: np.ndarray
    lat: np.ndarray
    node: np.ndarray
    snap_distance_m: np.ndarray
    params: SnapParams = field(default_factory=SnapParams)

    @property
    def far(self) -> list[str]:
        """Ids of points snapped from further than ``params.warn_m``."""
        return [i for i, d in zip(self.ids, self.snap_distance_m, strict=True) if d > self.params.warn_m]

    def to_frame(self) -> pd.DataFrame:
        """Table ``id, lon, lat, node, snap_distance_m``."""
        import pandas as pd  # heavy: loaded only on this path

        return pd.DataFrame(
            {
                "id": list(self.ids),
                "lon": self.lon,
                "lat": self.lat,
                "node": self.node,
                "snap_distance_m": self.snap_distance_m,
            }
        )

    def summary(self) -> str:
        """One line: count, largest snap distance, far points."""
        if not self.ids:
            return "0 points"
        k = int(np.argmax(self.snap_distance_m))
        far = self.far
        s = f"{len(self.ids)} points, largest snap {self.snap_distance_m[k]:.0f} m ({self.ids[k]})"
        return s + (f"; {len(far)} beyond {self.params.warn_m:.0f} m: {', '.join(far)}" if far else "")


def points_frame(points: Any, *, source: str = "points") -> pd.DataFrame:
    """Normalise points to a DataFrame ``id, lon, lat`` and check them.

    Parameters
    ----------
    points
        A DataFrame with ``id, lon, lat`` columns, or a sequence of ``(id, lon, lat)``.
    source
        Name used in messages (e.g. the file name).

    Raises
    ------
    InputError
        Listing every row with a missing column, a non-numeric or out-of-range coordinate,
        or a duplicate id.
    """
    import pandas as pd  # heavy: loaded only on this path

    ids, lon, lat = checked_points(points, source=source)
    return pd.DataFrame({"id": list(ids), "lon": lon, "lat": lat})


def _number(x: object) -> float:
    if isinstance(x, bool):
        return float(x)
    try:
        return float(str(x).strip()) if isinstance(x, str) else float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _columns(points: Any, source: str) -> tuple[list[Any], list[Any], list[Any]]:
    """Return the ``id``, ``lon`` and ``lat`` values of a table (anything with ``columns``) or of tuples."""
    if hasattr(points, "columns"):
        missing = [c for c in ("id", "lon", "lat") if c not in points.columns]
        if missing:
            cols = ", ".join(missing)
            raise InputError([Problem(tr(f"missing column(s) {cols}; expected id,lon,lat (WGS-84)",
                                         f"缺少列 {cols}；应为 id,lon,lat（WGS-84）"),
                                      file=source, value=",".join(map(str, points.columns)))])  # fmt: skip
        return list(points["id"]), list(points["lon"]), list(points["lat"])
    rows = [tuple(r) for r in points]
    bad = [i for i, r in enumerate(rows) if len(r) != 3]
    if bad:
        msg = tr("expected (id, lon, lat)", "应为 (id, lon, lat)")
        raise InputError([Problem(msg, file=source, row=i + 2, value=str(rows[i])) for i in bad])
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def checked_points(points: Any, *, source: str = "points") -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Return the ids, longitudes and latitudes of points, checked (what :func:`points_frame` holds).

    Parameters
    ----------
    points
        A DataFrame with ``id, lon, lat`` columns, or a sequence of ``(id, lon, lat)``.
    source
        Name used in messages (e.g. the file name).

    Raises
    ------
    InputError
        Listing every row with a missing column, a non-numeric or out-of-range coordinate,
        an empty or a duplicate id (rows counted as in a file with a header: the first is 2).
    """
    raw_ids, raw_lon, raw_lat = _columns(points, source)
    problems: list[Problem] = []
    ids = tuple(str(x).strip() for x in raw_ids)
    coords = {}
    for c, raw, lo, hi in (("lon", raw_lon, -180, 180), ("lat", raw_lat, -90, 90)):
        vals = np.array([_number(x) for x in raw], dtype=float)
        for i in np.flatnonzero(~((vals >= lo) & (vals <= hi))):
            problems.append(
                Problem(
                    tr(
                        f"{c} must be a number in [{lo}, {hi}] (WGS-84 degrees)",
                        f"{c} 必须为 [{lo}, {hi}] 范围内的数字（WGS-84 经纬度）",
                    ),
                    file=source,
                    row=int(i) + 2,
                    column=c,
                    value=str(raw[i]),
                )
            )
        coords[c] = vals
    problems += [Problem(tr("empty id", "id 为空"), file=source, row=i + 2, column="id")
                 for i, pid in enumerate(ids) if pid in ("", "nan", "None")]  # fmt: skip
    seen: set[str] = set()
    for i, pid in enumerate(ids):
        if pid in seen:
            problems.append(
                Problem(tr("duplicate id", "id 重复"), file=source, row=i + 2, column="id", value=pid)
            )
        seen.add(pid)
    if problems:
        raise InputError(problems)
    return ids, coords["lon"], coords["lat"]


#: Chinese column names accepted for point files.
_POINT_HEADERS = {"编号": "id", "代码": "id", "名称": "name", "经度": "lon", "纬度": "lat", "ID": "id"}


def points_from_csv(path: str | Path, *, crs: str = "WGS84") -> pd.DataFrame:
    """Read points from a CSV file with columns ``id,lon,lat``; return them in WGS-84.

    Parameters
    ----------
    path
        The file: UTF-8 (optional BOM) or GBK/GB18030 as Chinese Excel saves it; headers
        ``id,lon,lat`` or ``编号,经度,纬度``; other columns are left out.
    crs
        Coordinate system of the file: ``WGS84`` (default), ``GCJ02`` (高德, 腾讯) or ``BD09``
        (百度); any name :func:`logistics.common.coords.normalise_crs` accepts. GCJ-02 and
        BD-09 points are converted to WGS-84.

    Raises
    ------
    InputError
        If the file is missing, empty or has bad rows (every bad row listed).
    """
    import pandas as pd  # heavy: loaded only on this path

    p = Path(path)
    canon = normalise_crs(crs)
    if canon is None:
        raise InputError([Problem(tr("unknown coordinate system (expected WGS84, GCJ02 or BD09)",
                                     "未知坐标系（应为 WGS84、GCJ02 或 BD09）"), value=crs)])  # fmt: skip
    if not p.exists():
        raise InputError([Problem(tr("file not found", "未找到文件"), file=str(path))])
    if not p.is_file():
        raise InputError([Problem(tr("is a directory, expected a CSV file of points (id,lon,lat)",
                                     "这是一个文件夹，应为点位 CSV 文件（id,lon,lat）"), file=str(path))])  # fmt: skip
    if p.stat().st_size > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // 2**20
        raise InputError([Problem(tr(f"larger than {mb} MB (docs/limits.md)", f"文件大于 {mb} MB（见 docs/limits.md）"),
                                  file=str(path))])  # fmt: skip
    # the project's one table reader: UTF-8 or GBK/GB18030 (said), title lines and 合计 rows, .xlsx/.xls
    tables, problems = read_tables(p, known=("id", "lon", "lat", *_POINT_HEADERS))
    if problems:
        raise InputError(problems)
    if not tables:
        raise InputError([Problem(tr("no table found (expected columns id,lon,lat)", "未找到表格（应有 id,lon,lat 列）"),
                                  file=str(path))])  # fmt: skip
    t = tables[0]
    df = pd.DataFrame(
        [[None if v is None else str(v) for v in vals] for _n, vals in t.rows], columns=t.header
    )
    df = df.rename(columns={c: _POINT_HEADERS.get(str(c).strip(), str(c).strip()) for c in df.columns})
    if len(df) == 0 and {"id", "lon", "lat"} <= set(df.columns):
        raise InputError([Problem(tr("no points (the file has a header but no rows)", "没有点位（文件只有表头，没有数据行）"),
                                  file=str(path))])  # fmt: skip
    pts = points_frame(df, source=str(path))
    if canon != "WGS84":
        conv = [to_wgs84(lo, la, canon) for lo, la in zip(pts["lon"], pts["lat"], strict=True)]
        pts["lon"] = [c[0] for c in conv]
        pts["lat"] = [c[1] for c in conv]
    return pts


def _unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def snap_points(
    network: RoadNetwork,
    points: Any,
    *,
    params: SnapParams | None = None,
    source: str = "points",
) -> SnapResult:
    """Snap points to the nearest node of the network's main strongly connected component.

    Parameters
    ----------
    network
        The road network.
    points
        DataFrame ``id, lon, lat`` or a sequence of ``(id, lon, lat)`` (WGS-84).
    params
        Limits (default :class:`SnapParams`).
    source
        Name of the points in messages.

    Returns
    -------
    SnapResult
        Node and snap distance per point.

    Raises
    ------
    SnapError
        Listing every point further than ``params.max_m`` from the main component.
    InputError
        If the points are malformed.

    Warns
    -----
    SnapWarning
        Listing every point further than ``params.warn_m``.

    Examples
    --------
    >>> from logistics.roads.demo import demo_network
    >>> net = demo_network()
    >>> res = snap_points(net, [("海港区", 119.590445, 39.942349)])
    >>> bool(res.snap_distance_m[0] < 100)
    True
    """
    params = params or SnapParams()
    ids, lon, lat = checked_points(points, source=source)
    if not ids:
        return SnapResult((), lon, lat, np.zeros(0, dtype=np.int64), np.zeros(0), params)
    chord, k = _nearest(network, _unit(lon, lat))
    dist = 2 * _R_EARTH_M * np.arcsin(np.clip(np.asarray(chord) / 2, 0, 1))
    too_far = np.flatnonzero(dist > params.max_m)
    if len(too_far):
        raise SnapError(
            [_too_far(lon[i], lat[i], dist[i], params.max_m, source, int(i), ids[i]) for i in too_far]
        )
    res = SnapResult(ids, lon, lat, k, dist, params)
    far = res.far
    if far:
        pairs = [(i, d) for i, d in zip(ids, dist, strict=True) if d > params.warn_m]
        detail = ", ".join(f"{i} ({d:.0f} m)" for i, d in pairs)
        detail_zh = "、".join(f"{i}（{d:.0f} 米）" for i, d in pairs)
        warnings.warn(
            tr(f"{len(far)} of {len(ids)} {source} snapped from more than {params.warn_m:.0f} m: {detail}",
               f"{source} 共 {len(ids)} 个点，其中 {len(far)} 个吸附到路网的距离超过 {params.warn_m:.0f} 米：{detail_zh}"),
            SnapWarning,
            stacklevel=2,
        )  # fmt: skip
    return res


def _too_far(lon: float, lat: float, dist: float, max_m: float, source: str, i: int, pid: str) -> Problem:
    """Return the problem of point ``i`` (0-based), ``dist`` metres from the main network, over ``max_m``."""
    d, lim = _km(dist), _km(max_m)
    return Problem(
        tr(f"point ({lon:.6f}, {lat:.6f}) is {d} from the nearest "
           f"road of the main network (limit {lim}); at sea, outside "
           "the map, or wrong coordinates?",
           f"点位（{lon:.6f}, {lat:.6f}）距主路网最近的道路 {d.zh}（上限 {lim.zh}）；"
           "是否位于海上、地图范围外，或坐标有误？"),
        file=source,
        row=i + 2,
        column="id",
        value=pid,
    )  # fmt: skip


#: Up to this many point × node pairs, nearest nodes are found by comparing every pair (no
#: k-d tree to build, no SciPy import); above it with SciPy's k-d tree.
_BRUTE_PAIRS = 2_000_000


def _nearest(network: RoadNetwork, xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Chord length (unit sphere) to, and index of, the nearest main-component node of each point."""
    key = "snap_nodes"
    if key not in network._cache:
        main = np.flatnonzero(network.main_component())
        network._cache[key] = (_unit(network.lon[main], network.lat[main]), main)
    nodes, main = network._cache[key]
    if len(xyz) * len(nodes) <= _BRUTE_PAIRS:
        d2 = ((xyz[:, None, :] - nodes[None, :, :]) ** 2).sum(axis=2)
        k = d2.argmin(axis=1)
        return np.sqrt(d2[np.arange(len(xyz)), k]), main[k].astype(np.int64)
    from scipy.spatial import cKDTree  # heavy: loaded only on this path

    if "snap_tree" not in network._cache:
        network._cache["snap_tree"] = cKDTree(nodes)
    chord, k = network._cache["snap_tree"].query(xyz)
    return np.asarray(chord), main[np.asarray(k)].astype(np.int64)


def _km(m: float) -> Text:
    if m >= 1000 or not math.isfinite(m):
        return tr(f"{m / 1000:.1f} km", f"{m / 1000:.1f} 公里")
    return tr(f"{m:.0f} m", f"{m:.0f} 米")


def snap_many(
    network: RoadNetwork, groups: Sequence[tuple[Any, str]], params: SnapParams | None
) -> list[SnapResult]:
    """Snap several point sets, collecting every refused point of all sets in one error.

    Parameters
    ----------
    network
        The road network.
    groups
        ``(points, source name)`` pairs.
    params
        Limits.

    Raises
    ------
    SnapError
        Listing the refused points of every group.
    """
    out: list[SnapResult] = []
    problems: list[Problem] = []
    for pts, name in groups:
        try:
            out.append(snap_points(network, pts, params=params, source=name))
        except SnapError as exc:
            problems += exc.problems
    if problems:
        raise SnapError(problems)
    return out
