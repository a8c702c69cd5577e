"""The pages, each declared once: path, title, its layout and callbacks (by module name: the
app factory, the only code below them that imports layouts and callbacks, binds them), the
prefix of its components' ids, the roles that may open it, the filters its URL takes. The
app factory, the navbar and access control read this list; adding a page is one entry here
plus `layouts/<module>.py` and `callbacks/<module>.py`."""

from __future__ import annotations

from dataclasses import dataclass

# Roles (README "Production"): leadership, office staff, a unit's staff, a meeting-room screen.
OFFICE = ("lanh_dao", "van_phong")
EVERYONE = (*OFFICE, "don_vi")
SCREENS = (*OFFICE, "man_hinh")


@dataclass(frozen=True)
class PageSpec:
    """One page of the dashboard."""

    key: str
    path: str
    title: str
    module: str  # layouts.<module> draws it, callbacks.<module> registers its callbacks
    prefix: str  # every component id of the page starts with it ("ov-")
    roles: tuple[str, ...]
    filters: tuple[str, ...] = ()  # the URL parameters it reads
    in_nav: bool = True


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "/", "Tổng quan", "overview", "ov-", EVERYONE, ("ky", "don_vi", "linh_vuc")),
    PageSpec(
        "league", "/xep-hang", "Bảng xếp hạng", "league", "lg-", EVERYONE,
        ("ky", "theo", "nhom", "linh_vuc"),
    ),
    # An officer account (can_bo) opens only its unit's page: its own row of the officer tab.
    PageSpec("unit", "/don-vi", "Đơn vị", "unit", "un-", (*EVERYONE, "can_bo"), ("ky", "ma")),
    PageSpec("score766", "/diem-766", "Điểm 766", "score766", "s7-", EVERYONE, ("ky", "ma", "tp")),
    PageSpec(
        "explain", "/giai-trinh", "Đơn vị phải giải trình", "explain", "ex-", EVERYONE,
        ("ky", "lien_tiep", "so_ky"),
    ),
    PageSpec(
        "warnings", "/canh-bao", "Cảnh báo", "warnings", "cb-", EVERYONE,
        ("ngay", "so_ngay", "don_vi", "linh_vuc", "loai"),
    ),
    PageSpec("data", "/du-lieu", "Dữ liệu", "data", "data-", OFFICE),
    PageSpec("recipients", "/nguoi-nhan", "Người nhận thư", "recipients", "rc-", OFFICE),
    PageSpec(
        "kiosk", "/trinh-chieu", "Trình chiếu", "kiosk", "kiosk-", SCREENS,
        ("ky", "giay", "lam_moi"),
    ),
)  # fmt: skip

# Callbacks that belong to no page: the shell (header), the URL writer, Dash's page router.
SHARED_CALLBACKS: dict[str, tuple[str, ...]] = {
    "shell-": (*EVERYONE, "man_hinh", "can_bo"),
    "url": (*EVERYONE, "can_bo"),
    # Dash's page router draws a page's layout; the path itself is checked by the guard.
    "_pages_": (*EVERYONE, "man_hinh", "can_bo"),
}


def page(key: str) -> PageSpec:
    """The page declared with `key`."""
    return next(p for p in PAGES if p.key == key)
