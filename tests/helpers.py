"""Shared paths and helpers for the tests."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / "data"
SHARED = (ROOT / ".." / "shared").resolve()


def shared_path(*parts: str) -> Path:
    """Path under ../shared; skip the test when the shared folder is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"shared data not available: {p}")
    return p


def quake_with_demand_file(folder: Path, demand_file: str) -> Path:
    """The demo earthquake scenario written to ``folder`` with its points taken from ``demand_file``."""
    text = (ROOT / "scenarios" / "earthquake_lulong.toml").read_text(encoding="utf-8")
    head, rest = text.split("[hazard]", 1)
    body = rest.split("[[demand]]", 1)[0]
    tail = rest[rest.index("[[disruption]]") :]
    path = folder / "s.toml"
    path.write_text(f'{head}demand_file = "{demand_file}"\n\n[hazard]{body}{tail}', encoding="utf-8")
    return path


def default_sigint() -> None:
    """In a child process: Ctrl-C has its default action, as in a terminal.

    A suite started in the background of a non-interactive shell (``nohup pytest &``) runs
    with SIGINT ignored, and an ignored signal stays ignored across ``exec``: a child would
    never see the Ctrl-C a test sends. Use as ``subprocess.Popen(..., preexec_fn=default_sigint)``.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
