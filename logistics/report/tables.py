"""The tables of the nightly report, shared by its HTML, text and XLSX renderings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logistics.region import LEVEL_NAMES_ZH
from logistics.report.model import ReportTable, level_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.report.model import NightlyReport


def report_tables(r: NightlyReport) -> list[ReportTable]:
    """Build every table of the report (summary, gap, counties, time, expiring, changes …)."""
    return [
        _summary_table(r),
        _gap_table(r),
        _items_table(r),
        _counties_table(r),
        _county_items_table(r),
        _time_table(r),
        _expiring_table(r),
        _to_verify_table(r),
        _changes_table(r),
        _trend_table(r),
        _purchase_table(r),
        _levels_table(r),
    ]


def _yes_no(value: bool, t: Callable[[str, str], str]) -> str:
    return t("是" if value else "否", "yes" if value else "no")


def _chooser(zh: bool) -> Callable[[str, str], str]:
    """Return ``t(zh_text, en_text)``, which picks the text in the report's language."""

    def t(zh_text: str, en_text: str) -> str:
        return zh_text if zh else en_text

    return t


def _item_columns(t: Callable[[str, str], str]) -> tuple[list[str], list[str]]:
    """Return the columns and kinds of the per-item tables (gap, all items).

    The last column is the part of the usable stock that is past an expiry date derived from
    an assumed shelf life (counted, to be verified); the e-mail body leaves it out.
    """
    cols = [t("物资", "item"), t("单位", "unit"), t("需求", "required"), t("可用", "usable"),
            t("保障率", "coverage"), t("缺口", "shortfall"), t("可保障", "covers"),
            t("可用中需核查", "usable to verify")]  # fmt: skip
    kinds = ["text", "text", "num", "num", "pct", "num", "text", "num"]
    return cols, kinds


def _item_row(i: dict[str, Any], zh: bool) -> list[Any]:
    """One row of the per-item tables: Chinese names and wording, or ids and English."""
    return [i["name" if zh else "item"], i["unit"], i["required"], i["usable"], i["coverage"], i["shortfall"],
            i["reads" if zh else "reads_en"],
            i.get("past_assumed_expiry") or None]  # fmt: skip


def _assumption_rows(r: NightlyReport) -> list[list[str]]:
    """Summary rows on batches whose expiry date rests on an assumed shelf life (none when there are none)."""
    c, zh, t = r.check, r.zh, _chooser(r.zh)
    todo = c.get("to_verify") or []
    if not todo:
        return []
    rows = [[t("需核查批次（假定保质期）", "batches to verify (assumed shelf life)"), str(len(todo))]]
    excl = c.get("excluding_assumed_expiry")
    if excl:
        rows.append([t("剔除按假定保质期已过期批次后最高满足级别", "highest level met without batches past an assumed expiry"),
                     level_name(excl["highest_level_met"], zh)])  # fmt: skip
    return rows


def _summary_table(r: NightlyReport) -> ReportTable:
    c, zh, t = r.check, r.zh, _chooser(r.zh)
    return ReportTable(
        "summary", t("总览", "Summary"), [t("项目", "field"), t("内容", "value")], ["text", "text"],
        [[t("地区", "region"), r.region], [t("日期", "date"), r.date],
         [t("依据", "rules"), c["rules"]["name"]],
         [t("结论", "verdict"), r.headline()],
         [t("最高满足级别", "highest level met"), level_name(c["highest_level_met"], zh)],
         *_assumption_rows(r),
         [t("目标级别", "target level"), level_name(c["target_level"], zh)],
         [t("是否达到目标", "target met"), t("是" if c["target_met"] else "否", str(c["target_met"]).lower())],
         [t("缺口物资种类", "items short"), str(len(c["gap"]))],
         [t("补齐采购金额(元)", "purchase to close the gap (CNY)"), f"{c['purchase']['total_cost_cny']:,.0f}"],
         [t("上次报告", "previous report"), r.previous_date or t("无（首次报告）", "none (first report)")],
         *[[t("说明", "note"), n] for n in r.notes()]],
        in_email=0,
    )  # fmt: skip


