"""Writes with consequences in the forums: one function per action, called by the
web views and the email bridge alike (STYLE.md, "Services for writes")."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from communities.models import Community
from communities.permissions import can_post_in, can_reply, can_view_community, can_view_thread
from forums import events
from forums.counters import counts_refresh
from forums.forms import MAX_BODY
from forums.models import (
    MAX_DISPLAY_DEPTH,
    SORT_PATH_WIDTH,
    Attachment,
    CommunityForumSettings,
    HelpfulMark,
    Mention,
    Post,
    PostRevision,
    Thread,
    ThreadSubscription,
)
from forums.policy import held_post_note, initial_post_status, posting_blocked_reason
from forums.rendering import render_post


class PostingRefused(Exception):
    """`thread_start` or `post_reply` will not post: `reason` says which rule (one of
    `Reason`), `message` is a sentence for the author. The web shows it on a page or the
    form, the email path bounces it in its own words."""

    class Reason(StrEnum):
        CANNOT_SEE = "cannot_see"  # the community or thread is not theirs to read
        ARCHIVED = "archived"  # the community is archived: read only
        NOT_MEMBER = "not_member"  # not an active member (or banned, or not yet approved)
        LOCKED = "locked"  # a facilitator locked the thread
        PARENT_UNAVAILABLE = "parent_unavailable"  # the post replied to is held, hidden or deleted
        BLOCKED = "blocked"  # a mute or a rate limit (moderation.rules)

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason, self.message = reason, message


def thread_start_refusal(*, community: Community, author, limits: bool = True) -> PostingRefused | None:
    """Why `author` may not start a thread in `community` now, or None. Without `limits`,
    mutes and rate limits are left out (a form may be shown; posting meets them)."""
    R = PostingRefused.Reason
    if not can_view_community(author, community):
        return PostingRefused(R.CANNOT_SEE, "You cannot see this community.")
    if community.is_archived:
        return PostingRefused(R.ARCHIVED, f"{community.name} has been archived, so it is not taking new posts.")
    if not can_post_in(author, community):
        return PostingRefused(R.NOT_MEMBER, "Only members of this community can start threads.")
    blocked = limits and posting_blocked_reason(author=author, community=community, action="thread")
    return PostingRefused(R.BLOCKED, blocked) if blocked else None


def reply_refusal(*, thread: Thread, author, parent: Post | None = None, limits: bool = True) -> PostingRefused | None:
    """Why `author` may not reply in `thread` (to `parent`) now, or None. Without
    `limits`, mutes and rate limits are left out."""
    R = PostingRefused.Reason
    community = thread.community
    if not can_view_thread(author, thread):
        return PostingRefused(R.CANNOT_SEE, "The conversation is no longer available to you.")
    if community.is_archived:
        return PostingRefused(R.ARCHIVED, f"{community.name} has been archived, so it is not taking new posts.")
    if not can_post_in(author, community):
        return PostingRefused(R.NOT_MEMBER, "You cannot reply here.")
    if not can_reply(author, thread):
        return PostingRefused(R.LOCKED, f"This thread is locked: {thread.lock_reason}")
    if parent is not None and parent.status != Post.Status.PUBLISHED:
        return PostingRefused(R.PARENT_UNAVAILABLE, "You cannot reply here.")
    blocked = limits and posting_blocked_reason(author=author, community=community, action="reply")
    return PostingRefused(R.BLOCKED, blocked) if blocked else None


def _path_segment(pk: int) -> str:
    return str(pk).zfill(SORT_PATH_WIDTH)


def _create_post(*, thread: Thread, author, body: str, parent: Post | None, now, attachments=()) -> Post:
    # The web form says so first; this keeps the email path to the same limit.
    if len(body) > MAX_BODY:
        raise ValidationError(f"Your message must be {MAX_BODY:,} characters or fewer")
    status = initial_post_status(author=author, community=thread.community)
    note = held_post_note(author=author, community=thread.community) if status == Post.Status.HELD else ""
    body_html, mentioned = render_post(body)
    post = Post.objects.create(
        thread=thread,
        author=author,
        parent=parent,
        depth=0 if parent is None else parent.depth + 1,
        body=body,
        body_html=body_html,
        status=status,
        moderation_reason=note,
        created_at=now,
    )
    # The sort path needs the new id: ancestors' path + this id gives tree order.
    prefix = f"{parent.sort_path}." if parent is not None else ""
    post.sort_path = prefix + _path_segment(post.pk)
    post.save(update_fields=["sort_path"])
    _add_attachments(post, attachments)
    _record_mentions(post, mentioned, announce=False)
    if status == Post.Status.HELD:
        transaction.on_commit(lambda: events.post_held.send(sender=Post, post=post))
    return post


def _add_attachments(post: Post, attachments) -> None:
    """`attachments`: (uploaded file, content type, download name) checked by the form."""
    for upload, content_type, filename in attachments:
        Attachment.objects.create(
            post=post, file=upload, filename=filename, content_type=content_type, size=upload.size
        )


def _record_mentions(post: Post, users, *, announce: bool) -> None:
    """Store who a post mentions (only people who may read it); with `announce`, tell
    notifications about the newly mentioned if the post is visible."""
    already = set(post.mentions.values_list("user_id", flat=True)) if post.pk else set()
    new = [
        user
        for user in users
        if user.pk not in already and user.pk != post.author_id and can_view_thread(user, post.thread)
    ]
    Mention.objects.bulk_create([Mention(post=post, user=user) for user in new], ignore_conflicts=True)
    if announce and new and post.status == Post.Status.PUBLISHED:
        transaction.on_commit(lambda: events.users_mentioned.send(sender=Post, post=post, users=new))


def mentions_announce(post: Post) -> None:
    """A post became visible (posted, or approved): notify the members it mentions.
    Moderation calls this when it approves a held opening post."""
    # Someone suspended (or erased) while the post was held is no longer told.
    users = [mention.user for mention in post.mentions.select_related("user") if mention.user.is_listed]
    if users:
        transaction.on_commit(lambda: events.users_mentioned.send(sender=Post, post=post, users=users))


@transaction.atomic
def thread_start(
    *,
    community: Community,
    author,
    title: str,
    body: str,
    kind: str = Thread.Kind.QUESTION,
    tags=(),
    attachments=(),
) -> Thread:
    """Start a thread with its opening post, if `author` may (PostingRefused if not).
    Held opening posts keep the thread out of lists until a facilitator approves it
    (the moderation queue shows it)."""
    if refusal := thread_start_refusal(community=community, author=author):
        raise refusal
    now = timezone.now()
    # An announcement is pinned at the top of its community until it expires or is unpinned.
    thread = Thread.objects.create(
        community=community,
        author=author,
        title=title,
        kind=kind,
        created_at=now,
        last_activity_at=now,
        is_pinned=kind == Thread.Kind.ANNOUNCEMENT,
    )
    if tags:
        thread.tags.set(list(tags))
    post = _create_post(thread=thread, author=author, body=body, parent=None, now=now, attachments=attachments)
    if post.status == Post.Status.HELD:
        thread.is_hidden = True
        thread.save(update_fields=["is_hidden"])
    else:
        counts_refresh(communities=[community], active_at=now)
        # Mentions first: notifications then skip the mentioned in the "new post" round.
        mentions_announce(post)
        transaction.on_commit(lambda: events.post_published.send(sender=Post, post=post))
    return thread


@transaction.atomic
def post_reply(*, thread: Thread, author, body: str, parent: Post | None = None, attachments=()) -> Post:
    """Reply to the thread (its opening post) or to any reply in it, if `author` may
    (PostingRefused if not)."""
    if parent is not None and parent.thread_id != thread.pk:
        raise ValueError("The post being replied to is in another thread.")
    # Checked before the default parent: replying to the thread stays open when its
    # opening post was deleted.
    if refusal := reply_refusal(thread=thread, author=author, parent=parent):
        raise refusal
    now = timezone.now()
    if parent is None:
        parent = Post.objects.get(thread=thread, parent__isnull=True)
    post = _create_post(thread=thread, author=author, body=body, parent=parent, now=now, attachments=attachments)
    if post.status == Post.Status.PUBLISHED:
        count_published_reply(post)
    return post


def count_published_reply(post: Post) -> None:
    """Counters and activity when a reply becomes visible (on posting, or on approval)."""
    now = timezone.now()
    counts_refresh(threads=[post.thread_id], active_at=now)
    Community.objects.filter(pk=post.thread.community_id).update(last_activity_at=now)
    # Mentions first: notifications then skip the mentioned in the "new post" round.
    mentions_announce(post)
    transaction.on_commit(lambda: events.post_published.send(sender=Post, post=post))


def display_depth(post: Post) -> int:
    """Indentation for the tree view: capped, deeper replies sit at the cap."""
    return min(post.depth, MAX_DISPLAY_DEPTH)


@transaction.atomic
def post_edit(*, post: Post, editor, body: str) -> Post:
    """Change a post's body, keeping every version as a revision."""
    now = timezone.now()
    if not post.revisions.exists():
        # The first edit also records the original, so the history is complete.
        PostRevision.objects.create(post=post, body=post.body, edited_by=post.author, created_at=post.created_at)
    PostRevision.objects.create(post=post, body=body, edited_by=editor, created_at=now)
    post.body = body
    post.body_html, mentioned = render_post(body)
    post.edited_at = now
    post.save(update_fields=["body", "body_html", "edited_at"])
    _record_mentions(post, mentioned, announce=True)
    return post


