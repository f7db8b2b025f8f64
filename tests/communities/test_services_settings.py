"""Changing a community's settings (communities.services_settings): who may, what is
saved, what the moderation log records, and what widening counts."""

import pytest
from django.core.exceptions import PermissionDenied

from communities import permissions
from communities import services as membership_services
from communities import services_settings as services
from communities.models import Community, Membership
from forums.models import Post, Thread
from moderation.models import ModerationAction
from tests.communities.factories import community_run_by
from tests.factories import MembershipFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db
A = ModerationAction.Action


@pytest.fixture
def owner(db):
    return UserFactory(username="olive", display_name="Olive Owner")


@pytest.fixture
def community(alice, owner):
    return community_run_by(alice, owner=owner, visibility="private", join_policy="request")


def log(community):
    return list(ModerationAction.objects.filter(community_id=community.pk).order_by("pk"))


def test_facilitator_saves_guidelines_rendered_and_sanitised(community, alice):
    services.community_settings_update(
        community=community, actor=alice, guidelines="Be **kind**.<script>alert(1)</script>"
    )
    community.refresh_from_db()
    assert community.guidelines == "Be **kind**.<script>alert(1)</script>"
    assert "<strong>kind</strong>" in community.guidelines_html
    assert "<script" not in community.guidelines_html


def test_welcome_message_and_description_are_rendered_on_save(community, alice):
    services.community_settings_update(
        community=community, actor=alice, welcome_message="Say *hello*", description="For [press](javascript:x)"
    )
    community.refresh_from_db()
    assert "<em>hello</em>" in community.welcome_message_html
    assert "javascript:" not in community.description_html


def test_each_change_is_logged_with_who_what_before_and_after(community, alice):
    Community.objects.filter(pk=community.pk).update(guidelines="Old rules")
    community.refresh_from_db()
    services.community_settings_update(
        community=community, actor=alice, guidelines="New rules", announcements_by="members"
    )
    entries = log(community)
    assert [(e.action, e.actor_id, e.target_text, e.from_state, e.to_state) for e in entries] == [
        (A.COMMUNITY_CHANGE, alice.pk, f"{community.name}: Guidelines", "Old rules", "New rules"),
        (
            A.COMMUNITY_CHANGE,
            alice.pk,
            f"{community.name}: Who can start announcements",
            "Facilitators and owners",
            "Any member",
        ),
    ]


def test_unchanged_settings_write_nothing_to_the_log(community, alice):
    changed = services.community_settings_update(
        community=community, actor=alice, guidelines=community.guidelines, posting_address_enabled=True
    )
    assert changed == []
    assert log(community) == []


def test_long_guidelines_are_logged_shortened_with_an_ellipsis(community, alice):
    services.community_settings_update(community=community, actor=alice, guidelines="word " * 100)
    (entry,) = log(community)
    assert len(entry.to_state) == 200
    assert entry.to_state.endswith("…")


def test_topics_are_replaced_and_logged(community, alice):
    community.topics.set(["elections"])
    services.community_settings_update(community=community, actor=alice, topics=["media", "Elections"])
    assert sorted(community.topics.names()) == ["Elections", "media"]
    (entry,) = log(community)
    assert (entry.from_state, entry.to_state) == ("elections", "media, Elections")


def test_members_cannot_change_settings(community, bob):
    MembershipFactory(community=community, user=bob)
    with pytest.raises(PermissionDenied):
        services.community_settings_update(community=community, actor=bob, guidelines="Mine now")
    assert log(community) == []


def test_facilitators_cannot_change_visibility(community, alice):
    with pytest.raises(PermissionDenied):
        services.community_access_update(community=community, actor=alice, visibility="private", join_policy="invite")


def test_owner_narrows_join_policy_at_once_and_it_is_logged(community, owner):
    services.community_access_update(community=community, actor=owner, visibility="private", join_policy="invite")
    community.refresh_from_db()
    assert community.join_policy == "invite"
    (entry,) = log(community)
    assert (entry.target_text, entry.from_state, entry.to_state) == (
        f"{community.name}: How people join",
        "By request: facilitators approve",
        "By invitation only",
    )


