"""``logistics sweep`` and ``logistics critical-roads``: many plans of one scenario, on Dask."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from logistics.cli.args import positive_int
from logistics.cli.lang import t
from logistics.sweep import CriticalParams, SweepParams, critical_roads, run_sweep

if TYPE_CHECKING:
    import argparse


def _dask_args(p: Any) -> None:
    p.add_argument("--workers", type=positive_int, default=None,
                   help=t("local Dask worker processes (default: the cores available, at most 8)", "本机 Dask 工作进程数（默认：可用核数，最多 8）"))  # fmt: skip
    p.add_argument("--scheduler", default=None,
                   help=t("address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786 (its workers read the scenario at the same path)",
                          "已有 Dask 调度器地址，如 tcp://10.0.0.5:8786（其工作进程需能以相同路径读取情景文件）"))  # fmt: skip


def register(sub: Any) -> None:
    """Add the ``sweep`` and ``critical-roads`` sub-commands."""
    s = sub.add_parser(
        "sweep",
        help=t(
            "robustness sweep: many variants of a scenario (Dask)", "稳健性扫描：情景的大量变体（Dask 并行）"
        ),
        description=t(
            "Evaluate N variants of a scenario at the allocation level — hazard centre and magnitude, random "
            "closures by road class with reopening times, demand multipliers, depot outages, drawn from the "
            "scenario's [sweep] table or the hazard's defaults (docs/sweep.md) — and write variants.parquet, a "
            "Chinese summary, plots and a workbook. Rows are written as variants finish; --resume finishes an "
            "interrupted sweep.",
            "在调配层面评估情景的 N 个变体（震中与震级、按道路等级随机中断及抢通时间、需求倍数、储备库失效，分布取自情景文件的 "
            "[sweep] 表或灾种默认值，见 docs/sweep.md），写出 variants.parquet、中文摘要、图表和工作簿。每完成一个变体即写盘；"
            "中断后可用 --resume 续跑。",
        ),
    )
    s.add_argument("scenario", help=t("scenario file (TOML)", "情景文件（TOML）"))
    s.add_argument(
        "--variants",
        type=positive_int,
        default=1000,
        help=t("number of variants (default 1000)", "变体数（默认 1000）"),
    )
    s.add_argument(
        "--seed", type=int, default=0, help=t("seed of the draws (default 0)", "抽样随机种子（默认 0）")
    )
    s.add_argument("--out", required=True, help=t("output folder", "输出目录"))
    s.add_argument(
        "--resume",
        action="store_true",
        help=t("finish an interrupted sweep in --out", "续跑 --out 中未完成的扫描"),
    )
    s.add_argument("--route", type=int, default=0, metavar="K",
                   help=t("also route the trucks of the K worst variants (full plans under worst/)", "对最差的 K 个变体另做车辆路径规划（完整方案在 worst/ 下）"))  # fmt: skip
    _dask_args(s)
    s.set_defaults(func=run_sweep_command)
    c = sub.add_parser(
        "critical-roads",
        help=t(
            "rank road sections by relief lost if cut (抢通优先序)",
            "抢通优先序：按中断造成的救灾物资损失对路段排序",
        ),
        description=t(
            "Screen every road section on the plan's depot→point paths with a proven bound, close the candidates "
            "one by one and re-solve (Dask), rank them by the share of demand no longer met by the deadline "
            "(person-weighted), then close the top ones in pairs. Writes 抢通优先序.xlsx, critical_roads.gpkg "
            "and summary.json.",
            "对调运方案所用线路上的每个路段按可证明的上界进行筛选，逐一中断候选路段并重新求解（Dask 并行），按时限内需求满足率"
            "（按人数加权）的损失排序，再对前几名两两同时中断。写出 抢通优先序.xlsx、critical_roads.gpkg 和 summary.json。",
        ),
    )
    c.add_argument("scenario", help=t("scenario file (TOML)", "情景文件（TOML）"))
    c.add_argument("--out", required=True, help=t("output folder", "输出目录"))
    c.add_argument(
        "--top",
        type=positive_int,
        default=10,
        help=t("sections ranked exactly (default 10)", "精确排序的路段数（默认 10）"),
    )
    c.add_argument(
        "--pairs",
        type=int,
        default=4,
        help=t("top sections closed in pairs (default 4)", "两两组合中断的前几名路段数（默认 4）"),
    )
    _dask_args(c)
    c.set_defaults(func=run_critical_command)


def run_sweep_command(args: argparse.Namespace) -> int:
    """Run the sweep with a progress line, print its summary."""
    zh = args.lang == "zh"

    tty = sys.stderr.isatty()
    shown = [-1]  # the last tenth written as its own line (not a terminal: a log file, cron, a pipe)

    def progress(done: int, total: int, elapsed: float) -> None:
        eta = elapsed / done * (total - done)
        text = (f"扫描进度 {done}/{total}（{100 * done / total:.0f}%），预计剩余 {eta // 60:.0f} 分 {eta % 60:02.0f} 秒"
                if zh else f"sweep {done}/{total} ({100 * done / total:.0f} %), about {eta:.0f} s left")  # fmt: skip
        if tty:  # one line, rewritten in place
            print("\r" + text, end="", file=sys.stderr, flush=True)
        elif (tenth := 10 * done // total) > shown[0]:  # a line per tenth, not one endless line
            shown[0] = tenth
            print(text, file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    res = run_sweep(args.scenario, args.out, SweepParams(variants=args.variants, seed=args.seed, workers=args.workers,
                    scheduler=args.scheduler, resume=args.resume, route_worst=args.route, lang=args.lang),
                    progress=progress)  # fmt: skip
    if tty:
        print(file=sys.stderr)
    print(res.files["text"].read_text(encoding="utf-8"), end="")
    took = time.perf_counter() - t0
    print(f"本次评估 {res.evaluated} 个变体，用时 {took:.0f} 秒；结果在 {res.out_dir}" if zh
          else f"{res.evaluated} variants evaluated in {took:.0f} s; results in {res.out_dir}")  # fmt: skip
    return 0


def run_critical_command(args: argparse.Namespace) -> int:
    """Rank the critical road sections and print the top ones."""
    zh = args.lang == "zh"
    res = critical_roads(args.scenario, args.out, CriticalParams(top=args.top, pairs=args.pairs, workers=args.workers,
                         scheduler=args.scheduler), lang=args.lang, progress=lambda s: print(s, file=sys.stderr))  # fmt: skip
    print(
        ("基准时限内需求满足率 " if zh else "base share met by the deadline ")
        + f"{100 * res.base_share:.2f}%"
    )
    for r in res.ranked:
        label = r["name"] or r["ref"] or (f"路段 {r['section']}" if zh else f"section {r['section']}")
        print(
            f"{r['rank']:>3}. {label} {r['ref']}  "
            + (f"损失 {r['loss_pp']:.2f} 个百分点" if zh else f"loss {r['loss_pp']:.2f} pp")
        )
    if not res.complete:
        print(
            "注意：已达评估次数上限，排序未经证明完整"
            if zh
            else "note: evaluation limit reached, ranking not proven",
            file=sys.stderr,
        )
    return 0
