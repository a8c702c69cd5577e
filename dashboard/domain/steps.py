"""Who held a dossier: its processing steps timed, the step responsible for an overdue dossier,
and the late steps (pure; docs/indicators.md "Steps and officers").

A step ends at ThoiDiemXuLy (none: still open, held by its officer now). It starts at its own
start when the export gives one, else when the step before it (by end) ended, the first at the
dossier's reception. An overdue dossier belongs to the step running at M, the end of its due
day: start ≤ M and (end > M or still open); M between two steps: the next step to start; no
step at or after M (no history, or a pending dossier whose last step ended before M and none is
open): "chưa rõ bước", kept as such. A step with its own deadline D that ended after D, or is
still open after D, is a late step, counted in a period P when D is before P's end and the step
had not ended before P began.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.domain.formatting import fold

KINDS = {
    "tiep_nhan": "Tiếp nhận",
    "tham_dinh": "Thẩm định, xử lý",
    "trinh_ky": "Trình ký, phê duyệt",
    "tra_ket_qua": "Trả kết quả",
    "khac": "Khác",
}
UNKNOWN_HOLDER = "Chưa rõ bước"  # an overdue dossier no step runs at or after its M


def words_key(text: str) -> str:
    """A text folded for word matching: no case, diacritics or punctuation, single spaces
    (the import mapping folds its words the same way)."""
    folded = fold(text)
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def officer_key(name: str, account: str = "") -> str:
    """Who an officer is within a unit: the account when the export gives one, else the name
    with case and spacing ignored ("NGUYỄN VĂN HÙNG" is "Nguyễn Văn Hùng")."""
    if account.strip():
        return "tk:" + account.strip().casefold()
    return " ".join(name.split()).casefold()


def keys_named(text: str) -> set[str]:
    """The officer keys a name or an account (tk:ACCOUNT, or bare) typed by the office may
    mean."""
    return {officer_key(text), officer_key("", text.removeprefix("tk:"))}


def display_name(spellings: Sequence[str]) -> str:
    """The name to show for one officer's spellings: the most frequent that is not all
    capitals (an export's "NGUYỄN VĂN HÙNG" is the same person), the first among equals."""
    if not spellings:
        return ""
    tidy = [" ".join(s.split()) for s in spellings]
    mixed = [s for s in tidy if s and not s.isupper()] or tidy
    counts: dict[str, int] = {}
    for s in mixed:
        counts[s] = counts.get(s, 0) + 1
    return max(counts, key=lambda s: (counts[s], -mixed.index(s)))


def step_kind(content: str, title: str, words: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The kind of a step from what was done, else from the officer's title: the first kind
    of `words` (kind, folded words) one of whose words the text contains as whole words."""
    for text in (content, title):
        padded = f" {words_key(text)} "
        for kind, ws in words:
            if any(f" {w} " in padded for w in ws if w):
                return kind
    return "khac"


@dataclass(frozen=True)
class Step:
    """One entry of a dossier's history, as imported."""

    officer: int  # the officer's id (after aliases)
    end: dt.datetime | None  # ThoiDiemXuLy; None: still open
    start: dt.datetime | None = None  # NgayBatDau when the export gives it
    deadline: dt.datetime | None = None  # NgayKetThucTheoQuyDinh
    kind: str = "khac"
    department: str = ""
    seq: int = 0  # its place in the file, for ties


@dataclass(frozen=True)
class Timed:
    """A step with its start worked out."""

    step: Step
    start: dt.datetime
    end: dt.datetime | None

    def runs_at(self, moment: dt.datetime) -> bool:
        """Whether the step runs at `moment`: started, and not yet ended (or still open)."""
        return self.start <= moment and (self.end is None or self.end > moment)


def timed(steps: Sequence[Step], received: dt.datetime) -> list[Timed]:
    """The steps in the order they ended (open ones last, the file's order among equals), each
    with its start: its own, else the end of the one before, the first at the reception (never
    after its own end: a step recorded before the reception starts when it ends)."""
    ordered = sorted(steps, key=lambda s: (s.end is None, s.end or dt.datetime.max, s.seq))
    out = []
    previous_end = received
    for s in ordered:
        start = s.start if s.start is not None else previous_end
        if s.end is not None and start > s.end:
            start = s.end
        out.append(Timed(s, start, s.end))
        if s.end is not None:
            previous_end = s.end
    return out


def end_of_day(day: dt.date) -> dt.datetime:
    """M for a due day: its last second."""
    return dt.datetime.combine(day, dt.time(23, 59, 59))


def responsible(steps: Sequence[Timed], due_day: dt.date | None) -> Timed | None:
    """The step an overdue dossier belongs to: the one running at M (the end of the due day),
    else the next to start after M; None: "chưa rõ bước"."""
    if due_day is None:
        return None
    m = end_of_day(due_day)
    running = [t for t in steps if t.runs_at(m)]
    if running:
        return min(running, key=lambda t: (t.start, t.step.seq))
    later = [t for t in steps if t.start > m]
    return min(later, key=lambda t: (t.start, t.step.seq)) if later else None


def reception_step(steps: Sequence[Timed]) -> Timed | None:
    """The step that received the dossier: the first of kind "tiếp nhận" (None without one)."""
    return next((t for t in steps if t.step.kind == "tiep_nhan"), None)


def ended_late(step: Step) -> bool:
    """A finished step that ended after its own deadline (an open one is late once its
    deadline has passed: that depends on when one looks, see `late_in`)."""
    return step.deadline is not None and step.end is not None and step.end > step.deadline


@dataclass(frozen=True)
class WorkedOut:
    """What the rules say of one step of a dossier."""

    start: dt.datetime
    late: bool  # ended after its own deadline
    responsible: bool  # holds the dossier if it is overdue
    reception: bool  # the step that received it


def work_out(
    steps: Sequence[Step], received: dt.datetime, due_day: dt.date | None
) -> list[WorkedOut]:
    """Each step's start, lateness, responsibility and reception, in the order given."""
    ts = timed(steps, received)
    holder = responsible(ts, due_day)
    desk = reception_step(ts)
    by_step = {id(t.step): t for t in ts}
    return [
        WorkedOut(
            by_step[id(s)].start,
            ended_late(s),
            holder is not None and holder.step is s,
            desk is not None and desk.step is s,
        )
        for s in steps
    ]


def late_in(t: Timed, start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Whether a step is a late step of the period [start, end]: its deadline before the
    period's end, and it had not ended before the period began — it ended in the period after
    its deadline, or it is still open and its deadline has passed (by `now`, default: the
    period's end)."""
    d = t.step.deadline
    if d is None or d >= end:
        return False
    if t.end is None:
        return d < (now or end)
    if t.end < start:
        return False  # over before the period began
    return t.end > d
