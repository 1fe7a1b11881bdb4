"""XLSX attachment of the nightly report: one worksheet per table, numbers kept as numbers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from logistics.common import display_width, mark_header_row, save_workbook
from logistics.report.tables import report_tables

if TYPE_CHECKING:
    from logistics.report.model import NightlyReport

_NUMBER_FORMATS = {"int": "#,##0", "num": "#,##0.##", "pct": "0.0%", "cny": "#,##0"}
_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_name(title: str, used: set[str]) -> str:
    r"""Return a valid, unique worksheet name (31 characters, no ``[]:*?/\\``).

    Parameters
    ----------
    title
        Wanted name.
    used
        Names already taken (updated).

    Examples
    --------
    >>> sheet_name("缺口（Ⅱ级）", set())
    '缺口（Ⅱ级）'
    """
    base = title.translate(_INVALID_SHEET_CHARS)[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" {n}"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def write_report_xlsx(report: NightlyReport, path: str | Path) -> Path:
    """Write every table of the report to ``path`` (atomically), one sheet each.

    Parameters
    ----------
    report
        The report.
    path
        Destination ``.xlsx``.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    from openpyxl import Workbook  # heavy: loaded only on this path
    from openpyxl.styles import Alignment, Font, PatternFill  # heavy: loaded only on this path
    from openpyxl.utils import get_column_letter  # heavy: loaded only on this path

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="ECEFF1")
    notes = report.notes()
    for table in report_tables(report):
        ws = wb.create_sheet(sheet_name(table.title, used))
        row0 = 1
        if notes and table.key != "summary":
            for note in notes:
                ws.cell(row0, 1, note).font = Font(italic=True, color="8D6E63")
                row0 += 1
        mark_header_row(ws, row0)
        for j, h in enumerate(table.columns, start=1):
            cell = ws.cell(row0, j, h)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(horizontal="center")
        if not table.rows and table.empty:
            ws.cell(row0 + 1, 1, table.empty)
        for i, row in enumerate(table.rows, start=row0 + 1):
            for j, (v, kind) in enumerate(zip(row, table.kinds, strict=True), start=1):
                cell = ws.cell(i, j, v)
                if kind in _NUMBER_FORMATS and isinstance(v, int | float):
                    cell.number_format = _NUMBER_FORMATS[kind]
        ws.freeze_panes = ws.cell(row0 + 1, 1)
        for j, h in enumerate(table.columns, start=1):
            width = max([display_width(h)] + [display_width(str(r[j - 1] or "")) for r in table.rows[:200]])
            ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
    save_workbook(wb, path, title=f"{report.region}救灾物资储备日报 {report.date}" if report.zh
                  else f"{report.region} relief stock report {report.date}")  # fmt: skip
    return Path(path)
