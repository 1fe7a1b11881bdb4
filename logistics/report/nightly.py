"""Run the nightly report unattended: lock, check, history, files, e-mail once per date, log."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from logistics.common import atomic_path, run_lock
from logistics.exceptions import OutputPathError, Problem, ReportConfigError, tr
from logistics.map import region_view
from logistics.region import demo_region, load_region
from logistics.report.build import build_report
from logistics.report.files import write_report_files
from logistics.report.history import ReportHistory
from logistics.report.mailer import redact, send_message
from logistics.report.message import report_email
from logistics.sufficiency import CheckParams, run_check

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from logistics.report.config import ReportConfig
    from logistics.report.files import ReportFiles

__all__ = ["EXIT_DELIVERY_FAILED", "EXIT_LOCKED", "NightlyOutcome", "run_nightly"]

logger = logging.getLogger(__name__)

#: Exit code: the report is on disk but at least one recipient did not get it.
EXIT_DELIVERY_FAILED = 3
#: Exit code: another run holds the lock; nothing was done.
EXIT_LOCKED = 4


@dataclass
class NightlyOutcome:
    """What a nightly run did.

    Parameters
    ----------
    date
        Report date (ISO).
    subject
        E-mail subject.
    files
        Files written.
    send_requested
        Whether ``send`` was asked for.
    sent
        Addresses delivered to in this run.
    already_sent
        Addresses skipped because they got this date's report before (no ``resend``).
    failed
        Address → reason for addresses not delivered.
    emails
        ``.eml`` copies of the messages built (one per role).
    """

    date: str
    subject: str
    files: ReportFiles
    send_requested: bool = False
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    emails: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0, or :data:`EXIT_DELIVERY_FAILED` when a recipient was not reached."""
        return EXIT_DELIVERY_FAILED if self.failed else 0


class _RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


