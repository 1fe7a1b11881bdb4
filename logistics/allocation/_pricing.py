"""The pricing iterations of the certified mode (internal).

One iteration solves the flow problems at the current truck prices
(:mod:`logistics.allocation._lagrange`), certifies a bound with them
(:func:`~logistics.allocation._relaxed.certified_bound`), adds the flows as
columns of the Dantzig–Wolfe master (:mod:`logistics.allocation._master`) and
takes the master's row duals as the next prices. When the bound has not moved
from the no-truck bound after the first :data:`DESCENT_AFTER` iterations while
the master's value is still far below it (the master prices only the few rows
its columns make binding), the depot-by-depot
descent (:mod:`logistics.allocation._descent`) prices every depot's trucks at once
and gives the master columns that load them all.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._descent import descend
from logistics.allocation._lagrange import columns, components, fitted, solve_items
from logistics.allocation._master import Master
from logistics.allocation._relaxed import certified_bound

if TYPE_CHECKING:
    from logistics.allocation._relaxed import Data, TruckRows
    from logistics.allocation._relaxed_hubs import HubData
    from logistics.allocation._repair import Clock
    from logistics.allocation.params import AllocationParams
    from logistics.allocation.problem import AllocationProblem

logger = logging.getLogger(__name__)

#: also add each flow solution scaled to fit every depot's truck rows as a master column (not
#: through hubs: there the scaled flows spread the guide and the hubs' depot LPs grow; measured
#: in bench/README.md)
FIT_COLUMNS = True
#: master iterations after which the descent runs (once per solve) if the bound is
#: still the no-truck bound and the master more than ``DESCENT_GAP`` below it (at the city scale
#: the master is then within about 1 % and the descent would only cost time: bench/README.md)
DESCENT_AFTER = 4
DESCENT_GAP = 0.05


class Pricing:
    """The master, the current prices (truck ``μ``, throughput ``ν``), its weights ``λ`` and the bound."""

    def __init__(
        self, p: AllocationProblem, data: Data, rows: TruckRows, hd: HubData | None, params: AllocationParams
    ) -> None:
        self.p, self.data, self.rows, self.hd, self.params = p, data, rows, hd, params
        extra = hd.room_kg if hd is not None else None
        self.master = Master(rows, len(components(p, data)), seed=params.seed, extra=extra)
        self.mu_kg, self.mu_m3 = np.zeros(len(rows.keys)), np.zeros(len(rows.keys))
        self.nu = np.zeros(0 if hd is None else len(hd.row_wave))
        self.lam = np.zeros(0)
        self.ub = 1.0
        self.no_truck: float | None = None  # the bound at zero truck prices
        self.descended = False

    def iterate(self, clock: Clock) -> bool:
        """Run up to ``lagrange_iterations`` iterations; return whether the time limit stopped them."""
        p, data, rows, hd, params = self.p, self.data, self.rows, self.hd, self.params
        for it in range(params.lagrange_iterations):
            flows, pi = solve_items(p, data, rows, self.mu_kg, self.mu_m3, hubs=hd, nu=self.nu)
            self.ub = min(self.ub, certified_bound(p, data, rows, self.mu_kg, self.mu_m3, pi, hd, self.nu))
            if self.no_truck is None:
                self.no_truck = self.ub
            self._add(flows)
            obj = self._solve_master()
            if gap(self.ub, obj) <= params.gap_target / 4:
                return False
            if clock.late(0.5):
                return True
            stuck = self.ub >= self.no_truck - 1e-12 and gap(self.ub, obj) > DESCENT_GAP
            if it == DESCENT_AFTER - 1 and params.descent_iterations and not self.descended and stuck:
                self.descended = True
                self.ub = min(
                    self.ub, descend(p, data, rows, self.master, params, clock, hd, self.nu, self.ub)
                )
                self._solve_master()
        return False

    def _add(self, flows: object) -> None:
        """Add the flows (and, without hubs, the flows fitted to the truck rows) as master columns."""
        p, data, rows, hd = self.p, self.data, self.rows, self.hd
        for k, val, use, f in columns(p, data, rows, flows, hd):
            self.master.add(k, val, use, f)
        if FIT_COLUMNS and hd is None:  # through hubs they spread the guide: larger hub LPs
            for k, val, use, f in columns(p, data, rows, fitted(p, data, rows, flows), hd):
                self.master.add(k, val, use, f)

    def _solve_master(self) -> float:
        """Re-solve the master, take its prices and weights; return its value (objective (a))."""
        self.lam, self.mu_kg, self.mu_m3, self.nu, obj = self.master.solve()
        logger.debug("master %.6f bound %.6f", obj / self.data.scale, self.ub)
        return obj / self.data.scale


def gap(ub: float, a: float) -> float:
    """Relative gap ``(bound − a) / bound`` (0 when the bound is 0)."""
    return max(ub - a, 0.0) / ub if ub > 0 else 0.0