def _gap_table(r: NightlyReport) -> ReportTable:
    c, t = r.check, _chooser(r.zh)
    tl = c["target_level"]
    cols, kinds = _item_columns(t)
    return ReportTable(
        "gap", t(f"缺口（{LEVEL_NAMES_ZH[tl]}）", f"Shortfalls (level {tl})"), cols, kinds,
        [_item_row(i, r.zh) for i in sorted(c["gap"], key=lambda i: i["coverage"])],
        empty=t("目标级别各类物资均无缺口。", "No shortfall at the target level."),
        email_columns=tuple(range(7)),
    )  # fmt: skip


def _items_table(r: NightlyReport) -> ReportTable:
    c, t = r.check, _chooser(r.zh)
    cols, kinds = _item_columns(t)
    return ReportTable(
        "items", t("目标级别全部物资", "All items at target"), cols, kinds,
        [_item_row(i, r.zh) for i in c["levels"][c["target_level"]]["items"]],
        in_email=0,
    )  # fmt: skip


def _counties_table(r: NightlyReport) -> ReportTable:
    zh, t = r.zh, _chooser(r.zh)
    name = "name" if zh else "item"
    counties = r.check.get("counties") or {}
    return ReportTable(
        "counties", t("各区县保障情况", "By county"),
        [t("区县", "county"), t("人口", "population"), t("分摊比例", "share"), t("最低保障率", "lowest coverage"),
         t("最短缺物资", "weakest item"), t("缺口物资种类", "items short")],
        ["text", "int", "pct", "pct", "text", "int"],
        [[k, v["population"], v["share"], v["min_coverage"],
          (v.get("weakest_name") or next((i[name] for i in v["items"] if i["item"] == v["weakest_item"]),
                                         v["weakest_item"])) if zh else v["weakest_item"],
          sum(1 for i in v["items"] if i["shortfall"] > 0)]
         for k, v in sorted(counties.items(), key=lambda kv: kv[1]["min_coverage"])],
        empty=t("区域未定义区县人口，未按区县分摊。", "No county populations in the region."),
    )  # fmt: skip


def _county_items_table(r: NightlyReport) -> ReportTable:
    t = _chooser(r.zh)
    name = "name" if r.zh else "item"
    counties = r.check.get("counties") or {}
    return ReportTable(
        "county_items", t("区县物资缺口", "County shortfalls"),
        [t("区县", "county"), t("物资", "item"), t("单位", "unit"), t("分摊需求", "required"),
         t("本地可用", "usable"), t("保障率", "coverage"), t("缺口", "shortfall")],
        ["text", "text", "text", "num", "num", "pct", "num"],
        [[k, i[name], i["unit"], i["required"], i["usable"], i["coverage"], i["shortfall"]]
         for k, v in counties.items() for i in v["items"] if i["shortfall"] > 0],
        in_email=0,
    )  # fmt: skip


def _time_table(r: NightlyReport) -> ReportTable:
    t = _chooser(r.zh)
    time = r.check.get("time")
    return ReportTable(
        "time", t("时效性（按区县）", "Time sufficiency by county"),
        [t("区县", "county"), t("12小时内送达", "within 12 h"), t("10小时内送达", "within 10 h")],
        ["text", "pct", "pct"],
        [[x.get("county"), x.get("share_within_12h"), x.get("share_within_10h")]
         for x in sorted((time or {}).get("counties", []), key=lambda x: x.get("share_within_12h") or 0)],
        empty=t("本次未评估时效性（使用了 --no-time，或时效评估模块不可用）。",
                "The time check did not run (--no-time, or not available)."),
    )  # fmt: skip


def _expiring_table(r: NightlyReport) -> ReportTable:
    t = _chooser(r.zh)
    name = "name" if r.zh else "item"
    exp = r.check.get("expiring") or []
    return ReportTable(
        "expiring", t("临期及过期库存", "Expiring stock"),
        [t("库点", "depot"), t("物资", "item"), t("批次", "batch"), t("数量", "quantity"), t("单位", "unit"),
         t("有效期至", "expiry"), t("剩余天数", "days left"), t("金额(元)", "value (CNY)"), t("建议", "advice")],
        ["text", "text", "text", "num", "text", "date", "int", "cny", "text"],
        [[e["depot_name"], e[name], e.get("batch"), e["quantity"], e["unit"], e["expiry_date"], e["days_left"],
          e.get("value_cny"), e.get("advice", "")] for e in sorted(exp, key=lambda e: e["days_left"])],
        empty=t("180天内无临期库存。", "Nothing expires within 180 days."),
        in_email=10, email_columns=(0, 1, 3, 4, 5, 6),
    )  # fmt: skip


