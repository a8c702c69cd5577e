"""Who may see what: the rules every page, callback and download applies on the server.

Roles (README, "Accounts"): lanh_dao sees everything; van_phong sees everything, imports and
reviews explanations; don_vi sees its own unit's figures and dossiers, its rank and the
district totals, and writes its own unit's explanations; man_hinh (a display token) sees the
meeting-room screen only. Without accounts (a personal copy on 127.0.0.1) everyone is office
staff; a server bound elsewhere refuses to start without accounts.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.services.viewer import OPEN, Scope, current
from dashboard.web.pages import PAGES, SHARED_CALLBACKS

__all__ = ["OPEN", "Scope", "current"]  # the viewer, for the web layer's callers too

# Page path -> roles that may open it; callback output id prefix -> roles that may call it
# (the page the component lives on). Both read from the one page list.
PAGE_ROLES: dict[str, tuple[str, ...]] = {p.path: p.roles for p in PAGES}
CALLBACK_ROLES: dict[str, tuple[str, ...]] = {p.prefix: p.roles for p in PAGES} | SHARED_CALLBACKS
# How the navbar names each role.
ROLE_LABELS = {
    "lanh_dao": "Lãnh đạo",
    "van_phong": "Văn phòng",
    "don_vi": "Cán bộ đơn vị",
    "can_bo": "Cán bộ",
    "man_hinh": "Màn hình phòng họp",
}
# Statuses each role may set on an explanation.
EXPLANATION_STEPS = {
    "van_phong": ("requested", "submitted", "accepted", "returned"),
    "lanh_dao": ("requested", "submitted", "accepted", "returned"),
    "don_vi": ("submitted",),
}


def callback_allowed(scope: Scope, output_ids: Sequence[str]) -> bool:
    """Whether every output of a callback request belongs to a page the role may use."""
    for oid in output_ids:
        roles = next((r for prefix, r in CALLBACK_ROLES.items() if oid.startswith(prefix)), None)
        if roles is None or not scope.may(roles):
            return False
    return True
