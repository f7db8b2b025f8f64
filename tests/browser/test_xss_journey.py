"""The XSS corpus through the whole path: form POST → stored body_html → the thread
page in a real browser. No payload may open a dialog or leave script-capable markup."""

from django.test import Client
from django.urls import reverse

from core.markdown import sanitise_html
from forums.models import Post
from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, form_token, make_thread
from tests.forums.xss_payloads import PAYLOADS

# Script-capable things anywhere inside member-written content, checked in the live DOM.
DOM_CHECK = """() => {
  const found = [];
  const banned = ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'FORM', 'INPUT', 'STYLE', 'BASE', 'META'];
  for (const el of document.querySelectorAll('.app-prose, .app-prose *')) {
    const tag = el.tagName.toUpperCase();
    if (banned.includes(tag)) found.push(tag);
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
      const name = attr.name;
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc') found.push(tag + '[' + name + ']');
      if (/^(javascript|data|vbscript):/.test(value)) found.push(tag + '[' + name + '=' + attr.value + ']');
    }
  }
  return found;
}"""

FIRE_EVENTS = """() => {
  for (const el of document.querySelectorAll('.app-prose *')) {
    for (const type of ['mouseover', 'click', 'focus', 'toggle']) el.dispatchEvent(new Event(type));
  }
}"""


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_xss_payloads_never_run_on_the_thread_page(page, monkeypatch):
    monkeypatch.setattr("forums.services.posting_blocked_reason", lambda **kwargs: None)
    community = CommunityFactory(name="Digital engagement", slug="digital-engagement")
    bob = UserFactory(username="bob", display_name="Bob Member")
    alice = UserFactory(username="alice", display_name="Alice Facilitator")
    MembershipFactory(community=community, user=bob)
    MembershipFactory(community=community, user=alice, role="facilitator")
    thread = make_thread(community=community, author=alice, title="Payloads <img src=x onerror=alert(1)>", body="Hi")
    opening = thread.posts.get()

    client = Client()
    client.force_login(bob)
    for payload in PAYLOADS:
        data = {"body": payload, "form_token": form_token(bob)}
        response = client.post(reverse("post_reply", kwargs={"pk": opening.pk}), data)
        assert response.status_code == 302, payload
    stored = Post.objects.filter(thread=thread, parent__isnull=False)
    assert stored.count() == len(PAYLOADS)
    assert all(sanitise_html(post.body_html) == post.body_html for post in stored)

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, bob.email)
    for page_number in (1, 2):
        page.goto(f"{thread.get_absolute_url()}?page={page_number}")
        page.wait_for_load_state("load")
        # Give hover/focus/load handlers every chance to fire.
        page.evaluate(FIRE_EVENTS)
        page.wait_for_timeout(300)
        assert page.evaluate(DOM_CHECK) == []
        assert page.evaluate("() => window.__xss") is None
    assert dialogs == []

    # The in-browser paths too: preview and posting through the reply form itself.
    page.goto(reverse("post_reply", kwargs={"pk": opening.pk}))
    page.get_by_label("Your reply").fill("\n\n".join(PAYLOADS[:20]))
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state("load")
    assert page.evaluate(DOM_CHECK) == []
    page.get_by_label("Your reply").fill("\n\n".join(PAYLOADS[20:40]))
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_load_state("load")
    assert page.evaluate(DOM_CHECK) == []
    assert dialogs == []
