"""Rows of inventory tables: cell values, one depot row → :class:`Depot`, one line row → lines.

Every problem found in a row is recorded in the problem collector (:class:`_Ctx`) with file,
sheet, row, column and value; a row with problems yields nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from logistics.common import in_china_bbox, normalise_crs, normalise_header, to_wgs84
from logistics.common.limits import MAX_QUANTITY
from logistics.exceptions import Problem, QuantityParseError, say, tr
from logistics.stock.catalogue import Catalogue, Item, canonical_unit
from logistics.stock.inventory import DEPOT_LEVELS, Depot, InventoryLine, ReserveType, SourceRef
from logistics.stock.quantity import Capacity, Count, parse_quantity

if TYPE_CHECKING:
    from logistics.common import Table

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

#: Stated unit, quantity in the item's base unit, and pieces of one inventory line.
_Amount = tuple[str | None, float, float | None]


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _parse_float(v: Any) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError(tr("not a number", "不是数字"))
    if isinstance(v, int | float):
        if not math.isfinite(float(v)):
            raise ValueError(tr("not a finite number", "不是有限数值"))
        return float(v)
    s = str(v).strip().replace(",", "")
    try:
        x = float(s)
    except ValueError:
        raise ValueError(tr("not a number", "不是数字")) from None
    if not math.isfinite(x):
        raise ValueError(tr("not a finite number", "不是有限数值"))
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
    raise ValueError(tr("not a date (use YYYY-MM-DD)", "不是日期（请使用 YYYY-MM-DD 格式）"))


def _parse_bool(v: Any) -> bool:
    s = _text(v).lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(tr("expected yes/no (是/否)", "应为 是/否（yes/no）"))


def _why(exc: BaseException) -> str:
    """Return the message of ``exc`` in both languages (a Python message stays English in both)."""
    return tr(str(exc), say(exc))


def _cell(vals: list[Any], mapping: dict[str, int], key: str) -> Any:
    idx = mapping.get(key)
    return None if idx is None or idx >= len(vals) else vals[idx]


@dataclass
class _Row:
    """One data row of a table, with its canonical column mapping."""

    table: Table
    row: int
    mapping: dict[str, int]
    vals: list[Any]

    def cell(self, key: str) -> Any:
        """Value of canonical column ``key``; ``None`` when the table has no such column."""
        return _cell(self.vals, self.mapping, key)


@dataclass
class _RawLine(_Row):
    """A line row not yet checked, with the depot id or name it refers to."""

    depot_ref: str


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

    def bad(self, r: _Row, col: str, message: str, value: Any) -> None:
        """Record a problem in canonical column ``col`` of row ``r``."""
        self.add(r.table, r.row, r.mapping.get(col, col), message, value)


def _illustrative(r: _Row, ctx: _Ctx) -> bool:
    try:
        return _parse_bool(r.cell("illustrative"))
    except ValueError as exc:
        ctx.bad(r, "illustrative", _why(exc), r.cell("illustrative"))
        return False


# --- depots -------------------------------------------------------------------------------------


def _depot_from_row(
    table: Table, k: int, row: int, vals: list[Any], mapping: dict[str, int], ctx: _Ctx
) -> Depot | None:
    """Check row ``k`` of a depots table; ``None`` if it has problems (its id goes to ``bad_depots``)."""
    r = _Row(table, row, mapping, vals)
    n_before = len(ctx.problems)
    depot_id, name, level = _depot_identity(r, ctx)
    crs_raw = _text(r.cell("crs"))
    crs = normalise_crs(crs_raw)
    if crs is None:
        ctx.bad(r, "crs", tr("unknown coordinate system (expected WGS84, GCJ02 or BD09)",
                             "未知坐标系（应为 WGS84、GCJ02 或 BD09）"), crs_raw)  # fmt: skip
    lon, lat = _depot_location(r, k, crs, ctx)
    rtype, hours = _depot_reserve(r, ctx)
    adcode = _text(r.cell("adcode")) or None
    if adcode is not None and not (adcode.isdigit() and len(adcode) in (6, 9, 12)):
        ctx.bad(r, "adcode", tr("administrative code must have 6; 9 or 12 digits",
                                "行政区划代码必须为 6 位、9 位或 12 位数字"), adcode)  # fmt: skip
    illustrative = _illustrative(r, ctx)
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
        county=_text(r.cell("county")) or None,
        address=_text(r.cell("address")) or None,
        crs_in=crs or "WGS84",
        illustrative=illustrative,
        note=_text(r.cell("note")),
        source=SourceRef(table.file, table.sheet, row),
    )


def _depot_identity(r: _Row, ctx: _Ctx) -> tuple[str, str, str | None]:
    """Read the id, name and level (``None`` if unknown) of a depot row."""
    depot_id = _text(r.cell("id"))
    name = _text(r.cell("name"))
    if not depot_id:
        ctx.bad(r, "id", tr("empty depot id", "库点编号为空"), "")
    if not name:
        ctx.bad(r, "name", tr("empty depot name", "库点名称为空"), "")
    level_raw = _text(r.cell("level"))
    level = _LEVEL_ALIASES.get(normalise_header(level_raw))
    if level is None:
        ctx.bad(r, "level", tr(f"unknown level (expected one of {', '.join(DEPOT_LEVELS)})",
                               f"未知级别（应为 {'、'.join(DEPOT_LEVELS)} 之一）"), level_raw)  # fmt: skip
    return depot_id, name, level


def _depot_location(r: _Row, k: int, crs: str | None, ctx: _Ctx) -> tuple[float | None, float | None]:
    """Read longitude and latitude (WGS84) from the lon/lat columns or the ``k``-th feature's point."""
    lon = lat = None
    if "lon" in r.mapping and "lat" in r.mapping:
        lon = _coordinate(r, "lon", tr("longitude", "经度"), ctx)
        lat = _coordinate(r, "lat", tr("latitude", "纬度"), ctx)
    elif r.table.geometry:
        g = r.table.geometry[k] if k < len(r.table.geometry) else None
        if g is None:
            ctx.add(r.table, r.row, None, tr("feature has no point geometry", "要素没有点几何"))
        else:
            lon, lat = g
    if lon is not None and lat is not None and crs is not None:
        if not in_china_bbox(lon, lat):
            swapped = in_china_bbox(lat, lon)
            hint = " (longitude and latitude swapped?)" if swapped else ""
            hint_zh = "（经度和纬度是否填反？）" if swapped else ""
            ctx.add(
                r.table, r.row, r.mapping.get("lon"),
                tr(f"coordinates outside China{hint}", f"坐标不在中国境内{hint_zh}"), f"{_text(lon)}, {_text(lat)}",
            )  # fmt: skip
        else:
            lon, lat = to_wgs84(lon, lat, crs)
    return lon, lat


