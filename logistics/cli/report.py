"""``logistics report nightly``: the nightly sufficiency report, written to disk and e-mailed."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from logistics.cli.args import parse_date
from logistics.exceptions import HistoryError, ReportLockedError
from logistics.report import EXIT_LOCKED, load_report_config, run_nightly

EPILOG = """\
exit codes:
  0  report written (and sent, or already sent for that date)
  1  unexpected error (see the log file)
  2  bad input or configuration (config file, environment, region, history database)
  3  delivery failed for at least one recipient; the report is on disk, the next run retries
  4  another run holds the lock; nothing was done

environment (overrides the config file):
  LOGISTICS_SMTP_HOST, LOGISTICS_SMTP_PORT, LOGISTICS_SMTP_USER, LOGISTICS_SMTP_PASSWORD,
  LOGISTICS_SMTP_SECURITY (none|starttls|ssl), LOGISTICS_SMTP_FROM, LOGISTICS_SMTP_CA_FILE,
  LOGISTICS_SMTP_VERIFY (set 0 only for tests), LOGISTICS_REPORT_TO (comma-separated)
"""


def register(sub: Any) -> None:
    """Add the ``report`` sub-command and its ``nightly`` action."""
    p = sub.add_parser(
        "report",
        help="nightly sufficiency report by e-mail / 每日储备报告",
        description="Reports for leaders and duty officers.",
    )
    actions = p.add_subparsers(dest="report_command", metavar="ACTION")
    n = actions.add_parser(
        "nightly",
        help="write (and e-mail) the nightly sufficiency report",
        description=(
            "Check stockpile sufficiency, compare with the previous report, write a Chinese HTML "
            "e-mail with charts, a plain-text part and an XLSX with all tables under OUT/<date>/, and "
            "with --send e-mail it once per date and recipient. Runs on the embedded demo region "
            "unless the config file names a region."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    n.add_argument("--date", type=parse_date, default=None, help="report date, YYYY-MM-DD (default: today)")
    n.add_argument("--out", default=None, help="output folder (default: the config's out_dir, else ./report)")
    n.add_argument("--config", default=None, help="TOML settings file (see deploy/report.example.toml)")
    n.add_argument(
        "--region", default=None, help="region.toml or its folder (default: config, else demo region)"
    )
    n.add_argument("--send", action="store_true", help="e-mail the report (once per date and address)")
    n.add_argument("--resend", action="store_true", help="e-mail it again even if already sent for this date")
    n.add_argument("--to", nargs="+", default=None, metavar="ADDR", help="recipients, replacing the config's")
    n.add_argument("--history", default=None, help="SQLite history file (default: OUT/history.sqlite)")
    n.add_argument("--log", default=None, help="log file (default: OUT/nightly.log)")
    n.add_argument("--lock", default=None, help="lock file (default: OUT/.nightly.lock)")
    n.add_argument("--no-time", action="store_true", help="skip the time check (faster)")
    n.add_argument("--quiet", action="store_true",
                   help="print nothing on success, only problems on stderr (for cron's MAILTO)")  # fmt: skip
    n.set_defaults(func=run_nightly_command)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def run_nightly_command(args: argparse.Namespace) -> int:
    """Run the nightly report and print what happened."""
    zh = args.lang == "zh"
    config = load_report_config(args.config)
    changes: dict[str, Any] = {}
    if args.out:
        changes["out_dir"] = Path(args.out)
    if args.region:
        changes["region"] = args.region
    for opt, attr in (("history", "history_path"), ("log", "log_path"), ("lock", "lock_path")):
        if getattr(args, opt):
            changes[attr] = Path(getattr(args, opt))
    if args.no_time:
        changes["time_check"] = False
    if args.lang == "en":  # the global --lang en (or LOGISTICS_LANG=en) wins over the config's lang
        changes["lang"] = "en"
    config = replace(config, **changes)
    if args.to:
        config = config.with_recipients(args.to)
    try:
        out = run_nightly(config, date=args.date, send=args.send, resend=args.resend)
    except ReportLockedError as exc:
        print(("已有另一个日报任务在运行，本次未执行：" if zh else "not run: ") + str(exc), file=sys.stderr)
        return EXIT_LOCKED
    except HistoryError as exc:
        print(("错误：" if zh else "error: ") + str(exc), file=sys.stderr)
        return 2
    say = (lambda *a, **k: None) if args.quiet else print
    say(out.subject)
    say(("报告已写入：" if zh else "report written to: ") + str(out.files.folder))
    if out.send_requested:
        if out.sent:
            say(("已发送：" if zh else "sent to: ") + ", ".join(out.sent))
        if out.already_sent:
            say(
                (
                    "此前已发送（未重复发送，可用 --resend）："
                    if zh
                    else "already sent (not sent again; use --resend): "
                )
                + ", ".join(out.already_sent)
            )
        for addr, reason in out.failed.items():
            print(("发送失败 " if zh else "NOT delivered to ") + f"{addr}: {reason}", file=sys.stderr)
        if out.failed:
            print(
                ("报告保留在 " if zh else "the report is kept in ") + str(out.files.folder)
                + ("；下次运行会重试未送达的收件人。" if zh else "; the next run retries the recipients not reached."),
                file=sys.stderr,
            )  # fmt: skip
    say(("日志：" if zh else "log: ") + str(config.log))
    return out.exit_code
