"""Field checks of scenario files: unknown fields, numbers and polygons, problems collected."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from logistics.common.limits import MAX_DEMAND_POINTS, MAX_HOURS, MAX_PERSONS
from logistics.exceptions import Problem, Text, say, tr

#: Top-level fields of a scenario file.
ROOT_KEYS = {
    "name", "name_en", "description", "region", "roads", "seed", "illustrative", "hazard", "response",
    "demand", "demand_file", "disruption", "depots", "mutual_aid", "fleet", "handling", "sweep", "hub",
}  # fmt: skip

#: Fields of each table (or of each entry of an array of tables).
TABLE_KEYS = {
    "hazard": {"type", "time", "epicentre", "area", "magnitude", "description"},
    "response": {"deadline_h", "days", "items", "substitutes", "objective"},
    "demand": {
        "id",
        "name",
        "place",
        "lon",
        "lat",
        "crs",
        "relocated",
        "need_relief",
        "persons",
        "priority",
        "deadline_h",
        "receive_from_h",
        "unload_h",
        "unload_h_per_t",
        "county",
        "note",
    },
    "disruption": {
        "type",
        "polygon",
        "file",
        "road",
        "roads",
        "way_ids",
        "reopen_h",
        "factor",
        "start_h",
        "end_h",
        "note",
    },
    "depots": {"use", "exclude", "hours"},
    "mutual_aid": {"name", "activation_delay_h"},
    "hub": {"depot", "cutoffs_h", "handling_h", "throughput_t_h", "note"},
    "fleet": {"file", "vehicles", "limits"},
    "handling": {"load_h", "unload_h", "unload_h_per_t", "max_trips", "max_duration_h"},
}

#: Fields of a ``fleet.vehicles`` entry and of a ``fleet.limits`` entry.
VEHICLE_KEYS = {
    "depot", "type", "vehicle_type", "capacity_kg", "capacity_m3", "count", "max_trips", "max_duration_h", "note",
}  # fmt: skip
LIMIT_KEYS = {"depot", "type", "max_trips", "max_duration_h", "note"}


def unknown_field(allowed: set[str]) -> Text:
    """Message for a field not in ``allowed`` (which it lists)."""
    known = ", ".join(sorted(allowed))
    return tr(f"unknown field (known: {known})", f"未知字段（可用字段：{known}）")


def unknown_fields(data: dict[str, Any], origin: str, problems: list[Problem]) -> None:
    """Add a problem for each unknown field, at the top level then in each table."""
    for key in sorted(set(data) - ROOT_KEYS):
        problems.append(Problem(unknown_field(ROOT_KEYS), file=origin, column=key))
    for table, allowed in TABLE_KEYS.items():
        value = data.get(table)
        entries = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for k, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            prefix = f"{table}[{k}]." if isinstance(value, list) else f"{table}."
            for key in sorted(set(entry) - allowed):
                problems.append(Problem(unknown_field(allowed), file=origin, column=prefix + key))


def number(d: dict[str, Any], key: str, where: str, problems: list[Problem], origin: str, *, default: Any = None,
           positive: bool = False, nonneg: bool = False) -> Any:  # fmt: skip
    """Return number ``d[key]``; ``default`` if absent, or if invalid (a problem then)."""
    if key not in d:
        return default
    v = d[key]
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        problems.append(
            Problem(tr("must be a number", "必须为数字"), file=origin, column=f"{where}{key}", value=str(v))
        )
        return default
    if positive and not (v > 0):
        problems.append(
            Problem(tr("must be > 0", "必须大于 0"), file=origin, column=f"{where}{key}", value=str(v))
        )
        return default
    if nonneg and not (v >= 0):
        problems.append(Problem(tr("must not be negative", "不能为负数"), file=origin, column=f"{where}{key}",
                                value=str(v)))  # fmt: skip
        return default
    hi = upper_bound(key)
    if hi is not None and v > hi:
        problems.append(Problem(tr(f"must be at most {hi:g} (docs/limits.md)", f"不能超过 {hi:g}（见 docs/limits.md）"),
                                file=origin, column=f"{where}{key}", value=f"{v:g}"))  # fmt: skip
        return default
    return v


def upper_bound(key: str) -> float | None:
    """Return the documented largest value of a numeric field (docs/limits.md), by its name."""
    if key in ("relocated", "need_relief", "persons"):
        return float(MAX_PERSONS)
    if key == "days":
        return 365.0
    if key.endswith("_h"):
        return MAX_HOURS
    if key == "magnitude":
        return 10.0
    return None


def check_wkt(wkt: Any, where: str, origin: str, problems: list[Problem]) -> bool:
    """Check that ``wkt`` is a valid (multi)polygon; if not, add a problem for field ``where``."""
    from shapely import wkt as shapely_wkt  # heavy: loaded only on this path
    from shapely.errors import GEOSException  # heavy: loaded only on this path

    try:
        geom = shapely_wkt.loads(str(wkt))
    except (GEOSException, ValueError, TypeError) as exc:
        problems.append(Problem(tr(f"malformed polygon: {exc}", f"面格式有误：{exc}"), file=origin, column=where,
                                value=str(wkt)[:80]))  # fmt: skip
        return False
    if geom.is_empty:
        problems.append(
            Problem(tr("empty polygon", "面为空"), file=origin, column=where, value=str(wkt)[:80])
        )
        return False
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        problems.append(
            Problem(
                tr(f"expected a POLYGON, got {geom.geom_type}", f"应为 POLYGON，实际为 {geom.geom_type}"),
                file=origin,
                column=where,
                value=str(wkt)[:80],
            )
        )
        return False
    if not geom.is_valid:
        from shapely.validation import explain_validity  # heavy: loaded only on this path

        why = explain_validity(geom)
        problems.append(Problem(tr(f"malformed polygon: {why}", f"面格式有误：{why}"), file=origin, column=where,
                                value=str(wkt)[:80]))  # fmt: skip
        return False
    return True


def vehicle_limits(
    d: dict[str, Any], where: str, origin: str, problems: list[Problem], *, row: int | None = None
) -> tuple[int | None, float | None]:
    """Return ``(max_trips, max_duration_h)`` of a fleet row or table, ``None`` where absent or bad.

    Values may be numbers (TOML) or text (CSV; an empty cell counts as absent). A bad value adds
    one problem naming the file, the row (CSV) or the field (``where`` + name) and the value.
    """
    trips = _number_text(d.get("max_trips"))
    hours = _number_text(d.get("max_duration_h"))
    if trips is not None and not (
        isinstance(trips, int | float) and 1 <= trips < math.inf and float(trips).is_integer()
    ):
        problems.append(
            Problem(
                tr("max_trips must be a whole number >= 1", "max_trips 必须为不小于 1 的整数"),
                file=origin,
                row=row,
                column=f"{where}max_trips",
                value=str(d["max_trips"]),
            )
        )
        trips = None
    if hours is not None and not (isinstance(hours, int | float) and 0 < hours < math.inf):
        problems.append(
            Problem(
                tr("max_duration_h must be a number of hours > 0", "max_duration_h 必须为大于 0 的小时数"),
                file=origin,
                row=row,
                column=f"{where}max_duration_h",
                value=str(d["max_duration_h"]),
            )
        )
        hours = None
    return (None if trips is None else int(trips)), (None if hours is None else float(hours))


def _number_text(v: Any) -> Any:
    """``v`` with text read as a number (``None`` for absent or blank text, the text if not a number)."""
    if isinstance(v, bool):
        return str(v)
    if not isinstance(v, str):
        return v
    if not v.strip():
        return None
    try:
        return float(v)
    except ValueError:
        return v


#: Top-level fields and the TOML type each must have.
_SHAPES: dict[str, type | tuple[type, ...]] = {
    "region": str, "roads": str, "name": str, "name_en": str, "description": str, "illustrative": str,
    "hazard": dict, "response": dict, "depots": dict, "fleet": dict, "handling": dict,
    "demand": list, "disruption": list, "mutual_aid": list, "hub": list,
}  # fmt: skip


def shape_problems(data: dict[str, Any], origin: str) -> list[Problem]:
    """Fields of the wrong TOML type (a table where a list is expected, a number for a path …)."""
    kinds = {str: tr("text", "文本"), dict: tr("a table [..]", "表 [..]"),
             list: tr("a list of tables [[..]]", "表数组 [[..]]")}  # fmt: skip
    out = []
    for key, want in _SHAPES.items():
        if key in data and not isinstance(data[key], want):
            kind = kinds[want]
            out.append(Problem(tr(f"must be {kind}", f"必须为{say(kind)}"), file=origin, column=key,
                               value=repr(data[key])[:60]))  # fmt: skip
        elif want is list and key in data and not all(isinstance(x, dict) for x in data[key]):
            out.append(
                Problem(tr("must be a list of tables [[..]]", "必须为表数组 [[..]]"), file=origin, column=key)
            )
    if isinstance(data.get("demand"), list) and len(data["demand"]) > MAX_DEMAND_POINTS:
        n = len(data["demand"])
        out.append(Problem(tr(f"{n} demand points, more than {MAX_DEMAND_POINTS} (docs/limits.md)",
                              f"共 {n} 个需求点，超过上限 {MAX_DEMAND_POINTS}（见 docs/limits.md）"),
                           file=origin, column="demand"))  # fmt: skip
    return out


_TEXT = ("name", "id", "place", "county", "note", "type", "crs", "description", "road", "polygon", "file",
         "objective", "vehicle_type", "depot", "area")  # fmt: skip
_NUMBER = ("lon", "lat", "relocated", "need_relief", "persons", "priority", "deadline_h", "receive_from_h",
           "unload_h", "unload_h_per_t", "magnitude", "reopen_h", "factor", "start_h", "end_h",
           "activation_delay_h", "load_h", "days", "capacity_kg", "capacity_m3", "count")  # fmt: skip
_LIST = ("epicentre", "roads", "way_ids", "items", "substitutes", "vehicles", "limits")


def field_type_problems(data: dict[str, Any], origin: str) -> list[Problem]:
    """Fields of each table whose TOML type is wrong (a list for a name, text for an hour …)."""
    out = []
    for table in TABLE_KEYS:
        value = data.get(table)
        entries = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for k, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            prefix = f"{table}[{k}]." if isinstance(value, list) else f"{table}."
            for key, v in entry.items():
                want = _expected(key, v)
                if want is not None:
                    shown = v if isinstance(v, str) else repr(v)
                    out.append(Problem(tr(f"must be {want}", f"必须为{say(want)}"), file=origin, column=prefix + key,
                                       value=shown[:60]))  # fmt: skip
    return out


def _expected(key: str, v: Any) -> Text | None:
    """Return what ``v`` should be for field ``key`` when it is not, else ``None``."""
    if key == "time":
        return None if isinstance(v, str | dt.datetime) else tr("an ISO date-time", " ISO 格式的日期时间")
    if key == "use":
        return (
            None
            if isinstance(v, str | list)
            else tr('"all" or a list of depot ids', ' "all" 或储备库编号列表')
        )
    if key == "hours":
        return (
            None
            if isinstance(v, dict)
            else tr("a table DEPOT = [open_h, close_h]", "表 DEPOT = [open_h, close_h]")
        )
    if key in _TEXT and not isinstance(v, str):
        return tr("text", "文本")
    if key in _NUMBER and (isinstance(v, bool) or not isinstance(v, int | float)):
        return tr("a number", "数字")
    if key in _LIST and not isinstance(v, list):
        return tr("a list", "列表")
    return None
