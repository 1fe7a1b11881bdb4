"""Regenerate the real-shaped input corpus (issue 19). Run from this folder; needs LibreOffice for .xls.

Every file is shaped like what a duty office keeps: title and 填报单位 lines above the header,
two-row headers with merged group cells, depot ids merged down their lines, 合计 rows, GBK
text, old .xls, shapefiles without .cpg, KML areas. EXPECTED.csv holds what each must give.
The depots file (depots.csv) is shared by the inventory ledgers.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

import geopandas as gpd
from openpyxl import Workbook
from shapely.geometry import LineString, box

HERE = Path(__file__).resolve().parent
LINES = [("X1", "一号库", "棉被", 3000, "床"), ("X1", "一号库", "折叠床", 500, "张"), ("X2", "二号库", "毛毯", 50, "条"),
         ("X2", "二号库", "棉大衣", 120, "件")]  # fmt: skip
SHELTERS = [("卢龙县体育场安置点", 118.884, 39.882, 2500), ("卢龙一中安置点", 118.87, 39.89, 800),
            ("石门镇中心校安置点", 119.02, 40.08, 600)]  # fmt: skip
AREA = box(118.93, 40.04, 119.02, 40.09)


def depots() -> None:
    with open(HERE / "depots.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "名称", "级别", "经度", "纬度"])
        w.writerows([["X1", "一号库", "县", 119.16, 39.71], ["X2", "二号库", "乡镇", 119.20, 39.75]])


def _book(title_lines: bool, two_rows: bool, total: bool, merge_ids: bool) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "储备物资台账"
    if title_lines:
        ws.append(["某县救灾物资储备台账"])
        ws.merge_cells("A1:F1")
        ws.append(["填报单位：某县应急管理局", None, None, None, "单位：件", "2026-11-30"])
    if two_rows:
        top = ws.max_row + 1 if title_lines else 1  # an empty sheet reports max_row 1
        ws.append(["序号", "储备库", None, "物资", None, None])
        ws.append([None, "编号", "名称", "名称", "数量", "单位"])
        ws.merge_cells(f"B{top}:C{top}")
        ws.merge_cells(f"D{top}:F{top}")
        ws.merge_cells(f"A{top}:A{top + 1}")
    else:
        ws.append(["序号", "储备库编号", "储备库名称", "物资名称", "数量", "单位"])
    first = ws.max_row + 1
    for i, (d, n, item, q, u) in enumerate(LINES, start=1):
        same = merge_ids and i > 1 and LINES[i - 2][0] == d
        ws.append([i, None if same else d, None if same else n, item, q, u])
    if merge_ids:
        ws.merge_cells(f"B{first}:B{first + 1}")
        ws.merge_cells(f"C{first}:C{first + 1}")
        ws.merge_cells(f"B{first + 2}:B{first + 3}")
        ws.merge_cells(f"C{first + 2}:C{first + 3}")
    if total:
        ws.append(["合计", None, None, None, sum(q for *_x, q, _u in LINES), None])
    return wb


def ledgers() -> None:
    variants = {
        "ledger_plain.xlsx": (False, False, False, False),
        "ledger_title_lines.xlsx": (True, False, False, False),
        "ledger_two_row_header.xlsx": (False, True, False, False),
        "ledger_total_row.xlsx": (False, False, True, False),
        "ledger_merged_ids.xlsx": (False, False, False, True),
        "ledger_everything.xlsx": (True, True, True, True),
    }
    for name, flags in variants.items():
        _book(*flags).save(HERE / name)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SystemExit("LibreOffice is needed to make the .xls files")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("ledger_everything.xlsx", "ledger_plain.xlsx"):
            subprocess.run([office, f"-env:UserInstallation=file://{tmp}/p", "--headless", "--convert-to", "xls",
                            "--outdir", tmp, str(HERE / name)], check=True, capture_output=True)  # fmt: skip
            shutil.copy(Path(tmp) / name.replace(".xlsx", ".xls"), HERE / name.replace(".xlsx", "_old.xls"))
    rows = ["库编号,物资名称,数量,单位"] + [f"{d},{item},{q},{u}" for d, _n, item, q, u in LINES]
    (HERE / "ledger_gbk.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    rows.append("合计,,3670,")
    (HERE / "ledger_gbk_total.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("gb18030"))


def points() -> None:
    head = ["名称", "经度", "纬度", "转移安置人数"]
    wb = Workbook()
    ws = wb.active
    ws.append(["安置点清单（示意）"])
    ws.append(head)
    for r in SHELTERS:
        ws.append(list(r))
    ws.append(["合计", None, None, sum(r[3] for r in SHELTERS)])
    wb.save(HERE / "shelters_title_total.xlsx")
    lines = [",".join(head)] + [",".join(str(v) for v in r) for r in SHELTERS]
    (HERE / "shelters_gbk.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def areas() -> None:
    gdf = gpd.GeoDataFrame({"名称": ["卢龙北部塌方区"]}, geometry=[AREA], crs=4326)
    gdf.to_file(HERE / "area.kml", driver="KML")
    gdf.to_crs(3857).to_file(HERE / "area_webmercator.gpkg", driver="GPKG")
    gdf.to_file(HERE / "area_gbk.shp", encoding="gbk")
    (HERE / "area_gbk.cpg").unlink()
    roads = gpd.GeoDataFrame(
        {"fclass": ["primary", "primary"], "oneway": ["B", "B"], "maxspeed": [0, 60], "name": ["卢龙路", "永平大街"]},
        geometry=[LineString([(118.86, 39.88), (118.88, 39.88)]), LineString([(118.88, 39.88), (118.88, 39.90)])],
        crs=4326,
    )  # fmt: skip
    roads.to_file(HERE / "roads_gbk.shp", encoding="gbk")
    (HERE / "roads_gbk.cpg").unlink()


if __name__ == "__main__":
    depots()
    ledgers()
    points()
    areas()
