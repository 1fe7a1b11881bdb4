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

import csv
import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from logistics.common import in_china_bbox, normalise_crs, to_wgs84
from logistics.exceptions import Problem, ScenarioError
from logistics.region import Region, demo_region, load_region

__all__ = [
    "SHELTER_CATEGORIES",
    "DemandPoint",
    "DisruptionSpec",
    "Hazard",
    "Scenario",
    "VehicleSpec",
    "load_scenario",
    "read_fleet",
]

#: Item categories needed only by relocated people (not by people relieved at home).
SHELTER_CATEGORIES = frozenset({"shelter", "sanitation"})
SHELTER_ITEMS = frozenset({"folding_bed", "moisture_mat", "emergency_light"})
OBJECTIVES = ("lexicographic", "delivered", "equity", "person_hours", "ton_km")
HAZARD_TYPES = {
    "earthquake": "地震", "flood": "洪水", "typhoon": "台风", "storm_surge": "风暴潮",
    "landslide": "地质灾害", "blizzard": "雪灾", "drought": "干旱", "other": "其他",
}  # fmt: skip
_ROOT_KEYS = {
    "name", "name_en", "description", "region", "roads", "seed", "illustrative", "hazard", "response",
    "demand", "disruption", "depots", "mutual_aid", "fleet", "handling",
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
    """

    kind: str
    way_ids: tuple[int, ...] = ()
    road_names: tuple[str, ...] = ()
    polygon_wkt: str | None = None
    polygon_file: Path | None = None
    reopen_h: float | None = None
    factor: float | None = None
    note: str = ""


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
    """

    depot_id: str
    vehicle_type: str
    capacity_kg: float
    capacity_m3: float
    count: int


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
        for one. Only pairs listed here are used.
    disruptions
        Road disruptions.
    depot_ids
        Depots in play (default: all of the region).
    mutual_aid
        Partners in play: ``(name, activation_delay_h)``.
    fleet
        Vehicles per depot.
    load_h, unload_h
        Loading time at the depot and unloading time at the point, per trip.
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

    def __post_init__(self) -> None:
        if not (self.deadline_h > 0):
            raise ValueError(f"Expected deadline_h > 0, got {self.deadline_h!r}.")
        if not (self.days > 0):
            raise ValueError(f"Expected days > 0, got {self.days!r}.")
        if self.objective not in OBJECTIVES:
            raise ValueError(f"Expected objective in {OBJECTIVES}, got {self.objective!r}.")
        if not (self.load_h >= 0 and self.unload_h >= 0):
            raise ValueError("Expected load_h >= 0 and unload_h >= 0.")

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Items of the scenario (the region's basic kit unless listed)."""
        return self.items or self.region.basic_kit

    def demand_of(self, point: DemandPoint, item_id: str) -> float:
        """Units of ``item_id`` needed at ``point`` for the support duration.

        Parameters
        ----------
        point
            The demand point.
        item_id
            Catalogue item id.
        """
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


def read_fleet(path: Path, *, origin: str = "") -> list[VehicleSpec]:
    """Read a fleet CSV (``depot_id, vehicle_type, capacity_kg, capacity_m3, count``).

    Parameters
    ----------
    path
        The CSV file.
    origin
        Where the reference came from, for messages.

    Raises
    ------
    ScenarioError
        Listing every bad row (zero or negative capacity, bad count …).
    """
    problems: list[Problem] = []
    out: list[VehicleSpec] = []
    with open(path, encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        need = ["depot_id", "vehicle_type", "capacity_kg", "capacity_m3", "count"]
        missing = [c for c in need if c not in (reader.fieldnames or [])]
        if missing:
            raise ScenarioError([Problem(f"missing column(s) {missing}", file=str(path))])
        for row_no, row in enumerate(reader, start=2):
            try:
                spec = _vehicle(row, row["depot_id"])
            except (ValueError, TypeError) as exc:
                problems.append(Problem(str(exc), file=str(path), row=row_no))
                continue
            out.append(spec)
    if problems:
        raise ScenarioError(problems)
    return out


def _vehicle(d: dict[str, Any], depot_id: str) -> VehicleSpec:
    try:
        kg, m3, n = float(d["capacity_kg"]), float(d["capacity_m3"]), float(d["count"])
    except KeyError as exc:
        raise ValueError(f"missing field {exc.args[0]!r}") from None
    if not (kg > 0) or not (m3 > 0):
        raise ValueError(
            f"capacity must be > 0 (capacity_kg={d['capacity_kg']}, capacity_m3={d['capacity_m3']})"
        )
    if not (n >= 0) or not float(n).is_integer():
        raise ValueError(f"count must be a whole number >= 0 (got {d['count']})")
    return VehicleSpec(str(depot_id), str(d.get("vehicle_type", d.get("type", "货车"))), kg, m3, int(n))


def _num(d: dict[str, Any], key: str, where: str, problems: list[Problem], origin: str, *, default: Any = None,
         positive: bool = False, nonneg: bool = False) -> Any:  # fmt: skip
    if key not in d:
        return default
    v = d[key]
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        problems.append(Problem("must be a number", file=origin, column=f"{where}{key}", value=str(v)))
        return default
    if positive and not (v > 0):
        problems.append(Problem("must be > 0", file=origin, column=f"{where}{key}", value=str(v)))
        return default
    if nonneg and not (v >= 0):
        problems.append(Problem("must not be negative", file=origin, column=f"{where}{key}", value=str(v)))
        return default
    return v


def scenario_from_dict(data: dict[str, Any], *, origin: str = "", base: Path | None = None) -> Scenario:
    """Build and validate a scenario from its parsed TOML structure.

    Parameters
    ----------
    data
        Parsed scenario.
    origin
        File name used in messages.
    base
        Folder relative paths are resolved against.

    Raises
    ------
    ScenarioError
        Every problem, each naming the file and the field.
    """
    base = base or Path.cwd()
    problems: list[Problem] = []
    for key in sorted(set(data) - _ROOT_KEYS):
        problems.append(
            Problem(f"unknown field (known: {', '.join(sorted(_ROOT_KEYS))})", file=origin, column=key)
        )
    _unknown_keys(data, origin, problems)
    region = load_region(base / data["region"]) if "region" in data else demo_region()
    inv = region.inventory()
    catalogue = region.catalogue

    hz = data.get("hazard", {})
    htype = hz.get("type", "other")
    if htype not in HAZARD_TYPES:
        problems.append(
            Problem(
                f"unknown hazard type (expected one of {', '.join(HAZARD_TYPES)})",
                file=origin,
                column="hazard.type",
                value=str(htype),
            )
        )
    epi = hz.get("epicentre")
    if epi is not None and not (
        isinstance(epi, list) and len(epi) == 2 and all(isinstance(x, int | float) for x in epi)
    ):
        problems.append(
            Problem("epicentre must be [lon, lat]", file=origin, column="hazard.epicentre", value=str(epi))
        )
        epi = None
    area = hz.get("area")
    if area is not None:
        _check_wkt(area, "hazard.area", origin, problems)
    htime = hz.get("time")
    if isinstance(htime, str):
        try:
            htime = dt.datetime.fromisoformat(htime)
        except ValueError:
            problems.append(Problem("not an ISO date-time", file=origin, column="hazard.time", value=htime))
            htime = None
    hazard = Hazard(htype, htime if isinstance(htime, dt.datetime) else None, tuple(epi) if epi else None, area,
                    hz.get("magnitude"), str(hz.get("description", "")))  # fmt: skip

    resp = data.get("response", {})
    deadline = _num(resp, "deadline_h", "response.", problems, origin, default=12.0, positive=True)
    days = _num(resp, "days", "response.", problems, origin, default=3.0, positive=True)
    items: list[str] = []
    for k, name in enumerate(resp.get("items", [])):
        item = catalogue.find(str(name))
        if item is None:
            problems.append(
                Problem("unknown item", file=origin, column=f"response.items[{k}]", value=str(name))
            )
        else:
            items.append(item.id)
    subs: list[tuple[str, str]] = []
    for k, pair in enumerate(resp.get("substitutes", [])):
        found = (
            [catalogue.find(str(x)) for x in pair] if isinstance(pair, list) and len(pair) == 2 else [None]
        )
        if None in found:
            problems.append(
                Problem(
                    "expected [item, substitute] with known items",
                    file=origin,
                    column=f"response.substitutes[{k}]",
                    value=str(pair),
                )
            )
            continue
        a, b = found
        if b.id not in a.substitutes:  # type: ignore[union-attr]
            problems.append(Problem(f"{b.name_zh} is not listed as a substitute of {a.name_zh} in the catalogue",  # type: ignore[union-attr]
                                    file=origin, column=f"response.substitutes[{k}]", value=str(pair)))  # fmt: skip
            continue
        subs.append((a.id, b.id))  # type: ignore[union-attr]
    objective = resp.get("objective", "lexicographic")
    if objective not in OBJECTIVES:
        problems.append(
            Problem(
                f"unknown objective (expected one of {', '.join(OBJECTIVES)})",
                file=origin,
                column="response.objective",
                value=str(objective),
            )
        )
        objective = "lexicographic"

    places = {p.id: p for p in region.places()}
    places_by_name = {p.name: p for p in region.places()}
    demand: list[DemandPoint] = []
    seen: set[str] = set()
    raw_demand = data.get("demand", [])
    if not raw_demand:
        problems.append(Problem("no demand points", file=origin, column="demand"))
    for k, d in enumerate(raw_demand):
        where = f"demand[{k}]."
        place = None
        if "place" in d:
            place = places.get(str(d["place"])) or places_by_name.get(str(d["place"]))
            if place is None:
                problems.append(
                    Problem(
                        "unknown place of the region",
                        file=origin,
                        column=f"{where}place",
                        value=str(d["place"]),
                    )
                )
                continue
        lon = d.get("lon", place.lon if place else None)
        lat = d.get("lat", place.lat if place else None)
        if lon is None or lat is None:
            problems.append(Problem("needs place, or lon and lat", file=origin, column=f"demand[{k}]"))
            continue

        if not (isinstance(lon, int | float) and isinstance(lat, int | float)) or not in_china_bbox(lon, lat):
            problems.append(
                Problem("coordinates outside China", file=origin, column=f"{where}lon", value=f"{lon}, {lat}")
            )
            continue
        if "crs" in d:  # coordinates copied from a Chinese web map (GCJ-02 / BD-09) are converted
            crs = normalise_crs(str(d["crs"]))
            if crs is None:
                problems.append(
                    Problem(
                        "unknown coordinate system (WGS84, GCJ02, BD09)",
                        file=origin,
                        column=f"{where}crs",
                        value=str(d["crs"]),
                    )
                )
                continue
            lon, lat = to_wgs84(float(lon), float(lat), crs)
        reloc = _num(d, "relocated", where, problems, origin, default=0, nonneg=True)
        relief = _num(d, "need_relief", where, problems, origin, default=0, nonneg=True)
        persons = _num(d, "persons", where, problems, origin, default=None, nonneg=True)
        if persons is not None and "relocated" not in d:
            reloc = persons
        prio = _num(d, "priority", where, problems, origin, default=1.0, positive=True)
        pdl = _num(d, "deadline_h", where, problems, origin, default=None, positive=True)
        pid = str(d.get("id", place.id if place else f"D{k + 1:02d}"))
        if pid in seen:
            problems.append(Problem("duplicate demand point id", file=origin, column=f"{where}id", value=pid))
            continue
        seen.add(pid)
        for key, v in (("relocated", reloc), ("need_relief", relief)):
            if isinstance(v, float) and not v.is_integer():
                problems.append(
                    Problem("persons must be whole", file=origin, column=f"{where}{key}", value=str(v))
                )
        demand.append(
            DemandPoint(pid, str(d.get("name", place.name if place else pid)), float(lon), float(lat),
                        int(reloc or 0), int(relief or 0), float(prio), pdl, str(d.get("county", place.county if place else "")))
        )  # fmt: skip

    disruptions: list[DisruptionSpec] = []
    for k, d in enumerate(data.get("disruption", [])):
        where = f"disruption[{k}]."
        kind = d.get("type", "close")
        if kind not in ("close", "slow"):
            problems.append(
                Problem("type must be close or slow", file=origin, column=f"{where}type", value=str(kind))
            )
            continue
        wkt = d.get("polygon")
        if wkt is not None and not _check_wkt(wkt, f"{where}polygon", origin, problems):
            continue
        pfile = base / d["file"] if "file" in d else None
        if pfile is not None and not pfile.exists():
            problems.append(
                Problem("polygon file not found", file=origin, column=f"{where}file", value=str(pfile))
            )
            continue
        names = d.get("road", d.get("roads", []))
        names = [names] if isinstance(names, str) else list(names)
        ways = d.get("way_ids", [])
        if not (wkt or pfile or names or ways):
            problems.append(
                Problem("needs polygon, file, road or way_ids", file=origin, column=f"disruption[{k}]")
            )
            continue
        reopen = _num(d, "reopen_h", where, problems, origin, default=None, nonneg=True)
        factor = _num(d, "factor", where, problems, origin, default=None, positive=True)
        if kind == "slow" and (factor is None or factor >= 1 or (wkt is None and pfile is None)):
            problems.append(
                Problem(
                    "a slowdown needs a polygon and 0 < factor < 1",
                    file=origin,
                    column=f"{where}factor",
                    value=str(factor),
                )
            )
            continue
        disruptions.append(DisruptionSpec(kind, tuple(int(w) for w in ways), tuple(str(n) for n in names), wkt, pfile,
                                          reopen, factor, str(d.get("note", ""))))  # fmt: skip

    dep = data.get("depots", {})
    known = {d.id for d in inv.depots}
    use = dep.get("use", "all")
    depot_ids = sorted(known) if use == "all" else [str(x) for x in use]
    for k, did in enumerate(depot_ids):
        if did not in known:
            problems.append(Problem("unknown depot", file=origin, column=f"depots.use[{k}]", value=did))
    excl = [str(x) for x in dep.get("exclude", [])]
    for k, did in enumerate(excl):
        if did not in known:
            problems.append(Problem("unknown depot", file=origin, column=f"depots.exclude[{k}]", value=did))
    depot_ids = [d for d in depot_ids if d in known and d not in excl]

    partners = {p.name: p for p in region.mutual_aid}
    aid: list[tuple[str, float]] = []
    for k, m in enumerate(data.get("mutual_aid", [])):
        name = str(m.get("name", ""))
        if name not in partners:
            problems.append(
                Problem(
                    "unknown mutual-aid partner of the region",
                    file=origin,
                    column=f"mutual_aid[{k}].name",
                    value=name,
                )
            )
            continue
        delay = _num(
            m,
            "activation_delay_h",
            f"mutual_aid[{k}].",
            problems,
            origin,
            default=partners[name].activation_delay_h,
            nonneg=True,
        )
        aid.append((name, float(delay)))

    fleet: list[VehicleSpec] = []
    fl = data.get("fleet", {})
    if "file" in fl:
        fleet = read_fleet(base / fl["file"])
    elif region.extra.get("fleet_file"):
        fleet = read_fleet(region.extra["fleet_file"])
    for k, v in enumerate(fl.get("vehicles", [])):
        try:
            spec = _vehicle(v, str(v.get("depot", "")))
        except (ValueError, TypeError) as exc:
            problems.append(Problem(str(exc), file=origin, column=f"fleet.vehicles[{k}]"))
            continue
        if spec.depot_id not in known:
            problems.append(
                Problem(
                    "unknown depot", file=origin, column=f"fleet.vehicles[{k}].depot", value=spec.depot_id
                )
            )
            continue
        fleet = [
            f for f in fleet if not (f.depot_id == spec.depot_id and f.vehicle_type == spec.vehicle_type)
        ] + [spec]

    hd = data.get("handling", {})
    load_h = _num(hd, "load_h", "handling.", problems, origin, default=1.0, nonneg=True)
    unload_h = _num(hd, "unload_h", "handling.", problems, origin, default=0.5, nonneg=True)
    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        problems.append(
            Problem("seed must be a whole number >= 0", file=origin, column="seed", value=str(seed))
        )
        seed = 0
    roads = base / data["roads"] if "roads" in data else None
    if roads is not None and not roads.exists():
        problems.append(Problem("road network file not found", file=origin, column="roads", value=str(roads)))
    if problems:
        raise ScenarioError(problems)
    return Scenario(
        name=str(data.get("name", Path(origin).stem)),
        region=region,
        hazard=hazard,
        demand=tuple(demand),
        days=float(days),
        deadline_h=float(deadline),
        items=tuple(items),
        substitutes=tuple(subs),
        disruptions=tuple(disruptions),
        depot_ids=tuple(depot_ids),
        mutual_aid=tuple(aid),
        fleet=tuple(fleet),
        load_h=float(load_h),
        unload_h=float(unload_h),
        seed=int(seed),
        objective=str(objective),
        roads=roads,
        path=Path(origin) if origin else None,
        illustrative=str(data.get("illustrative", "")),
    )


_TABLE_KEYS = {
    "hazard": {"type", "time", "epicentre", "area", "magnitude", "description"},
    "response": {"deadline_h", "days", "items", "substitutes", "objective"},
    "demand": {
        "id",
        "name",
        "place",
        "lon",
        "lat",
        "crs",
        "relocated",
        "need_relief",
        "persons",
        "priority",
        "deadline_h",
        "county",
        "note",
    },
    "disruption": {"type", "polygon", "file", "road", "roads", "way_ids", "reopen_h", "factor", "note"},
    "depots": {"use", "exclude"},
    "mutual_aid": {"name", "activation_delay_h"},
    "fleet": {"file", "vehicles"},
    "handling": {"load_h", "unload_h"},
}


def _unknown_keys(data: dict[str, Any], origin: str, problems: list[Problem]) -> None:
    for table, allowed in _TABLE_KEYS.items():
        value = data.get(table)
        entries = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for k, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            prefix = f"{table}[{k}]." if isinstance(value, list) else f"{table}."
            for key in sorted(set(entry) - allowed):
                problems.append(
                    Problem(
                        f"unknown field (known: {', '.join(sorted(allowed))})",
                        file=origin,
                        column=prefix + key,
                    )
                )


def _check_wkt(wkt: Any, where: str, origin: str, problems: list[Problem]) -> bool:
    from shapely import wkt as shapely_wkt  # heavy: loaded only on this path
    from shapely.errors import GEOSException  # heavy: loaded only on this path

    try:
        geom = shapely_wkt.loads(str(wkt))
    except (GEOSException, ValueError, TypeError) as exc:
        problems.append(Problem(f"malformed polygon: {exc}", file=origin, column=where, value=str(wkt)[:80]))
        return False
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        problems.append(
            Problem(
                f"expected a POLYGON, got {geom.geom_type}", file=origin, column=where, value=str(wkt)[:80]
            )
        )
        return False
    if not geom.is_valid:
        from shapely.validation import explain_validity  # heavy: loaded only on this path

        problems.append(
            Problem(
                f"malformed polygon: {explain_validity(geom)}", file=origin, column=where, value=str(wkt)[:80]
            )
        )
        return False
    return True


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path
        The TOML file.

    Raises
    ------
    ScenarioError
        File missing, invalid TOML, or any invalid field (all listed with file and field).
    InventoryError, RegionError
        If the region's data are invalid.
    """
    p = Path(path)
    if not p.exists():
        raise ScenarioError([Problem("scenario file not found", file=str(p))])
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([Problem(f"invalid TOML: {exc}", file=str(p))]) from None
    return scenario_from_dict(data, origin=str(p), base=p.parent)
