"""Report content: history and changes, renderings (HTML, text, XLSX, charts), configuration."""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import sqlite3
import subprocess

import numpy as np
import pytest
from openpyxl import load_workbook

from logistics.exceptions import HistoryError
from logistics.report import (
    SCHEMA_VERSION,
    ReportHistory,
    build_report,
    figures_from_check,
    load_report_config,
    report_changes,
    report_text,
    write_report_files,
)
from tests.outputs.chart_text import check_shipped_font, drawn_texts


def with_time(check: dict) -> dict:
    """The check with a time section shaped like the time check's output."""
    c = copy.deepcopy(check)
    c["time"] = {
        "counties": [
            {"county": "海港区", "share_within_12h": 0.97, "share_within_10h": 0.81},
            {"county": "青龙满族自治县", "share_within_12h": 0.64, "share_within_10h": 0.40},
        ],
        "worst_county": "青龙满族自治县",
    }
    return c


def later(check: dict, date: dt.date) -> dict:
    from logistics.region import demo_region
    from logistics.sufficiency import CheckParams, run_check

    return run_check(demo_region(), CheckParams(date=date, time_check=False))


def test_history_records_and_compares(tmp_path, demo_check):
    path = tmp_path / "h.sqlite"
    with ReportHistory(path) as h:
        assert h.schema_version() == SCHEMA_VERSION
        first = build_report(demo_check, h)
        assert first.previous_date is None and first.changes == []
        again = build_report(demo_check, h)  # same date again: replaces, compares with nothing earlier
        assert again.previous_date is None
        assert h.dates("秦皇岛市") == ["2026-11-23"]
        nxt = later(demo_check, dt.date(2026, 12, 20))
        rep = build_report(nxt, h)
        spring = build_report(later(demo_check, dt.date(2027, 4, 25)), h)
    assert rep.previous_date == "2026-11-23"
    assert [t["date"] for t in rep.trend] == ["2026-11-23", "2026-12-20"]
    by = {(c.kind, c.key, c.metric): c for c in rep.changes}
    # water expired between the two dates (known shelf life): lower coverage, more expired batches
    water = by[("item", "drinking_water", "usable")]
    assert water.after < water.before
    assert by[("expiring", "0", "batches")].after > by[("expiring", "0", "batches")].before
    # lamps past an expiry date that rests on an assumed shelf life are still counted: the level
    # met does not drop on that assumption alone, and the headline says what rests on it
    assert ("item", "emergency_light", "usable") not in by
    assert ("headline", "", "highest_level_rank") not in by
    assert "若剔除按假定保质期判定已过期的批次，最高满足级别为Ⅳ级" in rep.headline()
    # the changes agree with a direct comparison of the two checks' figures
    direct = report_changes(figures_from_check(nxt), figures_from_check(demo_check))
    assert direct == rep.changes
    # by spring the water runs short for real: the level drops
    assert spring.previous_date == "2026-12-20"
    assert "最高满足级别下降：Ⅲ级→Ⅳ级" in spring.change_summary()
    # WAL journal
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_history_from_a_newer_program_is_refused(tmp_path):
    path = tmp_path / "h.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryError, match="newer than this program"):
        ReportHistory(path)
    bad = tmp_path / "not.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match="cannot use the history database"):
        ReportHistory(bad)


def test_report_files_and_tables(tmp_path, demo_check):
    rep = build_report(with_time(demo_check), None)
    files = write_report_files(rep, tmp_path)
    assert files.folder == tmp_path / "2026-11-23"
    assert set(files.charts) == {"coverage", "counties"}  # no trend with a single night
    html = files.html.read_text(encoding="utf-8")
    assert 'src="coverage.png"' in html and "cid:" not in html
    assert "时效性（按区县）" in html and "青龙满族自治县" in html and "64.0%" in html
    text = files.text.read_text(encoding="utf-8")
    for note in demo_check["notes"]:
        assert note in text and note in html
    wb = load_workbook(files.xlsx)
    gap = wb["缺口（Ⅱ级）"]
    rows = list(gap.iter_rows(values_only=True))
    assert rows[0][0].startswith("【示意数据】")  # every sheet carries the illustrative notes
    header = rows[len(demo_check["notes"])]
    assert header[:3] == ("物资", "单位", "需求")
    data = {r[0]: r for r in rows[len(demo_check["notes"]) + 1 :]}
    assert data["折叠床"][5] == 8160 and data["折叠床"][4] == pytest.approx(0.592)
    assert gap.cell(len(demo_check["notes"]) + 2, 5).number_format == "0.0%"
    exp = wb["临期及过期库存"]
    assert exp.max_row == len(demo_check["notes"]) + 1 + len(demo_check["expiring"])
    t = wb["时效性（按区县）"]
    assert [r[0] for r in t.iter_rows(min_row=len(demo_check["notes"]) + 2, values_only=True)] == [
        "青龙满族自治县", "海港区"]  # fmt: skip


