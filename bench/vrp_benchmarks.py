"""Published VRP benchmarks through the public routing API: split deliveries, time windows, releases.

Two sets from ``../shared/data/benchmarks`` (see the SOURCES.md files there):

* ``sd`` — DIMACS 2022 split-delivery track, SET-1 (SD1–SD21, Chen, Golden & Wasil 2007):
  capacity 100, demands 60 or 90, unlimited fleet, distances ``lround(hypot)``; reference:
  the best final value of the 2022 competition.
* ``mtvrptwr`` — multi-trip VRP with time windows and release dates (171 instances, Solomon
  and Gehring–Homberger based, Yang 2023/2024): limited fleet, reloading at the depot, a trip
  leaves only when all its customers are released, the depot closes; distances and times
  truncated to one decimal, costs ×10; reference: the best-known (mostly proven optimal) cost.

Every instance is built with :meth:`logistics.RoutingProblem.from_matrices` and solved with
:func:`logistics.plan_routes` (seed 0, a wall-clock limit per instance, distance objective).
The solution is then recosted here from the routes' stops with this script's own distances,
and checked here (every demand delivered exactly, capacities, windows, release dates, depot
closing, fleet size), independently of the engine's own checks::

    python bench/vrp_benchmarks.py --set sd --seconds 10 --jobs 2
    python bench/vrp_benchmarks.py --set mtvrptwr --size 100 --seconds 30 --jobs 2
    python bench/vrp_benchmarks.py --set mtvrptwr --build-only      # all 171 expressible?

Prints one line per instance (cost, reference, gap %, feasible) and the mean gap; ``--out``
writes the table as CSV. Runs with ``--jobs N`` solve N instances at a time (one core each).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from _args import positive_float, positive_int  # noqa: E402 - bench/'s own module

from logistics import (  # noqa: E402
    PointService,
    RoutingParams,
    RoutingProblem,
    Shipment,
    VehicleType,
    plan_routes,
)

DATA = REPO.parent / "shared" / "data" / "benchmarks"
SD_DIR = DATA / "sdvrp" / "data" / "SET-1"
SD_REF = DATA / "sdvrp" / "dimacs2022_sdvrp_results.csv"
MT_DIR = DATA / "mtvrp" / "MTVRPTWR"
MT_REF = DATA / "mtvrp" / "mtvrptwr_bks.csv"
#: Times of the MTVRPTWR set are in tenths (one decimal, truncated); the routing engine works
#: in seconds, so one tenth is passed as one "second" and hours are tenths / 3600.
TENTHS_PER_H = 3600.0


# --- split delivery (SD1–SD21) -------------------------------------------------------------


def read_sd(path: Path) -> tuple[int, list[int], np.ndarray]:
    """Return ``(capacity, demands, coordinates with the depot first)`` of an SD instance."""
    tok = path.read_text().split()
    n, cap = int(tok[0]), int(tok[1])
    demand = [int(x) for x in tok[2 : 2 + n]]
    xy = np.array([float(x) for x in tok[2 + n : 2 + n + 2 * (n + 1)]]).reshape(n + 1, 2)
    return cap, demand, xy


def sd_distances(xy: np.ndarray) -> np.ndarray:
    """DIMACS SDVRP distances: Euclidean rounded half away from zero (``lround``)."""
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    return np.floor(d + 0.5)


def sd_problem(cap: int, demand: list[int], xy: np.ndarray) -> RoutingProblem:
    """The SD instance as a routing problem: one depot, one item, one truck per customer."""
    d = sd_distances(xy)
    ids = [str(i) for i in range(len(xy))]
    shipments = [Shipment("0", str(i + 1), "goods", q, float(q), 0.0) for i, q in enumerate(demand)]
    fleet = [VehicleType("0", "truck", float(cap), 1.0, count=len(demand), max_trips=1)]
    return RoutingProblem.from_matrices(shipments, fleet, ids, d, d)


def sd_check(result, cap: int, demand: list[int], xy: np.ndarray) -> tuple[float, list[str]]:
    """Recost a result with this script's distances; return the cost and every violation."""
    d = sd_distances(xy)
    bad: list[str] = []
    got = [0.0] * (len(demand) + 1)
    cost = 0.0
    for r in result.routes:
        for t in r.trips:
            path = [0, *(int(s.point_id) for s in t.stops), 0]
            cost += sum(d[a, b] for a, b in itertools.pairwise(path))
            load = sum(x.quantity for s in t.stops for x in s.loads)
            if load > cap + 1e-9:
                bad.append(f"{r.vehicle_id} trip {t.number}: load {load} > {cap}")
            for s in t.stops:
                got[int(s.point_id)] += sum(x.quantity for x in s.loads)
    for i, q in enumerate(demand, start=1):
        if abs(got[i] - q) > 1e-9:
            bad.append(f"customer {i}: delivered {got[i]}, demand {q}")
    return cost, bad


