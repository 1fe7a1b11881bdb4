"""How the pooled allocation LP's simplex effort grows with the candidate pairs.

For the synthetic province of ``allocation_province.py`` this script builds
stage (a) of the LP for each (instance, k) — k = depots kept per point, ``all``
= unpruned — prints its size, and (unless ``--size-only``) solves it from
scratch with GLOP (or ``--solver``), reading GLOP's own iteration count from its log. It also counts
the structural variables strictly between their bounds at the optimum: all of
them are basic, and a simplex that starts from the slack basis brings basic
variables in one pivot at a time (presolve removes a few beforehand).

The baseline for the time ratios is the first k listed for each instance.

Run from the repository root::

    python bench/allocation_scaling.py                                  # 20x500x30, k = 1..4
    python bench/allocation_scaling.py --runs 50x1250x30:1,2 200x5000x30:1
    python bench/allocation_scaling.py --size-only --runs 200x5000x30:1,2,4,6,10,all
    python bench/allocation_scaling.py --runs 20x500x30:3 --solver highs --params 'solver=ipm\nrun_crossover=on'
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time

import numpy as np
from _args import positive_float, positive_int, size_text  # bench/'s own module
from allocation_province import province_instance

from logistics.allocation._lanes import build_lanes
from logistics.allocation._model import build_model


def _cargo_count(p, ln) -> int:
    """Cargo variables the lanes would have, without enumerating them."""
    has = p.stock > 0
    n = 0
    for d in np.unique(ln.lane_d):
        on_d = ln.lane_d == d
        for w in np.unique(ln.lane_w[on_d]):
            lanes = on_d & (ln.lane_w == w)
            srcs = np.flatnonzero((p.source_depot == d) & (p.ready_h <= ln.win_start[w]) & has.any(1))
            n += int((ln.wanted[ln.lane_j[lanes]].astype(np.int64) @ has[srcs].T.astype(np.int64)).sum())
    return n


def solve_lp(model, solver: str = "glop", params: str = "", time_limit_s: float | None = None) -> dict:
    from ortools.linear_solver.python import model_builder_helper as mbh

    h = mbh.ModelBuilderHelper()
    h.fill_model_from_sparse_data(model.lb, model.ub, model.obj_a, model.rlb, model.rub, model.A)
    h.set_maximize(True)
    s = mbh.ModelSolverHelper(solver)
    if solver == "glop":
        params = f"{params} log_search_progress: true"
    if params:
        s.set_solver_specific_parameters(params)
    if time_limit_s is not None:
        s.set_time_limit_in_seconds(time_limit_s)
    s.enable_output(True)
    # GLOP writes its log to the process's stdout/stderr: catch both at the fd level
    with tempfile.TemporaryFile(mode="w+") as log:
        sys.stdout.flush()
        saved = [os.dup(1), os.dup(2)]
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            t0 = time.perf_counter()
            s.solve(h)
            wall = time.perf_counter() - t0
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
        log.seek(0)
        text = log.read()
    it = re.findall(r"^iterations: (\d+)", text, re.M)
    pres = re.findall(r"^Presolved problem: (\d+) rows", text, re.M)
    if not s.has_solution():
        return {"solver": solver, "status": s.status().name, "wall_s": round(wall, 2)}
    v = np.asarray(s.variable_values())
    iterations = int(it[-1]) if it else None
    return {
        "solver": solver,
        "status": s.status().name,
        "demand_met_share": round(float(model.obj_a @ v), 6),
        "presolved_rows": int(pres[-1]) if pres else None,
        "iterations": iterations,
        "between_bounds": int(((v > model.lb + 1e-9) & (v < model.ub - 1e-9)).sum()),
        "wall_s": round(wall, 2),
        "ms_per_iteration": round(1000 * wall / iterations, 3) if iterations else None,
    }


def _run_spec(text: str) -> str:
    """``DxJxK:K,K,...`` with each ``K`` a whole number ≥ 1 or ``all`` (an argparse type)."""
    inst, _, ks = text.partition(":")
    size_text(inst)
    for k in ks.split(","):
        if k != "all":
            try:
                positive_int(k)
            except argparse.ArgumentTypeError:
                raise argparse.ArgumentTypeError(
                    f"expected DxJxK:K,K,... with each K a whole number >= 1 or 'all'; got {text!r}"
                ) from None
    return text


def parser() -> argparse.ArgumentParser:
    """The script's options (their types refuse malformed values: one error, exit 2)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--runs",
        nargs="+",
        default=["20x500x30:1,2,3,4"],
        type=_run_spec,
        help="INSTANCE:K,K,... with INSTANCE = DEPOTSxPOINTSxITEMS and K an integer or 'all'",
    )
    ap.add_argument("--size-only", action="store_true", help="only build and count, do not solve")
    ap.add_argument("--solver", default="glop", help="OR-Tools model_builder solver: glop, pdlp, highs")
    ap.add_argument(
        "--params",
        default="",
        help="solver-specific parameters, e.g. 'solver=ipm\\nrun_crossover=on' for highs, "
        "'num_threads: 2' for pdlp",
    )
    ap.add_argument(
        "--time-limit", type=positive_float, default=None, help="seconds per solve (default none)"
    )
    return ap


def main() -> None:
    args = parser().parse_args()
    for spec in args.runs:
        inst, ks = spec.split(":")
        nd, npt, nk = (int(x) for x in inst.split("x"))
        p = province_instance(nd, npt, nk)
        base: dict | None = None
        for kk in ks.split(","):
            k = None if kk == "all" else int(kk)
            row: dict = {"instance": inst, "k": kk}
            if args.size_only:
                ln = build_lanes(p, k, cargo=False)
                row.update(
                    pairs=int(ln.candidate.sum()), lanes=len(ln.lane_g), cargo_variables=_cargo_count(p, ln)
                )
                print(json.dumps(row), flush=True)
                continue
            t0 = time.perf_counter()
            ln = build_lanes(p, k)
            model = build_model(p, ln, False)
            row.update(
                build_s=round(time.perf_counter() - t0, 2),
                lanes=len(ln.lane_g),
                rows=int(model.A.shape[0]),
                variables=int(model.A.shape[1]),
            )
            row.update(solve_lp(model, args.solver, args.params.replace("\\n", "\n"), args.time_limit))
            if base is None:
                base = row
            row["time_ratio"] = round(row["wall_s"] / max(base["wall_s"], 1e-3), 1)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
