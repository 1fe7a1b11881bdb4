"""The package's structure as documented in docs/architecture.md.

The import graph is built with ``ast`` from every module of ``logistics`` (imports inside functions
included) and checked against the table of subpackages in docs/architecture.md.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import networkx as nx
import pytest

from tests.helpers import ROOT

if TYPE_CHECKING:
    from pathlib import Path

PACKAGE = ROOT / "logistics"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
#: Functions allowed over MAX_FUNCTION_LINES, with the reason they read better whole (at most 5).
LONG_FUNCTIONS: dict[str, str] = {}
MAX_OWN_IMPORTS_IN_FUNCTIONS = 5
HEAVY = ("pandas", "geopandas", "scipy", "ortools", "pyvrp", "matplotlib", "openpyxl", "networkx",
         "osmnx", "shapely", "pyproj", "pyogrio", "pyrosm", "highspy", "dask", "distributed", "folium", "xlrd")  # fmt: skip
#: Standard-library modules slow enough to import only when used (the mail path loads OpenSSL).
SLOW_STDLIB = ("smtplib", "ssl", "email", "multiprocessing", "concurrent")


@dataclass(frozen=True)
class Import:
    module: str  # importing module
    target: str  # imported module (resolved), or package for "from pkg import name"
    names: tuple[str, ...]
    line: int
    in_function: bool
    type_only: bool  # under ``if TYPE_CHECKING:`` (never executed)
    comment: str


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(mod: str, is_pkg: bool, node: ast.ImportFrom | ast.Import) -> list[tuple[str, tuple[str, ...]]]:
    if isinstance(node, ast.Import):
        return [(a.name, ()) for a in node.names]
    if node.level:
        base = mod.split(".")
        if not is_pkg:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    out = []
    for a in node.names:
        sub = f"{target}.{a.name}"
        out.append((sub, ()) if sub in modules() else (target, (a.name,)))
    return out


@cache
def imports() -> tuple[Import, ...]:
    out = []
    for mod, path in modules().items():
        src = path.read_text(encoding="utf-8")
        lines = src.splitlines()
        tree = ast.parse(src)
        in_fn: set[int] = set()
        type_only: set[int] = set()
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                in_fn |= {id(n) for n in ast.walk(fn) if isinstance(n, ast.Import | ast.ImportFrom)}
            if isinstance(fn, ast.If) and "TYPE_CHECKING" in ast.unparse(fn.test):
                type_only |= {id(n) for n in ast.walk(fn) if isinstance(n, ast.Import | ast.ImportFrom)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            text = "\n".join(lines[node.lineno - 1 : node.end_lineno])
            previous = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if previous.startswith("#"):  # a comment line just above the import
                text = previous + "\n" + text
            comment = text.split("#", 1)[1] if "#" in text else ""
            for target, names in _resolve(mod, path.name == "__init__.py", node):
                out.append(
                    Import(
                        mod,
                        target,
                        names,
                        node.lineno,
                        id(node) in in_fn,
                        id(node) in type_only,
                        comment.strip(),
                    )
                )
    return tuple(out)


def own(imp: Import) -> bool:
    return imp.target == "logistics" or imp.target.startswith("logistics.")


def subpackage(mod: str) -> str | None:
    parts = mod.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and f"{mod}" in _packages()) else None


@cache
def _packages() -> frozenset[str]:
    return frozenset(m for m, p in modules().items() if p.name == "__init__.py")


@cache
def allowed() -> dict[str, frozenset[str]]:
    """Subpackage -> subpackages it may import, read from docs/architecture.md."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = {}
    for m in re.finditer(r"^\| `(\w+)` \|[^|]*\|([^|]*)\|$", text, flags=re.M):
        table[m.group(1)] = frozenset(x.strip() for x in m.group(2).split(",") if x.strip())
    return table


def test_docs_table_covers_every_subpackage():
    subs = {m.split(".")[1] for m in _packages() if m.count(".") == 1}
    assert subs == set(allowed()), "docs/architecture.md must list exactly the subpackages"


def test_imports_follow_the_documented_direction():
    bad = []
    for imp in imports():
        if not own(imp) or imp.module == "logistics":
            continue
        src, dst = subpackage(imp.module), subpackage(imp.target)
        if dst is None:
            if imp.target not in ("logistics.exceptions",):
                bad.append(f"{imp.module}:{imp.line} imports {imp.target} {imp.names}")
            continue
        if src is None:  # logistics.exceptions, logistics.__main__
            if imp.module == "logistics.__main__" and dst == "cli":
                continue
            bad.append(f"{imp.module}:{imp.line} imports {imp.target}")
            continue
        if src != dst and dst not in allowed()[src]:
            bad.append(f"{imp.module}:{imp.line} ({src}) imports {imp.target} ({dst})")
    assert not bad, "imports against docs/architecture.md:\n" + "\n".join(bad)


