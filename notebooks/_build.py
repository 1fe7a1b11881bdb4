"""Write the notebooks in this folder from their cell sources (kept here for review in diffs).

Run ``python notebooks/_build.py`` after editing; notebooks are committed without outputs and
executed by the test suite (tests/test_notebooks.py).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def write(name: str, cells: list[tuple[str, str]]) -> None:
    """Write one notebook; cells are ("md" | "code", source)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, (kind, src) in enumerate(cells):
        cell = (
            nbformat.v4.new_markdown_cell(src.strip())
            if kind == "md"
            else nbformat.v4.new_code_cell(src.strip())
        )
        cell["id"] = f"{Path(name).stem}-{i:02d}"  # stable ids keep diffs small
        nb.cells.append(cell)
    nbformat.write(nb, HERE / name)


SUFFICIENCY = [
    (
        "md",
        """
# 储备充足性评估 — stockpile sufficiency (demo region 秦皇岛市)

This notebook checks which response level the demo region's relief stock meets, item by item and
county by county, what expires soon, and what to buy to reach the target level.

**Illustrative data**: the demo region's stock and the municipal level bands are placeholders
(see the notes printed below); the method is what matters here.
""",
    ),
    (
        "code",
        """
import datetime as dt

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager

from logistics.region import demo_region
from logistics.sufficiency import CheckParams, run_check

DATE = dt.date(2026, 11, 23)   # date of the check (expired stock is not usable)
TIME_CHECK = False             # the time check (allocation per county) is shown in the allocation notebook

CJK = ("WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Source Han", "SimHei", "Microsoft YaHei")
font = next((f.name for f in font_manager.fontManager.ttflist if f.name.startswith(CJK)), None)
if font:
    plt.rcParams["font.family"] = [font, "DejaVu Sans"]
plt.rcParams["axes.unicode_minus"] = False

region = demo_region()
report = run_check(region, CheckParams(date=DATE, time_check=TIME_CHECK))
for note in report["notes"]:
    print("【示意数据】", note)
print("highest level met:", report["highest_level_met"], "| target:", report["target_level"])
""",
    ),
    ("md", "## Coverage by item at the target level"),
    (
        "code",
        """
target = report["target_level"]
items = pd.DataFrame(report["levels"][target]["items"])
items[["name", "unit", "required", "usable", "coverage", "shortfall", "reads"]]
""",
    ),
    (
        "code",
        """
fig, ax = plt.subplots(figsize=(7, 4))
colors = ["tab:green" if c >= 1 else "tab:red" for c in items["coverage"]]
ax.barh(items["name"] if font else items["item"], items["coverage"] * 100, color=colors)
ax.axvline(100, color="black", lw=1)
ax.set_xlabel(f"coverage of the level-{target} requirement (%)")
ax.invert_yaxis()
fig.tight_layout()
""",
    ),
    ("md", "## All levels"),
    (
        "code",
        """
levels = pd.DataFrame([
    {"level": k, "design_population": v["design_population"], "met": v["met"], "min_coverage": v["min_coverage"]}
    for k, v in report["levels"].items()
])
levels
""",
    ),
    (
        "md",
        """
## County map

Each county's share of the target requirement (by population) against the stock held in it.
County boundaries come from `../shared/data/admin` when that folder is present; otherwise the
convex hull of the county's places stands in for it.
""",
    ),
    (
        "code",
        """
from pathlib import Path

import geopandas as gpd
from shapely.geometry import MultiPoint

counties = pd.DataFrame([{"county": c, **{k: v[k] for k in ("population", "min_coverage", "weakest_item")}}
                         for c, v in report["counties"].items()])
shared = Path("..").resolve().parent / "shared" / "data" / "admin" / "qinhuangdao_districts_wgs84.geojson"
if shared.exists():
    shapes = gpd.read_file(shared)[["name", "geometry"]].rename(columns={"name": "county"})
else:
    places = pd.DataFrame([p.__dict__ for p in region.places()])
    shapes = gpd.GeoDataFrame(
        [{"county": c, "geometry": MultiPoint(list(zip(g.lon, g.lat, strict=True))).convex_hull.buffer(0.03)}
         for c, g in places.groupby("county")],
        crs="EPSG:4326",
    )
gdf = shapes.merge(counties, on="county")
inv = region.inventory()
depots = gpd.GeoDataFrame([{"level": d.level} for d in inv.depots],
                          geometry=gpd.points_from_xy([d.lon for d in inv.depots], [d.lat for d in inv.depots]), crs="EPSG:4326")
ax = gdf.plot(column="min_coverage", cmap="RdYlGn", vmin=0, vmax=1, legend=True, edgecolor="grey", figsize=(7, 6))
depots.plot(ax=ax, color="black", markersize=12)
for _, r in gdf.iterrows():
    p = r.geometry.representative_point()
    ax.annotate(r["county"] if font else f"{r['min_coverage']:.0%}", (p.x, p.y), ha="center", fontsize=8)
ax.set_title(f"lowest item coverage per county (target level {target})")
gdf[["county", "population", "min_coverage", "weakest_item"]]
""",
    ),
    ("md", "## Expiring stock and the purchase list"),
    (
        "code",
        """
pd.DataFrame(report["expiring"])[["depot_name", "name", "quantity", "unit", "expiry_date", "days_left", "advice"]].head(15)
""",
    ),
    (
        "code",
        """
buy = pd.DataFrame(report["purchase"]["lines"])
print("total cost (known prices): CNY", f"{report['purchase']['total_cost_cny']:,.0f}")
buy
""",
    ),
]

