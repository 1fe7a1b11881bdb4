"""End-to-end runs of the demo scenarios: outputs, determinism, unmet reasons, behaviour."""

from __future__ import annotations

import csv
import dataclasses
import json
import subprocess
import sys

import geopandas as gpd
import pytest
from openpyxl import load_workbook

from logistics.cli.run import _print_summary
from logistics.common import OUTPUT_MARKER
from logistics.outputs import write_run_outputs
from logistics.plan import RunParams, run_scenario
from logistics.scenario import DisruptionSpec, VehicleSpec, load_scenario
from tests.helpers import ROOT

SCEN = ROOT / "scenarios"
FAST = RunParams(routing_iterations=30)


@pytest.fixture(scope="module")
def quake_run(tmp_path_factory):
    """The earthquake scenario run once with a small routing budget, outputs written."""
    res = run_scenario(load_scenario(SCEN / "earthquake_lulong.toml"), FAST)
    out = tmp_path_factory.mktemp("quake")
    files = write_run_outputs(res, out)
    return res, files


def test_summary_contract(quake_run) -> None:
    _res, files = quake_run
    s = json.loads(files["summary"].read_text(encoding="utf-8"))
    for key in (
        "deadline_h",
        "demand_met_share_by_deadline",
        "max_unmet_share",
        "unmet",
        "status",
        "seed",
        "run_time_s",
    ):
        assert key in s
    assert 0 <= s["demand_met_share_by_deadline"] <= 1 and 0 <= s["max_unmet_share"] <= 1
    assert s["deadline_h"] == 12 and s["seed"] == 20260728 and s["status"] == "optimal"
    assert s["illustrative"]  # the invented data is visible
    assert {"by_item", "by_point", "lines"} <= set(s["unmet"])
    # routes section: last arrival and per-point arrivals; the headline is the routed plan's
    assert s["routes"]["point_arrivals"] and "last_arrival_h" in s["routes"]
    assert s["headline_from"] == "routed plan" and s["plan"]["routed"]
    assert s["demand_met_share_by_deadline"] <= s["plan"]["bound"] + 1e-9
    assert s["routes"]["late"] == []  # the by-deadline wave is on time


def test_console_summary_in_each_language(quake_run, capsys) -> None:
    """The console report reads in the language asked for: no Chinese punctuation in English lines."""
    res, _ = quake_run
    s, name = res.summary(), res.model.scenario.name
    _print_summary(s, name, 12.0, zh=True)
    zh = capsys.readouterr().out
    assert "小时内需求满足率" in zh and "双望镇: 缺口 100%（" in zh
    _print_summary(s, name, 12.0, zh=False)
    en = capsys.readouterr().out.splitlines()
    assert any(line == "  双望镇: unmet 100% (unreachable)" for line in en)
    for line in en:
        if not line.startswith("[ILLUSTRATIVE] "):  # the notes are data text, printed as written
            text = line.replace(name, "")
            assert not set("（）、：，；") & set(text), line


def test_unreachable_point_is_unmet_with_reason(quake_run) -> None:
    res, _ = quake_run
    s = res.summary()
    cut_off = next(u for u in s["unmet"]["by_point"] if u["name"] == "双望镇")
    assert cut_off["unmet_share"] == 1
    reasons = {x["reason"] for x in s["unmet"]["lines"] if x["point"] == cut_off["point"]}
    assert reasons == {"unreachable"}


