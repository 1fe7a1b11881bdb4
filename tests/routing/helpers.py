"""Builders of small routing problems and paths to shared data for the routing tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from logistics.routing import RoutingProblem, ServiceTimes, Shipment, VehicleType

ROOT = Path(__file__).resolve().parents[2]
SHARED = (ROOT / ".." / "shared").resolve()


def shared_path(*parts: str) -> Path:
    """Path under ../shared; skip the test when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"shared data not available: {p}")
    return p


def euclid_matrices(xy: dict[str, tuple[float, float]], *, kmh: float = 60.0):
    """Return ids, travel time (s) and distance (m) for points given in km."""
    ids = list(xy)
    pts = np.array([xy[i] for i in ids], dtype=float)
    dist_m = np.linalg.norm(pts[:, None] - pts[None], axis=2) * 1000.0
    return ids, dist_m / (kmh / 3.6), dist_m


def bags(
    depot: str,
    point: str,
    tonnes: float,
    *,
    item: str = "rice",
    kg_per_unit: float = 100.0,
    m3_per_unit: float = 0.1,
    promised_h: float | None = None,
) -> Shipment:
    """A shipment of ``tonnes`` of whole units (100 kg, 0.1 m³ each by default)."""
    n = round(tonnes * 1000 / kg_per_unit)
    return Shipment(depot, point, item, n, n * kg_per_unit, n * m3_per_unit, promised_h)


def star_problem(
    shipments: list[Shipment],
    fleet: list[VehicleType],
    hours_from_depot: dict[str, float],
    *,
    depot: str = "D",
    deadline_h: dict[str, float] | None = None,
    ready_h: dict[str, float] | None = None,
    service: ServiceTimes | None = None,
) -> RoutingProblem:
    """Points reached from one depot in the given hours; point to point = sum via the depot."""
    ids = [depot, *hours_from_depot]
    h = np.array([0.0, *hours_from_depot.values()])
    tt = (h[:, None] + h[None, :]) * 3600.0
    np.fill_diagonal(tt, 0.0)
    return RoutingProblem.from_matrices(
        shipments,
        fleet,
        ids,
        tt,
        tt * 50.0 / 3.6,  # 50 km/h
        deadline_h=deadline_h,
        ready_h=ready_h,
        service=service,
    )


def random_problem(seed: int, *, n_points: int = 12, deadline_h: float = 8.0) -> RoutingProblem:
    """Two depots, heterogeneous fleets, mixed items, deadlines and promises."""
    rng = np.random.default_rng(seed)
    xy = {"D1": (0.0, 0.0), "D2": (40.0, 10.0)}
    xy |= {f"P{i}": tuple(rng.uniform(-30, 70, 2)) for i in range(n_points)}
    ids, tt, dist = euclid_matrices(xy, kmh=50.0)
    ships = []
    for i in range(n_points):
        dep = "D1" if i % 3 else "D2"
        for item, kg, m3 in (("tent", 35.0, 0.12), ("water", 12.0, 0.012), ("quilt", 2.5, 0.02)):
            q = int(rng.integers(0, 120))
            if q:
                ships.append(Shipment(dep, f"P{i}", item, q, q * kg, q * m3, 4.0))
    fleet = [
        VehicleType("D1", "heavy", 8000, 35, 2),
        VehicleType("D1", "light", 2000, 12, 2, speed_factor=1.25),
        VehicleType("D2", "medium", 5000, 25, 2),
    ]
    return RoutingProblem.from_matrices(
        ships,
        fleet,
        ids,
        tt,
        dist,
        ready_h={"D1": 0.5},
        deadline_h={f"P{i}": deadline_h for i in range(n_points)},
        service=ServiceTimes(load_s=1200, unload_s=600, unload_s_per_t=120),
    )
