"""Validate an allocation problem: shapes, ids and values, all problems at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from logistics.exceptions import AllocationInputError, Problem

if TYPE_CHECKING:
    from logistics.allocation.problem import AllocationProblem

#: kinds of supply source, for reporting
SOURCE_KINDS: tuple[str, ...] = ("own", "contract", "capacity", "mutual_aid")


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
            out.append(Problem("expected a finite time >= 0 (h)", column=name, value=str(v)))
    _check_substitutions(p, out)
    if out:
        raise AllocationInputError(out)


def _check_ids(p: AllocationProblem, out: list[Problem]) -> None:
    """Ids are non-empty strings, unique within their kind."""
    for name in ("item_ids", "depot_ids", "source_ids", "point_ids", "fleet_ids"):
        ids = getattr(p, name)
        seen: set[str] = set()
        for i in ids:
            if not isinstance(i, str) or not i:
                out.append(Problem("ids must be non-empty strings", column=name, value=repr(i)))
            elif i in seen:
                out.append(Problem("duplicate id", column=name, value=i))
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
            out.append(Problem(f"expected shape {shape}", column=name, value=str(arr.shape)))
            bad_shape = True
    if len(p.source_kind) != S:
        out.append(Problem(f"expected {S} entries", column="source_kind", value=str(len(p.source_kind))))
    return not bad_shape


def _need(p: AllocationProblem, out: list[Problem], name: str, ok: np.ndarray, what: str) -> None:
    """Report the first value of array ``name`` that is not ``ok``."""
    arr = getattr(p, name)
    if arr.size and not np.all(ok):
        out.append(Problem(f"expected {what}", column=name, value=str(arr[~ok].flat[0])))


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
        _need(p, out, name, np.isfinite(arr) & (arr >= 0), "finite values >= 0")
    _need(p, out, "deadline_h", np.isfinite(p.deadline_h) & (p.deadline_h > 0), "deadlines > 0 (h)")
    _need(p, out, "capacity_kg", np.isfinite(p.capacity_kg) & (p.capacity_kg > 0), "capacities > 0")
    _need(p, out, "capacity_m3", np.isfinite(p.capacity_m3) & (p.capacity_m3 > 0), "capacities > 0")
    _need(p, out, "fleet_count", p.fleet_count >= 0, "counts >= 0")
    mt = p.fleet_max_trips
    _need(
        p,
        out,
        "fleet_max_trips",
        (mt >= 1) & ((mt == np.round(mt)) | np.isinf(mt)),
        "whole numbers >= 1 or inf",
    )
    _need(p, out, "fleet_max_duration_h", p.fleet_max_duration_h > 0, "hours > 0 or inf")
    _need(p, out, "source_depot", (p.source_depot >= 0) & (p.source_depot < D), f"indices in [0, {D})")
    _need(p, out, "fleet_depot", (p.fleet_depot >= 0) & (p.fleet_depot < D), f"indices in [0, {D})")
    tt = p.travel_time_h
    _need(p, out, "travel_time_h", np.isnan(tt) | (tt >= 0), "times >= 0 (h) or NaN/inf (unreachable)")
    dd = p.distance_km
    reach = np.isfinite(tt)
    _need(
        p,
        out,
        "distance_km",
        ~reach | (np.isfinite(dd) & (dd >= 0)),
        "finite distances >= 0 (km) where the point is reachable",
    )


def _check_items_and_points(p: AllocationProblem, out: list[Problem]) -> None:
    """Every item has a weight or a volume; every point with demand has persons."""
    K, J = len(p.item_ids), len(p.point_ids)
    if K and np.any((p.weight_kg == 0) & (p.volume_m3 == 0)):
        k = int(np.flatnonzero((p.weight_kg == 0) & (p.volume_m3 == 0))[0])
        out.append(Problem("weight_kg and volume_m3 are both 0", column="weight_kg", value=p.item_ids[k]))
    if J and K:
        lonely = (p.demand.sum(axis=1) > 0) & ~(p.persons > 0)
        if np.any(lonely):
            j = int(np.flatnonzero(lonely)[0])
            out.append(
                Problem(
                    "persons must be > 0 at a point with demand",
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
                    f"expected one of {', '.join(SOURCE_KINDS)}",
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
                        "unknown item id",
                        column=f"substitutions.{fld}",
                        value=str(getattr(sub, fld)),
                    )
                )
        if sub.item == sub.substitute:
            out.append(Problem("an item cannot substitute itself", column="substitutions", value=sub.item))
        if not (0 < sub.ratio < np.inf):
            out.append(Problem("expected a ratio > 0", column="substitutions.ratio", value=str(sub.ratio)))
        if (sub.item, sub.substitute) in pairs:
            out.append(
                Problem(
                    "duplicate substitution",
                    column="substitutions",
                    value=f"{sub.item}<-{sub.substitute}",
                )
            )
        pairs.add((sub.item, sub.substitute))
