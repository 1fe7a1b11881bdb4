"""HTML body (inline CSS, mail-client safe) and PNG charts of the nightly report."""

from __future__ import annotations

import io
import logging
from html import escape
from typing import TYPE_CHECKING, Any

from logistics.map import render_map_png
from logistics.outputs import find_cjk_font
from logistics.region import LEVEL_NAMES_ZH
from logistics.report.tables import report_tables
from logistics.report.text import report_footer

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from logistics.report.model import NightlyReport, ReportTable

logger = logging.getLogger(__name__)

_RED, _GREEN, _AMBER, _GREY = "#c62828", "#2e7d32", "#f9a825", "#607d8b"
_FONT = (
    "font-family:'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','WenQuanYi Micro Hei',Arial,sans-serif;"
)
_TD = "padding:4px 6px;border-bottom:1px solid #e0e0e0;font-size:13px;"


def report_charts(report: NightlyReport, *, dpi: int = 100) -> dict[str, bytes]:
    """Draw the report's charts as PNG bytes, keyed by content id (``coverage``, ``trend``/``counties``).

    Chart 1 shows each item's coverage at the target level; chart 2 the trend of the lowest
    coverage over the recent nights when there are at least two, else each county's lowest
    coverage. Text is set in Noto Sans SC, the font shipped by the ``pylopdf-fonts-zh-cn``
    dependency (:func:`~logistics.outputs.find_cjk_font`), so the charts of a Chinese report are
    in Chinese on any machine; only when that font file is missing do they fall back to English.
    County names are shown in both languages; English reports name items by id, as their
    tables do.

    Parameters
    ----------
    report
        The report.
    dpi
        Resolution (the charts are 6.4 inches wide: 640 px at 100 dpi).

    Returns
    -------
    dict of str to bytes
        PNG files by content id, in display order.
    """
    from matplotlib import rc_context  # heavy: loaded only on this path

    font = find_cjk_font()
    out: dict[str, bytes] = {}
    with rc_context(_chart_rc(font)):
        for cid, fig in _chart_figures(report, font is not None).items():
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
            out[cid] = buf.getvalue()
    if report.map_view is not None:  # the one-map view of the stock, as `logistics map` draws it
        out["map"] = render_map_png(report.map_view, dpi=dpi)
    return out


def report_figures(report: NightlyReport) -> dict[str, Figure]:
    """Return the matplotlib figures of :func:`report_charts`, drawn once, keyed by content id.

    Parameters
    ----------
    report
        The report.

    Returns
    -------
    dict of str to matplotlib.figure.Figure
        The charts (Agg canvas), whose text artists are those of the PNG files.
    """
    from matplotlib import rc_context  # heavy: loaded only on this path

    font = find_cjk_font()
    with rc_context(_chart_rc(font)):
        figures = _chart_figures(report, font is not None)
        for fig in figures.values():
            fig.canvas.draw()  # creates the tick labels under these settings
    return figures


def _chart_rc(font: str | None) -> dict[str, Any]:
    """Return the matplotlib settings of the charts: ``font`` first, DejaVu Sans for anything else."""
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    return {"font.family": families, "axes.unicode_minus": False, "font.size": 10}


def _chart_figures(report: NightlyReport, cjk: bool) -> dict[str, Figure]:
    """Build the charts (under the caller's ``rc_context``); ``cjk``: the Chinese font is in use."""
    zh = report.zh and cjk
    if report.zh and not cjk:
        logger.info("no Chinese font: chart labels in English")
    out = {"coverage": _coverage_figure(report, zh)}
    if len(report.trend) >= 2:
        out["trend"] = _trend_figure(report, zh)
    else:
        out["counties"] = _counties_figure(report, zh, cjk)
    return out


