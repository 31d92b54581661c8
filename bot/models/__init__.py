"""The domain as database tables, one module per domain: people, trainings, registrations, what
is sent, after the training, and the chat's state. Import from here (`from bot.models import X`);
a service that reads several domains imports from each domain's module, one line each
(`from bot.models.registrations import Registration, RegistrationStatus`)."""

from __future__ import annotations

from bot.models.access import AuditEntry, StaffRole, StaffTraining
from bot.models.after_training import Certificate, SurveyResponse, SurveyTopic
from bot.models.base import NAMING_CONVENTION, Base, UTCDateTime, enum_column
from bot.models.impact import BusinessBaseline, FollowUpResponse
from bot.models.messaging import (
    Announcement,
    AnnouncementState,
    Audience,
    Delivery,
    DeliveryState,
    HelpdeskMessage,
    SendBudget,
)
from bot.models.people import OUTSIDE_DISTRICT, Erasure, Participant, Sector
from bot.models.registrations import Attendance, Registration, RegistrationStatus, Rsvp, RsvpAnswer
from bot.models.state import BotState
from bot.models.trainings import Training, TrainingChange, TrainingDay, TrainingStatus

__all__ = [
    "NAMING_CONVENTION",
    "OUTSIDE_DISTRICT",
    "Announcement",
    "AnnouncementState",
    "Attendance",
    "Audience",
    "AuditEntry",
    "Base",
    "BotState",
    "BusinessBaseline",
    "Certificate",
    "Delivery",
    "DeliveryState",
    "Erasure",
    "FollowUpResponse",
    "HelpdeskMessage",
    "Participant",
    "Registration",
    "RegistrationStatus",
    "Rsvp",
    "RsvpAnswer",
    "Sector",
    "SendBudget",
    "StaffRole",
    "StaffTraining",
    "SurveyResponse",
    "SurveyTopic",
    "Training",
    "TrainingChange",
    "TrainingDay",
    "TrainingStatus",
    "UTCDateTime",
    "enum_column",
]
