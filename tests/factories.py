"""factory-boy factories for the test cast and data."""

import factory
from allauth.account.models import EmailAddress
from django.test import RequestFactory
from django.utils import timezone

from core import once
from forums.counters import counts_refresh
from forums.models import SORT_PATH_WIDTH, Post, Thread
from forums.rendering import render_post
from forums.services import post_reply, thread_start
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
    """A thread made through the real service, its rules and all: `author` must be a
    member who may post in `community` (write_thread sets up what the rules refuse)."""
    return thread_start(community=community, author=author, title=title, body=body, **kw)


def make_reply(*, thread, author, body="We hide them and reply by message.", parent=None):
    """A reply made through the real service, its rules and all."""
    return post_reply(thread=thread, author=author, body=body, parent=parent)


def write_thread(*, community, author, title="Written outside the rules", body="Any tips?") -> Thread:
    """A published thread written straight into the tables, for a state the posting
    rules refuse to make (a post by someone who may not post there). No rule is asked
    and nothing is announced; the counters are kept, as every write keeps them."""
    now = timezone.now()
    thread = Thread.objects.create(
        community=community, author=author, title=title, created_at=now, last_activity_at=now
    )
    post = Post.objects.create(thread=thread, author=author, body=body, body_html=render_post(body)[0], created_at=now)
    post.sort_path = str(post.pk).zfill(SORT_PATH_WIDTH)
    post.save(update_fields=["sort_path"])
    counts_refresh(communities=[community])
    return thread


def form_token(user) -> str:
    """A fresh one-time token for a form that creates something, as its page gives it to
    `user` (core.once): tests that post such a form send it as "form_token"."""
    request = RequestFactory().get("/")
    request.user = user
    return once.issue(request)
