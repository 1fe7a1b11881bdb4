"""One-map views of a sweep and of a critical-roads ranking (``logistics sweep`` / ``critical-roads``).

A critical-roads folder maps its ranked road sections (coloured by the relief lost when each is
cut, labelled by rank) over the scenario's depots and demand points; a sweep folder maps the
demand points by how often they fall short across the variants. The critical sections also
overlay any other view (``--critical`` of ``logistics map``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.exceptions import InputError, Problem, tr
from logistics.map.view import POOR, LegendEntry, MapLayer, MapView, feature, popup_html
from logistics.scenario import load_scenario

if TYPE_CHECKING:
    from logistics.scenario import Scenario

__all__ = ["critical_layer", "is_sweep_output", "sweep_view"]

#: colours of the critical sections by rank: 1–3, 4–10, the rest
_RANK_COLORS = ("#67000d", "#cb181d", "#fc9272")


def is_sweep_output(folder: Path) -> bool:
    """Whether ``folder`` is the output of ``logistics sweep`` or ``logistics critical-roads``."""
    if (folder / "sweep.json").is_file():
        return True
    s = folder / "summary.json"
    if not s.is_file():
        return False
    try:
        return json.loads(s.read_text(encoding="utf-8")).get("kind") == "critical_roads"
    except ValueError:
        return False


def critical_layer(folder: str | Path, zh: bool) -> MapLayer:
    """Return the ranked road sections of a critical-roads folder as a map layer.

    Parameters
    ----------
    folder
        Output folder of ``logistics critical-roads``.
    zh
        Chinese labels.
    """
    import pyogrio  # heavy: loaded only on this path

    path = Path(folder) / "critical_roads.gpkg"
    if not path.is_file():
        raise InputError([Problem(tr("not a critical-roads output folder: critical_roads.gpkg is missing",
                                     "不是抢通优先序输出目录：缺少 critical_roads.gpkg"), file=str(path))])  # fmt: skip
    layer = pyogrio.list_layers(path)[0][0]
    gdf = pyogrio.read_dataframe(path, layer=layer)
    col = {k: next(c for c in (zh_name, en) if c in gdf.columns) for k, zh_name, en in (
        ("rank", "排序", "rank"), ("name", "道路名称", "name"), ("ref", "道路编号", "ref"), ("highway", "道路等级", "highway"),
        ("length", "长度（米）", "length_m"), ("loss", "时限内满足率损失（百分点）", "loss_pp"),
        ("bound", "损失上界（百分点）", "bound_pp"))}  # fmt: skip
    features = []
    for _, r in gdf.iterrows():
        rank = int(r[col["rank"]])
        label = str(r[col["name"]] or r[col["ref"]] or "")
        rows = [("排序" if zh else "rank", str(rank)), ("道路编号" if zh else "ref", str(r[col["ref"]] or "")),
                ("等级" if zh else "class", str(r[col["highway"]])), ("长度（米）" if zh else "length (m)", f"{float(r[col['length']]):,.0f}"),
                ("中断后满足率损失" if zh else "loss if cut", f"{float(r[col['loss']]):.2f} " + ("个百分点" if zh else "pp"))]  # fmt: skip
        color = _RANK_COLORS[0 if rank <= 3 else 1 if rank <= 10 else 2]
        features.append(feature(r.geometry, name=f"{rank}. {label}", popup=popup_html(f"{rank}. {label}", rows),
                                color=color, rank=rank))  # fmt: skip
    legend = [LegendEntry(_RANK_COLORS[0], "抢通优先 1–3" if zh else "critical 1–3", "line"),
              LegendEntry(_RANK_COLORS[1], "抢通优先 4–10" if zh else "critical 4–10", "line"),
              LegendEntry(_RANK_COLORS[2], "其他关键路段" if zh else "other critical", "line")]  # fmt: skip
    return MapLayer(
        "critical", "抢通优先序（关键路段）" if zh else "Critical road sections", features, legend=legend
    )


def _scenario_layers(sc: Scenario, short: dict[str, float] | None, zh: bool) -> list[MapLayer]:
    inv = sc.region.inventory()
    ids = set(sc.depot_ids or (d.id for d in inv.depots))
    depots = [feature({"type": "Point", "coordinates": [d.lon, d.lat]}, id=d.id, name=d.name, color="#08306b", radius=7,
                      popup=popup_html(d.name, [("编号" if zh else "id", d.id), ("级别" if zh else "level", d.level)]))
              for d in inv.depots if d.id in ids]  # fmt: skip
    points = []
    for p in sc.demand:
        rows = [("人数" if zh else "persons", f"{p.persons:,}")]
        color = "#1a9850"
        if short is not None:
            f = short.get(p.id, 0.0)
            rows.append(("短缺变体占比" if zh else "short in", f"{100 * f:.1f}%"))
            color = "#1a9850" if f < 0.05 else "#f39c12" if f < 0.5 else POOR
        points.append(feature({"type": "Point", "coordinates": [p.lon, p.lat]}, id=p.id, name=p.name, color=color, radius=8,
                              popup=popup_html(p.name, rows)))  # fmt: skip
    legend = [LegendEntry("#1a9850", "短缺 < 5% 的变体" if zh else "short in < 5 %"),
              LegendEntry("#f39c12", "短缺 5%–50%" if zh else "short in 5–50 %"),
              LegendEntry(POOR, "短缺 ≥ 50%" if zh else "short in ≥ 50 %")] if short is not None else []  # fmt: skip
    return [MapLayer("points", "需求点" if zh else "Demand points", points, legend=legend),
            MapLayer("depots", "储备库（点）" if zh else "Depots", depots,
                     legend=[LegendEntry("#08306b", "储备库（点）" if zh else "depot")])]  # fmt: skip


def sweep_view(folder: str | Path, *, lang: str = "zh") -> MapView:
    """Build the map of a sweep or critical-roads output folder.

    Parameters
    ----------
    folder
        Output folder of ``logistics sweep`` or ``logistics critical-roads``.
    lang
        ``"zh"`` or ``"en"``.
    """
    zh = lang == "zh"
    d = Path(folder)
    job_file = d / "sweep.json" if (d / "sweep.json").is_file() else d / "summary.json"
    info: dict[str, Any] = json.loads(job_file.read_text(encoding="utf-8"))
    sc_path = info.get("scenario_path") or info.get("scenario")
    if not sc_path or not Path(sc_path).is_file():
        raise InputError([Problem(tr("the scenario file named there no longer exists", "其中记录的情景文件已不存在"),
                                  file=str(job_file), column="scenario", value=str(sc_path))])  # fmt: skip
    sc = load_scenario(sc_path)
    notes = [n for n in (sc.illustrative, sc.region.inventory().illustrative_note) if n]
    if (d / "sweep.json").is_file():
        summary = (
            json.loads((d / "summary.json").read_text(encoding="utf-8"))
            if (d / "summary.json").is_file()
            else {}
        )
        short = {r["point"]: r["share_of_variants"] for r in summary.get("points_short", [])}
        layers = _scenario_layers(sc, short, zh)
        n = summary.get("variants", info.get("variants"))
        title = f"{sc.name} 稳健性扫描一张图" if zh else f"{sc.name}: robustness sweep"
        subtitle = (
            f"{n} 个变体；需求点按短缺变体占比着色"
            if zh
            else f"{n} variants; points by how often they fall short"
        )
    else:
        layers = [critical_layer(d, zh), *_scenario_layers(sc, None, zh)]
        base = float(info.get("base_share_met_by_deadline", 0.0))
        title = f"{sc.name} 抢通优先序一张图" if zh else f"{sc.name}: critical roads"
        subtitle = (f"基准时限内满足率 {100 * base:.1f}%；路段按中断后的损失排序" if zh
                    else f"base share met {100 * base:.1f} %; sections ranked by the loss if cut")  # fmt: skip
    return MapView(title, subtitle, layers, notes=notes, lang=lang)  # type: ignore[arg-type]
