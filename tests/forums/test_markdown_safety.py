"""Every path that writes post HTML is safe against known XSS payloads, and
sanitising stored HTML again changes nothing."""

import pytest
from django.urls import reverse

from core.markdown import sanitise_html
from forums.models import Post
from forums.rendering import quote_markdown, render_post
from tests.factories import form_token
from tests.forums.xss_payloads import PAYLOADS, dangerous_parts
from tests.matrix import client_as


def test_corpus_has_at_least_fifty_payloads():
    assert len(PAYLOADS) >= 50


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendering_removes_every_payload(payload, alice):
    html, _ = render_post(payload)
    assert dangerous_parts(html) == []
    assert sanitise_html(html) == html


@pytest.mark.django_db
def test_form_post_edit_preview_and_quote_store_safe_html(thread, bob, alice, monkeypatch):
    monkeypatch.setattr("forums.services.posting_blocked_reason", lambda **kwargs: None)
    opening = thread.posts.get()
    client = client_as(bob)
    for payload in PAYLOADS:
        client.post(reverse("post_reply", kwargs={"pk": opening.pk}), {"body": payload, "form_token": form_token(bob)})
    replies = list(Post.objects.filter(thread=thread, parent__isnull=False))
    assert len(replies) == len(PAYLOADS)
    for reply in replies:
        assert dangerous_parts(reply.body_html) == [], reply.body
        assert sanitise_html(reply.body_html) == reply.body_html
    edited = replies[0]
    client.post(reverse("post_edit", kwargs={"pk": edited.pk}), {"body": "\n".join(PAYLOADS)})
    edited.refresh_from_db()
    assert dangerous_parts(edited.body_html) == []
    preview = client.post(
        reverse("post_edit", kwargs={"pk": edited.pk}), {"body": "\n".join(PAYLOADS), "preview": "1"}
    )
    assert dangerous_parts(preview.context["preview_html"]) == []
    quoted, _ = render_post(quote_markdown(edited))
    assert dangerous_parts(quoted) == []


@pytest.mark.django_db
def test_thread_title_payloads_are_escaped(community, bob):
    client_as(bob).post(
        reverse("thread_new", kwargs={"slug": community.slug}),
        {"title": "<script>alert(1)</script>", "kind": "question", "body": "x", "form_token": form_token(bob)},
    )
    thread = community.threads.get()
    page = client_as(bob).get(thread.get_absolute_url())
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
