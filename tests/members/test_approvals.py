"""The site admins' approvals queue: approve, or reject with a reason that is emailed."""

import pytest
from django.core import mail
from django.urls import reverse

from members.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(db):
    return UserFactory(
        username="gill",
        email="gill@gmail.com",
        display_name="Gill Applicant",
        status=User.Status.PENDING,
        join_reason="Contractor in a council press office",
    )


def test_queue_lists_verified_pending_members_with_their_reason(client, dora, applicant):
    client.force_login(dora)
    response = client.get(reverse("staff_approvals"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Gill Applicant" in body
    assert "Contractor in a council press office" in body


def test_queue_leaves_out_unverified_and_approved_members(client, dora, bob):
    UserFactory(username="unverified", display_name="Never Verified", status=User.Status.PENDING, verified=False)
    client.force_login(dora)
    body = client.get(reverse("staff_approvals")).content.decode()
    assert "Never Verified" not in body
    assert bob.name not in body
    assert "Nobody is waiting for approval" in body


def test_queue_query_count_does_not_grow_with_applicants(client, dora, django_assert_max_num_queries):
    client.force_login(dora)
    UserFactory.create_batch(3, status=User.Status.PENDING)
    with django_assert_max_num_queries(8):
        client.get(reverse("staff_approvals"))
    UserFactory.create_batch(15, status=User.Status.PENDING)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("staff_approvals"))
    assert response.content.decode().count('class="govuk-summary-card__title"') == 18


def test_site_admin_approves_and_the_member_is_emailed(client, dora, applicant, django_capture_on_commit_callbacks):
    client.force_login(dora)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff_approve", args=[applicant.pk]))
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == User.Status.APPROVED
    assert mail.outbox[-1].to == ["gill@gmail.com"]
    assert "approved" in mail.outbox[-1].subject


def test_site_admin_rejects_with_a_reason_that_is_emailed(client, dora, applicant, django_capture_on_commit_callbacks):
    client.force_login(dora)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff_reject", args=[applicant.pk]), {"reason": "We could not confirm your role."}
        )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == User.Status.REJECTED
    assert applicant.rejection_reason == "We could not confirm your role."
    assert "We could not confirm your role." in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["gill@gmail.com"]


def test_rejecting_without_a_reason_shows_an_error_and_changes_nothing(client, dora, applicant):
    client.force_login(dora)
    response = client.post(reverse("staff_reject", args=[applicant.pk]), {"reason": ""})
    assert response.status_code == 200
    assert "Enter the reason" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.status == User.Status.PENDING


def test_reject_page_shows_the_form(client, dora, applicant):
    client.force_login(dora)
    response = client.get(reverse("staff_reject", args=[applicant.pk]))
    assert response.status_code == 200
    assert "Reject Gill Applicant" in response.content.decode()


def test_approving_someone_not_in_the_queue_is_404(client, dora, bob):
    client.force_login(dora)
    assert client.post(reverse("staff_approve", args=[bob.pk])).status_code == 404
    assert client.post(reverse("staff_reject", args=[bob.pk]), {"reason": "x"}).status_code == 404


def test_approve_needs_post(client, dora, applicant):
    client.force_login(dora)
    assert client.get(reverse("staff_approve", args=[applicant.pk])).status_code == 405
    applicant.refresh_from_db()
    assert applicant.status == User.Status.PENDING


def test_queue_wrong_method_is_405(client, dora):
    client.force_login(dora)
    assert client.post(reverse("staff_approvals")).status_code == 405


def test_anonymous_visitor_is_sent_to_sign_in(client, applicant):
    response = client.get(reverse("staff_approvals"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    response = client.post(reverse("staff_approve", args=[applicant.pk]))
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == User.Status.PENDING


@pytest.mark.parametrize("who", ["bob", "alice", "erin"])
def test_members_who_are_not_site_admins_get_403(client, request, who, applicant):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("staff_approvals")).status_code == 403
    assert client.post(reverse("staff_approve", args=[applicant.pk])).status_code == 403
    assert client.post(reverse("staff_reject", args=[applicant.pk]), {"reason": "No"}).status_code == 403
    applicant.refresh_from_db()
    assert applicant.status == User.Status.PENDING


def test_approved_member_can_then_use_the_directory(client, dora, applicant):
    client.force_login(dora)
    client.post(reverse("staff_approve", args=[applicant.pk]))
    client.force_login(applicant)
    assert client.get(reverse("member_directory")).status_code == 200
