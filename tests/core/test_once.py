"""core.once: a form that creates something makes it once, however often it is sent."""

import threading
import time

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from core import once
from core.models import FormSubmission
from forums import post_views
from forums.models import Post
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, form_token, make_thread

pytestmark = pytest.mark.django_db


class NoteForm(forms.Form):
    text = forms.CharField()


def posted(user, data: dict):
    request = RequestFactory().post("/notes/", data)
    request.user = user
    return request


def send(user, data: dict, made: list, result="/notes/1/"):
    """Submit `data` as `user`; `made` collects what each create() call made."""
    form = NoteForm(data)
    assert form.is_valid()
    sent = once.submit_once(
        posted(user, data), form, lambda: made.append(data["text"]) or data["text"], lambda _: result
    )
    return sent, form


def test_the_tag_gives_each_rendering_its_own_token(bob):
    request = RequestFactory().get("/")
    request.user = bob
    template = Template("{% load once %}{% form_token %}")
    first, second = (template.render(Context({"request": request})) for _ in range(2))
    assert 'name="form_token"' in first and first != second


def test_a_kept_page_s_placeholders_each_get_a_fresh_token(bob):
    request = RequestFactory().get("/")
    request.user = bob
    html = once.fill_tokens(once.INPUT.format(once.PLACEHOLDER) * 2, request)
    assert once.PLACEHOLDER not in html
    first, second = html.split("><")
    assert first != second


def test_a_first_submit_creates_and_returns_where_to_see_it(bob):
    made = []
    sent, _ = send(bob, {"text": "Hello", "form_token": form_token(bob)}, made)
    assert (sent.url, sent.made, made) == ("/notes/1/", "Hello", ["Hello"])
    assert FormSubmission.objects.get().result_url == "/notes/1/"


def test_the_same_form_sent_again_makes_nothing_and_lands_on_the_first(bob):
    made, data = [], {"text": "Hello", "form_token": form_token(bob)}
    send(bob, data, made)
    again, form = send(bob, data, made, result="/notes/2/")
    assert (again.url, again.made, made) == ("/notes/1/", None, ["Hello"])
    assert not form.errors


def test_a_repeat_can_be_recognised_before_the_form_is_judged(bob, charlie):
    data = {"text": "Hello", "form_token": form_token(bob)}
    assert once.repeat_url(posted(bob, data)) is None
    send(bob, data, [])
    assert once.repeat_url(posted(bob, data)) == "/notes/1/"
    assert once.repeat_url(posted(bob, {**data, "text": "Other words"})) is None
    assert once.repeat_url(posted(charlie, data)) is None


def test_a_missing_token_makes_nothing_and_says_why(bob):
    made = []
    sent, form = send(bob, {"text": "Hello"}, made)
    assert sent is None and made == []
    assert form.non_field_errors() == [once.MISSING]
    assert form.cleaned_data["text"] == "Hello"  # what was typed is kept for the page


def test_a_forged_token_makes_nothing(bob):
    made = []
    sent, form = send(bob, {"text": "Hello", "form_token": "made-up:token"}, made)
    assert sent is None and made == [] and form.non_field_errors() == [once.MISSING]


def test_another_member_s_token_is_refused(bob, charlie):
    made, data = [], {"text": "Hello", "form_token": form_token(bob)}
    sent, form = send(charlie, data, made)
    assert sent is None and made == [] and form.non_field_errors() == [once.MISSING]


def test_another_member_cannot_land_on_what_a_used_token_made(bob, charlie):
    made, data = [], {"text": "Hello", "form_token": form_token(bob)}
    send(bob, data, made, result="/private/1/")
    sent, _ = send(charlie, data, made)
    assert sent is None and made == ["Hello"]


def test_a_used_token_sent_with_other_words_makes_nothing_and_says_so(bob):
    # The Back button then an edit: the old page's token comes back with new text.
    made, token = [], form_token(bob)
    send(bob, {"text": "Hello", "form_token": token}, made)
    sent, form = send(bob, {"text": "Hello again", "form_token": token}, made)
    assert sent is None and made == ["Hello"]
    assert form.non_field_errors() == [once.REUSED]


def test_a_create_that_fails_leaves_the_token_free_to_send_again(bob):
    data = {"text": "Hello", "form_token": form_token(bob)}
    form = NoteForm(data)
    form.is_valid()

    def fail():
        raise RuntimeError("SMTP down")

    with pytest.raises(RuntimeError):
        once.submit_once(posted(bob, data), form, fail, str)
    made = []
    sent, _ = send(bob, data, made)
    assert sent.made == "Hello" and made == ["Hello"]


def test_a_refusal_is_shown_on_the_form_and_the_token_stays_free(bob):
    data = {"text": "Hello", "form_token": form_token(bob)}
    form = NoteForm(data)
    form.is_valid()

    def refuse():
        raise once.Refused("You are posting too quickly.")

    assert once.submit_once(posted(bob, data), form, refuse, str) is None
    assert form.non_field_errors() == ["You are posting too quickly."]
    assert not FormSubmission.objects.exists()


def test_a_visitor_s_token_is_tied_to_their_session(db):
    def visitor(session):
        request = RequestFactory().get("/")
        request.user, request.session = AnonymousUser(), session
        return request

    mine, theirs = SessionStore(), SessionStore()
    token = once.issue(visitor(mine))
    made, data = [], {"text": "Hello", "form_token": token}
    for session in (theirs, mine):
        request = posted(AnonymousUser(), data)
        request.session = session
        form = NoteForm(data)
        form.is_valid()
        once.submit_once(request, form, lambda key=session.session_key: made.append(key), str)
    assert made == [mine.session_key]


# Two requests at once, each on its own database connection ----------------------------


def _another_connection_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_of_one_reply_make_one_post(monkeypatch):
    bob = UserFactory(username="bob")
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob)
    thread = make_thread(community=community, author=bob)
    opening = thread.posts.get()
    monkeypatch.setattr("forums.services.posting_blocked_reason", lambda **kwargs: None)
    real_post_reply = post_views.post_reply

    def post_reply_held_open(**kwargs):
        # The first request keeps its transaction open until the second is waiting on the
        # token's unique index: the two overlap for certain, not by luck of timing.
        for _ in range(200):
            if _another_connection_waits_on_a_lock():
                break
            time.sleep(0.05)
        return real_post_reply(**kwargs)

    monkeypatch.setattr("forums.post_views.post_reply", post_reply_held_open)
    data = {"body": "Sent twice at once", "post": "1", "form_token": form_token(bob)}
    start = threading.Barrier(2)
    responses = []

    def submit():
        client = Client()
        client.force_login(bob)
        start.wait()
        try:
            responses.append(client.post(reverse("post_reply", kwargs={"pk": opening.pk}), data))
        finally:
            connection.close()

    workers = [threading.Thread(target=submit) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    reply = Post.objects.get(thread=thread, body="Sent twice at once")
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {reply.get_absolute_url()}
