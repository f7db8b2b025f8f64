"""Reads for the site's home page (forums.home_views): what is new in a member's
communities, questions waiting for an answer, their own questions and communities,
suggestions on a first visit, unseen announcements, and for visitors the latest public
discussions. Every list starts from visible_to(user); each section is one query
whatever the data size, so the page's query count is fixed (tests/forums/test_home.py)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.utils import timezone
from taggit.models import Tag

from communities.models import Community, Membership
from forums.listings import LISTED_FIELDS, ListedThread
from forums.models import AnnouncementDismissal, Post, TagFollow, Thread, ThreadReadState
from forums.selectors import _unread_only
from members.models import Organisation, TaggedExpertise

NEW_ROWS = 20
WAITING_ROWS = 10
OWN_ROWS = 5
ANNOUNCEMENTS = 3
SUGGESTIONS = 6
VISITOR_ROWS = 10
ACTIVE_COMMUNITIES = 6
# "New" and "waiting" look this far back: an older unread thread is history, not news,
# and the bound keeps each query to recent rows however large the site grows.
RECENT = timedelta(days=30)
# What a row of "Your questions" and the banner need from a thread.
SHORT_THREAD_FIELDS = [
    "pk", "slug", "title", "kind", "reply_count", "accepted_answer_id", "last_activity_at", "created_at",
    "community__name", "community__slug",
]  # fmt: skip


def _listed(threads, limit: int) -> list[ListedThread]:
    """The first `limit` threads as a thread list's rows (forums.listings.ThreadRows)."""
    return [ListedThread(*row) for row in threads.values_list(*LISTED_FIELDS)[:limit]]


def my_memberships(user) -> list[Membership]:
    """The member's active memberships of communities they may read, with each
    community, by name: "Your communities", and the communities every other section
    looks in."""
    return list(
        Membership.objects.filter(
            user=user,
            status=Membership.Status.ACTIVE,
            community__in=Community.objects.visible_to(user),
        )
        .select_related("community")
        .only(
            "community_id", "role", "status",
            "community__name", "community__slug", "community__status", "community__last_activity_at",
        )
        .order_by("community__name")
    )  # fmt: skip


def community_counts(user, memberships: list[Membership]) -> None:
    """Sets `unread` on each membership (threads active in the last RECENT that the member
    has not read since) and, where they moderate, `pending_requests`: two grouped queries."""
    ids = [membership.community_id for membership in memberships]
    since = timezone.now() - RECENT
    recent = Thread.objects.visible_to(user).filter(community_id__in=ids, last_activity_at__gte=since)
    unread = dict(_unread_only(recent, user).order_by().values_list("community_id").annotate(n=Count("pk")))
    moderated = [m.community_id for m in memberships if m.role in Membership.MODERATOR_ROLES]
    pending = {}
    if moderated:
        pending = dict(
            Membership.objects.filter(community_id__in=moderated, status=Membership.Status.PENDING)
            .order_by()
            .values_list("community_id")
            .annotate(n=Count("pk"))
        )
    for membership in memberships:
        membership.unread = unread.get(membership.community_id, 0)
        membership.is_moderator_here = membership.community_id in moderated
        membership.pending_requests = pending.get(membership.community_id, 0)


def new_threads(user, community_ids: list[int]) -> list[ListedThread]:
    """Threads in the member's communities with activity they have not read, newest first."""
    recent = Thread.objects.visible_to(user).filter(
        community_id__in=community_ids, last_activity_at__gte=timezone.now() - RECENT
    )
    return _listed(_unread_only(recent, user).order_by("-last_activity_at", "-pk"), NEW_ROWS)


