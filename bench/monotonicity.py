"""Monotonicity of the routed share on generated scenarios (docs/plan.md).

For each generated scenario (tests/plan/_generate.py) the plan is made for the scenario and for
four variants: twice the stock in every depot, half as many trucks again, the deadline 2 h later,
and one more closure (a box around a demand point). More resources should never lower the routed
share and the closure never raise it; the routing is a heuristic, so the tolerance is 0.5
percentage points. Prints one line per scenario and the violations; the baseline of the ratio
columns is the scenario's own plan in the same run.

Usage: ``python bench/monotonicity.py [--instances 30] [--seed-offset 0]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _args import positive_int  # noqa: E402 - bench/'s own module

from logistics.plan import RunParams, run_scenario  # noqa: E402
from logistics.scenario import DisruptionSpec  # noqa: E402
from tests.plan._generate import _box, generated_scenario  # noqa: E402

TOLERANCE = 0.005


def _share(s) -> float:
    return run_scenario(s, RunParams()).plan.demand_met_share_by_deadline


def variants(s, seed: int) -> dict:
    """The four variants of a scenario: (scenario, direction) with +1 = must not fall."""
    more_stock = dataclasses.replace(s, region=dataclasses.replace(s.region))
    inv = more_stock.region.inventory()
    lines = tuple(dataclasses.replace(ln, quantity=ln.quantity * 2) for ln in inv.lines)
    more_stock.region.__dict__["_inventory"] = dataclasses.replace(inv, lines=lines)
    trucks = tuple(dataclasses.replace(v, count=v.count + max(1, v.count // 2)) for v in s.fleet)
    pt = s.demand[seed % len(s.demand)]
    cut = DisruptionSpec("close", polygon_wkt=_box(pt.lon, pt.lat, 0.02))
    return {
        "stock": (more_stock, +1),
        "trucks": (dataclasses.replace(s, fleet=trucks), +1),
        "deadline": (dataclasses.replace(s, deadline_h=s.deadline_h + 2), +1),
        "closure": (dataclasses.replace(s, disruptions=(*s.disruptions, cut)), -1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instances", type=positive_int, default=30)
    ap.add_argument("--seed-offset", type=int, default=0)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    bad, worst = [], 0.0
    t0 = time.perf_counter()
    for seed in range(args.seed_offset, args.seed_offset + args.instances):
        s = generated_scenario(seed, folder)
        base = _share(s)
        diffs = {}
        for name, (v, sign) in variants(s, seed).items():
            d = _share(v) - base
            diffs[name] = d
            worst = max(worst, -sign * d)
            if -sign * d > TOLERANCE:
                bad.append((seed, name, round(d, 4)))
        print(f"{seed:3d} base {base:.4f} " + " ".join(f"{k} {v:+.4f}" for k, v in diffs.items()), flush=True)
    print(f"{args.instances} scenarios x 4 variants in {time.perf_counter() - t0:.0f} s; "
          f"largest move against the expected direction {worst * 100:.2f} pp (tolerance {TOLERANCE * 100:.1f} pp); "
          f"violations: {bad}")  # fmt: skip
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
