import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction

from communities.models import Community, Membership
from forums.models import Post, Thread
from members.models import User
from moderation import member_actions, services, thread_actions
from moderation.models import AppendOnlyError, Flag, ModerationAction
from tests.factories import MembershipFactory, make_reply, make_thread
from tests.moderation.factories import FlagFactory

pytestmark = pytest.mark.django_db


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def thread(community, alice):
    return make_thread(community=community, author=alice, title="Flood warnings on social media")


# Approving and hiding ----------------------------------------------------------------


def test_approving_a_held_opening_post_publishes_and_counts_the_thread(
    premoderation, community, bob, alice, django_capture_on_commit_callbacks
):
    thread = make_thread(community=community, author=bob)
    assert fresh(community).thread_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(post=thread.posts.get(), actor=alice)
    assert thread.posts.get().status == Post.Status.PUBLISHED
    assert not fresh(thread).is_hidden
    assert fresh(community).thread_count == 1


def test_approving_a_held_opening_post_tells_the_people_it_mentions_once(
    premoderation, community, bob, alice, charlie, django_capture_on_commit_callbacks
):
    MembershipFactory(community=community, user=charlie)
    thread = make_thread(community=community, author=bob, body="@charlie how did you handle this?")
    assert not charlie.notifications.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_approve(post=thread.posts.get(), actor=alice)
    assert list(charlie.notifications.values_list("kind", flat=True)) == ["mention"]


def test_approving_a_held_reply_counts_it(premoderation, community, thread, bob, alice):
    reply = make_reply(thread=thread, author=bob)
    assert reply.status == Post.Status.HELD and fresh(thread).reply_count == 0
    services.post_approve(post=reply, actor=alice)
    assert fresh(reply).status == Post.Status.PUBLISHED
    assert fresh(thread).reply_count == 1


def test_approving_is_logged_with_states(premoderation, community, thread, bob, alice):
    reply = make_reply(thread=thread, author=bob)
    services.post_approve(post=reply, actor=alice)
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.actor, entry.community) == ("post_approve", alice, community)
    assert entry.target_id == reply.pk
    assert (entry.from_state, entry.to_state) == ("held", "published")


def test_approving_a_published_post_is_refused(community, thread, alice):
    with pytest.raises(services.ModerationError):
        services.post_approve(post=thread.posts.get(), actor=alice)


def test_hiding_a_reply_keeps_the_reason_and_uncounts_it(community, thread, bob, alice):
    reply = make_reply(thread=thread, author=bob)
    services.post_hide(post=reply, actor=alice, reason="Shares a colleague's phone number")
    reply = fresh(reply)
    assert reply.status == Post.Status.HIDDEN
    assert reply.moderation_reason == "Shares a colleague's phone number"
    assert fresh(thread).reply_count == 0


def test_hiding_an_opening_post_hides_the_thread(community, thread, alice):
    services.post_hide(post=thread.posts.get(), actor=alice, reason="Spam")
    assert fresh(thread).is_hidden
    assert fresh(community).thread_count == 0


def test_hiding_emails_the_author_the_reason(community, thread, bob, alice, django_capture_on_commit_callbacks):
    reply = make_reply(thread=thread, author=bob)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(post=reply, actor=alice, reason="Off-topic here")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [bob.email]
    assert "Reason: Off-topic here" in mail.outbox[0].body


def test_hide_and_ban_bans_the_author(community, thread, bob, alice):
    reply = make_reply(thread=thread, author=bob)
    member_actions.post_hide_and_ban(post=reply, actor=alice, reason="Abusive")
    assert Membership.objects.get(community=community, user=bob).status == Membership.Status.BANNED
    assert set(ModerationAction.objects.values_list("action", flat=True)) == {"post_hide", "member_ban"}


# Flags -------------------------------------------------------------------------------


def test_a_member_may_have_one_open_flag_per_post(community, thread, bob):
    post = thread.posts.get()
    services.flag_create(post=post, reporter=bob, reason=Flag.Reason.SPAM)
    with pytest.raises(services.FlagAlreadyOpen):
        services.flag_create(post=post, reporter=bob, reason=Flag.Reason.OFF_TOPIC)


