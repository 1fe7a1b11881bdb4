"""Parameters of the allocation solver."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from logistics.exceptions import AllocationInputError, Problem

__all__ = ["AllocationParams"]


@dataclass(frozen=True)
class AllocationParams:
    """Parameters of :func:`solve_allocation`.

    Parameters
    ----------
    objective
        ``"lexicographic"`` (a → b → c, default), ``"delivered"`` (a only),
        ``"equity"`` (b only) or ``"cost"`` (c only).
    cost
        Objective (c): ``"person_hours"`` (default) or ``"ton_km"``.
    integer_trips
        Whole trips per individual truck (MIP, exact, explicit schedule);
        default False: fractional trips, trucks of a group pooled (LP).
    max_depots_per_point
        Keep only the k fastest depots able to serve each point in time
        (heuristic pruning; ``None`` keeps all).
    column_generation
        Solve the LP (``integer_trips=False``) by column generation: start from
        each point's fastest depots and add lanes and cargo variables only
        while their reduced cost shows they can improve the plan (see
        docs/allocation.md). Same optimum as the full LP, proven by the final
        pricing round, with a smaller model but several solves (measured 4.7×
        slower than the full LP on a 10 × 150 × 10 instance). With
        ``max_depots_per_point=k`` the first master holds each point's k
        fastest depots and pricing adds the pairs that matter, so nothing
        is lost by the pruning. Ignored with ``integer_trips=True``.
    lp_solver, mip_solver
        OR-Tools back-ends: ``"glop"`` (default; falls back to HiGHS when GLOP
        reports ABNORMAL), ``"highs"``, ``"pdlp"``; ``"highs"`` (default) or
        ``"scip"``.
    lexicographic_tolerance
        Slack when an optimal stage value is fixed (absolute, on the shares
        (a) and (b), which lie in ``[0, 1]``).
    seed
        Random seed given to the MIP solver (LPs are deterministic).
    """

    objective: Literal["lexicographic", "delivered", "equity", "cost"] = "lexicographic"
    cost: Literal["person_hours", "ton_km"] = "person_hours"
    integer_trips: bool = False
    max_depots_per_point: int | None = None
    column_generation: bool = False
    lp_solver: str = "glop"
    mip_solver: str = "highs"
    lexicographic_tolerance: float = 1e-9
    seed: int = 0

    def __post_init__(self) -> None:
        if self.objective not in ("lexicographic", "delivered", "equity", "cost"):
            raise AllocationInputError(
                [
                    Problem(
                        "expected lexicographic, delivered, equity or cost",
                        column="objective",
                        value=str(self.objective),
                    )
                ]
            )
        if self.cost not in ("person_hours", "ton_km"):
            raise AllocationInputError(
                [Problem("expected person_hours or ton_km", column="cost", value=str(self.cost))]
            )
        k = self.max_depots_per_point
        if k is not None and not (isinstance(k, int) and k >= 1):
            raise AllocationInputError(
                [
                    Problem(
                        "expected an integer >= 1 or None",
                        column="max_depots_per_point",
                        value=str(k),
                    )
                ]
            )
        if not isinstance(self.column_generation, bool):
            raise AllocationInputError(
                [
                    Problem(
                        "expected true or false",
                        column="column_generation",
                        value=str(self.column_generation),
                    )
                ]
            )
        if not (0 <= self.lexicographic_tolerance < 0.01):
            raise AllocationInputError(
                [
                    Problem(
                        "expected a tolerance in [0, 0.01)",
                        column="lexicographic_tolerance",
                        value=str(self.lexicographic_tolerance),
                    )
                ]
            )
