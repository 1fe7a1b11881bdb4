"""Send a message over SMTP (plain, STARTTLS or implicit TLS) with retries on temporary errors."""

from __future__ import annotations

import base64
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import smtplib
    import ssl
    from collections.abc import Callable, Iterable
    from email.message import EmailMessage

__all__ = ["SECURITY_MODES", "DeliveryResult", "SmtpParams", "redact", "send_message"]

logger = logging.getLogger(__name__)

#: Connection security: ``none`` (plain), ``starttls`` (upgrade on port 587/25), ``ssl`` (port 465).
SECURITY_MODES: tuple[str, ...] = ("none", "starttls", "ssl")

_DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


@dataclass(frozen=True)
class SmtpParams:
    """How to reach the mail server.

    The password is never shown by ``repr`` and never logged.

    Parameters
    ----------
    host
        Server name or address.
    port
        Port; 0 picks the usual one for ``security`` (25, 587, 465).
    security
        ``none``, ``starttls`` or ``ssl`` (implicit TLS).
    user
        Login for AUTH; empty for no authentication.
    password
        Password for AUTH.
    sender
        ``From`` address (envelope and header); defaults to ``user``.
    timeout_s
        Socket timeout per operation, in seconds.
    ca_file
        PEM file of certificate authorities to trust instead of the system's (e.g. a bureau's
        internal CA, or a test server's self-signed certificate).
    verify
        Verify the server certificate and host name (turn off only for tests).
    max_attempts
        Connection attempts for temporary failures (connection refused, time-outs, 4xx).
    backoff_s
        Wait before the second attempt, in seconds; doubles after each further failure.
    """

    host: str
    port: int = 0
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    timeout_s: float = 30.0
    ca_file: str | None = None
    verify: bool = True
    max_attempts: int = 4
    backoff_s: float = 30.0

    def __post_init__(self) -> None:
        if not self.host:
            raise ValueError("Expected a non-empty SMTP host.")
        if self.security not in SECURITY_MODES:
            raise ValueError(f"Expected security in {SECURITY_MODES}, got {self.security!r}.")
        if not (0 <= self.port <= 65535):
            raise ValueError(f"Expected port in [0, 65535], got {self.port!r}.")
        if self.port == 0:
            object.__setattr__(self, "port", _DEFAULT_PORTS[self.security])
        if not (self.timeout_s > 0):
            raise ValueError(f"Expected timeout_s > 0, got {self.timeout_s!r}.")
        if not (1 <= self.max_attempts <= 20):
            raise ValueError(f"Expected max_attempts in [1, 20], got {self.max_attempts!r}.")
        if not (0 <= self.backoff_s <= 3600):
            raise ValueError(f"Expected backoff_s in [0, 3600], got {self.backoff_s!r}.")
        if not self.sender and not self.user:
            raise ValueError("Expected a sender address (or a user name to use as sender).")
        if self.password and not self.user:
            raise ValueError("Expected a user name with the password.")

    @property
    def from_address(self) -> str:
        """The envelope sender."""
        return self.sender or self.user

    def secrets(self) -> list[str]:
        """Return the strings that must never appear in logs (password and its AUTH encodings)."""
        if not self.password:
            return []
        pw = self.password
        plain = f"\0{self.user}\0{pw}".encode()
        return [
            pw,
            base64.b64encode(pw.encode()).decode(),
            base64.b64encode(plain).decode(),
        ]


