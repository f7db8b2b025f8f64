"""Reads for notifications and email. Every list is built from visible_to(user);
every recipient passes the permission functions in communities.permissions."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from communities.models import Community, Membership
from communities.permissions import can_moderate, can_view_post, can_view_thread, is_active_member, is_banned
from forums.models import Post, TagFollow, Thread
from notifications.models import (
    EMAILED_KINDS,
    CommunityEmailPreference,
    EmailKindPreference,
    EmailOptOut,
    EmailStop,
    HighlightsSend,
    Notification,
)


def forum_model(name: str):
    """A forums model that may not exist yet (ThreadSubscription, ThreadReadState)."""
    try:
        return apps.get_model("forums", name)
    except LookupError:
        return None


def visible_notifications(user) -> QuerySet[Notification]:
    """The user's notifications whose post and thread they may still see."""
    return (
        Notification.objects.filter(recipient=user)
        .filter(Q(post__isnull=True) | Q(post__in=Post.objects.visible_to(user)))
        .filter(Q(thread__isnull=True) | Q(thread__in=Thread.objects.visible_to(user)))
    )


def unread_count(user) -> int:
    # Most pages are seen with nothing unread. On a request the tally PostgreSQL keeps
    # came with the member (members.backends) and settles that with no query; elsewhere
    # one cheap query does. Only when something is unread are those notifications
    # checked against what the user may still see.
    tally = getattr(user, "unread_notification_tally", None)
    if tally is None:
        tally = Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    if not tally:
        return 0
    return visible_notifications(user).filter(read_at__isnull=True).count()


def notification_page_items(user) -> QuerySet[Notification]:
    return visible_notifications(user).select_related("actor").order_by("-created_at", "-pk")


def muted_user_ids(thread: Thread) -> set[int]:
    subscription = forum_model("ThreadSubscription")
    if subscription is None:
        return set()
    return set(subscription.objects.filter(thread=thread, level="muted").values_list("user_id", flat=True))


def watcher_ids(thread: Thread) -> set[int]:
    subscription = forum_model("ThreadSubscription")
    if subscription is None:
        return set()
    return set(subscription.objects.filter(thread=thread, level="watching").values_list("user_id", flat=True))


def immediate_email_user_ids(user_ids, kind: str) -> set[int]:
    """Of these users, those who want this kind of notification emailed (the default)."""
    opted_out = EmailKindPreference.objects.filter(user_id__in=user_ids, kind=kind, email_immediately=False)
    return set(user_ids) - set(opted_out.values_list("user_id", flat=True))


def mode_subquery(community_ref: str = "community_id", user_ref: str = "user_id"):
    """A member's email mode for a community, defaulting to the daily digest."""
    chosen = CommunityEmailPreference.objects.filter(user_id=OuterRef(user_ref), community_id=OuterRef(community_ref))
    return Coalesce(Subquery(chosen.values("mode")[:1]), Value(CommunityEmailPreference.DEFAULT_MODE))


def community_mode(user, community: Community | int) -> str:
    row = CommunityEmailPreference.objects.filter(user=user, community=community).first()
    return row.mode if row else CommunityEmailPreference.DEFAULT_MODE


def every_post_member_ids(community: Community) -> set[int]:
    members = Membership.objects.filter(community=community, status=Membership.Status.ACTIVE).annotate(
        mode=mode_subquery()
    )
    return set(members.filter(mode=CommunityEmailPreference.Mode.EVERY_POST).values_list("user_id", flat=True))


def settings_memberships(user) -> QuerySet[Membership]:
    """The communities on the email settings page: active memberships of live communities."""
    return (
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
        .filter(community__in=Community.objects.visible_to(user))
        .select_related("community")
        .annotate(mode=mode_subquery())
        .order_by("community__name")
    )


def kind_preferences(user) -> dict[str, bool]:
    chosen = dict(EmailKindPreference.objects.filter(user=user).values_list("kind", "email_immediately"))
    return {kind: chosen.get(kind, True) for kind in EMAILED_KINDS}


def thread_subscriptions(user, level: str) -> list:
    subscription = forum_model("ThreadSubscription")
    if subscription is None:
        return []
    return list(
        subscription.objects.filter(user=user, level=level, thread__in=Thread.objects.visible_to(user))
        .select_related("thread", "thread__community")
        .order_by("thread__title")
    )


# Who may be emailed. Email from a community goes to its active members only, so a
# member removed or banned after a message was queued receives nothing.


def may_email_post(user, post: Post) -> bool:
    if not (user.is_active and user.is_approved and user.email):
        return False
    community = post.thread.community
    if post.status != Post.Status.PUBLISHED or is_banned(user, community):
        return False
    return is_active_member(user, community) and can_view_post(user, post)


