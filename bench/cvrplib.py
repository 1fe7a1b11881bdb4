"""Solve CVRPLIB instances with the routing engine and report gaps to best-known solutions.

Contract (issue 5)::

    python bench/cvrplib.py --instances DIR --time-limit SECONDS --seed N --out OUTDIR

solves every ``.vrp`` file in DIR (CVRPLIB format, EUC_2D distances rounded to the
nearest integer as in CVRPLIB), writes ``OUTDIR/NAME.sol`` in CVRPLIB solution format
(``Route #k: c1 c2 ...`` with customers numbered as in CVRPLIB ``.sol`` files, i.e. node
index - 1, then ``Cost C``), and prints the gap of each instance to its best-known
solution (``bks.csv`` in DIR or its parent, or ``--bks``) and the mean gap.
``OUTDIR/results.csv`` repeats the table.

The solver call is ``logistics.routing._pyvrp.solve_data``, the same call the routing
engine uses for relief deliveries (PyVRP's iterated local search, default parameters).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
if str(REPO / "bench") not in sys.path:  # bench/'s own modules, also when a test loads this file by path
    sys.path.append(str(REPO / "bench"))  # last: they never shadow an installed module

from _args import positive_float, positive_int  # noqa: E402 - bench/'s own module

from logistics.common import write_text_atomic  # noqa: E402
from logistics.routing._pyvrp import solve_data  # noqa: E402


def read_bks(path: Path) -> dict[str, float]:
    """Return ``instance name -> best-known cost`` from a ``bks.csv`` file."""
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["instance"]: float(row["bks_cost"]) for row in csv.DictReader(fh)}


def find_bks(instances: Path, explicit: Path | None) -> dict[str, float]:
    """Find and read ``bks.csv`` (explicit path, DIR, or DIR's parent)."""
    candidates = [explicit] if explicit else [instances / "bks.csv", instances.parent / "bks.csv"]
    for cand in candidates:
        if cand is not None and cand.is_file():
            return read_bks(cand)
    return {}


def rounded_euclidean_cost(coords: np.ndarray, routes: list[list[int]]) -> int:
    """Cost of ``routes`` (node indices, depot 0 implicit) with CVRPLIB's rounded EUC_2D."""
    total = 0
    for route in routes:
        path = [0, *route, 0]
        for a, b in itertools.pairwise(path):
            total += math.floor(math.hypot(*(coords[a] - coords[b])) + 0.5)
    return total


def solution_text(routes: list[list[int]], cost: int) -> str:
    """Format routes (customer numbers) and cost in CVRPLIB solution format."""
    lines = [f"Route #{k}: {' '.join(map(str, r))}" for k, r in enumerate(routes, start=1)]
    return "\n".join([*lines, f"Cost {cost}"]) + "\n"


def solve_instance(
    path: Path, *, time_limit_s: float | None, seed: int, max_iterations: int | None = None
) -> dict[str, object]:
    """Solve one instance; return routes, cost, feasibility and statistics."""
    import vrplib
    from pyvrp import read

    instance = vrplib.read_instance(str(path))
    if int(np.asarray(instance.get("depot", [0])).ravel()[0]) != 0:
        raise ValueError(f"{path}: expected the depot to be node 1")
    data = read(path, round_func="round")
    result = solve_data(data, seed=seed, max_runtime_s=time_limit_s, max_iterations=max_iterations)
    routes = []
    for route in result.best.routes():
        visits = [data.client(a.idx).location for a in route.schedule() if a.is_client()]
        if visits:
            routes.append(visits)
    cost = rounded_euclidean_cost(np.asarray(instance["node_coord"], dtype=float), routes)
    return {
        "routes": routes,
        "cost": cost,
        "feasible": bool(result.is_feasible()),
        "pyvrp_cost": result.cost(),
        "iterations": result.num_iterations,
        "runtime_s": result.runtime,
        "n_customers": data.num_clients,
    }


def solve_instance_ortools(path: Path, *, time_limit_s: float, seed: int) -> dict[str, object]:
    """Baseline: OR-Tools routing (guided local search) on the same rounded distances.

    The fleet is ``max(ceil(1.1 * LB), LB + 3)`` vehicles with LB the bin-packing
    lower bound ``ceil(total demand / capacity)``. OR-Tools has no seed parameter;
    ``seed`` is ignored.
    """
    import vrplib
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    instance = vrplib.read_instance(str(path))
    coords = np.asarray(instance["node_coord"], dtype=float)
    demand = [int(x) for x in instance["demand"]]
    cap = int(instance["capacity"])
    n = len(coords)
    dist = np.floor(np.linalg.norm(coords[:, None] - coords[None], axis=2) + 0.5).astype(int)
    lb = -(-sum(demand) // cap)
    fleet = max(math.ceil(1.1 * lb), lb + 3)
    manager = pywrapcp.RoutingIndexManager(n, fleet, 0)
    routing = pywrapcp.RoutingModel(manager)
    dist_list = dist.tolist()

    def arc(i: int, j: int) -> int:
        return dist_list[manager.IndexToNode(i)][manager.IndexToNode(j)]

    transit = routing.RegisterTransitCallback(arc)
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    demand_cb = routing.RegisterUnaryTransitCallback(lambda i: demand[manager.IndexToNode(i)])
    routing.AddDimensionWithVehicleCapacity(demand_cb, 0, [cap] * fleet, True, "load")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(time_limit_s * 1000))
    start = time.perf_counter()
    sol = routing.SolveWithParameters(params)
    routes = []
    if sol is not None:
        for v in range(fleet):
            i, visits = routing.Start(v), []
            while not routing.IsEnd(i):
                node = manager.IndexToNode(i)
                if node:
                    visits.append(node)
                i = sol.Value(routing.NextVar(i))
            if visits:
                routes.append(visits)
    served = sorted(c for r in routes for c in r)
    return {
        "routes": routes,
        "cost": rounded_euclidean_cost(coords, routes),
        "feasible": served == list(range(1, n)),
        "iterations": 0,
        "runtime_s": time.perf_counter() - start,
        "n_customers": n - 1,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=Path, required=True, help="folder of .vrp files")
    parser.add_argument("--time-limit", type=positive_float, required=True, help="seconds per instance")
    parser.add_argument("--seed", type=int, required=True, help="solver seed")
    parser.add_argument("--out", type=Path, required=True, help="output folder for .sol files")
    parser.add_argument("--bks", type=Path, default=None, help="bks.csv (default: DIR or parent)")
    parser.add_argument(
        "--max-customers", type=positive_int, default=None, help="skip instances with more customers"
    )
    parser.add_argument(
        "--max-iterations",
        type=int,
        default=None,
        help="also stop after this many iterations (deterministic runs, tests)",
    )
    parser.add_argument(
        "--solver",
        choices=("pyvrp", "ortools"),
        default="pyvrp",
        help="pyvrp: the routing engine (default); ortools: OR-Tools baseline",
    )
    args = parser.parse_args(argv)

    files = sorted(args.instances.glob("*.vrp"))
    if not files:
        print(f"no .vrp files in {args.instances}", file=sys.stderr)
        return 2
    bks = find_bks(args.instances, args.bks)
    args.out.mkdir(parents=True, exist_ok=True)

    rows = []
    print(f"{'instance':<14}{'n':>5}{'cost':>10}{'bks':>10}{'gap %':>9}{'iters':>9}{'time s':>8}")
    for path in files:
        name = path.stem
        if args.max_customers is not None:
            import vrplib

            dim = int(vrplib.read_instance(str(path))["dimension"])
            if dim - 1 > args.max_customers:
                continue
        start = time.perf_counter()
        if args.solver == "ortools":
            res = solve_instance_ortools(path, time_limit_s=args.time_limit, seed=args.seed)
        else:
            res = solve_instance(
                path,
                time_limit_s=args.time_limit,
                seed=args.seed,
                max_iterations=args.max_iterations,
            )
        wall = time.perf_counter() - start
        write_text_atomic(args.out / f"{name}.sol", solution_text(res["routes"], res["cost"]))
        best = bks.get(name)
        gap = (res["cost"] - best) / best * 100 if best and res["feasible"] else math.nan
        rows.append(
            {
                "instance": name,
                **{k: res[k] for k in ("n_customers", "cost", "feasible", "iterations")},
                "bks": best,
                "gap_pct": gap,
                "wall_s": round(wall, 2),
            }
        )
        flag = "" if res["feasible"] else "  INFEASIBLE"
        print(
            f"{name:<14}{res['n_customers']:>5}{res['cost']:>10}{best or float('nan'):>10.0f}"
            f"{gap:>9.3f}{res['iterations']:>9}{wall:>8.1f}{flag}",
            flush=True,
        )

    gaps = [r["gap_pct"] for r in rows if not math.isnan(r["gap_pct"])]
    mean = sum(gaps) / len(gaps) if gaps else math.nan
    print(f"mean gap over {len(gaps)} instances: {mean:.3f} %")
    with (args.out / "results.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["instance"])
        writer.writeheader()
        writer.writerows(rows)
    return 0 if all(r["feasible"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
