"""A finished sweep's files: the Parquet table, a Chinese summary, plots and a workbook.

Every figure is computed from ``variants.parquet``'s rows (the test suite recomputes them):
quantiles of the share met by the deadline, the exceedance curve of the unmet share
(``P(unmet share ≥ u)``), and how often each item and each point fall short.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.common import atomic_path, mark_header_row, save_workbook, write_text_atomic
from logistics.outputs import find_cjk_font, write_run_outputs
from logistics.plan import RunParams, build_scenario_model, plan_model
from logistics.sweep.spec import SweepSpec
from logistics.sweep.variants import draw_variant, sweep_base

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from logistics.scenario import Scenario

__all__ = ["FIRST_COLUMNS", "sweep_summary", "sweep_table", "write_sweep_outputs"]

#: the Parquet table's first columns (then ``unmet:<item>`` in catalogue-id order)
FIRST_COLUMNS = ("variant", "seed", "centre_lon", "centre_lat", "magnitude_delta", "demand_multiplier", "persons",
                 "closed_links", "closed_link_ids", "depots_out", "share_met_by_deadline", "max_unmet_share",
                 "short_points")  # fmt: skip
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9)
#: said wherever a sweep used the hazard's default distributions (no [sweep] table)
DEFAULTS_NOTE = (
    "扫描分布取灾种默认示意值（非校准的灾害模型，见 docs/sweep.md），可在情景文件 [sweep] 表中替换。"
)


def sweep_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Return the rows as the sweep's table: sorted by variant, columns in a fixed order."""
    import pandas as pd  # heavy: loaded only on this path

    df = pd.DataFrame(rows)
    items = sorted(c for c in df.columns if c.startswith("unmet:"))
    return df[list(FIRST_COLUMNS) + items].sort_values("variant", kind="stable").reset_index(drop=True)


def sweep_summary(table: pd.DataFrame, sc: Scenario, job: dict[str, Any]) -> dict[str, Any]:
    """Return the summary figures of a sweep table (quantiles, exceedance, shortage frequencies)."""
    share = table["share_met_by_deadline"].to_numpy(float)
    unmet = 1.0 - share
    n = len(table)
    cat = sc.region.catalogue
    items = []
    for col in (c for c in table.columns if c.startswith("unmet:")):
        k = col.split(":", 1)[1]
        short = table[col].to_numpy(float) >= 1.0  # at least one unit (or litre, kg) unmet
        items.append({"item": k, "name": cat[k].name_zh, "unit": cat[k].unit, "share_of_variants": round(float(short.mean()), 4),
                      "mean_unmet": round(float(table[col].mean()), 2)})  # fmt: skip
    items.sort(key=lambda r: (-r["share_of_variants"], -r["mean_unmet"], r["item"]))
    names = {p.id: p.name for p in sc.demand}
    counts = Counter(pid for s in table["short_points"] for pid in str(s).split(";") if pid)
    points = [{"point": pid, "name": names.get(pid, pid), "share_of_variants": round(c / n, 4)}
              for pid, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]  # fmt: skip
    grid = np.round(np.linspace(0.0, 1.0, 101), 2)
    return {
        "scenario": sc.name,
        "variants": n,
        "seed": job["seed"],
        "distributions": job["spec"],
        "share_met_by_deadline": {
            "mean": round(float(share.mean()), 6),
            "min": round(float(share.min()), 6),
            "max": round(float(share.max()), 6),
            **{f"q{int(q * 100):02d}": round(float(np.quantile(share, q)), 6) for q in QUANTILES},
        },
        "p_share_below_90": round(float((share < 0.9).mean()), 4),
        "exceedance_unmet_share": [[float(u), round(float((unmet >= u - 1e-12).mean()), 4)] for u in grid],
        "items_short": items,
        "points_short": points,
        "illustrative": [n for n in (sc.illustrative, sc.region.inventory().illustrative_note) if n]
        + ([] if job.get("spec_from_scenario") else [DEFAULTS_NOTE]),
    }


