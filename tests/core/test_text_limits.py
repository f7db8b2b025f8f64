"""Text limits are said, never enforced by cutting: no `maxlength` on any field, GOV.UK's
character count on long fields, a hint on short ones, and an over-long answer sent back
whole with a message saying the limit and how much too long it is."""

import re

import pytest
from django import forms
from django.urls import reverse

from communities.forms import ProposeForm
from core.text_limits import LimitedTextBoundField, default_message
from forums.models import Thread
from moderation.forms import ReportForm
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(alice, bob):
    community = CommunityFactory(name="Crisis communications", slug="crisis-communications")
    MembershipFactory(community=community, user=alice, role="facilitator")
    MembershipFactory(community=community, user=bob)
    return community


@pytest.fixture
def thread(community, bob, alice):
    thread = make_thread(community=community, author=bob, title="Flood warnings overnight?")
    make_reply(thread=thread, author=alice, body="Our duty officer covers it.")
    return thread


def page_urls(community, thread) -> list[str]:
    reply = thread.posts.order_by("pk").last()
    return [
        reverse("thread_new", kwargs={"slug": community.slug}),
        thread.get_absolute_url(),
        reverse("post_reply", args=[reply.pk]),
        reverse("post_edit", args=[reply.pk]),
        reverse("post_report", args=[reply.pk]),
        reverse("post_split", args=[reply.pk]),
        reverse("thread_moderate", args=[thread.pk]),
        reverse("profile_edit"),
        reverse("community_propose"),
        reverse("forum_settings", kwargs={"slug": community.slug}),
        reverse("search") + "?q=flood",
        reverse("community_directory") + "?q=flood",
        reverse("site_log"),
        community.get_absolute_url(),
    ]


def test_no_page_with_a_form_gives_a_field_a_maxlength(community, thread, dora):
    client = client_as(dora)
    for url in page_urls(community, thread):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not re.search(r"\smaxlength=", response.text), url


def test_new_thread_counts_the_title_and_the_message(community, bob):
    response = client_as(bob).get(reverse("thread_new", kwargs={"slug": community.slug}))
    text = response.text
    assert 'data-module="govuk-character-count" data-maxlength="200"' in text
    assert 'data-module="govuk-character-count" data-maxlength="20000"' in text
    assert re.search(r'<input [^>]*class="govuk-input govuk-js-character-count"[^>]*id="id_title"', text)
    assert re.search(r'<textarea [^>]*aria-describedby="id_body-hint id_body-info"', text)
    assert '<div id="id_title-info" class="govuk-hint govuk-character-count__message">' in text
    assert "You can enter up to 200 characters" in text
    assert "You can enter up to 20,000 characters" in text


def test_reply_box_on_the_thread_page_counts_characters(thread, bob):
    text = client_as(bob).get(thread.get_absolute_url()).text
    assert 'data-module="govuk-character-count" data-maxlength="20000"' in text
    assert "govuk-textarea govuk-js-character-count" in text


def test_short_field_says_its_limit_in_a_hint_without_a_counter(bob):
    text = client_as(bob).get(reverse("profile_edit")).text
    assert re.search(
        r'<div id="id_job_title-hint" class="govuk-hint">.*?<br>You can enter up to 100 characters</div>', text
    )
    assert re.search(r'<input [^>]*aria-describedby="id_job_title-hint"[^>]*id="id_job_title"', text)
    assert 'data-maxlength="100"' not in text


def test_profile_bio_counts_up_to_2000_characters(bob):
    text = client_as(bob).get(reverse("profile_edit")).text
    assert 'data-module="govuk-character-count" data-maxlength="2000"' in text


def test_search_box_gives_no_hint_or_counter(bob):
    text = client_as(bob).get(reverse("search") + "?q=flood").text
    assert "You can enter up to" not in text
    assert "govuk-character-count" not in text


def test_over_long_title_is_kept_whole_with_a_message_saying_how_much_too_long(community, bob):
    title = "Flood warnings " + "x" * 190  # 205 characters
    response = client_as(bob).post(
        reverse("thread_new", kwargs={"slug": community.slug}), {"title": title, "kind": "question", "body": "Kept"}
    )
    assert response.status_code == 200
    assert f'value="{title}"' in response.text
    assert "The title must be 200 characters or fewer – you have 5 characters too many" in response.text
    assert not Thread.objects.exists()


def test_over_long_reply_is_kept_whole_with_a_message(thread, bob):
    body = "y" * 20_001
    opening = thread.posts.order_by("pk").first()
    response = client_as(bob).post(reverse("post_reply", args=[opening.pk]), {"body": body, "post": "1"})
    assert response.status_code == 200
    assert f">\n{body}</textarea>" in response.text
    assert "Your message must be 20,000 characters or fewer – you have 1 character too many" in response.text


def test_field_without_its_own_message_gets_one_from_its_label():
    form = ProposeForm(data={"name": "n" * 102, "summary": "s" * 201, "description": "d"})
    assert not form.is_valid()
    assert form.errors["name"] == [
        "Name of the community must be 100 characters or fewer – you have 2 characters too many"
    ]
    assert form.errors["summary"] == ["Your answer must be 200 characters or fewer – you have 1 character too many"]


def test_field_with_its_own_message_keeps_it_and_adds_how_much_too_long():
    form = ReportForm(data={"reason": "spam", "note": "n" * 1_010})
    assert not form.is_valid()
    assert form.errors["note"] == ["Your note must be 1,000 characters or fewer – you have 10 characters too many"]


def test_limit_is_checked_once_however_often_a_field_is_bound():
    class NoteForm(forms.Form):
        note = forms.CharField(label="Note (optional)", max_length=10)

    form = NoteForm(data={"note": "n" * 11})
    assert isinstance(form["note"], LimitedTextBoundField)
    assert not form.is_valid()
    form.full_clean()
    assert form.errors["note"] == ["Note must be 10 characters or fewer – you have 1 character too many"]


def test_default_message_escapes_percent_signs_in_labels():
    assert default_message("Share of 100% (optional)", 1000) == "Share of 100%% must be 1,000 characters or fewer"


def test_email_and_web_address_fields_give_no_hint_or_counter(bob):
    text = client_as(bob).get(reverse("profile_edit")).text
    assert not re.search(r'id="id_website-hint"', text)
    login = client_as(None).get("/accounts/login/").text
    assert "You can enter up to" not in login
    assert "govuk-character-count" not in login


def test_line_breaks_sent_as_crlf_count_as_one_character_like_the_counter():
    class NoteForm(forms.Form):
        note = forms.CharField(max_length=10, widget=forms.Textarea)

    form = NoteForm(data={"note": "1234\r\n6789"})  # 11 characters sent, 10 shown
    assert form.is_valid()
    assert form.cleaned_data["note"] == "1234\n6789"
