import pytest
from django.urls import reverse

from core.markdown import sanitise_html
from core.models import AllowedImageHost
from forums.models import HelpfulMark, Mention, Post, PostRevision, Thread
from tests.factories import MembershipFactory, UserFactory, form_token, make_reply
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


def url(name, pk):
    return reverse(name, kwargs={"pk": pk})


@pytest.fixture
def opening(thread):
    return thread.posts.get(parent__isnull=True)


@pytest.fixture
def reply(thread, alice):
    return make_reply(thread=thread, author=alice, body="Hide comments, reply by message.")


# Replying


def test_member_replies_to_the_thread(opening, bob, thread):
    response = client_as(bob).post(
        url("post_reply", opening.pk), {"body": "Thanks all", "form_token": form_token(bob)}
    )
    reply = Post.objects.get(body="Thanks all")
    assert response.status_code == 302
    assert response.url == url("post_redirect", reply.pk)
    assert reply.parent == opening and reply.depth == 1
    assert Thread.objects.get(pk=thread.pk).reply_count == 1


def test_member_replies_to_a_reply(reply, bob):
    client_as(bob).post(url("post_reply", reply.pk), {"body": "To you", "form_token": form_token(bob)})
    assert Post.objects.get(body="To you").parent == reply


def test_reply_page_shows_the_post_being_answered(reply, bob):
    response = client_as(bob).get(url("post_reply", reply.pk))
    assert response.status_code == 200
    assert "Hide comments, reply by message." in response.text


def test_reply_with_errors_keeps_the_form(reply, bob):
    response = client_as(bob).post(url("post_reply", reply.pk), {"body": ""})
    assert response.status_code == 200
    assert "Enter your message" in response.text


def test_reply_preview_does_not_post(reply, bob):
    response = client_as(bob).post(url("post_reply", reply.pk), {"body": "_draft_", "preview": "1"})
    assert "<em>draft</em>" in response.text
    assert not Post.objects.filter(body="_draft_").exists()


def test_quote_prefills_a_blockquote_with_author_and_link(reply, bob):
    response = client_as(bob).get(url("post_reply", reply.pk) + "?quote=1")
    body = response.context["form"].initial["body"]
    assert body.startswith(f"> **Alice Facilitator** [wrote]({url('post_redirect', reply.pk)}):")
    assert "> Hide comments, reply by message." in body


def test_quoted_reply_renders_safely(reply, bob):
    client_as(bob).post(
        url("post_reply", reply.pk),
        {
            "body": f"> **Alice** [wrote]({url('post_redirect', reply.pk)}):\n> Hi\n\nAgreed",
            "form_token": form_token(bob),
        },
    )
    html = Post.objects.get(body__endswith="Agreed").body_html
    assert "<blockquote>" in html
    assert f'href="{url("post_redirect", reply.pk)}"' in html


def test_locked_thread_refuses_replies_and_says_why(thread, opening, bob, alice):
    client_as(alice).post(url("thread_lock", thread.pk), {"reason": "Answered in full"})
    response = client_as(bob).post(url("post_reply", opening.pk), {"body": "Late"})
    assert response.status_code == 403
    assert "This thread is locked: Answered in full" in response.text
    assert not Post.objects.filter(body="Late").exists()
    page = client_as(bob).get(thread.get_absolute_url())
    assert "This thread is locked: Answered in full" in page.text
    assert "Reply to this thread" not in page.text


