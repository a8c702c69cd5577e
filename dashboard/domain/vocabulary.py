"""The values the code passes around, each with its Vietnamese label, in one place (pure).

Every status and class is a `StrEnum`: its value is what the database, URLs and exports hold,
its `label` what a person reads. docs/glossary.md lists them.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A value with its Vietnamese label (`LABELS` of the subclass)."""

    @property
    def label(self) -> str:
        """How the screen, the exports and the letters write it."""
        # Keyed by class too: "returned" is a dossier status and an explanation status.
        return LABELS[(type(self), self.value)]


class DossierStatus(Labelled):
    """The canonical status of a dossier (the export's words map onto these)."""

    NEW = "new"
    NOT_ACCEPTED = "not_accepted"
    RECEIVED = "received"
    PROCESSING = "processing"
    SUPPLEMENT = "supplement"
    WITHDRAWN = "withdrawn"
    PAUSED = "paused"
    RESOLVED = "resolved"
    RETURNED = "returned"


class Evaluation(Labelled):
    """An indicator's value against its target."""

    MET = "dat"
    MISSED = "khong_dat"
    NO_DATA = "khong_co_du_lieu"


class ExplanationStatus(Labelled):
    """Where a written explanation stands."""

    REQUESTED = "requested"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class ProblemKind(Labelled):
    """Why a dossier is on a unit's list of problem dossiers."""

    OVERDUE = "overdue"
    PAUSED = "paused"
    RETURNED = "returned"


class WarningClass(Labelled):
    """Why an open dossier is on the morning's list (docs/indicators.md, "Early warning")."""

    OVERDUE = "qua_han"
    DUE_TODAY = "den_han"
    DUE_SOON = "sap_den_han"
    WAITING_CITIZEN = "cho_cong_dan"


class RiskFlag(Labelled):
    """A running period's target, given the open dossiers: where it can still end up."""

    AT_RISK = "co_nguy_co"  # even if every open dossier is finished by its due day
    NEEDS_ACTION = "can_xu_ly"  # met only if the open dossiers are finished by their due days
    SAFE = "giu_duoc"  # met even if none of them is finished in the period


class ImportStatus(Labelled):
    """What an import did."""

    COMMITTED = "committed"
    PARTIAL = "partial"
    DRY_RUN = "dry_run"
    REFUSED = "refused"
    PENDING = "pending"


class ImportKind(Labelled):
    """What an imported file held: the dossier list or one of the 766 score's other sources."""

    DOSSIERS = "dossiers"
    CATALOGUE = "catalogue"
    FEEDBACK = "feedback"
    SATISFACTION = "satisfaction"
    SYNC = "sync"


LABELS: dict[tuple[type, str], str] = {
    (DossierStatus, DossierStatus.NEW.value): "Mới đăng ký",
    (DossierStatus, DossierStatus.NOT_ACCEPTED.value): "Không được tiếp nhận",
    (DossierStatus, DossierStatus.RECEIVED.value): "Được tiếp nhận",
    (DossierStatus, DossierStatus.PROCESSING.value): "Đang xử lý",
    (DossierStatus, DossierStatus.SUPPLEMENT.value): "Chờ bổ sung",
    (DossierStatus, DossierStatus.WITHDRAWN.value): "Rút hồ sơ",
    (DossierStatus, DossierStatus.PAUSED.value): "Tạm dừng",
    (DossierStatus, DossierStatus.RESOLVED.value): "Đã giải quyết",
    (DossierStatus, DossierStatus.RETURNED.value): "Trả lại, từ chối",
    (Evaluation, Evaluation.MET.value): "đạt",
    (Evaluation, Evaluation.MISSED.value): "không đạt",
    (Evaluation, Evaluation.NO_DATA.value): "không có dữ liệu",
    (ExplanationStatus, ExplanationStatus.REQUESTED.value): "Đã yêu cầu giải trình",
    (ExplanationStatus, ExplanationStatus.SUBMITTED.value): "Đơn vị đã nộp giải trình",
    (ExplanationStatus, ExplanationStatus.ACCEPTED.value): "Đã chấp nhận",
    (ExplanationStatus, ExplanationStatus.RETURNED.value): "Trả lại để bổ sung",
    (ProblemKind, ProblemKind.OVERDUE.value): "Quá hạn",
    (ProblemKind, ProblemKind.PAUSED.value): "Tạm dừng",
    (ProblemKind, ProblemKind.RETURNED.value): "Trả lại, từ chối",
    (WarningClass, WarningClass.OVERDUE.value): "Quá hạn",
    (WarningClass, WarningClass.DUE_TODAY.value): "Đến hạn hôm nay",
    (WarningClass, WarningClass.DUE_SOON.value): "Sắp đến hạn",
    (WarningClass, WarningClass.WAITING_CITIZEN.value): "Chờ công dân",
    (RiskFlag, RiskFlag.AT_RISK.value): "Có nguy cơ không đạt",
    (RiskFlag, RiskFlag.NEEDS_ACTION.value): "Cần xử lý",
    (RiskFlag, RiskFlag.SAFE.value): "Giữ được chỉ tiêu",
    (ImportStatus, ImportStatus.COMMITTED.value): "Đã nhập",
    (ImportStatus, ImportStatus.PARTIAL.value): "Đã nhập phần hợp lệ",
    (ImportStatus, ImportStatus.DRY_RUN.value): "Chỉ kiểm tra",
    (ImportStatus, ImportStatus.REFUSED.value): "Bị từ chối",
    (ImportStatus, ImportStatus.PENDING.value): "Đang nhập",
    (ImportKind, ImportKind.DOSSIERS.value): "Hồ sơ",
    (ImportKind, ImportKind.CATALOGUE.value): "Danh mục TTHC",
    (ImportKind, ImportKind.FEEDBACK.value): "PAKN",
    (ImportKind, ImportKind.SATISFACTION.value): "Phiếu hài lòng",
    (ImportKind, ImportKind.SYNC.value): "Số hồ sơ đồng bộ",
}
assert all((enum, v.value) in LABELS for enum in Labelled.__subclasses__() for v in enum)

# The explanation workflow: requested → submitted → accepted / returned (for revision) →
# submitted again …; a status may stay as it is while its text, plan or deadline is edited.
NEXT_STATUSES: dict[ExplanationStatus | None, tuple[ExplanationStatus, ...]] = {
    None: (ExplanationStatus.REQUESTED, ExplanationStatus.SUBMITTED),
    ExplanationStatus.REQUESTED: (ExplanationStatus.REQUESTED, ExplanationStatus.SUBMITTED),
    ExplanationStatus.SUBMITTED: (
        ExplanationStatus.SUBMITTED,
        ExplanationStatus.ACCEPTED,
        ExplanationStatus.RETURNED,
    ),
    ExplanationStatus.RETURNED: (ExplanationStatus.RETURNED, ExplanationStatus.SUBMITTED),
    ExplanationStatus.ACCEPTED: (ExplanationStatus.ACCEPTED, ExplanationStatus.RETURNED),
}


def labels(enum: type[Labelled]) -> dict[str, str]:
    """value -> label of every member of `enum` (for lookups by the stored text)."""
    return {member.value: member.label for member in enum}
