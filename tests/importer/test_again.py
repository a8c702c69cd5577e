"""The same file imported again while nothing changed since is answered without reading it;
any write in between, or another way of reading it, and it is read and compared as usual.
The rows are test_load's GOOD (five dossiers of Đồng Lạc, hand-counted there)."""

from __future__ import annotations

from sqlalchemy import Engine, select

from data_access import versioning
from data_access.importer import import_bytes, isolation
from data_access.models import Dossier, Import
from tests.importer.files import csv_bytes
from tests.importer.test_load import GOOD, _count, _fingerprint

SHORT_CUT = "Cùng tệp và cùng cách đọc với lần nhập lúc"


def _reads(monkeypatch) -> list[str]:
    """File names the reading child is asked to read from now on."""
    asked: list[str] = []
    real = isolation.read_isolated

    def counted(data, file_name, limits):
        asked.append(file_name)
        return real(data, file_name, limits)

    monkeypatch.setattr("data_access.importer.load.read_isolated", counted)
    return asked


def test_the_same_file_again_is_not_read_while_nothing_changed(
    ref_engine: Engine, monkeypatch
) -> None:
    data = csv_bytes(GOOD)
    first = import_bytes(ref_engine, data, "a.csv", user="vp")
    assert (first.status, first.inserted) == ("committed", 5)
    version, rows = versioning.current(ref_engine), _fingerprint(ref_engine)
    asked = _reads(monkeypatch)
    again = import_bytes(ref_engine, data, "a-lan-2.csv", user="vp")
    assert asked == []  # nothing read
    assert (again.status, again.rows_read, again.inserted, again.updated, again.unchanged) == (
        "committed", 5, 0, 0, 5,
    )  # fmt: skip
    assert again.notes[0].startswith(SHORT_CUT)
    assert versioning.current(ref_engine) == version and _fingerprint(ref_engine) == rows
    with ref_engine.connect() as conn:  # recorded and audited like any import
        assert conn.execute(select(Import.file_name, Import.unchanged)).all() == [
            ("a.csv", 0),
            ("a-lan-2.csv", 5),
        ]
    # A dry run (the data page's check) always reads: its report lists what the file holds.
    assert import_bytes(ref_engine, data, "a.csv", dry_run=True).notes[:1] != [again.notes[0]]
    assert asked == ["a.csv"]


def test_a_write_in_between_makes_the_file_read_and_compared(
    ref_engine: Engine, monkeypatch
) -> None:
    data = csv_bytes(GOOD)
    import_bytes(ref_engine, data, "a.csv")
    newer = [list(r) for r in GOOD]
    newer[1][10], newer[1][11] = "05/03/2025 10:00", "Đã trả kết quả"  # HS-002 finished
    assert import_bytes(ref_engine, csv_bytes(newer), "b.csv").updated == 1
    asked = _reads(monkeypatch)
    back = import_bytes(ref_engine, data, "a.csv")  # the older export again: HS-002 reopens
    assert asked == ["a.csv"]
    assert (back.inserted, back.updated, back.unchanged) == (0, 1, 4)
    with ref_engine.connect() as conn:
        status = conn.execute(select(Dossier.status).where(Dossier.code == "HS-002")).scalar()
    assert status == "processing"
    # Any other write (a rebuild, an explanation…) changes the version: read again, all unchanged.
    with ref_engine.begin() as conn:
        versioning.bump(conn)
    full = import_bytes(ref_engine, data, "a.csv")
    assert asked == ["a.csv", "a.csv"]
    assert (full.inserted, full.updated, full.unchanged) == (0, 0, 5)
    assert not any(n.startswith(SHORT_CUT) for n in full.notes)
    # And now that this import left the version as it is, the next one is answered at once.
    assert import_bytes(ref_engine, data, "a.csv").notes[0].startswith(SHORT_CUT)
    assert asked == ["a.csv", "a.csv"] and _count(ref_engine, Dossier) == 5


def test_another_way_of_reading_or_a_partial_import_is_read_again(
    ref_engine: Engine, monkeypatch
) -> None:
    rows = [list(r) for r in GOOD]
    rows[4][11] = "Bay màu"  # one bad row
    data = csv_bytes(rows)
    assert import_bytes(ref_engine, data, "p.csv", partial=True).status == "partial"
    asked = _reads(monkeypatch)
    # Without "partial" the same file is refused, as it was before: read to say why.
    refused = import_bytes(ref_engine, data, "p.csv")
    assert refused.status == "refused" and asked == ["p.csv"]
    # Partial again: the same answer, not read.
    again = import_bytes(ref_engine, data, "p.csv", partial=True)
    assert (again.status, again.rejected, again.unchanged) == ("partial", 1, 4)
    assert asked == ["p.csv"]
    # A default unit changes how a file may be read: read again.
    import_bytes(ref_engine, data, "p.csv", partial=True, unit_default="10657")
    assert asked == ["p.csv", "p.csv"]
