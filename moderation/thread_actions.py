"""Facilitators' actions on a whole thread: pin, lock, rename, move, hide, restore,
merge and split. One home for them all, in moderation because each is recorded in
the moderation log and moderation sits above forums (forums never imports it). Each
is atomic; the counters are recounted by forums.counters."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.text import slugify

from communities.models import Community
from communities.permissions import can_manage_thread
from forums.counters import counts_refresh
from forums.highlights import HighlightsError
from forums.models import Post, Thread
from moderation.models import Flag, ModerationAction
from moderation.services import ModerationError, listed_threads_recount, log_action

A = ModerationAction.Action
T = ModerationAction.TargetType


# Threads -----------------------------------------------------------------------------


def _thread_log(thread: Thread, *, actor, action: str, community=None, **states) -> None:
    log_action(
        actor=actor,
        action=action,
        community=community or thread.community,
        target_type=T.THREAD,
        target_id=thread.pk,
        target_text=thread.title,
        **states,
    )


def _locked_thread(thread: Thread) -> Thread:
    return Thread.objects.select_for_update(of=("self",)).select_related("community").get(pk=thread.pk)


@transaction.atomic
def thread_pin(*, thread: Thread, actor, pinned: bool = True) -> Thread:
    """Pin (or unpin) a thread to the top of its community's list."""
    was = thread.is_pinned
    thread.is_pinned = pinned
    thread.save(update_fields=["is_pinned"])
    states = {False: "not pinned", True: "pinned"}
    action = A.THREAD_PIN if pinned else A.THREAD_UNPIN
    _thread_log(thread, actor=actor, action=action, from_state=states[was], to_state=states[pinned], reason="")
    return thread


@transaction.atomic
def thread_lock(*, thread: Thread, actor, locked: bool = True, reason: str = "") -> Thread:
    """Lock a thread (no more replies) saying why, or unlock it."""
    was = thread.is_locked
    thread.is_locked = locked
    thread.lock_reason = reason if locked else ""
    thread.save(update_fields=["is_locked", "lock_reason"])
    states = {False: "open", True: "locked"}
    action = A.THREAD_LOCK if locked else A.THREAD_UNLOCK
    _thread_log(thread, actor=actor, action=action, from_state=states[was], to_state=states[locked], reason=reason)
    return thread


@transaction.atomic
def announcement_pin(*, thread: Thread, actor, until: datetime | None) -> Thread:
    """Keep an announcement pinned until a moment (None: until someone unpins it)."""
    if thread.kind != Thread.Kind.ANNOUNCEMENT:
        raise HighlightsError("Only announcements can be pinned until a date.")
    if not can_manage_thread(actor, thread):
        raise HighlightsError(f"Only the facilitators of {thread.community.name} can pin announcements.")
    if until is not None and until <= timezone.now():
        raise HighlightsError("The date must be in the future.")
    if not thread.is_pinned:
        thread_pin(thread=thread, actor=actor, pinned=True)
    thread.pinned_until = until
    thread.save(update_fields=["pinned_until"])
    return thread


@transaction.atomic
def announcement_unpin(*, thread: Thread, actor) -> Thread:
    if not can_manage_thread(actor, thread):
        raise HighlightsError(f"Only the facilitators of {thread.community.name} can unpin announcements.")
    thread_pin(thread=thread, actor=actor, pinned=False)
    thread.pinned_until = None
    thread.save(update_fields=["pinned_until"])
    return thread


@transaction.atomic
def thread_rename(*, thread: Thread, actor, title: str, reason: str = "") -> Thread:
    # A rename rewrites every post's search vector (forums migration 0006). Posts are
    # locked first, in order, as a post's own changes lock it before its thread: the
    # other way round, a rename and an edit in the same thread could deadlock.
    list(Post.objects.select_for_update(no_key=True).filter(thread=thread).order_by("pk").values_list("pk"))
    thread = _locked_thread(thread)
    old = thread.title
    thread.title, thread.slug = title, slugify(title)[:200] or "thread"
    thread.save(update_fields=["title", "slug"])
    _thread_log(thread, actor=actor, action=A.THREAD_RENAME, from_state=old, to_state=title, reason=reason)
    return thread


@transaction.atomic
def thread_move(*, thread: Thread, actor, to_community: Community, reason: str = "") -> Thread:
    """Move a thread (with its reports) to another community the actor moderates."""
    thread = _locked_thread(thread)
    source = thread.community
    if source.pk == to_community.pk:
        raise ModerationError("The thread is already in that community.")
    thread.community = to_community
    thread.save(update_fields=["community"])
    Flag.objects.filter(post__thread=thread).update(community=to_community)
    if not thread.is_hidden:
        listed_threads_recount(source, to_community)
    for where in (source, to_community):
        _thread_log(
            thread,
            actor=actor,
            action=A.THREAD_MOVE,
            community=where,
            from_state=source.name,
            to_state=to_community.name,
            reason=reason,
        )
    return thread


