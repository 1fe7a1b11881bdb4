"""The certified mode's depot-by-depot price descent (issue 17).

The depot LPs are checked against an independent formulation (scipy's HiGHS, truck
rows written out arc by arc instead of through bucket loads), their duals by strong
duality, and the certified mode with the descent by the independent pooled LP (with hub
rows) and the plan checkers, as in ``test_certified.py`` and ``test_certified_hubs.py``.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import pytest
from scipy.optimize import linprog

from logistics.allocation import AllocationParams, AllocationProblem, solve_allocation
from logistics.allocation._descent import DepotPrices, descend
from logistics.allocation._lagrange import components, solve_items
from logistics.allocation._master import Master
from logistics.allocation._model import unit_values
from logistics.allocation._relaxed import GRID, bound_and_coverage, eligible, kinds, prepare, truck_rows
from logistics.allocation._repair import Clock
from tests.allocation._checker import check_lp_plan, share_met
from tests.allocation._hub_checker import check_hub_plan
from tests.allocation._independent import pooled_lp
from tests.allocation._independent_hubs import pooled_lp_hubs
from tests.allocation._instances import medium_problem, scarce_problem

#: iteration limits (never wall-clock)
CERT = {"method": "certified", "objective": "delivered", "certified_rounds": 2, "lagrange_iterations": 8}


def _independent_depot_lp(p: AllocationProblem, data, rows, d: int, phi: np.ndarray, mu=None) -> float:
    """Depot ``d``'s block written out: truck rows over the arcs themselves (no bucket loads).

    With ``mu`` the truck rows are priced instead (their Lagrangian: stock rows and bounds
    only) and ``μ·cap`` is added: the value of the block's dual at ``μ``.
    """
    cols = []
    for k, kc, _q, per in kinds(p, data):
        ok = eligible(p, data, k, kc) & (p.source_depot == d)[:, None]
        for s, j in zip(*np.nonzero(ok), strict=True):
            cols.append((s, j, k, kc, per))
    if not cols:
        return 0.0
    mine = [r for r, (c, _b) in enumerate(rows.keys) if data.cls_depot[c] == d]
    profit = np.array([per * (data.value[j, kc] - phi[j, kc]) for s, j, k, kc, per in cols])
    ub = np.array([p.demand[j, kc] / per for s, j, k, kc, per in cols])
    sk = sorted({(s, k) for s, j, k, kc, per in cols})
    a_stock = np.array([[1.0 if (s, k) == key else 0.0 for s, j, k, kc, per in cols] for key in sk])
    b_stock = np.array([p.stock[s, k] for s, k in sk])
    a_truck, b_truck = [], []
    for dim, caps in ((p.weight_kg, rows.cap_kg), (p.volume_m3, rows.cap_m3)):
        for r in mine:
            c, b = rows.keys[r]
            row = []
            for s, j, k, _kc, _per in cols:
                ca, ba = divmod(int(data.bucket[s, j]), GRID)
                inside = data.cls_depot[ca] == d and data.cls_rank[ca] >= data.cls_rank[c] and ba <= b
                row.append(data.cycle[s, j] * dim[k] if inside else 0.0)
            a_truck.append(row)
            b_truck.append(caps[r])
    if mu is None:
        a_ub = np.vstack([a_stock, np.array(a_truck)]) if a_truck else a_stock
        b_ub = np.concatenate([b_stock, b_truck])
        res = linprog(-profit, A_ub=a_ub, b_ub=b_ub, bounds=list(zip(np.zeros(len(ub)), ub, strict=True)))
        assert res.status == 0
        return -res.fun
    m = np.concatenate(mu)
    reduced = profit - m @ np.array(a_truck) if a_truck else profit
    res = linprog(-reduced, A_ub=a_stock, b_ub=b_stock, bounds=list(zip(np.zeros(len(ub)), ub, strict=True)))
    assert res.status == 0
    return -res.fun + float(m @ np.array(b_truck)) if a_truck else -res.fun


@pytest.mark.parametrize(
    ("kind", "seed"), [("medium", s) for s in range(4)] + [("scarce", s) for s in range(2)]
)
def test_depot_lps_match_an_independent_formulation_and_their_duals_are_optimal(kind: str, seed: int) -> None:
    p = medium_problem(seed) if kind == "medium" else scarce_problem(seed, depots=3, points=12, items=3)
    data = prepare(p, unit_values(p))
    rows = truck_rows(data)
    prices = DepotPrices(p, data, rows)
    # coverage prices: zero (each depot alone), then those of the flow problems at some truck prices
    rng = np.random.default_rng(seed)
    mu0 = rng.exponential(1.0, len(rows.keys)) / np.maximum(rows.cap_kg, 1.0)
    _f, pi = solve_items(p, data, rows, mu0, 0 * mu0)
    for phi in (np.zeros(p.demand.shape), bound_and_coverage(p, data, rows, mu0, 0 * mu0, pi)[1]):
        mu_kg, mu_m3 = prices.prices(data.value, phi)
        for m in prices.models:
            d = m.depot
            best = _independent_depot_lp(p, data, rows, d, phi)
            assert m.value == pytest.approx(best, rel=1e-6, abs=1e-7)  # solver tolerances
            # strong duality: at the LP's truck prices the block's dual equals its optimum
            at_mu = _independent_depot_lp(p, data, rows, d, phi, mu=(mu_kg[m.rows], mu_m3[m.rows]))
            assert at_mu == pytest.approx(best, rel=1e-6, abs=1e-6)


def test_depot_lps_stop_at_their_time_limit() -> None:
    p = scarce_problem(0, depots=3, points=12, items=3)
    data = prepare(p, unit_values(p))
    rows = truck_rows(data)
    prices = DepotPrices(p, data, rows)
    assert prices.prices(data.value, np.zeros(p.demand.shape), until=time.perf_counter() - 1.0) is None
    assert prices.models == []  # nothing built after the limit
    # past half the limit the descent does not start: no step, no column, no bound
    master = Master(rows, len(components(p, data)))
    late = Clock(time.perf_counter() - 6.0, 10.0)
    assert descend(p, data, rows, master, AllocationParams(), late) == float("inf")
    assert master.columns == []


@pytest.mark.parametrize("seed", range(8))
def test_certified_mode_with_the_descent_is_feasible_and_its_bound_valid(
    seed: int, caplog: pytest.LogCaptureFixture
) -> None:
    p = scarce_problem(seed)
    best = pooled_lp(p, objective="delivered")["delivered"]
    with caplog.at_level(logging.INFO, logger="logistics.allocation._descent"):
        r = solve_allocation(p, AllocationParams(**CERT))
    assert "depot descent: 8 steps" in caplog.text  # the master was stuck: the descent ran
    without = solve_allocation(p, AllocationParams(**CERT, descent_iterations=0))
    assert r.bound >= best - 1e-7, (r.bound, best)
    assert check_lp_plan(p, r) == []
    a = r.demand_met_share_by_deadline
    assert a <= best + 1e-7
    assert a == pytest.approx(share_met(p, r.covered), abs=1e-9)
    # on these instances the master alone stays far from the optimum (measured, deterministic)
    assert r.bound < without.bound - 0.02
    assert r.gap < without.gap
    # deterministic
    again = solve_allocation(p, AllocationParams(**CERT))
    assert again.summary() == r.summary()


def test_no_descent_where_the_master_converges() -> None:
    """At the city-like medium instances the master closes the gap alone: no descent."""
    p = medium_problem(0)
    r = solve_allocation(p, AllocationParams(**CERT))
    off = solve_allocation(p, AllocationParams(**CERT, descent_iterations=0))
    assert r.summary() == off.summary()


@pytest.mark.parametrize("seed", range(6))
def test_descent_through_hubs_is_feasible_and_its_bound_valid(
    seed: int, caplog: pytest.LogCaptureFixture
) -> None:
    """Through hubs the depot LPs price only direct arcs; the bound and the plan stay proven."""
    p = scarce_problem(seed, depots=4, points=24, items=3, hub=True)
    best = pooled_lp_hubs(p, objective="delivered")["delivered"]
    with caplog.at_level(logging.INFO, logger="logistics.allocation._descent"):
        r = solve_allocation(p, AllocationParams(**CERT))
    assert "depot descent: 8 steps" in caplog.text
    assert r.bound >= best - 1e-7, (r.bound, best)
    assert check_hub_plan(p, r) == []
    a = r.demand_met_share_by_deadline
    assert a <= best + 1e-7
    assert a == pytest.approx(share_met(p, r.covered), abs=1e-9)
    for t in r.transfers:
        assert t.sent == pytest.approx(t.received, rel=1e-6, abs=1e-6)
    without = solve_allocation(p, AllocationParams(**CERT, descent_iterations=0))
    assert r.bound < without.bound - 0.01  # measured on these seeds (1.4–11 points), deterministic
