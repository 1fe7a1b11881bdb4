"""Print layout of every XLSX file the project writes: A4 sheets a duty office can print and sign.

:func:`~logistics.common.cells.save_workbook` calls :func:`apply_print_layout` on every sheet,
so no writer sets up pages by itself. A writer only says which row is its table's header
(:func:`mark_header_row`); that row is repeated on every printed page. Every sheet gets:

* A4 landscape, narrow margins, centred horizontally;
* all columns on the width of one page (``fitToWidth = 1``), as many pages down as needed;
* the print area set to the used range;
* the document's title and the sheet's name in the page header, ``第 N 页，共 M 页`` in the footer;
* text longer than its column wrapped (top-aligned), so nothing is cut mid-line;
* numbers formatted by their unit (:func:`apply_number_formats`): whole pieces for countable
  items (顶, 床, 件…), litres, kilograms, tonnes and cubic metres to one decimal, hours to two.
"""

from __future__ import annotations

import math
from typing import Any

from logistics.common.console import display_width

__all__ = [
    "SIGNATURE",
    "apply_number_formats",
    "apply_print_layout",
    "mark_header_row",
    "one_page",
    "unit_format",
]

#: the signature block under a 调拨单 or 派车单
SIGNATURE = ["经办人：", "", "审核人：", "", "日期："]

#: the footer's page numbers, in Excel's header/footer codes (&P page, &N pages)
PAGE_FOOTER = "第 &P 页，共 &N 页"
#: a column narrower than this many characters never wraps (ids, numbers)
_WRAP_MIN_WIDTH = 8
#: height of one line of 11-point text in a row (points)
_LINE_PT = 15.0


#: units measured, not counted: shown to one decimal (everything else is whole pieces)
MEASURED_UNITS = frozenset(
    {"l", "升", "kg", "千克", "公斤", "t", "吨", "m3", "m³", "立方米", "g", "克", "km", "公里"}
)
#: headers of columns holding a quantity in the unit named by the row's 单位/unit column
QUANTITY_HEADERS = frozenset({"数量", "quantity", "需求", "需求量", "demand", "可用", "可用量", "usable", "缺口",
                              "shortfall", "库存", "stock", "送达", "delivered", "未满足", "unmet", "需要", "required",
                              "应储", "合计", "total"})  # fmt: skip
#: header fragments that fix a column's format whatever the row
_HEADER_FORMATS = (
    (("(kg)", "（kg）", "（千克）", "(千克)", "_kg", "(km)", "（公里）", "_km"), "#,##0.0"),
    (("(m³)", "（m³）", "(m3)", "（立方米）", "_m3"), "#,##0.0"),
    (("(t)", "（吨）", "_t"), "#,##0.00"),
    (("(时)", "（时）", "（小时）", "(小时)", "_h", "(h)"), "0.00"),
)
WHOLE, ONE_DECIMAL = "#,##0", "#,##0.0"
#: headers of counts: whole numbers
_WHOLE_HEADERS = frozenset({"件数", "pieces", "品种数", "kinds", "库点数", "depots", "可保障人数", "persons",
                            "转移安置人数", "relocated", "人口", "population"})  # fmt: skip


def unit_format(unit: str | None) -> str:
    """Return the number format of a quantity in ``unit``: one decimal if measured, else whole pieces.

    Parameters
    ----------
    unit
        The unit as written (顶, 床, L, kg…).

    Examples
    --------
    >>> unit_format("顶"), unit_format("L")
    ('#,##0', '#,##0.0')
    """
    return ONE_DECIMAL if (unit or "").strip().lower() in MEASURED_UNITS else WHOLE


