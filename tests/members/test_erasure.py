"""Erasing a member, field by field: every field of every installed model that points
at a member or looks like an address or a person's name is covered by a rule in
members/erasure.py, and for a member with every kind of record (made through the
real services) each one is checked after erasure."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, models, transaction
from django.db.utils import ProgrammingError
from django_tasks_db.models import DBTaskResult

from communities.models import Community, Invitation, Membership
from feeds.models import FeedToken
from forums.models import (
    AnnouncementDismissal,
    Attachment,
    HelpfulMark,
    Mention,
    Post,
    PostRevision,
    TagFollow,
    ThreadReadState,
    ThreadSubscription,
)
from members.erasure import ANONYMISED, DELETED, KEPT, RULES
from members.services import member_erase
from moderation.election_models import PreElectionPeriod
from moderation.models import Flag, MemberSanction, ModerationAction
from notifications.models import (
    CommunityEmailPreference,
    EmailDelivery,
    EmailKindPreference,
    EmailOptOut,
    EmailStop,
    HeldInboundMessage,
    HighlightsSend,
    InboundMessage,
    Notification,
    OutgoingEmail,
    ReplyTokenVersion,
    UnreadTally,
)
from records.models import CommunityExport
from tests.members.conftest import PERSONAL

pytestmark = pytest.mark.django_db

LOOKS_PERSONAL = re.compile(r"(^|_)(name|username|email|sender|recipient|subject)$|data")


def fields_naming_people() -> set[str]:
    """Every field, in every installed model, that points at a member, or holds an
    address, a name or free-form data (JSON, session data) that may hold either."""
    user_model = get_user_model()
    found = set()
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.many_to_many:
                continue
            if field.is_relation:
                person = field.related_model is user_model
            else:
                person = isinstance(field, models.EmailField | models.JSONField) or LOOKS_PERSONAL.search(field.name)
            if person:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_field_naming_a_person_has_an_erasure_rule():
    assert sorted(fields_naming_people() - set(RULES)) == []


def test_every_erasure_rule_names_a_real_field_and_says_why():
    for key, rule in RULES.items():
        label, field = key.rsplit(".", 1)
        apps.get_model(label)._meta.get_field(field)
        assert rule.action in {DELETED, ANONYMISED, KEPT}
        assert rule.why


def test_every_field_naming_a_person_is_checked_after_erasure():
    assert sorted((fields_naming_people() | set(RULES)) - set(REMAINS)) == []


@pytest.fixture
def erased(world, dora, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(member=world.bob, by=dora)
    world.user = get_user_model().objects.get(pk=world.bob.pk)
    return world


def _log(**filters) -> ModerationAction:
    return ModerationAction.objects.get(**filters)


def _texts(**filters) -> set[str]:
    return set(Notification.objects.filter(**filters).values_list("text", flat=True))


# What remains of each field after erasing bob: one check per rule, named by its field.
REMAINS = {
    "members.User.username": lambda c: c.user.username == f"erased-{c.user.pk}",
    "members.User.email": lambda c: c.user.email == f"erased-{c.user.pk}@erased.invalid",
    "members.User.first_name": lambda c: c.user.first_name == "",
    "members.User.last_name": lambda c: c.user.last_name == "",
    "members.User.display_name": lambda c: c.user.display_name == "" and c.user.name == "Former member",
    "members.User.show_email": lambda c: c.user.show_email is False,
    "members.User.job_title": lambda c: c.user.job_title == c.user.bio == c.user.bio_html == "",
    "members.User.is_active": lambda c: not c.user.is_active and not c.user.has_usable_password(),
    "members.User_groups.user": lambda c: not c.user.groups.exists(),
    "members.User_user_permissions.user": lambda c: not c.user.user_permissions.exists(),
    "members.TaggedExpertise.content_object": lambda c: list(c.user.expertise.names()) == [],
    "account.EmailAddress.user": lambda c: not EmailAddress.objects.filter(user=c.user).exists(),
    "account.EmailAddress.email": lambda c: (
        not EmailAddress.objects.filter(email__in=[c.bob.email, PERSONAL]).exists()
    ),
    "socialaccount.SocialAccount.user": lambda c: not SocialAccount.objects.exists(),
    "socialaccount.SocialAccount.extra_data": lambda c: not SocialAccount.objects.exists(),
    "mfa.Authenticator.user": lambda c: not Authenticator.objects.exists(),
    "mfa.Authenticator.data": lambda c: not Authenticator.objects.exists(),
    "sessions.Session.session_data": lambda c: (
        [session.get_decoded()["_auth_user_id"] for session in Session.objects.all()] == [str(c.alice.pk)]
    ),
    "admin.LogEntry.user": lambda c: list(LogEntry.objects.values_list("object_repr", flat=True)) == ["Former member"],
    "communities.Membership.user": lambda c: not Membership.objects.filter(user=c.user).exists(),
    "communities.Invitation.user": lambda c: not Invitation.objects.filter(user=c.user).exists(),
    "communities.Invitation.email": lambda c: (
        list(Invitation.objects.filter(community__slug="heads").values_list("email", flat=True)) == [c.charlie.email]
    ),
    "communities.Invitation.name": lambda c: not Invitation.objects.filter(name__startswith="Bobby").exists(),
    "communities.Invitation.invited_by": lambda c: Invitation.objects.get().invited_by == c.alice,
    "communities.Community.created_by": lambda c: Community.objects.filter(created_by=c.user).count() == 0,
    "forums.Thread.author": lambda c: c.bobs_thread.__class__.objects.get(pk=c.bobs_thread.pk).author == c.user,
    "forums.Post.author": lambda c: Post.objects.get(pk=c.bobs_reply.pk).author == c.user,
    "forums.Attachment.post": lambda c: (
        not Attachment.objects.filter(post__author=c.user).exists() and not (c.tmp_path / c.attachment_name).exists()
    ),
    "forums.PostRevision.post": lambda c: not PostRevision.objects.filter(post__author=c.user).exists(),
    "forums.PostRevision.edited_by": lambda c: (
        list(PostRevision.objects.filter(post=c.charlies_post).values_list("edited_by", flat=True))
        == [c.user.pk, c.charlie.pk]
        and PostRevision.objects.filter(post=c.alices_reply).count() == 2
    ),
    "forums.Mention.user": lambda c: not Mention.objects.filter(user=c.user).exists(),
    "forums.HelpfulMark.user": lambda c: (
        HelpfulMark.objects.filter(user=c.user).count() == 1 and Post.objects.get(pk=c.alices_reply.pk).helpful_count
    ),
    "forums.ThreadSubscription.user": lambda c: not ThreadSubscription.objects.filter(user=c.user).exists(),
    "forums.ThreadReadState.user": lambda c: not ThreadReadState.objects.filter(user=c.user).exists(),
    "forums.TagFollow.user": lambda c: not TagFollow.objects.filter(user=c.user).exists(),
    "forums.AnnouncementDismissal.user": lambda c: not AnnouncementDismissal.objects.filter(user=c.user).exists(),
    "moderation.Flag.reporter": lambda c: (
        list(Flag.objects.filter(reporter=c.user).values_list("note", "status")) == [("", "open")]
        and Flag.objects.get(reporter=c.charlie).note == "Charlie's words"
    ),
    "moderation.Flag.resolved_by": lambda c: Flag.objects.filter(resolved_by=c.user).count() == 0,
    "moderation.MemberSanction.user": lambda c: not MemberSanction.objects.filter(user=c.user).exists(),
    "moderation.MemberSanction.created_by": lambda c: MemberSanction.objects.count() == 0,
    "moderation.PreElectionPeriod.created_by": lambda c: (
        not PreElectionPeriod.objects.filter(created_by=c.user).exists()
    ),
    "moderation.PreElectionPeriod.cancelled_by": lambda c: (
        not PreElectionPeriod.objects.filter(cancelled_by=c.user).exists()
    ),
    "moderation.ModerationAction.actor": lambda c: (
        ModerationAction.objects.count() == 4
        and _log(action="post_hide", target_id=c.charlies_post.pk).actor_id == c.user.pk
    ),
    "moderation.ModerationAction.actor_name": lambda c: (
        _log(action="post_hide", target_id=c.charlies_post.pk).actor_name == "deleted member"
        and _log(action="post_hide", target_id=c.charlies_post.pk).reason == "Off-topic, says deleted member"
        and _log(action="member_warn").actor_name == "Alice Facilitator (alice)"
    ),
    "moderation.ModerationAction.target_text": lambda c: (
        _log(action="member_warn").target_text == "deleted member"
        and _log(action="post_hide", target_id=c.bobs_reply.pk).target_text.startswith("deleted member in “Election")
        and _log(action="post_hide", target_id=c.bobs_reply.pk).reason == "Shares deleted member, deleted member"
        and _log(action="post_hide", target_id=c.charlies_post.pk).target_text.startswith("charlie in ")
        and ModerationAction.objects.filter(reason="Rude to deleted member").count() == 1
    ),
    "moderation.ModerationAction.community_name": lambda c: (
        _log(action="member_warn").community_name == "Crisis comms"
    ),
    "notifications.Notification.recipient": lambda c: not Notification.objects.filter(recipient=c.user).exists(),
    "notifications.Notification.actor": lambda c: (
        _texts(recipient=c.alice, actor=c.user)
        == {
            "Former member replied to your thread “Election period”",
            "Former member replied to your post in “Flood warnings”",
            "Former member asked to join Press desk",
        }
        and _texts(recipient=c.charlie, kind="post_moderated")
        == {
            "Your post in “Election period” was hidden by a facilitator: Rude to Former member",
            "Your post in “How are you handling election-period comments?” was hidden by a facilitator: "
            "Off-topic, says Former member",
        }
    ),
    "notifications.UnreadTally.user": lambda c: UnreadTally.objects.get(user=c.user).unread == 0,
    "notifications.EmailKindPreference.user": lambda c: not EmailKindPreference.objects.filter(user=c.user).exists(),
    "notifications.CommunityEmailPreference.user": lambda c: (
        not CommunityEmailPreference.objects.filter(user=c.user).exists()
    ),
    "notifications.EmailDelivery.recipient": lambda c: not EmailDelivery.objects.filter(recipient=c.user).exists(),
    "notifications.OutgoingEmail.to": lambda c: (
        list(OutgoingEmail.objects.values_list("to", "subject")) == [(c.alice.email, "Storm Bert")]
    ),
    "notifications.OutgoingEmail.subject": lambda c: True,  # with the above
    "notifications.OutgoingEmail.content": lambda c: True,  # with the above
    "feeds.FeedToken.user": lambda c: not FeedToken.objects.filter(user=c.user).exists(),
    "notifications.HeldInboundMessage.user": lambda c: not HeldInboundMessage.objects.exists(),
    "notifications.HeldInboundMessage.title": lambda c: True,  # with the above
    "notifications.HeldInboundMessage.confirm_to": lambda c: True,  # with the above
    "notifications.EmailStop.user": lambda c: not EmailStop.objects.filter(user=c.user).exists(),
    "notifications.EmailOptOut.user": lambda c: not EmailOptOut.objects.filter(user=c.user).exists(),
    "notifications.HighlightsSend.sent_by": lambda c: HighlightsSend.objects.get().sent_by_id == c.user.pk,
    "notifications.HighlightsSend.thread_ids": lambda c: HighlightsSend.objects.get().thread_ids != [],
    "notifications.ReplyTokenVersion.user": lambda c: ReplyTokenVersion.objects.get(user=c.user).version >= 2,
    "django_tasks_database.DBTaskResult.args_kwargs": lambda c: (
        not DBTaskResult.objects.filter(task_path__endswith="send_bounce").exists()
        and DBTaskResult.objects.filter(task_path__endswith="send_queued_email").exists()
    ),
    "django_tasks_database.DBTaskResult.return_value": lambda c: (
        not DBTaskResult.objects.filter(return_value__icontains="bob").exists()
    ),
    "django_tasks_database.DBTaskResult.worker_ids": lambda c: True,
    "django_tasks_database.DBTaskResult.queue_name": lambda c: True,
    "django_tasks_database.DBTaskResult.backend_name": lambda c: True,
    "notifications.InboundMessage.user": lambda c: (
        InboundMessage.objects.count() == 2 and InboundMessage.objects.get(status="accepted").user == c.user
    ),
    "notifications.InboundMessage.sender": lambda c: (
        set(InboundMessage.objects.values_list("sender", flat=True)) == {""}
    ),
    "notifications.InboundMessage.recipient": lambda c: (
        set(InboundMessage.objects.values_list("recipient", flat=True)) == {""}
    ),
    "notifications.InboundMessage.subject": lambda c: (
        set(InboundMessage.objects.values_list("subject", flat=True)) == {""}
    ),
    "forums.Post.archived_author_name": lambda c: (
        not Post.objects.filter(archived_author_name__iexact="Robert Member").exists()
        and Post.objects.filter(archived_author_name="Former member").exists()
    ),
    "notifications.ArchiveImport.created_by": lambda c: True,  # kept
    "auth.Group.name": lambda c: True,
    "auth.Permission.name": lambda c: True,
    "sites.Site.name": lambda c: True,
    "socialaccount.SocialApp.name": lambda c: True,
    "socialaccount.SocialApp.settings": lambda c: True,
    "taggit.Tag.name": lambda c: True,
    # Exercised with real records in tests/records/test_erasure.py.
    "records.RetentionRule.updated_by": lambda c: True,
    "records.CommunityExport.requested_by": lambda c: not CommunityExport.objects.filter(requested_by=c.user).exists(),
    "members.Organisation.name": lambda c: True,
    "members.Expertise.name": lambda c: True,
    "communities.Community.name": lambda c: Community.objects.filter(name="Bob's corner").exists(),
}


def test_erasure_leaves_exactly_what_the_rules_say(erased):
    assert [key for key, check in REMAINS.items() if not check(erased)] == []


# What other people wrote stays as they wrote it, even where it names bob.
OTHER_PEOPLES_WORDS = {"forums.Post.moderation_reason"}


def test_erasure_leaves_no_address_or_name_of_theirs_in_any_text(erased):
    """A sweep of every text column of every table for bob's addresses and full name."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField | models.JSONField):
                    quote = connection.ops.quote_name
                    table, column = quote(model._meta.db_table), quote(field.column)
                    column = f"{column}::text" if isinstance(field, models.JSONField) else column
                    for needle in ["bob@example.gov.uk", PERSONAL, "Bob Member"]:
                        cursor.execute(
                            f"SELECT count(*) FROM {table} WHERE {column} ILIKE %s",  # noqa: S608
                            [f"%{needle}%"],
                        )
                        if cursor.fetchone()[0] and f"{model._meta.label}.{field.name}" not in OTHER_PEOPLES_WORDS:
                            found.append(f"{model._meta.label}.{field.name}: {needle}")
    assert found == []


