"""Fleets of a scenario: vehicles per depot, read from a CSV file.

Columns: ``depot_id, vehicle_type, capacity_kg, capacity_m3, count`` and, optionally,
``max_trips`` (most trips per vehicle, a whole number >= 1) and ``max_duration_h`` (driver working
hours from the start of the first loading to the last return, > 0). An empty cell means no limit
(the scenario's default then applies); other columns are ignored.
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from logistics.common.limits import MAX_CAPACITY_KG, MAX_CAPACITY_M3, MAX_TRUCKS
from logistics.exceptions import Problem, ScenarioError, say, tr
from logistics.scenario._fields import LIMIT_KEYS, VEHICLE_KEYS, unknown_field, vehicle_limits
from logistics.scenario.model import VehicleSpec

if TYPE_CHECKING:
    from logistics.region import Region

__all__ = ["read_fleet"]


def read_fleet(path: Path, *, origin: str = "") -> list[VehicleSpec]:
    """Read a fleet CSV (``depot_id, vehicle_type, capacity_kg, capacity_m3, count``).

    Optional columns ``max_trips`` and ``max_duration_h`` set
    :attr:`~logistics.scenario.VehicleSpec.max_trips` and
    :attr:`~logistics.scenario.VehicleSpec.max_duration_h` (empty: ``None``, no limit).

    Parameters
    ----------
    path
        The CSV file.
    origin
        Where the reference came from, for messages.

    Raises
    ------
    ScenarioError
        Listing every bad row (zero or negative capacity, bad count …) and every bad
        ``max_trips`` / ``max_duration_h`` cell (with row, column and value).
    """
    problems: list[Problem] = []
    out: list[VehicleSpec] = []
    if not Path(path).is_file():
        raise ScenarioError([Problem(tr("fleet file not found", "未找到车队文件"), file=str(path))])
    with open(path, encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        need = ["depot_id", "vehicle_type", "capacity_kg", "capacity_m3", "count"]
        missing = [c for c in need if c not in (reader.fieldnames or [])]
        if missing:
            raise ScenarioError(
                [Problem(tr(f"missing column(s) {missing}", f"缺少列 {missing}"), file=str(path))]
            )
        for row_no, row in enumerate(reader, start=2):
            n_before = len(problems)
            trips, hours = vehicle_limits(row, "", str(path), problems, row=row_no)
            try:
                spec = _vehicle(row, row["depot_id"], max_trips=trips, max_duration_h=hours)
            except (ValueError, TypeError) as exc:
                problems.append(Problem(tr(str(exc), say(exc)), file=str(path), row=row_no))
                continue
            if len(problems) == n_before:
                out.append(spec)
    if problems:
        raise ScenarioError(problems)
    return out


def _vehicle(
    d: dict[str, Any], depot_id: str, *, max_trips: int | None = None, max_duration_h: float | None = None
) -> VehicleSpec:
    """One fleet CSV row or ``fleet.vehicles`` entry (limits read apart); ``ValueError`` if a value is bad."""
    try:
        kg, m3, n = float(d["capacity_kg"]), float(d["capacity_m3"]), float(d["count"])
    except KeyError as exc:
        raise ValueError(tr(f"missing field {exc.args[0]!r}", f"缺少字段 {exc.args[0]!r}")) from None
    if not (0 < kg <= MAX_CAPACITY_KG) or not (0 < m3 <= MAX_CAPACITY_M3):
        raise ValueError(tr(
            f"capacity must be > 0 and at most {MAX_CAPACITY_KG:g} kg / {MAX_CAPACITY_M3:g} m³ "
            f"(capacity_kg={d['capacity_kg']}, capacity_m3={d['capacity_m3']})",
            f"载重和容积必须大于 0，且分别不超过 {MAX_CAPACITY_KG:g} kg / {MAX_CAPACITY_M3:g} m³"
            f"（capacity_kg={d['capacity_kg']}，capacity_m3={d['capacity_m3']}）",
        ))  # fmt: skip
    if not (0 <= n <= MAX_TRUCKS) or not float(n).is_integer():
        raise ValueError(tr(f"count must be a whole number from 0 to {MAX_TRUCKS} (got {d['count']})",
                            f"count 必须为 0 到 {MAX_TRUCKS} 之间的整数（实际为 {d['count']}）"))  # fmt: skip
    vtype = str(d.get("vehicle_type", d.get("type", "货车")))
    return VehicleSpec(
        str(depot_id), vtype, kg, m3, int(n), max_trips=max_trips, max_duration_h=max_duration_h
    )


class _Limit(NamedTuple):
    """A ``fleet.limits`` entry: vehicles it selects (``None``: any) and the limits it sets."""

    depot: str | None
    vtype: str | None
    max_trips: int | None
    max_duration_h: float | None


def _scenario_fleet(
    fl: dict[str, Any], region: Region, known: set[str], base: Path, origin: str, problems: list[Problem]
) -> list[VehicleSpec]:
    """Read a scenario's ``[fleet]`` table; problems are added to ``problems``.

    The fleet file (else the region's), with ``limits`` overriding its rows' ``max_trips`` /
    ``max_duration_h`` (later entries win), then ``vehicles`` replacing or adding types (their own
    limits win over ``limits``).
    """
    fleet: list[VehicleSpec] = []
    path = base / fl["file"] if "file" in fl else region.extra.get("fleet_file")
    if "file" in fl and not Path(path).is_file():
        problems.append(Problem(tr("fleet file not found", "未找到车队文件"), file=origin, column="fleet.file",
                                value=str(path)))  # fmt: skip
    elif path is not None:
        try:
            fleet = read_fleet(path)
        except ScenarioError as exc:
            problems += exc.problems
    limits = _limits(fl.get("limits", []), known, origin, problems)
    fleet = [_limited(v, limits, own_first=False) for v in fleet]
    for k, v in enumerate(fl.get("vehicles", [])):
        spec = _table_vehicle(k, v, known, origin, problems)
        if spec is not None:
            spec = _limited(spec, limits, own_first=True)
            fleet = [
                f for f in fleet if not (f.depot_id == spec.depot_id and f.vehicle_type == spec.vehicle_type)
            ] + [spec]
    for k, lim in limits.items():
        if fleet and not any(_selects(lim, v) for v in fleet):
            problems.append(
                Problem(
                    tr(
                        "selects no vehicle of the fleet (check depot and type)",
                        "未匹配到车队中的任何车辆（请检查 depot 和 type）",
                    ),
                    file=origin,
                    column=f"fleet.limits[{k}]",
                    value=f"{lim.depot or '*'} / {lim.vtype or '*'}",
                )
            )
    return fleet


def _table_vehicle(
    k: int, v: Any, known: set[str], origin: str, problems: list[Problem]
) -> VehicleSpec | None:
    """Entry ``k`` of ``fleet.vehicles`` (None if unusable; its problems added)."""
    where = f"fleet.vehicles[{k}]"
    if not isinstance(v, dict):
        problems.append(Problem(tr("expected a table {depot = …, …}", "应为表 {depot = …, …}"), file=origin,
                                column=where, value=str(v)))  # fmt: skip
        return None
    n_before = len(problems)
    for key in sorted(set(v) - VEHICLE_KEYS):
        problems.append(
            Problem(
                unknown_field(VEHICLE_KEYS),
                file=origin,
                column=f"{where}.{key}",
                value=str(v[key]),
            )
        )
    trips, hours = vehicle_limits(v, f"{where}.", origin, problems)
    try:
        spec = _vehicle(v, str(v.get("depot", "")), max_trips=trips, max_duration_h=hours)
    except (ValueError, TypeError) as exc:
        problems.append(Problem(tr(str(exc), say(exc)), file=origin, column=where))
        return None
    if spec.depot_id not in known:
        problems.append(Problem(tr("unknown depot", "未知储备库"), file=origin, column=f"{where}.depot",
                                value=spec.depot_id))  # fmt: skip
        return None
    return spec if len(problems) == n_before else None


def _limits(raw: Any, known: set[str], origin: str, problems: list[Problem]) -> dict[int, _Limit]:
    """Read the ``fleet.limits`` entries, by index (bad entries left out, their problems added)."""
    out: dict[int, _Limit] = {}
    for k, e in enumerate(raw if isinstance(raw, list) else [raw]):
        where = f"fleet.limits[{k}]"
        if not isinstance(e, dict):
            problems.append(
                Problem(
                    tr("expected a table {depot = …, max_trips = …}", "应为表 {depot = …, max_trips = …}"),
                    file=origin,
                    column=where,
                    value=str(e),
                )
            )
            continue
        n_before = len(problems)
        for key in sorted(set(e) - LIMIT_KEYS):
            problems.append(
                Problem(
                    unknown_field(LIMIT_KEYS),
                    file=origin,
                    column=f"{where}.{key}",
                    value=str(e[key]),
                )
            )
        depot = str(e["depot"]) if "depot" in e else None
        if depot is not None and depot not in known:
            problems.append(
                Problem(tr("unknown depot", "未知储备库"), file=origin, column=f"{where}.depot", value=depot)
            )
        trips, hours = vehicle_limits(e, f"{where}.", origin, problems)
        if len(problems) > n_before:
            continue
        if depot is None and "type" not in e:
            problems.append(
                Problem(
                    tr(
                        "needs depot and/or type (use [handling] for every vehicle)",
                        "需填写 depot 和/或 type（对所有车辆生效请用 [handling]）",
                    ),
                    file=origin,
                    column=where,
                )
            )
        elif trips is None and hours is None:
            problems.append(Problem(tr("needs max_trips and/or max_duration_h", "需填写 max_trips 和/或 max_duration_h"),
                                    file=origin, column=where))  # fmt: skip
        else:
            out[k] = _Limit(depot, str(e["type"]) if "type" in e else None, trips, hours)
    return out


def _selects(lim: _Limit, v: VehicleSpec) -> bool:
    """Whether limit ``lim`` applies to vehicle ``v``."""
    return (lim.depot is None or lim.depot == v.depot_id) and (
        lim.vtype is None or lim.vtype == v.vehicle_type
    )


def _limited(v: VehicleSpec, limits: dict[int, _Limit], *, own_first: bool) -> VehicleSpec:
    """``v`` with the matching limits (the last one setting a value wins) before or after its own."""
    trips: int | None = None
    hours: float | None = None
    for lim in limits.values():
        if _selects(lim, v):
            trips = lim.max_trips if lim.max_trips is not None else trips
            hours = lim.max_duration_h if lim.max_duration_h is not None else hours
    if own_first:
        trips = v.max_trips if v.max_trips is not None else trips
        hours = v.max_duration_h if v.max_duration_h is not None else hours
    else:
        trips = trips if trips is not None else v.max_trips
        hours = hours if hours is not None else v.max_duration_h
    return dataclasses.replace(v, max_trips=trips, max_duration_h=hours)
