"""Who hears of what happened: one function per event, called by notifications/handlers.py
after the apps below commit. Each keeps only people who may see it, skips their own
actions and muted threads, and records notifications and queued email (docs/email.md)."""

from __future__ import annotations

import logging
from operator import attrgetter

from django.db import transaction

from communities.models import Membership
from communities.permissions import can_moderate, can_view_post
from members.models import User
from notifications.emails import safe_reverse
from notifications.highlights import announcement_queue
from notifications.models import Notification
from notifications.selectors import every_post_member_ids, muted_user_ids, watcher_ids
from notifications.services import notifications_create, post_emails_queue

logger = logging.getLogger(__name__)
Kind = Notification.Kind


def _post_url(post) -> str:
    return safe_reverse("post_redirect", f"/posts/{post.pk}/", pk=post.pk)


def _thread_url(thread) -> str:
    return safe_reverse("thread_detail", f"/threads/{thread.pk}/{thread.slug}/", pk=thread.pk, slug=thread.slug)


def _community_url(community) -> str:
    return safe_reverse("community_home", f"/communities/{community.slug}/", slug=community.slug)


def _may_see(users, post) -> list:
    return [user for user in users if user is not None and can_view_post(user, post)]


@transaction.atomic
def post_published(post) -> None:
    """A post became visible: tell the people it answers, and email watchers and
    every-post members."""
    thread = post.thread
    author_id = post.author_id
    muted = muted_user_ids(thread)
    actor_name = post.author.name if post.author else "Someone"

    replied_to = {}
    if post.parent_id is not None:
        parent = post.parent
        if parent.author_id and parent.parent_id is not None:
            replied_to[parent.author_id] = f"{actor_name} replied to your post in “{thread.title}”"
        if thread.author_id and thread.author_id not in replied_to:
            replied_to[thread.author_id] = f"{actor_name} replied to your thread “{thread.title}”"
    watchers = watcher_ids(thread)
    if post.parent_id is not None:
        for user_id in watchers - replied_to.keys():
            replied_to[user_id] = f"{actor_name} replied in “{thread.title}”, a thread you watch"
    # Someone mentioned in the reply has already heard about it (forums sends mentions first).
    mentioned = Notification.objects.filter(post=post, kind=Kind.MENTION).values_list("recipient_id", flat=True)
    for user_id in {author_id, *muted, *mentioned}:
        replied_to.pop(user_id, None)
    people = {user.pk: user for user in User.objects.filter(pk__in=replied_to)}
    # In member order, as every other write to the unread tallies takes their rows
    # (notifications/migrations/0003), so two replies at once cannot deadlock.
    for user in sorted(_may_see(people.values(), post), key=attrgetter("pk")):
        notifications_create(
            recipients=[user],
            kind=Kind.REPLY,
            text=replied_to[user.pk],
            url=_post_url(post),
            actor=post.author,
            community=thread.community,
            thread=thread,
            post=post,
            # Watching means every post by email, whatever the member's choice for replies.
            email=user.pk not in watchers,
        )

    # Watchers of the thread and members who chose every post get the post by email.
    emailed = (watchers | every_post_member_ids(thread.community)) - muted - {author_id}
    post_emails_queue(post=post, user_ids=emailed)
    # An announcement goes to every other member at once, whatever their digest setting.
    announcement_queue(post)


@transaction.atomic
def user_mentioned(post, users) -> None:
    muted = muted_user_ids(post.thread)
    recipients = [u for u in users if u.pk != post.author_id and u.pk not in muted]
    actor_name = post.author.name if post.author else "Someone"
    notifications_create(
        recipients=_may_see(recipients, post),
        kind=Kind.MENTION,
        text=f"{actor_name} mentioned you in “{post.thread.title}”",
        url=_post_url(post),
        actor=post.author,
        community=post.thread.community,
        thread=post.thread,
        post=post,
    )


@transaction.atomic
def answer_accepted(thread, post) -> None:
    if post.author is None or post.author_id == thread.author_id:
        return
    notifications_create(
        recipients=_may_see([post.author], post),
        kind=Kind.ANSWER_ACCEPTED,
        text=f"Your reply was marked as the answer to “{thread.title}”",
        url=_post_url(post),
        actor=thread.author,
        community=thread.community,
        thread=thread,
        post=post,
    )


