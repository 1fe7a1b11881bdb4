"""Travel times between places when the road state changes over time (抢通 and slowdowns).

Disruptions change the road network at a few hours: a closure reopens at ``reopen_h``, a
slowdown starts at ``start_h`` and ends at ``end_h``. Between two consecutive such hours the
network is static: a *road state*. :func:`timed_matrices` computes, once, the fastest static
travel time (and the length of that path) between every pair of places in every road state, so
that the time of any leg departing at any hour is a lookup, not a new search.

The leg model
-------------
A truck leaving place ``o`` for ``d`` at time ``t`` (state ``k(t)``) either drives now on the
roads of state ``k(t)`` or waits at ``o`` for a later state ``k' > k(t)`` (a reopening) and
drives then, whichever arrives first::

    arrival(o, d, t) = min over k' >= k(t) of  max(t, h_k') + S_k'[o, d]

where ``h_k'`` is the hour state ``k'`` begins and ``S_k'`` its static fastest travel time. The
road state at departure applies to the whole leg (a state that begins while the truck is on the
road does not change its leg). ``arrival`` is non-decreasing in ``t`` (FIFO): leaving later
never arrives earlier, and within one state the travel time ``arrival(t) - t`` never grows.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.roads import _search
from logistics.roads.disruption import apply_disruptions, disruption_breakpoints
from logistics.roads.matrix import RoadPath, path_between, path_from_tree
from logistics.roads.snap import SnapParams, SnapResult, snap_many

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.roads.disruption import Disruption
    from logistics.roads.network import RoadNetwork

__all__ = ["MAX_TREE_ENTRIES", "Leg", "TimedMatrices", "timed_matrices"]

#: Search trees are kept (for fast route geometry) when sources × nodes is at most this.
MAX_TREE_ENTRIES = 20_000_000


@dataclass(frozen=True)
class Leg:
    """One timed leg between two places.

    Parameters
    ----------
    depart_s
        When the truck is ready to leave, seconds from t0.
    arrival_s
        When it arrives (``inf`` when no road state connects the places).
    length_m
        Length of the path driven.
    wait_s
        Time waited at the origin for a later road state (a reopening).
    state
        Index of the road state whose roads are driven.
    """

    depart_s: float
    arrival_s: float
    length_m: float
    wait_s: float
    state: int

    @property
    def travel_s(self) -> float:
        """Time from readiness to arrival (waiting included), seconds."""
        return self.arrival_s - self.depart_s


@dataclass(frozen=True, eq=False)
class TimedMatrices:
    """Static fastest times per road state between places, and the leg model on top of them.

    Parameters
    ----------
    ids
        Place ids (rows and columns).
    start_h
        ``(K,)`` hour at which each road state begins; ``start_h[0] == 0``.
    travel_time_s
        ``(K, n, n)`` fastest static travel time in each state (``inf`` unreachable).
    length_m
        ``(K, n, n)`` length of those fastest paths.
    snapped
        Snap report of the places.
    networks
        ``(K,)`` the road network of each state (disruptions applied at the state's start).
    trees
        Per state, the edge by which each node is reached from each place's node (``-1`` none),
        ``(n_sources, N)`` int32, kept when small enough (:data:`MAX_TREE_ENTRIES`); paths are
        read off them without a new search.
    tree_row
        ``(n,)`` row of each place in ``trees``.
    """

    ids: tuple[str, ...]
    start_h: np.ndarray
    travel_time_s: np.ndarray
    length_m: np.ndarray
    snapped: SnapResult
    networks: tuple[RoadNetwork, ...] = field(repr=False)
    trees: tuple[np.ndarray, ...] | None = field(default=None, repr=False)
    tree_row: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {pid: i for i, pid in enumerate(self.ids)})

    @property
    def num_states(self) -> int:
        """Number of road states ``K``."""
        return len(self.start_h)

    def index(self, place_id: str) -> int:
        """Return the row of ``place_id``."""
        return self._index[place_id]  # type: ignore[attr-defined]

    def state_at(self, t_s: float) -> int:
        """Return the road state in force at ``t_s`` seconds from t0."""
        return int(np.searchsorted(self.start_h * 3600.0, t_s, side="right") - 1)

    def leg(self, i: int, j: int, depart_s: float) -> Leg:
        """Time one leg from row ``i`` to row ``j`` leaving at ``depart_s`` (see the module doc).

        Parameters
        ----------
        i, j
            Rows of the origin and destination.
        depart_s
            When the truck is ready to leave, seconds from t0.
        """
        k0 = max(self.state_at(depart_s), 0)
        best = (math.inf, math.nan, 0.0, k0)
        for k in range(k0, self.num_states):
            go = max(depart_s, float(self.start_h[k]) * 3600.0)
            arrive = go + float(self.travel_time_s[k, i, j])
            if arrive < best[0] - 1e-9:
                best = (arrive, float(self.length_m[k, i, j]), go - depart_s, k)
        return Leg(depart_s, best[0], best[1], best[2], best[3])

    def arrival_matrix(self, depart_s: float) -> np.ndarray:
        """Return ``(n, n)`` travel times (waiting included) for legs leaving at ``depart_s``."""
        k0 = max(self.state_at(depart_s), 0)
        starts = np.maximum(self.start_h[k0:] * 3600.0, depart_s)
        arrive = (starts[:, None, None] + self.travel_time_s[k0:]).min(axis=0)
        return arrive - depart_s

    def worst_travel_s(self, from_s: float, to_s: float) -> np.ndarray:
        """Return the longest leg time (waiting included) for departures in ``[from_s, to_s]``.

        Within a state the leg time does not grow, so the maximum is taken at ``from_s`` and at
        the start of every later state up to ``to_s``: a schedule timed with these values is
        never earlier than the real one (used as the routing solver's conservative matrix).
        """
        times = [from_s] + [h * 3600.0 for h in self.start_h if from_s < h * 3600.0 <= to_s]
        return np.max([self.arrival_matrix(t) for t in times], axis=0)

    def best_travel_s(self, from_s: float, to_s: float) -> np.ndarray:
        """Return the shortest static leg time of any state in force during ``[from_s, to_s]``.

        No leg departing in that window is faster (used for the allocation's upper bound).
        """
        k0 = max(self.state_at(from_s), 0)
        k1 = max(self.state_at(to_s), k0)
        return self.travel_time_s[k0 : k1 + 1].min(axis=0)

    def network_at(self, state: int) -> RoadNetwork:
        """Return the road network of one state (for route geometry)."""
        return self.networks[state]

    def path(self, i: int, j: int, state: int) -> RoadPath:
        """Return the fastest road path from row ``i`` to row ``j`` in one road state.

        Parameters
        ----------
        i, j
            Rows of the origin and destination.
        state
            Road state (e.g. :attr:`Leg.state` of the leg).
        """
        net = self.networks[state]
        src, dst = int(self.snapped.node[i]), int(self.snapped.node[j])
        if self.trees is None or self.tree_row is None:
            return path_between(net, src, dst, depart_h=float(self.start_h[state]))
        tree = self.trees[state][self.tree_row[i]]
        if not np.isfinite(self.travel_time_s[state, i, j]):
            empty = np.zeros(0, dtype=np.int64)
            return RoadPath(empty, empty, np.nan, np.nan, np.nan, None)
        return path_from_tree(net, tree, src, dst)


def timed_matrices(
    network: RoadNetwork,
    places: Any,
    *,
    disruptions: Sequence[Disruption] = (),
    horizon_h: float = math.inf,
    snap: SnapParams | None = None,
) -> TimedMatrices:
    """Compute the static fastest times between places in every road state up to a horizon.

    Parameters
    ----------
    network
        The (undisrupted) road network.
    places
        DataFrame ``id, lon, lat`` or sequence of ``(id, lon, lat)`` (WGS-84).
    disruptions
        Closures and slowdowns; their hours define the road states.
    horizon_h
        States beginning after this hour are not computed.
    snap
        Snapping limits.

    Returns
    -------
    TimedMatrices
        One ``(n, n)`` matrix per road state.

    Raises
    ------
    SnapError
        Listing every place too far from the network.
    DisruptionError
        If a disruption matches nothing or closes everything.

    Examples
    --------
    >>> from logistics.roads import Closure, demo_network
    >>> pts = [("卢龙镇", 118.875938, 39.890535), ("双望镇", 119.05, 39.95)]
    >>> bridge = Closure(names=("S251青龙河大桥",), reopen_h=6)
    >>> tm = timed_matrices(demo_network(), pts, disruptions=[bridge], horizon_h=24)
    >>> tm.num_states, [float(h) for h in tm.start_h]
    (2, [0.0, 6.0])
    >>> tm.leg(0, 1, 0.0).arrival_s <= tm.leg(0, 1, 3600.0).arrival_s  # leaving later never arrives earlier
    True
    """
    if not (horizon_h >= 0):
        raise ValueError(f"Expected horizon_h >= 0, got {horizon_h}.")
    (snapped,) = snap_many(network, [(places, "places")], snap)
    starts = [0.0] + [h for h in disruption_breakpoints(disruptions) if 0 < h <= horizon_h]
    k, n = len(starts), len(snapped.ids)
    tt = np.full((k, n, n), np.inf)
    ln = np.full((k, n, n), np.inf)
    nets, trees = [], []
    uniq, inv = np.unique(snapped.node, return_inverse=True)
    keep = len(uniq) * network.n_nodes <= MAX_TREE_ENTRIES
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a state may leave places unreachable: that is data
        for s, h in enumerate(starts):
            net = apply_disruptions(network, disruptions, at_h=h) if disruptions else network
            nets.append(net)
            tt[s], ln[s], pe = _state_matrix(net, snapped.node, uniq, inv, h)
            trees.append(pe.astype(np.int32))
    return TimedMatrices(snapped.ids, np.array(starts), tt, ln, snapped, tuple(nets),
                         tuple(trees) if keep else None, inv if keep else None)  # fmt: skip


def _state_matrix(
    net: RoadNetwork, nodes: np.ndarray, uniq: np.ndarray, inv: np.ndarray, h: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return fastest static times, their path lengths and the search trees on the roads open at ``h``."""
    dist, pe = _search.static_trees(net, uniq, "travel_time_s", h, predecessors=True)
    assert pe is not None
    lengths = np.stack([_search.along_tree(net, pe[r], net.length_m) for r in range(len(uniq))])
    tt = dist[:, nodes][inv]
    ln = lengths[:, nodes][inv]
    ln[~np.isfinite(tt)] = np.inf
    return tt, ln, pe
