"""Summaries of an inventory: per item, per depot, depot × item; as tables, text and files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from logistics.common import (
    apply_print_layout,
    atomic_path,
    format_table,
    mark_header_row,
    neutralise_workbook,
    write_frame_csv,
)
from logistics.exceptions import InputError, tr
from logistics.stock.catalogue import whole_persons
from logistics.stock.inventory import Inventory, ReserveType

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

__all__ = [
    "depot_summary",
    "inventory_text",
    "item_summary",
    "write_inventory",
]

_ALL_TYPES = (ReserveType.PHYSICAL, ReserveType.CONTRACT, ReserveType.CAPACITY)


def _fmt(x: float, digits: int = 0) -> str:
    if digits == 0:
        return f"{round(x):,}"
    return f"{x:,.{digits}f}"


def _whole(x: float) -> str:
    """Persons or person-days covered, as every output states them (:func:`whole_persons`)."""
    return f"{whole_persons(x):,}"


def item_summary(
    inv: Inventory,
    *,
    on: dt.date | None = None,
    persons: int | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Physical stock per item: quantity, pieces, weight, volume and what it covers.

    Parameters
    ----------
    inv
        The inventory.
    on
        Leave out lines expired before this date.
    persons
        If given, add the days of supply for this many persons (consumables) — the
        "满足N人M天" reading of the stock.
    lang
        ``zh`` or ``en`` item names.

    Returns
    -------
    pandas.DataFrame
        Columns ``item_id, item, unit, quantity, pieces, depots, weight_kg, volume_m3,
        covers_persons, covers_person_days, days_for_persons, approx, norm_confidence``.
    """
    import pandas as pd  # heavy: loaded only on this path

    rows = []
    for t in inv.totals_by_item(on=on):
        item = inv.catalogue[t.item_id]
        days = t.covers / persons if (persons and t.consumable) else None
        rows.append(
            {
                "item_id": t.item_id,
                "item": item.name(lang),
                "unit": item.unit,
                "quantity": t.quantity,
                "pieces": t.pieces,
                "depots": t.depots,
                "weight_kg": t.weight_kg,
                "volume_m3": t.volume_m3,
                "covers_persons": None if t.consumable else t.covers,
                "covers_person_days": t.covers if t.consumable else None,
                "days_for_persons": days,
                "approx": t.approx,
                "norm_confidence": item.norm.confidence,
            }
        )
    return pd.DataFrame(rows)


def depot_summary(inv: Inventory, *, on: dt.date | None = None, lang: str = "zh") -> pd.DataFrame:
    """Stock per depot: number of kinds, pieces, weight and volume.

    Parameters
    ----------
    inv
        The inventory.
    on
        Leave out lines expired before this date.
    lang
        ``zh`` or ``en`` labels.
    """
    import pandas as pd  # heavy: loaded only on this path

    rows = []
    for d in inv.depots:
        lines = [ln for ln in inv.lines_at(d.id) if on is None or ln.is_usable(on)]
        rows.append(
            {
                "depot_id": d.id,
                "depot": d.name,
                "level": d.level,
                "reserve_type": d.reserve_type.value if lang == "zh" else d.reserve_type.label_en,
                "ready_h": d.ready_h,
                "kinds": len({ln.item_id for ln in lines}),
                "pieces": sum(ln.pieces or 0 for ln in lines),
                "weight_kg": sum(
                    ln.quantity * (inv.catalogue[ln.item_id].weight_kg.value or 0) for ln in lines
                ),
                "volume_m3": sum(
                    ln.quantity * (inv.catalogue[ln.item_id].volume_m3.value or 0) for ln in lines
                ),
                "lon": d.lon,
                "lat": d.lat,
                "illustrative": d.illustrative,
            }
        )
    return pd.DataFrame(rows)


def depot_item_matrix(inv: Inventory, *, lang: str = "zh") -> pd.DataFrame:
    """Quantity (base units) per depot (rows) and item (columns), physical stock only.

    Parameters
    ----------
    inv
        The inventory.
    lang
        ``zh`` or ``en`` names.
    """
    table = inv.lines_table(lang=lang)
    table = table[table["reserve_type"].isin([ReserveType.PHYSICAL.value, "physical"])]
    order = [inv.catalogue[i].name(lang) for i in inv.items_in_stock()]
    pivot = table.pivot_table(
        index=["depot_id", "depot_name"], columns="item_name", values="quantity", aggfunc="sum", fill_value=0
    )
    return pivot.reindex(columns=[c for c in order if c in pivot.columns])


def inventory_text(
    inv: Inventory,
    *,
    on: dt.date | None = None,
    persons: int | None = None,
    lang: str = "zh",
) -> str:
    """Render the console report of ``logistics inventory show``.

    Parameters
    ----------
    inv
        The inventory.
    on
        Date for the expiry filter (expired lines are left out when given).
    persons
        Population for the days-of-supply column.
    lang
        ``zh`` (default) or ``en``.
    """
    zh = lang == "zh"
    out = _title_lines(inv, on, zh)
    items = item_summary(inv, on=on, persons=persons, lang=lang)
    out.append(_item_table(items, persons, zh))
    deps = depot_summary(inv, on=on, lang=lang)
    out.append("")
    out.append("按库点" if zh else "By depot")
    out.append(_depot_table(deps, zh))
    out.append("")
    out.extend(_totals_lines(deps, len(items), zh))
    return "\n".join(out)