def may_receive_notification(user, notification: Notification) -> bool:
    if not (user.is_active and user.email):
        return False
    if notification.thread_id is not None and is_banned(user, notification.thread.community):
        return False
    if notification.post_id is not None and not can_view_post(user, notification.post):
        return False
    return notification.thread_id is None or can_view_thread(user, notification.thread)


def may_receive_digest(user, community: Community) -> bool:
    return user.is_active and user.is_approved and bool(user.email) and is_active_member(user, community)


def digest_memberships(mode: str) -> QuerySet[Membership]:
    """Active memberships whose email mode is `mode` (daily or weekly)."""
    return (
        Membership.objects.filter(status=Membership.Status.ACTIVE, community__status=Community.Status.ACTIVE)
        .annotate(mode=mode_subquery())
        .filter(mode=mode)
    )


def _unread_in_period(user, threads: QuerySet[Thread], since: datetime, until: datetime) -> QuerySet[Thread]:
    """Of `threads`, those with activity in the period that the user has not read since
    nor muted, less their own threads nobody has answered."""
    threads = threads.filter(last_activity_at__gte=since, last_activity_at__lt=until)
    read_state = forum_model("ThreadReadState")
    if read_state is not None:
        read_since = read_state.objects.filter(
            user=user, thread=OuterRef("pk"), last_read_at__gte=OuterRef("last_activity_at")
        )
        threads = threads.exclude(Exists(read_since))
    muted = forum_model("ThreadSubscription")
    if muted is not None:
        threads = threads.exclude(Exists(muted.objects.filter(user=user, thread=OuterRef("pk"), level="muted")))
    return threads.exclude(author=user, reply_count=0).select_related("community", "author")


def _marked(items: list[Thread], since: datetime) -> list[Thread]:
    for thread in items:
        thread.is_new = thread.created_at >= since
        thread.is_unanswered_question = thread.kind == Thread.Kind.QUESTION and thread.accepted_answer_id is None
    return items


def digest_threads(user, community_ids, since: datetime, until: datetime) -> list[Thread]:
    """Threads with activity in the period that the user may see and has not read since:
    new threads first, then active ones, most recent first within each."""
    threads = _unread_in_period(
        user, Thread.objects.visible_to(user).filter(community_id__in=community_ids), since, until
    )
    items = _marked(list(threads.order_by("community__name", "-last_activity_at")[:200]), since)
    items.sort(key=lambda t: (t.community.name, not t.is_new, -t.last_activity_at.timestamp()))
    return items


def followed_tags_digest_mode(user) -> str | None:
    """Which of a member's digests carries the threads of the tags they follow: the daily
    one if they get any daily digest, else the weekly one; None when they get no digest
    (following a tag alone sends no email)."""
    modes = set(
        Membership.objects.filter(
            user=user, status=Membership.Status.ACTIVE, community__status=Community.Status.ACTIVE
        )
        .annotate(mode=mode_subquery())
        .filter(mode__in=["daily", "weekly"])
        .values_list("mode", flat=True)
    )
    return "daily" if "daily" in modes else ("weekly" if modes else None)


def digest_tag_threads(user, since: datetime, until: datetime, *, limit: int = 50) -> list[Thread]:
    """Threads with activity in the period, carrying a tag the user follows, that they may
    read, from communities they have no membership of (where they belong, their choice
    for that community decides; where they are banned, nothing comes): new threads first,
    then the most recently active."""
    followed = TagFollow.objects.filter(user=user).values("tag_id")
    # As one set: matched per thread, the generic relation's integer object_id against
    # the bigint thread id would scan every tagging (as forums.home does).
    tagged = Thread.tags.through.objects.filter(
        content_type=ContentType.objects.get_for_model(Thread), tag__in=followed
    ).values("object_id")
    joined = Membership.objects.filter(user=user).values("community_id")
    threads = (
        Thread.objects.visible_to(user)
        .filter(pk__in=tagged, community__status=Community.Status.ACTIVE)
        # What members read: a site admin, who may read anything, is not sent hidden
        # threads or unpublished imports from communities they have not joined.
        .filter(is_hidden=False, is_unpublished=False)
        .exclude(community_id__in=joined)
    )
    items = _unread_in_period(user, threads, since, until).order_by("-last_activity_at", "-pk")[:limit]
    items = _marked(list(items), since)
    items.sort(key=lambda t: (not t.is_new, -t.last_activity_at.timestamp()))
    return items


def digest_posts(user, threads: list[Thread], since: datetime, until: datetime, *, limit: int = 2000) -> list[Post]:
    """The period's published posts in these threads that the user may see, oldest
    first, with their authors; one query."""
    return list(
        Post.objects.visible_to(user)
        .filter(
            thread__in=[thread.pk for thread in threads],
            status=Post.Status.PUBLISHED,
            created_at__gte=since,
            created_at__lt=until,
        )
        .select_related("author")
        .order_by("thread_id", "created_at", "pk")[:limit]
    )


