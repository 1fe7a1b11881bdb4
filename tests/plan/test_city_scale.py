"""A city-scale scenario (every township and 300 shelters) runs in the certified mode (issue 17).

The scenario comes from ``bench/scenarios.py`` (``city_scale_scenario``), as the
bench uses it; the run is without routing (the allocation is what is tested).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from logistics.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def _bench_scenarios():
    spec = importlib.util.spec_from_file_location("bench_scenarios", ROOT / "bench" / "scenarios.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_city_scale_scenario_runs_certified_and_reports_bound_and_gap(tmp_path: Path, capsys) -> None:
    scen = _bench_scenarios().city_scale_scenario(ROOT, tmp_path, shelters=300)
    out = tmp_path / "out"
    assert main(["run", str(scen), "--out", str(out), "--no-routing", "--jobs", "2"]) == 0
    err = capsys.readouterr().err
    assert "大规模调配 第1轮" in err  # progress per round of the certified mode
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    solver = s["solver"]
    assert solver["method"] == "certified"
    a = s["objectives"]["demand_met_share_by_deadline"]  # the allocation's objective (a), 4 decimals
    assert solver["bound"] >= a - 1e-4
    assert solver["gap"] == pytest.approx((solver["bound"] - a) / solver["bound"], abs=1e-3)
    assert solver["gap"] <= 0.01


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_city_scale_scenario_with_a_hub_runs_certified(tmp_path: Path) -> None:
    """The same scenario with 卢龙县's depot as a transfer hub: still the certified mode, bound and gap reported."""
    scen = _bench_scenarios().city_scale_scenario(ROOT, tmp_path, shelters=300, hub="卢龙县救灾物资储备库")
    out = tmp_path / "out"
    assert main(["run", str(scen), "--out", str(out), "--no-routing", "--jobs", "2"]) == 0
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    solver = s["solver"]
    assert solver["method"] == "certified"
    a = s["objectives"]["demand_met_share_by_deadline"]
    assert solver["bound"] >= a - 1e-4
    assert solver["gap"] <= 0.01
    assert "hubs" in json.dumps(s, ensure_ascii=False)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_city_scale_scenario_with_an_allocation_time_limit(tmp_path: Path, capsys) -> None:
    """``--allocation-time-limit``: a limit already passed at the first check (deterministic) returns
    the best plan so far — here nothing planned — with a valid bound, flagged in summary.json and
    on the console."""
    scen = _bench_scenarios().city_scale_scenario(ROOT, tmp_path, shelters=300)
    out = tmp_path / "out"
    args = [
        "run",
        str(scen),
        "--out",
        str(out),
        "--no-routing",
        "--jobs",
        "1",
        "--allocation-time-limit",
        "1e-6",
    ]
    assert main(args) == 0
    console = capsys.readouterr().out
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    solver = s["solver"]
    assert solver["method"] == "certified" and solver["time_limited"] is True
    a = s["objectives"]["demand_met_share_by_deadline"]
    assert solver["bound"] >= a - 1e-4
    assert solver["gap"] == pytest.approx((solver["bound"] - a) / solver["bound"], abs=1e-3)
    assert "已到调配求解时限" in console


@pytest.mark.parametrize("value", [0.0, -1.0, float("nan"), float("inf")])
def test_run_params_refuse_a_time_limit_that_is_not_positive(value: float) -> None:
    from logistics.plan import RunParams

    with pytest.raises(ValueError, match="allocation_time_limit_s"):
        RunParams(allocation_time_limit_s=value)
