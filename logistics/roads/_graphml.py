"""Read osmnx GraphML files into plain node and edge data, without osmnx or networkx (fast start-up).

osmnx writes every attribute as a string; :func:`read_graphml` converts them as
``osmnx.load_graphml`` does for the attributes the road network uses: node ``x``, ``y`` and
``osmid``; edge ``length``, ``speed_kph``, ``travel_time``, ``length_m``, ``travel_time_s``,
``open_from_h`` (floats), ``osmid`` (an int or a list), ``oneway``/``reversed`` (booleans);
``geometry`` stays WKT text, which :func:`~logistics.roads.graph.network_from_parts` reads.
"""

from __future__ import annotations

import ast
import gzip
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from logistics.exceptions import tr

if TYPE_CHECKING:
    from pathlib import Path

_NS = "{http://graphml.graphdrawing.org/xmlns}"
_FLOATS = {"x", "y", "length", "speed_kph", "travel_time", "length_m", "travel_time_s", "open_from_h"}
_BOOLS = {"oneway", "reversed"}


def _value(name: str, text: str | None) -> Any:
    if text is None:
        return None
    if name in _FLOATS:
        return float(text)
    if name in _BOOLS:
        return text.strip().lower() == "true"
    if name == "osmid":
        t = text.strip()
        if t.startswith("["):
            return [int(v) for v in ast.literal_eval(t)]
        try:
            return int(t)
        except ValueError:
            return t
    return text


@dataclass
class GraphData:
    """A graph as plain data: ``nodes`` (id → attributes, in file order), ``edges`` ``(u, v, attributes)``."""

    nodes: dict[Any, dict[str, Any]]
    edges: list[tuple[Any, Any, dict[str, Any]]]
    directed: bool
    graph: dict[str, Any]


def read_graphml(path: Path) -> GraphData:
    """Return the nodes and edges of an osmnx GraphML file (``.graphml`` or ``.graphml.gz``).

    Parameters
    ----------
    path
        The file.

    Raises
    ------
    ET.ParseError
        If the file is not XML.
    ValueError
        If it is not GraphML or a value cannot be converted.
    """
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        data = gzip.decompress(data)
    root = ET.fromstring(data)
    keys = {k.get("id"): (k.get("for"), k.get("attr.name")) for k in root.iter(f"{_NS}key")}
    graph = root.find(f"{_NS}graph")
    if graph is None:
        raise ValueError(tr("no <graph> element: not a GraphML file", "没有 <graph> 元素：不是 GraphML 文件"))
    G = GraphData({}, [], graph.get("edgedefault") == "directed", {})
    for d in graph.findall(f"{_NS}data"):
        G.graph[keys[d.get("key")][1]] = d.text
    for node in graph.iter(f"{_NS}node"):
        attrs = {keys[d.get("key")][1]: d.text for d in node.findall(f"{_NS}data")}
        G.nodes.setdefault(_value("osmid", node.get("id")), {}).update(
            {k: _value(k, v) for k, v in attrs.items()}
        )
    for edge in graph.iter(f"{_NS}edge"):
        attrs = {keys[d.get("key")][1]: d.text for d in edge.findall(f"{_NS}data")}
        u, v = _value("osmid", edge.get("source")), _value("osmid", edge.get("target"))
        for n in (u, v):
            G.nodes.setdefault(n, {})
        G.edges.append((u, v, {k: _value(k, val) for k, val in attrs.items() if k != "key"}))
    G.edges = _adjacency_order(G)
    return G


def _adjacency_order(G: GraphData) -> list[tuple[Any, Any, dict[str, Any]]]:
    """Return the edges in the order a networkx multigraph of the file lists them (node, then neighbour).

    Networks read before this reader existed went through networkx; keeping its order keeps
    edge indices, and so tie-breaks between equal paths, unchanged.
    """
    adj: dict[Any, dict[Any, list[dict[str, Any]]]] = {n: {} for n in G.nodes}
    for u, v, d in G.edges:
        adj[u].setdefault(v, []).append(d)
        if not G.directed and u != v:
            adj[v].setdefault(u, []).append(d)
    out: list[tuple[Any, Any, dict[str, Any]]] = []
    seen: set[Any] = set()
    for n, nbrs in adj.items():
        for nbr, ds in nbrs.items():
            if G.directed or nbr not in seen:
                out += [(n, nbr, d) for d in ds]
        seen.add(n)
    return out
