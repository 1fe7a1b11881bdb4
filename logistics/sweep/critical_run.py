"""``logistics critical-roads``: screen, rank exactly on Dask, and write 抢通优先序 (XLSX, GeoPackage).

The method and its guarantee are in :mod:`logistics.sweep.critical`.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.allocation import AllocationParams, solve_allocation
from logistics.common import (
    atomic_dir,
    atomic_path,
    check_output_dir,
    mark_header_row,
    save_workbook,
    write_text_atomic,
)
from logistics.plan import build_scenario_model
from logistics.sweep.cluster import dask_client, run_keyed
from logistics.sweep.critical import (
    CriticalParams,
    CriticalResult,
    critical_task,
    link_bounds,
    next_batch,
    progress_text,
    ranking_done,
)
from logistics.sweep.links import road_sections
from logistics.sweep.variants import base_for

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.sweep.variants import SweepBase

__all__ = ["critical_roads"]

#: Chinese names of the GeoPackage and workbook fields (English ones with ``lang="en"``)
FIELDS_ZH = {"rank": "排序", "section": "路段编号", "name": "道路名称", "ref": "道路编号", "highway": "道路等级",
             "length_m": "长度（米）", "loss_pp": "时限内满足率损失（百分点）", "bound_pp": "损失上界（百分点）",
             "pairs_using": "经过的调运线路数"}  # fmt: skip


def _section_info(base: SweepBase, links: list[int]) -> dict[str, Any]:
    net = base.network
    edges = [int(base.links.first_edge[lk]) for lk in links]
    names = Counter(str(net.name[e]) for e in edges if net.name[e] not in (None, ""))
    refs = Counter(str(net.ref[e]) for e in edges if net.ref[e] not in (None, ""))
    classes = Counter(str(net.highway[e]) for e in edges)
    return {"links": [int(x) for x in links], "name": names.most_common(1)[0][0] if names else "",
            "ref": refs.most_common(1)[0][0] if refs else "", "highway": classes.most_common(1)[0][0],
            "length_m": round(float(sum(net.length_m[e] for e in edges)), 1)}  # fmt: skip


def critical_roads(
    scenario_path: str | Path,
    out_dir: str | Path | None = None,
    params: CriticalParams | None = None,
    *,
    lang: str = "zh",
    progress: Callable[[str], None] | None = None,
) -> CriticalResult:
    """Rank a scenario's road sections by the relief lost by the deadline when each is cut.

    Parameters
    ----------
    scenario_path
        The scenario file (Dask workers read it at the same path).
    out_dir
        Where to write ``抢通优先序.xlsx``, ``critical_roads.gpkg`` and ``summary.json``
        (nothing written when ``None``).
    params
        Options.
    lang
        Language of the outputs and progress lines.
    progress
        Called with one line per round of evaluations.
    """
    params = params or CriticalParams()
    say = progress or (lambda _s: None)
    zh = lang == "zh"
    path = str(Path(scenario_path).resolve())
    out = check_output_dir(out_dir) if out_dir is not None else None
    base = base_for(path)  # bad input fails here, before any cluster starts
    seed = base.scenario.seed
    model = build_scenario_model(base.scenario, network=base.network)
    res = solve_allocation(model.problem, AllocationParams(objective="delivered", seed=seed))
    a0 = float(res.demand_met_share_by_deadline)
    link_u, pairs_on = link_bounds(model, res, base.links.edge_link)
    section = road_sections(base.network, base.links, np.asarray(model.timed.snapped.node))
    members: dict[int, list[int]] = defaultdict(list)
    for lk in range(len(base.links)):
        members[int(section[lk])].append(lk)
    bounds: dict[int, float] = {}
    for lk, u in link_u.items():
        sec = int(section[lk])
        bounds[sec] = max(bounds.get(sec, 0.0), u)
    ranked_bounds = sorted(((sc, u) for sc, u in bounds.items() if u > 1e-12), key=lambda t: (-t[1], t[0]))

    def edges_of(*secs: int) -> tuple[int, ...]:
        return tuple(int(e) for sc in secs for lk in members[sc] for e in base.links.edges(lk))

    evaluated: dict[int, float] = {}
    pair_values: dict[tuple[int, int], float] = {}
    with dask_client(workers=params.workers, scheduler=params.scheduler) as client:
        size = params.batch or 2 * max(1, len(client.scheduler_info().get("workers", {})))

        def keep(key: str, value: float) -> None:
            secs = tuple(int(x) for x in key.rsplit("-", 1)[1].split("+"))
            if len(secs) == 1:
                evaluated[secs[0]] = value
            else:
                pair_values[(secs[0], secs[1])] = value

        def tasks(groups: list[tuple[int, ...]]) -> list[tuple[str, tuple[Any, ...]]]:
            return [
                (f"logistics-critical-{seed}-{'+'.join(map(str, g))}", (path, edges_of(*g), seed))
                for g in groups
            ]

        while (
            not ranking_done(ranked_bounds, evaluated, a0, params.top)
            and len(evaluated) < params.max_evaluations
        ):
            batch = next_batch(ranked_bounds, evaluated, min(size, params.max_evaluations - len(evaluated)))
            run_keyed(client, critical_task, tasks([(sc,) for sc in batch]), keep)
            losses = sorted((a0 - v for v in evaluated.values()), reverse=True)
            rest = [u for sc, u in ranked_bounds if sc not in evaluated]
            say(progress_text(len(evaluated), max(rest, default=0.0),
                              losses[params.top - 1] if len(losses) >= params.top else None, zh))  # fmt: skip
        complete = ranking_done(ranked_bounds, evaluated, a0, params.top)
        top = sorted(evaluated, key=lambda sc: (-(a0 - evaluated[sc]), sc))[: params.top]
        heads = [sc for sc in top if a0 - evaluated[sc] > 1e-9][: params.pairs]
        run_keyed(client, critical_task, tasks(list(itertools.combinations(sorted(heads), 2))), keep)
    ranked, pairs = _assemble(base, members, top, evaluated, pair_values, bounds, pairs_on, a0)
    result = CriticalResult(a0, ranked, pairs, bounds, evaluated, complete)
    if out is not None:  # the whole set appears at once (a temporary folder renamed into place)
        with atomic_dir(out) as tmp:
            names = _write(tmp, base, result, params, zh)
        result.files = {k: out / p.name for k, p in names.items()}
    return result


def _assemble(
    base: SweepBase,
    members: dict[int, list[int]],
    top: list[int],
    evaluated: dict[int, float],
    pair_values: dict[tuple[int, int], float],
    bounds: dict[int, float],
    pairs_on: dict[int, int],
    a0: float,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the ranked sections and the pairs, as rows of the outputs."""
    ranked = []
    for r, sc in enumerate(top, start=1):
        info = _section_info(base, members[sc])
        ranked.append({"rank": r, "section": sc, **info, "loss_pp": round(100 * (a0 - evaluated[sc]), 4),
                       "bound_pp": round(100 * bounds[sc], 4),
                       "pairs_using": max(pairs_on.get(lk, 0) for lk in members[sc])})  # fmt: skip
    pairs = []
    for (a, b), v in sorted(pair_values.items()):
        la, lb, lab = a0 - evaluated[a], a0 - evaluated[b], a0 - v
        pairs.append({"sections": [a, b], "names": [_section_info(base, members[a])["name"], _section_info(base, members[b])["name"]],
                      "loss_pp": round(100 * lab, 4), "synergy_pp": round(100 * (lab - la - lb), 4)})  # fmt: skip
    pairs.sort(key=lambda r: (-r["synergy_pp"], r["sections"]))
    return ranked, pairs


