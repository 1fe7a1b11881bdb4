"""Closures by way id, name, ref and polygon; slowdowns and their hours; disruption files; bad disruptions."""

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
    disruption_breakpoints,
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


@pytest.mark.parametrize(
    ("suffix", "driver", "crs"), [(".shp", None, 4326), (".gpkg", "GPKG", 3857), (".kml", "KML", 4326)]
)
def test_close_by_polygon_from_shapefile_geopackage_and_kml(tmp_path, suffix, driver, crs):
    """Closure areas drawn in QGIS, 奥维 or Google Earth (issue 19); a projected layer is converted."""
    import geopandas as gpd

    net = _grid()
    wkt = "POLYGON ((119.012 39.89, 119.03 39.89, 119.03 39.91, 119.012 39.91, 119.012 39.89))"
    path = tmp_path / f"flood{suffix}"
    layer = gpd.GeoDataFrame({"name": ["淹没区"]}, geometry=[shapely.from_wkt(wkt)], crs=4326).to_crs(crs)
    layer.to_file(path, **({"driver": driver} if driver else {}))
    out = apply_disruptions(net, [Closure(polygon=str(path), reopen_h=12)])
    assert out.open_from_h.tolist() == [0.0, 0.0, 12.0, 12.0]
    assert polygon_from(str(path)).symmetric_difference(shapely.from_wkt(wkt)).area < 1e-9


def test_polygon_layer_without_crs_is_refused(tmp_path):
    import geopandas as gpd

    path = tmp_path / "nocrs.shp"
    with pytest.warns(UserWarning):
        gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.box(119.0, 39.8, 119.1, 39.9)]).to_file(path)
    with pytest.raises(DisruptionError, match="no CRS"):
        polygon_from(str(path))


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


# --- slowdowns with start and end hours ------------------------------------------------------

EAST = "POLYGON ((119.01 39.8, 119.05 39.8, 119.05 40.0, 119.01 40.0, 119.01 39.8))"  # the east edges


def test_slowdown_hours_default_and_active_at():
    s = Slowdown(EAST, 0.5)
    assert (s.start_h, s.end_h) == (0.0, None)
    assert s.active_at(0) and s.active_at(1e6)
    t = Slowdown(EAST, 0.5, start_h=2, end_h=6)
    assert (t.start_h, t.end_h) == (2.0, 6.0)
    assert [t.active_at(h) for h in (0, 1.99, 2, 5.99, 6, 7)] == [False, False, True, True, False, False]


@pytest.mark.parametrize(
    ("kwargs", "field", "match"),
    [
        ({"start_h": -1}, "start_h", "start_h >= 0"),
        ({"start_h": math.nan}, "start_h", "start_h >= 0"),
        ({"start_h": math.inf}, "start_h", "start_h >= 0"),
        ({"start_h": "soon"}, "start_h", "start_h >= 0"),
        ({"start_h": True}, "start_h", "start_h >= 0"),
        ({"end_h": 0}, "end_h", r"end_h > start_h = 0"),
        ({"start_h": 6, "end_h": 6}, "end_h", r"end_h > start_h = 6"),
        ({"start_h": 6, "end_h": 4}, "end_h", r"end_h > start_h = 6"),
        ({"end_h": math.inf}, "end_h", "end_h > start_h"),
        ({"end_h": math.nan}, "end_h", "end_h > start_h"),
    ],
)
def test_bad_slowdown_hours(kwargs, field, match):
    with pytest.raises(DisruptionError, match=match) as exc:
        Slowdown(EAST, 0.5, label="震区", **kwargs)
    (problem,) = exc.value.problems
    assert problem.column == field and "震区" in problem.message


