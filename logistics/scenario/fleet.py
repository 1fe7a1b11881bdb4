"""Fleets of a scenario: vehicles per depot, read from a CSV file."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, Any

from logistics.exceptions import Problem, ScenarioError
from logistics.scenario.model import VehicleSpec

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["read_fleet"]


def read_fleet(path: Path, *, origin: str = "") -> list[VehicleSpec]:
    """Read a fleet CSV (``depot_id, vehicle_type, capacity_kg, capacity_m3, count``).

    Parameters
    ----------
    path
        The CSV file.
    origin
        Where the reference came from, for messages.

    Raises
    ------
    ScenarioError
        Listing every bad row (zero or negative capacity, bad count …).
    """
    problems: list[Problem] = []
    out: list[VehicleSpec] = []
    with open(path, encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        need = ["depot_id", "vehicle_type", "capacity_kg", "capacity_m3", "count"]
        missing = [c for c in need if c not in (reader.fieldnames or [])]
        if missing:
            raise ScenarioError([Problem(f"missing column(s) {missing}", file=str(path))])
        for row_no, row in enumerate(reader, start=2):
            try:
                spec = _vehicle(row, row["depot_id"])
            except (ValueError, TypeError) as exc:
                problems.append(Problem(str(exc), file=str(path), row=row_no))
                continue
            out.append(spec)
    if problems:
        raise ScenarioError(problems)
    return out


def _vehicle(d: dict[str, Any], depot_id: str) -> VehicleSpec:
    """One fleet CSV row or ``fleet.vehicles`` entry; ``ValueError`` if a value is bad."""
    try:
        kg, m3, n = float(d["capacity_kg"]), float(d["capacity_m3"]), float(d["count"])
    except KeyError as exc:
        raise ValueError(f"missing field {exc.args[0]!r}") from None
    if not (kg > 0) or not (m3 > 0):
        raise ValueError(
            f"capacity must be > 0 (capacity_kg={d['capacity_kg']}, capacity_m3={d['capacity_m3']})"
        )
    if not (n >= 0) or not float(n).is_integer():
        raise ValueError(f"count must be a whole number >= 0 (got {d['count']})")
    return VehicleSpec(str(depot_id), str(d.get("vehicle_type", d.get("type", "货车"))), kg, m3, int(n))
