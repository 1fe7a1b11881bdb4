"""The embedded ILLUSTRATIVE road network of the demo region 秦皇岛市 (generator and loader).

No OpenStreetMap data of Qinhuangdao can be shipped (see ``data/roads/README.md``), so the
demo uses an invented network with a realistic hierarchy that joins the *real* county seats
and the demo depots and townships: expressways (G1 京哈高速, G0111 秦滨高速 along the coast,
S52 承秦高速 to 青龙), national roads (G102, G205, G228 coastal), provincial roads to the
mountainous north (青龙满族自治县, slower and more winding), county roads to every township,
small street grids in the seven county seats, and access roads to depots. Roads wind
(intermediate nodes about every 600 m) so that road distances are about 1.2-1.4 times the
straight line. Bridges where roads cross approximate courses of the 滦河, 青龙河 and 洋河 are
separate edges named ``<ref><river>大桥`` (e.g. ``G228洋河大桥``) so that scenarios can close
them by name. Every edge has ``illustrative=True``, and so has the graph.

:func:`build_demo_graph` regenerates the graph deterministically (seeded);
:func:`demo_network` loads the committed file ``data/roads/qinhuangdao_demo.graphml``
without any network access. Regenerate with ``python -m logistics.roads.demo``.
"""

from __future__ import annotations

import csv
import itertools
import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.common import atomic_path, data_root, to_wgs84
from logistics.roads._demo_data import _COUNTY, ANCHORS, RIVERS, ROADS
from logistics.roads.network import haversine_m
from logistics.roads.read import network_from_graphml
from logistics.roads.speeds import SpeedParams

if TYPE_CHECKING:
    import networkx as nx

    from logistics.roads.network import RoadNetwork

__all__ = [
    "BRIDGES_NOTE",
    "DEMO_GRAPH_FILE",
    "build_demo_graph",
    "demo_network",
    "demo_network_path",
]

DEMO_GRAPH_FILE = "qinhuangdao_demo.graphml"
SEED = 20261123
BRIDGES_NOTE = "bridges are named <ref><river>大桥, e.g. G228洋河大桥, G1滦河大桥, S251青龙河大桥"
_WAY_BASE = 900_000_000  # synthetic way ids: 9000000xx, far from real OSM ids of the area

_SEATS = ("海港城区", "山海关城区", "北戴河城区", "抚宁镇", "青龙镇", "昌黎镇", "卢龙镇")


