"""Run independent pieces of work on several cores (forked processes), with the same results as one.

Two helpers, both for work that is deterministic and independent of the order it runs in:

* :func:`map_ordered` maps a function over items on up to ``jobs`` processes and returns the
  results in the items' order, as ``[fn(x) for x in items]`` would;
* :func:`in_background` starts one call in a child process and returns a handle whose
  :meth:`Background.result` waits for it.

Both fork the running process (POSIX ``fork`` start method), so the function and its inputs
are not pickled and nothing is imported again; only results travel back. Where ``fork`` is
not available (Windows, or ``jobs = 1``) the work runs in the calling process. When a child
fails for any reason, the piece is run again in the calling process, so an error is raised
there with its own type and traceback exactly as in a one-process run. Children end quietly on
Ctrl-C (the caller reports the interruption), and a :class:`Background` handle held in a
``with`` block stops its child when the caller fails or is interrupted first.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

__all__ = ["Background", "available_cores", "import_in_background", "in_background", "map_ordered"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

_TASK: tuple[Callable, Sequence] | None = None  # the forked children read their work here


def available_cores() -> int:
    """Return the number of cores this process may use (its CPU affinity where known)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not on Linux
        return max(os.cpu_count() or 1, 1)


def _can_fork() -> bool:
    import multiprocessing  # slow standard library: loaded only when work is shared out

    return "fork" in multiprocessing.get_all_start_methods()


def _quiet_sigint() -> None:
    """In a child: Ctrl-C ends it without a traceback (the caller reports the interruption)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _call(index: int) -> object:
    assert _TASK is not None
    fn, items = _TASK
    return fn(items[index])


def map_ordered(
    fn: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    *,
    cost: Sequence[float] | None = None,
    min_cost: float = 0.0,
) -> list[R]:
    """Return ``[fn(x) for x in items]``, computed on up to ``jobs`` forked processes.

    Parameters
    ----------
    fn
        The function; it must not depend on side effects of earlier calls.
    items
        Its inputs.
    jobs
        Number of processes (``1``: run here, one after the other).
    cost
        Estimated cost of each item: the costliest are started first, which balances the
        processes (default: the items' order).
    min_cost
        Run here when the costs add up to less (forking a large process takes tens of
        milliseconds: not worth it for small work).

    Returns
    -------
    list
        The results, in the order of ``items``.
    """
    global _TASK
    n = len(items)
    small = cost is not None and sum(cost) < min_cost
    if jobs <= 1 or n <= 1 or small or not _can_fork():
        return [fn(x) for x in items]
    import multiprocessing  # slow standard library: loaded only when work is shared out
    from concurrent.futures import ProcessPoolExecutor  # slow standard library, as above

    order = sorted(range(n), key=lambda k: -cost[k]) if cost is not None else list(range(n))
    results: dict[int, object] = {}
    _TASK = (fn, items)
    try:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(jobs, n), mp_context=ctx, initializer=_quiet_sigint) as pool:
            futures = {k: pool.submit(_call, k) for k in order}  # the first submit forks the children
            for k, fut in futures.items():
                try:
                    results[k] = fut.result()
                except Exception as exc:  # redone below, where it raises as itself
                    logger.debug("item %d failed in a child process (%r): running it here", k, exc)
    finally:
        _TASK = None
    return [results[k] if k in results else fn(items[k]) for k in range(n)]  # type: ignore[misc]


class Background(Generic[R]):
    """A call running in a child process (see :func:`in_background`).

    :meth:`result` waits for it; :meth:`close` (or leaving a ``with`` block) stops a child that
    is still running, so that an error or Ctrl-C in the caller leaves no process behind.
    """

    def __init__(self, fn: Callable[[], R], proc: BaseProcess | None, conn: Connection | None) -> None:
        self._fn = fn
        self._proc = proc
        self._conn = conn

    def __enter__(self) -> Background[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait(self) -> None:
        """Wait until the child has its value ready (without taking it)."""
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):  # closed meanwhile: nothing to wait for
                conn.poll(None)

    def result(self) -> R:
        """Wait for the call and return its value (run here if the child failed or was never started)."""
        conn = self._conn
        if conn is None:
            return self._fn()
        try:
            ok, value = conn.recv()
        except (EOFError, OSError) as exc:  # the child died without an answer
            ok, value = False, repr(exc)
        finally:
            self.close()
        if ok:
            return value  # type: ignore[no-any-return]
        logger.debug("background call failed in a child process (%s): running it here", value)
        return self._fn()

    def close(self) -> None:
        """Stop the child if it is still running and release its pipe (idempotent)."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is not None:
            proc.terminate()  # a no-op once the child has exited
            proc.join()


def _child(fn: Callable[[], object], conn: Connection) -> None:
    """Body of the forked child: run ``fn``, send ``(ok, value)``, leave without exit handlers."""
    _quiet_sigint()
    code = 0
    try:
        try:
            answer: tuple[bool, object] = (True, fn())
        except BaseException as exc:  # reported to the caller, which runs fn again itself
            answer = (False, repr(exc))
        try:
            conn.send(answer)
        except Exception as exc:  # e.g. a value that does not pickle
            conn.send((False, repr(exc)))
    except BaseException:  # the caller went away: nothing to report to
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # skip the exit handlers copied from the caller (its pools, its files)


def in_background(fn: Callable[[], R], *, enabled: bool = True) -> Background[R]:
    """Start ``fn()`` in a forked child process and return at once.

    The child is a plain forked process that sends its value back through a pipe; use the
    handle in a ``with`` block (or call :meth:`Background.close`) so that the child is stopped
    when the caller fails or is interrupted before taking the value.

    Parameters
    ----------
    fn
        A call without arguments (a closure or :func:`functools.partial`).
    enabled
        ``False`` (or no ``fork`` on this system): ``fn`` runs when :meth:`Background.result`
        is called, in this process.

    Returns
    -------
    Background
        The handle; call :meth:`Background.result` to wait for the value.
    """
    if not enabled or not _can_fork():
        return Background(fn, None, None)
    import multiprocessing  # slow standard library: loaded only when work is shared out

    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, writer), name="logistics-background")
    proc.start()  # with "fork", fn and its inputs are not pickled
    writer.close()  # the child holds its own copy: EOF here when the child dies
    return Background(fn, proc, reader)


def import_in_background(
    modules: Sequence[str], *, after: Callable[[], object] | None = None
) -> Callable[[], None]:
    """Import ``modules`` in a background thread; return a function that waits for it to finish.

    For start-up time: a command that will need heavy libraries later imports them while a
    solver that releases the GIL (OR-Tools' LP solvers do) keeps the main thread busy, on the
    otherwise idle core. A module that fails to import here is left alone (the later ``import``
    statement raises the error where it belongs). Call the returned function before forking.

    Parameters
    ----------
    modules
        Dotted module names.
    after
        Called first in the thread (e.g. :meth:`Background.wait`, so that the imports do not
        compete with a child process for the second core).

    Returns
    -------
    callable
        ``wait()``: blocks until every import has been tried.
    """

    def work() -> None:
        if after is not None:
            after()
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception as exc:  # reported by the real import later
                logger.debug("background import of %s failed: %r", name, exc)

    thread = threading.Thread(target=work, name="logistics-import", daemon=True)
    thread.start()
    return thread.join
