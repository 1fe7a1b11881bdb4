"""Assemble one night's report from a check and the report history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logistics.report.history import figures_from_check
from logistics.report.model import NightlyReport, report_changes

if TYPE_CHECKING:
    from logistics.report.history import ReportHistory

__all__ = ["build_report"]


def build_report(
    check: dict[str, Any], history: ReportHistory | None = None, *, lang: str = "zh", trend_nights: int = 14
) -> NightlyReport:
    """Assemble the nightly report from a check, comparing it with the previous report.

    When ``history`` is given, this night's figures are recorded in it (replacing any earlier
    run for the same date), the previous report is the latest earlier date there, and the
    trend covers the last ``trend_nights`` reports.

    Parameters
    ----------
    check
        A :func:`logistics.sufficiency.check.run_check` report.
    history
        The report history, or ``None`` for a report without comparison.
    lang
        ``zh`` (default) or ``en``.
    trend_nights
        Nights in the trend.

    Returns
    -------
    NightlyReport
        The report data.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"Expected lang 'zh' or 'en', got {lang!r}.")
    region, date = str(check["region"]), str(check["date"])
    if history is None:
        trend = [{"date": date, "highest_level_met": check["highest_level_met"],
                  "target_level": check["target_level"], "target_met": int(check["target_met"]),
                  "items_short": len(check["gap"]),
                  "min_coverage": check["levels"][check["target_level"]]["min_coverage"]}]  # fmt: skip
        return NightlyReport(check, None, [], trend, lang)
    prev = history.previous_date(region, date)
    changes = report_changes(figures_from_check(check), history.figures(region, prev)) if prev else []
    history.record(check)
    return NightlyReport(check, prev, changes, history.trend(region, date, nights=trend_nights), lang)
