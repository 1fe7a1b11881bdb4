"""Hostile and broken input across every command: one located error, exit 2, no traceback.

Every case writes its input into a fresh folder, runs the command line in-process and asserts
the exit code, that the message names the file and the field/row (and the value where short),
that nothing escapes as a traceback, and where the command writes files that the output location
holds no partial or stale set.
"""

from __future__ import annotations

import math

import pytest

from .helpers import REGION, REGION_DIR, assert_located, inventory_dir, run_cli, scenario_text, write

INV_HEAD = (
    "depot_id,item,quantity,unit,batch,production_date,expiry_date,unit_price_cny,daily_rate,illustrative\n"
)


# --- quantity ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("１２０顶", "120顶"),
        ("120 顶", "120顶"),
        ("满足 5 千人 15 天", "满足5千人15天"),
        ("满足５千人１５天", "满足5千人15天"),
        ("满足　5千人　15天", "满足5千人15天"),
        ("1，200件", "1,200件"),
    ],
)
def test_quantity_spacing_and_full_width_parse_like_the_compact_form(text, compact):
    a, b = run_cli("quantity", "--json", text), run_cli("quantity", "--json", compact)
    assert a[0] == b[0] == 0, (a, b)
    assert a[1].replace(text, compact) == b[1]


@pytest.mark.parametrize("text", ["9" * 100_000, "nan顶", "-5顶", "", "1e300件", "inf"])
def test_quantity_nonsense_is_refused(text):
    err = assert_located(run_cli("quantity", text))
    assert text[:40] not in err or len(text) < 40


# --- inventory --------------------------------------------------------------------------------


def _line(qty: str, item: str = "12㎡单帐篷", depot: str = "QHD-M01") -> str:
    return f"{depot},{item},{qty},,B1,,,,,是\n"


def test_inventory_in_gbk_from_chinese_excel_is_read(tmp_path):
    folder = inventory_dir(tmp_path, INV_HEAD + _line("840顶"), encoding="gbk")
    code, out, err = run_cli("inventory", "validate", folder)
    assert code == 0, err
    assert "1 条库存记录" in out


def test_inventory_with_utf8_bom_is_read(tmp_path):
    folder = inventory_dir(tmp_path, ("\ufeff" + INV_HEAD + _line("840顶")).encode("utf-8"))
    assert run_cli("inventory", "validate", folder)[0] == 0


def test_inventory_in_no_known_encoding_is_located(tmp_path):
    folder = inventory_dir(
        tmp_path, INV_HEAD.encode() + b"QHD-M01,\xff\xfe\xfa\xfb,1,,,,,,,\n" + bytes(range(128, 256))
    )
    assert_located(run_cli("inventory", "validate", folder), "inventory.csv", "UTF-8")


@pytest.mark.parametrize(
    ("qty", "token"),
    [
        ("9" * 400, "quantity"),
        ("nan", "quantity"),
        ("inf", "quantity"),
        ("-3顶", "quantity"),
        ("1e300", "quantity"),
        ("１e9999", "quantity"),
    ],
)
def test_inventory_quantities_out_of_bounds_are_located(tmp_path, qty, token):
    folder = inventory_dir(tmp_path, INV_HEAD + _line(qty))
    assert_located(run_cli("inventory", "validate", folder), "inventory.csv", token, "2")


def test_exact_duplicate_inventory_lines_are_refused_naming_both_rows(tmp_path):
    folder = inventory_dir(tmp_path, INV_HEAD + _line("840顶") + _line("840顶"))
    err = assert_located(run_cli("inventory", "validate", folder), "inventory.csv")
    assert "2" in err and "3" in err and ("重复" in err or "duplicate" in err)


def test_depot_ids_differing_only_in_case_are_refused(tmp_path):
    depots = (REGION_DIR / "depots.csv").read_text(encoding="utf-8")
    extra = depots.splitlines()[1].replace("QHD-M01", "qhd-m01", 1)
    folder = inventory_dir(tmp_path, depots=depots + extra + "\n")
    err = assert_located(run_cli("inventory", "validate", folder), "depots.csv", "qhd-m01")
    assert "QHD-M01" in err


@pytest.mark.parametrize(("lon", "lat"), [("nan", "39.9"), ("119.5", "inf"), ("500", "39.9")])
def test_bad_depot_coordinates_are_located(tmp_path, lon, lat):
    depots = (REGION_DIR / "depots.csv").read_text(encoding="utf-8")
    bad = depots.replace("119.552,39.956", f"{lon},{lat}", 1)
    folder = inventory_dir(tmp_path, depots=bad)
    assert_located(run_cli("inventory", "validate", folder), "depots.csv", "2")


