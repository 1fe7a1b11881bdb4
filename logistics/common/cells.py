"""One writer for spreadsheet cells: text that a spreadsheet would run as a formula is made literal.

The OWASP CSV-injection rule: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return can be executed by Excel or LibreOffice (``=HYPERLINK("http://…","点此")``). Every
CSV and XLSX file the project writes goes through this module:

* CSV: such a text cell gets a leading apostrophe (``'=HYPERLINK(…)``); numbers, and text that
  is a plain number (``-5``, ``+3.2``), are written unchanged.
* XLSX: such a cell is stored with the explicit string type, never as a formula; numbers stay
  numeric cells.
"""

from __future__ import annotations

import csv
import math
from typing import TYPE_CHECKING, Any

from logistics.common.atomic import atomic_path
from logistics.common.printing import apply_print_layout

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Sequence

__all__ = [
    "FORMULA_TRIGGERS",
    "csv_cell",
    "is_formula_text",
    "neutralise_workbook",
    "save_workbook",
    "write_csv",
    "write_frame_csv",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_text(value: Any) -> bool:
    """Return whether ``value`` is text a spreadsheet could run as a formula (not a plain number)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return False
    try:
        return not math.isfinite(float(value))
    except ValueError:
        return True


def csv_cell(value: Any) -> Any:
    """Return ``value`` as it goes into a CSV cell: formula-like text behind an apostrophe."""
    return "'" + value if is_formula_text(value) else value


def write_csv(
    path: str | os.PathLike[str], columns: Sequence[str], rows: Iterable[Sequence[Any] | dict[str, Any]]
) -> None:
    """Write a CSV file atomically (UTF-8 with a BOM, so that Excel reads it), every cell made safe.

    Parameters
    ----------
    path
        Destination.
    columns
        Header; dict rows are read by these keys (missing keys are empty).
    rows
        Rows as sequences (in column order) or dicts.
    """
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(
            f, lineterminator="\r\n"
        )  # RFC 4180, as Excel writes; fields with line breaks are quoted
        w.writerow([csv_cell(c) for c in columns])
        for row in rows:
            values = [row.get(c, "") for c in columns] if isinstance(row, dict) else row
            w.writerow([csv_cell(v) for v in values])


def write_frame_csv(path: str | os.PathLike[str], frame: Any) -> None:
    """Write a pandas DataFrame as CSV with :func:`write_csv` (index left out)."""
    columns = [str(c) for c in frame.columns]
    rows = ([None if _missing(v) else v for v in r] for r in frame.itertuples(index=False, name=None))
    write_csv(path, columns, rows)


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def neutralise_workbook(workbook: Any) -> int:
    """Store every formula cell of an openpyxl workbook as literal text; return how many there were.

    The project never writes formulas on purpose, so any formula cell came from user text.
    """
    n = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    n += 1
    return n


def save_workbook(workbook: Any, path: str | os.PathLike[str], *, title: str | None = None) -> None:
    """Neutralise formulas (:func:`neutralise_workbook`), set up printing, save atomically.

    Every sheet gets the project's print layout
    (:func:`~logistics.common.printing.apply_print_layout`), with ``title`` (the document's
    name, e.g. 调拨单) in its page header.
    """
    neutralise_workbook(workbook)
    for ws in workbook.worksheets:
        apply_print_layout(ws, title)
    with atomic_path(path) as tmp:
        workbook.save(tmp)