def test_outputs_open(quake_run) -> None:
    _res, files = quake_run
    for name in (
        "allocation",
        "unmet",
        "arrivals",
        "transfer_orders",
        "flows",
        "gpkg",
        "routes",
        "schedule",
        "dispatch",
        "gantt",
    ):
        assert files[name].exists() and files[name].stat().st_size > 0, name
    flows = gpd.read_file(files["flows"])
    assert len(flows) > 10 and flows.crs.to_epsg() == 4326
    assert flows.geometry.geom_type.eq("LineString").all()
    import sqlite3

    import pyogrio

    names = {n for n, _ in pyogrio.list_layers(files["gpkg"])}
    assert {"调运流向", "需求点", "储备库", "道路封闭与限速", "车辆路线", "field_names"} <= names
    # the closures layer shows why a place is cut off: one feature per disruption, on its roads
    closures = gpd.read_file(files["gpkg"], layer="道路封闭与限速")
    labels = {d.label for d in _res.model.disruptions}
    assert len(closures) == len(labels) and set(closures["名称"]) == labels
    assert closures.geometry.geom_type.eq("MultiLineString").all() and (closures["路段数"] > 0).all()
    assert set(closures["类型"]) <= {"封闭", "限速"}
    # QGIS opens it coloured: a default QML style per layer in layer_styles; English names alongside
    with sqlite3.connect(files["gpkg"]) as db:
        styles = dict(
            db.execute("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault").fetchall()
        )
        fields = db.execute("SELECT layer, field, field_en FROM field_names").fetchall()
    assert set(styles) == {"调运流向", "需求点", "储备库", "道路封闭与限速", "车辆路线"}
    import xml.etree.ElementTree as ET

    for qml in styles.values():
        assert ET.fromstring(qml.split(">", 1)[1]).find("renderer-v2") is not None  # well-formed QML
    assert ("道路封闭与限速", "抢通时间（小时）", "reopen_h") in fields
    wb = load_workbook(files["transfer_orders"], read_only=True)
    assert "QHD-M01" in wb.sheetnames
    first = next(wb["QHD-M01"].iter_rows(values_only=True))
    assert "调拨单" in first[0]
    assert files["allocation"].read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel shows Chinese
    # unmet.csv reads without a lookup: place and item names and the unit beside the ids
    with open(files["unmet"], encoding="utf-8-sig", newline="") as fh:
        unmet = list(csv.DictReader(fh))
    s = _res.summary()
    names = {p.id: p.name for p in _res.model.scenario.demand}
    assert len(unmet) == len(s["unmet"]["lines"]) and unmet
    for row, line in zip(unmet, s["unmet"]["lines"], strict=True):
        assert (row["point"], row["item"], float(row["unmet"])) == (
            line["point"],
            line["item"],
            line["unmet"],
        )
        assert row["point_name"] == names[row["point"]] and row["item_name"] and row["unit"]
    assert any(r["point_name"] == "双望镇" and r["reason"] == "unreachable" for r in unmet)
    # no temporary files; the one hidden file marks the folder as a complete output set
    assert [p.name for p in files["summary"].parent.iterdir() if p.name.startswith(".")] == [OUTPUT_MARKER]


def test_transfer_orders_read_for_signing(quake_run) -> None:
    """调拨单: batches in words whose amounts add up to each line, vehicles without ids (issue 19)."""
    import re

    res, files = quake_run
    wb = load_workbook(files["transfer_orders"], read_only=True)
    depot_ids = {d.id for d in res.model.depots}
    lines = 0
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        h = next((i for i, r in enumerate(rows) if r and r[0] == "调入点"), None)
        if h is None:
            continue
        head = list(rows[h])
        assert head[6] == "送达波次" and head[-1] == "出库批次(先到期先出)"
        for r in rows[h + 1 :]:
            if not r or r[1] is None or r[2] is None:
                continue
            lines += 1
            batches, vehicles, unit = r[-1], r[7], r[3]
            assert "-line" not in batches and "(-)" not in batches
            assert not any(d in vehicles for d in depot_ids), vehicles
            assert re.fullmatch(r"(.+? 第\d+趟)(；.+? 第\d+趟)*", vehicles), vehicles
            amounts = [float(m) for m in re.findall(r"：([0-9.]+)" + re.escape(unit), batches)]
            assert amounts and abs(sum(amounts) - float(r[2])) <= 1e-3 * max(1.0, float(r[2])), (
                r[2],
                batches,
            )
    assert lines > 10