@transaction.atomic
def post_delete(*, post: Post, by) -> Post:
    """Delete a post: its words go, its place in the tree stays ("This post was deleted")
    so replies still hang under it. The last version stays in the revision history."""
    post = Post.objects.select_for_update().select_related("thread__community").get(pk=post.pk)
    if post.status == Post.Status.DELETED:
        return post
    was_published = post.status == Post.Status.PUBLISHED
    PostRevision.objects.create(post=post, body=post.body, edited_by=by)
    post.status = Post.Status.DELETED
    post.body = ""
    post.body_html = ""
    post.save(update_fields=["status", "body", "body_html"])
    files = [attachment.file for attachment in Attachment.objects.filter(post=post)]
    Attachment.objects.filter(post=post).delete()
    transaction.on_commit(lambda: [file.delete(save=False) for file in files])
    if post.thread.accepted_answer_id == post.pk:
        Thread.objects.filter(pk=post.thread_id).update(accepted_answer=None)
    if was_published and not post.is_opening:
        counts_refresh(threads=[post.thread_id])
    return post


@transaction.atomic
def answer_accept(*, thread: Thread, post: Post, by) -> Thread:
    """Mark a published reply as the answer to a question (replacing any earlier one)."""
    if post.thread_id != thread.pk or post.is_opening or post.status != Post.Status.PUBLISHED:
        raise ValueError("Only a published reply in this thread can be the answer.")
    changed = thread.accepted_answer_id != post.pk
    thread.accepted_answer = post
    thread.save(update_fields=["accepted_answer"])
    if changed:
        transaction.on_commit(lambda: events.answer_accepted.send(sender=Post, thread=thread, post=post))
    return thread


