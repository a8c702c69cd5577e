"""Letters sent once per (kind, day, address, unit), through the ledger
(data_access.deliveries), and the failed ones tried again when their wait is over.

Whoever writes a letter hands it here with its addresses:

    pairs = outbox.addressed(conn, letters, role="lanh_dao")  # or [(letter, address), …]
    outcome = outbox.send_letters(engine, settings, pairs)

A retry needs nothing from the writer: the ledger keeps the very bytes of each message until
it is sent, and `retry_due` sends those again (same Message-ID, same content).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from dashboard.delivery import smtp
from dashboard.delivery.letters import Letter, envelope_sender, to_bytes
from dashboard.delivery.status import status_text
from dashboard.domain import clock
from dashboard.settings import Settings
from data_access import deliveries, recipients
from data_access.deliveries import DeliveryRecord


@dataclass(frozen=True)
class Result:
    """What became of one message: sent, skipped (sent or claimed before: nothing sent
    twice), failed (tried again later, or given up), uncertain (may have arrived)."""

    address: str
    unit_code: str
    subject: str
    outcome: str  # sent, skipped, failed, uncertain
    detail: str = ""  # the error, or why it was skipped, in Vietnamese


@dataclass
class Outcome:
    """The results of one sending, in order."""

    results: list[Result] = field(default_factory=list)

    def _with(self, outcome: str) -> list[Result]:
        return [r for r in self.results if r.outcome == outcome]

    @property
    def sent(self) -> list[Result]:
        return self._with("sent")

    @property
    def skipped(self) -> list[Result]:
        return self._with("skipped")

    @property
    def failed(self) -> list[Result]:
        return self._with("failed") + self._with("uncertain")

    def lines(self) -> list[str]:
        """A summary line, then one line per message not sent now (Vietnamese)."""
        head = (
            f"Đã gửi {len(self.sent)} thư, bỏ qua {len(self.skipped)} thư đã gửi trước đó, "
            f"lỗi {len(self.failed)} thư."
        )
        rest = [
            f"{r.address}{f' ({r.unit_code})' if r.unit_code else ''}: {r.detail}"
            for r in self.results
            if r.outcome != "sent"
        ]
        return [head, *rest]


def addressed(
    conn: Connection, letters: Iterable[Letter], role: str = ""
) -> list[tuple[Letter, str]]:
    """Each letter with the addresses listed for it: a unit's letter (`unit_code`) with its
    unit's addresses only, a letter of no unit with the addresses of `role` (lanh_dao,
    van_phong). A letter nobody is listed for is left out."""
    pairs = []
    for letter in letters:
        if letter.unit_code:
            found = recipients.for_unit(conn, letter.unit_code)
        elif role:
            found = recipients.for_role(conn, role)
        else:
            raise ValueError("a letter of no unit needs the role that receives it")
        pairs += [(letter, address) for address in found]
    return pairs


def _config(settings: Settings, config: smtp.SmtpConfig | None) -> smtp.SmtpConfig:
    config = config or smtp.SmtpConfig.from_settings(settings)
    if not config.host:
        raise ValueError("Chưa đặt máy chủ thư (TTHC_SMTP_HOST): không gửi được thư")
    check_sender(config.sender)
    return config


def check_sender(sender: str) -> None:
    """ValueError (Vietnamese) unless TTHC_MAIL_FROM is one line with a plain address, checked
    before anything is claimed (a bad sender would fail every letter the same way)."""
    address = envelope_sender(sender)
    if "\r" in sender or "\n" in sender:
        raise ValueError(
            "TTHC_MAIL_FROM có ký tự xuống dòng: chỉ một dòng, ví dụ tthc@namsach.gov.vn"
        )
    # Looser than a recipient's: the default tthc@localhost, a relay's local domain.
    if not (address.isascii() and re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", address)):
        raise ValueError(
            f"TTHC_MAIL_FROM «{sender}» không phải địa chỉ thư hợp lệ (ví dụ: "
            '"Theo dõi TTHC <tthc@namsach.gov.vn>" hoặc tthc@namsach.gov.vn)'
        ) from None


def _skipped(record: DeliveryRecord | None) -> str:
    if record is None:  # claimed and gone between the two reads: another process has it
        return "một tiến trình khác đang gửi"
    if record.status == "sent":
        return f"đã gửi lúc {record.sent_at:%H:%M %d/%m/%Y}" if record.sent_at else "đã gửi"
    return status_text(record)


def send_letters(
    engine: Engine,
    settings: Settings,
    pairs: Iterable[tuple[Letter, str]],
    now: dt.datetime | None = None,
    config: smtp.SmtpConfig | None = None,
) -> Outcome:
    """Send each (letter, address) unless the ledger has it already: claim, send, mark. A
    failed message waits its turn in the ledger (`retry_due`); one whose connection broke
    while it was handed over is never sent again by itself. ValueError (Vietnamese) before
    anything is claimed when no SMTP server is set. `config` replaces the settings' server."""
    config = _config(settings, config)
    outcome = Outcome()
    with smtp.Mailer(config) as mailer:
        for letter, to in pairs:
            try:
                address = recipients.normalize_email(to)
            except ValueError as exc:
                outcome.results.append(
                    Result(to, letter.unit_code, letter.subject, "failed", str(exc))
                )
                continue
            message = to_bytes(letter, config.sender, address)
            key = (letter.kind, letter.day, address, letter.unit_code)
            delivery_id = deliveries.claim(engine, *key, letter.subject, message, now)
            if delivery_id is None:
                detail = _skipped(deliveries.find(engine, *key))
                outcome.results.append(
                    Result(address, letter.unit_code, letter.subject, "skipped", detail)
                )
                continue
            outcome.results.append(
                _send(engine, mailer, delivery_id, message, address, letter.unit_code,
                      letter.subject, now)
            )  # fmt: skip
    return outcome


def retry_due(
    engine: Engine,
    settings: Settings,
    now: dt.datetime | None = None,
    config: smtp.SmtpConfig | None = None,
) -> Outcome:
    """Send again every failed message whose wait is over, the same bytes as the first time;
    each is taken back first, so two processes retrying at once send it once."""
    config = _config(settings, config)
    now = now or clock.now()
    outcome = Outcome()
    with smtp.Mailer(config) as mailer:
        for due in deliveries.due_retries(engine, now):
            taken = deliveries.reclaim(engine, due.id, now)
            if taken is None:
                continue  # another process took it, or it changed meanwhile
            record, message = taken
            outcome.results.append(
                _send(engine, mailer, record.id, message, record.email, record.unit_code,
                      record.subject, now)
            )  # fmt: skip
    return outcome


def _send(
    engine: Engine,
    mailer: smtp.Mailer,
    delivery_id: int,
    message: bytes,
    address: str,
    unit_code: str,
    subject: str,
    now: dt.datetime | None,
) -> Result:
    """Send one claimed message and write down what happened."""
    try:
        mailer.send(message, address)
    except smtp.SendError as exc:
        # Marked at the moment of the failure (a long batch: the wait starts now).
        at = clock.now() if now is None else now
        if exc.uncertain:
            deliveries.mark_uncertain(engine, delivery_id, str(exc), at)
            return Result(address, unit_code, subject, "uncertain", str(exc))
        record = deliveries.mark_failed(engine, delivery_id, str(exc), at, exc.permanent)
        return Result(address, unit_code, subject, "failed", f"{exc} — {status_text(record)}")
    deliveries.mark_sent(engine, delivery_id, now)
    return Result(address, unit_code, subject, "sent")
