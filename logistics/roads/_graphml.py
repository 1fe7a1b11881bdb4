"""Read osmnx GraphML files into a networkx graph without importing osmnx (fast start-up).

osmnx writes every attribute as a string; :func:`read_graphml` converts them as
``osmnx.load_graphml`` does for the attributes the road network uses: node ``x``, ``y`` and
``osmid``; edge ``length``, ``speed_kph``, ``travel_time``, ``length_m``, ``travel_time_s``,
``open_from_h`` (floats), ``osmid`` (an int or a list), ``oneway``/``reversed`` (booleans);
``geometry`` stays WKT text, which :func:`~logistics.roads.graph.network_from_graph` reads.
"""

from __future__ import annotations

import ast
import gzip
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    import networkx as nx

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


def read_graphml(path: Path) -> nx.MultiGraph | nx.MultiDiGraph:
    """Return the graph of an osmnx GraphML file (``.graphml`` or ``.graphml.gz``).

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
    import networkx as nx  # heavy: loaded only on this path

    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        data = gzip.decompress(data)
    root = ET.fromstring(data)
    keys = {k.get("id"): (k.get("for"), k.get("attr.name")) for k in root.iter(f"{_NS}key")}
    graph = root.find(f"{_NS}graph")
    if graph is None:
        raise ValueError("no <graph> element: not a GraphML file")
    G: nx.MultiGraph | nx.MultiDiGraph = (
        nx.MultiDiGraph() if graph.get("edgedefault") == "directed" else nx.MultiGraph()
    )
    for d in graph.findall(f"{_NS}data"):
        G.graph[keys[d.get("key")][1]] = d.text
    for node in graph.iter(f"{_NS}node"):
        attrs = {keys[d.get("key")][1]: d.text for d in node.findall(f"{_NS}data")}
        G.add_node(_value("osmid", node.get("id")), **{k: _value(k, v) for k, v in attrs.items()})
    for edge in graph.iter(f"{_NS}edge"):
        attrs = {keys[d.get("key")][1]: d.text for d in edge.findall(f"{_NS}data")}
        u, v = _value("osmid", edge.get("source")), _value("osmid", edge.get("target"))
        G.add_edge(u, v, **{k: _value(k, val) for k, val in attrs.items() if k != "key"})
    return G
