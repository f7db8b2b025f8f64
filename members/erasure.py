"""What erasing a member does to every record that names them, declared once in
`RULES` (deleted, anonymised or kept, and why) and run by `run_erasers`; the erasers
are in members/erasers.py. How the table stays complete: docs/records.md."""

from __future__ import annotations

from dataclasses import dataclass

from members.erasers import (
    Eraser,
    _delete_rows,
    anonymise_admin_history,
    anonymise_archived_names,
    anonymise_inbound_log,
    anonymise_notifications_about,
    clear_permissions,
    erase_attachments,
    erase_exports,
    erase_flag_notes,
    erase_invitations,
    erase_outgoing_email,
    erase_queued_tasks,
    erase_revisions,
    erase_sessions,
    revoke_reply_addresses,
)

DELETED = "deleted"
ANONYMISED = "anonymised"
KEPT = "kept"

_registered: list[Eraser] = []


@dataclass(frozen=True)
class Rule:
    action: str
    why: str
    erase: Eraser | None = None


def register_eraser(function: Eraser) -> None:
    """An app's own eraser, run after the table's (the app's rule says so)."""
    _registered.append(function)


_POINTS_AT_ERASED = "points at the erased account, which shows as “Former member”"

# Every field that names a member, in the order erasure deals with them.
RULES: dict[str, Rule] = {
    # Their account itself: member_erase blanks or replaces every field.
    "members.User.username": Rule(ANONYMISED, "replaced by erased-<id> (member_erase)"),
    "members.User.email": Rule(ANONYMISED, "replaced by erased-<id>@erased.invalid (member_erase)"),
    "members.User.first_name": Rule(ANONYMISED, "emptied (member_erase)"),
    "members.User.last_name": Rule(ANONYMISED, "emptied (member_erase)"),
    "members.User.display_name": Rule(ANONYMISED, "emptied: the account shows as “Former member”"),
    "members.User.show_email": Rule(ANONYMISED, "set to no (member_erase)"),
    "members.User_groups.user": Rule(DELETED, "an erased account has no permissions", clear_permissions),
    "members.User_user_permissions.user": Rule(DELETED, "an erased account has no permissions (with groups)"),
    "members.TaggedExpertise.content_object": Rule(DELETED, "areas of expertise are cleared (member_erase)"),
    "account.EmailAddress.user": Rule(DELETED, "their addresses (member_erase, after everything that looks them up)"),
    "account.EmailAddress.email": Rule(DELETED, "with the row; confirmations cascade"),
    "socialaccount.SocialAccount.user": Rule(DELETED, "sign-in links and their tokens (member_erase)"),
    "socialaccount.SocialAccount.extra_data": Rule(DELETED, "with the row: the provider's profile of them"),
    "mfa.Authenticator.user": Rule(
        DELETED, "two-factor secrets and recovery codes", _delete_rows("mfa.Authenticator", "user")
    ),
    "mfa.Authenticator.data": Rule(DELETED, "with the row"),
    "sessions.Session.session_data": Rule(DELETED, "their sessions: signed out everywhere", erase_sessions),
    "admin.LogEntry.user": Rule(
        KEPT, f"the admin's change history of staff actions; {_POINTS_AT_ERASED}", anonymise_admin_history
    ),
    # Communities.
    "communities.Membership.user": Rule(DELETED, "memberships, join requests and bans (member_erase)"),
    "communities.Invitation.user": Rule(DELETED, "invitations to their account", erase_invitations),
    "communities.Invitation.email": Rule(DELETED, "invitations sent to any address they used (with the above)"),
    "communities.Invitation.name": Rule(DELETED, "the name they were invited under (with the above)"),
    "communities.Invitation.invited_by": Rule(
        KEPT, f"invitations they sent belong to the community; {_POINTS_AT_ERASED}"
    ),
    "communities.Community.created_by": Rule(KEPT, f"who proposed a community; {_POINTS_AT_ERASED}"),
    # Forums: the discussion stays readable.
    "forums.Thread.author": Rule(KEPT, f"threads stay so discussions make sense; {_POINTS_AT_ERASED}"),
    "forums.Post.author": Rule(KEPT, f"posts stay so discussions make sense; {_POINTS_AT_ERASED}"),
    "forums.Post.archived_author_name": Rule(
        ANONYMISED, "archive posts imported under their full name say “Former member”", anonymise_archived_names
    ),
    "forums.Attachment.post": Rule(DELETED, "files they uploaded, from storage too", erase_attachments),
    "forums.PostRevision.post": Rule(DELETED, "earlier versions of their posts", erase_revisions),
    "forums.PostRevision.edited_by": Rule(KEPT, f"their edits of other people's posts; {_POINTS_AT_ERASED}"),
    "forums.Mention.user": Rule(DELETED, "where they were @mentioned", _delete_rows("forums.Mention", "user")),
    "forums.HelpfulMark.user": Rule(KEPT, f"marks on others' posts keep the counts right; {_POINTS_AT_ERASED}"),
    "forums.ThreadSubscription.user": Rule(
        DELETED, "watched and muted threads", _delete_rows("forums.ThreadSubscription", "user")
    ),
    "forums.ThreadReadState.user": Rule(DELETED, "what they had read", _delete_rows("forums.ThreadReadState", "user")),
    "forums.TagFollow.user": Rule(DELETED, "the tags they followed", _delete_rows("forums.TagFollow", "user")),
    "forums.AnnouncementDismissal.user": Rule(
        DELETED, "the announcements they put away", _delete_rows("forums.AnnouncementDismissal", "user")
    ),
    # Moderation.
    "moderation.Flag.reporter": Rule(
        ANONYMISED, f"reports they made stay for review without their note; {_POINTS_AT_ERASED}", erase_flag_notes
    ),
    "moderation.Flag.resolved_by": Rule(KEPT, f"reports they decided as a facilitator; {_POINTS_AT_ERASED}"),
    "moderation.MemberSanction.user": Rule(
        DELETED, "warnings, mutes and pre-moderation they received", _delete_rows("moderation.MemberSanction", "user")
    ),
    "moderation.MemberSanction.created_by": Rule(KEPT, f"sanctions they issued as a facilitator; {_POINTS_AT_ERASED}"),
    "moderation.PreElectionPeriod.created_by": Rule(
        KEPT, f"pre-election periods they set as an owner or site admin; {_POINTS_AT_ERASED}"
    ),
    "moderation.PreElectionPeriod.cancelled_by": Rule(
        KEPT, f"pre-election periods they cancelled; {_POINTS_AT_ERASED}"
    ),
    "moderation.ModerationAction.actor": Rule(
        ANONYMISED,
        "the log keeps every entry, with the person replaced by “deleted member” (moderation.erasure, registered)",
    ),
    "moderation.ModerationAction.actor_name": Rule(
        ANONYMISED, "“deleted member” where they acted (moderation.erasure)"
    ),
    "moderation.ModerationAction.community_name": Rule(KEPT, "names a community, not a person"),
    # Records: retention rules and exports.
    "records.RetentionRule.updated_by": Rule(KEPT, f"who last set a community's rule; {_POINTS_AT_ERASED}"),
    "records.CommunityExport.requested_by": Rule(
        DELETED, "exports they asked for, and the files (the log keeps private exports)", erase_exports
    ),
    # Notifications and email.
    "notifications.ArchiveImport.created_by": Rule(
        KEPT, f"archive imports they ran belong to the community; {_POINTS_AT_ERASED}"
    ),
    "notifications.Notification.recipient": Rule(
        DELETED, "their notifications", _delete_rows("notifications.Notification", "recipient")
    ),
    "notifications.Notification.actor": Rule(
        ANONYMISED, "others' notifications that name them say “Former member”", anonymise_notifications_about
    ),
    "notifications.UnreadTally.user": Rule(KEPT, "a count, which falls to 0 as their notifications go"),
    "notifications.EmailKindPreference.user": Rule(
        DELETED, "email choices", _delete_rows("notifications.EmailKindPreference", "user")
    ),
    "notifications.CommunityEmailPreference.user": Rule(
        DELETED, "email choices", _delete_rows("notifications.CommunityEmailPreference", "user")
    ),
    "notifications.EmailDelivery.recipient": Rule(
        DELETED, "emails and digests queued or sent to them", _delete_rows("notifications.EmailDelivery", "recipient")
    ),
    "notifications.OutgoingEmail.to": Rule(
        DELETED, "the outbox's emails to them, and emails that name them", erase_outgoing_email
    ),
    "notifications.OutgoingEmail.subject": Rule(DELETED, "with the above"),
    "notifications.OutgoingEmail.content": Rule(DELETED, "with the above"),
    "notifications.HeldInboundMessage.user": Rule(
        DELETED,
        "emails of theirs waiting for them to confirm",
        _delete_rows("notifications.HeldInboundMessage", "user"),
    ),
    "notifications.HeldInboundMessage.title": Rule(DELETED, "with the above"),
    "notifications.HeldInboundMessage.confirm_to": Rule(DELETED, "with the above"),
    "feeds.FeedToken.user": Rule(
        DELETED, "their personal feed addresses, which stop working", _delete_rows("feeds.FeedToken", "user")
    ),
    "notifications.EmailStop.user": Rule(
        DELETED, "their choice to stop all email", _delete_rows("notifications.EmailStop", "user")
    ),
    "notifications.EmailOptOut.user": Rule(
        DELETED, "occasional emails they turned off", _delete_rows("notifications.EmailOptOut", "user")
    ),
    "notifications.HighlightsSend.sent_by": Rule(KEPT, f"highlights they sent as a facilitator; {_POINTS_AT_ERASED}"),
    "notifications.HighlightsSend.thread_ids": Rule(KEPT, "which threads were featured: no one's personal data"),
    "notifications.ReplyTokenVersion.user": Rule(
        ANONYMISED, "bumped: every reply-by-email address they had stops working", revoke_reply_addresses
    ),
    "django_tasks_database.DBTaskResult.args_kwargs": Rule(
        DELETED, "queued bounces to their address, and task rows that mention it", erase_queued_tasks
    ),
    "django_tasks_database.DBTaskResult.return_value": Rule(DELETED, "with the above"),
    "django_tasks_database.DBTaskResult.worker_ids": Rule(KEPT, "names worker processes, not people"),
    "django_tasks_database.DBTaskResult.queue_name": Rule(KEPT, "names a queue, not a person"),
    "django_tasks_database.DBTaskResult.backend_name": Rule(KEPT, "names a task backend, not a person"),
    "notifications.InboundMessage.user": Rule(
        ANONYMISED, f"the log keeps the row for deduplication; {_POINTS_AT_ERASED}", anonymise_inbound_log
    ),
    "notifications.InboundMessage.sender": Rule(
        ANONYMISED, "emptied for messages from any address they used (with the above)"
    ),
    "notifications.InboundMessage.recipient": Rule(
        ANONYMISED, "emptied: a reply address holds a token for their account"
    ),
    "notifications.InboundMessage.subject": Rule(ANONYMISED, "emptied (with the above)"),
    # Names that are not people's.
    "auth.Group.name": Rule(KEPT, "names a group of permissions, not a person"),
    "auth.Permission.name": Rule(KEPT, "names a permission, not a person"),
    "sites.Site.name": Rule(KEPT, "names the site"),
    "socialaccount.SocialApp.name": Rule(KEPT, "names a sign-in provider"),
    "socialaccount.SocialApp.settings": Rule(KEPT, "a sign-in provider's settings, about no one"),
    "taggit.Tag.name": Rule(KEPT, "names a tag"),
    "members.Organisation.name": Rule(KEPT, "names an organisation"),
    "members.Expertise.name": Rule(KEPT, "names an area of expertise"),
    "communities.Community.name": Rule(KEPT, "names a community"),
}


def run_erasers(member) -> None:
    """Every rule's eraser in the table's order, then the apps' own."""
    for rule in RULES.values():
        if rule.erase is not None:
            rule.erase(member)
    for eraser in _registered:
        eraser(member)