def test_figures_resting_on_assumed_shelf_lives(tmp_path, demo_check):
    check = later(demo_check, dt.date(2026, 12, 14))
    rep = build_report(check, None)
    assert check["highest_level_met"] == "III"
    assert rep.headline().startswith("当前可满足的最高响应级别：Ⅲ级")
    assert "若剔除按假定保质期判定已过期的批次，最高满足级别为Ⅳ级" in rep.headline()
    files = write_report_files(rep, tmp_path)
    text = files.text.read_text(encoding="utf-8")
    assert "■ 需核查（假定保质期）" in text and "海港区救灾物资储备库" in text
    assert "需核查" in files.html.read_text(encoding="utf-8")  # the headline carries the note
    wb = load_workbook(files.xlsx)
    rows = list(wb["需核查（假定保质期）"].iter_rows(values_only=True))[len(check["notes"]) :]
    assert rows[0][:3] == ("库点", "物资", "批次") and "假定保质期(天)" in rows[0]
    lamps = [r for r in rows[1:] if r[1] == "应急照明灯" and r[8] < 0]
    assert sum(r[3] for r in lamps) == 2530 and {r[6] for r in lamps} == {1095}
    summary = {r[0]: r[1] for r in wb["总览"].iter_rows(values_only=True)}
    assert summary["剔除按假定保质期已过期批次后最高满足级别"] == "Ⅳ级"
    levels = list(wb["各响应级别"].iter_rows(values_only=True))[len(check["notes"]) :]
    assert levels[0][-1] == "剔除需核查批次后是否满足"
    assert [r[-1] for r in levels[1:]] == ["是", "否", "否", "否"]
    items = list(wb["目标级别全部物资"].iter_rows(values_only=True))[len(check["notes"]) :]
    assert {r[0]: r[-1] for r in items[1:]}["应急照明灯"] == 2530


def test_chinese_tables_use_chinese_item_names(demo_check):
    from logistics.report import report_tables
    from logistics.stock import load_catalogue

    ids = {item.id for item in load_catalogue()}
    rep = build_report(with_time(demo_check), None)
    cells = [str(v) for t in report_tables(rep) for row in t.rows for v in row if v is not None]
    assert not [c for c in cells if c in ids]
    text = report_text(rep)
    assert not [i for i in ids if i in text]
    en = build_report(demo_check, None, lang="en")
    en_cells = [str(v) for t in report_tables(en) for row in t.rows for v in row]
    assert any("emergency_light" in c for c in en_cells)
    assert "18,831 persons" in en_cells and not [c for c in en_cells if c.startswith("满足")]


def test_expiring_value_is_not_a_zero_when_no_price_is_known(demo_check):
    """The demo's expiring batches (water, food) have no unit price: no "约 0 元" figure."""
    assert all(e["value_cny"] is None for e in demo_check["expiring"])
    text = report_text(build_report(demo_check, None))
    assert "均无单价，未估算涉及金额" in text and "约 0 元" not in text
    en = build_report(demo_check, None, lang="en").expiring_summary()
    assert "value at risk not estimated (no unit prices)" in en and "CNY 0" not in en


def test_without_time_check_says_so(demo_check):
    text = report_text(build_report(demo_check, None))
    assert "本次未评估时效性" in text


def test_english_report(tmp_path, demo_check):
    rep = build_report(demo_check, None, lang="en")
    assert rep.subject().startswith(
        "[ILLUSTRATIVE] 秦皇岛市 relief stockpile report 2026-11-23: target II NOT met"
    )
    files = write_report_files(rep, tmp_path)
    text = files.text.read_text(encoding="utf-8")
    assert "Highest response level met: III" in text and "folding_bed" in text
    assert "Summary" in load_workbook(files.xlsx).sheetnames


def test_charts_are_chinese_in_the_shipped_font(demo_check):
    from logistics.report import report_charts
    from logistics.report.html import report_figures

    rep = build_report(demo_check, None)
    figures = report_figures(rep)
    assert list(figures) == list(report_charts(rep)) == ["coverage", "counties"]
    items = demo_check["levels"][demo_check["target_level"]]["items"]
    coverage = {s for s, _ in drawn_texts(figures["coverage"])}
    assert {"Ⅱ级响应各类物资保障率", "保障率 (%)，虚线为100%"} <= coverage
    assert {i["name"] for i in items} <= coverage and not coverage & {i["item"] for i in items}
    counties = {s for s, _ in drawn_texts(figures["counties"])}
    assert set(demo_check["counties"]) <= counties and "各区县最低保障率（按人口分摊）" in counties
    for fig in figures.values():
        check_shipped_font(drawn_texts(fig))
    assert all(png[:8] == b"\x89PNG\r\n\x1a\n" for png in report_charts(rep).values())


def test_trend_chart_is_chinese_in_the_shipped_font(tmp_path, demo_check):
    from logistics.report.html import report_figures

    nxt = copy.deepcopy(demo_check)
    nxt["date"] = "2026-11-24"
    with ReportHistory(tmp_path / "h.sqlite") as h:
        build_report(demo_check, h)
        rep = build_report(nxt, h)
    figures = report_figures(rep)
    assert list(figures) == ["coverage", "trend"]
    trend = drawn_texts(figures["trend"])
    strings = {s for s, _ in trend}
    assert {"近期趋势（目标级别）", "最低保障率 (%)", "缺口物资种类", "11-23", "11-24"} <= strings
    check_shipped_font(trend)