@contextlib.contextmanager
def _log_to_file(path: Path, secrets: list[str]) -> Iterator[None]:
    """Send the package's log records to ``path`` (appending, secrets redacted) for the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(_RedactingFormatter(secrets))
    handler.setLevel(logging.INFO)
    pkg = logging.getLogger("logistics")
    level = pkg.level
    if pkg.getEffectiveLevel() > logging.INFO:
        pkg.setLevel(logging.INFO)
    pkg.addHandler(handler)
    try:
        yield
    finally:
        pkg.removeHandler(handler)
        pkg.setLevel(level)
        handler.close()


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "recipients"


def run_nightly(
    config: ReportConfig,
    *,
    date: dt.date | None = None,
    send: bool = False,
    resend: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> NightlyOutcome:
    """Produce one night's report and, with ``send``, e-mail it once per date and address.

    Steps, all under an exclusive lock and logged to ``config.log``: run the sufficiency
    check, record its figures in the history, write the HTML, text, XLSX, JSON and chart
    files under ``config.out_dir/<date>``, then, if asked, build one message per recipient
    role (saved as ``email-<role>.eml`` next to the report) and send it to the addresses
    that have not received this date's report yet (all of them with ``resend``). Delivery
    state is kept in the history, so a failed address is retried by the next run and a
    delivered one is not sent twice.

    Parameters
    ----------
    config
        Settings (:func:`logistics.report.config.load_report_config`).
    date
        Report date (default today).
    send
        Send the e-mail.
    resend
        Send even to addresses that already received this date's report.
    sleep
        Wait function for the SMTP retry backoff.

    Returns
    -------
    NightlyOutcome
        Files, delivered and failed addresses; ``exit_code`` is 3 when someone was not reached.

    Raises
    ------
    ReportConfigError
        If sending is asked for without an SMTP server or recipients.
    ReportLockedError
        If another run holds the lock.
    HistoryError
        If the history database cannot be used.
    InputError
        For a bad region, rules or inventory.
    """
    if send or resend:
        problems = []
        if config.smtp is None:
            problems.append(Problem(tr("no SMTP server configured: set LOGISTICS_SMTP_HOST or [smtp] host",
                                       "未配置 SMTP 服务器：请设置 LOGISTICS_SMTP_HOST 或 [smtp] 中的 host"),
                                    file=config.source, column="smtp.host"))  # fmt: skip
        if not any(config.recipients.values()):
            problems.append(Problem(tr("no recipients: add a [recipients] table or use --to",
                                       "没有收件人：请添加 [recipients] 表或使用 --to"),
                                    file=config.source, column="recipients"))  # fmt: skip
        if problems:
            raise ReportConfigError(problems)
    day = date or dt.date.today()
    secrets = config.smtp.secrets() if config.smtp else []
    _make_out_dir(config.out_dir)
    with _log_to_file(config.log, secrets), run_lock(config.lock):
        try:
            return _run_locked(config, day, send=send or resend, resend=resend, sleep=sleep)
        except Exception:
            logger.exception("nightly report for %s failed", day)
            raise


def _make_out_dir(out: Path) -> None:
    """Create the report folder, or raise a located error when it cannot be one."""
    if out.exists() and not out.is_dir():
        raise OutputPathError(
            [
                Problem(
                    tr("is a file, expected the report folder", "此路径是文件，应为报告文件夹"),
                    file=str(out),
                    column="--out",
                )
            ]
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputPathError([Problem(tr(f"cannot create the report folder: {exc.strerror}",
                                                   f"无法创建报告文件夹：{exc.strerror}"), file=str(out),
                                       column="--out")]) from None  # fmt: skip


def _run_locked(
    config: ReportConfig, day: dt.date, *, send: bool, resend: bool, sleep: Callable[[float], None]
) -> NightlyOutcome:

    t0 = time.perf_counter()
    region = load_region(config.region) if config.region else demo_region()
    logger.info("nightly report %s for %s: checking (time check %s)", day, region.name,
                "on" if config.time_check else "off")  # fmt: skip
    check = run_check(
        region,
        CheckParams(date=day, level=config.target_level, rules=config.rules, time_check=config.time_check),
    )
    view = region_view(region, on=day, admin=config.admin, report=check, lang=config.lang)
    with ReportHistory(config.history) as history:
        report = replace(build_report(check, history, lang=config.lang), map_view=view)
        files = write_report_files(report, config.out_dir)
        logger.info("report written to %s (%s); previous report %s; %d change(s)", files.folder,
                    report.subject(), report.previous_date or "none", len(report.changes))  # fmt: skip
        out = NightlyOutcome(report.date, report.subject(), files, send_requested=send)
        if not send:
            logger.info("not sending (no --send); done in %.1f s", time.perf_counter() - t0)
            return out
        assert config.smtp is not None
        before = set() if resend else history.sent_addresses(report.region, report.date)
        done_now: set[str] = set()
        for role, addresses in config.recipients.items():
            pending = [a for a in dict.fromkeys(addresses) if a not in before and a not in done_now]
            out.already_sent += [a for a in addresses if a in before and a not in out.already_sent]
            if not pending:
                logger.info(
                    "role %s: already sent for %s, skipped (use --resend to send again)", role, report.date
                )
                continue
            msg = report_email(
                report, files, sender=config.smtp.sender or config.smtp.user, to=pending, role=role
            )
            eml = files.folder / f"email-{_safe_name(role)}.eml"
            with atomic_path(eml) as tmp:
                tmp.write_bytes(msg.as_bytes())
            out.emails.append(eml)
            logger.info(
                "role %s: sending to %d address(es), %d bytes", role, len(pending), len(msg.as_bytes())
            )
            result = send_message(msg, pending, config.smtp, sleep=sleep)
            done_now.update(pending)
            mid = msg["Message-ID"]
            if result.accepted:
                history.mark_delivery(report.region, report.date, result.accepted, role=role, status="sent",
                                      attempts=result.attempts, message_id=mid)  # fmt: skip
                out.sent += result.accepted
            if result.refused:
                prior = history.sent_addresses(report.region, report.date)
                for a, reason in result.refused.items():
                    out.failed[a] = reason
                    if a not in prior:  # a failed resend keeps the earlier delivery on record
                        history.mark_delivery(report.region, report.date, [a], role=role, status="failed",
                                              attempts=result.attempts, message_id=mid, error=reason)  # fmt: skip
                logger.error("role %s: not delivered to %s: %s (report kept in %s)", role,
                             ", ".join(result.refused), result.error, files.folder)  # fmt: skip
        logger.info("done in %.1f s: sent %d, skipped %d, failed %d", time.perf_counter() - t0, len(out.sent),
                    len(out.already_sent), len(out.failed))  # fmt: skip
        return out
