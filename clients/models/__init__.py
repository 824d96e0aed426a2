"""The clients app's models, one module per area."""

from clients.models.conversations import (
    Conversation,
    ConversationAddendum,
    ConversationKind,
    ConversationStatus,
    DomainScore,
    LegalityJudgement,
    Location,
    ScreeningOutcome,
    UrgentNeed,
)
from clients.models.meetings import Attendance, Invitation, Meeting, MeetingKind
from clients.models.person import (
    BenefitPeriod,
    BenefitScheme,
    Client,
    ClientGroupAssignment,
    EducationLevel,
    Gender,
    HouseholdType,
    LadderMeasurement,
    OutflowReason,
)
from clients.models.plans import Agreement, AgreementReview, AgreementStatus, Plan, Responsible
from clients.models.policy import (
    BarrierType,
    ClientGroup,
    LadderStep,
    LifeDomain,
    Partner,
    ScreeningQuestion,
)
from clients.models.workqueue import QueueItemKind, QueueSnapshot

__all__ = [
    "Agreement",
    "AgreementReview",
    "AgreementStatus",
    "Attendance",
    "BarrierType",
    "BenefitPeriod",
    "BenefitScheme",
    "Client",
    "ClientGroup",
    "ClientGroupAssignment",
    "Conversation",
    "ConversationAddendum",
    "ConversationKind",
    "ConversationStatus",
    "DomainScore",
    "EducationLevel",
    "Gender",
    "HouseholdType",
    "Invitation",
    "LadderMeasurement",
    "LadderStep",
    "LegalityJudgement",
    "LifeDomain",
    "Location",
    "Meeting",
    "MeetingKind",
    "OutflowReason",
    "Partner",
    "Plan",
    "QueueItemKind",
    "QueueSnapshot",
    "Responsible",
    "ScreeningOutcome",
    "ScreeningQuestion",
    "UrgentNeed",
]
