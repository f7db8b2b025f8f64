"""The policy functions and the visible_to querysets agree with the matrix, for
every role and visibility. Surfaces (pages, feeds, search) are tested in each
app's test_permission_matrix.py."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communities import permissions
from communities.models import Community
from forums.models import Post, Thread
from tests.factories import make_reply, make_thread
from tests.matrix import CAN_MANAGE_ROLES, CAN_MODERATE, CAN_POST, CAN_READ, ROLES, VISIBILITIES, community_with_cast

pytestmark = pytest.mark.django_db


def as_user(user):
    return user if user is not None else AnonymousUser()


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_policy_functions_follow_the_matrix(visibility):
    community, cast = community_with_cast(visibility)
    for role in ROLES:
        user = as_user(cast[role])
        assert permissions.can_view_community(user, community) == (role in CAN_READ[visibility]), role
        assert permissions.can_post_in(user, community) == (role in CAN_POST), role
        assert permissions.can_moderate(user, community) == (role in CAN_MODERATE), role
        assert permissions.can_manage_roles(user, community) == (role in CAN_MANAGE_ROLES), role


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_visible_to_querysets_agree_with_the_functions(visibility):
    community, cast = community_with_cast(visibility)
    thread = make_thread(community=community, author=cast["member"])
    reply = make_reply(thread=thread, author=cast["facilitator"])
    for role in ROLES:
        user = as_user(cast[role])
        readable = role in CAN_READ[visibility]
        assert Community.objects.visible_to(user).filter(pk=community.pk).exists() == readable, role
        assert Thread.objects.visible_to(user).filter(pk=thread.pk).exists() == readable, role
        assert Post.objects.visible_to(user).filter(pk=reply.pk).exists() == readable, role
        assert permissions.can_view_thread(user, thread) == readable, role
        assert permissions.can_view_post(user, reply) == readable, role


def test_held_post_is_seen_only_by_its_author_and_moderators():
    community, cast = community_with_cast("public")
    thread = make_thread(community=community, author=cast["member"])
    held = make_reply(thread=thread, author=cast["member"])
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    held.refresh_from_db()
    can_see = {"member", "facilitator", "owner", "site_admin"}
    for role in ROLES:
        user = as_user(cast[role])
        assert Post.objects.visible_to(user).filter(pk=held.pk).exists() == (role in can_see), role
        assert permissions.can_view_post(user, held) == (role in can_see), role


def test_hidden_thread_is_seen_only_by_moderators():
    community, cast = community_with_cast("public")
    thread = make_thread(community=community, author=cast["member"])
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    thread.refresh_from_db()
    for role in ROLES:
        user = as_user(cast[role])
        assert Thread.objects.visible_to(user).filter(pk=thread.pk).exists() == (role in CAN_MODERATE), role
        assert permissions.can_view_thread(user, thread) == (role in CAN_MODERATE), role


def test_facilitator_of_one_community_cannot_moderate_another():
    community, cast = community_with_cast("public")
    other, _ = community_with_cast("private")
    assert permissions.can_moderate(cast["facilitator"], community)
    assert not permissions.can_moderate(cast["facilitator"], other)
    assert not permissions.can_view_community(cast["facilitator"], other)


def test_archived_community_stays_readable_but_accepts_no_posts():
    community, cast = community_with_cast("public", status=Community.Status.ARCHIVED)
    assert permissions.can_view_community(cast["member"], community)
    assert not permissions.can_post_in(cast["member"], community)
    assert not permissions.can_post_in(cast["site_admin"], community)


# Membership management rules (issue 4) ------------------------------------------


def test_only_approved_members_propose_and_only_site_admins_review():
    _, cast = community_with_cast("public")
    for role in ROLES:
        user = as_user(cast[role])
        approved = role not in {"anonymous", "pending"}
        assert permissions.can_propose_community(user) == approved, role
        assert permissions.can_review_proposals(user) == (role == "site_admin"), role


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_managing_an_ordinary_member_follows_can_moderate(visibility):
    from tests.factories import MembershipFactory

    community, cast = community_with_cast(visibility)
    target = MembershipFactory(community=community)
    for role in ROLES:
        user = as_user(cast[role])
        assert permissions.can_manage_member(user, target) == (role in CAN_MODERATE), role
        assert permissions.can_change_role(user, target) == (role in CAN_MANAGE_ROLES), role


def test_facilitators_cannot_manage_owners_but_owners_and_site_admins_can():
    from communities.models import Membership

    community, cast = community_with_cast("public")
    owner = Membership.objects.get(community=community, user=cast["owner"])
    assert not permissions.can_manage_member(cast["facilitator"], owner)
    assert permissions.can_manage_member(cast["site_admin"], owner)
    facilitator = Membership.objects.get(community=community, user=cast["facilitator"])
    assert permissions.can_manage_member(cast["owner"], facilitator)


def test_nobody_manages_their_own_membership():
    from communities.models import Membership

    community, cast = community_with_cast("public")
    own = Membership.objects.get(community=community, user=cast["owner"])
    assert not permissions.can_manage_member(cast["owner"], own)
    assert not permissions.can_change_role(cast["owner"], own)


def test_leaving_is_for_members_who_are_not_banned():
    community, cast = community_with_cast("public")
    allowed = {"member", "facilitator", "owner"}
    for role in ROLES:
        assert permissions.can_leave(as_user(cast[role]), community) == (role in allowed), role


def test_get_community_for_is_404_for_those_who_cannot_see_it():
    from django.http import Http404

    community, cast = community_with_cast("private")
    assert permissions.get_community_for(cast["member"], community.slug) == community
    with pytest.raises(Http404):
        permissions.get_community_for(cast["outsider"], community.slug)
    with pytest.raises(Http404):
        permissions.get_community_for(cast["outsider"], "no-such-community")


def test_a_facilitator_whose_account_is_suspended_loses_sight_of_hidden_threads():
    from members.models import User

    community, cast = community_with_cast("public")
    thread = make_thread(community=community, author=cast["member"])
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    facilitator = cast["facilitator"]
    User.objects.filter(pk=facilitator.pk).update(status=User.Status.SUSPENDED)
    facilitator.refresh_from_db()
    assert not Thread.objects.visible_to(facilitator).filter(pk=thread.pk).exists()
    assert not permissions.can_view_thread(facilitator, Thread.objects.get(pk=thread.pk))
