"""Who may see what: the rules every page, callback and download applies on the server.

Roles (README, "Accounts"): lanh_dao sees everything; van_phong sees everything, imports and
reviews explanations; don_vi sees its own unit's figures and dossiers, its rank and the
district totals, and writes its own unit's explanations; man_hinh (a display token) sees the
meeting-room screen only. Without accounts (a personal copy on 127.0.0.1) everyone is office
staff; a server bound elsewhere refuses to start without accounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import has_request_context
from flask_login import current_user

from dashboard.pages import PAGES, SHARED_CALLBACKS

# Page path -> roles that may open it; callback output id prefix -> roles that may call it
# (the page the component lives on). Both read from the one page list.
PAGE_ROLES: dict[str, tuple[str, ...]] = {p.path: p.roles for p in PAGES}
CALLBACK_ROLES: dict[str, tuple[str, ...]] = {p.prefix: p.roles for p in PAGES} | SHARED_CALLBACKS
# How the navbar names each role.
ROLE_LABELS = {
    "lanh_dao": "Lãnh đạo",
    "van_phong": "Văn phòng",
    "don_vi": "Cán bộ đơn vị",
    "man_hinh": "Màn hình phòng họp",
}
# Statuses each role may set on an explanation.
EXPLANATION_STEPS = {
    "van_phong": ("requested", "submitted", "accepted", "returned"),
    "lanh_dao": ("requested", "submitted", "accepted", "returned"),
    "don_vi": ("submitted",),
}


@dataclass(frozen=True)
class Scope:
    """The current user's reach. A unit account is bound to one unit version and sees it and
    the versions it descends from (data_access.accounts says why)."""

    role: str
    unit_id: int | None = None
    username: str = ""
    unit_ref: str = ""  # how URLs name its unit
    visible: frozenset[int] = frozenset()  # its version and every predecessor's
    full_name: str = ""  # the account's person, as records name them

    @property
    def person(self) -> str:
        """Who the records name: the full name, else the login name ("" without accounts)."""
        return self.full_name or self.username

    @property
    def unit_only(self) -> bool:
        """A unit account: everything narrows to its own unit."""
        return self.role == "don_vi"

    def units(self, requested: Sequence[str]) -> tuple[str, ...]:
        """The units a scope filter may cover: a unit account gets its own unit or the
        district totals (no units), whatever the request asked for."""
        if not self.unit_only:
            return tuple(requested)
        return () if not requested else (self.unit_ref or "-",)

    def may_see_unit(self, unit_id: int | None) -> bool:
        """Whether this user may see one unit version's details."""
        return not self.unit_only or unit_id in self.visible

    def may(self, roles: tuple[str, ...]) -> bool:
        """Whether the role is among `roles`."""
        return self.role in roles


OPEN = Scope("van_phong", None, "")


def current() -> Scope:
    """The scope of the request being served (office staff when accounts are off)."""
    if not has_request_context():
        return OPEN
    user = current_user
    if user is None or not getattr(user, "is_authenticated", False):
        return OPEN  # only reached when accounts are off: the login guard stops the rest
    return Scope(
        user.role,
        user.unit_id,
        user.username,
        user.unit_ref,
        user.visible,
        getattr(user, "full_name", ""),
    )


def callback_allowed(scope: Scope, output_ids: Sequence[str]) -> bool:
    """Whether every output of a callback request belongs to a page the role may use."""
    for oid in output_ids:
        roles = next((r for prefix, r in CALLBACK_ROLES.items() if oid.startswith(prefix)), None)
        if roles is None or not scope.may(roles):
            return False
    return True
