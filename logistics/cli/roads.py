"""``logistics roads fetch|info|matrix``: road networks and travel-time matrices."""

from __future__ import annotations

import sys
import warnings
from typing import TYPE_CHECKING, Any

from logistics.cli.args import hours, metres, speed_factor
from logistics.common import format_table, write_frame_csv
from logistics.exceptions import InputError, RoadFetchError
from logistics.roads import (
    SnapParams,
    SpeedParams,
    clip_network,
    demo_network,
    disruptions_from_file,
    distance_matrix,
    network_from_file,
    network_from_place,
    points_from_csv,
    travel_time_matrix,
)

if TYPE_CHECKING:
    import argparse


def register(sub: Any) -> None:
    """Add the ``roads`` sub-commands."""
    p = sub.add_parser(
        "roads",
        help="road networks and travel-time matrices / 路网与行车时间矩阵",
        description="Load road networks (GraphML, OSM XML, PBF, line layers), report them, and "
        "compute truck travel-time or distance matrices with closures (塌方/洪水/桥梁损毁) "
        "and reopenings (抢通).",
    )
    s = p.add_subparsers(dest="roads_command", metavar="ACTION")

    f = s.add_parser(
        "fetch",
        help="download a place's drivable roads with osmnx (needs internet) / 下载路网",
        description="Download the drivable OSM network of a place with osmnx and cache it as "
        "GraphML. "
        "Exit code 1 when the download fails (e.g. offline).",
    )
    f.add_argument("--place", required=True, help='place name, e.g. "秦皇岛市, 河北省"')
    f.add_argument("--cache-dir", default="data/roads", help="cache folder (default data/roads)")
    f.add_argument("--refresh", action="store_true", help="download again even if cached")
    f.set_defaults(func=run_fetch)

    i = s.add_parser(
        "info",
        help="nodes, edges, components, km by class / 路网概况",
        description="Print counts of a road network (default: the embedded demo network).",
    )
    _graph_args(i)
    i.set_defaults(func=run_info)

    m = s.add_parser(
        "matrix",
        help="travel-time or distance matrix between points / 行车时间或距离矩阵",
        description="Write a long matrix from,to,value (seconds or metres) between the points "
        "of two CSV "
        "files with columns id,lon,lat (WGS-84, or GCJ-02/BD-09 with --crs). Unreachable pairs are written with an empty value "
        "and listed on stderr.",
    )
    _graph_args(m)
    m.add_argument("--from", dest="origins", required=True, help="CSV with id,lon,lat of origins")
    m.add_argument("--to", dest="destinations", required=True, help="CSV with id,lon,lat of destinations")
    m.add_argument(
        "--crs",
        default="WGS84",
        help="coordinate system of both CSV files: WGS84 (default), GCJ02 (高德/腾讯) or BD09 (百度); "
        "converted to WGS-84 / 坐标系：WGS84（默认）、GCJ02（高德、腾讯）或 BD09（百度）",
    )
    m.add_argument(
        "--weight",
        choices=("time", "length"),
        default="time",
        help="time: fastest truck time in seconds; length: shortest distance in metres",
    )
    m.add_argument("--out", required=True, help="output CSV (written atomically)")
    m.add_argument("--closures", default=None, help="disruption file (.toml or .geojson)")
    m.add_argument("--depart-h", type=hours, default=0.0, help="departure hour (default 0)")
    m.add_argument("--snap-warn-m", type=metres, default=500.0, help="warn above this snap distance (m)")
    m.add_argument(
        "--snap-max-m",
        type=metres,
        default=5000.0,
        help="refuse points above this snap distance (m)",
    )
    m.set_defaults(func=run_matrix)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _graph_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--graph",
        default=None,
        help="road file: .graphml, .osm(.bz2), .pbf, .shp/.gpkg/.geojson (default: embedded demo network)",
    )
    p.add_argument(
        "--truck-factor", type=speed_factor, default=0.85, help="truck speed factor (default 0.85)"
    )
    p.add_argument("--include-service", action="store_true", help="also use highway=service roads")
    p.add_argument(
        "--clip",
        default=None,
        help="keep only the roads inside west,south,east,north (degrees) or a polygon file "
        "(.geojson/.shp/.gpkg/.kml) / 只保留范围内的道路：西,南,东,北（度）或面文件",
    )


