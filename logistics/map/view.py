"""What a one-map view holds: layers of GeoJSON features with their popups, legend and notes.

A :class:`MapView` is built from a region (:func:`~logistics.map.region_view.region_view`) or
from a run's output folder (:func:`~logistics.map.run_view.run_view`) and written as one
self-contained HTML file (:func:`~logistics.map.html.write_map_html`) or a static PNG
(:func:`~logistics.map.static.render_map_png`). Every feature carries what the page shows:
``name`` (label and search), ``popup`` (HTML, already escaped), ``color`` and, for points,
``radius``. Coordinates are WGS-84 longitude/latitude.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["LegendEntry", "MapLayer", "MapView", "feature", "popup_html", "share_color"]

#: colours of the map (colour-blind-safe green / orange / red, grey for no data)
GOOD, FAIR, POOR, NONE = "#1a9850", "#f39c12", "#d73027", "#888888"
#: coordinates are rounded to this many decimals (≈ 1 m), which keeps the HTML small
COORD_DECIMALS = 5


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a colour swatch and its label."""

    color: str
    label: str
    shape: Literal["point", "line", "area"] = "point"


@dataclass
class MapLayer:
    """One layer of the map, switched on and off as a whole.

    Parameters
    ----------
    key
        Short ASCII id (``depots``, ``points``, ``routes``…); the CSS class of its features.
    name
        Name shown in the layer switcher and legend.
    features
        GeoJSON features (dicts) with the properties described in the module docstring.
    visible
        Shown when the page opens.
    legend
        Legend lines of this layer.
    """

    key: str
    name: str
    features: list[dict[str, Any]]
    visible: bool = True
    legend: list[LegendEntry] = field(default_factory=list)


@dataclass
class MapView:
    """A whole map: title, layers, notes and the hours of the plan's time slider.

    Parameters
    ----------
    title
        Page and print title.
    subtitle
        One line under the title (date, scenario, headline figure).
    layers
        Layers from bottom to top.
    notes
        Remarks printed under the legend (illustrative data, rules used).
    hours
        ``(first, last)`` hour after onset of the plan's truck movements, or ``None`` (no slider).
    lang
        Language of the page.
    tiles
        Optional basemap tile URL template (``{z}/{x}/{y}``); no tiles, no requests by default.
    tiles_attribution
        Attribution shown with the tiles.
    """

    title: str
    subtitle: str
    layers: list[MapLayer]
    notes: list[str] = field(default_factory=list)
    hours: tuple[float, float] | None = None
    lang: Literal["zh", "en"] = "zh"
    tiles: str | None = None
    tiles_attribution: str = ""

    def layer(self, key: str) -> MapLayer:
        """Return the layer with this key."""
        return next(x for x in self.layers if x.key == key)

    def counts(self) -> dict[str, int]:
        """Return the number of features per layer key."""
        return {x.key: len(x.features) for x in self.layers}

    def bounds(self) -> tuple[float, float, float, float] | None:
        """``(west, south, east, north)`` of every feature, or ``None`` for an empty map."""
        xs: list[float] = []
        ys: list[float] = []
        for lay in self.layers:
            for f in lay.features:
                for x, y in _coords(f["geometry"]):
                    xs.append(x)
                    ys.append(y)
        if not xs:
            return None
        return min(xs), min(ys), max(xs), max(ys)


def _coords(geom: dict[str, Any]) -> list[tuple[float, float]]:
    c = geom["coordinates"]
    depth = {"Point": 0, "LineString": 1, "MultiPoint": 1, "Polygon": 2, "MultiLineString": 2}.get(
        geom["type"], 3
    )
    flat = [c]
    for _ in range(depth):
        flat = [p for part in flat for p in part]
    return [(float(p[0]), float(p[1])) for p in flat]


def _round(c: Any) -> Any:
    if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
        return [round(float(v), COORD_DECIMALS) for v in c[:2]]
    return [_round(p) for p in c]


def feature(geometry: dict[str, Any] | Any, **props: Any) -> dict[str, Any]:
    """Return a GeoJSON feature with rounded coordinates from a GeoJSON dict or a shapely geometry.

    Parameters
    ----------
    geometry
        ``{"type": …, "coordinates": …}`` or an object with ``__geo_interface__``.
    **props
        Properties; ``None`` and NaN values are dropped.
    """
    geom = geometry.__geo_interface__ if hasattr(geometry, "__geo_interface__") else geometry
    clean = {k: v for k, v in props.items() if v is not None and not (isinstance(v, float) and math.isnan(v))}
    return {
        "type": "Feature",
        "geometry": {"type": geom["type"], "coordinates": _round(geom["coordinates"])},
        "properties": clean,
    }


def popup_html(title: str, rows: Sequence[tuple[str, str]], *, lines: Sequence[str] = ()) -> str:
    """HTML of a popup: a bold title, a two-column table and free lines, all escaped.

    Parameters
    ----------
    title
        First line.
    rows
        ``(label, value)`` pairs.
    lines
        Further lines under the table (warnings, notes).
    """
    esc = html.escape
    out = [f"<b>{esc(title)}</b>"]
    if rows:
        out.append(
            "<table>" + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows) + "</table>"
        )
    out += [f'<div class="note">{esc(s)}</div>' for s in lines]
    return "".join(out)


def share_color(share: float | None) -> str:
    """Colour of a met share: green ≥ 95 %, orange ≥ 80 %, red below, grey unknown."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return NONE
    return GOOD if share >= 0.95 else FAIR if share >= 0.8 else POOR


def share_legend(lang: str, what_zh: str, what_en: str) -> list[LegendEntry]:
    """Legend lines for :func:`share_color`."""
    if lang == "zh":
        return [
            LegendEntry(GOOD, f"{what_zh} ≥ 95%"),
            LegendEntry(FAIR, f"{what_zh} 80%–95%"),
            LegendEntry(POOR, f"{what_zh} < 80%"),
        ]
    return [
        LegendEntry(GOOD, f"{what_en} ≥ 95 %"),
        LegendEntry(FAIR, f"{what_en} 80–95 %"),
        LegendEntry(POOR, f"{what_en} < 80 %"),
    ]
