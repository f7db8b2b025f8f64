"""A member's personal data across the apps: what "Download my data" contains. Apps
add their own sections with `register_export_section` (docs/records.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

from members.erasers import identity_of
from members.erasure import register_eraser  # noqa: F401  (the apps' seam)

ExportSection = Callable[[Any], Any]
_sections: dict[str, ExportSection] = {}


def register_export_section(name: str, function: ExportSection) -> None:
    _sections[name] = function


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _rows(label: str, user_field: str, member, fields: list[str] | None = None) -> list[dict]:
    """Rows of an optional model that belong to `member`, as plain dicts."""
    model = _model(label)
    if model is None:
        return []
    try:
        model._meta.get_field(user_field)
    except FieldDoesNotExist:
        return []
    wanted = [f for f in (fields or []) if _has_field(model, f)] or None
    queryset = model.objects.filter(**{user_field: member}).order_by("pk")
    return list(queryset.values(*wanted) if wanted else queryset.values())


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name.split("__")[0])
    except FieldDoesNotExist:
        return False
    return True


def profile_section(member) -> dict:
    return {
        "username": member.username,
        "email": member.email,
        "display_name": member.display_name,
        "job_title": member.job_title,
        "organisation": member.organisation.name if member.organisation_id else "",
        "organisation_other": member.organisation_other,
        "region": member.region,
        "bio": member.bio,
        "areas_of_expertise": sorted(member.expertise.names()),
        "website": member.website,
        "linkedin": member.linkedin,
        "social_handle": member.social_handle,
        "show_email": member.show_email,
        "has_photo": bool(member.avatar),
        "status": member.status,
        "why_you_wanted_to_join": member.join_reason,
        "date_joined": member.date_joined,
        "last_login": member.last_login,
        "email_addresses": _rows("account.EmailAddress", "user", member, ["email", "verified", "primary"]),
    }


def memberships_section(member) -> list[dict]:
    return _rows(
        "communities.Membership",
        "user",
        member,
        ["community__name", "community__slug", "role", "status", "created_at", "joined_at"],
    )


def _withhold_unseen(member, rows: list[dict], id_key: str, fields: list[str]) -> list[dict]:
    """Blank what describes a thread the member may no longer see (moved to a private
    community, or renamed since): the export holds their data, not other people's."""
    thread_model = _model("forums.Thread")
    if thread_model is None or not rows:
        return rows
    ids = {row[id_key] for row in rows if row.get(id_key) is not None}
    visible = set(thread_model.objects.visible_to(member).filter(pk__in=ids).values_list("pk", flat=True))
    for row in rows:
        if row.get(id_key) is not None and row[id_key] not in visible:
            row.update({field: None for field in fields if field in row})
    return rows


def threads_section(member) -> list[dict]:
    rows = _rows("forums.Thread", "author", member, ["id", "community__name", "title", "kind", "created_at"])
    return _withhold_unseen(member, rows, "id", ["community__name"])


def posts_section(member) -> list[dict]:
    rows = _rows(
        "forums.Post",
        "author",
        member,
        ["id", "thread_id", "thread__title", "body", "status", "created_at", "edited_at"],
    )
    return _withhold_unseen(member, rows, "thread_id", ["thread__title"])


def reactions_section(member) -> dict:
    return {
        "helpful_marks": _rows("forums.HelpfulMark", "user", member, ["post_id", "created_at"]),
        "reactions": _rows("forums.Reaction", "user", member),
    }


def notification_settings_section(member) -> dict:
    return {
        "email_by_kind": _rows("notifications.EmailKindPreference", "user", member, ["kind", "email_immediately"]),
        "email_by_community": _rows(
            "notifications.CommunityEmailPreference", "user", member, ["community__name", "mode", "updated_at"]
        ),
        "threads_watched_or_muted": _withhold_unseen(
            member,
            _rows("forums.ThreadSubscription", "user", member, ["thread_id", "thread__title", "level", "created_at"]),
            "thread_id",
            ["thread__title"],
        ),
        "tags_followed": _rows("forums.TagFollow", "user", member, ["tag__name", "created_at"]),
    }


def notifications_section(member) -> list[dict]:
    rows = _rows(
        "notifications.Notification",
        "recipient",
        member,
        ["id", "kind", "text", "url", "thread_id", "created_at", "read_at"],
    )
    return _withhold_unseen(member, rows, "thread_id", ["text", "url"])


def reports_made_section(member) -> list[dict]:
    """Their own reports: who else reported the post, or who decided, is not theirs."""
    rows = _rows(
        "moderation.Flag",
        "reporter",
        member,
        ["id", "post_id", "post__thread_id", "post__thread__title", "reason", "note", "status", "created_at"]
        + ["resolved_at"],
    )
    return _withhold_unseen(member, rows, "post__thread_id", ["post__thread__title"])


def sanctions_received_section(member) -> list[dict]:
    return _rows(
        "moderation.MemberSanction",
        "user",
        member,
        ["community__name", "kind", "message", "until", "created_at", "lifted_at"],
    )


def post_revisions_section(member) -> list[dict]:
    """Every kept version of their posts; whether they or a facilitator made it."""
    model = _model("forums.PostRevision")
    if model is None:
        return []
    revisions = model.objects.filter(post__author=member).order_by("post_id", "created_at", "pk")
    return [
        {
            "post_id": revision["post_id"],
            "body": revision["body"],
            "created_at": revision["created_at"],
            "edited_by_you": revision["edited_by_id"] == member.pk,
        }
        for revision in revisions.values("post_id", "body", "created_at", "edited_by_id")
    ]


def files_section(member) -> list[dict]:
    """Files they attached to posts, with a link to download each."""
    model = _model("forums.Attachment")
    if model is None:
        return []
    return [
        {
            "post_id": attachment.post_id,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "created_at": attachment.created_at,
            "link": settings.SITE_URL + attachment.get_absolute_url(),
        }
        for attachment in model.objects.filter(post__author=member).order_by("pk")
    ]


def inbound_email_section(member) -> list[dict]:
    """Emails received from them: those that became posts, and those refused."""
    model = _model("notifications.InboundMessage")
    identity = identity_of(member)
    if model is None or identity is None:
        return []
    rows = model.objects.filter(Q(user=member) | Q(sender__in=identity.addresses)).order_by("received_at", "pk")
    return list(rows.values("received_at", "sender", "recipient", "subject", "status", "reason", "post_id"))


for _name, _function in [
    ("profile", profile_section),
    ("memberships", memberships_section),
    ("threads", threads_section),
    ("posts", posts_section),
    ("post_revisions", post_revisions_section),
    ("files", files_section),
    ("reactions", reactions_section),
    ("notification_settings", notification_settings_section),
    ("notifications", notifications_section),
    ("reports_made", reports_made_section),
    ("sanctions_received", sanctions_received_section),
    ("inbound_email", inbound_email_section),
]:
    register_export_section(_name, _function)


def export_member_data(member) -> dict:
    return {name: function(member) for name, function in _sections.items()}
