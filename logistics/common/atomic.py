"""Write output files atomically: to a temporary file, then rename."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from logistics.exceptions import OutputPathError, Problem, tr

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it over ``path`` on success.

    On any exception the temporary file is removed and ``path`` is left untouched,
    so no half-written output is ever visible.

    Parameters
    ----------
    path
        Final destination.
    """
    dest = Path(path)
    _check_destination(dest)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp" + dest.suffix, dir=dest.parent)
    os.close(fd)
    os.unlink(tmp)  # writers that refuse to overwrite (e.g. GDAL) need a fresh name
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, dest)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _check_destination(dest: Path) -> None:
    """Refuse a destination that is a directory, or whose folder cannot be created (located error)."""
    if dest.is_dir():
        raise OutputPathError(
            [Problem(tr("is a directory, expected a file name", "是文件夹，应为文件名"), file=str(dest))]
        )
    _make_parent(dest)
    if not dest.parent.is_dir():
        raise OutputPathError(
            [Problem(tr("its folder is not a directory", "其所在位置不是文件夹"), file=str(dest))]
        )


def _make_parent(dest: Path) -> None:
    """Create the folder ``dest`` goes in, or raise a located error naming ``dest``."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputPathError(
            [
                Problem(
                    tr(f"cannot create the folder: {exc.strerror}", f"无法创建文件夹：{exc.strerror}"),
                    file=str(dest),
                )
            ]
        ) from None


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically.

    Parameters
    ----------
    path
        Destination.
    text
        Content.
    """
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


#: File that marks a folder as a complete output set of this project (written last).
OUTPUT_MARKER = ".logistics-output"


def check_output_dir(path: str | os.PathLike[str], *, ours: Callable[[Path], bool] | None = None) -> Path:
    """Return ``path`` if an output set may be written there, else raise a located error.

    Allowed: a new folder (its parent can be created), an empty folder, or a folder holding a
    previous output set (it has :data:`OUTPUT_MARKER`). Refused: a file, a folder with other
    files (they would be replaced), a folder that cannot be created.

    Raises
    ------
    OutputPathError
        Naming the path and why.
    """
    dest = Path(path)
    if dest.exists() and not dest.is_dir():
        raise OutputPathError(
            [Problem(tr("is a file, expected an output folder", "是文件，应为输出文件夹"), file=str(dest))]
        )
    if (
        dest.is_dir()
        and any(dest.iterdir())
        and not (dest / OUTPUT_MARKER).exists()
        and not (ours is not None and all(ours(p) for p in dest.iterdir()))
    ):
        raise OutputPathError([Problem(tr("holds files that are not a previous output of this tool; "
                                          "choose a new or empty folder (nothing was changed)",
                                          "含有并非本工具以往输出的文件；请选择新的或空的文件夹（未做任何改动）"),
                                       file=str(dest))])  # fmt: skip
    _make_parent(dest)
    return dest


@contextlib.contextmanager
def atomic_dir(
    path: str | os.PathLike[str],
    *,
    ours: Callable[[Path], bool] | None = None,
    keep: Callable[[Path], bool] | None = None,
) -> Iterator[Path]:
    """Yield a temporary sibling folder; put it in place of ``path`` when the block completes.

    The previous set at ``path`` (if any) is replaced as a whole, so files of two runs never mix;
    an exception or Ctrl-C inside the block leaves the previous set untouched and removes the
    temporary folder. The swap itself (two renames) runs with SIGINT held off. Files of the
    previous set for which ``keep`` is true (e.g. records of e-mails sent) are carried over
    into the new set unless it has its own.

    Raises
    ------
    OutputPathError
        See :func:`check_output_dir`.
    """
    dest = check_output_dir(path, ours=ours)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))
    try:
        yield tmp
        if keep is not None and dest.is_dir():
            for p in dest.iterdir():
                if p.is_file() and keep(p) and not (tmp / p.name).exists():
                    shutil.copy2(p, tmp / p.name)
        (tmp / OUTPUT_MARKER).write_text("complete\n", encoding="utf-8")
        with _no_sigint():
            old = None
            if dest.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".old", dir=dest.parent))
                os.replace(dest, old / "set")
            os.replace(tmp, dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _no_sigint() -> Iterator[None]:
    """Hold SIGINT off for the block (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
