"""Shortest-path trees over a RoadNetwork: static (scipy) and earliest arrival with reopenings.

Both searches return, per source, a label per node and the edge index by which each node
was reached (``-1`` for the source and unreached nodes), so that any second quantity (the
length of the fastest path) and the path itself can be recovered.

Earliest arrival with reopenings
--------------------------------
An edge with ``open_from_h = r`` can be *entered* at any time ``t >= r``; a truck may wait
at a node. The arrival function of an edge, ``a(t) = max(t, r) + tau``, is non-decreasing
(FIFO), so a label-setting search on arrival times is exact. Let ``r_1 < … < r_k`` be the
reopening times after departure and ``G_j`` the edges open from ``r_j`` on (``G_0``: open at
departure). Phase 0 is a Dijkstra on ``G_0`` from the source. Phase ``j`` is a Dijkstra on
``G_j`` from a virtual source joined to every labelled node ``v`` with weight
``max(L(v), r_j)``; labels that improve are kept. Every label is the arrival time of a
feasible timed path (entries in phase ``j`` happen at ``>= r_j``), and an optimal path is
found in the phase of the last reopening time before it leaves the node where it last waited
or first entered an edge opened at ``r_j``: its prefix is covered by earlier phases by
induction, its suffix lies in ``G_j``. Labels ``<= r_j`` cannot improve in phase ``j`` or
later, so the search stops once every target is settled below the next reopening time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from logistics.roads.network import RoadNetwork

_NO_PRED = -9999  # scipy's marker


def pred_edges(network: RoadNetwork, pred: np.ndarray, weight: str, open_at_h: float | None) -> np.ndarray:
    """Edge index used to reach each node, from a scipy predecessor array (``-1`` if none).

    Parameters
    ----------
    network
        The network.
    pred
        ``(N,)`` predecessor node per node (scipy's ``-9999`` for none).
    weight, open_at_h
        The graph the predecessors come from (see :meth:`RoadNetwork.compressed`).
    """
    csr, entry = network.compressed(weight, open_at_h)
    pred = np.asarray(pred, dtype=np.int64)
    out = np.full(pred.shape, -1, dtype=np.int64)
    v = np.flatnonzero(pred >= 0)
    k = csr.indptr[pred[v]].astype(np.int64)
    end = csr.indptr[pred[v] + 1].astype(np.int64)
    # rows are short and sorted: scan them in lock-step until every node finds its entry
    while len(v):
        hit = csr.indices[k] == v
        out[v[hit]] = entry[k[hit]]
        miss = ~hit & (k + 1 < end)
        v, k, end = v[miss], k[miss] + 1, end[miss]
    return out


def along_tree(network: RoadNetwork, pred_edge: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sum ``values`` (per edge) along each node's tree path to the root (pointer doubling).

    Parameters
    ----------
    network
        The network.
    pred_edge
        ``(N,)`` edge used to reach each node, ``-1`` at roots and unreached nodes.
    values
        Per-edge values to add up (e.g. ``length_m``).

    Returns
    -------
    numpy.ndarray
        ``(N,)`` sums (0 at roots; meaningless for unreached nodes).
    """
    has = np.flatnonzero(pred_edge >= 0)
    ptr = np.arange(network.n_nodes, dtype=np.int64)
    ptr[has] = network.tail[pred_edge[has]]
    acc = np.zeros(network.n_nodes)
    acc[has] = values[pred_edge[has]]
    active = has[ptr[ptr[has]] != ptr[has]]  # nodes whose pointer is not at the root yet
    while len(active):
        up = ptr[active]
        acc[active] += acc[up]  # right-hand sides are read before any write
        ptr[active] = ptr[up]
        active = active[ptr[ptr[active]] != ptr[active]]
    return acc


def static_trees(
    network: RoadNetwork, sources: np.ndarray, weight: str, open_at_h: float, *, predecessors: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Dijkstra from each source on the edges open at ``open_at_h`` (scipy, compiled).

    Parameters
    ----------
    network
        The network.
    sources
        Source node indices.
    weight
        ``"travel_time_s"`` or ``"length_m"``.
    open_at_h
        Hour at which the open edges are taken.
    predecessors
        Whether to return the edge used to reach each node.

    Returns
    -------
    dist, pred_edge
        ``(S, N)`` distances (``inf`` unreachable) and edge indices (or ``None``).
    """
    from scipy.sparse.csgraph import dijkstra  # heavy: loaded only on this path

    csr, _ = network.compressed(weight, open_at_h)
    if predecessors:
        dist, pred = dijkstra(csr, directed=True, indices=sources, return_predecessors=True)
        pe = np.empty(pred.shape, dtype=np.int64)
        for r in range(len(pred)):
            pe[r] = pred_edges(network, pred[r], weight, open_at_h)
        return dist, pe
    return dijkstra(csr, directed=True, indices=sources), None


def earliest_arrival(
    network: RoadNetwork, source: int, depart_h: float, targets: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Exact earliest arrival times (s since hour 0) from ``source`` with reopenings and waiting.

    Parameters
    ----------
    network
        The network (``open_from_h`` gives closures and reopenings).
    source
        Source node index.
    depart_h
        Departure hour.
    targets
        Nodes whose labels are needed (for early stopping); all nodes when ``None``.

    Returns
    -------
    arrival_s, pred_edge
        ``(N,)`` arrival times in seconds (``inf`` unreachable) and the edge used to reach
        each node (``-1`` for the source and unreached nodes).
    """
    import scipy.sparse as sp  # heavy: loaded only on this path
    from scipy.sparse.csgraph import dijkstra  # heavy: loaded only on this path

    n = network.n_nodes
    depart_s = depart_h * 3600.0
    dist, pred_e = static_trees(network, np.array([source]), "travel_time_s", depart_h, predecessors=True)
    label = dist[0] + depart_s
    pred_edge = pred_e[0]  # type: ignore[index]
    ofh = network.open_from_h
    times = np.unique(ofh[np.isfinite(ofh) & (ofh > depart_h)])
    for r_h in times:
        r_s = float(r_h) * 3600.0
        tgt = label if targets is None else label[targets]
        if np.all(tgt <= r_s):
            break
        csr, _ = network.compressed("travel_time_s", float(r_h))
        seeds = np.flatnonzero(np.isfinite(label))
        init = np.maximum(label[seeds], r_s) - r_s + 1.0
        aug = sp.csr_matrix(
            (
                np.concatenate([csr.data, init]),
                np.concatenate([csr.indices, seeds.astype(np.int32)]),
                np.concatenate([csr.indptr, [csr.indptr[-1] + len(seeds)]]).astype(np.int32),
            ),
            shape=(n + 1, n + 1),
        )
        d, pred = dijkstra(aug, directed=True, indices=n, return_predecessors=True)
        d = d[:n] - 1.0 + r_s
        pred = pred[:n]
        with np.errstate(invalid="ignore"):
            improves = d < label - 1e-9 * np.maximum(1.0, label)
        better = np.isfinite(d) & (pred >= 0) & (pred < n) & (~np.isfinite(label) | improves)
        if better.any():
            label = np.where(better, d, label)
            pe = pred_edges(network, np.where(better, pred, _NO_PRED), "travel_time_s", float(r_h))
            pred_edge = np.where(better, pe, pred_edge)
    return label, pred_edge


def tree_path(network: RoadNetwork, pred_edge: np.ndarray, source: int, target: int) -> list[int]:
    """Edge indices of the tree path ``source -> target`` (empty if ``source == target``).

    Parameters
    ----------
    network
        The network.
    pred_edge
        ``(N,)`` edge used to reach each node.
    source, target
        Node indices.
    """
    edges: list[int] = []
    v = target
    while v != source:
        e = int(pred_edge[v])
        if e < 0 or len(edges) > network.n_nodes:
            return []
        edges.append(e)
        v = int(network.tail[e])
    return edges[::-1]
