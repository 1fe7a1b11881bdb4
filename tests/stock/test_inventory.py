"""Reading inventories: demo region, county example, every accepted layout and format."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import subprocess
import sys

import pytest
from openpyxl import Workbook, load_workbook

from logistics.exceptions import InputNote
from logistics.region import demo_region, inventory_from_file, load_region
from logistics.stock import ReserveType, inventory_from_files, inventory_text, item_summary, write_inventory
from tests.helpers import ROOT, shared_path


@pytest.fixture(scope="module")
def demo():
    """Inventory of the embedded demo region."""
    return demo_region().inventory()


def test_demo_region_shape(demo) -> None:
    physical = [d for d in demo.depots if d.reserve_type is ReserveType.PHYSICAL]
    assert len(physical) == 19
    levels = {d.level for d in physical}
    assert levels == {"市", "县", "乡镇"}
    counties = {d.county for d in physical if d.level == "县"}
    assert counties == {"昌黎县", "卢龙县", "青龙满族自治县", "海港区", "抚宁区", "北戴河区", "山海关区"}
    municipal = [
        ln
        for ln in demo.lines
        if demo.depot(ln.depot_id).level == "市"
        and demo.depot(ln.depot_id).reserve_type is ReserveType.PHYSICAL
    ]
    assert len({ln.item_id for ln in municipal}) == 18
    assert 25_000 <= sum(ln.pieces or 0 for ln in municipal) <= 28_000  # about 2.6万件
    total = sum(t.pieces or 0 for t in demo.totals_by_item())
    assert 130_000 <= total <= 170_000  # about 15万件
    assert any(ln.capacity is not None for ln in demo.lines)
    assert any(ln.approx for ln in demo.lines)
    assert {d.reserve_type for d in demo.depots} == set(ReserveType)
    assert demo.illustrative and "示意" in demo.illustrative_note


def test_demo_county_depots_at_real_seats(demo) -> None:
    seats = {}
    with shared_path("data", "admin", "hebei_county_seats.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            seats[r["adcode"]] = (float(r["lon_wgs84"]), float(r["lat_wgs84"]))
    county = [d for d in demo.depots if d.level == "县" and d.reserve_type is ReserveType.PHYSICAL]
    assert {d.crs_in for d in county} == {"WGS84", "GCJ02"}  # some rows are given in GCJ-02
    for d in county:
        lon, lat = seats[d.adcode]
        assert d.lon == pytest.approx(lon, abs=2e-6) and d.lat == pytest.approx(lat, abs=2e-6), d.id


def test_capacity_statement_becomes_item_quantities() -> None:
    inv = inventory_from_file(ROOT / "data" / "depots" / "wenshang")
    kit = {ln.item_id: ln.quantity for ln in inv.lines if ln.depot_id == "WS-01" and ln.capacity}
    # 5,000 persons for 15 days: durables for 5,000 persons, consumables for 75,000 person-days
    assert kit["quilt"] == 5000
    assert kit["tent_12m2_single"] == 1924  # ceil(5000 / 2.6) households
    assert kit["tent_toilet"] == 100
    assert kit["drinking_water"] == 225_000
    assert kit["staple_food"] == 37_500
    summary = item_summary(inv).set_index("item_id")
    assert summary.loc["drinking_water", "covers_person_days"] == pytest.approx(75_000)
    assert summary.loc["quilt", "covers_persons"] == pytest.approx(6000)  # 5000 kit + 1000 at WS-02
    with_days = item_summary(inv, persons=5000).set_index("item_id")
    assert with_days.loc["staple_food", "days_for_persons"] == pytest.approx(15)


def test_expired_lines_left_out_on_date(demo) -> None:
    all_water = sum(t.quantity for t in demo.totals_by_item() if t.item_id == "drinking_water")
    later = sum(
        t.quantity for t in demo.totals_by_item(on=dt.date(2027, 12, 1)) if t.item_id == "drinking_water"
    )
    assert later < all_water


def _write_rows(path, header, rows, encoding="utf-8") -> None:
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def test_flat_csv_in_gbk_with_chinese_headers(tmp_path) -> None:
    p = tmp_path / "flat.csv"
    header = [
        "储备库编号",
        "储备库名称",
        "级别",
        "经度",
        "纬度",
        "坐标系",
        "物资名称",
        "数量",
        "单位",
        "生产日期",
        "单价(元)",
    ]
    rows = [
        ["A", "甲库", "县级", 119.160, 39.710, "高德", "棉被", "1,200", "床", "2025/06/01", "120"],
        ["A", "甲库", "县级", 119.160, 39.710, "高德", "矿泉水", "2.5吨", "", "2026年3月1日", ""],
        ["B", "乙点", "乡镇", 119.300, 39.800, "BD-09", "帐篷", "约二百顶", "", "", ""],
    ]
    _write_rows(p, header, rows, encoding="gb18030")
    with pytest.warns(InputNote, match="not UTF-8; read as GB18030"):
        inv = inventory_from_file(p)
    assert [d.id for d in inv.depots] == ["A", "B"]
    assert inv.depot("A").crs_in == "GCJ02" and inv.depot("B").crs_in == "BD09"
    assert inv.depot("A").lon < 119.160  # converted westwards
    water = next(ln for ln in inv.lines if ln.item_id == "drinking_water")
    assert water.quantity == 2500 and water.pieces is None
    assert water.expiry_date == dt.date(2027, 3, 1) and water.expiry_derived
    tent = next(ln for ln in inv.lines if ln.item_id == "tent_12m2_single")
    assert tent.quantity == 200 and tent.approx and tent.approx_marker == "约"


def test_depots_and_lines_in_separate_files(tmp_path) -> None:
    _write_rows(
        tmp_path / "depots.csv",
        ["id", "name", "level", "lon", "lat", "reserve_type", "lead_time_h"],
        [["K", "协议超市", "市", 119.6, 39.93, "协议储备", 6], ["D", "库", "县", 119.2, 39.9, "", ""]],
    )
    _write_rows(
        tmp_path / "lines.csv",
        ["depot_id", "item", "quantity", "batch", "expiry_date"],
        [["K", "饮用水", "100箱", "b1", "2027-01-01"], ["D", "棉被", "一万零五百床", "", ""]],
    )
    inv = inventory_from_files([tmp_path / "depots.csv", tmp_path / "lines.csv"])
    assert inv.depot("K").reserve_type is ReserveType.CONTRACT and inv.depot("K").ready_h == 6
    assert inv.lines[0].quantity == pytest.approx(1320)  # 100 cases of 24 x 550 mL
    assert inv.lines[1].quantity == 10500
    # the folder form reads every file in it
    assert len(inventory_from_file(tmp_path).lines) == 2


def test_xlsx_per_depot_sheets_title_rows_and_merged_cells(tmp_path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "库点"
    ws.append(["秦皇岛市某县储备库一览"])
    ws.merge_cells("A1:E1")
    ws.append(["编号", "名称", "级别", "经度", "纬度"])
    ws.append(["X1", "一号库", "县", 119.16, 39.71])
    ws.append(["X2", "二号库", "乡镇", 119.20, 39.75])
    s1 = wb.create_sheet("X1")  # per-depot sheet named by id: no depot column
    s1.append(["物资", "数量"])
    s1.append(["棉被", "3000床"])
    s1.append(["折叠床", 500])
    s2 = wb.create_sheet("库存")
    s2.append(["库编号", "物资", "数量"])
    s2.append(["X2", "棉被", "100床"])
    s2.append([None, "毛毯", "50条"])
    s2.merge_cells("A2:A3")  # depot id merged down two lines
    wb.create_sheet("说明").append(["本表仅供测试"])
    p = tmp_path / "book.xlsx"
    wb.save(p)
    inv = inventory_from_file(p)
    by = {(ln.depot_id, ln.item_id): ln for ln in inv.lines}
    assert by[("X1", "quilt")].quantity == 3000
    assert by[("X1", "folding_bed")].quantity == 500
    assert by[("X2", "blanket")].quantity == 50
    assert by[("X2", "blanket")].source.sheet == "库存" and by[("X2", "blanket")].source.row == 3


def test_geojson_with_nested_inventory(tmp_path) -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [119.5, 39.9]},
                "properties": {
                    "id": "G1",
                    "name": "地理库",
                    "level": "市",
                    "inventory": [
                        {"item": "棉被", "quantity": "2千床"},
                        {"item": "饮用水", "quantity": "满足1000人3天"},
                    ],
                },
            },
        ],
    }
    p = tmp_path / "depots.geojson"
    p.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    inv = inventory_from_file(p)
    assert inv.depot("G1").lon == pytest.approx(119.5)
    assert {ln.item_id: ln.quantity for ln in inv.lines} == {"quilt": 2000, "drinking_water": 9000}


def test_geopackage_with_lines_layer(tmp_path) -> None:
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    from shapely.geometry import Point

    p = tmp_path / "net.gpkg"
    gpd.GeoDataFrame(
        {"id": ["P1"], "name": ["包库"], "level": ["县"]}, geometry=[Point(119.2, 39.9)], crs="EPSG:4326"
    ).to_file(p, layer="depots")
    pyogrio.write_dataframe(
        pd.DataFrame({"depot_id": ["P1"], "item": ["折叠床"], "quantity": ["300张"]}), p, layer="inventory"
    )
    inv = inventory_from_file(p)
    assert inv.lines[0].item_id == "folding_bed" and inv.lines[0].quantity == 300


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".geojson", ".gpkg"])
def test_write_outputs(demo, tmp_path, suffix) -> None:
    out = write_inventory(demo, tmp_path / f"out{suffix}")
    assert out.exists() and out.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    if suffix == ".xlsx":
        wb = load_workbook(out, read_only=True)
        assert {"按物资", "按库点", "库点×物资", "明细", "示意数据说明"} <= set(wb.sheetnames)
    if suffix in (".geojson", ".gpkg"):
        import geopandas as gpd

        gdf = gpd.read_file(out)
        assert len(gdf) == len(demo.depots) and gdf.crs.to_epsg() == 4326
    if suffix == ".geojson":  # the layer name, not the temporary file's stem: two writes are identical
        assert json.loads(out.read_text(encoding="utf-8"))["name"] == "depots"
        (tmp_path / "again").mkdir()
        again = write_inventory(demo, tmp_path / "again" / f"out{suffix}")
        assert again.read_bytes() == out.read_bytes()


def test_cli_show_demo_region() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "logistics", "inventory", "show"], capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stderr
    assert "【示意数据】" in r.stdout and "合计" in r.stdout and "人·天" in r.stdout
    r = subprocess.run(
        [sys.executable, "-m", "logistics", "--lang", "en", "inventory", "show", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    data = json.loads(r.stdout)
    assert data["illustrative"] and len(data["items"]) == 18


def test_show_and_check_give_the_same_persons_covered(demo, tmp_path) -> None:
    """What the stock covers is rounded down in both commands (7,243 tents × 2.6 = 18,831.8: 18,831)."""
    from logistics.region import load_rules
    from logistics.sufficiency import SufficiencyParams, check_quantity

    text = inventory_text(demo)
    rows = {line.split()[0].rstrip("*"): line for line in text.splitlines() if "人" in line}
    report = check_quantity(demo, load_rules(ROOT / "data" / "depots" / "qinhuangdao" / "response_levels.toml"),
                            SufficiencyParams(date=dt.date(2026, 11, 23)))  # fmt: skip
    compared = 0
    for item in report.levels["II"].items:
        line = rows.get(item.name)
        if line is not None and not item.consumable and item.usable == demo_total(demo, item.item_id):
            assert f" {math.floor(item.covers):,}人 " in line, (item.name, line)
            compared += 1
    assert compared >= 5
    assert " 18,831人 " in rows["12㎡单帐篷"]
    book = write_inventory(demo, tmp_path / "stock.xlsx")
    sheet = load_workbook(book).worksheets[0]
    head = [c.value for c in sheet[1]]
    tent = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "12㎡单帐篷")
    assert tent[head.index("可保障人数")] == 18831


def demo_total(inv, item_id: str) -> float:
    """Units of an item held in the inventory, all lines."""
    return float(sum(line.quantity for line in inv.lines if line.item_id == item_id))


def test_installed_console_script() -> None:
    """The README's main command: the ``logistics`` entry point is installed and runs."""
    import shutil
    from pathlib import Path

    exe = str(Path(sys.executable).with_name("logistics"))
    if not Path(exe).exists():
        exe = shutil.which("logistics") or exe
    r = subprocess.run([exe, "inventory", "validate"], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert "校验通过" in r.stdout


def test_region_file_errors(tmp_path) -> None:
    from logistics.exceptions import RegionError

    (tmp_path / "region.toml").write_text(
        'nme = "x"\n[inventory]\nfiles = ["missing.csv"]\n', encoding="utf-8"
    )
    with pytest.raises(RegionError) as exc:
        load_region(tmp_path)
    msg = str(exc.value)
    assert "unknown field" in msg and "nme" in msg and "missing.csv" in msg and "name" in msg


def test_inventory_xlsx_is_for_people(tmp_path) -> None:
    """inventory show --out x.xlsx: Chinese headers, rounded numbers, and --persons kept (issue 19)."""
    out = tmp_path / "库存.xlsx"
    r = subprocess.run(
        [sys.executable, "-m", "logistics", "inventory", "show", "--persons", "5000", "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out, read_only=True)
    rows = list(wb["按物资"].iter_rows(values_only=True))
    head = list(rows[0])
    assert {"物资", "数量", "重量（千克）", "可保障天数"} <= set(head)
    assert not any(h.isascii() for h in head if isinstance(h, str)), head  # no English header left
    days = [row[head.index("可保障天数")] for row in rows[1:]]
    assert any(isinstance(d, (int, float)) and d > 0 for d in days)  # --persons reached the file
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, float):
                    assert abs(v * 1000 - round(v * 1000)) < 1e-6, (ws.title, v)
    lines = next(iter(wb["明细"].iter_rows(values_only=True)))
    assert "库点编号" in lines and "depot_id" not in lines


def _ledger(path) -> None:
    """A 台账 as a bureau keeps it: a title, a 填报单位 line, a two-row header with merged group
    cells, a depot id merged down its lines, and a 合计 row at the bottom."""
    wb = Workbook()
    ws = wb.active
    ws.title = "储备物资台账"
    ws.append(["秦皇岛市救灾物资储备台账"])
    ws.merge_cells("A1:F1")
    ws.append(["填报单位：某县应急管理局", None, None, None, "单位：件", "填报日期：2026-11-30"])
    ws.append(["序号", "储备库", None, "物资", None, None])
    ws.append([None, "编号", "名称", "名称", "数量", "单位"])
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:F3")
    ws.merge_cells("A3:A4")
    ws.append([1, "X1", "一号库", "棉被", 3000, "床"])
    ws.append([2, None, None, "折叠床", 500, "张"])
    ws.merge_cells("B5:B6")
    ws.merge_cells("C5:C6")
    ws.append([3, "X2", "二号库", "毛毯", 50, "条"])
    ws.append(["合计", None, None, None, 3550, None])
    depots = wb.create_sheet("库点")
    depots.append(["编号", "名称", "级别", "经度", "纬度"])
    depots.append(["X1", "一号库", "县", 119.16, 39.71])
    depots.append(["X2", "二号库", "乡镇", 119.20, 39.75])
    wb.save(path)


def _check_ledger(inv) -> None:
    by = {(ln.depot_id, ln.item_id): ln.quantity for ln in inv.lines}
    assert by == {("X1", "quilt"): 3000, ("X1", "folding_bed"): 500, ("X2", "blanket"): 50}


def test_ledger_with_titles_two_row_header_and_total_row(tmp_path) -> None:
    """Issue 19: the common 台账 layout is read, the 合计 row is not stock."""
    p = tmp_path / "台账.xlsx"
    _ledger(p)
    with pytest.warns(InputNote, match=r"total row\(s\) \d+ skipped"):
        _check_ledger(inventory_from_file(p))


def test_old_xls_ledger_made_by_libreoffice(tmp_path) -> None:
    """The same 台账 saved as Excel 97-2003 .xls (by LibreOffice, as an office would) reads the same."""
    import shutil

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice not installed; deploy/test-system-deps.sh installs it")
    src = tmp_path / "台账.xlsx"
    _ledger(src)
    r = subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "xls",
         "--outdir", str(tmp_path / "xls"), str(src)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    xls = tmp_path / "xls" / "台账.xls"
    assert xls.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE2 (BIFF) workbook
    with pytest.warns(InputNote, match=r"total row\(s\) \d+ skipped"):
        _check_ledger(inventory_from_file(xls))


def test_two_level_header_with_grouped_coordinates(tmp_path) -> None:
    """位置 spanning 经度/纬度 above them, 编号 merged down both header rows (once refused)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "库存"
    ws.append(["编号", "名称", "级别", "位置", None, "物资", "数量"])
    ws.append([None, None, None, "经度", "纬度", None, None])
    ws.merge_cells("D1:E1")
    ws.merge_cells("A1:A2")
    ws.append(["D1", "一号库", "县", 119.16, 39.71, "棉被", "100床"])
    p = tmp_path / "two_level.xlsx"
    wb.save(p)
    inv = inventory_from_file(p)
    assert [(d.id, d.lon, d.lat) for d in inv.depots] == [("D1", 119.16, 39.71)]
    assert [(ln.depot_id, ln.item_id, ln.quantity) for ln in inv.lines] == [("D1", "quilt", 100)]
