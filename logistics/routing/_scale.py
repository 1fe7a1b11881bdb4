"""Scale routing loads, times and distances to the integers PyVRP works with.

Scales (one integer unit is):

* weight: 1 g (``WEIGHT_UNITS_PER_KG = 1000``);
* volume: 1 L (``VOLUME_UNITS_PER_M3 = 1000``);
* time: 1 s; distance: 1 m.

Demands and durations are rounded *up* and capacities and deadlines *down*, so a
solution that is feasible in integers is feasible in the real numbers too.
Unreachable pairs (``inf``) become :data:`UNREACHABLE`. Values above
:data:`LARGE_VALUE` raise :class:`~logistics.exceptions.RoutingScaleWarning`.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from logistics.exceptions import RoutingScaleWarning, Text, say, tr

WEIGHT_UNITS_PER_KG = 1000
VOLUME_UNITS_PER_M3 = 1000

#: Integer travel time / distance of an unreachable pair (about 2,200 years or
#: 69 million km: never chosen, yet far from int64 overflow when summed).
UNREACHABLE = 1 << 36

#: Finite values above this (after scaling) trigger a RoutingScaleWarning.
LARGE_VALUE = 1 << 32

#: Relative slack that absorbs floating-point noise before rounding up or down.
_EPS = 1e-9


def _warn_large(what: Text, value: float) -> None:
    warnings.warn(
        tr(
            f"{what} reaches {value:.3g} integer units after scaling (limit {LARGE_VALUE}); "
            "check the units of the input (kg, m³, s, m)",
            f"{say(what)}缩放后达到 {value:.3g} 个整数单位（上限 {LARGE_VALUE}）；请检查输入的单位（kg、m³、s、m）",
        ),
        RoutingScaleWarning,
        stacklevel=3,
    )


def scale_loads(weight_kg: np.ndarray, volume_m3: np.ndarray, *, round_up: bool) -> np.ndarray:
    """Return integer loads ``[[weight_g, volume_l], ...]`` (the one load scaling).

    Parameters
    ----------
    weight_kg
        Weights, kg.
    volume_m3
        Volumes, m³ (same length).
    round_up
        ``True`` for demands (ceil), ``False`` for capacities (floor).

    Returns
    -------
    numpy.ndarray
        ``int64`` array of shape ``(n, 2)``.
    """
    raw = np.column_stack(
        [
            np.asarray(weight_kg, dtype=float) * WEIGHT_UNITS_PER_KG,
            np.asarray(volume_m3, dtype=float) * VOLUME_UNITS_PER_M3,
        ]
    )
    out = np.ceil(raw * (1 - _EPS)) if round_up else np.floor(raw * (1 + _EPS))
    if raw.size and float(raw.max()) > LARGE_VALUE:
        _warn_large(tr("a load", "装载量"), float(raw.max()))
    return out.astype(np.int64)


def scale_matrix(values: np.ndarray, *, round_up: bool) -> np.ndarray:
    """Return an integer matrix (seconds or metres) with :data:`UNREACHABLE` for ``inf``.

    Parameters
    ----------
    values
        Float matrix, ``inf`` marks unreachable pairs.
    round_up
        ``True`` for durations (ceil: conservative schedules), ``False`` for
        distances (nearest integer).

    Returns
    -------
    numpy.ndarray
        ``int64`` matrix of the same shape.
    """
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    out = np.full(values.shape, UNREACHABLE, dtype=np.int64)
    vals = values[finite]
    out[finite] = np.ceil(vals * (1 - _EPS)) if round_up else np.rint(vals)
    if vals.size and float(vals.max()) > LARGE_VALUE:
        _warn_large(tr("a travel time or distance", "行驶时间或距离"), float(vals.max()))
    return out


def scale_time(seconds: float | None, *, round_up: bool) -> int | None:
    """Return an integer time in seconds (ceil or floor), ``None`` stays ``None``.

    Parameters
    ----------
    seconds
        Time, seconds.
    round_up
        ``True`` for ready times and service durations, ``False`` for deadlines.

    Returns
    -------
    int or None
        Rounded seconds.
    """
    if seconds is None:
        return None
    if seconds > LARGE_VALUE:
        _warn_large(tr("a time", "时间"), seconds)
    return int(math.ceil(seconds * (1 - _EPS)) if round_up else math.floor(seconds * (1 + _EPS)))