def test_erasing_again_changes_nothing(erased, dora):
    def state():
        return {
            "user": get_user_model().objects.filter(pk=erased.user.pk).values().get(),
            "log": list(ModerationAction.objects.order_by("pk").values()),
            "notifications": list(Notification.objects.order_by("pk").values()),
            "inbound": list(InboundMessage.objects.order_by("pk").values()),
            "flags": list(Flag.objects.order_by("pk").values()),
        }

    before = state()
    member_erase(member=erased.user, by=dora)
    after = state()
    assert after["user"].pop("password") != "" and before["user"].pop("password") != ""
    assert after == before


def test_moderation_log_still_refuses_changes_outside_an_erasure(erased):
    entry = _log(action="member_warn")
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE moderation_moderationaction SET reason = 'x' WHERE id = %s", [entry.pk])


def test_a_bounce_already_queued_for_an_erased_sender_is_not_sent(world, dora, mailoutbox):
    from notifications.inbound_bounces import bounce_send

    rejected = InboundMessage.objects.get(sender=PERSONAL)
    member_erase(member=world.bob, by=dora)
    sent = len(mailoutbox)
    assert bounce_send(inbound_id=rejected.pk) is False
    assert len(mailoutbox) == sent


def test_a_failed_erasure_changes_nothing(world, dora, monkeypatch):
    from members import erasure

    def fail(member):
        raise RuntimeError("storage unavailable")

    monkeypatch.setattr(erasure, "_registered", [*erasure._registered, fail])
    with pytest.raises(RuntimeError):
        member_erase(member=world.bob, by=dora)
    world.bob.refresh_from_db()
    assert world.bob.erased_at is None
    assert _log(action="member_warn").target_text == "Bob Member (bob)"
    assert InboundMessage.objects.filter(sender=PERSONAL).exists()


def test_moderation_log_refuses_changing_who_or_what_even_during_an_erasure(erased):
    entry = _log(action="member_warn")
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('commsnet.erasing_member', 'on', true)")
        cursor.execute("UPDATE moderation_moderationaction SET target_id = 1 WHERE id = %s", [entry.pk])