def _new_figure(width_in: float, height_in: float) -> tuple[Figure, Axes]:
    """Return a figure with an Agg canvas and its one axes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: loaded only on this path
    from matplotlib.figure import Figure  # heavy: loaded only on this path

    fig = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _coverage_figure(report: NightlyReport, zh: bool) -> Figure:
    """Chart 1: each item's coverage at the target level (Chinese names when ``zh``, else ids)."""
    c = report.check
    tl = c["target_level"]
    items = sorted(c["levels"][tl]["items"], key=lambda i: i["coverage"], reverse=True)
    fig, ax = _new_figure(6.4, 0.32 * len(items) + 1.3)
    cov = [min(i["coverage"], 2.0) * 100 for i in items]
    ax.barh(
        [i["name"] if zh else i["item"] for i in items],
        cov,
        color=[_GREEN if i["coverage"] >= 1 else _RED for i in items],
    )
    ax.axvline(100, color="#333333", linewidth=1, linestyle="--")
    for y, i in enumerate(items):
        ax.text(min(i["coverage"], 2.0) * 100 + 2, y, f"{i['coverage']:.0%}", va="center", fontsize=8)
    ax.set_xlim(0, 230)
    ax.set_xlabel("保障率 (%)，虚线为100%" if zh else "coverage (%), dashed line = 100%")
    ax.set_title(f"{LEVEL_NAMES_ZH[tl]}响应各类物资保障率" if zh else f"Coverage of each item at level {tl}")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _trend_figure(report: NightlyReport, zh: bool) -> Figure:
    """Chart 2 with at least two nights: the lowest coverage and the items short, night by night."""
    fig, ax = _new_figure(6.4, 2.8)
    dates = [t["date"][5:] for t in report.trend]
    ax.plot(dates, [t["min_coverage"] * 100 for t in report.trend], marker="o", color=_RED)
    ax.axhline(100, color="#333333", linewidth=1, linestyle="--")
    ax.set_ylim(0, max(110, *(min(t["min_coverage"], 3.0) * 110 for t in report.trend)))
    ax.set_ylabel("最低保障率 (%)" if zh else "lowest coverage (%)")
    ax2 = ax.twinx()
    ax2.bar(dates, [t["items_short"] for t in report.trend], color=_GREY, alpha=0.3)
    ax2.set_ylabel("缺口物资种类" if zh else "items short")
    ax.set_zorder(ax2.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.set_title("近期趋势（目标级别）" if zh else "Recent trend (target level)")
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    return fig


def _counties_figure(report: NightlyReport, zh: bool, cjk: bool) -> Figure:
    """Chart 2 with one night: each county's lowest coverage (county names whenever ``cjk``)."""
    counties = sorted(
        (report.check.get("counties") or {}).items(), key=lambda kv: kv[1]["min_coverage"], reverse=True
    )
    names = [k for k, _ in counties] if cjk else [f"C{n + 1}" for n in range(len(counties))]
    vals = [min(v["min_coverage"], 2.0) * 100 for _, v in counties]
    fig, ax = _new_figure(6.4, 0.32 * max(len(counties), 1) + 1.3)
    ax.barh(names, vals, color=[_GREEN if v >= 100 else _RED for v in vals])
    ax.axvline(100, color="#333333", linewidth=1, linestyle="--")
    ax.set_xlim(0, 230)
    ax.set_xlabel("最低保障率 (%)" if zh else "lowest coverage (%)")
    ax.set_title("各区县最低保障率（按人口分摊）" if zh else "Lowest coverage by county (population share)")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _table_html(table: ReportTable, zh: bool) -> str:
    if not table.rows:
        return f'<p style="margin:4px 0 12px;font-size:13px;color:#555;">{escape(table.empty)}</p>'
    numeric = [k not in ("text", "date") for k in table.kinds]
    head = "".join(
        f'<th style="{_TD}background:#eceff1;text-align:{"right" if n else "left"};font-weight:600;">{escape(h)}</th>'
        for h, n in zip(table.columns, numeric, strict=True)
    )
    body = []
    for row in table.formatted(limit=table.in_email):
        cells = "".join(
            f'<td style="{_TD}text-align:{"right" if n else "left"};">{escape(v)}</td>'
            for v, n in zip(row, numeric, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    more = ""
    if table.in_email is not None and len(table.rows) > table.in_email:
        rest = len(table.rows) - table.in_email
        more = (
            f'<p style="margin:2px 0 0;font-size:12px;color:#777;">'
            f"{'另有 ' + str(rest) + ' 行，完整列表见附件。' if zh else f'{rest} more rows in the attachment.'}</p>"
        )
    return (
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" '
        f'style="border-collapse:collapse;margin:4px 0 4px;">'
        f'<tr>{head}</tr>{"".join(body)}</table>{more}<div style="height:10px"></div>'
    )


def report_html(report: NightlyReport, chart_ids: list[str], *, image_src: Callable[[str], str]) -> str:
    """Render the HTML body: inline CSS only, one 640-px column that shrinks on phones.

    Parameters
    ----------
    report
        The report.
    chart_ids
        Content ids of the charts (from :func:`report_charts`), in display order.
    image_src
        Maps a chart id to the ``src`` of its ``<img>`` (``cid:…`` in the e-mail, a file name on disk).
    """
    zh = report.zh
    c = report.check
    ok = c["target_met"]
    parts = [
        f'<!DOCTYPE html><html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(report.subject())}</title></head>"
        f'<body style="margin:0;padding:0;background:#f5f5f5;{_FONT}color:#212121;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="background:#f5f5f5;"><tr><td align="center" style="padding:12px 6px;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="max-width:640px;background:#ffffff;border:1px solid #e0e0e0;">'
        '<tr><td style="padding:16px 16px 8px;">'
    ]
    for note in report.notes():
        parts.append(
            f'<div style="background:#fff8e1;border-left:4px solid {_AMBER};padding:6px 10px;margin:0 0 8px;'
            f'font-size:12px;color:#5d4037;">{escape(note)}</div>'
        )
    title = f"{report.region}救灾物资储备日报" if zh else f"{report.region} relief stockpile report"
    parts.append(
        f'<h1 style="font-size:20px;margin:8px 0 2px;">{escape(title)}</h1>'
        f'<div style="font-size:13px;color:#616161;margin:0 0 12px;">{escape(report.date)} · '
        f"{escape(c['rules']['name'])}</div>"
    )
    colour = _GREEN if ok else _RED
    verdict = (
        ("已达到目标级别" if ok else "未达到目标级别") if zh else ("target met" if ok else "target NOT met")
    )
    parts.append(
        f'<div style="border:2px solid {colour};border-radius:6px;padding:10px 12px;margin:0 0 14px;">'
        f'<div style="font-size:18px;font-weight:700;color:{colour};">{escape(verdict)}</div>'
        f'<div style="font-size:14px;margin-top:4px;">{escape(report.headline())}</div>'
        + (f'<div style="font-size:13px;margin-top:4px;color:#424242;">{escape(report.change_summary())}</div>'
           if report.previous_date else "")
        + "</div>"
    )  # fmt: skip
    tables = {t.key: t.for_email() for t in report_tables(report)}
    img_style = "display:block;width:100%;max-width:608px;height:auto;border:0;margin:4px 0 12px;"
    charts = list(chart_ids)

    def img(cid: str, alt: str) -> str:
        return f'<img src="{escape(image_src(cid))}" alt="{escape(alt)}" width="608" style="{img_style}">'

    def h2(text: str) -> str:
        return f'<h2 style="font-size:16px;margin:14px 0 4px;border-bottom:2px solid #eceff1;padding-bottom:2px;">{escape(text)}</h2>'

    order = ["gap", "counties", "time", "expiring", "to_verify", "changes"]
    for key in order:
        t = tables[key]
        parts.append(h2(t.title))
        if key == "expiring" and t.rows:
            parts.append(
                f'<p style="margin:2px 0 4px;font-size:13px;">{escape(report.expiring_summary())}</p>'
            )
        if key == "gap" and "coverage" in charts:
            parts.append(img("coverage", "各类物资保障率" if zh else "coverage by item"))
        parts.append(_table_html(t, zh))
        if key == "counties" and "counties" in charts:
            parts.append(img("counties", "各区县最低保障率" if zh else "lowest coverage by county"))
        if key == "counties" and "map" in charts:
            parts.append(img("map", "储备一张图" if zh else "stock map"))
        if key == "changes" and "trend" in charts:
            parts.append(img("trend", "近期趋势" if zh else "recent trend"))
    parts.append(
        f'<p style="font-size:12px;color:#757575;margin:16px 0 4px;">{escape(report_footer(report))}</p>'
        "</td></tr></table></td></tr></table></body></html>"
    )
    return "\n".join(parts)