def test_apply_at_hour_uses_active_slowdowns_only():
    net = _grid()
    t = net.travel_time_s
    early = Slowdown(EAST, 0.5, start_h=0, end_h=4)  # doubles the east edges' time until hour 4
    late = Slowdown(EAST, 0.25, start_h=2)  # quadruples it from hour 2 on
    closure = Closure(names=["西段"], reopen_h=6)
    ds = [early, late, closure]
    factor = {0: 2.0, 3: 8.0, 4: 4.0, 100: 4.0}
    for h, f in factor.items():
        out = apply_disruptions(net, ds, at_h=h)
        assert out.travel_time_s[:2] == pytest.approx(t[:2])
        assert out.travel_time_s[2:] == pytest.approx(t[2:] * f, rel=1e-6)
        assert out.open_from_h.tolist() == [6.0, 6.0, 0.0, 0.0]  # closures whatever at_h
        assert out.meta["disruptions_at_h"] == h
    # default: every slowdown, whatever its hours (the behaviour before slowdowns had hours)
    assert apply_disruptions(net, ds).travel_time_s[2:] == pytest.approx(t[2:] * 8.0, rel=1e-6)
    # before any slowdown starts: the free-flow times
    only_late = apply_disruptions(net, [late], at_h=1)
    assert only_late.travel_time_s == pytest.approx(t)


def test_apply_at_hour_still_checks_inactive_selectors():
    far = "POLYGON ((100 30, 100.1 30, 100.1 30.1, 100 30.1, 100 30))"
    with pytest.raises(DisruptionError, match="touches no road"):
        apply_disruptions(_grid(), [Slowdown(far, 0.5, start_h=10)], at_h=0)


@pytest.mark.parametrize("at_h", [math.nan, math.inf])
def test_apply_at_bad_hour(at_h):
    with pytest.raises(DisruptionError, match="at_h"):
        apply_disruptions(_grid(), [Slowdown(EAST, 0.5)], at_h=at_h)


def test_disruption_breakpoints():
    assert disruption_breakpoints([]) == ()
    ds = [
        Closure(names=["西段"], reopen_h=6),
        Closure(names=["东段"]),  # never reopens: no breakpoint
        Closure(names=["滨河路"], reopen_h=0),  # open from the start: no breakpoint
        Slowdown(EAST, 0.5),  # from 0, lasting: no breakpoint
        Slowdown(EAST, 0.5, start_h=2, end_h=6),
        Slowdown(EAST, 0.8, start_h=1.5, end_h=30),
    ]
    assert disruption_breakpoints(ds) == (1.5, 2.0, 6.0, 30.0)


def test_disruption_breakpoints_are_the_state_changes():
    net = _grid()
    ds = [Slowdown(EAST, 0.5, start_h=2, end_h=6), Closure(names=["西段"], reopen_h=4)]
    hours = (0.0, *disruption_breakpoints(ds))
    times = [apply_disruptions(net, ds, at_h=h).travel_time_s.tolist() for h in hours]
    # constant between breakpoints, and the slowdown switches at its start and end
    for a, b in zip(hours, (*hours[1:], 50.0), strict=True):
        mid = apply_disruptions(net, ds, at_h=(a + b) / 2).travel_time_s.tolist()
        assert mid == times[hours.index(a)]
    assert times[0] != times[1] and times[1] == times[2] and times[2] != times[3]


def test_slowdown_hours_from_toml_and_geojson(tmp_path):
    toml = tmp_path / "d.toml"
    toml.write_text(
        f'[[slowdown]]\npolygon = "{EAST}"\nspeed_factor = 0.5\nstart_h = 2\nend_h = 30\n\n'
        f'[[slowdown]]\npolygon = "{EAST}"\nspeed_factor = 0.7\n',
        encoding="utf-8",
    )
    a, b = disruptions_from_file(toml)
    assert (a.start_h, a.end_h, b.start_h, b.end_h) == (2.0, 30.0, 0.0, None)
    gj = tmp_path / "d.geojson"
    feature = {
        "type": "Feature",
        "properties": {"kind": "slowdown", "speed_factor": 0.4, "start_h": 3, "end_h": 9},
        "geometry": shapely.geometry.mapping(shapely.from_wkt(EAST)),
    }
    gj.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    (c,) = disruptions_from_file(gj)
    assert (c.speed_factor, c.start_h, c.end_h) == (0.4, 3.0, 9.0)


def test_bad_slowdown_hours_in_file_are_located(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(
        f'[[closure]]\nnames = ["西段"]\n\n[[slowdown]]\npolygon = "{EAST}"\nspeed_factor = 0.5\n'
        "start_h = 8\nend_h = 3\n",
        encoding="utf-8",
    )
    with pytest.raises(DisruptionError) as exc:
        disruptions_from_file(p)
    (problem,) = exc.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (str(p), 2, "end_h", "3")
