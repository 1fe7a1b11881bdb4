"""What a sweep varies: the distributions of a scenario's ``[sweep]`` table, with defaults per hazard.

Every number here is an **illustrative default** chosen to give plausible spreads for the demo
region, not a calibrated hazard model; a bureau replaces them in the scenario's ``[sweep]`` table
(docs/sweep.md lists the fields). The defaults by hazard type are:

* earthquake: the epicentre moves by a normal draw of σ = 8 km per axis; the magnitude by
  σ = 0.3; affected persons scale as ``10 ** (0.5 Δm)`` and, per place, as
  ``exp(−Δdistance / 30 km)``; road links within 40 km of the epicentre close with a rate per km
  by class (tertiary and lower 0.015/km … motorway 0.002/km) and reopen 4–24 h after onset;
* flood and storm surge: the affected area's centre moves by σ = 5 km, severity (persons) is
  lognormal with σ = 0.25, links within 25 km close at twice the earthquake rates and reopen
  12–48 h (flood) or 6–36 h (surge) after onset;
* any hazard: the overall demand is lognormal with σ = 0.15, and each depot is lost with
  probability 3 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

from logistics.exceptions import InputError, Problem, tr

__all__ = ["DEFAULTS", "SweepSpec", "sweep_spec"]

#: closure rate per km of road, by OSM highway class, for an earthquake (others: ``other``)
_QUAKE_RATES = {"motorway": 0.002, "trunk": 0.004, "primary": 0.006, "secondary": 0.01, "other": 0.015}


@dataclass(frozen=True)
class SweepSpec:
    """Distributions of one sweep (see the module docstring for the defaults).

    Parameters
    ----------
    centre_jitter_km
        σ of the normal shift of the hazard's centre (epicentre or area centre), per axis.
    magnitude_sd
        σ of the magnitude (earthquake) or of the log of severity (other hazards).
    persons_per_magnitude
        ``b`` in the persons factor ``10 ** (b Δm)`` (earthquake).
    decay_km
        Distance over which affected persons fall by ``e`` from the centre.
    demand_sd
        σ of the log of the overall demand multiplier.
    closure_radius_km
        Random closures only on links whose middle is within this distance of the centre.
    closure_per_km
        Closure rate per km of link, by highway class (``other`` for every class not listed).
    reopen_h
        Reopening hour drawn uniformly in this interval (抢通).
    depot_outage
        Probability that each depot is lost.
    """

    centre_jitter_km: float = 0.0
    magnitude_sd: float = 0.0
    persons_per_magnitude: float = 0.5
    decay_km: float = 30.0
    demand_sd: float = 0.15
    closure_radius_km: float = 0.0
    closure_per_km: dict[str, float] = field(default_factory=dict)
    reopen_h: tuple[float, float] = (4.0, 24.0)
    depot_outage: float = 0.03

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SweepSpec:
        """Rebuild the distributions from :meth:`as_dict` (a job record, a task's argument)."""
        return cls(**{**data, "reopen_h": tuple(data["reopen_h"])})

    def as_dict(self) -> dict[str, Any]:
        """Return the fields as plain data (JSON, the sweep's record)."""
        return {
            f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)
        }


#: defaults by hazard type (illustrative, see the module docstring)
DEFAULTS: dict[str, SweepSpec] = {
    "earthquake": SweepSpec(8.0, 0.3, 0.5, 30.0, 0.15, 40.0, dict(_QUAKE_RATES), (4.0, 24.0), 0.03),
    "flood": SweepSpec(5.0, 0.25, 0.0, 20.0, 0.15, 25.0, {k: 2 * v for k, v in _QUAKE_RATES.items()}, (12.0, 48.0), 0.03),
    "storm_surge": SweepSpec(5.0, 0.25, 0.0, 20.0, 0.15, 25.0, {k: 2 * v for k, v in _QUAKE_RATES.items()}, (6.0, 36.0), 0.03),
}  # fmt: skip


def sweep_spec(hazard_type: str, table: dict[str, Any] | None = None, *, origin: str = "") -> SweepSpec:
    """Return the sweep distributions: the hazard's defaults overridden by a ``[sweep]`` table.

    Parameters
    ----------
    hazard_type
        The scenario's hazard type (``earthquake``, ``flood``, ``storm_surge``…).
    table
        The scenario's ``[sweep]`` table, if any.
    origin
        File named in messages.

    Raises
    ------
    InputError
        For an unknown field or a bad value (each named).
    """
    base = DEFAULTS.get(hazard_type, SweepSpec())
    if not table:
        return base
    problems: list[Problem] = []
    known = {f.name for f in fields(SweepSpec)}
    changes: dict[str, Any] = {}
    for key, value in table.items():
        col = f"sweep.{key}"
        if key not in known:
            problems.append(Problem(tr(f"unknown field (known: {', '.join(sorted(known))})",
                                       f"未知字段（可用：{'、'.join(sorted(known))}）"), file=origin, column=col))  # fmt: skip
        elif key == "closure_per_km":
            ok = isinstance(value, dict) and all(_rate(v) for v in value.values())
            if not ok:
                problems.append(Problem(tr("expected a table of rates per km >= 0 by road class",
                                           "应为按道路等级给出的每公里封闭率（≥ 0）"), file=origin, column=col, value=str(value)))  # fmt: skip
            else:
                changes[key] = {str(k): float(v) for k, v in value.items()}
        elif key == "reopen_h":
            ok = (
                isinstance(value, list)
                and len(value) == 2
                and all(_rate(v) for v in value)
                and value[0] <= value[1]
            )
            if not ok:
                problems.append(Problem(tr("expected [earliest, latest] hours >= 0", "应为 [最早, 最晚] 小时数（≥ 0）"),
                                        file=origin, column=col, value=str(value)))  # fmt: skip
            else:
                changes[key] = (float(value[0]), float(value[1]))
        elif not _rate(value) or (key == "depot_outage" and value > 1):
            problems.append(Problem(tr("expected a number >= 0 (a probability <= 1 for depot_outage)",
                                       "应为不小于 0 的数（depot_outage 为不大于 1 的概率）"), file=origin, column=col,
                                    value=str(value)))  # fmt: skip
        else:
            changes[key] = float(value)
    if problems:
        raise InputError(problems)
    return replace(base, **changes)


def _rate(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
