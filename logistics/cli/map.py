"""``logistics map``: the one-map view (应急一张图) as one offline HTML file."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from logistics.cli.args import level, parse_date, positive_hours
from logistics.cli.lang import t
from logistics.map import build_map

if TYPE_CHECKING:
    import argparse


def register(sub: Any) -> None:
    """Add the ``map`` sub-command."""
    p = sub.add_parser(
        "map",
        help=t(
            "one-map view of stock or of a run, as one offline HTML file",
            "应急一张图：储备或调运方案的离线网页地图",
        ),
        description=t(
            "Write one self-contained HTML map (opens offline in any browser). Without RUN_DIR: "
            "depots and what they hold, expiry warnings, each county's sufficiency. With the output "
            "folder of `logistics run`: demand points by met share, truck routes with times and a "
            "time slider, closures and reopening times. Layers switch on and off; search by name; "
            "print on A3 landscape.",
            "写出一个自包含的 HTML 地图（断网也能用浏览器打开）。不给 RUN_DIR 时：各库点储备及近效期提醒、"
            "各县区储备保障情况；给出 `logistics run` 的输出目录时：需求点满足率、车辆路线与时间（可拖动时间"
            "滑块）、道路封闭与抢通时间。图层可开关，可按地名搜索，可按 A3 横向打印。",
        ),
    )
    p.add_argument("run_dir", nargs="?", default=None,
                   help=t("output folder of `logistics run` (default: the region's stock)", "`logistics run` 的输出目录（不给则显示区域储备）"))  # fmt: skip
    p.add_argument("--out", required=True, help=t("HTML file to write", "输出的 HTML 文件"))
    p.add_argument("--region", default=None,
                   help=t("region.toml or its folder (default: embedded demo region)", "region.toml 或其所在目录（默认：内置示范区域）"))  # fmt: skip
    p.add_argument("--admin", default=None,
                   help=t("county boundaries (.geojson/.gpkg/.shp with name or adcode) to colour whole counties",
                          "县区边界文件（.geojson/.gpkg/.shp，含 name 或 adcode 字段），用于整区着色"))  # fmt: skip
    p.add_argument(
        "--date",
        type=parse_date,
        default=None,
        help=t("date of the stock (default: today)", "储备日期（默认今天）"),
    )
    p.add_argument(
        "--level",
        type=level,
        default=None,
        help=t("target response level (default: the rules')", "目标响应级别（默认取规则中的目标）"),
    )
    p.add_argument(
        "--deadline-h",
        type=positive_hours,
        default=12.0,
        help=t("deadline in hours (default 12)", "时限，小时（默认 12）"),
    )
    p.add_argument(
        "--no-time", action="store_true", help=t("skip the time check (faster)", "跳过时效评估（更快）")
    )
    p.add_argument("--tiles", default=None,
                   help=t("basemap tile URL template, e.g. an internal tile server's http://host/{z}/{x}/{y}.png (off by default: no network use)",
                          "底图瓦片地址模板，如内网瓦片服务 http://主机/{z}/{x}/{y}.png（默认不用底图，不联网）"))  # fmt: skip
    p.add_argument(
        "--tiles-attribution", default="", help=t("attribution shown with the tiles", "底图版权说明")
    )
    p.add_argument("--critical", default=None,
                   help=t("a `logistics critical-roads` folder: its ranked road sections on top",
                          "`logistics critical-roads` 的输出目录：叠加显示抢通优先路段"))  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the map and write it."""
    path, counts = build_map(
        args.out,
        run_dir=args.run_dir,
        region=args.region,
        admin=args.admin,
        on=args.date or dt.date.today(),
        level=args.level,
        deadline_h=args.deadline_h,
        time_check=not args.no_time,
        tiles=args.tiles,
        tiles_attribution=args.tiles_attribution,
        critical=args.critical,
        lang=args.lang,
    )
    layers = (
        "、".join(f"{k} {n}" for k, n in counts.items())
        if args.lang == "zh"
        else ", ".join(f"{k} {n}" for k, n in counts.items())
    )
    print(f"已写出一张图：{path}（{layers}）" if args.lang == "zh" else f"map written: {path} ({layers})")
    return 0