@transaction.atomic
def thread_hide(*, thread: Thread, actor, reason: str) -> Thread:
    thread = _locked_thread(thread)
    if thread.is_hidden:
        raise ModerationError("This thread is already hidden.")
    thread.is_hidden = True
    thread.save(update_fields=["is_hidden"])
    listed_threads_recount(thread.community_id)
    _thread_log(thread, actor=actor, action=A.THREAD_HIDE, from_state="shown", to_state="hidden", reason=reason)
    return thread


@transaction.atomic
def thread_restore(*, thread: Thread, actor, reason: str = "") -> Thread:
    thread = _locked_thread(thread)
    if not thread.is_hidden:
        raise ModerationError("This thread is not hidden.")
    opening = thread.posts.filter(parent__isnull=True).values_list("status", flat=True).first()
    if opening != Post.Status.PUBLISHED:
        raise ModerationError(
            "Its opening post is not published: approve it from the review queue, or restore it on the thread."
        )
    thread.is_hidden = False
    thread.save(update_fields=["is_hidden"])
    listed_threads_recount(thread.community_id)
    _thread_log(thread, actor=actor, action=A.THREAD_RESTORE, from_state="hidden", to_state="shown", reason=reason)
    return thread


@transaction.atomic
def thread_merge(*, source: Thread, target: Thread, actor, reason: str = "") -> Thread:
    """Move every post of `source` under `target`'s opening post, keeping their tree
    (each path is re-rooted under the target's opening post), then remove `source`."""
    source, target = _locked_thread(source), _locked_thread(target)
    if source.pk == target.pk:
        raise ModerationError("Choose a different thread to merge into.")
    if source.is_hidden and not target.is_hidden:
        # Merging would publish what a facilitator hid.
        raise ModerationError("This thread is hidden. Restore it before merging it into a visible thread.")
    root = Post.objects.get(thread=target, parent__isnull=True)
    moved = Post.objects.filter(thread=source)
    latest = moved.aggregate(latest=Max("created_at"))["latest"]
    moved.filter(parent__isnull=True).update(parent=root)
    moved.update(
        thread=target,
        depth=F("depth") + 1,
        sort_path=Concat(Value(root.sort_path + "."), F("sort_path")),
    )
    Flag.objects.filter(post__thread=target).update(community=target.community)
    counts_refresh(threads=[target], active_at=latest or timezone.now())
    _thread_log(
        target,
        actor=actor,
        action=A.THREAD_MERGE,
        from_state=f"thread {source.pk}: {source.title}",
        to_state=f"thread {target.pk}: {target.title}",
        reason=reason,
    )
    if source.community_id != target.community_id:
        _thread_log(source, actor=actor, action=A.THREAD_MERGE, to_state=f"thread {target.pk}", reason=reason)
    source.tags.clear()
    Thread.objects.filter(pk=source.pk).delete()
    if not source.is_hidden:
        listed_threads_recount(source.community_id)
    target.refresh_from_db()
    return target


@transaction.atomic
def thread_split(*, post: Post, actor, title: str, reason: str = "") -> Thread:
    """Make a reply and everything under it a new thread in the same community; the
    reply becomes its opening post and the paths and depths are recomputed."""
    post = Post.objects.select_related("thread__community", "parent").get(pk=post.pk)
    old = _locked_thread(post.thread)
    if post.is_opening:
        raise ModerationError("Choose a reply: the opening post already starts this thread.")
    subtree = Post.objects.filter(Q(pk=post.pk) | Q(sort_path__startswith=post.sort_path + "."), thread=old)
    latest = subtree.aggregate(latest=Max("created_at"))["latest"]
    visible = post.status == Post.Status.PUBLISHED
    # A branch of a hidden thread stays hidden: splitting must not publish it.
    listed = visible and not old.is_hidden
    new = Thread.objects.create(
        community=old.community,
        author=post.author,
        title=title,
        kind=Thread.Kind.DISCUSSION,
        created_at=post.created_at,
        last_activity_at=latest,
        is_hidden=not listed,
    )
    cut = len(post.parent.sort_path) + 2  # Substr is 1-based; skip the parent's path and its dot
    subtree.update(thread=new, depth=F("depth") - post.depth, sort_path=Substr("sort_path", cut))
    Post.objects.filter(pk=post.pk).update(parent=None)
    counts_refresh(threads=[old, new])
    if old.accepted_answer_id and not Post.objects.filter(pk=old.accepted_answer_id, thread=old).exists():
        Thread.objects.filter(pk=old.pk).update(accepted_answer=None)
    if listed:
        listed_threads_recount(new.community_id)
    _thread_log(
        old,
        actor=actor,
        action=A.THREAD_SPLIT,
        from_state=f"thread {old.pk}: {old.title}",
        to_state=f"thread {new.pk}: {new.title}",
        reason=reason,
    )
    return new
