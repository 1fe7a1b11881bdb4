"""Read tabular inputs (CSV, XLSX, GeoJSON/GeoPackage) into plain header + rows tables.

Each table keeps the file, sheet/layer and the row numbers a person sees in the file, so that
validation messages can point at the exact cell.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from logistics.exceptions import Problem

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
            break
        except UnicodeDecodeError:
            continue
    if text is None:  # pragma: no cover - gb18030 decodes any byte string
        return [], [Problem("cannot decode the file as UTF-8 or GB18030", file=str(path))]
    rows = list(csv.reader(text.splitlines()))
    if not rows or not any(c.strip() for c in rows[0]):
        return [], [Problem("empty file: no header row", file=str(path))]
    header = [c.strip() for c in rows[0]]
    body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(c.strip() for c in r)]
    return [Table(str(path), None, header, body)], []


def _read_xlsx(path: Path) -> tuple[list[Table], list[Problem]]:
    from openpyxl import load_workbook  # heavy: loaded only on this path
    from openpyxl.utils import get_column_letter  # heavy: loaded only on this path

    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        return [], [Problem(f"cannot open as an XLSX workbook: {exc}", file=str(path))]
    tables: list[Table] = []
    problems: list[Problem] = []
    for ws in wb.worksheets:
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        if not values:
            continue
        # header = first row with at least two non-empty cells (title rows above are skipped)
        hdr_idx = next(
            (i for i, r in enumerate(values) if sum(1 for c in r if c not in (None, "")) >= 2), None
        )
        if hdr_idx is None:
            continue
        hdr_row = hdr_idx + 1
        merged = [str(rng) for rng in ws.merged_cells.ranges if rng.min_row <= hdr_row <= rng.max_row]
        if merged:
            problems.append(
                Problem(
                    "merged cells in the header: use one header row without merged cells",
                    file=str(path),
                    sheet=ws.title,
                    row=hdr_row,
                    value=", ".join(sorted(merged)),
                )
            )
            continue
        # merged data cells (e.g. a depot id merged down a block of lines) hold their value
        # in the top-left cell only: copy it into every cell of the range
        for rng in ws.merged_cells.ranges:
            if rng.min_row <= hdr_row:
                continue
            top = values[rng.min_row - 1][rng.min_col - 1]
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if r - 1 < len(values) and c - 1 < len(values[r - 1]):
                        values[r - 1][c - 1] = top
        header = ["" if c is None else str(c).strip() for c in values[hdr_idx]]
        while header and header[-1] == "":
            header.pop()
        body = []
        for i, r in enumerate(values[hdr_idx + 1 :], start=hdr_row + 1):
            cells = list(r[: len(header)]) + [None] * (len(header) - len(r))
            if any(c not in (None, "") and str(c).strip() != "" for c in cells):
                body.append((i, cells))
        letters = [get_column_letter(k + 1) for k in range(len(header))]
        tables.append(Table(str(path), ws.title, header, body, letters))
    return tables, problems


def _read_vector(path: Path) -> tuple[list[Table], list[Problem]]:
    import pyogrio  # heavy: loaded only on this path

    tables: list[Table] = []
    problems: list[Problem] = []
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL errors
        return [], [Problem(f"cannot open as a vector data set: {exc}", file=str(path))]
    for layer in layers:
        try:
            gdf = pyogrio.read_dataframe(path, layer=layer)
        except Exception as exc:
            problems.append(Problem(f"cannot read layer: {exc}", file=str(path), sheet=layer))
            continue
        is_geo = hasattr(gdf, "geometry") and "geometry" in gdf.columns
        crs = None
        geoms: list[tuple[float, float] | None] = []
        header = [c for c in gdf.columns if c != "geometry"]
        if is_geo:
            if gdf.crs is None:
                problems.append(Problem("layer has no CRS", file=str(path), sheet=layer))
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


def read_tables(path: str | Path) -> tuple[list[Table], list[Problem]]:
    """Read every table in a CSV, XLSX, GeoJSON or GeoPackage file.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    tuple[list[Table], list[Problem]]
        Tables found and problems met while reading (merged headers, missing CRS…).
    """
    p = Path(path)
    if not p.exists():
        return [], [Problem("file not found", file=str(p))]
    if p.stat().st_size == 0:
        return [], [Problem("empty file", file=str(p))]
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv(p)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(p)
    if suffix in (".geojson", ".json", ".gpkg", ".shp"):
        tables, problems = _read_vector(p)
        extra = [t for t in (expand_nested_inventory(t) for t in tables) if t is not None]
        return tables + extra, problems
    if suffix == ".xls":
        return [], [Problem("old .xls workbooks are not supported: save as .xlsx", file=str(p))]
    return [], [
        Problem(f"unsupported file type {suffix!r} (use .csv, .xlsx, .geojson or .gpkg)", file=str(p))
    ]
