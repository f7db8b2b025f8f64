"""Importing mailing-list archives: threading (the parent of each post), content
cleaning, people, dates, duplicates, privacy until published, and bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forums.models import Post, Thread
from forums.similar import similar_threads
from notifications.archive_import import import_run
from notifications.archive_services import (
    archive_import_publish,
    archive_import_remove,
    archive_import_start,
    import_threads,
)
from notifications.models import ArchiveImport, ImportedMessage, Notification
from tests.notifications import archive_samples as samples

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run_import(community, by, content: bytes, name: str = "list.mbox") -> ArchiveImport:
    batch = archive_import_start(community=community, by=by, upload=SimpleUploadedFile(name, content), enqueue=False)
    return import_run(batch_id=batch.pk)


def post_by_text(text: str) -> Post:
    return Post.objects.get(body__contains=text)


@pytest.fixture
def imported(community, alice, bob):
    return run_import(community, alice, samples.mbox(samples.EVERYTHING))


def test_import_reports_what_it_did(imported):
    assert imported.status == ArchiveImport.Status.READY
    assert (imported.messages_total, imported.messages_read) == (9, 9)
    assert (imported.threads_made, imported.posts_made) == (2, 7)
    assert (imported.duplicates, imported.refused) == (1, 1)
    assert "Message 9: not imported: it has no text of its own" in imported.refusals


def test_each_post_answers_the_message_it_replied_to(imported):
    opening = post_by_text("do you hide political comments")
    gmail = post_by_text("We pause scheduled posts")
    outlook = post_by_text("what our trust does too")
    apple = post_by_text("holding line")
    lost = post_by_text("we will pause too")
    assert opening.parent is None
    assert gmail.parent == opening
    assert outlook.parent == gmail  # filed before its parent, nested under it all the same
    assert apple.parent == opening  # In-Reply-To only
    assert lost.parent == opening  # no headers: joined by its subject
    assert {p.thread_id for p in [gmail, outlook, apple, lost]} == {opening.thread_id}
    assert [outlook.depth, lost.depth] == [2, 1]


def test_forward_and_its_html_reply_are_a_second_thread(imported):
    forward = post_by_text("flood warnings this winter")
    html = post_by_text("full list")
    assert forward.parent is None and html.parent == forward
    assert forward.thread.title == "Storm naming guidance"


def test_thread_title_drops_list_tag_and_reply_prefixes(imported):
    opening = post_by_text("do you hide political comments")
    assert opening.thread.title == "How do you handle election-period comments?"
    assert opening.thread.reply_count == 4


def test_tree_order_follows_the_conversation(imported):
    thread = post_by_text("do you hide political comments").thread
    bodies = [p.body.split()[0] for p in thread.posts.order_by("sort_path")]
    assert bodies == ["Morning", "We", "Thanks", "We", "Thanks"]


def test_quoted_history_signatures_and_disclaimers_are_removed(imported):
    assert post_by_text("do you hide political comments").body.endswith("leave them?")
    assert post_by_text("We pause scheduled posts").body == (
        "We pause scheduled posts and hide nothing unless it breaks our house rules."
    )
    assert post_by_text("what our trust does too").body == (
        "Thanks Bob \u2013 that\u2019s what our trust does too.\n\nKind regards,\nTom"
    )


def test_base64_utf8_body_is_decoded_without_the_iphone_signature(imported):
    assert (
        post_by_text("holding line").body
        == "We publish a holding line on every post \u2014 it saves arguments \U0001f60a"
    )


def test_html_only_message_is_converted_to_text(imported):
    assert (
        post_by_text("full list").body
        == "The **full list** is on [the Met Office site](https://www.metoffice.gov.uk/storms)."
    )
    assert '<a href="https://www.metoffice.gov.uk/storms"' in post_by_text("full list").body_html


def test_nested_forward_keeps_only_the_forwarders_note(imported):
    assert post_by_text("flood warnings this winter").body == "Useful for anyone writing flood warnings this winter."


def test_a_members_verified_address_makes_the_post_theirs(imported, bob):
    gmail = post_by_text("We pause scheduled posts")
    assert gmail.author == bob and gmail.archived_author_name == ""


def test_other_senders_are_archived_authors_by_name_never_address(imported):
    names = set(Post.objects.filter(author=None).values_list("archived_author_name", flat=True))
    assert names == {"Priya Shah", "O'Neill, Tom", "Si\u00e2n Jones", "Dan Okafor"}
    for post in Post.objects.all():
        assert "@" not in post.body + post.body_html + post.archived_author_name


def test_imported_posts_keep_their_original_dates(imported):
    opening = post_by_text("do you hide political comments")
    assert opening.created_at.isoformat() == "2020-03-02T09:00:00+00:00"
    assert opening.thread.created_at == opening.created_at
    assert opening.thread.last_activity_at.isoformat() == "2020-03-03T08:45:00+00:00"


def test_a_cross_posted_copy_is_one_post(imported):
    assert Post.objects.filter(body__startswith="We pause scheduled posts").count() == 1


def test_importing_the_same_archive_again_adds_nothing(imported, community, alice):
    again = run_import(community, alice, samples.mbox(samples.EVERYTHING))
    assert (again.posts_made, again.threads_made, again.duplicates) == (0, 0, 8)
    assert Post.objects.count() == 7


def test_a_message_in_two_archives_is_one_post(community, alice):
    run_import(community, alice, samples.mbox([samples.THUNDERBIRD_OPENING, samples.GMAIL_REPLY]))
    second = run_import(community, alice, samples.mbox([samples.GMAIL_REPLY, samples.NESTED_FORWARD]))
    assert (second.posts_made, second.duplicates) == (1, 1)
    assert Post.objects.filter(body__startswith="We pause scheduled posts").count() == 1


def test_a_reply_to_a_message_from_another_import_starts_a_thread_of_its_own(community, alice):
    run_import(community, alice, samples.mbox([samples.THUNDERBIRD_OPENING]))
    run_import(community, alice, samples.mbox([samples.GMAIL_REPLY]))
    assert post_by_text("We pause scheduled posts").parent is None


def test_zip_of_eml_files_imports_like_an_mbox(community, alice):
    batch = run_import(community, alice, samples.eml_zip(samples.EVERYTHING), name="list.zip")
    assert (batch.threads_made, batch.posts_made, batch.duplicates, batch.refused) == (2, 7, 1, 1)
    assert post_by_text("what our trust does too").parent == post_by_text("We pause scheduled posts")


def test_a_broken_message_is_refused_and_the_rest_imported(community, alice):
    broken = b"From: \nSubject: =?utf-8?b?!!!?=\nContent-Type: text/plain; charset=utf-8\n\n"
    batch = run_import(community, alice, samples.mbox([broken, samples.THUNDERBIRD_OPENING]))
    assert (batch.posts_made, batch.refused) == (1, 1)
    assert batch.refusals.startswith("Message 1: not imported")


def test_an_unknown_charset_is_read_as_utf8(community, alice):
    odd = samples.LOST_REFERENCES.replace(b"charset=us-ascii", b"charset=x-invented")
    run_import(community, alice, samples.mbox([odd]))
    assert post_by_text("we will pause too").parent is None


def test_import_sends_no_notifications_and_no_email_but_the_summary(community, alice, bob, mailoutbox, committed):
    with committed():
        run_import(community, alice, samples.mbox(samples.EVERYTHING))
    assert not Notification.objects.exists()
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert "ready to publish" in mailoutbox[0].subject
    assert "Posts made: 7" in mailoutbox[0].body


def test_the_uploaded_file_is_deleted_once_imported(community, alice, tmp_path, committed):
    with committed():
        batch = run_import(community, alice, samples.mbox(samples.EVERYTHING))
    assert not batch.archive
    assert [p for p in (tmp_path / "archive-imports").rglob("*") if p.is_file()] == []


def test_unpublished_threads_are_hidden_from_members_search_and_suggestions(imported, bob, alice):
    assert not Thread.objects.visible_to(bob).exists()
    assert not Post.objects.visible_to(bob).exists()
    assert list(similar_threads(bob, "election period comments")) == []
    assert Thread.objects.visible_to(alice).count() == 2


def test_publishing_shows_every_thread_at_once_and_suggests_them(imported, community, alice, bob):
    assert archive_import_publish(batch=imported, by=alice) == 2
    assert Thread.objects.visible_to(bob).count() == 2
    assert [t.title for t in similar_threads(bob, "Election period comments on social media")] == [
        "How do you handle election-period comments?"
    ]
    community.refresh_from_db()
    assert community.thread_count == 2


def test_publishing_sends_no_notifications(imported, alice, mailoutbox, committed):
    with committed():
        archive_import_publish(batch=imported, by=alice)
    assert not Notification.objects.exists() and mailoutbox == []


def test_a_member_cannot_publish(imported, bob):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        archive_import_publish(batch=imported, by=bob)
    assert Thread.objects.filter(is_unpublished=True).count() == 2


def test_removing_an_import_removes_everything_it_made(imported, alice):
    archive_import_remove(batch=imported, by=alice)
    assert not Thread.objects.exists() and not Post.objects.exists()
    assert not ImportedMessage.objects.exists() and not ArchiveImport.objects.exists()


def test_a_stopped_import_resumes_without_repeating_itself(community, alice, monkeypatch):
    from notifications import archive_import

    real = archive_import._store
    calls = []

    def fail_on_the_second_thread(run, archive, summary, parent):
        calls.append(summary.number)
        if summary.number == 7:
            raise RuntimeError("worker lost")
        return real(run, archive, summary, parent)

    monkeypatch.setattr(archive_import, "_store", fail_on_the_second_thread)
    monkeypatch.setattr(archive_import, "_import_conversation", _conversation_that_lets_errors_out(archive_import))
    batch = run_import(community, alice, samples.mbox(samples.EVERYTHING))
    assert batch.status == ArchiveImport.Status.FAILED and batch.archive
    assert "Resume it to carry on" in batch.error
    monkeypatch.undo()
    resumed = import_run(batch_id=batch.pk)
    assert resumed.status == ArchiveImport.Status.READY
    assert (resumed.threads_made, resumed.posts_made) == (2, 7)
    assert Post.objects.count() == 7


def _conversation_that_lets_errors_out(module):
    """The run loop as it is, but a RuntimeError stops the whole run (a crashed worker)."""
    real = module._import_conversation

    def run(run_state, archive, root, known):
        if root.summary.number == 7:
            raise RuntimeError("worker lost")
        return real(run_state, archive, root, known)

    return run


def test_erasing_a_member_anonymises_their_imported_posts(imported, community, alice, bob, dora, committed):
    from members.services import member_erase

    with committed():
        member_erase(member=bob, by=dora)
    gmail = post_by_text("We pause scheduled posts")
    assert gmail.author.name == "Former member"
    again = run_import(community, alice, samples.mbox(samples.EVERYTHING))
    assert again.posts_made == 0
    assert not Post.objects.filter(archived_author_name__icontains="Bob").exists()


def test_import_threads_are_the_imports_own(imported, community, alice):
    other = run_import(community, alice, samples.mbox([samples.NESTED_FORWARD.replace(b"<forward@", b"<other@")]))
    assert import_threads(imported).count() == 2
    assert import_threads(other).count() == 1


def test_import_mbox_command_imports_unpublished(community, alice, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "list.mbox"
    path.write_bytes(samples.mbox(samples.EVERYTHING))
    call_command("import_mbox", str(path), "--community", community.slug, "--by", "alice")
    out = capsys.readouterr().out
    assert "Read 9 messages: 2 threads and 7 posts made, 1 duplicates skipped, 1 refused." in out
    assert "Not published yet" in out
    assert Thread.objects.filter(is_unpublished=True).count() == 2
    assert ArchiveImport.objects.get().filename == "list.mbox"  # not the server's path


def test_import_mbox_command_can_publish(community, alice, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "list.zip"
    path.write_bytes(samples.eml_zip(samples.EVERYTHING))
    call_command("import_mbox", str(path), "--community", community.slug, "--by", "alice", "--publish")
    assert Thread.objects.filter(is_unpublished=False).count() == 2


@pytest.mark.parametrize(
    ("content", "arguments", "message"),
    [
        (b"not an archive", ["--community", "crisis-comms"], "must be an mbox file or a zip of .eml files"),
        (b"", ["--community", "crisis-comms"], "The selected file is empty"),
        (b"From x\n\n", ["--community", "nowhere"], "There is no community"),
        (b"From x\n\n", ["--community", "crisis-comms", "--by", "bob"], "is not a facilitator"),
        (b"From x\n\n", ["--community", "crisis-comms", "--publish"], "--publish needs --by"),
    ],
)
def test_import_mbox_command_explains_bad_input(community, tmp_path, content, arguments, message):
    from django.core.management import CommandError, call_command

    path = tmp_path / "archive"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_mbox", str(path), *arguments)
    assert not ArchiveImport.objects.exists()


def _with_attachment(name: str, content_type: str, data: bytes) -> bytes:
    import base64

    encoded = base64.encodebytes(data).decode()
    return f"""\