def run_sd(args: tuple[str, float, int]) -> dict:
    name, seconds, seed = args
    cap, demand, xy = read_sd(SD_DIR / f"{name}.txt")
    problem = sd_problem(cap, demand, xy)
    params = RoutingParams(seed=seed, max_iterations=None, max_runtime_s=seconds, objective="distance")
    t0 = time.perf_counter()
    result = plan_routes(problem, params)
    wall = time.perf_counter() - t0
    cost, bad = sd_check(result, cap, demand, xy)
    splits = sum(1 for n in _stops_per_point(result).values() if n > 1)
    return {"instance": name, "customers": len(demand), "cost": cost, "wall_s": wall, "violations": bad,
            "split_points": splits}  # fmt: skip


def _stops_per_point(result) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, _, s in result.stops():
        out[s.point_id] = out.get(s.point_id, 0) + 1
    return out


# --- multi-trip with time windows and release dates (MTVRPTWR) ---------------------------


def read_vrplib(path: Path) -> dict:
    """Read the MTVRPTWR fields of a VRPLIB file (sections keyed by node number, 1-based)."""
    head: dict[str, str] = {}
    sections: dict[str, list[list[float]]] = {}
    current = None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            current = line[: -len("_SECTION")]
            sections[current] = []
        elif ":" in line and current is None:
            k, v = line.split(":", 1)
            head[k.strip()] = v.strip()
        elif current is not None and ":" in line:
            current = None
            k, v = line.split(":", 1)
            head[k.strip()] = v.strip()
        else:
            sections[current].append([float(x) for x in line.split()])
    return {
        "name": head["NAME"],
        "capacity": float(head["CAPACITY"]),
        "vehicles": int(head["VEHICLES"]),
        "service": float(head["SERVICE_TIME"]),
        "xy": np.array([r[1:3] for r in sections["NODE_COORD"]]),
        "demand": [r[1] for r in sections["DEMAND"]],
        "tw": [(r[1], r[2]) for r in sections["TIME_WINDOW"]],
        "release": [r[1] for r in sections["RELEASE_TIME"]],
        "depot": int(sections["DEPOT"][0][0]) - 1,
    }


def mt_tenths(xy: np.ndarray) -> np.ndarray:
    """Distances = times in tenths: Euclidean truncated to one decimal, times 10."""
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    return np.floor(d * 10 + 1e-9)


def mt_problem(inst: dict) -> RoutingProblem:
    """The MTVRPTWR instance as a routing problem (times in tenths passed as seconds)."""
    t = mt_tenths(inst["xy"])
    ids = [str(i) for i in range(len(inst["xy"]))]
    depot = ids[inst["depot"]]
    h = 10.0 / TENTHS_PER_H  # hours per time unit of the instance
    customers = [i for i in range(len(ids)) if i != inst["depot"]]
    shipments = [Shipment(depot, ids[i], "goods", inst["demand"][i], inst["demand"][i], 0.0,
                          release_h=inst["release"][i] * h) for i in customers]  # fmt: skip
    fleet = [VehicleType(depot, "truck", inst["capacity"], 1.0, count=inst["vehicles"])]
    early, late = inst["tw"][inst["depot"]]
    return RoutingProblem.from_matrices(
        shipments, fleet, ids, t, t,
        ready_h={depot: early * h}, closes_h={depot: late * h},
        earliest_h={ids[i]: inst["tw"][i][0] * h for i in customers},
        deadline_h={ids[i]: inst["tw"][i][1] * h for i in customers},
        point_service={ids[i]: PointService(inst["service"] * 10) for i in customers},
    )  # fmt: skip


def mt_check(result, inst: dict) -> tuple[float, list[str]]:
    """Recost (tenths) and re-time every trip with this script's own clock; return cost and violations."""
    t = mt_tenths(inst["xy"])
    dep = inst["depot"]
    bad: list[str] = []
    seen: dict[int, int] = {}
    cost = 0.0
    if len(result.routes) > inst["vehicles"]:
        bad.append(f"{len(result.routes)} vehicles > {inst['vehicles']}")
    for r in result.routes:
        free = inst["tw"][dep][0] * 10
        for trip in r.trips:
            stops = [int(s.point_id) for s in trip.stops]
            path = [dep, *stops, dep]
            cost += sum(t[a, b] for a, b in itertools.pairwise(path))
            load = sum(inst["demand"][c] for c in stops)
            if load > inst["capacity"] + 1e-9:
                bad.append(f"{r.vehicle_id} trip {trip.number}: load {load} > {inst['capacity']}")
            now = max([free, *(inst["release"][c] * 10 for c in stops)])
            prev = dep
            for c in stops:
                seen[c] = seen.get(c, 0) + 1
                now += t[prev, c]
                lo, hi = inst["tw"][c][0] * 10, inst["tw"][c][1] * 10
                if now > hi + 1e-6:
                    bad.append(f"{r.vehicle_id} trip {trip.number}: customer {c} at {now / 10} > {hi / 10}")
                now = max(now, lo) + inst["service"] * 10
                prev = c
            now += t[prev, dep]
            if now > inst["tw"][dep][1] * 10 + 1e-6:
                bad.append(f"{r.vehicle_id} trip {trip.number}: back at {now / 10} after the depot closes")
            free = now
    for c in range(len(inst["xy"])):
        if c != dep and seen.get(c, 0) != 1:
            bad.append(f"customer {c} visited {seen.get(c, 0)} times")
    return cost, bad


