"""``logistics report nightly``: the nightly sufficiency report, written to disk and e-mailed."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from logistics.cli.args import parse_date
from logistics.cli.lang import t
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

EPILOG_ZH = """\
退出码：
  0  报告已生成（并已发送，或当天已发送过）
  1  意外错误（见日志文件）
  2  输入或配置有误（配置文件、环境变量、区域、历史库）
  3  至少一个收件人发送失败；报告已保存，下次运行时重发
  4  另一个运行持有锁文件；本次未做任何事

环境变量（优先于配置文件）：
  LOGISTICS_SMTP_HOST、LOGISTICS_SMTP_PORT、LOGISTICS_SMTP_USER、LOGISTICS_SMTP_PASSWORD、
  LOGISTICS_SMTP_SECURITY（none|starttls|ssl）、LOGISTICS_SMTP_FROM、LOGISTICS_SMTP_CA_FILE、
  LOGISTICS_SMTP_VERIFY（仅测试时设为 0）、LOGISTICS_REPORT_TO（逗号分隔）
"""


def register(sub: Any) -> None:
    """Add the ``report`` sub-command and its ``nightly`` action."""
    p = sub.add_parser(
        "report",
        help=t("nightly sufficiency report by e-mail", "每日储备充足性报告（邮件）"),
        description=t("Reports for leaders and duty officers.", "面向领导和值班人员的报告。"),
    )
    actions = p.add_subparsers(dest="report_command", metavar=t("ACTION", "操作"))
    n = actions.add_parser(
        "nightly",
        help=t("write (and e-mail) the nightly sufficiency report", "生成（并邮件发送）每日储备充足性报告"),
        description=t(
            "Check stockpile sufficiency, compare with the previous report, write a Chinese HTML "
            "e-mail with charts, a plain-text part and an XLSX with all tables under OUT/<date>/, and "
            "with --send e-mail it once per date and recipient. Runs on the embedded demo region "
            "unless the config file names a region.",
            "评估储备充足性并与上一期比较，在 OUT/<日期>/ 下写出带图表的中文 HTML 邮件、纯文本正文和"
            "包含全部表格的 XLSX；加 --send 时每个日期、每个收件人只发送一次。配置文件未指定区域时使用"
            "内置示范区域。",
        ),
        epilog=t(EPILOG, EPILOG_ZH),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _nightly_args(n)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _nightly_args(n: argparse.ArgumentParser) -> None:
    n.add_argument(
        "--date",
        type=parse_date,
        default=None,
        help=t("report date, YYYY-MM-DD (default: today)", "报告日期，YYYY-MM-DD（默认今天）"),
    )
    n.add_argument(
        "--out",
        default=None,
        help=t(
            "output folder (default: the config's out_dir, else ./report)",
            "输出目录（默认：配置中的 out_dir，否则 ./report）",
        ),
    )
    n.add_argument(
        "--config",
        default=None,
        help=t(
            "TOML settings file (see deploy/report.example.toml)",
            "TOML 配置文件（见 deploy/report.example.toml）",
        ),
    )
    n.add_argument(
        "--region",
        default=None,
        help=t(
            "region.toml or its folder (default: config, else demo region)",
            "region.toml 或其所在目录（默认：配置中的区域，否则示范区域）",
        ),
    )
    n.add_argument(
        "--send",
        action="store_true",
        help=t(
            "e-mail the report (once per date and address)", "用邮件发送报告（每个日期、每个收件人只发一次）"
        ),
    )
    n.add_argument(
        "--resend",
        action="store_true",
        help=t("e-mail it again even if already sent for this date", "即使当天已发送也再次发送"),
    )
    n.add_argument(
        "--to",
        nargs="+",
        default=None,
        metavar=t("ADDR", "邮箱"),
        help=t("recipients, replacing the config's", "收件人（替换配置中的收件人）"),
    )
    n.add_argument(
        "--history",
        default=None,
        help=t(
            "SQLite history file (default: OUT/history.sqlite)",
            "SQLite 历史库文件（默认 OUT/history.sqlite）",
        ),
    )
    n.add_argument(
        "--log",
        default=None,
        help=t("log file (default: OUT/nightly.log)", "日志文件（默认 OUT/nightly.log）"),
    )
    n.add_argument(
        "--lock",
        default=None,
        help=t("lock file (default: OUT/.nightly.lock)", "锁文件（默认 OUT/.nightly.lock）"),
    )
    n.add_argument(
        "--no-time", action="store_true", help=t("skip the time check (faster)", "跳过时效评估（更快）")
    )
    n.add_argument("--quiet", action="store_true",
                   help=t("print nothing on success, only problems on stderr (for cron's MAILTO)", "成功时不输出，只在标准错误输出问题（供 cron 的 MAILTO 使用）"))  # fmt: skip
    n.set_defaults(func=run_nightly_command)


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
