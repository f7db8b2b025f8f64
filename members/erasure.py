"""What erasing a member does to every record that names them, declared once.

`RULES` lists every field in every installed model that points at a member or looks
like a person's address or name (tests/members/test_erasure.py finds them by
introspection and fails on any field missing here, so a new model cannot slip
through). Each says whether the data is deleted, anonymised or kept, and why; most
also carry the function that does it, run in the table's order by `run_erasers`
inside `members.services.member_erase`'s transaction. Rules without a function are
done elsewhere: by `member_erase` itself (the account row, addresses, social
accounts, memberships), by an app's own registered eraser (`register_eraser`, e.g.
the moderation log), by the database (rows that cascade), or are kept as they are.

Models are looked up by label, so the table can name models of apps above this one
without importing them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from members.models import ERASED_NAME

DELETED = "deleted"
ANONYMISED = "anonymised"
KEPT = "kept"

Eraser = Callable[[Any], None]
_registered: list[Eraser] = []


@dataclass(frozen=True)
class Rule:
    action: str
    why: str
    erase: Eraser | None = None


def register_eraser(function: Eraser) -> None:
    """An app's own eraser, run after the table's (the app's rule says so)."""
    _registered.append(function)


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


# Who the member is, read before anything is erased -------------------------------------


@dataclass(frozen=True)
class Identity:
    username: str
    names: tuple[str, ...]
    addresses: tuple[str, ...]

    @property
    def snapshots(self) -> tuple[str, ...]:
        """How moderation and notification texts name a member: "Name (username)"."""
        return tuple(f"{name} ({self.username})" for name in self.names)

    @property
    def distinctive(self) -> tuple[str, ...]:
        """What names them wherever it appears: "Name (username)", their addresses, and
        names with a space (a lone first name or username could be another word)."""
        return (*self.snapshots, *self.addresses, *(name for name in self.names if " " in name))


def identity_of(member) -> Identity | None:
    """The member's username, names and every verified address; None once erased,
    when nothing left on the account names them."""
    if member.is_erased:
        return None
    names = {member.display_name.strip(), member.get_full_name().strip(), member.name.strip()}
    addresses = {member.email.lower()}
    email_address = _model("account.EmailAddress")
    # Only addresses they proved are theirs: anyone can add someone else's unverified.
    verified = email_address.objects.filter(user=member, verified=True).values_list("email", flat=True)
    addresses.update(e.lower() for e in verified)
    return Identity(
        username=member.username,
        names=tuple(sorted((n for n in names if n), key=len, reverse=True)),
        addresses=tuple(sorted(a for a in addresses if a)),
    )


def scrub(text: str, words: list[str] | tuple[str, ...], replacement: str) -> str:
    """`text` with each of `words` (whole words, any case, longest first) replaced."""
    for word in sorted(set(words), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", replacement, text, flags=re.IGNORECASE)
    return text


# The erasers --------------------------------------------------------------------------


def _delete_rows(label: str, field: str) -> Eraser:
    def erase(member) -> None:
        model = _model(label)
        if model is not None:
            model.objects.filter(**{field: member}).delete()

    erase.__name__ = f"delete_{label}_{field}"
    return erase


def erase_attachments(member) -> None:
    """Files on the member's posts go, from storage too once the erasure commits."""
    model = _model("forums.Attachment")
    attachments = list(model.objects.filter(post__author=member))
    for attachment in attachments:
        storage, name = attachment.file.storage, attachment.file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    model.objects.filter(pk__in=[a.pk for a in attachments]).delete()


def erase_revisions(member) -> None:
    """Earlier versions of the member's posts; the post as it stands stays."""
    _model("forums.PostRevision").objects.filter(post__author=member).delete()


def erase_invitations(member) -> None:
    """Invitations to the member's account or any address they used: facilitators'
    lists then hold neither their address nor the name they were invited under."""
    identity = identity_of(member)
    addresses = Q(pk__in=[])
    for address in identity.addresses if identity else ():
        addresses |= Q(email__iexact=address)
    _model("communities.Invitation").objects.filter(Q(user=member) | addresses).delete()


def erase_flag_notes(member) -> None:
    """The member's reports stay (a post they reported may still need a decision),
    without the note in their own words."""
    _model("moderation.Flag").objects.filter(reporter=member).update(note="")


def anonymise_notifications_about(member) -> None:
    """Other people's notifications that name the member ("Bob replied…", or a
    facilitator's reason quoted in one) say "Former member" instead."""
    identity = identity_of(member)
    if identity is None:
        return
    model = _model("notifications.Notification")
    distinctive = identity.distinctive
    mentions = Q(actor=member)
    for word in distinctive:
        mentions |= Q(text__icontains=word)
    for notification in model.objects.filter(mentions).only("pk", "actor_id", "text"):
        words = (
            [*distinctive, *identity.names, identity.username] if notification.actor_id == member.pk else distinctive
        )
        text = scrub(notification.text, words, ERASED_NAME)[:300]
        if text != notification.text:
            model.objects.filter(pk=notification.pk).update(text=text)


def revoke_reply_addresses(member) -> None:
    """Bump, never delete: without a row the version falls back to 1 and the member's
    first reply-by-email addresses would work again."""
    model = _model("notifications.ReplyTokenVersion")
    row, created = model.objects.get_or_create(user=member, defaults={"version": 2})
    if not created:
        model.objects.filter(pk=row.pk).update(version=F("version") + 1)


def erase_outgoing_email(member) -> None:
    """The outbox's copies of email to them, and of email to others that names them
    (a join request, a report): sent ones are kept only for support, and one not yet
    sent about someone who has gone need not go."""
    identity = identity_of(member)
    if identity is None:
        return
    rows = Q(to__in=identity.addresses)
    for word in identity.distinctive:
        rows |= Q(subject__icontains=word) | Q(content__icontains=word)
    _model("notifications.OutgoingEmail").objects.filter(rows).delete()


def _their_inbound(member):
    identity = identity_of(member)
    addresses = list(identity.addresses) if identity else []
    return _model("notifications.InboundMessage").objects.filter(Q(user=member) | Q(sender__in=addresses))


def erase_queued_tasks(member) -> None:
    """Background task rows that would email them (a bounce to their address) or that
    mention an address of theirs (a failed send's error)."""
    model = _model("django_tasks_database.DBTaskResult")
    identity = identity_of(member)
    inbound_ids = list(_their_inbound(member).values_list("pk", flat=True))
    rows = Q(task_path__endswith=".send_bounce", args_kwargs__args__0__in=inbound_ids) if inbound_ids else Q(pk=None)
    for address in identity.addresses if identity else ():
        rows |= (
            Q(args_kwargs__icontains=address) | Q(return_value__icontains=address) | Q(traceback__icontains=address)
        )
    model.objects.filter(rows).delete()


def anonymise_inbound_log(member) -> None:
    """The inbound-email log keeps its rows (the Message-ID is what stops a message
    being posted twice) without their address, subject or reply address."""
    identity = identity_of(member)
    addresses = identity.addresses if identity else ()
    for row in _their_inbound(member).only("pk", "reason"):
        reason = scrub(row.reason, addresses, "their address")[:500]
        type(row).objects.filter(pk=row.pk).update(sender="", recipient="", subject="", reason=reason)


def erase_sessions(member) -> None:
    """Sign the member out everywhere. Sessions are not indexed by member, so the
    unexpired ones are read: erasure is rare and this is its one slow step."""
    model = _model("sessions.Session")
    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore()
    theirs = []
    for key, data in model.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data"):
        if store.decode(data).get("_auth_user_id") == str(member.pk):
            theirs.append(key)
    model.objects.filter(session_key__in=theirs).delete()


def anonymise_admin_history(member) -> None:
    """The admin's change history keeps its entries about the member's account, under
    "Former member"."""
    model = _model("admin.LogEntry")
    content_type = _model("contenttypes.ContentType").objects.get_for_model(type(member))
    model.objects.filter(content_type=content_type, object_id=str(member.pk)).update(object_repr=ERASED_NAME)


def erase_exports(member) -> None:
    """Community exports they asked for, and their files once the erasure commits (the
    moderation log keeps that a private community was exported)."""
    model = _model("records.CommunityExport")
    if model is None:
        return
    exports = list(model.objects.filter(requested_by=member).exclude(file=""))
    for export in exports:
        storage, name = export.file.storage, export.file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    model.objects.filter(requested_by=member).delete()


def anonymise_archived_names(member) -> None:
    """Posts imported from a mailing-list archive under their full name (sent from an
    address they never verified here) say “Former member”. Their imported posts sent
    from a verified address are theirs already, and show as the erased account."""
    identity = identity_of(member)
    names = Q(pk__in=[])
    for name in identity.names if identity else ():
        if " " in name:  # a lone first name could be someone else's
            names |= Q(archived_author_name__iexact=name)
    _model("forums.Post").objects.filter(names).update(archived_author_name=ERASED_NAME)


def clear_permissions(member) -> None:
    member.groups.clear()
    member.user_permissions.clear()


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
