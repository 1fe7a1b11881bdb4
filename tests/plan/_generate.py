"""Seeded scenario generator on the demo region: closures, reopenings, slowdowns, reserves, partners."""

from __future__ import annotations

import csv
import dataclasses
import random
import shutil
from typing import TYPE_CHECKING

from logistics.scenario import Scenario, load_scenario
from tests.helpers import ROOT

if TYPE_CHECKING:
    from pathlib import Path

PLACES = ROOT / "data" / "depots" / "qinhuangdao" / "places.csv"


def _places() -> list[dict[str, str]]:
    with open(PLACES, encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["kind"] != "城区"]


def _box(lon: float, lat: float, r: float) -> str:
    return f"POLYGON(({lon - r} {lat - r}, {lon + r} {lat - r}, {lon + r} {lat + r}, {lon - r} {lat + r}, {lon - r} {lat - r}))"


def scenario_toml(seed: int) -> str:
    """Return the text of one random scenario (TOML); the same seed gives the same text."""
    rng = random.Random(seed)
    places = rng.sample(_places(), rng.randint(4, 8))
    long_run = seed % 6 == 5  # production capacity (start-up 48 h) only counts on long horizons
    deadline = rng.choice([56, 60]) if long_run else rng.choice([8, 10, 12, 14])
    lines = [f'name = "generated-{seed}"', 'illustrative = "generated test scenario"', f"seed = {seed}", "",
             "[hazard]", 'type = "earthquake"', "", "[response]", f"deadline_h = {deadline}", "days = 2",
             'substitutes = [["棉被", "睡袋"], ["折叠床", "睡袋"]]', ""]  # fmt: skip
    extra = random.Random(20_000 + seed)  # windows and unloading: own stream, even seeds only
    for p in places:
        lines += ["[[demand]]", f'place = "{p["name"]}"', f"relocated = {rng.randint(100, 2500)}",
                  f"need_relief = {rng.randint(0, 2000)}", f"priority = {rng.choice([1, 1, 1.5, 2])}"]  # fmt: skip
        if seed % 2 == 0 and extra.random() < 0.4:
            lines += [
                f"receive_from_h = {extra.choice([1, 2, 3, 4])}",
                f"unload_h = {extra.choice([0.25, 1])}",
            ]
        lines.append("")
    for _ in range(rng.randint(0, 3)):
        p = rng.choice(places)
        reopen = rng.choice([None, 2, 4, 6, 9])
        lines += [
            "[[disruption]]",
            'type = "close"',
            f'polygon = "{_box(float(p["lon"]), float(p["lat"]), 0.02)}"',
        ]
        lines += [f"reopen_h = {reopen}"] if reopen is not None else []
        lines.append("")
    if rng.random() < 0.6:
        p = rng.choice(places)
        start = rng.choice([0, 0, 3])
        end = rng.choice([None, 6, 10])
        lines += ["[[disruption]]", 'type = "slow"', f'polygon = "{_box(float(p["lon"]), float(p["lat"]), 0.15)}"',
                  f"factor = {rng.choice([0.5, 0.7])}", f"start_h = {start}"]  # fmt: skip
        lines += [f"end_h = {end}"] if end is not None and end > start else []
        lines.append("")
    if rng.random() < 0.4:
        lines += ["[[mutual_aid]]", 'name = "唐山市"', f"activation_delay_h = {rng.choice([2, 4, 6])}", ""]
    scale = rng.choice([0.3, 0.5, 1.0])
    lines += ["[handling]", "load_h = 0.5", "unload_h = 0.5", f"max_trips = {rng.choice([2, 3, 6])}",
              f"max_duration_h = {rng.choice([10, 16, 80])}"]  # fmt: skip
    lines += _windows(seed, deadline)
    return "\n".join(lines) + f"\n# fleet scale {scale}\n"


def _windows(seed: int, deadline: float) -> list[str]:
    """Unloading per tonne and the city depot's opening hours, for even seeds (own random stream)."""
    rng = random.Random(10_000 + seed)
    if seed % 2:
        return [""]
    return [f"unload_h_per_t = {rng.choice([0.02, 0.05])}", "", "[depots.hours]",
           f'"QHD-M01" = [{rng.choice([0, 1, 2])}, {deadline + rng.choice([2, 6, 24])}]', ""]  # fmt: skip


def _region(folder: Path) -> Path:
    """A copy of the demo region whose mutual-aid partner depot sits on the demo road map.

    The demo road network covers 秦皇岛 only; the partner's real depot (唐山) is 43 km off it,
    so the copy moves it to the region's western edge (test data, illustrative like the rest).
    """
    region = folder / "depots" / "qinhuangdao" / "region.toml"
    if not region.exists():
        shutil.copytree(ROOT / "data" / "depots", folder / "depots")
        depots = folder / "depots" / "tangshan_partner" / "depots.csv"
        text = depots.read_text(encoding="utf-8").replace("118.168424,39.627209", "118.85,39.85")
        depots.write_text(text, encoding="utf-8")
    return region


def generated_scenario(seed: int, folder: Path) -> Scenario:
    """Write and load the scenario of ``seed`` (its fleet scaled down to make trucks scarce)."""
    path = folder / f"generated-{seed}.toml"
    region = _region(folder)
    path.write_text(f'region = "{region.as_posix()}"\n' + scenario_toml(seed), encoding="utf-8")
    s = load_scenario(path)
    scale = float(path.read_text(encoding="utf-8").rsplit("fleet scale ", 1)[1])
    fleet = tuple(dataclasses.replace(v, count=max(1, round(v.count * scale))) for v in s.fleet)
    return dataclasses.replace(s, fleet=fleet)
