"""Run keyed, idempotent tasks on Dask and stream each result to disk as it finishes.

The default is a local cluster of worker processes (one thread each: the LP solvers hold the
GIL); ``scheduler="tcp://host:8786"`` sends the same tasks to an existing cluster whose workers
can import ``logistics`` and read the scenario's files at the same paths. A task's key names the
job and the variant, and its result depends on nothing else, so a task lost with a killed
worker is simply run again elsewhere (Dask reschedules it) and gives the same row.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

from logistics.common import available_cores
from logistics.exceptions import InputError, Problem, tr

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

__all__ = ["dask_client", "run_keyed"]

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def dask_client(*, workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """Yield a Dask client: of ``scheduler`` when given, else of a new local process cluster.

    Parameters
    ----------
    workers
        Worker processes of the local cluster (default: the cores available, at most 8).
    scheduler
        Address of an existing scheduler (``tcp://host:8786``).
    """
    from distributed import Client, LocalCluster  # heavy: loaded only on this path

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise InputError([Problem(tr(f"cannot connect to the Dask scheduler: {exc}", f"无法连接 Dask 调度器：{exc}"),
                                      column="--scheduler", value=scheduler)]) from None  # fmt: skip
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or min(available_cores(), 8)
    with (
        LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # the scheduler still serves its HTTP routes, by default on port 8787: a second local
            # cluster on the machine (another sweep) then warned and moved; a free port instead
            scheduler_kwargs={"dashboard_address": ":0"},
            silence_logs=logging.WARNING,
        ) as cluster,  # fmt: skip
        Client(cluster) as client,
    ):
        yield client


def run_keyed(
    client: Any,
    func: Callable[..., Any],
    jobs: Iterable[tuple[str, tuple[Any, ...]]],
    on_result: Callable[[str, Any], None],
    *,
    progress: Callable[[int, int, float], None] | None = None,
) -> int:
    """Submit ``func(*args)`` for every ``(key, args)`` and call ``on_result(key, row)`` as each finishes.

    Parameters
    ----------
    client
        A Dask client.
    func
        The task (importable, pure: its result depends on its arguments only).
    jobs
        ``(key, args)`` pairs; the key is the task's Dask key.
    on_result
        Called in this process, in completion order, with each result.
    progress
        Called with ``(done, total, elapsed seconds)`` after each result.

    Returns
    -------
    int
        Number of results.
    """
    from distributed import as_completed  # heavy: loaded only on this path

    jobs = list(jobs)
    futures = [client.submit(func, *args, key=key, pure=False, retries=2) for key, args in jobs]
    t0 = time.perf_counter()
    done = 0
    for fut in as_completed(futures):
        on_result(fut.key, fut.result())
        done += 1
        if progress is not None:
            progress(done, len(futures), time.perf_counter() - t0)
        fut.release()
    return done