def test_reply_anonymous_is_sent_to_sign_in(opening):
    response = client_as(None).post(url("post_reply", opening.pk), {"body": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_reply_outsider_gets_404_in_private_thread(private_thread, charlie):
    opening = private_thread.posts.get()
    assert client_as(charlie).post(url("post_reply", opening.pk), {"body": "x"}).status_code == 404


def test_reply_non_member_gets_403(opening, charlie):
    assert client_as(charlie).post(url("post_reply", opening.pk), {"body": "x"}).status_code == 403
    assert not Post.objects.filter(body="x").exists()


def test_reply_wrong_method_is_405(opening, bob):
    assert client_as(bob).delete(url("post_reply", opening.pk)).status_code == 405


# Mentions


def test_mention_becomes_a_profile_link_and_is_stored(opening, bob, alice):
    with_profile = reverse("member_profile", kwargs={"username": "alice"})
    client_as(bob).post(url("post_reply", opening.pk), {"body": "Ask @alice.", "form_token": form_token(bob)})
    post = Post.objects.get(body="Ask @alice.")
    assert f'<a href="{with_profile}" rel="nofollow ugc noopener">@alice</a>.' in post.body_html
    assert sanitise_html(post.body_html) == post.body_html
    assert list(Mention.objects.filter(post=post).values_list("user__username", flat=True)) == ["alice"]


def test_mention_in_code_is_not_linked(opening, bob, alice):
    client_as(bob).post(
        url("post_reply", opening.pk), {"body": "Type `@alice` to mention", "form_token": form_token(bob)}
    )
    post = Post.objects.get(body__startswith="Type")
    assert "<code>@alice</code>" in post.body_html
    assert not Mention.objects.exists()


def test_mention_of_someone_who_cannot_read_is_linked_but_not_stored(private_thread, bob, charlie):
    opening = private_thread.posts.get()
    client_as(bob).post(url("post_reply", opening.pk), {"body": "cc @charlie"})
    assert not Mention.objects.exists()


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_mention_of_an_account_not_in_the_directory_stays_text_and_is_not_stored(opening, bob, status):
    # A member of the community, so only their status keeps them out.
    hidden = UserFactory(username="hidden-person", status=status)
    MembershipFactory(community=opening.thread.community, user=hidden)
    client_as(bob).post(url("post_reply", opening.pk), {"body": "Hi @hidden-person", "form_token": form_token(bob)})
    post = Post.objects.get(body="Hi @hidden-person")
    assert post.body_html == "<p>Hi @hidden-person</p>"
    assert not Mention.objects.filter(post=post).exists()


def test_unknown_mention_stays_text(opening, bob):
    client_as(bob).post(url("post_reply", opening.pk), {"body": "Hi @nobody", "form_token": form_token(bob)})
    assert Post.objects.get(body="Hi @nobody").body_html == "<p>Hi @nobody</p>"


# Editing, revisions, deleting


def test_author_edits_and_revisions_are_kept(reply, alice):
    response = client_as(alice).post(url("post_edit", reply.pk), {"body": "Better wording"})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body_html == "<p>Better wording</p>" and reply.edited_at
    bodies = list(PostRevision.objects.filter(post=reply).order_by("created_at").values_list("body", flat=True))
    assert bodies == ["Hide comments, reply by message.", "Better wording"]


def test_edited_post_shows_edited_and_history_link_to_author(reply, alice, thread):
    client_as(alice).post(url("post_edit", reply.pk), {"body": "Better wording"})
    page = client_as(alice).get(thread.get_absolute_url())
    assert "edited <time" in page.text
    assert url("post_revisions", reply.pk) in page.text


def test_revision_history_visible_to_author_and_facilitator_only(reply, alice, bob, community):
    client_as(alice).post(url("post_edit", reply.pk), {"body": "Second"})
    other = UserFactory(username="other")
    community.memberships.create(user=other, role="member", status="active")
    assert client_as(alice).get(url("post_revisions", reply.pk)).status_code == 200
    assert client_as(other).get(url("post_revisions", reply.pk)).status_code == 403


def test_facilitator_edits_any_post_in_their_community(opening, alice):
    assert client_as(alice).post(url("post_edit", opening.pk), {"body": "Tidied"}).status_code == 302
    assert PostRevision.objects.filter(post=opening, edited_by=alice).exists()


def test_member_cannot_edit_someone_elses_post(reply, bob):
    assert client_as(bob).post(url("post_edit", reply.pk), {"body": "Hijack"}).status_code == 403
    reply.refresh_from_db()
    assert reply.body == "Hide comments, reply by message."


def test_edit_wrong_method_is_405(reply, alice):
    assert client_as(alice).put(url("post_edit", reply.pk)).status_code == 405


def test_delete_leaves_a_placeholder_where_replies_hang(reply, alice, bob, thread):
    child = make_reply(thread=thread, author=bob, body="Child reply", parent=reply)
    response = client_as(alice).post(url("post_delete", reply.pk))
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == Post.Status.DELETED and reply.body_html == ""
    page = client_as(bob).get(thread.get_absolute_url())
    assert "This post was deleted." in page.text
    assert "Hide comments" not in page.text
    assert f'id="post-{child.pk}"' in page.text


def test_delete_confirmation_page(reply, alice):
    response = client_as(alice).get(url("post_delete", reply.pk))
    assert "Are you sure you want to delete this post?" in response.text


def test_member_cannot_delete_someone_elses_post(reply, bob):
    assert client_as(bob).post(url("post_delete", reply.pk)).status_code == 403
    reply.refresh_from_db()
    assert reply.status == Post.Status.PUBLISHED


def test_delete_anonymous_is_sent_to_sign_in(reply):
    assert client_as(None).post(url("post_delete", reply.pk)).status_code == 302
    reply.refresh_from_db()
    assert reply.status == Post.Status.PUBLISHED


def test_delete_wrong_method_is_405(reply, alice):
    assert client_as(alice).put(url("post_delete", reply.pk)).status_code == 405


# Answers and helpful


def test_asker_accepts_an_answer_shown_first(thread, reply, bob):
    later = make_reply(thread=thread, author=bob, body="Me too")
    assert client_as(bob).post(url("post_accept", reply.pk)).status_code == 302
    assert Thread.objects.get(pk=thread.pk).accepted_answer == reply
    page = client_as(bob).get(thread.get_absolute_url()).text
    assert page.index('id="accepted-answer"') < page.index(f'id="post-{later.pk}"')


def test_asker_can_undo_the_accepted_answer(thread, reply, bob):
    client_as(bob).post(url("post_accept", reply.pk))
    assert client_as(bob).post(url("answer_clear", thread.pk)).status_code == 302
    assert Thread.objects.get(pk=thread.pk).accepted_answer is None


def test_other_member_cannot_accept(thread, reply, community):
    other = UserFactory(username="other")
    community.memberships.create(user=other, role="member", status="active")
    assert client_as(other).post(url("post_accept", reply.pk)).status_code == 403
    assert Thread.objects.get(pk=thread.pk).accepted_answer is None


def test_opening_post_cannot_be_the_answer(opening, bob):
    assert client_as(bob).post(url("post_accept", opening.pk)).status_code == 403


def test_accept_wrong_method_is_405(reply, bob):
    assert client_as(bob).get(url("post_accept", reply.pk)).status_code == 405


def test_helpful_once_per_member_and_undo(reply, bob):
    client_as(bob).post(url("post_helpful", reply.pk))
    client_as(bob).post(url("post_helpful", reply.pk))
    assert Post.objects.get(pk=reply.pk).helpful_count == 1
    assert HelpfulMark.objects.filter(post=reply).count() == 1
    client_as(bob).post(url("post_unhelpful", reply.pk))
    assert Post.objects.get(pk=reply.pk).helpful_count == 0


def test_helpful_not_on_your_own_post(reply, alice):
    assert client_as(alice).post(url("post_helpful", reply.pk)).status_code == 403


def test_helpful_non_member_gets_403(reply, charlie):
    assert client_as(charlie).post(url("post_helpful", reply.pk)).status_code == 403
    assert Post.objects.get(pk=reply.pk).helpful_count == 0


def test_helpful_wrong_method_is_405(reply, bob):
    assert client_as(bob).get(url("post_helpful", reply.pk)).status_code == 405


def test_thread_page_shows_remote_images_as_links_and_ours_and_allowed_ones_as_images(opening, bob, thread):
    AllowedImageHost.objects.create(host="images.example.gov.uk")
    body = "![tracker](https://tracker.example.com/p.png) ![ours](/media/a.png) ![allowed](https://images.example.gov.uk/b.png)"
    client = client_as(bob)
    client.post(url("post_reply", opening.pk), {"body": body, "form_token": form_token(bob)})
    page = client.get(thread.get_absolute_url()).content.decode()
    assert '<a href="https://tracker.example.com/p.png" rel="nofollow ugc noopener">tracker</a>' in page
    assert "tracker.example.com/p.png" not in page.replace('<a href="https://tracker.example.com/p.png"', "")
    assert '<img alt="ours" src="/media/a.png">' in page
    assert '<img alt="allowed" src="https://images.example.gov.uk/b.png">' in page
