"""Read tabular inputs (CSV, XLSX, GeoJSON/GeoPackage) into plain header + rows tables.

Each table keeps the file, sheet/layer and the row numbers a person sees in the file, so that
validation messages can point at the exact cell.
"""

from __future__ import annotations

import csv
import json
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.exceptions import InputNote, Problem, tr

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Table", "normalise_header", "read_tables"]


@dataclass
class Table:
    """A header and rows read from one sheet, CSV file or vector layer.

    Parameters
    ----------
    file
        Path as given.
    sheet
        Sheet or layer name (``None`` for CSV).
    header
        Column names as written.
    rows
        ``(row_number, values)`` pairs; row numbers as a person sees them.
    letters
        Spreadsheet column letters, for XLSX.
    geometry
        Per-row ``(lon, lat)`` for point layers, else empty.
    """

    file: str
    sheet: str | None
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    letters: list[str] = field(default_factory=list)
    geometry: list[tuple[float, float] | None] = field(default_factory=list)
    layer_crs: str | None = None

    def column_label(self, idx: int) -> str:
        """Header of column ``idx``, with its letter for spreadsheets."""
        name = self.header[idx]
        return f"{name} ({self.letters[idx]})" if self.letters else name


def normalise_header(name: Any) -> str:
    """Normalise a column header for matching: NFKC, no spaces, lower case.

    Parameters
    ----------
    name
        Header cell value.
    """
    s = unicodedata.normalize("NFKC", "" if name is None else str(name))
    return "".join(s.split()).lower()


def _read_csv(path: Path) -> tuple[list[Table], list[Problem]]:
    raw = path.read_bytes()
    text = None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030":
            warnings.warn(tr(f"{path}: not UTF-8; read as GB18030 (GBK)", f"{path}：不是 UTF-8 编码，已按 GB18030（GBK）读取"),
                          InputNote, stacklevel=4)  # fmt: skip
        break
    if text is None:  # pragma: no cover - gb18030 decodes any byte string
        return [], [
            Problem(
                tr("cannot decode the file as UTF-8 or GB18030", "无法按 UTF-8 或 GB18030 编码读取文件"),
                file=str(path),
            )
        ]
    rows = list(csv.reader(text.splitlines()))
    if not rows or not any(c.strip() for c in rows[0]):
        return [], [Problem(tr("empty file: no header row", "空文件：没有表头行"), file=str(path))]
    header = [c.strip() for c in rows[0]]
    filled = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(c.strip() for c in r)]
    body = [(n, r) for n, r in filled if not _is_total(r)]  # a 合计 row at the bottom is not data
    _note_totals(str(path), None, [n for n, r in filled if _is_total(r)])
    return [Table(str(path), None, header, body)], []


#: first cells of a total row at the bottom of a 台账 (skipped: they are not stock)
TOTAL_ROW_MARKS = ("合计", "总计", "小计", "total")
#: header rows are looked for among the first this many rows of a sheet
HEADER_SEARCH_ROWS = 15


def _read_xlsx(path: Path, known: frozenset[str]) -> tuple[list[Table], list[Problem]]:
    from openpyxl import load_workbook  # heavy: loaded only on this path

    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        return [], [
            Problem(
                tr(f"cannot open as an XLSX workbook: {exc}", f"无法作为 XLSX 工作簿打开：{exc}"),
                file=str(path),
            )
        ]
    tables: list[Table] = []
    for ws in wb.worksheets:
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        table = _sheet_table(str(path), ws.title, values, merges, known)
        if table is not None:
            tables.append(table)
    return tables, []


def _read_xls(path: Path, known: frozenset[str]) -> tuple[list[Table], list[Problem]]:
    """Read an old Excel 97-2003 ``.xls`` workbook (xlrd), with its merged cells and dates."""
    import xlrd  # heavy: loaded only for .xls files

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as exc:  # xlrd raises several types for broken files
        return [], [
            Problem(
                tr(f"cannot open as an .xls workbook: {exc}", f"无法作为 .xls 工作簿打开：{exc}"),
                file=str(path),
            )
        ]
    tables: list[Table] = []
    for sh in book.sheets():
        values = []
        for r in range(sh.nrows):
            row = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
                    row.append(int(cell.value))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                else:
                    row.append(cell.value)
            values.append(row)
        # xlrd: (row_lo, row_hi, col_lo, col_hi), 0-based, hi exclusive
        merges = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sh.merged_cells]
        table = _sheet_table(str(path), sh.name, values, merges, known)
        if table is not None:
            tables.append(table)
    return tables, []


def _is_total(cells: list[Any]) -> bool:
    """Whether a row is a total row: its first filled cell starts with 合计, 总计, 小计 or total."""
    first = next((normalise_header(c) for c in cells if c not in (None, "") and str(c).strip()), "")
    return first.startswith(TOTAL_ROW_MARKS)


