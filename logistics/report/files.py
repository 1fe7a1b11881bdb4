"""Write one night's report to disk: HTML, text, XLSX, JSON and chart files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from logistics.common.atomic import atomic_dir, atomic_path, write_text_atomic
from logistics.report.html import report_charts, report_html
from logistics.report.text import report_text
from logistics.report.xlsx import write_report_xlsx

if TYPE_CHECKING:
    from logistics.report.model import NightlyReport

__all__ = ["ReportFiles", "write_report_files"]


@dataclass(frozen=True)
class ReportFiles:
    """Files of one night's report.

    Parameters
    ----------
    folder
        ``<out_dir>/<date>``.
    html
        HTML page for a browser (images as files next to it).
    text
        Plain-text part.
    xlsx
        Workbook with every table.
    json
        The check report and changes (machine-readable).
    charts
        Chart images (PNG), by content id.
    """

    folder: Path
    html: Path
    text: Path
    xlsx: Path
    json: Path
    charts: dict[str, Path]

    def all(self) -> list[Path]:
        """Every file."""
        return [self.html, self.text, self.xlsx, self.json, *self.charts.values()]


def write_report_files(report: NightlyReport, out_dir: str | Path) -> ReportFiles:
    """Write the report's HTML, text, XLSX, JSON and chart files under ``out_dir/<date>``.

    The dated folder is written as one set (:func:`~logistics.common.atomic_dir`): an
    interrupted run leaves the previous set for that date, or nothing; records of e-mails
    already sent for the date (``email-*.eml``) are kept.

    Parameters
    ----------
    report
        The report.
    out_dir
        Output folder.

    Returns
    -------
    ReportFiles
        The paths written.
    """
    final = Path(out_dir) / report.date
    with atomic_dir(final, ours=_report_file, keep=lambda p: p.name.startswith("email-")) as tmp:
        files = _write_files(report, tmp)
    return ReportFiles(final, *(final / p.name for p in (files.html, files.text, files.xlsx, files.json)),
                       {k: final / p.name for k, p in files.charts.items()})  # fmt: skip


def _report_file(p: Path) -> bool:
    """Whether ``p`` is a file this module writes into a dated report folder."""
    return p.is_file() and (p.name.startswith(("report-", "email-")) or p.suffix == ".png")


def _write_files(report: NightlyReport, folder: Path) -> ReportFiles:
    stem = f"report-{report.date}"
    charts = report_charts(report)
    chart_paths: dict[str, Path] = {}
    for cid, png in charts.items():
        p = folder / f"{cid}.png"
        with atomic_path(p) as tmp:
            tmp.write_bytes(png)
        chart_paths[cid] = p
    html = folder / f"{stem}.html"
    write_text_atomic(html, report_html(report, list(charts), image_src=lambda cid: f"{cid}.png"))
    text = folder / f"{stem}.txt"
    write_text_atomic(text, report_text(report))
    xlsx = write_report_xlsx(report, folder / f"{stem}.xlsx")
    js = folder / f"{stem}.json"
    payload = {
        "subject": report.subject(),
        "previous_date": report.previous_date,
        "changes": [c.__dict__ for c in report.changes],
        "trend": report.trend,
        "check": report.check,
    }
    write_text_atomic(js, json.dumps(payload, ensure_ascii=False, indent=1, default=str))
    return ReportFiles(folder, html, text, xlsx, js, chart_paths)
