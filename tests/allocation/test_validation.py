"""Bad allocation inputs: one AllocationInputError naming the field and value."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from logistics.allocation import AllocationParams, AllocationProblem, Substitution
from logistics.exceptions import AllocationInputError, InputError
from tests.allocation.test_hand import single


def good() -> AllocationProblem:
    return single(weight_kg=(10.0, 5.0), volume_m3=(0.1, 0.05), stock=(10, 10), demand=(5, 5))


BAD = [
    ("stock", {"stock": np.array([[-1.0, 2.0]])}, "stock.*-1"),
    ("demand", {"demand": np.array([[np.nan, 2.0]])}, "demand.*nan"),
    ("persons", {"persons": np.array([-5.0])}, "persons.*-5"),
    ("persons at demand", {"persons": np.array([0.0])}, "persons.*P=0"),
    ("deadline zero", {"deadline_h": np.array([0.0])}, "deadline_h.*0.0"),
    ("deadline negative", {"deadline_h": np.array([-3.0])}, "deadline_h.*-3"),
    ("deadline inf", {"deadline_h": np.array([np.inf])}, "deadline_h.*inf"),
    ("stock shape", {"stock": np.ones((1, 3))}, r"stock.*\(1, 3\)"),
    ("travel shape", {"travel_time_h": np.ones((2, 1))}, r"travel_time_h.*\(2, 1\)"),
    ("negative travel", {"travel_time_h": np.array([[-1.0]])}, "travel_time_h.*-1"),
    ("capacity", {"capacity_kg": np.array([0.0])}, "capacity_kg.*0.0"),
    ("count", {"fleet_count": np.array([1.5])}, "fleet_count.*1.5"),
    ("source depot index", {"source_depot": np.array([3])}, "source_depot.*3"),
    ("kind", {"source_kind": ("borrowed",)}, "source_kind.*borrowed"),
    ("duplicate item", {"item_ids": ("i0", "i0")}, "item_ids.*duplicate|duplicate.*i0"),
    ("load time", {"load_h": -1.0}, "load_h.*-1"),
    (
        "weightless",
        {"weight_kg": np.array([0.0, 5.0]), "volume_m3": np.array([0.0, 0.1])},
        "weight_kg.*i0",
    ),
    (
        "substitution item",
        {"substitutions": (Substitution("i0", "tent"),)},
        "substitutions.substitute.*tent",
    ),
    (
        "substitution ratio",
        {"substitutions": (Substitution("i0", "i1", 0.0),)},
        "substitutions.ratio",
    ),
]


@pytest.mark.parametrize(("name", "change", "match"), BAD, ids=[b[0] for b in BAD])
def test_bad_problem(name: str, change: dict, match: str) -> None:
    with pytest.raises(AllocationInputError, match=match) as exc:
        dataclasses.replace(good(), **change)
    assert isinstance(exc.value, InputError)
    assert all(p.column for p in exc.value.problems)


def test_unknown_depot_id() -> None:
    with pytest.raises(AllocationInputError, match=r"source_depot.*Z"):
        AllocationProblem.from_arrays(
            item_ids=["a"],
            weight_kg=[1.0],
            volume_m3=[0.1],
            depot_ids=["D"],
            source_ids=["s"],
            source_depot=["Z"],
            stock=[[1.0]],
            point_ids=["p"],
            persons=[1.0],
            demand=[[1.0]],
            travel_time_h=[[1.0]],
            fleet_ids=["f"],
            fleet_depot=["D"],
            capacity_kg=[1.0],
            capacity_m3=[1.0],
            fleet_count=[1],
        )


def test_all_problems_reported_at_once() -> None:
    with pytest.raises(AllocationInputError) as exc:
        dataclasses.replace(good(), stock=np.array([[-1.0, 2.0]]), deadline_h=np.array([0.0]))
    assert {p.column for p in exc.value.problems} == {"stock", "deadline_h"}


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"objective": "fastest"}, "objective"),
        ({"cost": "co2"}, "cost"),
        ({"max_depots_per_point": 0}, "max_depots_per_point"),
        ({"lexicographic_tolerance": -1.0}, "lexicographic_tolerance"),
        ({"column_generation": "yes"}, "column_generation"),
    ],
)
def test_bad_params(kw: dict, match: str) -> None:
    with pytest.raises(AllocationInputError, match=match):
        AllocationParams(**kw)


def test_arrays_are_read_only() -> None:
    p = good()
    with pytest.raises(ValueError, match="read-only"):
        p.stock[0, 0] = 5.0
