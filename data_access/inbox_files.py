"""The inbox's record of the files it took, by content (dashboard/rhythm/inbox.py): what
makes the same bytes, sent twice or left behind by a crash, imported once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from dashboard.domain import clock
from data_access.models import Import
from data_access.rhythm_models import InboxFile


def imported_at(engine: Engine, digest: str) -> dt.datetime | None:
    """When content with this SHA-256 was imported before (by the inbox, or by hand: the
    import's own file hash), else None."""
    with engine.connect() as conn:
        when = conn.execute(
            select(InboxFile.taken_at).where(
                InboxFile.file_hash == digest, InboxFile.status == "imported"
            )
        ).scalar()
        if when is not None:
            return when
        return conn.execute(
            select(Import.created_at)
            .where(Import.file_hash == digest, Import.status.in_(("committed", "partial")))
            .order_by(Import.id)
            .limit(1)
        ).scalar()


def record(
    engine: Engine,
    digest: str,
    name: str,
    size: int,
    imported: bool,
    import_id: int | None,
    moved_to: str,
) -> bool:
    """Write down a file taken; False when its content was taken before (a refused file sent
    again, or a duplicate moved out)."""
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(InboxFile).values(
                    file_hash=digest,
                    file_name=name[:500],
                    size=size,
                    taken_at=clock.now(),
                    status="imported" if imported else "refused",
                    import_id=import_id,
                    moved_to=moved_to[:1000],
                )
            )
    except IntegrityError:
        return False
    return True
