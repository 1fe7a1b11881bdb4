"""Write the outputs of ``logistics run``: summary, tables, 调拨单, map layers, routes, schedule."""

from __future__ import annotations

import functools
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.common import atomic_dir, atomic_path, in_background, write_csv, write_text_atomic
from logistics.outputs.gantt import plot_gantt
from logistics.outputs.geometry import legs_to_geodataframe, write_routes_geojson
from logistics.outputs.gpkg import write_gpkg
from logistics.outputs.layers import (
    closures_to_geodataframe,
    depots_to_geodataframe,
    flows_to_geodataframe,
    points_to_geodataframe,
    road_names_function,
    road_path_function,
)
from logistics.outputs.sheets import write_dispatch_xlsx, write_schedule_xlsx
from logistics.outputs.tables import delivery_rows, unmet_rows
from logistics.outputs.transfer import write_transfer_orders

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.plan import RunResult

__all__ = ["WRITER_MODULES", "write_run_outputs"]

#: Heavy libraries :func:`write_run_outputs` imports (for :attr:`~logistics.plan.RunParams.preload`).
WRITER_MODULES = ("geopandas", "pyogrio", "shapely.geometry", "openpyxl", "openpyxl.styles", "matplotlib.figure",
                  "matplotlib.backends.backend_agg", "matplotlib.font_manager", "matplotlib.patches")  # fmt: skip

_ALLOCATION_COLUMNS = ["depot_id", "depot_name", "source_id", "source_kind", "point_id", "point_name", "item_id",
                       "item_name", "unit", "quantity", "weight_kg", "volume_m3", "wave", "vehicles",
                       "first_arrival_h", "last_unloaded_h", "deadline_h", "batches_fefo"]  # fmt: skip
_UNMET_COLUMNS = ["point", "point_name", "item", "item_name", "unit", "demand", "covered", "delivered_later",
                  "unmet", "reason", "reason_zh"]  # fmt: skip


def _csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    write_csv(path, columns, rows)


