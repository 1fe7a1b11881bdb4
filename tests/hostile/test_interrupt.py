"""Ctrl-C during writing: a real ``logistics run`` process keeps the previous complete set, or nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from logistics.common import OUTPUT_MARKER
from tests.helpers import default_sigint

from .helpers import scenario_text, write

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _interrupt_while_writing(scenario, out) -> tuple[int, str]:
    """Start ``logistics run``, send SIGINT to its process group once it starts writing files."""
    cmd = [sys.executable, "-m", "logistics", "run", str(scenario), "--out", str(out),
           "--routing-iterations", "200", "--jobs", "2"]  # fmt: skip
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            start_new_session=True, env=os.environ | {"LOGISTICS_LANG": "zh"},
                            preexec_fn=default_sigint)  # fmt: skip
    err = []
    assert proc.stderr is not None
    for line in proc.stderr:  # progress lines: "[  1.2s] 写出调配表与调拨单…"
        err.append(line)
        if "写出" in line:
            time.sleep(0.05)
            os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
            break
    rest = proc.communicate(timeout=60)[1]
    return proc.returncode, "".join(err) + rest


def _listing(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_sigint_while_writing_keeps_the_previous_complete_set(tmp_path):
    first = write(tmp_path / "first.toml", scenario_text())
    second = write(tmp_path / "second.toml", scenario_text().replace("relocated = 300", "relocated = 900"))
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "logistics", "run", str(first), "--out", str(out), "--no-routing"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    before = _listing(out)
    code, err = _interrupt_while_writing(second, out)
    assert code == 130, err[-800:]
    assert "已中断" in err and "Traceback" not in err
    assert _listing(out) == before  # the previous set, whole and unchanged
    assert OUTPUT_MARKER in before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "first.toml",
        "out",
        "second.toml",
    ]  # no temp folders


def test_sigint_on_a_first_run_leaves_nothing(tmp_path):
    s = write(tmp_path / "s.toml", scenario_text())
    out = tmp_path / "out"
    code, err = _interrupt_while_writing(s, out)
    assert code == 130, err[-800:]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]
