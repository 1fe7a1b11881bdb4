"""Sweep and critical-roads timings on the demo earthquake (issue 21).

Prints, all measured in this run:

* baseline: variants evaluated one after another in this process (no Dask), seconds per variant;
* scaling: the same variants as Dask tasks on a warm local cluster of 1 and of 2 worker
  processes (caches loaded first), and the efficiency ``T1 / (2 T2)``;
* the full ``run_sweep`` of ``--variants`` variants (default 1,000) with 2 workers, start-up and
  outputs included, against the serial baseline's estimate for the same count;
* ``critical_roads`` on the demo with 2 workers, end to end.

Usage: ``python bench/sweep.py [--variants 1000] [--scaling 200]``
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from _args import positive_int  # bench/'s own module

from logistics.scenario import load_scenario
from logistics.sweep import CriticalParams, SweepParams, critical_roads, run_sweep, sweep_spec
from logistics.sweep.cluster import dask_client, run_keyed
from logistics.sweep.run import sweep_task
from logistics.sweep.variants import evaluate_variant, sweep_base

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "earthquake_lulong.toml"


def _warm_run(workers: int, n: int, spec: dict) -> float:
    with dask_client(workers=workers) as client:
        run_keyed(client, sweep_task, [(f"warm-{workers}-{k}", (str(SCENARIO), spec, 99, k)) for k in range(2 * workers)],
                  lambda _k, _r: None)  # fmt: skip
        t0 = time.perf_counter()
        run_keyed(client, sweep_task, [(f"bench-{workers}-{i}", (str(SCENARIO), spec, 1, i)) for i in range(n)],
                  lambda _k, _r: None)  # fmt: skip
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", type=positive_int, default=1000)
    ap.add_argument(
        "--scaling", type=positive_int, default=200, help="variants timed for the 1 vs 2 workers scaling"
    )
    ap.add_argument("--serial", type=positive_int, default=40, help="variants of the serial baseline")
    args = ap.parse_args()
    sc = load_scenario(SCENARIO)
    spec = sweep_spec(sc.hazard.type)
    base = sweep_base(sc)
    evaluate_variant(base, spec, 1, 0)  # warm
    t0 = time.perf_counter()
    for i in range(args.serial):
        evaluate_variant(base, spec, 1, i)
    per = (time.perf_counter() - t0) / args.serial
    print(f"baseline (serial, in process): {per:.3f} s per variant over {args.serial} variants")
    t1 = _warm_run(1, args.scaling, spec.as_dict())
    t2 = _warm_run(2, args.scaling, spec.as_dict())
    print(f"scaling, {args.scaling} variants on a warm local cluster: 1 worker {t1:.1f} s, 2 workers {t2:.1f} s, "
          f"speed-up {t1 / t2:.2f}, efficiency {t1 / (2 * t2):.0%}; serial baseline {per * args.scaling:.1f} s "
          f"(ratio 2 workers / serial {t2 / (per * args.scaling):.2f})")  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        t0 = time.perf_counter()
        run_sweep(SCENARIO, tmp / "sweep", SweepParams(variants=args.variants, seed=0, workers=2))
        full = time.perf_counter() - t0
        print(f"run_sweep: {args.variants} variants, 2 workers, outputs included: {full:.1f} s "
              f"(target < 300 s; serial estimate {per * args.variants:.0f} s, ratio {full / (per * args.variants):.2f})")  # fmt: skip
        t0 = time.perf_counter()
        res = critical_roads(SCENARIO, tmp / "critical", CriticalParams(top=10, pairs=4, workers=2))
        crit = time.perf_counter() - t0
        print(f"critical_roads: {crit:.1f} s (target < 120 s); {len(res.bounds)} sections screened, "
              f"{len(res.evaluated)} evaluated exactly, ranking complete: {res.complete}")  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