def _coordinate(r: _Row, col: str, what: str, ctx: _Ctx) -> float | None:
    try:
        v = _parse_float(r.cell(col))
    except ValueError as exc:
        ctx.bad(r, col, tr(f"{what} {exc}", f"{say(what)}{say(exc)}"), r.cell(col))
        return None
    if v is None:
        ctx.bad(r, col, tr(f"missing {what}", f"缺少{say(what)}"), "")
    return v


def _depot_reserve(r: _Row, ctx: _Ctx) -> tuple[ReserveType | None, dict[str, float]]:
    """Read the reserve type of a depot row and the hours it needs (-1 for a blank cell)."""
    rt_raw = _text(r.cell("reserve_type"))
    rtype = _RESERVE_ALIASES.get(normalise_header(rt_raw))
    if rtype is None:
        ctx.bad(r, "reserve_type", tr("unknown reserve type (expected 实物储备, 协议储备 or 产能储备)",
                                      "未知储备类型（应为 实物储备、协议储备 或 产能储备）"), rt_raw)  # fmt: skip
    hours: dict[str, float] = {}
    for col in ("lead_time_h", "startup_delay_h"):
        raw = r.cell(col)
        try:
            v = _parse_float(raw)
        except ValueError as exc:
            ctx.bad(r, col, tr(f"{col} {exc}", f"{col} {say(exc)}"), raw)
            continue
        if v is not None and not (v >= 0):
            ctx.bad(r, col, tr(f"{col} must be >= 0", f"{col} 不能为负数"), raw)
            continue
        hours[col] = v if v is not None else -1.0
    if rtype is ReserveType.CONTRACT and hours.get("lead_time_h", 0) < 0:
        ctx.bad(r, "lead_time_h", tr("a contract reserve (协议储备) needs lead_time_h (响应时间(小时))",
                                     "协议储备须填写 lead_time_h（响应时间(小时)）"), "")  # fmt: skip
    if rtype is ReserveType.CAPACITY and hours.get("startup_delay_h", 0) < 0:
        ctx.bad(r, "startup_delay_h", tr("a capacity reserve (产能储备) needs startup_delay_h (启动时间(小时))",
                                         "产能储备须填写 startup_delay_h（启动时间(小时)）"), "")  # fmt: skip
    return rtype, hours


