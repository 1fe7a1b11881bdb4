"""Regenerate the ILLUSTRATIVE 汶上县 county example workbook (wenshang.xlsx).

The example mirrors one stated target of a county plan: stock for 5千集中转移安置人口15天.
The workbook is laid out the way county bureaus keep such sheets: a merged title row, then a
header row, one sheet for depots and one for stock. Depot sites are approximate (the county
seat area, entered in GCJ-02 as copied from a web map); all quantities are illustrative.
Run from the repository root: ``python data/depots/wenshang/make_xlsx.py``.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Write wenshang.xlsx next to this script."""
    wb = Workbook()
    ws = wb.active
    ws.title = "储备库"
    ws.append(["汶上县救灾物资储备库(点)一览表（示意数据）"])
    ws.merge_cells("A1:I1")
    ws.append(["编号", "名称", "级别", "行政区划代码", "经度", "纬度", "坐标系", "储备类型", "示意数据"])
    ws.append(
        ["WS-01", "汶上县救灾物资储备库", "县级", "370830", 116.4950, 35.7290, "GCJ-02", "实物储备", "是"]
    )
    ws.append(
        [
            "WS-02",
            "汶上县南站镇救灾物资储备点",
            "乡镇",
            "370830",
            116.4300,
            35.6400,
            "GCJ-02",
            "实物储备",
            "是",
        ]
    )
    lines = wb.create_sheet("库存")
    lines.append(["汶上县救灾物资库存表（示意数据）"])
    lines.merge_cells("A1:F1")
    lines.append(["库编号", "物资名称", "数量", "单位", "生产日期", "示意数据"])
    lines.append(["WS-01", "基本生活物资(全品种)", "满足5千名集中转移安置人口15天", None, "2026-10-20", "是"])
    lines.append(["WS-01", "棉大衣", 2000, "件", None, "是"])
    lines.append(["WS-02", "帐篷", "二百顶", None, None, "是"])
    lines.append(["WS-02", "棉被", "1,000", "床", None, "是"])
    notes = wb.create_sheet("说明")
    notes.append(["本表为演示数据，数量为示意。"])
    wb.save(HERE / "wenshang.xlsx")


if __name__ == "__main__":
    main()
