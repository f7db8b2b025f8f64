"""A reply double-clicked, or sent twice by a script that skips the button's guard,
is posted once (core.once and GOV.UK Frontend's data-prevent-double-click)."""

from playwright.sync_api import expect

from forums.models import Post
from tests.browser.test_thread_journey import sign_in
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_thread


def a_thread_tom_can_reply_to(monkeypatch):
    monkeypatch.setattr("forums.services.posting_blocked_reason", lambda **kwargs: None)
    community = CommunityFactory(name="Social media and digital engagement", slug="social-media")
    priya = UserFactory(username="priya", display_name="Priya Shah")
    tom = UserFactory(username="tom", display_name="Tom Evans")
    for member in (priya, tom):
        MembershipFactory(community=community, user=member)
    return make_thread(community=community, author=priya, title="Who answers comments at weekends?"), tom


def test_a_double_clicked_reply_is_sent_and_posted_once(page, assert_accessible, monkeypatch):
    thread, tom = a_thread_tom_can_reply_to(monkeypatch)
    sign_in(page, assert_accessible, tom)
    page.goto(thread.get_absolute_url())
    # The first request is held, as a slow server would, while the second click comes.
    held = []

    def hold(route):
        held.append(route)

    page.route("**/posts/*/reply/", hold)
    page.get_by_label("Your reply").fill("We have a rota.")
    button = page.get_by_role("button", name="Post reply")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    for _ in range(300):  # until the browser has sent the first request
        if held:
            break
        page.wait_for_timeout(50)
    page.mouse.click(x, y)  # the mouse itself: no waiting for the first request to finish
    page.wait_for_timeout(500)  # room for a second request, were the click not held back
    requests_sent = len(held)
    for route in held:  # let them reach the server either way, so the page can finish
        route.continue_()
    page.unroute("**/posts/*/reply/", hold)
    assert requests_sent == 1  # the button's guard (data-prevent-double-click) held the second back
    # The reply lands on its own post: the page was on the thread's address already, so
    # waiting for that alone would not wait for the reply's redirect on a slow machine.
    page.wait_for_url(f"**{thread.get_absolute_url()}#post-*")
    expect(page.get_by_text("We have a rota.")).to_have_count(1)
    assert Post.objects.filter(thread=thread, body="We have a rota.").count() == 1
    assert_accessible(page)


def test_a_reply_sent_twice_at_once_past_the_button_s_guard_is_posted_once(page, assert_accessible, monkeypatch):
    thread, tom = a_thread_tom_can_reply_to(monkeypatch)
    sign_in(page, assert_accessible, tom)
    page.goto(thread.get_absolute_url())
    page.get_by_label("Your reply").fill("We share it between three of us.")
    # Two requests from the one form, together, as a resend or a page script could send them.
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("textarea[name=body]").form;
            const send = () => fetch(form.action, {method: "POST", body: new FormData(form), redirect: "manual"});
            const responses = await Promise.all([send(), send()]);
            return responses.map((response) => response.type);
        }"""
    )
    assert statuses == ["opaqueredirect", "opaqueredirect"]  # both went to the one reply
    assert Post.objects.filter(thread=thread, body="We share it between three of us.").count() == 1
    page.reload()
    expect(page.get_by_text("We share it between three of us.")).to_have_count(1)
