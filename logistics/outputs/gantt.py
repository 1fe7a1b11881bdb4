"""Gantt chart of the trucks' schedules (PNG), in Chinese with the shipped Noto Sans SC font."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.common import atomic_path
from logistics.outputs._text import clock, name_of
from logistics.outputs.fonts import find_cjk_font

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

    from logistics.routing import RoutingResult, VehicleRoute

logger = logging.getLogger(__name__)

#: Height of one truck's row, inches.
ROW_IN = 0.5
#: Width of the chart, inches.
WIDTH_IN = 12.0
#: Point size of the place labels on the unloading bars.
LABEL_PT = 7.0
_TOP_IN, _BOTTOM_IN, _RIGHT_IN = 0.8, 1.0, 0.3  # margins around the axes
_LABEL_OFF = 0.24  # place labels start this far (rows) above / below the row's centre
_LABEL_GAP_PX = 3.0  # minimum gap between two labels in the same lane, pixels

_COLOURS = {"load": "#9e9e9e", "drive": "#4a90d9", "wait": "#e3e3e3", "unload": "#f5a623", "late": "#d0021b"}
_TEXTS = {
    "title": ("车辆调度甘特图", "Truck schedule"),
    "xlabel": ("距 t0 的小时数", "hours from t0"),
    "load": ("装货", "loading"),
    "drive": ("行驶", "driving"),
    "wait": ("等待接收", "waiting"),
    "unload": ("卸货", "unloading"),
    "late": ("超时", "late"),
}


def gantt_figure(
    result: RoutingResult,
    *,
    t0: datetime | None = None,
    place_names: Mapping[str, str] | None = None,
    vehicle_names: Mapping[str, str] | None = None,
    lang: str = "zh",
    dpi: int = 120,
) -> Figure:
    """Draw the Gantt chart of :func:`plot_gantt` into a matplotlib figure, without saving it.

    The figure has an Agg canvas and has been drawn once (the place labels are placed by
    measuring them), so its text artists are the ones a saved PNG shows.

    Parameters
    ----------
    result
        Routing result.
    t0
        Start of the scenario (shown in the title).
    place_names
        Display names of depots and demand points, ``id -> name``.
    vehicle_names
        Display names of trucks, ``vehicle_id -> name`` (:attr:`VehicleRoute.vehicle_id`); trucks
        not in it are labelled ``<depot name>/<vehicle type>#<n>``.
    lang
        ``"zh"`` (default) or ``"en"``: the language of the title, axis and legend.
    dpi
        Resolution.

    Returns
    -------
    matplotlib.figure.Figure
        The chart.
    """
    from matplotlib import rc_context  # heavy: loaded only on this path

    font = find_cjk_font()
    with rc_context(_rc_params(font)):
        fig = _chart(result, font is not None, t0=t0, place_names=place_names, vehicle_names=vehicle_names,
                     lang=lang, dpi=dpi)  # fmt: skip
        fig.canvas.draw()  # creates the tick labels under these settings
    return fig


def plot_gantt(
    result: RoutingResult,
    out_path: str | Path,
    *,
    t0: datetime | None = None,
    place_names: Mapping[str, str] | None = None,
    vehicle_names: Mapping[str, str] | None = None,
    lang: str = "zh",
    dpi: int = 120,
) -> Path:
    """Draw one row per truck: loading (grey), driving (blue), unloading (orange) bars.

    Unloading bars are labelled with the place's name where there is room: each label goes
    above or below its row, in the lane whose previous label ends first, and is left out when
    it would overlap the previous label of both lanes. Late stops are outlined in red, and
    deadlines of late stops drawn as red ticks. The x axis (at the top and the bottom) is hours
    from t0, with the clock time of t0 in the title when given. Text is set in Noto Sans SC,
    the font shipped by the ``pylopdf-fonts-zh-cn`` dependency (:func:`find_cjk_font`), so the
    chart is in Chinese on any machine; only when that font file is missing does it fall back
    to English and leave out names it cannot draw. Rendered with the Agg backend, written
    atomically.

    Parameters
    ----------
    result
        Routing result.
    out_path
        Destination ``.png`` file.
    t0
        Start of the scenario (shown in the title).
    place_names
        Display names of depots and demand points, ``id -> name``.
    vehicle_names
        Display names of trucks, ``vehicle_id -> name``; trucks not in it are labelled
        ``<depot name>/<vehicle type>#<n>``.
    lang
        ``"zh"`` (default) or ``"en"``: the language of the title, axis and legend (names of
        places and trucks are shown as given in both).
    dpi
        Resolution.

    Returns
    -------
    pathlib.Path
        ``out_path``.
    """
    from matplotlib import rc_context  # heavy: loaded only on this path

    font = find_cjk_font()
    with rc_context(_rc_params(font)):
        fig = _chart(result, font is not None, t0=t0, place_names=place_names, vehicle_names=vehicle_names,
                     lang=lang, dpi=dpi)  # fmt: skip
        with atomic_path(out_path) as tmp:
            fig.savefig(tmp, format="png")  # the layout is set in inches: no second "tight" pass
    return Path(out_path)


def _rc_params(font: str | None) -> dict[str, Any]:
    """Return the matplotlib settings of the charts: ``font`` first, DejaVu Sans for anything else."""
    return {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"], "axes.unicode_minus": False}


def _chart(
    result: RoutingResult,
    cjk: bool,
    *,
    t0: datetime | None,
    place_names: Mapping[str, str] | None,
    vehicle_names: Mapping[str, str] | None,
    lang: str,
    dpi: int,
) -> Figure:
    """Build the figure (under the caller's ``rc_context``); ``cjk``: the Chinese font is in use."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: loaded only on this path
    from matplotlib.figure import Figure  # heavy: loaded only on this path
    from matplotlib.font_manager import FontProperties  # heavy: loaded only on this path

    if lang == "zh" and not cjk:
        logger.info("no Chinese font: Gantt chart labels in English")
    k = 0 if lang == "zh" and cjk else 1
    rows = list(result.routes)
    labels = [_truck_label(r, n, place_names, vehicle_names, cjk) for n, r in enumerate(rows)]
    fig = Figure(figsize=(WIDTH_IN, 2.0), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    prop = FontProperties(size=9)
    widths = [canvas.get_renderer().get_text_width_height_descent(s, prop, ismath=False)[0] for s in labels]
    left_in = max(widths, default=0.0) / dpi + 0.25
    axes_in = (max(len(rows), 1) + 0.4) * ROW_IN
    height = axes_in + _TOP_IN + _BOTTOM_IN
    fig.set_size_inches(WIDTH_IN, height)
    fig.subplots_adjust(left=left_in / WIDTH_IN, right=1 - _RIGHT_IN / WIDTH_IN, top=1 - _TOP_IN / height,
                        bottom=_BOTTOM_IN / height)  # fmt: skip
    ax = fig.add_subplot()
    start_h = min((t.start_s for r in rows for t in r.trips), default=0.0) / 3600
    end_h = max((r.end_s for r in rows), default=3600.0) / 3600
    ax.set_xlim(min(start_h, 0.0), end_h + 0.02 * (end_h - min(start_h, 0.0)) + 0.1)
    ax.set_ylim(max(len(rows), 1) - 0.3, -0.7)  # first truck at the top
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels)
    ax.tick_params(axis="y", labelsize=9, length=0)
    ax.tick_params(axis="x", labelsize=9, top=True, labeltop=True)
    ax.grid(axis="x", alpha=0.3)
    for y, r in enumerate(rows):
        _draw_truck(ax, y, r)
    title = _TEXTS["title"][k]
    if t0 is not None:
        title += f"（t0 = {clock(0, t0)}）" if k == 0 else f" (t0 = {clock(0, t0)})"
    ax.set_title(title, fontsize=12)
    ax.set_xlabel(_TEXTS["xlabel"][k])
    _legend(fig, k)
    renderer = canvas.get_renderer()  # of the final size: label extents below are final
    skipped = sum(_label_row(ax, renderer, y, r, place_names, cjk) for y, r in enumerate(rows))
    if skipped:
        logger.debug("Gantt chart: %d place labels left out for lack of room", skipped)
    return fig


def _printable(text: str) -> str:
    """Return ``text`` with control characters (tabs, line breaks) as spaces: no glyph draws them."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _truck_label(
    r: VehicleRoute, n: int, place_names: Mapping[str, str] | None, vehicle_names: Mapping[str, str] | None,
    cjk: bool,
) -> str:  # fmt: skip
    """Return the label of truck ``r`` (row ``n``): its name, else ``<depot name>/<type>#<k>``."""
    if vehicle_names and r.vehicle_id in vehicle_names:
        text = str(vehicle_names[r.vehicle_id])
    else:
        text = f"{name_of(r.depot_id, place_names)}/{r.vehicle_type}#{r.vehicle_index + 1}"
    text = _printable(text)
    if cjk or text.isascii():
        return text
    return r.vehicle_id if r.vehicle_id.isascii() else f"truck {n + 1}"  # no font for the name


def _draw_truck(ax: Axes, y: int, r: VehicleRoute) -> None:
    """Draw one truck's row: loading, driving and unloading bars, late marks (one collection per kind)."""
    load: list[tuple[float, float]] = []  # (start, width) in hours
    drive: list[tuple[float, float]] = []
    back: list[tuple[float, float]] = []
    unload: list[tuple[float, float]] = []
    waits: list[tuple[float, float]] = []
    edges: list[str] = []
    deadlines: list[float] = []
    for t in r.trips:
        load.append((t.start_s / 3600, (t.departure_s - t.start_s) / 3600))
        prev = t.departure_s
        for s in t.stops:
            drive.append((prev / 3600, (s.arrival_s - prev) / 3600))
            if s.wait_s > 1e-6:
                waits.append((s.arrival_s / 3600, s.wait_s / 3600))
            start = s.arrival_s + s.wait_s
            unload.append((start / 3600, max((s.departure_s - start) / 3600, 0.02)))
            late = s.late_s > 1e-6
            edges.append(_COLOURS["late"] if late else "none")
            if late and s.deadline_s is not None:
                deadlines.append(s.deadline_s / 3600)
            prev = s.departure_s
        back.append((prev / 3600, (t.return_s - prev) / 3600))
    ax.broken_barh(load, (y - 0.2, 0.4), facecolors=_COLOURS["load"])
    ax.broken_barh(drive, (y - 0.1, 0.2), facecolors=_COLOURS["drive"])
    ax.broken_barh(back, (y - 0.1, 0.2), facecolors=_COLOURS["drive"], alpha=0.5)
    if waits:
        ax.broken_barh(waits, (y - 0.2, 0.4), facecolors=_COLOURS["wait"], edgecolors="#9e9e9e", hatch="//")
    ax.broken_barh(unload, (y - 0.2, 0.4), facecolors=_COLOURS["unload"], edgecolors=edges,
                   linewidths=[0 if e == "none" else 1.5 for e in edges])  # fmt: skip
    if deadlines:
        ax.vlines(deadlines, y - 0.22, y + 0.22, colors=_COLOURS["late"], linewidth=1)


def _text_px(text: str, dpi: float) -> float:
    """Width of a label in pixels, estimated on the safe side (a CJK character is 1 em wide)."""
    ems = sum(1.0 if ord(c) > 0x2E80 else 0.62 for c in text) + 0.2
    return ems * LABEL_PT * dpi / 72.0


def _label_row(
    ax: Axes,
    renderer: RendererBase,
    y: int,
    r: VehicleRoute,
    place_names: Mapping[str, str] | None,
    cjk: bool,
) -> int:
    """Label the unloading bars of row ``y`` without overlaps; return how many labels were left out.

    Two lanes, above and below the bars. Each label goes into the lane whose last label ends
    first (above on a tie), if it starts after that label's end; else into the other lane under
    the same condition; else it is left out. Labels that would run past the right edge of the
    axes are moved left to end there. Widths are estimated from the characters (a CJK character
    counts one em, others 0.62 em, plus a margin), which is never less than what is drawn, so
    only the labels kept are created.
    """
    box = ax.get_window_extent(renderer)
    x0, x1 = ax.get_xlim()
    scale = box.width / (x1 - x0)
    lanes = {"above": float("-inf"), "below": float("-inf")}  # right edge of each lane's last label, px
    skipped = 0
    for s in (s for t in r.trips for s in t.stops):
        text = _printable(name_of(s.point_id, place_names))
        if not (cjk or text.isascii()):  # no font to draw it with
            skipped += 1
            continue
        width = _text_px(text, ax.figure.dpi)
        left = box.x0 + (s.arrival_s / 3600 - x0) * scale
        at_right = left + width > box.x1
        if at_right:
            left = box.x1 - width
        for lane in sorted(lanes, key=lambda k: (lanes[k], k != "above")):
            if left >= lanes[lane] + _LABEL_GAP_PX:
                above = lane == "above"
                ax.text(x1 if at_right else s.arrival_s / 3600, y - _LABEL_OFF if above else y + _LABEL_OFF, text,
                        fontsize=LABEL_PT, ha="right" if at_right else "left", va="bottom" if above else "top",
                        clip_on=True)  # fmt: skip
                lanes[lane] = left + width
                break
        else:
            skipped += 1
    return skipped


def _legend(fig: Figure, k: int) -> None:
    """Add the legend of bar colours at the bottom of the figure (``k``: 0 Chinese, 1 English)."""
    from matplotlib.patches import Patch  # heavy: loaded only on this path

    fig.legend(
        handles=[
            Patch(
                facecolor=_COLOURS[c],
                label=_TEXTS[c][k],
                hatch="//" if c == "wait" else None,
                edgecolor="#9e9e9e" if c == "wait" else None,
            )
            for c in ("load", "drive", "wait", "unload", "late")
        ],
        loc="lower center",
        bbox_to_anchor=(WIDTH_IN / 2, 0.05),
        bbox_transform=fig.dpi_scale_trans,
        fontsize=9,
        ncol=4,
        frameon=False,
    )
