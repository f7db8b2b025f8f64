import pytest
from django.urls import reverse

from forums.models import Thread
from tests.factories import CommunityFactory, MembershipFactory, form_token, make_reply, make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


def new_thread_url(community):
    return reverse("thread_new", kwargs={"slug": community.slug})


def test_member_starts_a_question_and_lands_on_it(community, bob):
    response = client_as(bob).post(
        new_thread_url(community),
        {
            "title": "Scheduling tools",
            "kind": "question",
            "body": "Which **tool**?",
            "tags": "Tools, social media",
            "form_token": form_token(bob),
        },
    )
    thread = Thread.objects.get(title="Scheduling tools")
    assert response.status_code == 302
    assert response.url == thread.get_absolute_url()
    assert sorted(thread.tags.names()) == ["social media", "tools"]
    assert thread.posts.get().body_html == "<p>Which <strong>tool</strong>?</p>"


def test_new_thread_form_shows_errors_and_keeps_what_was_typed(community, bob):
    response = client_as(bob).post(new_thread_url(community), {"title": "", "kind": "question", "body": "Kept text"})
    assert response.status_code == 200
    assert "Enter a title" in response.text
    assert "Kept text" in response.text
    assert not Thread.objects.exists()


def test_title_and_body_have_length_limits(community, bob):
    response = client_as(bob).post(
        new_thread_url(community), {"title": "x" * 201, "kind": "question", "body": "y" * 20_001}
    )
    assert "The title must be 200 characters or fewer" in response.text
    assert "Your message must be 20,000 characters or fewer" in response.text


def test_preview_renders_markdown_without_posting(community, bob):
    response = client_as(bob).post(
        new_thread_url(community),
        {"title": "", "kind": "question", "body": "**bold** <script>x</script>", "preview": "1"},
    )
    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.text
    assert "<script>x" not in response.text
    assert "There is a problem" not in response.text
    assert not Thread.objects.exists()


def test_members_cannot_post_announcements(community, bob):
    response = client_as(bob).post(
        new_thread_url(community), {"title": "News", "kind": "announcement", "body": "Hello"}
    )
    assert response.status_code == 200
    assert "Choose a question or a discussion" in response.text
    assert not Thread.objects.exists()


def test_facilitators_can_post_announcements(community, alice):
    data = {"title": "News", "kind": "announcement", "body": "Hello", "form_token": form_token(alice)}
    client_as(alice).post(new_thread_url(community), data)
    assert Thread.objects.get().kind == "announcement"


def test_restricted_community_refuses_other_tags(community, alice, bob):
    client_as(alice).post(
        reverse("forum_settings", kwargs={"slug": community.slug}),
        {"restrict_tags": "on", "allowed_tags": "tools, elections"},
    )
    response = client_as(bob).post(
        new_thread_url(community), {"title": "Q", "kind": "question", "body": "B", "tags": "tools, cats"}
    )
    assert "This community uses only its own tags. Remove: cats" in response.text
    assert not Thread.objects.exists()


def test_new_thread_suggests_existing_tags(community, bob):
    make_thread(community=community, author=bob, tags=["floods"])
    response = client_as(bob).get(new_thread_url(community))
    assert "Tags already used here: floods" in response.text


def test_new_thread_does_not_suggest_tags_from_hidden_threads(community, bob):
    hidden = make_thread(community=community, author=bob, tags=["secret-inquiry"])
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    make_thread(community=community, author=bob, tags=["floods"])
    response = client_as(bob).get(new_thread_url(community))
    assert "Tags already used here: floods." in response.text
    assert "secret-inquiry" not in response.text


def test_suggested_tag_names_are_escaped_in_the_hint(community, bob):
    make_thread(community=community, author=bob, tags=["Q&A"])
    response = client_as(bob).get(new_thread_url(community))
    assert "Tags already used here: Q&amp;A." in response.text


def test_posting_blocked_reason_shows_as_a_form_error(community, bob, monkeypatch):
    monkeypatch.setattr("forums.services.posting_blocked_reason", lambda **kw: "You are posting too quickly.")
    data = {"title": "Q", "kind": "question", "body": "B", "form_token": form_token(bob)}
    response = client_as(bob).post(new_thread_url(community), data)
    assert "You are posting too quickly." in response.text
    assert not Thread.objects.exists()


