"""Quantity parser: a table of real-world phrasings and property-based round trips."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics.exceptions import QuantityParseError
from logistics.stock import Capacity, Count, format_chinese_number, parse_chinese_number, parse_quantity
from tests.helpers import DATA_DIR

with open(DATA_DIR / "quantity_phrasings.csv", encoding="utf-8") as f:
    PHRASINGS = list(csv.DictReader(f))


def test_table_is_large_enough() -> None:
    assert len(PHRASINGS) >= 60
    assert sum(r["kind"] == "error" for r in PHRASINGS) >= 20


@pytest.mark.parametrize("row", PHRASINGS, ids=[r["text"] or "<empty>" for r in PHRASINGS])
def test_phrasing(row: dict[str, str]) -> None:
    text = row["text"]
    if row["kind"] == "error":
        with pytest.raises(QuantityParseError) as exc:
            parse_quantity(text)
        assert row["error"] in str(exc.value)
        assert repr(text) in str(exc.value)  # the error names the text
        assert 0 <= exc.value.position <= len(text)
        return
    q = parse_quantity(text)
    assert q.approx == (row["approx"] == "1")
    if row["kind"] == "count":
        assert isinstance(q, Count)
        assert q.value == pytest.approx(float(row["value"]), rel=0, abs=0)
        assert q.unit == (row["unit"] or None)
    else:
        assert isinstance(q, Capacity)
        assert q.persons == int(row["persons"])
        assert q.days == pytest.approx(float(row["days"]), abs=0)


def test_error_position_points_at_problem() -> None:
    with pytest.raises(QuantityParseError) as exc:
        parse_quantity("帐篷 -5顶")
    assert exc.value.position == 3
    with pytest.raises(QuantityParseError) as exc:
        parse_quantity("1200顶，300床")
    assert exc.value.position == 6


def test_approx_marker_kept() -> None:
    q = parse_quantity("2.6万余件")
    assert q.approx and q.approx_marker == "余"
    assert q.to_dict()["approx"] is True


# --- property-based round trips -------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_chinese_numeral_round_trip(n: int) -> None:
    assert parse_chinese_number(format_chinese_number(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_with_separators_round_trip(n: int) -> None:
    assert parse_quantity(f"{n:,}件").value == n
    assert parse_quantity(f"{n}件").value == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=9))
def test_wan_qian_mixed(a: int, b: int) -> None:
    assert parse_quantity(f"{a}万{b}千").value == a * 10000 + b * 1000
    assert parse_quantity(f"{a}.{b}万床").value == a * 10000 + b * 1000


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_fullwidth_digits(n: int) -> None:
    assert parse_quantity(str(n).translate(_FULLWIDTH) + "顶").value == n


TEMPLATES = [
    "满足{p}人{d}天",
    "可保障{p}人{d}天基本生活",
    "保障{p}人{d}日",
    "{p}人×{d}天",
    "满足{p}名集中转移安置人口{d}天生活需要",
    "可满足{p}名受灾群众{d}天基本生活需求",
]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**8),
    st.integers(min_value=1, max_value=365),
    st.sampled_from(TEMPLATES),
    st.booleans(),
)
def test_capacity_round_trip(persons: int, days: int, template: str, chinese: bool) -> None:
    p = format_chinese_number(persons) if chinese else str(persons)
    d = format_chinese_number(days) if chinese else str(days)
    q = parse_quantity(template.format(p=p, d=d))
    assert isinstance(q, Capacity)
    assert (q.persons, q.days, q.person_days) == (persons, days, persons * days)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "logistics", *args], capture_output=True, text=True, check=False
    )


def test_cli_json_count() -> None:
    r = _cli("quantity", "2.6万件", "--json")
    assert r.returncode == 0
    out = json.loads(r.stdout)
    assert out["kind"] == "count" and out["value"] == 26000 and out["unit"] == "件"
    assert out["approx"] is False


def test_cli_json_capacity() -> None:
    r = _cli("quantity", "满足5千人15天", "--json")
    out = json.loads(r.stdout)
    assert {k: out[k] for k in ("kind", "persons", "days", "approx")} == {
        "kind": "capacity",
        "persons": 5000,
        "days": 15,
        "approx": False,
    }


def test_cli_rejects_with_exit_2_and_one_line() -> None:
    r = _cli("--lang", "en", "quantity", "一二百顶", "--json")
    assert r.returncode == 2
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1
    assert "一二百顶" in r.stderr and "position 1" in r.stderr
    r = _cli("quantity", "一二百顶", "--json")  # Chinese by default, counting characters from 1
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("错误：无法读取数量") and "第 2 个字符处" in r.stderr


def test_cli_item_conversion() -> None:
    r = _cli("quantity", "满足5千人15天", "--item", "饮用水", "--json")
    assert json.loads(r.stdout)["item"]["quantity"] == 225000