def test_demo_gantt_png_is_in_chinese(quake_run) -> None:
    """The demo's gantt.png: Chinese title, legend, depot and place names, all in the shipped font.

    The written file is compared byte for byte with the figure whose texts are checked (and
    ``test_same_seed_byte_identical_summary`` shows the file is the same when a second process
    draws it).
    """
    import io

    from logistics.outputs import gantt_figure
    from tests.outputs.chart_text import check_shipped_font, drawn_texts

    res, files = quake_run
    sc = res.model.scenario
    names = {pt.id: pt.name for pt in sc.demand} | {d.id: d.name for d in res.model.depots}
    fig = gantt_figure(res.routing, t0=sc.hazard.time, place_names=names)
    texts = drawn_texts(fig)
    strings = {t for t, _ in texts}
    assert any(t.startswith("车辆调度甘特图") for t in strings) and {"装货", "行驶", "卸货"} <= strings
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(rows) == len(res.routing.routes) and all(r.split("/")[0] in names.values() for r in rows)
    points = {names[s.point_id] for _, _, s in res.routing.stops()}
    assert len(points & strings) >= 3 and all("\u4e00" <= n[0] <= "\u9fff" for n in points & strings)
    assert not strings & set(names)  # no internal ids
    check_shipped_font(texts)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert files["gantt"].read_bytes() == buf.getvalue()


def test_lp_allocation_respects_stock_and_deadline(quake_run) -> None:
    res, _ = quake_run
    p, a = res.model.problem, res.allocation
    used: dict[tuple[str, str], float] = {}
    for f in a.flows:
        used[(f.source_id, f.item_id)] = used.get((f.source_id, f.item_id), 0.0) + f.quantity
        j = p.point_ids.index(f.point_id)
        assert f.delivery_h <= p.deadline_h[j] + 1e-6
    for (sid, k), q in used.items():
        assert q <= p.stock[p.source_ids.index(sid), p.item_ids.index(k)] * (1 + 1e-9) + 1e-6


def test_same_seed_byte_identical_summary(tmp_path) -> None:
    """Same scenario and seed: identical files, whether the work runs in one process or two.

    The earthquake's first routing pass has more truckload parts than the threshold for
    routing depots side by side, so ``--jobs 2`` forks for the bound LP, the routing and the
    Gantt chart.
    """
    outs = []
    for k, jobs in enumerate(("1", "2")):
        out = tmp_path / f"run{k}"
        r = subprocess.run(
            [sys.executable, "-m", "logistics", "run", str(SCEN / "earthquake_lulong.toml"), "--out", str(out),
             "--routing-iterations", "30", "--jobs", jobs],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        assert "需求满足率" in r.stdout
        outs.append(
            {
                f: (out / f).read_bytes()
                for f in ("summary.json", "allocation.csv", "routes.geojson", "flows.geojson", "gantt.png")
            }
        )
    for f in outs[0]:
        assert outs[0][f] == outs[1][f], f
    # the GeoJSON layer name is the layer's, not the temporary file's (issue 19)
    assert json.loads(outs[0]["flows.geojson"])["name"] == "flows"
    # the GeoPackage's layers and attribute tables (geometry included, as WKB) are identical too
    import pyogrio

    gpkgs = [tmp_path / f"run{k}" / "logistics.gpkg" for k in range(2)]
    layers = [sorted(n for n, _ in pyogrio.list_layers(g)) for g in gpkgs]
    assert layers[0] == layers[1] and "道路封闭与限速" in layers[0]
    for name in layers[0]:
        a, b = (pyogrio.read_dataframe(g, layer=name, read_geometry=True) for g in gpkgs)
        if "geometry" in a:
            assert a.geometry.to_wkb().tolist() == b.geometry.to_wkb().tolist(), name
            a, b = a.drop(columns="geometry"), b.drop(columns="geometry")
        assert a.equals(b), name


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("zero_deadline", "deadline_h"),
        ("hub_unknown_depot", "hub[0].depot"),
        ("hub_throughput", "hub[0].throughput_t_h"),
    ],
)
def test_bad_scenario_cli_exit_2(tmp_path, name, field) -> None:
    out = tmp_path / "o"
    bad = ROOT / "tests" / "data" / "bad_scenarios" / f"{name}.toml"
    r = subprocess.run([sys.executable, "-m", "logistics", "run", str(bad), "--out", str(out)],
                       capture_output=True, text=True, check=False)  # fmt: skip
    assert r.returncode == 2 and field in r.stderr and f"{name}.toml" in r.stderr
    assert not out.exists()


