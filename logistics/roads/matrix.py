"""Travel-time and distance matrices between points on a road network, and route geometry.

:func:`travel_time_matrix` gives, for every origin and destination, the fastest truck time
(``travel_time_s``) and the length of that fastest path (``length_m``);
:func:`distance_matrix` gives the shortest road distance and the driving time along it.
Points are snapped first (:func:`~logistics.roads.snap.snap_points`); disruptions may be given
directly or applied beforehand with :func:`~logistics.roads.disruption.apply_disruptions`.

Engine: :func:`scipy.sparse.csgraph.dijkstra` (compiled) from each distinct origin node over
the CSR arrays, sources in batches so that memory stays bounded. When some closed edges
reopen after departure, fastest times come from an exact earliest-arrival search that lets
trucks wait for a reopening (see :mod:`logistics.roads._search`). Distances use the network as it
stands at departure. Unreachable pairs are NaN, listed in :attr:`RoadMatrices.unreachable`
and announced with an :class:`~logistics.exceptions.UnreachableWarning`; never ``inf``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.exceptions import UnreachableWarning, tr
from logistics.roads import _search
from logistics.roads.disruption import apply_disruptions
from logistics.roads.snap import SnapParams, SnapResult, snap_many

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd
    from shapely.geometry import LineString

    from logistics.roads.disruption import Disruption
    from logistics.roads.network import RoadNetwork

__all__ = [
    "RoadMatrices",
    "RoadPath",
    "distance_matrix",
    "node_matrices",
    "path_between",
    "path_from_tree",
    "travel_time_matrix",
]

#: Upper bound on the size of one batch of Dijkstra distance rows (bytes).
_BATCH_BYTES = 256 * 2**20
_WEIGHTS = ("travel_time_s", "length_m")


@dataclass(frozen=True, eq=False)
class RoadPath:
    """A route between two nodes.

    Parameters
    ----------
    nodes
        Node indices from source to target (empty when unreachable).
    edges
        Edge indices (``len(nodes) - 1``).
    travel_time_s
        Time from departure to arrival, waiting included (NaN when unreachable).
    length_m
        Length (NaN when unreachable).
    wait_s
        Time spent waiting for closed roads to reopen.
    geometry
        The route as a WGS-84 LineString (``None`` when unreachable or empty).
    """

    nodes: np.ndarray
    edges: np.ndarray
    travel_time_s: float
    length_m: float
    wait_s: float
    geometry: LineString | None

    @property
    def reachable(self) -> bool:
        """Whether a route exists."""
        return bool(np.isfinite(self.travel_time_s))


@dataclass(frozen=True, eq=False)
class RoadMatrices:
    """Matrices between snapped origins and destinations.

    Parameters
    ----------
    origin_ids, destination_ids
        Point ids (rows and columns).
    travel_time_s
        ``(m, n)`` seconds, NaN where unreachable.
    length_m
        ``(m, n)`` metres, NaN where unreachable.
    weight
        What was minimised: ``"travel_time_s"`` (fastest paths) or ``"length_m"`` (shortest).
    depart_h
        Departure hour (closures reopening later are waited for when minimising time).
    origins, destinations
        Snap reports.
    network
        The (disrupted) network the matrices were computed on.
    """

    origin_ids: tuple[str, ...]
    destination_ids: tuple[str, ...]
    travel_time_s: np.ndarray
    length_m: np.ndarray
    weight: str
    depart_h: float
    origins: SnapResult
    destinations: SnapResult
    network: RoadNetwork = field(repr=False)

    @property
    def unreachable(self) -> list[tuple[str, str]]:
        """``(origin id, destination id)`` pairs with no route."""
        r, c = np.nonzero(np.isnan(self.travel_time_s))
        return [(self.origin_ids[i], self.destination_ids[j]) for i, j in zip(r, c, strict=True)]

    def _reach(self) -> tuple[np.ndarray, np.ndarray]:
        other = self.origins.node[:, None] != self.destinations.node[None, :]
        return np.isfinite(self.travel_time_s) & other, other

    @property
    def isolated_origins(self) -> list[str]:
        """Origins that reach none of the destinations at other nodes."""
        ok, other = self._reach()
        bad = ~ok.any(axis=1) & other.any(axis=1)
        return [i for i, b in zip(self.origin_ids, bad, strict=True) if b]

    @property
    def isolated_destinations(self) -> list[str]:
        """Destinations that no origin at another node reaches."""
        ok, other = self._reach()
        bad = ~ok.any(axis=0) & other.any(axis=0)
        return [i for i, b in zip(self.destination_ids, bad, strict=True) if b]

    def to_frame(self, value: str | None = None) -> pd.DataFrame:
        """Long table ``from, to, value`` (NaN where unreachable).

        Parameters
        ----------
        value
            ``"travel_time_s"`` or ``"length_m"``; default: the minimised weight.
        """
        import pandas as pd  # heavy: loaded only on this path

        value = value or self.weight
        mat = self.travel_time_s if value == "travel_time_s" else self.length_m
        m, n = mat.shape
        return pd.DataFrame(
            {
                "from": np.repeat(np.array(self.origin_ids, dtype=object), n),
                "to": np.tile(np.array(self.destination_ids, dtype=object), m),
                "value": mat.ravel(),
            }
        )

    def path(self, origin_id: str, destination_id: str) -> RoadPath:
        """Route between a snapped origin and destination, optimising the same weight.

        Parameters
        ----------
        origin_id, destination_id
            Point ids.

        Raises
        ------
        KeyError
            If an id is unknown.
        """
        i = self.origin_ids.index(origin_id)
        j = self.destination_ids.index(destination_id)
        return path_between(
            self.network,
            int(self.origins.node[i]),
            int(self.destinations.node[j]),
            weight=self.weight,
            depart_h=self.depart_h,
        )

    def summary(self) -> str:
        """One line: sizes, reachable share and the largest finite value."""
        tt = self.travel_time_s
        ok = np.isfinite(tt)
        top = f", longest {np.nanmax(tt) / 3600:.2f} h" if ok.any() else ""
        n_bad = len(self.unreachable)
        return f"{tt.shape[0]} x {tt.shape[1]} pairs, {int(ok.sum())} reachable{top}, {n_bad} unreachable"


def _pending_reopen(network: RoadNetwork, depart_h: float) -> bool:
    o = network.open_from_h
    return bool((np.isfinite(o) & (o > depart_h)).any())


def node_matrices(
    network: RoadNetwork,
    sources: np.ndarray,
    targets: np.ndarray,
    *,
    weight: str = "travel_time_s",
    depart_h: float = 0.0,
    other: bool = True,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Matrices between node indices (the engine of the point functions).

    Parameters
    ----------
    network
        The network.
    sources, targets
        Node indices (repeats allowed).
    weight
        ``"travel_time_s"`` (fastest, with waiting for reopenings) or ``"length_m"``
        (shortest on the edges open at ``depart_h``).
    depart_h
        Departure hour.
    other
        Also return the other quantity along the same paths.

    Returns
    -------
    value, other_value
        ``(S, T)`` arrays with ``inf`` for unreachable pairs, and the other quantity
        (``length_m`` for time, ``travel_time_s`` for length) or ``None``.
    """
    if weight not in _WEIGHTS:
        raise ValueError(f"Expected weight in {_WEIGHTS}, got {weight!r}.")
    sources = np.asarray(sources, dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64)
    uniq, inv = np.unique(sources, return_inverse=True)
    val = np.full((len(uniq), len(targets)), np.inf)
    oth = np.full((len(uniq), len(targets)), np.inf) if other else None
    other_w = network.length_m if weight == "travel_time_s" else network.travel_time_s
    if weight == "travel_time_s" and _pending_reopen(network, depart_h):
        for k, s in enumerate(uniq):
            arr, pe = _search.earliest_arrival(network, int(s), depart_h, targets)
            val[k] = arr[targets] - depart_h * 3600.0
            if oth is not None:
                oth[k] = _search.along_tree(network, pe, other_w)[targets]
    else:
        batch = max(1, int(_BATCH_BYTES // (8 * max(network.n_nodes, 1) * (2 if other else 1))))
        for b in range(0, len(uniq), batch):
            src = uniq[b : b + batch]
            dist, pe = _search.static_trees(network, src, weight, depart_h, predecessors=other)
            val[b : b + batch] = dist[:, targets]
            if oth is not None and pe is not None:
                for r in range(len(src)):
                    oth[b + r] = _search.along_tree(network, pe[r], other_w)[targets]
    if oth is not None:
        oth[~np.isfinite(val)] = np.inf
    return val[inv], (oth[inv] if oth is not None else None)


def _matrices(
    network: RoadNetwork,
    origins: Any,
    destinations: Any,
    weight: str,
    disruptions: Sequence[Disruption],
    depart_h: float,
    snap: SnapParams | None,
) -> RoadMatrices:

    if not (0 <= depart_h < np.inf):
        raise ValueError(f"Expected depart_h >= 0, got {depart_h}.")
    so, sd = snap_many(network, [(origins, "origins"), (destinations, "destinations")], snap)
    net = apply_disruptions(network, disruptions) if disruptions else network
    val, oth = node_matrices(net, so.node, sd.node, weight=weight, depart_h=depart_h, other=True)
    assert oth is not None
    val[~np.isfinite(val)] = np.nan
    oth[~np.isfinite(oth)] = np.nan
    tt, ln = (val, oth) if weight == "travel_time_s" else (oth, val)
    res = RoadMatrices(so.ids, sd.ids, tt, ln, weight, depart_h, so, sd, net)
    bad = res.unreachable
    if bad:
        shown = ", ".join(f"{a}->{b}" for a, b in bad[:20])
        more = f" and {len(bad) - 20} more" if len(bad) > 20 else ""
        more_zh = f" 等，另有 {len(bad) - 20} 对" if len(bad) > 20 else ""
        iso = iso_zh = ""
        if res.isolated_origins:
            iso += f"; origins reaching nothing: {', '.join(res.isolated_origins)}"
            iso_zh += f"；无法到达任何终点的起点：{', '.join(res.isolated_origins)}"
        if res.isolated_destinations:
            iso += f"; destinations reached by nothing: {', '.join(res.isolated_destinations)}"
            iso_zh += f"；任何起点都无法到达的终点：{', '.join(res.isolated_destinations)}"
        disrupted = bool(np.any(net.open_from_h > 0))
        warnings.warn(
            tr(
                f"{len(bad)} of {tt.size} origin-destination pairs are unreachable on the "
                f"{'disrupted ' if disrupted else ''}road network: "
                f"{shown}{more}{iso}",
                f"{tt.size} 个起讫点对中有 {len(bad)} 个在{'受阻' if disrupted else ''}路网上无法到达："
                f"{shown}{more_zh}{iso_zh}",
            ),
            UnreachableWarning,
            stacklevel=3,
        )
    return res


def travel_time_matrix(
    network: RoadNetwork,
    origins: Any,
    destinations: Any,
    *,
    disruptions: Sequence[Disruption] = (),
    depart_h: float = 0.0,
    snap: SnapParams | None = None,
) -> RoadMatrices:
    """Fastest truck times (and the lengths of those paths) between points.

    Parameters
    ----------
    network
        The road network.
    origins, destinations
        DataFrames ``id, lon, lat`` or sequences of ``(id, lon, lat)`` (WGS-84).
    disruptions
        Closures and slowdowns to apply first.
    depart_h
        Departure hour; trucks wait at a closed road when it reopens later and that is faster.
    snap
        Snapping limits.

    Returns
    -------
    RoadMatrices
        ``travel_time_s`` minimised, ``length_m`` along the same paths.

    Raises
    ------
    SnapError
        Listing every point too far from the network.
    DisruptionError
        If a disruption matches nothing or closes everything.

    Warns
    -----
    UnreachableWarning
        Listing unreachable pairs (NaN in the matrices).
    SnapWarning
        Listing points snapped from far.

    Examples
    --------
    >>> from logistics.roads.demo import demo_network
    >>> pts = [("海港", 119.590445, 39.942349), ("山海关", 119.747681, 39.996724)]
    >>> m = travel_time_matrix(demo_network(), pts, pts)
    >>> bool(0 < m.travel_time_s[0, 1] < 3600)
    True
    """
    return _matrices(network, origins, destinations, "travel_time_s", disruptions, depart_h, snap)


def distance_matrix(
    network: RoadNetwork,
    origins: Any,
    destinations: Any,
    *,
    disruptions: Sequence[Disruption] = (),
    depart_h: float = 0.0,
    snap: SnapParams | None = None,
) -> RoadMatrices:
    """Shortest road distances (and the driving times along them) between points.

    Uses the edges open at ``depart_h`` (no waiting for reopenings).

    Parameters
    ----------
    network
        The road network.
    origins, destinations
        DataFrames ``id, lon, lat`` or sequences of ``(id, lon, lat)`` (WGS-84).
    disruptions
        Closures and slowdowns to apply first.
    depart_h
        Hour at which the network state is taken.
    snap
        Snapping limits.

    Returns
    -------
    RoadMatrices
        ``length_m`` minimised, ``travel_time_s`` along the same paths.

    Raises
    ------
    SnapError
        Listing every point too far from the network.
    DisruptionError
        If a disruption matches nothing or closes everything.

    Warns
    -----
    UnreachableWarning
        Listing unreachable pairs (NaN in the matrices).
    """
    return _matrices(network, origins, destinations, "length_m", disruptions, depart_h, snap)


def path_between(
    network: RoadNetwork,
    source: int,
    target: int,
    *,
    weight: str = "travel_time_s",
    depart_h: float = 0.0,
) -> RoadPath:
    """Fastest (or shortest) route between two nodes, with its geometry.

    Parameters
    ----------
    network
        The (disrupted) network.
    source, target
        Node indices (e.g. ``RoadMatrices.origins.node[i]``).
    weight
        ``"travel_time_s"`` or ``"length_m"``.
    depart_h
        Departure hour.

    Returns
    -------
    RoadPath
        Nodes, edges, time (waiting included), length, waiting time and LineString;
        ``reachable`` is ``False`` (values NaN) when there is no route.
    """
    if weight not in _WEIGHTS:
        raise ValueError(f"Expected weight in {_WEIGHTS}, got {weight!r}.")
    depart_s = depart_h * 3600.0
    if weight == "travel_time_s" and _pending_reopen(network, depart_h):
        arr, pe = _search.earliest_arrival(network, source, depart_h, np.array([target]))
        total = arr[target] - depart_s
    else:
        dist, pes = _search.static_trees(network, np.array([source]), weight, depart_h, predecessors=True)
        assert pes is not None
        pe = pes[0]
        total = dist[0, target]
    empty = np.zeros(0, dtype=np.int64)
    if not np.isfinite(total):
        return RoadPath(empty, empty, np.nan, np.nan, np.nan, None)
    return path_from_tree(network, pe, source, target, float(total) if weight == "travel_time_s" else None)


def path_from_tree(
    network: RoadNetwork, pred_edge: np.ndarray, source: int, target: int, total_s: float | None = None
) -> RoadPath:
    """Return the path to ``target`` in a search tree rooted at ``source``, with its geometry.

    Parameters
    ----------
    network
        The network the tree was grown on.
    pred_edge
        ``(N,)`` edge by which each node was reached (``-1`` at the root and unreached nodes).
    source, target
        Node indices.
    total_s
        Time from departure to arrival when it includes waiting; default: the driving time.
    """
    import shapely  # heavy: loaded only on this path

    edges = np.array(_search.tree_path(network, pred_edge, source, target), dtype=np.int64)
    nodes = np.concatenate([[source], network.head[edges]]).astype(np.int64)
    length = float(network.length_m[edges].sum())
    drive = float(network.travel_time_s[edges].sum())
    tt = drive if total_s is None else total_s
    if len(edges) == 0:
        return RoadPath(nodes, edges, 0.0, 0.0, 0.0, None)
    # vertices of every edge, the first vertex of each edge after the first dropped (it repeats)
    start = network.geom_ptr[edges] + np.r_[0, np.ones(len(edges) - 1, dtype=np.int64)]
    count = network.geom_ptr[edges + 1] - start
    idx = np.repeat(start - np.r_[0, np.cumsum(count)[:-1]], count) + np.arange(int(count.sum()))
    coords = np.column_stack([network.geom_lon[idx], network.geom_lat[idx]])
    return RoadPath(nodes, edges, tt, length, max(0.0, tt - drive), shapely.LineString(coords))
