"""Moderation writes: one keyword-only function per decision, each atomic, each
recorded in the append-only log. Views check permissions (communities.permissions)
before calling these; the services keep counters and trees consistent."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.text import Truncator, slugify

from communities.models import Community, Membership
from communities.permissions import forget_membership
from core.request_memo import forget_all
from forums.counters import counts_refresh
from forums.models import Post, Thread
from moderation import emails
from moderation.models import CommunityModerationSettings, Flag, MemberSanction, ModerationAction

A = ModerationAction.Action
T = ModerationAction.TargetType


class ModerationError(ValueError):
    """A decision that cannot be made in the current state (shown to the facilitator)."""


def _snapshot(text: str) -> str:
    return Truncator(" ".join(str(text).split())).chars(300)


def _post_text(post: Post) -> str:
    return _snapshot(
        f"{post.author.username if post.author else 'deleted member'} in “{post.thread.title}”: {post.body}"
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


def _notify(callback) -> None:
    """After commit; robust, so a mail server being down never fails a decision that
    is already saved (the error is logged)."""
    transaction.on_commit(callback, robust=True)


def _notify_in_site(event: str, *args) -> None:
    """In-site notifications (notifications.events), if that app is installed."""
    try:
        from notifications import events
    except ImportError:
        return
    getattr(events, event)(*args)


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
    _notify(lambda: _notify_in_site("review_item_added", post.thread.community))
    return flag


def _resolve_flags(flags, *, actor, status: str) -> None:
    now = timezone.now()
    resolved = list(flags.select_for_update(of=("self",)).select_related("reporter", "post__thread"))
    for flag in resolved:
        flag.status, flag.resolved_at, flag.resolved_by = status, now, actor
    Flag.objects.bulk_update(resolved, ["status", "resolved_at", "resolved_by"])
    for flag in resolved:
        _notify(lambda flag=flag: emails.flag_resolved(flag))


@transaction.atomic
def flag_dismiss(*, flag: Flag, actor, reason: str = "") -> Flag:
    """No action needed: the report is closed and the reporter told."""
    if flag.status != Flag.Status.OPEN:
        raise ModerationError("This report has already been dealt with.")
    _resolve_flags(Flag.objects.filter(pk=flag.pk), actor=actor, status=Flag.Status.DISMISSED)
    log_action(
        actor=actor,
        action=A.FLAG_DISMISS,
        community=flag.post.thread.community,
        target_type=T.POST,
        target_id=flag.post_id,
        target_text=_post_text(flag.post),
        from_state=f"reported: {flag.get_reason_display()}",
        to_state="kept",
        reason=reason,
    )
    flag.refresh_from_db()
    return flag


# Posts -------------------------------------------------------------------------------


def _count_threads(*communities) -> None:
    """A thread was listed or unlisted: recount (forums.counters); the community counts as active."""
    counts_refresh(communities=communities, active_at=timezone.now())


@transaction.atomic
def post_approve(*, post: Post, actor) -> Post:
    """Publish a held post: a held opening post also brings its thread into lists."""
    from forums.services import count_published_reply

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
        _count_threads(thread.community_id)
        from forums.policy import on_post_published
        from forums.services import mentions_announce

        # Mentions first: notifications then spares the mentioned a second "reply" notice.
        mentions_announce(post)
        _notify(lambda: on_post_published(post))
    else:
        count_published_reply(post)
    log_action(
        actor=actor,
        action=A.POST_APPROVE,
        community=thread.community,
        target_type=T.POST,
        target_id=post.pk,
        target_text=_post_text(post),
        from_state=Post.Status.HELD,
        to_state=Post.Status.PUBLISHED,
    )
    _notify(lambda: _notify_in_site("post_moderated", post, True, ""))
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
        _count_threads(thread.community_id)
    elif not post.is_opening and was == Post.Status.PUBLISHED:
        counts_refresh(threads=[thread])
    _resolve_flags(Flag.objects.filter(post=post, status=Flag.Status.OPEN), actor=actor, status=Flag.Status.UPHELD)
    log_action(
        actor=actor,
        action=A.POST_HIDE,
        community=thread.community,
        target_type=T.POST,
        target_id=post.pk,
        target_text=_post_text(post),
        from_state=was,
        to_state=Post.Status.HIDDEN,
        reason=reason,
    )
    _notify(lambda: emails.post_hidden(post))
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
        _count_threads(thread.community_id)
    elif not post.is_opening:
        counts_refresh(threads=[thread])
    log_action(
        actor=actor,
        action=A.POST_RESTORE,
        community=thread.community,
        target_type=T.POST,
        target_id=post.pk,
        target_text=_post_text(post),
        from_state=Post.Status.HIDDEN,
        to_state=Post.Status.PUBLISHED,
        reason=reason,
    )
    return post


@transaction.atomic
def member_ban(*, community: Community, user, actor, reason: str) -> Membership:
    """Ban a member from a community through the communities service (which checks
    who may ban whom, keeps counts and emails them), and record it in the log. Someone
    with no membership gets a banned one, so they cannot join and post again."""
    try:
        from communities.services import MembershipError, membership_ban
    except ImportError:  # pragma: no cover - the communities services arrived with issue 4
        MembershipError, membership_ban = ModerationError, None
    membership = Membership.objects.filter(community=community, user=user).first()
    was = membership.status if membership else "not a member"
    if membership is not None and membership.status == Membership.Status.BANNED:
        raise ModerationError(f"{user.name} is already banned.")
    if membership is None:
        membership = Membership.objects.create(
            community=community, user=user, status=Membership.Status.BANNED, ban_reason=reason[:500]
        )
    elif membership_ban is not None:
        try:
            membership = membership_ban(membership=membership, actor=actor, reason=reason[:500])
        except MembershipError as error:
            raise ModerationError(str(error)) from error
    else:  # pragma: no cover
        membership.status = Membership.Status.BANNED
        membership.save(update_fields=["status"])
    forget_membership(user, community)
    log_action(
        actor=actor,
        action=A.MEMBER_BAN,
        community=community,
        target_type=T.USER,
        target_id=user.pk,
        target_text=_member_text(user),
        from_state=was,
        to_state=Membership.Status.BANNED,
        reason=reason,
    )
    return membership


@transaction.atomic
def post_hide_and_ban(*, post: Post, actor, reason: str) -> Post:
    post = post_hide(post=post, actor=actor, reason=reason)
    if post.author is not None:
        member_ban(community=post.thread.community, user=post.author, actor=actor, reason=reason)
    return post


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
        _count_threads(source, to_community)
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
    _count_threads(thread.community_id)
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
    _count_threads(thread.community_id)
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
    log_action(
        actor=actor,
        action=A.THREAD_MERGE,
        community=target.community,
        target_type=T.THREAD,
        target_id=target.pk,
        target_text=target.title,
        from_state=f"thread {source.pk}: {source.title}",
        to_state=f"thread {target.pk}: {target.title}",
        reason=reason,
    )
    if source.community_id != target.community_id:
        _thread_log(source, actor=actor, action=A.THREAD_MERGE, to_state=f"thread {target.pk}", reason=reason)
    source.tags.clear()
    Thread.objects.filter(pk=source.pk).delete()
    if not source.is_hidden:
        _count_threads(source.community_id)
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
        _count_threads(new.community_id)
    _thread_log(
        old,
        actor=actor,
        action=A.THREAD_SPLIT,
        from_state=f"thread {old.pk}: {old.title}",
        to_state=f"thread {new.pk}: {new.title}",
        reason=reason,
    )
    return new


# Members -----------------------------------------------------------------------------


def _sanction(*, community, user, actor, kind, message, until=None) -> MemberSanction:
    return MemberSanction.objects.create(
        community=community, user=user, kind=kind, message=message, until=until, created_by=actor
    )


def _member_text(user) -> str:
    return f"{user.name} ({user.username})"


@transaction.atomic
def member_warn(*, community: Community, user, actor, message: str) -> MemberSanction:
    """A private warning, recorded against the member and emailed to them."""
    sanction = _sanction(
        community=community, user=user, actor=actor, kind=MemberSanction.Kind.WARNING, message=message
    )
    log_action(
        actor=actor,
        action=A.MEMBER_WARN,
        community=community,
        target_type=T.USER,
        target_id=user.pk,
        target_text=_member_text(user),
        to_state="warned",
        reason=message,
    )
    _notify(lambda: emails.sanction_issued(sanction))
    return sanction


@transaction.atomic
def member_mute(*, community: Community, user, actor, until: datetime, reason: str) -> MemberSanction:
    """Stop a member posting in the community until a date."""
    sanction = _sanction(
        community=community, user=user, actor=actor, kind=MemberSanction.Kind.MUTE, message=reason, until=until
    )
    log_action(
        actor=actor,
        action=A.MEMBER_MUTE,
        community=community,
        target_type=T.USER,
        target_id=user.pk,
        target_text=_member_text(user),
        to_state=f"muted until {timezone.localtime(until):%d %b %Y %H:%M}",
        reason=reason,
    )
    _notify(lambda: emails.sanction_issued(sanction))
    return sanction


@transaction.atomic
def member_premoderate(*, community: Community, user, actor, reason: str) -> MemberSanction:
    """Hold every post the member makes in the community until this is lifted."""
    sanction = _sanction(
        community=community, user=user, actor=actor, kind=MemberSanction.Kind.PREMODERATION, message=reason
    )
    log_action(
        actor=actor,
        action=A.MEMBER_PREMODERATE,
        community=community,
        target_type=T.USER,
        target_id=user.pk,
        target_text=_member_text(user),
        to_state="posts held for review",
        reason=reason,
    )
    return sanction


@transaction.atomic
def sanction_lift(*, sanction: MemberSanction, actor, reason: str = "") -> MemberSanction:
    sanction = MemberSanction.objects.select_for_update().get(pk=sanction.pk)
    if not sanction.is_in_force or sanction.kind == MemberSanction.Kind.WARNING:
        raise ModerationError("This is not in force.")
    sanction.lifted_at = timezone.now()
    sanction.save(update_fields=["lifted_at"])
    log_action(
        actor=actor,
        action=A.SANCTION_LIFT,
        community=sanction.community,
        target_type=T.USER,
        target_id=sanction.user_id,
        target_text=_member_text(sanction.user),
        from_state=sanction.get_kind_display(),
        to_state="lifted",
        reason=reason,
    )
    return sanction


@transaction.atomic
def user_suspend(*, user, actor, reason: str):
    """Suspend a site account (site admins only): the member can no longer sign in."""
    from members.models import User

    was = user.status
    if was == User.Status.SUSPENDED:
        raise ModerationError("This account is already suspended.")
    User.objects.filter(pk=user.pk).update(status=User.Status.SUSPENDED)
    user.status = User.Status.SUSPENDED
    forget_all()  # update() sends no signal: drop what this request knew of their access
    log_action(
        actor=actor,
        action=A.USER_SUSPEND,
        target_type=T.USER,
        target_id=user.pk,
        target_text=_member_text(user),
        from_state=was,
        to_state=User.Status.SUSPENDED,
        reason=reason,
    )
    return user


@transaction.atomic
def user_reinstate(*, user, actor, reason: str = ""):
    from members.models import User

    if user.status != User.Status.SUSPENDED:
        raise ModerationError("This account is not suspended.")
    User.objects.filter(pk=user.pk).update(status=User.Status.APPROVED)
    user.status = User.Status.APPROVED
    forget_all()  # update() sends no signal: drop what this request knew of their access
    log_action(
        actor=actor,
        action=A.USER_REINSTATE,
        target_type=T.USER,
        target_id=user.pk,
        target_text=_member_text(user),
        from_state=User.Status.SUSPENDED,
        to_state=User.Status.APPROVED,
        reason=reason,
    )
    return user


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