def test_xlsx_inventory_with_an_absurd_number_is_located(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(INV_HEAD.strip().split(","))
    ws.append(["QHD-M01", "12㎡单帐篷", 1e300, "顶"])
    folder = inventory_dir(tmp_path)
    (folder / "inventory.csv").unlink()
    wb.save(folder / "inventory.xlsx")
    assert_located(run_cli("inventory", "validate", folder), "inventory.xlsx", "quantity")


@pytest.mark.parametrize("what", ["missing", "empty"])
def test_missing_or_empty_inventory_files_are_located(tmp_path, what):
    path = tmp_path / "inventory.csv"
    if what == "empty":
        path.write_text("", encoding="utf-8")
    assert_located(run_cli("inventory", "validate", path), "inventory.csv")


def test_inventory_show_out_to_a_directory_or_nowhere(tmp_path):
    (tmp_path / "d.xlsx").mkdir()
    assert_located(run_cli("inventory", "show", "--out", tmp_path / "d.xlsx"), "d.xlsx")
    assert_located(run_cli("inventory", "show", "--out", "/proc/no/such/x.xlsx"), "x.xlsx")
    assert_located(run_cli("inventory", "show", "--persons", "-1"), "--persons")
    assert_located(run_cli("inventory", "show", "--persons", "nan"), "--persons")


# --- check ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "token"),
    [
        (["--region", "/no/such/region.toml"], "region.toml"),
        (["--date", "2026-13-45"], "--date"),
        (["--deadline-h", "nan"], "--deadline-h"),
        (["--deadline-h", "-1"], "--deadline-h"),
        (["--deadline-h", "1e308"], "--deadline-h"),
        (["--add", "帐篷"], "--add"),
        (["--add", "帐篷=10顶@NOPE"], "NOPE"),
        (["--add", "帐篷=" + "9" * 5000 + "顶@QHD-M01"], "--add"),
    ],
)
def test_check_arguments_are_located(args, token):
    assert_located(run_cli("check", "--no-time", *args) if "--no-time" in _check_flags() else run_cli("check", *args),
                   token)  # fmt: skip


def _check_flags() -> str:
    from logistics.cli.main import build_parser

    return build_parser().format_help() + str(
        build_parser()._subparsers._group_actions[0].choices["check"].format_help()
    )


# --- roads ------------------------------------------------------------------------------------


def _points(tmp_path, body: str = "A,119.55,39.95\nB,119.60,39.93\n", name: str = "p.csv", encoding="utf-8"):
    return write(tmp_path / name, "id,lon,lat\n" + body, encoding=encoding)


@pytest.mark.parametrize(
    ("case", "token"),
    [
        ("from_dir", "文件夹"),  # Chinese by default: 是一个文件夹，应为点位 CSV 文件
        ("from_missing", "nope.csv"),
        ("nan_coord", "p.csv"),
        ("depart_neg", "--depart-h"),
        ("depart_nan", "--depart-h"),
        ("out_dir", "out"),
        ("out_nowhere", "m.csv"),
        ("graph_missing", "none.graphml"),
        ("truck_zero", "--truck-factor"),
    ],
)
def test_roads_matrix_inputs_are_located(tmp_path, case, token):
    p = _points(tmp_path)
    args = {"--from": p, "--to": p, "--out": tmp_path / "m.csv"}
    extra: list[str] = []
    if case == "from_dir":
        args["--from"] = tmp_path
    elif case == "from_missing":
        args["--from"] = tmp_path / "nope.csv"
    elif case == "nan_coord":
        args["--from"] = _points(tmp_path, "A,nan,39.9\n")
    elif case == "depart_neg":
        extra = ["--depart-h", "-1"]
    elif case == "depart_nan":
        extra = ["--depart-h", "nan"]
    elif case == "out_dir":
        (tmp_path / "out").mkdir()
        args["--out"] = tmp_path / "out"
    elif case == "out_nowhere":
        args["--out"] = "/proc/no/such/m.csv"
    elif case == "graph_missing":
        extra = ["--graph", str(tmp_path / "none.graphml")]
    elif case == "truck_zero":
        extra = ["--truck-factor", "0"]
    flat = [x for k, v in args.items() for x in (k, str(v))]
    assert_located(run_cli("roads", "matrix", *flat, *extra), token)
    if case != "out_dir":
        assert not (tmp_path / "m.csv").exists()