def _read_points(
    root: Path,
) -> tuple[dict[str, tuple[float, float]], list[tuple[str, str, float, float]]]:

    places: dict[str, tuple[float, float]] = {}
    with open(root / "places.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            places[row["name"]] = (float(row["lon"]), float(row["lat"]))
    depots: list[tuple[str, str, float, float]] = []
    with open(root / "depots.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            lon, lat = to_wgs84(float(row["lon"]), float(row["lat"]), (row.get("crs") or "WGS84").upper())
            depots.append((row["id"], row["name"], lon, lat))
    return places, depots


def _metres(lon0: float, lat0: float) -> tuple[float, float]:
    """Metres per degree of lon and lat near (lon0, lat0)."""
    return 111_320.0 * math.cos(math.radians(lat0)), 110_574.0


def _leg(
    a: tuple[float, float],
    b: tuple[float, float],
    style: tuple[float, float, float],
    rng: np.random.Generator,
) -> np.ndarray:
    """Winding polyline from a to b (both included) with nodes about every ``spacing`` metres."""
    spacing, meander, wiggle = style
    mx, my = _metres(*a)
    dx, dy = (b[0] - a[0]) * mx, (b[1] - a[1]) * my
    length = math.hypot(dx, dy)
    n = max(2, round(length / spacing))
    t = np.linspace(0.0, 1.0, n + 1)
    px, py = -dy / length, dx / length
    k1, k2 = rng.uniform(0.6, 1.6), rng.uniform(2.0, 4.0)
    p1, p2 = rng.uniform(0, 2 * np.pi, 2)
    env = np.sin(np.pi * t)
    off = length * meander * env * (np.sin(2 * np.pi * k1 * t + p1) + 0.5 * np.sin(2 * np.pi * k2 * t + p2))
    noise = rng.normal(0.0, wiggle * spacing, n + 1)
    noise = np.convolve(noise, [0.25, 0.5, 0.25], mode="same")
    noise[0] = noise[-1] = 0.0
    off = off + noise
    x = t * dx + off * px
    y = t * dy + off * py
    return np.column_stack([a[0] + x / mx, a[1] + y / my])


def _short(name: str) -> str:
    for s in ("城区", "镇", "乡"):
        if name.endswith(s) and len(name) > len(s) + 1:
            return name[: -len(s)]
    return name


class _Builder:
    """Accumulate nodes and two-way road segments, then emit an osmnx-style MultiDiGraph."""

    def __init__(self) -> None:
        self.xy: list[tuple[float, float]] = []
        self.key: dict[str, int] = {}
        self.kind: list[str] = []  # highway class of the road that created the node
        self.segs: list[dict[str, Any]] = []
        self.way = 0
        self.bridge_count: dict[str, int] = {}

    def node(self, xy: tuple[float, float], key: str | None = None, kind: str = "") -> int:
        if key is not None and key in self.key:
            return self.key[key]
        self.xy.append((float(xy[0]), float(xy[1])))
        self.kind.append(kind)
        if key is not None:
            self.key[key] = len(self.xy) - 1
        return len(self.xy) - 1

    def road(
        self,
        ref: str,
        name: str,
        highway: str,
        maxspeed: str,
        pts: np.ndarray,
        start: int,
        end: int,
        *,
        rivers: dict[str, Any] | None = None,
    ) -> None:
        import shapely  # heavy: loaded only on this path

        self.way += 1
        way = _WAY_BASE + self.way
        ids = [start] + [self.node(tuple(p), kind=highway) for p in pts[1:-1]] + [end]
        for i in range(len(ids) - 1):
            a, b = ids[i], ids[i + 1]
            seg = shapely.LineString([self.xy[a], self.xy[b]])
            crossing = None
            for river, line in (rivers or {}).items():
                if seg.intersects(line):
                    crossing = (river, seg.intersection(line))
                    break
            base = {
                "ref": ref,
                "name": name,
                "highway": highway,
                "maxspeed": maxspeed,
                "osmid": way,
            }
            if crossing is None or crossing[1].geom_type != "Point":
                self.segs.append({**base, "u": a, "v": b})
                continue
            river, pt = crossing
            frac = seg.project(pt, normalized=True)
            mx, my = _metres(*self.xy[a])
            seg_m = math.hypot((self.xy[b][0] - self.xy[a][0]) * mx, (self.xy[b][1] - self.xy[a][1]) * my)
            half = min(0.45, 150.0 / max(seg_m, 1.0))
            f0, f1 = max(0.02, frac - half), min(0.98, frac + half)
            q0 = seg.interpolate(f0, normalized=True)
            q1 = seg.interpolate(f1, normalized=True)
            n0, n1 = self.node((q0.x, q0.y), kind=highway), self.node((q1.x, q1.y), kind=highway)
            label = f"{ref or name}{river}{'特大桥' if highway == 'motorway' else '大桥'}"
            k = self.bridge_count.get(label, 0) + 1
            self.bridge_count[label] = k
            if k > 1:
                label = f"{label}{k}"
            self.segs.append({**base, "u": a, "v": n0})
            self.segs.append({**base, "u": n0, "v": n1, "name": label, "bridge": "yes", "road_name": name})
            self.segs.append({**base, "u": n1, "v": b})

    def nearest(self, xy: tuple[float, float], exclude: set[int], allow: set[str]) -> tuple[int, float]:
        arr = np.asarray(self.xy)
        mx, my = _metres(*xy)
        d = np.hypot((arr[:, 0] - xy[0]) * mx, (arr[:, 1] - xy[1]) * my)
        ok = np.array([k in allow for k in self.kind]) & ~np.isin(np.arange(len(arr)), list(exclude))
        d[~ok] = np.inf
        i = int(np.argmin(d))
        return i, float(d[i])

    def graph(self) -> nx.MultiGraph:
        import networkx as nx  # heavy: loaded only on this path

        G = nx.MultiGraph(crs="epsg:4326")
        used = sorted({s["u"] for s in self.segs} | {s["v"] for s in self.segs})
        for i in used:
            G.add_node(i + 1, x=round(self.xy[i][0], 6), y=round(self.xy[i][1], 6))
        for s in self.segs:
            a, b = s["u"], s["v"]
            ln = float(haversine_m(self.xy[a][0], self.xy[a][1], self.xy[b][0], self.xy[b][1]))
            attrs = {k: v for k, v in s.items() if k not in ("u", "v") and v != ""}
            attrs.update(length=round(ln, 1), illustrative=True)
            G.add_edge(a + 1, b + 1, **attrs)
        return G


def build_demo_graph(depots_dir: Path | None = None, *, seed: int = SEED) -> nx.MultiGraph:
    """Generate the illustrative road graph of 秦皇岛市 (deterministic for a given seed).

    Parameters
    ----------
    depots_dir
        Folder with ``places.csv`` and ``depots.csv`` (default: the embedded demo region).
    seed
        Seed of the winding.

    Returns
    -------
    networkx.MultiGraph
        Undirected osmnx-style graph (every road is two-way, so it is stored once; readers add
        both directions): node ``x``/``y``, edge ``length`` in metres, ``highway``, ``name``,
        ``ref``, ``maxspeed``, ``osmid`` (synthetic way id), ``bridge``, ``illustrative``.
    """
    import shapely  # heavy: loaded only on this path

    rng = np.random.default_rng(seed)
    root = depots_dir or data_root() / "depots" / "qinhuangdao"
    places, depots = _read_points(Path(root))
    anchors = {**places, **ANCHORS}
    rivers = {k: shapely.LineString(v) for k, v in RIVERS.items()}
    B = _Builder()
    # the random draws must stay in this order: grids, named roads, county roads, depot roads
    for seat in _SEATS:
        _street_grid(B, seat, places[seat], rng)
    _named_roads(B, anchors, places, rivers, rng)
    _county_roads(B, places, rivers, rng)
    _depot_roads(B, depots, rng)
    G = B.graph()
    G.graph.update(
        name="秦皇岛市 demo road network (ILLUSTRATIVE)",
        illustrative=True,
        note=(
            "示意路网：按真实县城、演示库点和乡镇位置生成的虚构路网，道路走向、等级、桥梁位置均为示意，"
            "不是 OpenStreetMap 数据。 ILLUSTRATIVE: invented network joining real county "
            "seats, not OSM."
        ),
        bridges=BRIDGES_NOTE,
        generator=f"logistics.roads.demo.build_demo_graph(seed={seed})",
    )
    return G


def _street_grid(B: _Builder, seat: str, centre: tuple[float, float], rng: np.random.Generator) -> None:
    """Street grid of a county seat around its centre (650 m blocks, jittered crossings)."""
    lon0, lat0 = centre
    mx, my = _metres(lon0, lat0)
    size = 3 if seat == "海港城区" else 2
    step = 650.0
    ids: dict[tuple[int, int], int] = {}
    for i in range(-size, size + 1):
        for j in range(-size, size + 1):
            xy = (
                lon0 + i * step / mx + rng.normal(0, 25) / mx,
                lat0 + j * step / my + rng.normal(0, 25) / my,
            )
            key = f"P:{seat}" if i == j == 0 else None
            ids[i, j] = B.node(centre if key else xy, key=key, kind="residential")
    s = _short(seat)
    for i in range(-size, size + 1):
        for j in range(-size, size + 1):
            for di, dj, lab in (
                (1, 0, f"{s}{'南北'[j > 0] if j else '中'}{abs(j) or ''}街"),
                (0, 1, f"{s}{'西东'[i > 0] if i else '中'}{abs(i) or ''}路"),
            ):
                if (i + di, j + dj) in ids:
                    main = (dj == 0 and j == 0) or (di == 0 and i == 0)
                    a, b = ids[i, j], ids[i + di, j + dj]
                    B.road(
                        "",
                        lab,
                        "secondary" if main else "residential",
                        "",
                        np.array([B.xy[a], B.xy[b]]),
                        a,
                        b,
                    )


def _named_roads(
    B: _Builder,
    anchors: dict[str, tuple[float, float]],
    places: dict[str, tuple[float, float]],
    rivers: dict[str, Any],
    rng: np.random.Generator,
) -> None:
    """Expressways, national and provincial roads of ``ROADS``, leg by leg between their waypoints."""
    for ref, name, highway, maxspeed, style, wps in ROADS:
        pts = [anchors[w] for w in wps]
        for a_name, b_name, a, b in zip(wps[:-1], wps[1:], pts[:-1], pts[1:], strict=True):
            line = _leg(a, b, style, rng)
            ka = "motorway" if highway == "motorway" and a_name not in places else highway
            kb = "motorway" if highway == "motorway" and b_name not in places else highway
            na = B.node(a, key=f"P:{a_name}", kind=ka)
            nb = B.node(b, key=f"P:{b_name}", kind=kb)
            B.road(ref, name, highway, maxspeed, line, na, nb, rivers=rivers)


def _county_roads(
    B: _Builder, places: dict[str, tuple[float, float]], rivers: dict[str, Any], rng: np.random.Generator
) -> None:
    """County roads: a Delaunay mesh over the places (links under 22 km not already a road leg)."""
    from scipy.spatial import Delaunay  # heavy: loaded only on this path

    names = sorted(places)
    xy = np.array([places[q] for q in names]) * np.array([85_000.0, 110_574.0])
    direct = {frozenset(p) for *_, wps in ROADS for p in itertools.pairwise(wps)}
    pairs: set[tuple[int, int]] = set()
    for tri in Delaunay(xy).simplices:
        for i in range(3):
            a, b = sorted((int(tri[i]), int(tri[(i + 1) % 3])))
            pairs.add((a, b))
    nearest = np.argsort(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)), axis=1)[:, 1]
    pairs |= {tuple(sorted((i, int(j)))) for i, j in enumerate(nearest)}  # type: ignore[misc]
    seq = 300
    for a, b in sorted(pairs):
        pa, pb = names[a], names[b]
        dist = float(np.hypot(*(xy[a] - xy[b])))
        if frozenset((pa, pb)) in direct or (dist > 22_000 and b != nearest[a] and a != nearest[b]):
            continue
        seq += 1
        na = B.node(places[pa], key=f"P:{pa}", kind="tertiary")
        nb = B.node(places[pb], key=f"P:{pb}", kind="tertiary")
        B.road(
            f"X{seq}",
            f"{_short(pa)}{_short(pb)}线",
            "tertiary",
            "",
            _leg(places[pa], places[pb], _COUNTY, rng),
            na,
            nb,
            rivers=rivers,
        )