def opening_post_ids(threads: list[Thread]) -> dict[int, int]:
    rows = Post.objects.filter(thread__in=[thread.pk for thread in threads], parent__isnull=True)
    return dict(rows.values_list("thread_id", "pk"))


def communities_named(community_ids) -> list[Community]:
    """Names for the unsubscribe page (the signed token already names them)."""
    return list(Community.objects.filter(pk__in=community_ids).order_by("name"))


def unsubscribe_described(scope) -> dict:
    """What an unsubscribe link stops, in words for its page. The thread is named only
    while its member may still see it."""
    thread = Thread.objects.filter(pk=scope.thread_id).select_related("community").first() if scope.thread_id else None
    user = get_user_model().objects.filter(pk=scope.user_id).first()
    if thread is not None and (user is None or not can_view_thread(user, thread)):
        thread = None
    kind_label = Notification.Kind(scope.kind).label if scope.kind in Notification.Kind.values else ""
    if scope.opt_out in EmailOptOut.Kind.values:
        # Only that one email stops: the communities are named, not unsubscribed from.
        return {
            "opt_out_label": EmailOptOut.Kind(scope.opt_out).label,
            "opt_out_communities": communities_named(scope.community_ids),
        }
    return {"communities": communities_named(scope.community_ids), "thread": thread, "kind_label": kind_label}


def email_opt_outs(user) -> list[EmailOptOut]:
    """The occasional emails a member turned off, for their email settings."""
    return list(EmailOptOut.objects.filter(user=user).select_related("community").order_by("kind", "community__name"))


def email_stopped(user) -> bool:
    return EmailStop.objects.filter(user=user).exists()


def wants_community_email(user, community_id: int, thread_id: int | None) -> bool:
    """'No email' for a community stops all of its email but posts in threads the member
    explicitly watches."""
    if community_mode(user, community_id) != CommunityEmailPreference.Mode.NONE:
        return True
    subscription = forum_model("ThreadSubscription")
    return (
        thread_id is not None
        and subscription.objects.filter(user=user, thread_id=thread_id, level="watching").exists()
    )


def digest_highlights(recipient, community_ids, since: datetime, until: datetime) -> list[dict]:
    """The highlights sent in the digest's period, for the communities it covers: they
    head the digest. One query for the sends and one for each community's threads."""
    sends = HighlightsSend.objects.filter(
        community_id__in=community_ids, sent_at__gte=since, sent_at__lt=until
    ).select_related("community")
    latest: dict[int, HighlightsSend] = {}
    for sent in sends.order_by("sent_at", "pk"):
        latest[sent.community_id] = sent
    if not latest:
        return []
    optouts = set(
        EmailOptOut.objects.filter(
            user=recipient, kind=EmailOptOut.Kind.HIGHLIGHTS, community_id__in=list(latest)
        ).values_list("community_id", flat=True)
    )
    groups = []
    for sent in sorted(latest.values(), key=lambda s: s.community.name):
        if sent.community_id in optouts:
            continue
        threads = [
            thread
            for thread in Thread.objects.filter(pk__in=sent.thread_ids, is_hidden=False)
            if can_view_thread(recipient, thread)
        ]
        threads.sort(key=lambda thread: sent.thread_ids.index(thread.pk))
        if threads:
            groups.append({"community": sent.community, "threads": threads})
    return groups


def still_may_email(guard: dict | None) -> bool:
    """An email's guard (notifications.emails) checked again just before it is sent: its
    recipient is still an active, approved account, not banned where it reads; may still
    read every thread and post it shows (and, for a community's own email, is still an
    active member of the communities of its "threads"; its "readable_threads", such as a
    digest's followed tags, need only be readable); and still moderates the communities
    a facilitators' email reports on."""
    if not guard:
        return True
    user = get_user_model().objects.filter(pk=guard["user"]).first()
    if user is None or not (user.is_active and user.is_approved):
        return False
    posts = set(guard.get("posts") or [])
    if posts and Post.objects.visible_to(user).filter(pk__in=posts, status=Post.Status.PUBLISHED).count() != len(
        posts
    ):
        return False
    moderated = set(guard.get("moderates") or [])
    if moderated and not all(can_moderate(user, c) for c in Community.objects.filter(pk__in=moderated)):
        return False
    wanted = set(guard.get("threads") or [])
    readable = set(guard.get("readable_threads") or []) - wanted
    if not wanted and not readable:
        return True
    threads = list(Thread.objects.visible_to(user).filter(pk__in=wanted | readable).select_related("community"))
    if len(threads) != len(wanted | readable):
        return False
    if any(is_banned(user, community) for community in {thread.community for thread in threads}):
        return False
    if guard.get("members"):
        return all(is_active_member(user, thread.community) for thread in threads if thread.pk in wanted)
    return True
