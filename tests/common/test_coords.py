"""Coordinate conversion GCJ-02 / BD-09 -> WGS-84."""

from __future__ import annotations

import csv

import pytest

from logistics.common import bd09_to_gcj02, gcj02_to_wgs84, normalise_crs, to_wgs84, wgs84_to_gcj02
from tests.helpers import shared_path


def test_matches_independent_conversion_of_hebei_seats() -> None:
    path = shared_path("data", "admin", "hebei_county_seats.csv")
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 168
    for r in rows:
        lon, lat = gcj02_to_wgs84(float(r["lon_gcj02"]), float(r["lat_gcj02"]))
        # the shared values are rounded to 6 decimals
        assert lon == pytest.approx(float(r["lon_wgs84"]), abs=1.5e-6)
        assert lat == pytest.approx(float(r["lat_wgs84"]), abs=1.5e-6)


def test_round_trip_and_offset_size() -> None:
    lon, lat = 119.59, 39.94
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert 0.001 < abs(glon - lon) < 0.02  # a few hundred metres
    assert gcj02_to_wgs84(glon, glat) == pytest.approx((lon, lat), abs=1e-9)


def test_bd09() -> None:
    glon, glat = 119.596224, 39.943458
    # forward BD-09 formula (independent of the inverse under test)
    import math

    z = math.hypot(glon, glat) + 0.00002 * math.sin(glat * math.pi * 3000 / 180)
    theta = math.atan2(glat, glon) + 0.000003 * math.cos(glon * math.pi * 3000 / 180)
    blon, blat = z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006
    assert bd09_to_gcj02(blon, blat) == pytest.approx((glon, glat), abs=2e-6)
    assert to_wgs84(blon, blat, "BD09") == pytest.approx(gcj02_to_wgs84(glon, glat), abs=2e-6)


def test_outside_china_unchanged() -> None:
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)


@pytest.mark.parametrize(
    ("name", "canon"),
    [("", "WGS84"), ("GCJ-02", "GCJ02"), ("百度", "BD09"), ("epsg:4326", "WGS84"), ("utm", None)],
)
def test_crs_names(name, canon) -> None:
    assert normalise_crs(name) == canon
