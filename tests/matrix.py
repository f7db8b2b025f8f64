"""The permission matrix: roles × visibilities, with what each role may do.

Every surface (a page, a list, a feed, an email) is checked against these
tables in tests/<app>/test_permission_matrix.py, so one table states the policy
and every surface proves it follows it.
"""

from django.test import Client

from members.models import User
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

ROLES = ["anonymous", "pending", "outsider", "member", "banned", "facilitator", "owner", "site_admin"]
VISIBILITIES = ["public", "members_only", "private"]

# May read the community's content (community home, threads, posts).
CAN_READ = {
    "public": set(ROLES),
    "members_only": {"outsider", "member", "facilitator", "owner", "site_admin"},
    "private": {"member", "facilitator", "owner", "site_admin"},
}
# May start threads and reply (in a live community), whatever its visibility.
CAN_POST = {"member", "facilitator", "owner", "site_admin"}
# May moderate: review queue, pin, lock, hide, manage members.
CAN_MODERATE = {"facilitator", "owner", "site_admin"}
# May appoint facilitators and owners.
CAN_MANAGE_ROLES = {"owner", "site_admin"}
# May see who belongs (the members page): the community's active members.
CAN_SEE_MEMBERS = {"member", "facilitator", "owner", "site_admin"}
# May set a community's retention rule, and export it (records app): "site admins and owners".
CAN_EXPORT = {"owner", "site_admin"}


def build_cast(community) -> dict[str, User | None]:
    """One person in each role for `community` (None for the anonymous visitor)."""
    prefix = community.slug.replace("-", "")[:20]

    def person(role: str, **kwargs) -> User:
        return UserFactory(username=f"{prefix}_{role}", display_name=f"{role.title()} of {community.name}", **kwargs)

    cast = {
        "anonymous": None,
        "pending": person("pending", status=User.Status.PENDING),
        "outsider": person("outsider"),
        "site_admin": person("site_admin", is_staff=True, is_superuser=True),
    }
    for role, membership_role, status in [
        ("member", "member", "active"),
        ("banned", "member", "banned"),
        ("facilitator", "facilitator", "active"),
        ("owner", "owner", "active"),
    ]:
        cast[role] = person(role)
        MembershipFactory(community=community, user=cast[role], role=membership_role, status=status)
    return cast


def community_with_cast(visibility: str, **kwargs):
    community = CommunityFactory(
        name=f"Matrix {visibility}", slug=f"matrix-{visibility.replace('_', '-')}", visibility=visibility, **kwargs
    )
    return community, build_cast(community)


def client_as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