def test_new_thread_wrong_method_is_405(community, bob):
    assert client_as(bob).put(new_thread_url(community)).status_code == 405


def test_new_thread_anonymous_is_sent_to_sign_in(community):
    response = client_as(None).get(new_thread_url(community))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_new_thread_outsider_gets_404_in_private_community(private_community, charlie):
    assert client_as(charlie).get(new_thread_url(private_community)).status_code == 404


def test_new_thread_non_member_gets_403_in_public_community(community, charlie):
    response = client_as(charlie).post(new_thread_url(community), {"title": "Q", "kind": "question", "body": "B"})
    assert response.status_code == 403
    assert not Thread.objects.exists()


def test_archived_community_is_read_only(community, bob, thread):
    community.status = "archived"
    community.save()
    assert client_as(bob).get(new_thread_url(community)).status_code == 403
    response = client_as(bob).get(thread.get_absolute_url())
    assert response.status_code == 200
    assert "This community is archived" in response.text
    assert "Reply to this thread" not in response.text


def test_thread_page_shows_the_conversation(thread, alice, bob):
    reply = make_reply(thread=thread, author=alice, body="We hide them")
    response = client_as(bob).get(thread.get_absolute_url())
    assert response.status_code == 200
    assert f'id="post-{reply.pk}"' in response.text
    assert "We hide them" in response.text


def test_thread_page_with_wrong_slug_redirects(thread):
    response = client_as(None).get(reverse("thread_detail", kwargs={"pk": thread.pk, "slug": "wrong"}))
    assert response.status_code == 301
    assert response.url == thread.get_absolute_url()


def test_thread_page_outsider_gets_404_for_private_thread(private_thread, charlie):
    assert client_as(charlie).get(private_thread.get_absolute_url()).status_code == 404


def test_thread_page_anonymous_can_read_public_thread(thread):
    response = client_as(None).get(thread.get_absolute_url())
    assert response.status_code == 200
    assert "Sign in</a> to reply" in response.text


def test_thread_ids_that_do_not_exist_are_404(thread, bob):
    for pk in [thread.pk + 1000, 2**63]:
        assert client_as(bob).get(reverse("thread_detail", kwargs={"pk": pk, "slug": thread.slug})).status_code == 404
        assert client_as(bob).get(reverse("thread_redirect", kwargs={"pk": pk})).status_code == 404


def test_a_thread_id_beyond_bigint_is_404_without_a_query(client, django_assert_num_queries):
    # PostgreSQL would compare such an id as a numeric and scan every thread.
    with django_assert_num_queries(0):
        assert client.get(reverse("thread_redirect", kwargs={"pk": 2**63})).status_code == 404


def test_thread_page_wrong_method_is_405(thread, bob):
    assert client_as(bob).post(thread.get_absolute_url()).status_code == 405


def test_deep_replies_say_who_they_reply_to(thread, alice, bob):
    parent = None
    for n in range(6):
        parent = make_reply(thread=thread, author=alice if n % 2 else bob, body=f"Level {n}", parent=parent)
    response = client_as(bob).get(thread.get_absolute_url())
    assert response.text.count("app-post--depth-4") == 3
    assert "replying to" in response.text


def test_oldest_first_order_is_chronological(thread, alice, bob):
    first = make_reply(thread=thread, author=alice, body="First reply")
    make_reply(thread=thread, author=bob, body="Second reply")
    make_reply(thread=thread, author=bob, body="Answer to first", parent=first)
    tree = client_as(bob).get(thread.get_absolute_url()).text
    oldest = client_as(bob).get(thread.get_absolute_url() + "?order=oldest").text
    assert tree.index("Answer to first") < tree.index("Second reply")
    assert oldest.index("Second reply") < oldest.index("Answer to first")


