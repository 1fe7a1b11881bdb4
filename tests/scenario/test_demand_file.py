"""Demand points from a CSV or Excel file (``demand_file``), Chinese headers, errors with row and column (issue 19)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from logistics.exceptions import ScenarioError
from logistics.scenario import load_scenario
from tests.helpers import ROOT

HEAD = ["名称", "乡镇", "经度", "纬度", "区县", "转移安置人数", "需救助人数", "优先级"]
ROWS = [
    ["卢龙县体育场安置点", None, 118.884, 39.882, "卢龙县", 2500, None, 2],
    [None, "卢龙镇", None, None, None, 4000, 6000, 2],
    [None, "石门镇", None, None, None, 2500, None, None],
]


def _scenario(tmp_path, demand_file: str) -> str:
    text = (ROOT / "scenarios" / "earthquake_lulong.toml").read_text(encoding="utf-8")
    head, rest = text.split("[hazard]", 1)
    body = rest.split("[[demand]]", 1)[0]
    tail = rest[rest.index("[[disruption]]") :]
    path = tmp_path / "s.toml"
    path.write_text(f'{head}demand_file = "{demand_file}"\n\n[hazard]{body}{tail}', encoding="utf-8")
    return str(path)


def _xlsx(path, rows) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["卢龙县地震安置点清单"])  # a title line above the header
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    wb.save(path)


def test_demand_points_from_an_excel_file(tmp_path) -> None:
    _xlsx(tmp_path / "安置点.xlsx", ROWS)
    sc = load_scenario(_scenario(tmp_path, "安置点.xlsx"))
    assert len(sc.demand) == 3
    shelter = sc.demand[0]
    assert shelter.name == "卢龙县体育场安置点" and shelter.relocated == 2500 and shelter.priority == 2
    assert abs(shelter.lon - 118.884) < 1e-9 and abs(shelter.lat - 39.882) < 1e-9
    assert sc.demand[1].name == "卢龙镇" and sc.demand[1].need_relief == 6000


def test_demand_points_from_a_gbk_csv(tmp_path) -> None:
    lines = [",".join(HEAD)] + [",".join("" if v is None else str(v) for v in r) for r in ROWS]
    (tmp_path / "安置点.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    sc = load_scenario(_scenario(tmp_path, "安置点.csv"))
    assert [p.name for p in sc.demand] == ["卢龙县体育场安置点", "卢龙镇", "石门镇"]


def test_bad_number_names_file_row_and_column(tmp_path) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][5] = "四千"
    _xlsx(tmp_path / "安置点.xlsx", rows)
    with pytest.raises(ScenarioError) as e:
        load_scenario(_scenario(tmp_path, "安置点.xlsx"))
    msg = str(e.value)
    assert "安置点.xlsx[Sheet], row 4, column '转移安置人数 (F)'" in msg and "四千" in msg