def _note_totals(file: str, sheet: str | None, rows: list[int]) -> None:
    """Say which total rows (合计, 小计…) were left out of a table."""
    if not rows:
        return
    where = f"{file}[{sheet}]" if sheet else file
    where_zh = f"{file}（工作表 {sheet}）" if sheet else file
    nums = ", ".join(map(str, rows))
    warnings.warn(tr(f"{where}: total row(s) {nums} skipped (合计/小计 rows are not stock)",
                     f"{where_zh}：已跳过第 {'、'.join(map(str, rows))} 行的合计/小计行（不计入数据）"),
                  InputNote, stacklevel=5)  # fmt: skip


def _filled(row: list[Any]) -> int:
    return sum(1 for c in row if c not in (None, "") and str(c).strip() != "")


def _sheet_table(
    file: str,
    sheet: str,
    values: list[list[Any]],
    merges: list[tuple[int, int, int, int]],
    known: frozenset[str],
) -> Table | None:
    """Find the header of one sheet (title and 填报单位 lines above it are skipped), return its table.

    The header is the row among the first :data:`HEADER_SEARCH_ROWS` with the most cells that
    are ``known`` column names (at least two), else the first row with two filled cells. A
    two-row header — group cells merged across columns above their sub-headers (``物资`` over
    名称 / 数量 / 单位) — is read as one: each column is named by ``group + sub`` when that is
    a known name, else by the sub-header when known, else ``group + sub``. Cells merged down a
    block of data rows hold their value in every row; total rows (合计, 总计…) are skipped.
    """
    from openpyxl.utils import get_column_letter  # heavy: loaded only on this path

    if not values:
        return None
    # the value of a merged range in every cell of it
    for r0, c0, r1, c1 in merges:
        if r0 - 1 >= len(values):
            continue
        top = values[r0 - 1][c0 - 1] if c0 - 1 < len(values[r0 - 1]) else None
        for r in range(r0, min(r1, len(values)) + 1):
            for c in range(c0, c1 + 1):
                if c - 1 < len(values[r - 1]):
                    values[r - 1][c - 1] = top

    def score(row: list[Any]) -> int:
        return sum(1 for c in row if normalise_header(c) in known)

    search = values[:HEADER_SEARCH_ROWS]
    best = max(range(len(search)), key=lambda i: (score(search[i]), -i)) if search else 0
    if known and search and score(search[best]) >= 2:
        hdr = best
    else:
        hdr = next((i for i, r in enumerate(values) if _filled(r) >= 2), None)
        if hdr is None:
            return None
    # a group row above (cells merged across columns) makes this a two-row header
    groups = [m for m in merges if m[0] == m[2] and m[3] > m[1]]

    def grouping(i: int) -> bool:  # row i (0-based) has cells merged across columns, and 2+ names
        names = {str(c).strip() for c in values[i] if c not in (None, "") and str(c).strip()}
        return any(m[0] == i + 1 for m in groups) and len(names) >= 2  # a title merged across is 1 name

    top = None
    if hdr > 0 and grouping(hdr - 1):
        top = hdr - 1
    elif grouping(hdr) and hdr + 1 < len(values) and _filled(values[hdr + 1]) >= 2:
        top, hdr = hdr, hdr + 1
    width = max(len(values[hdr]), len(values[top]) if top is not None else 0)
    header = []
    for c in range(width):
        sub = values[hdr][c] if c < len(values[hdr]) else None
        sub = "" if sub is None else str(sub).strip()
        grp = values[top][c] if top is not None and c < len(values[top]) else None
        grp = "" if grp is None else str(grp).strip()
        if grp and sub and grp != sub:
            both = grp + sub
            name = (
                both if normalise_header(both) in known else sub if normalise_header(sub) in known else both
            )
        else:
            name = sub or grp
        header.append(name)
    while header and header[-1] == "":
        header.pop()
    body, totals = [], []
    for i, r in enumerate(values[hdr + 1 :], start=hdr + 2):
        cells = list(r[: len(header)]) + [None] * (len(header) - len(r))
        if not any(c not in (None, "") and str(c).strip() != "" for c in cells):
            continue
        if _is_total(cells):
            totals.append(i)
            continue
        body.append((i, cells))
    _note_totals(file, sheet, totals)
    letters = [get_column_letter(k + 1) for k in range(len(header))]
    return Table(file, sheet, header, body, letters)