def test_english_charts_name_counties(demo_check):
    from logistics.report.html import report_figures

    figures = report_figures(build_report(demo_check, None, lang="en"))
    counties = drawn_texts(figures["counties"])
    assert set(demo_check["counties"]) <= {s for s, _ in counties}  # names, never C1, C2, …
    assert "Lowest coverage by county (population share)" in {s for s, _ in counties}
    for fig in figures.values():
        check_shipped_font(drawn_texts(fig))


def test_charts_fall_back_to_english_only_without_the_font_file(demo_check, monkeypatch, caplog):
    from logistics.outputs import fonts
    from logistics.report import report_charts
    from logistics.report.html import report_figures

    monkeypatch.setattr(fonts, "cjk_font_path", lambda: None)
    with caplog.at_level("INFO", logger="logistics"):
        charts = report_charts(build_report(demo_check, None))
    assert "pip install pylopdf-fonts-zh-cn" in caplog.text and "chart labels in English" in caplog.text
    assert all(png[:4] == b"\x89PNG" for png in charts.values())
    figures = report_figures(build_report(demo_check, None))
    assert all(s.isascii() for fig in figures.values() for s, _ in drawn_texts(fig))


def test_config_file_and_environment(tmp_path):
    (tmp_path / "pw.txt").write_text("from-file\n", encoding="utf-8")
    f = tmp_path / "r.toml"
    f.write_text(
        """
[report]
out_dir = "reports"
history = "state/h.sqlite"
target_level = "III"
[smtp]
host = "mail.bureau.example"
security = "ssl"
user = "report@bureau.example"
password_file = "pw.txt"
[recipients]
"领导" = ["leader@bureau.example"]
"值班员" = "duty@bureau.example"
""",
        encoding="utf-8",
    )
    cfg = load_report_config(f, environ={})
    assert cfg.out_dir == tmp_path / "reports" and cfg.history == tmp_path / "state" / "h.sqlite"
    assert cfg.log == tmp_path / "reports" / "nightly.log"
    assert cfg.smtp.port == 465 and cfg.smtp.password == "from-file"
    assert "from-file" not in repr(cfg)
    assert cfg.recipients == {"领导": ("leader@bureau.example",), "值班员": ("duty@bureau.example",)}
    env = {"LOGISTICS_SMTP_HOST": "relay.example", "LOGISTICS_SMTP_PORT": "2525", "LOGISTICS_SMTP_SECURITY": "none",
           "LOGISTICS_SMTP_PASSWORD": "from-env", "LOGISTICS_REPORT_TO": "a@x.example, b@x.example"}  # fmt: skip
    cfg = load_report_config(f, environ=env)
    assert (cfg.smtp.host, cfg.smtp.port, cfg.smtp.security, cfg.smtp.password) == (
        "relay.example", 2525, "none", "from-env")  # fmt: skip
    assert cfg.recipients == {"LOGISTICS_REPORT_TO": ("a@x.example", "b@x.example")}
    only_env = load_report_config(None, environ={"LOGISTICS_SMTP_HOST": "h", "LOGISTICS_SMTP_USER": "u@h"})
    assert only_env.smtp.security == "starttls" and only_env.smtp.port == 587


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_html_screenshot_is_not_blank(tmp_path, demo_check):
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "chromium not installed (apt-get install chromium); deploy/test-system-deps.sh installs it when it can"
        )
    from PIL import Image

    files = write_report_files(build_report(demo_check, None), tmp_path)
    shot = tmp_path / "shot.png"
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", "--window-size=420,1600",
           f"--screenshot={shot}", files.html.resolve().as_uri()]  # fmt: skip
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=90, env={**os.environ, "HOME": str(tmp_path)}
    )
    assert shot.exists(), proc.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    assert img.size == (420, 1600)
    px = np.asarray(img.resize((105, 400))).reshape(-1, 3).astype(int)
    non_white = float(np.mean(px.min(axis=1) < 235))
    red = float(np.mean((px[:, 0] > 150) & (px[:, 1] < 90) & (px[:, 2] < 90)))
    assert non_white > 0.10, non_white  # text, tables, charts: about 24 %
    # the red bars of the coverage chart are most of the red: about 1.7 % with the images
    # loaded, 0.02 % (the verdict box) when they fail to load
    assert red > 0.005, red


def test_share_changes_read_in_chinese_percentage_points(demo_check):
    from logistics.report import Change, NightlyReport

    c = Change("county", "海港区", "coverage", "海港区", 0.80, 0.825)
    zh = NightlyReport(demo_check, changes=[c]).change_lines()[0][-1]
    en = NightlyReport(demo_check, changes=[c], lang="en").change_lines()[0][-1]
    assert (zh, en) == ("+2.5 个百分点", "+2.5 pp")