def waiting_questions(user, community_ids: list[int]) -> list[ListedThread]:
    """Others' open questions from the last RECENT in the member's communities that nobody
    but the asker has replied to: those tagged with the member's expertise or a tag they
    follow first, then the longest waiting first."""
    replied_by_others = Post.objects.filter(
        thread=OuterRef("pk"), parent__isnull=False, status=Post.Status.PUBLISHED
    ).exclude(author=OuterRef("author"))
    expertise = TaggedExpertise.objects.filter(content_object=user).values("tag__slug")
    followed = TagFollow.objects.filter(user=user).values("tag_id")
    interesting = Tag.objects.filter(Q(pk__in=followed) | Q(slug__in=expertise)).values("pk")
    # Threads carrying them, as one set: matched per thread, the generic relation's
    # integer object_id against the bigint thread id would scan every tagging.
    tagged = Thread.tags.through.objects.filter(
        content_type=ContentType.objects.get_for_model(Thread), tag__in=interesting
    ).values("object_id")
    questions = (
        Thread.objects.visible_to(user)
        .filter(
            community_id__in=community_ids,
            community__status=Community.Status.ACTIVE,
            kind=Thread.Kind.QUESTION,
            accepted_answer__isnull=True,
            is_locked=False,
            is_hidden=False,
            created_at__gte=timezone.now() - RECENT,
        )
        .exclude(author=user)
        .exclude(Exists(replied_by_others))
        .annotate(of_interest=ExpressionWrapper(Q(pk__in=tagged), output_field=BooleanField()))
        .order_by("-of_interest", "created_at", "pk")
    )
    return _listed(questions, WAITING_ROWS)


def own_threads(user) -> list[Thread]:
    """The member's most recently active threads, for "Your questions"."""
    return list(
        Thread.objects.visible_to(user)
        .filter(author=user)
        .select_related("community")
        .only(*SHORT_THREAD_FIELDS)
        .order_by("-last_activity_at", "-pk")[:OWN_ROWS]
    )


def unseen_announcements(user, community_ids: list[int]) -> list[Thread]:
    """Recent announcements in the member's communities that they have neither read nor dismissed."""
    read = ThreadReadState.objects.filter(user=user, thread=OuterRef("pk"))
    dismissed = AnnouncementDismissal.objects.filter(user=user, thread=OuterRef("pk"))
    return list(
        Thread.objects.visible_to(user)
        .filter(
            community_id__in=community_ids,
            kind=Thread.Kind.ANNOUNCEMENT,
            is_hidden=False,
            created_at__gte=timezone.now() - RECENT,
        )
        .exclude(Exists(read))
        .exclude(Exists(dismissed))
        .select_related("community")
        .only(*SHORT_THREAD_FIELDS)
        .order_by("-created_at", "-pk")[:ANNOUNCEMENTS]
    )


def suggested_communities(user) -> list[Community]:
    """Communities for a member who belongs to none yet: those whose topics match their
    expertise, then those with members from the same type of organisation or region,
    then the most recently active. Only live communities they may read and could join
    in one click (not invitation-only, not archived, not ones they have asked to join)."""
    members = Membership.objects.filter(community=OuterRef("pk"), status=Membership.Status.ACTIVE)
    kind = Organisation.objects.filter(pk=user.organisation_id).values("kind")[:1]
    expertise = TaggedExpertise.objects.filter(content_object=user).values("tag__slug")
    topic_match = Community.objects.filter(pk=OuterRef("pk"), topics__slug__in=expertise)
    communities = (
        Community.objects.visible_to(user)
        .filter(status=Community.Status.ACTIVE)
        .exclude(join_policy=Community.JoinPolicy.INVITE)
        .exclude(Exists(Membership.objects.filter(community=OuterRef("pk"), user=user)))
        .annotate(
            topic_match=Exists(topic_match),
            kind_match=Exists(members.filter(user__organisation__kind=kind)),
            region_match=Exists(members.filter(user__region=user.region)) if user.region else Value(False),
        )
        .defer("description", "description_html", "guidelines", "guidelines_html", "decision_reason")
        .order_by("-topic_match", "-kind_match", "-region_match", "-last_activity_at", "name")
    )
    return list(communities[:SUGGESTIONS])


def latest_public_threads(user) -> list[ListedThread]:
    """The latest discussions a visitor may read, for the visitor's home page."""
    return _listed(Thread.objects.visible_to(user).order_by("-last_activity_at", "-pk"), VISITOR_ROWS)


def active_public_communities(user) -> list[Community]:
    """The public communities with the most recent activity, with their member counts."""
    return list(
        Community.objects.visible_to(user)
        .filter(status=Community.Status.ACTIVE, visibility=Community.Visibility.PUBLIC)
        .only("pk", "name", "slug", "summary", "member_count", "thread_count", "last_activity_at")
        .order_by("-last_activity_at", "name")[:ACTIVE_COMMUNITIES]
    )
