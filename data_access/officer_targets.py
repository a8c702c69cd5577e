"""The officer targets as stored (data_access/step_models.OfficerTarget): read as rules, and
added by the office (the CLI; every change audited)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, insert, select

from dashboard.domain.officer_targets import MEASURES, OfficerTargetRule
from dashboard.domain.steps import KINDS, keys_named
from data_access import accounts, versioning
from data_access.models import table_of
from data_access.queries import all_units
from data_access.step_models import Officer, OfficerTarget

T = table_of(OfficerTarget)
OF = table_of(Officer)


def rules(conn: Connection) -> list[OfficerTargetRule]:
    """Every rule."""
    return [
        OfficerTargetRule(m, float(v), d, u, o, k)
        for m, v, d, u, o, k in conn.execute(
            select(
                T.c.measure, T.c.value, T.c.effective_from, T.c.unit_id, T.c.officer_id, T.c.kind
            )
        )
    ]


def add(
    conn: Connection,
    measure: str,
    value: float,
    effective_from: dt.date,
    unit: str | None = None,
    officer: str | None = None,
    kind: str | None = None,
    source: str = "",
    user: str = "",
    officer_id: int | None = None,
) -> str:
    """Add a rule; ValueError (Vietnamese) for an unknown measure, unit, officer or kind. A
    unit is the version its code names on `effective_from`; an officer needs its unit."""
    if measure not in MEASURES:
        raise ValueError(f"Chỉ tiêu cán bộ phải là một trong: {', '.join(MEASURES)}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"Bước xử lý phải là một trong: {', '.join(KINDS)}")
    if (officer or officer_id) and not unit:
        raise ValueError("Chỉ tiêu của một cán bộ cần mã đơn vị (--unit)")
    unit_id = officer_id = None
    if unit:
        unit_id = all_units(conn).resolve(unit, effective_from, effective_from).id
    if officer_id is not None:
        found_name = conn.execute(select(OF.c.name).where(OF.c.id == officer_id)).scalar()
        if found_name is None:
            raise ValueError("Không có cán bộ này")
        officer = found_name
    elif officer:
        keys = sorted(keys_named(officer))
        found = conn.execute(
            select(OF.c.id).where(OF.c.unit_id == unit_id, OF.c.key.in_(keys))
        ).first()
        if found is None:
            raise ValueError(f"Không có cán bộ «{officer}» trong đơn vị {unit}")
        officer_id = int(found[0])
    conn.execute(
        insert(T).values(
            measure=measure,
            value=value,
            effective_from=effective_from,
            unit_id=unit_id,
            officer_id=officer_id,
            kind=kind,
            source=source[:300] or None,
        )
    )
    whom = (
        officer or (KINDS[kind] if kind else None) or (f"đơn vị {unit}" if unit else "mọi cán bộ")
    )
    text = f"{MEASURES[measure][0]}: {value:g} từ {effective_from:%d/%m/%Y} cho {whom}"
    accounts.audit(conn, user, "chi_tieu_can_bo", text)
    versioning.bump(conn)
    return "Đã đặt chỉ tiêu " + text + "."
