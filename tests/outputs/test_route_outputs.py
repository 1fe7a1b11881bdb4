"""Route outputs: GeoJSON, GeoPackage, schedule and dispatch XLSX, Gantt PNG."""

from __future__ import annotations

import io
import itertools
import json
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from shapely.geometry import LineString

from logistics.outputs import (
    cjk_font_path,
    find_cjk_font,
    fonts,
    gantt_figure,
    legs_to_geodataframe,
    plot_gantt,
    stops_to_geodataframe,
    write_dispatch_xlsx,
    write_routes_geojson,
    write_routes_gpkg,
    write_schedule_xlsx,
)
from logistics.routing import (
    RoutingParams,
    RoutingProblem,
    ServiceTimes,
    Stop,
    Trip,
    VehicleRoute,
    VehicleType,
    plan_routes,
)
from tests.outputs.chart_text import check_shipped_font, drawn_texts
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


def path(a, b, _depart_s=None):
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
    legs = legs_to_geodataframe(result, lambda a, b, *_: None, coords=COORDS)
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
        road_names=lambda a, b, *_: ["G102国道", "G102国道", "河北大街"],
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


def test_the_shipped_chinese_font_is_registered():
    path = cjk_font_path()
    assert path is not None and path.name == "NotoSansSC-Regular.otf"
    assert find_cjk_font() == find_cjk_font() == "Noto Sans SC"
    from matplotlib.font_manager import FontProperties, findfont, fontManager

    assert Path(findfont(FontProperties(family="Noto Sans SC"), fallback_to_default=False)) == path
    assert sum(f.fname == str(path) for f in fontManager.ttflist) == 1  # registered once


def test_gantt_png_is_chinese_in_the_shipped_font(routed, tmp_path):
    _, result = routed
    fig = gantt_figure(result, t0=T0, place_names=NAMES)
    texts = drawn_texts(fig)
    strings = {s for s, _ in texts}
    assert {"车辆调度甘特图（t0 = 2026-11-23 08:00）", "距 t0 的小时数"} <= strings
    assert {"装货", "行驶", "卸货", "超时"} <= strings  # legend
    trucks = {f"海港区储备库/重型货车#{r.vehicle_index + 1}" for r in result.routes}
    assert trucks <= strings  # the depot's name, not its id
    places = {NAMES[s.point_id] for _, _, s in result.stops()}
    assert places <= strings  # room for every label in this small example
    assert not strings & ({r.vehicle_id for r in result.routes} | set(NAMES))  # no internal ids
    check_shipped_font(texts)
    # the PNG file is this figure
    out = plot_gantt(result, tmp_path / "gantt.png", t0=T0, place_names=NAMES)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.read_bytes() == buf.getvalue()
    assert drawn_texts(fig) == texts  # saving changed no text
    assert no_temp_files(tmp_path)


def test_gantt_in_english_keeps_the_names(routed, tmp_path):
    _, result = routed
    names = {r.vehicle_id: f"冀C·{k:05d}" for k, r in enumerate(result.routes)}
    fig = gantt_figure(result, t0=T0, place_names=NAMES, vehicle_names=names, lang="en")
    texts = drawn_texts(fig)
    strings = {s for s, _ in texts}
    assert {"Truck schedule (t0 = 2026-11-23 08:00)", "hours from t0", "loading", "late"} <= strings
    assert set(names.values()) <= strings and {NAMES[s.point_id] for _, _, s in result.stops()} <= strings
    check_shipped_font(texts)
    assert plot_gantt(result, tmp_path / "en.png", place_names=NAMES, lang="en").stat().st_size > 1000


def many_trucks(n_trucks=59, stops_per_trip=5, trips=3):
    """A synthetic schedule of ``n_trucks`` trucks whose stops are close together (labels collide)."""
    depots = {f"QHD-D{k:02d}": f"{county}救灾物资储备库" for k, county in
              enumerate(["海港区", "山海关区", "北戴河区", "抚宁区", "青龙满族自治县", "昌黎县", "卢龙县"])}  # fmt: skip
    places = {f"P{k:03d}": name for k, name in enumerate(
        ["卢龙县体育场安置点", "石门镇", "刘田各庄镇", "燕河营镇", "下寨乡", "坟坨镇", "木井镇"])}  # fmt: skip
    routes = []
    for v in range(n_trucks):
        depot = list(depots)[v % len(depots)]
        t, trip_list = 0.0, []
        for number in range(1, trips + 1):
            start, stops = t, []
            t += 1800
            for k in range(stops_per_trip):
                arrival = t + (900 if (v + k) % 3 else 2400)
                pid = list(places)[(v + number + k) % len(places)]
                stops.append(Stop(pid, (), arrival, arrival + 600, deadline_s=5 * 3600.0 if k == 2 else None))
                t = arrival + 600
            trip_list.append(Trip(number, depot, start, start + 1800, t + 1800, tuple(stops), 1000.0))
            t += 1800
        routes.append(VehicleRoute(depot, "轻型厢式货车", v // len(depots), 2000, 10, 1.0, tuple(trip_list)))
    return SimpleNamespace(routes=tuple(routes)), depots | places


def test_gantt_labels_never_overlap_with_59_trucks():
    from matplotlib.text import Text

    result, names = many_trucks()
    fig = gantt_figure(result, place_names=names)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rows) == 59 and all(r.split("/")[0] in names.values() for r in rows)
    labels = [t for t in ax.findobj(Text) if t.get_text() in set(names.values()) and t.axes is ax]
    lanes = {}
    for t in labels:  # a lane is one row's space above or below its bars
        lanes.setdefault((round(t.get_position()[1]), t.get_verticalalignment()), []).append(
            t.get_window_extent(renderer)
        )
    for boxes in lanes.values():
        boxes.sort(key=lambda b: b.x0)
        assert all(a.x1 <= b.x0 for a, b in itertools.pairwise(boxes))
    # no two labels overlap, in neighbouring rows either
    x0, y0, x1, y1 = np.array([t.get_window_extent(renderer).extents for t in labels]).T
    apart = (x1[:, None] <= x0) | (x1 <= x0[:, None]) | (y1[:, None] <= y0) | (y1 <= y0[:, None])
    assert apart[~np.eye(len(labels), dtype=bool)].all()
    n_stops = sum(len(t.stops) for r in result.routes for t in r.trips)
    assert len(rows) <= len(labels) < n_stops  # the first stop of each row always, some left out
    assert fig.get_size_inches()[1] < 60  # about half an inch a row
    check_shipped_font(drawn_texts(fig))


def test_gantt_falls_back_to_english_only_without_the_font_file(routed, tmp_path, monkeypatch, caplog):
    _, result = routed
    monkeypatch.setattr(fonts, "cjk_font_path", lambda: None)
    assert find_cjk_font() is None
    with caplog.at_level("WARNING", logger="logistics"):
        fig = gantt_figure(result, t0=T0, place_names=NAMES)
    assert "pip install pylopdf-fonts-zh-cn" in caplog.text
    strings = [s for s, _ in drawn_texts(fig)]
    # DejaVu Sans has no Chinese glyphs: only ASCII text, and never an internal id in place of a name
    assert all(s.isascii() for s in strings) and "Truck schedule (t0 = 2026-11-23 08:00)" in strings
    assert {f"truck {k + 1}" for k in range(len(result.routes))} <= set(strings)
    assert not set(strings) & set(NAMES)
    # missing glyphs would be a warning, an error in the tests
    assert plot_gantt(result, tmp_path / "fallback.png", place_names=NAMES).stat().st_size > 1000


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
