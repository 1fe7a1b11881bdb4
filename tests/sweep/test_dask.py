"""Sweeps on real Dask processes: a scheduler and two workers on loopback, one killed mid-sweep (issue 21).

The same seed gives the same Parquet content on a local cluster of one or two workers and on
the external cluster that lost a worker; every variant's row is there exactly once.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from tests.helpers import ROOT, default_sigint

if TYPE_CHECKING:
    from pathlib import Path

SCENARIO = ROOT / "scenarios" / "earthquake_lulong.toml"
VARIANTS, SEED = 24, 11
BIN = os.path.dirname(sys.executable)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _parts(out: Path) -> int:
    return len(list((out / "parts").glob("*.json"))) if (out / "parts").is_dir() else 0


def _sweep(
    out: Path, *extra: str, wait: bool = True
) -> subprocess.Popen[str] | subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "logistics", "sweep", str(SCENARIO), "--variants", str(VARIANTS), "--seed", str(SEED),
           "--out", str(out), *extra]  # fmt: skip
    if wait:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    # Ctrl-C with its default action in the child, even when the suite runs with SIGINT ignored
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint
    )


@pytest.fixture(scope="module")
def local_runs(tmp_path_factory) -> dict[int, Path]:
    """The sweep on a local cluster of one and of two worker processes (their folders)."""
    out = {}
    for n in (1, 2):
        folder = tmp_path_factory.mktemp(f"local{n}") / "sweep"
        r = _sweep(folder, "--workers", str(n))
        assert r.returncode == 0, r.stderr[-2000:]
        assert "时限内需求满足率" in r.stdout and "扫描进度" in r.stderr
        # stderr is a pipe here, as in a log file: whole lines, one per tenth at most, no "\r"
        lines = [line for line in r.stderr.splitlines() if line.startswith("扫描进度")]
        assert (
            "\r" not in r.stderr and 1 <= len(lines) <= 11 and lines[-1].startswith(f"扫描进度 {VARIANTS}/")
        )
        out[n] = folder
    return out


@pytest.fixture(scope="module")
def local_tables(local_runs) -> dict[int, pd.DataFrame]:
    return {n: pd.read_parquet(f / "variants.parquet") for n, f in local_runs.items()}


def test_summary_figures_are_those_of_the_table(local_runs, local_tables) -> None:
    """Every figure of summary.json, the text and the workbook recomputed from variants.parquet."""
    import json

    import numpy as np
    from openpyxl import load_workbook

    from logistics.sweep.summary import _text as sweep_text

    folder, table = local_runs[1], local_tables[1]
    s = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    share = table["share_met_by_deadline"].to_numpy()
    assert s["variants"] == len(table) == VARIANTS and s["seed"] == SEED
    assert s["share_met_by_deadline"]["q05"] == pytest.approx(np.quantile(share, 0.05), abs=1e-6)
    assert s["share_met_by_deadline"]["q50"] == pytest.approx(np.median(share), abs=1e-6)
    assert s["share_met_by_deadline"]["min"] == pytest.approx(share.min(), abs=1e-6)
    assert s["p_share_below_90"] == pytest.approx((share < 0.9).mean(), abs=1e-4)
    for u, p in s["exceedance_unmet_share"]:
        assert p == pytest.approx(((1 - share) >= u - 1e-12).mean(), abs=1e-4)
    for r in s["items_short"]:
        assert r["share_of_variants"] == pytest.approx((table[f"unmet:{r['item']}"] >= 1).mean(), abs=1e-4)
    for r in s["points_short"]:
        hits = sum(r["point"] in str(v).split(";") for v in table["short_points"])
        assert r["share_of_variants"] == pytest.approx(hits / len(table), abs=1e-4)
    text = (folder / "摘要.txt").read_text(encoding="utf-8")
    assert f"中位数 {100 * np.median(share):.1f}%" in text and "【示意数据】" in text
    assert "扫描分布取灾种默认示意值" in text  # no [sweep] table: the illustrative defaults are said
    en = sweep_text(s, zh=False)  # English names points by name, as the Chinese text does
    assert all(f"{r['name']} (" in en for r in s["points_short"][:5]) and "points most often short" in en
    wb = load_workbook(folder / "sweep.xlsx")
    assert (
        wb["各变体"].max_row == VARIANTS + 1 and wb["物资短缺频率"]["A2"].value == s["items_short"][0]["item"]
    )


def test_same_seed_same_parquet_with_one_or_two_workers(local_tables) -> None:
    one, two = local_tables[1], local_tables[2]
    assert list(one["variant"]) == list(range(VARIANTS))
    pd.testing.assert_frame_equal(one, two)


def test_external_cluster_survives_a_killed_worker(tmp_path, local_tables) -> None:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = [subprocess.Popen([os.path.join(BIN, "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard", "--dashboard-address", ":0"],  # its HTTP routes: a free port
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)]  # fmt: skip
    try:
        workers = [
            subprocess.Popen(
                [
                    os.path.join(BIN, "dask"),
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--name",
                    f"w{k}",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=tmp_path,
            )
            for k in range(2)
        ]
        procs += workers
        out = tmp_path / "external"
        run = _sweep(out, "--scheduler", address, wait=False)
        # kill one worker once a few variants are on disk: its tasks in flight go to the other
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and _parts(out) < 4 and run.poll() is None:
            time.sleep(0.1)
        assert run.poll() is None, "the sweep finished before a worker could be killed"
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=30)
        _stdout, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr[-2000:]
        table = pd.read_parquet(out / "variants.parquet")
        assert sorted(table["variant"]) == list(range(VARIANTS))  # every variant exactly once
        assert len(list((out / "parts").glob("*.json"))) == VARIANTS
        pd.testing.assert_frame_equal(table, local_tables[1])
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=20)


def test_resume_finishes_an_interrupted_sweep(tmp_path, local_tables) -> None:
    out = tmp_path / "resume"
    run = _sweep(out, "--workers", "1", wait=False)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and _parts(out) < 5 and run.poll() is None:
        time.sleep(0.1)
    run.send_signal(signal.SIGINT)  # the planner presses Ctrl-C
    run.communicate(timeout=120)
    done = _parts(out)
    assert 0 < done < VARIANTS and not (out / "variants.parquet").exists()
    r = _sweep(out, "--workers", "2")  # without --resume the folder is refused
    assert r.returncode == 2 and "--resume" in r.stderr
    r = _sweep(out, "--workers", "2", "--resume")
    assert r.returncode == 0, r.stderr[-2000:]
    assert f"本次评估 {VARIANTS - done} 个变体" in r.stdout  # only the missing ones
    pd.testing.assert_frame_equal(pd.read_parquet(out / "variants.parquet"), local_tables[1])


def test_local_cluster_starts_when_port_8787_is_taken() -> None:
    """Two sweeps at once on one machine: the second local cluster neither warns nor fails.

    The scheduler serves HTTP routes even without a dashboard, on 8787 by default; with the port
    taken it warned "Port 8787 is already in use" (an error under this suite's warning filter).
    """
    from logistics.sweep.cluster import dask_client

    taken = socket.socket()
    try:
        taken.bind(("", 8787))
        taken.listen(1)
    except OSError:
        pytest.skip("port 8787 is in use by something else here")
    try:
        with dask_client(workers=1) as client:
            assert client.submit(sum, [1, 2, 3]).result() == 6
    finally:
        taken.close()