def test_the_database_refuses_a_second_open_flag(community, thread, bob):
    post = thread.posts.get()
    FlagFactory(post=post, reporter=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        FlagFactory(post=post, reporter=bob)


def test_a_member_may_flag_again_once_the_first_is_resolved(community, thread, bob, alice):
    post = thread.posts.get()
    flag = services.flag_create(post=post, reporter=bob, reason=Flag.Reason.SPAM)
    services.flag_dismiss(flag=flag, actor=alice)
    assert services.flag_create(post=post, reporter=bob, reason=Flag.Reason.SPAM).status == Flag.Status.OPEN


def test_dismissing_a_flag_tells_the_reporter(community, thread, bob, alice, django_capture_on_commit_callbacks):
    flag = services.flag_create(post=thread.posts.get(), reporter=bob, reason=Flag.Reason.OFF_TOPIC)
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_dismiss(flag=flag, actor=alice)
    assert fresh(flag).status == Flag.Status.DISMISSED
    assert mail.outbox[0].to == [bob.email]
    assert "decided it can stay" in mail.outbox[0].body


def test_reporter_is_not_told_the_name_of_a_thread_moved_where_they_cannot_see_it(
    community, thread, bob, alice, django_capture_on_commit_callbacks
):
    flag = services.flag_create(post=thread.posts.get(), reporter=bob, reason=Flag.Reason.OFF_TOPIC)
    hidden_away = Community.objects.create(
        name="Private crisis room", slug="private-crisis-room", summary="s", visibility=Community.Visibility.PRIVATE
    )
    Thread.objects.filter(pk=thread.pk).update(community=hidden_away, title="Secret new title")
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_dismiss(flag=fresh(flag), actor=alice)
    body = mail.outbox[0].body
    assert "decided it can stay" in body
    assert "Secret new title" not in body
    assert "Private crisis room" not in body


def test_hiding_a_post_upholds_its_flags_and_tells_each_reporter(
    community, thread, bob, alice, charlie, django_capture_on_commit_callbacks
):
    MembershipFactory(community=community, user=charlie)
    reply = make_reply(thread=thread, author=alice)
    services.flag_create(post=reply, reporter=bob, reason=Flag.Reason.SPAM)
    services.flag_create(post=reply, reporter=charlie, reason=Flag.Reason.SPAM)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(post=reply, actor=alice, reason="Advertising")
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.UPHELD}
    reporters = {message.to[0] for message in mail.outbox if "report" in message.subject}
    assert reporters == {bob.email, charlie.email}


# Threads -----------------------------------------------------------------------------


def test_move_counts_the_thread_in_its_new_community(community, other_community, thread, alice, bob):
    flag = services.flag_create(post=thread.posts.get(), reporter=bob, reason=Flag.Reason.OFF_TOPIC)
    thread_actions.thread_move(thread=thread, actor=alice, to_community=other_community)
    assert fresh(thread).community == other_community
    assert (fresh(community).thread_count, fresh(other_community).thread_count) == (0, 1)
    assert fresh(flag).community == other_community
    assert ModerationAction.objects.filter(action="thread_move").count() == 2  # in both logs


def test_rename_changes_title_and_slug(thread, alice):
    thread_actions.thread_rename(thread=thread, actor=alice, title="Flood warnings: what worked")
    thread = fresh(thread)
    assert (thread.title, thread.slug) == ("Flood warnings: what worked", "flood-warnings-what-worked")
    assert ModerationAction.objects.get().from_state == "Flood warnings on social media"


def test_hide_and_restore_a_thread(community, thread, alice):
    thread_actions.thread_hide(thread=thread, actor=alice, reason="Duplicate")
    assert fresh(thread).is_hidden and fresh(community).thread_count == 0
    thread_actions.thread_restore(thread=thread, actor=alice)
    assert not fresh(thread).is_hidden and fresh(community).thread_count == 1


def test_restoring_a_thread_with_a_held_opening_post_is_refused(premoderation, community, bob, alice):
    thread = make_thread(community=community, author=bob)
    with pytest.raises(services.ModerationError):
        thread_actions.thread_restore(thread=thread, actor=alice)


def test_merge_reroots_the_tree_under_the_target(community, thread, alice, bob):
    target_root = thread.posts.get()
    source = make_thread(community=community, author=bob, title="Same question again")
    first = make_reply(thread=source, author=alice)
    nested = make_reply(thread=source, author=bob, parent=first)
    thread_actions.thread_merge(source=source, target=thread, actor=alice)
    source_root = Post.objects.get(pk=first.parent_id)
    assert source_root.thread_id == thread.pk and source_root.parent_id == target_root.pk
    assert source_root.depth == 1
    assert fresh(first).depth == 2 and fresh(nested).depth == 3
    assert fresh(nested).sort_path.startswith(target_root.sort_path + "." + source_root.sort_path.split(".")[1])
    tree = list(Post.objects.filter(thread=thread).order_by("sort_path").values_list("pk", flat=True))
    assert tree == [target_root.pk, source_root.pk, first.pk, nested.pk]
    assert not Thread.objects.filter(pk=source.pk).exists()
    assert fresh(thread).reply_count == 3
    assert fresh(community).thread_count == 1


