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

import datetime as dt
import difflib
import math
import warnings
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.common import Table, in_china_bbox, normalise_crs, normalise_header, read_tables, to_wgs84
from logistics.exceptions import InventoryError, LogisticsWarning, Problem, QuantityParseError
from logistics.stock.catalogue import Catalogue, Item, canonical_unit, load_catalogue
from logistics.stock.inventory import DEPOT_LEVELS, Depot, Inventory, InventoryLine, ReserveType, SourceRef
from logistics.stock.quantity import Capacity, Count, parse_quantity

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
#: Item names meaning "every basic-living item of the region's kit" on a capacity line.
KIT_NAMES = frozenset(
    normalise_header(n)
    for n in ("*", "all", "全品种", "全部", "基本生活物资", "基本生活类物资", "基本生活物资(全品种)",
              "救灾物资", "生活类救灾物资")
)  # fmt: skip

_LEVEL_ALIASES: dict[str, str] = {
    "省": "省", "省级": "省", "province": "省", "provincial": "省",
    "市": "市", "市级": "市", "市本级": "市", "city": "市", "municipal": "市",
    "县": "县", "县级": "县", "区": "县", "区级": "县", "县区": "县", "县(区)": "县", "county": "县",
    "乡镇": "乡镇", "乡": "乡镇", "镇": "乡镇", "乡镇级": "乡镇", "街道": "乡镇", "township": "乡镇",
    "点": "点", "储备点": "点", "村": "点", "社区": "点", "point": "点",
}  # fmt: skip
_RESERVE_ALIASES: dict[str, ReserveType] = {
    "": ReserveType.PHYSICAL, "实物": ReserveType.PHYSICAL, "实物储备": ReserveType.PHYSICAL,
    "physical": ReserveType.PHYSICAL,
    "协议": ReserveType.CONTRACT, "协议储备": ReserveType.CONTRACT, "合同储备": ReserveType.CONTRACT,
    "contract": ReserveType.CONTRACT,
    "产能": ReserveType.CAPACITY, "产能储备": ReserveType.CAPACITY, "生产能力储备": ReserveType.CAPACITY,
    "capacity": ReserveType.CAPACITY,
}  # fmt: skip
_TRUE = frozenset({"1", "true", "yes", "y", "是", "示意", "示意数据", "illustrative", "x", "✓"})
_FALSE = frozenset({"", "0", "false", "no", "n", "否"})


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


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
    return f"; did you mean {hits[0]!r}?" if hits else ""


def _parse_float(v: Any) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError("not a number")
    if isinstance(v, int | float):
        if not math.isfinite(float(v)):
            raise ValueError("not a finite number")
        return float(v)
    s = str(v).strip().replace(",", "")
    try:
        x = float(s)
    except ValueError:
        raise ValueError("not a number") from None
    if not math.isfinite(x):
        raise ValueError("not a finite number")
    return x


def _parse_date(v: Any) -> dt.date | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = str(v).strip()
    for a, b in (("年", "-"), ("月", "-"), ("日", ""), ("/", "-"), (".", "-")):
        s = s.replace(a, b)
    s = s.split(" ")[0].split("T")[0]
    parts = s.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    if len(parts) == 1 and len(s) == 8 and s.isdigit():
        return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
    raise ValueError("not a date (use YYYY-MM-DD)")


def _parse_bool(v: Any) -> bool:
    s = _text(v).lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError("expected yes/no (是/否)")


