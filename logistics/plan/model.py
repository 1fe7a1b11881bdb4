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

Travel times come from the road layer with the scenario's disruptions, per road state (closures
reopen, slowdowns start and end; see :mod:`logistics.roads.timed`): one static matrix between
depots and points per state, computed once. The allocation problem the plan is built from uses,
for each depot → point pair, the longest time a leg can take between the depot's first departure
and the last deadline (so that the trucks can do what it plans); the bound problem uses the
shortest (so that its optimum bounds any plan).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.allocation import AllocationProblem, Batch, Hub, Substitution
from logistics.region import load_region
from logistics.roads import (
    Closure,
    Slowdown,
    TimedMatrices,
    demo_network,
    network_from_file,
    timed_matrices,
)
from logistics.scenario import read_fleet
from logistics.stock import Depot, Inventory, ReserveType

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from logistics.roads import Disruption, RoadNetwork, RoadPath
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
            out.append(
                Slowdown(polygon, float(s.factor or 1.0), label=s.note, start_h=s.start_h, end_h=s.end_h)
            )
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
    """The scenario turned into allocation problems and timed road matrices.

    Parameters
    ----------
    scenario
        The scenario.
    problem
        The allocation problem the plan is built from: travel times are the longest a leg
        can take from each depot's first departure to the last deadline (waiting for a
        reopening included), so that what it plans the trucks can do.
    bound_problem
        The same problem with the shortest travel time any road state offers in that window:
        its optimum is an upper bound on the demand any plan meets by the deadline.
    depots
        Physical locations in play, in the problem's depot order.
    network
        The road network (undisrupted; disruptions are applied per road state).
    disruptions
        Road-layer disruptions.
    batches
        ``{(source_id, item_id): [Batch …]}`` for FEFO assignment.
    timed
        Fastest times between depots and points in every road state.
    sources
        The supply sources, in the problem's source order.
    fleet
        The trucks in play (the scenario's and the mutual-aid partners'), with their limits.
    notes
        Illustrative-data notes of the region, partners and scenario.
    warnings
        Snapping and reachability warnings (text).
    depot_ready_h
        First hour each depot's goods can be loaded.
    """

    scenario: Scenario
    problem: AllocationProblem
    bound_problem: AllocationProblem
    depots: tuple[Depot, ...]
    network: RoadNetwork
    disruptions: tuple[Any, ...]
    batches: dict[tuple[str, str], list[Batch]]
    timed: TimedMatrices
    sources: tuple[SupplySource, ...] = ()
    fleet: tuple[VehicleSpec, ...] = ()
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    depot_ready_h: dict[str, float] = field(default_factory=dict)

    def depot(self, depot_id: str) -> Depot:
        """Depot by id."""
        return next(d for d in self.depots if d.id == depot_id)

    def road_path(self, frm: str, to: str, depart_h: float = 0.0) -> RoadPath | None:
        """Return the road path driven between two places for a leg leaving at ``depart_h``, or ``None``.

        The path is the fastest one in the road state the leg uses (see
        :class:`~logistics.roads.TimedMatrices`).
        """
        tm = self.timed
        i, j = tm.index(frm), tm.index(to)
        leg = tm.leg(i, j, depart_h * 3600.0)
        if not math.isfinite(leg.arrival_s):
            return None
        p = tm.path(i, j, leg.state)
        return p if p.reachable else None


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
            partner = read_fleet(preg.extra["fleet_file"])
            fleet += [scenario.vehicle_with_defaults(v) for v in partner if v.depot_id in depots]
        if pinv.illustrative_note:
            notes.append(pinv.illustrative_note)
    return _Supply(sources, dict(batches), depots, fleet, notes)


def _unreachable_note(timed: TimedMatrices, depots: tuple[Depot, ...], points: list[str]) -> list[str]:
    """One warning listing the depot → point pairs that no road state connects."""
    bad = []
    for d in depots:
        i = timed.index(d.id)
        bad += [(d.id, p) for p in points if not np.isfinite(timed.travel_time_s[:, i, timed.index(p)]).any()]
    if not bad:
        return []
    shown = ", ".join(f"{a}->{b}" for a, b in bad[:20]) + (
        f" and {len(bad) - 20} more" if len(bad) > 20 else ""
    )
    return [
        f"{len(bad)} of {len(depots) * len(points)} depot-point pairs are unreachable on the road network: {shown}"
    ]


