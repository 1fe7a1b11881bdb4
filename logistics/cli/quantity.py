"""``logistics quantity``: parse one quantity cell."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from logistics.cli.lang import t
from logistics.exceptions import InputError
from logistics.stock import Capacity, load_catalogue, parse_quantity

if TYPE_CHECKING:
    import argparse


def register(sub: Any) -> None:
    """Add the ``quantity`` sub-command."""
    p = sub.add_parser(
        "quantity",
        help=t(
            "parse a quantity cell (count or capacity statement)", "解析一个数量单元格（数量或保障能力表述）"
        ),
        description=t(
            "Parse one quantity cell as a bureau writes it: a count ('帐篷 1,200顶', '2.6万件', "
            "'三千五百床') or a capacity statement ('满足5千人15天', '可保障1.5万人7天基本生活'). "
            "Rejected text exits with code 2 and a one-line reason on stderr.",
            "按台账写法解析一个数量单元格：数量（如 '帐篷 1,200顶'、'2.6万件'、'三千五百床'）或保障能力"
            "表述（如 '满足5千人15天'、'可保障1.5万人7天基本生活'）。无法解析时退出码为 2，并在标准错误"
            "输出一行原因。",
        ),
    )
    p.add_argument("text", help=t("the cell text, e.g. 满足5千人15天", "单元格文字，如 满足5千人15天"))
    p.add_argument("--json", action="store_true", help=t("print one JSON object", "输出一个 JSON 对象"))
    p.add_argument(
        "--item",
        help=t(
            "also convert to a quantity of this catalogue item (e.g. 帐篷)",
            "同时换算为该物资的数量（如 帐篷）",
        ),
    )
    p.add_argument(
        "--household-size",
        type=float,
        default=None,
        help=t("persons per household (default: catalogue)", "每户人数（默认取物资目录中的值）"),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Parse and print."""
    q = parse_quantity(args.text)
    out = q.to_dict()
    if args.item:
        cat = load_catalogue()
        item = cat.find(args.item)
        if item is None:
            sugg = cat.suggest(args.item)
            raise InputError(
                f"unknown item {args.item!r}" + (f"; did you mean {', '.join(sugg)}?" if sugg else "")
            )
        hh = args.household_size or float(cat.household_size.value or 2.6)
        if isinstance(q, Capacity):
            qty = item.requirement(q.persons, q.days, hh)
        else:
            factor = item.conversion_factor(q.unit)
            if factor is None:
                raise InputError(
                    f"{q.unit!r} is not a unit of {item.name_zh} (accepted: {', '.join(item.allowed_units())})"
                )
            qty = float(q.value * factor)
        out["item"] = {
            "id": item.id,
            "name": item.name(args.lang),
            "quantity": qty,
            "unit": item.unit,
            "norm_basis": item.norm.basis,
            "norm_confidence": item.norm.confidence,
        }
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    zh = args.lang == "zh"
    if out["kind"] == "count":
        unit = out["unit"] or ("（无单位）" if zh else "(no unit)")
        print(f"{'数量' if zh else 'count'}: {out['value']:,} {unit}")
    else:
        print(
            f"{'保障能力' if zh else 'capacity'}: {out['persons']:,}{'人' if zh else ' persons'} × "
            f"{out['days']}{'天' if zh else ' days'} = {out['person_days']:,}{'人·天' if zh else ' person-days'}"
        )
    if out["approx"]:
        print(f"{'约数标记' if zh else 'approximate marker'}: {out['approx_marker']}")
    if "item" in out:
        it = out["item"]
        print(f"{it['name']}: {it['quantity']:,} {it['unit']}")
    return 0
