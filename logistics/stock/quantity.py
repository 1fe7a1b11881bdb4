"""Parse quantity cells: counts ("帐篷 1,200顶", "2.6万件") and capacity statements ("满足5千人15天").

A quantity cell holds exactly one statement:

* a **count** — a number followed by a unit of measure (``1,200顶``, ``三千五百床``,
  ``2.5吨``), optionally preceded by a label (``帐篷 1,200顶``) and possibly without a unit
  when the unit is given elsewhere (``1200``);
* a **capacity statement** — persons × days (``满足5千人15天``, ``可保障1.5万人7天基本生活``,
  ``5000人×15天``, ``满足5000名集中转移安置人口15天生活需要``).

Approximate markers (约, 余, 多, 以上, 左右, …) are kept in ``approx`` / ``approx_marker``.
Anything else — empty text, negative numbers, ranges, upper bounds (不足, 以下), person-days
without a split (人天), households instead of persons, months, a count and a capacity together,
or two statements — raises :class:`~logistics.exceptions.QuantityParseError` naming the text and
the 0-based character position of the problem.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from logistics.common.limits import MAX_TEXT_CHARS
from logistics.exceptions import QuantityParseError, tr
from logistics.stock.numerals import (
    ARABIC_DIGITS,
    BIG_UNITS,
    CHINESE_DIGITS,
    SMALL_UNITS,
    NumeralError,
    parse_chinese_number,
)

__all__ = [
    "COUNT_UNITS",
    "MEASURE_UNITS",
    "Capacity",
    "Count",
    "parse_quantity",
]

#: Units of physical measure: fractional values are allowed.
MEASURE_UNITS: tuple[str, ...] = (
    "立方米", "平方米", "公斤", "千克", "毫升", "kg", "ml", "m3", "m2", "吨", "斤", "克", "升",
    "t", "g", "L", "l",
)  # fmt: skip
#: Units of pieces (量词): values must be whole.
COUNT_UNITS: tuple[str, ...] = (
    "顶", "床", "件", "套", "张", "条", "个", "只", "台", "盏", "箱", "瓶", "桶", "袋", "包",
    "盒", "双", "把", "块", "副", "组", "辆", "艘", "部", "卷", "捆", "提", "份", "支", "根",
    "具", "领", "付", "筐", "听", "罐",
)  # fmt: skip
_UNITS_LONGEST_FIRST = sorted((*MEASURE_UNITS, *COUNT_UNITS), key=len, reverse=True)

_APPROX_PREFIX = ("大约", "约计", "将近", "超过", "多于", "约", "近", "逾", "约为")
_APPROX_SUFFIX_AFTER_NUMBER = ("余", "多", "来")
_APPROX_SUFFIX_AFTER_UNIT = ("以上", "左右", "上下", "有余", "许", "余", "多")
_LEAD_INS = frozenset(
    {
        "",
        "为",
        "计",
        "可",
        "能",
        "能够",
        "可以",
        "满足",
        "可满足",
        "能够满足",
        "保障",
        "可保障",
        "能保障",
        "供",
        "可供",
        "储备",
    }
)
_UPPER_BOUNDS = ("不超过", "不足", "不到", "少于", "以下", "以内", "至多", "最多")
_RANGE_SEPARATORS = ("-", "~", "〜", "—", "–", "至", "到")
_NEGATIVE = ("-", "负", "−", "－")

_PERSONS_RE = re.compile(
    r"(?:名|位|个)?\s*(?:紧急转移安置人口|集中转移安置人口|转移安置人口|受灾群众|受灾人员|受灾人口"
    r"|安置人口|群众|人口|人员|人)"
)
_DAYS_RE = re.compile(r"(?:个)?\s*(?:天|日|昼夜)")
_WEEKS_RE = re.compile(r"(?:个)?\s*(?:星期|周)")
_MONTHS_RE = re.compile(r"(?:个)?\s*月")
_HOUSEHOLDS_RE = re.compile(r"(?:个)?\s*(?:户|家庭)")
_POPULATION_WORDS = (
    "紧急转移安置人口",
    "集中转移安置人口",
    "需紧急生活救助",
    "紧急转移安置",
    "集中转移安置",
    "转移安置人口",
    "受灾群众",
    "受灾人员",
    "受灾人口",
)

_SPAN_START = set(ARABIC_DIGITS) | set(CHINESE_DIGITS) | {"十", "拾"}
_SPAN_CHARS = set(ARABIC_DIGITS) | set(CHINESE_DIGITS) | set(SMALL_UNITS) | set(BIG_UNITS)


@dataclass(frozen=True)
class Count:
    """A count of units, e.g. ``1,200顶``.

    Parameters
    ----------
    value
        The number (``int`` when whole, ``float`` otherwise).
    unit
        Unit as written (``顶``, ``件``, ``kg``…), or ``None`` when the text has no unit.
    approx
        Whether the text carried an approximate marker.
    approx_marker
        The marker itself (``约``, ``余``, ``以上``…), if any.
    label
        Text before the number, e.g. ``帐篷`` in ``帐篷 1,200顶``.
    text
        The original text.
    """

    value: int | float
    unit: str | None
    approx: bool = False
    approx_marker: str | None = None
    label: str | None = None
    text: str = ""
    kind: Literal["count"] = "count"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (the ``logistics quantity --json`` output)."""
        return {
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "approx": self.approx,
            "approx_marker": self.approx_marker,
            "label": self.label,
            "text": self.text,
        }