def _lp_times(
    timed: TimedMatrices,
    depots: tuple[Depot, ...],
    points: list[str],
    first_dep_h: dict[str, float],
    horizon_h: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return depot × point travel times (h) for the plan (longest) and the bound (fastest), and distances (km)."""
    cols = [timed.index(p) for p in points]
    real = np.full((len(depots), len(points)), np.nan)
    best = np.full((len(depots), len(points)), np.nan)
    dist = np.full((len(depots), len(points)), np.nan)
    end_s = horizon_h * 3600.0
    for r, d in enumerate(depots):
        i, start_s = timed.index(d.id), first_dep_h[d.id] * 3600.0
        worst = timed.worst_travel_s(start_s, max(end_s, start_s))[i, cols]
        fast = timed.best_travel_s(start_s, max(end_s, start_s))[i, cols]
        real[r] = np.where(np.isfinite(worst), worst / 3600.0, np.nan)
        best[r] = np.where(np.isfinite(fast), fast / 3600.0, np.nan)
        legs = [timed.leg(i, c, start_s) for c in cols]
        dist[r] = [lg.length_m / 1000.0 if np.isfinite(lg.arrival_s) else np.nan for lg in legs]
    return real, best, dist


def build_scenario_model(
    scenario: Scenario,
    *,
    network: RoadNetwork | None = None,
    extra_disruptions: Sequence[Disruption] = (),
    progress: Callable[[str], None] | None = None,
) -> ScenarioModel:
    """Build the allocation problems and timed road matrices of a scenario.

    Parameters
    ----------
    scenario
        The scenario.
    network
        Road network to use (default: :func:`scenario_network`).
    extra_disruptions
        Road-layer disruptions added to the scenario's own (a sweep variant's random closures,
        a road link closed by the critical-roads screening).
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
    opens = {did: open_h for did, open_h, _ in scenario.depot_hours}
    if opens:  # a depot loads from its opening hour
        sources = [
            dataclasses.replace(s, ready_h=max(s.ready_h, opens.get(s.depot_id, 0.0))) for s in supply.sources
        ]
        supply = dataclasses.replace(supply, sources=sources)
    supply = _with_hub_depots(scenario, supply)
    depot_list = tuple(supply.depots.values())
    say("roads")
    net = network if network is not None else scenario_network(scenario)
    dis = tuple(disruptions_of(scenario.disruptions)) + tuple(extra_disruptions)
    ready_of: dict[str, float] = {}
    for src in supply.sources:
        ready_of[src.depot_id] = min(ready_of.get(src.depot_id, math.inf), src.ready_h)
    places = [(d.id, d.lon, d.lat) for d in depot_list] + [(p.id, p.lon, p.lat) for p in scenario.demand]
    timed = timed_matrices(net, places, disruptions=dis, horizon_h=horizon)
    points = [p.id for p in scenario.demand]
    first_dep = {d.id: ready_of.get(d.id, 0.0) + scenario.load_h for d in depot_list}
    real, best, dist = _lp_times(timed, depot_list, points, first_dep, horizon)
    hub_real, hub_best, hub_dist = _lp_times(
        timed, depot_list, [h.depot_id for h in scenario.hubs], first_dep, horizon
    )
    say("model")
    problem = _allocation_problem(scenario, supply, tuple(supply.depots), real, dist)
    if scenario.hubs:
        problem = dataclasses.replace(problem, hubs=_hubs(scenario), hub_travel_time_h=hub_real,
                                      hub_distance_km=hub_dist)  # fmt: skip
    return ScenarioModel(
        scenario=scenario,
        problem=problem,
        bound_problem=dataclasses.replace(problem, travel_time_h=best, hub_travel_time_h=hub_best),
        depots=depot_list,
        network=net,
        disruptions=dis,
        batches=supply.batches,
        timed=timed,
        sources=tuple(supply.sources),
        fleet=tuple(supply.fleet),
        notes=tuple(dict.fromkeys(supply.notes)),
        warnings=tuple(_unreachable_note(timed, depot_list, points)),
        depot_ready_h=ready_of,
    )


def _with_hub_depots(scenario: Scenario, supply: _Supply) -> _Supply:
    """Add the hub depots that hold no stock of their own, with their trucks: they forward goods."""
    missing = [h.depot_id for h in scenario.hubs if h.depot_id not in supply.depots]
    if not missing:
        return supply
    inv = scenario.region.inventory()
    depots = dict(supply.depots) | {did: inv.depot(did) for did in missing}
    fleet = supply.fleet + [v for v in scenario.fleet if v.depot_id in missing]
    return dataclasses.replace(supply, depots=depots, fleet=fleet)


def _hubs(scenario: Scenario) -> tuple[Hub, ...]:
    """Return the scenario's hubs for the allocation (throughput in kg/h)."""
    return tuple(
        Hub(
            h.depot_id,
            h.cutoffs_h,
            h.handling_h,
            math.inf if h.throughput_t_h is None else h.throughput_t_h * 1000,
        )
        for h in scenario.hubs
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
    # countable items are needed in whole pieces (2.3 tents means 3 tents)
    whole = np.array([not cat[k].is_measure for k in items], dtype=bool)
    demand = np.array([[scenario.demand_of(p, k) for k in items] for p in scenario.demand]).reshape(
        -1, len(items)
    )
    demand[:, whole] = np.ceil(demand[:, whole] - 1e-9)
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
        fleet_max_trips=[v.max_trips if v.max_trips is not None else np.inf for v in fleet],
        fleet_max_duration_h=[v.max_duration_h if v.max_duration_h is not None else np.inf for v in fleet],
        load_h=scenario.load_h,
        unload_h=scenario.unload_h,
        substitutions=[Substitution(a, b) for a, b in scenario.substitutes if a in items and b in items],
    )
