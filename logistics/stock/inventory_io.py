"""Read depot and inventory files (CSV, XLSX, GeoJSON/GeoPackage) into an :class:`Inventory`.

Accepted layouts (column names in English or Chinese; see ``docs/inventory.md``):

* a **depots** table (``id, name, level, lon, lat`` …) and one or more **lines** tables
  (``depot_id, item, quantity`` …), as sheets of one workbook or as separate files;
* a **flat** table where every row is a line carrying its depot's columns;
* per-depot sheets: a lines sheet without a ``depot_id`` column whose sheet name is a depot id
  or name;
* GeoJSON/GeoPackage point features as depots, with lines in a non-spatial layer or in an
  ``inventory`` property holding a list of line objects.

Validation collects every problem of every file before failing, each with file, sheet, row,
column and value; nothing is half-loaded.
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from logistics.common import Table, normalise_header, read_tables
from logistics.exceptions import InventoryError, LogisticsWarning, Problem, say, tr
from logistics.stock._inventory_rows import (
    KIT_NAMES,  # defined beside the line checks that use it; re-exported
    _cell,
    _Ctx,
    _depot_from_row,
    _line_from_raw,
    _RawLine,
    _text,
)
from logistics.stock.catalogue import Catalogue, load_catalogue
from logistics.stock.inventory import Depot, Inventory, InventoryLine

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "DEPOT_COLUMNS",
    "KIT_NAMES",
    "LINE_COLUMNS",
    "InventoryWarning",
    "inventory_from_files",
]


class InventoryWarning(LogisticsWarning):
    """Something in an inventory file was ignored or assumed."""


#: Canonical depot column -> accepted headers (normalised on comparison).
DEPOT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "depot_id", "编号", "库编号", "储备库编号", "储备库(点)编号", "储备点编号"),
    "name": ("name", "depot_name", "名称", "储备库名称", "储备库(点)名称", "储备点名称", "库名"),
    "level": ("level", "级别", "层级", "储备级别"),
    "adcode": ("adcode", "行政区划代码", "区划代码", "行政代码"),
    "lon": ("lon", "lng", "longitude", "经度"),
    "lat": ("lat", "latitude", "纬度"),
    "crs": ("crs", "坐标系", "坐标系统"),
    "reserve_type": ("reserve_type", "储备类型", "储备方式", "储备形式"),
    "lead_time_h": ("lead_time_h", "响应时间(小时)", "响应时间h", "供货时间(小时)", "到货时间(小时)"),
    "startup_delay_h": ("startup_delay_h", "启动时间(小时)", "转产时间(小时)", "启动时间h"),
    "county": ("county", "所属区县", "区县"),
    "address": ("address", "地址"),
    "note": ("note", "备注", "说明"),
    "illustrative": ("illustrative", "示意数据", "示意"),
}
#: Canonical line column -> accepted headers.
LINE_COLUMNS: dict[str, tuple[str, ...]] = {
    "depot_id": ("depot_id", "库编号", "储备库编号", "储备库(点)编号", "储备点编号"),
    "item": ("item", "物资", "物资名称", "品名", "品种", "物资品种"),
    "quantity": ("quantity", "数量", "库存数量", "储备数量", "库存", "数量或能力"),
    "unit": ("unit", "单位", "计量单位"),
    "batch": ("batch", "批次", "批号"),
    "production_date": ("production_date", "生产日期"),
    "expiry_date": ("expiry_date", "有效期至", "失效日期", "保质期至", "有效期"),
    "unit_price_cny": ("unit_price_cny", "单价", "单价(元)"),
    "daily_rate": ("daily_rate", "日产能", "每日产能", "日供应能力"),
    "note": ("note", "备注", "说明"),
    "illustrative": ("illustrative", "示意数据", "示意"),
}
#: Columns commonly found in bureau sheets that carry nothing the tool uses.
IGNORED_COLUMNS = frozenset(
    normalise_header(c)
    for c in ("序号", "规格", "规格型号", "型号", "生产厂家", "厂家", "存放位置", "联系人", "联系电话",
              "负责人", "金额", "金额(元)", "入库日期", "fid", "ogc_fid", "inventory")
)  # fmt: skip


#: Every header the inventory reader understands (finds the header row of a 台账 below its titles).
KNOWN_HEADERS = frozenset(
    a for cols in (DEPOT_COLUMNS, LINE_COLUMNS) for aliases in cols.values() for a in aliases
)


def _map_columns(table: Table, schema: dict[str, tuple[str, ...]]) -> tuple[dict[str, int], list[int]]:
    """Map canonical names to column indexes; return (mapping, indexes left unmatched)."""
    lookup = {normalise_header(a): canon for canon, aliases in schema.items() for a in aliases}
    mapping: dict[str, int] = {}
    unmatched: list[int] = []
    for idx, h in enumerate(table.header):
        canon = lookup.get(normalise_header(h))
        if canon is not None and canon not in mapping:
            mapping[canon] = idx
        else:
            unmatched.append(idx)
    return mapping, unmatched


def _suggest_header(header: str, schema: dict[str, tuple[str, ...]]) -> str:
    names = [a for aliases in schema.values() for a in aliases]
    hits = difflib.get_close_matches(header, names, n=1, cutoff=0.5)
    return _did_you_mean(hits)


def _did_you_mean(close: list[str]) -> str:
    """Return ``; did you mean 'x'?`` for the first close match (both languages), or nothing."""
    return tr(f"; did you mean {close[0]!r}?", f"；是否为 {close[0]!r}？") if close else ""


def _classify(table: Table) -> str:
    keys = {normalise_header(h) for h in table.header}
    line_keys = {normalise_header(a) for a in LINE_COLUMNS["item"] + LINE_COLUMNS["quantity"]}
    depot_keys = {normalise_header(a) for a in DEPOT_COLUMNS["lon"] + DEPOT_COLUMNS["lat"]}
    has_line = bool(keys & line_keys)
    has_depot = bool(keys & depot_keys) or bool(table.geometry and any(table.geometry))
    if has_line and has_depot:
        return "flat"
    if has_line:
        return "lines"
    if has_depot or keys & {normalise_header(a) for a in DEPOT_COLUMNS["level"]}:
        return "depots"
    return "unknown"


def _depots_from_table(table: Table, ctx: _Ctx, *, flat: bool) -> list[Depot]:
    mapping, unmatched = _map_columns(table, DEPOT_COLUMNS)
    has_geom = bool(table.geometry) and any(g is not None for g in table.geometry)
    required = ["id", "name", "level"] + ([] if has_geom else ["lon", "lat"])
    if flat and "id" not in mapping:
        lmap, _ = _map_columns(table, LINE_COLUMNS)
        if "depot_id" in lmap:
            mapping["id"] = lmap["depot_id"]
    missing = [c for c in required if c not in mapping]
    for c in missing:
        found = [h for i, h in enumerate(table.header) if i in unmatched]
        hint = ""
        for h in found:
            hint = _suggest_header(h, {c: DEPOT_COLUMNS[c]}) or hint
        ctx.add(
            table,
            None,
            None,
            tr(
                f"missing depot column {c!r} (accepted: {', '.join(DEPOT_COLUMNS[c])}){hint}",
                f"缺少库点列 {c!r}（可用表头：{'、'.join(DEPOT_COLUMNS[c])}）{say(hint)}",
            ),
        )
    if not flat:
        _warn_unknown_columns(table, unmatched, ctx)
    if missing:
        return []
    depots: list[Depot] = []
    first: dict[str, Depot] = {}
    for k, (row, vals) in enumerate(table.rows):
        d = _depot_from_row(table, k, row, vals, mapping, ctx)
        if d is None:
            continue
        if flat and d.id in first:
            # a flat table repeats the depot's columns on each of its lines: they must agree
            if replace(first[d.id], source=None, illustrative=False) != replace(
                d, source=None, illustrative=False
            ):
                first_row = first[d.id].source.row  # type: ignore[union-attr]
                ctx.add(table, row, mapping.get("id"),
                        tr(f"depot repeated with different details (first at row {first_row})",
                           f"库点重复出现且信息不一致（首次出现在第 {first_row} 行）"),
                        d.id)  # fmt: skip
            continue
        first.setdefault(d.id, d)
        depots.append(d)
    return depots


def _warn_unknown_columns(table: Table, unmatched: Iterable[int], ctx: _Ctx) -> None:
    for i in unmatched:
        h = table.header[i]
        key = normalise_header(h)
        if key in IGNORED_COLUMNS or not key:
            continue
        all_cols = {**DEPOT_COLUMNS, **LINE_COLUMNS}
        hint = _suggest_header(h, all_cols)
        ctx.add(table, None, i, tr(f"unknown column{hint}", f"未知列{say(hint)}"), h)


def _raw_lines(table: Table, ctx: _Ctx, *, flat: bool) -> list[_RawLine]:
    mapping, unmatched = _map_columns(table, LINE_COLUMNS)
    dmap, _ = _map_columns(table, DEPOT_COLUMNS)
    if flat and "depot_id" not in mapping and "id" in dmap:
        mapping["depot_id"] = dmap["id"]
    # a 台账 repeats depot columns (储备库名称 beside 储备库编号) on its lines: not unknown
    depot_cols = set(dmap.values()) if flat else {dmap[c] for c in ("name", "level", "county") if c in dmap}
    _warn_unknown_columns(table, [i for i in unmatched if i not in depot_cols], ctx)
    missing = [c for c in ("item", "quantity") if c not in mapping]
    per_depot_sheet = "depot_id" not in mapping and table.sheet is not None
    if "depot_id" not in mapping and not per_depot_sheet:
        missing.insert(0, "depot_id")
    for c in missing:
        found = [table.header[i] for i in unmatched]
        hint = ""
        for h in found:
            hint = _suggest_header(h, {c: LINE_COLUMNS[c]}) or hint
        ctx.add(
            table,
            None,
            None,
            tr(
                f"missing column {c!r} (accepted: {', '.join(LINE_COLUMNS[c])}){hint}",
                f"缺少列 {c!r}（可用表头：{'、'.join(LINE_COLUMNS[c])}）{say(hint)}",
            ),
        )
    if missing:
        return []
    out = []
    for row, vals in table.rows:
        ref = _text(_cell(vals, mapping, "depot_id")) if "depot_id" in mapping else str(table.sheet)
        out.append(_RawLine(table, row, mapping, vals, ref))
    return out


def _read_files(paths: Sequence[str | Path], ctx: _Ctx) -> tuple[list[Depot], list[_RawLine]]:
    """Read every table of every file: the depots, and the lines still to check against them."""
    depots: list[Depot] = []
    raws: list[_RawLine] = []
    any_table = False
    for path in paths:
        tables, problems = read_tables(path, known=KNOWN_HEADERS)
        ctx.problems.extend(problems)
        for table in tables:
            kind = _classify(table)
            if kind == "unknown":
                if table.rows:
                    ctx.add(table, None, None, tr("cannot tell what this table holds: no depot columns "
                            "(id, name, level, lon, lat) and no line columns (item, quantity)",
                            "无法判断此表的内容：既没有库点列（id、name、level、lon、lat），"
                            "也没有库存记录列（item、quantity）"))  # fmt: skip
                continue
            any_table = True
            if kind in ("depots", "flat"):
                depots.extend(_depots_from_table(table, ctx, flat=kind == "flat"))
            if kind in ("lines", "flat"):
                raws.extend(_raw_lines(table, ctx, flat=kind == "flat"))
    if not any_table and not ctx.problems:
        ctx.problems.append(
            Problem(
                tr("no depot or inventory table found", "未找到库点表或库存表"),
                file=", ".join(map(str, paths)),
            )
        )
    elif not depots and not ctx.problems:
        ctx.problems.append(
            Problem(
                tr(
                    "no depots found (no data rows with id, name, level and location)",
                    "未找到库点（没有含 id、name、level 和位置的数据行）",
                ),
                file=", ".join(map(str, paths)),
            )
        )
    return depots, raws


def _depots_by_id(depots: list[Depot], ctx: _Ctx) -> dict[str, Depot]:
    """Index the depots by id, reporting each duplicate id."""
    by_id: dict[str, Depot] = {}
    folded: dict[str, Depot] = {}
    for d in depots:
        prev = by_id.get(d.id)
        twin = folded.get(d.id.casefold())
        if prev is None and twin is not None:  # QHD-M01 and qhd-m01: one depot typed twice, or a typo
            ctx.problems.append(Problem(tr(f"depot id differs only in letter case from {twin.id!r} (at {twin.source})",
                                           f"库点编号与 {twin.id!r}（位于 {twin.source}）仅大小写不同"),
                                        file=d.source.file if d.source else None,
                                        sheet=d.source.sheet if d.source else None,
                                        row=d.source.row if d.source else None, column="id", value=d.id))  # fmt: skip
            continue
        folded.setdefault(d.id.casefold(), d)
        if prev is None:
            by_id[d.id] = d
            continue
        ctx.problems.append(
            Problem(
                tr(
                    f"duplicate depot id (first at {prev.source})",
                    f"库点编号重复（首次出现在 {prev.source}）",
                ),
                file=d.source.file if d.source else None,
                sheet=d.source.sheet if d.source else None,
                row=d.source.row if d.source else None,
                column="id",
                value=d.id,
            )
        )
    return by_id


def _lines_of_depots(raws: list[_RawLine], by_id: dict[str, Depot], ctx: _Ctx) -> list[InventoryLine]:
    """Check each line against its depot (by id or name) and turn it into inventory lines."""
    by_name = {d.name: d for d in by_id.values()}
    lines: list[InventoryLine] = []
    units_seen: dict[str, tuple[str, _RawLine]] = {}
    first_of: dict[tuple[str, ...], _RawLine] = {}
    for raw in raws:
        key = (raw.table.file, raw.table.sheet or "", *(_text(v) for v in raw.vals))
        if key in first_of:  # an exact copy of a line is never counted twice
            dup = first_of[key].row
            ctx.add(raw.table, raw.row, None, tr(f"exact duplicate of row {dup} (重复行; remove one, "
                    "or give them different batch numbers if both are real)",
                    f"与第 {dup} 行完全重复（请删除其一；如两条均属实，请填写不同的批次号）"), "")  # fmt: skip
            continue
        first_of[key] = raw
        depot = by_id.get(raw.depot_ref) or by_name.get(raw.depot_ref)
        if depot is None and raw.depot_ref in ctx.bad_depots:
            continue  # the depot's own row is already reported
        if depot is None:
            if not raw.depot_ref:
                raw_table_col = raw.mapping.get("depot_id")
                ctx.add(raw.table, raw.row, raw_table_col, tr("empty depot id", "库点编号为空"), "")
            else:
                close = difflib.get_close_matches(raw.depot_ref, list(by_id), n=1)
                hint = _did_you_mean(close)
                ctx.add(
                    raw.table,
                    raw.row,
                    raw.mapping.get("depot_id"),
                    tr(f"unknown depot{hint}", f"未知库点{say(hint)}"),
                    raw.depot_ref,
                )
            continue
        lines.extend(_line_from_raw(raw, depot, ctx, units_seen))
    return lines


def inventory_from_files(
    paths: Sequence[str | Path],
    *,
    catalogue: Catalogue | None = None,
    household_size: float | None = None,
    basic_kit: Sequence[str] | None = None,
    name: str = "",
    illustrative_note: str = "",
) -> Inventory:
    """Read depots and stock lines from one or more files into one :class:`Inventory`.

    Parameters
    ----------
    paths
        CSV, XLSX, GeoJSON or GeoPackage files; together they must hold the depots and the
        lines (e.g. ``depots.csv`` + ``inventory.csv``, or one workbook with both sheets).
    catalogue
        Item catalogue; the built-in one by default.
    household_size
        Persons per household for per-household norms; the catalogue default otherwise.
    basic_kit
        Item ids that a kit line (``基本生活物资``) expands to; the catalogue's by default.
    name
        Name of the data set (shown in outputs).
    illustrative_note
        Non-empty when the data set is (partly) invented; shown in every output.

    Returns
    -------
    Inventory
        The validated inventory.

    Raises
    ------
    InventoryError
        Listing every problem in every file, each with file, sheet, row, column and value.
    """
    cat = catalogue or load_catalogue()
    hh = household_size if household_size is not None else float(cat.household_size.value or 2.6)
    ctx = _Ctx(cat, hh, tuple(basic_kit) if basic_kit is not None else cat.basic_kit, [], [])
    depots, raws = _read_files(paths, ctx)
    by_id = _depots_by_id(depots, ctx)
    lines = _lines_of_depots(raws, by_id, ctx)

    if ctx.problems:
        raise InventoryError(ctx.problems)
    for note in ctx.notes:
        warnings.warn(note, InventoryWarning, stacklevel=2)
    return Inventory(
        depots=tuple(by_id.values()),
        lines=tuple(lines),
        catalogue=cat,
        household_size=hh,
        name=name or ", ".join(Path(p).name for p in paths),
        illustrative_note=illustrative_note,
        sources=tuple(str(p) for p in paths),
    )


def merge_inventories(inventories: Sequence[Inventory]) -> Inventory:
    """Merge several inventories (e.g. mutual-aid partners) into one.

    Parameters
    ----------
    inventories
        Inventories with disjoint depot ids; the first one's catalogue and household size are used.

    Raises
    ------
    InventoryError
        If two inventories share a depot id.
    """
    if not inventories:
        raise ValueError("Expected at least one inventory.")
    first = inventories[0]
    seen: set[str] = set()
    depots = []
    lines = []
    for inv in inventories:
        for d in inv.depots:
            if d.id in seen:
                raise InventoryError(
                    [
                        Problem(
                            tr("duplicate depot id across merged inventories", "合并的库存之间库点编号重复"),
                            value=d.id,
                        )
                    ]
                )
            seen.add(d.id)
            depots.append(d)
        lines.extend(inv.lines)
    notes = "；".join(dict.fromkeys(i.illustrative_note for i in inventories if i.illustrative_note))
    return Inventory(
        depots=tuple(depots), lines=tuple(lines), catalogue=first.catalogue, household_size=first.household_size,
        name=" + ".join(i.name for i in inventories), illustrative_note=notes,
        sources=tuple(s for i in inventories for s in i.sources),
    )  # fmt: skip
