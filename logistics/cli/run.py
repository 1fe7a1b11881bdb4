"""``logistics run``: allocate relief stock and plan vehicle routes for a scenario."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from logistics.allocation import REASON_ZH
from logistics.outputs import write_run_outputs
from logistics.plan import RunParams, run_scenario
from logistics.scenario import load_scenario

if TYPE_CHECKING:
    import argparse

_STEPS_ZH = {
    "roads": "计算道路通行时间（含封路与抢通）",
    "model": "构建调配模型",
    "allocation": "求解物资调配（OR-Tools）",
    "routing": "规划车辆路线（PyVRP）",
    "feedback": "路线晚于时限：回馈调配模型重新求解",
    "tables": "写出调配表与调拨单",
    "routes": "写出路线、排班与派车单",
}
_STEPS_EN = {
    "roads": "road travel times (closures and reopenings)",
    "model": "building the allocation model",
    "allocation": "solving the allocation (OR-Tools)",
    "routing": "planning vehicle routes (PyVRP)",
    "feedback": "routed stops late: re-solving the allocation",
    "tables": "writing allocation tables and transfer orders",
    "routes": "writing routes, schedules and dispatch sheets",
}


def register(sub: Any) -> None:
    """Add the ``run`` sub-command."""
    p = sub.add_parser(
        "run",
        help="run a response scenario: allocation and routes / 运行应急调配情景",
        description=(
            "Allocate relief stock from depots to demand points by the deadline over the (disrupted) "
            "road network, plan truck routes, and write summary.json, allocation tables, 调拨单, "
            "map layers for QGIS, routes, schedules and dispatch sheets into --out."
        ),
    )
    p.add_argument("scenario", help="scenario file (TOML), e.g. scenarios/earthquake_lulong.toml")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--seed", type=int, default=None, help="solver seed (default: the scenario's)")
    p.add_argument("--objective", choices=("lexicographic", "delivered", "equity", "person_hours", "ton_km"),
                   default=None, help="override the scenario's objective")  # fmt: skip
    p.add_argument("--no-routing", action="store_true", help="allocation only, no vehicle routes")
    p.add_argument(
        "--routing-iterations",
        type=int,
        default=200,
        help="routing search iterations per depot (default 200; deterministic with the seed)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the scenario and write its outputs."""
    zh = args.lang == "zh"
    steps = _STEPS_ZH if zh else _STEPS_EN
    t0 = time.perf_counter()

    def progress(step: str) -> None:
        print(f"[{time.perf_counter() - t0:6.1f}s] {steps.get(step, step)}…", file=sys.stderr, flush=True)

    print(("读取情景 " if zh else "reading ") + args.scenario, file=sys.stderr, flush=True)
    scenario = load_scenario(args.scenario)
    res = run_scenario(
        scenario,
        RunParams(seed=args.seed, objective=args.objective, routing=not args.no_routing,
                  routing_iterations=args.routing_iterations),
        progress=progress,
    )  # fmt: skip
    files = write_run_outputs(res, args.out, lang=args.lang, progress=progress)
    s = res.summary()
    for note in s["illustrative"]:
        print(("【示意数据】" if zh else "[ILLUSTRATIVE] ") + note)
    a = s["demand_met_share_by_deadline"]
    if zh:
        print(f"{scenario.name}：{scenario.deadline_h:g}小时内需求满足率 {a:.1%}，单点最大缺口比例 {s['max_unmet_share']:.1%}"
              f"（求解状态 {s['status']}，随机种子 {s['seed']}）")  # fmt: skip
    else:
        print(f"{scenario.name}: demand met by {scenario.deadline_h:g} h: {a:.1%}; largest unmet share at a point "
              f"{s['max_unmet_share']:.1%} (status {s['status']}, seed {s['seed']})")  # fmt: skip
    worst = sorted(s["unmet"]["by_point"], key=lambda u: -u["unmet_share"])[:5]
    for u in worst:
        if u["unmet_share"] > 0:
            reasons = sorted({REASON_ZH.get(x["reason"], x["reason"]) if zh else x["reason"]
                              for x in s["unmet"]["lines"] if x["point"] == u["point"]})  # fmt: skip
            print(
                f"  {u['name']}: {'缺口' if zh else 'unmet'} {u['unmet_share']:.0%}（{'、'.join(reasons)}）"
            )
    if s["routes"]:
        r = s["routes"]
        late = len(r.get("late") or [])
        routed = r.get("demand_met_share_by_deadline_routed")
        print(f"车辆路线：{r.get('vehicles_used')} 辆车，{r.get('trips')} 趟；按路线时限内送达 {routed:.1%}；晚于时限的停靠点 {late} 个（已列入 summary.json）"
               if zh else f"routes: {r.get('vehicles_used')} vehicles, {r.get('trips')} trips; delivered by the deadline along the routes {routed:.1%}; late stops {late} (listed in summary.json)")  # fmt: skip
    print(("输出目录：" if zh else "outputs: ") + str(files["summary"].parent))
    return 0
