"""Failure modes of the nightly report: each gives its documented outcome and nothing is lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from logistics.cli.main import main
from logistics.common import run_lock
from logistics.exceptions import ReportConfigError, ReportLockedError
from logistics.report import ReportHistory, run_nightly
from tests.report.conftest import DATE, PASSWORD, Collector, Server, free_port, make_config
from tests.report.test_send import assert_no_secret

ROOT = Path(__file__).resolve().parents[2]


def assert_kept(cfg, failed: set[str]) -> None:
    """Report files on disk, the night in the history, the failed addresses recorded as not sent."""
    folder = cfg.out_dir / DATE.isoformat()
    for suffix in (".html", ".txt", ".xlsx", ".json"):
        assert (folder / f"report-{DATE}{suffix}").stat().st_size > 0
    assert list(folder.glob("email-*.eml")), "the message built is kept as .eml"
    with ReportHistory(cfg.history) as h:
        assert DATE.isoformat() in h.dates("秦皇岛市")
        state = {d["address"]: d for d in h.deliveries("秦皇岛市", DATE.isoformat())}
    for a in failed:
        assert state[a]["status"] == "failed" and state[a]["error"]


def test_server_down_is_retried_then_exit_3_and_next_run_delivers(tmp_path):
    port = free_port()  # nothing listens there
    down = Server("127.0.0.1", port, Collector(), "none")
    cfg = make_config(tmp_path, down, recipients={"值班员": ("duty@bureau.example",)}, backoff_s=2.0,
                      max_attempts=3)  # fmt: skip
    sleeps: list[float] = []
    out = run_nightly(cfg, date=DATE, send=True, sleep=sleeps.append)
    assert out.exit_code == 3
    assert "connection refused" in out.failed["duty@bureau.example"]
    assert sleeps == [2.0, 4.0]  # three attempts, exponential backoff
    assert_kept(cfg, {"duty@bureau.example"})
    log = cfg.log.read_text(encoding="utf-8")
    assert log.count("SMTP attempt") >= 3 and "connection refused" in log
    # the server comes back: the next run sends the report it could not send
    up = Collector()
    from aiosmtpd.controller import Controller

    controller = Controller(up, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        again = run_nightly(cfg, date=DATE, send=True, sleep=sleeps.append)
    finally:
        controller.stop()
    assert again.exit_code == 0 and again.sent == ["duty@bureau.example"]
    assert len(up.envelopes) == 1


def test_authentication_rejected_is_permanent(tmp_path, smtp_auth):
    wrong = "wrong-Passw0rd-错误"
    cfg = make_config(tmp_path, smtp_auth, recipients={"值班员": ("duty@bureau.example",)}, auth=True,
                      password=wrong, backoff_s=1.0)  # fmt: skip
    sleeps: list[float] = []
    out = run_nightly(cfg, date=DATE, send=True, sleep=sleeps.append)
    assert out.exit_code == 3
    reason = out.failed["duty@bureau.example"]
    assert reason.startswith("authentication rejected (535")
    assert sleeps == []  # permanent: not retried
    assert smtp_auth.handler.envelopes == []
    assert_kept(cfg, {"duty@bureau.example"})
    log = cfg.log.read_text(encoding="utf-8")
    assert "authentication rejected (535" in log
    assert wrong not in log and PASSWORD not in log
    assert_no_secret(log)


def test_recipient_rejected_others_delivered_and_not_resent(tmp_path, smtp_plain):
    smtp_plain.handler.reject = {"nobody@bureau.example", "gone@bureau.example"}
    recipients = {
        "领导": ("leader@bureau.example", "gone@bureau.example"),
        "值班员": ("nobody@bureau.example",),
    }
    cfg = make_config(tmp_path, smtp_plain, recipients=recipients)
    out = run_nightly(cfg, date=DATE, send=True)
    assert out.exit_code == 3
    assert out.sent == ["leader@bureau.example"]
    assert set(out.failed) == {"gone@bureau.example", "nobody@bureau.example"}
    assert all("550" in r for r in out.failed.values())
    assert_kept(cfg, {"gone@bureau.example", "nobody@bureau.example"})
    assert [e.rcpt_tos for e in smtp_plain.handler.envelopes] == [["leader@bureau.example"]]
    # the next run retries only the failed addresses
    again = run_nightly(cfg, date=DATE, send=True)
    assert again.already_sent == ["leader@bureau.example"] and set(again.failed) == set(out.failed)
    assert len(smtp_plain.handler.envelopes) == 1


def test_message_too_large(tmp_path, smtp_small):
    cfg = make_config(tmp_path, smtp_small, recipients={"值班员": ("duty@bureau.example",)}, backoff_s=1.0)
    sleeps: list[float] = []
    out = run_nightly(cfg, date=DATE, send=True, sleep=sleeps.append)
    assert out.exit_code == 3
    assert out.failed["duty@bureau.example"].startswith("message too large (552")
    assert sleeps == []
    assert_kept(cfg, {"duty@bureau.example"})


def _cli_config(tmp_path: Path, server: Server, *, extra: str = "") -> Path:
    p = tmp_path / "report.toml"
    p.write_text(
        f"""