@dataclass
class _Ctx:
    catalogue: Catalogue
    household_size: float
    basic_kit: tuple[str, ...]
    problems: list[Problem]
    notes: list[str]
    bad_depots: set[str] = field(default_factory=set)

    def add(
        self, table: Table, row: int | None, col: int | str | None, message: str, value: Any = None
    ) -> None:
        """Record a problem; ``col`` is a column index, or a canonical name when absent."""
        label = col if isinstance(col, str) or col is None else table.column_label(col)
        self.problems.append(
            Problem(
                message,
                file=table.file,
                sheet=table.sheet,
                row=row,
                column=label,
                value=None if value is None else _text(value),
            )
        )


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
            table, None, None, f"missing depot column {c!r} (accepted: {', '.join(DEPOT_COLUMNS[c])}){hint}"
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
                ctx.add(table, row, mapping.get("id"),
                        f"depot repeated with different details (first at row {first[d.id].source.row})",  # type: ignore[union-attr]
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
        ctx.add(table, None, i, f"unknown column{hint}", h)


def _cell(vals: list[Any], mapping: dict[str, int], key: str) -> Any:
    idx = mapping.get(key)
    return None if idx is None or idx >= len(vals) else vals[idx]


def _depot_from_row(
    table: Table, k: int, row: int, vals: list[Any], mapping: dict[str, int], ctx: _Ctx
) -> Depot | None:
    n_before = len(ctx.problems)

    def bad(col: str, msg: str, value: Any) -> None:
        ctx.add(table, row, mapping.get(col, col), msg, value)

    depot_id = _text(_cell(vals, mapping, "id"))
    name = _text(_cell(vals, mapping, "name"))
    if not depot_id:
        bad("id", "empty depot id", "")
    if not name:
        bad("name", "empty depot name", "")
    level_raw = _text(_cell(vals, mapping, "level"))
    level = _LEVEL_ALIASES.get(normalise_header(level_raw))
    if level is None:
        bad("level", f"unknown level (expected one of {', '.join(DEPOT_LEVELS)})", level_raw)
    crs_raw = _text(_cell(vals, mapping, "crs"))
    crs = normalise_crs(crs_raw)
    if crs is None:
        bad("crs", "unknown coordinate system (expected WGS84, GCJ02 or BD09)", crs_raw)
    lon = lat = None
    if "lon" in mapping and "lat" in mapping:
        try:
            lon = _parse_float(_cell(vals, mapping, "lon"))
            if lon is None:
                bad("lon", "missing longitude", "")
        except ValueError as exc:
            bad("lon", f"longitude {exc}", _cell(vals, mapping, "lon"))
        try:
            lat = _parse_float(_cell(vals, mapping, "lat"))
            if lat is None:
                bad("lat", "missing latitude", "")
        except ValueError as exc:
            bad("lat", f"latitude {exc}", _cell(vals, mapping, "lat"))
    elif table.geometry:
        g = table.geometry[k] if k < len(table.geometry) else None
        if g is None:
            ctx.add(table, row, None, "feature has no point geometry")
        else:
            lon, lat = g
    if lon is not None and lat is not None and crs is not None:
        if not in_china_bbox(lon, lat):
            hint = " (longitude and latitude swapped?)" if in_china_bbox(lat, lon) else ""
            ctx.add(
                table, row, mapping.get("lon"),
                f"coordinates outside China{hint}", f"{_text(lon)}, {_text(lat)}",
            )  # fmt: skip
        else:
            lon, lat = to_wgs84(lon, lat, crs)
    rt_raw = _text(_cell(vals, mapping, "reserve_type"))
    rtype = _RESERVE_ALIASES.get(normalise_header(rt_raw))
    if rtype is None:
        bad("reserve_type", "unknown reserve type (expected 实物储备, 协议储备 or 产能储备)", rt_raw)
    hours: dict[str, float] = {}
    for col in ("lead_time_h", "startup_delay_h"):
        raw = _cell(vals, mapping, col)
        try:
            v = _parse_float(raw)
        except ValueError as exc:
            bad(col, f"{col} {exc}", raw)
            continue
        if v is not None and not (v >= 0):
            bad(col, f"{col} must be >= 0", raw)
            continue
        hours[col] = v if v is not None else -1.0
    if rtype is ReserveType.CONTRACT and hours.get("lead_time_h", 0) < 0:
        bad("lead_time_h", "a contract reserve (协议储备) needs lead_time_h (响应时间(小时))", "")
    if rtype is ReserveType.CAPACITY and hours.get("startup_delay_h", 0) < 0:
        bad("startup_delay_h", "a capacity reserve (产能储备) needs startup_delay_h (启动时间(小时))", "")
    adcode = _text(_cell(vals, mapping, "adcode")) or None
    if adcode is not None and not (adcode.isdigit() and len(adcode) in (6, 9, 12)):
        bad("adcode", "administrative code must have 6; 9 or 12 digits", adcode)
    try:
        illustrative = _parse_bool(_cell(vals, mapping, "illustrative"))
    except ValueError as exc:
        bad("illustrative", str(exc), _cell(vals, mapping, "illustrative"))
        illustrative = False
    if len(ctx.problems) > n_before:
        if depot_id:
            ctx.bad_depots.add(depot_id)
        return None
    assert lon is not None and lat is not None and level is not None and rtype is not None
    return Depot(
        id=depot_id,
        name=name,
        level=level,
        lon=round(lon, 7),
        lat=round(lat, 7),
        reserve_type=rtype,
        adcode=adcode,
        lead_time_h=max(hours.get("lead_time_h", 0.0), 0.0),
        startup_delay_h=max(hours.get("startup_delay_h", 0.0), 0.0),
        county=_text(_cell(vals, mapping, "county")) or None,
        address=_text(_cell(vals, mapping, "address")) or None,
        crs_in=crs or "WGS84",
        illustrative=illustrative,
        note=_text(_cell(vals, mapping, "note")),
        source=SourceRef(table.file, table.sheet, row),
    )


@dataclass
class _RawLine:
    table: Table
    row: int
    mapping: dict[str, int]
    vals: list[Any]
    depot_ref: str


def _raw_lines(table: Table, ctx: _Ctx, *, flat: bool) -> list[_RawLine]:
    mapping, unmatched = _map_columns(table, LINE_COLUMNS)
    if flat:
        dmap, _ = _map_columns(table, DEPOT_COLUMNS)
        if "depot_id" not in mapping and "id" in dmap:
            mapping["depot_id"] = dmap["id"]
        depot_cols = set(dmap.values())
        _warn_unknown_columns(table, [i for i in unmatched if i not in depot_cols], ctx)
    else:
        _warn_unknown_columns(table, unmatched, ctx)
    missing = [c for c in ("item", "quantity") if c not in mapping]
    per_depot_sheet = "depot_id" not in mapping and table.sheet is not None
    if "depot_id" not in mapping and not per_depot_sheet:
        missing.insert(0, "depot_id")
    for c in missing:
        found = [table.header[i] for i in unmatched]
        hint = ""
        for h in found:
            hint = _suggest_header(h, {c: LINE_COLUMNS[c]}) or hint
        ctx.add(table, None, None, f"missing column {c!r} (accepted: {', '.join(LINE_COLUMNS[c])}){hint}")
    if missing:
        return []
    out = []
    for row, vals in table.rows:
        ref = _text(_cell(vals, mapping, "depot_id")) if "depot_id" in mapping else str(table.sheet)
        out.append(_RawLine(table, row, mapping, vals, ref))
    return out


def _line_from_raw(
    raw: _RawLine, depot: Depot, ctx: _Ctx, units_seen: dict[str, tuple[str, _RawLine]]
) -> list[InventoryLine]:
    table, row, mapping, vals = raw.table, raw.row, raw.mapping, raw.vals
    n_before = len(ctx.problems)

    def bad(col: str, msg: str, value: Any) -> None:
        ctx.add(table, row, mapping.get(col, col), msg, value)

    item_raw = _text(_cell(vals, mapping, "item"))
    items: list[Item] = []
    is_kit = normalise_header(item_raw) in KIT_NAMES
    if not item_raw:
        bad("item", "empty item name", "")
    elif is_kit:
        items = [ctx.catalogue[i] for i in ctx.basic_kit]
    else:
        found = ctx.catalogue.find(item_raw)
        if found is None:
            sugg = ctx.catalogue.suggest(item_raw)
            hint = f"; did you mean {', '.join(sugg)}?" if sugg else ""
            bad("item", f"unknown item{hint}", item_raw)
        else:
            items = [found]
    q_raw = _cell(vals, mapping, "quantity")
    parsed: Count | Capacity | None = None
    if isinstance(q_raw, bool):
        bad("quantity", "not a quantity", q_raw)
    elif isinstance(q_raw, int | float) and not isinstance(q_raw, bool):
        if not math.isfinite(q_raw):
            bad("quantity", "not a number", q_raw)
        elif q_raw < 0:
            bad("quantity", "negative quantity", q_raw)
        else:
            v = Fraction(str(q_raw))
            parsed = Count(int(v) if v.denominator == 1 else float(v), None, text=_text(q_raw))
    else:
        try:
            parsed = parse_quantity(_text(q_raw))
        except QuantityParseError as exc:
            bad("quantity", f"{exc.reason} (at character {exc.position})", q_raw)
    unit_col = _text(_cell(vals, mapping, "unit")) or None
    dates: dict[str, dt.date | None] = {}
    for col in ("production_date", "expiry_date"):
        try:
            dates[col] = _parse_date(_cell(vals, mapping, col))
        except (ValueError, OverflowError) as exc:
            msg = str(exc) if "date" in str(exc) else f"invalid date: {exc}"
            bad(col, msg, _cell(vals, mapping, col))
            dates[col] = None
    if (
        dates.get("production_date")
        and dates.get("expiry_date")
        and dates["expiry_date"] < dates["production_date"]
    ):
        bad("expiry_date", "expiry date is before the production date", _cell(vals, mapping, "expiry_date"))
    numbers: dict[str, float | None] = {}
    for col in ("unit_price_cny", "daily_rate"):
        raw_v = _cell(vals, mapping, col)
        try:
            numbers[col] = _parse_float(raw_v)
        except ValueError as exc:
            bad(col, f"{col} {exc}", raw_v)
            numbers[col] = None
            continue
        if numbers[col] is not None and not (numbers[col] >= 0):  # type: ignore[operator]
            bad(col, f"{col} must be >= 0", raw_v)
    if (
        depot.reserve_type is ReserveType.CAPACITY
        and numbers.get("daily_rate") is None
        and len(ctx.problems) == n_before
    ):
        bad("daily_rate", "a capacity reserve (产能储备) line needs daily_rate (日产能)", "")
    try:
        illustrative = _parse_bool(_cell(vals, mapping, "illustrative"))
    except ValueError as exc:
        bad("illustrative", str(exc), _cell(vals, mapping, "illustrative"))
        illustrative = False
    if is_kit and isinstance(parsed, Count):
        bad("quantity", "a kit line (基本生活物资) needs a capacity statement such as 满足5千人15天", q_raw)
    if len(ctx.problems) > n_before or parsed is None or not items:
        return []

    out: list[InventoryLine] = []
    for item in items:
        stated_unit = None
        pieces: float | None = None
        if isinstance(parsed, Count):
            u_text = parsed.unit
            if u_text and unit_col and canonical_unit(u_text) != canonical_unit(unit_col):
                bad("unit", f"unit in the quantity ({u_text}) differs from the unit column", unit_col)
                return []
            stated_unit = canonical_unit(u_text or unit_col) if (u_text or unit_col) else None
            factor = item.conversion_factor(stated_unit)
            if factor is None:
                bad(
                    "unit" if unit_col else "quantity",
                    f"{stated_unit!r} is not a unit of {item.name_zh} "
                    f"(accepted: {', '.join(item.allowed_units())})",
                    unit_col or q_raw,
                )
                return []
            key = item.id
            seen_unit = stated_unit or item.unit
            if key in units_seen and units_seen[key][0] != seen_unit:
                first_unit, first = units_seen[key]
                bad(
                    "unit" if unit_col else "quantity",
                    f"mixed units for {item.name_zh}: {first_unit} in {first.table.file}"
                    f"{'[' + first.table.sheet + ']' if first.table.sheet else ''} row {first.row}, "
                    f"{seen_unit} here; use one unit per item",
                    unit_col or q_raw,
                )
                return []
            units_seen.setdefault(key, (seen_unit, raw))
            qty = Fraction(str(parsed.value)) * factor
            if not item.is_measure and qty.denominator != 1:
                bad("quantity", f"{item.name_zh} is counted in whole {item.unit}", q_raw)
                return []
            if stated_unit is None or (
                canonical_unit(stated_unit) not in ("kg", "L")
                and (stated_unit not in ("吨", "t", "斤", "克", "g", "毫升", "ml"))
            ):
                pieces = float(parsed.value)
            quantity = float(qty)
        else:
            quantity = float(item.requirement(parsed.persons, parsed.days, ctx.household_size))
            pieces = None if item.is_measure else quantity
        price = numbers.get("unit_price_cny")
        if price is not None and isinstance(parsed, Count):
            f = item.conversion_factor(stated_unit) or Fraction(1)
            price = float(Fraction(str(price)) / f)  # price per base unit
        elif price is None:
            price = item.unit_price_cny.value
        expiry = dates.get("expiry_date")
        derived = False
        if expiry is None and dates.get("production_date") and item.shelf_life_days.value:
            expiry = dates["production_date"] + dt.timedelta(days=int(item.shelf_life_days.value))  # type: ignore[operator]
            derived = True
        out.append(
            InventoryLine(
                depot_id=depot.id,
                item_id=item.id,
                quantity=quantity,
                text=parsed.text,
                stated_unit=stated_unit,
                pieces=pieces,
                approx=parsed.approx,
                approx_marker=parsed.approx_marker,
                capacity=parsed if isinstance(parsed, Capacity) else None,
                batch=_text(_cell(vals, mapping, "batch")) or None,
                production_date=dates.get("production_date"),
                expiry_date=expiry,
                expiry_derived=derived,
                unit_price_cny=price,
                daily_rate=numbers.get("daily_rate"),
                illustrative=illustrative or depot.illustrative,
                note=_text(_cell(vals, mapping, "note")),
                source=SourceRef(table.file, table.sheet, row),
            )
        )
    return out


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
    depots: list[Depot] = []
    raws: list[_RawLine] = []
    any_table = False
    for path in paths:
        tables, problems = read_tables(path)
        ctx.problems.extend(problems)
        for table in tables:
            kind = _classify(table)
            if kind == "unknown":
                if table.rows:
                    ctx.add(table, None, None, "cannot tell what this table holds: no depot columns "
                            "(id, name, level, lon, lat) and no line columns (item, quantity)")  # fmt: skip
                continue
            any_table = True
            if kind in ("depots", "flat"):
                depots.extend(_depots_from_table(table, ctx, flat=kind == "flat"))
            if kind in ("lines", "flat"):
                raws.extend(_raw_lines(table, ctx, flat=kind == "flat"))
    if not any_table and not ctx.problems:
        ctx.problems.append(Problem("no depot or inventory table found", file=", ".join(map(str, paths))))
    elif not depots and not ctx.problems:
        ctx.problems.append(
            Problem(
                "no depots found (no data rows with id, name, level and location)",
                file=", ".join(map(str, paths)),
            )
        )

    by_id: dict[str, Depot] = {}
    for d in depots:
        prev = by_id.get(d.id)
        if prev is None:
            by_id[d.id] = d
            continue
        ctx.problems.append(
            Problem(
                f"duplicate depot id (first at {prev.source})",
                file=d.source.file if d.source else None,
                sheet=d.source.sheet if d.source else None,
                row=d.source.row if d.source else None,
                column="id",
                value=d.id,
            )
        )
    by_name = {d.name: d for d in by_id.values()}

    lines: list[InventoryLine] = []
    units_seen: dict[str, tuple[str, _RawLine]] = {}
    for raw in raws:
        depot = by_id.get(raw.depot_ref) or by_name.get(raw.depot_ref)
        if depot is None and raw.depot_ref in ctx.bad_depots:
            continue  # the depot's own row is already reported
        if depot is None:
            if not raw.depot_ref:
                raw_table_col = raw.mapping.get("depot_id")
                ctx.add(raw.table, raw.row, raw_table_col, "empty depot id", "")
            else:
                close = difflib.get_close_matches(raw.depot_ref, list(by_id), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                ctx.add(
                    raw.table, raw.row, raw.mapping.get("depot_id"), f"unknown depot{hint}", raw.depot_ref
                )
            continue
        lines.extend(_line_from_raw(raw, depot, ctx, units_seen))

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
                raise InventoryError([Problem("duplicate depot id across merged inventories", value=d.id)])
            seen.add(d.id)
            depots.append(d)
        lines.extend(inv.lines)
    notes = "；".join(dict.fromkeys(i.illustrative_note for i in inventories if i.illustrative_note))
    return Inventory(
        depots=tuple(depots), lines=tuple(lines), catalogue=first.catalogue, household_size=first.household_size,
        name=" + ".join(i.name for i in inventories), illustrative_note=notes,
        sources=tuple(s for i in inventories for s in i.sources),
    )  # fmt: skip
