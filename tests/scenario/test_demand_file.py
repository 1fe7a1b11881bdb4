"""Demand points from a CSV or Excel file (``demand_file``), Chinese headers, errors with row and column (issue 19)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from logistics.exceptions import InputNote, ScenarioError
from logistics.scenario import load_scenario
from tests.helpers import quake_with_demand_file

HEAD = ["名称", "乡镇", "经度", "纬度", "区县", "转移安置人数", "需救助人数", "优先级"]
ROWS = [
    ["卢龙县体育场安置点", None, 118.884, 39.882, "卢龙县", 2500, None, 2],
    [None, "卢龙镇", None, None, None, 4000, 6000, 2],
    [None, "石门镇", None, None, None, 2500, None, None],
]


def _scenario(tmp_path, demand_file: str) -> str:
    return str(quake_with_demand_file(tmp_path, demand_file))


def _xlsx(path, rows) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["卢龙县地震安置点清单"])  # a title line above the header
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    wb.save(path)


def test_demand_points_from_an_excel_file(tmp_path) -> None:
    _xlsx(tmp_path / "安置点.xlsx", ROWS)
    sc = load_scenario(_scenario(tmp_path, "安置点.xlsx"))
    assert len(sc.demand) == 3
    shelter = sc.demand[0]
    assert shelter.name == "卢龙县体育场安置点" and shelter.relocated == 2500 and shelter.priority == 2
    assert abs(shelter.lon - 118.884) < 1e-9 and abs(shelter.lat - 39.882) < 1e-9
    assert sc.demand[1].name == "卢龙镇" and sc.demand[1].need_relief == 6000


def test_demand_points_from_a_gbk_csv(tmp_path) -> None:
    lines = [",".join(HEAD)] + [",".join("" if v is None else str(v) for v in r) for r in ROWS]
    (tmp_path / "安置点.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    with pytest.warns(InputNote, match="not UTF-8; read as GB18030"):
        sc = load_scenario(_scenario(tmp_path, "安置点.csv"))
    assert [p.name for p in sc.demand] == ["卢龙县体育场安置点", "卢龙镇", "石门镇"]


def test_bad_number_names_file_row_and_column(tmp_path) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][5] = "四千"
    _xlsx(tmp_path / "安置点.xlsx", rows)
    with pytest.raises(ScenarioError) as e:
        load_scenario(_scenario(tmp_path, "安置点.xlsx"))
    msg = str(e.value)
    assert "安置点.xlsx[Sheet], row 4, column '转移安置人数 (F)'" in msg and "四千" in msg


@pytest.mark.parametrize(
    "content", [None, b"\x00\x01 not a table", "名称,经度,纬度,转移安置人数\n安置点,118.9,三十九,100\n"]
)
def test_bad_demand_file_exit_2_names_the_file_and_writes_nothing(tmp_path, capsys, content) -> None:
    from logistics.cli.main import main

    f = tmp_path / "安置点.csv"
    if isinstance(content, bytes):
        f.write_bytes(content)
    elif content is not None:
        f.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", _scenario(tmp_path, "安置点.csv"), "--out", str(out), "--no-routing"]) == 2
    assert "安置点.csv" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp", ".kml"])
def test_demand_points_from_a_point_layer(tmp_path, suffix: str) -> None:
    """Shelters drawn in GIS (GeoJSON, GeoPackage, shapefile, KML): coordinates from the points (issue 19)."""
    import geopandas as gpd
    from shapely.geometry import Point

    gdf = gpd.GeoDataFrame(
        {"Name": ["卢龙县体育场安置点", "卢龙一中安置点"], "relocated": [2500, 900]},
        geometry=[Point(118.884, 39.882), Point(118.871, 39.889)],
        crs="EPSG:4326",
    )
    if suffix == ".gpkg":  # a GeoPackage in Web Mercator: converted to WGS-84
        gdf = gdf.to_crs(3857)
    path = tmp_path / f"安置点{suffix}"
    if suffix == ".kml":  # as Google Earth / 奥维 save them: the name is the placemark's
        gdf[["Name", "geometry"]].to_file(path, driver="KML")
    else:
        gdf.to_file(path, encoding="utf-8")
    if suffix == ".kml":  # KML has no number fields: the persons come from a second file
        sc = load_scenario(_scenario(tmp_path, path.name))
        assert [p.name for p in sc.demand] == ["卢龙县体育场安置点", "卢龙一中安置点"]
    else:
        sc = load_scenario(_scenario(tmp_path, path.name))
        assert [(p.name, p.relocated) for p in sc.demand] == [
            ("卢龙县体育场安置点", 2500),
            ("卢龙一中安置点", 900),
        ]
    assert [(round(p.lon, 6), round(p.lat, 6)) for p in sc.demand] == [(118.884, 39.882), (118.871, 39.889)]
