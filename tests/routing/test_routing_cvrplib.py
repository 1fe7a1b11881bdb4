"""CVRPLIB benchmark script on a real X instance, checked by an independent checker.

The checker below reads the ``.vrp`` and ``.sol`` files with its own small parser
(no vrplib, no PyVRP): every customer exactly once, capacity of every route, and
the cost recomputed with CVRPLIB's rounded EUC_2D equal to the stated cost.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
from typing import TYPE_CHECKING

import pytest

from tests.routing.helpers import ROOT, shared_path

if TYPE_CHECKING:
    from pathlib import Path

INSTANCE = "X-n101-k25"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_cvrplib", ROOT / "bench" / "cvrplib.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_vrp(path: Path) -> tuple[int, list[tuple[float, float]], list[int]]:
    """Return capacity, coordinates and demands (node 1 = index 0 = depot)."""
    capacity, coords, demands, section = 0, {}, {}, None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("CAPACITY"):
            capacity = int(line.split(":")[1])
        elif line.endswith("_SECTION") or line == "EOF":
            section = line
        elif section == "NODE_COORD_SECTION":
            i, x, y = line.split()
            coords[int(i)] = (float(x), float(y))
        elif section == "DEMAND_SECTION":
            i, d = line.split()
            demands[int(i)] = int(d)
    n = len(coords)
    return capacity, [coords[i] for i in range(1, n + 1)], [demands[i] for i in range(1, n + 1)]


def read_sol(path: Path) -> tuple[list[list[int]], int]:
    routes, cost = [], None
    for line in path.read_text().splitlines():
        if line.startswith("Route"):
            routes.append([int(x) for x in line.split(":", 1)[1].split()])
        elif line.startswith("Cost"):
            cost = int(line.split()[1])
    return routes, cost


def check_cvrp_solution(vrp: Path, sol: Path) -> tuple[list[str], int]:
    """Return (violations, recomputed cost)."""
    capacity, coords, demands = read_vrp(vrp)
    routes, stated = read_sol(sol)
    bad = []
    visits = sorted(c for r in routes for c in r)
    if visits != list(range(1, len(coords))):
        bad.append("customers not visited exactly once")
    cost = 0
    for k, route in enumerate(routes, start=1):
        if not route:
            bad.append(f"route {k} is empty")
        if sum(demands[c] for c in route) > capacity:
            bad.append(f"route {k} exceeds capacity")
        path = [0, *route, 0]
        for a, b in itertools.pairwise(path):
            (xa, ya), (xb, yb) = coords[a], coords[b]
            cost += int(math.sqrt((xa - xb) ** 2 + (ya - yb) ** 2) + 0.5)
    if stated != cost:
        bad.append(f"stated cost {stated} != recomputed {cost}")
    return bad, cost


def test_checker_accepts_the_best_known_solution():
    folder = shared_path("data", "cvrp", "X")
    bad, cost = check_cvrp_solution(folder / f"{INSTANCE}.vrp", folder / f"{INSTANCE}.sol")
    assert bad == []
    assert cost == 27591


def test_bench_script_writes_feasible_solutions(tmp_path, capsys):
    folder = shared_path("data", "cvrp", "X")
    instances = tmp_path / "in"
    instances.mkdir()
    (instances / f"{INSTANCE}.vrp").symlink_to(folder / f"{INSTANCE}.vrp")
    out = tmp_path / "out"
    bench = _bench_module()
    # the iteration limit stops the run long before the (large) time limit
    code = bench.main(
        [
            "--instances",
            str(instances),
            "--time-limit",
            "3600",
            "--seed",
            "1",
            "--out",
            str(out),
            "--max-iterations",
            "300",
            "--bks",
            str(folder.parent / "bks.csv"),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert INSTANCE in printed and "mean gap over 1 instances" in printed
    bad, cost = check_cvrp_solution(folder / f"{INSTANCE}.vrp", out / f"{INSTANCE}.sol")
    assert bad == []
    assert cost >= 27591
    assert (out / "results.csv").is_file()


def test_bench_is_deterministic_with_seed_and_iterations():
    folder = shared_path("data", "cvrp", "X")
    bench = _bench_module()
    runs = [
        bench.solve_instance(folder / f"{INSTANCE}.vrp", time_limit_s=None, seed=4, max_iterations=100)
        for _ in range(2)
    ]
    assert runs[0]["routes"] == runs[1]["routes"]
    assert runs[0]["cost"] == runs[1]["cost"]
    assert runs[0]["iterations"] == runs[1]["iterations"] == 100


@pytest.mark.parametrize("routes", [[[1, 2], [3]], [[1, 2, 3]]])
def test_solution_text_format(routes):
    bench = _bench_module()
    text = bench.solution_text(routes, 42)
    lines = text.splitlines()
    assert lines[0].startswith("Route #1: ")
    assert lines[-1] == "Cost 42"
