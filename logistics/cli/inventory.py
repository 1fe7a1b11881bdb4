"""``logistics inventory validate|show``: read and check depot inventories."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from logistics.cli.args import parse_date, persons
from logistics.cli.lang import t
from logistics.region import demo_region, inventory_from_file
from logistics.stock import inventory_text, item_summary, write_inventory

if TYPE_CHECKING:
    import argparse


def register(sub: Any) -> None:
    """Add the ``inventory`` sub-commands."""
    p = sub.add_parser(
        "inventory",
        help=t("validate and summarise depot inventories", "库存台账校验与汇总"),
        description=t(
            "Read depot inventories (CSV, XLSX, XLS, GeoJSON/GeoPackage, or a region.toml).",
            "读取库点库存台账（CSV、XLSX、XLS、GeoJSON/GeoPackage 或 region.toml）。",
        ),
    )
    s = p.add_subparsers(dest="inventory_command", metavar=t("ACTION", "操作"))
    v = s.add_parser(
        "validate",
        help=t("check a file and list every problem", "校验台账文件并列出全部问题"),
        description=t(
            "Check inventory files; every problem is listed with file, sheet, row and column; exit code 2 if any.",
            "校验库存台账；每个问题都注明文件、工作表、行和列；有问题时退出码为 2。",
        ),
    )
    v.add_argument(
        "path",
        nargs="?",
        help=t(
            "file, folder or region.toml (default: embedded demo region)",
            "台账文件、目录或 region.toml（默认：内置示范区域）",
        ),
    )
    v.set_defaults(func=run_validate)
    sh = s.add_parser(
        "show",
        help=t(
            "quantities per item and depot, totals, persons×days covered",
            "按物资和库点汇总数量、合计及可保障的人数×天数",
        ),
        description=t(
            "Print stock per item and per depot, totals, and the persons (or person-days) each item covers.",
            "按物资、按库点输出储备数量与合计，以及每种物资可保障的人数（或人·天）。",
        ),
    )
    sh.add_argument(
        "path",
        nargs="?",
        help=t(
            "file, folder or region.toml (default: embedded demo region)",
            "台账文件、目录或 region.toml（默认：内置示范区域）",
        ),
    )
    sh.add_argument(
        "--date",
        type=parse_date,
        default=None,
        help=t(
            "leave out lines expired before this date (YYYY-MM-DD)",
            "不计在此日期前过期的库存记录（YYYY-MM-DD）",
        ),
    )
    sh.add_argument(
        "--persons",
        type=persons,
        default=None,
        help=t("show days of supply for this many persons", "按此人数显示可保障天数"),
    )
    sh.add_argument(
        "--out",
        default=None,
        help=t(
            "also write tables to .xlsx, .csv, .geojson or .gpkg",
            "同时把表格写入 .xlsx、.csv、.geojson 或 .gpkg 文件",
        ),
    )
    sh.add_argument(
        "--json", action="store_true", help=t("print per-item totals as JSON", "以 JSON 输出各物资合计")
    )
    sh.set_defaults(func=run_show)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _load(path: str | None):

    if path is None:
        return demo_region().inventory()
    return inventory_from_file(path)


def run_validate(args: argparse.Namespace) -> int:
    """Validate and report."""
    inv = _load(args.path)  # warnings and notes are printed by the command line (cli.lang)
    zh = args.lang == "zh"
    n_cap = sum(1 for ln in inv.lines if ln.capacity is not None)
    n_approx = sum(1 for ln in inv.lines if ln.approx)
    if zh:
        print(
            f"校验通过：{len(inv.depots)} 个库点，{len(inv.lines)} 条库存记录"
            f"（其中 {n_cap} 条由保障能力表述换算，{n_approx} 条为约数）。"
        )
        if inv.illustrative_note:
            print(f"【示意数据】{inv.illustrative_note}")
    else:
        print(
            f"OK: {len(inv.depots)} depots, {len(inv.lines)} stock lines "
            f"({n_cap} converted from capacity statements, {n_approx} approximate)."
        )
        if inv.illustrative_note:
            print(f"[ILLUSTRATIVE] {inv.illustrative_note}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print the summary and optionally write files."""
    inv = _load(args.path)
    if args.json:
        df = item_summary(inv, on=args.date, persons=args.persons, lang=args.lang)
        records = json.loads(df.to_json(orient="records", force_ascii=False))
        print(
            json.dumps(
                {"name": inv.name, "illustrative": inv.illustrative_note, "items": records},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        print(inventory_text(inv, on=args.date, persons=args.persons, lang=args.lang))
    if args.out:
        path = write_inventory(inv, args.out, on=args.date, lang=args.lang, persons=args.persons)
        print(("已写出: " if args.lang == "zh" else "written: ") + str(path), file=sys.stderr)
    return 0
