"""Stock past an expiry date derived from an assumed shelf life: counted, flagged, and both figures given."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
import sys

import pytest

from logistics.region import demo_region, inventory_from_file, load_rules
from logistics.stock import load_catalogue
from logistics.sufficiency import CheckParams, SufficiencyParams, check_quantity, check_text, run_check
from tests.helpers import DATA_DIR

DAY = dt.date(2026, 12, 14)


@pytest.fixture(scope="module")
def demo_report():
    """The demo region's check on 2026-12-14, when 2,530 lamps are past their assumed expiry date."""
    return run_check(demo_region(), CheckParams(date=DAY, time_check=False))


def test_level_met_on_assumption_says_so(tmp_path) -> None:
    # rules: design persons IV 100, III 200, II 400; lamps 1 per household of 2.6 -> 39, 77, 154
    p = tmp_path / "inv.csv"
    with open(p, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(("id", "name", "level", "lon", "lat", "item", "quantity", "production_date"))
        w.writerow(("D1", "库", "县", "119", "39.9", "应急照明灯", "80盏", "2023-12-14"))  # assumed 1095 d
    inv = inventory_from_file(p)
    rules = load_rules(DATA_DIR / "good_rules.toml")
    res = check_quantity(inv, rules, SufficiencyParams(date=DAY, items=("emergency_light",)))
    lamps = res.levels["III"].items[0]
    assert lamps.usable == 80 and lamps.past_assumed_expiry == 80
    assert res.levels["III"].met and not res.levels["III"].met_excluding_assumed_expiry
    assert res.highest_level_met == "III"
    assert res.highest_level_met_excluding_assumed_expiry is None
    d = res.to_dict()
    assert d["excluding_assumed_expiry"]["highest_level_met"] is None
    assert d["levels"]["III"]["rests_on_assumed_expiry"] is True
    assert d["levels"]["III"]["items"][0]["past_assumed_expiry"] == 80
    strict = check_quantity(
        inv, rules, SufficiencyParams(date=DAY, items=("emergency_light",), apply_assumed_expiry=True)
    )
    assert strict.levels["III"].items[0].usable == 0 and strict.highest_level_met is None


def test_demo_does_not_drop_to_iv_on_the_assumed_lamp_shelf_life(demo_report) -> None:
    r = demo_report
    assert r["highest_level_met"] == "III"
    assert r["excluding_assumed_expiry"]["highest_level_met"] == "IV"
    lamps = next(i for i in r["levels"]["III"]["items"] if i["item"] == "emergency_light")
    assert lamps["past_assumed_expiry"] == 2530  # 1,090 + 740 + 700 lamps made 2023-11/12
    past = [a for a in r["to_verify"] if a["past_assumed_expiry"] and a["item"] == "emergency_light"]
    assert sum(a["quantity"] for a in past) == 2530
    assert {a["assumed_shelf_life_days"] for a in past} == {1095}
    assert {a["depot_name"] for a in past} >= {"海港区救灾物资储备库", "秦皇岛市救灾物资储备库"}
    assert all(a["counted_as_usable"] for a in r["to_verify"])
    # stock whose date is only assumed is not offered for disposal as expired
    assert not any(e["item"] == "emergency_light" for e in r["expiring"])


def test_check_text_names_the_figures_that_rest_on_assumptions(demo_report) -> None:
    text = check_text(demo_report)
    assert "当前可满足的最高响应级别：Ⅲ级" in text
    assert "若剔除按假定保质期判定已过期的批次，最高满足级别为Ⅳ级" in text
    assert "需核查" in text and "假定保质期(天)" in text and "2026-11-08" in text
    assert "5,763*" in text  # the lamp figure is starred, with its footnote
    assert "剔除需核查批次后满足" in text
    en = check_text(demo_report, lang="en")
    assert "excluding them, the highest level met would be IV" in en and "To verify" in en


def test_chinese_text_uses_chinese_item_names(demo_report) -> None:
    text = check_text(demo_report)
    ids = [item.id for item in load_catalogue()]
    assert not [i for i in ids if i in text]
    assert "家庭应急包" in text.split("达到Ⅱ级的采购清单")[1]  # unpriced items named in Chinese
    en = check_text(demo_report, lang="en")
    assert "emergency_light" in en and "family_kit" in en  # English keeps the ids
    # the program's own words are English: what the stock covers, and met or not
    assert "满足" not in en.split("Mutual aid")[0].replace(demo_report["rules"]["name"], "")
    assert re.search(r"  [\d,]+ persons\n", en) and re.search(r"  [\d,]+ persons for [\d.]+ days\n", en)
    level_rows = en.split("All levels")[1].split("By county")[0]
    assert "yes" in level_rows and "no" in level_rows and "True" not in level_rows
    # every table names items by id in English, as the first ones do
    purchase = en.split("Purchase list")[1]
    assert "folding_bed" in purchase and "折叠床" not in purchase
    expiring = en.split("Expiring stock")[1].split("To verify")[0]
    assert "staple_food" in expiring and "方便食品" not in expiring


def test_cli_json_has_the_list_to_verify() -> None:
    r = subprocess.run([sys.executable, "-m", "logistics", "check", "--json", "--date", DAY.isoformat(), "--no-time"],
                       capture_output=True, text=True, check=False)  # fmt: skip
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["highest_level_met"] == "III"
    assert d["excluding_assumed_expiry"]["highest_level_met"] == "IV"
    lamps = [a for a in d["to_verify"] if a["item"] == "emergency_light" and a["past_assumed_expiry"]]
    assert lamps and all(a["assumed_shelf_life_days"] == 1095 for a in lamps)
    assert {"depot", "batch", "quantity", "assumed_expiry_date"} <= set(lamps[0])
