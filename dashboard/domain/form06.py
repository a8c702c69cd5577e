"""Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP), the periodic statistics form, from the
period counts of the counting rules (pure). docs/indicators.md states how each column maps.

Columns: (3) = (4) + (5) + (6) received to handle: carried over from the previous period,
new online, new in person or by post; (7) = (8) + (9) + (10) resolved: early, on the due day,
late; (11) = (12) + (13) pending at the period's end: not yet due, overdue. The form has no
column for the dossiers finished without a result (withdrawn, returned, refused), so they
are in (14), beside it, and (3) = (7) + (11) + (14) holds on every row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

from dashboard.domain.rules import states


@dataclass(frozen=True)
class FormRow:
    """One row of the form: a field, a unit, or the total."""

    name: str
    carried: int  # (4) từ kỳ trước chuyển qua
    online: int  # (5) mới tiếp nhận trực tuyến
    direct: int  # (6) mới tiếp nhận trực tiếp và qua dịch vụ bưu chính
    early: int  # (8) trả trước hạn
    on_time: int  # (9) trả đúng thời hạn
    late: int  # (10) trả quá hạn
    pending_within: int  # (12) đang giải quyết, chưa đến hạn
    pending_overdue: int  # (13) đang giải quyết, quá hạn
    ended_otherwise: int  # (14) rút, trả lại, từ chối: kết thúc không có kết quả

    @property
    def received(self) -> int:
        """(3) Tổng số hồ sơ nhận giải quyết."""
        return self.carried + self.online + self.direct

    @property
    def resolved(self) -> int:
        """(7) Tổng số hồ sơ đã giải quyết."""
        return self.early + self.on_time + self.late

    @property
    def pending(self) -> int:
        """(11) Tổng số hồ sơ đang giải quyết."""
        return self.pending_within + self.pending_overdue

    def columns(self) -> list[int]:
        """The numbers (3) … (14), in the form's order."""
        return [
            self.received,
            self.carried,
            self.online,
            self.direct,
            self.resolved,
            self.early,
            self.on_time,
            self.late,
            self.pending,
            self.pending_within,
            self.pending_overdue,
            self.ended_otherwise,
        ]


NUMBERED = [f"({i})" for i in range(1, 15)]


def row(name: str, c: Mapping[str, int]) -> FormRow:
    """A form row from one unit's (or field's, or the scope's) period counts."""
    s = states(c)
    finished = c["finished_to_end"] - c["finished_before_start"]
    return FormRow(
        name=name,
        carried=s["handled"] - c["received"],
        online=c["received_online"],
        direct=c["received"] - c["received_online"],
        early=c["resolved_early"],
        # resolved by the end of the due day (a dossier without a due day counts here, as in
        # the on-time indicator), minus those resolved before it
        on_time=c["resolved_on_time"] - c["resolved_early"],
        late=c["resolved_late"],
        pending_within=s["pending_end"] - s["pending_overdue"],
        pending_overdue=s["pending_overdue"],
        ended_otherwise=finished - c["resolved"],
    )


def total(rows: Sequence[FormRow], name: str = "Tổng cộng") -> FormRow:
    """The sum of `rows`."""
    numbers = {
        f.name: sum(getattr(r, f.name) for r in rows) for f in fields(FormRow) if f.name != "name"
    }
    return FormRow(name=name, **numbers)