# --- inventory lines ----------------------------------------------------------------------------


@dataclass
class _LineCells:
    """The checked cells of a line row."""

    items: list[Item]
    parsed: Count | Capacity | None
    unit_col: str | None
    dates: dict[str, dt.date | None]
    numbers: dict[str, float | None]
    illustrative: bool


def _line_from_raw(
    raw: _RawLine, depot: Depot, ctx: _Ctx, units_seen: dict[str, tuple[str, _RawLine]]
) -> list[InventoryLine]:
    """Check a line row of ``depot``: one inventory line per item, none if the row has problems."""
    n_before = len(ctx.problems)
    cells = _line_cells(raw, depot, ctx, n_before)
    parsed = cells.parsed
    if len(ctx.problems) > n_before or parsed is None or not cells.items:
        return []
    out: list[InventoryLine] = []
    for item in cells.items:
        if isinstance(parsed, Count):
            amount = _count_amount(raw, item, parsed, cells.unit_col, ctx, units_seen)
            if amount is None:
                return []
        else:
            quantity = float(item.requirement(parsed.persons, parsed.days, ctx.household_size))
            amount = (None, quantity, None if item.is_measure else quantity)
        out.append(_inventory_line(raw, depot, item, parsed, amount, cells))
    return out


def _line_cells(raw: _RawLine, depot: Depot, ctx: _Ctx, n_before: int) -> _LineCells:
    """Read and check every cell of a line row, recording each problem."""
    item_raw = _text(raw.cell("item"))
    is_kit = normalise_header(item_raw) in KIT_NAMES
    items = _line_items(raw, item_raw, is_kit, ctx)
    q_raw = raw.cell("quantity")
    parsed = _line_quantity(raw, q_raw, ctx)
    unit_col = _text(raw.cell("unit")) or None
    dates = _line_dates(raw, ctx)
    numbers = _line_numbers(raw, ctx)
    if (
        depot.reserve_type is ReserveType.CAPACITY
        and numbers.get("daily_rate") is None
        and len(ctx.problems) == n_before
    ):
        ctx.bad(raw, "daily_rate", tr("a capacity reserve (产能储备) line needs daily_rate (日产能)",
                                      "产能储备的库存记录须填写 daily_rate（日产能）"), "")  # fmt: skip
    illustrative = _illustrative(raw, ctx)
    if is_kit and isinstance(parsed, Count):
        ctx.bad(
            raw,
            "quantity",
            tr(
                "a kit line (基本生活物资) needs a capacity statement such as 满足5千人15天",
                "基本生活物资（全品种）记录须填写保障能力表述，如 满足5千人15天",
            ),
            q_raw,
        )
    return _LineCells(items, parsed, unit_col, dates, numbers, illustrative)


def _line_items(raw: _RawLine, item_raw: str, is_kit: bool, ctx: _Ctx) -> list[Item]:
    """Look up the catalogue items a line names: one item, or the kit's items on a kit line."""
    if not item_raw:
        ctx.bad(raw, "item", tr("empty item name", "物资名称为空"), "")
        return []
    if is_kit:
        return [ctx.catalogue[i] for i in ctx.basic_kit]
    found = ctx.catalogue.find(item_raw)
    if found is None:
        sugg = ctx.catalogue.suggest(item_raw)
        hint = f"; did you mean {', '.join(sugg)}?" if sugg else ""
        hint_zh = f"；是否为 {'、'.join(sugg)}？" if sugg else ""
        ctx.bad(raw, "item", tr(f"unknown item{hint}", f"未知物资{hint_zh}"), item_raw)
        return []
    return [found]