def _text(s: dict[str, Any], zh: bool) -> str:
    q = s["share_met_by_deadline"]
    pct = lambda x: f"{100 * x:.1f}%"  # noqa: E731
    top_items = s["items_short"][:5]
    top_points = s["points_short"][:5]
    if zh:
        lines = [*(f"【示意数据】{n}" for n in s["illustrative"]),
                 f"情景：{s['scenario']}　变体数：{s['variants']}　随机种子：{s['seed']}",
                 f"时限内需求满足率：均值 {pct(q['mean'])}，中位数 {pct(q['q50'])}，最差 5% 分位 {pct(q['q05'])}，最差 {pct(q['min'])}",
                 f"满足率低于 90% 的概率：{pct(s['p_share_below_90'])}",
                 "最常短缺的物资：" + "，".join(f"{r['name']}（{pct(r['share_of_variants'])} 的变体）" for r in top_items),
                 "最常短缺的需求点：" + "，".join(f"{r['name']}（{pct(r['share_of_variants'])}）" for r in top_points)]  # fmt: skip
    else:
        lines = [*(f"[ILLUSTRATIVE] {n}" for n in s["illustrative"]),
                 f"scenario: {s['scenario']}  variants: {s['variants']}  seed: {s['seed']}",
                 f"demand met by the deadline: mean {pct(q['mean'])}, median {pct(q['q50'])}, worst 5 % {pct(q['q05'])}, worst {pct(q['min'])}",
                 f"probability of meeting less than 90 %: {pct(s['p_share_below_90'])}",
                 "items most often short: " + ", ".join(f"{r['item']} ({pct(r['share_of_variants'])})" for r in top_items),
                 "points most often short: " + ", ".join(f"{r['name']} ({pct(r['share_of_variants'])})" for r in top_points)]  # fmt: skip
    return "\n".join(lines) + "\n"


