"""Building outgoing messages: text and HTML, with the headers that make mail
clients thread them (Message-ID, In-Reply-To, References), list headers
(List-Id, RFC 8058 one-click List-Unsubscribe) and a signed Reply-To.

Each builder re-checks permissions and returns None when the message must not go."""

from __future__ import annotations

import re
from email.utils import formataddr, parseaddr
from html import unescape
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from communities.models import Community
from communities.permissions import accepts_email_posts
from communities.welcome import claim_welcome
from core.text import one_line
from forums.models import Post, Thread
from notifications.mail_threading import post_message_id, threading_headers
from notifications.mail_threading import subject as thread_subject
from notifications.models import EmailDelivery
from notifications.selectors import (
    digest_highlights,
    digest_memberships,
    digest_posts,
    digest_tag_threads,
    digest_threads,
    email_stopped,
    followed_tags_digest_mode,
    may_email_post,
    may_receive_digest,
    may_receive_notification,
    opening_post_ids,
    wants_community_email,
)
from notifications.tokens import make_unsubscribe_token, reply_address

DIGEST_POSTS_PER_THREAD = 5
DIGEST_EXCERPT_WORDS = 30
RELATIVE_URL = re.compile(r'(?P<attr>\b(?:href|src))="/(?!/)')


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def absolute_links(html: str) -> str:
    """Site-relative links and images (mentions, uploads) made absolute for a mail client.
    The input is already-sanitised body_html; only the URL prefix changes."""
    return RELATIVE_URL.sub(lambda m: f'{m["attr"]}="{settings.SITE_URL}/', html)


