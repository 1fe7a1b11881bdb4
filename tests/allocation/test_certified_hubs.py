"""The certified mode through transfer hubs (issue 17): feasible plans, proven bounds, hand-worked cases.

Checks are independent of the solver: the hub checker (``_hub_checker``) reads only the
result's flows and transfers, and the optimum comes from the independent pooled LP with hub
rows (``_independent_hubs``, scipy HiGHS).
"""

from __future__ import annotations

import numpy as np
import pytest

from logistics.allocation import AllocationParams, Hub, solve_allocation
from logistics.allocation._hubs import expand
from logistics.allocation._lagrange import solve_items
from logistics.allocation._model import unit_values
from logistics.allocation._relaxed import certified_bound, prepare, truck_rows
from logistics.allocation._relaxed_hubs import hub_data
from tests.allocation._checker import share_met
from tests.allocation._hub_checker import check_hub_plan
from tests.allocation._independent_hubs import pooled_lp_hubs
from tests.allocation._instances import hub_problem
from tests.allocation.test_hubs import _line

CERT = {"method": "certified", "certified_rounds": 2, "lagrange_iterations": 4}


@pytest.mark.parametrize("seed", range(36))
def test_certified_hub_plan_feasible_and_bound_above_independent_optimum(seed: int) -> None:
    p = hub_problem(seed)
    r = solve_allocation(p, AllocationParams(objective="lexicographic", **CERT))
    assert r.method == "certified"
    best = pooled_lp_hubs(p, objective="delivered")["delivered"]
    a = r.demand_met_share_by_deadline
    assert r.bound >= best - 1e-7, (r.bound, best)
    assert check_hub_plan(p, r) == []
    assert a <= best + 1e-7
    assert a == pytest.approx(share_met(p, r.covered), abs=1e-9)
    assert r.gap == pytest.approx(max(r.bound - a, 0.0) / r.bound if r.bound > 0 else 0.0)
    # what the hubs received was all sent on, wave by wave
    for t in r.transfers:
        assert t.sent == pytest.approx(t.received, rel=1e-6, abs=1e-6)


def _relaxation(p):
    e = expand(p)
    hd = hub_data(e)
    q = e.problem
    data = prepare(q, unit_values(q), hd)
    return q, hd, data, truck_rows(data)


@pytest.mark.parametrize("seed", range(8))
def test_hub_bound_holds_for_any_prices(seed: int) -> None:
    """Weak duality with hubs: random truck, stock and throughput prices all bound the exact optimum."""
    p = hub_problem(seed)
    q, hd, data, rows = _relaxation(p)
    best = pooled_lp_hubs(p, objective="delivered")["delivered"]
    rng = np.random.default_rng(seed)
    for _ in range(5):
        mu_kg = rng.exponential(1.0, len(rows.keys)) / np.maximum(rows.cap_kg, 1.0)
        mu_m3 = rng.exponential(1.0, len(rows.keys)) / np.maximum(rows.cap_m3, 1.0)
        nu = rng.exponential(1.0, len(hd.row_wave)) / np.maximum(hd.room_kg, 1.0)
        pi = rng.exponential(0.5, q.stock.shape) * float(data.value.max())
        assert certified_bound(q, data, rows, mu_kg, mu_m3, pi, hd, nu) >= best - 1e-9
        _flows, pi2 = solve_items(q, data, rows, mu_kg, mu_m3, hubs=hd, nu=nu)
        assert certified_bound(q, data, rows, mu_kg, mu_m3, pi2, hd, nu) >= best - 1e-9


def test_without_prices_the_hub_bound_is_the_no_truck_optimum() -> None:
    """Zero truck and throughput prices: the bound is what stock and deadlines allow (here all 300 tents)."""
    q, hd, data, rows = _relaxation(_line(Hub("H", (4.0,), handling_h=1.0)))
    z = np.zeros(len(rows.keys))
    _flows, pi = solve_items(q, data, rows, z, z, hubs=hd, nu=np.zeros(len(hd.row_wave)))
    assert certified_bound(q, data, rows, z, z, pi, hd, np.zeros(len(hd.row_wave))) == pytest.approx(1.0)


DELIVERED = AllocationParams(objective="delivered", **CERT)


def test_certified_hub_by_hand() -> None:
    """The hand-worked case of ``test_hubs``: 2100/11 tents through H against 1700/11 direct."""
    p = _line(Hub("H", (4.0,), handling_h=1.0))
    r = solve_allocation(p, DELIVERED)
    assert r.method == "certified"
    assert r.covered[0, 0] == pytest.approx(2100 / 11, rel=1e-6)
    assert r.bound == pytest.approx(2100 / 11 / 300, rel=1e-6) and r.gap == pytest.approx(0.0, abs=1e-6)
    (t,) = r.transfers
    assert (t.hub_id, t.cutoff_h, t.ready_h) == ("H", 4.0, 5.0)
    assert t.received == pytest.approx(100.0, rel=1e-6) and t.sent == pytest.approx(100.0, rel=1e-6)
    assert {f.leg for f in r.flows} == {"to_hub", "direct", "from_hub"}
    assert check_hub_plan(p, r) == []
    # auto picks the certified mode above its size threshold, hubs or not
    r2 = solve_allocation(p, AllocationParams(method="auto", certified_above=1, objective="delivered"))
    assert r2.method == "certified" and r2.transfers


def test_certified_hub_throughput_and_delay_by_hand() -> None:
    """Throughput 300 kg/h from 4 h to the 5 h cut-off: 30 + 1490/11 tents; 8 h handling: no hub."""
    r = solve_allocation(_line(Hub("H", (5.0,), handling_h=1.0, throughput_kg_h=300.0)), DELIVERED)
    assert r.covered[0, 0] == pytest.approx(30 + 1490 / 11, rel=1e-6)
    (t,) = r.transfers
    assert t.received_kg == pytest.approx(300.0, rel=1e-6)
    r = solve_allocation(_line(Hub("H", (4.0,), handling_h=8.0)), DELIVERED)
    assert not r.transfers and r.covered[0, 0] == pytest.approx(1700 / 11, rel=1e-6)