def test_split_makes_a_reply_and_its_replies_a_new_thread(community, thread, alice, bob):
    keep = make_reply(thread=thread, author=bob)
    branch = make_reply(thread=thread, author=bob)
    under = make_reply(thread=thread, author=alice, parent=branch)
    deeper = make_reply(thread=thread, author=bob, parent=under)
    new = thread_actions.thread_split(post=branch, actor=alice, title="Scheduling tools")
    branch, under, deeper = fresh(branch), fresh(under), fresh(deeper)
    assert branch.thread_id == new.pk and branch.parent_id is None and branch.depth == 0
    assert (under.depth, deeper.depth) == (1, 2)
    assert branch.sort_path == str(branch.pk).zfill(10)
    assert deeper.sort_path == f"{branch.sort_path}.{str(under.pk).zfill(10)}.{str(deeper.pk).zfill(10)}"
    assert list(Post.objects.filter(thread=new).order_by("sort_path")) == [branch, under, deeper]
    assert fresh(new).reply_count == 2
    assert fresh(thread).reply_count == 1 and fresh(keep).thread_id == thread.pk
    assert fresh(community).thread_count == 2


def test_splitting_a_reply_out_of_a_hidden_thread_keeps_it_hidden(community, thread, alice, bob):
    branch = make_reply(thread=thread, author=bob)
    thread_actions.thread_hide(thread=thread, actor=alice, reason="Personal data")
    count_before = fresh(community).thread_count
    new = thread_actions.thread_split(post=branch, actor=alice, title="Branch")
    assert fresh(new).is_hidden
    assert fresh(community).thread_count == count_before


def test_merging_a_hidden_thread_into_a_visible_one_is_refused(community, thread, alice, bob):
    source = make_thread(community=community, author=bob, title="Hidden source")
    thread_actions.thread_hide(thread=source, actor=alice, reason="Personal data")
    with pytest.raises(services.ModerationError):
        thread_actions.thread_merge(source=fresh(source), target=thread, actor=alice)
    assert Thread.objects.filter(pk=source.pk).exists()


def test_splitting_the_opening_post_is_refused(thread, alice):
    with pytest.raises(services.ModerationError):
        thread_actions.thread_split(post=thread.posts.get(), actor=alice, title="No")


# Members -----------------------------------------------------------------------------


def test_a_warning_is_recorded_and_emailed(community, bob, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member_actions.member_warn(community=community, user=bob, actor=alice, message="Please stay on topic.")
    assert bob.sanctions.get().message == "Please stay on topic."
    assert "Please stay on topic." in mail.outbox[0].body


def test_suspending_a_site_account(bob, dora):
    member_actions.user_suspend(user=bob, actor=dora, reason="Impersonating a council")
    assert fresh(bob).status == User.Status.SUSPENDED
    entry = ModerationAction.objects.get()
    assert entry.community is None and entry.action == "user_suspend"


def test_banning_someone_with_no_membership_creates_a_banned_one(community, charlie, alice):
    member_actions.member_ban(community=community, user=charlie, actor=alice, reason="Spam")
    assert Membership.objects.get(community=community, user=charlie).status == Membership.Status.BANNED


def test_settings_change_is_logged(community, alice):
    services.moderation_settings_update(community=community, actor=alice, hold_first_posts=3, premoderate_all=True)
    assert ModerationAction.objects.get().to_state == "hold first 3; everyone: yes"


# The log is append-only ------------------------------------------------------------------


@pytest.fixture
def entry(community, thread, alice):
    return thread_actions.thread_rename(thread=thread, actor=alice, title="Renamed") and ModerationAction.objects.get()


def test_log_entries_cannot_be_saved_again(entry):
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_log_entries_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.update(reason="x")


def test_the_database_refuses_updates_and_deletes(entry):
    for sql in ("UPDATE moderation_moderationaction SET reason = 'x'", "DELETE FROM moderation_moderationaction"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert ModerationAction.objects.get().reason == ""


def test_deleting_a_member_or_community_keeps_the_log(entry, alice, community):
    User.objects.filter(pk=alice.pk).delete()
    Community.objects.filter(pk=community.pk).delete()
    kept = ModerationAction.objects.get()
    assert kept.actor_name == "Alice Facilitator (alice)" and kept.community_name == "Crisis communications"


def test_restoring_a_hidden_reply_counts_it_again(community, thread, bob, alice):
    reply = make_reply(thread=thread, author=bob)
    services.post_hide(post=reply, actor=alice, reason="Mistake")
    services.post_restore(post=reply, actor=alice)
    assert fresh(reply).status == Post.Status.PUBLISHED and fresh(reply).moderation_reason == ""
    assert fresh(thread).reply_count == 1


def test_restoring_a_hidden_opening_post_shows_the_thread_again(community, thread, alice):
    services.post_hide(post=thread.posts.get(), actor=alice, reason="Mistake")
    services.post_restore(post=thread.posts.get(), actor=alice)
    assert not fresh(thread).is_hidden and fresh(community).thread_count == 1
