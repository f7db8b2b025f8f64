"""The "Start from an email chain" page, the preview, and publishing or discarding it."""

import pytest
from django.urls import reverse

from forums.models import Thread
from notifications.chain_services import MAX_PASTE
from notifications.models import ArchiveImport
from tests.factories import MembershipFactory
from tests.notifications import chain_samples as samples

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def start_url(community):
    return reverse("chain_start", args=[community.slug])


def pasted(client, community, text=samples.GMAIL):
    return client.post(start_url(community), {"chain": text})


def test_a_member_sees_the_paste_page(client, community, bob):
    client.force_login(bob)
    response = client.get(start_url(community))
    assert response.status_code == 200
    assert b"Start from an email chain" in response.content
    assert b"crisis-comms@post.commsnet.example.gov.uk" in response.content


def test_pasting_a_chain_shows_its_preview_post_by_post(client, community, bob):
    client.force_login(bob)
    response = pasted(client, community)
    batch = ArchiveImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("chain_detail", args=[community.slug, batch.pk])
    page = client.get(response.url).content.decode()
    assert page.index("Priya Shah") < page.index("Bob Member") < page.index("Sam Jones")
    assert "priya.shah@council.gov.uk" not in page
    assert "Publish the conversation" in page


def test_text_with_no_emails_is_refused_and_kept(client, community, bob):
    client.force_login(bob)
    response = pasted(client, community, "Our comms plan for winter & floods")
    assert response.status_code == 400
    assert b"We could not find any emails in the chain" in response.content
    assert b"Our comms plan for winter &amp; floods</textarea>" in response.content
    assert not ArchiveImport.objects.exists()


def test_an_empty_paste_is_refused(client, community, bob):
    client.force_login(bob)
    response = pasted(client, community, "")
    assert response.status_code == 400
    assert b"Paste the email chain" in response.content


def test_a_paste_over_the_limit_is_refused_not_cut(client, community, bob):
    client.force_login(bob)
    response = pasted(client, community, "x" * (MAX_PASTE + 1))
    assert response.status_code == 400
    assert b"characters or fewer" in response.content


def test_publishing_from_the_preview_opens_the_thread(client, community, bob):
    client.force_login(bob)
    pasted(client, community)
    batch = ArchiveImport.objects.get()
    response = client.post(reverse("chain_publish", args=[community.slug, batch.pk]))
    thread = Thread.objects.get()
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    assert not thread.is_unpublished


def test_discarding_from_the_preview_removes_everything(client, community, bob):
    client.force_login(bob)
    pasted(client, community)
    batch = ArchiveImport.objects.get()
    response = client.post(reverse("chain_remove", args=[community.slug, batch.pk]))
    assert response.status_code == 302
    assert not Thread.objects.exists() and not ArchiveImport.objects.exists()


@pytest.mark.parametrize("name", ["chain_publish", "chain_remove"])
def test_publish_and_discard_need_post(client, community, bob, name):
    client.force_login(bob)
    pasted(client, community)
    batch = ArchiveImport.objects.get()
    assert client.get(reverse(name, args=[community.slug, batch.pk])).status_code == 405


def test_anonymous_is_sent_to_sign_in(client, community):
    assert client.get(start_url(community)).status_code == 302


def test_an_outsider_of_a_private_community_gets_404(client, private_community, charlie):
    client.force_login(charlie)
    assert client.get(start_url(private_community)).status_code == 404


def test_someone_who_cannot_post_there_gets_403(client, community, charlie):
    client.force_login(charlie)
    assert client.get(start_url(community)).status_code == 403


def test_another_member_cannot_see_someone_elses_preview(client, community, bob, charlie):
    client.force_login(bob)
    pasted(client, community)
    batch = ArchiveImport.objects.get()
    MembershipFactory(community=community, user=charlie)
    client.force_login(charlie)
    assert client.get(reverse("chain_detail", args=[community.slug, batch.pk])).status_code == 404
    assert client.post(reverse("chain_publish", args=[community.slug, batch.pk])).status_code == 404
    assert Thread.objects.get().is_unpublished


def test_a_facilitator_sees_a_members_preview(client, community, alice, bob):
    client.force_login(bob)
    pasted(client, community)
    batch = ArchiveImport.objects.get()
    client.force_login(alice)
    assert client.get(reverse("chain_detail", args=[community.slug, batch.pk])).status_code == 200


def long_chain(count: int) -> str:
    blocks = [
        f"-----Original Message-----\nFrom: Person {n} <person{n}@council.gov.uk>\n"
        f"Sent: Monday, March 2, 2020 {1 + n % 11}:{n % 60:02d} AM\nSubject: RE: Winter planning\n\n"
        f"Point number {n} about winter planning.\n"
        for n in range(count)
    ]
    return "\n".join(blocks)


# Session, user, community, the chain import, may-manage (bob forwarded it, so no
# membership lookup), the posts with their authors and threads: the same for 3 or 40.
CHAIN_PREVIEW_QUERIES = 6


@pytest.mark.parametrize("count", [3, 40])
def test_the_preview_runs_a_fixed_number_of_queries(client, community, bob, count, django_assert_num_queries):
    client.force_login(bob)
    pasted(client, community, long_chain(count))
    batch = ArchiveImport.objects.get()
    assert batch.posts_made == count
    with django_assert_num_queries(CHAIN_PREVIEW_QUERIES):
        response = client.get(reverse("chain_detail", args=[community.slug, batch.pk]))
    assert response.status_code == 200
