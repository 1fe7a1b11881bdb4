"""Settings of the nightly report: a TOML file, overridden by LOGISTICS_* environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logistics.exceptions import Problem, ReportConfigError, Text, say, tr
from logistics.region import RESPONSE_LEVELS, parse_level
from logistics.report.mailer import SECURITY_MODES, SmtpParams

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["ENV_VARS", "ReportConfig", "load_report_config"]

#: Environment variables read (they override the file).
ENV_VARS: tuple[str, ...] = (
    "LOGISTICS_SMTP_HOST",
    "LOGISTICS_SMTP_PORT",
    "LOGISTICS_SMTP_USER",
    "LOGISTICS_SMTP_PASSWORD",
    "LOGISTICS_SMTP_SECURITY",
    "LOGISTICS_SMTP_FROM",
    "LOGISTICS_SMTP_CA_FILE",
    "LOGISTICS_SMTP_VERIFY",
    "LOGISTICS_REPORT_TO",
)

_REPORT_KEYS = {"region", "rules", "target_level", "out_dir", "history", "lock", "log", "time_check", "lang",
                "admin"}  # fmt: skip
_SMTP_KEYS = {
    "host", "port", "security", "user", "password_file", "password_env", "sender", "timeout_s",
    "ca_file", "verify", "max_attempts", "backoff_s",
}  # fmt: skip


@dataclass(frozen=True)
class ReportConfig:
    """Everything the nightly report needs.

    Parameters
    ----------
    region
        ``region.toml`` (or its folder); ``None`` for the embedded demo region.
    rules
        Rules file or shipped name; ``None`` for the region's.
    target_level
        Target response level; ``None`` for the rules' target.
    out_dir
        Folder for the report files (one sub-folder per date).
    history_path
        SQLite history; ``None`` for ``<out_dir>/history.sqlite``.
    lock_path
        Lock file; ``None`` for ``<out_dir>/.nightly.lock``.
    log_path
        Log file; ``None`` for ``<out_dir>/nightly.log``.
    time_check
        Run the time check (slower).
    admin
        County boundaries for the report's map (GeoJSON/GeoPackage/shapefile); ``None``: each
        county drawn as a circle at its seat.
    lang
        ``zh`` (default) or ``en``.
    smtp
        Mail server settings; ``None`` when not configured (sending then fails with exit 2).
    recipients
        Role (e.g. 领导, 值班员) → addresses.
    source
        The configuration file, for messages.
    """

    region: str | None = None
    rules: str | None = None
    target_level: str | None = None
    out_dir: Path = Path("report")
    history_path: Path | None = None
    lock_path: Path | None = None
    log_path: Path | None = None
    time_check: bool = True
    admin: str | None = None
    lang: str = "zh"
    smtp: SmtpParams | None = None
    recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str | None = None

    def __post_init__(self) -> None:
        if self.target_level is not None and self.target_level not in RESPONSE_LEVELS:
            raise ValueError(f"Expected target_level in {RESPONSE_LEVELS}, got {self.target_level!r}.")
        if self.lang not in ("zh", "en"):
            raise ValueError(f"Expected lang 'zh' or 'en', got {self.lang!r}.")

    @property
    def history(self) -> Path:
        """The history database in use."""
        return self.history_path or self.out_dir / "history.sqlite"

    @property
    def lock(self) -> Path:
        """The lock file in use."""
        return self.lock_path or self.out_dir / ".nightly.lock"

    @property
    def log(self) -> Path:
        """The log file in use."""
        return self.log_path or self.out_dir / "nightly.log"

    def with_recipients(self, addresses: list[str], *, role: str = "to") -> ReportConfig:
        """Return a copy that sends to ``addresses`` only (the ``--to`` option)."""
        return replace(self, recipients={role: tuple(addresses)})


def _path(value: Any, base: Path | None) -> Path:
    p = Path(os.path.expanduser(str(value)))
    return p if p.is_absolute() or base is None else base / p


def _addresses(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(a, str) and "@" in a for a in value):
        return None
    return tuple(a.strip() for a in value)


def load_report_config(
    path: str | Path | None = None, *, environ: Mapping[str, str] | None = None
) -> ReportConfig:
    """Read the configuration file (if any) and apply the environment on top.

    Relative paths in the file are resolved against the file's folder. The SMTP password
    comes from ``LOGISTICS_SMTP_PASSWORD`` (or the variable named by ``password_env``) or
    from ``password_file``; a ``password`` key in the file is refused so that the secret
    does not sit in a file that is often copied around.

    Parameters
    ----------
    path
        TOML file; ``None`` for environment only.
    environ
        Environment (default ``os.environ``).

    Returns
    -------
    ReportConfig
        The settings (``smtp`` is ``None`` when no host is configured).

    Raises
    ------
    ReportConfigError
        Every problem in the file and the environment, each naming the key and value.
    """
    env = os.environ if environ is None else environ
    src = str(path) if path is not None else None
    data, base = _read_config_file(path, src)
    problems = _Problems(src)
    rep = data.get("report", {})
    smtp = dict(data.get("smtp", {}))
    _check_keys(data, rep, smtp, problems)
    kwargs: dict[str, Any] = {"source": src}
    kwargs.update(_report_settings(rep, base, problems))
    kwargs["recipients"] = _recipients(data, env, problems)
    kwargs["smtp"] = _smtp(smtp, env, base, problems)
    if problems.items:
        raise ReportConfigError(problems.items)
    return ReportConfig(**kwargs)


@dataclass
class _Problems:
    """Problems found so far, all naming the configuration file."""

    src: str | None
    items: list[Problem] = field(default_factory=list)

    def bad(self, msg: Text, key: str, value: Any = None) -> None:
        """Record a problem with ``key`` (and its value, if given)."""
        self.items.append(
            Problem(msg, file=self.src, column=key, value=None if value is None else str(value))
        )


def _read_config_file(path: str | Path | None, src: str | None) -> tuple[dict[str, Any], Path | None]:
    """Parse the TOML file; return its contents and the folder relative paths start from."""
    if path is None:
        return {}, None
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportConfigError(
            [Problem(tr("configuration file not found", "未找到配置文件"), file=src)]
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReportConfigError(
            [Problem(tr(f"not valid TOML: {exc}", f"不是有效的 TOML 文件：{exc}"), file=src)]
        ) from None
    return data, p.resolve().parent


def _check_keys(data: dict[str, Any], rep: dict[str, Any], smtp: dict[str, Any], problems: _Problems) -> None:
    """Flag unknown sections and keys; refuse (and drop) a password written in the file."""
    bad = problems.bad
    for section in set(data) - {"report", "smtp", "recipients"}:
        bad(
            tr(
                "unknown section (expected report, smtp, recipients)",
                "未知的配置节（应为 report、smtp、recipients）",
            ),
            section,
        )
    for key in set(rep) - _REPORT_KEYS:
        bad(tr("unknown key in [report]", "[report] 中有未知的键"), f"report.{key}")
    if "password" in smtp:
        bad(tr("do not put the password in the file: use LOGISTICS_SMTP_PASSWORD or password_file",
               "请勿在配置文件中写入密码：请使用 LOGISTICS_SMTP_PASSWORD 或 password_file"),
            "smtp.password", "***")  # fmt: skip
        smtp.pop("password")
    for key in set(smtp) - _SMTP_KEYS:
        bad(tr("unknown key in [smtp]", "[smtp] 中有未知的键"), f"smtp.{key}")


def _report_settings(rep: dict[str, Any], base: Path | None, problems: _Problems) -> dict[str, Any]:
    """Read the ``[report]`` table into :class:`ReportConfig` arguments."""
    bad = problems.bad
    kwargs: dict[str, Any] = {}
    for key in ("region", "rules", "admin"):
        if rep.get(key):
            kwargs[key] = str(_path(rep[key], base)) if key in ("region", "admin") else str(rep[key])
    if "target_level" in rep:
        if parse_level(rep["target_level"]) is not None:
            kwargs["target_level"] = parse_level(rep["target_level"])
        else:
            bad(
                tr(
                    f"expected one of {', '.join(RESPONSE_LEVELS)}", f"应为 {'、'.join(RESPONSE_LEVELS)} 之一"
                ),
                "report.target_level",
                rep["target_level"],
            )
    for key, attr in (("out_dir", "out_dir"), ("history", "history_path"), ("lock", "lock_path"),
                      ("log", "log_path")):  # fmt: skip
        if rep.get(key):
            kwargs[attr] = _path(rep[key], base)
    if "time_check" in rep:
        if isinstance(rep["time_check"], bool):
            kwargs["time_check"] = rep["time_check"]
        else:
            bad(tr("expected true or false", "应为 true 或 false"), "report.time_check", rep["time_check"])
    if "lang" in rep:
        if rep["lang"] in ("zh", "en"):
            kwargs["lang"] = rep["lang"]
        else:
            bad(tr("expected zh or en", "应为 zh 或 en"), "report.lang", rep["lang"])
    return kwargs


def _recipients(
    data: dict[str, Any], env: Mapping[str, str], problems: _Problems
) -> dict[str, tuple[str, ...]]:
    """Read ``[recipients]``; ``LOGISTICS_REPORT_TO`` replaces them all."""
    recipients: dict[str, tuple[str, ...]] = {}
    for role, value in data.get("recipients", {}).items():
        addrs = _addresses(value)
        if addrs is None:
            problems.bad(
                tr("expected a list of e-mail addresses", "应为邮件地址列表"), f"recipients.{role}", value
            )
        elif addrs:
            recipients[role] = addrs
    if env.get("LOGISTICS_REPORT_TO"):
        to = [a.strip() for a in env["LOGISTICS_REPORT_TO"].split(",") if a.strip()]
        addrs = _addresses(to)
        if addrs is None:
            problems.bad(
                tr("expected comma-separated e-mail addresses", "应为以逗号分隔的邮件地址"),
                "LOGISTICS_REPORT_TO",
                env["LOGISTICS_REPORT_TO"],
            )
        else:
            recipients = {"LOGISTICS_REPORT_TO": addrs}
    return recipients


def _smtp(
    smtp: dict[str, Any], env: Mapping[str, str], base: Path | None, problems: _Problems
) -> SmtpParams | None:
    """Apply the environment over ``[smtp]``, check it and build the mail settings (``None`` if no host)."""
    for var, key in (("LOGISTICS_SMTP_HOST", "host"), ("LOGISTICS_SMTP_PORT", "port"),
                     ("LOGISTICS_SMTP_USER", "user"), ("LOGISTICS_SMTP_SECURITY", "security"),
                     ("LOGISTICS_SMTP_FROM", "sender"), ("LOGISTICS_SMTP_CA_FILE", "ca_file"),
                     ("LOGISTICS_SMTP_VERIFY", "verify")):  # fmt: skip
        if env.get(var):
            smtp[key] = env[var]
    password = _smtp_password(smtp, env, base, problems)
    _normalise_smtp(smtp, base, problems)
    if smtp.get("host"):
        try:
            return SmtpParams(**smtp, password=password)
        except (TypeError, ValueError) as exc:
            problems.bad(tr(f"invalid SMTP settings: {exc}", f"SMTP 服务器设置无效：{say(exc)}"), "smtp")
    elif len(smtp) > 0 and any(k != "security" for k in smtp):
        problems.bad(
            tr(
                "SMTP settings without a host (set smtp.host or LOGISTICS_SMTP_HOST)",
                "SMTP 设置缺少服务器地址（请设置 smtp.host 或 LOGISTICS_SMTP_HOST）",
            ),
            "smtp.host",
        )
    return None


def _smtp_password(
    smtp: dict[str, Any], env: Mapping[str, str], base: Path | None, problems: _Problems
) -> str:
    """Take the password from the environment or the password file (removing both keys from ``smtp``)."""
    password = ""
    pw_env = str(smtp.pop("password_env", "LOGISTICS_SMTP_PASSWORD"))
    pw_file = smtp.pop("password_file", None)
    if env.get(pw_env):
        password = env[pw_env]
    elif pw_file:
        try:
            password = _path(pw_file, base).read_text(encoding="utf-8").strip()
        except OSError as exc:
            problems.bad(
                tr(f"cannot read the password file: {exc.strerror}", f"无法读取密码文件：{exc.strerror}"),
                "smtp.password_file",
                pw_file,
            )
    return password


def _normalise_smtp(smtp: dict[str, Any], base: Path | None, problems: _Problems) -> None:
    """Convert port, security, verify and ca_file in place; drop the values that are invalid."""
    bad = problems.bad
    if "port" in smtp:
        try:
            smtp["port"] = int(smtp["port"])
        except (TypeError, ValueError):
            bad(tr("expected a port number", "应为端口号"), "smtp.port / LOGISTICS_SMTP_PORT", smtp["port"])
            smtp.pop("port")
    if "security" in smtp and str(smtp["security"]).lower() not in SECURITY_MODES:
        bad(tr(f"expected one of {', '.join(SECURITY_MODES)}", f"应为 {'、'.join(SECURITY_MODES)} 之一"),
            "smtp.security / LOGISTICS_SMTP_SECURITY",
            smtp["security"])  # fmt: skip
        smtp.pop("security")
    elif "security" in smtp:
        smtp["security"] = str(smtp["security"]).lower()
    if "verify" in smtp and not isinstance(smtp["verify"], bool):
        text = str(smtp["verify"]).strip().lower()
        if text in ("1", "true", "yes", "on"):
            smtp["verify"] = True
        elif text in ("0", "false", "no", "off"):
            smtp["verify"] = False
        else:
            bad(
                tr("expected true or false", "应为 true 或 false"),
                "smtp.verify / LOGISTICS_SMTP_VERIFY",
                smtp["verify"],
            )
            smtp.pop("verify")
    if smtp.get("ca_file"):
        smtp["ca_file"] = str(_path(smtp["ca_file"], base))
