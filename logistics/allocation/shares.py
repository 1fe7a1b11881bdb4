"""Objective (a) split by point and by (point, item): what each coverage term contributes.

``a = Σ_j W_j m_j / Σ_j W_j`` with ``W_j = π_j P_j`` (priority × persons) over the points with
weighted demand, and ``m_j = Σ_k ω_k C_jk / (Ω_j d_jk)`` the point's met share. The sweep reads
short points off ``m_j``; the critical-roads bound sums the terms ``W_j ω_k C_jk / (Ω_j d_jk ΣW)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from logistics.allocation.problem import AllocationProblem

__all__ = ["coverage_terms", "point_met_shares"]


def _weights(p: AllocationProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    need = p.demand > 0
    omega = np.where(need, p.item_weight[None, :], 0.0)
    Omega = omega.sum(axis=1)
    counted = need.any(axis=1) & (Omega > 0)
    return need, omega, Omega, counted


def point_met_shares(p: AllocationProblem, covered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each point's met share ``m_j`` (0 where not counted) and which points count.

    Parameters
    ----------
    p
        The problem.
    covered
        ``[J, K]`` coverage (substitutes at their ratio).
    """
    need, omega, Omega, counted = _weights(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(need, covered / p.demand, 0.0)
        per_point = np.where(counted, (omega * frac).sum(axis=1) / Omega, 0.0)
    return per_point, counted


def coverage_terms(p: AllocationProblem, covered: np.ndarray) -> np.ndarray:
    """Return ``[J, K]`` each coverage term's part of objective (a); they sum to ``a``.

    Parameters
    ----------
    p
        The problem.
    covered
        ``[J, K]`` coverage (substitutes at their ratio).
    """
    need, omega, Omega, counted = _weights(p)
    w = p.priority * p.persons * counted
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(need, covered / np.where(need, p.demand, 1.0), 0.0)
        per = np.where(
            counted[:, None], w[:, None] * omega * frac / np.where(Omega > 0, Omega, 1.0)[:, None], 0.0
        )
    return per / w.sum() if w.sum() > 0 else np.zeros_like(per)
