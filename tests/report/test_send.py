"""Nightly report delivered to real SMTP servers on loopback: content, security modes, send-once."""

from __future__ import annotations

import base64
import io
import re

import pytest
from openpyxl import load_workbook

from logistics.report import run_nightly
from tests.report.conftest import ASCII_PASSWORD, DATE, PASSWORD, SSL_AUTH_WARNING, USER, make_config

EXPECTED_SHEETS = {"总览", "缺口（Ⅱ级）", "各区县保障情况", "区县物资缺口", "时效性（按区县）", "临期及过期库存",
                   "较上次报告的变化", "近期趋势", "补齐Ⅱ级采购建议", "各响应级别", "目标级别全部物资",
                   "需核查（假定保质期）"}  # fmt: skip


def check_message(msg, *, to: list[str]) -> None:
    """Subject, Chinese text and HTML, inline images, XLSX attachment."""
    assert msg["Subject"].startswith("【示意数据】秦皇岛市救灾物资储备日报 2026-11-23")
    assert "目标Ⅱ级未达到" in msg["Subject"]
    assert sorted(a.strip() for a in msg["To"].split(",")) == sorted(to)
    assert msg["Auto-Submitted"] == "auto-generated"
    text = msg.get_body(("plain",)).get_content()
    assert "当前可满足的最高响应级别：Ⅲ级" in text
    assert "【示意数据】" in text and "折叠床" in text
    html_part = msg.get_body(("html",))
    html = html_part.get_content()
    assert "秦皇岛市救灾物资储备日报" in html and "示意数据" in html and "缺口（Ⅱ级）" in html
    cids = re.findall(r'src="cid:([^"]+)"', html)
    assert len(cids) == 3  # two charts and the static one-map view of the stock (issue 20)
    assert any(c.startswith("map") for c in cids) and 'alt="储备一张图"' in html
    related = {p["Content-ID"].strip("<>"): p for p in msg.walk() if p["Content-ID"]}
    for cid in cids:
        part = related[cid]
        assert part.get_content_type() == "image/png"
        assert part.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    atts = [p for p in msg.iter_attachments() if p.get_filename() and p.get_filename().endswith(".xlsx")]
    assert [a.get_filename() for a in atts] == ["储备日报-2026-11-23.xlsx"]
    wb = load_workbook(io.BytesIO(atts[0].get_content()), read_only=True)
    assert set(wb.sheetnames) == EXPECTED_SHEETS
    ws = wb["缺口（Ⅱ级）"]
    values = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert "折叠床" in values and 8160 in values


def test_plain_smtp_delivers_one_message_per_role(tmp_path, smtp_plain):
    cfg = make_config(tmp_path, smtp_plain)
    out = run_nightly(cfg, date=DATE, send=True)
    assert out.exit_code == 0 and not out.failed
    assert sorted(out.sent) == ["duty1@bureau.example", "duty2@bureau.example", "leader@bureau.example"]
    envs = smtp_plain.handler.envelopes
    assert sorted(tuple(e.rcpt_tos) for e in envs) == [("duty1@bureau.example", "duty2@bureau.example"),
                                                       ("leader@bureau.example",)]  # fmt: skip
    msgs = smtp_plain.handler.messages()
    by_role = {m["X-Logistics-Role"]: m for m in msgs}
    check_message(by_role["领导"], to=["leader@bureau.example"])
    check_message(by_role["值班员"], to=["duty1@bureau.example", "duty2@bureau.example"])
    # the .eml kept on disk is the message sent
    assert {p.name for p in out.emails} == {"email-领导.eml", "email-值班员.eml"}


@pytest.mark.filterwarnings(SSL_AUTH_WARNING)
@pytest.mark.parametrize("fixture", ["smtp_starttls", "smtp_auth", "smtp_ssl"])
def test_tls_and_auth_deliver(tmp_path, request, fixture):
    server = request.getfixturevalue(fixture)
    # smtplib's own LOGIN for an ASCII password over implicit TLS; UTF-8 AUTH PLAIN over STARTTLS
    password = ASCII_PASSWORD if fixture == "smtp_ssl" else PASSWORD
    cfg = make_config(tmp_path, server, recipients={"值班员": ("duty@bureau.example",)},
                      auth=fixture != "smtp_starttls", password=password)  # fmt: skip
    out = run_nightly(cfg, date=DATE, send=True)
    assert out.exit_code == 0, out.failed
    (msg,) = server.handler.messages()
    check_message(msg, to=["duty@bureau.example"])
    log = cfg.log.read_text(encoding="utf-8")
    assert f"({server.security})" in log
    if fixture != "smtp_starttls":
        assert USER in log  # the login is logged, the password never
    assert_no_secret(log)


def assert_no_secret(text: str) -> None:
    for pw in (PASSWORD, ASCII_PASSWORD):
        assert pw not in text
        assert base64.b64encode(pw.encode()).decode() not in text
        assert base64.b64encode(f"\0{USER}\0{pw}".encode()).decode() not in text


def test_untrusted_certificate_is_a_permanent_failure(tmp_path, smtp_starttls):
    cfg = make_config(tmp_path, smtp_starttls, recipients={"值班员": ("duty@bureau.example",)}, ca_file=None)
    sleeps: list[float] = []
    out = run_nightly(cfg, date=DATE, send=True, sleep=sleeps.append)
    assert out.exit_code == 3
    assert "certificate" in out.failed["duty@bureau.example"]
    assert sleeps == []  # not retried
    assert smtp_starttls.handler.envelopes == []


def test_verify_off_accepts_self_signed(tmp_path, smtp_starttls):
    cfg = make_config(tmp_path, smtp_starttls, recipients={"值班员": ("duty@bureau.example",)}, ca_file=None,
                      verify=False)  # fmt: skip
    assert run_nightly(cfg, date=DATE, send=True).exit_code == 0
    assert len(smtp_starttls.handler.envelopes) == 1


def test_same_date_sends_once_unless_resend(tmp_path, smtp_plain):
    cfg = make_config(tmp_path, smtp_plain)
    first = run_nightly(cfg, date=DATE, send=True)
    assert len(first.sent) == 3
    second = run_nightly(cfg, date=DATE, send=True)
    assert second.exit_code == 0 and second.sent == [] and len(second.already_sent) == 3
    assert len(smtp_plain.handler.envelopes) == 2  # still the first run's two messages
    third = run_nightly(cfg, date=DATE, send=True, resend=True)
    assert len(third.sent) == 3
    assert len(smtp_plain.handler.envelopes) == 4
    # a new recipient added later gets the report; the others do not get it twice
    cfg2 = make_config(
        tmp_path, smtp_plain, recipients={"值班员": ("duty1@bureau.example", "new@bureau.example")}
    )
    fourth = run_nightly(cfg2, date=DATE, send=True)
    assert fourth.sent == ["new@bureau.example"] and fourth.already_sent == ["duty1@bureau.example"]


def test_temporary_failure_is_retried_with_backoff(tmp_path, smtp_plain):
    smtp_plain.handler.tempfail_data = 1  # 451 on the first DATA
    cfg = make_config(tmp_path, smtp_plain, recipients={"值班员": ("duty@bureau.example",)}, backoff_s=5.0)
    sleeps: list[float] = []
    out = run_nightly(cfg, date=DATE, send=True, sleep=sleeps.append)
    assert out.exit_code == 0 and out.sent == ["duty@bureau.example"]
    assert sleeps == [5.0]
    assert len(smtp_plain.handler.envelopes) == 1