def _depot_roads(B: _Builder, depots: list[tuple[str, str, float, float]], rng: np.random.Generator) -> None:
    """Access road from each depot more than 150 m from a road to the nearest non-motorway node."""
    rural = {"trunk", "primary", "secondary", "tertiary", "unclassified", "residential"}
    for _id, dname, lon, lat in depots:
        n, d = B.nearest((lon, lat), set(), rural)
        if d > 150.0:
            me = B.node((lon, lat), key=f"D:{_id}", kind="unclassified")
            B.road(
                "",
                f"{dname}进场路",
                "unclassified",
                "",
                _leg((lon, lat), B.xy[n], (300.0, 0.05, 0.1), rng),
                me,
                n,
            )


def demo_network_path() -> Path:
    """Path of the committed demo GraphML file."""
    return data_root() / "roads" / DEMO_GRAPH_FILE


@lru_cache(maxsize=4)
def _cached(path: str, truck_factor: float) -> RoadNetwork:

    return network_from_graphml(path, speeds=SpeedParams(truck_factor=truck_factor))


def demo_network(*, truck_factor: float = 0.85) -> RoadNetwork:
    """Load the embedded ILLUSTRATIVE 秦皇岛市 road network (no network access; cached).

    Parameters
    ----------
    truck_factor
        Truck speed factor (see :class:`~logistics.roads.speeds.SpeedParams`).

    Examples
    --------
    >>> net = demo_network()
    >>> net.illustrative, net.n_nodes > 1000
    (True, True)
    """
    return _cached(str(demo_network_path()), truck_factor)


def write_demo_graph(path: Path | None = None) -> Path:
    """Regenerate and write the demo GraphML atomically (used to refresh the committed file).

    Parameters
    ----------
    path
        Destination (default :func:`demo_network_path`).
    """
    import osmnx as ox  # heavy: loaded only on this path

    dest = path or demo_network_path()
    G = build_demo_graph()
    with atomic_path(dest) as tmp:
        ox.save_graphml(G, tmp)
    return dest
