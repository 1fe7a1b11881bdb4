"""Real SMTP servers (aiosmtpd) on 127.0.0.1 for the nightly-report tests, and shared helpers."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import EmailMessage
    from pathlib import Path

USER = "report@bureau.example"
PASSWORD = "s3cret-Pa55-报告"  # non-ASCII on purpose (UTF-8 AUTH PLAIN); must never reach a log
ASCII_PASSWORD = "plain-ascii-S3cret"
#: Filter for aiosmtpd's warning on the implicit-TLS server (the session is TLS from the start).
SSL_AUTH_WARNING = "ignore:Requiring AUTH while not requiring TLS:UserWarning"
SENDER = "应急物资储备日报 <report@bureau.example>"
DATE = dt.date(2026, 11, 23)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Collector:
    """aiosmtpd handler that keeps every message; rejects some recipients and some DATA commands."""

    reject: set[str] = field(default_factory=set)
    tempfail_data: int = 0  # answer 451 to this many DATA commands first
    envelopes: list[Any] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.tempfail_data > 0:
            self.tempfail_data -= 1
            return "451 4.3.0 try again later"
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(e.original_content or e.content, policy=policy.default) for e in self.envelopes
        ]  # type: ignore[misc]


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USER
        and auth_data.password.decode() in (PASSWORD, ASCII_PASSWORD)
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / localhost (generated with cryptography)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    d = tmp_path_factory.mktemp("tls")
    cert_path, key_path = d / "cert.pem", d / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def _server_context(tls_files: tuple[Path, Path]) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(*tls_files)
    return ctx


@dataclass
class Server:
    host: str
    port: int
    handler: Collector
    security: str
    ca_file: str | None = None


def _start(handler: Collector, **kwargs: Any) -> tuple[Any, int]:
    from aiosmtpd.controller import Controller

    port = free_port()
    c = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    c.start()
    return c, port


@pytest.fixture
def smtp_plain() -> Iterator[Server]:
    """Plain SMTP, no TLS, no AUTH."""
    h = Collector()
    c, port = _start(h)
    yield Server("127.0.0.1", port, h, "none")
    c.stop()


@pytest.fixture
def smtp_starttls(tls_files: tuple[Path, Path]) -> Iterator[Server]:
    """SMTP that requires STARTTLS with the self-signed certificate."""
    h = Collector()
    c, port = _start(h, tls_context=_server_context(tls_files), require_starttls=True)
    yield Server("127.0.0.1", port, h, "starttls", str(tls_files[0]))
    c.stop()


@pytest.fixture
def smtp_auth(tls_files: tuple[Path, Path]) -> Iterator[Server]:
    """STARTTLS + AUTH required (LOGIN/PLAIN, checked against USER/PASSWORD)."""
    h = Collector()
    c, port = _start(
        h,
        tls_context=_server_context(tls_files),
        require_starttls=True,
        auth_required=True,
        authenticator=_authenticator,
    )
    yield Server("127.0.0.1", port, h, "starttls", str(tls_files[0]))
    c.stop()


@pytest.fixture
def smtp_ssl(tls_files: tuple[Path, Path]) -> Iterator[Server]:
    """Implicit TLS (port-465 style) + AUTH required."""
    h = Collector()
    # aiosmtpd only counts STARTTLS as TLS for auth_require_tls, and warns (in its server thread,
    # for every connection) when it is off: tests using this fixture carry SSL_AUTH_WARNING.
    c, port = _start(
        h,
        ssl_context=_server_context(tls_files),
        auth_required=True,
        auth_require_tls=False,
        authenticator=_authenticator,
    )
    yield Server("127.0.0.1", port, h, "ssl", str(tls_files[0]))
    c.stop()


@pytest.fixture
def smtp_small() -> Iterator[Server]:
    """Plain SMTP that accepts at most 20 kB (SIZE extension): the report is too large."""
    h = Collector()
    c, port = _start(h, data_size_limit=20_000)
    yield Server("127.0.0.1", port, h, "none")
    c.stop()


def smtp_params(server: Server, *, auth: bool = False, password: str = PASSWORD, **kw: Any) -> Any:
    from logistics.report import SmtpParams

    return SmtpParams(
        host=server.host,
        port=server.port,
        security=server.security,
        user=USER if auth else "",
        password=password if auth else "",
        sender=SENDER,
        ca_file=kw.pop("ca_file", server.ca_file),
        timeout_s=10,
        max_attempts=kw.pop("max_attempts", 3),
        backoff_s=kw.pop("backoff_s", 0.0),
        **kw,
    )


def make_config(tmp_path: Path, server: Server | None = None, *, recipients: dict[str, tuple[str, ...]] | None = None,
                auth: bool = False, **kw: Any) -> Any:  # fmt: skip
    from logistics.report import ReportConfig

    return ReportConfig(
        out_dir=tmp_path / "out",
        time_check=False,
        smtp=smtp_params(server, auth=auth, **kw) if server else None,
        recipients=recipients
        if recipients is not None
        else {"领导": ("leader@bureau.example",), "值班员": ("duty1@bureau.example", "duty2@bureau.example")},
    )


@pytest.fixture(scope="session")
def demo_check() -> dict[str, Any]:
    """The demo region's check report for DATE (quantity only), computed once."""
    from logistics.region import demo_region
    from logistics.sufficiency import CheckParams, run_check

    return run_check(demo_region(), CheckParams(date=DATE, time_check=False))
