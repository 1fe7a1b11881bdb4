"""Work shared out on forked processes: same results as one process, errors raised as themselves."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from logistics.common import available_cores, import_in_background, in_background, map_ordered


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def test_map_ordered_keeps_order_and_uses_children():
    items = list(range(12))
    out = map_ordered(_pid_and_square, items, 2, cost=[(k * 7) % 5 for k in items])
    assert [sq for _, sq in out] == [k * k for k in items]
    assert {pid for pid, _ in out} - {os.getpid()}, "expected the work to run in child processes"


def test_map_ordered_runs_here_when_small_or_single():
    items = [1, 2, 3]
    for out in (map_ordered(_pid_and_square, items, 1), map_ordered(_pid_and_square, items, 2, cost=[1, 1, 1],
                                                                       min_cost=10)):  # fmt: skip
        assert out == [(os.getpid(), 1), (os.getpid(), 4), (os.getpid(), 9)]


class _Unpicklable(Exception):
    """An error whose constructor takes two arguments: it cannot be rebuilt from a child's pickle."""

    def __init__(self, what: str, value: int) -> None:
        super().__init__(f"{what}: {value}")
        self.value = value


def _fails_on_three(x: int) -> int:
    if x == 3:
        raise _Unpicklable("bad item", x)
    return x


def test_a_failing_item_raises_its_own_error_in_the_caller():
    with pytest.raises(_Unpicklable, match="bad item: 3") as info:
        map_ordered(_fails_on_three, [1, 2, 3, 4], 2)
    assert info.value.value == 3


def test_background_call_returns_its_value_and_reraises_here():
    job = in_background(lambda: (os.getpid(), 41 + 1))
    pid, value = job.result()
    assert value == 42 and pid != os.getpid()
    assert in_background(lambda: os.getpid(), enabled=False).result() == os.getpid()
    failing = in_background(lambda: _fails_on_three(3))
    with pytest.raises(_Unpicklable):
        failing.result()


def test_import_in_background_imports_and_ignores_failures():
    name = "colorsys"  # a standard module nothing here imports
    sys.modules.pop(name, None)
    wait = import_in_background([name, "no_such_module_anywhere"])
    wait()
    assert name in sys.modules and "no_such_module_anywhere" not in sys.modules
    assert available_cores() >= 1


def _sleep_then(pid_file, value):
    pid_file.write_text(str(os.getpid()))
    time.sleep(60)
    return value


def _wait_for(path):
    for _ in range(500):
        if path.exists() and path.read_text():
            return int(path.read_text())
        time.sleep(0.01)
    raise AssertionError("the child never started")


def _gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_leaving_the_with_block_on_an_error_stops_the_child(tmp_path):
    pid_file = tmp_path / "pid"
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt), in_background(lambda: _sleep_then(pid_file, 1)):
        child = _wait_for(pid_file)
        raise KeyboardInterrupt  # what Ctrl-C raises in the caller
    assert _gone(child)  # terminated and reaped, not left running for 60 s
    assert time.perf_counter() - started < 30


def test_a_child_that_dies_is_replaced_by_a_run_here(tmp_path):
    pid_file = tmp_path / "pid"
    job = in_background(lambda: _sleep_then(pid_file, 7) if not pid_file.exists() else 7)
    child = _wait_for(pid_file)
    os.kill(child, signal.SIGKILL)
    assert job.result() == 7  # the pipe's EOF is noticed; fn runs here (pid_file now exists)
    assert _gone(child)