def _line_quantity(raw: _RawLine, q_raw: Any, ctx: _Ctx) -> Count | Capacity | None:
    """Read the quantity cell as a count or a capacity statement; a number cell is a count."""
    if isinstance(q_raw, bool):
        ctx.bad(raw, "quantity", tr("not a quantity", "不是数量"), q_raw)
    elif isinstance(q_raw, int | float) and not isinstance(q_raw, bool):
        if not math.isfinite(q_raw):
            ctx.bad(raw, "quantity", tr("not a number", "不是数字"), q_raw)
        elif q_raw < 0:
            ctx.bad(raw, "quantity", tr("negative quantity", "数量为负数"), q_raw)
        elif q_raw > MAX_QUANTITY:
            ctx.bad(raw, "quantity", _too_large(), f"{q_raw:g}")
        else:
            v = Fraction(str(q_raw))
            return Count(int(v) if v.denominator == 1 else float(v), None, text=_text(q_raw))
    else:
        try:
            parsed = parse_quantity(_text(q_raw))
        except QuantityParseError as exc:
            where = tr(
                f"{exc.reason} (at character {exc.position})",
                f"{say(exc.reason)}（第 {exc.position + 1} 个字符处）",
            )
            ctx.bad(raw, "quantity", where, _text(q_raw)[:40])
            return None
        if max(getattr(parsed, "value", 0) or 0, getattr(parsed, "persons", 0) or 0) > MAX_QUANTITY:
            ctx.bad(raw, "quantity", _too_large(), _text(q_raw)[:40])
            return None
        return parsed
    return None


def _too_large() -> str:
    return tr(f"more than {MAX_QUANTITY:g} (docs/limits.md)", f"超过 {MAX_QUANTITY:g}（见 docs/limits.md）")


def _line_dates(raw: _RawLine, ctx: _Ctx) -> dict[str, dt.date | None]:
    """Read the production and expiry dates of a line row."""
    dates: dict[str, dt.date | None] = {}
    for col in ("production_date", "expiry_date"):
        try:
            dates[col] = _parse_date(raw.cell(col))
        except (ValueError, OverflowError) as exc:
            msg = _why(exc) if "date" in str(exc) else tr(f"invalid date: {exc}", f"日期无效：{exc}")
            ctx.bad(raw, col, msg, raw.cell(col))
            dates[col] = None
    if (
        dates.get("production_date")
        and dates.get("expiry_date")
        and dates["expiry_date"] < dates["production_date"]
    ):
        ctx.bad(
            raw,
            "expiry_date",
            tr("expiry date is before the production date", "有效期截止日期早于生产日期"),
            raw.cell("expiry_date"),
        )
    return dates


def _line_numbers(raw: _RawLine, ctx: _Ctx) -> dict[str, float | None]:
    """Read the unit price and daily rate of a line row."""
    numbers: dict[str, float | None] = {}
    for col in ("unit_price_cny", "daily_rate"):
        raw_v = raw.cell(col)
        try:
            numbers[col] = _parse_float(raw_v)
        except ValueError as exc:
            ctx.bad(raw, col, tr(f"{col} {exc}", f"{col} {say(exc)}"), raw_v)
            numbers[col] = None
            continue
        if numbers[col] is not None and not (numbers[col] >= 0):  # type: ignore[operator]
            ctx.bad(raw, col, tr(f"{col} must be >= 0", f"{col} 不能为负数"), raw_v)
    return numbers


