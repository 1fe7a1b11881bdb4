"""Sweep variants: drawn per (seed, variant), defaults per hazard, a [sweep] table that overrides them (issue 21)."""

from __future__ import annotations

import dataclasses

import pytest

from logistics.allocation import AllocationParams, solve_allocation
from logistics.plan import build_scenario_model
from logistics.scenario import load_scenario
from logistics.sweep import DEFAULTS, draw_variant, evaluate_variant, sweep_base, sweep_spec
from tests.helpers import ROOT
from tests.hostile.helpers import assert_located, run_cli

SCENARIOS = ["earthquake_lulong", "flood_luanhe", "typhoon_surge"]


@pytest.fixture(scope="module")
def quake():
    return sweep_base(load_scenario(ROOT / "scenarios" / "earthquake_lulong.toml"))


def test_a_variant_depends_on_seed_and_number_only(quake) -> None:
    spec = sweep_spec("earthquake")
    a, sa, ca = draw_variant(quake, spec, 5, 3)
    b, sb, cb = draw_variant(quake, spec, 5, 3)
    assert a == b and sa.demand == sb.demand and ca == cb
    c, _, _ = draw_variant(quake, spec, 5, 4)
    d, _, _ = draw_variant(quake, spec, 6, 3)
    assert c != a and d != a
    # draws stay within what the distributions allow
    assert a.closed_links and all(spec.reopen_h[0] <= h <= spec.reopen_h[1] for h in a.reopen_h)
    assert set(a.depots_out) <= set(quake.depot_ids)
    assert evaluate_variant(quake, spec, 5, 3) == evaluate_variant(quake, spec, 5, 3)


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_shipped_scenario_sweeps_as_it_is(name: str) -> None:
    sc = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    assert "sweep" not in sc.extra  # no [sweep] table: the hazard's defaults
    spec = sweep_spec(sc.hazard.type, sc.extra.get("sweep"))
    assert spec == DEFAULTS[sc.hazard.type]
    base = sweep_base(sc)
    for i in range(2):
        row = evaluate_variant(base, spec, 1, i)
        assert 0.0 <= row["share_met_by_deadline"] <= 1.0 and 0.0 <= row["max_unmet_share"] <= 1.0
        assert row["persons"] > 0 and row["variant"] == i


def test_without_variation_every_variant_is_the_scenario(tmp_path) -> None:
    """A [sweep] table with every spread at zero: each variant's share is the base allocation's (hand check)."""
    text = (ROOT / "scenarios" / "earthquake_lulong.toml").read_text(encoding="utf-8")
    text = text + (
        "\n[sweep]\ncentre_jitter_km = 0\nmagnitude_sd = 0\ndemand_sd = 0\nclosure_radius_km = 0\ndepot_outage = 0\n"
    )
    path = tmp_path / "quake.toml"
    path.write_text(text, encoding="utf-8")
    sc = load_scenario(path)
    spec = sweep_spec(sc.hazard.type, sc.extra["sweep"], origin=str(path))
    assert spec.demand_sd == 0 and spec.closure_per_km == DEFAULTS["earthquake"].closure_per_km
    base = sweep_base(sc)
    model = build_scenario_model(sc, network=base.network)
    want = solve_allocation(
        model.problem, AllocationParams(objective="delivered", seed=0)
    ).demand_met_share_by_deadline
    for i in range(3):
        rec, vsc, closures = draw_variant(base, spec, 9, i)
        assert closures == [] and rec.depots_out == () and rec.demand_multiplier == 1.0
        assert [dataclasses.astuple(p) for p in vsc.demand] == [dataclasses.astuple(p) for p in sc.demand]
        assert evaluate_variant(base, spec, 9, i)["share_met_by_deadline"] == pytest.approx(want, abs=1e-9)


def test_bad_sweep_table_is_located(tmp_path) -> None:
    text = (ROOT / "scenarios" / "earthquake_lulong.toml").read_text(encoding="utf-8")
    path = tmp_path / "bad.toml"
    path.write_text(text + "\n[sweep]\ncolour = 1\ndepot_outage = 2\nreopen_h = [10, 2]\n", encoding="utf-8")
    err = assert_located(run_cli("sweep", path, "--variants", "5", "--out", tmp_path / "out"), str(path),
                         "sweep.colour", "sweep.depot_outage", "sweep.reopen_h")  # fmt: skip
    assert "错误" in err and not (tmp_path / "out").exists()


def test_route_the_worst_variants(tmp_path) -> None:
    """--route K: the K worst variants routed in full; their routed share is the one their run folder reports."""
    import json

    from logistics.sweep import SweepParams, run_sweep
    from tests.sweep.test_critical import _instance

    scenario = _instance(tmp_path, 1)
    res = run_sweep(scenario, tmp_path / "sweep", SweepParams(variants=3, seed=2, workers=1, route_worst=1))
    (worst,) = res.summary["worst_routed"]
    assert worst["variant"] == int(
        res.table.sort_values(["share_met_by_deadline", "variant"])["variant"].iloc[0]
    )
    run = json.loads((tmp_path / "sweep" / worst["folder"] / "summary.json").read_text(encoding="utf-8"))
    assert run["demand_met_share_by_deadline"] == pytest.approx(worst["routed_share"], abs=1e-6)
    assert json.loads((tmp_path / "sweep" / "summary.json").read_text(encoding="utf-8"))["worst_routed"] == [
        worst
    ]


def test_unreachable_scheduler_is_a_located_error(tmp_path) -> None:
    """A wrong --scheduler address: exit 2 naming it, and no sweep folder is created."""
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "sweep"
    args = ("sweep", ROOT / "scenarios" / "earthquake_lulong.toml", "--variants", "2", "--out", out)
    assert_located(
        run_cli(*args, "--scheduler", f"tcp://127.0.0.1:{port}"), "--scheduler", f"127.0.0.1:{port}"
    )
    assert not out.exists()


def test_critical_roads_bad_inputs_are_located(tmp_path) -> None:
    """critical-roads: a missing scenario and an output that is a file exit 2, naming them, writing nothing."""
    missing = tmp_path / "无此情景.toml"
    assert_located(run_cli("critical-roads", missing, "--out", tmp_path / "c"), str(missing))
    assert not (tmp_path / "c").exists()
    afile = tmp_path / "已有文件"
    afile.write_text("x", encoding="utf-8")
    assert_located(
        run_cli("critical-roads", ROOT / "scenarios" / "earthquake_lulong.toml", "--out", afile), str(afile)
    )
    assert afile.read_text(encoding="utf-8") == "x"