def _load(args: argparse.Namespace) -> Any:

    try:
        speeds = SpeedParams(truck_factor=args.truck_factor)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if args.graph is None:
        net = demo_network(truck_factor=args.truck_factor)
        note = net.meta.get("note", "")
        print(
            ("【示意路网】" if args.lang == "zh" else "[ILLUSTRATIVE] ") + str(note),
            file=sys.stderr,
        )
        return clip_network(net, args.clip) if args.clip else net
    return network_from_file(args.graph, speeds=speeds, include_service=args.include_service, clip=args.clip)


def run_fetch(args: argparse.Namespace) -> int:
    """Download and cache."""
    try:
        net, path = network_from_place(args.place, cache_dir=args.cache_dir, refresh=args.refresh)
    except RoadFetchError as exc:
        print(("错误: " if args.lang == "zh" else "error: ") + str(exc), file=sys.stderr)
        return 1
    if args.lang == "zh":
        print(f"已缓存 {path}：{net.n_nodes} 个节点，{net.n_edges} 条有向边。")
    else:
        print(f"cached {path}: {net.n_nodes} nodes, {net.n_edges} directed edges.")
    return 0


def run_info(args: argparse.Namespace) -> int:
    """Print the network summary."""
    net = _load(args)
    s = net.summary()
    zh = args.lang == "zh"
    rows = [
        ("节点" if zh else "nodes", s["nodes"]),
        ("有向边" if zh else "directed edges", s["edges"]),
        ("弱连通分量" if zh else "weak components", s["weak_components"]),
        ("强连通分量" if zh else "strong components", s["strong_components"]),
        ("主分量节点" if zh else "nodes in main component", s["main_component_nodes"]),
    ]
    print(format_table(["", "数量" if zh else "count"], rows, "lr"))
    km = s["km_by_class"]
    print()
    print(
        format_table(
            ["道路等级 highway" if zh else "highway", "公里" if zh else "km"],
            [(k, f"{v:.1f}") for k, v in km.items()]
            + [("合计" if zh else "total", f"{sum(km.values()):.1f}")],
            "lr",
        )
    )
    return 0


def run_matrix(args: argparse.Namespace) -> int:
    """Compute and write the matrix."""
    import numpy as np

    try:
        snap = SnapParams(warn_m=args.snap_warn_m, max_m=args.snap_max_m)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    origins = points_from_csv(args.origins, crs=args.crs)
    dests = points_from_csv(args.destinations, crs=args.crs)
    disruptions = disruptions_from_file(args.closures) if args.closures else []
    net = _load(args)
    fn = travel_time_matrix if args.weight == "time" else distance_matrix
    zh = args.lang == "zh"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fn(net, origins, dests, disruptions=disruptions, depart_h=args.depart_h, snap=snap)
    for w in caught:
        print(("警告: " if zh else "warning: ") + str(w.message), file=sys.stderr)
    df = res.to_frame("travel_time_s" if args.weight == "time" else "length_m")
    df["value"] = [("" if not np.isfinite(v) else f"{v:.3f}") for v in df["value"]]
    write_frame_csv(args.out, df)  # BOM (Excel opens it as UTF-8), formulas neutralised
    n_bad = len(res.unreachable)
    snap_max = max(res.origins.snap_distance_m.max(), res.destinations.snap_distance_m.max())
    unit = "秒" if args.weight == "time" else "米"
    if zh:
        print(
            f"已写出 {args.out}：{len(df)} 对（{unit}），其中 {n_bad} 对不可达。最大吸附距离 "
            f"{snap_max:.0f} 米。"
        )
    else:
        print(
            f"wrote {args.out}: {len(df)} pairs "
            f"({'seconds' if args.weight == 'time' else 'metres'}), "
            f"{n_bad} unreachable. Largest snap distance "
            f"{snap_max:.0f} m."
        )
    return 0
