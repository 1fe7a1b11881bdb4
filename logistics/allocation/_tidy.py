"""Make solver values exactly consistent before a result is built from them (internal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._hubs import fit_transfers

if TYPE_CHECKING:
    from logistics.allocation._hubs import Expansion
    from logistics.allocation._lanes import Lanes
    from logistics.allocation._model import Model
    from logistics.allocation.problem import AllocationProblem

#: quantities below this (units) are treated as zero in reports
QTY_EPS = 1e-6


def tidy_solution(
    p: AllocationProblem, ln: Lanes, model: Model, v: np.ndarray, integer: bool, hubs: Expansion | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """Make solver values ``v`` consistent; return them, the cargo, trips, trips per truck, delivered units.

    Tiny values become 0, whole trips are rounded, cargo is scaled down where
    it exceeds what the (rounded) trips can carry (solver tolerances), and
    coverage is scaled down where it exceeds what was delivered; with ``hubs``, what a hub
    sends is scaled down where it exceeds what arrived. ``v`` is not
    changed (the returned values are a copy); trips per truck are ``None`` in
    the LP; delivered units are ``[J, K]``.
    """
    v = v.copy()
    x = np.where(v[model.vx] > QTY_EPS, v[model.vx], 0.0)
    x = _fit_cargo(p, ln, model, v, x, integer)
    if hubs is not None:
        x = fit_transfers(hubs, ln, x)
    v[model.vx] = x
    trips, per_truck = _tidy_trips(p, ln, model, v, x, integer)
    delivered = np.zeros((p.num_points, p.num_items))
    np.add.at(delivered, (ln.lane_j[ln.x_lane], ln.x_item), x)
    _fit_coverage(p, model, v, delivered)
    return v, x, trips, per_truck, delivered


def _fit_cargo(
    p: AllocationProblem, ln: Lanes, model: Model, v: np.ndarray, x: np.ndarray, integer: bool
) -> np.ndarray:
    """Scale each lane's cargo to fit its trips (whole trips in the MIP)."""
    L = len(ln.lane_g)
    if L == 0:
        return x
    if integer:
        n = np.where(model.vn >= 0, np.rint(v[np.maximum(model.vn, 0)]), 0.0).sum(axis=1)
    else:
        n = np.maximum(v[model.vn], 0.0)
    kg = np.bincount(ln.x_lane, p.weight_kg[ln.x_item] * x, minlength=L)
    m3 = np.bincount(ln.x_lane, p.volume_m3[ln.x_item] * x, minlength=L)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.minimum.reduce(
            [
                np.ones(L),
                np.where(kg > 0, p.capacity_kg[ln.lane_g] * n / kg, 1.0),
                np.where(m3 > 0, p.capacity_m3[ln.lane_g] * n / m3, 1.0),
            ]
        )
    x = x * f[ln.x_lane]
    return np.where(x > QTY_EPS, x, 0.0)


def _fit_coverage(p: AllocationProblem, model: Model, v: np.ndarray, delivered: np.ndarray) -> None:
    """Scale uses of delivered units (own demand, substitution) down to what arrived."""
    idx = {k: i for i, k in enumerate(p.item_ids)}
    uses = np.zeros_like(delivered)
    pos = model.vy >= 0
    v[model.vy[pos]] = np.where(v[model.vy[pos]] > QTY_EPS, v[model.vy[pos]], 0.0)
    uses[pos] = v[model.vy[pos]]
    sub_k2 = [idx[s.substitute] for s in p.substitutions]
    for q, k2 in enumerate(sub_k2):
        js = np.flatnonzero(model.vu[:, q] >= 0)
        v[model.vu[js, q]] = np.where(v[model.vu[js, q]] > QTY_EPS, v[model.vu[js, q]], 0.0)
        uses[js, k2] += v[model.vu[js, q]]
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(uses > delivered, delivered / uses, 1.0)
    v[model.vy[pos]] *= f[pos]
    for q, k2 in enumerate(sub_k2):
        js = np.flatnonzero(model.vu[:, q] >= 0)
        v[model.vu[js, q]] *= f[js, k2]


def _tidy_trips(
    p: AllocationProblem, ln: Lanes, model: Model, v: np.ndarray, x: np.ndarray, integer: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Trips per lane (and per truck): the fewest that carry the lane's cargo.

    Trip counts do not enter objectives (a)–(c), so the solver may return idle
    trips; dropping trips never breaks the truck-time constraints, so each
    lane keeps ``max(weight / Q_g, volume / U_g)`` trips (rounded up in the
    MIP, removing surplus trips from the truck with most trips on the lane,
    highest truck index first).
    """
    L = len(ln.lane_g)
    kg = np.bincount(ln.x_lane, p.weight_kg[ln.x_item] * x, minlength=L)
    m3 = np.bincount(ln.x_lane, p.volume_m3[ln.x_item] * x, minlength=L)
    need = np.maximum(kg / p.capacity_kg[ln.lane_g], m3 / p.capacity_m3[ln.lane_g]) if L else np.zeros(0)
    if not integer:
        return np.where(need > 1e-9, need, 0.0), None
    per_truck = np.where(model.vn >= 0, np.rint(v[np.maximum(model.vn, 0)]), 0.0)
    if L == 0:
        return np.zeros(0), per_truck
    want = np.maximum(np.ceil(need - 1e-6), (kg > 0) | (m3 > 0))
    for i in np.flatnonzero(per_truck.sum(axis=1) > want):
        row = per_truck[i]
        while row.sum() > want[i]:
            t = len(row) - 1 - int(np.argmax(row[::-1]))
            row[t] -= 1
    return per_truck.sum(axis=1), per_truck