def _count_amount(
    raw: _RawLine,
    item: Item,
    parsed: Count,
    unit_col: str | None,
    ctx: _Ctx,
    units_seen: dict[str, tuple[str, _RawLine]],
) -> _Amount | None:
    """Convert a count to the item's base unit; ``None`` after recording a unit problem."""
    q_raw = raw.cell("quantity")
    pieces: float | None = None
    u_text = parsed.unit
    if u_text and unit_col and canonical_unit(u_text) != canonical_unit(unit_col):
        ctx.bad(raw, "unit", tr(f"unit in the quantity ({u_text}) differs from the unit column",
                                f"数量中的单位（{u_text}）与单位列不一致"), unit_col)  # fmt: skip
        return None
    stated_unit = canonical_unit(u_text or unit_col) if (u_text or unit_col) else None
    factor = item.conversion_factor(stated_unit)
    if factor is None:
        ctx.bad(
            raw,
            "unit" if unit_col else "quantity",
            tr(
                f"{stated_unit!r} is not a unit of {item.name_zh} (accepted: {', '.join(item.allowed_units())})",
                f"{stated_unit!r} 不是{item.name_zh}的单位（可用：{'、'.join(item.allowed_units())}）",
            ),
            unit_col or q_raw,
        )
        return None
    key = item.id
    seen_unit = stated_unit or item.unit
    if key in units_seen and units_seen[key][0] != seen_unit:
        first_unit, first = units_seen[key]
        at = first.table.file + (f"[{first.table.sheet}]" if first.table.sheet else "")
        ctx.bad(
            raw,
            "unit" if unit_col else "quantity",
            tr(
                f"mixed units for {item.name_zh}: {first_unit} in {at} row {first.row}, "
                f"{seen_unit} here; use one unit per item",
                f"{item.name_zh}的单位不统一：{at} 第 {first.row} 行为 {first_unit}，"
                f"此处为 {seen_unit}；同一物资请使用同一单位",
            ),
            unit_col or q_raw,
        )
        return None
    units_seen.setdefault(key, (seen_unit, raw))
    qty = Fraction(str(parsed.value)) * factor
    if not item.is_measure and qty.denominator != 1:
        ctx.bad(
            raw,
            "quantity",
            tr(f"{item.name_zh} is counted in whole {item.unit}", f"{item.name_zh}须按整{item.unit}计数"),
            q_raw,
        )
        return None
    if stated_unit is None or (
        canonical_unit(stated_unit) not in ("kg", "L")
        and (stated_unit not in ("吨", "t", "斤", "克", "g", "毫升", "ml"))
    ):
        pieces = float(parsed.value)
    return stated_unit, float(qty), pieces


def _inventory_line(
    raw: _RawLine, depot: Depot, item: Item, parsed: Count | Capacity, amount: _Amount, cells: _LineCells
) -> InventoryLine:
    """Build the line of ``item``: price per base unit, expiry date derived if needed."""
    stated_unit, quantity, pieces = amount
    price = cells.numbers.get("unit_price_cny")
    if price is not None and isinstance(parsed, Count):
        f = item.conversion_factor(stated_unit) or Fraction(1)
        price = float(Fraction(str(price)) / f)  # price per base unit
    elif price is None:
        price = item.unit_price_cny.value
    dates = cells.dates
    expiry = dates.get("expiry_date")
    derived = False
    if expiry is None and dates.get("production_date") and item.shelf_life_days.value:
        expiry = dates["production_date"] + dt.timedelta(days=int(item.shelf_life_days.value))  # type: ignore[operator]
        derived = True
    assumed = derived and item.shelf_life_days.confidence == "assumed"
    return InventoryLine(
        depot_id=depot.id,
        item_id=item.id,
        quantity=quantity,
        text=parsed.text,
        stated_unit=stated_unit,
        pieces=pieces,
        approx=parsed.approx,
        approx_marker=parsed.approx_marker,
        capacity=parsed if isinstance(parsed, Capacity) else None,
        batch=_text(raw.cell("batch")) or None,
        production_date=dates.get("production_date"),
        expiry_date=expiry,
        expiry_derived=derived,
        expiry_assumed=assumed,
        unit_price_cny=price,
        daily_rate=cells.numbers.get("daily_rate"),
        illustrative=cells.illustrative or depot.illustrative,
        note=_text(raw.cell("note")),
        source=SourceRef(raw.table.file, raw.table.sheet, raw.row),
    )
