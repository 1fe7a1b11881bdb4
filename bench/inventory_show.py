"""Time ``logistics inventory show`` on the embedded demo region (target: under 2 s).

Baseline measured in the same run: a bare Python interpreter start-up (``python -c pass``)
and ``logistics --help`` (CLI start-up without reading data). Usage::

    python bench/inventory_show.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from _args import positive_int  # bench/'s own module


def _time(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=positive_int, default=7)
    args = ap.parse_args()
    py = sys.executable
    base = _time([py, "-c", "pass"], args.repeat)
    helps = _time([py, "-m", "logistics", "--help"], args.repeat)
    show = _time([py, "-m", "logistics", "inventory", "show"], args.repeat)
    print(f"python start-up          {base:6.3f} s")
    print(f"logistics --help         {helps:6.3f} s  ({helps / base:4.1f}x start-up)")
    print(
        f"logistics inventory show {show:6.3f} s  ({show / base:4.1f}x start-up)  target < 2 s: "
        f"{'OK' if show < 2 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
