"""The ``logistics check`` report: quantity and time sufficiency, expiry, purchase list.

Batches whose expiry date rests on an assumed shelf life stay in the usable stock; the report
lists them under ``to_verify`` (需核查) and says, under ``excluding_assumed_expiry``, what the
highest level met would be if they were left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from logistics.allocation import REASON_ZH
from logistics.common import format_table
from logistics.region.levels import LEVEL_NAMES_ZH, RESPONSE_LEVELS, load_rules
from logistics.stock import assumed_expiry_lines, expiring_lines
from logistics.stock.inventory_io import merge_inventories
from logistics.sufficiency.purchase import add_stock, purchase_list
from logistics.sufficiency.quantity_check import SufficiencyParams, check_quantity
from logistics.sufficiency.time_check import check_time

if TYPE_CHECKING:
    from logistics.region import Region

__all__ = ["CheckParams", "assumed_expiry_note", "check_text", "run_check"]


@dataclass(frozen=True)
class CheckParams:
    """Options of a full sufficiency check.

    Parameters
    ----------
    date
        Date of the check (default today).
    level
        Target level (default: the rules' target, usually Ⅱ).
    rules
        Rules file or shipped name; the region's rules by default.
    deadline_h
        Response deadline for contract reserves and the time check (hours).
    adds
        What-if stock, ``ITEM=QTY@DEPOT``.
    include_mutual_aid
        Count mutual-aid partners' stock (always reported separately).
    time_check
        Run the time check (allocation per county); needs the road network and optimiser.
    """

    date: dt.date = field(default_factory=dt.date.today)
    level: str | None = None
    rules: str | None = None
    deadline_h: float = 12.0
    adds: tuple[str, ...] = ()
    include_mutual_aid: bool = False
    time_check: bool = True

    def __post_init__(self) -> None:
        if self.level is not None and self.level not in RESPONSE_LEVELS:
            raise ValueError(f"Expected level in {RESPONSE_LEVELS}, got {self.level!r}.")


def run_check(region: Region, params: CheckParams) -> dict[str, Any]:
    """Run the checks on a region and return the JSON-ready report.

    Parameters
    ----------
    region
        The region (inventory, places, rules, mutual-aid partners).
    params
        Options.

    Returns
    -------
    dict
        ``highest_level_met``, ``target_level``, ``levels`` (level → ``items`` with ``item``,
        ``required``, ``usable``, ``coverage``, ``shortfall``, ``past_assumed_expiry`` …),
        ``counties``, ``time``, ``expiring``, ``to_verify`` (batches whose expiry date rests on
        an assumed shelf life: still usable, to be verified), ``excluding_assumed_expiry`` (the
        highest level met and target met if those batches were left out), ``purchase``,
        ``mutual_aid``, ``notes``.

    Raises
    ------
    InputError
        For bad inventory, rules or ``--add`` specs.
    """
    inv = region.inventory()
    if params.adds:
        inv = add_stock(inv, list(params.adds))
    rules = load_rules(params.rules) if params.rules else region.response_rules()
    if params.level:
        rules = replace(rules, target_level=params.level)
    aid = None
    partners = [(p.name, p.activation_delay_h, p.inventory()) for p in region.mutual_aid]
    if partners:
        aid = (
            merge_inventories([p[2] for p in partners if p[1] <= params.deadline_h])
            if any(p[1] <= params.deadline_h for p in partners)
            else None
        )
    sp = SufficiencyParams(
        date=params.date, deadline_h=params.deadline_h, include_mutual_aid=params.include_mutual_aid
    )
    result = check_quantity(inv, rules, sp, places=region.places(), mutual_aid=aid)
    report = result.to_dict()
    report["region"] = region.name
    report["expiring"] = [e.to_dict() for e in expiring_lines(inv, params.date)]
    report["to_verify"] = [a.to_dict() for a in assumed_expiry_lines(inv, params.date)]
    buy = purchase_list(result, inv)
    report["purchase"] = {
        "level": result.target_level,
        "lines": [b.to_dict() for b in buy],
        "total_cost_cny": round(sum(b.cost_cny or 0 for b in buy), 2),
        "unpriced_items": [b.item_id for b in buy if b.cost_cny is None],
        "unpriced_names": [b.name for b in buy if b.cost_cny is None],
        "total_weight_kg": round(sum(b.weight_kg for b in buy), 1),
    }
    report["mutual_aid"] = [
        {"name": n, "activation_delay_h": d, "counted": params.include_mutual_aid and d <= params.deadline_h}
        for n, d, _ in partners
    ]
    report["what_if"] = list(params.adds)
    report["time"] = None
    if params.time_check:
        report["time"] = check_time(
            region, rules, result.target_level, inv=inv, deadline_h=params.deadline_h, date=params.date
        )
    return report


def _n(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.1f}"


def _level_text(level: str | None, zh: bool) -> str:
    if level is None:
        return "未达到Ⅳ级" if zh else "below IV"
    return LEVEL_NAMES_ZH[level] if zh else level


def _past_assumed(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Batches of the checked items counted although past an expiry date derived from an assumed shelf life."""
    levels = report.get("levels") or {}
    checked = {i["item"] for lv in levels.values() for i in lv["items"]} if levels else None
    return [
        a
        for a in report.get("to_verify") or []
        if a["past_assumed_expiry"] and (checked is None or a["item"] in checked)
    ]


def _quantities_by_item(batches: list[dict[str, Any]], zh: bool) -> str:
    """``应急照明灯 2,530盏`` (``emergency_light 2,530 盏``), summed per item."""
    qty: dict[str, tuple[str, float]] = {}
    for a in batches:
        name = a["name"] if zh else a["item"]
        prev = qty.get(name, (a["unit"], 0.0))
        qty[name] = (a["unit"], prev[1] + a["quantity"])
    sep = "、" if zh else ", "
    return sep.join(
        f"{name} {_n(q)}{unit}" if zh else f"{name} {_n(q)} {unit}" for name, (unit, q) in qty.items()
    )


def assumed_expiry_note(report: dict[str, Any], lang: str = "zh") -> str:
    """Say which level figures rest on assumed shelf lives, or ``""`` when none do.

    A batch past an expiry date derived from an assumed shelf life is counted as usable; this
    sentence names those batches and gives the highest level met if they were left out.

    Parameters
    ----------
    report
        Output of :func:`run_check`.
    lang
        ``zh`` or ``en``.

    Examples
    --------
    >>> r = {"highest_level_met": "III", "target_met": False,
    ...      "excluding_assumed_expiry": {"highest_level_met": "IV", "target_met": False},
    ...      "to_verify": [{"item": "emergency_light", "name": "应急照明灯", "unit": "盏",
    ...                     "quantity": 1090, "past_assumed_expiry": True}]}
    >>> assumed_expiry_note(r)
    '1 批应急照明灯 1,090盏按假定保质期推算已过期，仍计入可用量（需核查）；若剔除按假定保质期判定已过期的批次，最高满足级别为Ⅳ级。'
    """
    zh = lang == "zh"
    past = _past_assumed(report)
    excl = report.get("excluding_assumed_expiry")
    if not past or not excl:
        return ""
    hl, hx = report["highest_level_met"], excl["highest_level_met"]
    what = _quantities_by_item(past, zh)
    if zh:
        s = f"{len(past)} 批{what}按假定保质期推算已过期，仍计入可用量（需核查）；"
        if hx != hl:
            s += f"若剔除按假定保质期判定已过期的批次，最高满足级别为{_level_text(hx, zh)}"
        else:
            s += f"剔除这些批次后最高满足级别仍为{_level_text(hl, zh)}"
        if report["target_met"] and not excl["target_met"]:
            s += "，且目标级别将未达到"
        return s + "。"
    s = (
        f"{len(past)} batch(es) ({what}) are past an expiry date derived from an assumed shelf life and "
        "still counted as usable (to verify); "
    )
    if hx != hl:
        s += f"excluding them, the highest level met would be {_level_text(hx, zh)}"
    else:
        s += f"excluding them, the highest level met would still be {_level_text(hl, zh)}"
    if report["target_met"] and not excl["target_met"]:
        s += " and the target would not be met"
    return s + "."


def check_text(report: dict[str, Any], lang: str = "zh") -> str:
    """Render a check report as console text (Chinese by default).

    Parameters
    ----------
    report
        Output of :func:`run_check`.
    lang
        ``zh`` or ``en``.
    """
    zh = lang == "zh"
    out: list[str] = []
    out += _header_lines(report, zh)
    out += _target_level_lines(report, zh)
    out += _all_levels_lines(report, zh)
    out += _county_lines(report, zh)
    out += _time_lines(report, zh)
    out += _expiry_lines(report, zh)
    out += _to_verify_lines(report, zh)
    out += _purchase_lines(report, zh)
    out += _mutual_aid_lines(report, zh)
    return "\n".join(out)


def _header_lines(report: dict[str, Any], zh: bool) -> list[str]:
    """Render the illustrative-data notes, the title and the highest level met."""
    out: list[str] = []
    for note in report["notes"]:
        out.append(("【示意数据】" if zh else "[ILLUSTRATIVE] ") + note)
    hl = report["highest_level_met"]
    tl = report["target_level"]
    if zh:
        out.append(
            f"{report['region']} 救灾物资储备充足性评估（{report['date']}，依据：{report['rules']['name']}）"
        )
        met_txt = LEVEL_NAMES_ZH[hl] if hl else "未达到Ⅳ级"
        out.append(
            f"当前可满足的最高响应级别：{met_txt}；目标级别：{LEVEL_NAMES_ZH[tl]}（{'已达到' if report['target_met'] else '未达到'}）"
        )
    else:
        out.append(
            f"{report['region']}: stockpile sufficiency on {report['date']} ({report['rules']['name']})"
        )
        out.append(
            f"Highest level met: {hl or 'below IV'}; target: {tl} ({'met' if report['target_met'] else 'not met'})"
        )
    note = assumed_expiry_note(report, "zh" if zh else "en")
    if note:
        out.append(("注：" if zh else "Note: ") + note)
    return out


def _target_level_lines(report: dict[str, Any], zh: bool) -> list[str]:
    """Render the target level's requirement, item by item."""
    tl = report["target_level"]
    lv = report["levels"][tl]
    out = [""]
    out.append(
        f"{LEVEL_NAMES_ZH[tl]}需求（设计人口 {lv['design_population']:,} 人 × {lv['design_days']:g} 天）"
        if zh
        else f"Level {tl} requirement ({lv['design_population']:,} persons × {lv['design_days']:g} days)"
    )
    rows = [
        [i["name"] if zh else i["item"], i["unit"], _n(i["required"]),
         _n(i["usable"]) + ("*" if i.get("past_assumed_expiry") else ""), f"{i['coverage']:.0%}",
         _n(i["shortfall"]) if i["shortfall"] else "—", i["reads" if zh else "reads_en"]]
        for i in lv["items"]
    ]  # fmt: skip
    hdr = (
        ["物资", "单位", "需求", "可用", "保障率", "缺口", "可保障"]
        if zh
        else ["item", "unit", "required", "usable", "coverage", "shortfall", "covers"]
    )
    out.append(format_table(hdr, rows, "llrrrrl"))
    starred = [i for i in lv["items"] if i.get("past_assumed_expiry")]
    if starred:
        sep = "、" if zh else ", "
        what = sep.join(
            f"{i['name']} {_n(i['past_assumed_expiry'])}{i['unit']}"
            if zh
            else f"{i['item']} {_n(i['past_assumed_expiry'])} {i['unit']}"
            for i in starred
        )
        out.append(
            f"* 可用量含按假定保质期推算已过期、仍计入的库存：{what}（见“需核查”）"
            if zh
            else f"* usable includes stock past an expiry date derived from an assumed shelf life: {what} (see 'To verify')"
        )
    return out


def _all_levels_lines(report: dict[str, Any], zh: bool) -> list[str]:
    """Render one row per response level: met or not, lowest coverage."""
    out = [""]
    out.append("各级别" if zh else "All levels")
    lrows = [
        [LEVEL_NAMES_ZH[k] if zh else k, f"{v['design_population']:,}", _yes_no(v["met"], zh), f"{v['min_coverage']:.0%}"]
        for k, v in report["levels"].items()
    ]  # fmt: skip
    hdr = (
        ["级别", "设计人口", "满足", "最低保障率"]
        if zh
        else ["level", "design persons", "met", "min coverage"]
    )
    aligns = "lrlr"
    if any(v.get("rests_on_assumed_expiry") for v in report["levels"].values()):
        # which figures rest on assumed shelf lives: met again without those batches
        hdr.append("剔除需核查批次后满足" if zh else "met without batches to verify")
        aligns += "l"
        for row, v in zip(lrows, report["levels"].values(), strict=True):
            met = v.get("met_excluding_assumed_expiry", v["met"])
            row.append(_yes_no(met, zh))
    out.append(format_table(hdr, lrows, aligns))
    return out


def _yes_no(met: bool, zh: bool) -> str:
    """是/否, yes/no."""
    return ("是" if met else "否") if zh else ("yes" if met else "no")


def _county_lines(report: dict[str, Any], zh: bool) -> list[str]:
    """Render the target requirement shared by population against each county's own stock."""
    if not report["counties"]:
        return []
    out = [""]
    out.append(
        "按区县（按人口分摊目标级别需求，对比本区县库存）"
        if zh
        else "By county (target requirement shared by population vs stock held there)"
    )
    crows = [
        [
            c,
            f"{v['population']:,}",
            f"{v['share']:.0%}",
            f"{v['min_coverage']:.0%}",
            (v.get("weakest_name") or v["weakest_item"] or "") if zh else (v["weakest_item"] or ""),
        ]
        for c, v in report["counties"].items()
    ]
    out.append(
        format_table(
            ["区县", "人口", "占比", "最低保障率", "最短缺物资"]
            if zh
            else ["county", "population", "share", "min coverage", "weakest"],
            crows,
            "lrrrl",
        )
    )
    return out


def _time_lines(report: dict[str, Any], zh: bool) -> list[str]:
    """Render the time check: share of first-day needs delivered in time, per county."""
    if not report.get("time"):
        return []
    t = report["time"]
    out = [""]
    out.append(
        f"时效性（以各区县为中心的{LEVEL_NAMES_ZH[t['level']]}标准事件，{t['design_population']:,}人，首日需求按时送达比例）"
        if zh
        else f"Time sufficiency (standard level-{t['level']} event of {t['design_population']:,} persons "
        "centred on each county, first-day needs delivered in time)"
    )
    trows = [
        [
            c["county"],
            f"{c['share_within_12h']:.0%}",
            f"{c['share_within_10h']:.0%}",
            ("、" if zh else ", ").join(
                REASON_ZH.get(r, r) if zh else r for r in c.get("shortfall_reasons", [])
            ),
        ]
        for c in t["counties"]
    ]
    hdr = (
        ["区县", "12小时内", "10小时内", "主要缺口原因"]
        if zh
        else ["county", "within 12 h", "within 10 h", "main reasons"]
    )
    out.append(format_table(hdr, trows, "lrrl"))
    if t.get("worst_county"):
        out.append(("最薄弱区县：" if zh else "Worst county: ") + t["worst_county"])
    return out


def value_at_risk_text(expiring: list[dict[str, Any]], zh: bool) -> str:
    """Describe the value of expired and expiring batches, saying how many have no unit price.

    Without any unit price there is no figure: "0 元" would read as nothing at risk.

    Parameters
    ----------
    expiring
        The check's ``expiring`` batches (``value_cny`` is ``None`` without a unit price).
    zh
        Chinese (else English).

    Returns
    -------
    str
        A clause for the check text and the nightly report.

    Examples
    --------
    >>> value_at_risk_text([{"value_cny": 1200.0}, {"value_cny": None}], zh=True)
    '涉及金额约 1,200 元（有单价的 1 批；另 1 批无单价，未计）'
    >>> value_at_risk_text([{"value_cny": None}], zh=False)
    'value at risk not estimated (no unit prices)'
    """
    priced = [e["value_cny"] for e in expiring if e.get("value_cny") is not None]
    unpriced = len(expiring) - len(priced)
    if not priced:
        return "均无单价，未估算涉及金额" if zh else "value at risk not estimated (no unit prices)"
    value = sum(priced)
    if zh:
        rest = f"（有单价的 {len(priced)} 批；另 {unpriced} 批无单价，未计）" if unpriced else ""
        return f"涉及金额约 {value:,.0f} 元{rest}"
    rest = f" ({len(priced)} priced batch(es); {unpriced} without a price, not counted)" if unpriced else ""
    return f"value at risk about CNY {value:,.0f}{rest}"


def _expiry_lines(report: dict[str, Any], zh: bool) -> list[str]:
    """Render expired and soon-expiring batches: counts per window, value, the first ten."""
    exp = report["expiring"]
    out = [""]
    if not exp:
        return out
    by_w: dict[int, int] = {}
    for e in exp:
        by_w[e["window_days"]] = by_w.get(e["window_days"], 0) + 1
    if zh:
        parts = "，".join(f"{'已过期' if w == 0 else f'{w}天内'} {n} 批" for w, n in sorted(by_w.items()))
        out.append(f"临期/过期库存：{parts}；{value_at_risk_text(exp, zh)}")
    else:
        parts = ", ".join(f"{'expired' if w == 0 else f'within {w} d'}: {n}" for w, n in sorted(by_w.items()))
        out.append(f"Expiring stock: {parts}; {value_at_risk_text(exp, zh)}")
    erows = [[e["depot_name"], e["name"] if zh else e["item"], _n(e["quantity"]) + e["unit"], e["expiry_date"], e["days_left"], e["advice"] if zh else ""]
             for e in exp[:10]]  # fmt: skip
    out.append(
        format_table(
            ["库点", "物资", "数量", "有效期至", "剩余天数", "建议"]
            if zh
            else ["depot", "item", "quantity", "expiry", "days left", ""],
            erows,
            "lllrrl",
        )
    )
    return out


def _to_verify_lines(report: dict[str, Any], zh: bool, *, limit: int = 20) -> list[str]:
    """Render the batches whose expiry date rests on an assumed shelf life (需核查)."""
    todo = report.get("to_verify") or []
    if not todo:
        return []
    past = sum(1 for a in todo if a["past_assumed_expiry"])
    out = [""]
    out.append(
        f"需核查：{len(todo)} 批库存的有效期按假定保质期推算（目录中无来源），其中 {past} 批按此已过期；"
        "均未从可用量中剔除，请核实产品标注的有效期"
        if zh
        else f"To verify: {len(todo)} batch(es) whose expiry date was derived from an assumed shelf life "
        f"(no source), {past} of them past that date; all still counted as usable, check the date on the product"
    )
    rows = [[a["depot_name"], a["name"] if zh else a["item"], a["batch"] or "", _n(a["quantity"]) + a["unit"],
             a["production_date"], a["assumed_shelf_life_days"], a["assumed_expiry_date"], a["days_left"]]
            for a in todo[:limit]]  # fmt: skip
    out.append(
        format_table(
            ["库点", "物资", "批次", "数量", "生产日期", "假定保质期(天)", "推算有效期至", "剩余天数"]
            if zh
            else [
                "depot",
                "item",
                "batch",
                "quantity",
                "produced",
                "assumed shelf life (d)",
                "would expire",
                "days left",
            ],
            rows,
            "lllrlrlr",
        )
    )
    if len(todo) > limit:
        more = len(todo) - limit
        out.append(
            f"… 另有 {more} 批（完整列表见 --json 的 to_verify）"
            if zh
            else f"… {more} more (see to_verify in --json)"
        )
    return out


def _purchase_lines(report: dict[str, Any], zh: bool) -> list[str]:
    """Render what to buy to reach the target level, with cost and weight."""
    buy = report["purchase"]
    if not buy["lines"]:
        return []
    out = [""]
    out.append(
        f"达到{LEVEL_NAMES_ZH[buy['level']]}的采购清单"
        if zh
        else f"Purchase list to reach level {buy['level']}"
    )
    brows = [[b["name"] if zh else b["item"], _n(b["quantity"]) + b["unit"], "" if b["unit_price_cny"] is None else f"{b['unit_price_cny']:,.0f}",
              "" if b["cost_cny"] is None else f"{b['cost_cny']:,.0f}", f"{b['weight_kg'] / 1000:,.1f}"] for b in buy["lines"]]  # fmt: skip
    out.append(
        format_table(
            ["物资", "数量", "单价(元)", "金额(元)", "重量(吨)"]
            if zh
            else ["item", "quantity", "price", "cost", "weight (t)"],
            brows,
            "lrrrr",
        )
    )
    unpriced = "、".join(buy.get("unpriced_names") or buy["unpriced_items"])
    unpriced_en = ", ".join(buy["unpriced_items"])
    out.append(
        f"合计约 {buy['total_cost_cny']:,.0f} 元（单价未知的按重量计：{unpriced or '无'}），约 {buy['total_weight_kg'] / 1000:,.1f} 吨。"
        if zh
        else f"Total about CNY {buy['total_cost_cny']:,.0f} (items without a price ranked by weight: {unpriced_en or 'none'}), {buy['total_weight_kg'] / 1000:,.1f} t."
    )
    return out


def _mutual_aid_lines(report: dict[str, Any], zh: bool) -> list[str]:
    """Render whether the mutual-aid partners' stock is counted."""
    if not report["mutual_aid"]:
        return []
    names = "、".join(m["name"] for m in report["mutual_aid"])
    counted = any(m["counted"] for m in report["mutual_aid"])
    return [
        "",
        f"邻市互助（{names}）库存单列，{'已计入' if counted else '未计入'}上述可用量；使用 --mutual-aid 计入。"
        if zh
        else f"Mutual aid ({names}) is reported separately and {'counted' if counted else 'not counted'}; use --mutual-aid to count it.",
    ]
