"""Real-shaped input files load with the expected totals (issue 19).

tests/data/ledgers holds 台账 with title and 填报单位 lines, two-row merged headers, depot ids
merged down their lines and 合计 rows, the same as old .xls (made by LibreOffice), GBK and
GB18030 CSV, shelter lists with a title and a total row, closure areas as KML, GeoPackage in
Web Mercator and a GBK shapefile without .cpg, and a GBK road shapefile without .cpg.
``make_corpus.py`` there regenerates them.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import shapely

from logistics.exceptions import InputNote, say
from logistics.roads import network_from_file, polygon_from
from logistics.scenario import load_scenario
from logistics.stock import inventory_from_files
from tests.helpers import quake_with_demand_file

if TYPE_CHECKING:
    from collections.abc import Callable

CORPUS = Path(__file__).resolve().parent / "data" / "ledgers"
LEDGERS = sorted(p.name for p in CORPUS.glob("ledger_*") if p.suffix in (".xlsx", ".xls", ".csv"))
EXPECTED_LINES = {
    ("X1", "quilt"): 3000,
    ("X1", "folding_bed"): 500,
    ("X2", "blanket"): 50,
    ("X2", "cotton_coat"): 120,
}


def _with_notes(read: Callable[[], Any]) -> tuple[Any, list[str]]:
    """Run ``read``; return its result and the Chinese text of every InputNote it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = read()
    others = [w for w in caught if not issubclass(w.category, InputNote)]
    assert not others, [str(w.message) for w in others]
    return out, [say(w.message, "zh") for w in caught]


def test_corpus_has_at_least_15_files() -> None:
    data = [p for p in CORPUS.iterdir() if p.suffix in (".xlsx", ".xls", ".csv", ".kml", ".gpkg", ".shp")]
    assert len(data) >= 15, sorted(p.name for p in data)


@pytest.mark.parametrize("name", LEDGERS)
def test_ledger_loads_with_its_totals(name: str) -> None:
    inv, notes = _with_notes(lambda: inventory_from_files([CORPUS / "depots.csv", CORPUS / name]))
    # what was assumed or left out is said, naming the file (and the row of a 合计 line)
    has_total = "total" in name or "everything" in name
    assert any(name in n and "合计" in n and "第" in n for n in notes) == has_total, notes
    assert any(name in n and "GB18030" in n for n in notes) == ("gbk" in name), notes
    got = {(ln.depot_id, ln.item_id): ln.quantity for ln in inv.lines}
    assert got == EXPECTED_LINES, name  # the 合计 row is not stock
    assert sum(got.values()) == 3670


@pytest.mark.parametrize("name", ["shelters_title_total.xlsx", "shelters_gbk.csv"])
def test_shelter_list_loads(tmp_path, name: str) -> None:
    sc, notes = _with_notes(
        lambda: load_scenario(quake_with_demand_file(tmp_path, (CORPUS / name).as_posix()))
    )
    assert any(name in n for n in notes), notes  # the total row or the assumed encoding
    assert [p.name for p in sc.demand] == ["卢龙县体育场安置点", "卢龙一中安置点", "石门镇中心校安置点"]
    assert sum(p.relocated for p in sc.demand) == 3900


@pytest.mark.parametrize("name", ["area.kml", "area_webmercator.gpkg", "area_gbk.shp"])
def test_closure_area_loads(name: str) -> None:
    want = shapely.box(118.93, 40.04, 119.02, 40.09)
    got = polygon_from(str(CORPUS / name))
    assert got.symmetric_difference(want).area < 1e-8, name


def test_gbk_road_shapefile_without_cpg_keeps_its_names() -> None:
    net, notes = _with_notes(lambda: network_from_file(CORPUS / "roads_gbk.shp"))
    assert notes == [f"{CORPUS / 'roads_gbk.shp'}：缺少 .cpg 文件，属性（道路名称）已按 GB18030 编码读取"]
    assert {"卢龙路", "永平大街"} <= set(net.edges_frame()["name"])


def test_cli_says_what_it_assumed_and_skipped(tmp_path) -> None:
    """The notes reach the duty officer: printed as 警告 lines, in English with --lang en."""
    import shutil

    from tests.hostile.helpers import run_cli

    for f in ("depots.csv", "ledger_gbk_total.csv"):
        shutil.copy(CORPUS / f, tmp_path / f)
    code, out, err = run_cli("inventory", "validate", tmp_path)
    assert code == 0 and "校验通过" in out
    assert "警告：" in err and "ledger_gbk_total.csv" in err and "GB18030" in err and "合计" in err
    code, _out, err = run_cli("--lang", "en", "inventory", "validate", tmp_path)
    assert code == 0 and "warning: " in err and "total row(s) 6 skipped" in err
