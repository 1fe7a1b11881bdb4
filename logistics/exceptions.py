"""Exceptions and warnings raised by ``logistics``.

Every error caused by bad input subclasses :class:`InputError` (itself a
``ValueError``); the command line turns those into exit code 2 with a one-line
(or one-line-per-problem) message. Shortages and infeasibility are never
exceptions: they are part of the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]


class Text(str):
    """A message in English (its ``str`` value) that also carries its Chinese form.

    Error and warning texts are written once with both forms, :func:`tr`; the command line
    shows the Chinese one by default (:func:`say`), library code and logs see plain English.

    Parameters
    ----------
    en
        English text.
    zh
        Simplified-Chinese text.
    """

    zh: str

    def __new__(cls, en: str, zh: str) -> Text:  # noqa: PYI034 - a Text, whatever the subclass
        """Return the English text ``en`` carrying ``zh``."""
        obj = super().__new__(cls, en)
        obj.zh = zh
        return obj

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        """Return the arguments that rebuild this text (pickling, copies)."""
        return (str(self), self.zh)


def tr(en: str, zh: str) -> Text:
    """Return a bilingual message (:class:`Text`).

    Parameters
    ----------
    en
        English text.
    zh
        Simplified-Chinese text with the same facts.
    """
    return Text(en, zh)


def say(text: object, lang: Lang = "zh") -> str:
    """Text of a message, an error or a warning in ``lang``.

    Chinese is used when the message has it (:class:`Text`, :class:`InputError`, a warning
    raised with a :class:`Text`); anything else is shown as it is.

    Parameters
    ----------
    text
        A string, :class:`Text`, exception or warning.
    lang
        ``"zh"`` or ``"en"``.
    """
    if isinstance(text, InputError):
        return text.render(lang)
    if isinstance(text, BaseException) and len(text.args) == 1 and isinstance(text.args[0], Text):
        text = text.args[0]
    if lang == "zh" and isinstance(text, Text):
        return text.zh
    return str(text)


@dataclass(frozen=True)
class Problem:
    """One problem found while reading an input file.

    Parameters
    ----------
    message
        What is wrong, in plain words.
    file
        Path of the file, if any.
    sheet
        Worksheet (XLSX) or layer (GeoPackage) name, if any.
    row
        Row number as a person sees it in the file (spreadsheet row, CSV line
        number counting the header as line 1), or feature index, if any.
    column
        Column or field name, if any.
    value
        The offending value as text, if any.
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def location(self) -> str:
        """Return ``file[sheet]:row:column`` with the parts that are known."""
        parts = []
        if self.file is not None:
            parts.append(str(self.file) + (f"[{self.sheet}]" if self.sheet else ""))
        elif self.sheet:
            parts.append(f"[{self.sheet}]")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: Lang = "en") -> str:
        """Return the problem as one line in ``lang`` (location, message, offending value).

        Parameters
        ----------
        lang
            ``"zh"`` or ``"en"``; the Chinese form names the location as a Chinese reader
            writes it (文件, 工作表, 第 N 行, 列).
        """
        if lang == "en":
            loc = self.location()
            val = f" (value {self.value!r})" if self.value is not None else ""
            return f"{loc}: {self.message}{val}" if loc else f"{self.message}{val}"
        parts = []
        if self.file is not None:
            parts.append(f"文件 {self.file}" + (f"，工作表/图层 {self.sheet}" if self.sheet else ""))
        elif self.sheet:
            parts.append(f"工作表/图层 {self.sheet}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column is not None:
            parts.append(f"列 {self.column!r}")
        msg = say(self.message, "zh")
        val = f"（值 {self.value!r}）" if self.value is not None else ""
        return f"{'，'.join(parts)}：{msg}{val}" if parts else f"{msg}{val}"


class LogisticsError(Exception):
    """Base class of all errors raised by ``logistics``."""


class InputError(LogisticsError, ValueError):
    """Bad input: a file, field or argument that cannot be used.

    Parameters
    ----------
    problems
        Every problem found, or a single message.
    """

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):  # a Text keeps its Chinese form
            problems = [Problem(problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__(self._format())

    def _format(self) -> str:
        return self.render("en")

    def render(self, lang: Lang = "en") -> str:
        """Every problem, one per line, in ``lang`` (``"zh"`` or ``"en"``).

        Parameters
        ----------
        lang
            Language of the framing and of the messages that carry a Chinese form.
        """
        if len(self.problems) == 1:
            return self.problems[0].render(lang)
        head = f"共 {len(self.problems)} 个问题：" if lang == "zh" else f"{len(self.problems)} problems:"
        return "\n".join([head] + [f"  - {p.render(lang)}" for p in self.problems])


class QuantityParseError(InputError):
    """A quantity text (count or capacity statement) that cannot be read.

    Parameters
    ----------
    text
        The whole text that was parsed.
    position
        0-based character offset in ``text`` where the problem is.
    reason
        Why the text is rejected.
    """

    def __init__(self, text: str, position: int, reason: str) -> None:
        self.text = text
        self.position = position
        self.reason = reason
        super().__init__([
            Problem(tr(f"cannot read quantity {text!r} at position {position}: {reason}",
                       f"无法读取数量 {text!r}（第 {position + 1} 个字符处）：{say(reason)}"))
        ])  # fmt: skip


class OutputPathError(InputError):
    """An output location that cannot be written.

    A directory where a file is expected, a file where a folder is expected, a folder that
    cannot be created, or a folder holding files that are not a previous run's.
    """


class CatalogueError(InputError):
    """A relief-item catalogue or a norm override that is invalid."""


class InventoryError(InputError):
    """A depot or inventory file that is invalid (lists every problem)."""


class RegionError(InputError):
    """A region description file that is invalid."""


class LogisticsWarning(UserWarning):
    """Base class of warnings: the computation works but something is suspicious."""


class RulesError(InputError):
    """A response-level rules file that is invalid (every problem with its field path)."""


class ScenarioError(InputError):
    """A scenario file or object that is invalid (every problem with file and field)."""


class RoadNetworkError(InputError):
    """A road file or graph that cannot be used (empty, not drivable, no CRS, bad fields)."""


class SnapError(InputError):
    """Points too far from the road network to be snapped (lists every such point)."""


class DisruptionError(InputError):
    """A disruption (closure or slowdown) that is invalid, matches nothing or closes everything."""


class RoadFetchError(LogisticsError):
    """A road network could not be downloaded (no internet access or the place is unknown)."""


class InputNote(LogisticsWarning):
    """How an input was read where it needed a guess or left rows out; the work goes on.

    An assumed text encoding (a CSV that is not UTF-8, a shapefile without ``.cpg``) or
    合计/小计 rows skipped in a 台账. The command line prints these as ``警告：…``.
    """


class SnapWarning(LogisticsWarning):
    """Points snapped to the road network from further than the warning distance."""


class UnreachableWarning(LogisticsWarning):
    """Some origin-destination pairs cannot be connected on the (disrupted) road network."""


class RoutingInputError(InputError):
    """Routing input that cannot be used: shipments, matrices, ids, times (lists every problem)."""


class FleetError(RoutingInputError):
    """Bad fleet data: zero or negative capacity, a negative vehicle count, a bad speed factor."""


class RoutingScaleWarning(LogisticsWarning):
    """Routing loads, times or distances so large after integer scaling that precision suffers."""


class AllocationInputError(InputError):
    """An allocation problem (matrices, ids, fleet, deadlines) that is invalid.

    Each :class:`Problem` names the field (``column``) and the offending value.
    """


class AllocationSolverError(LogisticsError):
    """The allocation solver did not reach an optimum (a failure, not a shortage).

    Parameters
    ----------
    stage
        Objective stage being solved (``"delivered"``, ``"equity"``, ``"cost"``).
    status
        Solver status name, e.g. ``"ABNORMAL"``.
    """

    def __init__(self, stage: str, status: str) -> None:
        self.stage = stage
        self.status = status
        super().__init__(f"allocation solver failed in stage {stage!r}: status {status}")


class ReportConfigError(InputError):
    """A nightly-report configuration (TOML file, environment, options) that cannot be used."""


class HistoryError(LogisticsError):
    """The report history database cannot be used (newer schema, corrupt file)."""


class ReportLockedError(LogisticsError):
    """Another nightly-report run holds the lock file.

    Parameters
    ----------
    lock_path
        The lock file.
    holder
        What the lock file says about its holder (pid and start time), if readable.
    """

    def __init__(self, lock_path: str, holder: str = "") -> None:
        self.lock_path = lock_path
        self.holder = holder
        extra = f" (held by {holder})" if holder else ""
        super().__init__(f"another nightly report run holds the lock {lock_path}{extra}")
