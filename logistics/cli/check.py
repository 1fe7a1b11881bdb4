"""``logistics check``: stockpile sufficiency against response levels, in quantity and time."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from logistics.cli.args import level, parse_date, positive_hours
from logistics.region import demo_region, load_region
from logistics.sufficiency import CheckParams, check_text, run_check

if TYPE_CHECKING:
    import argparse


def register(sub: Any) -> None:
    """Add the ``check`` sub-command."""
    p = sub.add_parser(
        "check",
        help="stockpile sufficiency against response levels / 储备充足性评估",
        description=(
            "Check which response level the stock meets (quantity), whether it arrives in time "
            "(standard event per county), what expires soon, and what to buy to reach the target "
            "level. Runs on the embedded demo region by default."
        ),
    )
    p.add_argument("--region", default=None, help="region.toml or its folder (default: embedded demo region)")
    p.add_argument(
        "--rules", default=None, help="rules file, or national_2016 / national_2024 (default: the region's)"
    )
    p.add_argument(
        "--level",
        type=level,
        default=None,
        help="target level: Ⅰ–Ⅳ, I–IV, 1–4 or 一级–四级 (default: the rules' target, usually Ⅱ)",
    )
    p.add_argument(
        "--date", type=parse_date, default=None, help="date of the check, YYYY-MM-DD (default: today)"
    )
    p.add_argument(
        "--deadline-h", type=positive_hours, default=12.0, help="response deadline in hours (default 12)"
    )
    p.add_argument("--add", action="append", default=[], metavar="ITEM=QTY@DEPOT",
                   help="what-if extra stock, e.g. 帐篷=500顶@QHD-M01 (repeatable)")  # fmt: skip
    p.add_argument("--mutual-aid", action="store_true", help="count mutual-aid partners' stock")
    p.add_argument("--no-time", action="store_true", help="skip the time check (allocation per county)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the check and print it."""
    region = load_region(args.region) if args.region else demo_region()
    params = CheckParams(
        date=args.date or dt.date.today(),
        level=args.level,
        rules=args.rules,
        deadline_h=args.deadline_h,
        adds=tuple(args.add),
        include_mutual_aid=args.mutual_aid,
        time_check=not args.no_time,
    )
    report = run_check(region, params)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(check_text(report, args.lang))
    return 0
