"""A letter (what to say, to whom it belongs) and the message made of it for one address.

The message is 7-bit clean whatever the language: the subject and names as RFC 2047 words,
attachment names as RFC 2231 parameters, the text and HTML in base64. Any relay takes it
without 8BITMIME or SMTPUTF8, and what arrives is exactly the Vietnamese that was written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from dashboard.domain import clock


@dataclass(frozen=True)
class Letter:
    """One letter of one day: a unit's own (`unit_code`) or a role's (`unit_code` "").

    `html`, when given, is the rich version beside `text`; it shows `images` by their content
    id (`<img src="cid:bieu-do-1@tthc">` for the image ("bieu-do-1@tthc", png)). `attachments`
    are (file name, MIME type, bytes), e.g. ("Báo cáo ngày 04-12-2026.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)."""

    kind: str  # digest, daily_report, monthly_report, test, …
    day: dt.date
    unit_code: str
    subject: str
    text: str
    html: str | None = None
    images: Sequence[tuple[str, bytes]] = ()
    attachments: Sequence[tuple[str, str, bytes]] = ()


def envelope_sender(sender: str) -> str:
    """The bare address of a sender written with a name ("Theo dõi TTHC <tthc@x.vn>")."""
    return parseaddr(sender)[1] or sender


def to_message(letter: Letter, sender: str, address: str) -> EmailMessage:
    """The message of `letter` from `sender` to `address`: plain text, or text and HTML as
    alternatives with the HTML's images beside it (multipart/related), then the attachments."""
    if letter.images and letter.html is None:
        raise ValueError("images are shown by the HTML: a letter with images needs html")
    msg = EmailMessage(policy=policy.SMTP)
    # A line break in a header would start a new header: subjects are one line.
    msg["Subject"] = " ".join(letter.subject.split())
    msg["From"] = sender
    msg["To"] = address
    msg["Date"] = format_datetime(dt.datetime.now(clock.ZONE))
    domain = envelope_sender(sender).rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid(domain=domain)  # a domain given: no DNS lookup of our name
    msg.set_content(letter.text, cte="base64")
    if letter.html is not None:
        msg.add_alternative(letter.html, subtype="html", cte="base64")
        html = list(msg.iter_parts())[1]  # the part just added: an EmailMessage
        assert isinstance(html, EmailMessage)
        for content_id, png in letter.images:
            html.add_related(
                png, "image", "png", cid=f"<{content_id.strip('<>')}>", disposition="inline"
            )
    for name, mime_type, data in letter.attachments:
        maintype, _, subtype = mime_type.partition("/")
        msg.add_attachment(
            data, maintype, subtype or "octet-stream", filename=name, disposition="attachment"
        )
    return msg


def to_bytes(letter: Letter, sender: str, address: str) -> bytes:
    """The message as sent and kept in the ledger (CRLF line ends)."""
    return to_message(letter, sender, address).as_bytes(policy=policy.SMTP)
