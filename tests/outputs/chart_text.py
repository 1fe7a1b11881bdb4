"""The text a matplotlib chart draws, and whether the shipped Chinese font has a glyph for all of it."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from logistics.outputs import cjk_font_path

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def drawn_texts(fig: Figure) -> list[tuple[str, Path]]:
    """Return ``(text, font file)`` of every visible, non-empty text artist of a drawn figure."""
    from matplotlib.font_manager import findfont  # heavy: matplotlib, only in chart tests
    from matplotlib.text import Text  # heavy: matplotlib, only in chart tests

    return [
        (t.get_text(), Path(findfont(t.get_fontproperties(), fallback_to_default=False)).resolve())
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # heavy: fontTools, only in chart tests

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def check_shipped_font(texts: list[tuple[str, Path]]) -> None:
    """Assert that every text is set in the shipped Noto Sans SC file and that it covers every character."""
    shipped = cjk_font_path()
    assert shipped is not None, "pylopdf-fonts-zh-cn is not installed"
    shipped = shipped.resolve()
    other = sorted({(s, str(f)) for s, f in texts if f != shipped})
    assert not other, f"texts not set in {shipped.name}: {other}"
    cmap = _cmap(shipped)
    missing = sorted({ch for s, _ in texts for ch in s if ch != "\n" and ord(ch) not in cmap})
    assert not missing, f"characters without a glyph in {shipped.name}: {missing}"
