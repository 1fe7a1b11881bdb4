"""Array conversions for :meth:`AllocationProblem.from_arrays` (internal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from logistics.exceptions import AllocationInputError, Problem, tr

if TYPE_CHECKING:
    from collections.abc import Sequence


def hub_arrays(
    travel: Sequence[Sequence[float]] | np.ndarray | None,
    distance: Sequence[Sequence[float]] | np.ndarray | None,
    speed_kmh: float,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Travel times and distances to the hubs; distances default to ``travel × speed_kmh``."""
    tt = None if travel is None else np.array(travel, dtype=float)
    if distance is not None:
        return tt, np.asarray(distance, dtype=float)
    return tt, None if tt is None else np.where(np.isfinite(tt), tt * speed_kmh, np.nan)


def broadcast(value: float | Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    """``value`` as a float array; a scalar is repeated ``n`` times."""
    arr = np.asarray(value, dtype=float)
    return np.full(n, float(arr)) if arr.ndim == 0 else arr


def depot_refs(
    depot_ids: tuple[str, ...], source_depot: list[str], fleet_depot: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Depot indices of the sources and of the fleet groups; raise on unknown depot ids."""
    index = {d: i for i, d in enumerate(depot_ids)}
    problems: list[Problem] = []

    def refs(name: str, values: Sequence[str]) -> np.ndarray:
        out = np.zeros(len(values), dtype=np.int64)
        for i, v in enumerate(values):
            if v not in index:
                problems.append(
                    Problem(
                        tr(f"unknown depot id in entry {i}", f"条目 {i} 中的库点编号未知"),
                        column=name,
                        value=str(v),
                    )
                )
            else:
                out[i] = index[v]
        return out

    src_depot = refs("source_depot", source_depot)
    flt_depot = refs("fleet_depot", fleet_depot)
    if problems:
        raise AllocationInputError(problems)
    return src_depot, flt_depot


def rows(value: Sequence[Sequence[float]] | np.ndarray, n: int) -> np.ndarray:
    """Convert ``value`` to a float matrix of ``n`` rows (reshaped when ``n`` is 0)."""
    arr = np.asarray(value, dtype=float)
    return arr.reshape(0, arr.shape[1] if arr.ndim == 2 else 0) if n == 0 else arr
