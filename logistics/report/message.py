"""The nightly report as a MIME e-mail: text and HTML parts, inline charts, XLSX attachment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from logistics.report.html import report_html
from logistics.report.text import report_text

if TYPE_CHECKING:
    from collections.abc import Sequence
    from email.message import EmailMessage

    from logistics.report.files import ReportFiles
    from logistics.report.model import NightlyReport

__all__ = ["XLSX_MIME", "report_email"]

#: MIME type of the XLSX attachment.
XLSX_MIME = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def report_email(
    report: NightlyReport,
    files: ReportFiles,
    *,
    sender: str,
    to: Sequence[str],
    role: str | None = None,
) -> EmailMessage:
    """Build the e-mail from the files written for the report.

    The structure is ``multipart/mixed`` → (``multipart/alternative`` → (``text/plain``,
    ``multipart/related`` → (``text/html``, one ``image/png`` per chart, referenced as
    ``cid:``)), the XLSX attachment). Text is UTF-8; the subject and the attachment's
    Chinese file name are encoded per RFC 2047 / RFC 2231.

    Parameters
    ----------
    report
        The report.
    files
        Its files (:func:`logistics.report.files.write_report_files`): the charts and the XLSX sent
        are the very files on disk.
    sender
        ``From`` header.
    to
        ``To`` header addresses.
    role
        Recipient role, recorded in an ``X-Logistics-Role`` header.

    Returns
    -------
    email.message.EmailMessage
        The message (``Message-ID`` set).
    """
    import email.policy  # heavy: the e-mail package, loaded only when a message is built
    from email.message import EmailMessage  # heavy: see above
    from email.utils import formatdate, make_msgid  # heavy: see above

    domain = sender.rpartition("@")[2].strip(" >") or "localhost"
    cids = {name: f"{name}.{report.date}@logistics" for name in files.charts}
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = report.subject()
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(idstring=f"report.{report.date}", domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Logistics-Report"] = f"{report.date}"
    if role:
        msg["X-Logistics-Role"] = role
    msg.set_content(report_text(report), subtype="plain", charset="utf-8")
    html = report_html(report, list(files.charts), image_src=lambda name: f"cid:{cids[name]}")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    html_part = msg.get_payload()[1]
    for name, path in files.charts.items():
        html_part.add_related(
            path.read_bytes(),
            "image",
            "png",
            cid=f"<{cids[name]}>",
            filename=f"{name}.png",
            disposition="inline",
        )
    stem = "储备日报" if report.zh else "stockpile-report"
    msg.add_attachment(
        files.xlsx.read_bytes(),
        maintype=XLSX_MIME[0],
        subtype=XLSX_MIME[1],
        filename=f"{stem}-{report.date}.xlsx",
    )
    return msg