[report]
out_dir = "out"
time_check = false

[smtp]
host = "{server.host}"
port = {server.port}
security = "{server.security}"
user = "report@bureau.example"
sender = "report@bureau.example"
max_attempts = 2
backoff_s = 0
{"ca_file = '" + server.ca_file + "'" if server.ca_file else ""}
{extra}

[recipients]
"领导" = ["leader@bureau.example"]
"值班员" = ["duty1@bureau.example", "duty2@bureau.example"]
""",
        encoding="utf-8",
    )
    return p


def test_cli_exit_codes_and_no_secret_in_output(tmp_path, smtp_auth, monkeypatch, capsys):
    cfg_file = _cli_config(tmp_path, smtp_auth)
    monkeypatch.setenv("LOGISTICS_SMTP_PASSWORD", "not-the-password")
    rc = main(["report", "nightly", "--config", str(cfg_file), "--date", "2026-11-23", "--send"])
    cap = capsys.readouterr()
    assert rc == 3
    assert "authentication rejected (535" in cap.err and "报告保留在" in cap.err
    assert "not-the-password" not in cap.out + cap.err
    log = (tmp_path / "out" / "nightly.log").read_text(encoding="utf-8")
    assert "not-the-password" not in log
    monkeypatch.setenv("LOGISTICS_SMTP_PASSWORD", PASSWORD)
    rc = main(["report", "nightly", "--config", str(cfg_file), "--date", "2026-11-23", "--send"])
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    assert "已发送" in cap.out and len(smtp_auth.handler.envelopes) == 2
    rc = main(["report", "nightly", "--config", str(cfg_file), "--date", "2026-11-23", "--send"])
    cap = capsys.readouterr()
    assert rc == 0 and "此前已发送" in cap.out and len(smtp_auth.handler.envelopes) == 2
    rc = main(["report", "nightly", "--config", str(cfg_file), "--date", "2026-11-23", "--resend",
               "--to", "other@bureau.example"])  # fmt: skip
    assert rc == 0 and smtp_auth.handler.envelopes[-1].rcpt_tos == ["other@bureau.example"]
    log = (tmp_path / "out" / "nightly.log").read_text(encoding="utf-8")
    assert_no_secret(log + capsys.readouterr().out)


@pytest.mark.parametrize(
    ("env", "extra", "message"),
    [
        ({"LOGISTICS_SMTP_SECURITY": "tls13"}, "", "LOGISTICS_SMTP_SECURITY"),
        ({"LOGISTICS_SMTP_PORT": "smtp"}, "", "LOGISTICS_SMTP_PORT"),
        ({}, 'password = "hunter2"', "do not put the password in the file"),
        ({}, 'password_file = "missing.txt"', "cannot read the password file"),
        ({}, "colour = 1", "unknown key in [smtp]"),
    ],
)
def test_cli_bad_configuration_exit_2(tmp_path, smtp_plain, monkeypatch, capsys, env, extra, message):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    cfg_file = _cli_config(tmp_path, smtp_plain, extra=extra)
    rc = main(
        ["--lang", "en", "report", "nightly", "--config", str(cfg_file), "--date", "2026-11-23", "--send"]
    )
    err = capsys.readouterr().err
    assert rc == 2 and message in err
    assert "hunter2" not in err
    assert not (tmp_path / "out").exists()  # nothing done


def test_send_without_server_or_recipients_is_a_config_error(tmp_path):
    with pytest.raises(ReportConfigError, match="no SMTP server configured"):
        run_nightly(make_config(tmp_path, None), date=DATE, send=True)
    rc = main(
        ["report", "nightly", "--out", str(tmp_path / "o"), "--date", "2026-11-23", "--no-time", "--send"]
    )
    assert rc == 2


def test_lock_refuses_a_concurrent_run(tmp_path):
    cfg = make_config(tmp_path, None)
    with run_lock(cfg.lock):
        with pytest.raises(ReportLockedError, match="holds the lock"):
            run_nightly(cfg, date=DATE)
        # another process gets exit code 4 and a clear message
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.run(
            [sys.executable, "-m", "logistics", "report", "nightly", "--out", str(cfg.out_dir), "--no-time",
             "--date", "2026-11-23"],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 4, proc.stderr
        assert "已有另一个日报任务在运行" in proc.stderr and f"pid {os.getpid()}" in proc.stderr
    assert not (cfg.out_dir / DATE.isoformat()).exists()
    # released: the next run works
    assert run_nightly(cfg, date=DATE).exit_code == 0
