"""Time the sufficiency checks on the embedded demo region (targets: quantity < 10 s, time < 60 s).

Baseline measured in the same run: reading and validating the demo region's inventory.
Usage: ``python bench/check.py [--date 2026-11-23]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--date", default="2026-11-23")
    args = ap.parse_args()
    day = dt.date.fromisoformat(args.date)
    t0 = time.perf_counter()
    from logistics.region import demo_region
    from logistics.sufficiency import CheckParams, check_time, run_check

    region = demo_region()
    region.inventory()
    base = time.perf_counter() - t0
    t1 = time.perf_counter()
    report = run_check(region, CheckParams(date=day, time_check=False))
    quantity = time.perf_counter() - t1
    t2 = time.perf_counter()
    tc = check_time(region, region.response_rules(), report["target_level"], date=day)
    timing = time.perf_counter() - t2
    print(f"load region (imports + inventory)  {base:6.2f} s")
    print(
        f"quantity check (all levels, counties, expiry, purchase)  {quantity:6.2f} s  "
        f"({quantity / base:4.1f}x load)  target < 10 s: {'OK' if quantity < 10 else 'MISSED'}"
    )
    print(
        f"time check ({len(tc['counties'])} counties x {len(tc['deadlines_h'])} deadlines)  {timing:6.2f} s  "
        f"({timing / base:4.1f}x load)  target < 60 s: {'OK' if timing < 60 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
