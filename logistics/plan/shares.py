"""Shares of demand met, defined once for every figure a user reads.

For a point ``j`` with demand ``d_jk`` of item ``k`` and ``c_jk`` units covered (delivered by the
deadline, substitutes counted at their ratio, at most ``d_jk``), the **met share** is::

    met_j = Σ_k w_jk c_jk / Σ_k w_jk d_jk,   with   w_jk = ω_k / d_jk

so every item a point needs counts by its item weight ``ω_k`` (1 unless the allocation problem
says otherwise), whatever its unit (pieces, litres or kg never add up). The **headline**
(demand met by the deadline) weights points by priority × persons::

    a = Σ_j π_j P_j met_j / Σ_j π_j P_j    over points with demand,

the allocation model's objective (a). The **largest unmet share** is ``max_j (1 − met_j)`` over
the points that can be served at all; points that no source can serve (unreachable, no stock,
too far) are reported apart with their reason.

Coverage from deliveries (:func:`coverage`): each item's own demand is met first; what is left of
a substitute then covers the item it substitutes, at the substitution's ratio, in the order the
substitutions are listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.allocation import Substitution

__all__ = ["coverage", "headline_share", "point_met_shares", "unit_values"]


def coverage(
    demand: np.ndarray, delivered: np.ndarray, item_ids: Sequence[str], substitutions: Sequence[Substitution]
) -> np.ndarray:
    """Return ``[J, K]`` units of demand covered by delivered units (substitutes at their ratio).

    Parameters
    ----------
    demand, delivered
        ``[J, K]`` units needed and delivered.
    item_ids
        The ``K`` item ids.
    substitutions
        Allowed substitutions, in priority order.

    Examples
    --------
    >>> import numpy as np
    >>> from logistics.allocation import Substitution
    >>> d = np.array([[10.0, 0.0]]); x = np.array([[4.0, 8.0]])
    >>> coverage(d, x, ["bed", "bag"], [Substitution("bed", "bag", 2.0)]).tolist()
    [[8.0, 0.0]]
    """
    demand = np.asarray(demand, dtype=float)
    covered = np.minimum(np.asarray(delivered, dtype=float), demand)
    spare = np.maximum(np.asarray(delivered, dtype=float) - demand, 0.0)
    index = {k: i for i, k in enumerate(item_ids)}
    for sub in substitutions:
        k1, k2 = index[sub.item], index[sub.substitute]
        gap = demand[:, k1] - covered[:, k1]
        use = np.minimum(spare[:, k2] / sub.ratio, gap)
        covered[:, k1] += use
        spare[:, k2] -= use * sub.ratio
    return covered


def point_met_shares(demand: np.ndarray, covered: np.ndarray, item_weight: np.ndarray) -> np.ndarray:
    """Return ``[J]`` met shares ``Σ_k ω_k c_jk/d_jk / Σ_k ω_k`` (1 for points without demand).

    Parameters
    ----------
    demand, covered
        ``[J, K]`` units needed and covered.
    item_weight
        ``[K]`` item weights ``ω_k``.
    """
    demand = np.asarray(demand, dtype=float)
    w = np.where(demand > 0, np.asarray(item_weight, dtype=float)[None, :], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(demand > 0, np.minimum(np.asarray(covered, dtype=float), demand) / demand, 0.0)
    total = w.sum(axis=1)
    return np.where(total > 0, (w * frac).sum(axis=1) / np.where(total > 0, total, 1.0), 1.0)


def headline_share(
    shares: np.ndarray, persons: np.ndarray, priority: np.ndarray, has_demand: np.ndarray
) -> float:
    """Return the priority × persons weighted mean of the point shares (points with demand).

    Parameters
    ----------
    shares
        ``[J]`` met shares.
    persons, priority
        ``[J]`` affected persons and priority weights.
    has_demand
        ``[J]`` whether the point needs anything.
    """
    w = (
        np.asarray(priority, dtype=float)
        * np.asarray(persons, dtype=float)
        * np.asarray(has_demand, dtype=bool)
    )
    return float((w * shares).sum() / w.sum()) if w.sum() > 0 else 1.0


def unit_values(
    demand: np.ndarray, item_weight: np.ndarray, persons: np.ndarray, priority: np.ndarray
) -> np.ndarray:
    """Return ``[J, K]``: how much one unit delivered by the deadline adds to the headline share.

    ``π_j P_j ω_k / (Ω_j d_jk Σ π P)`` for items a point needs, 0 otherwise.

    Parameters
    ----------
    demand
        ``[J, K]`` units needed.
    item_weight
        ``[K]`` item weights.
    persons, priority
        ``[J]`` affected persons and priority weights.
    """
    demand = np.asarray(demand, dtype=float)
    w = np.where(demand > 0, np.asarray(item_weight, dtype=float)[None, :], 0.0)
    omega = w.sum(axis=1)
    point_w = np.asarray(priority, dtype=float) * np.asarray(persons, dtype=float) * (omega > 0)
    total = point_w.sum()
    if total <= 0:
        return np.zeros_like(demand)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_unit = np.where(demand > 0, w / (np.where(omega > 0, omega, 1.0)[:, None] * demand), 0.0)
    return per_unit * (point_w / total)[:, None]
