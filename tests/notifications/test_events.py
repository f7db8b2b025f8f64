from forums.models import ThreadSubscription
from notifications import events
from notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory, make_reply, make_thread


def test_reply_to_thread_notifies_the_thread_author(community, alice, bob, committed):
    thread = make_thread(community=community, author=alice)
    with committed():
        reply = make_reply(thread=thread, author=bob)
    notification = Notification.objects.get(recipient=alice)
    assert notification.kind == Notification.Kind.REPLY
    assert notification.post == reply
    assert notification.url == f"/posts/{reply.pk}/"
    assert "Bob Member replied to your thread" in notification.text


def test_reply_to_a_reply_notifies_its_author_and_the_thread_author(community, alice, bob, committed):
    carol = UserFactory(username="carol")
    MembershipFactory(community=community, user=carol)
    thread = make_thread(community=community, author=alice)
    first = make_reply(thread=thread, author=bob)
    with committed():
        make_reply(thread=thread, author=carol, parent=first)
    assert "replied to your post" in Notification.objects.get(recipient=bob).text
    assert "replied to your thread" in Notification.objects.get(recipient=alice).text


def test_authors_are_never_notified_about_their_own_posts(community, alice, committed):
    thread = make_thread(community=community, author=alice)
    with committed():
        make_reply(thread=thread, author=alice)
    assert not Notification.objects.exists()


def test_muted_thread_never_notifies(community, alice, bob, committed):
    thread = make_thread(community=community, author=alice)
    ThreadSubscription.objects.create(user=alice, thread=thread, level="muted")
    with committed():
        make_reply(thread=thread, author=bob)
    assert not Notification.objects.filter(recipient=alice).exists()


def test_reply_in_private_community_is_not_notified_to_a_former_member(private_community, alice, bob, committed):
    thread = make_thread(community=private_community, author=bob)
    private_community.memberships.filter(user=bob).delete()
    with committed():
        make_reply(thread=thread, author=alice)
    assert not Notification.objects.filter(recipient=bob).exists()


def test_mention_notifies_people_who_can_see_the_post(private_community, alice, bob, charlie):
    thread = make_thread(community=private_community, author=alice)
    events.user_mentioned(thread.posts.get(), [bob, charlie])
    assert Notification.objects.filter(recipient=bob, kind="mention").exists()
    assert not Notification.objects.filter(recipient=charlie).exists()


def test_answer_accepted_notifies_the_answer_author(community, alice, bob):
    thread = make_thread(community=community, author=alice)
    reply = make_reply(thread=thread, author=bob)
    events.answer_accepted(thread, reply)
    assert Notification.objects.get(recipient=bob).kind == Notification.Kind.ANSWER_ACCEPTED


def test_join_request_decided_says_why_when_declined(community, charlie):
    membership = MembershipFactory(community=community, user=charlie, status="pending")
    events.join_request_decided(membership, False, "This community is for police staff.")
    assert Notification.objects.get(recipient=charlie).text.endswith(": This community is for police staff.")


def test_join_request_received_notifies_facilitators_only(community, alice, bob, charlie):
    membership = MembershipFactory(community=community, user=charlie, status="pending")
    events.join_request_received(membership)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["alice"]


def test_review_item_added_is_not_repeated_while_unread(community, alice):
    events.review_item_added(community)
    events.review_item_added(community)
    assert Notification.objects.filter(recipient=alice, kind="review_item").count() == 1


def test_post_hidden_notification_links_to_the_thread_not_the_hidden_post(community, alice, bob):
    thread = make_thread(community=community, author=alice)
    reply = make_reply(thread=thread, author=bob)
    reply.status = "hidden"
    reply.save(update_fields=["status"])
    events.post_moderated(reply, False, "Personal data")
    notification = Notification.objects.get(recipient=bob)
    assert notification.post is None
    assert notification.url.startswith(f"/threads/{thread.pk}/")
    assert notification.text.endswith(": Personal data")


