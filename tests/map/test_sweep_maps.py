"""The one-map view of a critical-roads ranking and of a sweep, in headless Chromium, offline (issues 20, 21)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from logistics.sweep import CriticalParams, SweepParams, critical_roads, run_sweep
from tests.hostile.helpers import assert_located, run_cli
from tests.map.browser import chromium_path, open_page
from tests.sweep.test_critical import TOWNS, _instance

if TYPE_CHECKING:
    from pathlib import Path


def test_critical_roads_and_sweep_on_the_map(tmp_path: Path) -> None:
    chromium_path()
    scenario = _instance(tmp_path, 2)
    ranking = critical_roads(scenario, tmp_path / "critical", CriticalParams(top=3, pairs=2, workers=1))
    html = tmp_path / "critical.html"
    code, _out, err = run_cli("map", tmp_path / "critical", "--out", html)
    assert code == 0, err
    with open_page(html) as v:
        assert v.requests == [] and v.failed == [] and v.errors == []
        assert v.count("critical") == len(ranking.ranked) and v.count("points") == len(TOWNS)
        first = ranking.ranked[0]
        v.page.evaluate(f"logisticsMap.find({json.dumps('1. ' + first['name'])})")  # search opens the popup
        popup = v.page.locator(".leaflet-popup-content").inner_text()
        assert f"{first['loss_pp']:.2f} 个百分点" in popup and "排序" in popup
    sweep = run_sweep(scenario, tmp_path / "sweep", SweepParams(variants=4, seed=1, workers=1))
    html2 = tmp_path / "sweep.html"
    code, _out, err = run_cli("map", tmp_path / "sweep", "--out", html2, "--critical", tmp_path / "critical")
    assert code == 0, err
    with open_page(html2) as v:
        assert v.requests == [] and v.errors == []
        assert v.count("points") == len(TOWNS) and v.count("critical") == len(ranking.ranked)
        short = {r["point"]: r["share_of_variants"] for r in sweep.summary["points_short"]}
        v.page.locator("path.lg-points").first.dispatch_event("click")
        text = v.page.locator(".leaflet-popup-content").inner_text()
        assert "短缺变体占比" in text and any(f"{100 * f:.1f}%" in text for f in [*short.values(), 0.0])
    assert_located(run_cli("map", "--out", html2, "--no-time", "--critical", tmp_path), "critical_roads.gpkg")