def _plot(s: dict[str, Any], share: np.ndarray, zh: bool) -> bytes:
    from matplotlib import rc_context  # heavy: loaded only on this path
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: as above
    from matplotlib.figure import Figure  # heavy: as above

    font = find_cjk_font()
    zh = zh and font is not None
    with rc_context(
        {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"], "axes.unicode_minus": False}
    ):
        fig = Figure(figsize=(9, 3.6))
        FigureCanvasAgg(fig)
        ax1, ax2 = fig.subplots(1, 2)
        u, p = zip(*s["exceedance_unmet_share"], strict=True)
        ax1.step(np.array(u) * 100, np.array(p) * 100, where="post", color="#c62828")
        ax1.set_xlabel("未满足比例 u（%）" if zh else "unmet share u (%)")
        ax1.set_ylabel("P(未满足比例 ≥ u)（%）" if zh else "P(unmet share ≥ u) (%)")
        ax1.set_title("超越概率曲线" if zh else "exceedance curve")
        ax1.grid(alpha=0.3)
        ax2.hist(share * 100, bins=30, color="#1565c0")
        ax2.set_xlabel("时限内需求满足率（%）" if zh else "demand met by the deadline (%)")
        ax2.set_ylabel("变体数" if zh else "variants")
        ax2.set_title(f"{s['variants']} 个变体" if zh else f"{s['variants']} variants")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def _workbook(path: Path, s: dict[str, Any], table: pd.DataFrame, zh: bool) -> None:
    from openpyxl import Workbook  # heavy: loaded only on this path

    wb = Workbook()
    ws = wb.active
    ws.title = "扫描汇总" if zh else "summary"
    ws.append(["指标", "数值"] if zh else ["figure", "value"])
    mark_header_row(ws, 1)
    for k, v in s["share_met_by_deadline"].items():
        ws.append([f"时限内满足率 {k}" if zh else f"share met {k}", v])
    ws.append(["满足率低于90%的概率" if zh else "P(share < 90 %)", s["p_share_below_90"]])
    ws2 = wb.create_sheet("物资短缺频率" if zh else "items short")
    ws2.append(
        ["物资编号", "物资", "单位", "短缺变体占比", "平均缺口"]
        if zh
        else ["item", "name", "unit", "share of variants", "mean unmet"]
    )
    mark_header_row(ws2, 1)
    for r in s["items_short"]:
        ws2.append([r["item"], r["name"], r["unit"], r["share_of_variants"], r["mean_unmet"]])
    ws3 = wb.create_sheet("需求点短缺频率" if zh else "points short")
    ws3.append(["需求点编号", "需求点", "短缺变体占比"] if zh else ["point", "name", "share of variants"])
    mark_header_row(ws3, 1)
    for r in s["points_short"]:
        ws3.append([r["point"], r["name"], r["share_of_variants"]])
    ws4 = wb.create_sheet("各变体" if zh else "variants")
    ws4.append(list(table.columns))
    mark_header_row(ws4, 1)
    for row in table.itertuples(index=False):
        ws4.append([v.item() if hasattr(v, "item") else v for v in row])
    save_workbook(wb, path, title="稳健性扫描" if zh else "Robustness sweep")


def _route_worst(
    out: Path, sc: Scenario, table: pd.DataFrame, job: dict[str, Any], k: int
) -> list[dict[str, Any]]:
    """Route the trucks of the ``k`` worst variants; their full plans go under ``worst/``."""
    base = sweep_base(sc)
    spec = SweepSpec.from_dict(job["spec"])
    worst = table.sort_values(["share_met_by_deadline", "variant"]).head(k)
    rows = []
    for i in worst["variant"]:
        _rec, vsc, closures = draw_variant(base, spec, job["seed"], int(i))
        model = build_scenario_model(vsc, network=base.network, extra_disruptions=closures)
        res = plan_model(model, RunParams(routing_iterations=300, seed=job["seed"]))
        folder = out / "worst" / f"v{int(i):06d}"
        write_run_outputs(res, folder)
        share = res.plan.demand_met_share_by_deadline if res.plan is not None else float("nan")
        rows.append({"variant": int(i), "allocation_share": float(table.loc[table.variant == i, "share_met_by_deadline"].iloc[0]),
                     "routed_share": round(float(share), 6), "folder": str(folder.relative_to(out))})  # fmt: skip
    return rows


def write_sweep_outputs(
    out: Path,
    sc: Scenario,
    rows: list[dict[str, Any]],
    job: dict[str, Any],
    *,
    lang: str = "zh",
    route_worst: int = 0,
) -> tuple[pd.DataFrame, dict[str, Any], dict[str, Path]]:
    """Write ``variants.parquet``, ``summary.json``, ``摘要.txt``, ``sweep.png`` and ``sweep.xlsx``.

    Parameters
    ----------
    out
        The sweep's folder.
    sc
        The scenario swept.
    rows
        One row per variant.
    job
        The job record (``sweep.json``).
    lang
        Language of the text, plots and workbook.
    route_worst
        Route this many worst variants (``worst/`` and ``worst.csv``).
    """
    zh = lang == "zh"
    table = sweep_table(rows)
    summary = sweep_summary(table, sc, job)
    if route_worst > 0:
        summary["worst_routed"] = _route_worst(out, sc, table, job, route_worst)
    files = {"table": out / "variants.parquet", "summary": out / "summary.json", "text": out / ("摘要.txt" if zh else "summary.txt"),
             "plot": out / "sweep.png", "workbook": out / "sweep.xlsx"}  # fmt: skip
    with atomic_path(files["table"]) as tmp:
        table.to_parquet(tmp, index=False, engine="pyarrow")
    write_text_atomic(files["summary"], json.dumps(summary, ensure_ascii=False, indent=1))
    write_text_atomic(files["text"], _text(summary, zh))
    with atomic_path(files["plot"]) as tmp:
        tmp.write_bytes(_plot(summary, table["share_met_by_deadline"].to_numpy(float), zh))
    _workbook(files["workbook"], summary, table, zh)
    return table, summary, files
