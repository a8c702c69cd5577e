"""The list of pages: drives the navbar, page registration and (later) the meeting-room rotation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page of the dashboard."""

    key: str
    path: str
    title: str
    ready: bool = True  # False: shown in the navbar as "sắp có" (coming)
    filters: tuple[str, ...] = ()
    kiosk_seconds: int | None = None


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "/", "Tổng quan"),
    PageSpec("league", "/xep-hang", "Bảng xếp hạng"),
    PageSpec("unit", "/don-vi", "Đơn vị"),
    PageSpec("explain", "/giai-trinh", "Đơn vị phải giải trình"),
    PageSpec("data", "/du-lieu", "Dữ liệu"),
    PageSpec("kiosk", "/trinh-chieu", "Trình chiếu"),
)
