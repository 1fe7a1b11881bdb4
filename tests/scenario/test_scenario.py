"""Scenario files: demo scenarios load; demand from norms; bad scenarios name file and field."""

from __future__ import annotations

import csv

import pytest

from logistics.exceptions import ScenarioError
from logistics.scenario import load_scenario
from tests.helpers import DATA_DIR, ROOT

DEMOS = sorted((ROOT / "scenarios").glob("*.toml"))


def test_three_demo_scenarios() -> None:
    assert {p.stem for p in DEMOS} >= {"earthquake_lulong", "flood_luanhe", "typhoon_surge"}


@pytest.mark.parametrize("path", DEMOS, ids=[p.stem for p in DEMOS])
def test_demo_scenario_loads(path) -> None:
    s = load_scenario(path)
    assert s.demand and s.fleet and s.depot_ids and s.illustrative
    assert all(p.persons > 0 for p in s.demand)


def test_demand_from_norms() -> None:
    s = load_scenario(ROOT / "scenarios" / "earthquake_lulong.toml")
    town = next(p for p in s.demand if p.name == "卢龙镇")
    assert (town.relocated, town.need_relief) == (4000, 6000)
    # shelter items only for the relocated; water for everybody, 3 L per person per day, 3 days
    assert s.demand_of(town, "folding_bed") == 4000
    assert s.demand_of(town, "tent_12m2_single") == 1539  # ceil(4000 / 2.6)
    assert s.demand_of(town, "drinking_water") == 10000 * 3 * 3
    assert s.demand_of(town, "quilt") == 10000
    assert ("folding_bed", "sleeping_bag") in s.substitutes
    # the substitute is outside the basic kit: it joins the items, with no demand of its own
    assert "sleeping_bag" in s.item_ids and s.substitute_only_ids == ("sleeping_bag",)
    assert s.demand_of(town, "sleeping_bag") == 0
    assert not any(k == "sleeping_bag" for _, k in s.demand_table())


with open(DATA_DIR / "bad_scenarios" / "EXPECTED.csv", encoding="utf-8") as f:
    BAD = list(csv.DictReader(f))


@pytest.mark.parametrize("case", BAD, ids=[r["file"] for r in BAD])
def test_bad_scenario(case) -> None:
    path = DATA_DIR / "bad_scenarios" / case["file"]
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert case["message"] in str(exc.value)
    assert case["file"] in str(exc.value)
    assert len(exc.value.problems) == 1, exc.value.problems  # one bad value, one error
    (problem,) = exc.value.problems
    assert problem.column == case["field"], problem
    if case["value"]:
        assert problem.value == case["value"], problem
