"""Argument types shared by the bench scripts: a bad value is one argparse error (exit 2), not a traceback."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_SIZE = re.compile(r"([1-9]\d*)x([1-9]\d*)x([1-9]\d*)")


def size(text: str) -> tuple[int, int, int]:
    """``DEPOTSxPOINTSxITEMS`` (whole numbers ≥ 1), e.g. ``20x250x30``."""
    m = _SIZE.fullmatch(text.strip())
    if m is None:
        raise argparse.ArgumentTypeError(
            f"expected DEPOTSxPOINTSxITEMS with whole numbers >= 1, e.g. 20x250x30; got {text!r}"
        )
    return int(m[1]), int(m[2]), int(m[3])


def sizes(text: str) -> list[tuple[int, int, int]]:
    """Comma-separated :func:`size` values (an empty text: none)."""
    return [size(s) for s in text.split(",") if s.strip()]


def positive_float(text: str) -> float:
    """A number > 0 (seconds, factors, tolerances)."""
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number > 0; got {text!r}") from None
    if not x > 0 or x == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number > 0; got {text!r}")
    return x


def positive_int(text: str) -> int:
    """A whole number ≥ 1 (processes, counts)."""
    try:
        x = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1; got {text!r}") from None
    if x < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1; got {text!r}")
    return x


def share(text: str) -> float:
    """A share in (0, 1]."""
    x = positive_float(text)
    if x > 1:
        raise argparse.ArgumentTypeError(f"expected a share in (0, 1]; got {text!r}")
    return x


def size_text(text: str) -> str:
    """One :func:`size`, given back as ``DxJxK`` text (for functions that take the spec)."""
    return "x".join(str(n) for n in size(text))


def size_texts(text: str) -> list[str]:
    """Comma-separated :func:`size_text` values."""
    return [size_text(s) for s in text.split(",") if s.strip()]


def kind_sizes(kinds: tuple[str, ...]) -> Callable[[str], list[str]]:
    """Comma-separated ``KIND:DxJxK`` with ``KIND`` one of ``kinds``, given back as text."""

    def parse(text: str) -> list[str]:
        out = []
        for spec in (s.strip() for s in text.split(",") if s.strip()):
            kind, _, dims = spec.partition(":")
            if kind not in kinds:
                want = ", ".join(f"{k}:DxJxK" for k in kinds)
                raise argparse.ArgumentTypeError(f"expected {want}; got {spec!r}")
            out.append(f"{kind}:{size_text(dims)}")
        return out

    return parse
