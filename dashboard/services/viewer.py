"""Who is looking: the reach of the account a request is served for (its role, its unit and
the units it took over). Every entry narrows what it returns by it; the web layer's access
rules (dashboard/web/access.py) decide which pages and callbacks a role may use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import has_request_context
from flask_login import current_user


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
    officer_key: str = ""  # an officer account: who it is in its unit's histories

    @property
    def person(self) -> str:
        """Who the records name: the full name, else the login name ("" without accounts)."""
        return self.full_name or self.username

    @property
    def unit_only(self) -> bool:
        """A unit account: everything narrows to its own unit."""
        return self.role in ("don_vi", "can_bo")

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
        getattr(user, "officer_key", "") or "",
    )