@transaction.atomic
def answer_clear(*, thread: Thread, by) -> Thread:
    thread.accepted_answer = None
    thread.save(update_fields=["accepted_answer"])
    return thread


@transaction.atomic
def helpful_mark(*, post: Post, user) -> bool:
    """Record that `user` found `post` helpful; False if they already had."""
    _, created = HelpfulMark.objects.get_or_create(post=post, user=user)
    if created:
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
    return created


@transaction.atomic
def helpful_unmark(*, post: Post, user) -> bool:
    deleted, _ = HelpfulMark.objects.filter(post=post, user=user).delete()
    if deleted:
        Post.objects.filter(pk=post.pk, helpful_count__gt=0).update(helpful_count=F("helpful_count") - 1)
    return bool(deleted)


def thread_subscribe(*, thread: Thread, user, level: str | None) -> None:
    """Watch or mute a thread; level None goes back to the community's default."""
    if level is None:
        ThreadSubscription.objects.filter(thread=thread, user=user).delete()
        return
    ThreadSubscription.objects.update_or_create(thread=thread, user=user, defaults={"level": level})


# Every member's thread page writes this: in plain SQL, as the ORM's upsert took longer
# to build than PostgreSQL took to run it.
MARK_READ_SQL = """
    INSERT INTO forums_threadreadstate (user_id, thread_id, last_read_at) VALUES (%s, %s, %s)
    ON CONFLICT (user_id, thread_id) DO UPDATE SET last_read_at = EXCLUDED.last_read_at
"""


def thread_mark_read(*, thread: Thread, user, at=None) -> None:
    """Remember when `user` last read `thread`, in one upsert."""
    with connection.cursor() as cursor:
        cursor.execute(MARK_READ_SQL, [user.pk, thread.pk, at or timezone.now()])


def forum_settings_update(
    *, community: Community, by, restrict_tags: bool, allowed_tags: list[str], jargon_words: str | None = None
) -> None:
    """Save the community's tag choices and (unless None) its jargon list."""
    defaults = {"restrict_tags": restrict_tags, "allowed_tags": ", ".join(allowed_tags)}
    if jargon_words is not None:
        defaults["jargon_words"] = jargon_words
    CommunityForumSettings.objects.update_or_create(community=community, defaults=defaults)
