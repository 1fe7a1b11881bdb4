"""The font of the charts: Noto Sans SC, shipped by the ``pylopdf-fonts-zh-cn`` dependency."""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources
from pathlib import Path

logger = logging.getLogger(__name__)

#: Python package (a dependency) that holds the font file.
FONT_PACKAGE = "pylopdf_fonts_zh_cn"
#: The font file inside :data:`FONT_PACKAGE`: Noto Sans SC Regular (SIL Open Font License 1.1).
FONT_FILE = "NotoSansSC-Regular.otf"


def cjk_font_path() -> Path | None:
    """Return the path of the shipped Noto Sans SC file, or ``None`` when it is not installed.

    The file is found with :mod:`importlib.resources` in the ``pylopdf_fonts_zh_cn`` package
    (``pip install pylopdf-fonts-zh-cn``, a dependency of ``logistics``); that package's own
    code (two path helpers) is not used.

    Returns
    -------
    pathlib.Path or None
        The ``.otf`` file, or ``None`` if the package or the file is missing.
    """
    try:
        path = Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_FILE)))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def find_cjk_font() -> str | None:
    """Register the shipped Chinese font with matplotlib and return its family name.

    Always the font of the ``pylopdf-fonts-zh-cn`` dependency (Noto Sans SC), never a system
    font, so that the charts look the same on every machine. The font is added to matplotlib's
    font manager once per process; use the returned name in ``rcParams["font.family"]``.

    Returns
    -------
    str or None
        ``"Noto Sans SC"``, or ``None`` (with a warning in the log) when the font file is missing,
        for instance in an environment installed without the package's dependencies.

    Examples
    --------
    >>> find_cjk_font()
    'Noto Sans SC'
    """
    path = cjk_font_path()
    if path is None:
        logger.warning(
            "font file %s of the package %s not found: charts fall back to English labels "
            "(pip install pylopdf-fonts-zh-cn)",
            FONT_FILE,
            FONT_PACKAGE,
        )
        return None
    return _register(str(path))


@cache
def _register(path: str) -> str:
    """Add the font file ``path`` to matplotlib's font manager (once) and return its family."""
    from matplotlib import font_manager  # heavy: loaded only on this path

    font_manager.fontManager.addfont(path)
    return str(font_manager.get_font(path).family_name)