def _read_vector(path: Path) -> tuple[list[Table], list[Problem]]:
    import pyogrio  # heavy: loaded only on this path

    tables: list[Table] = []
    problems: list[Problem] = []
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL errors
        return [], [
            Problem(
                tr(f"cannot open as a vector data set: {exc}", f"无法作为矢量数据集打开：{exc}"),
                file=str(path),
            )
        ]
    for layer in layers:
        try:
            gdf = pyogrio.read_dataframe(path, layer=layer)
        except Exception as exc:
            problems.append(
                Problem(tr(f"cannot read layer: {exc}", f"无法读取图层：{exc}"), file=str(path), sheet=layer)
            )
            continue
        is_geo = hasattr(gdf, "geometry") and "geometry" in gdf.columns
        crs = None
        geoms: list[tuple[float, float] | None] = []
        header = [c for c in gdf.columns if c != "geometry"]
        if is_geo:
            if gdf.crs is None:
                problems.append(
                    Problem(tr("layer has no CRS", "图层没有坐标系"), file=str(path), sheet=layer)
                )
                continue
            crs = gdf.crs.to_string()
            if gdf.crs.to_epsg() != 4326:
                gdf = gdf.to_crs(4326)
            for g in gdf.geometry:
                if g is None or g.is_empty:
                    geoms.append(None)
                elif g.geom_type == "Point":
                    geoms.append((g.x, g.y))
                else:
                    geoms.append(None)
        rows = []
        for i, rec in enumerate(gdf[header].itertuples(index=False), start=1):
            vals = [None if _isna(v) else v for v in rec]
            rows.append((i, vals))
        tables.append(Table(str(path), layer, header, rows, geometry=geoms, layer_crs=crs))
    # GeoJSON features may carry their lines in an "inventory" property (list of objects)
    return tables, problems


def _isna(v: Any) -> bool:
    try:
        return bool(v != v)  # NaN
    except (TypeError, ValueError):
        return False


def expand_nested_inventory(table: Table) -> Table | None:
    """Turn an ``inventory`` property holding lists of line objects into a lines table.

    Parameters
    ----------
    table
        A depot layer; the depot id column must be ``id``.

    Returns
    -------
    Table | None
        The lines, each row numbered as ``feature.line``-style integers (feature index), or
        ``None`` when there is no such property.
    """
    keys = [normalise_header(h) for h in table.header]
    if "inventory" not in keys or "id" not in keys:
        return None
    inv_col = keys.index("inventory")
    id_col = keys.index("id")
    header: list[str] = ["depot_id"]
    rows: list[tuple[int, list[Any]]] = []
    records: list[tuple[int, dict[str, Any]]] = []
    for row_no, vals in table.rows:
        val = vals[inv_col]
        if val is None:
            continue
        if isinstance(val, str):
            try:
                val = json.loads(val)
            except json.JSONDecodeError:
                val = None
        if not isinstance(val, list):
            continue
        for rec in val:
            if isinstance(rec, dict):
                rec = {"depot_id": vals[id_col], **rec}
                records.append((row_no, rec))
                for k in rec:
                    if k not in header:
                        header.append(k)
    for row_no, rec in records:
        rows.append((row_no, [rec.get(h) for h in header]))
    table.header = [h for i, h in enumerate(table.header) if i != inv_col]
    table.rows = [(n, [v for i, v in enumerate(vals) if i != inv_col]) for n, vals in table.rows]
    return Table(table.file, f"{table.sheet}.inventory", header, rows)


def read_tables(path: str | Path, *, known: Iterable[str] = ()) -> tuple[list[Table], list[Problem]]:
    """Read every table in a CSV, XLSX, XLS, GeoJSON or GeoPackage file.

    Parameters
    ----------
    path
        The file.
    known
        Column names the caller understands; in workbooks they find the header row below
        title lines and join two-row headers (see :func:`_sheet_table`).

    Returns
    -------
    tuple[list[Table], list[Problem]]
        Tables found and problems met while reading (merged headers, missing CRS…).
    """
    p = Path(path)
    if not p.exists():
        return [], [Problem(tr("file not found", "未找到文件"), file=str(p))]
    if p.stat().st_size == 0:
        return [], [Problem(tr("empty file", "空文件"), file=str(p))]
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv(p)
    names = frozenset(normalise_header(k) for k in known)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(p, names)
    if suffix == ".xls":
        return _read_xls(p, names)
    if suffix in (".geojson", ".json", ".gpkg", ".shp", ".kml"):
        tables, problems = _read_vector(p)
        extra = [t for t in (expand_nested_inventory(t) for t in tables) if t is not None]
        return tables + extra, problems
    return [], [
        Problem(
            tr(
                f"unsupported file type {suffix!r} (use .csv, .xlsx, .xls, .geojson, .gpkg, .shp or .kml)",
                f"不支持的文件类型 {suffix!r}（请使用 .csv、.xlsx、.xls、.geojson、.gpkg、.shp 或 .kml）",
            ),
            file=str(p),
        )
    ]