# --- behaviour on a real scenario (allocation only) ------------------------------------

ALLOC = RunParams(routing=False)


@pytest.fixture(scope="module")
def typhoon():
    """The typhoon scenario and its allocation-only result."""
    s = load_scenario(SCEN / "typhoon_surge.toml")
    return s, run_scenario(s, ALLOC).allocation.demand_met_share_by_deadline


def test_more_trucks_never_lower_demand_met(typhoon) -> None:
    s, base = typhoon
    more = dataclasses.replace(s, fleet=(*s.fleet, VehicleSpec("QHD-M01", "增援货车", 10000, 45, 10)))
    assert run_scenario(more, ALLOC).allocation.demand_met_share_by_deadline >= base - 1e-9


def test_closing_a_road_never_raises_demand_met(typhoon) -> None:
    s, base = typhoon
    closed = dataclasses.replace(s, disruptions=(*s.disruptions, DisruptionSpec("close", road_names=("G1",))))
    assert run_scenario(closed, ALLOC).allocation.demand_met_share_by_deadline <= base + 1e-9


def test_later_deadline_never_lowers_demand_met(typhoon) -> None:
    s, base = typhoon
    later = dataclasses.replace(s, deadline_h=14.0)
    assert run_scenario(later, ALLOC).allocation.demand_met_share_by_deadline >= base - 1e-9


def test_more_stock_never_lowers_demand_met(typhoon, tmp_path) -> None:
    from logistics.sufficiency import add_stock

    s, base = typhoon
    region = s.region
    inv = add_stock(region.inventory(), ["饮用水=2000箱@QHD-C130304", "家庭应急包=500个@QHD-C130304"])
    object.__setattr__(region, "_inventory", inv)  # region caches its inventory
    try:
        assert run_scenario(s, ALLOC).allocation.demand_met_share_by_deadline >= base - 1e-9
    finally:
        del region.__dict__["_inventory"]


@pytest.mark.parametrize("name", ["flood_luanhe", "typhoon_surge"])
def test_demo_scenarios_produce_routes(name) -> None:
    from logistics.routing import check_routes

    res = run_scenario(load_scenario(SCEN / f"{name}.toml"), FAST)
    assert res.routing is not None and res.routing.routes
    s = res.summary()
    assert s["routes"]["trips"] > 0 and s["routes"]["point_arrivals"]
    # the routing's own checker agrees with the routes, for the goods they carry (the routes come
    # from several routing passes; the plan checker in test_plan.py checks the plan as a whole)
    from collections import defaultdict

    from logistics.plan import routing_problem
    from logistics.routing import Shipment

    ready = {src.id: src.ready_h for src in res.model.sources}
    carried = defaultdict(lambda: [0.0, 0.0, 0.0])
    for d in res.plan.deliveries:
        acc = carried[(d.depot_id, d.point_id, d.item_id, d.source_id)]
        acc[0], acc[1], acc[2] = acc[0] + d.quantity, acc[1] + d.weight_kg, acc[2] + d.volume_m3
    goods = [
        Shipment(dp, pt, it, *q, release_h=ready[src], source_id=src)
        for (dp, pt, it, src), q in carried.items()
    ]
    prob = routing_problem(res.model, goods)
    assert check_routes(prob, res.routing) == []
