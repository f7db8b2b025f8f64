"""factory-boy factories for the test cast and data."""

import factory
from allauth.account.models import EmailAddress
from django.test import RequestFactory

from core import once
from members.models import Organisation, OrganisationDomain, User

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    kind = Organisation.Kind.LOCAL_AUTHORITY
    region = "South East"


class OrganisationDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDomain

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.Sequence(lambda n: f"borough{n}.gov.uk")


class UserFactory(factory.django.DjangoModelFactory):
    """An approved member whose email address is verified."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    display_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    status = User.Status.APPROVED
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "communities.Community"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    summary = "A place to help each other."
    visibility = "public"
    join_policy = "open"
    status = "active"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "communities.Membership"

    community = factory.SubFactory(CommunityFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"
    status = "active"


def make_thread(*, community, author, title="How are you handling election-period comments?", body="Any tips?", **kw):
    """A thread made through the real service, as the site makes them. Fixtures write
    history whoever wrote it, so the posting rules (tested on their own in
    tests/forums/test_posting_rules.py) are not asked."""
    from forums.services import thread_start

    kw.setdefault("enforce_rules", False)
    return thread_start(community=community, author=author, title=title, body=body, **kw)


def make_reply(*, thread, author, body="We hide them and reply by message.", parent=None):
    from forums.services import post_reply

    return post_reply(thread=thread, author=author, body=body, parent=parent, enforce_rules=False)


def form_token(user) -> str:
    """A fresh one-time token for a form that creates something, as its page gives it to
    `user` (core.once): tests that post such a form send it as "form_token"."""
    request = RequestFactory().get("/")
    request.user = user
    return once.issue(request)