def test_no_import_cycles():
    g = nx.DiGraph()
    for imp in imports():
        if own(imp) and not imp.type_only and imp.target in modules() and imp.target != imp.module:
            # "from logistics.x import y" also runs logistics/x/__init__; that edge is real too
            g.add_edge(imp.module, imp.target)
    cycles = [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_module_size():
    big = {m: n for m, p in modules().items() if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    assert not big, f"modules over {MAX_MODULE_LINES} lines: {big}"


def _function_lengths() -> dict[str, int]:
    out = {}
    for mod, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                first = node.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    n -= first.end_lineno - first.lineno + 1
                out[f"{mod}.{node.name}"] = n
    return out


def test_function_size():
    long = {f: n for f, n in _function_lengths().items() if n > MAX_FUNCTION_LINES}
    assert len(LONG_FUNCTIONS) <= 5
    unlisted = {f: n for f, n in long.items() if f not in LONG_FUNCTIONS}
    assert not unlisted, f"functions over {MAX_FUNCTION_LINES} lines (docstring excluded): {unlisted}"


def test_no_private_names_across_subpackages():
    bad = []
    for imp in imports():
        if not own(imp) or subpackage(imp.module) is None:
            continue
        if subpackage(imp.module) == subpackage(imp.target):
            continue
        private_mod = any(part.startswith("_") for part in imp.target.split(".")[1:])
        private_name = any(n.startswith("_") and n != "__version__" for n in imp.names)
        if private_mod or private_name:
            bad.append(f"{imp.module}:{imp.line} imports {imp.target} {imp.names}")
    assert not bad, "private names imported across subpackages:\n" + "\n".join(bad)


def test_no_print_outside_cli():
    bad = []
    for mod, path in modules().items():
        if subpackage(mod) == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                bad.append(f"{mod}:{node.lineno}")
    assert not bad, f"print outside cli: {bad}"


def test_imports_inside_functions_are_few_and_commented():
    inside = [i for i in imports() if i.in_function and subpackage(i.module) != "cli"]
    uncommented = [f"{i.module}:{i.line} {i.target}" for i in inside if not i.comment]
    assert not uncommented, "imports inside functions need a comment saying why:\n" + "\n".join(uncommented)
    own_inside = sorted({(i.module, i.line) for i in inside if own(i)})
    assert len(own_inside) <= MAX_OWN_IMPORTS_IN_FUNCTIONS, f"own modules imported in functions: {own_inside}"
    third = [i for i in inside if not own(i) and i.target.split(".")[0] not in HEAVY + SLOW_STDLIB]
    assert not third, "only heavy libraries are imported inside functions: " + ", ".join(
        f"{i.module}:{i.line} {i.target}" for i in third
    )


def test_init_modules_only_reexport():
    bad = []
    for mod, path in modules().items():
        if path.name != "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        has_all = False
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                continue
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # docstring
                continue
            if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == [
                "__all__"
            ]:
                has_all = True
                continue
            if isinstance(node, ast.ImportFrom | ast.If):
                continue
            bad.append(f"{mod}:{node.lineno} {type(node).__name__}")
        if not has_all:
            bad.append(f"{mod}: no __all__")
    assert not bad, "__init__.py files should only re-export:\n" + "\n".join(bad)


#: Public names of the top-level namespace before the restructuring (notebooks and scripts use them).
PUBLIC_NAMES = [
    "AllocationParams",
    "AllocationProblem",
    "AllocationResult",
    "Batch",
    "Capacity",
    "Catalogue",
    "Closure",
    "Count",
    "Depot",
    "Fleet",
    "Inventory",
    "InventoryLine",
    "Item",
    "ItemLoad",
    "LateStop",
    "Norm",
    "NightlyReport",
    "RoadMatrices",
    "RoadNetwork",
    "ReportConfig",
    "ReportHistory",
    "ReserveType",
    "Region",
    "RoutingParams",
    "RoutingProblem",
    "RoutingResult",
    "RoutingStats",
    "ServiceTimes",
    "Shipment",
    "Slowdown",
    "SmtpParams",
    "SnapParams",
    "SpeedParams",
    "Stop",
    "Substitution",
    "Trip",
    "UnmetLoad",
    "VehicleRoute",
    "VehicleType",
    "apply_disruptions",
    "build_report",
    "build_schedule",
    "check_routes",
    "demo_network",
    "demo_region",
    "distance_matrix",
    "disruptions_from_file",
    "fefo_assign",
    "find_cjk_font",
    "format_chinese_number",
    "inventory_from_file",
    "legs_to_geodataframe",
    "load_catalogue",
    "load_region",
    "load_report_config",
    "network_from_file",
    "network_from_place",
    "parse_chinese_number",
    "parse_quantity",
    "path_between",
    "plan_routes",
    "plan_routes_with_feedback",
    "plot_gantt",
    "report_email",
    "run_nightly",
    "send_message",
    "snap_points",
    "solve_allocation",
    "stops_to_geodataframe",
    "travel_time_matrix",
    "write_dispatch_xlsx",
    "write_report_files",
    "write_routes_geojson",
    "write_routes_gpkg",
    "write_schedule_xlsx",
    "Scenario",
    "load_scenario",
    "RunParams",
    "RunResult",
    "run_scenario",
]


def test_top_level_namespace_keeps_public_names():
    import logistics

    missing = [n for n in PUBLIC_NAMES if not hasattr(logistics, n)]
    assert not missing, missing
    assert set(PUBLIC_NAMES) <= set(logistics.__all__)
    assert not hasattr(logistics, "__getattr__")


@pytest.mark.parametrize("module", ["logistics", "logistics.cli"])
def test_importing_the_cli_loads_no_heavy_library(module):
    code = (
        f"import sys, {module}; "
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "", f"heavy libraries loaded by import {module}: {out.stdout.strip()}"