@dataclass(frozen=True)
class Capacity:
    """A capacity statement: enough for ``persons`` people for ``days`` days.

    Parameters
    ----------
    persons
        Number of persons (whole).
    days
        Number of days (may be fractional, e.g. 7.5).
    approx
        Whether the text carried an approximate marker.
    approx_marker
        The marker itself, if any.
    population
        The population named in the text (``集中转移安置人口``, ``受灾群众``…), if any.
    text
        The original text.
    """

    persons: int
    days: int | float
    approx: bool = False
    approx_marker: str | None = None
    population: str | None = None
    text: str = ""
    kind: Literal["capacity"] = "capacity"

    @property
    def person_days(self) -> int | float:
        """Persons × days."""
        return _num(Fraction(self.persons) * Fraction(self.days))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (the ``logistics quantity --json`` output)."""
        return {
            "kind": self.kind,
            "persons": self.persons,
            "days": self.days,
            "person_days": self.person_days,
            "approx": self.approx,
            "approx_marker": self.approx_marker,
            "population": self.population,
            "text": self.text,
        }


def _num(x: Fraction | int) -> int | float:
    x = Fraction(x)
    return int(x) if x.denominator == 1 else float(x)


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFKC-normalise ``text`` char by char (dropping whitespace), keeping a map to original positions."""
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        if ch in "×✕╳*＊":
            norm = "×"
        elif ch.isspace():
            norm = ""  # spacing never changes a quantity: "满足 5 千人 15 天" reads as "满足5千人15天"
        else:
            norm = unicodedata.normalize("NFKC", ch)
        for c in norm:
            out.append(c)
            pos.append(i)
    return "".join(out), pos


@dataclass
class _Span:
    start: int
    end: int
    value: int | Fraction
    role: str = ""  # persons | days | count
    unit: str | None = None
    scale: int = 1  # weeks -> 7 days
    after: int = 0  # index after unit/marker


def _find_spans(s: str, orig: str, pos: list[int]) -> list[_Span]:
    spans: list[_Span] = []
    i = 0
    n = len(s)
    while i < n:
        ch = s[i]
        if ch in _SPAN_START and not (ch in "两兩" and (i + 1 >= n or s[i + 1] not in _SPAN_CHARS)):
            j = i
            while j < n:
                c = s[j]
                if (
                    c in _SPAN_CHARS
                    or (
                        c in ",."
                        and j + 1 < n
                        and s[j + 1] in ARABIC_DIGITS
                        and j > i
                        and s[j - 1] in ARABIC_DIGITS
                    )
                    or (c == "点" and j + 1 < n and s[j + 1] in CHINESE_DIGITS and j > i)
                ):
                    j += 1
                else:
                    break
            token = s[i:j]
            try:
                value = parse_chinese_number(token)
            except NumeralError as exc:
                raise QuantityParseError(orig, pos[i + exc.position], exc.reason) from None
            spans.append(_Span(i, j, value))
            i = j
        else:
            i += 1
    return spans


def _err(orig: str, pos: list[int], k: int, reason: str) -> QuantityParseError:
    p = pos[k] if k < len(pos) else len(orig)
    return QuantityParseError(orig, p, reason)


