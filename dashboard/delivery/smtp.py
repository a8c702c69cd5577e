"""Messages sent over SMTP (smtplib): no TLS, STARTTLS or TLS from the start, a login when a
user is set, a timeout on every step, and every failure told in one Vietnamese line.

What a failure means for the message decides what the ledger does with it:
- before the message is handed over (connect, TLS, login, sender, address) or when the server
  answers no to it: it surely was not taken; a retry may help, unless the server refused the
  address or the message for good (a 5xx answer: `permanent`);
- while it is handed over or waiting for the server's answer (a timeout, a broken connection):
  it may have been taken (`uncertain`), and is never sent again by itself.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from types import TracebackType

from dashboard.delivery.letters import envelope_sender
from dashboard.settings import Settings

TIMEOUT = 30.0  # seconds each step may take: a server that stops answering is not waited on


class SendError(Exception):
    """Why a message was not surely sent, in one Vietnamese line (str(error))."""

    def __init__(self, text: str, permanent: bool = False, uncertain: bool = False) -> None:
        super().__init__(text)
        self.permanent = permanent  # a retry cannot help: give up at once
        self.uncertain = uncertain  # it may have arrived: never send it again


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send: from the settings, or given (tests, `tthc mail test`)."""

    host: str
    port: int
    security: str = "starttls"  # none, starttls, ssl
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = "tthc@localhost"
    timeout: float = TIMEOUT
    # The certificates trusted; None: the system's (SSL_CERT_FILE adds an office's own CA).
    context: ssl.SSLContext | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings, context: ssl.SSLContext | None = None) -> SmtpConfig:
        """TTHC_SMTP_HOST, _PORT, _SECURITY, _USER, _PASSWORD and TTHC_MAIL_FROM."""
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_security,
            settings.smtp_user,
            settings.smtp_password,
            settings.mail_from,
            context=context,
        )

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


class Mailer:
    """An SMTP session reused for several messages (`with Mailer(config) as m: m.send(…)`);
    after a failure the next message opens a new one. A server that could not be reached is
    not tried again by the same Mailer: a batch of a hundred letters to a server that does not
    answer fails in one timeout, not a hundred (each is tried again later, from the ledger)."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._client: smtplib.SMTP | None = None
        self._unreachable: str | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, message: bytes, to: str) -> None:
        """Hand `message` (RFC 5322 bytes) to the server for `to`; SendError if not surely
        taken. Returns once the server said it took the message."""
        fresh = self._client is None
        client = self._connected()
        try:
            self._envelope(client, to)
        except smtplib.SMTPServerDisconnected:
            if fresh:  # a new session that drops at once: the server's doing
                self.close()
                raise SendError(f"Máy chủ thư {self.config.where} ngắt kết nối") from None
            self.close()  # an idle session the server closed meanwhile: open a new one
            client = self._connected()
            try:
                self._envelope(client, to)
            except (smtplib.SMTPException, OSError) as exc:
                raise self._refused(exc, to) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise self._refused(exc, to) from None
        reply: bytes | str
        try:
            # DATA answered with anything but 354 raises; the answer to the message itself
            # is returned, whatever it is (smtplib.sendmail checks it; so do we).
            code, reply = client.data(message)
        except smtplib.SMTPDataError as exc:  # DATA refused: nothing was handed over
            code, reply = exc.smtp_code, exc.smtp_error
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise SendError(
                f"Mất kết nối với máy chủ thư {self.config.where} khi đang gửi ({_why(exc)}): "
                "không rõ thư đã đến chưa",
                uncertain=True,
            ) from None
        if code != 250:  # the server answered no: it did not take the message
            self._reset()
            raise SendError(
                f"Máy chủ thư không nhận thư: {_answer(code, reply)}", permanent=code >= 500
            )

    def _envelope(self, client: smtplib.SMTP, to: str) -> None:
        sender = envelope_sender(self.config.sender)
        code, reply = client.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        code, reply = client.rcpt(to)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({to: (code, reply)})

    def _refused(self, exc: Exception, to: str) -> SendError:
        """Before the message was handed over: surely not taken."""
        self._reset()
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            code, reply = exc.recipients.get(to, (0, b""))
            return SendError(
                f"Máy chủ thư không nhận địa chỉ {to}: {_answer(code, reply)}",
                permanent=code >= 500,
            )
        if isinstance(exc, smtplib.SMTPSenderRefused) and exc.smtp_code == 530:
            return SendError(
                f"Máy chủ thư {self.config.where} yêu cầu đăng nhập "
                f"(TTHC_SMTP_USER, TTHC_SMTP_PASSWORD): {_answer(exc.smtp_code, exc.smtp_error)}"
            )
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return SendError(
                f"Máy chủ thư không nhận người gửi {exc.sender} (TTHC_MAIL_FROM): "
                f"{_answer(exc.smtp_code, exc.smtp_error)}"
            )
        self.close()
        return SendError(f"Lỗi với máy chủ thư {self.config.where}: {_why(exc)}")

    def _reset(self) -> None:
        """Forget a half-made envelope, so the session serves the next message; or close."""
        if self._client is None:
            return
        try:
            self._client.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def _connected(self) -> smtplib.SMTP:
        if self._client is not None:
            return self._client
        c = self.config
        if not c.host:
            raise SendError("Chưa đặt máy chủ thư (TTHC_SMTP_HOST): không gửi được thư")
        if self._unreachable is not None:
            raise SendError(self._unreachable)
        client: smtplib.SMTP | None = None
        try:
            context = c.context or ssl.create_default_context()
            if c.security == "ssl":
                client = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=context)
            else:
                client = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            client.ehlo_or_helo_if_needed()
            if c.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if c.user:
                client.login(c.user, c.password)
        except (smtplib.SMTPException, OSError) as exc:
            if client is not None:
                client.close()
            text = _connect_error(exc, c)
            if client is None:  # no connection at all (refused, unknown host, no answer)
                self._unreachable = text
            raise SendError(text) from None
        self._client = client
        return client

    def close(self) -> None:
        """End the session (QUIT, whatever it answers: every message was answered before)."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def send(config: SmtpConfig, message: bytes, to: str) -> None:
    """Send one message in a session of its own; SendError if not surely taken."""
    with Mailer(config) as mailer:
        mailer.send(message, to)


