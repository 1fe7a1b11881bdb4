"""Draw the variants of a scenario (one random generator per variant) and evaluate each one.

Variant ``i`` of seed ``s`` draws from ``numpy.random.default_rng([s, i])`` in a fixed order, so
it is the same whichever process, machine or order evaluates it. It is evaluated at the
allocation level: the scenario model with the variant's demand, depots and closures, solved for
demand met by the deadline (objective (a), the allocation LP's first stage).
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from logistics.allocation import AllocationParams, point_met_shares, solve_allocation
from logistics.plan import build_scenario_model
from logistics.plan.model import scenario_network
from logistics.roads import Closure
from logistics.scenario import load_scenario
from logistics.sweep.links import RoadLinks, road_links

if TYPE_CHECKING:
    from logistics.roads import RoadNetwork
    from logistics.scenario import Scenario
    from logistics.sweep.spec import SweepSpec

__all__ = ["SweepBase", "Variant", "draw_variant", "evaluate_variant", "sweep_base"]

_KM_PER_DEG_LAT = 111.32


@dataclass(frozen=True)
class SweepBase:
    """The scenario a sweep varies, with its road network and links (built once per process)."""

    scenario: Scenario
    network: RoadNetwork
    links: RoadLinks
    centre: tuple[float, float]
    depot_ids: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    """What one variant drew (its inputs, one Parquet row's first columns)."""

    index: int
    centre_lon: float
    centre_lat: float
    magnitude_delta: float
    demand_multiplier: float
    persons: int
    closed_links: tuple[int, ...]
    reopen_h: tuple[float, ...]
    depots_out: tuple[str, ...]


def _centre(sc: Scenario) -> tuple[float, float]:
    if sc.hazard.epicentre is not None:
        return float(sc.hazard.epicentre[0]), float(sc.hazard.epicentre[1])
    if sc.hazard.area_wkt:
        import shapely  # heavy: loaded only on this path

        c = shapely.from_wkt(sc.hazard.area_wkt).centroid
        return float(c.x), float(c.y)
    return float(np.mean([p.lon for p in sc.demand])), float(np.mean([p.lat for p in sc.demand]))


def _km(lon: np.ndarray, lat: np.ndarray, c: tuple[float, float]) -> np.ndarray:
    dx = (np.asarray(lon) - c[0]) * _KM_PER_DEG_LAT * math.cos(math.radians(c[1]))
    dy = (np.asarray(lat) - c[1]) * _KM_PER_DEG_LAT
    return np.hypot(dx, dy)


def sweep_base(scenario: Scenario) -> SweepBase:
    """Build what every variant of ``scenario`` shares (road network, links, hazard centre, depots)."""
    net = scenario_network(scenario)
    inv = scenario.region.inventory()
    depots = scenario.depot_ids or tuple(d.id for d in inv.depots)
    return SweepBase(scenario, net, road_links(net), _centre(scenario), tuple(depots))


@cache
def _cached_base(path: str, mtime_ns: int) -> SweepBase:
    return sweep_base(load_scenario(path))


def base_for(path: str) -> SweepBase:
    """Return the :class:`SweepBase` of a scenario file, built once per process (and per file version)."""
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        load_scenario(path)  # raises the located error (file not found, a folder…)
        raise
    return _cached_base(path, mtime)


def draw_variant(
    base: SweepBase, spec: SweepSpec, seed: int, index: int
) -> tuple[Variant, Scenario, list[Closure]]:
    """Draw variant ``index``: its record, its scenario and its extra road closures.

    Parameters
    ----------
    base
        The scenario being varied.
    spec
        The distributions.
    seed, index
        The sweep's seed and the variant's number; together they fix every draw.
    """
    rng = np.random.default_rng([seed, index])
    sc, c0 = base.scenario, base.centre
    shift = rng.normal(0.0, spec.centre_jitter_km, size=2)
    centre = (
        c0[0] + shift[0] / (_KM_PER_DEG_LAT * math.cos(math.radians(c0[1]))),
        c0[1] + shift[1] / _KM_PER_DEG_LAT,
    )
    dm = float(rng.normal(0.0, spec.magnitude_sd)) if spec.magnitude_sd > 0 else 0.0
    mult = float(rng.lognormal(0.0, spec.demand_sd)) if spec.demand_sd > 0 else 1.0
    links = base.links
    u_close = rng.random(len(links.length_m))
    u_reopen = rng.random(len(links.length_m))
    u_out = rng.random(len(base.depot_ids))
    # affected persons: magnitude (earthquake) or severity, distance decay from the moved centre
    severity = 10 ** (spec.persons_per_magnitude * dm) if sc.hazard.type == "earthquake" else math.exp(dm)
    lon = np.array([p.lon for p in sc.demand])
    lat = np.array([p.lat for p in sc.demand])
    decay = np.exp(-(_km(lon, lat, centre) - _km(lon, lat, c0)) / spec.decay_km) if spec.decay_km > 0 else 1.0
    factor = np.clip(severity * mult * decay, 0.0, 5.0) * np.ones(len(sc.demand))
    demand = tuple(
        dataclasses.replace(p, relocated=round(p.relocated * f), need_relief=round(p.need_relief * f))
        for p, f in zip(sc.demand, factor, strict=True)
    )
    # random closures by road class within the radius, each with its own reopening hour
    closed = np.zeros(0, dtype=np.int64)
    if spec.closure_radius_km > 0 and spec.closure_per_km:
        rate = np.array(
            [spec.closure_per_km.get(h, spec.closure_per_km.get("other", 0.0)) for h in links.highway]
        )
        p_close = 1.0 - np.exp(-rate * links.length_m / 1000.0)
        near = _km(links.mid_lon, links.mid_lat, centre) <= spec.closure_radius_km
        closed = np.flatnonzero(near & (u_close < p_close))
    lo, hi = spec.reopen_h
    reopen = lo + (hi - lo) * u_reopen[closed]
    out = tuple(d for d, u in zip(base.depot_ids, u_out, strict=True) if u < spec.depot_outage)
    kept = tuple(d for d in base.depot_ids if d not in out)
    variant_sc = dataclasses.replace(sc, demand=demand, depot_ids=kept)
    closures = [
        Closure(edges=tuple(links.edges(int(k))), reopen_h=float(h), label=f"sweep link {int(k)}")
        for k, h in zip(closed, reopen, strict=True)
    ]
    rec = Variant(index, round(centre[0], 6), round(centre[1], 6), round(dm, 6), round(mult, 6),
                  int(sum(p.persons for p in demand)), tuple(int(k) for k in closed),
                  tuple(round(float(h), 3) for h in reopen), out)  # fmt: skip
    return rec, variant_sc, closures


def evaluate_variant(base: SweepBase, spec: SweepSpec, seed: int, index: int) -> dict[str, Any]:
    """Evaluate variant ``index`` at the allocation level and return its row (inputs and results).

    Columns: the drawn inputs; ``share_met_by_deadline`` (objective (a), person- and
    priority-weighted); ``max_unmet_share`` (objective (b)); ``unmet:<item>`` units unmet per
    item; ``short_points`` (points with more than 5 % unmet, ``;``-joined).
    """
    rec, sc, closures = draw_variant(base, spec, seed, index)
    row: dict[str, Any] = {
        "variant": index,
        "seed": seed,
        "centre_lon": rec.centre_lon,
        "centre_lat": rec.centre_lat,
        "magnitude_delta": rec.magnitude_delta,
        "demand_multiplier": rec.demand_multiplier,
        "persons": rec.persons,
        "closed_links": len(rec.closed_links),
        "closed_link_ids": ";".join(map(str, rec.closed_links)),
        "depots_out": ";".join(rec.depots_out),
    }
    model = build_scenario_model(sc, network=base.network, extra_disruptions=closures)
    res = solve_allocation(model.problem, AllocationParams(objective="delivered", seed=seed))
    p = model.problem
    row["share_met_by_deadline"] = round(float(res.demand_met_share_by_deadline), 9)
    row["max_unmet_share"] = round(float(res.max_unmet_share), 9)
    unmet = np.clip(p.demand - res.covered, 0.0, None)
    for k, item in enumerate(p.item_ids):
        row[f"unmet:{item}"] = round(float(unmet[:, k].sum()), 6)
    met, counted = point_met_shares(p, res.covered)
    short = [pid for pid, m, n in zip(p.point_ids, met, counted, strict=True) if n and m < 0.95]
    row["short_points"] = ";".join(short)
    return row
