"""Building outgoing messages: text and HTML, with the headers that make mail
clients thread them (Message-ID, In-Reply-To, References), list headers
(List-Id, RFC 8058 one-click List-Unsubscribe) and a signed Reply-To.

Each builder re-checks permissions and returns None when the message must not go."""

from __future__ import annotations

import re
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from communities.models import Community
from core.text import one_line
from forums.models import Post, Thread
from notifications.models import EmailDelivery
from notifications.selectors import digest_threads, may_email_post, may_receive_digest, may_receive_notification
from notifications.tokens import make_unsubscribe_token, reply_address

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


def post_message_id(post_id: int) -> str:
    return f"<post-{post_id}@{settings.POST_DOMAIN}>"


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


def _message(*, subject, to, template, context, headers, from_name="CommsNet", reply_to=None):
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
    return message


def post_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    """A post in full, replyable, threaded under its parent."""
    post = Post.objects.select_related("thread__community", "author", "parent").get(pk=delivery.post_id)
    recipient = delivery.recipient
    if not may_email_post(recipient, post):
        return None
    thread, community = post.thread, post.thread.community
    token = make_unsubscribe_token(user_id=recipient.pk, community_ids=[community.pk])
    opening_id = post.pk if post.parent_id is None else _opening_post_id(thread)
    headers = {
        "Message-ID": post_message_id(post.pk),
        "List-Id": list_id(community),
        "List-Post": f"<mailto:{community.slug}@{settings.POST_DOMAIN}>",
        "List-Archive": f"<{absolute(community.get_absolute_url() if _has_url(community) else '/')}>",
        "Precedence": "list",
        **unsubscribe_headers(token),
    }
    if post.parent_id is not None:
        references = [post_message_id(opening_id)]
        if post.parent_id != opening_id:
            references.append(post_message_id(post.parent_id))
        headers["In-Reply-To"] = post_message_id(post.parent_id)
        headers["References"] = " ".join(references)
    author_name = post.author.name if post.author else "A former member"
    subject = f"[{community.name}] {'' if post.parent_id is None else 'Re: '}{thread.title}"
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
    }
    reply_to = [reply_address(user=recipient, thread_id=thread.pk, post_id=post.pk)]
    return _message(
        subject=subject,
        to=recipient.email,
        template="post",
        context=context,
        headers=headers,
        from_name=author_name,
        reply_to=reply_to,
    )


def _opening_post_id(thread: Thread) -> int:
    return Post.objects.filter(thread=thread, parent__isnull=True).values_list("pk", flat=True).first()


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
    headers = {
        "Message-ID": f"<notification-{notification.pk}@{settings.POST_DOMAIN}>",
        "Auto-Submitted": "auto-generated",
    }
    reply_to = None
    if notification.thread_id is not None and notification.post_id is not None:
        reply_to = [reply_address(user=recipient, thread_id=notification.thread_id, post_id=notification.post_id)]
        headers["In-Reply-To"] = post_message_id(notification.post_id)
        headers["References"] = post_message_id(notification.post_id)
    context = {"notification": notification, "url": absolute(notification.url), "recipient": recipient}
    return _message(
        subject=notification.text,
        to=recipient.email,
        template="notification",
        context=context,
        headers=headers,
        reply_to=reply_to,
    )


def digest_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    """A member's digest for the period, grouped by community; None when empty."""
    from notifications.selectors import digest_memberships

    recipient = delivery.recipient
    mode = "weekly" if delivery.key.startswith("digest-weekly") else "daily"
    community_ids = [
        m.community_id
        for m in digest_memberships(mode).filter(user=recipient).select_related("community")
        if may_receive_digest(recipient, m.community)
    ]
    threads = digest_threads(recipient, community_ids, delivery.period_start, delivery.period_end)
    if not threads:
        return None
    groups: dict[Community, list[Thread]] = {}
    for thread in threads:
        thread.url = thread_url(thread)
        groups.setdefault(thread.community, []).append(thread)
    token = make_unsubscribe_token(user_id=recipient.pk, community_ids=[c.pk for c in groups])
    context = {
        "groups": [{"community": c, "threads": items} for c, items in groups.items()],
        "period": "week" if mode == "weekly" else "day",
        "recipient": recipient,
        "unsubscribe_url": unsubscribe_url(token),
    }
    subject = f"Your {mode} summary from CommsNet: {len(threads)} conversation{'s' if len(threads) != 1 else ''}"
    headers = {
        "Message-ID": f"<{delivery.key}-{recipient.pk}@{settings.POST_DOMAIN}>",
        "Auto-Submitted": "auto-generated",
        **unsubscribe_headers(token),
    }
    return _message(subject=subject, to=recipient.email, template="digest", context=context, headers=headers)


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