def apply_number_formats(ws: Any, header_row: int) -> None:
    """Format the numbers under ``header_row`` by unit (see the module docstring); text is left alone.

    Parameters
    ----------
    ws
        An openpyxl worksheet.
    header_row
        The table's header row (1-based).
    """
    header = [str(c.value or "").strip() for c in ws[header_row]]
    low = [h.lower() for h in header]
    unit_col = next((i for i, h in enumerate(low) if h in ("单位", "unit")), None)
    fixed: dict[int, str] = {}
    for i, h in enumerate(low):
        fmt = next((f for marks, f in _HEADER_FORMATS if any(h.endswith(m) for m in marks)), None)
        if fmt is None and h in _WHOLE_HEADERS:
            fmt = WHOLE
        if fmt is not None:
            fixed[i] = fmt
    per_unit = [
        i for i, h in enumerate(low) if h in QUANTITY_HEADERS and unit_col is not None and i not in fixed
    ]
    if not fixed and not per_unit:
        return
    for row in ws.iter_rows(min_row=header_row + 1):
        unit = row[unit_col].value if unit_col is not None and unit_col < len(row) else None
        for i, cell in enumerate(row):
            if not isinstance(cell.value, int | float) or isinstance(cell.value, bool):
                continue
            if i in fixed:
                cell.number_format = fixed[i]
            elif i in per_unit:
                cell.number_format = unit_format(str(unit) if unit is not None else None)


def mark_header_row(ws: Any, row: int, last: int | None = None) -> None:
    """Repeat row ``row`` (to ``last``; 1-based) of an openpyxl worksheet at the top of every printed page."""
    ws.print_title_rows = f"{row}:{last or row}"


def one_page(ws: Any) -> None:
    """Print the sheet on one page (scaled down when needed); :func:`apply_print_layout` keeps it."""
    ws._logistics_one_page = True  # read by apply_print_layout


def apply_print_layout(ws: Any, title: str | None = None) -> None:
    """Set up an openpyxl worksheet for printing (see the module docstring); keeps its header row.

    Parameters
    ----------
    ws
        An openpyxl worksheet.
    title
        The document's title for the page header (调拨单, 派车单…); the sheet's name follows it.
    """
    from openpyxl.styles import Alignment  # heavy: openpyxl, loaded only when a workbook is written
    from openpyxl.utils import get_column_letter  # heavy: openpyxl, as above
    from openpyxl.worksheet.page import PageMargins  # heavy: openpyxl, as above

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if getattr(ws, "_logistics_one_page", False) else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.25, footer=0.25)
    ws.oddHeader.center.text = f"{title.replace('&', '&&')}　&A" if title else "&A"
    if ws.print_title_rows:
        apply_number_formats(ws, int(str(ws.print_title_rows).replace("$", "").split(":")[-1]))
    ws.oddFooter.center.text = PAGE_FOOTER
    if ws.max_row >= 1 and ws.max_column >= 1:
        ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    widths = {}
    for col in range(1, ws.max_column + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        widths[col] = dim.width if dim is not None and dim.width else None
    default = 8.43  # openpyxl's (and Excel's) default column width in characters
    for row in ws.iter_rows():
        lines = 1
        for i, cell in enumerate(row):
            w = widths.get(cell.column)
            if not (isinstance(cell.value, str) and (w or default) >= _WRAP_MIN_WIDTH):
                continue
            need = display_width(cell.value)  # wide (CJK) characters count two columns
            alone = all(c.value in (None, "") for c in row[i + 1 :])
            # a text with empty cells to its right (a title or a note) runs across them; it only
            # wraps, over the merged width of the sheet's columns, when it is wider than all of them
            room = (
                sum(widths.get(c) or default for c in range(cell.column, ws.max_column + 1)) if alone else w
            )
            if not room or need <= room:
                continue
            if alone and cell.column < ws.max_column:
                ws.merge_cells(
                    start_row=cell.row, start_column=cell.column, end_row=cell.row, end_column=ws.max_column
                )
            cell.alignment = Alignment(
                wrap_text=True,
                vertical="top",
                horizontal=cell.alignment.horizontal if cell.alignment else None,
            )
            lines = max(lines, math.ceil(need / max(room - 1, 1)))
        if lines > 1:  # spreadsheet programs do not grow a row for wrapped text on their own
            ws.row_dimensions[row[0].row].height = _LINE_PT * lines
