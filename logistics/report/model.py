"""The nightly report's data: changes since the previous night, tables, the report itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from logistics.region import LEVEL_NAMES_ZH, RESPONSE_LEVELS
from logistics.sufficiency import assumed_expiry_note, value_at_risk_text

if TYPE_CHECKING:
    from logistics.map import MapView
    from logistics.report.history import Figure

__all__ = ["Change", "NightlyReport", "ReportTable", "format_cell", "level_name", "report_changes"]

#: Changes smaller than this (absolute) are not reported, per kind of value.
_TOLERANCE = {"pct": 0.0005, "int": 0.5, "num": 0.05, "cny": 0.5, "level": 0.5, "bool": 0.5}

#: metric -> (zh label, en label, value kind)
_METRICS: dict[str, tuple[str, str, str]] = {
    "highest_level_rank": ("最高满足级别", "highest level met", "level"),
    "target_met": ("达到目标级别", "target level met", "bool"),
    "items_short": ("缺口物资种类", "items short", "int"),
    "min_coverage": ("最低保障率", "lowest coverage", "pct"),
    "purchase_cost_cny": ("补齐采购金额(元)", "purchase to close the gap (CNY)", "cny"),
    "required": ("需求量", "required", "num"),
    "usable": ("可用量", "usable", "num"),
    "coverage": ("保障率", "coverage", "pct"),
    "shortfall": ("缺口", "shortfall", "num"),
    "share_within_12h": ("12小时内送达比例", "share within 12 h", "pct"),
    "share_within_10h": ("10小时内送达比例", "share within 10 h", "pct"),
    "batches": ("批次数", "batches", "int"),
    "value_cny": ("金额(元)", "value (CNY)", "cny"),
}
_KINDS = {
    "headline": ("总体", "overall"),
    "item": ("物资", "item"),
    "county": ("区县", "county"),
    "time": ("时效", "time"),
    "expiring": ("临期", "expiring"),
}


@dataclass(frozen=True)
class Change:
    """One figure that differs from the previous report.

    Parameters
    ----------
    kind, key, metric
        Which figure (see :class:`logistics.report.history.Figure`).
    label
        Display name of ``key``.
    before, after
        Previous and current value (``None`` when absent on that night).
    """

    kind: str
    key: str
    metric: str
    label: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        """``after - before`` when both are known."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def report_changes(current: list[Figure], previous: list[Figure]) -> list[Change]:
    """Compare two nights' figures and return those that changed, headline first.

    Parameters
    ----------
    current, previous
        Figures of the two nights (:func:`logistics.report.history.figures_from_check`).

    Returns
    -------
    list of Change
        Figures whose value moved by more than a small tolerance (0.05 percentage points for
        shares, half a unit for counts), or that appear on only one night.
    """
    cur = {(f.kind, f.key, f.metric): f for f in current}
    prev = {(f.kind, f.key, f.metric): f for f in previous}
    order = list(_KINDS)
    out = []
    for k in sorted(
        set(cur) | set(prev), key=lambda k: (order.index(k[0]) if k[0] in order else 9, k[1], k[2])
    ):
        a, b = prev.get(k), cur.get(k)
        before = a.value if a else None
        after = b.value if b else None
        if before is not None and after is not None:
            tol = _TOLERANCE[_METRICS.get(k[2], ("", "", "num"))[2]]
            if abs(after - before) <= tol:
                continue
        elif before is None and after is None:
            continue
        label = (b or a).label if (b or a) else ""  # type: ignore[union-attr]
        out.append(Change(k[0], k[1], k[2], label or k[1], before, after))
    return out


@dataclass(frozen=True)
class ReportTable:
    """One table of the report, shared by the HTML, text and XLSX renderings.

    Parameters
    ----------
    key
        Stable identifier (``gap``, ``counties``, ``time``, ``expiring`` …).
    title
        Heading (in the report's language); also the worksheet name.
    columns
        Column titles.
    kinds
        Per column: ``text``, ``int``, ``num``, ``pct``, ``cny`` or ``date``.
    rows
        Raw cell values (numbers stay numbers).
    empty
        What to say when there are no rows.
    in_email
        Rows shown in the e-mail body (``None``: all; 0: the table is only in the attachment).
    email_columns
        Columns shown in the e-mail body (``None``: all), to stay readable on a phone.
    """

    key: str
    title: str
    columns: list[str]
    kinds: list[str]
    rows: list[list[Any]]
    empty: str = ""
    in_email: int | None = None
    email_columns: tuple[int, ...] | None = None

    def formatted(self, *, limit: int | None = None) -> list[list[str]]:
        """Return the rows as display text (thousands separators, percentages)."""
        rows = self.rows if limit is None else self.rows[:limit]
        return [[format_cell(v, k) for v, k in zip(r, self.kinds, strict=True)] for r in rows]

    def for_email(self) -> ReportTable:
        """Return the part shown in the e-mail body (the rows and columns it keeps)."""
        cols = self.email_columns or tuple(range(len(self.columns)))
        return ReportTable(
            self.key,
            self.title,
            [self.columns[j] for j in cols],
            [self.kinds[j] for j in cols],
            [[r[j] for j in cols] for r in self.rows],
            self.empty,
            self.in_email,
        )


