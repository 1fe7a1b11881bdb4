"""Route outputs: GeoJSON, GeoPackage, schedule and dispatch XLSX, Gantt PNG."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from shapely.geometry import LineString

from logistics.outputs import (
    find_cjk_font,
    legs_to_geodataframe,
    plot_gantt,
    stops_to_geodataframe,
    write_dispatch_xlsx,
    write_routes_geojson,
    write_routes_gpkg,
    write_schedule_xlsx,
)
from logistics.outputs import gantt as route_gantt
from logistics.routing import RoutingParams, RoutingProblem, ServiceTimes, VehicleType, plan_routes
from tests.routing.helpers import bags, euclid_matrices

COORDS = {"D": (119.60, 39.93), "A": (119.65, 39.95), "B": (119.70, 39.90), "C": (119.55, 40.0)}
NAMES = {"D": "海港区储备库", "A": "东港镇安置点", "B": "北港镇安置点", "C": "石门寨安置点"}
ITEMS = {"rice": "大米", "tent": "帐篷"}
T0 = datetime(2026, 11, 23, 8, 0)


@pytest.fixture(scope="module")
def routed():
    """A small routed plan: 2 trucks, 3 points, one point late."""
    xy = {k: ((lon - 119.6) * 85, (lat - 39.93) * 111) for k, (lon, lat) in COORDS.items()}
    ids, tt, dist = euclid_matrices(xy, kmh=30)
    ships = [
        bags("D", "A", 12.0),
        bags("D", "B", 3.0, item="tent", kg_per_unit=40),
        bags("D", "C", 2.0),
    ]
    problem = RoutingProblem.from_matrices(
        ships,
        [VehicleType("D", "重型货车", 10_000, 40, 2)],
        ids,
        tt,
        dist,
        deadline_h={"A": 3.0, "B": 3.0, "C": 0.2},
        service=ServiceTimes(load_s=900, unload_s=600),
    )
    return problem, plan_routes(problem, RoutingParams(seed=2, max_iterations=200))


def path(a, b):
    """Road geometry stand-in with a bend (the road layer provides the real one)."""
    (x1, y1), (x2, y2) = COORDS[a], COORDS[b]
    return LineString([(x1, y1), (x1, y2), (x2, y2)])


def no_temp_files(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_legs_cover_every_driven_segment(routed):
    _, result = routed
    legs = legs_to_geodataframe(result, path, place_names=NAMES)
    n_legs = sum(len(t.stops) + 1 for r in result.routes for t in r.trips)
    assert len(legs) == n_legs
    assert legs.crs.to_epsg() == 4326
    assert set(legs.geometry_source) == {"road"}
    total_km = result.total_distance_m() / 1000
    assert legs.distance_km.sum() == pytest.approx(total_km, rel=1e-3)
    assert legs.label_zh.str.contains("第1趟").any()
    # loads drop to zero on the way back to the depot
    assert (legs.loc[legs.kind == "return", "load_kg"].abs() < 1e-6).all()


def test_straight_line_fallback_and_missing_geometry(routed):
    _, result = routed
    legs = legs_to_geodataframe(result, lambda a, b: None, coords=COORDS)
    assert set(legs.geometry_source) == {"straight"}
    legs = legs_to_geodataframe(result, None)
    assert set(legs.geometry_source) == {"none"}


def test_geojson_file(routed, tmp_path):
    _, result = routed
    out = write_routes_geojson(
        result,
        tmp_path / "routes.geojson",
        path,
        coords=COORDS,
        place_names=NAMES,
        item_names=ITEMS,
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    kinds = [f["properties"]["feature"] for f in doc["features"]]
    assert kinds.count("stop") == len(result.stops())
    assert {f["geometry"]["type"] for f in doc["features"]} == {"LineString", "Point"}
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0]
    assert 119 < lon < 121 and 39 < lat < 41
    stop = next(f["properties"] for f in doc["features"] if f["properties"]["feature"] == "stop")
    assert {"vehicle_id", "arrival_h", "deadline_h", "late", "items", "label_zh"} <= set(stop)
    assert no_temp_files(tmp_path)


def test_geopackage_layers(routed, tmp_path):
    import pyogrio

    _, result = routed
    out = write_routes_gpkg(result, tmp_path / "routes.gpkg", path, coords=COORDS, place_names=NAMES)
    layers = dict(pyogrio.list_layers(out))
    assert layers == {"route_legs": "LineString", "route_stops": "Point"}
    stops = stops_to_geodataframe(result, COORDS, place_names=NAMES)
    assert stops.late.sum() == len(result.late) >= 1
    assert no_temp_files(tmp_path)


def test_schedule_workbook(routed, tmp_path):
    from openpyxl import load_workbook

    _, result = routed
    out = write_schedule_xlsx(result, tmp_path / "schedule.xlsx", t0=T0, place_names=NAMES, item_names=ITEMS)
    wb = load_workbook(out)
    assert wb.sheetnames == ["时刻表", "车辆汇总", "超时站点", "未能配送"]
    rows = list(wb["时刻表"].values)
    assert rows[0][:3] == ("车辆", "车型", "车次")
    assert len(rows) - 1 == len(result.stops())
    assert any(r[7].startswith("2026-11-23") for r in rows[1:])
    assert len(list(wb["超时站点"].values)) - 1 == len(result.late)
    wb_en = load_workbook(write_schedule_xlsx(result, tmp_path / "en.xlsx", lang="en"))
    assert wb_en.sheetnames[0] == "schedule"
    assert no_temp_files(tmp_path)


def test_dispatch_sheets_per_driver(routed, tmp_path):
    from openpyxl import load_workbook

    _, result = routed
    out = write_dispatch_xlsx(
        result,
        tmp_path / "dispatch.xlsx",
        t0=T0,
        place_names=NAMES,
        item_names=ITEMS,
        road_names=lambda a, b: ["G102国道", "G102国道", "河北大街"],
    )
    wb = load_workbook(out)
    assert len(wb.sheetnames) == len(result.routes)
    assert all("/" not in s and "#" not in s for s in wb.sheetnames)
    cells = [c for row in wb[wb.sheetnames[0]].values for c in row if c is not None]
    for label in (
        "派车单",
        "车辆",
        "司机",
        "出发时间",
        "装货清单",
        "停靠点顺序",
        "预计到达时间",
        "路线说明",
    ):
        assert label in cells
    text = " ".join(map(str, cells))
    assert "海港区储备库 → " in text and "经 G102国道、河北大街" in text
    assert "大米" in text


def test_gantt_png_in_chinese_and_english(routed, tmp_path, monkeypatch):
    _, result = routed
    if find_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")
    for name, kwargs in (("zh.png", {"t0": T0, "place_names": NAMES}), ("en.png", {"lang": "en"})):
        out = plot_gantt(result, tmp_path / name, **kwargs)
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert no_temp_files(tmp_path)


def test_gantt_falls_back_to_english_without_cjk_font(routed, tmp_path, monkeypatch):
    _, result = routed
    monkeypatch.setattr(route_gantt, "find_cjk_font", lambda: None)
    # Chinese names and truck types would be missing glyphs (a warning, an error here)
    out = plot_gantt(result, tmp_path / "fallback.png", place_names=NAMES)
    assert out.stat().st_size > 1000


def test_outputs_of_a_plan_without_routes(tmp_path):
    from tests.routing.helpers import star_problem

    problem = star_problem([bags("D", "P", 1.0)], [VehicleType("D", "t", 1000, 10, 0)], {"P": 1.0})
    result = plan_routes(problem, RoutingParams(max_iterations=10))
    assert result.routes == () and result.summary()["last_arrival_h"] is None
    coords = {"D": (119.6, 39.9), "P": (119.7, 39.9)}
    write_routes_geojson(result, tmp_path / "r.geojson", None, coords=coords)
    write_routes_gpkg(result, tmp_path / "r.gpkg", None, coords=coords)
    write_schedule_xlsx(result, tmp_path / "s.xlsx")
    write_dispatch_xlsx(result, tmp_path / "d.xlsx")
    plot_gantt(result, tmp_path / "g.png", lang="en")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "d.xlsx",
        "g.png",
        "r.geojson",
        "r.gpkg",
        "s.xlsx",
    ]
