"""A province-like allocation instance on Hebei's real county-seat network, with three depot levels and hubs.

Geography is real: the 168 county-level seats of 河北省 (``../shared/data/admin/hebei_county_seats.csv``,
WGS-84). Everything else is generated (seeded) and illustrative:

* **depots, three levels**: 3 provincial stores (at the seats of 石家庄市, 保定市 and 唐山市), 11
  city depots (one per city, at its first-listed district seat), one county depot per seat
  (168), and town-level reserve points near random seats up to ``n_depots``;
* **hubs**: the 11 city depots forward goods (waves at 4 h and 7 h, 1 h handling, 20 t/h);
* **points**: townships and shelters around the seats (normal spread 12 km), persons log-normal;
* **roads**: great-circle distance × 1.3 detour at 60 km/h plus 0.2 h, 1 % of pairs cut;
* **stock**: per item 40 %–160 % of demand, 45 % at the provincial stores, 30 % at city depots,
  25 % at county depots and reserve points; a third of the county depots hold a contract reserve
  ready at 4 h;
* **trucks**: provincial stores 10–20 heavy (8 t, 40 m³) and 5 light (2 t, 12 m³), city depots
  2–5 heavy and 5–10 light, county depots 3–8 light.

The province lies about 500 km north to south, so from the capital's store the far counties are
6–9 h away: the provincial stock reaches them in time only through a city hub whose own trucks
take the last leg.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from logistics.allocation import AllocationProblem, Hub

SEATS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "admin" / "hebei_county_seats.csv"
DETOUR = 1.3
SPEED_KMH = 60.0
PROVINCE_STORES = ("石家庄市", "保定市", "唐山市")
HUB_WAVES_H = (4.0, 7.0)
HUB_HANDLING_H = 1.0
HUB_THROUGHPUT_KG_H = 20_000.0


def read_seats() -> list[dict[str, str]]:
    """The county-level seats of Hebei, in file order."""
    with SEATS.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distance (km) between ``[n, 2]`` and ``[m, 2]`` lon/lat arrays."""
    lon1, lat1 = np.radians(a[:, 0])[:, None], np.radians(a[:, 1])[:, None]
    lon2, lat2 = np.radians(b[:, 0])[None, :], np.radians(b[:, 1])[None, :]
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def hebei_instance(
    n_depots: int = 200,
    n_points: int = 5000,
    n_items: int = 30,
    *,
    seed: int = 20261202,
    hubs: bool = True,
    trucks: float = 1.0,
    stock: float = 1.0,
    waves: tuple[float, ...] = HUB_WAVES_H,
) -> AllocationProblem:
    """The instance described in the module docstring (``hubs=False``: the same without hubs).

    ``trucks`` and ``stock`` scale the truck counts and the stock levels; ``waves`` are the hubs'
    cut-offs.
    """
    rng = np.random.default_rng(seed)
    seats = read_seats()
    xy_seat = np.array([[float(s["lon_wgs84"]), float(s["lat_wgs84"])] for s in seats])
    first_of_city: dict[str, int] = {}
    for i, s in enumerate(seats):
        first_of_city.setdefault(s["city"], i)
    prov = [first_of_city[c] for c in PROVINCE_STORES]
    cities = list(first_of_city.values())
    n_extra = max(n_depots - len(prov) - len(cities) - len(seats), 0)
    extra_home = rng.integers(0, len(seats), size=n_extra)
    km_per_deg = np.array([88.0, 111.0])  # at 38-42° N
    xy_extra = xy_seat[extra_home] + rng.normal(0, 10.0, size=(n_extra, 2)) / km_per_deg
    level = ["province"] * len(prov) + ["city"] * len(cities) + ["county"] * (len(seats) + n_extra)
    dep_xy = np.vstack([xy_seat[prov], xy_seat[cities], xy_seat, xy_extra])[:n_depots]
    level = level[:n_depots]
    names = (
        [f"省库-{seats[i]['city']}" for i in prov]
        + [f"市库-{seats[i]['city']}" for i in cities]
        + [f"县库-{s['city']}{s['name']}" for s in seats]
        + [f"储备点-{seats[i]['name']}{n:02d}" for n, i in enumerate(extra_home)]
    )[:n_depots]
    D = len(names)
    # points: townships and shelters around the seats
    home = rng.integers(0, len(seats), size=n_points)
    pt_xy = xy_seat[home] + rng.normal(0, 12.0, size=(n_points, 2)) / km_per_deg
    dist = _km(dep_xy, pt_xy) * DETOUR
    travel = 0.2 + dist / SPEED_KMH
    travel[rng.random(travel.shape) < 0.01] = np.nan
    items = [f"item{k:02d}" for k in range(n_items)]
    norm = rng.uniform(0.02, 0.5, size=n_items)
    weight = rng.uniform(0.1, 1.0, size=n_items)
    volume = weight * rng.uniform(0.002, 0.01, size=n_items)
    persons = np.round(rng.lognormal(np.log(600), 0.8, size=n_points))
    demand = np.round(persons[:, None] * norm[None, :] * 3.0 * (rng.random((n_points, n_items)) < 0.8))
    total = demand.sum(axis=0) * rng.uniform(0.4, 1.6, size=n_items) * stock
    lv = np.array(level)
    stock_d = np.zeros((D, n_items))
    for name, part in (("province", 0.45), ("city", 0.30), ("county", 0.25)):
        idx = np.flatnonzero(lv == name)
        if len(idx):
            stock_d[idx] = rng.dirichlet(np.full(len(idx), 0.8), size=n_items).T * total * part
    stock_d = np.round(stock_d)
    src_ids, src_depot, src_kind, ready, stock = [], [], [], [], []
    fl_ids, fl_depot, cap_kg, cap_m3, count = [], [], [], [], []
    for d in range(D):
        own = stock_d[d]
        if lv[d] == "county" and rng.random() < 1 / 3:
            part = np.round(own * 0.4)
            src_ids.append(f"{names[d]}-协议")
            src_depot.append(names[d])
            src_kind.append("contract")
            ready.append(4.0)
            stock.append(part)
            own = own - part
        src_ids.append(f"{names[d]}-自有")
        src_depot.append(names[d])
        src_kind.append("own")
        ready.append(0.0)
        stock.append(own)
        heavy, light = {
            "province": ((10, 21), (5, 6)),
            "city": ((2, 6), (5, 11)),
            "county": ((0, 1), (3, 9)),
        }[lv[d]]
        for kind, (lo, hi), kg, m3 in (("heavy", heavy, 8000.0, 40.0), ("light", light, 2000.0, 12.0)):
            n = round(trucks * rng.integers(lo, hi))
            if n > 0:
                fl_ids.append(f"{names[d]}/{kind}")
                fl_depot.append(names[d])
                cap_kg.append(kg)
                cap_m3.append(m3)
                count.append(n)
    hub_list: list[Hub] = []
    hub_tt = None
    if hubs:
        hub_idx = np.flatnonzero(lv == "city")
        hub_list = [Hub(names[i], waves, HUB_HANDLING_H, HUB_THROUGHPUT_KG_H) for i in hub_idx]
        hub_tt = 0.2 + _km(dep_xy, dep_xy[hub_idx]) * DETOUR / SPEED_KMH
    return AllocationProblem.from_arrays(
        item_ids=items,
        weight_kg=weight,
        volume_m3=volume,
        depot_ids=names,
        source_ids=src_ids,
        source_depot=src_depot,
        source_kind=src_kind,
        ready_h=ready,
        stock=np.array(stock),
        point_ids=[f"乡镇{j:04d}-{seats[h]['name']}" for j, h in enumerate(home)],
        persons=persons,
        priority=rng.choice([1.0, 2.0, 3.0], size=n_points, p=[0.6, 0.3, 0.1]),
        demand=demand,
        deadline_h=np.where(rng.random(n_points) < 0.2, 10.0, 12.0),
        travel_time_h=travel,
        distance_km=np.where(np.isfinite(travel), dist, np.nan),
        fleet_ids=fl_ids,
        fleet_depot=fl_depot,
        capacity_kg=cap_kg,
        capacity_m3=cap_m3,
        fleet_count=count,
        load_h=0.5,
        unload_h=0.25,
        hubs=hub_list,
        hub_travel_time_h=hub_tt,
        hub_distance_km=None if hub_tt is None else (hub_tt - 0.2) * SPEED_KMH,
    )