def format_cell(value: Any, kind: str) -> str:
    """Format one value for display.

    Parameters
    ----------
    value
        The raw value (``None`` shows as an em dash).
    kind
        ``text``, ``int``, ``num``, ``pct``, ``cny`` or ``date``.

    Examples
    --------
    >>> format_cell(0.6078, "pct"), format_cell(164712, "num"), format_cell(None, "int")
    ('60.8%', '164,712', '—')
    """
    if value is None or value == "":
        return "—"
    if kind == "pct":
        return f"{value:.1%}"
    if kind in ("int", "cny"):
        return f"{value:,.0f}"
    if kind == "num":
        return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"
    return str(value)


def level_name(level: str | None, zh: bool) -> str:
    """Display name of a response level (``None``: below the lowest level)."""
    if level is None:
        return "未达到Ⅳ级" if zh else "below IV"
    return LEVEL_NAMES_ZH[level] if zh else level


def _change_value(c: Change, value: float | None, zh: bool) -> str:
    kind = _METRICS.get(c.metric, ("", "", "num"))[2]
    if value is None:
        return "—"
    if kind == "level":
        rank = round(value)
        return level_name(RESPONSE_LEVELS[rank - 1] if rank > 0 else None, zh)
    if kind == "bool":
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    return format_cell(value, kind)


def _change_delta(c: Change, zh: bool = True) -> str:
    d = c.delta
    kind = _METRICS.get(c.metric, ("", "", "num"))[2]
    if d is None or kind == "bool":
        return ""
    if kind == "level":
        return "↑" if d > 0 else "↓"
    if kind == "pct":
        return f"{d * 100:+.1f} 个百分点" if zh else f"{d * 100:+.1f} pp"
    return ("+" if d > 0 else "") + format_cell(d, kind)


