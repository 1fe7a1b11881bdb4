"""Independent reference implementations for the road tests (networkx + heapq, no project code)."""

from __future__ import annotations

import heapq
import math

import networkx as nx


def simple_digraph(G: nx.MultiDiGraph, weight: str) -> nx.DiGraph:
    """Cheapest parallel edge per (u, v), keeping all attributes of that edge."""
    H = nx.DiGraph()
    H.add_nodes_from(G.nodes)
    for u, v, d in G.edges(data=True):
        if not H.has_edge(u, v) or H[u][v][weight] > d[weight]:
            H.add_edge(u, v, **d)
    return H


def earliest_arrival(G: nx.MultiDiGraph, source, depart_s: float = 0.0) -> dict:
    """Earliest arrival (s) with edges enterable from ``open_from_h`` on and waiting allowed.

    Plain label-setting Dijkstra on arrival time, edge by edge, over the networkx graph.
    """
    best = {source: depart_s}
    heap = [(depart_s, source)]
    done = set()
    while heap:
        t, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for _, v, d in G.out_edges(u, data=True):
            opens = d.get("open_from_h", 0.0) * 3600.0
            if math.isinf(opens):
                continue
            arr = max(t, opens) + d["travel_time_s"]
            if arr < best.get(v, math.inf):
                best[v] = arr
                heapq.heappush(heap, (arr, v))
    return best
