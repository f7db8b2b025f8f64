"""Demo moderation: pre-moderation paused while the forums demo writes its
discussions, then every community on the default settings, one post waiting for
approval and one open report in "Social media and digital engagement" for Marcus to
deal with, and a few entries in the moderation log. Idempotent."""

from __future__ import annotations

from communities.models import Community, Membership
from forums.models import Post, Thread
from forums.services import post_reply, thread_start
from moderation import member_actions, services
from moderation.models import CommunityModerationSettings, Flag, MemberSanction

COMMUNITY = "social-media-and-digital-engagement"
THREAD_TITLE = "Out-of-hours cover for council social media accounts"
OPENING = (
    "We're reviewing who covers our main social accounts in the evenings and at weekends, "
    "especially during severe weather warnings.\n\n"
    "Do you run a formal rota, rely on the press office on-call, or just switch notifications on "
    "for a couple of people? How do you handle overtime?"
)
FLAGGED_REPLY = (
    "We use a rota of four. If anyone wants to compare notes, ring our duty officer Jo directly "
    "on 07700 900461, or her home number is 01632 960 112."
)
HELD_REPLY = (
    "Hello all, I've just joined. At Citizens Advice we use a shared inbox in our scheduling tool and "
    "one person checks it at 8pm. Happy to share our simple guidance note if it helps."
)


def _facilitator(community: Community):
    membership = (
        community.memberships.filter(
            status=Membership.Status.ACTIVE, role__in=[Membership.Role.OWNER, Membership.Role.FACILITATOR]
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return membership.user if membership else None


_paused: set[int] = set()


def pause_premoderation(communities: dict[str, Community]) -> None:
    """Before the forums demo writes its discussions: communities that have not chosen
    settings yet hold nothing, so the demo's first posts appear. seed_moderation puts
    the default back afterwards."""
    for community in communities.values():
        _, created = CommunityModerationSettings.objects.get_or_create(
            community=community, defaults={"hold_first_posts": 0}
        )
        if created:
            _paused.add(community.pk)


def seed_moderation(people: dict, communities: dict[str, Community]) -> None:
    default = CommunityModerationSettings.DEFAULT_HOLD_FIRST_POSTS
    for community in communities.values():
        chosen, _ = CommunityModerationSettings.objects.get_or_create(community=community)
        if community.pk in _paused:
            chosen.hold_first_posts = default
            chosen.save(update_fields=["hold_first_posts"])
    _paused.clear()
    if Thread.objects.filter(community__slug=COMMUNITY, title=THREAD_TITLE).exists():
        return
    community = communities.get(COMMUNITY) or Community.objects.filter(slug=COMMUNITY).first()
    if community is None:
        return
    marcus, tom, priya, lucy = (people[name] for name in ("marcus", "tom", "priya", "lucy"))
    thread = thread_start(community=community, author=marcus, title=THREAD_TITLE, body=OPENING)
    flagged = post_reply(thread=thread, author=tom, body=FLAGGED_REPLY)
    if flagged.status == Post.Status.HELD:
        services.post_approve(post=flagged, actor=marcus)
    services.flag_create(
        post=flagged,
        reporter=priya,
        reason=Flag.Reason.PERSONAL_DATA,
        note="This shares a colleague's personal mobile and home numbers.",
    )
    if not MemberSanction.objects.in_force().filter(community=community, user=lucy).exists():
        member_actions.member_premoderate(
            community=community,
            user=lucy,
            actor=marcus,
            reason="New to the community: your first few posts are checked before they appear.",
        )
    post_reply(thread=thread, author=lucy, body=HELD_REPLY)
