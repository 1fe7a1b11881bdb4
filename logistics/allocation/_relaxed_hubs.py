"""Transfer hubs in the relaxation ``R`` of the certified mode (internal).

With hubs, ``R`` is built on the expanded problem (:func:`~logistics.allocation._hubs.expand`):
a hub wave ``q`` is a receiving point ``J + q`` and a transfer source ``S + q``. In the flow
problems of :mod:`logistics.allocation._lagrange` the two are joined by an arc (what a wave
receives it may send), so each item's problem is a transshipment problem; the transfer
sources have no stock of their own. The hub's throughput rows (received kg by each cut-off,
:func:`~logistics.allocation._hubs.add_hub_rows`) link the items like the truck rows and go
into the master with prices ``ν``; an arc into wave ``q`` pays ``ν`` of every throughput row
that counts it.

The bound (:func:`~logistics.allocation._relaxed.certified_bound`) needs a value for a unit
at each wave: with the hub rows "sent ≤ received" (cumulative by wave) relaxed to ``≤`` at
the last wave too, the dual of the hub rows gives each wave's transfer source the price
``ψ_q = min_{q' ≤ q} min_s (π_s + price of s → J + q')`` over the waves ``q'`` of the same
hub up to ``q`` — the cheapest way the unit can have arrived — and every arc out of
``S + q`` is priced with ``ψ_q`` in place of a stock price.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from logistics.allocation._hubs import Expansion


@dataclass(frozen=True)
class HubData:
    """Waves and throughput rows of an expanded problem, for ``R`` (internal).

    Throughput row ``i`` is that of wave ``row_wave[i]``: kg received by the hub in its waves up
    to and including that one, at most ``room_kg[i]``.
    """

    expansion: Expansion
    num_points: int  # J of the problem itself; receiving points are J + q
    num_sources: int  # S of the problem itself; transfer sources are S + q
    wave_rank: np.ndarray  # [Q] position of the wave among its hub's waves
    row_wave: np.ndarray  # [m]
    room_kg: np.ndarray  # [m]
    hub_depot_source: np.ndarray  # [S + Q] source belongs to a hub's depot

    @property
    def num_waves(self) -> int:
        """Number of waves ``Q``."""
        return len(self.wave_rank)

    def counts(self) -> np.ndarray:
        """``[m, Q]`` whether throughput row ``i`` counts what wave ``q`` receives."""
        wh = self.expansion.wave_hub
        same = wh[self.row_wave][:, None] == wh[None, :]
        return same & (self.wave_rank[None, :] <= self.wave_rank[self.row_wave][:, None])

    def kg_price(self, nu: np.ndarray) -> np.ndarray:
        """``[Q]`` price per kg received in each wave under throughput prices ``ν`` (``[m]``)."""
        if not len(self.row_wave):
            return np.zeros(self.num_waves)
        return np.maximum(nu, 0.0) @ self.counts()

    def with_throughput(self, tw: np.ndarray, nu: np.ndarray | None) -> np.ndarray:
        """Price per kg on each pair (``[S, J + Q]``) plus what arcs into the waves pay under ``ν``."""
        out = tw.copy()
        out[:, self.num_points :] += self.kg_price(np.zeros(len(self.row_wave)) if nu is None else nu)[
            None, :
        ]
        return out

    def usage(self, received_kg: np.ndarray) -> np.ndarray:
        """``[m]`` left-hand sides of the throughput rows for ``received_kg`` per wave (``[Q]``)."""
        return self.counts() @ received_kg if len(self.row_wave) else np.zeros(0)

    def wave_prices(self, into: np.ndarray) -> np.ndarray:
        """Price of a unit at each wave's transfer source, ``[Q]``, from ``into`` (cheapest arrival per wave).

        ``into[q]`` is the cheapest cost of a unit received in wave ``q`` (``inf``: none can be);
        a unit sent in wave ``q`` arrived in one of the hub's waves up to ``q``.
        """
        out = np.asarray(into, dtype=float).copy()
        wh = self.expansion.wave_hub
        for h in np.unique(wh).tolist():
            waves = np.flatnonzero(wh == h)
            waves = waves[np.argsort(self.wave_rank[waves])]
            out[waves] = np.minimum.accumulate(out[waves])
        return out


def hub_data(e: Expansion) -> HubData:
    """Return the :class:`HubData` of an expansion."""
    base = e.base
    Q = e.num_waves
    rank = np.zeros(Q, dtype=np.int64)
    rows, room = [], []
    for h, hub in enumerate(base.hubs):
        waves = np.flatnonzero(e.wave_hub == h)
        rank[waves] = np.arange(len(waves))
        if np.isfinite(hub.throughput_kg_h):
            for q in waves.tolist():
                rows.append(q)
                room.append(max(float(e.wave_cutoff[q] - e.earliest_h[h]), 0.0) * hub.throughput_kg_h)
    hub_depots = {base.depot_ids.index(h.depot_id) for h in base.hubs}
    on_hub = np.isin(e.problem.source_depot, sorted(hub_depots))
    return HubData(
        expansion=e,
        num_points=base.num_points,
        num_sources=base.num_sources,
        wave_rank=rank,
        row_wave=np.array(rows, dtype=np.int64),
        room_kg=np.array(room, dtype=float),
        hub_depot_source=on_hub,
    )
