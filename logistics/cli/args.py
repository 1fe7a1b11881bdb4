"""Sub-command modules of the ``logistics`` command line (argument parsing only)."""

from __future__ import annotations

import argparse
import datetime as dt
import math

from logistics.cli.lang import t
from logistics.common.limits import MAX_HOURS, MAX_PERSONS
from logistics.region import parse_level


def parse_date(text: str) -> dt.date:
    """Argparse type for ``YYYY-MM-DD`` dates.

    Parameters
    ----------
    text
        The argument.
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            t(f"not a date (YYYY-MM-DD): {text!r}", f"不是日期（应为 YYYY-MM-DD）：{text!r}")
        ) from None


_WHAT_ZH = {"hours": "小时数", "a factor": "系数", "metres": "米数", "persons": "人数", "seconds": "秒数"}


def _number(text: str, lo: float, hi: float, *, lo_open: bool, what: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            t(f"not a number: {text[:40]!r}", f"不是数字：{text[:40]!r}")
        ) from None
    if not (math.isfinite(x) and (x > lo if lo_open else x >= lo) and x <= hi):
        bound = f"{'>' if lo_open else '>='} {lo:g} and <= {hi:g}"
        zh = f"应为{_WHAT_ZH.get(what, what)}，{'大于' if lo_open else '不小于'} {lo:g} 且不大于 {hi:g}"
        raise argparse.ArgumentTypeError(
            t(f"expected {what} {bound}, got {text[:40]!r}", f"{zh}，实际为 {text[:40]!r}")
        )
    return x


def hours(text: str) -> float:
    """Argparse type: hours after onset, finite, 0 … :data:`~logistics.common.limits.MAX_HOURS`."""
    return _number(text, 0.0, MAX_HOURS, lo_open=False, what="hours")


def positive_hours(text: str) -> float:
    """Argparse type: a deadline in hours, > 0 and <= :data:`~logistics.common.limits.MAX_HOURS`."""
    return _number(text, 0.0, MAX_HOURS, lo_open=True, what="hours")


def seconds(text: str) -> float:
    """Argparse type: a time limit in seconds, > 0 and at most a week."""
    return _number(text, 0.0, 7 * 24 * 3600.0, lo_open=True, what="seconds")


def speed_factor(text: str) -> float:
    """Argparse type: a truck speed factor in (0, 2]."""
    return _number(text, 0.0, 2.0, lo_open=True, what="a factor")


def metres(text: str) -> float:
    """Argparse type: a distance in metres, 0 … 1,000 km."""
    return _number(text, 0.0, 1e6, lo_open=False, what="metres")


def persons(text: str) -> int:
    """Argparse type: a whole number of persons, 1 … :data:`~logistics.common.limits.MAX_PERSONS`."""
    x = _number(text, 1.0, MAX_PERSONS, lo_open=False, what="persons")
    if not x.is_integer():
        raise argparse.ArgumentTypeError(
            t(f"expected a whole number of persons, got {text[:40]!r}", f"人数应为整数，实际为 {text[:40]!r}")
        )
    return int(x)


def level(text: str) -> str:
    """Argparse type: a response level in any accepted spelling (:func:`~logistics.region.parse_level`)."""
    out = parse_level(text)
    if out is None:
        raise argparse.ArgumentTypeError(
            t(
                f"not a response level (Ⅰ–Ⅳ, I–IV, 1–4, 一级–四级): {text[:20]!r}",
                f"不是响应级别（应为 Ⅰ–Ⅳ、I–IV、1–4 或 一级–四级）：{text[:20]!r}",
            )
        )
    return out


def positive_int(text: str) -> int:
    """Argparse type: a whole number ≥ 1 (``--jobs``, ``--workers``, ``--variants``, ``--top``)."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(
            t(f"expected a whole number >= 1, got {text!r}", f"应为不小于 1 的整数，实际为 {text!r}")
        )
    return n
