"""Expiry dates: stated, derived from a sourced/inferred shelf life, or resting on an assumed one."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from logistics.stock import assumed_expiry_lines, expiring_lines, inventory_from_files

DAY = dt.date(2026, 12, 14)
HEADER = ("id", "name", "level", "lon", "lat", "item", "quantity", "batch", "production_date", "expiry_date")


@pytest.fixture
def inv(tmp_path):
    """One depot: lamps past an assumed expiry, lamps with a stated past expiry, water past an inferred one."""
    rows = [
        # 应急照明灯: shelf life 1095 days, assumed -> would expire 2026-12-13
        ["D1", "库", "县", "119", "39.9", "应急照明灯", "700盏", "L-ASSUMED", "2023-12-14", ""],
        # the same item with an expiry date stated in the file
        ["D1", "库", "县", "119", "39.9", "应急照明灯", "50盏", "L-STATED", "", "2026-12-13"],
        # 饮用水: shelf life 365 days, inferred -> expired 2026-12-13
        ["D1", "库", "县", "119", "39.9", "饮用水", "1000L", "W-INFERRED", "2025-12-13", ""],
        # assumed shelf life, but the assumed date is still ahead
        ["D1", "库", "县", "119", "39.9", "应急照明灯", "30盏", "L-AHEAD", "2024-04-22", ""],
    ]
    p = tmp_path / "inv.csv"
    with open(p, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    return inventory_from_files([p])


def _line(inv, batch):
    return next(ln for ln in inv.lines if ln.batch == batch)


def test_assumed_expiry_stays_usable_and_is_listed(inv) -> None:
    ln = _line(inv, "L-ASSUMED")
    assert ln.expiry_derived and ln.expiry_assumed
    assert ln.expiry_date == dt.date(2026, 12, 13) < DAY
    assert ln.is_usable(DAY)
    assert not ln.is_usable(DAY, apply_assumed_expiry=True)
    assert ln.past_assumed_expiry(DAY)
    todo = {a.batch: a for a in assumed_expiry_lines(inv, DAY)}
    assert set(todo) == {"L-ASSUMED", "L-AHEAD"}
    a = todo["L-ASSUMED"]
    assert (a.item_id, a.depot_id, a.quantity, a.shelf_life_days) == ("emergency_light", "D1", 700, 1095)
    assert a.expiry_date == dt.date(2026, 12, 13) and a.days_left == -1 and a.past
    assert "1095" in a.assumption() and "假定" in a.assumption() and "2026-12-13" in a.assumption()
    d = a.to_dict()
    assert d["assumed_shelf_life_days"] == 1095 and d["assumed_expiry_date"] == "2026-12-13"
    assert d["counted_as_usable"] is True and d["name"] == "应急照明灯"
    assert not todo["L-AHEAD"].past
    # not offered for disposal as expired stock
    assert "L-ASSUMED" not in {e.batch for e in expiring_lines(inv, DAY)}


def test_stated_expiry_is_not_usable(inv) -> None:
    ln = _line(inv, "L-STATED")
    assert not ln.expiry_derived and not ln.expiry_assumed
    assert not ln.is_usable(DAY)
    assert ln.is_usable(dt.date(2026, 12, 13))  # the expiry day itself is still usable
    assert "L-STATED" in {e.batch for e in expiring_lines(inv, DAY) if e.window == 0}
    assert "L-STATED" not in {a.batch for a in assumed_expiry_lines(inv, DAY)}


def test_inferred_shelf_life_still_expires(inv) -> None:
    ln = _line(inv, "W-INFERRED")
    assert ln.expiry_derived and not ln.expiry_assumed
    assert not ln.is_usable(DAY)
    assert "W-INFERRED" in {e.batch for e in expiring_lines(inv, DAY) if e.window == 0}


def test_totals_keep_assumed_expiry_stock(inv) -> None:
    lamps = next(t for t in inv.totals_by_item(on=DAY) if t.item_id == "emergency_light")
    assert lamps.quantity == 730  # 700 past an assumed date + 30 ahead; the 50 stated-expired are out
    assert not any(t.item_id == "drinking_water" for t in inv.totals_by_item(on=DAY))


def test_sourced_override_makes_the_date_real(tmp_path) -> None:
    from logistics.region import load_region

    (tmp_path / "inv.csv").write_text(
        "id,name,level,lon,lat,item,quantity,production_date\nD1,库,县,119,39.9,应急照明灯,10盏,2023-12-14\n",
        encoding="utf-8",
    )
    (tmp_path / "region.toml").write_text(
        'name = "t"\n[inventory]\nfiles = ["inv.csv"]\n[norms."应急照明灯"]\n'
        'shelf_life_days = { value = 1095, source = "https://example.org/lamp", confidence = "sourced" }\n',
        encoding="utf-8",
    )
    ln = load_region(tmp_path).inventory().lines[0]
    assert ln.expiry_derived and not ln.expiry_assumed and not ln.is_usable(DAY)
