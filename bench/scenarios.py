"""End-to-end time of ``logistics run`` on the demo scenarios, with a breakdown per step.

Each run is a separate process, from start to exit, with every output written (what a planner
waits for). The breakdown comes from the run's ``timing.json``: reading the scenario, road
matrices and the model, the allocation and its bound, the first routing, the repair (re-planning
and the later wave) and writing the files; the rest is process start-up and imports.

Baseline, measured in the same run: the same command with the code of ``--before`` (default: the
commit before the routed plan, ``57ad332``), extracted with ``git archive`` and run with
``PYTHONPATH``. The fourth case puts all 53 places of the demo region on the earthquake as demand
points (1 % of each place's population relocated, 2 % in need of relief at home).

Runs as a planner's do: Python may cache bytecode (``PYTHONDONTWRITEBYTECODE`` is removed from
the environment) and one untimed run of each code version comes first, so no figure includes
compiling the sources. The command runs with its default ``--jobs`` (the cores available, at
most 8); the per-step columns come from the run's ``timing.json``.

Usage: ``python bench/scenarios.py [--before REV] [--repeat 2]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ("earthquake_lulong", "flood_luanhe", "typhoon_surge", "earthquake_all_places")
STEPS = ("read_s", "model_s", "allocation_s", "routing_s", "repair_s", "write_s")


def _places(code_root: Path) -> list[dict[str, str]]:
    with open(code_root / "data" / "depots" / "qinhuangdao" / "places.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _quake_with(code_root: Path, path: Path, demand: str) -> Path:
    """Write the earthquake scenario with its ``[[demand]]`` blocks replaced by ``demand``."""
    text = (code_root / "scenarios" / "earthquake_lulong.toml").read_text(encoding="utf-8")
    head = text.split("[[demand]]", 1)[0]
    tail = text[text.index("[[disruption]]") :]
    path.write_text(head + demand + tail, encoding="utf-8")
    return path


def _all_places_demand(places: list[dict[str, str]]) -> str:
    return "".join(
        f'[[demand]]\nplace = "{p["name"]}"\nrelocated = {round(int(p["population"]) * 0.01)}\n'
        f"need_relief = {round(int(p['population']) * 0.02)}\n\n"
        for p in places
    )


def all_places_scenario(code_root: Path, folder: Path) -> Path:
    """The earthquake scenario with every place of the demo region as a demand point."""
    demand = _all_places_demand(_places(code_root))
    return _quake_with(code_root, folder / "earthquake_all_places.toml", demand)


def city_scale_scenario(
    code_root: Path, folder: Path, *, shelters: int = 300, seed: int = 17, hub: str | None = None
) -> Path:
    """The earthquake with every place of the region and ``shelters`` generated shelters as demand points.

    Shelters lie within about 3 km of a random place (seeded), with 200-2,000
    relocated people each: a city-scale allocation (every township and a few
    hundred shelters), for the certified mode. Illustrative, like the scenario.
    ``hub`` names a depot that becomes a transfer hub (waves at 3 h and 6 h, 0.5 h
    handling, 30 t/h).
    """
    import random

    rng = random.Random(seed)
    places = _places(code_root)
    demand = _all_places_demand(places)
    for i in range(shelters):
        p = places[rng.randrange(len(places))]
        lon = float(p["lon"]) + rng.uniform(-0.03, 0.03)
        lat = float(p["lat"]) + rng.uniform(-0.03, 0.03)
        demand += (
            f'[[demand]]\nid = "SH-{i:03d}"\nname = "{p["name"]}安置点{i:03d}"\nlon = {lon:.5f}\nlat = {lat:.5f}\n'
            f'county = "{p["county"]}"\nrelocated = {rng.randrange(200, 2001)}\n\n'
        )
    path = _quake_with(code_root, folder / "earthquake_city_scale.toml", demand)
    if hub is not None:
        text = path.read_text(encoding="utf-8")
        text += f'\n[[hub]]\ndepot = "{hub}"\ncutoffs_h = [3, 6]\nhandling_h = 0.5\nthroughput_t_h = 30\n'
        path.write_text(text, encoding="utf-8")
    return path


def _extract(rev: str, dest: Path) -> Path:
    data = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def run_case(code_root: Path, scenario: Path, out: Path) -> tuple[float, dict[str, float], str]:
    """Run one scenario in a fresh process; return wall time, timing.json and the headline line."""
    env = dict(os.environ, PYTHONPATH=str(code_root), LOGISTICS_LANG="zh")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "logistics", "run", str(scenario), "--out", str(out)],
                       cwd=code_root, env=env, capture_output=True, text=True, check=True)  # fmt: skip
    wall = time.perf_counter() - t
    timing = json.loads((out / "timing.json").read_text(encoding="utf-8"))
    line = next((ln for ln in r.stdout.splitlines() if "满足率" in ln), "")
    return wall, timing, re.sub(r"（求解状态.*", "", line)


def main() -> None:
    from _args import positive_int  # bench/'s own module; here, as tests load this file by path

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", default="57ad332", help="git revision of the baseline code")
    ap.add_argument("--repeat", type=positive_int, default=2, help="runs per case (the fastest is kept)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old = _extract(args.before, folder / "before")
        for label, code in (("now", ROOT), ("before", old)):  # warm-up: bytecode caches
            (folder / "warm").mkdir(exist_ok=True)
            run_case(code, code / "scenarios" / "typhoon_surge.toml", folder / "warm" / label)
        print(
            "case                      now (s)  before (s)  ratio  "
            + "  ".join(s[:-2] for s in STEPS)
            + "  rest"
        )
        for case in CASES:
            results = {}
            for label, code in (("now", ROOT), ("before", old)):
                scen = (all_places_scenario(code, folder / label) if case == "earthquake_all_places"
                        else code / "scenarios" / f"{case}.toml")  # fmt: skip
                (folder / label).mkdir(exist_ok=True)
                runs = [run_case(code, scen, folder / label / f"{case}-{k}") for k in range(args.repeat)]
                results[label] = min(runs, key=lambda r: r[0])
            wall, timing, line = results["now"]
            parts = [timing.get(s, 0.0) for s in STEPS]
            rest = wall - sum(parts)
            print(f"{case:24s} {wall:8.2f}  {results['before'][0]:10.2f}  {wall / results['before'][0]:5.2f}  "
                  + "  ".join(f"{p:5.2f}" for p in parts) + f"  {rest:5.2f}")  # fmt: skip
            print(f"    now:    {line}")
            print(f"    before: {results['before'][2]}")


if __name__ == "__main__":
    main()