def _to_verify_table(r: NightlyReport) -> ReportTable:
    """Batches whose expiry date rests on an assumed shelf life: counted as usable, to be verified."""
    t = _chooser(r.zh)
    name = "name" if r.zh else "item"
    todo = r.check.get("to_verify") or []
    return ReportTable(
        "to_verify", t("需核查（假定保质期）", "To verify (assumed shelf life)"),
        [t("库点", "depot"), t("物资", "item"), t("批次", "batch"), t("数量", "quantity"), t("单位", "unit"),
         t("生产日期", "produced"), t("假定保质期(天)", "assumed shelf life (days)"),
         t("推算有效期至", "would expire"), t("剩余天数", "days left"), t("说明", "note")],
        ["text", "text", "text", "num", "text", "date", "int", "date", "int", "text"],
        [[a["depot_name"], a[name], a.get("batch"), a["quantity"], a["unit"], a["production_date"],
          a["assumed_shelf_life_days"], a["assumed_expiry_date"], a["days_left"],
          t("仍计入可用量，请核实产品标注的有效期", "still counted as usable; check the date on the product")]
         for a in todo],
        empty=t("无按假定保质期推算有效期的批次。", "No expiry date rests on an assumed shelf life."),
        in_email=10, email_columns=(0, 1, 3, 4, 7, 8),
    )  # fmt: skip


def _changes_table(r: NightlyReport) -> ReportTable:
    t = _chooser(r.zh)
    return ReportTable(
        "changes", t("较上次报告的变化", "Changes since the previous report"),
        [t("类别", "kind"), t("对象", "what"), t("指标", "figure"), t("上次", "before"), t("本次", "now"),
         t("变化", "change")],
        ["text"] * 6, r.change_lines(),
        empty=(t(f"与上次报告（{r.previous_date}）相比无变化。", f"No change since {r.previous_date}.")
               if r.previous_date else t("首次报告，暂无对比。", "First report: nothing to compare.")),
        in_email=15,
    )  # fmt: skip


def _trend_table(r: NightlyReport) -> ReportTable:
    zh, t = r.zh, _chooser(r.zh)
    return ReportTable(
        "trend", t("近期趋势", "Recent trend"),
        [t("日期", "date"), t("最高满足级别", "highest level"), t("达到目标", "target met"),
         t("缺口种类", "items short"), t("最低保障率", "lowest coverage")],
        ["date", "text", "text", "int", "pct"],
        [[x["date"], level_name(x["highest_level_met"], zh),
          t("是" if x["target_met"] else "否", "yes" if x["target_met"] else "no"), x["items_short"],
          x["min_coverage"]] for x in r.trend],
        in_email=0,
    )  # fmt: skip


def _purchase_table(r: NightlyReport) -> ReportTable:
    t = _chooser(r.zh)
    name = "name" if r.zh else "item"
    buy = r.check["purchase"]
    return ReportTable(
        "purchase", t(f"补齐{LEVEL_NAMES_ZH[buy['level']]}采购建议", f"Purchase to reach level {buy['level']}"),
        [t("物资", "item"), t("数量", "quantity"), t("单位", "unit"), t("单价(元)", "price (CNY)"),
         t("金额(元)", "cost (CNY)"), t("重量(吨)", "weight (t)")],
        ["text", "num", "text", "cny", "cny", "num"],
        [[b[name], b["quantity"], b["unit"], b["unit_price_cny"], b["cost_cny"], b["weight_kg"] / 1000]
         for b in buy["lines"]],
        empty=t("无需采购。", "Nothing to buy."), in_email=0,
    )  # fmt: skip


def _levels_table(r: NightlyReport) -> ReportTable:
    zh, t = r.zh, _chooser(r.zh)
    return ReportTable(
        "levels", t("各响应级别", "All levels"),
        [t("级别", "level"), t("设计人口", "design persons"), t("天数", "days"), t("是否满足", "met"),
         t("最低保障率", "lowest coverage"), t("剔除需核查批次后是否满足", "met without batches to verify")],
        ["text", "int", "num", "text", "pct", "text"],
        [[level_name(k, zh), v["design_population"], v["design_days"],
          t("是" if v["met"] else "否", "yes" if v["met"] else "no"), v["min_coverage"],
          _yes_no(v.get("met_excluding_assumed_expiry", v["met"]), t)]
         for k, v in r.check["levels"].items()],
        in_email=0,
    )  # fmt: skip
