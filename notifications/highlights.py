"""Highlights and announcements by email: one EmailDelivery per member, unique by key
and checked again when sent. Who gets which: docs/email.md, "Who is told"."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from communities.models import Community, Membership
from communities.permissions import can_view_thread
from forums.models import Post, Thread
from members.models import User
from notifications.emails import (
    _message,
    absolute,
    absolute_links,
    list_id,
    opening_words,
    post_url,
    reply_address,
    thread_url,
    unsubscribe_headers,
    unsubscribe_url,
)
from notifications.mail_threading import threading_headers
from notifications.models import EmailDelivery, EmailOptOut, HighlightsSend
from notifications.selectors import email_stopped, every_post_member_ids, may_email_post, may_receive_digest
from notifications.services import deliveries_queue
from notifications.tokens import make_unsubscribe_token


def _opted_out(kind: str, community: Community):
    return EmailOptOut.objects.filter(kind=kind, community=community).values("user_id")


def _member_ids(community: Community, kind: str, leave_out=()) -> list[int]:
    members = Membership.objects.filter(
        community=community, status=Membership.Status.ACTIVE, user__status=User.Status.APPROVED
    ).exclude(user_id__in=_opted_out(kind, community))
    return sorted(set(members.values_list("user_id", flat=True)) - set(leave_out))


def highlights_queue(sender=None, *, community: Community, actor, thread_ids: list[int], **kwargs) -> int:
    """Record the highlights and queue one email per member who gets them (not the sender)."""
    sent = HighlightsSend.objects.create(community=community, sent_by=actor, thread_ids=thread_ids)
    recipients = _member_ids(community, EmailOptOut.Kind.HIGHLIGHTS, leave_out=[actor.pk])
    deliveries_queue(
        deliveries=(
            EmailDelivery(
                recipient_id=user_id,
                key=f"highlights-{sent.pk}",
                kind=EmailDelivery.Kind.HIGHLIGHTS,
            )
            for user_id in recipients
        )
    )
    return len(recipients)


def _visible_threads(recipient, thread_ids: list[int]) -> list[Thread]:
    threads = {t.pk: t for t in Thread.objects.filter(pk__in=thread_ids).select_related("community")}
    shown = [threads[pk] for pk in thread_ids if pk in threads]
    return [thread for thread in shown if not thread.is_hidden and can_view_thread(recipient, thread)]


def _with_openings(threads: list[Thread]) -> list[Thread]:
    openings = {
        post.thread_id: post
        for post in Post.objects.filter(thread__in=threads, parent__isnull=True, status=Post.Status.PUBLISHED)
    }
    for thread in threads:
        opening = openings.get(thread.pk)
        thread.url = thread_url(thread)
        thread.words = opening_words(opening.body_html) if opening else ""
    return threads


def highlights_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    recipient = delivery.recipient
    # The key names the send ("highlights-<id>"), which names the community.
    sent = HighlightsSend.objects.filter(pk=int(delivery.key.rsplit("-", 1)[1])).select_related("community").first()
    if sent is None or email_stopped(recipient):
        return None
    community = sent.community
    if not may_receive_digest(recipient, community):
        return None
    if EmailOptOut.objects.filter(user=recipient, kind=EmailOptOut.Kind.HIGHLIGHTS, community=community).exists():
        return None
    threads = _with_openings(_visible_threads(recipient, sent.thread_ids))
    if not threads:
        return None
    token = make_unsubscribe_token(
        user_id=recipient.pk, community_ids=[community.pk], opt_out=EmailOptOut.Kind.HIGHLIGHTS
    )
    headers = {
        "Message-ID": f"<{delivery.key}-{recipient.pk}@{settings.POST_DOMAIN}>",
        "List-Id": list_id(community),
        "Auto-Submitted": "auto-generated",
        **unsubscribe_headers(token),
    }
    context = {
        "recipient": recipient,
        "community": community,
        "community_url": absolute(community.get_absolute_url()),
        "threads": threads,
        "sent_by": sent.sent_by.name if sent.sent_by else "A facilitator",
        "unsubscribe_url": unsubscribe_url(token),
    }
    return _message(
        subject=f"Highlights from {community.name}",
        to=recipient.email,
        template="highlights",
        context=context,
        headers=headers,
        from_name=community.name,
        guard={"user": recipient.pk, "threads": [thread.pk for thread in threads], "members": True},
    )


def announcement_queue(post: Post) -> int:
    """An announcement's opening post is published: email every member at once."""
    thread = post.thread
    if post.parent_id is not None or thread.kind != Thread.Kind.ANNOUNCEMENT:
        return 0
    community = thread.community
    leave_out = {post.author_id, *every_post_member_ids(community)}
    recipients = _member_ids(community, EmailOptOut.Kind.ANNOUNCEMENTS, leave_out=leave_out)
    deliveries_queue(
        deliveries=(
            EmailDelivery(
                recipient_id=user_id,
                key=f"announcement-{thread.pk}",
                kind=EmailDelivery.Kind.ANNOUNCEMENT,
                post=post,
            )
            for user_id in recipients
        )
    )
    return len(recipients)


def announcement_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    recipient = delivery.recipient
    post = Post.objects.select_related("thread__community", "author").filter(pk=delivery.post_id).first()
    if post is None or email_stopped(recipient) or not may_email_post(recipient, post):
        return None
    thread, community = post.thread, post.thread.community
    if EmailOptOut.objects.filter(user=recipient, kind=EmailOptOut.Kind.ANNOUNCEMENTS, community=community).exists():
        return None
    token = make_unsubscribe_token(
        user_id=recipient.pk, community_ids=[community.pk], opt_out=EmailOptOut.Kind.ANNOUNCEMENTS
    )
    headers = {
        **threading_headers(post),
        "List-Id": list_id(community),
        "Precedence": "list",
        **unsubscribe_headers(token),
    }
    author_name = post.author.name if post.author else "A former member"
    context = {
        "recipient": recipient,
        "community": community,
        "thread": thread,
        "post": post,
        "body_html": absolute_links(post.body_html),
        "author_name": author_name,
        "thread_url": thread_url(thread),
        "post_url": post_url(post.pk),
        "unsubscribe_url": unsubscribe_url(token),
    }
    reply_to = None if thread.is_locked else [reply_address(user=recipient, thread_id=thread.pk, post_id=post.pk)]
    return _message(
        subject=f"[{community.name}] Announcement: {thread.title}",
        to=recipient.email,
        template="announcement",
        context=context,
        headers=headers,
        from_name=author_name,
        reply_to=reply_to,
        guard={"user": recipient.pk, "threads": [thread.pk], "posts": [post.pk], "members": True},
    )
