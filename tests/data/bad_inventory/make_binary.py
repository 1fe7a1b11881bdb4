"""Regenerate the binary bad-inventory files (XLSX, GeoPackage). Run from this folder."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from openpyxl import Workbook
from shapely.geometry import Point

HERE = Path(__file__).resolve().parent


def xlsx_bad_cells() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "储备库"
    ws.append(["编号", "名称", "级别", "经度", "纬度"])
    ws.append(["D1", "一号库", "县", 119.16, 39.71])
    lines = wb.create_sheet("库存")
    lines.append(["库编号", "物资名称", "数量", "单位"])
    lines.append(["D1", "棉被", 100, "床"])
    lines.append(["D1", "帐篷", -20, "顶"])
    wb.save(HERE / "xlsx_negative_cell.xlsx")


def gpkg_no_crs() -> None:
    gdf = gpd.GeoDataFrame(
        {"id": ["D1"], "name": ["一号库"], "level": ["县"]}, geometry=[Point(119.16, 39.71)], crs=None
    )
    path = HERE / "no_crs.gpkg"
    path.unlink(missing_ok=True)
    gdf.to_file(path, layer="depots", driver="GPKG")


if __name__ == "__main__":
    xlsx_bad_cells()
    gpkg_no_crs()