def _classify(s: str, span: _Span, orig: str, pos: list[int]) -> str | None:
    """Classify a number by what follows; return an approx marker found after the number."""
    k = span.end
    marker = None
    for m in _APPROX_SUFFIX_AFTER_NUMBER:
        if s.startswith(m, k):
            marker = m
            k += len(m)
            break
    while k < len(s) and s[k] == " ":
        k += 1
    rest = s[k:]
    if rest.startswith(("人天", "人日", "人·天", "人次")):
        raise _err(
            orig,
            pos,
            k,
            tr(
                "person-days (人天) cannot be split into persons and days; write N人M天",
                "人天数无法拆分为人数和天数；请写成 N人M天",
            ),
        )
    if m := _HOUSEHOLDS_RE.match(rest):
        raise _err(
            orig,
            pos,
            k,
            tr(
                "a capacity in households (户) needs persons; write N人M天",
                "以户计的保障能力须换算为人数；请写成 N人M天",
            ),
        )
    if m := _PERSONS_RE.match(rest):
        span.role, span.after = "persons", k + m.end()
        return marker
    if m := _DAYS_RE.match(rest):
        span.role, span.after = "days", k + m.end()
        return marker
    if m := _WEEKS_RE.match(rest):
        span.role, span.after, span.scale = "days", k + m.end(), 7
        return marker
    if _MONTHS_RE.match(rest):
        raise _err(
            orig,
            pos,
            k,
            tr(
                "months are ambiguous (28–31 days); give the number of days",
                "“月”的天数不确定（28–31 天）；请给出天数",
            ),
        )
    for unit in _UNITS_LONGEST_FIRST:
        if rest.startswith(unit):
            span.role, span.unit, span.after = "count", unit, k + len(unit)
            return marker
    span.role, span.after = "count", k
    return marker


def parse_quantity(text: str) -> Count | Capacity:
    """Parse one quantity cell.

    Parameters
    ----------
    text
        The cell text, e.g. ``"2.6万件"``, ``"帐篷 1,200顶"`` or ``"满足5千人15天"``.

    Returns
    -------
    Count | Capacity
        A :class:`Count` for counts, a :class:`Capacity` for persons × days statements.

    Raises
    ------
    QuantityParseError
        If the text is empty, negative, a range or an upper bound, ambiguous, or holds more
        than one statement. The error names the text and the character position.

    Examples
    --------
    >>> parse_quantity("2.6万件")
    Count(value=26000, unit='件', approx=False, approx_marker=None, label=None, text='2.6万件', kind='count')
    >>> parse_quantity("满足5千人15天").person_days
    75000
    >>> parse_quantity("约1,200顶").approx
    True
    """
    if text is None or not str(text).strip():
        raise QuantityParseError("" if text is None else str(text), 0, tr("empty quantity", "数量为空"))
    orig = str(text)
    if len(orig) > MAX_TEXT_CHARS:
        raise QuantityParseError(
            orig[:20] + "…",
            MAX_TEXT_CHARS,
            tr(f"longer than {MAX_TEXT_CHARS} characters", f"超过 {MAX_TEXT_CHARS} 个字符"),
        )
    s, pos = _normalise(orig)
    s = _blank_comments(s)
    spans = _find_spans(s, orig, pos)
    if not spans:
        lead = len(s) - len(s.lstrip())
        raise _err(orig, pos, lead, tr("no number found", "未找到数字"))

    _reject_non_quantities(s, orig, pos, spans)
    markers: list[tuple[int, str]] = []
    for sp in spans:
        m = _classify(s, sp, orig, pos)
        if m:
            markers.append((sp.end, m))
    head, tail = _edge_markers(s, spans, markers)
    markers.sort()
    marker = markers[0][1] if markers else None

    roles = [sp.role for sp in spans]
    if "persons" in roles or "days" in roles:
        return _capacity(s, orig, pos, spans, marker)
    return _count(orig, pos, spans, head, tail, marker)


def _reject_non_quantities(s: str, orig: str, pos: list[int], spans: list[_Span]) -> None:
    """Raise for a range, a negative number or an upper bound."""
    # ranges ("1000-1200顶", "1000至1200顶") and negatives ("-5顶", "负五顶")
    for idx, sp in enumerate(spans):
        if idx:
            gap = s[spans[idx - 1].end : sp.start].strip()
            for unit in _UNITS_LONGEST_FIRST:
                if gap.startswith(unit):
                    gap = gap[len(unit) :].strip()
                    break
            gap = gap.lstrip("余多").strip()
            if gap in _RANGE_SEPARATORS:
                raise _err(
                    orig,
                    pos,
                    sp.start,
                    tr("a range is not a quantity; give one number", "范围不是数量；请给出一个数字"),
                )
        k = sp.start - 1
        while k >= 0 and s[k] == " ":
            k -= 1
        if k >= 0 and s[k] in _NEGATIVE:
            raise _err(orig, pos, k, tr("negative quantity", "数量为负数"))

    # upper bounds are not quantities
    for word in _UPPER_BOUNDS:
        at = s.find(word)
        if at >= 0:
            raise _err(
                orig, pos, at, tr(f"{word!r} states a bound, not a quantity", f"{word!r} 表示上限，不是数量")
            )


