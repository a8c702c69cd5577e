"""The office's alias table: two spellings (or accounts) of one person in one unit merged, so
every figure counts them as one; the unit's officer counts are rebuilt in the same
transaction."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select, update

from dashboard.domain import clock
from dashboard.domain.steps import officer_key
from data_access import accounts, versioning
from data_access.models import Unit, table_of
from data_access.step_models import Officer, OfficerAlias
from data_access.step_rollups import rebuild

OF = table_of(Officer)
A = table_of(OfficerAlias)
U = table_of(Unit)


def _find(conn: Connection, unit_ids: list[int], text: str) -> list[tuple[int, int, str]]:
    """Officers (id, unit id, name) a name or account names in these unit versions."""
    keys = {officer_key(text), officer_key("", text)}
    rows = conn.execute(
        select(OF.c.id, OF.c.unit_id, OF.c.name).where(
            OF.c.unit_id.in_(unit_ids), OF.c.key.in_(sorted(keys))
        )
    ).all()
    return [(int(i), int(u), n) for i, u, n in rows]


def person_of(conn: Connection, officer_id: int) -> int:
    """The person an officer counts as (itself unless merged)."""
    found = conn.execute(select(A.c.person_id).where(A.c.officer_id == officer_id)).first()
    return int(found[0]) if found else officer_id


def merge(conn: Connection, unit_code: str, keep: str, other: str, user: str = "") -> str:
    """Count the officer `other` names as the one `keep` names, in the unit version with this
    code that has both; ValueError (Vietnamese) when either is not found or they are one."""
    unit_ids = [int(r[0]) for r in conn.execute(select(U.c.id).where(U.c.code == unit_code))]
    if not unit_ids:
        raise ValueError(f"Không có đơn vị mã {unit_code}")
    kept, merged = _find(conn, unit_ids, keep), _find(conn, unit_ids, other)
    pairs = [(k, m) for k in kept for m in merged if k[1] == m[1]]
    if not pairs:
        missing = keep if not kept else other
        raise ValueError(f"Không có cán bộ «{missing}» trong đơn vị {unit_code}")
    (keep_id, unit_id, keep_name), (other_id, _, other_name) = pairs[-1]
    person = person_of(conn, keep_id)
    if person == person_of(conn, other_id):
        raise ValueError(f"«{other_name}» đã được gộp vào «{keep_name}»")
    # Everyone counted as `other` is now counted as the kept person.
    conn.execute(update(A).where(A.c.person_id == other_id).values(person_id=person))
    conn.execute(delete(A).where(A.c.officer_id == other_id))
    conn.execute(
        insert(A).values(officer_id=other_id, person_id=person, created_at=clock.now(), user=user)
    )
    rebuild(conn, [unit_id])
    accounts.audit(conn, user, "officer_merge", f"{unit_code}: «{other_name}» → «{keep_name}»")
    versioning.bump(conn)
    return f"Đã gộp «{other_name}» vào «{keep_name}» (đơn vị {unit_code})."


def unmerge(conn: Connection, officer_id: int, user: str = "") -> None:
    """Undo a merge: the officer counts as itself again."""
    row = conn.execute(select(OF.c.unit_id, OF.c.name).where(OF.c.id == officer_id)).first()
    if row is None:
        raise ValueError("Không có cán bộ này")
    conn.execute(delete(A).where(A.c.officer_id == officer_id))
    rebuild(conn, [int(row[0])])
    accounts.audit(conn, user, "officer_unmerge", str(row[1]))
    versioning.bump(conn)
