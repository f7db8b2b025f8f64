"""Moderation writes: one keyword-only function per decision, each atomic, each
recorded in the append-only log. Views check permissions (communities.permissions)
before calling these; the services keep counters and trees consistent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from communities.models import Community
from forums import events as forum_events
from forums.counters import counts_refresh
from forums.models import Post
from forums.services import count_published_reply, mentions_announce
from moderation import emails, events
from moderation.models import CommunityModerationSettings, Flag, ModerationAction

A = ModerationAction.Action
T = ModerationAction.TargetType


class ModerationError(ValueError):
    """A decision that cannot be made in the current state (shown to the facilitator)."""


def _snapshot(text: str) -> str:
    return Truncator(" ".join(str(text).split())).chars(300)


def _post_log(post: Post, *, actor, action: str, **states) -> None:
    """One moderation log entry about a post, in its thread's community (states:
    from_state, to_state, reason)."""
    author = post.author.username if post.author else "deleted member"
    log_action(
        actor=actor,
        action=action,
        community=post.thread.community,
        target_type=T.POST,
        target_id=post.pk,
        target_text=_snapshot(f"{author} in “{post.thread.title}”: {post.body}"),
        **states,
    )


def log_action(
    *,
    actor,
    action: str,
    target_type: str,
    target_id: int,
    target_text: str,
    community: Community | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
) -> ModerationAction:
    """Append one entry to the moderation log. Other apps' moderation services (pin,
    lock, ban) call this too."""
    return ModerationAction.objects.create(
        actor=actor,
        actor_name=_snapshot(f"{actor.name} ({actor.username})") if actor else "CommsNet",
        community=community,
        community_name=community.name if community else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_text=_snapshot(target_text),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )


def notify_after_commit(callback) -> None:
    """After commit; robust, so a mail server being down never fails a decision that
    is already saved (the error is logged)."""
    transaction.on_commit(callback, robust=True)


# Flags -------------------------------------------------------------------------------


class FlagAlreadyOpen(ModerationError):
    pass


@transaction.atomic
def flag_create(*, post: Post, reporter, reason: str, note: str = "") -> Flag:
    """A member reports a post. One open report per member per post."""
    if Flag.objects.filter(post=post, reporter=reporter, status=Flag.Status.OPEN).exists():
        raise FlagAlreadyOpen("You have already reported this post. A facilitator will look at it soon.")
    flag = Flag.objects.create(
        post=post, community_id=post.thread.community_id, reporter=reporter, reason=reason, note=note
    )
    notify_after_commit(lambda: events.flag_raised.send(sender=Flag, flag=flag))
    return flag


def _resolve_flags(flags, *, actor, status: str) -> None:
    now = timezone.now()
    resolved = list(flags.select_for_update(of=("self",)).select_related("reporter", "post__thread"))
    for flag in resolved:
        flag.status, flag.resolved_at, flag.resolved_by = status, now, actor
    Flag.objects.bulk_update(resolved, ["status", "resolved_at", "resolved_by"])
    for flag in resolved:
        notify_after_commit(lambda flag=flag: emails.flag_resolved(flag))


@transaction.atomic
def flag_dismiss(*, flag: Flag, actor, reason: str = "") -> Flag:
    """No action needed: the report is closed and the reporter told."""
    if flag.status != Flag.Status.OPEN:
        raise ModerationError("This report has already been dealt with.")
    _resolve_flags(Flag.objects.filter(pk=flag.pk), actor=actor, status=Flag.Status.DISMISSED)
    _post_log(
        flag.post,
        actor=actor,
        action=A.FLAG_DISMISS,
        from_state=f"reported: {flag.get_reason_display()}",
        to_state="kept",
        reason=reason,
    )
    flag.refresh_from_db()
    return flag


# Posts -------------------------------------------------------------------------------


def listed_threads_recount(*communities) -> None:
    """A thread was listed or unlisted: recount (forums.counters); the community counts as active."""
    counts_refresh(communities=communities, active_at=timezone.now())


@transaction.atomic
def post_approve(*, post: Post, actor) -> Post:
    """Publish a held post: a held opening post also brings its thread into lists."""
    post = Post.objects.select_for_update(of=("self",)).select_related("thread__community", "author").get(pk=post.pk)
    if post.status != Post.Status.HELD:
        raise ModerationError("This post is not waiting for approval.")
    post.status, post.moderation_reason = Post.Status.PUBLISHED, ""
    post.save(update_fields=["status", "moderation_reason"])
    thread = post.thread
    if post.is_opening:
        thread.is_hidden = False
        thread.last_activity_at = timezone.now()
        thread.save(update_fields=["is_hidden", "last_activity_at"])
        listed_threads_recount(thread.community_id)
        # Mentions first: notifications then spares the mentioned a second "reply" notice.
        mentions_announce(post)
        notify_after_commit(lambda: forum_events.post_published.send(sender=Post, post=post))
    else:
        count_published_reply(post)
    _post_log(
        post,
        actor=actor,
        action=A.POST_APPROVE,
        from_state=Post.Status.HELD,
        to_state=Post.Status.PUBLISHED,
    )
    notify_after_commit(lambda: events.post_approved.send(sender=Post, post=post))
    return post


@transaction.atomic
def post_hide(*, post: Post, actor, reason: str) -> Post:
    """Hide a post with a reason its author sees. Hiding an opening post hides its
    thread. Open reports on it are closed as upheld and their reporters told."""
    post = Post.objects.select_for_update(of=("self",)).select_related("thread__community", "author").get(pk=post.pk)
    if post.status not in (Post.Status.PUBLISHED, Post.Status.HELD):
        raise ModerationError("This post is already hidden or deleted.")
    was = post.status
    post.status, post.moderation_reason = Post.Status.HIDDEN, reason
    post.save(update_fields=["status", "moderation_reason"])
    thread = post.thread
    if post.is_opening and not thread.is_hidden:
        thread.is_hidden = True
        thread.save(update_fields=["is_hidden"])
        listed_threads_recount(thread.community_id)
    elif not post.is_opening and was == Post.Status.PUBLISHED:
        counts_refresh(threads=[thread])
    _resolve_flags(Flag.objects.filter(post=post, status=Flag.Status.OPEN), actor=actor, status=Flag.Status.UPHELD)
    _post_log(
        post,
        actor=actor,
        action=A.POST_HIDE,
        from_state=was,
        to_state=Post.Status.HIDDEN,
        reason=reason,
    )
    notify_after_commit(lambda: emails.post_hidden(post))
    return post


@transaction.atomic
def post_restore(*, post: Post, actor, reason: str = "") -> Post:
    """Undo a hide: the post is published again (and its thread, for an opening post)."""
    post = Post.objects.select_for_update(of=("self",)).select_related("thread__community", "author").get(pk=post.pk)
    if post.status != Post.Status.HIDDEN:
        raise ModerationError("This post is not hidden.")
    post.status, post.moderation_reason = Post.Status.PUBLISHED, ""
    post.save(update_fields=["status", "moderation_reason"])
    thread = post.thread
    if post.is_opening and thread.is_hidden:
        thread.is_hidden = False
        thread.save(update_fields=["is_hidden"])
        listed_threads_recount(thread.community_id)
    elif not post.is_opening:
        counts_refresh(threads=[thread])
    _post_log(
        post,
        actor=actor,
        action=A.POST_RESTORE,
        from_state=Post.Status.HIDDEN,
        to_state=Post.Status.PUBLISHED,
        reason=reason,
    )
    return post


# Settings ----------------------------------------------------------------------------


@transaction.atomic
def moderation_settings_update(
    *, community: Community, actor, hold_first_posts: int, premoderate_all: bool
) -> CommunityModerationSettings:
    chosen, _ = CommunityModerationSettings.objects.select_for_update().get_or_create(community=community)
    before = f"hold first {chosen.hold_first_posts}; everyone: {'yes' if chosen.premoderate_all else 'no'}"
    chosen.hold_first_posts, chosen.premoderate_all = hold_first_posts, premoderate_all
    chosen.save(update_fields=["hold_first_posts", "premoderate_all"])
    log_action(
        actor=actor,
        action=A.SETTINGS_CHANGE,
        community=community,
        target_type=T.COMMUNITY,
        target_id=community.pk,
        target_text=community.name,
        from_state=before,
        to_state=f"hold first {hold_first_posts}; everyone: {'yes' if premoderate_all else 'no'}",
    )
    return chosen
