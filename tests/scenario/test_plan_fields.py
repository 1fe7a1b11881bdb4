"""Scenario fields the plan needs: timed slowdowns, driver hours and trips, substitutes outside the list."""

from __future__ import annotations

import dataclasses
import math

import pytest

from logistics.cli import main
from logistics.exceptions import ScenarioError
from logistics.region import demo_region
from logistics.scenario import DemandPoint, Hazard, Scenario, VehicleSpec, load_scenario, read_fleet
from tests.helpers import DATA_DIR, ROOT

REGION = ROOT / "data" / "depots" / "qinhuangdao" / "region.toml"
BAD = DATA_DIR / "bad_scenarios"
BOX = "POLYGON((118.8 39.8, 119.1 39.8, 119.1 40.0, 118.8 40.0, 118.8 39.8))"


def _scenario(tmp_path, body: str):
    """Write a small scenario (one demand point of the Qinhuangdao region) plus ``body``; load it."""
    p = tmp_path / "s.toml"
    p.write_text(
        f'name = "测试"\nregion = "{REGION.as_posix()}"\n[hazard]\ntype = "earthquake"\n'
        f'[[demand]]\nplace = "卢龙镇"\nrelocated = 100\n{body}',
        encoding="utf-8",
    )
    return load_scenario(p)


# --- slowdowns with start and end hours ---------------------------------------------------


def test_slowdown_hours_read(tmp_path) -> None:
    s = _scenario(
        tmp_path,
        f'[[disruption]]\ntype = "slow"\npolygon = "{BOX}"\nfactor = 0.6\nstart_h = 2\nend_h = 30\n'
        f'[[disruption]]\ntype = "slow"\npolygon = "{BOX}"\nfactor = 0.8\n'
        '[[disruption]]\ntype = "close"\nroad = "S251青龙河大桥"\nreopen_h = 6\n',
    )
    timed, lasting, closure = s.disruptions
    assert (timed.kind, timed.start_h, timed.end_h, timed.factor) == ("slow", 2.0, 30.0, 0.6)
    assert (lasting.start_h, lasting.end_h) == (0.0, None)
    assert (closure.start_h, closure.end_h, closure.reopen_h) == (0.0, None, 6)


def test_slowdown_start_only(tmp_path) -> None:
    s = _scenario(
        tmp_path, f'[[disruption]]\ntype = "slow"\npolygon = "{BOX}"\nfactor = 0.5\nstart_h = 4.5\n'
    )
    assert (s.disruptions[0].start_h, s.disruptions[0].end_h) == (4.5, None)


# --- driver working hours and trips per truck ----------------------------------------------


def test_read_fleet_limit_columns(tmp_path) -> None:
    p = tmp_path / "fleet.csv"
    p.write_text(
        "depot_id,vehicle_type,capacity_kg,capacity_m3,count,max_trips,max_duration_h\n"
        "QHD-M01,重型厢式货车,15000,60,4,2,10.5\n"
        "QHD-M02,中型厢式货车,8000,35,3,,\n"
        "QHD-M02,轻型货车,3000,15,2,3.0,8\n",
        encoding="utf-8",
    )
    a, b, c = read_fleet(p)
    assert (a.max_trips, a.max_duration_h) == (2, 10.5)
    assert (b.max_trips, b.max_duration_h) == (None, None)
    assert (c.max_trips, c.max_duration_h) == (3, 8.0) and isinstance(c.max_trips, int)


def test_read_fleet_without_limit_columns() -> None:
    fleet = read_fleet(ROOT / "data" / "depots" / "qinhuangdao" / "fleet.csv")
    assert fleet and all(v.max_trips is None and v.max_duration_h is None for v in fleet)


def test_read_fleet_bad_cell_located() -> None:
    with pytest.raises(ScenarioError) as exc:
        read_fleet(BAD / "bad_fleet.csv")
    (problem,) = exc.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "max_duration_h", "abc")
    assert problem.file.endswith("bad_fleet.csv")
    # the same problem when a scenario names the file
    with pytest.raises(ScenarioError) as exc2:
        load_scenario(BAD / "bad_fleet_csv.toml")
    assert exc2.value.problems == exc.value.problems


