"""Sign-up through single sign-on, and the demo members."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import user_signed_up

from members.demo import seed_members
from members.models import User
from members.selectors import approval_queue

pytestmark = pytest.mark.django_db


def test_sign_up_with_an_already_verified_council_address_is_approved(rf):
    member = User.objects.create_user(username="sso", email="sso@kent.gov.uk")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    user_signed_up.send(sender=User, request=rf.get("/"), user=member)
    member.refresh_from_db()
    assert member.status == User.Status.APPROVED


def test_sign_up_with_an_unverified_address_waits_for_verification(rf):
    member = User.objects.create_user(username="new", email="new@kent.gov.uk")
    EmailAddress.objects.create(user=member, email=member.email, verified=False, primary=True)
    user_signed_up.send(sender=User, request=rf.get("/"), user=member)
    member.refresh_from_db()
    assert member.status == User.Status.PENDING


def test_demo_members_have_profiles_and_a_pending_applicant_and_seeding_twice_is_safe():
    seed_members()
    people = seed_members()
    priya = people["priya"]
    assert priya.job_title == "Press officer"
    assert priya.region == "East of England"
    assert "<strong>election-period</strong>" in priya.bio_html
    assert "media relations" in priya.expertise.names()
    assert [member.username for member in approval_queue()] == ["jo"]
    assert User.objects.filter(username="jo").count() == 1
