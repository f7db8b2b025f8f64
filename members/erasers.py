"""The functions that erase or anonymise what names a member, record by record, and
who the member was (read before anything is erased). `members.erasure.RULES` says which
runs for which field, and in what order.

Models are looked up by label, so these can reach models of apps above this one
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

# What erases one kind of record for a member.
Eraser = Callable[[Any], None]


def model_or_none(label: str):
    """The installed model with this label, or None if its app is not installed."""
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
    email_address = model_or_none("account.EmailAddress")
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
        model = model_or_none(label)
        if model is not None:
            model.objects.filter(**{field: member}).delete()

    erase.__name__ = f"delete_{label}_{field}"
    return erase


def erase_attachments(member) -> None:
    """Files on the member's posts go, from storage too once the erasure commits."""
    model = model_or_none("forums.Attachment")
    attachments = list(model.objects.filter(post__author=member))
    for attachment in attachments:
        storage, name = attachment.file.storage, attachment.file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    model.objects.filter(pk__in=[a.pk for a in attachments]).delete()


def erase_revisions(member) -> None:
    """Earlier versions of the member's posts; the post as it stands stays."""
    model_or_none("forums.PostRevision").objects.filter(post__author=member).delete()


def erase_invitations(member) -> None:
    """Invitations to the member's account or any address they used: facilitators'
    lists then hold neither their address nor the name they were invited under."""
    identity = identity_of(member)
    addresses = Q(pk__in=[])
    for address in identity.addresses if identity else ():
        addresses |= Q(email__iexact=address)
    model_or_none("communities.Invitation").objects.filter(Q(user=member) | addresses).delete()


def erase_flag_notes(member) -> None:
    """The member's reports stay (a post they reported may still need a decision),
    without the note in their own words."""
    model_or_none("moderation.Flag").objects.filter(reporter=member).update(note="")


def anonymise_notifications_about(member) -> None:
    """Other people's notifications that name the member ("Bob replied…", or a
    facilitator's reason quoted in one) say "Former member" instead."""
    identity = identity_of(member)
    if identity is None:
        return
    model = model_or_none("notifications.Notification")
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
    model = model_or_none("notifications.ReplyTokenVersion")
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
    model_or_none("notifications.OutgoingEmail").objects.filter(rows).delete()


def _their_inbound(member):
    identity = identity_of(member)
    addresses = list(identity.addresses) if identity else []
    return model_or_none("notifications.InboundMessage").objects.filter(Q(user=member) | Q(sender__in=addresses))


def erase_queued_tasks(member) -> None:
    """Background task rows that would email them (a bounce to their address) or that
    mention an address of theirs (a failed send's error)."""
    model = model_or_none("django_tasks_database.DBTaskResult")
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
    model = model_or_none("sessions.Session")
    store: SessionBase = import_module(settings.SESSION_ENGINE).SessionStore()
    theirs = []
    for key, data in model.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data"):
        if store.decode(data).get("_auth_user_id") == str(member.pk):
            theirs.append(key)
    model.objects.filter(session_key__in=theirs).delete()


def anonymise_admin_history(member) -> None:
    """The admin's change history keeps its entries about the member's account, under
    "Former member"."""
    model = model_or_none("admin.LogEntry")
    content_type = model_or_none("contenttypes.ContentType").objects.get_for_model(type(member))
    model.objects.filter(content_type=content_type, object_id=str(member.pk)).update(object_repr=ERASED_NAME)


def erase_exports(member) -> None:
    """Community exports they asked for, and their files once the erasure commits (the
    moderation log keeps that a private community was exported)."""
    model = model_or_none("records.CommunityExport")
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
    model_or_none("forums.Post").objects.filter(names).update(archived_author_name=ERASED_NAME)


def clear_permissions(member) -> None:
    member.groups.clear()
    member.user_permissions.clear()
