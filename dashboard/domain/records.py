"""The records data access hands to the rest (pure): what a page, an export or the CLI shows
of an explanation, a dossier on a unit's list, a unit's holdings. Layouts and exports import
them from here, never from data access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.domain.vocabulary import ExplanationStatus, ProblemKind


@dataclass(frozen=True)
class ExplanationRow:
    """An explanation as it stands."""

    id: int
    unit_id: int
    period: str
    indicator: str
    status: ExplanationStatus
    text: str
    remediation_plan: str
    deadline: dt.date | None
    author: str
    updated_at: dt.datetime

    @property
    def status_label(self) -> str:
        """The status in Vietnamese."""
        return ExplanationStatus(self.status).label


@dataclass(frozen=True)
class EventRow:
    """One change to an explanation."""

    explanation_id: int
    unit_id: int
    period: str
    indicator: str
    at: dt.datetime
    author: str
    status: ExplanationStatus
    text: str
    remediation_plan: str
    deadline: dt.date | None


@dataclass(frozen=True)
class ProblemDossier:
    """A dossier behind one of the counts overdue / paused / returned of a period."""

    kind: ProblemKind
    code: str
    procedure: str | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    status_label: str | None


@dataclass(frozen=True)
class OpenDossier:
    """A dossier open on a day (accepted, received by then, not finished by its end)."""

    unit_id: int  # the version it was received by (a merged unit's dossiers fold to it)
    code: str
    procedure_code: str | None
    procedure: str | None
    field: str | None
    received_at: dt.datetime
    due_at: dt.datetime | None
    status: str
    status_label: str | None


@dataclass(frozen=True)
class UnitCount:
    """A receiving unit version with how many dossiers it holds and its newest reception."""

    id: int
    code: str
    name: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    dossiers: int
    newest_received: dt.datetime | None
