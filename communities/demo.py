"""Demo communities of every visibility and join policy, with members."""

import secrets
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from communities.invitation_services import hash_token
from communities.models import Community, Invitation, Membership
from core.markdown import render_markdown

V, J = Community.Visibility, Community.JoinPolicy

# name, summary, visibility, join policy, owner, facilitators, members, topics
COMMUNITIES = [
    (
        "Social media and digital engagement",
        "Running official social media accounts, surgeries and new tools.",
        V.PUBLIC,
        J.OPEN,
        "marcus",
        [],
        ["priya", "tom", "aisha", "morag", "hannah", "lucy", "rachel", "becky", "jordan", "nadia", "oliver", "ellie"]
        + ["claire", "mike", "zara", "owen", "grace"],
        ["social media", "digital"],
    ),
    (
        "Crisis and emergency communications",
        "Floods, storms, school closures: warning and informing the public.",
        V.MEMBERS_ONLY,
        J.OPEN,
        "fiona",
        ["marcus"],
        ["dave", "hannah", "tom", "gareth", "iain", "jordan", "nadia", "kirsty", "ben", "becky", "rachel"],
        ["crisis", "emergencies"],
    ),
    (
        "Internal communications",
        "Staff engagement, intranets and leadership messages.",
        V.PUBLIC,
        J.OPEN,
        "aisha",
        [],
        ["priya", "gareth", "morag", "sian", "zara", "raj", "claire", "ellie"],
        ["internal comms"],
    ),
    (
        "Local government press officers",
        "Media relations for councils. Private to council comms teams.",
        V.PRIVATE,
        J.REQUEST,
        "tom",
        [],
        ["priya", "aisha", "rachel", "iain", "becky", "mike", "owen", "claire"],
        ["media relations", "local government"],
    ),
    (
        "NHS communications",
        "Comms for NHS trusts, boards and integrated care systems.",
        V.MEMBERS_ONLY,
        J.REQUEST,
        "morag",
        ["marcus"],
        ["hannah", "raj", "zara"],
        ["nhs"],
    ),
    (
        "Accessible and plain-English content",
        "Alt text, plain English, accessible documents and video.",
        V.PUBLIC,
        J.OPEN,
        "hannah",
        [],
        ["priya", "lucy", "gareth", "dave", "sian", "claire", "kirsty", "ellie", "grace"],
        ["accessibility", "plain english"],
    ),
    (
        "Police media and live incidents",
        "Handling live incidents and media for police forces. Invitation only.",
        V.PRIVATE,
        J.INVITE,
        "fiona",
        [],
        ["dave", "jordan"],
        ["police", "live incidents"],
    ),
    (
        "Campaign evaluation",
        "Measuring what campaigns achieved, beyond reach and impressions.",
        V.MEMBERS_ONLY,
        J.OPEN,
        "gareth",
        [],
        ["aisha", "lucy", "grace", "becky", "kirsty", "raj", "ben", "oliver"],
        ["evaluation", "campaigns"],
    ),
]

GUIDELINES = """Be kind and assume good intent.
Do not share personal data about members of the public.
Search before you ask: someone may already have answered."""


def seed_communities(people: dict) -> dict[str, Community]:
    communities = {}
    for name, summary, visibility, policy, owner, facilitators, members, topics in COMMUNITIES:
        community, created = Community.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "summary": summary,
                "description": f"{summary}\n\nAsk questions, share what worked, and help each other.",
                "description_html": render_markdown(
                    f"{summary}\n\nAsk questions, share what worked, and help each other."
                ),
                "guidelines": GUIDELINES,
                "guidelines_html": render_markdown(GUIDELINES),
                "visibility": visibility,
                "join_policy": policy,
                "created_by": people[owner],
            },
        )
        if created:
            community.topics.add(*topics)
        roles = [(owner, Membership.Role.OWNER)]
        roles += [(f, Membership.Role.FACILITATOR) for f in facilitators]
        roles += [(m, Membership.Role.MEMBER) for m in members]
        for username, role in roles:
            Membership.objects.get_or_create(
                community=community,
                user=people[username],
                defaults={"role": role, "status": Membership.Status.ACTIVE, "joined_at": community.created_at},
            )
        community.member_count = community.memberships.filter(status=Membership.Status.ACTIVE).count()
        community.save(update_fields=["member_count"])
        communities[community.slug] = community
    _seed_membership_work(people, communities)
    return communities


PROPOSAL = {
    "name": "Pre-election period communications",
    "summary": "What councils can and cannot say during the pre-election period, and handling comments.",
    "description": "For council and police comms teams working through local, mayoral and general elections: "
    "publicity rules, social media comments, candidate enquiries and purdah-proof campaigns.",
}


def _seed_membership_work(people: dict, communities: dict) -> None:
    """Something for facilitators and site admins to do: a request waiting for an
    answer, an outstanding invitation, and a proposal awaiting approval."""
    nhs = communities["nhs-communications"]
    Membership.objects.get_or_create(
        community=nhs, user=people["gareth"], defaults={"status": Membership.Status.PENDING}
    )
    police = communities["police-media-and-live-incidents"]
    now = timezone.now()
    if not Invitation.objects.filter(community=police, email="ops.comms@northumbria.police.uk").exists():
        # The token is thrown away: in the demo, use "Resend" to get a working link.
        Invitation.objects.create(
            community=police,
            email="ops.comms@northumbria.police.uk",
            name="Chris Dunn",
            token_hash=hash_token(secrets.token_urlsafe(32)),
            invited_by=people["fiona"],
            sent_at=now - timedelta(days=2),
            expires_at=now + timedelta(days=Invitation.VALID_FOR_DAYS - 2),
        )
    Community.objects.get_or_create(
        slug=slugify(PROPOSAL["name"]),
        defaults={
            **PROPOSAL,
            "description_html": render_markdown(PROPOSAL["description"]),
            "visibility": V.MEMBERS_ONLY,
            "join_policy": J.OPEN,
            "status": Community.Status.PROPOSED,
            "created_by": people["priya"],
            "member_count": 0,
        },
    )


def recount_communities() -> None:
    for community in Community.objects.annotate(n=Count("threads")):
        Community.objects.filter(pk=community.pk).update(thread_count=community.n)
