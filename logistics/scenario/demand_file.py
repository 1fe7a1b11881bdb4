"""Demand points from a CSV or Excel file (``demand_file`` in a scenario), as bureaus keep them.

A scenario may list its demand points in a table instead of (or besides) ``[[demand]]`` blocks:
``demand_file = "安置点.xlsx"`` (or a list of files), one row per point, with the same fields as
a ``[[demand]]`` block under English or Chinese headers (``名称``, ``经度``, ``转移安置人数`` …).
Each row becomes a ``[[demand]]`` table; a number that cannot be read is reported with the
file, sheet, row and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from logistics.common import normalise_header, read_tables
from logistics.exceptions import Problem, ScenarioError, tr

__all__ = ["DEMAND_HEADERS", "demand_rows", "with_demand_file"]

#: ``[[demand]]`` field -> accepted headers of a demand file
DEMAND_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "安置点编号", "点位编号"),
    "name": ("name", "名称", "安置点名称", "点位名称", "地点名称"),
    "place": ("place", "乡镇", "乡镇（街道）", "所在乡镇", "地名"),
    "lon": ("lon", "lng", "longitude", "经度"),
    "lat": ("lat", "latitude", "纬度"),
    "crs": ("crs", "坐标系"),
    "county": ("county", "区县", "所属区县", "县区"),
    "relocated": ("relocated", "转移安置人数", "紧急转移安置人数", "安置人数"),
    "need_relief": ("need_relief", "需救助人数", "需紧急生活救助人数", "救助人数"),
    "persons": ("persons", "人数", "受灾人数"),
    "priority": ("priority", "优先级"),
    "deadline_h": ("deadline_h", "时限(小时)", "时限（小时）", "送达时限(小时)"),
    "receive_from_h": ("receive_from_h", "开始接收(小时)", "开始接收（小时）"),
    "unload_h": ("unload_h", "卸货时间(小时)", "卸货时间（小时）"),
    "note": ("note", "备注", "说明"),
}
_NUMBERS = ("lon", "lat", "relocated", "need_relief", "persons", "priority", "deadline_h", "receive_from_h",
            "unload_h")  # fmt: skip
_IGNORED = {normalise_header(h) for h in ("序号", "联系人", "联系电话", "地址", "容量", "可容纳人数")}
#: the fields every KML placemark has (GDAL's KML and LIBKML drivers), not demand data
_IGNORED |= {normalise_header(h) for h in ("description", "timestamp", "begin", "end", "altitudeMode", "tessellate",
                                           "extrude", "visibility", "drawOrder", "icon", "snippet")}  # fmt: skip


def demand_rows(value: Any, base: Path, origin: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """Read the demand file(s) named by ``value``; return one ``[[demand]]`` table per row.

    Parameters
    ----------
    value
        A path or a list of paths (relative to ``base``).
    base
        The scenario's folder.
    origin
        The scenario file, for messages about ``demand_file`` itself.
    problems
        Problems are appended here (file, sheet, row, column, value).
    """
    paths = [value] if isinstance(value, str) else value
    if not isinstance(paths, list) or not all(isinstance(x, str) for x in paths):
        problems.append(Problem(tr("must be a file name or a list of them", "必须为文件名或文件名列表"), file=origin,
                                column="demand_file"))  # fmt: skip
        return []
    lookup = {normalise_header(a): f for f, aliases in DEMAND_HEADERS.items() for a in aliases}
    known = [a for aliases in DEMAND_HEADERS.values() for a in aliases]
    out: list[dict[str, Any]] = []
    for name in paths:
        p = Path(name) if Path(name).is_absolute() else base / name
        tables, probs = read_tables(p, known=known)
        problems.extend(probs)
        for t in tables:
            cols = {i: lookup.get(normalise_header(h)) for i, h in enumerate(t.header)}
            for i, h in enumerate(t.header):
                if cols[i] is None and h and normalise_header(h) not in _IGNORED:
                    problems.append(Problem(tr("unknown column (see docs/scenarios.md, demand files)",
                                               "未知列（见 docs/scenarios.md 中的需求点文件一节）"), file=str(p),
                                            sheet=t.sheet, column=t.column_label(i), value=h))  # fmt: skip
            points = t.geometry if len(t.geometry) == len(t.rows) else [None] * len(t.rows)
            for (row, vals), point in zip(t.rows, points, strict=True):
                rec: dict[str, Any] = {}
                for i, v in enumerate(vals):
                    field = cols.get(i)
                    if field is None or v is None or str(v).strip() == "":
                        continue
                    if field in _NUMBERS:
                        try:
                            rec[field] = float(str(v).replace(",", "").strip())
                        except ValueError:
                            problems.append(Problem(tr("expected a number", "应为数字"), file=str(p), sheet=t.sheet, row=row,
                                                    column=t.column_label(i), value=str(v)[:60]))  # fmt: skip
                            continue
                    else:
                        rec[field] = str(v).strip()
                if rec and point is not None and "lon" not in rec and "lat" not in rec:
                    rec["lon"], rec["lat"] = (
                        float(point[0]),
                        float(point[1]),
                    )  # a point layer (WGS-84 already)
                if rec:
                    out.append(rec)
    return out


def with_demand_file(data: dict[str, Any], base: Path, origin: str) -> dict[str, Any]:
    """Return the scenario data with the rows of its ``demand_file`` appended to ``demand``.

    Raises
    ------
    ScenarioError
        With every problem of the file(s): file, sheet, row, column and value.
    """
    if "demand_file" not in data:
        return data
    problems: list[Problem] = []
    rows = demand_rows(data["demand_file"], base, origin, problems)
    if problems:
        raise ScenarioError(problems)
    out = {k: v for k, v in data.items() if k != "demand_file"}
    out["demand"] = [*out.get("demand", []), *rows] if isinstance(out.get("demand", []), list) else rows
    return out