def test_roads_matrix_reads_gbk_points_and_chinese_headers(tmp_path):
    p = write(tmp_path / "p.csv", "编号,经度,纬度\n甲,119.55,39.95\n乙,119.60,39.93\n", encoding="gbk")
    code, _out, err = run_cli("roads", "matrix", "--from", p, "--to", p, "--out", tmp_path / "m.csv")
    assert code == 0, err
    assert (tmp_path / "m.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: opens in Excel


def test_roads_info_on_a_directory_is_located(tmp_path):
    assert_located(run_cli("roads", "info", tmp_path), str(tmp_path.name))


# --- run --------------------------------------------------------------------------------------


def _run(tmp_path, text: str | bytes, *extra: str, encoding: str = "utf-8"):
    s = write(tmp_path / "s.toml", text, encoding=encoding)
    out = tmp_path / "out"
    return run_cli("run", s, "--out", out, "--no-routing", *extra), out


@pytest.mark.parametrize(
    ("body", "field", "head"),
    [
        ("[depots]\nuse = []\n", "depots.use", ""),
        ('[depots]\nuse = "none"\n', "depots.use", ""),
        ("[depots]\nuse = 5\n", "depots.use", ""),
        ("", "region", "region = 5\n"),
        ("", "response.items", "[response]\ndeadline_h = 12\nitems = []\n"),
        ("", "deadline_h", "[response]\ndeadline_h = 1e308\n"),
        ('[fleet]\nfile = "no_fleet.csv"\n', "fleet.file", ""),
        ('[fleet]\nfile = "."\n', "fleet.file", ""),
        ('[[disruption]]\ntype = "close"\npolygon = "POLYGON EMPTY"\n', "disruption[0]", ""),
        ('[[disruption]]\ntype = "close"\npolygon = "POLYGON((1 1, 2 2))"\n', "disruption[0]", ""),
        ('[[mutual_aid]]\nname = "唐山市"\nactivation_delay_h = nan\n', "activation_delay_h", ""),
        ("[handling]\nload_h = inf\n", "handling.load_h", ""),
    ],
)
def test_run_scenario_fields_are_located(tmp_path, body, field, head):
    text = scenario_text(body)
    if head.startswith("[response]"):
        text = text.replace("[response]\ndeadline_h = 12\n", head)
    elif head:
        text = text.replace(f'region = "{REGION.as_posix()}"\n', head)
    result, out = _run(tmp_path, text)
    assert_located(result, "s.toml", field)
    assert not out.exists()


@pytest.mark.parametrize(
    ("demand", "field"),
    [
        ('demand = "str"\n', "demand"),
        ('[[demand]]\nid = "X"\nlon = nan\nlat = 39.9\nrelocated = 5\n', "demand[0].lon"),
        ('[[demand]]\nplace = "卢龙镇"\nrelocated = 1e12\n', "demand[0].relocated"),
        (
            '[[demand]]\nplace = "卢龙镇"\nrelocated = 5\n[[demand]]\nplace = "石门镇"\nid = "p13032400"\nrelocated = 5\n'
            '[[demand]]\nplace = "木井镇"\nid = "P13032400"\nrelocated = 5\n',
            "demand[1].id",  # p13032400 differs from 卢龙镇's P13032400 only in letter case
        ),
    ],
)
def test_run_demand_points_are_located(tmp_path, demand, field):
    result, out = _run(tmp_path, scenario_text(demand=demand))
    assert_located(result, "s.toml", field)
    assert not out.exists()


def test_run_nan_epicentre_is_located(tmp_path):
    text = scenario_text().replace('type = "earthquake"\n', 'type = "earthquake"\nepicentre = [nan, 39.9]\n')
    assert_located(_run(tmp_path, text)[0], "s.toml", "hazard.epicentre")


def test_run_scenario_in_gbk_or_broken_utf8_is_located(tmp_path):
    assert_located(_run(tmp_path, scenario_text(), encoding="gbk")[0], "s.toml", "UTF-8")
    assert_located(_run(tmp_path, scenario_text().encode() + b"\n# \xff\xfe\n")[0], "s.toml", "UTF-8")


def test_run_scenario_with_a_bom_is_read(tmp_path):
    (code, _, err), out = _run(tmp_path, ("\ufeff" + scenario_text()).encode("utf-8"))
    assert code == 0, err
    assert (out / "summary.json").exists()


def test_run_too_many_demand_points_is_refused_early(tmp_path):
    import time

    block = '[[demand]]\nid = "S{k}"\nlon = 119.5\nlat = 39.9\nrelocated = 1\n'
    text = scenario_text(demand="".join(block.format(k=k) for k in range(20_001)))
    t0 = time.perf_counter()
    err = assert_located(_run(tmp_path, text)[0], "s.toml", "demand")
    assert time.perf_counter() - t0 < 20 and "20000" in err.replace(",", "")


@pytest.mark.parametrize("where", ["file", "nowhere"])
def test_run_out_that_cannot_be_a_directory_is_located(tmp_path, where):
    s = write(tmp_path / "s.toml", scenario_text())
    out = write(tmp_path / "out", "a file") if where == "file" else "/proc/no/such/out"
    assert_located(run_cli("run", s, "--out", out, "--no-routing"), "out")
    if where == "file":
        assert out.read_text() == "a file"


@pytest.mark.parametrize("value", ["0", "-5", "nan", "abc", "1e9"])
def test_run_allocation_time_limit_is_located(tmp_path, value):
    s = write(tmp_path / "s.toml", scenario_text())
    out = tmp_path / "out"
    assert_located(run_cli("run", s, "--out", out, "--no-routing", "--allocation-time-limit", value),
                   "--allocation-time-limit")  # fmt: skip
    assert not out.exists()


def test_run_out_with_foreign_files_is_refused_and_left_alone(tmp_path):
    s = write(tmp_path / "s.toml", scenario_text())
    out = tmp_path / "out"
    write(out / "my_notes.docx", "precious")
    assert_located(run_cli("run", s, "--out", out, "--no-routing"), "out")
    assert (out / "my_notes.docx").read_text() == "precious" and sorted(p.name for p in out.iterdir()) == [
        "my_notes.docx"
    ]


def test_a_second_run_replaces_the_whole_set(tmp_path):
    s = write(tmp_path / "s.toml", scenario_text())
    out = tmp_path / "out"
    assert run_cli("run", s, "--out", out, "--routing-iterations", "50")[0] == 0
    assert (out / "gantt.png").exists()
    assert run_cli("run", s, "--out", out, "--no-routing")[0] == 0
    assert not (out / "gantt.png").exists()  # nothing of the previous run is left beside the new one
    assert (out / "summary.json").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no temporary siblings


# --- report -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "token"),
    [
        (None, "nope.toml"),
        ("out_dir = 5\n", "out_dir"),
        ("[smtp\n", "cfg.toml"),
        ("gbk", "cfg.toml"),
    ],
)
def test_report_config_problems_are_located(tmp_path, config, token):
    cfg = tmp_path / "nope.toml"
    if config is not None:
        cfg = tmp_path / "cfg.toml"
        if config == "gbk":
            cfg.write_bytes('region = "区域"\n'.encode("gbk"))
        else:
            cfg.write_text(config, encoding="utf-8")
    assert_located(run_cli("report", "nightly", "--config", cfg, "--no-time", "--out", tmp_path / "r"), token)


