"""Validate an allocation problem: shapes, ids and values, all problems at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation.hubs import check_hubs
from logistics.exceptions import AllocationInputError, Problem, Text, say, tr

if TYPE_CHECKING:
    from logistics.allocation.problem import AllocationProblem

#: kinds of supply source, for reporting
#: (``transfer``: goods forwarded by a hub, made by the model from ``hubs``)
SOURCE_KINDS: tuple[str, ...] = ("own", "contract", "capacity", "mutual_aid", "transfer")

#: What the range checks expect (English and Chinese), see _check_ranges.
_FINITE = tr("finite values >= 0", "不小于 0 的有限数值")
_DEADLINES = tr("deadlines > 0 (h)", "大于 0 的时限（小时）")
_CAPACITY_KG = tr("capacities > 0", "大于 0 的载重")
_CAPACITY_M3 = tr("capacities > 0", "大于 0 的容量")
_COUNTS = tr("counts >= 0", "不小于 0 的数量")
_MAX_TRIPS = tr("whole numbers >= 1 or inf", "不小于 1 的整数或 inf")
_HOURS = tr("hours > 0 or inf", "大于 0 的小时数或 inf")
_TIMES = tr("times >= 0 (h) or NaN/inf (unreachable)", "不小于 0 的时间（小时），或 NaN/inf（不可达）")
_DISTANCES = tr(
    "finite distances >= 0 (km) where the point is reachable", "可达需求点处不小于 0 的有限距离（公里）"
)


def check_problem(p: AllocationProblem) -> None:
    """Raise :class:`AllocationInputError` listing every problem in ``p``.

    Parameters
    ----------
    p
        The problem to check.

    Raises
    ------
    AllocationInputError
        One :class:`Problem` per invalid field, naming it and the first
        offending value.
    """
    out: list[Problem] = []
    _check_ids(p, out)
    if not _check_shapes(p, out):
        raise AllocationInputError(out)
    _check_ranges(p, out)
    _check_items_and_points(p, out)
    _check_source_kinds(p, out)
    for name in ("load_h", "unload_h"):
        v = getattr(p, name)
        if not (0 <= v < np.inf):
            out.append(
                Problem(
                    tr("expected a finite time >= 0 (h)", "应为不小于 0 的有限时间（小时）"),
                    column=name,
                    value=str(v),
                )
            )
    _check_substitutions(p, out)
    check_hubs(p, out)
    if out:
        raise AllocationInputError(out)


def _check_ids(p: AllocationProblem, out: list[Problem]) -> None:
    """Ids are non-empty strings, unique within their kind."""
    for name in ("item_ids", "depot_ids", "source_ids", "point_ids", "fleet_ids"):
        ids = getattr(p, name)
        seen: set[str] = set()
        for i in ids:
            if not isinstance(i, str) or not i:
                out.append(
                    Problem(
                        tr("ids must be non-empty strings", "编号必须为非空字符串"),
                        column=name,
                        value=repr(i),
                    )
                )
            elif i in seen:
                out.append(Problem(tr("duplicate id", "编号重复"), column=name, value=i))
            seen.add(i)


def _check_shapes(p: AllocationProblem, out: list[Problem]) -> bool:
    """Array shapes match the id counts; returns whether every array has its shape."""
    K, D, S, J, G = (
        len(p.item_ids),
        len(p.depot_ids),
        len(p.source_ids),
        len(p.point_ids),
        len(p.fleet_ids),
    )
    shapes = {
        "weight_kg": (K,),
        "volume_m3": (K,),
        "item_weight": (K,),
        "source_depot": (S,),
        "ready_h": (S,),
        "stock": (S, K),
        "persons": (J,),
        "priority": (J,),
        "demand": (J, K),
        "deadline_h": (J,),
        "travel_time_h": (D, J),
        "distance_km": (D, J),
        "fleet_depot": (G,),
        "capacity_kg": (G,),
        "capacity_m3": (G,),
        "fleet_count": (G,),
        "fleet_max_trips": (G,),
        "fleet_max_duration_h": (G,),
    }
    bad_shape = False
    for name, shape in shapes.items():
        arr = getattr(p, name)
        if arr.shape != shape:
            out.append(
                Problem(tr(f"expected shape {shape}", f"形状应为 {shape}"), column=name, value=str(arr.shape))
            )
            bad_shape = True
    if len(p.source_kind) != S:
        out.append(
            Problem(
                tr(f"expected {S} entries", f"应有 {S} 项"),
                column="source_kind",
                value=str(len(p.source_kind)),
            )
        )
    return not bad_shape


def _need(p: AllocationProblem, out: list[Problem], name: str, ok: np.ndarray, what: Text) -> None:
    """Report the first value of array ``name`` that is not ``ok``."""
    arr = getattr(p, name)
    if arr.size and not np.all(ok):
        out.append(
            Problem(tr(f"expected {what}", f"应为{say(what)}"), column=name, value=str(arr[~ok].flat[0]))
        )


def _check_ranges(p: AllocationProblem, out: list[Problem]) -> None:
    """Values of each array are in range: amounts, times, capacities, counts, depot indices."""
    D = len(p.depot_ids)
    for name in (
        "weight_kg",
        "volume_m3",
        "item_weight",
        "ready_h",
        "stock",
        "persons",
        "priority",
        "demand",
    ):
        arr = getattr(p, name)
        _need(p, out, name, np.isfinite(arr) & (arr >= 0), _FINITE)
    _need(p, out, "deadline_h", np.isfinite(p.deadline_h) & (p.deadline_h > 0), _DEADLINES)
    _need(p, out, "capacity_kg", np.isfinite(p.capacity_kg) & (p.capacity_kg > 0), _CAPACITY_KG)
    _need(p, out, "capacity_m3", np.isfinite(p.capacity_m3) & (p.capacity_m3 > 0), _CAPACITY_M3)
    _need(p, out, "fleet_count", p.fleet_count >= 0, _COUNTS)
    mt = p.fleet_max_trips
    _need(p, out, "fleet_max_trips", (mt >= 1) & ((mt == np.round(mt)) | np.isinf(mt)), _MAX_TRIPS)
    _need(p, out, "fleet_max_duration_h", p.fleet_max_duration_h > 0, _HOURS)
    indices = tr(f"indices in [0, {D})", f"取值在 [0, {D}) 内的索引")
    _need(p, out, "source_depot", (p.source_depot >= 0) & (p.source_depot < D), indices)
    _need(p, out, "fleet_depot", (p.fleet_depot >= 0) & (p.fleet_depot < D), indices)
    tt = p.travel_time_h
    _need(p, out, "travel_time_h", np.isnan(tt) | (tt >= 0), _TIMES)
    dd = p.distance_km
    reach = np.isfinite(tt)
    _need(p, out, "distance_km", ~reach | (np.isfinite(dd) & (dd >= 0)), _DISTANCES)


def _check_items_and_points(p: AllocationProblem, out: list[Problem]) -> None:
    """Every item has a weight or a volume; every point with demand has persons."""
    K, J = len(p.item_ids), len(p.point_ids)
    if K and np.any((p.weight_kg == 0) & (p.volume_m3 == 0)):
        k = int(np.flatnonzero((p.weight_kg == 0) & (p.volume_m3 == 0))[0])
        out.append(
            Problem(
                tr("weight_kg and volume_m3 are both 0", "weight_kg 和 volume_m3 均为 0"),
                column="weight_kg",
                value=p.item_ids[k],
            )
        )
    if J and K:
        lonely = (p.demand.sum(axis=1) > 0) & ~(p.persons > 0)
        if np.any(lonely):
            j = int(np.flatnonzero(lonely)[0])
            out.append(
                Problem(
                    tr("persons must be > 0 at a point with demand", "有需求的需求点 persons 必须大于 0"),
                    column="persons",
                    value=f"{p.point_ids[j]}={p.persons[j]}",
                )
            )


def _check_source_kinds(p: AllocationProblem, out: list[Problem]) -> None:
    """Report the first source whose kind is not in :data:`SOURCE_KINDS`."""
    for i, kind in enumerate(p.source_kind):
        if kind not in SOURCE_KINDS:
            out.append(
                Problem(
                    tr(f"expected one of {', '.join(SOURCE_KINDS)}", f"应为 {'、'.join(SOURCE_KINDS)} 之一"),
                    column="source_kind",
                    value=f"{p.source_ids[i]}={kind}",
                )
            )
            break


def _check_substitutions(p: AllocationProblem, out: list[Problem]) -> None:
    """Substitutions name known, different items, with a ratio > 0, at most once per pair."""
    items = set(p.item_ids)
    pairs: set[tuple[str, str]] = set()
    for sub in p.substitutions:
        for fld in ("item", "substitute"):
            if getattr(sub, fld) not in items:
                out.append(
                    Problem(
                        tr("unknown item id", "未知的物资编号"),
                        column=f"substitutions.{fld}",
                        value=str(getattr(sub, fld)),
                    )
                )
        if sub.item == sub.substitute:
            out.append(
                Problem(
                    tr("an item cannot substitute itself", "物资不能替代自身"),
                    column="substitutions",
                    value=sub.item,
                )
            )
        if not (0 < sub.ratio < np.inf):
            out.append(
                Problem(
                    tr("expected a ratio > 0", "应为大于 0 的替代比例"),
                    column="substitutions.ratio",
                    value=str(sub.ratio),
                )
            )
        if (sub.item, sub.substitute) in pairs:
            out.append(
                Problem(
                    tr("duplicate substitution", "重复的替代关系"),
                    column="substitutions",
                    value=f"{sub.item}<-{sub.substitute}",
                )
            )
        pairs.add((sub.item, sub.substitute))
