"""Published VRP benchmarks through the public API, checked by a checker written here.

The checker has its own VRPLIB parser, its own distances (Euclidean truncated to one decimal,
×10, for MTVRPTWR; ``lround`` for the split-delivery set) and its own clock (time windows,
waiting, service, release dates, depot closing). It is first checked against the published
best-known solutions (it must accept them at their published cost) and against broken ones.
Solves use iteration limits (deterministic); ``bench/vrp_benchmarks.py`` runs the full sets.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest

from logistics import (
    PointService,
    RoutingParams,
    RoutingProblem,
    Shipment,
    VehicleType,
    check_routes,
    plan_routes,
)

from .helpers import shared_path

SAMPLE = ["C201R0.25", "R205R0.5", "RC208R0.75", "C2_2_01R0.25", "R2_2_05R0.5", "RC2_2_10R0.75"]


def _parse(path) -> dict:
    """Our own reading of an MTVRPTWR file: header values and the numbered sections."""
    text = path.read_text()
    spec = dict(re.findall(r"^(\w+)\s*:\s*(.+?)\s*$", text, flags=re.M))
    rows: dict[str, list[list[float]]] = {}
    name = None
    for line in text.splitlines():
        m = re.match(r"^(\w+)_SECTION\s*$", line)
        if m:
            name = m.group(1)
            rows[name] = []
        elif name and re.match(r"^\s*-?\d", line):
            rows[name].append([float(x) for x in line.split()])
        elif line.strip():
            name = None
    n = int(spec["DIMENSION"])
    col = {s: {int(r[0]) - 1: r[1:] for r in rows[s]} for s in rows}
    return {
        "n": n,
        "Q": float(spec["CAPACITY"]),
        "V": int(spec["VEHICLES"]),
        "service": float(spec["SERVICE_TIME"]),
        "xy": np.array([col["NODE_COORD"][i] for i in range(n)]),
        "q": [col["DEMAND"][i][0] for i in range(n)],
        "tw": [tuple(col["TIME_WINDOW"][i]) for i in range(n)],
        "r": [col["RELEASE_TIME"][i][0] for i in range(n)],
    }


def _tenths(inst: dict) -> np.ndarray:
    """Distances = times, truncated to one decimal, in tenths."""
    dx = inst["xy"][:, None, :] - inst["xy"][None, :, :]
    return np.floor(10 * np.sqrt((dx**2).sum(axis=2)) + 1e-7).astype(np.int64)


def _check(inst: dict, vehicles: list[list[list[int]]]) -> tuple[int, list[str]]:
    """Cost (×10) and violations of vehicles → trips → customers (0-based node indices)."""
    d = _tenths(inst)
    bad, count, cost = [], [0] * inst["n"], 0
    if len(vehicles) > inst["V"]:
        bad.append(f"{len(vehicles)} vehicles, {inst['V']} available")
    for v, trips in enumerate(vehicles):
        clock = 10 * inst["tw"][0][0]
        for k, trip in enumerate(trips):
            if sum(inst["q"][c] for c in trip) > inst["Q"]:
                bad.append(f"vehicle {v} trip {k}: over capacity")
            clock = max([clock] + [10 * inst["r"][c] for c in trip])  # leaves when all goods are released
            at = 0
            for c in trip:
                count[c] += 1
                cost += d[at, c]
                clock += d[at, c]
                if clock > 10 * inst["tw"][c][1]:
                    bad.append(f"vehicle {v} trip {k}: customer {c} reached at {clock / 10} after its window")
                clock = max(clock, 10 * inst["tw"][c][0]) + 10 * inst["service"]
                at = c
            cost += d[at, 0]
            clock += d[at, 0]
            if clock > 10 * inst["tw"][0][1]:
                bad.append(
                    f"vehicle {v} trip {k}: back at {clock / 10}, the depot closes at {inst['tw'][0][1]}"
                )
    bad += [f"customer {c} served {count[c]} times" for c in range(1, inst["n"]) if count[c] != 1]
    return int(cost), bad


def _read_sol(path) -> tuple[list[list[list[int]]], int]:
    vehicles, cost = [], None
    for line in path.read_text().splitlines():
        if line.startswith("Route"):
            nums = [int(x) for x in line.split(":")[1].split()]
            trips, cur = [], []
            for x in nums:
                if x == 0:
                    trips.append(cur)
                    cur = []
                else:
                    cur.append(x)
            vehicles.append([*trips, cur])
        elif line.startswith("Cost"):
            cost = int(line.split()[1])
    return vehicles, cost


def _bks() -> dict[str, tuple[int, bool]]:
    path = shared_path("data", "benchmarks", "mtvrp", "mtvrptwr_bks.csv")
    rows = [line.split(",") for line in path.read_text().splitlines()[1:]]
    return {r[0]: (int(r[1]), r[2] == "True") for r in rows}


def _problem(inst: dict) -> RoutingProblem:
    """The instance through the public API: tenths passed as seconds, hours = tenths / 3600."""
    ids = [f"n{i}" for i in range(inst["n"])]
    h = 1 / 3600.0
    ships = [Shipment("n0", ids[c], "goods", inst["q"][c], inst["q"][c], 0.0, release_h=inst["r"][c] * 10 * h)
             for c in range(1, inst["n"])]  # fmt: skip
    d = _tenths(inst).astype(float)
    return RoutingProblem.from_matrices(
        ships, [VehicleType("n0", "truck", inst["Q"], 1.0, count=inst["V"])], ids, d, d,
        ready_h={"n0": inst["tw"][0][0] * 10 * h}, closes_h={"n0": inst["tw"][0][1] * 10 * h},
        earliest_h={ids[c]: inst["tw"][c][0] * 10 * h for c in range(1, inst["n"])},
        deadline_h={ids[c]: inst["tw"][c][1] * 10 * h for c in range(1, inst["n"])},
        point_service={ids[c]: PointService(inst["service"] * 10) for c in range(1, inst["n"])},
    )  # fmt: skip


def _vehicles(result) -> list[list[list[int]]]:
    return [[[int(s.point_id[1:]) for s in t.stops] for t in r.trips] for r in result.routes]


@pytest.mark.parametrize("name", SAMPLE)
def test_the_checker_accepts_the_published_solutions_at_their_cost(name):
    folder = shared_path("data", "benchmarks", "mtvrp", "MTVRPTWR")
    inst = _parse(folder / f"{name}.vrp")
    vehicles, published = _read_sol(folder / f"{name}.sol")
    cost, bad = _check(inst, vehicles)
    assert bad == []
    assert cost == published == _bks()[name][0]


def test_the_checker_rejects_broken_solutions():
    folder = shared_path("data", "benchmarks", "mtvrp", "MTVRPTWR")
    inst = _parse(folder / "C201R0.25.vrp")
    vehicles, _ = _read_sol(folder / "C201R0.25.sol")
    dropped = [
        [t[1:] if (v, k) == (0, 0) else t for k, t in enumerate(trips)] for v, trips in enumerate(vehicles)
    ]
    assert any("served 0 times" in b for b in _check(inst, dropped)[1])
    reversed_ = [[t[::-1] for t in trips] for trips in vehicles]
    assert any("after its window" in b for b in _check(inst, reversed_)[1])
    # a trip that carries a customer released late cannot leave early
    late = dict(inst, r=[x if c != vehicles[0][0][0] else 10_000 for c, x in enumerate(inst["r"])])
    assert _check(late, vehicles)[1]


def test_all_171_instances_are_expressible_through_the_public_api():
    folder = shared_path("data", "benchmarks", "mtvrp", "MTVRPTWR")
    files = sorted(folder.glob("*.vrp"))
    assert len(files) == 171
    for path in files:
        inst = _parse(path)
        problem = _problem(inst)
        assert len(problem.shipments) == inst["n"] - 1
        assert problem.closes_s("n0") == pytest.approx(inst["tw"][0][1] * 10)


@pytest.mark.parametrize("name", ["C201R0.75", "R201R0.25", "RC202R0.5"])
def test_solutions_of_the_routing_engine_pass_the_checker_and_never_beat_a_proven_optimum(name):
    inst = _parse(shared_path("data", "benchmarks", "mtvrp", "MTVRPTWR", f"{name}.vrp"))
    problem = _problem(inst)
    result = plan_routes(
        problem, RoutingParams(seed=0, max_iterations=1000, objective="distance", split_share=None)
    )
    assert check_routes(problem, result) == []
    assert result.is_feasible() and result.is_complete()
    cost, bad = _check(inst, _vehicles(result))
    assert bad == []
    assert cost == round(result.total_distance_m())
    best, optimal = _bks()[name]
    assert optimal and cost >= best
    assert cost <= best * 1.10  # a short search still lands near the optimum
    assert any(s.wait_s > 0 for _, _, s in result.stops())  # windows make trucks wait


# --- split delivery (DIMACS 2022, SET-1) -----------------------------------------------------


def _sd(name: str) -> tuple[int, list[int], np.ndarray]:
    tok = shared_path("data", "benchmarks", "sdvrp", "data", "SET-1", f"{name}.txt").read_text().split()
    n, cap = int(tok[0]), int(tok[1])
    return cap, [int(x) for x in tok[2 : 2 + n]], np.array(tok[2 + n : 4 + 3 * n], dtype=float).reshape(-1, 2)


def _lround(a, b) -> int:
    return math.floor(math.dist(a, b) + 0.5)


@pytest.mark.parametrize(("name", "best"), [("SD1", 22828), ("SD3", 43060)])
def test_split_deliveries_reach_the_best_known_cost_on_small_sd_instances(name, best):
    cap, demand, xy = _sd(name)
    n = len(demand)
    d = np.array([[_lround(a, b) for b in xy] for a in xy], dtype=float)
    ships = [Shipment("c0", f"c{i + 1}", "goods", q, float(q), 0.0) for i, q in enumerate(demand)]
    problem = RoutingProblem.from_matrices(
        ships,
        [VehicleType("c0", "truck", cap, 1.0, count=n, max_trips=1)],
        [f"c{i}" for i in range(n + 1)],
        d,
        d,
    )
    result = plan_routes(problem, RoutingParams(seed=0, max_iterations=3000, objective="distance"))
    assert check_routes(problem, result) == []
    got = [0] * (n + 1)
    cost = 0
    for r in result.routes:
        for t in r.trips:
            path = [0, *(int(s.point_id[1:]) for s in t.stops), 0]
            cost += sum(_lround(xy[a], xy[b]) for a, b in itertools.pairwise(path))
            assert sum(x.quantity for s in t.stops for x in s.loads) <= cap
            for s in t.stops:
                got[int(s.point_id[1:])] += sum(x.quantity for x in s.loads)
    assert got[1:] == demand
    assert cost == best
    assert (
        sum(1 for c in range(1, n + 1) if sum(1 for _, _, s in result.stops() if s.point_id == f"c{c}") > 1)
        > 0
    )