def _write(
    out: Path, base: SweepBase, res: CriticalResult, params: CriticalParams, zh: bool
) -> dict[str, Path]:
    import geopandas as gpd  # heavy: loaded only on this path
    from openpyxl import Workbook  # heavy: loaded only on this path
    from shapely.geometry import LineString, MultiLineString  # heavy: loaded only on this path

    net = base.network
    files = {"summary": out / "summary.json", "workbook": out / ("抢通优先序.xlsx" if zh else "critical_roads.xlsx"),
             "layer": out / "critical_roads.gpkg"}  # fmt: skip
    summary = {"kind": "critical_roads", "scenario": base.scenario.name, "scenario_path": str(base.scenario.path),
               "region": {"name": base.scenario.region.name, "adcode": base.scenario.region.adcode},
               "base_share_met_by_deadline": round(res.base_share, 6), "top": params.top,
               "complete": res.complete, "sections_screened": len(res.bounds), "sections_evaluated": len(res.evaluated),
               "ranked": res.ranked, "pairs": res.pairs}  # fmt: skip
    write_text_atomic(files["summary"], json.dumps(summary, ensure_ascii=False, indent=1))
    names = FIELDS_ZH if zh else {k: k for k in FIELDS_ZH}
    geoms = []
    for r in res.ranked:
        parts = []
        for lk in r["links"]:
            e = int(base.links.first_edge[lk])
            g0, g1 = int(net.geom_ptr[e]), int(net.geom_ptr[e + 1])
            parts.append(LineString(list(zip(net.geom_lon[g0:g1], net.geom_lat[g0:g1], strict=True))))
        geoms.append(MultiLineString(parts))
    gdf = gpd.GeoDataFrame(
        [{names[k]: r[k] for k in FIELDS_ZH} for r in res.ranked] or None,
        geometry=geoms or None,
        crs="EPSG:4326",
    )
    with atomic_path(files["layer"]) as tmp:
        gdf.to_file(tmp, layer="抢通优先序" if zh else "critical_roads", driver="GPKG")
    wb = Workbook()
    ws = wb.active
    ws.title = "关键路段" if zh else "critical links"
    ws.append([names[k] for k in FIELDS_ZH])
    mark_header_row(ws, 1)
    for r in res.ranked:
        ws.append([r[k] for k in FIELDS_ZH])
    ws2 = wb.create_sheet("路段组合" if zh else "pairs")
    ws2.append(
        ["路段编号", "道路名称", "同时中断损失（百分点）", "叠加效应（百分点）"]
        if zh
        else ["links", "names", "loss (pp)", "synergy (pp)"]
    )
    mark_header_row(ws2, 1)
    for r in res.pairs:
        ws2.append(
            [" + ".join(map(str, r["sections"])), " + ".join(r["names"]), r["loss_pp"], r["synergy_pp"]]
        )
    note = wb.create_sheet("说明" if zh else "notes")
    note.append(
        [
            ("基准时限内需求满足率 " if zh else "base share met by the deadline ")
            + f"{100 * res.base_share:.2f}%"
        ]
    )
    note.append([("排序完整（未评估路段的损失上界均不超过第 k 名）" if zh else "ranking complete (no link left out can rank above the k-th)")
                 if res.complete else ("已达评估次数上限，排序未经证明" if zh else "evaluation limit reached: ranking not proven")])  # fmt: skip
    save_workbook(wb, files["workbook"], title="抢通优先序" if zh else "Critical roads")
    return files
