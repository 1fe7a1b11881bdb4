"""The deploy/ files: the example config loads, the cron and systemd commands parse."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

from logistics.cli.main import build_parser
from logistics.report import load_report_config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_example_config_loads():
    cfg = load_report_config(DEPLOY / "report.example.toml", environ={"LOGISTICS_SMTP_PASSWORD": "x"})
    assert cfg.smtp.security == "ssl" and cfg.smtp.port == 465 and cfg.smtp.password == "x"
    assert set(cfg.recipients) == {"领导", "值班员"}
    assert str(cfg.history) == "/var/lib/logistics/history.sqlite"


def _command_args(command: str) -> list[str]:
    argv = shlex.split(command)
    assert argv[0].endswith("/logistics")
    return argv[1:]


def test_cron_line_is_valid():
    lines = [ln for ln in (DEPLOY / "logistics-nightly.cron").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#") and "=" not in ln.split()[0]]  # fmt: skip
    (line,) = lines
    fields = line.split(None, 6)
    minute, hour = int(fields[0]), int(fields[1])
    assert 0 <= minute < 60 and 0 <= hour < 24 and fields[2:5] == ["*", "*", "*"]
    args = build_parser().parse_args(_command_args(fields[6]))
    assert args.send and args.quiet and args.config == "/etc/logistics/report.toml"


def test_systemd_units():
    svc = configparser.ConfigParser(interpolation=None, strict=False)
    svc.read(DEPLOY / "logistics-nightly.service", encoding="utf-8")
    assert svc["Service"]["Type"] == "oneshot"
    args = build_parser().parse_args(_command_args(svc["Service"]["ExecStart"]))
    assert args.send and args.func.__name__ == "run_nightly_command"
    timer = configparser.ConfigParser(interpolation=None)
    timer.read(DEPLOY / "logistics-nightly.timer", encoding="utf-8")
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["Unit"] == "logistics-nightly.service"
    assert re.fullmatch(r"\*-\*-\* \d\d:\d\d:\d\d( \S+)?", timer["Timer"]["OnCalendar"])