def test_fleet_limits_precedence(tmp_path) -> None:
    (tmp_path / "fleet.csv").write_text(
        "depot_id,vehicle_type,capacity_kg,capacity_m3,count,max_trips,max_duration_h\n"
        "QHD-M01,重型厢式货车,15000,60,4,5,\n"
        "QHD-M01,中型厢式货车,8000,35,6,,\n"
        "QHD-M02,中型厢式货车,8000,35,3,,9\n"
        "QHD-C130302,中型厢式货车,8000,35,2,,\n",
        encoding="utf-8",
    )
    s = _scenario(
        tmp_path,
        '[fleet]\nfile = "fleet.csv"\n'
        "limits = [\n"
        '  { type = "中型厢式货车", max_duration_h = 12 },\n'  # a type at every depot
        '  { depot = "QHD-M02", max_duration_h = 6, max_trips = 2 },\n'  # a depot: later entries win
        "]\n"
        'vehicles = [{ depot = "QHD-C130302", type = "中型厢式货车", capacity_kg = 8000, capacity_m3 = 35,'
        " count = 2, max_duration_h = 7 }]\n"
        "[handling]\nmax_trips = 3\nmax_duration_h = 14\n",
    )
    got = {(v.depot_id, v.vehicle_type): (v.max_trips, v.max_duration_h) for v in s.fleet}
    assert got == {
        ("QHD-M01", "重型厢式货车"): (5, 14.0),  # own trips from the file, hours from [handling]
        ("QHD-M01", "中型厢式货车"): (3, 12.0),  # type limit; trips from [handling]
        ("QHD-M02", "中型厢式货车"): (2, 6.0),  # depot limit overrides the file's 9 h
        ("QHD-C130302", "中型厢式货车"): (3, 7.0),  # own 7 h wins over the type limit
    }
    assert (s.max_trips, s.max_duration_h) == (3, 14.0)


def test_no_limits_by_default() -> None:
    s = load_scenario(ROOT / "scenarios" / "earthquake_lulong.toml")
    assert (s.max_trips, s.max_duration_h) == (None, None)
    assert all(v.max_trips is None and v.max_duration_h is None for v in s.fleet)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_trips": 0},
        {"max_trips": 1.5},
        {"max_trips": True},
        {"max_trips": "2"},
        {"max_duration_h": 0},
        {"max_duration_h": -1.0},
        {"max_duration_h": math.nan},
        {"max_duration_h": math.inf},
    ],
)
def test_vehicle_spec_rejects_bad_limits(kwargs) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        VehicleSpec("D", "卡车", 8000, 35, 2, **kwargs)


def test_scenario_defaults_fill_vehicles_without_limits() -> None:
    own = VehicleSpec("QHD-M01", "重型厢式货车", 15000, 60, 4, max_trips=1)
    plain = VehicleSpec("QHD-M02", "中型厢式货车", 8000, 35, 3)
    s = Scenario(
        name="t",
        region=demo_region(),
        hazard=Hazard("other"),
        demand=(DemandPoint("P", "P", 118.9, 39.9, relocated=10),),
        fleet=(own, plain),
        max_trips=4,
        max_duration_h=10,
    )
    assert [(v.max_trips, v.max_duration_h) for v in s.fleet] == [(1, 10.0), (4, 10.0)]
    partner = VehicleSpec("TS-01", "货车", 8000, 35, 2, max_duration_h=8)
    assert s.vehicle_with_defaults(partner) == dataclasses.replace(partner, max_trips=4)
    more = dataclasses.replace(s, fleet=(*s.fleet, VehicleSpec("QHD-M01", "增援货车", 10000, 45, 10)))
    assert (more.fleet[-1].max_trips, more.fleet[-1].max_duration_h) == (4, 10.0)
    with pytest.raises(ValueError, match="max_duration_h"):
        dataclasses.replace(s, max_duration_h=0)


# --- substitutes outside the item list -----------------------------------------------------


def test_substitute_joins_item_list(tmp_path) -> None:
    s = _scenario(tmp_path, '[response]\nitems = ["帐篷", "棉被"]\nsubstitutes = [["棉被", "睡袋"]]\n')
    assert s.item_ids == ("tent_12m2_single", "quilt", "sleeping_bag")
    assert s.items == ("tent_12m2_single", "quilt")
    assert s.substitute_only_ids == ("sleeping_bag",)
    point = s.demand[0]
    assert s.demand_of(point, "sleeping_bag") == 0 and s.demand_of(point, "quilt") == 100
    assert ("quilt", "sleeping_bag") in s.substitutes


def test_substitute_demanded_directly_keeps_its_demand(tmp_path) -> None:
    s = _scenario(tmp_path, '[response]\nitems = ["棉被", "睡袋"]\nsubstitutes = [["棉被", "睡袋"]]\n')
    assert s.item_ids == ("quilt", "sleeping_bag") and s.substitute_only_ids == ()
    assert s.demand_of(s.demand[0], "sleeping_bag") == 100