def safe_reverse(name: str, fallback: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return fallback


def thread_url(thread: Thread) -> str:
    return absolute(
        safe_reverse("thread_detail", f"/threads/{thread.pk}/{thread.slug}/", pk=thread.pk, slug=thread.slug)
    )


def post_url(post_id: int) -> str:
    return absolute(safe_reverse("post_redirect", f"/posts/{post_id}/", pk=post_id))


def list_id(community: Community) -> str:
    return formataddr((one_line(community.name), f"{community.slug}.{settings.POST_DOMAIN}"))


def unsubscribe_url(token: str) -> str:
    return absolute(safe_reverse("email_unsubscribe", f"/email/unsubscribe/{token}/", token=token))


def unsubscribe_headers(token: str) -> dict[str, str]:
    mailto = f"mailto:unsubscribe@{settings.REPLY_DOMAIN}?subject=unsubscribe%20{token}"
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def sender(name: str) -> str:
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((f"{one_line(name)} via CommsNet", address))


def _message(*, subject, to, template, context, headers, from_name="CommsNet", reply_to=None, guard=None):
    context = {**context, "SITE_URL": settings.SITE_URL, "settings_url": absolute("/settings/email/")}
    message = EmailMultiAlternatives(
        # Names and titles saved before line breaks were cleaned from them must not
        # make Django refuse the message.
        subject=one_line(subject),
        body=render_to_string(f"emails/{template}.txt", context),
        from_email=sender(from_name) if from_name != "CommsNet" else settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=reply_to,
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    # Checked again by the outbox just before sending (notifications.outbox), so a
    # community narrowed, or a member removed, while the mail server was down still
    # gets nothing it may no longer read.
    message.guard = guard
    return message


def post_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    """A post in full, replyable, threaded under its parent."""
    post = Post.objects.select_related("thread__community", "author", "parent").get(pk=delivery.post_id)
    recipient = delivery.recipient
    if not may_email_post(recipient, post) or not _wants_email(recipient, post.thread.community_id, post.thread_id):
        return None
    thread, community = post.thread, post.thread.community
    token = make_unsubscribe_token(user_id=recipient.pk, community_ids=[community.pk], thread_id=thread.pk)
    headers = {
        **threading_headers(post),
        "List-Id": list_id(community),
        "List-Archive": f"<{absolute(community.get_absolute_url() if _has_url(community) else '/')}>",
        "Precedence": "list",
        **unsubscribe_headers(token),
    }
    if accepts_email_posts(community):
        headers["List-Post"] = f"<mailto:{community.slug}@{settings.POST_DOMAIN}>"
    author_name = post.author.name if post.author else "A former member"
    subject = thread_subject(community.name, thread, is_reply=post.parent_id is not None)
    context = {
        "post": post,
        "body_html": absolute_links(post.body_html),
        "thread": thread,
        "community": community,
        "author_name": author_name,
        "thread_url": thread_url(thread),
        "post_url": post_url(post.pk),
        "unsubscribe_url": unsubscribe_url(token),
        "recipient": recipient,
        "welcome": claim_welcome(community=community, user=recipient),
    }
    attached, linked = _split_attachments(list(post.attachments.all()))
    context["linked_files"] = [{"name": item.filename, "url": absolute(item.get_absolute_url())} for item in linked]
    reply_to = [reply_address(user=recipient, thread_id=thread.pk, post_id=post.pk)]
    message = _message(
        subject=subject,
        to=recipient.email,
        template="post",
        context=context,
        headers=headers,
        from_name=author_name,
        reply_to=reply_to,
        guard={"user": recipient.pk, "threads": [thread.pk], "posts": [post.pk], "members": True},
    )
    for item in attached:
        with item.file.open("rb") as file:
            message.attach(item.filename, file.read(), item.content_type)
    # The outbox keeps these by reference and reads them when it sends: one copy of a
    # file per recipient would fill the database (notifications.outbox).
    message.attachment_ids = [item.pk for item in attached]
    return message


def _split_attachments(attachments: list) -> tuple[list, list]:
    """Files attached while they fit in EMAIL_ATTACHMENTS_MAX_BYTES together (mail
    servers refuse large messages); the rest are links, which check who may download."""
    attached, linked, total = [], [], 0
    for item in attachments:
        if total + item.size <= settings.EMAIL_ATTACHMENTS_MAX_BYTES:
            attached.append(item)
            total += item.size
        else:
            linked.append(item)
    return attached, linked


def _has_url(community: Community) -> bool:
    try:
        community.get_absolute_url()
    except NoReverseMatch:
        return False
    return True


def notification_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    notification = delivery.notification
    recipient = delivery.recipient
    if notification is None or not may_receive_notification(recipient, notification):
        return None
    if not _wants_email(recipient, notification.community_id, notification.thread_id):
        return None
    token = make_unsubscribe_token(user_id=recipient.pk, kind=notification.kind)
    headers = {
        "Message-ID": f"<notification-{notification.pk}@{settings.POST_DOMAIN}>",
        "Auto-Submitted": "auto-generated",
        **unsubscribe_headers(token),
    }
    reply_to = None
    if notification.thread_id is not None and notification.post_id is not None:
        reply_to = [reply_address(user=recipient, thread_id=notification.thread_id, post_id=notification.post_id)]
        headers["In-Reply-To"] = post_message_id(notification.post_id)
        headers["References"] = post_message_id(notification.post_id)
    context = {
        "notification": notification,
        "url": absolute(notification.url),
        "recipient": recipient,
        "unsubscribe_url": unsubscribe_url(token),
        "kind_label": notification.get_kind_display(),
    }
    return _message(
        subject=notification.text,
        to=recipient.email,
        template="notification",
        context=context,
        headers=headers,
        reply_to=reply_to,
        guard={
            "user": recipient.pk,
            "threads": [notification.thread_id] if notification.thread_id else [],
            "posts": [notification.post_id] if notification.post_id else [],
        },
    )


def digest_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    """A member's digest for the period, grouped by community, then threads from the
    tags they follow in communities they have not joined; None when empty."""
    recipient = delivery.recipient
    if email_stopped(recipient):
        return None
    mode = "weekly" if delivery.key.startswith("digest-weekly") else "daily"
    community_ids = [
        m.community_id
        for m in digest_memberships(mode).filter(user=recipient).select_related("community")
        if may_receive_digest(recipient, m.community)
    ]
    since, until = delivery.period_start, delivery.period_end
    threads = digest_threads(recipient, community_ids, since, until)
    # Followed tags ride on a digest the member already gets (the daily one if any), so
    # they never bring a digest of their own, nor the same thread twice.
    with_tags = bool(community_ids) and followed_tags_digest_mode(recipient) == mode
    tag_threads = digest_tag_threads(recipient, since, until) if with_tags else []
    if not threads and not tag_threads:
        return None
    _add_digest_sections(recipient, threads + tag_threads, since, until, replyable={t.pk for t in threads})
    groups: dict[Community, list[Thread]] = {}
    for thread in threads:
        groups.setdefault(thread.community, []).append(thread)
    # "Stop these summaries" stops them from the member's digest communities, which
    # also carry the followed tags.
    token = make_unsubscribe_token(user_id=recipient.pk, community_ids=[c.pk for c in groups] or community_ids)
    # Highlights their facilitators sent in the period head the digest.
    highlights = digest_highlights(recipient, list(groups), since, until)
    context = {
        "groups": [{"community": c, "threads": items} for c, items in groups.items()],
        "tag_threads": tag_threads,
        "highlights": highlights,
        "period": "week" if mode == "weekly" else "day",
        "recipient": recipient,
        "unsubscribe_url": unsubscribe_url(token),
    }
    count = len(threads) + len(tag_threads)
    subject = f"Your {mode} summary from CommsNet: {count} conversation{'s' if count != 1 else ''}"
    headers = {
        "Message-ID": f"<{delivery.key}-{recipient.pk}@{settings.POST_DOMAIN}>",
        "Auto-Submitted": "auto-generated",
        **unsubscribe_headers(token),
    }
    # Community threads (and the highlights heading them) need the member still to
    # belong; followed-tag threads, from communities they have not joined, only that
    # they may still read them.
    shown = {thread.pk for thread in threads} | {t.pk for group in highlights for t in group["threads"]}
    guard = {
        "user": recipient.pk,
        "threads": sorted(shown),
        "members": True,
        "readable_threads": [thread.pk for thread in tag_threads],
    }
    return _message(
        subject=subject, to=recipient.email, template="digest", context=context, headers=headers, guard=guard
    )


def _wants_email(recipient, community_id: int | None, thread_id: int | None) -> bool:
    """Not stopped altogether, and not 'No email' from this community (unless they watch
    the thread)."""
    if email_stopped(recipient):
        return False
    return community_id is None or wants_community_email(recipient, community_id, thread_id)


def opening_words(html: str, words: int = DIGEST_EXCERPT_WORDS) -> str:
    """A post's first words as plain text (from its sanitised HTML); escaped where shown."""
    text = " ".join(unescape(strip_tags(html)).split())
    return Truncator(text).words(words, truncate=" …")


def _add_digest_sections(recipient, threads: list[Thread], since, until, *, replyable: set[int]) -> None:
    """Each thread's section: its new posts' authors and opening words, and for those in
    `replyable` (threads of the member's own communities) an address that replies in that
    thread (a reply-by-email token of its own, to the opening post)."""
    posts_by_thread: dict[int, list[Post]] = {}
    for post in digest_posts(recipient, threads, since, until):
        posts_by_thread.setdefault(post.thread_id, []).append(post)
    openings = opening_post_ids(threads)
    for thread in threads:
        posts = posts_by_thread.get(thread.pk, [])
        thread.url = thread_url(thread)
        thread.new_post_count = len(posts)
        thread.new_posts = [
            {
                "author": post.author.name if post.author else "A former member",
                "words": opening_words(post.body_html),
                "url": post_url(post.pk),
                "is_reply": post.parent_id is not None,
            }
            for post in posts[:DIGEST_POSTS_PER_THREAD]
        ]
        thread.more_posts = max(len(posts) - DIGEST_POSTS_PER_THREAD, 0)
        thread.reply_mailto = ""
        if thread.pk in replyable and thread.pk in openings and not thread.is_locked:
            address = reply_address(user=recipient, thread_id=thread.pk, post_id=openings[thread.pk])
            subject = quote(thread_subject(thread.community.name, thread, is_reply=True))
            thread.reply_address = address
            thread.reply_mailto = f"mailto:{address}?subject={subject}"


BUILDERS = {
    EmailDelivery.Kind.POST: post_message,
    EmailDelivery.Kind.NOTIFICATION: notification_message,
    EmailDelivery.Kind.DIGEST: digest_message,
}


def build_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    delivery = EmailDelivery.objects.select_related(
        "recipient", "notification__post__thread__community", "notification__thread__community"
    ).get(pk=delivery.pk)
    return BUILDERS[delivery.kind](delivery)
