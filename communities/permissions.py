"""Who may see or do what in a community: every rule, in one place.

Lists use the `visible_to(user)` querysets on the models; single objects use
these functions. Views turn "may not see" into 404 (never 403), so a hidden
thing's existence is not confirmed. Site admins may do everything; facilitators
and owners moderate their own communities only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from communities.models import Community, Membership, community_access, readable_by
from communities.visibility import POST_RULE, THREAD_RULE
from core.request_memo import forget_all, in_request
from core.sql_rows import RowPart, fetch_instances

if TYPE_CHECKING:
    from forums.models import Post, Thread


def membership_for(user, community: Community) -> Membership | None:
    """The user's membership of the community, memoised on the user for the request."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_membership_cache", {})
    if community.pk not in cache:
        cache[community.pk] = _fetch_membership(user, community)
    return cache[community.pk]


def _fetch_membership(user, community: Community) -> Membership | None:
    # In a request, community_access (memoised) brings every live community's
    # membership in its one query; elsewhere, one query for this one is cheaper.
    if in_request():
        access = community_access(user)
        if access.knows_membership(community.pk):
            return access.membership(community.pk)
    return Membership.objects.filter(user=user, community=community).first()


def forget_membership(user, community: Community) -> None:
    """Drop the memoised membership after it changes within a request."""
    user.__dict__.get("_membership_cache", {}).pop(community.pk, None)
    forget_all()


def is_site_admin(user) -> bool:
    return user.is_authenticated and user.is_site_admin


def is_active_member(user, community: Community) -> bool:
    membership = membership_for(user, community)
    return membership is not None and membership.is_active


def is_banned(user, community: Community) -> bool:
    membership = membership_for(user, community)
    return membership is not None and membership.status == Membership.Status.BANNED


def can_view_community(user, community: Community) -> bool:
    if is_site_admin(user):
        return True
    if community.status in (Community.Status.PROPOSED, Community.Status.DECLINED):
        return user.is_authenticated and community.created_by_id == user.pk
    if community.visibility == Community.Visibility.PUBLIC:
        return True
    membership = membership_for(user, community) if user.is_authenticated and user.is_approved else None
    return readable_by(user, community.visibility, membership.status if membership else None)


def can_moderate(user, community: Community) -> bool:
    """Facilitators and owners of this community, and site admins."""
    if is_site_admin(user):
        return True
    if not (user.is_authenticated and user.is_approved):
        return False
    membership = membership_for(user, community)
    return membership is not None and membership.is_moderator


def can_manage_roles(user, community: Community) -> bool:
    """Appointing facilitators and owners: owners and site admins."""
    if is_site_admin(user):
        return True
    membership = membership_for(user, community)
    return (
        membership is not None
        and membership.is_active
        and membership.role == Membership.Role.OWNER
        and user.is_approved
    )


def can_join(user, community: Community) -> bool:
    """May press "Join" or "Ask to join" (invitations are accepted elsewhere)."""
    if not (user.is_authenticated and user.is_approved):
        return False
    if community.status != Community.Status.ACTIVE or not can_view_community(user, community):
        return False
    if community.join_policy == Community.JoinPolicy.INVITE:
        return False
    return membership_for(user, community) is None


def can_post_in(user, community: Community) -> bool:
    """Start threads and reply: approved, verified site members who are active members
    of a live community."""
    if community.status != Community.Status.ACTIVE:
        return False
    if not (user.is_authenticated and user.is_approved):
        return False
    return is_active_member(user, community) or is_site_admin(user)


class _Viewer:
    """The viewer's facts as the visibility rule asks them of one object's community."""

    __slots__ = ("user", "user_id")

    def __init__(self, user):
        self.user = user
        self.user_id = user.pk if user.is_authenticated else None

    def reads(self, community: Community) -> bool:
        return can_view_community(self.user, community)

    def moderates(self, community: Community) -> bool:
        return can_moderate(self.user, community)


def can_view_thread(user, thread: Thread) -> bool:
    """The rule: communities.visibility.THREAD_RULE, as Thread.objects.visible_to reads it."""
    return THREAD_RULE.holds(thread, _Viewer(user))


def can_reply(user, thread: Thread) -> bool:
    if not can_view_thread(user, thread) or not can_post_in(user, thread.community):
        return False
    return not thread.is_locked or can_moderate(user, thread.community)


def can_view_post(user, post: Post) -> bool:
    """The rule: communities.visibility.POST_RULE, as Post.objects.visible_to reads it."""
    return POST_RULE.holds(post, _Viewer(user))


# Forum actions (added with the forums; each builds on the rules above).


def is_live(community: Community) -> bool:
    """Archived (and proposed) communities are read-only."""
    return community.status == Community.Status.ACTIVE


def can_post_announcement(user, community: Community) -> bool:
    """Who may start announcements is the community's own setting (issue 22)."""
    if not is_live(community):
        return False
    chosen = community.announcements_by
    if chosen == Community.Announcers.MEMBERS:
        return can_post_in(user, community)
    if chosen == Community.Announcers.OWNERS:
        return can_manage_roles(user, community)
    return can_moderate(user, community)


def can_accept_answer(user, thread: Thread) -> bool:
    """The asker or a facilitator chooses the accepted answer of a question."""
    if thread.kind != "question" or not is_live(thread.community) or not can_view_thread(user, thread):
        return False
    if can_moderate(user, thread.community):
        return True
    return user.is_authenticated and thread.author_id == user.pk and can_post_in(user, thread.community)


def can_write_short_answer(user, thread: Thread) -> bool:
    """Once a question has its accepted answer, whoever may choose that answer (the asker
    or a facilitator) writes, confirms or removes its short answer."""
    return thread.accepted_answer_id is not None and can_accept_answer(user, thread)


