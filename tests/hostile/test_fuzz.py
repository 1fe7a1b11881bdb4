"""Property-based: mutated scenario, inventory and fleet files give a result or one located error.

Hypothesis mutates valid files — a field replaced by a value of another type (NaN, ±inf, huge,
negative, text, list, table, bool), a field removed, bytes flipped or cut — and the command
line must then either succeed or exit 2 with a message naming the file; never a traceback, and
never longer than a fixed bound. Derandomised (fixed examples) so the suite is reproducible.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import REGION_DIR, run_cli, scenario_text, write

BOUND_S = 60.0
FUZZ = settings(max_examples=25, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.one_of(st.integers(-5, 5), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(-5, 5), max_size=2),
)


def _toml_value(v) -> str:
    if v is None:
        return '""'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(v), repr(v))
    if isinstance(v, str):
        return '"' + v.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return (
        "{"
        + ", ".join(
            f'"{k.encode("unicode_escape").decode("ascii")}" = {_toml_value(x)}' for k, x in v.items()
        )
        + "}"
    )


def _check(result, t0: float, name: str) -> None:
    code, out, err = result
    assert time.perf_counter() - t0 < BOUND_S
    assert "Traceback" not in out + err
    assert code in (0, 2), (code, err[-500:])
    if code == 2:
        assert name in err, err[-500:]


SCENARIO_LINES = scenario_text(
    '[depots]\nuse = ["QHD-M01", "QHD-C130324"]\n[handling]\nload_h = 0.5\nunload_h = 0.5\n'
    '[[disruption]]\ntype = "close"\nroad = "S251青龙河大桥"\nreopen_h = 6\n'
).splitlines()


@FUZZ
@given(line=st.integers(0, len(SCENARIO_LINES) - 1), value=VALUES, drop=st.booleans())
def test_mutated_scenario_fields(tmp_path_factory, line, value, drop):
    lines = list(SCENARIO_LINES)
    if "=" in lines[line] and not lines[line].startswith("["):
        key = lines[line].split("=", 1)[0].strip()
        lines[line] = "" if drop else f"{key} = {_toml_value(value)}"
    text = "\n".join(lines) + "\n"  # may be invalid TOML: that is a case too
    folder = tmp_path_factory.mktemp("fz")
    s = write(folder / "s.toml", text)
    t0 = time.perf_counter()
    _check(run_cli("run", s, "--out", folder / "out", "--no-routing"), t0, "s.toml")


@FUZZ
@given(data=st.data())
def test_mutated_scenario_bytes(tmp_path_factory, data):
    raw = bytearray(scenario_text().encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(raw) // 2, len(raw)))
    folder = tmp_path_factory.mktemp("fz")
    s = write(folder / "s.toml", bytes(raw[:cut]))
    t0 = time.perf_counter()
    _check(run_cli("run", s, "--out", folder / "out", "--no-routing"), t0, "s.toml")


INVENTORY = (REGION_DIR / "inventory.csv").read_text(encoding="utf-8").splitlines()[:40]


@FUZZ
@given(row=st.integers(1, 39), col=st.integers(0, 9), value=st.one_of(VALUES.map(str), st.binary(max_size=8)))
def test_mutated_inventory_cells(tmp_path_factory, row, col, value):
    import shutil

    folder = tmp_path_factory.mktemp("fz")
    shutil.copy(REGION_DIR / "depots.csv", folder / "depots.csv")
    lines = list(INVENTORY)
    cells = lines[row].split(",")
    if col < len(cells):
        cells[col] = value.decode("latin-1") if isinstance(value, bytes) else value.replace(",", "，")
    lines[row] = ",".join(cells)
    write(folder / "inventory.csv", ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass"))
    t0 = time.perf_counter()
    _check(run_cli("inventory", "validate", folder), t0, "inventory.csv")


FLEET = (REGION_DIR / "fleet.csv").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("seed", [0])
@FUZZ
@given(row=st.integers(1, len(FLEET) - 1), col=st.integers(0, 5), value=VALUES.map(str))
def test_mutated_fleet_files(tmp_path_factory, seed, row, col, value):
    folder = tmp_path_factory.mktemp("fz")
    lines = list(FLEET)
    cells = lines[row].split(",")
    cells[col] = value.replace(",", "，").replace("\n", " ")
    lines[row] = ",".join(cells)
    write(folder / "fleet.csv", "\n".join(lines) + "\n")
    s = write(folder / "s.toml", scenario_text('[fleet]\nfile = "fleet.csv"\n'))
    t0 = time.perf_counter()
    result = run_cli("run", s, "--out", folder / "out", "--no-routing")
    _check(result, t0, "fleet.csv" if result[0] == 2 and "fleet.csv" in result[2] else "s.toml")
