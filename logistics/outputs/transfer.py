"""调拨单 (transfer orders): one sheet per depot, the plan's dispatch lines with their batches."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from logistics.common import SIGNATURE, mark_header_row, one_page, save_workbook

if TYPE_CHECKING:
    from pathlib import Path

    from logistics.plan import RunResult

__all__ = ["write_transfer_orders"]

_HEADER = ["调入点", "物资", "数量", "单位", "重量(kg)", "体积(m³)", "送达波次", "车辆及趟次", "预计送达(时)", "时限(时)",
           "出库批次(先到期先出)"]  # fmt: skip
#: batch ids the plan makes for inventory lines without a batch number: ``<depot>-line<k>``
_LINE_ID = re.compile(r"^(?P<depot>.+)-line(?P<k>\d+)$")
_WIDTHS = (16, 12, 10, 6, 10, 10, 8, 28, 12, 10, 40)


#: The 调拨单's words for a line's wave.
_WAVE_ZH = {"deadline": "按时", "later": "后续", "to_hub": "中转"}


def write_transfer_orders(path: Path, res: RunResult, rows: list[dict[str, Any]]) -> Path:
    """Write the 调拨单 workbook: per depot, every line the trucks carry, signature lines.

    Parameters
    ----------
    path
        Destination ``.xlsx`` (written atomically).
    res
        The run result.
    rows
        Its dispatch lines (:func:`~logistics.outputs.tables.delivery_rows`).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    from openpyxl import Workbook  # heavy: loaded only on this path
    from openpyxl.styles import Font  # heavy: loaded only on this path

    sc = res.model.scenario
    wb = Workbook()
    wb.remove(wb.active)
    by_depot: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_depot.setdefault(r["depot_id"], []).append(r)
    notes = "；".join(res.model.notes)
    for did, lines in by_depot.items():
        ws = wb.create_sheet(title=did[:31])
        ws.append([f"救灾物资调拨单 — {lines[0]['depot_name']}"])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([f"情景：{sc.name}　时限：灾后{sc.deadline_h:g}小时内送达"])
        if notes:
            ws.append([f"【示意数据】{notes}"])
        ws.append([])
        ws.append(_HEADER)
        mark_header_row(ws, ws.max_row)
        ws.freeze_panes = ws.cell(ws.max_row + 1, 1)
        for c in ws[ws.max_row]:
            c.font = Font(bold=True)
        for r in sorted(
            lines, key=lambda r: (r["wave"] != "deadline", r["first_arrival_h"], r["point_id"], r["item_id"])
        ):
            ws.append([r["point_name"], r["item_name"], r["quantity"], r["unit"], r["weight_kg"], r["volume_m3"],
                       _WAVE_ZH.get(r["wave"], "后续"), _vehicles(r, did), r["first_arrival_h"],
                       r["deadline_h"], _batches(r, did)])  # fmt: skip
        ws.append([])
        ws.append(SIGNATURE)
        for col, width in zip("ABCDEFGHIJK", _WIDTHS, strict=True):
            ws.column_dimensions[col].width = width
        one_page(ws)  # a depot's order is handed out, and signed, as one sheet of paper
    if not by_depot:
        ws = wb.create_sheet("调拨单")
        ws.append(["本情景无调拨（无可调运物资或均无法送达）"])
    save_workbook(wb, path, title=f"救灾物资调拨单（{sc.name}）")
    return path


def _num(x: float) -> str:
    """Write a quantity as on an order: whole numbers without decimals, others to 0.001."""
    v = round(float(x), 3)
    return f"{int(v)}" if v.is_integer() else f"{v:.3f}".rstrip("0").rstrip(".")


def _vehicles(row: dict[str, Any], depot_id: str) -> str:
    """Vehicles and trips in words, without the depot's id (the sheet is the depot's)."""
    out = []
    for vid, trip in row.get("vehicle_trips", ()):
        name = vid[len(depot_id) + 1 :] if vid.startswith(f"{depot_id}/") else vid
        out.append(f"{name} 第{trip}趟")
    return "；".join(out)


def _batches(row: dict[str, Any], depot_id: str) -> str:
    """Batches taken first-expiry-first-out, in words; their quantities add up to the line's."""
    out = []
    for bid, expiry, qty in row.get("batch_picks", ()):
        m = _LINE_ID.match(bid)
        label = f"台账第{m['k']}行（无批号）" if m and m["depot"] == depot_id else f"批号 {bid}"
        when = f"有效期至{expiry.isoformat()}" if expiry else "无有效期"
        out.append(f"{label}，{when}：{_num(qty)}{row['unit']}")
    return "；".join(out)
