"""Models of the feedback app, one module per area (imported here for Django)."""

from thanthien.feedback.complaints import Complaint, ComplaintExtension
from thanthien.feedback.dialogues import Dialogue, DialogueCommitment, DialogueQuestion
from thanthien.feedback.items import (
    Attachment,
    ChannelAccount,
    FeedbackEvent,
    FeedbackItem,
    InboundLog,
    ReplyTemplate,
    Sequence,
)
from thanthien.feedback.reception import ReceptionBooking, ReceptionVisit

__all__ = [
    "Attachment",
    "ChannelAccount",
    "Complaint",
    "ComplaintExtension",
    "Dialogue",
    "DialogueCommitment",
    "DialogueQuestion",
    "FeedbackEvent",
    "FeedbackItem",
    "InboundLog",
    "ReceptionBooking",
    "ReceptionVisit",
    "ReplyTemplate",
    "Sequence",
]