def test_post_permalink_redirects_to_later_page(thread, alice):
    from tests.forums.factories import bulk_replies

    posts = bulk_replies(thread=thread, author=alice, count=120)
    response = client_as(None).get(
        reverse("post_redirect", kwargs={"pk": posts[110].pk})
    )  # 110 replies before it, 20 a page
    assert response.status_code == 302
    assert response.url == f"{thread.get_absolute_url()}?page=6#post-{posts[110].pk}"
    page = client_as(None).get(response.url)
    assert f'id="post-{posts[110].pk}"' in page.text


def test_post_permalink_for_opening_post_is_first_page(thread):
    opening = thread.posts.get()
    response = client_as(None).get(reverse("post_redirect", kwargs={"pk": opening.pk}))
    assert response.url == f"{thread.get_absolute_url()}#post-{opening.pk}"


def test_post_permalink_outsider_gets_404(private_thread, charlie):
    opening = private_thread.posts.get()
    assert client_as(charlie).get(reverse("post_redirect", kwargs={"pk": opening.pk})).status_code == 404


def test_post_permalink_wrong_method_is_405(thread):
    opening = thread.posts.get()
    assert client_as(None).post(reverse("post_redirect", kwargs={"pk": opening.pk})).status_code == 405


def test_first_unread_link_points_at_first_new_post(thread, alice, bob):
    client_as(bob).get(thread.get_absolute_url())
    new = make_reply(thread=thread, author=alice, body="New since")
    response = client_as(bob).get(thread.get_absolute_url())
    assert f'href="{reverse("post_redirect", kwargs={"pk": new.pk})}">Go to the first unread post' in response.text
    again = client_as(bob).get(thread.get_absolute_url())
    assert "Go to the first unread post" not in again.text


def test_a_facilitator_s_first_unread_link_finds_a_post_held_since_their_visit(settings, thread, alice, community):
    client_as(alice).get(thread.get_absolute_url())
    settings.MODERATION_DEFAULT_HOLD_FIRST_POSTS = 1
    newcomer = MembershipFactory(community=community).user
    held = make_reply(thread=thread, author=newcomer, body="A first post, waiting for review")
    assert held.status == "held"
    response = client_as(alice).get(thread.get_absolute_url())
    assert f'href="{reverse("post_redirect", kwargs={"pk": held.pk})}">Go to the first unread post' in response.text
    assert "Go to the first unread post" not in client_as(alice).get(thread.get_absolute_url()).text


def test_tag_page_lists_visible_threads_only(community, private_community, bob, charlie):
    make_thread(community=community, author=bob, title="Public flood plan", tags=["floods"])
    make_thread(community=private_community, author=bob, title="Private flood plan", tags=["floods"])
    response = client_as(charlie).get(reverse("tag_threads", kwargs={"tag": "floods"}))
    assert "Public flood plan" in response.text
    assert "Private flood plan" not in response.text


def test_tag_page_with_only_hidden_threads_is_404(private_community, bob, charlie):
    make_thread(community=private_community, author=bob, title="Private", tags=["secret"])
    assert client_as(charlie).get(reverse("tag_threads", kwargs={"tag": "secret"})).status_code == 404
    assert client_as(bob).get(reverse("tag_threads", kwargs={"tag": "secret"})).status_code == 200


def test_tag_page_wrong_method_is_405(community, bob):
    make_thread(community=community, author=bob, tags=["floods"])
    assert client_as(bob).post(reverse("tag_threads", kwargs={"tag": "floods"})).status_code == 405


def test_thread_titled_like_an_action_gets_a_safe_slug(community, bob):
    thread = make_thread(community=community, author=bob, title="Lock")
    assert thread.slug == "lock-thread"
    assert client_as(bob).get(thread.get_absolute_url()).status_code == 200


def test_other_community_facilitator_has_no_power(thread, charlie):
    other = CommunityFactory(slug="other")
    MembershipFactory(community=other, user=charlie, role="facilitator")
    response = client_as(charlie).post(reverse("thread_pin", kwargs={"pk": thread.pk}))
    assert response.status_code == 403
    thread.refresh_from_db()
    assert not thread.is_pinned


