"""Truck speeds per road class for China, and edge travel times.

An edge's truck speed is::

    speed_kph = clip(base_kph * truck_factor, min_speed_kph, max_speed_kph)

where ``base_kph`` is the OSM ``maxspeed`` tag when present and readable, otherwise the
default of its ``highway`` class in :data:`CHINA_DEFAULT_SPEEDS_KPH`. Travel time is
``travel_time_s = length_m / (speed_kph / 3.6)``.

Rationale of the defaults (free-flow operating speeds of general traffic, not design speeds):

- Legal limits (道路交通安全法实施条例, 2017 revision, arts. 45, 46, 78): 高速公路 (motorway)
  at most 120 km/h, and at most 100 km/h for 载货汽车 (goods vehicles); on roads without a posted
  limit, 30 km/h in towns / 40 km/h on 公路 without a centre line, 50 / 70 km/h with one lane per
  direction.
- Design speeds (公路工程技术标准 JTG B01-2014): 高速公路 80-120 km/h, 一级公路 60-100,
  二级公路 60-80, 三级公路 30-40, 四级公路 20-30; urban roads (城市道路工程设计规范
  CJJ 37-2012): 快速路 60-100, 主干路 40-60, 次干路 30-50, 支路 20-40.
- OSM China tagging maps 国道/一级 roads mostly to ``trunk``/``primary``, 省道 to
  ``primary``/``secondary``, 县道 to ``secondary``/``tertiary``, 乡道/村道 to
  ``tertiary``/``unclassified``; urban 主干路/次干路/支路 to ``primary``/``secondary``/
  ``tertiary``/``residential``.

The defaults sit at the lower middle of those ranges, because a mixed class (e.g. ``primary``
covers both urban arterials and rural 一级公路) averages junctions and towns. ``truck_factor``
(default 0.85) scales everything for loaded relief trucks; ``max_speed_kph`` (default 100)
applies the legal cap for goods vehicles even where ``maxspeed`` says 120.

Examples
--------
>>> params = SpeedParams()
>>> round(truck_speed_kph("primary", None, params), 1)
51.0
>>> truck_speed_kph("motorway", "120", params)
100.0
>>> parse_maxspeed_kph("50 mph")
80.467
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

__all__ = [
    "CHINA_DEFAULT_SPEEDS_KPH",
    "DRIVE_CLASSES",
    "SpeedParams",
    "parse_maxspeed_kph",
    "travel_time_s",
    "truck_speed_kph",
]

#: Default speed (km/h) of general traffic per OSM ``highway`` class in China (see module doc).
CHINA_DEFAULT_SPEEDS_KPH: dict[str, float] = {
    "motorway": 100.0,
    "motorway_link": 50.0,
    "trunk": 80.0,
    "trunk_link": 40.0,
    "primary": 60.0,
    "primary_link": 35.0,
    "secondary": 50.0,
    "secondary_link": 30.0,
    "tertiary": 40.0,
    "tertiary_link": 25.0,
    "unclassified": 30.0,
    "residential": 25.0,
    "living_street": 10.0,
    "service": 15.0,
    "road": 30.0,
}

#: OSM ``highway`` classes a truck may use (``service`` is optional, see ``include_service``).
DRIVE_CLASSES: frozenset[str] = frozenset(
    {
        "motorway",
        "motorway_link",
        "trunk",
        "trunk_link",
        "primary",
        "primary_link",
        "secondary",
        "secondary_link",
        "tertiary",
        "tertiary_link",
        "unclassified",
        "residential",
        "living_street",
    }
)

_MPH = 1.609344
_NUM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km/h|kmh|kph|mph)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SpeedParams:
    """How edge speeds are set.

    Parameters
    ----------
    truck_factor
        Multiplier applied to every base speed for trucks, in (0, 2]. Default 0.85.
    max_speed_kph
        Cap on truck speed (km/h); default 100, the legal limit for goods vehicles on 高速公路.
    min_speed_kph
        Floor on truck speed (km/h); default 5.
    default_speeds_kph
        Base speed per ``highway`` class when ``maxspeed`` is not tagged; classes missing from
        this table use ``fallback_kph``.
    fallback_kph
        Base speed of an unknown class (km/h); default 30.
    use_maxspeed
        Whether to use the ``maxspeed`` tag when present (default ``True``).
    """

    truck_factor: float = 0.85
    max_speed_kph: float = 100.0
    min_speed_kph: float = 5.0
    default_speeds_kph: dict[str, float] = field(default_factory=lambda: dict(CHINA_DEFAULT_SPEEDS_KPH))
    fallback_kph: float = 30.0
    use_maxspeed: bool = True

    def __post_init__(self) -> None:
        if not (0 < self.truck_factor <= 2):
            raise ValueError(f"Expected truck_factor in (0, 2], got {self.truck_factor}.")
        if not (0 < self.min_speed_kph <= self.max_speed_kph <= 200):
            raise ValueError(
                "Expected 0 < min_speed_kph <= max_speed_kph <= 200, got "
                f"{self.min_speed_kph} and {self.max_speed_kph}."
            )
        if not (0 < self.fallback_kph <= 200):
            raise ValueError(f"Expected fallback_kph in (0, 200], got {self.fallback_kph}.")
        for k, v in self.default_speeds_kph.items():
            if not (0 < v <= 200):
                raise ValueError(f"Expected default speed of {k!r} in (0, 200] km/h, got {v}.")


def parse_maxspeed_kph(value: object) -> float | None:
    """Read an OSM ``maxspeed`` value in km/h, or ``None`` when untagged or unreadable.

    Accepts numbers (``0`` and negative mean untagged, as in Geofabrik shapefiles),
    ``"60"``, ``"60 km/h"``, ``"30 mph"`` and lists such as ``"60;80"`` or ``["60", "80"]``
    (the lowest value is used: the truck must respect every posted limit).

    Parameters
    ----------
    value
        The tag value.
    """
    if value is None:
        return None
    if isinstance(value, list | tuple):
        vals = [parse_maxspeed_kph(v) for v in value]
        good = [v for v in vals if v is not None]
        return min(good) if good else None
    if isinstance(value, int | float):
        v = float(value)
        return v if math.isfinite(v) and v > 0 else None
    text = str(value).strip()
    if ";" in text or "|" in text:
        return parse_maxspeed_kph(re.split(r"[;|]", text))
    m = _NUM.match(text)
    if not m:
        return None
    v = float(m.group(1))
    if m.group(2) and m.group(2).lower() == "mph":
        v = round(v * _MPH, 3)
    return v if v > 0 else None


def truck_speed_kph(highway: object, maxspeed: object, params: SpeedParams) -> float:
    """Truck speed (km/h) of an edge of class ``highway`` with tag ``maxspeed``.

    Parameters
    ----------
    highway
        OSM ``highway`` class (a list takes its first element, as osmnx merges ways).
    maxspeed
        OSM ``maxspeed`` value, or ``None``.
    params
        Speed parameters.
    """
    if isinstance(highway, list | tuple):
        highway = highway[0] if highway else None
    base = parse_maxspeed_kph(maxspeed) if params.use_maxspeed else None
    if base is None:
        base = params.default_speeds_kph.get(str(highway), params.fallback_kph)
    speed = base * params.truck_factor
    return min(max(speed, params.min_speed_kph), params.max_speed_kph)


def travel_time_s(length_m: float, speed_kph: float) -> float:
    """Seconds to drive ``length_m`` metres at ``speed_kph``.

    Parameters
    ----------
    length_m
        Length in metres.
    speed_kph
        Speed in km/h (> 0).
    """
    return length_m / (speed_kph / 3.6)
