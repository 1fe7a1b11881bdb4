"""First-expiry-first-out (FEFO) batch picks for the flows of an allocation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from logistics.exceptions import AllocationInputError, Problem, tr

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from logistics.allocation.result import AllocationResult

__all__ = ["Batch", "BatchPick", "fefo_assign"]


@dataclass(frozen=True)
class Batch:
    """A batch of one item held by one source.

    Parameters
    ----------
    batch_id
        Batch number or label.
    quantity
        Units in the batch (≥ 0).
    expiry
        Expiry date; ``None`` (does not expire) sorts last.
    """

    batch_id: str
    quantity: float
    expiry: dt.date | None = None


@dataclass(frozen=True)
class BatchPick:
    """Units of one batch sent on one flow (lane, source, item, point)."""

    lane: int
    source_id: str
    item_id: str
    point_id: str
    batch_id: str
    expiry: dt.date | None
    quantity: float


def fefo_assign(
    result: AllocationResult,
    batches: Mapping[tuple[str, str], Sequence[Batch]],
) -> tuple[BatchPick, ...]:
    """Assign batches to flows, first expiry first out.

    For every (source, item), the flows using it are taken in order of
    nominal delivery time, then point id and lane; the batches in order of
    expiry date (no expiry last), then batch id. Each flow takes units from
    the earliest-expiring batch that still has some. Flows of a (source,
    item) without batch data are left out.

    Parameters
    ----------
    result
        An allocation result.
    batches
        ``{(source_id, item_id): [Batch, ...]}``.

    Returns
    -------
    tuple of BatchPick
        In the order the picks were made.

    Raises
    ------
    AllocationInputError
        When the batches of a (source, item) hold fewer units than the plan
        takes from it.
    """
    flows: dict[tuple[str, str], list[tuple[float, str, int, float]]] = defaultdict(list)
    for f in result.flows:
        flows[(f.source_id, f.item_id)].append((f.delivery_h, f.point_id, f.lane, f.quantity))
    picks: list[BatchPick] = []
    problems: list[Problem] = []
    for key in sorted(flows):
        if key not in batches:
            continue
        queue = sorted(batches[key], key=lambda b: (b.expiry is None, b.expiry or dt.date.max, b.batch_id))
        left = [b.quantity for b in queue]
        total = sum(left)
        need = sum(q for *_r, q in flows[key])
        if need > total * (1 + 1e-9) + 1e-6:
            problems.append(
                Problem(
                    tr(
                        f"batches hold {total:g} units but the plan takes {need:g}",
                        f"批次共有 {total:g} 个单位，但调配方案需要 {need:g} 个",
                    ),
                    column="batches",
                    value=f"{key[0]}/{key[1]}",
                )
            )
            continue
        b = 0
        for delivery_h, point, lane, qty in sorted(flows[key]):
            del delivery_h
            rest = qty
            while rest > 1e-9 and b < len(queue):
                take = min(rest, left[b])
                if take > 0:
                    picks.append(
                        BatchPick(lane, key[0], key[1], point, queue[b].batch_id, queue[b].expiry, take)
                    )
                    left[b] -= take
                    rest -= take
                if left[b] <= 1e-9:
                    b += 1
    if problems:
        raise AllocationInputError(problems)
    return tuple(picks)