def _edge_markers(s: str, spans: list[_Span], markers: list[tuple[int, str]]) -> tuple[str, str]:
    """Add the approx markers before the first and after the last number; return (head, tail).

    ``head`` is the text before the first number (less a prefix marker), ``tail`` the text
    after the last number's unit (less a suffix marker).
    """
    first = spans[0]
    head = s[: first.start]
    for m in _APPROX_PREFIX:
        at = head.rfind(m)
        if at >= 0 and head[at + len(m) :].strip() in _LEAD_INS:
            markers.append((at, m))
            head = head[:at]
            break
    tail_start = spans[-1].after
    tail = s[tail_start:]
    for m in _APPROX_SUFFIX_AFTER_UNIT:
        if tail.lstrip().startswith(m):
            markers.append((tail_start + tail.index(m), m))
            tail = tail.lstrip()[len(m) :]
            break
    return head, tail


def _count(orig: str, pos: list[int], spans: list[_Span], head: str, tail: str, marker: str | None) -> Count:
    if len(spans) > 1:
        raise _err(
            orig, pos, spans[1].start, tr("more than one quantity in one cell", "一个单元格中有多个数量")
        )
    sp = spans[0]
    tail_clean = tail.strip(" ,;；。.")
    if tail_clean:
        if sp.unit is None:
            raise _err(
                orig,
                pos,
                sp.after,
                tr(f"unknown unit {tail_clean.split()[0]!r}", f"未知单位 {tail_clean.split()[0]!r}"),
            )
        raise _err(
            orig,
            pos,
            sp.after,
            tr(f"unexpected text {tail_clean!r} after the quantity", f"数量后有多余文字 {tail_clean!r}"),
        )
    value = Fraction(sp.value)
    if value.denominator != 1 and sp.unit not in MEASURE_UNITS:
        what = sp.unit or "pieces"
        raise _err(
            orig,
            pos,
            sp.start,
            tr(f"a count of {what} must be a whole number", f"以{sp.unit or '件'}计的数量必须为整数"),
        )
    label = head.strip(" :：,，") or None
    return Count(
        value=_num(value),
        unit=sp.unit,
        approx=marker is not None,
        approx_marker=marker,
        label=label,
        text=orig,
    )


_COMMENT_RE = re.compile(r"\([^()]*\)")


def _blank_comments(s: str) -> str:
    """Blank out parenthesised comments after the start, e.g. ``1200顶(12㎡单帐篷)``.

    Positions are kept (comments become spaces) so error offsets stay right.
    """
    head = len(s) - len(s.lstrip())
    return s[: head + 1] + _COMMENT_RE.sub(lambda m: " " * len(m.group()), s[head + 1 :])


def _capacity(s: str, orig: str, pos: list[int], spans: list[_Span], marker: str | None) -> Capacity:
    persons = [sp for sp in spans if sp.role == "persons"]
    days = [sp for sp in spans if sp.role == "days"]
    counts = [sp for sp in spans if sp.role == "count"]
    if len(persons) > 1 or len(days) > 1:
        extra = (persons[1:] or days[1:])[0]
        raise _err(
            orig,
            pos,
            extra.start,
            tr("more than one capacity statement in one cell", "一个单元格中有多条保障能力表述"),
        )
    if counts:
        sp = counts[0]
        raise _err(
            orig,
            pos,
            sp.start,
            tr("a count and a capacity statement in one cell", "一个单元格中同时有数量和保障能力表述"),
        )
    if not persons:
        raise _err(
            orig,
            pos,
            days[0].start,
            tr("capacity statement without a number of persons", "保障能力表述缺少人数"),
        )
    if not days:
        raise _err(
            orig,
            pos,
            persons[0].start,
            tr("capacity statement without a number of days", "保障能力表述缺少天数"),
        )
    p, d = persons[0], days[0]
    if Fraction(p.value).denominator != 1:
        raise _err(orig, pos, p.start, tr("number of persons must be whole", "人数必须为整数"))
    if p.value <= 0:
        raise _err(orig, pos, p.start, tr("number of persons must be positive", "人数必须为正数"))
    if d.value <= 0:
        raise _err(orig, pos, d.start, tr("number of days must be positive", "天数必须为正数"))
    population = next((w for w in _POPULATION_WORDS if w in s), None)
    return Capacity(
        persons=int(p.value),
        days=_num(Fraction(d.value) * d.scale),
        approx=marker is not None,
        approx_marker=marker,
        population=population,
        text=orig,
    )