@transaction.atomic
def join_request_decided(membership, approved: bool, reason: str = "", *, email: bool = False) -> None:
    """The communities app emails the decision itself, so by default this is in-site only."""
    community = membership.community
    if approved:
        text = f"Your request to join {community.name} was approved"
    else:
        text = f"Your request to join {community.name} was declined" + (f": {reason}" if reason else "")
    notifications_create(
        recipients=[membership.user],
        kind=Kind.JOIN_DECIDED,
        text=text,
        url=_community_url(community) if approved else safe_reverse("community_directory", "/communities/"),
        community=community,
        email=email,
    )


@transaction.atomic
def invitation_sent(invitation, *, email: bool = False) -> None:
    """An invitation to someone who already has an account (invitation.user). The
    communities app emails the invitation link itself."""
    user = getattr(invitation, "user", None)
    if user is None:
        return
    community = invitation.community
    inviter = getattr(invitation, "invited_by", None)
    who = inviter.name if inviter else "A facilitator"
    notifications_create(
        recipients=[user],
        kind=Kind.INVITATION,
        text=f"{who} invited you to join {community.name}",
        url=_community_url(community),
        actor=inviter,
        community=community,
        email=email,
    )


@transaction.atomic
def post_moderated(post, approved: bool, reason: str = "", *, email: bool = True) -> None:
    if post.author is None:
        return
    thread = post.thread
    if approved:
        text = f"Your post in “{thread.title}” was approved and is now published"
    else:
        text = f"Your post in “{thread.title}” was hidden by a facilitator" + (f": {reason}" if reason else "")
    # The author may no longer see a hidden post: link to the thread, not the post, then.
    visible = can_view_post(post.author, post)
    notifications_create(
        recipients=[post.author],
        kind=Kind.POST_MODERATED,
        text=text,
        url=_post_url(post) if visible else _thread_url(thread),
        community=thread.community,
        thread=thread,
        post=post if visible else None,
        email=email,
    )


def post_hidden(post) -> None:
    """moderation's seam: it emails the author itself, so this is in-site only."""
    post_moderated(post, False, post.moderation_reason, email=False)


@transaction.atomic
def sanction_issued(sanction) -> None:
    """A warning or a mute (moderation emails the member itself)."""
    community = sanction.community
    kind_label = getattr(sanction, "get_kind_display", lambda: "message")().lower()
    notifications_create(
        recipients=[sanction.user],
        kind=Kind.SANCTION,
        text=f"The facilitators of {community.name} sent you a {kind_label}",
        url=_community_url(community),
        community=community,
        email=False,
    )


@transaction.atomic
def flag_resolved(flag, *, email: bool = False) -> None:
    """moderation emails the reporter itself, so by default this is in-site only."""
    post = flag.post
    upheld = getattr(flag, "status", "") == "upheld"
    outcome = "a facilitator took action" if upheld else "a facilitator decided no action was needed"
    visible = can_view_post(flag.reporter, post)
    notifications_create(
        recipients=[flag.reporter],
        kind=Kind.FLAG_RESOLVED,
        text=f"Thank you for your report about a post in “{post.thread.title}”: {outcome}",
        url=_post_url(post) if visible else _thread_url(post.thread),
        community=post.thread.community,
        thread=post.thread,
        post=post if visible else None,
        email=email,
    )


def _facilitators(community) -> list:
    memberships = Membership.objects.filter(
        community=community,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.FACILITATOR, Membership.Role.OWNER],
    ).select_related("user")
    return [m.user for m in memberships if can_moderate(m.user, community)]


@transaction.atomic
def join_request_received(membership, *, email: bool = False) -> None:
    """The communities app emails facilitators itself, so by default this is in-site only."""
    community = membership.community
    notifications_create(
        recipients=[u for u in _facilitators(community) if u.pk != membership.user_id],
        kind=Kind.JOIN_REQUEST,
        text=f"{membership.user.name} asked to join {community.name}",
        url=safe_reverse("community_requests", f"/communities/{community.slug}/requests/", slug=community.slug),
        actor=membership.user,
        community=community,
        email=email,
    )


@transaction.atomic
def review_item_added(community) -> None:
    """Something new is waiting in the community's review queue (a flag or a held post).
    One unread notice per facilitator is enough: it is not repeated while unread."""
    waiting = set(
        Notification.objects.filter(kind=Kind.REVIEW_ITEM, community=community, read_at__isnull=True).values_list(
            "recipient_id", flat=True
        )
    )
    notifications_create(
        recipients=[u for u in _facilitators(community) if u.pk not in waiting],
        kind=Kind.REVIEW_ITEM,
        text=f"Something new is waiting for review in {community.name}",
        url=safe_reverse("community_review", f"/communities/{community.slug}/review/", slug=community.slug),
        community=community,
    )
