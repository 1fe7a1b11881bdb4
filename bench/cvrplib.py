"""Solve CVRPLIB instances with the routing engine and report gaps to best-known solutions.

Contract (issue 5)::

    python bench/cvrplib.py --instances DIR --time-limit SECONDS --seed N --out OUTDIR

solves every ``.vrp`` file in DIR (CVRPLIB format, EUC_2D distances rounded to the
nearest integer as in CVRPLIB), writes ``OUTDIR/NAME.sol`` in CVRPLIB solution format
(``Route #k: c1 c2 ...`` with customers numbered as in CVRPLIB ``.sol`` files, i.e. node
index - 1, then ``Cost C``), and prints the gap of each instance to its best-known
solution (``bks.csv`` in DIR or its parent, or ``--bks``) and the mean gap.
``OUTDIR/results.csv`` repeats the table.

The solver call is ``logistics._routing_pyvrp.solve_data``, the same call the routing
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

from logistics._atomic import write_text_atomic  # noqa: E402
from logistics._routing_pyvrp import solve_data  # noqa: E402


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


def solve_instance(path: Path, *, time_limit_s: float, seed: int) -> dict[str, object]:
    """Solve one instance; return routes, cost, feasibility and statistics."""
    import vrplib
    from pyvrp import read

    instance = vrplib.read_instance(str(path))
    if int(np.asarray(instance.get("depot", [0])).ravel()[0]) != 0:
        raise ValueError(f"{path}: expected the depot to be node 1")
    data = read(path, round_func="round")
    result = solve_data(data, seed=seed, max_runtime_s=time_limit_s)
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


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=Path, required=True, help="folder of .vrp files")
    parser.add_argument("--time-limit", type=float, required=True, help="seconds per instance")
    parser.add_argument("--seed", type=int, required=True, help="solver seed")
    parser.add_argument("--out", type=Path, required=True, help="output folder for .sol files")
    parser.add_argument("--bks", type=Path, default=None, help="bks.csv (default: DIR or parent)")
    parser.add_argument(
        "--max-customers", type=int, default=None, help="skip instances with more customers"
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
        res = solve_instance(path, time_limit_s=args.time_limit, seed=args.seed)
        wall = time.perf_counter() - start
        write_text_atomic(args.out / f"{name}.sol", solution_text(res["routes"], res["cost"]))
        best = bks.get(name)
        gap = (res["cost"] - best) / best * 100 if best and res["feasible"] else math.nan
        rows.append({"instance": name, **{k: res[k] for k in ("n_customers", "cost", "feasible",
                     "iterations")}, "bks": best, "gap_pct": gap, "wall_s": round(wall, 2)})
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
