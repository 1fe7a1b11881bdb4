"""The nightly sufficiency report: tables, HTML, XLSX, history, configuration and e-mail."""

from logistics.report.build import build_report as build_report
from logistics.report.config import ENV_VARS as ENV_VARS
from logistics.report.config import ReportConfig as ReportConfig
from logistics.report.config import load_report_config as load_report_config
from logistics.report.files import ReportFiles as ReportFiles
from logistics.report.files import write_report_files as write_report_files
from logistics.report.history import SCHEMA_VERSION as SCHEMA_VERSION
from logistics.report.history import Figure as Figure
from logistics.report.history import ReportHistory as ReportHistory
from logistics.report.history import default_history_path as default_history_path
from logistics.report.history import figures_from_check as figures_from_check
from logistics.report.html import report_charts as report_charts
from logistics.report.html import report_html as report_html
from logistics.report.mailer import SECURITY_MODES as SECURITY_MODES
from logistics.report.mailer import DeliveryResult as DeliveryResult
from logistics.report.mailer import SmtpParams as SmtpParams
from logistics.report.mailer import redact as redact
from logistics.report.mailer import send_message as send_message
from logistics.report.message import XLSX_MIME as XLSX_MIME
from logistics.report.message import report_email as report_email
from logistics.report.model import Change as Change
from logistics.report.model import NightlyReport as NightlyReport
from logistics.report.model import ReportTable as ReportTable
from logistics.report.model import format_cell as format_cell
from logistics.report.model import level_name as level_name
from logistics.report.model import report_changes as report_changes
from logistics.report.nightly import EXIT_DELIVERY_FAILED as EXIT_DELIVERY_FAILED
from logistics.report.nightly import EXIT_LOCKED as EXIT_LOCKED
from logistics.report.nightly import NightlyOutcome as NightlyOutcome
from logistics.report.nightly import run_nightly as run_nightly
from logistics.report.tables import report_tables as report_tables
from logistics.report.text import report_footer as report_footer
from logistics.report.text import report_text as report_text
from logistics.report.xlsx import sheet_name as sheet_name
from logistics.report.xlsx import write_report_xlsx as write_report_xlsx

__all__ = [
    "ENV_VARS",
    "EXIT_DELIVERY_FAILED",
    "EXIT_LOCKED",
    "SCHEMA_VERSION",
    "SECURITY_MODES",
    "XLSX_MIME",
    "Change",
    "DeliveryResult",
    "Figure",
    "NightlyOutcome",
    "NightlyReport",
    "ReportConfig",
    "ReportFiles",
    "ReportHistory",
    "ReportTable",
    "SmtpParams",
    "build_report",
    "default_history_path",
    "figures_from_check",
    "format_cell",
    "level_name",
    "load_report_config",
    "redact",
    "report_changes",
    "report_charts",
    "report_email",
    "report_footer",
    "report_html",
    "report_tables",
    "report_text",
    "run_nightly",
    "send_message",
    "sheet_name",
    "write_report_files",
    "write_report_xlsx",
]