def test_substitute_of_basic_kit_joins_once() -> None:
    s = load_scenario(ROOT / "scenarios" / "earthquake_lulong.toml")  # two pairs, one substitute
    assert s.item_ids == (*s.region.basic_kit, "sleeping_bag")


# --- the command line ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("slow_end_before_start.toml", "disruption[0].end_h"),
        ("zero_trips.toml", "fleet.vehicles[0].max_trips"),
        ("handling_zero_duration.toml", "handling.max_duration_h"),
        ("limits_unknown_depot.toml", "fleet.limits[0].depot"),
        ("substitute_unknown_item.toml", "response.substitutes[0][1]"),
    ],
)
def test_bad_scenario_cli_exit_2(tmp_path, capsys, name, field) -> None:
    out = tmp_path / "o"
    assert main(["run", str(BAD / name), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert name in err and field in err
    assert not out.exists()


# --- receiving windows, unloading per point and depot hours ----------------------------------


def test_windows_unloading_and_depot_hours_read(tmp_path) -> None:
    s = _scenario(
        tmp_path,
        "receive_from_h = 3\nunload_h = 0.25\nunload_h_per_t = 0.1\n"
        '[handling]\nunload_h_per_t = 0.02\n[depots.hours]\n"QHD-M01" = [2, 20]\n',
    )
    (p,) = s.demand
    assert (p.receive_from_h, p.unload_h, p.unload_h_per_t) == (3.0, 0.25, 0.1)
    assert s.unload_h_per_t == 0.02 and s.depot_hours == (("QHD-M01", 2.0, 20.0),)


@pytest.mark.parametrize(
    ("body", "column", "value"),
    [
        ("receive_from_h = 12\n", "demand[0].receive_from_h", "12"),
        ("receive_from_h = 9\ndeadline_h = 8\n", "demand[0].receive_from_h", "9"),
        ("receive_from_h = -1\n", "demand[0].receive_from_h", "-1"),
        ('[depots.hours]\n"QHD-M01" = [20, 2]\n', "depots.hours.QHD-M01", "[20, 2]"),
        ('[depots.hours]\n"QHD-M01" = [2]\n', "depots.hours.QHD-M01", "[2]"),
        ('[depots.hours]\n"NOPE" = [2, 20]\n', "depots.hours.NOPE", "NOPE"),
        ("[handling]\nunload_h_per_t = -0.1\n", "handling.unload_h_per_t", "-0.1"),
    ],
)
def test_bad_windows_and_hours_are_located_errors(tmp_path, body, column, value) -> None:
    with pytest.raises(ScenarioError) as err:
        _scenario(tmp_path, body)
    (problem,) = err.value.problems
    assert (problem.column, problem.value) == (column, value)
    assert problem.file.endswith("s.toml")


def test_a_run_with_a_receiving_window_waits_and_keeps_depot_hours(tmp_path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        f'name = "窗口"\nregion = "{REGION.as_posix()}"\n[hazard]\ntype = "earthquake"\n'
        "[response]\ndeadline_h = 12\n"
        '[[demand]]\nplace = "卢龙镇"\nrelocated = 300\nreceive_from_h = 6\nunload_h = 0.25\n'
        '[[demand]]\nplace = "石门镇"\nrelocated = 200\n'
        '[depots]\nuse = ["QHD-M01", "QHD-C130324"]\n[depots.hours]\n"QHD-M01" = [1, 11]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--jobs", "1"]) == 0
    from logistics.plan import RunParams, run_scenario

    res = run_scenario(load_scenario(path), RunParams(routing_iterations=300))
    stops = [(r, t, s) for r, t, s in res.plan.routing.stops()]
    assert stops
    for r, t, s in stops:
        if s.point_id == "P13032400":  # 卢龙镇 receives from 6 h: unloading starts then at the earliest
            assert s.arrival_s + s.wait_s >= 6 * 3600 - 1e-6
            assert s.departure_s - s.arrival_s - s.wait_s == pytest.approx(0.25 * 3600)
        if r.depot_id == "QHD-M01":
            assert t.start_s >= 3600 - 1e-6
            assert t.later or t.return_s <= 11 * 3600 + 1e-6
    from openpyxl import load_workbook

    header = [c.value for c in next(load_workbook(out / "schedule.xlsx").worksheets[0].iter_rows(max_row=1))]
    assert "等待接收(小时)" in header
