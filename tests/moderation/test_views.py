import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from forums.models import Post, Thread
from members.models import User
from moderation import member_actions, services, thread_actions
from moderation.models import CommunityModerationSettings, Flag, MemberSanction, ModerationAction
from tests.factories import CommunityFactory, MembershipFactory, form_token, make_reply, make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(community, alice):
    return make_thread(community=community, author=alice, title="Flood warnings on social media")


@pytest.fixture
def reply(thread, bob):
    return make_reply(thread=thread, author=bob, body="Call me on 07700 900123")


@pytest.fixture
def private_community(alice):
    community = CommunityFactory(name="Police media", slug="police-media", visibility="private")
    MembershipFactory(community=community, user=alice, role="facilitator")
    return community


# Reporting ---------------------------------------------------------------------------


def test_report_form_shows_the_reasons(reply, alice):
    response = client_as(alice).get(reverse("post_report", args=[reply.pk]))
    assert response.status_code == 200
    assert "Shares personal data" in response.content.decode()


def test_reporting_creates_an_open_flag(reply, alice):
    url = reverse("post_report", args=[reply.pk])
    response = client_as(alice).post(
        url, {"reason": "personal_data", "note": "A phone number", "form_token": form_token(alice)}
    )
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.reporter, flag.reason, flag.note, flag.status) == (alice, "personal_data", "A phone number", "open")


def test_other_needs_a_note(reply, alice):
    response = client_as(alice).post(reverse("post_report", args=[reply.pk]), {"reason": "other", "note": ""})
    assert response.status_code == 200
    assert "Tell the facilitators what is wrong with the post" in response.content.decode()
    assert not Flag.objects.exists()


def test_reporting_twice_does_not_add_a_flag(reply, alice):
    client = client_as(alice)
    client.post(reverse("post_report", args=[reply.pk]), {"reason": "spam", "form_token": form_token(alice)})
    # Sent again from a new form (a new token): the open flag refuses it.
    data = {"reason": "spam", "form_token": form_token(alice)}
    response = client.post(reverse("post_report", args=[reply.pk]), data, follow=True)
    assert Flag.objects.count() == 1
    assert "already reported" in response.content.decode()


def test_members_cannot_report_their_own_posts(reply, bob):
    assert client_as(bob).get(reverse("post_report", args=[reply.pk])).status_code == 403


def test_report_wrong_method(reply, alice):
    assert client_as(alice).put(reverse("post_report", args=[reply.pk])).status_code == 405