def test_widening_without_confirmation_is_refused(community, owner):
    with pytest.raises(services.SettingsError):
        services.community_access_update(
            community=community, actor=owner, visibility="members_only", join_policy="request"
        )
    community.refresh_from_db()
    assert community.visibility == "private"


def test_widening_with_confirmation_is_saved_and_logged(community, owner):
    services.community_access_update(
        community=community, actor=owner, visibility="members_only", join_policy="request", confirmed=True
    )
    community.refresh_from_db()
    assert community.visibility == "members_only"
    (entry,) = log(community)
    assert entry.to_state == Community.Visibility.MEMBERS_ONLY.label


def test_widening_counts_readable_threads_and_published_posts_exactly(community, alice, bob):
    MembershipFactory(community=community, user=bob)
    first = make_thread(community=community, author=alice, title="Polling day")
    make_reply(thread=first, author=bob)
    make_reply(thread=first, author=alice)
    hidden_reply = make_reply(thread=first, author=bob, body="Hidden one")
    Post.objects.filter(pk=hidden_reply.pk).update(status=Post.Status.HIDDEN)
    make_thread(community=community, author=bob, title="Count night")
    hidden = make_thread(community=community, author=bob, title="Hidden thread")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)

    wider = services.widening(community, "public")

    assert (wider.threads, wider.posts) == (2, 4)
    assert wider.readers == "anyone, signed in or not"


def test_narrowing_is_not_a_widening(community):
    Community.objects.filter(pk=community.pk).update(visibility="public")
    community.refresh_from_db()
    assert services.widening(community, "private") is None
    assert services.widening(community, "public") is None


def test_owner_archives_and_unarchives_with_both_logged(community, owner):
    services.community_archive(community=community, actor=owner)
    community.refresh_from_db()
    assert community.is_archived
    services.community_unarchive(community=community, actor=owner)
    community.refresh_from_db()
    assert community.status == Community.Status.ACTIVE
    assert [e.action for e in log(community)] == [A.COMMUNITY_ARCHIVE, A.COMMUNITY_UNARCHIVE]


def test_archiving_twice_says_it_is_already_archived(community, owner):
    services.community_archive(community=community, actor=owner)
    with pytest.raises(services.SettingsError, match="already archived"):
        services.community_archive(community=community, actor=owner)


def test_archived_community_is_read_only(community, alice, bob):
    MembershipFactory(community=community, user=bob)
    thread = make_thread(community=community, author=alice)
    Community.objects.filter(pk=community.pk).update(status=Community.Status.ARCHIVED)
    community.refresh_from_db()
    thread.refresh_from_db()
    assert permissions.can_view_community(bob, community)
    assert not permissions.can_post_in(bob, community)
    assert not permissions.can_reply(bob, thread)


def test_facilitators_cannot_archive(community, alice):
    with pytest.raises(PermissionDenied):
        services.community_archive(community=community, actor=alice)


def test_announcements_by_members_lets_members_announce(community, alice, bob):
    MembershipFactory(community=community, user=bob)
    assert not permissions.can_post_announcement(bob, community)
    services.community_settings_update(community=community, actor=alice, announcements_by="members")
    community.refresh_from_db()
    assert permissions.can_post_announcement(bob, community)


def test_announcements_by_owners_shuts_out_facilitators(community, alice, owner):
    services.community_settings_update(community=community, actor=alice, announcements_by="owners")
    community.refresh_from_db()
    assert not permissions.can_post_announcement(alice, community)
    assert permissions.can_post_announcement(owner, community)


def test_the_last_owner_is_known_as_such(community, owner, bob):
    assert permissions.is_last_owner(owner, community)
    MembershipFactory(community=community, user=bob, role=Membership.Role.OWNER)
    assert not permissions.is_last_owner(owner, community)


def test_approval_email_carries_the_welcome_message_once(
    community, alice, bob, django_capture_on_commit_callbacks, mailoutbox
):
    services.community_settings_update(community=community, actor=alice, welcome_message="Read the **pinned** guide.")
    request = MembershipFactory(community=community, user=bob, status=Membership.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        membership_services.membership_approve(membership=request, actor=alice)
    (sent,) = mailoutbox
    assert "Read the **pinned** guide." in sent.body
    assert "<strong>pinned</strong>" in sent.alternatives[0][0]
    assert Membership.objects.get(pk=request.pk).welcome_emailed_at is not None
