"""``logistics check``: stockpile sufficiency against response levels, in quantity and time."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from logistics.cli.args import level, parse_date, positive_hours
from logistics.cli.lang import t
from logistics.region import demo_region, load_region
from logistics.sufficiency import CheckParams, check_text, run_check

if TYPE_CHECKING:
    import argparse


def register(sub: Any) -> None:
    """Add the ``check`` sub-command."""
    p = sub.add_parser(
        "check",
        help=t("stockpile sufficiency against response levels", "对照响应级别评估储备充足性"),
        description=t(
            "Check which response level the stock meets (quantity), whether it arrives in time "
            "(standard event per county), what expires soon, and what to buy to reach the target "
            "level. Runs on the embedded demo region by default.",
            "评估现有储备满足哪一级响应（数量）、能否按时送达（各县标准灾情）、哪些物资即将过期，"
            "以及达到目标级别还需采购什么。默认使用内置示范区域。",
        ),
    )
    p.add_argument(
        "--region",
        default=None,
        help=t(
            "region.toml or its folder (default: embedded demo region)",
            "region.toml 或其所在目录（默认：内置示范区域）",
        ),
    )
    p.add_argument(
        "--rules",
        default=None,
        help=t(
            "rules file, or national_2016 / national_2024 (default: the region's)",
            "响应级别规则文件，或 national_2016 / national_2024（默认：区域配置的规则）",
        ),
    )
    p.add_argument(
        "--level",
        type=level,
        default=None,
        help=t(
            "target level: Ⅰ–Ⅳ, I–IV, 1–4 or 一级–四级 (default: the rules' target, usually Ⅱ)",
            "目标响应级别：Ⅰ–Ⅳ、I–IV、1–4 或 一级–四级（默认：规则中的目标，通常为Ⅱ级）",
        ),
    )
    p.add_argument(
        "--date",
        type=parse_date,
        default=None,
        help=t("date of the check, YYYY-MM-DD (default: today)", "评估日期，YYYY-MM-DD（默认今天）"),
    )
    p.add_argument(
        "--deadline-h",
        type=positive_hours,
        default=12.0,
        help=t("response deadline in hours (default 12)", "响应时限，小时（默认 12）"),
    )
    p.add_argument("--add", action="append", default=[], metavar=t("ITEM=QTY@DEPOT", "物资=数量@库点"),
                   help=t("what-if extra stock, e.g. 帐篷=500顶@QHD-M01 (repeatable)", "假设增加的储备，如 帐篷=500顶@QHD-M01（可多次给出）"))  # fmt: skip
    p.add_argument(
        "--mutual-aid",
        action="store_true",
        help=t("count mutual-aid partners' stock", "计入对口支援（互助）城市的储备"),
    )
    p.add_argument(
        "--no-time",
        action="store_true",
        help=t("skip the time check (allocation per county)", "跳过时效评估（按县调配）"),
    )
    p.add_argument("--json", action="store_true", help=t("print the report as JSON", "以 JSON 输出评估结果"))
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
