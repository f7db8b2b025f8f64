"""The member with a record of every kind, for the erasure and download tests."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from taggit.models import Tag

from communities.invitation_services import invitations_send
from communities.models import Invitation
from communities.services import membership_join
from forums.follows import announcement_dismiss, tag_follow
from forums.models import Attachment, Mention, Post, ThreadSubscription
from forums.services import helpful_mark, post_edit, post_reply, thread_mark_read, thread_subscribe
from moderation.member_actions import member_warn
from moderation.models import Flag, MemberSanction
from moderation.services import flag_create, post_hide
from notifications.inbound import receive
from notifications.models import (
    EmailDelivery,
    EmailOptOut,
    EmailStop,
    HeldInboundMessage,
    HighlightsSend,
    InboundMessage,
    Notification,
    OutgoingEmail,
)
from notifications.services import community_email_mode_set, email_kind_preferences_set
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread
from tests.notifications.test_inbound import address_for, message

PERSONAL = "bob.personal@example.org"


@pytest.fixture
def world(alice, bob, charlie, dora, client, settings, tmp_path, django_capture_on_commit_callbacks):
    """bob with a record of every kind, and the same for charlie where it shows that
    other people's records are left alone."""
    settings.MEDIA_ROOT = tmp_path
    # Our receiving server vouches for the mail below (tests.notifications.test_inbound.passed).
    settings.INBOUND_AUTHSERV_IDS = ["mx.commsnet.example.gov.uk"]
    settings.REPLY_DOMAIN = "reply.commsnet.example.gov.uk"
    settings.POST_DOMAIN = "post.commsnet.example.gov.uk"
    bob.first_name, bob.last_name, bob.job_title, bob.bio = "Robert", "Member", "Press officer", "Hello"
    bob.show_email = True
    bob.save()
    EmailAddress.objects.create(user=bob, email=PERSONAL, verified=True, primary=False)
    SocialAccount.objects.create(user=bob, provider="google", uid="123", extra_data={"email": bob.email})
    Authenticator.objects.create(user=bob, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    LogEntry.objects.create(
        user=dora,
        content_type=ContentType.objects.get_for_model(bob),
        object_id=str(bob.pk),
        object_repr=str(bob),
        action_flag=CHANGE,
        change_message="[]",
    )
    client.force_login(bob)
    Client().force_login(alice)
    community = CommunityFactory(name="Crisis comms", slug="crisis-comms")
    MembershipFactory(community=community, user=alice, role="facilitator")
    MembershipFactory(community=community, user=charlie)
    by_request = CommunityFactory(name="Press desk", slug="press-desk", join_policy="request")
    MembershipFactory(community=by_request, user=alice, role="facilitator")
    by_invitation = CommunityFactory(name="Heads of comms", slug="heads", join_policy="invite")
    MembershipFactory(community=by_invitation, user=alice, role="facilitator")
    bobs_own = CommunityFactory(name="Bob's corner", slug="bobs-corner")
    MembershipFactory(community=bobs_own, user=bob, role="facilitator")
    MembershipFactory(community=bobs_own, user=charlie)
    with django_capture_on_commit_callbacks(execute=True):
        membership_join(community=community, user=bob)
        membership_join(community=by_request, user=bob)
        invitations_send(
            community=by_invitation,
            inviter=alice,
            recipients=[("Bobby", bob.email), ("Bobby at home", PERSONAL), ("Charlie", charlie.email)],
        )
        bobs_thread = make_thread(community=community, author=bob, title="Flood warnings")
        alices_thread = make_thread(community=community, author=alice, title="Election period")
        alices_reply = make_reply(thread=bobs_thread, author=alice, body="@bob we post hourly.")
        bobs_reply = post_reply(
            thread=alices_thread,
            author=bob,
            body="We pause.",
            attachments=[(SimpleUploadedFile("x", b"plan"), "text/plain", "plan.txt")],
        )
        post_edit(post=bobs_reply, editor=bob, body="We pause, mostly.")
        post_edit(post=alices_reply, editor=alice, body="@bob we post every hour.")
        charlies_post = make_reply(thread=make_thread(community=bobs_own, author=charlie), author=charlie)
        post_edit(post=charlies_post, editor=bob, body="Tidied by Bob")
        # Imported from the old email list, sent from an address bob never verified here.
        Post.objects.create(
            thread=alices_thread,
            parent=alices_thread.posts.get(parent=None),
            depth=1,
            archived_author_name="Robert Member",
            body="From the old list",
            body_html="<p>From the old list</p>",
        )
        helpful_mark(post=alices_reply, user=bob)
        thread_subscribe(thread=alices_thread, user=bob, level=ThreadSubscription.Level.WATCHING)
        thread_mark_read(thread=alices_thread, user=bob)
        announcement_dismiss(user=bob, thread=make_thread(community=community, author=alice, kind="announcement"))
        tag_follow(user=bob, tag=Tag.objects.get_or_create(name="floods", slug="floods")[0])
        community_email_mode_set(user=bob, community=community, mode="weekly")
        email_kind_preferences_set(user=bob, immediate_kinds=["reply"])
        flag_create(post=alices_reply, reporter=bob, reason=Flag.Reason.OTHER, note="Bob's own words")
        flag_create(post=alices_reply, reporter=charlie, reason=Flag.Reason.SPAM, note="Charlie's words")
        post_hide(post=charlies_post, actor=bob, reason="Off-topic, says Bob Member")
        member_warn(community=community, user=bob, actor=alice, message="Please stay on topic")
        post_hide(post=bobs_reply, actor=alice, reason=f"Shares {PERSONAL}, Bob Member")
        post_hide(post=make_reply(thread=alices_thread, author=charlie), actor=alice, reason="Rude to Bob Member")
        receive(message(to=address_for(bob, alices_reply), sender=bob.email, body="By email"))
        receive(message(to="nobody@post.commsnet.example.gov.uk", sender=PERSONAL, subject="Bob Member's question"))
    ctx = SimpleNamespace(
        bob=bob,
        alice=alice,
        charlie=charlie,
        community=community,
        bobs_reply=bobs_reply,
        alices_reply=alices_reply,
        charlies_post=charlies_post,
        bobs_thread=bobs_thread,
        attachment_name=Attachment.objects.get(post=bobs_reply).file.name,
        tmp_path=tmp_path,
    )
    # The outbox: an email to bob, one to alice naming him, one to alice about nothing of his.
    OutgoingEmail.objects.create(to=bob.email, subject="Your daily summary", content={"body": "Hello"})
    OutgoingEmail.objects.create(to=alice.email, subject=f"{bob.name} asked to join", content={"body": "See it"})
    OutgoingEmail.objects.create(to=alice.email, subject="Storm Bert", content={"body": "Roads closed"})
    EmailStop.objects.create(user=bob)
    # Occasional emails bob turned off, and highlights he sent as a facilitator.
    EmailOptOut.objects.create(user=bob, kind="facilitator_weekly")
    EmailOptOut.objects.create(user=bob, kind="highlights", community=community)
    HighlightsSend.objects.create(community=bobs_own, sent_by=bob, thread_ids=[bobs_thread.pk])
    # An email of bob's held until he confirms it (its log row is one of the two above).
    HeldInboundMessage.objects.create(
        inbound=InboundMessage.objects.get(status="accepted"),
        user=bob,
        kind="reply",
        community=community,
        title="Held reply",
        body="By email, from another address",
        confirm_to=bob.email,
        expires_at=timezone.now() + timedelta(days=7),
    )
    # Everything the checks below look at exists before the erasure.
    assert Session.objects.count() == 2
    assert Mention.objects.filter(user=bob).exists()
    assert EmailDelivery.objects.filter(recipient=bob).exists()
    assert Notification.objects.filter(recipient=alice, actor=bob).count() == 3
    assert InboundMessage.objects.filter(sender__in=[bob.email, PERSONAL]).count() == 2
    assert DBTaskResult.objects.filter(task_path__endswith="send_bounce").count() == 1
    assert Invitation.objects.filter(community__slug="heads").count() == 3
    assert MemberSanction.objects.filter(user=bob).exists()
    return ctx
