"""Notifications in the site, email preferences, and the records that make email
delivery exactly-once-or-explicitly-retried (outbound) and idempotent (inbound).
One module per concern; every model is importable from here, as before."""

from notifications.models.archives import ArchiveImport, ImportedMessage, _archive_path
from notifications.models.in_site import Notification, UnreadTally
from notifications.models.inbound import HeldInboundMessage, InboundMessage, ReplyTokenVersion
from notifications.models.outbound import EmailDelivery, HighlightsSend, OutgoingEmail
from notifications.models.preferences import (
    EMAILED_KINDS,
    CommunityEmailPreference,
    EmailKindPreference,
    EmailOptOut,
    EmailStop,
)

__all__ = [
    "EMAILED_KINDS",
    "ArchiveImport",
    "CommunityEmailPreference",
    "EmailDelivery",
    "EmailKindPreference",
    "EmailOptOut",
    "EmailStop",
    "HeldInboundMessage",
    "HighlightsSend",
    "ImportedMessage",
    "InboundMessage",
    "Notification",
    "OutgoingEmail",
    "ReplyTokenVersion",
    "UnreadTally",
    "_archive_path",  # migrations/0009 names it as notifications.models._archive_path
]
