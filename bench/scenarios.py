"""Time the three demo scenarios end to end (road matrices, allocation, routing with feedback).

Baseline measured in the same run: loading the embedded road network and the region. Usage:
``python bench/scenarios.py [--routing-iterations 200]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--routing-iterations", type=int, default=200)
    args = ap.parse_args()
    t0 = time.perf_counter()
    from logistics.plan import RunParams, run_scenario
    from logistics.region import demo_region
    from logistics.roads import demo_network
    from logistics.scenario import load_scenario

    demo_network()
    demo_region().inventory()
    base = time.perf_counter() - t0
    print(f"load road network + region   {base:6.2f} s")
    for name in ("earthquake_lulong", "flood_luanhe", "typhoon_surge"):
        t = time.perf_counter()
        res = run_scenario(load_scenario(ROOT / "scenarios" / f"{name}.toml"),
                           RunParams(routing_iterations=args.routing_iterations))  # fmt: skip
        dt = time.perf_counter() - t
        s = res.summary()
        print(f"{name:20s} {dt:6.2f} s ({dt / base:4.1f}x load)  allocation {res.timings_s['allocation_s']:.2f} s, "
              f"routing+feedback {res.timings_s.get('routing_s', 0):.2f} s ({res.feedback_rounds} re-solves); "
              f"met {s['demand_met_share_by_deadline']:.3f} (routed {s['routes']['demand_met_share_by_deadline_routed']:.3f})")  # fmt: skip


if __name__ == "__main__":
    main()