def test_report_anonymous_is_sent_to_sign_in(reply):
    response = client_as(None).get(reverse("post_report", args=[reply.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_report_outsider_gets_404_for_private_post(private_community, alice, charlie):
    post = make_thread(community=private_community, author=alice).posts.get()
    assert client_as(charlie).get(reverse("post_report", args=[post.pk])).status_code == 404


# Review queue ------------------------------------------------------------------------


def test_queue_shows_held_posts_and_flags_oldest_first(premoderation, community, thread, alice, bob, charlie):
    held = make_reply(thread=thread, author=bob, body="My first post here")
    flagged = make_reply(thread=thread, author=alice, body="Buy our scheduling tool")
    Post.objects.filter(pk=held.pk).update(created_at=timezone.now() - timedelta(hours=2))
    services.flag_create(post=flagged, reporter=bob, reason=Flag.Reason.SPAM)
    response = client_as(alice).get(reverse("community_review", args=[community.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("My first post here") < body.index("Buy our scheduling tool")
    assert "Spam or advertising" in body and "Waiting for approval" in body


def test_queue_shows_the_authors_history(premoderation, community, thread, alice, bob):
    make_reply(thread=thread, author=bob)
    body = client_as(alice).get(reverse("community_review", args=[community.slug])).content.decode()
    assert "0 published, 1 waiting, 0 hidden" in body


def test_queue_of_one_community_leaves_out_another(premoderation, community, other_community, thread, alice, charlie):
    MembershipFactory(community=other_community, user=alice)
    make_reply(thread=make_thread(community=other_community, author=charlie), author=alice, body="Elsewhere")
    Post.objects.filter(body="Elsewhere").update(status=Post.Status.HELD)
    body = client_as(alice).get(reverse("community_review", args=[community.slug])).content.decode()
    assert "Elsewhere" not in body


def test_queue_members_get_403(community, bob):
    assert client_as(bob).get(reverse("community_review", args=[community.slug])).status_code == 403


def test_queue_outsiders_get_404_for_private_community(private_community, charlie):
    assert client_as(charlie).get(reverse("community_review", args=[private_community.slug])).status_code == 404


def test_queue_wrong_method(community, alice):
    assert client_as(alice).post(reverse("community_review", args=[community.slug])).status_code == 405


def test_queue_anonymous_is_sent_to_sign_in(community):
    assert client_as(None).get(reverse("community_review", args=[community.slug])).status_code == 302


def test_site_queue_for_site_admins_only(premoderation, community, thread, bob, alice, dora):
    make_reply(thread=thread, author=bob, body="Held for the site admin")
    assert "Held for the site admin" in client_as(dora).get(reverse("site_review")).content.decode()
    assert client_as(alice).get(reverse("site_review")).status_code == 404


@pytest.mark.parametrize("extra", [0, 15])
def test_queue_query_count_does_not_grow(
    premoderation, community, thread, alice, django_assert_max_num_queries, extra
):
    for number in range(5 + extra):
        author = MembershipFactory(community=community).user
        post = make_reply(thread=thread, author=author, body=f"Post {number}")
        if number % 2:
            services.flag_create(post=post, reporter=alice, reason=Flag.Reason.OFF_TOPIC)
    client = client_as(alice)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("community_review", args=[community.slug]))
    assert response.status_code == 200


# Queue actions -----------------------------------------------------------------------


def test_approve_from_the_queue(premoderation, community, thread, bob, alice):
    held = make_reply(thread=thread, author=bob)
    response = client_as(alice).post(reverse("post_approve", args=[held.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("community_review", args=[community.slug])
    assert Post.objects.get(pk=held.pk).status == Post.Status.PUBLISHED


def test_approve_goes_back_to_the_site_queue_when_asked(premoderation, thread, bob, dora):
    held = make_reply(thread=thread, author=bob)
    response = client_as(dora).post(reverse("post_approve", args=[held.pk]), {"next": "/review/"})
    assert response["Location"] == "/review/"


def test_approve_ignores_an_offsite_next(premoderation, community, thread, bob, alice):
    held = make_reply(thread=thread, author=bob)
    response = client_as(alice).post(reverse("post_approve", args=[held.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("community_review", args=[community.slug])


def test_approve_wrong_method(reply, alice):
    assert client_as(alice).get(reverse("post_approve", args=[reply.pk])).status_code == 405


def test_hide_needs_a_reason(reply, alice):
    response = client_as(alice).post(reverse("post_hide", args=[reply.pk]), {"reason": ""})
    assert response.status_code == 200 and "Enter a reason" in response.content.decode()
    assert Post.objects.get(pk=reply.pk).status == Post.Status.PUBLISHED


def test_hide_with_a_reason_the_author_then_sees(reply, alice, bob):
    client_as(alice).post(reverse("post_hide", args=[reply.pk]), {"reason": "Shares a phone number"})
    assert Post.objects.get(pk=reply.pk).status == Post.Status.HIDDEN
    body = client_as(bob).get(reverse("my_moderated_posts")).content.decode()
    assert "Reason: Shares a phone number" in body


def test_hide_and_ban(reply, alice, community, bob):
    client_as(alice).post(reverse("post_hide_and_ban", args=[reply.pk]), {"reason": "Abuse"})
    assert Membership.objects.get(community=community, user=bob).status == Membership.Status.BANNED


def test_a_facilitator_cannot_ban_the_owner(community, thread, alice, charlie):
    MembershipFactory(community=community, user=charlie, role="owner")
    post = make_reply(thread=thread, author=charlie)
    assert client_as(alice).get(reverse("post_hide_and_ban", args=[post.pk])).status_code == 403


def test_dismiss_a_flag(reply, alice, charlie, community):
    MembershipFactory(community=community, user=charlie)
    flag = services.flag_create(post=reply, reporter=charlie, reason=Flag.Reason.SPAM)
    response = client_as(alice).post(reverse("flag_dismiss", args=[flag.pk]))
    assert response.status_code == 302
    assert Flag.objects.get(pk=flag.pk).status == Flag.Status.DISMISSED


def test_a_facilitator_of_another_community_cannot_act_here(reply, charlie, other_community):
    response = client_as(charlie).post(reverse("post_hide", args=[reply.pk]), {"reason": "No"})
    assert response.status_code == 403
    assert Post.objects.get(pk=reply.pk).status == Post.Status.PUBLISHED


# Settings ----------------------------------------------------------------------------


def test_settings_save_and_log(community, alice):
    url = reverse("moderation_settings", args=[community.slug])
    assert "Hold a new member" in client_as(alice).get(url).content.decode()
    client_as(alice).post(url, {"hold_first_posts": "2", "premoderate_all": "on"})
    chosen = CommunityModerationSettings.objects.get(community=community)
    assert (chosen.hold_first_posts, chosen.premoderate_all) == (2, True)


def test_settings_refuse_a_negative_number(community, alice):
    response = client_as(alice).post(reverse("moderation_settings", args=[community.slug]), {"hold_first_posts": "-1"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not CommunityModerationSettings.objects.exists()


# Thread actions ----------------------------------------------------------------------


def test_thread_moderation_page(thread, alice):
    response = client_as(alice).get(reverse("thread_moderate", args=[thread.pk]))
    assert response.status_code == 200 and "Merge into another thread" in response.content.decode()


def test_rename_through_the_page(thread, alice):
    client_as(alice).post(reverse("thread_rename", args=[thread.pk]), {"rename-title": "Floods: what worked"})
    assert Thread.objects.get(pk=thread.pk).title == "Floods: what worked"


def test_rename_needs_a_title(thread, alice):
    response = client_as(alice).post(reverse("thread_rename", args=[thread.pk]), {"rename-title": ""})
    assert "Enter a title for the thread" in response.content.decode()


def test_move_only_to_communities_you_facilitate(thread, alice, other_community):
    response = client_as(alice).post(reverse("thread_move", args=[thread.pk]), {"move-community": other_community.pk})
    assert response.status_code == 200
    assert Thread.objects.get(pk=thread.pk).community_id == thread.community_id


def test_move_to_a_community_you_facilitate(thread, alice, private_community):
    client_as(alice).post(reverse("thread_move", args=[thread.pk]), {"move-community": private_community.pk})
    assert Thread.objects.get(pk=thread.pk).community == private_community


def test_hide_and_restore_through_the_page(thread, alice):
    client_as(alice).post(reverse("thread_hide", args=[thread.pk]), {"visibility-reason": "Duplicate"})
    assert Thread.objects.get(pk=thread.pk).is_hidden
    client_as(alice).post(reverse("thread_restore", args=[thread.pk]))
    assert not Thread.objects.get(pk=thread.pk).is_hidden


def test_merge_into_a_thread_in_another_community_you_do_not_facilitate_is_refused(thread, alice, other_community):
    elsewhere = make_thread(community=other_community, author=other_community.memberships.get().user)
    response = client_as(alice).post(reverse("thread_merge", args=[thread.pk]), {"merge-target": elsewhere.pk})
    assert "a community you facilitate" in response.content.decode()
    assert Thread.objects.filter(pk=thread.pk).exists()


def test_merge_through_the_page(community, thread, alice, bob):
    source = make_thread(community=community, author=bob, title="Duplicate question")
    response = client_as(alice).post(reverse("thread_merge", args=[source.pk]), {"merge-target": thread.pk})
    assert response["Location"] == reverse("thread_moderate", args=[thread.pk])
    assert not Thread.objects.filter(pk=source.pk).exists()


def test_split_through_the_page(reply, alice):
    url = reverse("post_split", args=[reply.pk])
    assert client_as(alice).get(url).status_code == 200
    client_as(alice).post(url, {"title": "Sharing phone numbers"})
    assert Post.objects.get(pk=reply.pk).thread.title == "Sharing phone numbers"


def test_thread_actions_are_403_for_members(thread, bob):
    for name in ["thread_rename", "thread_move", "thread_hide", "thread_merge"]:
        assert client_as(bob).post(reverse(name, args=[thread.pk])).status_code == 403, name
    assert Thread.objects.get(pk=thread.pk).title == "Flood warnings on social media"


# Members -----------------------------------------------------------------------------


def member_url(name, community, user):
    return reverse(name, kwargs={"slug": community.slug, "username": user.username})


def test_member_page_shows_the_record(community, alice, bob):
    member_actions.member_warn(community=community, user=bob, actor=alice, message="Keep to the topic, please.")
    response = client_as(alice).get(member_url("member_moderate", community, bob))
    assert response.status_code == 200 and "Keep to the topic, please." in response.content.decode()


def test_warn_through_the_page(community, alice, bob):
    client_as(alice).post(member_url("member_warn", community, bob), {"warn-message": "Be kind."})
    assert MemberSanction.objects.get().kind == MemberSanction.Kind.WARNING


def test_mute_needs_a_future_date(community, alice, bob):
    data = {"mute-until": "01/01/2020", "mute-reason": "Cooling off"}
    response = client_as(alice).post(member_url("member_mute", community, bob), data)
    assert "The date must be in the future" in response.content.decode()
    assert not MemberSanction.objects.exists()


def test_mute_through_the_page(community, alice, bob):
    until = (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y")
    client_as(alice).post(member_url("member_mute", community, bob), {"mute-until": until, "mute-reason": "Cool off"})
    assert MemberSanction.objects.get().kind == MemberSanction.Kind.MUTE


def test_premoderate_and_lift(community, alice, bob):
    client_as(alice).post(member_url("member_premoderate", community, bob), {"premoderate-reason": "Spam risk"})
    sanction = MemberSanction.objects.get()
    client_as(alice).post(reverse("sanction_lift", args=[sanction.pk]))
    assert MemberSanction.objects.get().lifted_at is not None


def test_ban_through_the_page(community, alice, bob):
    client_as(alice).post(member_url("member_ban", community, bob), {"ban-reason": "Abuse"})
    assert Membership.objects.get(community=community, user=bob).status == Membership.Status.BANNED


def test_only_site_admins_suspend(community, alice, bob, dora):
    url = member_url("user_suspend", community, bob)
    assert client_as(alice).post(url, {"suspend-reason": "No"}).status_code == 404
    assert User.objects.get(pk=bob.pk).status == User.Status.APPROVED
    client_as(dora).post(url, {"suspend-reason": "Impersonation"})
    assert User.objects.get(pk=bob.pk).status == User.Status.SUSPENDED
    client_as(dora).post(member_url("user_reinstate", community, bob))
    assert User.objects.get(pk=bob.pk).status == User.Status.APPROVED


def test_members_cannot_sanction(community, bob, alice):
    assert client_as(bob).post(member_url("member_warn", community, alice), {"warn-message": "x"}).status_code == 403
    assert not MemberSanction.objects.exists()


# The log -----------------------------------------------------------------------------


@pytest.fixture
def logged(community, other_community, thread, alice, charlie):
    thread_actions.thread_rename(thread=thread, actor=alice, title="Renamed here")
    other = make_thread(community=other_community, author=charlie, title="Elsewhere")
    thread_actions.thread_hide(thread=other, actor=charlie, reason="Duplicate elsewhere")


def test_community_log_shows_only_its_own_entries(logged, community, alice):
    body = client_as(alice).get(reverse("community_log", args=[community.slug])).content.decode()
    assert "Renamed a thread" in body and "Duplicate elsewhere" not in body


def test_site_log_shows_everything_and_filters(logged, dora):
    body = client_as(dora).get(reverse("site_log")).content.decode()
    assert "Renamed here" in body and "Duplicate elsewhere" in body
    body = client_as(dora).get(reverse("site_log"), {"action": "thread_hide"}).content.decode()
    assert "Renamed here" not in body and "Duplicate elsewhere" in body
    body = client_as(dora).get(reverse("site_log"), {"actor": "alice"}).content.decode()
    assert "Renamed here" in body and "Duplicate elsewhere" not in body


def test_site_log_bad_filters_show_errors_not_500(logged, dora):
    response = client_as(dora).get(reverse("site_log"), {"date_from": "yesterday", "community": "999999"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def test_site_log_refuses_a_date_range_the_wrong_way_round(logged, dora):
    response = client_as(dora).get(reverse("site_log"), {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_log_csv_export(logged, dora):
    response = client_as(dora).get(reverse("site_log_csv"), {"action": "thread_rename"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "when" and len(rows) == 2
    assert rows[1][3] == "Renamed a thread" and rows[1][7] == "Flood warnings on social media"


def test_site_log_is_404_for_facilitators(logged, alice):
    assert client_as(alice).get(reverse("site_log")).status_code == 404
    assert client_as(alice).get(reverse("site_log_csv")).status_code == 404


@pytest.mark.parametrize("extra", [0, 25])
def test_log_query_count_does_not_grow(community, thread, alice, dora, django_assert_max_num_queries, extra):
    for number in range(3 + extra):
        thread_actions.thread_rename(thread=thread, actor=alice, title=f"Title {number}")
    client = client_as(dora)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("site_log")).status_code == 200


def test_log_page_has_no_edit_path(logged, dora):
    assert ModerationAction.objects.count() == 2
    body = client_as(dora).get(reverse("site_log")).content.decode()
    assert "delete" not in body.lower().replace("cannot be changed or deleted", "")


# Header count ------------------------------------------------------------------------


def test_header_shows_waiting_count_to_facilitators(premoderation, community, thread, bob, alice, charlie):
    make_reply(thread=thread, author=bob)
    body = client_as(alice).get(reverse("community_log", args=[community.slug])).content.decode()
    assert "1 to review" in body


@pytest.mark.parametrize("extra", [0, 10])
def test_header_count_takes_three_queries(premoderation, community, thread, alice, django_assert_num_queries, extra):
    from moderation.selectors import waiting_counts_for

    for _ in range(2 + extra):
        make_reply(thread=thread, author=MembershipFactory(community=community).user)
    with django_assert_num_queries(3):  # the communities alice moderates, held posts, open flags
        counts = waiting_counts_for(alice)
    assert counts.total == 2 + extra
    assert counts.communities == [{"slug": community.slug, "name": community.name, "count": 2 + extra}]


def test_header_count_asks_nothing_more_of_members_who_moderate_nothing(
    premoderation, community, thread, bob, django_assert_num_queries
):
    from moderation.selectors import waiting_counts_for

    make_reply(thread=thread, author=MembershipFactory(community=community).user)
    with django_assert_num_queries(1):  # the communities bob may read and moderate
        counts = waiting_counts_for(bob)
    assert counts.total == 0


@pytest.mark.parametrize("extra", [0, 12])
def test_other_pages_query_counts_stay_fixed(
    premoderation, community, alice, bob, dora, no_rate_limits, django_assert_max_num_queries, extra
):
    """Bounds leave a query or two for the header (notifications, review counts)."""
    thread = make_thread(community=community, author=alice)
    member_actions.member_warn(community=community, user=bob, actor=alice, message="Mind the guidelines.")
    for number in range(3 + extra):
        author = MembershipFactory(community=community).user
        post = make_reply(thread=thread, author=author, body=f"Post {number}")
        services.flag_create(post=post, reporter=alice, reason=Flag.Reason.OFF_TOPIC)
        member_actions.member_warn(community=community, user=bob, actor=alice, message=f"Warning {number}")
        make_reply(thread=thread, author=bob, body=f"Bob {number}")
        services.post_hide(post=Post.objects.filter(author=bob).latest("pk"), actor=alice, reason="Off-topic")
    pages = [
        (dora, reverse("site_review"), 11),
        (alice, reverse("community_log", args=[community.slug]), 10),
        (dora, reverse("site_log"), 9),
        (bob, reverse("my_moderated_posts"), 7),
        (alice, reverse("member_moderate", args=[community.slug, bob.username]), 12),
        (alice, reverse("thread_moderate", args=[thread.pk]), 9),
    ]
    for user, url, bound in pages:
        client = client_as(user)
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200, url


def test_member_pages_are_404_for_people_with_no_membership(community, alice, charlie):
    assert client_as(alice).get(member_url("member_moderate", community, charlie)).status_code == 404
    response = client_as(alice).post(member_url("member_warn", community, charlie), {"warn-message": "x"})
    assert response.status_code == 404
    assert not MemberSanction.objects.exists()


def test_a_facilitator_cannot_sanction_the_owner(community, alice, charlie):
    MembershipFactory(community=community, user=charlie, role="owner")
    assert client_as(alice).get(member_url("member_moderate", community, charlie)).status_code == 403
    assert client_as(alice).post(member_url("member_mute", community, charlie), {}).status_code == 403


def test_nobody_moderates_themselves(community, alice):
    assert client_as(alice).get(member_url("member_moderate", community, alice)).status_code == 403


def test_log_csv_neutralises_spreadsheet_formulas(community, thread, alice):
    thread_actions.thread_rename(
        thread=thread, actor=alice, title="Renamed", reason='=HYPERLINK("https://evil.example")'
    )
    response = client_as(alice).get(reverse("community_log_csv", args=[community.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][9] == '\'=HYPERLINK("https://evil.example")'
