"""Plain-text tables for the console, aligned for Chinese (full-width) characters."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["display_width", "format_table"]


def display_width(text: str) -> int:
    """Width of ``text`` in terminal columns (wide East Asian characters count 2).

    Parameters
    ----------
    text
        Any string.
    """
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, align: str) -> str:
    gap = width - display_width(text)
    return " " * gap + text if align == "r" else text + " " * gap


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]], aligns: str | None = None) -> str:
    """Format rows as an aligned text table.

    Parameters
    ----------
    headers
        Column titles.
    rows
        Cell values (converted with ``str``).
    aligns
        One character per column, ``l`` or ``r``; numbers right-aligned by default.
    """
    cells = [[str(c) for c in r] for r in rows]
    if aligns is None:
        aligns = "".join(
            "r" if rows and all(isinstance(r[i], int | float) for r in rows if r[i] != "") else "l"
            for i in range(len(headers))
        )
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w, a) for h, w, a in zip(headers, widths, aligns, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for r in cells:
        lines.append("  ".join(_pad(c, w, a) for c, w, a in zip(r, widths, aligns, strict=True)))
    return "\n".join(line.rstrip() for line in lines)