def test_check_similar_shows_existing_questions_and_keeps_the_form(community, bob):
    make_thread(community=community, author=bob, title="Facebook comments in the election period")
    response = client_as(bob).post(
        new_thread_url(community),
        {"title": "Election comments on Facebook", "kind": "question", "body": "Draft", "check_similar": "1"},
    )
    assert response.status_code == 200
    assert "Draft" in response.text
    assert Thread.objects.count() == 1
    if response.context["similar_html"] is not None:  # the search app is installed
        assert "Facebook comments in the election period" in response.text


def test_check_similar_without_a_title_asks_for_one(community, bob):
    response = client_as(bob).post(new_thread_url(community), {"title": " ", "body": "Draft", "check_similar": "1"})
    assert response.status_code == 200
    assert "Draft" in response.text
    assert "Enter a title first, then check for similar questions." in response.text


def test_check_similar_opens_the_answer_at_the_suggestions(community, bob):
    page = client_as(bob).get(new_thread_url(community)).text
    assert f'formaction="{new_thread_url(community)}#similar-questions"' in page
    assert 'id="similar-questions"' in page


def test_facilitator_sees_the_tag_settings_link_in_the_thread_list(community, alice, bob):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from forums.selectors import community_thread_list

    request = RequestFactory().get("/")
    request.user = alice
    html = render_to_string(
        "forums/_community_threads.html", community_thread_list(request, community), request=request
    )
    assert reverse("forum_settings", kwargs={"slug": community.slug}) in html
    request.user = bob
    html = render_to_string(
        "forums/_community_threads.html", community_thread_list(request, community), request=request
    )
    assert reverse("forum_settings", kwargs={"slug": community.slug}) not in html


def test_held_thread_does_not_send_the_author_to_a_page_they_cannot_open(community, bob, settings):
    settings.MODERATION_DEFAULT_HOLD_FIRST_POSTS = 5
    data = {"title": "Held", "kind": "question", "body": "B", "form_token": form_token(bob)}
    response = client_as(bob).post(new_thread_url(community), data)
    thread = Thread.objects.get(title="Held")
    if thread.is_hidden:  # the moderation app holds new members' first posts
        assert response.status_code == 302 and response.url != thread.get_absolute_url()
    else:
        assert response.url == thread.get_absolute_url()


def test_first_unread_jumps_to_the_first_new_post(thread, alice, bob):
    client_as(bob).get(thread.get_absolute_url())
    new = make_reply(thread=thread, author=alice, body="New since")
    response = client_as(bob).get(reverse("thread_first_unread", kwargs={"pk": thread.pk}))
    assert response.url == reverse("post_redirect", kwargs={"pk": new.pk})


def test_first_unread_without_new_posts_goes_to_the_thread(thread):
    response = client_as(None).get(reverse("thread_first_unread", kwargs={"pk": thread.pk}))
    assert response.url == thread.get_absolute_url()


def test_first_unread_outsider_gets_404(private_thread, charlie):
    assert client_as(charlie).get(reverse("thread_first_unread", kwargs={"pk": private_thread.pk})).status_code == 404


def test_first_unread_wrong_method_is_405(thread, bob):
    assert client_as(bob).post(reverse("thread_first_unread", kwargs={"pk": thread.pk})).status_code == 405


def test_thread_list_links_to_first_unread_for_threads_read_before(community, thread, alice, bob):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from forums.selectors import community_thread_list

    client_as(bob).get(thread.get_absolute_url())
    make_reply(thread=thread, author=alice)
    request = RequestFactory().get("/")
    request.user = bob
    html = render_to_string(
        "forums/_community_threads.html", community_thread_list(request, community), request=request
    )
    assert reverse("thread_first_unread", kwargs={"pk": thread.pk}) in html


def test_an_erased_authors_posts_show_former_member_without_a_profile_link(client, bob, charlie):
    from members.services import member_erase

    community = CommunityFactory()
    MembershipFactory(community=community, user=bob)
    thread = make_thread(community=community, author=bob, title="A question that outlives its author")
    username = bob.username
    member_erase(member=bob)
    bob.refresh_from_db()
    client.force_login(charlie)
    body = client.get(thread.get_absolute_url()).content.decode()
    assert "Former member" in body
    assert f'href="/members/{bob.username}/"' not in body
    assert f"/members/{username}/" not in body
