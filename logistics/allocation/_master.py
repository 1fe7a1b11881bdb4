"""The restricted master of the certified mode: convex combinations of item flows (internal).

Each column is one item's flow solution from :mod:`logistics.allocation._lagrange`
(its value and its load on every truck row of ``R``); the master picks, per
item, a convex combination of its columns (``Σ_t λ_kt ≤ 1``; the empty flow is
always allowed) with every truck row within its capacity. That is the
Dantzig–Wolfe master of ``R`` with the truck rows linking the items, so:

* its solution, mapped back to flows, satisfies stock, demand and truck rows
  of ``R`` — the guide the depots' exact plans start from;
* its row duals are the next truck prices ``μ``; the flow problems at ``μ``
  give new columns and, through
  :func:`~logistics.allocation._relaxed.certified_bound`, a bound.

HiGHS (through highspy) keeps the basis between solves, so adding a round of
columns costs a few simplex iterations rather than a cold solve.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from typing import TYPE_CHECKING

import numpy as np

from logistics.exceptions import AllocationSolverError

if TYPE_CHECKING:
    from logistics.allocation._relaxed import TruckRows

_INF = float("inf")


class Master:
    """Rows: truck rows (kg·h, then m³·h), other linking rows, one convexity row per item group.

    Columns: flows of a group. The other linking rows (``extra``: their right-hand sides)
    are a hub's throughput rows (:mod:`logistics.allocation._relaxed_hubs`).
    """

    def __init__(
        self, rows: TruckRows, num_groups: int, *, seed: int = 0, extra: np.ndarray | None = None
    ) -> None:
        import highspy  # heavy: HiGHS, loaded when the certified mode runs

        self.hs = highspy
        h = quiet_highs(highspy)
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", int(seed))
        h.setOptionValue("threads", 1)
        # primal simplex: added columns leave the last basis primal feasible, so a re-solve
        # starts where the previous one ended (3-4x faster re-solves at 50 x 1,250 x 30)
        h.setOptionValue("simplex_strategy", 4)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.h = h
        self.n_rows = len(rows.keys)
        self.cap_kg, self.cap_m3 = rows.cap_kg.astype(float), rows.cap_m3.astype(float)
        self.extra = np.zeros(0) if extra is None else np.asarray(extra, dtype=float)
        n = 2 * self.n_rows + len(self.extra) + num_groups
        hi = np.concatenate([self.cap_kg, self.cap_m3, self.extra, np.ones(num_groups)])
        if n:
            h.addRows(
                n,
                np.full(n, -_INF),
                hi,
                0,
                np.zeros(n, dtype=np.int32),
                np.zeros(0, dtype=np.int32),
                np.zeros(0),
            )
        self.columns: list[tuple[int, object]] = []  # (item group, payload)

    def scale_caps(self, factor: np.ndarray) -> None:
        """Scale each truck row's capacity by ``factor`` (repair rounds restrict depots that fell short)."""
        n = self.n_rows
        if not n:
            return
        idx = np.arange(2 * n, dtype=np.int32)
        hi = np.concatenate([self.cap_kg * factor, self.cap_m3 * factor])
        self.h.changeRowsBounds(2 * n, idx, np.full(2 * n, -_INF), hi)

    def add(self, k: int, value: float, use: tuple[np.ndarray, ...], payload: object) -> None:
        """Add item group ``k``'s flow solution as a column (``value`` in scaled objective units).

        ``use`` holds its loads on the kg·h, m³·h and extra rows.
        """
        n = 2 * self.n_rows + len(self.extra)
        vals = np.concatenate([*use, [1.0]])
        idx = np.concatenate([np.arange(n), [n + k]])
        keep = vals > 0
        self.h.addCol(
            float(value), 0.0, _INF, int(keep.sum()), idx[keep].astype(np.int32), vals[keep].astype(float)
        )
        self.columns.append((k, payload))

    def solve(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
        """Return column weights ``λ``, truck prices ``μ`` (kg·h, m³·h), extra rows' prices (≥ 0), objective."""
        n, e = self.n_rows, len(self.extra)
        if not self.columns:
            return np.zeros(0), np.zeros(n), np.zeros(n), np.zeros(e), 0.0
        self.h.run()
        status = self.h.getModelStatus()
        if status != self.hs.HighsModelStatus.kOptimal:
            raise AllocationSolverError("certified master", str(status))
        sol = self.h.getSolution()
        lam = np.maximum(np.asarray(sol.col_value), 0.0)
        y = np.asarray(sol.row_dual)
        # maximisation: HiGHS reports a binding ≤ row's dual as ≥ 0 (column reduced cost c − Aᵀy)
        mu = np.maximum(y[: 2 * n + e], 0.0)
        return lam, mu[:n], mu[n : 2 * n], mu[2 * n :], float(self.h.getInfo().objective_function_value)


def quiet_highs(highspy: object) -> object:
    """Make a ``highspy.Highs`` object without the banner HiGHS prints on stdout the first time.

    The banner is written by the C++ library straight to file descriptor 1, so
    Python's ``sys.stdout`` cannot catch it: the descriptor is pointed at the
    null device while the object is made, and C's buffers are flushed there.
    """
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # pragma: no cover - no stdout at all
        return highspy.Highs()  # type: ignore[attr-defined]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        h = highspy.Highs()  # type: ignore[attr-defined]
        with contextlib.suppress(OSError, AttributeError):  # no C library to flush
            ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    return h
