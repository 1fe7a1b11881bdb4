"""Show that two versions of the code write the same outputs (for restructuring work).

Runs ``logistics run`` on the three shipped scenarios and ``logistics check --json`` with the code
of a git revision (``--before``, extracted with ``git archive`` and run with ``PYTHONPATH``) and
with the working tree, then compares every output file:

* CSV, text and PNG files byte for byte;
* JSON files as data without wall-clock fields (``timing.json`` is skipped, the ``seconds`` of
  ``check --json`` dropped);
* GeoJSON files as data without their ``name`` member (it carries a temporary file name);
* XLSX files member by member, except ``docProps/core.xml`` (creation time stamps);
* GeoPackage files table by table through sqlite3, except the ``last_change`` time stamps.

Usage: ``python bench/same_outputs.py --before 57ad332 [--after REV]`` (exit 0 when all outputs
agree; without ``--after`` the working tree is compared). The restructuring of issue 14 is
checked with ``--before 57ad332 --after f1e5b07`` (its last commit, before the routed plan
changed outputs on purpose).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMING_KEYS = {"seconds"}
SCENARIOS = ("earthquake_lulong", "flood_luanhe", "typhoon_surge")


def _extract(rev: str, dest: Path) -> Path:
    data = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def _run_all(code_root: Path, out: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(code_root), LOGISTICS_LANG="zh")
    times = {}
    for name in SCENARIOS:
        t = time.perf_counter()
        cmd = [sys.executable, "-m", "logistics", "run", str(code_root / "scenarios" / f"{name}.toml"),
               "--out", str(out / name)]  # fmt: skip
        subprocess.run(cmd, cwd=code_root, env=env, check=True, capture_output=True)
        times[name] = time.perf_counter() - t
    res = subprocess.run([sys.executable, "-m", "logistics", "check", "--json"], cwd=code_root, env=env,
                         check=True, capture_output=True)  # fmt: skip
    (out / "check.json").write_bytes(res.stdout)
    res = subprocess.run([sys.executable, "-m", "logistics", "check"], cwd=code_root, env=env,
                         check=True, capture_output=True)  # fmt: skip
    (out / "check.txt").write_bytes(res.stdout)
    return times


def _geojson(path: Path) -> object:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("name", None)
    return data


def _json(path: Path) -> object:
    """JSON without wall-clock fields (``seconds`` of ``logistics check --json``)."""

    def drop(x: object) -> object:
        if isinstance(x, dict):
            return {k: drop(v) for k, v in x.items() if k not in TIMING_KEYS}
        if isinstance(x, list):
            return [drop(v) for v in x]
        return x

    return drop(json.loads(path.read_text(encoding="utf-8")))


def _xlsx(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in sorted(z.namelist()) if n != "docProps/core.xml"}


def _gpkg(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        out = {}
        for t in tables:
            if t.startswith("rtree_") or t.startswith("sqlite_"):
                continue
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")') if r[1] != "last_change"]
            sel = ", ".join(f'"{c}"' for c in cols)
            out[t] = sorted(con.execute(f'SELECT {sel} FROM "{t}"').fetchall(), key=repr)
        return out
    finally:
        con.close()


def compare(a: Path, b: Path) -> list[str]:
    """Return the differences between two output trees (empty when they agree)."""
    diffs = []
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    for rel in sorted(files_a ^ files_b):
        diffs.append(f"only in {'before' if rel in files_a else 'after'}: {rel}")
    for rel in sorted(files_a & files_b):
        pa, pb = a / rel, b / rel
        if rel.name == "timing.json":
            continue
        if rel.suffix == ".xlsx":
            same = _xlsx(pa) == _xlsx(pb)
        elif rel.suffix == ".gpkg":
            same = _gpkg(pa) == _gpkg(pb)
        elif rel.suffix == ".json":
            same = _json(pa) == _json(pb)
        elif rel.suffix == ".geojson":
            same = _geojson(pa) == _geojson(pb)
        else:
            same = pa.read_bytes() == pb.read_bytes()
        if not same:
            diffs.append(f"differs: {rel}")
    return diffs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="git revision of the reference code")
    ap.add_argument(
        "--after", default=None, help="git revision of the code to compare (default: the working tree)"
    )
    ap.add_argument("--keep", help="keep both output trees in this folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        code = _extract(args.before, Path(tmp) / "code")
        t_before = _run_all(code, work / "before")
        after = _extract(args.after, Path(tmp) / "code_after") if args.after else ROOT
        t_after = _run_all(after, work / "after")
        for name in SCENARIOS:
            print(f"{name:20s} before {t_before[name]:6.2f} s  after {t_after[name]:6.2f} s  "
                  f"ratio {t_after[name] / t_before[name]:.2f}")  # fmt: skip
        diffs = compare(work / "before", work / "after")
    for d in diffs:
        print(d)
    n = sum(1 for _ in (work / "after").rglob("*")) if args.keep else None
    print("all outputs agree" if not diffs else f"{len(diffs)} difference(s)", f"({n} paths)" if n else "")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
