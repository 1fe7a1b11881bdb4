"""Road links: the undirected roads between two junctions (both directions of an edge pair).

Closing a road closes both directions, so sweeps and the critical-roads ranking count links, not
directed edges. A link keeps the first edge's class, name, reference and geometry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from logistics.roads import RoadNetwork

__all__ = ["RoadLinks", "road_links"]


@dataclass(frozen=True, eq=False)
class RoadLinks:
    """The links of a network (arrays indexed by link; ``edge_link[e]`` is edge ``e``'s link)."""

    edge_link: np.ndarray
    first_edge: np.ndarray
    length_m: np.ndarray
    highway: np.ndarray
    mid_lon: np.ndarray
    mid_lat: np.ndarray
    ptr: np.ndarray
    members: np.ndarray

    def __len__(self) -> int:
        return len(self.first_edge)

    def edges(self, link: int) -> np.ndarray:
        """Directed edges of ``link``."""
        return self.members[self.ptr[link] : self.ptr[link + 1]]


def road_links(net: RoadNetwork) -> RoadLinks:
    """Group a network's directed edges into undirected links (same two end nodes).

    Parameters
    ----------
    net
        The road network.
    """
    a = np.minimum(net.tail, net.head).astype(np.int64)
    b = np.maximum(net.tail, net.head).astype(np.int64)
    key = a * (int(net.n_nodes) + 1) + b
    uniq, edge_link = np.unique(key, return_inverse=True)
    order = np.argsort(edge_link, kind="stable")
    counts = np.bincount(edge_link, minlength=len(uniq))
    ptr = np.concatenate([[0], np.cumsum(counts)])
    first = order[ptr[:-1]]
    return RoadLinks(
        edge_link=edge_link.astype(np.int64),
        first_edge=first,
        length_m=np.asarray(net.length_m)[first].astype(float),
        highway=np.array([str(h) for h in np.asarray(net.highway)[first]]),
        mid_lon=(np.asarray(net.lon)[a[first]] + np.asarray(net.lon)[b[first]]) / 2,
        mid_lat=(np.asarray(net.lat)[a[first]] + np.asarray(net.lat)[b[first]]) / 2,
        ptr=ptr,
        members=order.astype(np.int64),
    )


def road_sections(net: RoadNetwork, links: RoadLinks, keep_nodes: np.ndarray | None = None) -> np.ndarray:
    """Return the section of each link: links chained through nodes of degree 2 form one section.

    A fastest path never starts, ends or turns back inside a section (places' nodes, given as
    ``keep_nodes``, end sections), so closing any one of its links cuts the same paths as
    closing all of them: the critical-roads ranking evaluates one closure per section.

    Parameters
    ----------
    net
        The road network.
    links
        Its links.
    keep_nodes
        Nodes that end a section whatever their degree (the snapped places).
    """
    a = np.minimum(net.tail, net.head)[links.first_edge].astype(np.int64)
    b = np.maximum(net.tail, net.head)[links.first_edge].astype(np.int64)
    loops = a == b
    deg = np.bincount(np.concatenate([a[~loops], b[~loops]]), minlength=int(net.n_nodes))
    junction = deg != 2
    if keep_nodes is not None:
        junction[np.asarray(keep_nodes, dtype=np.int64)] = True
    parent = np.arange(len(a))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    first_at: dict[int, int] = {}
    for k in np.flatnonzero(~loops):
        for n in (int(a[k]), int(b[k])):
            if junction[n]:
                continue
            if n in first_at:
                ra, rb = find(first_at[n]), find(int(k))
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
            else:
                first_at[n] = int(k)
    roots = np.array([find(int(k)) for k in range(len(a))])
    _, section = np.unique(roots, return_inverse=True)
    return section.astype(np.int64)
