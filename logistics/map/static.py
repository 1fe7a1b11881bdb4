"""A static PNG of a one-map view, for the nightly e-mail (which cannot run the page's script).

The same :class:`~logistics.map.view.MapView` as the HTML page is drawn with matplotlib: the
same layers, colours, title and legend, in the shipped Chinese font.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any

from logistics.outputs import find_cjk_font

if TYPE_CHECKING:
    from logistics.map.view import MapView

__all__ = ["render_map_png"]


def _parts(geom: dict[str, Any]) -> tuple[str, list[Any]]:
    t, c = geom["type"], geom["coordinates"]
    if t == "Point":
        return "point", [c]
    if t in ("LineString", "MultiPoint"):
        return ("line", [c]) if t == "LineString" else ("point", c)
    if t == "MultiLineString":
        return "line", c
    if t == "Polygon":
        return "area", [c[0]]
    return "area", [poly[0] for poly in c]  # MultiPolygon: outer rings


def render_map_png(view: MapView, *, width_in: float = 8.0, dpi: int = 100) -> bytes:
    """Draw ``view`` as PNG bytes (visible layers only, as the page opens).

    Parameters
    ----------
    view
        The map.
    width_in
        Width in inches (800 px at the default 100 dpi).
    dpi
        Resolution.
    """
    from matplotlib import rc_context  # heavy: loaded only on this path
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: as above
    from matplotlib.figure import Figure  # heavy: as above
    from matplotlib.lines import Line2D  # heavy: as above
    from matplotlib.patches import Polygon  # heavy: as above

    font = find_cjk_font()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    bounds = view.bounds() or (73.0, 18.0, 135.0, 54.0)
    w, s, e, n = bounds
    aspect = 1 / max(math.cos(math.radians((s + n) / 2)), 0.2)
    height_in = max(3.0, min(12.0, width_in * (n - s) * aspect / max(e - w, 1e-6) * 0.85 + 1.2))
    with rc_context({"font.family": families, "font.size": 9, "axes.unicode_minus": False}):
        fig = Figure(figsize=(width_in, height_in))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        handles = []
        for lay in view.layers:
            if not lay.visible:
                continue
            for f in lay.features:
                kind, parts = _parts(f["geometry"])
                p = f["properties"]
                color = p.get("color", "#555555")
                if color.startswith("hsl"):
                    color = "#555555"
                for part in parts:
                    if kind == "area":
                        ax.add_patch(
                            Polygon(part, closed=True, facecolor=color, edgecolor=color, alpha=0.35, lw=1)
                        )
                    elif kind == "line":
                        xs, ys = zip(*((c[0], c[1]) for c in part), strict=True)
                        ax.plot(xs, ys, color=color, lw=1.2, ls="--" if p.get("dash") else "-")
                    else:
                        size = (p.get("radius", 6) * 1.2) ** 2
                        ax.scatter(
                            [part[0]],
                            [part[1]],
                            s=size,
                            c=color,
                            edgecolors="#222222",
                            linewidths=0.5,
                            zorder=3,
                        )
            for entry in lay.legend:
                marker = {"point": "o", "line": "_", "area": "s"}[entry.shape]
                handles.append(Line2D([], [], marker=marker, ls="", color=entry.color, markersize=8,
                                      markeredgewidth=2 if entry.shape == "line" else 0.5, label=entry.label))  # fmt: skip
        ax.set_xlim(w - 0.03 * (e - w), e + 0.03 * (e - w))
        ax.set_ylim(s - 0.03 * (n - s), n + 0.03 * (n - s))
        ax.set_aspect(aspect)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{view.title}\n{view.subtitle}", fontsize=11)
        if handles:
            ax.legend(
                handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False
            )
        if view.notes:
            fig.text(0.01, 0.005, "\n".join(view.notes), fontsize=7, color="#a50f15", va="bottom", wrap=True)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()
