"""The one-map HTML page in real headless Chromium, offline (issue 20).

Each page is opened with every network request aborted and recorded; the tests assert that
nothing was requested, that no console error or page exception occurred, that each layer draws
as many features as the run's files (or the region) hold, that switching a layer off removes its
features, that a depot's popup shows its Chinese name and stock, and that the screenshot is not
blank.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pyogrio
import pytest

from logistics.cli import main
from logistics.outputs import write_run_outputs
from logistics.plan import RunParams, run_scenario
from logistics.region import demo_region
from logistics.scenario import load_scenario
from tests.helpers import ROOT, shared_path
from tests.hostile.helpers import assert_located, run_cli
from tests.map.browser import chromium_path, open_page

if TYPE_CHECKING:
    from pathlib import Path

SCENARIOS = ["earthquake_lulong", "flood_luanhe", "typhoon_surge"]
DATE = "2026-12-02"


def _blank(png: bytes) -> bool:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB").resize((140, 90))
    return len(set(img.getdata())) < 20


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for name in SCENARIOS:
        res = run_scenario(
            load_scenario(ROOT / "scenarios" / f"{name}.toml"), RunParams(routing_iterations=20)
        )
        folder = tmp_path_factory.mktemp(name)
        write_run_outputs(res, folder)
        out[name] = folder
    return out


def test_stock_map_offline_layers_popup_toggle_search(tmp_path: Path) -> None:
    chromium_path()
    html = tmp_path / "一张图.html"
    admin = shared_path("data", "admin", "qinhuangdao_districts_wgs84.geojson")
    code, _out, err = run_cli("map", "--out", html, "--date", DATE, "--no-time", "--admin", admin)
    assert code == 0, err
    assert html.stat().st_size < 3_000_000
    region = demo_region()
    inv = region.inventory()
    with open_page(html) as v:
        assert v.requests == [] and v.failed == [] and v.errors == []
        assert v.count("depots") == len(inv.depots)
        assert v.count("places") == len(region.places())
        assert v.count("counties") == 7  # the seven districts and counties of 秦皇岛市
        assert not _blank(v.page.screenshot())
        # a depot's popup: its Chinese name and what it holds
        depot = inv.depots[0]
        v.page.locator("path.lg-depots").first.dispatch_event("click")
        popup = v.page.locator(".leaflet-popup-content").inner_text()
        assert depot.name in popup and "12㎡单帐篷" in popup and "顶" in popup
        # switching the depot layer off removes its features; on again brings them back
        box = v.page.locator(".leaflet-control-layers-overlays label", has_text="储备库（点）").locator(
            "input"
        )
        box.click()
        assert v.count("depots") == 0 and v.count("places") == len(region.places())
        box.click()
        assert v.count("depots") == len(inv.depots)
        # search by place name opens that place's popup
        v.page.fill("#lg-search", "石门寨镇")
        v.page.press("#lg-search", "Enter")
        assert "石门寨镇" in v.page.locator(".leaflet-popup-content").inner_text()
        assert v.errors == [] and v.requests == []
        # printing: one A3 landscape page (297 × 420 mm) with the title and legend, no controls
        pdf = v.page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(boxes) == 1 and abs(float(boxes[0][0]) - 1190.55) < 2 and abs(float(boxes[0][1]) - 841.89) < 2
    if shutil.which("pdftotext"):
        (tmp_path / "print.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(tmp_path / "print.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        assert "秦皇岛市应急物资储备一张图" in text and "图例" in text and "打印" not in text


@pytest.mark.parametrize("name", SCENARIOS)
def test_run_map_draws_the_runs_files(name: str, runs: dict[str, Path], tmp_path: Path) -> None:
    chromium_path()
    run_dir = runs[name]
    html = tmp_path / "map.html"
    code, out, err = run_cli("map", run_dir, "--out", html)
    assert code == 0, err
    assert "已写出一张图" in out
    gpkg = run_dir / "logistics.gpkg"
    legs = pyogrio.read_dataframe(gpkg, layer="车辆路线")
    legs = legs[~legs.geometry.is_empty]
    points = pyogrio.read_dataframe(gpkg, layer="需求点")
    depots = pyogrio.read_dataframe(gpkg, layer="储备库")
    closures = pyogrio.read_dataframe(gpkg, layer="道路封闭与限速")
    assert html.stat().st_size < 3_000_000
    with open_page(html) as v:
        assert v.requests == [] and v.failed == [] and v.errors == []
        assert v.count("routes") == len(legs)
        assert v.count("points") == len(points)
        assert v.count("depots") == len(depots)
        assert v.count("closures") == len(closures)  # a multi-line closure is one path
        assert v.count("trucks") == legs["车辆编号"].nunique()
        assert not _blank(v.page.screenshot())
        # a demand point's popup carries the run's own met share
        first = points.iloc[0]
        v.page.locator("path.lg-points").first.dispatch_event("click")
        popup = v.page.locator(".leaflet-popup-content").inner_text()
        assert first["名称"] in popup and f"{100 * first['满足率']:.1f}%" in popup
        # the time slider moves the trucks: at a leg's mid-time its truck is off its start point
        leg = legs.iloc[0]
        mid = (leg["出发（小时）"] + leg["到达（小时）"]) / 2
        before = v.page.evaluate("JSON.stringify(logisticsMap.trucks.getLayers().map(m => m.getLatLng()))")
        v.page.evaluate(f"logisticsMap.setHour({mid})")
        after = v.page.evaluate("JSON.stringify(logisticsMap.trucks.getLayers().map(m => m.getLatLng()))")
        assert before != after
        # toggling the routes layer off hides every leg
        v.page.locator(".leaflet-control-layers-overlays label", has_text="车辆路线").locator("input").click()
        assert v.count("routes") == 0
        assert v.errors == [] and v.requests == []


def test_map_files_name_the_run_and_the_region(runs: dict[str, Path]) -> None:
    summary = json.loads((runs["earthquake_lulong"] / "summary.json").read_text(encoding="utf-8"))
    assert summary["region"] == {"name": "秦皇岛市", "adcode": "130300"}


def test_bad_inputs_get_located_errors(runs: dict[str, Path], tmp_path: Path) -> None:
    html = tmp_path / "m.html"
    missing = tmp_path / "没有这个目录"
    assert_located(run_cli("map", missing, "--out", html), str(missing), "找不到情景运行输出目录")
    not_a_run = tmp_path / "空目录"
    not_a_run.mkdir()
    assert_located(run_cli("map", not_a_run, "--out", html), "summary.json")
    other = ROOT / "data" / "depots" / "tangshan_partner"
    err = assert_located(
        run_cli("map", runs["earthquake_lulong"], "--region", other, "--out", html),
        "summary.json",
        "秦皇岛市",
        "唐山市",
    )
    assert "region" in err
    assert_located(run_cli("map", "--out", html, "--no-time", "--tiles", "tiles/{z}/{x}/{y}.png"), "tiles")
    assert not html.exists()


def test_no_network_unless_tiles_are_asked_for(tmp_path: Path) -> None:
    from logistics.map import map_html, region_view

    view = region_view(demo_region(), time_check=False)
    page = map_html(view)
    assert "default-src 'none'" in page and 'img-src data:">' in page  # the page may fetch nothing
    view.tiles = "http://tiles.bureau.local/{z}/{x}/{y}.png"
    assert "img-src data: http://tiles.bureau.local" in map_html(view)


def test_english_page(tmp_path: Path) -> None:
    html = tmp_path / "en.html"
    code, _out, err = run_cli("--lang", "en", "map", "--out", html, "--no-time")
    assert code == 0, err
    text = html.read_text(encoding="utf-8")
    assert "Depots" in text and '"legend":"Legend"' in text
    assert main(["--lang", "en", "map", "--out", str(html), "--no-time"]) == 0


def test_static_map_for_the_nightly_report(runs: dict[str, Path]) -> None:
    """The same view as a PNG (the e-mail cannot run the page's script): drawn, not blank."""
    from logistics.map import region_view, render_map_png, run_view

    for view in (region_view(demo_region(), time_check=False), run_view(runs["flood_luanhe"])):
        png = render_map_png(view)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and not _blank(png)
