"""Community exports opened and checked: the HTML reads, the JSON holds every thread
and post with authors and dates, and the mbox parses back into the same threads."""

import email
import json
import mailbox
import zipfile
from datetime import date, timedelta
from email.policy import default as default_policy

import pytest
from django.utils import timezone

from forums.models import Post, Thread
from moderation.models import ModerationAction
from moderation.services import post_hide
from moderation.thread_actions import thread_hide
from records.exports import ExportError, build_export, export_request, exports_expire
from records.models import CommunityExport
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks_and_private_media(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def discussion(community, alice, bob):
    """Two threads with replies (one nested and one with a line starting "From "), a
    hidden thread and a hidden reply."""
    first = make_thread(community=community, author=bob, title="Storm Bert: road closures", body="Who posts them?")
    reply = make_reply(thread=first, author=alice, body="We do, on **X** and Facebook.")
    make_reply(thread=first, author=bob, body="From now on we will too.\nThanks!", parent=reply)
    second = make_thread(community=community, author=alice, title="Café opening – press release", body="Draft?")
    make_reply(thread=second, author=bob, body="Looks good.")
    hidden_reply = make_reply(thread=second, author=bob, body="Rude remark")
    post_hide(post=hidden_reply, actor=alice, reason="Unkind")
    secret = make_thread(community=community, author=bob, title="Spam thread", body="Buy now")
    thread_hide(thread=secret, actor=alice, reason="Spam")
    return {"first": first, "second": second, "secret": secret}


def _export(community, actor, django_capture_on_commit_callbacks, **dates) -> CommunityExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(community=community, actor=actor, **dates)
    export.refresh_from_db()
    return export


@pytest.fixture
def export(community, owner, discussion, django_capture_on_commit_callbacks):
    return _export(community, owner, django_capture_on_commit_callbacks)


def _zip(export) -> zipfile.ZipFile:
    return zipfile.ZipFile(export.file.path)


def _mbox(export, tmp_path) -> list:
    """The mbox, read back as a mail program would (headers decoded)."""
    path = tmp_path / "community.mbox"
    path.write_bytes(_zip(export).read("press-office-export/community.mbox"))
    return list(mailbox.mbox(path, factory=lambda f: email.message_from_binary_file(f, policy=default_policy)))


def _json(export) -> dict:
    return json.loads(_zip(export).read("press-office-export/threads.json"))


def test_an_export_is_made_in_the_background_and_is_ready(export):
    assert export.status == CommunityExport.Status.READY
    assert (export.threads_done, export.threads_total, export.percent_done) == (2, 2, 100)
    assert export.size > 0 and export.is_downloadable
    assert export.file.name.startswith("exports/")


def test_the_zip_holds_readable_pages_json_and_an_mbox(export, discussion):
    first, second = discussion["first"], discussion["second"]
    assert sorted(_zip(export).namelist()) == sorted(
        [
            "press-office-export/index.html",
            "press-office-export/threads.json",
            "press-office-export/community.mbox",
            f"press-office-export/threads/{first.pk}.html",
            f"press-office-export/threads/{second.pk}.html",
        ]
    )


def test_the_index_page_lists_every_thread(export):
    index = _zip(export).read("press-office-export/index.html").decode()
    assert "<h1>Press office</h1>" in index
    assert "Storm Bert: road closures" in index and "Café opening – press release" in index
    assert "Spam thread" not in index


def test_a_thread_page_reads_with_authors_dates_and_formatted_posts(export, discussion):
    page = _zip(export).read(f"press-office-export/threads/{discussion['first'].pk}.html").decode()
    assert "<h1>Storm Bert: road closures</h1>" in page
    assert "<strong>Alice Facilitator</strong> (alice)" in page
    assert "<strong>X</strong>" in page
    assert timezone.localtime(discussion["first"].created_at).strftime("%B %Y") in page


def test_the_json_has_every_shown_thread_and_post_with_authors_and_dates(export, discussion):
    data = _json(export)
    assert data["community"]["slug"] == "press-office"
    threads = {thread["title"]: thread for thread in data["threads"]}
    assert sorted(threads) == ["Café opening – press release", "Storm Bert: road closures"]
    storm = threads["Storm Bert: road closures"]
    assert storm["author"] == {"username": "bob", "name": "Bob Member"}
    expected = list(
        Post.objects.filter(thread=discussion["first"]).order_by("sort_path").values_list("pk", "parent_id", "body")
    )
    assert [(p["id"], p["parent_id"], p["body_markdown"]) for p in storm["posts"]] == expected
    assert [p["author"]["username"] for p in storm["posts"]] == ["bob", "alice", "bob"]
    assert all(p["created_at"] for p in storm["posts"])


def test_hidden_posts_and_threads_are_left_out(export):
    bodies = [post["body_markdown"] for thread in _json(export)["threads"] for post in thread["posts"]]
    assert "Rude remark" not in bodies and "Buy now" not in bodies


def test_the_mbox_parses_back_into_the_same_threads(export, tmp_path):
    messages = _mbox(export, tmp_path)
    by_thread = {}
    for message in messages:
        by_thread.setdefault(message["X-CommsNet-Thread"], []).append(message)
    from_json = {str(thread["id"]): thread for thread in _json(export)["threads"]}
    assert sorted(by_thread) == sorted(from_json)
    for thread_id, thread_messages in by_thread.items():
        thread = from_json[thread_id]
        assert len(thread_messages) == len(thread["posts"])
        opening, *replies = thread_messages
        assert opening["Subject"] == thread["title"] and opening["In-Reply-To"] is None
        for reply in replies:
            assert reply["Subject"] == f"Re: {thread['title']}"
            assert reply["References"].split()[0] == opening["Message-ID"]
            assert reply["In-Reply-To"] in {m["Message-ID"] for m in thread_messages}


def test_a_body_line_starting_with_from_survives_the_mbox(export, tmp_path):
    bodies = [m.get_content() for m in _mbox(export, tmp_path)]
    assert any("From now on we will too." in body for body in bodies)
    assert len(bodies) == 5


def test_a_date_range_exports_only_posts_written_in_it(
    community, owner, discussion, django_capture_on_commit_callbacks
):
    old = discussion["second"]
    Post.objects.filter(thread=old).update(created_at=timezone.now() - timedelta(days=400))
    today = timezone.localdate()
    export = _export(community, owner, django_capture_on_commit_callbacks, date_from=today - timedelta(days=7))
    assert [thread["title"] for thread in _json(export)["threads"]] == ["Storm Bert: road closures"]


def test_an_end_date_before_the_start_is_refused(community, owner):
    with pytest.raises(ExportError, match="end date"):
        export_request(community=community, actor=owner, date_from=date(2025, 5, 2), date_to=date(2025, 5, 1))


def test_a_facilitator_cannot_export(community, alice):
    with pytest.raises(ExportError, match="owners and site admins"):
        export_request(community=community, actor=alice)
    assert not CommunityExport.objects.exists()


def test_exporting_a_private_community_is_logged(export, owner):
    [entry] = ModerationAction.objects.filter(action="community_export")
    assert (entry.actor_id, entry.community_id, entry.to_state) == (owner.pk, export.community_id, "everything")


def test_exporting_a_public_community_is_not_logged(dora, django_capture_on_commit_callbacks):
    public = CommunityFactory(name="Open comms", slug="open-comms")
    _export(public, dora, django_capture_on_commit_callbacks)
    assert not ModerationAction.objects.filter(action="community_export").exists()


def test_the_requester_is_emailed_a_download_link(export, owner, mailoutbox):
    [email] = [m for m in mailoutbox if "export" in m.subject]
    assert email.to == [owner.email]
    assert f"/communities/press-office/exports/{export.pk}/download/" in email.body


def test_building_again_does_nothing(export):
    name = export.file.name
    build_export.call(export.pk)
    export.refresh_from_db()
    assert export.file.name == name


def test_expired_exports_lose_their_file(export):
    path = export.file.path
    assert exports_expire(now=export.expires_at + timedelta(seconds=1)) == 1
    export.refresh_from_db()
    assert export.status == CommunityExport.Status.EXPIRED and not export.is_downloadable
    import os

    assert not os.path.exists(path)


def test_a_site_admin_who_is_not_a_member_can_export(community, dora, discussion, django_capture_on_commit_callbacks):
    assert _export(community, dora, django_capture_on_commit_callbacks).status == CommunityExport.Status.READY


def test_threads_of_other_communities_stay_out(export, bob):
    elsewhere = CommunityFactory(name="Elsewhere", slug="elsewhere")
    MembershipFactory(community=elsewhere, user=bob)
    make_thread(community=elsewhere, author=bob, title="Not ours")
    assert "Not ours" not in [thread["title"] for thread in _json(export)["threads"]]
    assert Thread.objects.filter(title="Not ours").exists()
