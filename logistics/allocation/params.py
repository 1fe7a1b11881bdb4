"""Parameters of the allocation solver."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from logistics.exceptions import AllocationInputError, Problem, tr

__all__ = ["AllocationParams"]


@dataclass(frozen=True)
class AllocationParams:
    """Parameters of :func:`solve_allocation`.

    Parameters
    ----------
    objective
        ``"lexicographic"`` (default): (a) demand met, then (b) the largest
        unmet share over the points that can be served, then (c) cost.
        ``"delivered"``: (a) only. ``"equity"``: leximin over the points that
        can be served (raise the smallest met share, fix it, raise the next,
        …), then (a) with those levels held, then (c). ``"cost"``: (a), then
        (c) with (a) held. Every mode delivers: no mode optimises (b) or (c)
        without (a) or the leximin levels before it (see
        :mod:`logistics.allocation.problem`, "Objectives").
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
    min_delivered_share
        Share of the optimum ``a*`` of stage (a) that later stages must keep:
        they are solved with ``a ≥ min_delivered_share × a* − tolerance``. In
        ``(0, 1]``; default 1.0 (keep the best achievable demand met). Below 1
        it lets the cost (c) or, in ``"lexicographic"``, the equity stage (b)
        trade some demand met for a lower cost or a fairer spread. Ignored with
        ``objective="delivered"``.
    leximin_rounds
        Most rounds of the leximin stage (``objective="equity"``); each round
        raises the smallest met share of the points not yet fixed and fixes
        the points that cannot go above it. Points still free after the last
        round are held at its level. Integer ≥ 1; default 10.
    lexicographic_tolerance
        Slack when an optimal stage value is fixed (absolute, on the shares
        (a), (b) and the leximin levels, which lie in ``[0, 1]``).
    seed
        Random seed given to the MIP solver (LPs are deterministic).
    method
        ``"exact"``: the full LP/MIP above. ``"certified"``: the large-scale
        mode (docs/allocation.md, "Certified mode"): a relaxation bounds
        demand met (a) from above, depot-by-depot exact LPs build a plan
        from its flows, and the result carries the bound and the gap.
        ``"auto"`` (default) picks ``"certified"`` when the full LP would have
        more than ``certified_above`` cargo variables (LP mode, objectives
        other than ``"equity"``), otherwise ``"exact"``.
    certified_above
        Size (estimated cargo variables of the full LP) above which ``"auto"``
        picks the certified mode; default 60,000.
    gap_target
        The certified mode stops once ``(bound − a) / bound`` is at most this;
        default 0.01.
    certified_rounds
        Most rounds of the certified mode; each runs up to ``lagrange_iterations``
        pricing iterations and plans the depots from their flows; default 2.
    lagrange_iterations
        Most pricing iterations of the certified mode per round (each solves
        one min-cost flow per item group and the master); default 24. Iterations
        improve the guide more than rounds do (bench/README.md).
    descent_iterations
        Most steps of the depot-by-depot price descent of the certified mode
        (docs/allocation.md, "Certified mode"), run once when the master's bound
        has not moved after its first iterations while the master is far below
        it; 0 turns it off; default 8.
    time_limit_s
        Wall-clock limit of the certified mode: no new round starts after it,
        a depot LP still running then is stopped (that depot sends nothing), and
        the best plan so far is returned with its gap. ``None`` (default): no
        limit. Tests stop on rounds, never on this.
    jobs
        Processes for the certified mode's depot-by-depot LPs (same result
        for any number); default 1.
    """

    objective: Literal["lexicographic", "delivered", "equity", "cost"] = "lexicographic"
    cost: Literal["person_hours", "ton_km"] = "person_hours"
    integer_trips: bool = False
    max_depots_per_point: int | None = None
    column_generation: bool = False
    lp_solver: str = "glop"
    mip_solver: str = "highs"
    min_delivered_share: float = 1.0
    leximin_rounds: int = 10
    lexicographic_tolerance: float = 1e-9
    seed: int = 0
    method: Literal["auto", "exact", "certified"] = "auto"
    certified_above: int = 60_000
    gap_target: float = 0.01
    certified_rounds: int = 2
    lagrange_iterations: int = 24
    descent_iterations: int = 8
    time_limit_s: float | None = None
    jobs: int = 1

    def __post_init__(self) -> None:
        if self.objective not in ("lexicographic", "delivered", "equity", "cost"):
            raise AllocationInputError(
                [
                    Problem(
                        tr(
                            "expected lexicographic, delivered, equity or cost",
                            "应为 lexicographic、delivered、equity 或 cost",
                        ),
                        column="objective",
                        value=str(self.objective),
                    )
                ]
            )
        if self.cost not in ("person_hours", "ton_km"):
            raise AllocationInputError(
                [
                    Problem(
                        tr("expected person_hours or ton_km", "应为 person_hours 或 ton_km"),
                        column="cost",
                        value=str(self.cost),
                    )
                ]
            )
        k = self.max_depots_per_point
        if k is not None and not (isinstance(k, int) and k >= 1):
            raise AllocationInputError(
                [
                    Problem(
                        tr("expected an integer >= 1 or None", "应为不小于 1 的整数或 None"),
                        column="max_depots_per_point",
                        value=str(k),
                    )
                ]
            )
        if not isinstance(self.column_generation, bool):
            raise AllocationInputError(
                [
                    Problem(
                        tr("expected true or false", "应为 true 或 false"),
                        column="column_generation",
                        value=str(self.column_generation),
                    )
                ]
            )
        share = self.min_delivered_share
        if isinstance(share, bool) or not (isinstance(share, (int, float)) and 0 < share <= 1):
            raise AllocationInputError(
                [
                    Problem(
                        tr("expected a share in (0, 1]", "应为 (0, 1] 内的比例"),
                        column="min_delivered_share",
                        value=str(share),
                    )
                ]
            )
        r = self.leximin_rounds
        if isinstance(r, bool) or not (isinstance(r, int) and r >= 1):
            raise AllocationInputError(
                [
                    Problem(
                        tr("expected an integer >= 1", "应为不小于 1 的整数"),
                        column="leximin_rounds",
                        value=str(r),
                    )
                ]
            )
        self._check_certified()
        if not (0 <= self.lexicographic_tolerance < 0.01):
            raise AllocationInputError(
                [
                    Problem(
                        tr("expected a tolerance in [0, 0.01)", "应为 [0, 0.01) 内的容差"),
                        column="lexicographic_tolerance",
                        value=str(self.lexicographic_tolerance),
                    )
                ]
            )

    def _check_certified(self) -> None:
        """Check the parameters of the method choice and the certified mode."""
        if self.method not in ("auto", "exact", "certified"):
            raise AllocationInputError(
                [
                    Problem(
                        tr("expected auto, exact or certified", "应为 auto、exact 或 certified"),
                        column="method",
                        value=str(self.method),
                    )
                ]
            )
        for name in ("certified_above", "certified_rounds", "lagrange_iterations", "jobs"):
            n = getattr(self, name)
            if isinstance(n, bool) or not (isinstance(n, int) and n >= 1):
                raise AllocationInputError(
                    [
                        Problem(
                            tr("expected an integer >= 1", "应为不小于 1 的整数"), column=name, value=str(n)
                        )
                    ]
                )
        n = self.descent_iterations
        if isinstance(n, bool) or not (isinstance(n, int) and n >= 0):
            raise AllocationInputError(
                [
                    Problem(
                        tr("expected an integer >= 0", "应为不小于 0 的整数"),
                        column="descent_iterations",
                        value=str(n),
                    )
                ]
            )
        if isinstance(self.gap_target, bool) or not (
            isinstance(self.gap_target, (int, float)) and 0 <= self.gap_target < 1
        ):
            raise AllocationInputError(
                [
                    Problem(
                        tr("expected a share in [0, 1)", "应为 [0, 1) 内的比例"),
                        column="gap_target",
                        value=str(self.gap_target),
                    )
                ]
            )
        lim = self.time_limit_s
        if lim is not None and (isinstance(lim, bool) or not (isinstance(lim, (int, float)) and lim > 0)):
            raise AllocationInputError(
                [
                    Problem(
                        tr("expected seconds > 0 or None", "应为大于 0 的秒数或 None"),
                        column="time_limit_s",
                        value=str(lim),
                    )
                ]
            )