def can_manage_thread(user, thread: Thread) -> bool:
    """Pin, unpin, lock and unlock: facilitators of a live community."""
    return is_live(thread.community) and can_view_thread(user, thread) and can_moderate(user, thread.community)


def can_watch_thread(user, thread: Thread) -> bool:
    """Watch or mute: approved site members who may read the thread and are not banned from it."""
    if not (user.is_authenticated and user.is_approved) or not can_view_thread(user, thread):
        return False
    return not is_banned(user, thread.community)


# Membership management (issue 4). The views check these; the services check them
# again, so the email bridge or a script cannot skip a rule.


def can_propose_community(user) -> bool:
    """Any approved site member may propose a community."""
    return user.is_authenticated and user.is_approved


def can_review_proposals(user) -> bool:
    """Approving and declining proposed communities: site admins."""
    return is_site_admin(user)


def can_leave(user, community: Community) -> bool:
    """Members leave (and people withdraw a request or an invitation); a ban stays."""
    membership = membership_for(user, community)
    return membership is not None and membership.status != Membership.Status.BANNED


def can_manage_member(user, membership: Membership) -> bool:
    """Remove or ban someone: moderators of that community, but only owners and site
    admins may act on an owner, and nobody manages themselves here (they leave)."""
    community = membership.community
    if not can_moderate(user, community) or membership.user_id == user.pk:
        return False
    if membership.role == Membership.Role.OWNER:
        return can_manage_roles(user, community)
    return True


def can_change_role(user, membership: Membership) -> bool:
    """Appoint or stand down facilitators and owners: owners and site admins, for
    active members other than themselves."""
    return (
        can_manage_roles(user, membership.community)
        and membership.user_id != user.pk
        and membership.status == Membership.Status.ACTIVE
    )


# Records (issue 26): retention rules and exports.


def can_view_retention(user, community: Community) -> bool:
    """Facilitators see the rule (they get its deletion warnings); only owners change it."""
    return can_moderate(user, community)


def can_set_retention(user, community: Community) -> bool:
    """Owners and site admins, within the limits site admins set."""
    return can_manage_roles(user, community)


def can_set_legal_hold(user) -> bool:
    """A legal hold stops archiving and deletion: a decision for site admins."""
    return is_site_admin(user)


def can_export_community(user, community: Community) -> bool:
    """A whole community's record, for FOI requests and archiving: owners and site admins."""
    return can_manage_roles(user, community)


COMMUNITY_PART = RowPart(Community, "community")
COMMUNITY_SQL = f"SELECT {COMMUNITY_PART.select} FROM communities_community community WHERE slug = %s"  # noqa: S608


def get_community_for(user, slug: str) -> Community:
    """The community, or 404 for anyone who may not see it (so its existence is not
    confirmed). The one access helper for community pages."""
    from django.http import Http404

    # In plain SQL: every community page loads it, and the ORM took longer to build
    # the query than PostgreSQL took to answer it.
    loaded = fetch_instances(COMMUNITY_SQL, [slug], [COMMUNITY_PART])
    community = loaded and loaded[0]
    if community is None or not can_view_community(user, community):
        raise Http404("No such community")
    return community


# Moderation (issue 6).


# Community settings and the member list (issue 22).


def can_change_settings(user, community: Community) -> bool:
    """Description, guidelines, topics, welcome message, posting address, announcers:
    facilitators, owners and site admins of an opened community."""
    opened = community.status in (Community.Status.ACTIVE, Community.Status.ARCHIVED)
    return opened and can_moderate(user, community)


def can_change_access(user, community: Community) -> bool:
    """Visibility, join policy, archiving: owners and site admins."""
    return can_change_settings(user, community) and can_manage_roles(user, community)


def accepts_email_posts(community: Community) -> bool:
    """The posting address <slug>@POST_DOMAIN starts threads: live, and not turned off."""
    return is_live(community) and community.posting_address_enabled


def can_view_member_list(user, community: Community) -> bool:
    """Active members see who else belongs (name, organisation, role, joined)."""
    if not can_view_community(user, community):
        return False
    return is_site_admin(user) or (user.is_approved and is_active_member(user, community))


def can_view_member_details(user, community: Community) -> bool:
    """Status, email addresses, filters and the CSV download: the facilitators."""
    return can_view_member_list(user, community) and can_moderate(user, community)


def can_see_email(viewer, member) -> bool:
    """A member's address on a facilitator's member list: when they chose to show it
    to other members, and always to site admins."""
    return is_site_admin(viewer) or member.show_email


def is_last_owner(user, community: Community) -> bool:
    """The only active owner: may neither leave nor be demoted until another is appointed."""
    membership = membership_for(user, community)
    if membership is None or not membership.is_active or membership.role != Membership.Role.OWNER:
        return False
    owners = Membership.objects.filter(
        community=community, role=Membership.Role.OWNER, status=Membership.Status.ACTIVE
    )
    return not owners.exclude(user=user).exists()


# Community health, highlights and announcements (issue 22).


def can_view_health(user, community: Community) -> bool:
    """The community's health page and weekly summary: its facilitators and site admins.
    Views answer 404 to everyone else, as for other facilitators' pages no member sees."""
    return can_moderate(user, community)


def can_view_all_health(user) -> bool:
    """Every community's figures in one table: site admins."""
    return is_site_admin(user)


def can_feature_threads(user, community: Community) -> bool:
    """Feature threads and send the highlights email: facilitators of a live community."""
    return is_live(community) and can_moderate(user, community)
