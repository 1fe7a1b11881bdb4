"""The plain-text rendering of the nightly report (the e-mail's text part)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from logistics.common.console import format_table
from logistics.common.version import __version__
from logistics.report.tables import report_tables

if TYPE_CHECKING:
    from logistics.report.model import NightlyReport

__all__ = ["report_footer", "report_text"]


def report_text(report: NightlyReport) -> str:
    """Render the plain-text part of the e-mail.

    Parameters
    ----------
    report
        The report.
    """
    zh = report.zh
    out = [*report.notes(), ""] if report.illustrative else []
    out += [report.subject(), "", report.headline(), report.change_summary()]
    more = "（完整列表见附件）" if zh else " (full list in the attachment)"
    for full in report_tables(report):
        if full.in_email == 0:
            continue
        table = full.for_email()
        out += ["", f"■ {table.title}"]
        if table.key == "expiring" and table.rows:
            out.append(report.expiring_summary())
        if not table.rows:
            out.append(table.empty)
            continue
        aligns = "".join("l" if k in ("text", "date") else "r" for k in table.kinds)
        out.append(format_table(table.columns, table.formatted(limit=table.in_email), aligns))
        if table.in_email is not None and len(table.rows) > table.in_email:
            out.append(f"… {len(table.rows) - table.in_email} " + ("行未列出" if zh else "more rows") + more)
    out += ["", report_footer(report)]
    return "\n".join(out) + "\n"


def report_footer(report: NightlyReport) -> str:
    """Return the closing line: the rules applied, the attachment, the version that wrote it."""
    c = report.check
    if report.zh:
        return (f"依据：{c['rules']['name']}。附件为全部表格（XLSX）。本邮件由 logistics {__version__} "
                f"自动生成，请勿直接回复。")  # fmt: skip
    return (f"Rules: {c['rules']['name']}. All tables are in the XLSX attachment. Sent automatically by "
            f"logistics {__version__}; do not reply.")  # fmt: skip