def _write_tables(
    res: RunResult, out: Path, summary: dict[str, Any], files: dict[str, Path]
) -> list[dict[str, Any]]:
    """summary.json, timing.json, allocation.csv, unmet.csv, arrivals.csv and the 调拨单."""
    files["summary"] = out / "summary.json"
    write_text_atomic(files["summary"], json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    rows = delivery_rows(res)
    files["allocation"] = out / "allocation.csv"
    _csv(files["allocation"], rows, _ALLOCATION_COLUMNS)
    files["unmet"] = out / "unmet.csv"
    _csv(files["unmet"], unmet_rows(summary), _UNMET_COLUMNS)
    files["arrivals"] = out / "arrivals.csv"
    _csv(
        files["arrivals"],
        summary["arrivals"],
        list(summary["arrivals"][0]) if summary["arrivals"] else ["point"],
    )
    files["transfer_orders"] = write_transfer_orders(out / "调拨单.xlsx", res, rows)
    return rows


def _place_names(res: RunResult) -> dict[str, str]:
    model = res.model
    return {pt.id: pt.name for pt in model.scenario.demand} | {d.id: d.name for d in model.depots}


def _gantt(res: RunResult, out: Path, lang: str) -> Path:
    """Draw gantt.png (the slowest single output: run beside the others when there are cores)."""
    assert res.routing is not None
    return plot_gantt(res.routing, out / "gantt.png", t0=res.model.scenario.hazard.time,
                      place_names=_place_names(res), lang=lang)  # fmt: skip


def _write_routes(res: RunResult, out: Path, lang: str, files: dict[str, Path]) -> Any:
    """routes.geojson, schedule.xlsx, dispatch.xlsx; return the legs layer."""
    model, routing = res.model, res.routing
    assert routing is not None
    place_names = _place_names(res)
    item_names = {k: model.scenario.region.catalogue[k].name_zh for k in model.problem.item_ids}
    coords = {pt.id: (pt.lon, pt.lat) for pt in model.scenario.demand} | {
        d.id: (d.lon, d.lat) for d in model.depots
    }
    path_fn = road_path_function(res)
    t0 = model.scenario.hazard.time
    files["routes"] = out / "routes.geojson"
    write_routes_geojson(routing, files["routes"], path_fn, coords=coords, place_names=place_names,
                         item_names=item_names)  # fmt: skip
    legs = legs_to_geodataframe(routing, path_fn, coords=coords, place_names=place_names)
    files["schedule"] = out / "schedule.xlsx"
    write_schedule_xlsx(
        routing, files["schedule"], t0=t0, place_names=place_names, item_names=item_names, lang=lang
    )
    files["dispatch"] = out / "dispatch.xlsx"
    write_dispatch_xlsx(routing, files["dispatch"], t0=t0, place_names=place_names, item_names=item_names,
                        road_names=road_names_function(res))  # fmt: skip
    return legs


def write_run_outputs(
    res: RunResult,
    out_dir: str | Path,
    *,
    lang: str = "zh",
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> dict[str, Path]:
    """Write every output of a run into ``out_dir`` as one set, all from the routed plan.

    The set is built in a temporary sibling folder and put in place of ``out_dir`` when complete
    (:func:`~logistics.common.atomic_dir`): a previous set there is replaced as a whole, an
    interrupted run leaves the previous set (or nothing), and a folder holding other files is
    refused (:class:`~logistics.exceptions.OutputPathError`).

    Files: ``summary.json`` (deterministic), ``timing.json``, ``allocation.csv`` (the lines the
    trucks carry), ``unmet.csv``, ``arrivals.csv``, ``调拨单.xlsx`` (one sheet per depot),
    ``flows.geojson`` and ``logistics.gpkg`` (layers 调运流向, 需求点, 储备库, 道路封闭与限速, 车辆路线 with ``lang="zh"``: flows, points, depots,
    closures, routes with ``"en"``; QGIS styles stored; open in
    QGIS), and with routes ``routes.geojson``, ``schedule.xlsx``, ``dispatch.xlsx`` (a sheet per
    driver, Chinese) and ``gantt.png``.

    Parameters
    ----------
    res
        A run result.
    out_dir
        Output folder (created).
    lang
        Language of sheet labels and the chart.
    progress
        Called with ``tables`` and ``routes`` as those files are written.
    jobs
        With 2 or more, the Gantt chart is drawn in a second process while the other files
        are written (same files).

    Returns
    -------
    dict
        Output name → path.
    """
    with atomic_dir(out_dir) as tmp:
        files = _write_all(res, tmp, lang, progress, jobs)
    final = Path(out_dir)
    return {k: final / p.relative_to(tmp) for k, p in files.items()}


def _write_all(
    res: RunResult, out: Path, lang: str, progress: Callable[[str], None] | None, jobs: int
) -> dict[str, Path]:
    """Write the output set into the folder ``out`` (see :func:`write_run_outputs`)."""
    import geopandas as gpd  # heavy: loaded only on this path

    say = progress or (lambda _m: None)
    started = time.perf_counter()
    files: dict[str, Path] = {}
    draw = functools.partial(_gantt, res, out, lang)
    with in_background(draw, enabled=jobs > 1 and res.routing is not None) as gantt:  # stopped on error
        summary = res.summary()
        rows = _write_tables(res, out, summary, files)
        say("tables")
        flows = flows_to_geodataframe(res, rows)
        layers = {
            "flows": flows,
            "points": points_to_geodataframe(res, summary),
            "depots": depots_to_geodataframe(res),
            "closures": closures_to_geodataframe(res),
        }
        files["flows"] = out / "flows.geojson"
        empty = gpd.GeoDataFrame({"depot_id": []}, geometry=[], crs="EPSG:4326")
        with atomic_path(files["flows"]) as tmp:
            # the layer name is the GeoJSON "name"; without it GDAL writes the temporary file's stem
            (flows if len(flows) else empty).to_file(tmp, driver="GeoJSON", layer="flows")
        if res.routing is not None:
            layers["routes"] = _write_routes(res, out, lang, files)
            say("routes")
        files["gpkg"] = out / "logistics.gpkg"
        with atomic_path(files["gpkg"]) as tmp:
            write_gpkg(tmp, layers, lang=lang)  # Chinese layer and field names, QGIS styles
        if res.routing is not None:
            files["gantt"] = gantt.result()
    files["timing"] = out / "timing.json"
    timing = {k: round(v, 3) for k, v in res.timings_s.items()} | {
        "write_s": round(time.perf_counter() - started, 3)
    }
    write_text_atomic(files["timing"], json.dumps(timing, indent=1) + "\n")
    return files
