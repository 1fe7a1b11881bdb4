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
    K, D, S, J, G = (
        len(p.item_ids),
        len(p.depot_ids),
        len(p.source_ids),
        len(p.point_ids),
        len(p.fleet_ids),
    )

    for name in ("item_ids", "depot_ids", "source_ids", "point_ids", "fleet_ids"):
        ids = getattr(p, name)
        seen: set[str] = set()
        for i in ids:
            if not isinstance(i, str) or not i:
                out.append(Problem("ids must be non-empty strings", column=name, value=repr(i)))
            elif i in seen:
                out.append(Problem("duplicate id", column=name, value=i))
            seen.add(i)

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
    }
    bad_shape = False
    for name, shape in shapes.items():
        arr = getattr(p, name)
        if arr.shape != shape:
            out.append(Problem(f"expected shape {shape}", column=name, value=str(arr.shape)))
            bad_shape = True
    if len(p.source_kind) != S:
        out.append(Problem(f"expected {S} entries", column="source_kind", value=str(len(p.source_kind))))
    if bad_shape:
        raise AllocationInputError(out)

    def first(arr: np.ndarray, ok: np.ndarray) -> str:
        return str(arr[~ok].flat[0])

    def need(name: str, ok: np.ndarray, what: str) -> None:
        arr = getattr(p, name)
        if arr.size and not np.all(ok):
            out.append(Problem(f"expected {what}", column=name, value=first(arr, ok)))

    def nonneg(name: str) -> None:
        arr = getattr(p, name)
        need(name, np.isfinite(arr) & (arr >= 0), "finite values >= 0")

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
        nonneg(name)
    need("deadline_h", np.isfinite(p.deadline_h) & (p.deadline_h > 0), "deadlines > 0 (h)")
    need("capacity_kg", np.isfinite(p.capacity_kg) & (p.capacity_kg > 0), "capacities > 0")
    need("capacity_m3", np.isfinite(p.capacity_m3) & (p.capacity_m3 > 0), "capacities > 0")
    need("fleet_count", p.fleet_count >= 0, "counts >= 0")
    need("source_depot", (p.source_depot >= 0) & (p.source_depot < D), f"indices in [0, {D})")
    need("fleet_depot", (p.fleet_depot >= 0) & (p.fleet_depot < D), f"indices in [0, {D})")
    tt = p.travel_time_h
    need("travel_time_h", np.isnan(tt) | (tt >= 0), "times >= 0 (h) or NaN/inf (unreachable)")
    dd = p.distance_km
    reach = np.isfinite(tt)
    need(
        "distance_km",
        ~reach | (np.isfinite(dd) & (dd >= 0)),
        "finite distances >= 0 (km) where the point is reachable",
    )
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
    for name in ("load_h", "unload_h"):
        v = getattr(p, name)
        if not (0 <= v < np.inf):
            out.append(Problem("expected a finite time >= 0 (h)", column=name, value=str(v)))
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
    if out:
        raise AllocationInputError(out)

