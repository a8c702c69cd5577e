"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd, in a thread of the test
process): it records every message it accepts, exactly as received, and can be told to
refuse an address, refuse a message, hold its answer, require STARTTLS and a login, or speak
TLS from the start with a certificate made for the test."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.serving import free_port

USER, PASSWORD = "tthc", "mat-khau-thu-rat-dai"


@dataclass(frozen=True)
class Received:
    """One accepted message: the envelope and the bytes as they arrived."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes


@dataclass
class Recorder:
    """The handler: keeps what arrives; `refuse` maps an address to the RCPT answer given;
    `data_answer` replaces the 250 after DATA; `hold` keeps the answer to DATA back until it
    is set (a server that takes the message and goes quiet)."""

    received: list[Received] = field(default_factory=list)
    handed: list[bytes] = field(default_factory=list)  # every message's bytes, answered or not
    refuse: dict[str, str] = field(default_factory=dict)
    data_answer: str | None = None
    hold: threading.Event | None = None
    logins: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.handed.append(envelope.original_content)
        if self.hold is not None:  # wait for the test's word, off the event loop
            await asyncio.get_running_loop().run_in_executor(None, self.hold.wait, 60)
        if self.data_answer:
            return self.data_answer
        with self._lock:
            self.received.append(
                Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content)
            )
        return "250 OK"

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)


class SmtpServer:
    """`start()` / `stop()`; `port`; `recorder` holds what arrived. `tls`: "starttls" (with a
    required login) or "ssl" (TLS from the start), with `certificate` (a `Certificate`)."""

    def __init__(
        self, port: int | None = None, tls: str = "", certificate: Certificate | None = None
    ) -> None:
        self.port = port or free_port()
        self.recorder = Recorder()
        self.tls = tls
        self.certificate = certificate
        self.controller: Controller | None = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == USER
            and auth_data.password.decode() == PASSWORD
        )
        if ok:
            self.recorder.logins.append(USER)
        return AuthResult(success=ok, handled=False)

    def start(self) -> SmtpServer:
        kwargs: dict = {}
        if self.tls:
            assert self.certificate is not None
            context = self.certificate.server_context()
            if self.tls == "ssl":
                kwargs["ssl_context"] = context
            else:
                kwargs.update(
                    tls_context=context,
                    require_starttls=True,
                    authenticator=self._authenticate,
                    auth_required=True,
                    auth_require_tls=True,
                )
        # start() returns once the server answers on its port.
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for localhost and 127.0.0.1, and the files it is kept in."""

    cert: Path
    key: Path

    @classmethod
    def make(cls, folder: Path) -> Certificate:
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
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        paths = cls(folder / "smtp-cert.pem", folder / "smtp-key.pem")
        paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        paths.key.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return paths

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """What a client that trusts this certificate (and verifies it) uses."""
        return ssl.create_default_context(cafile=str(self.cert))