def run_mt(args: tuple[str, float, int]) -> dict:
    name, seconds, seed = args
    inst = read_vrplib(MT_DIR / f"{name}.vrp")
    problem = mt_problem(inst)
    params = RoutingParams(seed=seed, max_iterations=None, max_runtime_s=seconds, objective="distance",
                           split_share=None)  # fmt: skip
    t0 = time.perf_counter()
    result = plan_routes(problem, params)
    wall = time.perf_counter() - t0
    cost, bad = mt_check(result, inst)
    waits = sum(1 for _, _, s in result.stops() if s.wait_s > 0)
    return {"instance": name, "customers": len(inst["xy"]) - 1, "cost": cost, "wall_s": wall,
            "violations": bad, "waits": waits}  # fmt: skip


# --- driver ----------------------------------------------------------------------------------


def references(which: str) -> dict[str, tuple[float, bool]]:
    """Return ``instance -> (reference cost, proven optimal)``."""
    out: dict[str, tuple[float, bool]] = {}
    if which == "sd":
        with SD_REF.open(newline="") as fh:
            for row in csv.DictReader(fh):
                out[row["instance"]] = (float(row["best_of_dimacs2022"]), False)
    else:
        with MT_REF.open(newline="") as fh:
            for row in csv.DictReader(fh):
                out[row["instance"]] = (float(row["bks_cost_x10"]), row["optimal"] == "True")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=("sd", "mtvrptwr"), required=True)
    ap.add_argument("--seconds", type=positive_float, default=10.0, help="wall-clock limit per instance")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=positive_int, default=1, help="instances solved at a time")
    ap.add_argument(
        "--size", type=int, choices=(100, 200), help="MTVRPTWR: only 100- or 200-customer instances"
    )
    ap.add_argument("--instances", nargs="*", help="names (default: the whole set)")
    ap.add_argument("--build-only", action="store_true", help="only build every problem through the API")
    ap.add_argument("--out", type=Path, help="write the table as CSV")
    a = ap.parse_args(argv)
    ref = references(a.set)
    if a.set == "sd":
        names = a.instances or [f"SD{i}" for i in range(1, 22)]
        run = run_sd
    else:
        names = a.instances or sorted(p.stem for p in MT_DIR.glob("*.vrp"))
        if a.size:
            names = [n for n in names if ("_2_" in n) == (a.size == 200)]
        run = run_mt
    if a.build_only:
        built = 0
        for n in names:
            if a.set == "sd":
                sd_problem(*read_sd(SD_DIR / f"{n}.txt"))
            else:
                mt_problem(read_vrplib(MT_DIR / f"{n}.vrp"))
            built += 1
        print(f"{built} of {len(names)} instances built through RoutingProblem.from_matrices")
        return 0
    work = [(n, a.seconds, a.seed) for n in names]
    rows = []
    with Pool(a.jobs) as pool:
        for r in pool.imap(run, work):
            best, optimal = ref[r["instance"]]
            r["reference"], r["optimal"] = best, optimal
            r["gap_pct"] = 100.0 * (r["cost"] / best - 1.0)
            r["feasible"] = not r["violations"]
            r["below_optimum"] = optimal and r["cost"] < best - 1e-6
            rows.append(r)
            extra = (
                f"split points {r['split_points']}"
                if "split_points" in r
                else f"stops with a wait {r['waits']}"
            )
            print(f"{r['instance']:>12} n={r['customers']:>3} cost {r['cost']:>10.0f} ref {best:>10.0f} "
                  f"gap {r['gap_pct']:6.2f} %  feasible {r['feasible']}  {r['wall_s']:5.1f} s  {extra}", flush=True)  # fmt: skip
            for v in r["violations"][:5]:
                print("      violation:", v)
    gaps = [r["gap_pct"] for r in rows]
    print(f"\n{a.set}: {len(rows)} instances, {a.seconds:g} s each (seed {a.seed}): mean gap {np.mean(gaps):.2f} %, "
          f"max {max(gaps):.2f} %, infeasible {sum(not r['feasible'] for r in rows)}, "
          f"below a proven optimum {sum(r['below_optimum'] for r in rows)}")  # fmt: skip
    if a.out:
        keys = ["instance", "customers", "cost", "reference", "optimal", "gap_pct", "feasible", "wall_s"]
        with a.out.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(keys)
            for r in rows:
                w.writerow([r[k] if not isinstance(r[k], float) else round(r[k], 4) for k in keys])
    bad = any(not r["feasible"] or r["below_optimum"] for r in rows)
    return 1 if bad or not math.isfinite(float(np.mean(gaps))) else 0


if __name__ == "__main__":
    sys.exit(main())
