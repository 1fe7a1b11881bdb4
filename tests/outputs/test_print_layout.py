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
from logistics.common.printing import PAGE_FOOTER
from logistics.outputs import write_run_outputs
from logistics.plan import RunParams, run_scenario
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


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def quake_outputs(tmp_path_factory) -> dict[str, Path]:
    res = run_scenario(
        load_scenario(ROOT / "scenarios" / "earthquake_lulong.toml"), RunParams(routing_iterations=30)
    )
    return write_run_outputs(res, tmp_path_factory.mktemp("print"))


def test_run_outputs_print_on_few_a4_pages(quake_outputs: dict[str, Path], tmp_path: Path) -> None:
    office = _soffice()
    if office is None:
        pytest.skip(
            "LibreOffice not installed (apt-get install libreoffice-calc-nogui); deploy/test-system-deps.sh installs it"
        )
    names = {"transfer_orders": "调拨单", "dispatch": "dispatch", "schedule": "schedule"}
    files = [quake_outputs[k] for k in names]
    r = subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    pages = {}
    for key, f in zip(names, files, strict=True):
        pdf = (tmp_path / f.name).with_suffix(".pdf").read_bytes()
        n = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        boxes = re.findall(rb"/MediaBox\s*\[[^\]]*\]", pdf)
        assert boxes and all(A4_LANDSCAPE.fullmatch(b) for b in boxes), (
            f"{f.name}: not every page is A4 landscape"
        )
        pages[key] = n
    sheets = {k: len(load_workbook(quake_outputs[k], read_only=True).sheetnames) for k in names}
    # one depot's order, one driver's sheet: a page each, now and then a second one
    assert sheets["transfer_orders"] <= pages["transfer_orders"] <= 1.5 * sheets["transfer_orders"], (
        pages,
        sheets,
    )
    assert sheets["dispatch"] <= pages["dispatch"] <= 1.5 * sheets["dispatch"], (pages, sheets)
    assert pages["schedule"] <= 12, pages
