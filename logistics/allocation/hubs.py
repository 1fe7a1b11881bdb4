"""Transfer hubs (中转站): goods go depot → hub → point, with the hub's delay and throughput.

A hub is a depot where goods brought in by other depots' trucks are unloaded, sorted and sent
on by the hub's own trucks. It works in *waves*: goods unloaded at the hub by a wave's cut-off
``c`` are ready to load again at ``c + handling_h``. Goods may wait for a later wave. The hub
unloads at most ``throughput_kg_h`` per hour, counted from the first time any truck can unload
there (``a_h``): by each cut-off ``c`` it has received at most ``throughput_kg_h × (c − a_h)``.

In the allocation model (:mod:`logistics.allocation.problem`) a hub's waves are built as follows
(module :mod:`logistics.allocation._hubs`):

* a *receiving point* per wave, without demand, with the wave's cut-off as its deadline and
  ``hub_travel_time_h[:, h]`` as the travel times to it: a trip to it is an ordinary lane of
  the sending depot's trucks (first leg), due when it unloads by the cut-off;
* a *transfer source* per wave at the hub's depot, ready at ``c + handling_h``: its cargo is
  carried on the hub's own lanes (second leg), with the hub's trucks and their time;
* per item and wave ``i``: ``Σ_{i' ≤ i} sent_i' ≤ Σ_{i' ≤ i} received_i'`` (goods leave only
  after they arrived), with equality at the last wave (everything a hub receives is sent on:
  no truck carries goods to a hub to leave them there), and per wave
  ``Σ_{i' ≤ i} received kg ≤ throughput_kg_h × (c_i − a_h)``.

Goods never pass through two hubs, and a hub's own stock is an ordinary source of its depot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from logistics.exceptions import Problem, tr

if TYPE_CHECKING:
    from logistics.allocation.problem import AllocationProblem

__all__ = ["Hub"]


@dataclass(frozen=True)
class Hub:
    """A depot that forwards goods from other depots (中转站).

    Parameters
    ----------
    depot_id
        The hub's depot; its trucks carry the second leg.
    cutoffs_h
        Wave cut-offs (h, increasing): goods unloaded at the hub by a cut-off leave from
        ``cutoff + handling_h``.
    handling_h
        Hours between a wave's cut-off and the goods being ready to load again (≥ 0).
    throughput_kg_h
        Kilograms the hub can unload per hour (> 0; ``inf`` for no limit).
    """

    depot_id: str
    cutoffs_h: tuple[float, ...] = field(default=(4.0,))
    handling_h: float = 1.0
    throughput_kg_h: float = math.inf

    def __post_init__(self) -> None:
        object.__setattr__(self, "cutoffs_h", tuple(float(c) for c in np.atleast_1d(self.cutoffs_h)))
        object.__setattr__(self, "handling_h", float(self.handling_h))
        object.__setattr__(self, "throughput_kg_h", float(self.throughput_kg_h))


def check_hubs(p: AllocationProblem, out: list[Problem]) -> None:
    """Append a :class:`Problem` for every invalid hub field of ``p``."""
    if not p.hubs:
        return
    depots = set(p.depot_ids)
    seen: set[str] = set()
    for i, h in enumerate(p.hubs):
        where = f"hubs[{i}]"
        if h.depot_id not in depots:
            out.append(
                Problem(tr("unknown depot id", "库点编号未知"), column=f"{where}.depot_id", value=h.depot_id)
            )
        elif h.depot_id in seen:
            out.append(
                Problem(
                    tr("a depot is one hub at most", "一个库点至多为一个中转站"),
                    column=f"{where}.depot_id",
                    value=h.depot_id,
                )
            )
        seen.add(h.depot_id)
        c = np.asarray(h.cutoffs_h, dtype=float)
        if not len(c) or not np.all(np.isfinite(c) & (c > 0)) or np.any(np.diff(c) <= 0):
            out.append(
                Problem(
                    tr("expected increasing cut-offs > 0 (h)", "截止时间应为大于 0 且递增的小时数"),
                    column=f"{where}.cutoffs_h",
                    value=str(list(h.cutoffs_h)),
                )
            )
        if not (0 <= h.handling_h < math.inf):
            out.append(
                Problem(
                    tr("expected a finite time >= 0 (h)", "应为不小于 0 的有限时间（小时）"),
                    column=f"{where}.handling_h",
                    value=str(h.handling_h),
                )
            )
        if not h.throughput_kg_h > 0:
            out.append(
                Problem(
                    tr("expected a throughput > 0 (kg/h) or inf", "应为大于 0 的吞吐能力（公斤/小时）或 inf"),
                    column=f"{where}.throughput_kg_h",
                    value=str(h.throughput_kg_h),
                )
            )
    shape = (p.num_depots, len(p.hubs))
    for name in ("hub_travel_time_h", "hub_distance_km"):
        arr = getattr(p, name)
        if arr.shape != shape:
            out.append(
                Problem(tr(f"expected shape {shape}", f"形状应为 {shape}"), column=name, value=str(arr.shape))
            )
            return
    tt, dd = p.hub_travel_time_h, p.hub_distance_km
    if np.any(tt < 0):
        out.append(
            Problem(
                tr(
                    "expected times >= 0 (h) or NaN/inf (unreachable)",
                    "应为不小于 0 的时间（小时），或 NaN/inf（不可达）",
                ),
                column="hub_travel_time_h",
                value=str(tt[tt < 0][0]),
            )
        )
    bad = np.isfinite(tt) & ~(np.isfinite(dd) & (dd >= 0))
    if np.any(bad):
        out.append(
            Problem(
                tr(
                    "expected finite distances >= 0 (km) where the hub is reachable",
                    "可达中转站处应为不小于 0 的有限距离（公里）",
                ),
                column="hub_distance_km",
                value=str(dd[bad][0]),
            )
        )
