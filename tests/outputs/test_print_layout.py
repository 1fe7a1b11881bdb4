"""Every XLSX prints on A4: pages set up by one writer, checked through LibreOffice's PDF export (issue 19).

Before this layout the demo earthquake's 调拨单.xlsx printed as 63 pages (columns split across
pages), dispatch.xlsx as 389 and schedule.xlsx as 38 (LibreOffice 7.4 PDF export).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from openpyxl import Workbook, load_workbook

from logistics.common import mark_header_row, save_workbook
from logistics.common.printing import PAGE_FOOTER, unit_format
from logistics.outputs import write_run_outputs
from logistics.plan import RunParams, run_scenario
from logistics.report import build_report, write_report_xlsx
from logistics.scenario import load_scenario
from tests.helpers import ROOT

if TYPE_CHECKING:
    from pathlib import Path

A4_LANDSCAPE = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+841\.\d+\s+595\.\d+\s*\]")  # 297 × 210 mm


def test_every_saved_sheet_is_set_up_for_a4(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    ws.append(["调拨单"])
    ws.append(["调入点", "物资", "数量"])
    mark_header_row(ws, 2)
    for i in range(200):
        ws.append([f"安置点{i}", "棉被", i])
    other = wb.create_sheet("说明")
    other.append(["只有一行说明文字"])
    path = tmp_path / "x.xlsx"
    save_workbook(wb, path)
    for sheet in load_workbook(path).worksheets:
        ps = sheet.page_setup
        assert ps.orientation == "landscape" and str(ps.paperSize) == str(sheet.PAPERSIZE_A4)
        assert (
            int(ps.fitToWidth) == 1
            and int(ps.fitToHeight) == 0
            and sheet.sheet_properties.pageSetUpPr.fitToPage
        )
        assert sheet.oddFooter.center.text == PAGE_FOOTER
        assert sheet.print_area
    assert load_workbook(path)["表"].print_title_rows.replace("$", "") == "2:2"


def test_numbers_are_formatted_by_unit(quake_outputs: dict[str, Path]) -> None:
    """Whole pieces for countable items, one decimal for litres and kilograms, hours to two (issue 19)."""
    wb = load_workbook(quake_outputs["transfer_orders"])
    seen = set()
    for ws in wb.worksheets:
        header_row = int(ws.print_title_rows.replace("$", "").split(":")[0])
        header = [c.value for c in ws[header_row]]
        qty, unit, weight, eta = (header.index(h) for h in ("数量", "单位", "重量(kg)", "预计送达(时)"))
        for row in ws.iter_rows(min_row=header_row + 1):
            if not isinstance(row[qty].value, int | float):
                continue
            want = "#,##0.0" if row[unit].value in ("L", "kg") else "#,##0"
            assert row[qty].number_format == want, (ws.title, row[unit].value)
            assert row[weight].number_format == "#,##0.0" and row[eta].number_format == "0.00"
            seen.add(want)
    assert seen == {"#,##0", "#,##0.0"}  # both kinds occur in the demo
    assert unit_format("床") == "#,##0" and unit_format("升") == "#,##0.0"


def _sweep_workbooks(folder: Path) -> tuple[Path, Path]:
    """sweep.xlsx and 抢通优先序.xlsx of a small generated instance (issue 21's writers)."""
    from logistics.sweep import CriticalParams, SweepParams, critical_roads, run_sweep
    from tests.sweep.test_critical import _instance

    scenario = _instance(folder, 1)
    sweep = run_sweep(scenario, folder / "sweep", SweepParams(variants=6, seed=1, workers=1))
    crit = critical_roads(scenario, folder / "critical", CriticalParams(top=3, pairs=2, workers=1))
    return sweep.files["workbook"], crit.files["workbook"]


def _check() -> dict:
    import datetime as dt

    from logistics.region import demo_region
    from logistics.sufficiency import CheckParams, run_check

    return run_check(demo_region(), CheckParams(date=dt.date(2026, 11, 23), time_check=False))


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def quake_outputs(tmp_path_factory) -> dict[str, Path]:
    res = run_scenario(
        load_scenario(ROOT / "scenarios" / "earthquake_lulong.toml"), RunParams(routing_iterations=30)
    )
    return write_run_outputs(res, tmp_path_factory.mktemp("print"))


def _pdf(office: str, files: list[Path], out: Path) -> dict[str, tuple[int, list[str]]]:
    """Export with LibreOffice; per file: pages (MediaBox count checked A4 landscape) and page texts."""
    r = subprocess.run(
        [office, f"-env:UserInstallation=file://{out / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    result = {}
    for f in files:
        pdf_path = (out / f.name).with_suffix(".pdf")
        pdf = pdf_path.read_bytes()
        boxes = re.findall(rb"/MediaBox\s*\[[^\]]*\]", pdf)
        assert boxes and all(A4_LANDSCAPE.fullmatch(b) for b in boxes), (
            f"{f.name}: not every page is A4 landscape"
        )
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        result[f.name] = (len(pages), pages)
    return result


def test_every_xlsx_prints_with_its_header_on_every_page(
    quake_outputs: dict[str, Path], tmp_path: Path
) -> None:
    """调拨单 one page per depot, dispatch ≤ 2 per driver, the header row on every page (issue 19)."""
    office = _soffice()
    if office is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext not installed; deploy/test-system-deps.sh installs them")
    from logistics.region import demo_region
    from logistics.stock import write_inventory

    inventory = write_inventory(demo_region().inventory(), tmp_path / "库存.xlsx")
    nightly = write_report_xlsx(build_report(_check()), tmp_path / "储备日报.xlsx")
    sweep, critical = _sweep_workbooks(tmp_path)
    files = [
        quake_outputs["transfer_orders"],
        quake_outputs["dispatch"],
        quake_outputs["schedule"],
        inventory,
        nightly,
        sweep,
        critical,
    ]
    got = _pdf(office, files, tmp_path)
    sheets = {f.name: len(load_workbook(f).sheetnames) for f in files}
    orders, dispatch = quake_outputs["transfer_orders"].name, quake_outputs["dispatch"].name
    assert got[orders][0] == sheets[orders], "one page per depot"
    assert sheets[dispatch] <= got[dispatch][0] <= 2 * sheets[dispatch], "at most two pages per driver"
    assert got[quake_outputs["schedule"].name][0] <= 12
    assert all("调入点" in page and "经办人" in page for page in got[orders][1])
    assert all("派车单" in page for page in got[dispatch][1])
    # every page's header names the document (and the sheet), its footer the page numbers
    titles = {orders: "救灾物资调拨单", dispatch: "派车单", quake_outputs["schedule"].name: "车辆排班表",
              inventory.name: "储备库存汇总", nightly.name: "救灾物资储备日报", sweep.name: "稳健性扫描",
              critical.name: "抢通优先序"}  # fmt: skip
    for name, title in titles.items():
        assert all(title in page and "第" in page and "页" in page for page in got[name][1]), name
    assert len(got[nightly.name][1]) <= 2 * len(load_workbook(nightly).sheetnames)
    # schedule and inventory: every page repeats its sheet's header row
    for f in (quake_outputs["schedule"], inventory, nightly, sweep, critical):
        heads = [
            ws.cell(int(ws.print_title_rows.replace("$", "").split(":")[0]), 1).value
            for ws in load_workbook(f).worksheets
            if ws.print_title_rows
        ]
        assert all(any(str(h) in page for h in heads) for page in got[f.name][1]), f.name
