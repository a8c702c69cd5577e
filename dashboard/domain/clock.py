"""The office's clock: Vietnam's time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), whatever
zone the server runs in. Every date and time the app stores or shows as "now" comes from here;
the dossiers' own times are the one-stop system's, already local."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> dt.datetime:
    """Vietnam's time now, to the second, without a zone (as the database keeps times)."""
    return dt.datetime.now(ZONE).replace(tzinfo=None, microsecond=0)


def today() -> dt.date:
    """Vietnam's date today."""
    return now().date()


def from_epoch(seconds: float) -> dt.datetime:
    """A moment counted in seconds since the epoch, as Vietnam's time without a zone."""
    return dt.datetime.fromtimestamp(seconds, ZONE).replace(tzinfo=None)
