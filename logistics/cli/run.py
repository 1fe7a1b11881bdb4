"""``logistics run``: allocate relief stock and plan vehicle routes for a scenario."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from logistics.cli.args import positive_int, seconds
from logistics.cli.lang import t
from logistics.common import available_cores, check_output_dir
from logistics.outputs import WRITER_MODULES, write_run_outputs
from logistics.plan import UNMET_REASON_ZH, RunParams, run_scenario
from logistics.scenario import load_scenario

if TYPE_CHECKING:
    import argparse

_STEPS_ZH = {
    "roads": "计算各时段道路通行时间（封路、抢通、限速）",
    "model": "构建调配模型",
    "allocation": "求解物资调配与上界（OR-Tools）",
    "routing": "规划车辆路线并保证按时送达（PyVRP）",
    "plan": "汇总可执行调运方案",
    "tables": "写出调配表与调拨单",
    "routes": "写出路线、排班与派车单",
    "hubs:direct": "对照方案：全部直送（不经中转站）",
}
_STEPS_EN = {
    "roads": "road travel times per road state (closures, reopenings, slowdowns)",
    "model": "building the allocation model",
    "allocation": "solving the allocation and its bound (OR-Tools)",
    "routing": "routing the trucks, keeping the deadlines (PyVRP)",
    "plan": "deriving the plan from the routes",
    "tables": "writing allocation tables and transfer orders",
    "routes": "writing routes, schedules and dispatch sheets",
    "hubs:direct": "the comparison plan: direct delivery only (no hubs)",
}


def step_text(step: str, zh: bool) -> str:
    """Console line of a progress step of :func:`~logistics.plan.run_scenario` or the output writers."""
    if step.startswith("allocation_round:"):
        return _round_text(step, zh)
    return f"{(_STEPS_ZH if zh else _STEPS_EN).get(step, step)}…"


def _round_text(step: str, zh: bool) -> str:
    """Console line of one round of the certified allocation (``allocation_round:n:bound:plan:gap``)."""
    _tag, n, bound, plan, gap = step.split(":")
    if zh:
        return f"  大规模调配 第{n}轮：上界 {float(bound):.4f}，方案 {float(plan):.4f}，差距 {100 * float(gap):.2f}%"
    return f"  certified allocation, round {n}: bound {float(bound):.4f}, plan {float(plan):.4f}, gap {100 * float(gap):.2f} %"


def register(sub: Any) -> None:
    """Add the ``run`` sub-command."""
    p = sub.add_parser(
        "run",
        help=t("run a response scenario: allocation and routes", "运行应急调配情景：物资调配与车辆路线"),
        description=t(
            "Allocate relief stock from depots to demand points by the deadline over the (disrupted) "
            "road network, route the trucks so that every stop of the by-deadline wave is on time "
            "(what cannot make it goes in a later wave), and write summary.json, allocation tables, "
            "调拨单, map layers for QGIS, routes, schedules and dispatch sheets into --out. Every "
            "figure comes from the routed trucks (docs/plan.md).",
            "在（受损的）路网上把各库点的救灾物资按时限调配到需求点，规划车辆路线，保证时限内波次的"
            "每一站都按时送达（赶不上的放入后续波次），并在 --out 目录写出 summary.json、调配表、"
            "调拨单、QGIS 图层、路线、排班表和派车单。所有数字都来自实际排出的车辆路线（见 docs/plan.md）。",
        ),
    )
    p.add_argument(
        "scenario",
        help=t(
            "scenario file (TOML), e.g. scenarios/earthquake_lulong.toml",
            "情景文件（TOML），如 scenarios/earthquake_lulong.toml",
        ),
    )
    p.add_argument("--out", required=True, help=t("output folder", "输出目录"))
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        help=t("solver seed (default: the scenario's)", "求解随机种子（默认取情景文件中的值）"),
    )
    p.add_argument("--objective", choices=("lexicographic", "delivered", "equity", "person_hours", "ton_km"),
                   default=None, help=t("override the scenario's objective", "替换情景文件中的优化目标"))  # fmt: skip
    p.add_argument(
        "--no-routing",
        action="store_true",
        help=t("allocation only, no vehicle routes", "只做物资调配，不规划车辆路线"),
    )
    p.add_argument("--routing-iterations", type=int, default=2000,
                   help=t("most routing search iterations per depot and pass (default 2000; deterministic)", "每个库点每轮路线搜索的最多迭代次数（默认 2000；结果可复现）"))  # fmt: skip
    p.add_argument("--routing-no-improvement", type=int, default=300,
                   help=t("stop a depot's search after this many iterations without a better plan (default 300)", "连续这么多次迭代无改进即停止该库点的搜索（默认 300）"))  # fmt: skip
    p.add_argument("--replan-rounds", type=int, default=3,
                   help=t("re-plan what missed the deadline on the stock and truck time left (default 3)", "对未能按时送达的部分，用剩余库存和车辆时间重新规划的轮数（默认 3）"))  # fmt: skip
    p.add_argument("--allocation-time-limit", type=seconds, default=None, metavar="SECONDS",
                   help=t("wall-clock limit of a large scenario's allocation (certified mode): the best plan by then is used, with its bound and gap (default: none)", "大规模情景（certified 模式）物资调配的求解时限（秒）：到时采用当前最优方案，并报告上界与差距（默认不限）"))  # fmt: skip
    p.add_argument("--jobs", type=positive_int, default=None,
                   help=t("processes to use (default: the cores available, at most 8); results do not depend on it", "使用的进程数（默认：可用核数，最多 8）；结果与进程数无关"))  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the scenario and write its outputs."""
    zh = args.lang == "zh"
    t0 = time.perf_counter()

    def progress(step: str) -> None:
        print(f"[{time.perf_counter() - t0:6.1f}s] {step_text(step, zh)}", file=sys.stderr, flush=True)

    check_output_dir(args.out)  # a bad --out fails before the solve, not after
    print(("读取情景 " if zh else "reading ") + args.scenario, file=sys.stderr, flush=True)
    scenario = load_scenario(args.scenario)
    read_s = time.perf_counter() - t0
    jobs = args.jobs if args.jobs is not None else min(available_cores(), 8)
    res = run_scenario(
        scenario,
        RunParams(seed=args.seed, objective=args.objective, routing=not args.no_routing,
                  routing_iterations=args.routing_iterations, routing_no_improvement=args.routing_no_improvement,
                  replan_rounds=args.replan_rounds, jobs=jobs, preload=WRITER_MODULES,
                  allocation_time_limit_s=args.allocation_time_limit),
        progress=progress,
    )  # fmt: skip
    res.timings_s["read_s"] = read_s
    files = write_run_outputs(res, args.out, lang=args.lang, progress=progress, jobs=jobs)
    _print_summary(res.summary(), scenario.name, scenario.deadline_h, zh)
    print(("输出目录：" if zh else "outputs: ") + str(files["summary"].parent))
    return 0