SCENARIO = [
    (
        "md",
        """
# 应急调配情景分析 — response scenario: allocation, shortfalls, routes (demo region 秦皇岛市)

Runs one of the demo scenarios, maps the flows from depots to demand points over the (disrupted)
road network, shows who goes without and why, draws the trucks' routes, and compares the
objectives of the allocation model.

**Illustrative data**: the region's stock and the scenario are invented for the demo (notes below).
""",
    ),
    (
        "code",
        """
import matplotlib.pyplot as plt
import pandas as pd

from logistics.outputs import find_cjk_font
from logistics.plan import UNMET_REASON_ZH, RunParams, run_scenario
from logistics.scenario import load_scenario

SCENARIO = "../scenarios/earthquake_lulong.toml"
SEED = 20260728
ROUTING_ITERATIONS = 150   # small, so the notebook runs in seconds

font = find_cjk_font()
if font:
    plt.rcParams["font.family"] = [font, "DejaVu Sans"]
plt.rcParams["axes.unicode_minus"] = False

scenario = load_scenario(SCENARIO)
FAST = RunParams(seed=SEED, routing_iterations=ROUTING_ITERATIONS, routing_no_improvement=50, replan_rounds=1)
res = run_scenario(scenario, FAST)
summary = res.summary()
for note in summary["illustrative"]:
    print("【示意数据】", note)
plan = summary["plan"]
print(f"demand met by {summary['deadline_h']} h, delivered by the routed trucks: "
      f"{summary['demand_met_share_by_deadline']:.1%} (the allocation promised {plan['allocation']:.1%}, "
      f"upper bound {plan['bound']:.1%}); largest unmet share at a point that can be served: "
      f"{summary['max_unmet_share']:.0%}; no source can serve: {', '.join(plan['unservable_point_names']) or 'none'}")
""",
    ),
    ("md", "## Map: flows, demand points and routes"),
    (
        "code",
        """
import geopandas as gpd

from logistics.outputs import (
    delivery_rows,
    flows_to_geodataframe,
    legs_to_geodataframe,
    points_to_geodataframe,
    road_path_function,
)

flows = flows_to_geodataframe(res, delivery_rows(res))
points = points_to_geodataframe(res, summary)
coords = {p.id: (p.lon, p.lat) for p in scenario.demand} | {d.id: (d.lon, d.lat) for d in res.model.depots}
routes = legs_to_geodataframe(res.routing, road_path_function(res), coords=coords)
depots = gpd.GeoDataFrame(geometry=gpd.points_from_xy([d.lon for d in res.model.depots], [d.lat for d in res.model.depots]), crs="EPSG:4326")

fig, axes = plt.subplots(1, 2, figsize=(13, 6), sharex=True, sharey=True)
ax = axes[0]
flows.plot(ax=ax, linewidth=0.5 + 3 * flows["weight_t"] / flows["weight_t"].max(), color="tab:blue", alpha=0.6)
points.plot(ax=ax, column="met_share", cmap="RdYlGn", vmin=0, vmax=1, markersize=60, edgecolor="black", legend=True)
depots.plot(ax=ax, marker="s", color="black", markersize=15)
ax.set_title("flows (width ~ tonnes) and share of demand met")
ax = axes[1]
routes.plot(ax=ax, column="vehicle_id", cmap="tab20", linewidth=1.2, alpha=0.8)
points.plot(ax=ax, color="red", markersize=30)
depots.plot(ax=ax, marker="s", color="black", markersize=15)
ax.set_title("truck routes (one colour per truck)")
fig.tight_layout()
""",
    ),
    ("md", "## Who goes without, and why"),
    (
        "code",
        """
lines = pd.DataFrame(summary["unmet"]["lines"])
if len(lines):
    lines["reason_zh"] = lines["reason"].map(UNMET_REASON_ZH)
    by_item = pd.DataFrame(summary["unmet"]["by_item"]).set_index("item")
    ax = (by_item["unmet"] / by_item["demand"]).plot.barh(figsize=(6, 3.5), title="unmet share of demand by item")
    ax.invert_yaxis()
lines.head(20)
""",
    ),
    (
        "code",
        """
pd.DataFrame(summary["unmet"]["by_point"]).sort_values("unmet_share", ascending=False)
""",
    ),
    (
        "md",
        """
## Comparing the objectives

Every mode delivers: cost modes (person-hours, ton-km) first deliver the best achievable demand,
then save cost; equity raises the worst share among the points that can be served (leximin),
not the single unreachable village. For each mode the table shows what the allocation promised
and what the routed trucks deliver by the deadline, with the largest unmet share at a servable
point and the allocation's person-hours and ton-km: the trade-off as the trucks live it.
""",
    ),
    (
        "code",
        """
import dataclasses

rows = []
for mode in ("lexicographic", "delivered", "equity", "person_hours", "ton_km"):
    r = run_scenario(scenario, dataclasses.replace(FAST, objective=mode))
    a, s = r.allocation, r.summary()
    rows.append({"objective": mode, "allocation_met": round(a.demand_met_share_by_deadline, 4),
                 "routed_met": round(s["demand_met_share_by_deadline"], 4),
                 "max_unmet_share": round(s["max_unmet_share"], 4), "person_hours": round(a.person_hours),
                 "ton_km": round(a.ton_km)})
pd.DataFrame(rows).set_index("objective")
""",
    ),
    ("md", "## Truck schedule"),
    (
        "code",
        """
import tempfile
from pathlib import Path

from IPython.display import Image

from logistics.outputs import plot_gantt

png = Path(tempfile.mkdtemp()) / "gantt.png"
names = {p.id: p.name for p in scenario.demand} | {d.id: d.name for d in res.model.depots}
plot_gantt(res.routing, png, t0=scenario.hazard.time, place_names=names)
Image(filename=str(png), width=700)
""",
    ),
]

