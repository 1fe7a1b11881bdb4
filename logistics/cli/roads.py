"""``logistics roads fetch|info|matrix``: road networks and travel-time matrices."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from logistics.cli.args import hours, metres, speed_factor
from logistics.cli.lang import t
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
        help=t("road networks and travel-time matrices", "路网与行车时间矩阵"),
        description=t(
            "Load road networks (GraphML, OSM XML, PBF, line layers), report them, and "
            "compute truck travel-time or distance matrices with closures (塌方/洪水/桥梁损毁) "
            "and reopenings (抢通).",
            "读取路网（GraphML、OSM XML、PBF、线图层），输出概况，并计算考虑道路中断（塌方、洪水、"
            "桥梁损毁）与抢通的货车行车时间或距离矩阵。",
        ),
    )
    s = p.add_subparsers(dest="roads_command", metavar=t("ACTION", "操作"))
    _add_fetch(s)
    i = s.add_parser(
        "info",
        help=t("nodes, edges, components, km by class", "路网概况：节点、路段、连通分量、各等级里程"),
        description=t(
            "Print counts of a road network (default: the embedded demo network).",
            "输出路网的节点、路段等统计（默认：内置示范路网）。",
        ),
    )
    _graph_args(i)
    i.set_defaults(func=run_info)
    _add_matrix(s)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _add_fetch(s: Any) -> None:
    f = s.add_parser(
        "fetch",
        help=t(
            "download a place's drivable roads with osmnx (needs internet)",
            "用 osmnx 下载某地可通车路网（需联网）",
        ),
        description=t(
            "Download the drivable OSM network of a place with osmnx and cache it as GraphML. "
            "Exit code 1 when the download fails (e.g. offline).",
            "用 osmnx 下载某地的 OSM 可通车路网并缓存为 GraphML。下载失败（如无网络）时退出码为 1。",
        ),
    )
    f.add_argument(
        "--place", required=True, help=t('place name, e.g. "秦皇岛市, 河北省"', '地名，如 "秦皇岛市, 河北省"')
    )
    f.add_argument(
        "--cache-dir",
        default="data/roads",
        help=t("cache folder (default data/roads)", "缓存目录（默认 data/roads）"),
    )
    f.add_argument(
        "--refresh", action="store_true", help=t("download again even if cached", "即使已有缓存也重新下载")
    )
    f.set_defaults(func=run_fetch)


def _add_matrix(s: Any) -> None:
    m = s.add_parser(
        "matrix",
        help=t("travel-time or distance matrix between points", "点与点之间的行车时间或距离矩阵"),
        description=t(
            "Write a long matrix from,to,value (seconds or metres) between the points of two CSV "
            "files with columns id,lon,lat (WGS-84, or GCJ-02/BD-09 with --crs). Unreachable pairs "
            "are written with an empty value and listed on stderr.",
            "计算两个 CSV 文件（id,lon,lat 列，WGS-84，或用 --crs 声明 GCJ-02/BD-09）中各点之间的"
            "矩阵，按 from,to,value（秒或米）逐行写出。无法到达的点对值为空，并在标准错误列出。",
        ),
    )
    _graph_args(m)
    m.add_argument(
        "--from",
        dest="origins",
        required=True,
        help=t("CSV with id,lon,lat of origins", "起点 CSV，含 id,lon,lat 列（也接受中文表头）"),
    )
    m.add_argument(
        "--to",
        dest="destinations",
        required=True,
        help=t("CSV with id,lon,lat of destinations", "终点 CSV，含 id,lon,lat 列（也接受中文表头）"),
    )
    m.add_argument(
        "--crs",
        default="WGS84",
        help=t(
            "coordinate system of both CSV files: WGS84 (default), GCJ02 (Amap/Tencent) or BD09 (Baidu); "
            "converted to WGS-84",
            "两个 CSV 文件的坐标系：WGS84（默认）、GCJ02（高德、腾讯）或 BD09（百度）；统一转换为 WGS-84",
        ),
    )
    m.add_argument(
        "--weight",
        choices=("time", "length"),
        default="time",
        help=t(
            "time: fastest truck time in seconds; length: shortest distance in metres",
            "time：最快货车行车时间（秒）；length：最短距离（米）",
        ),
    )
    m.add_argument(
        "--out", required=True, help=t("output CSV (written atomically)", "输出 CSV 文件（完整写出后才替换）")
    )
    m.add_argument(
        "--closures",
        default=None,
        help=t("disruption file (.toml or .geojson)", "道路中断文件（.toml 或 .geojson）"),
    )
    m.add_argument(
        "--depart-h",
        type=hours,
        default=0.0,
        help=t("departure hour (default 0)", "出发时刻，灾后第几小时（默认 0）"),
    )
    m.add_argument(
        "--snap-warn-m",
        type=metres,
        default=500.0,
        help=t("warn above this snap distance (m)", "吸附距离超过此值（米）时给出警告"),
    )
    m.add_argument(
        "--snap-max-m",
        type=metres,
        default=5000.0,
        help=t("refuse points above this snap distance (m)", "吸附距离超过此值（米）的点视为错误"),
    )
    m.set_defaults(func=run_matrix)


def _graph_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--graph",
        default=None,
        help=t(
            "road file: .graphml, .osm(.bz2), .pbf, .shp/.gpkg/.geojson (default: embedded demo network)",
            "路网文件：.graphml、.osm(.bz2)、.pbf、.shp/.gpkg/.geojson（默认：内置示范路网）",
        ),
    )
    p.add_argument(
        "--truck-factor",
        type=speed_factor,
        default=0.85,
        help=t("truck speed factor (default 0.85)", "货车车速系数（默认 0.85）"),
    )
    p.add_argument(
        "--include-service",
        action="store_true",
        help=t("also use highway=service roads", "同时使用 highway=service 的道路"),
    )
    p.add_argument(
        "--clip",
        default=None,
        help=t(
            "keep only the roads inside west,south,east,north (degrees) or a polygon file "
            "(.geojson/.shp/.gpkg/.kml)",
            "只保留范围内的道路：西,南,东,北（度），或面文件（.geojson/.shp/.gpkg/.kml）",
        ),
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
    res = fn(
        net, origins, dests, disruptions=disruptions, depart_h=args.depart_h, snap=snap
    )  # warnings: cli.lang
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