From: Dan Okafor <dan.okafor@cabinetoffice.gov.uk>
Subject: Media plan template
Date: Thu, 5 Mar 2020 10:00:00 +0000
Message-ID: <attached-{name}@cabinetoffice.gov.uk>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

Our template is attached.

--b
Content-Type: {content_type}
Content-Disposition: attachment; filename="{name}"
Content-Transfer-Encoding: base64

{encoded}
--b--
""".encode()


def test_attachments_pass_the_usual_checks(community, alice):
    run_import(community, alice, samples.mbox([_with_attachment("plan.pdf", "application/pdf", b"%PDF-1.4 plan")]))
    post = post_by_text("Our template is attached")
    assert [(a.filename, a.content_type) for a in post.attachments.all()] == [("plan.pdf", "application/pdf")]


def test_a_refused_attachment_is_left_out_and_the_message_kept(community, alice):
    exe = _with_attachment("setup.exe", "application/octet-stream", b"MZ\x90\x00 not a document")
    batch = run_import(community, alice, samples.mbox([exe]))
    assert not post_by_text("Our template is attached").attachments.exists()
    assert (batch.posts_made, batch.refused) == (1, 0)
    assert "Message 1: its attachments were not imported. setup.exe is not a file we accept" in batch.refusals


def test_a_message_over_the_size_limit_is_refused_alone(community, alice, monkeypatch):
    from notifications import archive_reader

    monkeypatch.setattr(archive_reader, "MAX_MESSAGE_BYTES", 1000)
    big = samples.LOST_REFERENCES + b"x" * 2000 + b"\n"
    batch = run_import(community, alice, samples.mbox([big, samples.THUNDERBIRD_OPENING]))
    assert (batch.posts_made, batch.refused) == (1, 1)
    assert "Message 1: could not be read: it is larger than" in batch.refusals


def test_a_zip_that_unpacks_too_far_is_refused_with_a_clear_message(community, alice, monkeypatch):
    from notifications import archive_reader

    monkeypatch.setattr(archive_reader, "MAX_ZIP_UNPACKED", 100)
    batch = run_import(community, alice, samples.eml_zip(samples.EVERYTHING), name="list.zip")
    assert batch.status == ArchiveImport.Status.FAILED
    assert "split it into smaller files" in batch.error
    assert not Post.objects.exists()


def test_an_import_already_running_is_not_run_twice(community, alice):
    batch = archive_import_start(
        community=community,
        by=alice,
        upload=SimpleUploadedFile("list.mbox", samples.mbox([samples.THUNDERBIRD_OPENING])),
        enqueue=False,
    )
    ArchiveImport.objects.filter(pk=batch.pk).update(status=ArchiveImport.Status.RUNNING)
    assert import_run(batch_id=batch.pk).status == ArchiveImport.Status.RUNNING
    assert not Post.objects.exists()


def test_a_verified_address_of_someone_outside_the_community_stays_an_archived_author(community, alice, charlie):
    """An upload must not learn whose an address is, nor post under an outsider's name."""
    message = samples.GMAIL_REPLY.replace(b"bob@example.gov.uk", charlie.email.encode())
    run_import(community, alice, samples.mbox([message]))
    post = post_by_text("We pause scheduled posts")
    assert post.author is None
    assert post.archived_author_name == "Bob Member"


def test_a_suspended_members_address_stays_an_archived_author(community, alice, bob):
    type(bob).objects.filter(pk=bob.pk).update(status="suspended")
    run_import(community, alice, samples.mbox([samples.GMAIL_REPLY]))
    assert post_by_text("We pause scheduled posts").author is None
