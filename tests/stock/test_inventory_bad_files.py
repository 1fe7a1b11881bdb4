"""Every bad inventory file yields its documented error with location, exit code 2, no output."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from logistics.exceptions import InventoryError
from logistics.region import inventory_from_file
from tests.helpers import DATA_DIR

BAD = DATA_DIR / "bad_inventory"
with open(BAD / "EXPECTED.csv", encoding="utf-8") as f:
    EXPECTED = list(csv.DictReader(f))


def test_every_bad_file_is_listed() -> None:
    files = {
        p.name
        for p in BAD.iterdir()
        if p.suffix in (".csv", ".xlsx", ".xls", ".gpkg") and p.name != "EXPECTED.csv"
    }
    assert files == {r["file"] for r in EXPECTED}


@pytest.mark.parametrize("case", EXPECTED, ids=[r["file"] for r in EXPECTED])
def test_error_names_location(case: dict[str, str]) -> None:
    path = BAD / case["file"]
    with pytest.raises(InventoryError) as exc:
        inventory_from_file(path)
    err = exc.value
    assert case["message"] in str(err)
    assert case["file"] in str(err)
    hits = [p for p in err.problems if case["message"] in p.message or case["message"] in str(err)]
    assert hits
    if case["row"]:
        assert any(p.row == int(case["row"]) for p in err.problems), err.problems
    if case["column"]:
        assert any(p.column and case["column"] in p.column for p in err.problems), err.problems
    if case["file"].endswith(".xlsx") and case["row"]:
        assert all(p.sheet for p in err.problems)


@pytest.mark.parametrize("case", EXPECTED[:6] + EXPECTED[10:12], ids=lambda r: r["file"])
def test_cli_exit_2_and_nothing_written(case: dict[str, str], tmp_path) -> None:
    out = tmp_path / "out.xlsx"
    r = subprocess.run(
        [sys.executable, "-m", "logistics", "--lang", "en", "inventory", "show", str(BAD / case["file"]),
         "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert r.returncode == 2
    assert case["file"] in r.stderr and case["message"] in r.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either
    r = subprocess.run(
        [sys.executable, "-m", "logistics", "inventory", "validate", str(BAD / case["file"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 2


def test_all_problems_reported_at_once() -> None:
    with pytest.raises(InventoryError) as exc:
        inventory_from_file(BAD / "three_problems.csv")
    rows = sorted(p.row for p in exc.value.problems)
    assert rows == [2, 3, 4]
