"""Snapping: distances, warnings, refusals (points at sea / far away), unreachable points."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from logistics.exceptions import InputError, SnapError, SnapWarning, UnreachableWarning
from logistics.roads import Closure, SnapParams, haversine_m, points_from_csv, snap_points, travel_time_matrix


def test_snap_distance_is_great_circle_to_nearest_main_node(demo):
    pts = [("a", 119.6, 39.95), ("b", 119.2, 39.9)]
    res = snap_points(demo, pts)
    main = np.flatnonzero(demo.main_component())
    for k, (_, lon, lat) in enumerate(pts):
        d = haversine_m(lon, lat, demo.lon[main], demo.lat[main])
        assert res.snap_distance_m[k] == pytest.approx(d.min(), rel=1e-6)
        assert demo.main_component()[res.node[k]]


def test_pairwise_and_kd_tree_searches_agree(demo, monkeypatch):
    """Small inputs compare every point-node pair, large ones use a k-d tree: same nodes, same distances."""
    import logistics.roads.snap as snap

    rng = np.random.default_rng(5)
    pts = [(f"p{k}", float(x), float(y)) for k, (x, y) in
           enumerate(zip(rng.uniform(118.9, 119.8, 200), rng.uniform(39.7, 40.2, 200), strict=True))]  # fmt: skip
    pts = [p for p in pts if haversine_m(p[1], p[2], demo.lon, demo.lat).min() < 4000]
    assert len(pts) * demo.n_nodes <= snap._BRUTE_PAIRS
    pairwise = snap_points(demo, pts, params=SnapParams(warn_m=5000))
    demo._cache.clear()
    monkeypatch.setattr(snap, "_BRUTE_PAIRS", 0)
    tree = snap_points(demo, pts, params=SnapParams(warn_m=5000))
    assert "snap_tree" in demo._cache
    np.testing.assert_array_equal(pairwise.node, tree.node)
    np.testing.assert_allclose(pairwise.snap_distance_m, tree.snap_distance_m, rtol=1e-9, atol=1e-6)


def test_snap_only_to_main_component(pingshan):
    off = np.flatnonzero(~pingshan.main_component())
    lon, lat = float(pingshan.lon[off[0]]), float(pingshan.lat[off[0]])
    res = snap_points(pingshan, [("x", lon, lat)], params=SnapParams(warn_m=5000))
    assert res.node[0] != off[0] and pingshan.main_component()[res.node[0]]


def test_far_points_warn_and_sea_points_are_refused(demo):
    near_far = [("县城", 119.590445, 39.942349), ("山里", 119.45, 40.45)]
    with pytest.warns(SnapWarning, match=r"山里 \(\d+ m\)"):
        res = snap_points(demo, near_far, params=SnapParams(warn_m=300, max_m=20_000))
    assert res.far == ["山里"]
    sea = [("渤海1", 119.8, 39.6), ("ok", 119.59, 39.94), ("渤海2", 120.2, 39.5)]
    with pytest.raises(SnapError) as exc:
        snap_points(demo, sea, source="B.csv")
    msg = str(exc.value)
    assert "渤海1" in msg and "渤海2" in msg and "'ok'" not in msg and "at sea" in msg and "B.csv" in msg


def test_matrix_reports_every_refused_point_of_both_sets(demo):
    with pytest.raises(SnapError, match=r"(?s)origins.*O-sea.*destinations.*D-sea"):
        travel_time_matrix(demo, [("O-sea", 119.9, 39.7)], [("D-sea", 120.5, 39.0)])


def test_unreachable_points_listed_after_isolating_a_town(demo):
    # close every road touching a ring around 青龙 town: it is cut off
    ring = (
        "POLYGON ((118.90 40.36, 119.00 40.36, 119.00 40.45, 118.90 40.45, 118.90 40.36), "
        "(118.93 40.39, 118.97 40.39, 118.97 40.42, 118.93 40.42, 118.93 40.39))"
    )
    pts = [
        ("青龙", 118.948565, 40.404812),
        ("海港", 119.590445, 39.942349),
        ("抚宁", 119.234521, 39.885766),
    ]
    with pytest.warns(UnreachableWarning, match=r"origins reaching nothing: 青龙"):
        res = travel_time_matrix(demo, pts[:1] + pts[1:], pts, disruptions=[Closure(polygon=ring)])
    assert res.isolated_origins == ["青龙"] and res.isolated_destinations == ["青龙"]
    assert set(res.unreachable) == {
        ("青龙", "海港"),
        ("青龙", "抚宁"),
        ("海港", "青龙"),
        ("抚宁", "青龙"),
    }
    assert np.isfinite(res.travel_time_s[1, 2])


def test_points_csv_problems_are_listed(tmp_path):
    p = tmp_path / "A.csv"
    p.write_text("id,lon,lat\nA,119.6,39.9\nB,abc,39.9\nA,119.6,95\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        points_from_csv(p)
    msg = str(exc.value)
    assert "row 3" in msg and "'abc'" in msg and "row 4" in msg and "duplicate id" in msg
    q = tmp_path / "B.csv"
    q.write_text("name,x,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        points_from_csv(q)
    df = points_from_csv(_write(tmp_path / "ok.csv", "id,lon,lat,name\n1,119.6,39.9,x\n"))
    assert isinstance(df, pd.DataFrame) and df["id"].tolist() == ["1"]


def _write(p, text):
    p.write_text(text, encoding="utf-8")
    return p


def test_snap_params_validation():
    with pytest.raises(ValueError, match="warn_m <= max_m"):
        SnapParams(warn_m=10, max_m=5)
    with pytest.raises(ValueError, match="warn_m <= max_m"):
        SnapParams(warn_m=float("nan"))