SWEEP = [
    (
        "md",
        """
# 稳健性扫描与抢通优先序 — robustness sweep and critical roads (demo earthquake)

A plan for one imagined event is not enough. This notebook runs a small **sweep** of the demo
earthquake — the epicentre and magnitude move, random roads close and reopen, demand and depots
vary (the hazard's default distributions, docs/sweep.md) — on a local Dask cluster, reads the
Parquet table, draws the exceedance curve of the unmet share, lists what falls short most often,
and maps the **critical road sections**: those whose loss costs the most relief delivered by the
deadline. `logistics sweep` and `logistics critical-roads` do the same from the command line
with 1,000 variants.

**Illustrative data**: the scenario, the stock and the distributions are demo values.
""",
    ),
    (
        "code",
        """
import json
import tempfile
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd

from logistics.outputs import find_cjk_font
from logistics.plan.model import scenario_network
from logistics.scenario import load_scenario
from logistics.sweep import CriticalParams, SweepParams, critical_roads, run_sweep

plt.rcParams["font.family"] = [find_cjk_font() or "DejaVu Sans", "DejaVu Sans"]
SCENARIO = Path("..") / "scenarios" / "earthquake_lulong.toml"
WORK = Path(tempfile.mkdtemp(prefix="sweep-"))
VARIANTS, WORKERS = 60, 2   # the command line's default is 1,000 variants
""",
    ),
    (
        "code",
        """
sweep = run_sweep(SCENARIO, WORK / "sweep", SweepParams(variants=VARIANTS, seed=0, workers=WORKERS))
table = pd.read_parquet(WORK / "sweep" / "variants.parquet")
print((WORK / "sweep" / "摘要.txt").read_text(encoding="utf-8"))
table[["variant", "magnitude_delta", "demand_multiplier", "persons", "closed_links", "depots_out",
       "share_met_by_deadline", "max_unmet_share"]].head()
""",
    ),
    (
        "code",
        """
unmet = (1 - table["share_met_by_deadline"]).sort_values()
exceed = 1 - (pd.Series(range(len(unmet))) / len(unmet))
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.step(unmet.to_numpy() * 100, exceed.to_numpy() * 100, where="post", color="#c62828")
ax.set_xlabel("未满足比例 u（%）")
ax.set_ylabel("P(未满足比例 ≥ u)（%）")
ax.set_title(f"超越概率曲线（{len(table)} 个变体）")
ax.grid(alpha=0.3)
summary = json.loads((WORK / "sweep" / "summary.json").read_text(encoding="utf-8"))
pd.DataFrame(summary["items_short"]).head(8)
""",
    ),
    (
        "code",
        """
pd.DataFrame(summary["points_short"]).head(8)
""",
    ),
    (
        "code",
        """
crit = critical_roads(SCENARIO, WORK / "critical", CriticalParams(top=8, pairs=3, workers=WORKERS))
print(f"基准满足率 {100 * crit.base_share:.2f}%；排序{'完整' if crit.complete else '未证明'}")
pd.DataFrame(crit.ranked)[["rank", "name", "ref", "highway", "length_m", "loss_pp", "bound_pp"]]
""",
    ),
    (
        "code",
        """
net = scenario_network(load_scenario(SCENARIO))
roads = net.edges_frame()
layer = gpd.read_file(WORK / "critical" / "critical_roads.gpkg")
fig, ax = plt.subplots(figsize=(7, 7))
roads.plot(ax=ax, color="#cfd8dc", linewidth=0.5)
layer.plot(ax=ax, column="时限内满足率损失（百分点）", cmap="Reds", linewidth=3, legend=True,
           legend_kwds={"label": "中断后时限内满足率损失（百分点）", "shrink": 0.6})
for _, r in layer.iterrows():
    c = r.geometry.centroid
    ax.annotate(str(r["排序"]), (c.x, c.y), fontsize=9, color="#b71c1c")
ax.set_title("抢通优先序：关键路段")
ax.set_axis_off()
pd.DataFrame(crit.pairs)
""",
    ),
]


if __name__ == "__main__":
    write("sufficiency.ipynb", SUFFICIENCY)
    write("scenario.ipynb", SCENARIO)
    write("sweep.ipynb", SWEEP)
