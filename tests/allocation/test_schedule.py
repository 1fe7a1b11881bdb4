"""Truck schedules and first-expiry-first-out batch assignment."""

from __future__ import annotations

import datetime as dt

import pytest

from logistics.allocation import AllocationParams, Batch, build_schedule, fefo_assign, solve_allocation
from logistics.exceptions import AllocationInputError
from tests.allocation.test_hand import single


def test_schedule_needs_integer_trips() -> None:
    p = single()
    with pytest.raises(AllocationInputError, match="integer_trips"):
        build_schedule(p, solve_allocation(p))


def test_schedule_runs_back_to_back() -> None:
    p = single(weight_kg=(100.0,), volume_m3=(0.1,), deadline_h=8.0)
    r = solve_allocation(p, AllocationParams(integer_trips=True))
    trips = build_schedule(p, r)
    assert [(t.start_h, t.arrival_h, t.unloaded_h, t.return_h) for t in trips] == [
        pytest.approx(x) for x in [(0, 1.5, 2, 3), (3, 4.5, 5, 6), (6, 7.5, 8, 9)]
    ]
    assert all(t.weight_kg == pytest.approx(1000.0) for t in trips)


def test_fefo_uses_earliest_expiry_first() -> None:
    p = single(stock=(100.0,), demand=(30.0,))
    r = solve_allocation(p)
    batches = {
        ("D-own", "i0"): [
            Batch("late", 50.0, dt.date(2027, 6, 1)),
            Batch("never", 50.0, None),
            Batch("soon", 20.0, dt.date(2026, 12, 1)),
        ]
    }
    picks = fefo_assign(r, batches)
    assert [(b.batch_id, b.quantity) for b in picks] == [
        ("soon", pytest.approx(20.0)),
        ("late", pytest.approx(10.0)),
    ]


def test_fefo_splits_across_points_in_delivery_order() -> None:
    from logistics.allocation import AllocationProblem

    p = AllocationProblem.from_arrays(
        item_ids=["water"],
        weight_kg=[10.0],
        volume_m3=[0.01],
        depot_ids=["A"],
        source_ids=["A"],
        source_depot=["A"],
        stock=[[100.0]],
        point_ids=["far", "near"],
        persons=[100, 100],
        demand=[[30.0], [30.0]],
        travel_time_h=[[3.0, 1.0]],
        fleet_ids=["A"],
        fleet_depot=["A"],
        capacity_kg=[1000.0],
        capacity_m3=[10.0],
        fleet_count=[2],
    )
    r = solve_allocation(p)
    picks = fefo_assign(
        r,
        {
            ("A", "water"): [
                Batch("b2", 40.0, dt.date(2027, 1, 2)),
                Batch("b1", 40.0, dt.date(2027, 1, 1)),
            ]
        },
    )
    # the near point is served first (earlier delivery), so it gets the oldest batch
    assert [(b.point_id, b.batch_id, round(b.quantity, 6)) for b in picks] == [
        ("near", "b1", 30.0),
        ("far", "b1", 10.0),
        ("far", "b2", 20.0),
    ]


def test_fefo_rejects_short_batches() -> None:
    p = single(stock=(100.0,), demand=(30.0,))
    r = solve_allocation(p)
    with pytest.raises(AllocationInputError, match="D-own/i0"):
        fefo_assign(r, {("D-own", "i0"): [Batch("b", 5.0)]})
