"""Allocate relief stock from depots to demand points by a deadline, with the trucks that exist.

The model is a linear programme (or, with ``integer_trips=True``, a mixed-integer
programme) built on matrices: :class:`AllocationProblem` holds the data,
:func:`solve_allocation` solves it with OR-Tools and returns an
:class:`~logistics.allocation.result.AllocationResult`.

Notation
--------
=================  =============================================================
``K``              items; unit weight ``w_k`` (kg), unit volume ``v_k`` (m³),
                   objective weight ``ω_k`` (default 1)
``D``              physical depots; ``τ_dj`` travel time (h, NaN = unreachable),
                   ``δ_dj`` distance (km)
``S``              supply sources (own stock, 协议储备, 产能 batch, mutual aid), each
                   at one depot ``d(s)``, ready to load at ``ρ_s`` (h), stock
                   ``σ_sk``
``J``              demand points: demand ``d_jk`` (units), persons ``P_j``,
                   priority ``π_j``, deadline ``T_j`` (h)
``G``              fleet groups: ``N_g`` identical trucks at depot ``d(g)`` with
                   capacity ``Q_g`` (kg) and ``U_g`` (m³)
``λ, μ``           loading and unloading time per trip (h)
=================  =============================================================

Trucking policy (what the model is exact for)
---------------------------------------------
Time runs from 0 (the start of the response). A *trip* of a truck from depot
``d`` to point ``j`` that starts loading at ``t`` arrives at ``t + λ + τ_dj``,
is unloaded (the goods count as delivered) at ``t + λ + τ_dj + μ`` and is back
at the depot at ``t + c_dj`` with cycle time ``c_dj = λ + 2 τ_dj + μ``. A
delivery counts only if it is unloaded by ``T_j``; the plan covers this window
only (nothing is planned after the deadline).

The distinct ready times ``r_d0 < r_d1 < …`` of the sources at depot ``d``
define *patterns*: each truck follows one pattern, a non-empty subset
``π = {ρ_1 < ρ_2 < …}`` of those ready times (all subsets when a depot has at
most four ready times; otherwise each single time and the full chain). The
pattern cuts the truck's day into *phases* ``[ρ_i, ρ_i+1)``, the last one
open. In a phase the truck makes round trips that start at or after ``ρ_i``,
are back by ``ρ_i+1`` and carry only stock ready by ``ρ_i``; within a phase
its trips run back to back in earliest-due-date order. A trip to ``j`` in a
phase has the *due time* (latest return) ``e = min(T_j + τ_dj, ρ_i+1)``:
returning by ``T_j + τ_dj`` is the same as unloading by ``T_j``. By Jackson's
rule a set of trips fits a phase iff, for every due time ``e`` in it,
``ρ_i + Σ_{trips with due ≤ e} c_dj ≤ e`` — constraint (6) below, exact for
one truck with a whole number of trips. A single-time pattern ``{ρ}`` is "wait
until ``ρ``, then carry everything ready"; ``{0}`` is "own stock all day". So a
depot with only own stock has one open phase, and adding a source never
removes a pattern (more stock never lowers demand met).

With ``integer_trips=True`` every truck picks a pattern (binary) and has its
own integer trip counts, so the optimum is exactly the best plan under this
policy, with continuous (divisible) quantities: the cargo of a lane is spread
evenly over the lane's trips, so the lane's weight and volume limits (3)–(4)
are per-trip limits, and
:func:`~logistics.allocation.schedule.build_schedule` turns the solution into
an explicit, checkable truck schedule. With ``integer_trips=False`` (default)
the ``N_g`` trucks of a group are pooled: ``N_gπ ≥ 0`` trucks follow pattern
``π`` (``Σ_π N_gπ ≤ N_g``), constraint (6) has ``N_gπ`` on the right and trip
counts are fractional. This LP relaxation is an upper bound on the integer
plan.

Variables (all ≥ 0)
-------------------
A *lane* ``ℓ = (g, phase, j)`` is a fleet group, a phase of one of its depot's
patterns and a point that a trip can reach by its due time
(``ρ_i + c_dj ≤ e``); only lanes between candidate depot–point pairs are built
(see pruning below).

* ``x_ℓsk`` — units of item ``k`` from source ``s`` carried on lane ``ℓ``
  (``s`` at the lane's depot, ready by the phase start);
* ``n_ℓ`` — trips on lane ``ℓ`` (per truck ``n_ℓt``, integer, in the MIP);
* ``y_jk`` — units of item ``k`` used for its own demand at ``j``;
  ``u_jp`` — units of the substitute ``k2`` used for ``k1`` under a
  substitution ``p = (k1, k2, ratio)``: ``ratio`` units of ``k2`` cover one
  unit of ``k1`` demand;
* ``z`` — the largest unmet share of a servable point (see below).

Coverage of ``k`` at ``j`` is ``C_jk = y_jk + Σ_{p: k1=k} u_jp / ratio_p``.

Constraints
-----------
1. stock: ``Σ_{ℓ, j} x_ℓsk ≤ σ_sk`` for every source and item;
2. balance: ``Σ_{ℓ→j, s} x_ℓsk = y_jk + Σ_{p: k2=k} u_jp`` (delivered units
   are used, never dumped) and ``C_jk ≤ d_jk``;
3. weight: ``Σ_sk w_k x_ℓsk ≤ Q_g n_ℓ``;
4. volume: ``Σ_sk v_k x_ℓsk ≤ U_g n_ℓ``;
5. equity: ``z ≥ 1 − s_j`` with the met share
   ``s_j = Σ_k ω_k C_jk / d_jk / Ω_j``, ``Ω_j = Σ_{k: d_jk>0} ω_k``, for every
   *servable* point with demand (below);
6. truck time (EDF): for every group, phase ``(π, i)`` and due time ``e``:
   ``Σ_{ℓ in the phase, e_ℓ ≤ e} c_ℓ n_ℓ ≤ N_gπ (e − ρ_i)`` (LP) or, per
   truck ``t``, ``Σ c_ℓ n_ℓt ≤ (e − ρ_i) b_tπ`` with the pattern choice
   ``b_tπ ∈ {0, 1}``, ``Σ_π b_tπ ≤ 1`` (MIP); with one pattern ``N_gπ = N_g``
   and ``b_tπ = 1``. The sums are written with cumulative auxiliary variables
   so the matrix stays linear in the number of lanes.
7. trip and working-hour limits, where the fleet has them: ``Σ_{ℓ of g} n_ℓ ≤
   N_g M_g`` and ``Σ_{ℓ of g} c_ℓ n_ℓ ≤ N_g H_g`` (LP), or per truck
   ``Σ n_ℓt ≤ M_g`` and ``Σ c_ℓ n_ℓt ≤ H_g`` (MIP), with ``M_g`` trips and
   ``H_g`` working hours per truck (``fleet_max_trips``,
   ``fleet_max_duration_h``). Waits count towards a driver's hours too, so
   (7) is a relaxation of the working-hour rule.

Points that cannot be served
----------------------------
A point with demand is *servable* when, for at least one item it needs, some
source holds the item or an allowed substitute, can unload it at the point by
the deadline from a phase it is ready for (``ρ_s + λ + τ_dj + μ ≤ T_j``), and
its depot has a truck. This is structural: it depends on the data only, not
on the plan or on pruning. A point that is not servable gets nothing in any
plan; every item it needs has the shortfall reason ``no_stock``,
``unreachable``, ``too_far`` or ``no_trucks``. Such points are left out of
(5), of (b) and of the leximin stage, and reported apart
(``AllocationResult.unservable_points``; with their reasons in
``summary()["unservable_points"]``). They still count in (a) and (c): their
people are not served. Without this rule one cut-off village pins ``z`` at 1
in every plan, and neither (b) nor a max-min can tell plans apart.

Objectives (all three are always reported)
------------------------------------------
(a) *demand met by the deadline*, maximised:
    ``a = Σ_j π_j P_j s_j / Σ_j π_j P_j`` — the priority- and person-weighted
    share of needs covered, each item of a point counting by its weight
    ``ω_k``. In ``[0, 1]``; it is the maximum of a linear function over a
    set that only grows with stock (more units or a new source), trucks,
    capacity, later deadlines and road closures (unreachable pairs), so
    none of these changes lower it. In the exact MIP longer travel times
    never raise it either; the LP relaxation can rise with a longer travel
    time in rare fractional cases (see docs/allocation.md).
(b) *equity*, minimised: ``z``, the largest unmet share ``1 − s_j`` over the
    servable points (0 when there are none).
(c) *cost*, minimised, one of
    ``person_hours`` — people wait until their supply is unloaded:
    ``Σ_{ℓ,s,k} P_j ω_k / (Ω_j d_jk) · t_ℓ · x_ℓsk + Σ_jk P_j ω_k / Ω_j ·
    T_j · (1 − C_jk / d_jk)`` with the *nominal* unloading time
    ``t_ℓ = ρ_i + λ + τ_dj + μ`` (earliest in its phase; the uncovered wait
    until the deadline, at least); or ``ton_km``:
    ``Σ w_k x_ℓsk δ_dj / 1000`` (loaded legs).

A pure cost or a pure max-min objective is degenerate (delivering nothing
costs nothing; a max-min that one point pins is indifferent), so every mode
optimises (a) or the leximin levels first, and a cost only after them. Each
stage is solved with the optima of the earlier ones held within
``tol = AllocationParams.lexicographic_tolerance`` (1e-9, on shares in
``[0, 1]``); ``share = AllocationParams.min_delivered_share`` (default 1) lets
later stages give up part of (a):

* ``"lexicographic"`` (default): maximise (a) → ``a*``; add
  ``a ≥ share·a* − tol``; minimise (b) → ``z*``; add ``z ≤ z* + tol``;
  minimise (c).
* ``"delivered"``: maximise (a) only.
* ``"cost"``: maximise (a) → ``a*``; add ``a ≥ share·a* − tol``; minimise (c).
* ``"equity"``: *leximin* over the met shares of the servable points (raise
  the smallest, fix it, raise the next smallest, …); then maximise (a) with
  every level held → ``a*``; add ``a ≥ share·a* − tol``; minimise (c).

Leximin, LP (``integer_trips=False``): round ``r`` minimises ``z`` (i.e.
maximises ``t = 1 − z``) subject to (5) for the points not yet fixed and
``s_j ≥ L_j − tol`` for the fixed ones (their rows (5) switched off). A free
point *cannot go above* ``t`` when its row (5) has a positive dual
(complementary slackness: it sits at ``t`` in every optimum of the round), or,
for the other free points at ``t`` in the round's solution, when a check LP —
maximise ``s_j`` with ``z ≤ z* + tol`` — stays within 1e-7 of ``t``. These
points are fixed at ``L_j = t``; the LP's feasible set is convex, so every
round fixes at least one point and the free points can all rise together.
Rounds repeat until every point is fixed or
``AllocationParams.leximin_rounds`` (10) rounds have run; points still free
are then held at the last level. Stages ``leximin_r`` record ``t_r``.

Leximin, MIP (``integer_trips=True``): with whole trips the feasible set is
not convex (two points may each be able to rise, but not both), so round
``m`` maximises instead ``θ_m``, the sum of the ``m`` smallest shares, with
``θ_1 … θ_m−1`` held (ordered outcomes: ``θ_m = max m·r − Σ_j d_j``,
``d_j ≥ r − s_j``, ``d ≥ 0``), which is exact for any feasible set; its level
``θ_m − θ_m−1`` is the ``m``-th smallest share (stage ``leximin_m``). It
stops at ``leximin_rounds`` rounds or once a level reaches 1.

The stages and their optima are in ``AllocationResult.stages``; if a fixed
stage is reported infeasible (only possible through solver tolerances), its
slack is widened tenfold, at most three times
(``AllocationResult.lexicographic_slack``).

Candidate pairs and pruning
---------------------------
Depot–point pairs that cannot deliver by the deadline in any phase (or
have no truck) are never built: dropping them loses nothing. With
``max_depots_per_point=k`` each point keeps only its ``k`` fastest such
depots (ties by depot order). This is a heuristic; bench/allocation_province.py
measures the loss by solving a smaller instance with and without it. Shortfalls
caused by it are reported with the reason ``pruned``. With
``column_generation=True`` the pruned set is only the starting point: columns
are priced with the LP duals and added while they can improve the plan, so the
result is the unpruned optimum (module :mod:`logistics.allocation._cg` has the
pricing argument).

Shortfall reasons
-----------------
Every (point, item) with unmet demand gets the first reason that applies, with
``k'`` ranging over the item and its allowed substitutes, and "a source that can
serve" meaning one holding ``k'``, ready early enough and near enough to unload
by the deadline, at a depot with at least one truck:

1. ``no_stock`` — no source holds any ``k'``;
2. ``unreachable`` — no depot holding ``k'`` has a road to the point;
3. ``too_far`` — reachable, but no source holding ``k'`` is ready early
   enough and near enough to unload by the deadline;
4. ``no_trucks`` — such sources exist but none of their depots has a truck;
5. ``no_trucks`` — a source that can serve it on a built lane still holds
   unused ``k'`` (more than 1e-6 relative): the trucks or their hours are
   the limit;
6. ``pruned`` — no source that can serve it is on a built lane, or one that
   was pruned away by ``max_depots_per_point`` still holds unused ``k'``;
7. ``stock_exhausted`` — every source that can serve it has given all its
   ``k'`` to other points: competition for stock.

Transfer hubs (中转站)
---------------------
``hubs`` lets goods travel depot → hub → point: each hub's waves become a receiving point
(first leg, due by the wave's cut-off) and a transfer source at the hub (second leg, ready
after the handling time), tied by "sent ≤ received" and throughput rows; see
:mod:`logistics.allocation.hubs`. Large hub problems go to the certified mode like others.

FEFO: the model decides quantities per source; batches with expiry dates are
assigned to flows first-expiry-first-out afterwards by
:func:`~logistics.allocation.schedule.fefo_assign`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from logistics.allocation._arrays import broadcast, depot_refs, hub_arrays, rows
from logistics.allocation._validate import SOURCE_KINDS, check_problem
from logistics.exceptions import AllocationInputError, Problem, tr

__all__ = ["SOURCE_KINDS", "AllocationProblem", "Substitution"]

if TYPE_CHECKING:
    from collections.abc import Sequence

    from logistics.allocation.hubs import Hub


@dataclass(frozen=True)
class Substitution:
    """Permission to cover demand of one item with another.

    Parameters
    ----------
    item
        Item whose demand may be covered (e.g. ``"folding_bed"``).
    substitute
        Item used instead (e.g. ``"sleeping_bag"``).
    ratio
        Units of ``substitute`` that cover one unit of ``item`` demand (> 0).
    """

    item: str
    substitute: str
    ratio: float = 1.0


@dataclass(frozen=True, eq=False)
class AllocationProblem:
    """Matrix-level allocation problem; arrays are validated and made read-only.

    Use :meth:`from_arrays` (ids for cross references, defaults, broadcasting)
    or :class:`~logistics.allocation_builder.AllocationBuilder`. Derive
    variants with :func:`dataclasses.replace`, which validates again.

    Parameters
    ----------
    item_ids
        Item ids, ``K`` of them.
    weight_kg, volume_m3
        ``[K]`` weight (kg) and volume (m³) of one unit; not both zero.
    item_weight
        ``[K]`` objective weight of each item (≥ 0).
    depot_ids
        Physical depot ids, ``D`` of them.
    source_ids
        Supply-source ids, ``S`` of them.
    source_depot
        ``[S]`` index into ``depot_ids`` of each source's depot.
    source_kind
        ``S`` kinds, each in :data:`SOURCE_KINDS`.
    ready_h
        ``[S]`` time (h) from which the source's stock can be loaded (≥ 0).
    stock
        ``[S, K]`` units available (≥ 0).
    point_ids
        Demand-point ids, ``J`` of them.
    persons
        ``[J]`` affected persons (≥ 0; > 0 where there is demand).
    priority
        ``[J]`` priority weights (≥ 0).
    demand
        ``[J, K]`` units needed (≥ 0).
    deadline_h
        ``[J]`` deadline (h, > 0).
    travel_time_h
        ``[D, J]`` one-way travel time (h); NaN or +inf = unreachable.
    distance_km
        ``[D, J]`` road distance (km), used for ton-km.
    fleet_ids
        Fleet-group ids, ``G`` of them.
    fleet_depot
        ``[G]`` index into ``depot_ids``.
    capacity_kg, capacity_m3
        ``[G]`` per-truck capacity (> 0).
    fleet_count
        ``[G]`` number of trucks (integer ≥ 0).
    load_h, unload_h
        Loading and unloading time per trip (h, ≥ 0).
    substitutions
        Allowed substitutions (only those the scenario permits).
    fleet_max_trips
        ``[G]`` most trips per truck (whole, ≥ 1; ``inf``, the default, for no limit): constraint (7).
    fleet_max_duration_h
        ``[G]`` driver working hours per truck (> 0; ``inf``, the default, for no limit): the
        truck's round trips add up to at most this (constraint (7)).
    hubs
        Transfer hubs, ``H`` of them (:class:`~logistics.allocation.hubs.Hub`; default none).
    hub_travel_time_h, hub_distance_km
        ``[D, H]`` travel time (h; NaN = unreachable) and road distance (km) from each depot to
        each hub.
    """

    item_ids: tuple[str, ...]
    weight_kg: np.ndarray
    volume_m3: np.ndarray
    item_weight: np.ndarray
    depot_ids: tuple[str, ...]
    source_ids: tuple[str, ...]
    source_depot: np.ndarray
    source_kind: tuple[str, ...]
    ready_h: np.ndarray
    stock: np.ndarray
    point_ids: tuple[str, ...]
    persons: np.ndarray
    priority: np.ndarray
    demand: np.ndarray
    deadline_h: np.ndarray
    travel_time_h: np.ndarray
    distance_km: np.ndarray
    fleet_ids: tuple[str, ...]
    fleet_depot: np.ndarray
    capacity_kg: np.ndarray
    capacity_m3: np.ndarray
    fleet_count: np.ndarray
    load_h: float = 0.5
    unload_h: float = 0.5
    substitutions: tuple[Substitution, ...] = ()
    fleet_max_trips: np.ndarray | None = None
    fleet_max_duration_h: np.ndarray | None = None
    hubs: tuple[Hub, ...] = ()
    hub_travel_time_h: np.ndarray | None = None
    hub_distance_km: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name in ("fleet_max_trips", "fleet_max_duration_h"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.full(len(self.fleet_ids), np.inf))
        for name in ("hub_travel_time_h", "hub_distance_km"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.full((len(self.depot_ids), len(self.hubs)), np.nan))
        for name in (
            "item_ids",
            "depot_ids",
            "source_ids",
            "source_kind",
            "point_ids",
            "fleet_ids",
            "substitutions",
            "hubs",
        ):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        ints = ("source_depot", "fleet_depot", "fleet_count")
        problems: list[Problem] = []
        for name in (
            "weight_kg",
            "volume_m3",
            "item_weight",
            "source_depot",
            "ready_h",
            "stock",
            "persons",
            "priority",
            "demand",
            "deadline_h",
            "travel_time_h",
            "distance_km",
            "fleet_depot",
            "capacity_kg",
            "capacity_m3",
            "fleet_count",
            "fleet_max_trips",
            "fleet_max_duration_h",
            "hub_travel_time_h",
            "hub_distance_km",
        ):
            raw = getattr(self, name)
            try:
                arr = np.array(raw, dtype=float)
            except (TypeError, ValueError):
                problems.append(
                    Problem(tr("expected numbers", "应为数值"), column=name, value=repr(raw)[:80])
                )
                continue
            if name in ints:
                if arr.size and not np.all(np.isfinite(arr) & (arr == np.round(arr))):
                    bad = arr[~(np.isfinite(arr) & (arr == np.round(arr)))][0]
                    problems.append(
                        Problem(tr("expected whole numbers", "应为整数"), column=name, value=str(bad))
                    )
                    continue
                arr = arr.astype(np.int64)
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)
        if problems:
            raise AllocationInputError(problems)
        object.__setattr__(self, "load_h", float(self.load_h))
        object.__setattr__(self, "unload_h", float(self.unload_h))
        check_problem(self)

    # ------------------------------------------------------------------ sizes
    @property
    def num_items(self) -> int:
        """Number of items ``K``."""
        return len(self.item_ids)

    @property
    def num_depots(self) -> int:
        """Number of physical depots ``D``."""
        return len(self.depot_ids)

    @property
    def num_sources(self) -> int:
        """Number of supply sources ``S``."""
        return len(self.source_ids)

    @property
    def num_points(self) -> int:
        """Number of demand points ``J``."""
        return len(self.point_ids)

    @property
    def num_fleets(self) -> int:
        """Number of fleet groups ``G``."""
        return len(self.fleet_ids)

    # ------------------------------------------------------------ constructor
    @classmethod
    def from_arrays(
        cls,
        *,
        item_ids: Sequence[str],
        weight_kg: Sequence[float] | np.ndarray,
        volume_m3: Sequence[float] | np.ndarray,
        depot_ids: Sequence[str],
        source_ids: Sequence[str],
        source_depot: Sequence[str],
        stock: Sequence[Sequence[float]] | np.ndarray,
        point_ids: Sequence[str],
        persons: Sequence[float] | np.ndarray,
        demand: Sequence[Sequence[float]] | np.ndarray,
        travel_time_h: Sequence[Sequence[float]] | np.ndarray,
        fleet_ids: Sequence[str],
        fleet_depot: Sequence[str],
        capacity_kg: Sequence[float] | np.ndarray,
        capacity_m3: Sequence[float] | np.ndarray,
        fleet_count: Sequence[int] | np.ndarray,
        deadline_h: float | Sequence[float] | np.ndarray = 12.0,
        ready_h: float | Sequence[float] | np.ndarray = 0.0,
        source_kind: str | Sequence[str] = "own",
        priority: float | Sequence[float] | np.ndarray = 1.0,
        distance_km: Sequence[Sequence[float]] | np.ndarray | None = None,
        item_weight: float | Sequence[float] | np.ndarray = 1.0,
        load_h: float = 0.5,
        unload_h: float = 0.5,
        substitutions: Sequence[Substitution] = (),
        speed_kmh: float = 40.0,
        fleet_max_trips: float | Sequence[float] | np.ndarray = np.inf,
        fleet_max_duration_h: float | Sequence[float] | np.ndarray = np.inf,
        hubs: Sequence[Hub] = (),
        hub_travel_time_h: Sequence[Sequence[float]] | np.ndarray | None = None,
        hub_distance_km: Sequence[Sequence[float]] | np.ndarray | None = None,
    ) -> AllocationProblem:
        """Build a problem from arrays, with depots referenced by id.

        Scalars are broadcast (``deadline_h``, ``ready_h``, ``source_kind``,
        ``priority``, ``item_weight``); ``distance_km`` defaults to
        ``travel_time_h × speed_kmh``, ``hub_distance_km`` likewise. Other parameters as in
        the class.

        Raises
        ------
        AllocationInputError
            Unknown depot id, mismatched shapes or invalid values; every
            problem names the field and the offending value.
        """
        item_ids = tuple(item_ids)
        source_ids = tuple(source_ids)
        point_ids = tuple(point_ids)
        depot_ids = tuple(depot_ids)
        src_depot, flt_depot = depot_refs(depot_ids, list(source_depot), list(fleet_depot))
        travel = np.array(travel_time_h, dtype=float)
        if distance_km is None:
            dist = np.where(np.isfinite(travel), travel * speed_kmh, np.nan)
        else:
            dist = np.array(distance_km, dtype=float)
        kinds = (source_kind,) * len(source_ids) if isinstance(source_kind, str) else tuple(source_kind)
        hub_tt, hub_km = hub_arrays(hub_travel_time_h, hub_distance_km, speed_kmh)
        return cls(
            item_ids=item_ids,
            weight_kg=np.asarray(weight_kg, dtype=float),
            volume_m3=np.asarray(volume_m3, dtype=float),
            item_weight=broadcast(item_weight, len(item_ids)),
            depot_ids=depot_ids,
            source_ids=source_ids,
            source_depot=src_depot,
            source_kind=kinds,
            ready_h=broadcast(ready_h, len(source_ids)),
            stock=rows(stock, len(source_ids)),
            point_ids=point_ids,
            persons=np.asarray(persons, dtype=float),
            priority=broadcast(priority, len(point_ids)),
            demand=rows(demand, len(point_ids)),
            deadline_h=broadcast(deadline_h, len(point_ids)),
            travel_time_h=travel,
            distance_km=dist,
            fleet_ids=tuple(fleet_ids),
            fleet_depot=flt_depot,
            capacity_kg=np.asarray(capacity_kg, dtype=float),
            capacity_m3=np.asarray(capacity_m3, dtype=float),
            fleet_count=np.asarray(fleet_count),
            load_h=load_h,
            unload_h=unload_h,
            substitutions=tuple(substitutions),
            fleet_max_trips=broadcast(fleet_max_trips, len(fleet_ids)),
            fleet_max_duration_h=broadcast(fleet_max_duration_h, len(fleet_ids)),
            hubs=tuple(hubs),
            hub_travel_time_h=hub_tt,
            hub_distance_km=hub_km,
        )
