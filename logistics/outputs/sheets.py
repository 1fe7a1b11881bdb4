"""Route spreadsheets: the schedule workbook and the per-driver dispatch sheets (派车单)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.common import SIGNATURE, mark_header_row, save_workbook
from logistics.outputs._text import (
    UNMET_REASONS_ZH,
    clock,
    items_text,
    label,
    name_of,
    sheet_title,
)
from logistics.routing.result import UNMET_REASONS

if TYPE_CHECKING:
    from datetime import datetime

    from openpyxl.worksheet.worksheet import Worksheet

    from logistics.routing import RoutingResult, VehicleRoute

#: ``road_names(from_id, to_id, depart_s)`` returns the names of the roads of a leg leaving at
#: ``depart_s`` (the departure selects the road state), in order.
RoadNamesFunc = Callable[[str, str, float], Sequence[str]]


def _bold_row(ws: Worksheet, row: int) -> None:
    from openpyxl.styles import Font  # heavy: loaded only on this path

    for cell in ws[row]:
        cell.font = Font(bold=True)


def _autosize(ws: Worksheet, *, max_width: int = 60) -> None:
    widths: dict[str, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = str(cell.value)
            # CJK characters are about twice as wide as Latin ones
            width = sum(2 if ord(c) > 0x2E80 else 1 for c in text) + 2
            widths[cell.column_letter] = max(widths.get(cell.column_letter, 0), width)
    for col, w in widths.items():
        ws.column_dimensions[col].width = min(w, max_width)


def _table(ws: Worksheet, header: list[str], rows: list[list[Any]]) -> None:
    ws.append(header)
    _bold_row(ws, ws.max_row)
    mark_header_row(ws, ws.max_row)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    _autosize(ws)


def write_schedule_xlsx(
    result: RoutingResult,
    out_path: str | Path,
    *,
    t0: datetime | None = None,
    place_names: Mapping[str, str] | None = None,
    item_names: Mapping[str, str] | None = None,
    lang: str = "zh",
) -> Path:
    """Write the schedule workbook: one row per stop, a truck summary, late and unmet lines.

    Sheets (Chinese names with ``lang="zh"``, the default): ``时刻表``/``schedule``
    (truck, type, trip, loading start, departure, stop number, place, ETA,
    departure after unloading, return, deadline, late, delay, weight, volume,
    items), ``车辆汇总``/``trucks``, ``超时站点``/``late stops`` and
    ``未能配送``/``unmet``. Times are clock times when ``t0`` is given, else
    ``T+hh:mm`` from t0. The file is written atomically.

    Parameters
    ----------
    result
        Routing result.
    out_path
        Destination ``.xlsx`` file.
    t0
        Start of the scenario (for clock times).
    place_names
        Display names of depots and points.
    item_names
        Display names of items.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    pathlib.Path
        ``out_path``.
    """
    from openpyxl import Workbook  # heavy: loaded only on this path

    names = _Names(t0, place_names, item_names, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = names.label("schedule")
    _table(ws, [names.label(k) for k in _SCHEDULE_COLUMNS], _schedule_rows(result, names))
    _table(wb.create_sheet(names.label("trucks")), [names.label(k) for k in _TRUCK_COLUMNS],
           _truck_rows(result, names))  # fmt: skip
    _table(wb.create_sheet(names.label("late_sheet")), [names.label(k) for k in _LATE_COLUMNS],
           _late_rows(result, names))  # fmt: skip
    _table(wb.create_sheet(names.label("unmet")), [names.label(k) for k in _UNMET_COLUMNS],
           _unmet_rows(result, names))  # fmt: skip
    save_workbook(wb, out_path, title="车辆排班表" if lang == "zh" else "Truck schedule")
    return Path(out_path)


_SCHEDULE_COLUMNS = ("vehicle", "vehicle_type", "trip", "load_start", "departure", "seq", "place", "arrival",
                     "wait_h", "leave", "return", "deadline", "late", "delay_h", "weight_kg", "volume_m3", "items")  # fmt: skip
_TRUCK_COLUMNS = (
    "vehicle",
    "vehicle_type",
    "depot",
    "trips",
    "load_start",
    "return",
    "distance_km",
    "weight_kg",
)
_LATE_COLUMNS = ("vehicle", "trip", "depot", "point", "arrival", "deadline", "delay_h")
_UNMET_COLUMNS = ("depot", "point", "item", "quantity", "weight_kg", "volume_m3", "reason")


@dataclass(frozen=True)
class _Names:
    """How the schedule shows times, places, items and labels."""

    t0: datetime | None
    places: Mapping[str, str] | None
    items: Mapping[str, str] | None
    lang: str

    def label(self, key: str) -> str:
        return label(key, self.lang)


def _schedule_rows(result: RoutingResult, n: _Names) -> list[list[Any]]:
    rows = []
    for r in result.routes:
        for t in r.trips:
            for k, s in enumerate(t.stops, start=1):
                late = s.late_s > 1e-6
                rows.append([
                    r.vehicle_id, r.vehicle_type, t.number, clock(t.start_s, n.t0), clock(t.departure_s, n.t0), k,
                    name_of(s.point_id, n.places), clock(s.arrival_s, n.t0),
                    round(s.wait_s / 3600.0, 2) if s.wait_s > 1e-6 else None, clock(s.departure_s, n.t0),
                    clock(t.return_s, n.t0), clock(s.deadline_s, n.t0), n.label("yes") if late else n.label("no"),
                    round(s.late_s / 3600.0, 2) if late else None, round(s.weight_kg, 1), round(s.volume_m3, 3),
                    items_text(s.loads, n.items, n.lang),
                ])  # fmt: skip
    return rows


def _truck_rows(result: RoutingResult, n: _Names) -> list[list[Any]]:
    return [
        [r.vehicle_id, r.vehicle_type, name_of(r.depot_id, n.places), len(r.trips), clock(r.trips[0].start_s, n.t0),
         clock(r.end_s, n.t0), round(r.distance_m / 1000.0, 2), round(sum(t.weight_kg for t in r.trips), 1)]
        for r in result.routes
    ]  # fmt: skip


def _late_rows(result: RoutingResult, n: _Names) -> list[list[Any]]:
    return [
        [x.vehicle_id, x.trip, name_of(x.depot_id, n.places), name_of(x.point_id, n.places),
         clock(x.arrival_s, n.t0), clock(x.due_s, n.t0), round(x.delay_s / 3600.0, 2)]
        for x in result.late
    ]  # fmt: skip


def _unmet_rows(result: RoutingResult, n: _Names) -> list[list[Any]]:
    reasons = UNMET_REASONS_ZH if n.lang == "zh" else UNMET_REASONS
    return [
        [name_of(u.depot_id, n.places), name_of(u.point_id, n.places), name_of(u.item_id, n.items), round(u.quantity, 3),
         round(u.weight_kg, 1), round(u.volume_m3, 3), reasons.get(u.reason, u.reason)]
        for u in result.unmet
    ]  # fmt: skip


def _leg_text(
    frm: str,
    to: str,
    depart_s: float,
    place_names: Mapping[str, str] | None,
    road_names: RoadNamesFunc | None,
) -> str:
    text = f"{name_of(frm, place_names)} → {name_of(to, place_names)}"
    roads = [n for n in (road_names(frm, to, depart_s) if road_names else []) if n]
    if roads:
        # keep order, drop consecutive repeats
        uniq = [n for i, n in enumerate(roads) if i == 0 or n != roads[i - 1]]
        text += "：经 " + "、".join(uniq)
    return text


def write_dispatch_xlsx(
    result: RoutingResult,
    out_path: str | Path,
    *,
    t0: datetime | None = None,
    place_names: Mapping[str, str] | None = None,
    item_names: Mapping[str, str] | None = None,
    road_names: RoadNamesFunc | None = None,
) -> Path:
    """Write the dispatch sheets (派车单) in Chinese, one worksheet per truck.

    Each sheet gives 车辆 (truck and type with capacity), 司机 and 联系电话 (blank, to
    fill in), 出发库, and for every trip: 出发时间 (with loading start and return),
    装货清单 (items, quantities, weights and destinations), 停靠点顺序 with
    预计到达时间 and 时限, and 路线说明 (legs, with road names when ``road_names``
    provides them). The file is written atomically.

    Parameters
    ----------
    result
        Routing result.
    out_path
        Destination ``.xlsx`` file.
    t0
        Start of the scenario (for clock times; else ``T+hh:mm``).
    place_names
        Display names of depots and points.
    item_names
        Display names of items.
    road_names
        ``road_names(from_id, to_id, depart_s)`` → names of the roads of a leg, in order.

    Returns
    -------
    pathlib.Path
        ``out_path``.
    """
    from openpyxl import Workbook  # heavy: loaded only on this path

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    if not result.routes:
        ws = wb.create_sheet("派车单")
        ws.append(["无派车任务"])
    for r in result.routes:
        ws = wb.create_sheet(sheet_title(r.vehicle_id, used))
        _dispatch_sheet(ws, r, _Names(t0, place_names, item_names, "zh"), road_names)
    save_workbook(wb, out_path, title="派车单")
    return Path(out_path)


def _dispatch_rows(
    r: VehicleRoute, n: _Names, road_names: RoadNamesFunc | None
) -> tuple[list[list[Any]], set[int]]:
    """Return one truck's dispatch sheet as rows, and the indices of the section titles (bold)."""
    rows: list[list[Any]] = [
        ["派车单"],
        [
            "车辆",
            r.vehicle_id,
            "车型",
            f"{r.vehicle_type}（载重 {r.capacity_kg:g} kg，容积 {r.capacity_m3:g} m³）",
        ],
        ["司机", "", "联系电话", ""],
        ["出发库", name_of(r.depot_id, n.places), "趟数", len(r.trips)],
    ]
    bold: set[int] = set()
    for t in r.trips:
        rows.append([])
        bold.add(len(rows))
        rows.append([f"第{t.number}趟" + ("（时限后补送）" if t.later else "")])
        rows.append(["开始装货", clock(t.start_s, n.t0), "出发时间", clock(t.departure_s, n.t0), "返回时间",
                     clock(t.return_s, n.t0)])  # fmt: skip
        bold.add(len(rows))
        rows += [["装货清单"], ["物资", "数量", "重量(kg)", "体积(m³)", "卸货点"]]
        rows += [[name_of(x.item_id, n.items), round(x.quantity, 3), round(x.weight_kg, 1), round(x.volume_m3, 3),
                  name_of(s.point_id, n.places)] for s in t.stops for x in s.loads]  # fmt: skip
        rows.append(["合计", "", round(t.weight_kg, 1), round(t.volume_m3, 3), ""])
        bold.add(len(rows))
        rows += [
            ["停靠点顺序"],
            ["站序", "地点", "预计到达时间", "等待接收(小时)", "时限", "是否超时", "卸货物资"],
        ]
        rows += [[k, name_of(s.point_id, n.places), clock(s.arrival_s, n.t0),
                  round(s.wait_s / 3600.0, 2) if s.wait_s > 1e-6 else "", clock(s.deadline_s, n.t0),
                  "是" if s.late_s > 1e-6 else "否", items_text(s.loads, n.items)]
                 for k, s in enumerate(t.stops, start=1)]  # fmt: skip
        bold.add(len(rows))
        rows.append(["路线说明"])
        places = [r.depot_id, *(s.point_id for s in t.stops), r.depot_id]
        departs = [t.departure_s, *(s.departure_s for s in t.stops)]
        rows += [[_leg_text(a, b, when, n.places, road_names)]
                 for (a, b), when in zip(itertools.pairwise(places), departs, strict=True)]  # fmt: skip
    return rows, bold


def _dispatch_sheet(ws: Worksheet, r: VehicleRoute, n: _Names, road_names: RoadNamesFunc | None) -> None:
    """Fill one truck's dispatch sheet: header, then each trip's loading list, stops and legs."""
    from openpyxl.styles import Font  # heavy: loaded only on this path

    rows, bold = _dispatch_rows(r, n, road_names)
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append(SIGNATURE)  # the driver signs for the load, the depot for handing it over
    mark_header_row(ws, 1, 3)  # 派车单, vehicle and driver on every page of a long sheet
    ws["A1"].font = Font(bold=True, size=14)
    font = Font(bold=True)
    for i in bold:
        ws.cell(row=i + 1, column=1).font = font
    _set_widths(ws, rows)


def _set_widths(ws: Worksheet, rows: list[list[Any]], *, max_width: int = 60) -> None:
    """Column widths from the values (CJK characters count double)."""
    from openpyxl.utils import get_column_letter  # heavy: loaded only on this path

    widths: dict[int, int] = {}
    for row in rows:
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            widths[c] = max(widths.get(c, 0), sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(v)) + 2)
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c + 1)].width = min(w, max_width)
