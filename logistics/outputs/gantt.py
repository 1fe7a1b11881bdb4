"""Gantt chart of the trucks' schedules (PNG), with Chinese labels when a CJK font exists."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from logistics.common import atomic_path
from logistics.outputs._text import clock, name_of

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from matplotlib.axes import Axes

    from logistics.routing import RoutingResult, VehicleRoute

logger = logging.getLogger(__name__)

#: Font families that cover Simplified Chinese, in order of preference.
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)
_FILE_HINTS = ("cjk", "wqy", "wenquanyi", "sourcehan", "simhei", "msyh", "pingfang", "uming")

_COLOURS = {"load": "#9e9e9e", "drive": "#4a90d9", "unload": "#f5a623", "late": "#d0021b"}


def find_cjk_font() -> str | None:
    """Return the family name of an installed font that covers Chinese, or ``None``.

    Looks in matplotlib's font list, then scans the system font folders once for
    files that look like CJK fonts (matplotlib's cache may predate them).

    Returns
    -------
    str or None
        A family from :data:`CJK_FAMILIES`, or ``None``.
    """
    from matplotlib import font_manager  # heavy: loaded only on this path

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((fam for fam in CJK_FAMILIES if fam in names), None)

    found = known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(h in Path(path).name.lower() for h in _FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # pragma: no cover - broken font
                    continue
        found = known()
    return found


def plot_gantt(
    result: RoutingResult,
    out_path: str | Path,
    *,
    t0: datetime | None = None,
    place_names: Mapping[str, str] | None = None,
    lang: str = "zh",
    dpi: int = 120,
) -> Path:
    """Draw one row per truck: loading (grey), driving (blue), unloading (orange) bars.

    Unloading bars are labelled with the place; late stops are outlined in red,
    and deadlines of late stops drawn as red ticks. The x axis is hours from t0
    (with the clock time of t0 in the title when given). Chinese labels need a
    CJK font (see :func:`find_cjk_font`; on Debian ``apt-get install
    fonts-wqy-microhei`` or ``fonts-noto-cjk``); without one the chart falls back
    to English labels. Rendered with the Agg backend, written atomically.

    Parameters
    ----------
    result
        Routing result.
    out_path
        Destination ``.png`` file.
    t0
        Start of the scenario (shown in the title).
    place_names
        Display names of places (Chinese names need a CJK font).
    lang
        ``"zh"`` (default) or ``"en"``.
    dpi
        Resolution.

    Returns
    -------
    pathlib.Path
        ``out_path``.
    """
    from matplotlib import rc_context  # heavy: loaded only on this path
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: loaded only on this path
    from matplotlib.figure import Figure  # heavy: loaded only on this path

    font = find_cjk_font() if lang == "zh" else None
    zh = font is not None
    if lang == "zh" and not zh:
        logger.info("no CJK font found: Gantt chart labels in English")
        place_names = None  # Chinese place names would render as boxes

    rows = list(result.routes)
    height = max(2.5, 0.45 * len(rows) + 1.6)
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    with rc_context({"font.family": families, "axes.unicode_minus": False}):
        fig = Figure(figsize=(12, height), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        for y, r in enumerate(rows):
            _draw_truck(ax, y, r, place_names, zh)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([r.vehicle_id if zh else _ascii(r.vehicle_id, k) for k, r in enumerate(rows)])
        ax.set_ylim(-0.8, max(len(rows), 1) - 0.2)
        ax.invert_yaxis()
        ax.grid(axis="x", alpha=0.3)
        title = "车辆调度甘特图" if zh else "Truck schedule"
        if t0 is not None:
            title += f"（t0 = {clock(0, t0)}）" if zh else f" (t0 = {clock(0, t0)})"
        ax.set_title(title)
        ax.set_xlabel("距 t0 的小时数" if zh else "hours from t0")
        _legend(ax, zh)
        with atomic_path(out_path) as tmp:
            fig.savefig(tmp, format="png", bbox_inches="tight")
    return Path(out_path)


def _ascii(text: str, k: int) -> str:
    """Return ``text`` if it is ASCII, else a neutral label ``truck k+1``."""
    return text if text.isascii() else f"truck {k + 1}"


def _draw_truck(ax: Axes, y: int, r: VehicleRoute, place_names: Mapping[str, str] | None, zh: bool) -> None:
    """Draw one truck's row: loading, driving and unloading bars, late marks, place labels."""
    for t in r.trips:
        ax.broken_barh([(t.start_s / 3600, (t.departure_s - t.start_s) / 3600)], (y - 0.35, 0.7),
                       facecolors=_COLOURS["load"])  # fmt: skip
        prev = t.departure_s
        for s in t.stops:
            ax.broken_barh(
                [(prev / 3600, (s.arrival_s - prev) / 3600)], (y - 0.2, 0.4), facecolors=_COLOURS["drive"]
            )
            late = s.late_s > 1e-6
            width = max((s.departure_s - s.arrival_s) / 3600, 0.02)
            ax.broken_barh([(s.arrival_s / 3600, width)], (y - 0.35, 0.7), facecolors=_COLOURS["unload"],
                           edgecolors=_COLOURS["late"] if late else "none", linewidth=1.5 if late else 0)  # fmt: skip
            if late and s.deadline_s is not None:
                ax.plot([s.deadline_s / 3600] * 2, [y - 0.45, y + 0.45], color=_COLOURS["late"], linewidth=1)
            text = name_of(s.point_id, place_names)
            if zh or text.isascii():
                ax.text(s.arrival_s / 3600, y + 0.42, text, fontsize=7, va="bottom", ha="left", clip_on=True)
            prev = s.departure_s
        ax.broken_barh([(prev / 3600, (t.return_s - prev) / 3600)], (y - 0.2, 0.4), facecolors=_COLOURS["drive"],
                       alpha=0.5)  # fmt: skip


def _legend(ax: Axes, zh: bool) -> None:
    """Add the legend of bar colours below the chart."""
    from matplotlib.patches import Patch  # heavy: loaded only on this path

    legend = [("装货", "loading", "load"), ("行驶", "driving", "drive"), ("卸货", "unloading", "unload"),
              ("超时", "late", "late")]  # fmt: skip
    ax.legend(
        handles=[Patch(facecolor=_COLOURS[c], label=a if zh else b) for a, b, c in legend],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        fontsize=8,
        ncol=4,
        frameon=False,
    )