def _title_lines(inv: Inventory, on: dt.date | None, zh: bool) -> list[str]:
    """Return the illustrative-data note, if any, and the title."""
    out: list[str] = []
    if inv.illustrative_note or inv.illustrative:
        note = inv.illustrative_note or ("部分数据为示意数据" if zh else "some data are illustrative")
        out.append(("【示意数据】" if zh else "[ILLUSTRATIVE] ") + note)
    title = f"{inv.name} 物资储备汇总" if zh else f"{inv.name}: stock summary"
    if on is not None:
        title += (
            f"（{on.isoformat()}，已剔除过期批次）"
            if zh
            else f" (on {on.isoformat()}, expired lines left out)"
        )
    out.append(title)
    return out


def _item_table(items: pd.DataFrame, persons: int | None, zh: bool) -> str:
    """Format the per-item table of :func:`item_summary`."""
    rows = []
    for r in items.itertuples():
        if r.covers_persons is not None and r.covers_persons == r.covers_persons:
            covers = f"{_whole(r.covers_persons)}人" if zh else f"{_whole(r.covers_persons)} persons"
        else:
            covers = (
                f"{_whole(r.covers_person_days)}人·天"
                if zh
                else f"{_whole(r.covers_person_days)} person-days"
            )
            if persons:
                covers += (
                    f"（{persons:,}人×{r.days_for_persons:.1f}天）"
                    if zh
                    else f" ({persons:,} × {r.days_for_persons:.1f} d)"
                )
        rows.append(
            [
                r.item + ("*" if r.approx else ""),
                r.unit,
                _fmt(r.quantity, 0 if float(r.quantity).is_integer() else 1),
                r.depots,
                _fmt(r.weight_kg / 1000, 1),
                _fmt(r.volume_m3, 1),
                covers,
                {"sourced": "有出处", "inferred": "推算", "assumed": "假定"}[r.norm_confidence]
                if zh
                else r.norm_confidence,
            ]
        )
    hdr = (
        ["物资", "单位", "数量", "库点数", "重量(吨)", "体积(m³)", "可保障", "定额依据"]
        if zh
        else ["item", "unit", "quantity", "depots", "weight (t)", "volume (m³)", "covers", "norm"]
    )
    return format_table(hdr, rows, "llrrrrll")


def _depot_table(deps: pd.DataFrame, zh: bool) -> str:
    """Format the per-depot table of :func:`depot_summary`."""
    drows = [
        [r.depot_id, r.depot, r.level, r.reserve_type, r.kinds, _fmt(r.pieces), _fmt(r.weight_kg / 1000, 1)]
        for r in deps.itertuples()
    ]
    dhdr = (
        ["编号", "库点", "级别", "储备类型", "品种", "件数", "重量(吨)"]
        if zh
        else ["id", "depot", "level", "type", "kinds", "pieces", "weight (t)"]
    )
    return format_table(dhdr, drows, "lllrrrr")


def _totals_lines(deps: pd.DataFrame, kinds: int, zh: bool) -> list[str]:
    """Return the totals of the physical stock, by level, and (zh) the count of other reserves."""
    phys = deps[deps["reserve_type"].isin([ReserveType.PHYSICAL.value, "physical"])]
    n_phys = len(phys)
    pieces = phys["pieces"].sum()
    weight = phys["weight_kg"].sum() / 1000
    by_level = phys.groupby("level")["pieces"].sum()
    level_txt = "，".join(
        f"{lv}级{_fmt(by_level[lv])}件" for lv in ("省", "市", "县", "乡镇", "点") if lv in by_level
    )
    if zh:
        out = [
            f"合计：实物储备库(点) {n_phys} 个，{kinds} 个品种，{_fmt(pieces)} 件（{level_txt}），"
            f"约 {_fmt(weight, 1)} 吨。带 * 的品种含约数（约、余、以上）。"
        ]
        others = deps[~deps.index.isin(phys.index)]
        if len(others):
            out.append(f"另有协议储备/产能储备 {len(others)} 处，不计入上述实物合计。")
        return out
    level_en = ", ".join(
        f"{lv}: {_fmt(by_level[lv])}" for lv in ("省", "市", "县", "乡镇", "点") if lv in by_level
    )
    return [
        f"Total: {n_phys} physical depots, {kinds} kinds, {_fmt(pieces)} pieces ({level_en}), "
        f"about {_fmt(weight, 1)} t. Items marked * include approximate figures."
    ]


