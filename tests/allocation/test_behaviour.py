"""Behaviour: more stock, trucks or time never lower demand met; closing roads never raise it."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from logistics.allocation import AllocationParams, solve_allocation
from tests.allocation._instances import random_problem

SEEDS = range(25)
TOL = 1e-6


def met(p, integer: bool) -> float:
    prm = AllocationParams(objective="delivered", integer_trips=integer)
    return solve_allocation(p, prm).demand_met_share_by_deadline


def variants(seed: int):
    """(name, problem, more-or-equal-expected) triples derived from one instance."""
    p = random_problem(seed, max_trucks=3)
    rng = np.random.default_rng(1000 + seed)
    s, d, j = rng.integers(p.num_sources), rng.integers(p.num_depots), rng.integers(p.num_points)
    stock = p.stock.copy()
    stock[s] *= 1.5
    stock[s] += rng.integers(0, 10, size=p.num_items)
    count = p.fleet_count.copy()
    count[rng.integers(p.num_fleets)] += 1
    cap = p.capacity_kg * 1.3
    later = p.deadline_h + rng.uniform(0.2, 3.0, size=p.num_points)
    closed = p.travel_time_h.copy()
    closed[d, j] = np.nan
    slower = p.travel_time_h * rng.uniform(1.0, 1.5, size=p.travel_time_h.shape)
    ready = p.ready_h + rng.uniform(0.0, 2.0, size=p.num_sources)
    extra = dataclasses.replace(  # a new source (e.g. 协议储备) at a depot, ready later
        p,
        source_ids=(*p.source_ids, "extra"),
        source_depot=np.append(p.source_depot, d),
        source_kind=(*p.source_kind, "contract"),
        ready_h=np.append(p.ready_h, rng.uniform(0.5, 4.0)),
        stock=np.vstack([p.stock, rng.integers(0, 50, size=p.num_items)]),
    )
    return p, [
        ("more stock", dataclasses.replace(p, stock=stock), +1),
        ("new source", extra, +1),
        ("more trucks", dataclasses.replace(p, fleet_count=count), +1),
        ("bigger trucks", dataclasses.replace(p, capacity_kg=cap), +1),
        ("later deadline", dataclasses.replace(p, deadline_h=later), +1),
        ("road closed", dataclasses.replace(p, travel_time_h=closed), -1),
        ("slower roads", dataclasses.replace(p, travel_time_h=slower), -1),
        ("stock ready later", dataclasses.replace(p, ready_h=ready), -1),
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_monotone_exact_model(seed: int) -> None:
    base, cases = variants(seed)
    a0 = met(base, True)
    for name, q, sign in cases:
        if name == "stock ready later":
            continue  # later readiness can merge windows (see docs); not monotone by design
        a1 = met(q, True)
        assert sign * (a1 - a0) >= -TOL, name


@pytest.mark.parametrize("seed", SEEDS)
def test_monotone_lp(seed: int) -> None:
    """The LP relaxation is monotone in everything but longer travel times (see docs)."""
    base, cases = variants(seed)
    a0 = met(base, False)
    for name, q, sign in cases:
        if name in ("slower roads", "stock ready later"):
            continue
        a1 = met(q, False)
        assert sign * (a1 - a0) >= -TOL, name


def test_same_input_same_summary_bytes() -> None:
    for integer in (False, True):
        p = random_problem(7, max_trucks=3)
        prm = AllocationParams(integer_trips=integer, seed=3)
        a = json.dumps(solve_allocation(p, prm).summary(), sort_keys=False, ensure_ascii=False)
        b = json.dumps(solve_allocation(p, prm).summary(), sort_keys=False, ensure_ascii=False)
        assert a.encode() == b.encode()
        full = solve_allocation(p, prm).summary(include_timing=True)
        assert set(full["timing"]) == {"build_s", "solve_s"}


def test_same_input_same_flows() -> None:
    p = random_problem(11, max_trucks=3)
    r1, r2 = solve_allocation(p), solve_allocation(p)
    assert r1.flows == r2.flows
    assert r1.lanes == r2.lanes
    assert r1.shortfalls == r2.shortfalls
