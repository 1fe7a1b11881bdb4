"""``logistics inventory validate|show``: read and check depot inventories."""

from __future__ import annotations

import json
import sys
import warnings
from typing import TYPE_CHECKING, Any

from logistics.cli.args import parse_date, persons
from logistics.region import demo_region, inventory_from_file
from logistics.stock import inventory_text, item_summary, write_inventory

if TYPE_CHECKING:
    import argparse


def register(sub: Any) -> None:
    """Add the ``inventory`` sub-commands."""
    p = sub.add_parser(
        "inventory",
        help="validate and summarise depot inventories / 库存校验与汇总",
        description="Read depot inventories (CSV, XLSX, GeoJSON/GeoPackage, or a region.toml).",
    )
    s = p.add_subparsers(dest="inventory_command", metavar="ACTION")
    v = s.add_parser(
        "validate",
        help="check a file and list every problem / 校验",
        description="Check inventory files; every problem is listed with file, sheet, row and column; exit code 2 if any.",
    )
    v.add_argument("path", nargs="?", help="file, folder or region.toml (default: embedded demo region)")
    v.set_defaults(func=run_validate)
    sh = s.add_parser(
        "show",
        help="quantities per item and depot, totals, persons×days covered / 汇总",
        description="Print stock per item and per depot, totals, and the persons (or person-days) each item covers.",
    )
    sh.add_argument("path", nargs="?", help="file, folder or region.toml (default: embedded demo region)")
    sh.add_argument(
        "--date", type=parse_date, default=None, help="leave out lines expired before this date (YYYY-MM-DD)"
    )
    sh.add_argument("--persons", type=persons, default=None, help="show days of supply for this many persons")
    sh.add_argument("--out", default=None, help="also write tables to .xlsx, .csv, .geojson or .gpkg")
    sh.add_argument("--json", action="store_true", help="print per-item totals as JSON")
    sh.set_defaults(func=run_show)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _load(path: str | None):

    if path is None:
        return demo_region().inventory()
    return inventory_from_file(path)


def run_validate(args: argparse.Namespace) -> int:
    """Validate and report."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inv = _load(args.path)
    zh = args.lang == "zh"
    for w in caught:
        print(("警告: " if zh else "warning: ") + str(w.message), file=sys.stderr)
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