#: Chinese XLSX headers of the inventory tables' columns (``lang="zh"``)
HEADERS_ZH: dict[str, str] = {
    "item_id": "物资编号", "item": "物资", "item_name": "物资", "unit": "单位", "quantity": "数量",
    "pieces": "件数", "depots": "库点数", "weight_kg": "重量（千克）", "volume_m3": "体积（立方米）",
    "covers_persons": "可保障人数", "covers_person_days": "可保障人·天", "days_for_persons": "可保障天数",
    "approx": "约数", "norm_confidence": "定额可信度", "depot_id": "库点编号", "depot": "库点",
    "depot_name": "库点", "level": "级别", "reserve_type": "储备类型", "ready_h": "可调运时间（小时）",
    "kinds": "品种数", "lon": "经度", "lat": "纬度", "illustrative": "示意数据", "text": "原文",
    "from_capacity": "按能力折算", "batch": "批次", "production_date": "生产日期", "expiry_date": "有效期至",
    "expiry_derived": "有效期推算", "expiry_assumed": "有效期假定", "unit_price_cny": "单价（元）",
    "daily_rate": "日产能", "source": "来源", "note": "说明",
}  # fmt: skip


def _for_people(frame: pd.DataFrame, zh: bool) -> pd.DataFrame:
    """Return a table as people read it: rounded floats, persons covered rounded down, Chinese headers.

    Floats are rounded to 3 decimals (no 503.9999999999999).
    """
    out = frame.copy()
    for c in out.columns:
        if c in ("covers_persons", "covers_person_days"):  # rounded down, as every other output
            out[c] = out[c].map(lambda x: x if x is None or x != x else whole_persons(x))
        elif out[c].dtype.kind == "f":
            out[c] = out[c].round(3)
    if zh:
        out = out.rename(columns=lambda c: HEADERS_ZH.get(str(c), c))
        if out.index.name in HEADERS_ZH:
            out.index.name = HEADERS_ZH[out.index.name]
    return out


def write_inventory(
    inv: Inventory,
    path: str | Path,
    *,
    on: dt.date | None = None,
    lang: str = "zh",
    persons: int | None = None,
) -> Path:
    """Write the inventory tables to ``path`` (atomically).

    ``.xlsx``: sheets 按物资 / 按库点 / 库点×物资 / 明细 (English names with ``lang="en"``);
    ``.csv``: the line table (UTF-8 with BOM so that Excel shows Chinese correctly);
    ``.geojson`` / ``.gpkg``: depots as points with their totals (opens in QGIS).

    Parameters
    ----------
    inv
        The inventory.
    path
        Output file; the format follows the suffix.
    on
        Date for the expiry filter.
    lang
        Labels: with ``"zh"`` the XLSX column headers are Chinese too.
    persons
        If given, the XLSX item sheet has the days of supply for this many persons.

    Raises
    ------
    InputError
        For an unsupported suffix.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".geojson", ".gpkg"):
        raise InputError(
            tr(
                f"unsupported output type {suffix!r} for {p} (use .xlsx, .csv, .geojson or .gpkg)",
                f"{p} 的输出类型 {suffix!r} 不受支持（请使用 .xlsx、.csv、.geojson 或 .gpkg）",
            )
        )
    zh = lang == "zh"
    lines = inv.lines_table(lang=lang)
    if on is not None:  # the same rule as the usable stock (assumed shelf lives never drop a line)
        lines = lines[[ln.is_usable(on) for ln in inv.lines]]
    if suffix == ".csv":
        write_frame_csv(p, lines)
        return p
    with atomic_path(p) as tmp:
        if suffix == ".xlsx":
            import pandas as pd  # heavy: loaded only on this path

            with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
                sheets = [
                    (
                        "按物资" if zh else "by item",
                        item_summary(inv, on=on, persons=persons, lang=lang),
                        False,
                    ),
                    ("按库点" if zh else "by depot", depot_summary(inv, on=on, lang=lang), False),
                    ("库点×物资" if zh else "depot x item", depot_item_matrix(inv, lang=lang), True),
                    ("明细" if zh else "lines", lines, False),
                ]
                if inv.illustrative_note:
                    sheets.append(
                        (
                            "示意数据说明" if zh else "illustrative",
                            pd.DataFrame({"note": [inv.illustrative_note]}),
                            False,
                        )
                    )
                for name, frame, index in sheets:
                    _for_people(frame, zh).to_excel(xw, sheet_name=name, index=index)
                neutralise_workbook(xw.book)  # user text never becomes a formula
                for ws in xw.book.worksheets:  # the project's print layout, header row repeated
                    mark_header_row(ws, 1)
                    apply_print_layout(ws, "储备库存汇总" if zh else "Relief stock")
        else:
            import geopandas as gpd  # heavy: loaded only on this path

            deps = depot_summary(inv, on=on, lang=lang)
            gdf = gpd.GeoDataFrame(
                deps.drop(columns=["lon", "lat"]),
                geometry=gpd.points_from_xy(deps["lon"], deps["lat"]),
                crs="EPSG:4326",
            )
            gdf["illustrative_note"] = inv.illustrative_note
            if suffix == ".geojson":
                gdf.to_file(tmp, driver="GeoJSON", layer="depots")  # not the temporary file's stem
            else:
                gdf.to_file(tmp, driver="GPKG", layer="depots")
    return p