@dataclass(frozen=True)
class NightlyReport:
    """One night's report: the check, the changes since the previous report, the trend.

    Parameters
    ----------
    check
        The :func:`logistics.sufficiency.check.run_check` report.
    previous_date
        Date of the previous report in the history, if any.
    changes
        Figures that changed since then.
    trend
        Headlines of the recent nights (oldest first, this night last).
    lang
        ``zh`` or ``en``.
    map_view
        The one-map view of the region's stock (:func:`logistics.map.region_view`), drawn as a
        static image in the e-mail; ``None`` for none.
    """

    check: dict[str, Any]
    previous_date: str | None = None
    changes: list[Change] = field(default_factory=list)
    trend: list[dict[str, Any]] = field(default_factory=list)
    lang: str = "zh"
    map_view: MapView | None = None

    @property
    def zh(self) -> bool:
        """Whether the report is in Chinese."""
        return self.lang == "zh"

    @property
    def date(self) -> str:
        """Date of the report (ISO)."""
        return str(self.check["date"])

    @property
    def region(self) -> str:
        """Region name."""
        return str(self.check["region"])

    @property
    def illustrative(self) -> bool:
        """Whether the report uses illustrative (demo) data."""
        return bool(self.check.get("notes"))

    def notes(self) -> list[str]:
        """Illustrative-data notes, each with its marker (shown in every output)."""
        mark = "【示意数据】" if self.zh else "[ILLUSTRATIVE] "
        return [mark + n for n in self.check.get("notes", [])]

    def headline(self) -> str:
        """One sentence: highest level met, target level, gap; then which figures rest on assumptions.

        When some counted stock is past an expiry date derived from an assumed shelf life, a
        second sentence names it and gives the highest level met without it
        (:func:`logistics.sufficiency.check.assumed_expiry_note`).
        """
        c, zh = self.check, self.zh
        tl, gap = c["target_level"], c["gap"]
        cost = c["purchase"]["total_cost_cny"]
        met = level_name(c["highest_level_met"], zh)
        note = self.assumption_note()
        if zh:
            s = f"当前可满足的最高响应级别：{met}；目标级别：{LEVEL_NAMES_ZH[tl]}，"
            if c["target_met"]:
                s += "已达到。"
            else:
                s += f"未达到，{len(gap)} 类物资存在缺口，补齐约需 {cost:,.0f} 元。"
            return s + (f"注：{note}" if note else "")
        s = f"Highest response level met: {met}; target level {tl}: "
        if c["target_met"]:
            s += "met."
        else:
            s += f"not met, {len(gap)} item(s) short, about CNY {cost:,.0f} to close the gap."
        return s + (f" Note: {note}" if note else "")

    def assumption_note(self) -> str:
        """Which level figures rest on assumed shelf lives (``""`` when none do)."""
        return assumed_expiry_note(self.check, self.lang)

    def subject(self) -> str:
        """E-mail subject line."""
        c, zh = self.check, self.zh
        tl = c["target_level"]
        if zh:
            mark = "【示意数据】" if self.illustrative else ""
            verdict = (
                f"目标{LEVEL_NAMES_ZH[tl]}已达到"
                if c["target_met"]
                else f"目标{LEVEL_NAMES_ZH[tl]}未达到（缺口{len(c['gap'])}项）"
            )
            return f"{mark}{self.region}救灾物资储备日报 {self.date}：{verdict}，最高满足{level_name(c['highest_level_met'], zh)}"
        mark = "[ILLUSTRATIVE] " if self.illustrative else ""
        verdict = (
            f"target {tl} met" if c["target_met"] else f"target {tl} NOT met ({len(c['gap'])} items short)"
        )
        return f"{mark}{self.region} relief stockpile report {self.date}: {verdict}, highest level met {c['highest_level_met'] or 'none'}"

    def change_summary(self) -> str:
        """One sentence on the headline changes since the previous report."""
        if not self.previous_date:
            return "首次报告，暂无对比。" if self.zh else "First report: nothing to compare."
        zh = self.zh
        head = {c.metric: c for c in self.changes if c.kind == "headline"}
        n_items = len({c.key for c in self.changes if c.kind == "item"})
        parts = []
        if "highest_level_rank" in head:
            c = head["highest_level_rank"]
            word = (
                ("提升" if (c.delta or 0) > 0 else "下降")
                if zh
                else ("rose" if (c.delta or 0) > 0 else "fell")
            )
            parts.append(
                f"最高满足级别{word}：{_change_value(c, c.before, zh)}→{_change_value(c, c.after, zh)}"
                if zh
                else f"highest level met {word}: {_change_value(c, c.before, zh)} → {_change_value(c, c.after, zh)}"
            )
        if "items_short" in head:
            c = head["items_short"]
            parts.append(
                f"缺口物资种类 {_change_value(c, c.before, zh)}→{_change_value(c, c.after, zh)}"
                if zh
                else f"items short {_change_value(c, c.before, zh)} → {_change_value(c, c.after, zh)}"
            )
        if "min_coverage" in head:
            c = head["min_coverage"]
            parts.append(
                f"最低保障率 {_change_value(c, c.before, zh)}→{_change_value(c, c.after, zh)}"
                if zh
                else f"lowest coverage {_change_value(c, c.before, zh)} → {_change_value(c, c.after, zh)}"
            )
        if zh:
            body = "；".join(parts) if parts else "总体指标无变化"
            return f"较上次报告（{self.previous_date}）：{body}；{n_items} 类物资的数量有变化。"
        body = "; ".join(parts) if parts else "headline unchanged"
        return f"Since {self.previous_date}: {body}; {n_items} item(s) changed."

    def expiring_summary(self) -> str:
        """One sentence: batches expired or expiring per window and the value at risk."""
        exp = self.check.get("expiring") or []
        if not exp:
            return ""
        by_w: dict[int, int] = {}
        for e in exp:
            by_w[int(e["window_days"])] = by_w.get(int(e["window_days"]), 0) + 1
        value = value_at_risk_text(exp, self.zh)
        todo = len(self.check.get("to_verify") or [])
        if self.zh:
            parts = "，".join(
                f"{'已过期' if w == 0 else f'{w}天内到期'} {n} 批" for w, n in sorted(by_w.items())
            )
            more = (
                f"另有 {todo} 批的有效期按假定保质期推算，未列入本表，也未从可用量中剔除（需核查）。"
                if todo
                else ""
            )
            return f"{parts}；{value}。{more}"
        parts = ", ".join(f"{'expired' if w == 0 else f'within {w} d'}: {n}" for w, n in sorted(by_w.items()))
        more = (
            f" {todo} more batch(es) have an expiry date derived from an assumed shelf life: not listed here "
            "and still counted as usable (to verify)."
            if todo
            else ""
        )
        return f"Batches {parts}; {value}.{more}"

    def change_lines(self, *, limit: int | None = None) -> list[list[str]]:
        """Return the changes since the previous report as display rows."""
        zh = self.zh
        rows = []
        for c in self.changes[:limit] if limit else self.changes:
            kind = _KINDS.get(c.kind, (c.kind, c.kind))[0 if zh else 1]
            metric = _METRICS.get(c.metric, (c.metric, c.metric, "num"))[0 if zh else 1]
            label = c.label
            if c.kind == "expiring":
                w = int(c.key)
                label = (
                    ("已过期" if w == 0 else f"{w}天内") if zh else ("expired" if w == 0 else f"within {w} d")
                )
            elif c.kind == "headline":
                label = ""
            rows.append([kind, label, metric, _change_value(c, c.before, zh), _change_value(c, c.after, zh),
                         _change_delta(c, zh)])  # fmt: skip
        return rows
