"""``logistics sweep``: evaluate many variants of a scenario on Dask, resumable, rows streamed to disk.

The output folder holds ``sweep.json`` (the job: scenario, its SHA-256, seed, variants and the
distributions), ``parts/<variant>.json`` (one file per finished variant, written atomically as
it arrives), and once every variant is in, ``variants.parquet`` (one row per variant, sorted)
with the summary, plots and workbook (:mod:`logistics.sweep.summary`). An interrupted sweep
loses only the variants in flight; ``resume=True`` runs the missing ones.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.common import write_text_atomic
from logistics.exceptions import InputError, OutputPathError, Problem, tr
from logistics.scenario import load_scenario
from logistics.sweep.cluster import dask_client, run_keyed
from logistics.sweep.spec import SweepSpec, sweep_spec
from logistics.sweep.summary import write_sweep_outputs
from logistics.sweep.variants import base_for, evaluate_variant

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

__all__ = ["SweepParams", "SweepResult", "run_sweep", "sweep_task"]

JOB_FILE = "sweep.json"
PARTS = "parts"


@dataclass(frozen=True)
class SweepParams:
    """Options of a sweep.

    Parameters
    ----------
    variants
        Number of variants (0 … variants − 1).
    seed
        Seed of the draws (variant ``i`` uses ``default_rng([seed, i])``).
    workers
        Local worker processes (default: the cores available, at most 8).
    scheduler
        Address of an existing Dask scheduler instead of a local cluster.
    resume
        Finish an interrupted sweep in the same folder (same scenario, seed, distributions).
    route_worst
        Also route the trucks of this many worst variants (full plans under ``worst/``).
    lang
        Language of the summary, plots and workbook.
    """

    variants: int = 1000
    seed: int = 0
    workers: int | None = None
    scheduler: str | None = None
    resume: bool = False
    route_worst: int = 0
    lang: str = "zh"


@dataclass
class SweepResult:
    """A finished sweep: its folder, rows, summary and files."""

    out_dir: Path
    table: pd.DataFrame
    summary: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)
    evaluated: int = 0


def sweep_task(path: str, spec: dict[str, Any], seed: int, index: int) -> dict[str, Any]:
    """Evaluate one variant (a Dask task: pure, keyed by job and variant)."""
    return evaluate_variant(base_for(path), SweepSpec.from_dict(spec), seed, index)


def _job(path: Path, spec: SweepSpec, params: SweepParams, *, from_scenario: bool) -> dict[str, Any]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    job = {"scenario": str(path), "scenario_sha256": digest, "seed": params.seed, "variants": params.variants,
           "spec": spec.as_dict(), "spec_from_scenario": from_scenario}  # fmt: skip
    job["token"] = hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()[:12]
    return job


def _prepare(out: Path, job: dict[str, Any], resume: bool, *, create: bool) -> None:
    """Check the folder for this job (``create``: and write the job record of a new sweep)."""
    record = out / JOB_FILE
    if record.exists():
        old = json.loads(record.read_text(encoding="utf-8"))
        if not resume:
            raise OutputPathError([Problem(tr("holds a sweep already; use --resume to finish it, or another folder",
                                              "该目录已有扫描结果；续跑请加 --resume，否则换一个目录"), file=str(out))])  # fmt: skip
        if old.get("token") != job["token"]:
            raise InputError([Problem(tr("--resume with another scenario, seed, variant count or distributions",
                                         "--resume 时情景、随机种子、变体数或分布与原扫描不一致"),
                                      file=str(record), column="token", value=str(old.get("token")))])  # fmt: skip
        return
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise OutputPathError([Problem(tr("not an empty folder; a sweep needs its own folder",
                                          "不是空目录；扫描需要单独的输出目录"), file=str(out))])  # fmt: skip
    if not create:
        return
    (out / PARTS).mkdir(parents=True, exist_ok=True)
    write_text_atomic(record, json.dumps(job, ensure_ascii=False, indent=1, sort_keys=True))


def run_sweep(
    scenario_path: str | Path,
    out_dir: str | Path,
    params: SweepParams | None = None,
    *,
    progress: Callable[[int, int, float], None] | None = None,
) -> SweepResult:
    """Run (or resume) a sweep of a scenario and write its outputs.

    Parameters
    ----------
    scenario_path
        The scenario file; its ``[sweep]`` table, else the hazard's defaults, gives the
        distributions (:func:`~logistics.sweep.spec.sweep_spec`).
    out_dir
        Output folder (see the module docstring).
    params
        Options.
    progress
        Called with ``(done, total, elapsed seconds)`` as variants finish.

    Raises
    ------
    InputError
        A bad scenario or ``[sweep]`` table, a non-empty folder without ``resume``, a resume of
        another job.
    """
    params = params or SweepParams()
    if params.variants < 1:
        raise InputError([Problem(tr("expected at least 1 variant", "变体数至少为 1"), column="variants",
                                  value=str(params.variants))])  # fmt: skip
    path = Path(scenario_path).resolve()
    sc = load_scenario(path)
    spec = sweep_spec(sc.hazard.type, sc.extra.get("sweep"), origin=str(path))
    out = Path(out_dir)
    job = _job(path, spec, params, from_scenario=bool(sc.extra.get("sweep")))
    _prepare(out, job, params.resume, create=False)
    parts = out / PARTS
    todo = [i for i in range(params.variants) if not (parts / f"{i:06d}.json").exists()]

    def keep(_key: str, row: dict[str, Any]) -> None:
        write_text_atomic(
            parts / f"{row['variant']:06d}.json", json.dumps(row, ensure_ascii=False, sort_keys=True)
        )

    evaluated = 0
    if todo:
        tasks = [
            (f"logistics-sweep-{job['token']}-{i}", (str(path), spec.as_dict(), params.seed, i)) for i in todo
        ]
        with dask_client(
            workers=params.workers, scheduler=params.scheduler
        ) as client:  # no folder before it is up
            _prepare(out, job, params.resume, create=True)
            evaluated = run_keyed(client, sweep_task, tasks, keep, progress=progress)
    rows = [json.loads((parts / f"{i:06d}.json").read_text(encoding="utf-8")) for i in range(params.variants)]
    table, summary, files = write_sweep_outputs(
        out, sc, rows, job, lang=params.lang, route_worst=params.route_worst
    )
    return SweepResult(out, table, summary, files, evaluated)