def test_report_date_and_out_are_located(tmp_path):
    assert_located(
        run_cli("report", "nightly", "--date", "20261301", "--no-time", "--out", tmp_path / "r"), "--date"
    )
    f = write(tmp_path / "file", "x")
    assert_located(run_cli("report", "nightly", "--no-time", "--out", f), "file")
    assert f.read_text() == "x"


def test_bounds_are_documented():
    text = (REGION.parents[3] / "docs" / "limits.md").read_text(encoding="utf-8")
    for word in ("demand points", "digits", "file size", "persons", "hours"):
        assert word in text
    assert math.isfinite(1.0)


@pytest.mark.parametrize(("cell", "value"), [("quantity", True), ("quantity", "=1+1"), ("expiry_date", 3.5)])
def test_xlsx_cells_of_the_wrong_type_are_located(tmp_path, cell, value):
    from openpyxl import Workbook

    header = INV_HEAD.strip().split(",")
    row = ["QHD-M01", "12㎡单帐篷", 10, "顶", "B1", None, None, None, None, "是"]
    row[header.index(cell)] = value
    wb = Workbook()
    wb.active.append(header)
    wb.active.append(row)
    folder = inventory_dir(tmp_path)
    (folder / "inventory.csv").unlink()
    wb.save(folder / "inventory.xlsx")
    assert_located(run_cli("inventory", "validate", folder), "inventory.xlsx", cell)


@pytest.mark.parametrize(("column", "value"), [("lon", "abc"), ("lead_time_h", "soon"), ("level", "12")])
def test_csv_cells_of_the_wrong_type_are_located(tmp_path, column, value):
    depots = (REGION_DIR / "depots.csv").read_text(encoding="utf-8").splitlines()
    header = depots[0].split(",")
    cells = depots[1].split(",")
    cells[header.index(column)] = value
    depots[1] = ",".join(cells)
    folder = inventory_dir(tmp_path, depots="\n".join(depots) + "\n")
    assert_located(run_cli("inventory", "validate", folder), "depots.csv", column)


@pytest.mark.parametrize("spelling", ["Ⅱ", "Ⅱ级", "II", "ii", "2", "二级", " 二 "])
def test_check_accepts_every_spelling_of_a_level(spelling):
    from logistics.region import parse_level

    assert parse_level(spelling) == "II"
    code, _, err = run_cli("check", "--level", spelling, "--date", "2026-11-23", "--no-time")
    assert code in (0, 1) and "Traceback" not in err, err  # 1: target not met (a result)


def test_check_refuses_an_unknown_level():
    assert_located(run_cli("check", "--level", "Ⅴ"), "--level")
