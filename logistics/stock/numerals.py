"""Read and write numbers in Arabic, full-width and Chinese numerals (一万零五百, 1.5万, 1,200).

Rules (documented in ``docs/quantities.md``):

* Digits: ``0-9`` (full-width digits are normalised first), ``〇零一二两三四五六七八九`` and the
  financial forms ``壹贰叁肆伍陆柒捌玖``; ``两`` counts as 2.
* Units: ``十拾`` 10, ``百佰`` 100, ``千仟`` 1 000, ``万萬`` 10⁴, ``亿億`` 10⁸. Inside a ``万`` or
  ``亿`` section the small units must descend (千 before 百 before 十).
* Decimals: ``1.5万``, ``一点五万``. Thousands separators: ``1,200`` and ``12,000,000`` only in
  groups of three.
* ``零``/``〇`` marks a skipped place (``一万零五百`` = 10 500, ``一千零五`` = 1 005).
* A trailing single digit after a unit, with no ``零`` before it, is read as the next lower place,
  as people say it: ``一万五`` = 15 000, ``三千五`` = 3 500, ``1万2`` = 12 000.
* A run of digits without units is positional: ``一二〇〇`` = 1 200.
* Two bare numbers in a row (``一二百``: "one or two hundred") are ambiguous and rejected.

All arithmetic is exact (:class:`fractions.Fraction`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from logistics.common.limits import MAX_DIGITS
from logistics.exceptions import tr

__all__ = [
    "ARABIC_DIGITS",
    "BIG_UNITS",
    "CHINESE_DIGITS",
    "NUMERAL_CHARS",
    "SMALL_UNITS",
    "NumeralError",
    "format_chinese_number",
    "parse_chinese_number",
]

CHINESE_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
ARABIC_DIGITS = "0123456789"
_ZEROS = frozenset("〇零○")
#: Every character that can be part of a number.
NUMERAL_CHARS = frozenset(ARABIC_DIGITS) | set(CHINESE_DIGITS) | set(SMALL_UNITS) | set(BIG_UNITS)


class NumeralError(ValueError):
    """A numeral string that cannot be read; ``position`` is the offset of the problem."""

    def __init__(self, reason: str, position: int) -> None:
        self.reason = reason
        self.position = position
        super().__init__(f"{reason} (at offset {position})")


def _read_arabic(s: str, i: int) -> tuple[Fraction, int]:
    """Read an Arabic number with optional separators and decimals starting at ``i``."""
    j = i
    while j < len(s) and (s[j] in ARABIC_DIGITS or s[j] in ",."):
        j += 1
    token = s[i:j]
    if token.endswith((",", ".")):
        # trailing punctuation belongs to the sentence, not the number
        j -= 1
        token = token[:-1]
    if token.count(".") > 1:
        raise NumeralError(
            tr(f"more than one decimal point in {token!r}", f"{token!r} 中有多个小数点"),
            i + token.index(".", token.index(".") + 1),
        )
    int_part, _, frac_part = token.partition(".")
    if "," in frac_part:
        raise NumeralError(
            tr(
                f"thousands separator after the decimal point in {token!r}",
                f"{token!r} 中千位分隔符出现在小数点之后",
            ),
            i,
        )
    if "," in int_part:
        groups = int_part.split(",")
        bad = not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:])
        if bad or groups[0].startswith("0"):
            raise NumeralError(
                tr(f"misplaced thousands separator in {token!r}", f"{token!r} 中千位分隔符位置错误"),
                i + int_part.index(","),
            )
        int_part = "".join(groups)
    if not int_part:
        raise NumeralError(
            tr(
                f"number {token!r} has no digits before the decimal point",
                f"数字 {token!r} 的小数点前没有数字",
            ),
            i,
        )
    if len(int_part) + len(frac_part) > MAX_DIGITS:
        raise NumeralError(tr(f"number with more than {MAX_DIGITS} digits", f"数字超过 {MAX_DIGITS} 位"), i)
    value = Fraction(int(int_part))
    if frac_part:
        value += Fraction(int(frac_part), 10 ** len(frac_part))
    return value, j


def parse_chinese_number(text: str) -> int | Fraction:
    """Parse a number written in Arabic and/or Chinese numerals.

    Parameters
    ----------
    text
        The numeral string alone (no units of measure), already free of spaces,
        e.g. ``"1.5万"``, ``"三千五百"``, ``"一万零五百"``, ``"1,200"``.

    Returns
    -------
    int | Fraction
        An ``int`` when the value is whole, otherwise an exact ``Fraction``.

    Raises
    ------
    NumeralError
        If the text is empty, malformed or ambiguous; ``position`` says where.

    Examples
    --------
    >>> parse_chinese_number("1.5万")
    15000
    >>> parse_chinese_number("一万零五百")
    10500
    >>> parse_chinese_number("三千五")
    3500
    >>> parse_chinese_number("1,200")
    1200
    """
    s = text
    if not s:
        raise NumeralError(tr("empty number", "数字为空"), 0)
    bad = [k for k, ch in enumerate(s) if ch not in NUMERAL_CHARS and ch not in ",.点"]
    if bad:
        raise NumeralError(
            tr(f"unexpected character {s[bad[0]]!r} in number", f"数字中有不应出现的字符 {s[bad[0]]!r}"),
            bad[0],
        )

    # Positional digit strings: 一二〇〇, 二〇二六
    if len(s) > 1 and all(ch in CHINESE_DIGITS for ch in s):
        if any(ch in "两兩" for ch in s):
            raise NumeralError(
                tr(
                    f"{s!r} is not a number (两 cannot be used positionally)",
                    f"{s!r} 不是数字（“两”不能用于逐位书写）",
                ),
                0,
            )
        return int("".join(str(CHINESE_DIGITS[ch]) for ch in s))

    reader = _Reader(s)
    i = 0
    while i < len(s):
        ch = s[i]
        if ch in ARABIC_DIGITS:
            i = reader.arabic(i)
        elif ch in CHINESE_DIGITS:
            i = reader.chinese_digit(i)
        elif ch in ",.点":
            raise NumeralError(tr(f"unexpected {ch!r} in number", f"数字中不应出现 {ch!r}"), i)
        elif ch in SMALL_UNITS:
            i = reader.small_unit(i)
        else:
            i = reader.big_unit(i)
    result = reader.result()
    if result.denominator == 1:
        return int(result)
    return result


@dataclass
class _Reader:
    """The state of :func:`parse_chinese_number` reading ``s`` left to right, one token a step.

    Each step method reads the token at ``i`` and returns the index after it.
    """

    s: str
    total: Fraction = Fraction(0)  # completed 亿 groups
    wan: Fraction = Fraction(0)  # completed 万 part inside the current 亿 group
    section: Fraction = Fraction(0)  # part below 万
    current: Fraction | None = None  # a number waiting for its unit
    current_pos: int = 0
    current_is_single_digit: bool = False
    last_small: int | None = None  # last small unit in the current section
    last_unit: int | None = None  # last unit of any size, for elision
    zero_since_unit: bool = False
    seen_wan: bool = False
    seen_yi: bool = False

    def arabic(self, i: int) -> int:
        """Read an Arabic number (1,200 or 1.5)."""
        s = self.s
        if self.current is not None:
            raise NumeralError(tr("two numbers in a row", "两个数字连写"), i)
        self.current, i_next = _read_arabic(s, i)
        if i_next < len(s) and s[i_next] in ",.":
            raise NumeralError(
                tr(f"unexpected {s[i_next]!r} in number", f"数字中不应出现 {s[i_next]!r}"), i_next
            )
        self.current_pos = i
        self.current_is_single_digit = i_next - i == 1
        return i_next

    def chinese_digit(self, i: int) -> int:
        """Read a Chinese digit, a 零 marking a skipped place, or a decimal such as 一点五."""
        s = self.s
        ch = s[i]
        if ch in _ZEROS:
            if self.current is not None:
                raise NumeralError(tr("零 after a digit", "数字后不应紧跟“零”"), i)
            self.zero_since_unit = True
            return i + 1
        if self.current is not None:
            raise NumeralError(
                tr(
                    f"two numbers in a row ({s[self.current_pos]!r} then {ch!r}): ambiguous, e.g. 一二百",
                    f"两个数字连写（{s[self.current_pos]!r} 后接 {ch!r}）：有歧义，如 一二百",
                ),
                i,
            )
        self.current = Fraction(CHINESE_DIGITS[ch])
        self.current_pos = i
        self.current_is_single_digit = True
        i += 1
        if i < len(s) and s[i] == "点":  # Chinese decimal point: 一点五
            j = i + 1
            digits = ""
            while j < len(s) and s[j] in CHINESE_DIGITS and s[j] not in "两兩":
                digits += str(CHINESE_DIGITS[s[j]])
                j += 1
            if not digits:
                raise NumeralError(tr("点 without digits after it", "“点”后面没有数字"), i)
            self.current += Fraction(int(digits), 10 ** len(digits))
            self.current_is_single_digit = False
            i = j
        return i

    def small_unit(self, i: int) -> int:
        """Read 十, 百 or 千, which multiplies the number before it within the section."""
        ch = self.s[i]
        unit = SMALL_UNITS[ch]
        if self.current is None:
            if unit == 10 and self.section == 0 and not self.zero_since_unit:
                self.current = Fraction(1)  # 十五 = 15
            elif unit == 10 and self.zero_since_unit:
                self.current = Fraction(1)  # 一百零十 is odd but 一千零十 = 1010
            else:
                raise NumeralError(tr(f"{ch!r} without a number before it", f"{ch!r} 前面没有数字"), i)
        if self.last_small is not None and unit >= self.last_small:
            raise NumeralError(tr(f"unit {ch!r} out of order", f"数位 {ch!r} 顺序错误"), i)
        self.section += self.current * unit
        self.last_small = unit
        self.last_unit = unit
        self.current = None
        self.zero_since_unit = False
        return i + 1

    def big_unit(self, i: int) -> int:
        """Read 万 or 亿, which closes the section (and for 亿 the 万 part) before it."""
        ch = self.s[i]
        unit = BIG_UNITS[ch]
        cur = self.current if self.current is not None else 0
        if unit == 10**4:
            value = self.section + cur
            if value == 0:
                raise NumeralError(tr(f"{ch!r} without a number before it", f"{ch!r} 前面没有数字"), i)
            if self.seen_wan:
                raise NumeralError(tr("万 twice in one number", "一个数字中出现两次“万”"), i)
            self.wan = value * unit
            self.seen_wan = True
        else:
            value = self.wan + self.section + cur  # 一百二十五万亿 = 1.25e14
            if value == 0:
                raise NumeralError(tr(f"{ch!r} without a number before it", f"{ch!r} 前面没有数字"), i)
            if self.seen_yi:
                raise NumeralError(tr("亿 twice in one number", "一个数字中出现两次“亿”"), i)
            self.total = value * unit
            self.wan = Fraction(0)
            self.seen_yi = True
            self.seen_wan = False
        self.section = Fraction(0)
        self.current = None
        self.last_small = None
        self.last_unit = unit
        self.zero_since_unit = False
        return i + 1

    def result(self) -> Fraction:
        """Add the number left without a unit (一万五: an elided unit) and return the value."""
        current = self.current
        last_unit = self.last_unit
        if current is not None:
            if (
                last_unit is not None
                and last_unit > 10
                and self.current_is_single_digit
                and not self.zero_since_unit
                and current != 0
            ):
                current = current * last_unit / 10  # 一万五 = 15 000 (elided unit)
            elif last_unit is not None and last_unit >= 10 and not self.zero_since_unit and last_unit != 10:
                raise NumeralError(
                    tr(
                        "number after a unit is ambiguous: write the unit or 零",
                        "数位后的数字有歧义：请写明数位或“零”",
                    ),
                    self.current_pos,
                )
            self.section += current
        return self.total + self.wan + self.section


_DIGIT_CHARS = "零一二三四五六七八九"


def _format_section(n: int) -> str:
    """Format 0 < n < 10000 with 千百十."""
    out = []
    zero_pending = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGIT_CHARS[d] + name)
    return "".join(out)


def format_chinese_number(n: int) -> str:
    """Write a non-negative integer in Chinese numerals (一万零五百).

    Parameters
    ----------
    n
        A whole number, ``0 <= n < 10**16``.

    Returns
    -------
    str
        The number in the standard written form; ``十`` is used for 10–19
        (``十五``), ``一十`` inside larger numbers (``一百一十``).

    Raises
    ------
    ValueError
        If ``n`` is negative or too large.

    Examples
    --------
    >>> format_chinese_number(10500)
    '一万零五百'
    >>> format_chinese_number(15)
    '十五'
    """
    if not (0 <= n < 10**16):
        raise ValueError(f"Expected 0 <= n < 10**16, got {n}.")
    if n == 0:
        return "零"
    groups = []  # (value, unit name) from high to low
    yi, rest = divmod(n, 10**8)
    wan, low = divmod(rest, 10**4)
    for value, name in ((yi, "亿"), (wan, "万"), (low, "")):
        groups.append((value, name))
    out: list[str] = []
    need_zero = False
    for value, name in groups:
        if value == 0:
            if out:
                need_zero = True
            continue
        if out and (need_zero or value < 1000):
            out.append("零")
        need_zero = False
        part = _format_section(value) if value < 10**4 else format_chinese_number(value)
        out.append(part + name)
    text = "".join(out)
    if text.startswith("一十"):
        text = text[1:]
    return text
