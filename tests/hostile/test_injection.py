"""Every XLSX and CSV the project writes, from inputs whose every name is hostile: no formula runs."""

from __future__ import annotations

import csv
import shutil

import pytest

from logistics.common import FORMULA_TRIGGERS, csv_cell, is_formula_text

from .helpers import REGION_DIR, run_cli, write

HOSTILE = [
    '=HYPERLINK("http://evil.example/{k}","点此")',
    "+{k}+cmd|' /C calc'!A0",
    "-{k}+3",
    "@SUM(1+{k})",
    "\t={k}",
    "\r=1+{k}",
]


#: Township sites of the demo region (near its roads).
SITES = [(118.875938, 39.890535), (118.99, 39.97), (119.6, 40.08), (119.590445, 39.942349)]


def _name(k: int) -> str:
    return HOSTILE[k % len(HOSTILE)].format(k=k)


def _rewrite(path, column: str, make) -> None:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    for k, r in enumerate(rows):
        r[column] = make(k, r)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


@pytest.fixture(scope="module")
def hostile_region(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(REGION_DIR.parent, root / "depots")
    folder = root / "depots" / REGION_DIR.name
    _rewrite(folder / "depots.csv", "name", lambda k, r: _name(k))
    _rewrite(folder / "inventory.csv", "batch", lambda k, r: _name(k + 1))
    _rewrite(folder / "fleet.csv", "vehicle_type", lambda k, r: _name(k) + r["vehicle_type"])
    _rewrite(folder / "places.csv", "name", lambda k, r: _name(k + 2))
    return folder


def _scenario(region) -> str:
    points = "".join(
        f'[[demand]]\nid = "{_name(k).replace(chr(34), "")[:20].strip() or "x"}{k}"\nname = """{_name(k + 3)}"""\n'
        f"lon = {lon}\nlat = {lat}\nrelocated = {400 + 50 * k}\n\n"
        for k, (lon, lat) in enumerate(SITES)
    )
    return (
        (
            f'name = """{_name(7)}"""\nregion = "{(region / "region.toml").as_posix()}"\n'
            '[hazard]\ntype = "earthquake"\n[response]\ndeadline_h = 12\n\n' + points
        )
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )


def _cells(folder):
    """(file, sheet, coordinate, value, is formula) of every XLSX cell, and every CSV cell."""
    from openpyxl import load_workbook

    for path in sorted(folder.rglob("*.xlsx")):
        for ws in load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    yield path.name, ws.title, c.coordinate, c.value, c.data_type == "f"
    for path in sorted(folder.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            for i, row in enumerate(csv.reader(f)):
                for j, v in enumerate(row):
                    yield path.name, "", f"{i},{j}", v, is_formula_text(v)


def test_the_shared_writer_rules():
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("-5") == "-5" and csv_cell("+3.2") == "+3.2"
    assert csv_cell("@x") == "'@x" and csv_cell("\t=1") == "'\t=1" and csv_cell(5) == 5
    assert all(is_formula_text(t + "x") for t in FORMULA_TRIGGERS)


def test_no_output_of_any_command_carries_a_formula(hostile_region, tmp_path):
    s = write(tmp_path / "s.toml", _scenario(hostile_region))
    run_out, inv_out = tmp_path / "run", tmp_path / "inv"
    code, _, err = run_cli("run", s, "--out", run_out, "--routing-iterations", "100", "--jobs", "1")
    assert code == 0, err
    for suffix in (".xlsx", ".csv"):
        code, _, err = run_cli(
            "inventory", "show", hostile_region / "region.toml", "--out", inv_out / f"inv{suffix}"
        )
        assert code == 0, err
    code, _, err = run_cli("report", "nightly", "--region", hostile_region / "region.toml", "--no-time",
                           "--out", tmp_path / "report", "--date", "2026-11-23")  # fmt: skip
    assert code == 0, err
    pts = write(tmp_path / "pts.csv", "id,lon,lat\n=A1,119.55,39.95\n@B,119.60,39.93\n")
    code, _, err = run_cli("roads", "matrix", "--from", pts, "--to", pts, "--out", tmp_path / "m" / "m.csv")
    assert code == 0, err
    cells = [c for folder in (run_out, inv_out, tmp_path / "m", tmp_path / "report") for c in _cells(folder)]
    files = {c[0] for c in cells}
    assert {"调拨单.xlsx", "schedule.xlsx", "dispatch.xlsx", "allocation.csv", "arrivals.csv", "inv.xlsx", "inv.csv",
            "m.csv", "report-2026-11-23.xlsx"} <= files  # fmt: skip
    hostile_seen = [
        c for c in cells if isinstance(c[3], str) and c[3].lstrip("'").startswith(FORMULA_TRIGGERS)
    ]
    assert len(hostile_seen) > 20  # the hostile names did reach the outputs …
    bad = [c for c in cells if c[4]]
    assert bad == []  # … and none is a formula or an unescaped trigger
