"""Response scenarios (应急情景): hazard, demand points, road disruptions, depots and fleets.

A scenario is a TOML file a planner can read and edit (Chinese names allowed); see
``scenarios/*.toml`` and ``docs/scenarios.md``. :func:`load_scenario` reads and validates it;
:class:`Scenario` can also be built directly in Python. Every problem is reported with the file
and the field (``demand[3].persons``).

Demand (需求) of point *j* for item *k* is the catalogue norm applied to the point's persons for
the support duration (:meth:`logistics.stock.catalogue.Item.requirement`): people relocated
(紧急转移安置) need every item of the scenario's list; people needing emergency living relief in
their own homes (需紧急生活救助) need every item except shelter items (tents, toilet tents, beds,
mats, site lamps). Per-household items go through the region's household size.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from logistics.region import Region

__all__ = ["SHELTER_CATEGORIES", "DemandPoint", "DisruptionSpec", "Hazard", "Scenario", "VehicleSpec"]

#: Item categories needed only by relocated people (not by people relieved at home).
SHELTER_CATEGORIES = frozenset({"shelter", "sanitation"})
SHELTER_ITEMS = frozenset({"folding_bed", "moisture_mat", "emergency_light"})
OBJECTIVES = ("lexicographic", "delivered", "equity", "person_hours", "ton_km")
HAZARD_TYPES = {
    "earthquake": "地震", "flood": "洪水", "typhoon": "台风", "storm_surge": "风暴潮",
    "landslide": "地质灾害", "blizzard": "雪灾", "drought": "干旱", "other": "其他",
}  # fmt: skip


@dataclass(frozen=True)
class Hazard:
    """The hazard event.

    Parameters
    ----------
    type
        ``earthquake``, ``flood``, ``typhoon``, ``storm_surge``, ``landslide`` …
    time
        Date-time of onset (t = 0 of the response clock is the dispatch order, here the onset).
    epicentre
        (lon, lat) WGS-84 of an epicentre or centre, if any.
    area_wkt
        Affected area as WKT, if any.
    magnitude
        Magnitude (earthquakes) or other intensity measure.
    description
        Free text.
    """

    type: str
    time: dt.datetime | None = None
    epicentre: tuple[float, float] | None = None
    area_wkt: str | None = None
    magnitude: float | None = None
    description: str = ""

    @property
    def name_zh(self) -> str:
        """Chinese name of the hazard type."""
        return HAZARD_TYPES.get(self.type, self.type)


@dataclass(frozen=True)
class DemandPoint:
    """A shelter or township that must receive relief.

    Parameters
    ----------
    id, name
        Identifier and name.
    lon, lat
        WGS-84 location.
    relocated
        Persons relocated (紧急转移安置) at this point.
    need_relief
        Persons needing emergency living relief at home (需紧急生活救助).
    priority
        Weight in the delivered-demand objective (default 1).
    deadline_h
        Point-specific deadline, hours after onset (default: the scenario's).
    county
        County, if known.
    receive_from_h
        Hour after onset from which the point can receive goods (its receiving window opens,
        e.g. a shelter still being set up); a truck arriving earlier waits. Default: any time.
    unload_h
        Fixed unloading time of one truck visit here, hours (default: the scenario's).
    unload_h_per_t
        Additional unloading time per tonne here, hours (default: the scenario's).
    """

    id: str
    name: str
    lon: float
    lat: float
    relocated: int = 0
    need_relief: int = 0
    priority: float = 1.0
    deadline_h: float | None = None
    county: str = ""
    receive_from_h: float | None = None
    unload_h: float | None = None
    unload_h_per_t: float | None = None

    @property
    def persons(self) -> int:
        """All affected persons at the point."""
        return self.relocated + self.need_relief


@dataclass(frozen=True)
class DisruptionSpec:
    """A road disruption as written in a scenario (applied by the road layer).

    Parameters
    ----------
    kind
        ``close`` or ``slow``.
    way_ids
        OSM way ids to close.
    road_names
        Road names or refs to close (``G102``, ``滦河大桥``).
    polygon_wkt
        Polygon (WKT, WGS-84) whose edges are closed or slowed.
    polygon_file
        GeoJSON file with the polygon(s), relative paths resolved.
    reopen_h
        Hour at which a closure is reopened (抢通), if any.
    factor
        Speed factor for ``slow`` (0 < factor < 1).
    note
        Free text (e.g. 塌方, 桥梁损毁).
    start_h
        Hour at which a ``slow`` disruption begins (default 0, the onset).
    end_h
        Hour at which a ``slow`` disruption ends; ``None`` (default) for the whole response.
    """

    kind: str
    way_ids: tuple[int, ...] = ()
    road_names: tuple[str, ...] = ()
    polygon_wkt: str | None = None
    polygon_file: Path | None = None
    reopen_h: float | None = None
    factor: float | None = None
    note: str = ""
    start_h: float = 0.0
    end_h: float | None = None


@dataclass(frozen=True)
class VehicleSpec:
    """Vehicles of one type at one depot.

    Parameters
    ----------
    depot_id
        Depot where the vehicles are based.
    vehicle_type
        Name (重型厢式货车 …).
    capacity_kg, capacity_m3
        Payload weight and volume per trip.
    count
        Number of vehicles.
    max_trips
        Most trips (depot → points → depot) one vehicle may make; ``None`` (default) for no limit.
    max_duration_h
        Driver working hours: the longest time from the start of the vehicle's first loading
        to its last return to the depot, in hours; ``None`` (default) for no limit.

    Raises
    ------
    ValueError
        If ``max_trips`` is not a whole number >= 1 or ``max_duration_h`` not a finite number
        of hours > 0 (``None`` aside).
    """

    depot_id: str
    vehicle_type: str
    capacity_kg: float
    capacity_m3: float
    count: int
    max_trips: int | None = None
    max_duration_h: float | None = None

    def __post_init__(self) -> None:
        _check_limits(self.max_trips, self.max_duration_h)
        if self.max_trips is not None:
            object.__setattr__(self, "max_trips", int(self.max_trips))
        if self.max_duration_h is not None:
            object.__setattr__(self, "max_duration_h", float(self.max_duration_h))


def _check_limits(max_trips: Any, max_duration_h: Any) -> None:
    """Raise ``ValueError`` unless both limits are ``None`` or valid (whole trips >= 1, hours > 0)."""
    if max_trips is not None and (
        isinstance(max_trips, bool)
        or not isinstance(max_trips, numbers.Real)
        or not (1 <= max_trips < math.inf)
        or not float(max_trips).is_integer()
    ):
        raise ValueError(f"Expected max_trips a whole number >= 1 or None, got {max_trips!r}.")
    if max_duration_h is not None and (
        isinstance(max_duration_h, bool)
        or not isinstance(max_duration_h, numbers.Real)
        or not (0 < max_duration_h < math.inf)
    ):
        raise ValueError(f"Expected max_duration_h > 0 hours (finite) or None, got {max_duration_h!r}.")


@dataclass(frozen=True)
class HubSpec:
    """A transfer hub (中转站) as written in a scenario's ``[[hub]]`` table.

    Parameters
    ----------
    depot_id
        The hub's depot.
    cutoffs_h
        Wave cut-offs, hours after onset (increasing): goods unloaded at the hub by a cut-off
        are sent on from ``cutoff + handling_h``.
    handling_h
        Hours to unload, sort and load again after a cut-off.
    throughput_t_h
        Tonnes the hub can unload per hour (``None``: no limit).
    """

    depot_id: str
    cutoffs_h: tuple[float, ...] = (4.0,)
    handling_h: float = 1.0
    throughput_t_h: float | None = None


@dataclass(frozen=True)
class Scenario:
    """A response scenario.

    Parameters
    ----------
    name
        Title.
    region
        The region (inventory, places, catalogue, household size).
    hazard
        The hazard.
    demand
        Demand points.
    days
        Support duration in days (demand = persons × norms × days).
    deadline_h
        Deadline for delivery, hours after onset (default 12, 初步救助).
    items
        Items to deliver (default: the region's basic kit).
    substitutes
        Allowed substitutions ``(item, substitute)``: the substitute may cover the item's demand one
        for one. Only pairs listed here are used. A substitute that is not among the items joins
        :attr:`item_ids`, with no demand of its own (:attr:`substitute_only_ids`).
    disruptions
        Road disruptions.
    depot_ids
        Depots in play (default: all of the region).
    mutual_aid
        Partners in play: ``(name, activation_delay_h)``.
    fleet
        Vehicles per depot. A vehicle without its own ``max_trips`` / ``max_duration_h`` gets the
        scenario's (below) when the scenario is built.
    load_h, unload_h
        Loading time at the depot per trip, and fixed unloading time per visit of a point.
    seed
        Random seed for the solvers.
    objective
        ``lexicographic`` (default: delivered → equity → person-hours), ``delivered``, ``equity``,
        ``person_hours`` or ``ton_km``.
    roads
        Road network file (default: the region's, else the embedded demo network).
    path
        The scenario file, if read from one.
    illustrative
        Note shown in every output when the scenario is invented.
    extra
        Other data, for other modules.
    max_trips
        Default most trips per vehicle, for vehicles without their own; ``None`` for no limit.
    max_duration_h
        Default driver working hours per vehicle (first loading to last return), for vehicles
        without their own; ``None`` for no limit.
    unload_h_per_t
        Additional unloading time per tonne delivered, hours (default 0).
    depot_hours
        Opening hours of depots, ``(depot_id, open_h, close_h)`` in hours after onset: trucks
        load from ``open_h`` and are back by ``close_h``. Depots not listed are open all the time.
    hubs
        Transfer hubs (``[[hub]]``): depots whose trucks forward goods brought by other depots'
        trucks (see :mod:`logistics.allocation.hubs`).

    Raises
    ------
    ValueError
        If a number is out of range or the objective unknown.
    """

    name: str
    region: Region
    hazard: Hazard
    demand: tuple[DemandPoint, ...]
    days: float = 3.0
    deadline_h: float = 12.0
    items: tuple[str, ...] = ()
    substitutes: tuple[tuple[str, str], ...] = ()
    disruptions: tuple[DisruptionSpec, ...] = ()
    depot_ids: tuple[str, ...] = ()
    mutual_aid: tuple[tuple[str, float], ...] = ()
    fleet: tuple[VehicleSpec, ...] = ()
    load_h: float = 1.0
    unload_h: float = 0.5
    seed: int = 0
    objective: str = "lexicographic"
    roads: Path | None = None
    path: Path | None = None
    illustrative: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    max_trips: int | None = None
    max_duration_h: float | None = None
    unload_h_per_t: float = 0.0
    depot_hours: tuple[tuple[str, float, float], ...] = ()
    hubs: tuple[HubSpec, ...] = ()

    def __post_init__(self) -> None:
        if not (self.deadline_h > 0):
            raise ValueError(f"Expected deadline_h > 0, got {self.deadline_h!r}.")
        if not (self.days > 0):
            raise ValueError(f"Expected days > 0, got {self.days!r}.")
        if self.objective not in OBJECTIVES:
            raise ValueError(f"Expected objective in {OBJECTIVES}, got {self.objective!r}.")
        if not (self.load_h >= 0 and self.unload_h >= 0):
            raise ValueError("Expected load_h >= 0 and unload_h >= 0.")
        _check_limits(self.max_trips, self.max_duration_h)
        object.__setattr__(self, "fleet", tuple(self.vehicle_with_defaults(v) for v in self.fleet))

    def vehicle_with_defaults(self, vehicle: VehicleSpec) -> VehicleSpec:
        """Return ``vehicle`` with the scenario's ``max_trips`` / ``max_duration_h`` where it has none.

        ``fleet`` is already completed this way; use it for other vehicles (mutual-aid partners').

        Parameters
        ----------
        vehicle
            Vehicles of one type at one depot.
        """
        changes: dict[str, Any] = {}
        if vehicle.max_trips is None and self.max_trips is not None:
            changes["max_trips"] = self.max_trips
        if vehicle.max_duration_h is None and self.max_duration_h is not None:
            changes["max_duration_h"] = self.max_duration_h
        return dataclasses.replace(vehicle, **changes) if changes else vehicle

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Items of the scenario: those listed (default the basic kit), then substitutes not among them."""
        return tuple(self.items or self.region.basic_kit) + self.substitute_only_ids

    @property
    def substitute_only_ids(self) -> tuple[str, ...]:
        """Substitutes that are not among the listed items: in :attr:`item_ids`, without demand."""
        listed = set(self.items or self.region.basic_kit)
        return tuple(dict.fromkeys(b for _, b in self.substitutes if b not in listed))

    def demand_of(self, point: DemandPoint, item_id: str) -> float:
        """Units of ``item_id`` needed at ``point`` for the support duration.

        Zero for an item in the scenario only as a substitute (:attr:`substitute_only_ids`).

        Parameters
        ----------
        point
            The demand point.
        item_id
            Catalogue item id.
        """
        if item_id in self.substitute_only_ids:
            return 0.0
        item = self.region.catalogue[item_id]
        hh = float(self.region.household_size.value or 2.6)
        shelter = item.category in SHELTER_CATEGORIES or item_id in SHELTER_ITEMS
        persons = point.relocated if shelter else point.persons
        return float(item.requirement(persons, self.days, hh)) if persons else 0.0

    def demand_table(self) -> dict[tuple[str, str], float]:
        """Demand per (point id, item id), zero entries left out."""
        out = {}
        for p in self.demand:
            for k in self.item_ids:
                q = self.demand_of(p, k)
                if q > 0:
                    out[(p.id, k)] = q
        return out
