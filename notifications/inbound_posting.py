"""Posting what an email asks for: a Draft (who, where, what) is checked by the web's
rules and posted through the same forum services as the web. Used when an email arrives
(notifications/inbound.py) and when a held one is confirmed (inbound_holds.py)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

from django.conf import settings

from communities.models import Community
from communities.permissions import accepts_email_posts, can_view_post
from forums import services as forum_services
from forums.forms import MAX_BODY
from forums.models import Post, Thread
from forums.services import PostingRefused
from members.models import User
from notifications.inbound_reading import POST_MESSAGE_ID, Rejected, checked_attachments

UNRECOGNISED_ADDRESS = "We did not recognise the address you sent it to."
ARCHIVED = "{} has been archived, so it is not taking new posts."


def parent_post(message: Message, thread: Thread, user, token_post_id: int) -> Post | None:
    """The post being answered: the one In-Reply-To names if it is in the token's
    thread (a member replying to a later email in the same conversation), else the
    token's post. The header only chooses within the thread the token grants."""
    candidates = [token_post_id]
    match = POST_MESSAGE_ID.search(str(message.get("In-Reply-To", "")))
    if match and match["domain"].lower() == settings.POST_DOMAIN.lower():
        candidates.insert(0, int(match["pk"]))
    for pk in candidates:
        post = Post.objects.filter(pk=pk, thread=thread, status=Post.Status.PUBLISHED).first()
        if post is not None and can_view_post(user, post):
            return post
    return None  # reply to the conversation instead


@dataclass
class Draft:
    """What an email asks to post, once we know who it is for and what it says.
    `trusted` is False when we cannot be sure the member sent it: then it is held."""

    user: User
    community: Community
    body: str
    trusted: bool
    thread: Thread | None = None  # a reply's thread; None for a new thread
    parent: Post | None = None
    title: str = ""
    # A forwarded reply-all chain (notifications.chain_split): previewed, never posted as is.
    chain: list | None = None


def _bounce(refusal: PostingRefused, community: Community, *, new_thread: bool) -> str:
    """What a refused email is told: the forum services' reason, in the email's words."""
    R = PostingRefused.Reason
    if refusal.reason == R.BLOCKED:  # a mute or a rate limit: the same sentence as the web
        return refusal.message
    if refusal.reason == R.ARCHIVED:
        return ARCHIVED.format(community.name)
    if new_thread:
        if refusal.reason == R.CANNOT_SEE:
            return UNRECOGNISED_ADDRESS
        return f"Only members of {community.name} can start conversations by email."
    if refusal.reason == R.CANNOT_SEE:
        return "The conversation you replied to is no longer available to you."
    if refusal.reason == R.LOCKED:
        return "The conversation is locked, so it is not taking new replies."
    return f"You cannot post in {community.name} at the moment."


def check_draft(draft: Draft) -> None:
    """The forum services' rules (the web's), asked when an email arrives and again when
    a held one is confirmed, so a refusal bounces before anything is held; then email's own."""
    user, community = draft.user, draft.community
    if draft.thread is None:
        refusal = forum_services.thread_start_refusal(community=community, author=user)
        early = refusal is not None and refusal.reason in (
            PostingRefused.Reason.CANNOT_SEE,
            PostingRefused.Reason.ARCHIVED,
        )
        if early:
            raise Rejected(_bounce(refusal, community, new_thread=True))
        if not accepts_email_posts(community):
            raise Rejected(f"{community.name} does not take new conversations by email. Start one on the site.")
    else:
        # The parent is not asked about: an unavailable one means replying to the thread.
        refusal = forum_services.reply_refusal(thread=draft.thread, author=user)
    if refusal is not None:
        raise Rejected(_bounce(refusal, community, new_thread=draft.thread is None))
    if len(draft.body) > MAX_BODY:
        raise Rejected(
            f"Your message was {len(draft.body):,} characters long. Posts can be up to {MAX_BODY:,} characters, "
            "so shorten it and send it again, or post it on the site."
        )


def publish_draft(draft: Draft, message: Message) -> Post:
    """Post through the same forum services as the web, after the same checks."""
    check_draft(draft)
    attachments = checked_attachments(message)
    parent = draft.parent
    if parent is not None and (parent.status != Post.Status.PUBLISHED or not can_view_post(draft.user, parent)):
        parent = None
    try:
        if draft.thread is None:
            fields = {"title": draft.title, "body": draft.body, "attachments": attachments}
            thread = forum_services.thread_start(community=draft.community, author=draft.user, **fields)
            return Post.objects.get(thread=thread, parent__isnull=True)
        return forum_services.post_reply(
            thread=draft.thread, author=draft.user, body=draft.body, parent=parent, attachments=attachments
        )
    except PostingRefused as refusal:  # the rules changed since check_draft (a lock, a mute)
        raise Rejected(_bounce(refusal, draft.community, new_thread=draft.thread is None)) from refusal
