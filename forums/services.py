"""Writes with consequences in the forums: one function per action, called by the
web views and the email bridge alike (STYLE.md, "Services for writes")."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities.models import Community
from core.markdown import render_markdown
from forums.models import MAX_DISPLAY_DEPTH, SORT_PATH_WIDTH, Post, Thread
from forums.policy import initial_post_status, on_post_published


def _path_segment(pk: int) -> str:
    return str(pk).zfill(SORT_PATH_WIDTH)


def _create_post(*, thread: Thread, author, body: str, parent: Post | None, now) -> Post:
    status = initial_post_status(author=author, community=thread.community)
    post = Post.objects.create(
        thread=thread,
        author=author,
        parent=parent,
        depth=0 if parent is None else parent.depth + 1,
        body=body,
        body_html=render_markdown(body),
        status=status,
        created_at=now,
    )
    # The sort path needs the new id: ancestors' path + this id gives tree order.
    prefix = f"{parent.sort_path}." if parent is not None else ""
    post.sort_path = prefix + _path_segment(post.pk)
    post.save(update_fields=["sort_path"])
    return post


@transaction.atomic
def thread_start(
    *, community: Community, author, title: str, body: str, kind: str = Thread.Kind.QUESTION, tags=()
) -> Thread:
    """Start a thread with its opening post. Held opening posts keep the thread out of
    lists until a facilitator approves it (the moderation queue shows it)."""
    now = timezone.now()
    thread = Thread.objects.create(
        community=community, author=author, title=title, kind=kind, created_at=now, last_activity_at=now
    )
    if tags:
        thread.tags.set(list(tags))
    post = _create_post(thread=thread, author=author, body=body, parent=None, now=now)
    if post.status == Post.Status.HELD:
        thread.is_hidden = True
        thread.save(update_fields=["is_hidden"])
    else:
        Community.objects.filter(pk=community.pk).update(thread_count=F("thread_count") + 1, last_activity_at=now)
        transaction.on_commit(lambda: on_post_published(post))
    return thread


@transaction.atomic
def post_reply(*, thread: Thread, author, body: str, parent: Post | None = None) -> Post:
    """Reply to the thread (its opening post) or to any reply in it."""
    now = timezone.now()
    if parent is None:
        parent = Post.objects.get(thread=thread, parent__isnull=True)
    elif parent.thread_id != thread.pk:
        raise ValueError("The post being replied to is in another thread.")
    post = _create_post(thread=thread, author=author, body=body, parent=parent, now=now)
    if post.status == Post.Status.PUBLISHED:
        count_published_reply(post)
    return post


def count_published_reply(post: Post) -> None:
    """Counters and activity when a reply becomes visible (on posting, or on approval)."""
    now = timezone.now()
    Thread.objects.filter(pk=post.thread_id).update(reply_count=F("reply_count") + 1, last_activity_at=now)
    Community.objects.filter(pk=post.thread.community_id).update(last_activity_at=now)
    transaction.on_commit(lambda: on_post_published(post))


def display_depth(post: Post) -> int:
    """Indentation for the tree view: capped, deeper replies sit at the cap."""
    return min(post.depth, MAX_DISPLAY_DEPTH)
