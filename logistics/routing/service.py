"""Loading and unloading times: for the whole problem and per point."""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

from logistics.exceptions import Problem, RoutingInputError, tr

__all__ = ["PointService", "ServiceTimes"]


@dataclass(frozen=True)
class ServiceTimes:
    """Loading and unloading times.

    Parameters
    ----------
    load_s
        Loading at the depot before every trip, seconds (default 0).
    unload_s
        Fixed unloading time per stop, seconds (default 0).
    unload_s_per_t
        Additional unloading time per tonne delivered at the stop, seconds
        (default 0).

    Raises
    ------
    RoutingInputError
        When a time is negative or not finite.
    """

    load_s: float = 0.0
    unload_s: float = 0.0
    unload_s_per_t: float = 0.0

    def __post_init__(self) -> None:
        for name in ("load_s", "unload_s", "unload_s_per_t"):
            value = getattr(self, name)
            if not (isinstance(value, Real) and 0 <= value < math.inf):
                raise RoutingInputError(
                    [
                        Problem(
                            tr(f"expected {name} >= 0", f"{name} 应为不小于 0 的数"),
                            column=name,
                            value=repr(value),
                        )
                    ]
                )

    def unloading_s(self, weight_kg: float) -> float:
        """Return the unloading time of a stop delivering ``weight_kg``."""
        return self.unload_s + self.unload_s_per_t * weight_kg / 1000.0


@dataclass(frozen=True)
class PointService:
    """Unloading time at one point: fixed per visit plus per tonne (overrides :class:`ServiceTimes`).

    Parameters
    ----------
    unload_s
        Fixed unloading time per visit (a stop), seconds: counted once however many
        parts the stop delivers.
    unload_s_per_t
        Additional unloading time per tonne delivered, seconds (default 0).

    Raises
    ------
    RoutingInputError
        When a time is negative or not finite.
    """

    unload_s: float
    unload_s_per_t: float = 0.0

    def __post_init__(self) -> None:
        for name in ("unload_s", "unload_s_per_t"):
            value = getattr(self, name)
            if not (isinstance(value, Real) and 0 <= value < math.inf):
                raise RoutingInputError(
                    [
                        Problem(
                            tr(f"expected {name} >= 0", f"{name} 应为不小于 0 的数"),
                            column=name,
                            value=repr(value),
                        )
                    ]
                )

    def unloading_s(self, weight_kg: float) -> float:
        """Return the unloading time of a stop delivering ``weight_kg``."""
        return self.unload_s + self.unload_s_per_t * weight_kg / 1000.0
