"""Transfer hubs in a scenario run: both legs routed, the hub's waves kept, the better plan kept."""

from __future__ import annotations

import json

import pytest

from logistics.cli.run import step_text
from logistics.outputs import write_run_outputs
from logistics.plan import RunParams, run_scenario
from logistics.scenario import load_scenario
from tests.helpers import ROOT
from tests.plan._checker import check_plan

HUB_SCENARIO = ROOT / "scenarios" / "flood_qinglong_hub.toml"
PARAMS = RunParams(routing_iterations=300)


@pytest.fixture(scope="module")
def hub_run():
    """The demo hub scenario planned through its hub (no direct comparison)."""
    return run_scenario(load_scenario(HUB_SCENARIO), RunParams(routing_iterations=300, compare_direct=False))


def test_both_legs_are_routed_and_pass_the_checker(hub_run, tmp_path) -> None:
    """Trucks unload at the hub, the hub's trucks forward what arrived after cut-off + handling only."""
    res = hub_run
    hub = res.model.scenario.hubs[0]
    assert res.allocation.transfers, "the allocation sends goods through the hub"
    assert res.plan.handoffs and all(d.point_id == hub.depot_id for d in res.plan.handoffs)
    forwarded = [d for d in res.plan.deliveries if d.source_id.startswith(f"{hub.depot_id}⇒")]
    assert forwarded and all(d.depot_id == hub.depot_id for d in forwarded)
    write_run_outputs(res, tmp_path)
    assert check_plan(res, tmp_path) == []  # legs, deadlines, stock, hub waves, files
    s = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    (h,) = s["hubs"]["hubs"]
    received = sum(d.weight_kg for d in res.plan.handoffs if not d.later) / 1000
    assert h["received_t"] == pytest.approx(received, abs=1e-3)
    assert h["forwarded_t"] == pytest.approx(
        sum(d.weight_kg for d in forwarded if not d.later) / 1000, abs=1e-3
    )
    assert h["forwarded_t"] <= h["received_t"] + 1e-9
    assert sum(w["received_t"] for w in h["waves"]) == pytest.approx(h["received_t"], abs=1e-3)
    assert s["hubs"]["chosen"] == "hubs" and s["hubs"]["direct_only"] is None
    rows = (tmp_path / "allocation.csv").read_text(encoding="utf-8-sig")
    assert ",to_hub," in rows and ",transfer," in rows


def test_the_plan_kept_is_the_one_the_trucks_deliver_more_with() -> None:
    """By default the run also plans direct only and keeps the better routed plan; both figures are reported."""
    steps: list[str] = []
    res = run_scenario(load_scenario(HUB_SCENARIO), PARAMS, progress=steps.append)
    assert "hubs:direct" in steps and steps.count("routing") == 2
    for step in steps:  # every step the console shows has its own line in both languages
        for zh in (True, False):
            assert step_text(step, zh) != f"{step}…", (step, zh)  # not the raw key
    c = res.hub_choice
    assert c is not None and c["chosen"] in {"hubs", "direct"}
    assert res.plan.demand_met_share_by_deadline == pytest.approx(max(c["with_hubs"], c["direct_only"]))
    assert check_plan(res) == []
    s = res.summary()
    assert s["hubs"]["with_hubs"] == pytest.approx(c["with_hubs"], abs=1e-6)
    assert s["demand_met_share_by_deadline"] <= s["plan"]["bound"] + 1e-9


def test_scenario_without_hubs_plans_as_before() -> None:
    res = run_scenario(load_scenario(ROOT / "scenarios" / "earthquake_lulong.toml"), PARAMS)
    assert res.hub_choice is None and "hubs" not in res.summary()
    assert not res.plan.handoffs


def test_checker_catches_goods_forwarded_before_they_arrived() -> None:
    """The checker's hub rule on a hand-made plan: 10 tents arrive at 3.2 h (after the 3 h cut-off)."""
    from types import SimpleNamespace as NS

    from tests.plan._checker import _hub_resources

    hub = NS(depot_id="H", cutoffs_h=(3.0, 6.0), handling_h=1.0)

    def run(start_h: float, qty: float) -> list[str]:
        bring = NS(
            later=False,
            start_s=0.0,
            stops=[
                NS(
                    point_id="H",
                    departure_s=3.2 * 3600,
                    loads=[NS(source_id="A/own", item_id="tent", quantity=10)],
                )
            ],
        )
        fwd = NS(
            later=False,
            start_s=start_h * 3600,
            stops=[
                NS(
                    point_id="X",
                    departure_s=9 * 3600,
                    loads=[NS(source_id="H⇒7h", item_id="tent", quantity=qty)],
                )
            ],
        )
        routes = [
            NS(depot_id="A", vehicle_id="A#1", trips=[bring]),
            NS(depot_id="H", vehicle_id="H#1", trips=[fwd]),
        ]
        res = NS(model=NS(scenario=NS(hubs=[hub])), plan=NS(routing=NS(routes=routes)))
        bad: list[str] = []
        _hub_resources(res, bad)
        return bad

    assert run(7.0, 10) == []  # second wave: cut-off 6 h + 1 h handling
    assert run(4.5, 10)  # first wave's release, but the tents came after its cut-off
    assert run(2.0, 10)  # before any cut-off + handling
    assert run(7.0, 11)  # more than arrived
