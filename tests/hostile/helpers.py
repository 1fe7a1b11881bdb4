"""Run the command line in-process and check that bad input gets one located error."""

from __future__ import annotations

import contextlib
import io
from typing import TYPE_CHECKING

from logistics.cli import main
from tests.helpers import ROOT

if TYPE_CHECKING:
    from pathlib import Path

REGION_DIR = ROOT / "data" / "depots" / "qinhuangdao"
REGION = REGION_DIR / "region.toml"


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Return ``(exit code, stdout, stderr)`` of ``logistics ARGV`` (an escaping exception fails the test)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse: usage and the argument's error, exit 2
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def assert_located(result: tuple[int, str, str], *names: str) -> str:
    """Exit 2, no traceback, every name (file, field, row, value) in the message; return it."""
    code, out, err = result
    assert code == 2, (code, out, err)
    assert "Traceback" not in err + out
    for name in names:
        assert name in err, f"{name!r} not in {err!r}"
    assert len(err) < 4000, "message must stay short (no echo of huge input)"
    return err


def scenario_text(body: str = "", *, demand: str | None = None, head: str = "") -> str:
    """A small valid scenario on the demo region (two points, two depots) plus ``body``."""
    demand = (
        demand
        if demand is not None
        else (
            '[[demand]]\nplace = "卢龙镇"\nrelocated = 300\n\n[[demand]]\nplace = "石门镇"\nrelocated = 200\n'
        )
    )
    return (
        f'name = "测试"\nregion = "{REGION.as_posix()}"\n{head}\n[hazard]\ntype = "earthquake"\n\n'
        f"[response]\ndeadline_h = 12\n\n{demand}\n{body}"
    )


def write(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding=encoding)
    return path


def inventory_dir(tmp: Path, inventory: str | bytes | None = None, depots: str | None = None, *,
                  encoding: str = "utf-8") -> Path:  # fmt: skip
    """A copy of the demo region's depot and inventory files, optionally replaced."""
    folder = tmp / "inv"
    folder.mkdir(parents=True, exist_ok=True)
    dep = depots if depots is not None else (REGION_DIR / "depots.csv").read_text(encoding="utf-8")
    write(folder / "depots.csv", dep)
    inv = inventory if inventory is not None else (REGION_DIR / "inventory.csv").read_text(encoding="utf-8")
    write(folder / "inventory.csv", inv, encoding=encoding)
    return folder