@dataclass
class DeliveryResult:
    """Outcome of one message: who got it, who did not and why.

    Parameters
    ----------
    accepted
        Addresses the server accepted.
    refused
        Address → reason for addresses not delivered (already redacted).
    attempts
        Connection attempts made.
    error
        Reason of the last failure, if the message was not accepted for everyone.
    permanent
        Whether that failure is permanent (5xx, authentication, TLS): retrying will not help.
    """

    accepted: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    attempts: int = 0
    error: str | None = None
    permanent: bool = False

    def ok(self) -> bool:
        """Whether every recipient accepted the message."""
        return not self.refused and self.error is None


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret in ``text`` by ``***``.

    Parameters
    ----------
    text
        Any message.
    secrets
        Strings to hide (empty ones are ignored).

    Examples
    --------
    >>> redact("login hunter2 failed", ["hunter2"])
    'login *** failed'
    """
    for s in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(s, "***")
    return text


def _tls_context(params: SmtpParams) -> ssl.SSLContext:
    import ssl  # heavy: OpenSSL, loaded only when mail is sent

    ctx = ssl.create_default_context(cafile=params.ca_file)
    if not params.verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _describe(exc: BaseException) -> tuple[str, bool]:
    import smtplib  # heavy: smtplib and OpenSSL, loaded only when mail is sent
    import ssl  # heavy: see above

    """Return (reason, permanent) for an exception raised while sending."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        code = exc.smtp_code
        return f"authentication rejected ({code} {_text(exc.smtp_error)})", not (400 <= code < 500)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        code = exc.smtp_code
        what = "message too large" if code == 552 else "sender refused"
        return f"{what} ({code} {_text(exc.smtp_error)})", not (400 <= code < 500)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"server does not support a required extension: {exc}", True
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        what = "message too large" if code == 552 else "server error"
        return f"{what} ({code} {_text(exc.smtp_error)})", not (400 <= code < 500)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted: {exc.verify_message or exc}", True
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc}", True
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (server down?)", False
    if isinstance(exc, TimeoutError | socket.timeout):
        return "connection timed out", False
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve host: {exc}", False
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"server disconnected: {exc}", False
    if isinstance(exc, OSError):
        return f"network error: {exc}", False
    return f"{type(exc).__name__}: {exc}", True


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _connect(params: SmtpParams) -> smtplib.SMTP:
    import smtplib  # heavy: smtplib and OpenSSL, loaded only when mail is sent

    if params.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            params.host, params.port, timeout=params.timeout_s, context=_tls_context(params)
        )
    else:
        smtp = smtplib.SMTP(params.host, params.port, timeout=params.timeout_s)
    try:
        smtp.ehlo()
        if params.security == "starttls":
            smtp.starttls(context=_tls_context(params))
            smtp.ehlo()
        if params.user:
            _login(smtp, params.user, params.password)
    except BaseException:
        _close(smtp)
        raise
    return smtp


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """AUTH; smtplib only encodes ASCII credentials, so UTF-8 ones go as AUTH PLAIN (RFC 4616)."""
    import smtplib  # heavy: smtplib and OpenSSL, loaded only when mail is sent

    if (user + password).isascii():
        smtp.login(user, password)
        return
    if not smtp.has_extn("auth") or "PLAIN" not in smtp.esmtp_features["auth"].upper().split():
        raise smtplib.SMTPNotSupportedError(
            "non-ASCII credentials need AUTH PLAIN, which the server does not offer"
        )
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, resp = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, resp)


def _close(smtp: smtplib.SMTP) -> None:
    import smtplib  # heavy: smtplib and OpenSSL, loaded only when mail is sent

    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def send_message(
    msg: EmailMessage,
    recipients: Iterable[str],
    params: SmtpParams,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryResult:
    """Send ``msg`` to ``recipients``, retrying temporary failures with exponential backoff.

    Temporary failures (connection refused, time-outs, disconnects, 4xx replies) are retried
    up to ``params.max_attempts`` times, waiting ``backoff_s``, ``2 × backoff_s``, … between
    attempts; recipients refused with a 4xx reply are retried alone. Permanent failures
    (5xx replies such as 535 authentication rejected, 550 recipient rejected, 552 message too
    large; TLS errors) stop at once. Nothing raises: the result says what happened. Reasons
    and log lines never contain the password.

    Parameters
    ----------
    msg
        The message (its ``To`` header is not used for the envelope).
    recipients
        Envelope recipients.
    params
        Server, security and credentials.
    sleep
        Function used to wait between attempts (``time.sleep``; tests may pass a no-op).

    Returns
    -------
    DeliveryResult
        Accepted and refused addresses, attempts, last error and whether it is permanent.
    """
    import smtplib  # heavy: smtplib and OpenSSL, loaded only when mail is sent

    secrets = params.secrets()
    pending = list(dict.fromkeys(recipients))
    result = DeliveryResult()
    if not pending:
        result.error = "no recipients"
        result.permanent = True
        return result
    data = msg.as_bytes()
    where = f"{params.host}:{params.port} ({params.security})"
    delay = params.backoff_s
    while pending:
        result.attempts += 1
        logger.info(
            "SMTP attempt %d/%d to %s as %s: %d recipient(s), %d bytes",
            result.attempts, params.max_attempts, where, params.user or "(no auth)", len(pending), len(data),
        )  # fmt: skip
        retry: list[str] = []
        try:
            smtp = _connect(params)
            try:
                refused = smtp.sendmail(params.from_address, pending, data)
            finally:
                _close(smtp)
        except smtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients
            result.error = None
        except Exception as exc:
            reason, permanent = _describe(exc)
            reason = redact(reason, secrets)
            result.error, result.permanent = reason, permanent
            logger.warning("SMTP attempt %d to %s failed: %s", result.attempts, where, reason)
            if permanent or result.attempts >= params.max_attempts:
                for a in pending:
                    result.refused[a] = reason
                return result
            logger.info("retrying in %.0f s", delay)
            sleep(delay)
            delay *= 2
            continue
        for a in pending:
            if a not in refused:
                result.accepted.append(a)
        for a, (code, text) in refused.items():
            reason = redact(f"recipient rejected ({code} {_text(text)})", secrets)
            logger.warning("SMTP %s refused %s: %s", where, a, reason)
            if 400 <= code < 500 and result.attempts < params.max_attempts:
                retry.append(a)
            else:
                result.refused[a] = reason
                result.error, result.permanent = reason, not (400 <= code < 500)
        if result.accepted:
            logger.info("SMTP %s accepted %d recipient(s)", where, len(result.accepted))
        pending = retry
        if pending:
            logger.info("retrying %d refused recipient(s) in %.0f s", len(pending), delay)
            sleep(delay)
            delay *= 2
    if not result.refused:
        result.error = None
    return result
