"""Turn a scenario into matrices: supply sources, fleets, road travel times, allocation problem.

Supply sources per depot in play:

* physical stock (实物储备) not expired on the hazard date: one source, ready at hour 0;
* contract reserve (协议储备): one source, ready after its lead time;
* production capacity (产能储备): one source per production block of
  :data:`PRODUCTION_BLOCK_H` hours after the start-up delay, each holding
  ``daily_rate × block / 24`` units (the block is ready when it is produced), capped by the
  contracted quantity;
* mutual-aid partners (邻市互助): the partner's physical stock, ready after the activation delay,
  with the partner's own trucks.

Travel times come from the road layer with the scenario's disruptions. With reopenings (抢通)
travel times depend on the departure hour: each depot's times are computed for its earliest
departure (first ready time + loading) with the exact earliest-arrival search (waiting for a
reopening included); later trips from the same depot are assumed to take as long, which is
conservative because roads only reopen.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.allocation import AllocationProblem, Batch, Substitution
from logistics.region import load_region
from logistics.roads import Closure, Slowdown, demo_network, network_from_file, travel_time_matrix
from logistics.scenario import read_fleet
from logistics.stock import Depot, Inventory, ReserveType

if TYPE_CHECKING:
    from collections.abc import Callable

    from logistics.roads import Disruption, RoadMatrices, RoadNetwork
    from logistics.scenario import DisruptionSpec, Scenario, VehicleSpec

__all__ = [
    "PRODUCTION_BLOCK_H",
    "ScenarioModel",
    "SupplySource",
    "build_scenario_model",
    "disruptions_of",
    "scenario_network",
]

#: Production capacity is released in blocks of this many hours.
PRODUCTION_BLOCK_H = 6.0
_REF_RE = re.compile(r"^[GSXYZC]\d{1,4}$")

Progress = "Callable[[str], None]"


def scenario_network(scenario: Scenario) -> RoadNetwork:
    """Load the road network of a scenario (its file, the region's, or the embedded demo network).

    Parameters
    ----------
    scenario
        The scenario.
    """
    path = scenario.roads or scenario.region.extra.get("roads_file")
    if path is not None:
        return network_from_file(path)

    return demo_network()


def disruptions_of(specs: tuple[DisruptionSpec, ...]) -> list[Disruption]:
    """Convert scenario disruption specs to road-layer disruptions.

    Road selectors that look like route numbers (``G102``, ``S251``) are matched as refs, all
    others as names (``G102滦河大桥``).

    Parameters
    ----------
    specs
        Disruptions as written in the scenario.
    """
    out: list[Disruption] = []
    for s in specs:
        polygon = (
            s.polygon_wkt if s.polygon_wkt is not None else (str(s.polygon_file) if s.polygon_file else None)
        )
        if s.kind == "slow":
            out.append(Slowdown(polygon, float(s.factor or 1.0), label=s.note))
            continue
        refs = tuple(n for n in s.road_names if _REF_RE.match(n))
        names = tuple(n for n in s.road_names if not _REF_RE.match(n))
        out.append(
            Closure(
                way_ids=s.way_ids, names=names, refs=refs, polygon=polygon, reopen_h=s.reopen_h, label=s.note
            )
        )
    return out


@dataclass(frozen=True)
class ScenarioModel:
    """The scenario turned into an allocation problem, with what is needed to report on it.

    Parameters
    ----------
    scenario
        The scenario.
    problem
        The allocation problem (matrices).
    depots
        Physical locations in play, in the problem's depot order.
    network
        The road network (undisrupted; disruptions are applied in each query).
    disruptions
        Road-layer disruptions.
    batches
        ``{(source_id, item_id): [Batch …]}`` for FEFO assignment.
    matrices
        Road matrices per departure group (depot ids → points).
    notes
        Illustrative-data notes of the region, partners and scenario.
    warnings
        Snapping and reachability warnings (text).
    """

    scenario: Scenario
    problem: AllocationProblem
    depots: tuple[Depot, ...]
    network: RoadNetwork
    disruptions: tuple[Any, ...]
    batches: dict[tuple[str, str], list[Batch]]
    matrices: tuple[RoadMatrices, ...]
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    depot_ready_h: dict[str, float] = field(default_factory=dict)

    def depot(self, depot_id: str) -> Depot:
        """Depot by id."""
        return next(d for d in self.depots if d.id == depot_id)

    def road_path(self, depot_id: str, point_id: str) -> Any:
        """Road path (with geometry) from a depot to a point, or ``None``."""
        for m in self.matrices:
            if depot_id in m.origin_ids and point_id in m.destination_ids:
                p = m.path(depot_id, point_id)
                return p if p.reachable else None
        return None


@dataclass(frozen=True)
class SupplySource:
    """Stock that becomes loadable at one depot at one time (a column of the allocation).

    Parameters
    ----------
    id
        ``<depot>/own``, ``<depot>/contract``, ``<depot>/mutual_aid`` or
        ``<depot>/produced-<h>h``.
    depot_id
        The depot that holds it.
    kind
        ``own``, ``contract``, ``capacity`` or ``mutual_aid``.
    ready_h
        Hour from which it can be loaded.
    stock
        Units by item id.
    """

    id: str
    depot_id: str
    kind: str
    ready_h: float
    stock: dict[str, float]


@dataclass(frozen=True)
class _Supply:
    """Sources, batches, depots and trucks in play, with illustrative-data notes."""

    sources: list[SupplySource]
    batches: dict[tuple[str, str], list[Batch]]
    depots: dict[str, Depot]
    fleet: list[VehicleSpec]
    notes: list[str]


def _production_sources(
    d: Depot, lines: list[Any], horizon_h: float, ready_offset_h: float
) -> list[SupplySource]:
    """Return one source per production block of a capacity reserve, capped by the contracted quantity."""
    out = []
    produced: dict[str, float] = defaultdict(float)
    n_blocks = max(0, math.ceil((horizon_h - d.startup_delay_h) / PRODUCTION_BLOCK_H))
    for b in range(1, n_blocks + 1):
        ready = d.startup_delay_h + b * PRODUCTION_BLOCK_H
        if ready > horizon_h:
            break
        stock: dict[str, float] = {}
        for ln in lines:
            if not ln.daily_rate:
                continue
            q = min(ln.daily_rate * PRODUCTION_BLOCK_H / 24, ln.quantity - produced[ln.item_id])
            if q > 0:
                stock[ln.item_id] = stock.get(ln.item_id, 0.0) + q
                produced[ln.item_id] += q
        if stock:
            out.append(
                SupplySource(f"{d.id}/produced-{ready:g}h", d.id, "capacity", ready + ready_offset_h, stock)
            )
    return out


def _sources(
    inv: Inventory,
    depot_ids: tuple[str, ...],
    date: dt.date,
    horizon_h: float,
    items: tuple[str, ...],
    kind_override: str | None = None,
    ready_offset_h: float = 0.0,
) -> tuple[list[SupplySource], dict[tuple[str, str], list[Batch]]]:
    """Return the supply sources of the given depots and their batches."""
    wanted = set(items)
    sources: list[SupplySource] = []
    batches: dict[tuple[str, str], list[Batch]] = defaultdict(list)
    for did in depot_ids:
        d = inv.depot(did)
        lines = [ln for ln in inv.lines_at(did) if ln.item_id in wanted and ln.is_usable(date)]
        if not lines:
            continue
        if d.reserve_type is ReserveType.CAPACITY:
            sources += _production_sources(d, lines, horizon_h, ready_offset_h)
            continue
        kind = kind_override or ("contract" if d.reserve_type is ReserveType.CONTRACT else "own")
        sid = f"{did}/{kind}"
        stock: dict[str, float] = defaultdict(float)
        for k, ln in enumerate(lines):
            stock[ln.item_id] += ln.quantity
            batches[(sid, ln.item_id)].append(
                Batch(ln.batch or f"{did}-line{k + 1}", ln.quantity, ln.expiry_date)
            )
        sources.append(SupplySource(sid, did, kind, d.ready_h + ready_offset_h, dict(stock)))
    return sources, batches


def _supply(scenario: Scenario, date: dt.date, horizon_h: float) -> _Supply:
    """Collect the region's own sources and those of the mutual-aid partners the scenario calls."""
    region = scenario.region
    inv = region.inventory()
    items = scenario.item_ids
    sources, batches = _sources(inv, scenario.depot_ids, date, horizon_h, items)
    depots: dict[str, Depot] = {inv.depot(s.depot_id).id: inv.depot(s.depot_id) for s in sources}
    fleet: list[VehicleSpec] = [v for v in scenario.fleet if v.depot_id in depots]
    notes = [n for n in (scenario.illustrative, inv.illustrative_note) if n]
    partners = {p.name: p for p in region.mutual_aid}
    for name, delay in scenario.mutual_aid:
        preg = load_region(partners[name].region_path)
        pinv = preg.inventory()
        ids = tuple(d.id for d in pinv.depots if d.reserve_type is ReserveType.PHYSICAL)
        psrc, pbat = _sources(
            pinv, ids, date, horizon_h, items, kind_override="mutual_aid", ready_offset_h=delay
        )
        sources += psrc
        batches.update(pbat)
        depots.update({s.depot_id: pinv.depot(s.depot_id) for s in psrc})
        if preg.extra.get("fleet_file"):
            fleet += [v for v in read_fleet(preg.extra["fleet_file"]) if v.depot_id in depots]
        if pinv.illustrative_note:
            notes.append(pinv.illustrative_note)
    return _Supply(sources, dict(batches), depots, fleet, notes)


def _road_times(
    scenario: Scenario,
    net: RoadNetwork,
    dis: tuple[Disruption, ...],
    depots: tuple[Depot, ...],
    ready_of: dict[str, float],
) -> tuple[np.ndarray, np.ndarray, list[RoadMatrices], list[str]]:
    """Compute travel times (h) and distances (km) depot × point, one matrix per departure group."""
    points = [(p.id, p.lon, p.lat) for p in scenario.demand]
    groups: dict[float, list[Depot]] = defaultdict(list)
    for d in depots:
        groups[round(ready_of[d.id] + scenario.load_h, 6)].append(d)
    travel = np.full((len(depots), len(points)), np.nan)
    dist = np.full((len(depots), len(points)), np.nan)
    mats = []
    index = {d.id: i for i, d in enumerate(depots)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for depart, group in sorted(groups.items()):
            m = travel_time_matrix(
                net, [(d.id, d.lon, d.lat) for d in group], points, disruptions=dis, depart_h=depart
            )
            mats.append(m)
            for r, did in enumerate(m.origin_ids):
                travel[index[did]] = m.travel_time_s[r] / 3600.0
                dist[index[did]] = m.length_m[r] / 1000.0
    return travel, dist, mats, list(dict.fromkeys(str(w.message) for w in caught))


def build_scenario_model(
    scenario: Scenario, *, network: RoadNetwork | None = None, progress: Callable[[str], None] | None = None
) -> ScenarioModel:
    """Build the allocation problem of a scenario.

    Parameters
    ----------
    scenario
        The scenario.
    network
        Road network to use (default: :func:`scenario_network`).
    progress
        Called with short progress messages.

    Raises
    ------
    InputError
        For bad road data, disruptions or points that cannot be snapped.
    """
    say = progress or (lambda _msg: None)
    date = scenario.hazard.time.date() if scenario.hazard.time else dt.date.today()
    horizon = max([p.deadline_h or scenario.deadline_h for p in scenario.demand] + [scenario.deadline_h])
    supply = _supply(scenario, date, horizon)
    depot_list = tuple(supply.depots.values())
    say("roads")
    net = network if network is not None else scenario_network(scenario)
    dis = tuple(disruptions_of(scenario.disruptions))
    ready_of: dict[str, float] = {}
    for src in supply.sources:
        ready_of[src.depot_id] = min(ready_of.get(src.depot_id, math.inf), src.ready_h)
    travel, dist, mats, caught_msgs = _road_times(scenario, net, dis, depot_list, ready_of)
    say("model")
    problem = _allocation_problem(scenario, supply, tuple(supply.depots), travel, dist)
    return ScenarioModel(
        scenario=scenario,
        problem=problem,
        depots=depot_list,
        network=net,
        disruptions=dis,
        batches=supply.batches,
        matrices=tuple(mats),
        notes=tuple(dict.fromkeys(supply.notes)),
        warnings=tuple(caught_msgs),
        depot_ready_h=ready_of,
    )


def _allocation_problem(
    scenario: Scenario, supply: _Supply, depot_ids: tuple[str, ...], travel: np.ndarray, dist: np.ndarray
) -> AllocationProblem:
    """Build the allocation problem: sources, points, items, travel times and fleet as matrices."""
    cat = scenario.region.catalogue
    items = scenario.item_ids
    sources, fleet = supply.sources, supply.fleet
    stock = np.array([[s.stock.get(k, 0.0) for k in items] for s in sources]).reshape(
        len(sources), len(items)
    )
    demand = np.array([[scenario.demand_of(p, k) for k in items] for p in scenario.demand])
    return AllocationProblem.from_arrays(
        item_ids=items,
        weight_kg=[cat[k].weight_kg.value or 0.0 for k in items],
        volume_m3=[cat[k].volume_m3.value or 0.0 for k in items],
        depot_ids=depot_ids,
        source_ids=[s.id for s in sources],
        source_depot=[s.depot_id for s in sources],
        source_kind=[s.kind for s in sources],
        ready_h=[s.ready_h for s in sources],
        stock=stock,
        point_ids=[p.id for p in scenario.demand],
        persons=[p.persons for p in scenario.demand],
        priority=[p.priority for p in scenario.demand],
        demand=demand,
        deadline_h=[p.deadline_h or scenario.deadline_h for p in scenario.demand],
        travel_time_h=travel,
        distance_km=dist,
        fleet_ids=[f"{v.depot_id}/{v.vehicle_type}" for v in fleet],
        fleet_depot=[v.depot_id for v in fleet],
        capacity_kg=[v.capacity_kg for v in fleet],
        capacity_m3=[v.capacity_m3 for v in fleet],
        fleet_count=[v.count for v in fleet],
        load_h=scenario.load_h,
        unload_h=scenario.unload_h,
        substitutions=[Substitution(a, b) for a, b in scenario.substitutes if a in items and b in items],
    )