def _print_hubs(h: dict[str, Any], zh: bool) -> None:
    """Print the transfer hubs: tonnage in and forwarded, and whether the hub plan was kept."""
    for x in h["hubs"]:
        got, fwd = x.get("received_t", 0.0), x.get("forwarded_t", 0.0)
        print(f"  中转站 {x['name']}：调配计划经转 {x['planned_t']:g} 吨，车辆运抵 {got:g} 吨，按时转运送达 {fwd:g} 吨"
              if zh else f"  hub {x['name']}: planned through it {x['planned_t']:g} t, unloaded there {got:g} t, "
              f"forwarded by the deadlines {fwd:g} t")  # fmt: skip
    if h["direct_only"] is not None:
        kept = h["chosen"] == "hubs"
        print((f"  经中转方案 {h['with_hubs']:.1%}，全部直送方案 {h['direct_only']:.1%}：采用"
               + ("经中转方案" if kept else "直送方案（中转未带来更多按时送达）")) if zh else
              (f"  through the hubs {h['with_hubs']:.1%}, direct only {h['direct_only']:.1%}: kept "
               + ("the hub plan" if kept else "the direct plan (the hubs did not deliver more in time)")))  # fmt: skip


def _print_summary(s: dict[str, Any], name: str, deadline_h: float, zh: bool) -> None:
    """Print the console report: headline from the routed plan, bound, worst points, trucks."""
    for note in s["illustrative"]:
        print(("【示意数据】" if zh else "[ILLUSTRATIVE] ") + note)
    a, worst, pl = s["demand_met_share_by_deadline"], s["max_unmet_share"], s["plan"]
    if zh:
        src = "按车辆路线实际送达" if pl["routed"] else "调配模型估计（未规划路线）"
        print(f"{name}：{deadline_h:g}小时内需求满足率 {a:.1%}（{src}），可服务点中单点最大缺口比例 {worst:.1%}"
              f"（求解状态 {s['status']}，随机种子 {s['seed']}）")  # fmt: skip
        print(f"  调配模型承诺 {pl['allocation']:.1%}；上界 {pl['bound']:.1%}" +
              (f"；方案达到上界的 {pl['quality']:.1%}" if pl.get("quality") is not None else ""))  # fmt: skip
    else:
        src = "delivered by the routed trucks" if pl["routed"] else "allocation estimate (not routed)"
        print(f"{name}: demand met by {deadline_h:g} h: {a:.1%} ({src}); largest unmet share at a servable point "
              f"{worst:.1%} (status {s['status']}, seed {s['seed']})")  # fmt: skip
        print(f"  allocation promised {pl['allocation']:.1%}; bound {pl['bound']:.1%}" +
              (f"; plan reaches {pl['quality']:.1%} of the bound" if pl.get("quality") is not None else ""))  # fmt: skip
    sv = s["solver"]
    if sv.get("time_limited"):
        print(f"  已到调配求解时限：采用当前最优方案，上界 {sv['bound']:.1%}，差距 {sv['gap']:.1%}" if zh else
              f"  allocation time limit reached: best plan so far used, bound {sv['bound']:.1%}, gap {sv['gap']:.1%}")  # fmt: skip
    if s.get("hubs"):
        _print_hubs(s["hubs"], zh)
    if pl.get("unservable_points"):
        print(("  无任何库点能服务的点（不计入单点缺口）：" if zh else "  points no source can serve (not in the largest unmet share): ")
              + ("、" if zh else ", ").join(pl["unservable_point_names"]))  # fmt: skip
    reasons: dict[str, set[str]] = {}
    for x in s["unmet"]["lines"]:
        reasons.setdefault(x["point"], set()).add(
            UNMET_REASON_ZH.get(x["reason"], x["reason"]) if zh else x["reason"]
        )
    worst_points = sorted(s["unmet"]["by_point"], key=lambda u: (-u["unmet_share"], u["point"]))[:5]
    for u in worst_points:
        if u["unmet_share"] > 0:
            why = sorted(reasons.get(u["point"], []))
            print(f"  {u['name']}: 缺口 {u['unmet_share']:.0%}（{'、'.join(why)}）" if zh else
                  f"  {u['name']}: unmet {u['unmet_share']:.0%} ({', '.join(why)})")  # fmt: skip
    r = s["routes"]
    if r:
        later = len(r.get("later_wave") or [])
        print(f"车辆路线：{r['vehicles_used']} 辆车，{r['trips']} 趟；时限内停靠点全部按时；后续批次停靠 {later} 个"
              if zh else f"routes: {r['vehicles_used']} vehicles, {r['trips']} trips; every stop of the by-deadline "
              f"wave on time; later-wave stops {later}")  # fmt: skip