def test_invitation_sent_notifies_an_existing_account(community, alice, charlie):
    class Invitation:
        user = charlie
        invited_by = alice

    Invitation.community = community
    events.invitation_sent(Invitation())
    assert (
        Notification.objects.get(recipient=charlie).text == f"Alice Facilitator invited you to join {community.name}"
    )


def test_sanction_issued_notifies_the_member_in_site(community, bob):
    class Sanction:
        user = bob

        def get_kind_display(self):
            return "Warning"

    Sanction.community = community
    events.sanction_issued(Sanction())
    assert (
        Notification.objects.get(recipient=bob).text == "The facilitators of Crisis communications sent you a warning"
    )


def test_post_hidden_seam_records_the_reason(community, alice, bob):
    thread = make_thread(community=community, author=alice)
    reply = make_reply(thread=thread, author=bob)
    reply.status, reply.moderation_reason = "hidden", "Off-topic"
    reply.save(update_fields=["status", "moderation_reason"])
    events.post_hidden(reply)
    assert Notification.objects.get(recipient=bob).text.endswith("hidden by a facilitator: Off-topic")


def test_wired_join_request_notifies_facilitators_in_site(community, alice, charlie, committed):
    from communities.services import membership_join

    community.join_policy = "request"
    community.save(update_fields=["join_policy"])
    with committed():
        membership_join(community=community, user=charlie)
    assert alice.notifications.get().kind == Notification.Kind.JOIN_REQUEST


def test_wired_join_decisions_notify_the_applicant(community, alice, charlie, committed):
    from communities.services import membership_approve, membership_decline

    membership = MembershipFactory(community=community, user=charlie, status="pending")
    with committed():
        membership_approve(membership=membership, actor=alice)
    dave = UserFactory(username="dave")
    pending = MembershipFactory(community=community, user=dave, status="pending")
    with committed():
        membership_decline(membership=pending, actor=alice, reason="For council staff only.")
    assert charlie.notifications.get().text.endswith("was approved")
    assert dave.notifications.get().text.endswith("was declined: For council staff only.")


def test_wired_invitation_notifies_an_existing_account(community, alice, charlie, committed):
    from communities.invitation_services import invitations_send

    with committed():
        invitations_send(community=community, inviter=alice, recipients=[("Charlie", charlie.email)])
    assert charlie.notifications.get().kind == Notification.Kind.INVITATION


def test_wired_held_post_and_flag_notify_facilitators(community, alice, bob, committed):
    from unittest import mock

    from moderation.services import flag_create, post_approve

    thread = make_thread(community=community, author=alice)
    with mock.patch("forums.services.initial_post_status", return_value="held"), committed():
        held = make_reply(thread=thread, author=bob)
    assert alice.notifications.get().kind == Notification.Kind.REVIEW_ITEM
    with committed():
        post_approve(post=held, actor=alice)
    assert bob.notifications.get().kind == Notification.Kind.POST_MODERATED
    Notification.objects.all().update(read_at="2026-01-01T00:00Z")
    with committed():
        flag_create(post=held, reporter=UserFactory(username="erin2"), reason="spam")
    assert alice.notifications.filter(read_at__isnull=True, kind="review_item").count() == 1


def test_a_mentioned_thread_author_gets_one_notification_not_two(community, alice, bob, committed):
    thread = make_thread(community=community, author=alice)
    with committed():
        make_reply(thread=thread, author=bob, body="@alice we do the same.")
    assert list(alice.notifications.values_list("kind", flat=True)) == ["mention"]


def test_watchers_are_notified_in_site_of_replies(community, alice, bob, committed):
    thread = make_thread(community=community, author=alice, title="Storm naming and social media")
    ThreadSubscription.objects.create(user=bob, thread=thread, level="watching")
    with committed():
        make_reply(thread=thread, author=alice)
    assert (
        bob.notifications.get().text
        == "Alice Facilitator replied in “Storm naming and social media”, a thread you watch"
    )
