"""Closures by way id, name, ref and polygon; slowdowns; disruption files; bad disruptions."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import shapely

from logistics.exceptions import DisruptionError
from logistics.roads import (
    Closure,
    Slowdown,
    apply_disruptions,
    disruptions_from_file,
    network_from_arrays,
    polygon_from,
)


def _grid():
    """2 x 1 straight road: nodes at lon 119.00, 119.01, 119.02 (lat 39.9), two-way, 60 km/h."""
    lon = np.array([119.00, 119.01, 119.02])
    lat = np.full(3, 39.9)
    tail = [0, 1, 1, 2]
    head = [1, 0, 2, 1]
    return network_from_arrays(
        lon=lon,
        lat=lat,
        tail=tail,
        head=head,
        highway=["primary"] * 4,
        speed_kph=[60.0] * 4,
        name=["西段", "西段", "东段;滨河路", "东段;滨河路"],
        ref=["G102"] * 2 + ["S251"] * 2,
        way_ids=[11, 11, 12, 12],
    )


def test_close_by_way_name_ref():
    net = _grid()
    for d in (Closure(way_ids=[12]), Closure(names=["滨河路"]), Closure(refs=["S251"])):
        out = apply_disruptions(net, [d])
        assert np.isinf(out.open_from_h).tolist() == [False, False, True, True]
    out = apply_disruptions(net, [Closure(names=["西段"], reopen_h=6)])
    assert out.open_from_h.tolist() == [6.0, 6.0, 0.0, 0.0]
    # closures combine to the latest reopening
    out = apply_disruptions(net, [Closure(names=["西段"], reopen_h=6), Closure(way_ids=[11], reopen_h=3)])
    assert out.open_from_h.tolist() == [6.0, 6.0, 0.0, 0.0]
    assert net.open_from_h.tolist() == [0.0] * 4  # the input network is unchanged


def test_close_by_polygon_wkt_and_geojson(tmp_path):
    net = _grid()
    wkt = "POLYGON ((119.012 39.89, 119.03 39.89, 119.03 39.91, 119.012 39.91, 119.012 39.89))"
    out = apply_disruptions(net, [Closure(polygon=wkt)])
    assert np.isinf(out.open_from_h).tolist() == [False, False, True, True]
    gj = tmp_path / "flood.geojson"
    gj.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": shapely.geometry.mapping(shapely.from_wkt(wkt)),
                    }
                ],
            }
        )
    )
    out2 = apply_disruptions(net, [Closure(polygon=str(gj), reopen_h=12)])
    assert out2.open_from_h.tolist() == [0.0, 0.0, 12.0, 12.0]


def test_slowdown_only_inside_part():
    net = _grid()
    # covers exactly the east half of the east edge (119.015 .. 119.02)
    poly = "POLYGON ((119.015 39.8, 119.05 39.8, 119.05 40.0, 119.015 40.0, 119.015 39.8))"
    out = apply_disruptions(net, [Slowdown(poly, speed_factor=0.5)])
    t = net.travel_time_s
    assert out.travel_time_s[:2] == pytest.approx(t[:2])
    assert out.travel_time_s[2:] == pytest.approx(t[2:] * (0.5 + 0.5 / 0.5), rel=1e-6)


def test_polygon_closing_everything_is_refused():
    net = _grid()
    with pytest.raises(DisruptionError, match=r"closes every one of the 4 road edges"):
        apply_disruptions(net, [Closure(polygon="POLYGON ((118 39, 120 39, 120 41, 118 41, 118 39))")])
    with pytest.raises(DisruptionError, match=r"closures close every one"):
        apply_disruptions(net, [Closure(way_ids=[11]), Closure(refs=["S251"])])


def test_unknown_selectors_are_listed():
    with pytest.raises(DisruptionError) as exc:
        apply_disruptions(_grid(), [Closure(names=["不存在大桥"], way_ids=[999])])
    msg = str(exc.value)
    assert "不存在大桥" in msg and "999" in msg and "2 problems" in msg


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "give way_ids, names, refs or a polygon"),
        ({"names": ["x"], "reopen_h": -1}, "reopen_h >= 0"),
        ({"names": ["x"], "reopen_h": math.nan}, "reopen_h >= 0"),
        ({"polygon": "LINESTRING (0 0, 1 1)"}, "polygon file not found|Polygon"),
        ({"polygon": "POLYGON ((500 0, 501 0, 501 1, 500 0))"}, "WGS-84"),
    ],
)
def test_bad_closures(kwargs, match):
    with pytest.raises(DisruptionError, match=match):
        Closure(**kwargs)


def test_bad_slowdown_factor():
    with pytest.raises(DisruptionError, match=r"speed_factor in \(0, 1\]"):
        Slowdown("POLYGON ((0 0, 1 0, 1 1, 0 0))", speed_factor=2.0)


def test_disruptions_from_toml_and_geojson(tmp_path, demo):
    poly = tmp_path / "zone.geojson"
    poly.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {"kind": "slowdown", "speed_factor": 0.4},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[119.1, 39.6], [119.3, 39.6], [119.3, 39.8], [119.1, 39.8], [119.1, 39.6]]
                    ],
                },
            }
        )
    )
    toml = tmp_path / "d.toml"
    toml.write_text(
        '[[closure]]\nlabel = "洋河大桥受损"\nnames = ["G228洋河大桥"]\nreopen_h = 36\n\n'
        '[[slowdown]]\npolygon = "zone.geojson"\nspeed_factor = 0.5\n',
        encoding="utf-8",
    )
    ds = disruptions_from_file(toml)
    assert [type(d).__name__ for d in ds] == ["Closure", "Slowdown"]
    assert ds[0].reopen_h == 36 and ds[1].speed_factor == 0.5
    out = apply_disruptions(demo, ds)
    assert sorted(set(out.open_from_h[out.open_from_h > 0].tolist())) == [36.0]
    assert (out.travel_time_s >= demo.travel_time_s - 1e-9).all()
    assert (out.travel_time_s > demo.travel_time_s * 1.5).any()
    ds2 = disruptions_from_file(poly)
    assert isinstance(ds2[0], Slowdown) and ds2[0].speed_factor == 0.4


def test_bad_disruption_file_lists_entries(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(
        '[[closure]]\nreopen_h = 3\n\n[[slowdown]]\npolygon = "POLYGON ((0 0, 1 0, 1 1, 0 0))"\n'
        "speed_factor = 0\n",
        encoding="utf-8",
    )
    with pytest.raises(DisruptionError) as exc:
        disruptions_from_file(p)
    assert "row 1" in str(exc.value) and "row 2" in str(exc.value)


def test_polygon_from_accepts_geometry():
    g = shapely.box(119, 39, 120, 40)
    assert polygon_from(g).equals(g)