def _answer(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {' '.join(text.split())}".strip()


def _why(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "không trả lời trong thời hạn"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "máy chủ ngắt kết nối"
    if isinstance(exc, smtplib.SMTPResponseException):
        return _answer(exc.smtp_code, exc.smtp_error)
    return " ".join(str(exc).split()) or type(exc).__name__


def _connect_error(exc: BaseException, c: SmtpConfig) -> str:
    """One line saying what to check, for each way a session fails to open."""
    if isinstance(exc, ConnectionRefusedError):
        return f"Máy chủ thư {c.where} từ chối kết nối (kiểm tra TTHC_SMTP_HOST, TTHC_SMTP_PORT)"
    if isinstance(exc, socket.gaierror):
        return f"Không tìm thấy máy chủ thư {c.host} (kiểm tra TTHC_SMTP_HOST)"
    if isinstance(exc, TimeoutError):
        return f"Máy chủ thư {c.where} không trả lời sau {c.timeout:g} giây"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"Chứng chỉ TLS của máy chủ thư {c.where} không hợp lệ: "
            f"{exc.verify_message or exc.reason}"
        )
    if isinstance(exc, ssl.SSLError):
        return (
            f"Lỗi TLS với máy chủ thư {c.where}: {exc.reason or exc} "
            "(kiểm tra TTHC_SMTP_SECURITY và TTHC_SMTP_PORT)"
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return (
            f"Máy chủ thư {c.where} không hỗ trợ STARTTLS hoặc đăng nhập "
            "(kiểm tra TTHC_SMTP_SECURITY, TTHC_SMTP_USER)"
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"Máy chủ thư {c.where} không nhận tên đăng nhập hoặc mật khẩu "
            f"(TTHC_SMTP_USER, TTHC_SMTP_PASSWORD): {_answer(exc.smtp_code, exc.smtp_error)}"
        )
    return f"Không mở được phiên với máy chủ thư {c.where}: {_why(exc)}"
