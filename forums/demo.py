"""Demo discussions: the questions a council press office or an NHS comms team
actually asks, answered in threads, through the real services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from communities.models import Community, Membership
from forums.demo_activity import seed_activity
from forums.models import Post, Thread
from forums.services import answer_accept, helpful_mark, post_reply, thread_start

Q, D, A = Thread.Kind.QUESTION, Thread.Kind.DISCUSSION, Thread.Kind.ANNOUNCEMENT

# Each thread: (author, kind, title, body, tags, replies, options). A reply is
# (key, author, body, parent key or None). Options: accepted (a reply key), pinned,
# locked (a reason), helpful ({reply key: [usernames]}), days_ago.
DISCUSSIONS: dict[str, list[tuple]] = {
    "social-media-and-digital-engagement": [
        (
            "marcus",
            A,
            "Social media surgery: Thursday 2pm, bring your tricky posts",
            "Our monthly **social media surgery** is on Thursday at 2pm on Teams.\n\n"
            "Bring a post you are unsure about, a tool question or a thorny comment thread. "
            "Reply here with what you would like to cover and I will put an agenda together.",
            ["surgeries"],
            [
                ("r1", "lucy", "Could we cover LinkedIn company pages? Ours has gone very quiet.", None),
                ("r2", "marcus", "Good shout, @lucy. I will ask someone from a trust that turned theirs round.", "r1"),
            ],
            {"pinned": True, "days_ago": 12},
        ),
        (
            "priya",
            Q,
            "How are you handling comments on your Facebook page during the election period?",
            "We go into the pre-election period next week. Last time we had candidates' supporters "
            "arguing under every post about bin collections.\n\n"
            "- Do you turn comments off completely?\n- Hide them case by case?\n"
            "- Anything in your social media policy you can share?\n\nThanks in advance.",
            ["elections", "facebook", "social media policy"],
            [
                (
                    "r1",
                    "tom",
                    "We limit who can comment on posts that mention services councillors have campaigned on, "
                    "and we pin a short house-rules comment to every post. Our policy says we stay politically "
                    "neutral, and we link to it from the page's About section.",
                    None,
                ),
                (
                    "r2",
                    "aisha",
                    "Same as Tom. We also agreed in advance with legal which comments we hide and which we leave, "
                    "so duty officers do not have to make judgement calls at 9pm.",
                    "r1",
                ),
                (
                    "r3",
                    "priya",
                    "That pre-agreement with legal is a great idea. Did you write it down as a flowchart?",
                    "r2",
                ),
                ("r4", "aisha", "A one-page table: type of comment, action, who decides. Happy to share it.", "r3"),
                (
                    "r5",
                    "morag",
                    "We turned comments off entirely for six weeks. Engagement dropped, but so did complaints. "
                    "I would not do it again for a longer period.",
                    None,
                ),
            ],
            {"accepted": "r1", "helpful": {"r1": ["priya", "morag"], "r2": ["priya"]}, "days_ago": 6},
        ),
        (
            "hannah",
            Q,
            "Which social media scheduling tool are you using now?",
            "Our contract is up for renewal. We post to Facebook, Instagram, LinkedIn and Bluesky, "
            "and need approval workflows for a team of six. What are you using, and what does it cost?",
            ["scheduling tools", "procurement"],
            [
                (
                    "r1",
                    "lucy",
                    "We moved to a cheaper tool last year. Approvals are fine, but the reporting is weak, "
                    "so we export to a spreadsheet every month.",
                    None,
                ),
                ("r2", "tom", "Worth checking the G-Cloud framework before you go out to quote.", None),
            ],
            {"days_ago": 3},
        ),
    ],
    "crisis-and-emergency-communications": [
        (
            "fiona",
            A,
            "Read first: how we share live incident information here",
            "This community is for members only. Do not post anything that identifies people involved "
            "in a live incident. If in doubt, talk to a facilitator first.",
            ["guidance"],
            [],
            {"pinned": True, "locked": "Guidance for the community: ask questions in a new thread", "days_ago": 30},
        ),
        (
            "dave",
            Q,
            "Flood warnings: who sends what, and when?",
            "During last winter's floods we, the Environment Agency and the fire service all posted "
            "slightly different advice within an hour. How do you agree who leads on warnings?",
            ["floods", "multi-agency"],
            [
                (
                    "r1",
                    "fiona",
                    "Through the local resilience forum's warning and informing group. We agreed that the "
                    "Environment Agency leads on flood warnings and everyone else **shares** rather than "
                    "rewrites them. One message, many channels.",
                    None,
                ),
                (
                    "r2",
                    "gareth",
                    "We keep pre-approved holding statements for each warning level, so the first post goes "
                    "out within 15 minutes.",
                    "r1",
                ),
                ("r3", "hannah", "Do you include translated versions in the holding statements?", "r2"),
                ("r4", "gareth", "Welsh always; other languages for the top five in our area.", "r3"),
            ],
            {"accepted": "r1", "helpful": {"r1": ["dave", "tom"], "r2": ["dave"]}, "days_ago": 9},
        ),
        (
            "tom",
            D,
            "School closures in snow: what worked this year",
            "We tried a single live list of closed schools on our website instead of posting each one. "
            "Traffic held up fine and the phones were quieter. What did others try?",
            ["severe weather", "schools"],
            [("r1", "marcus", "We did the same and linked to it from a pinned post on every channel.", None)],
            {"days_ago": 2},
        ),
    ],
    "internal-communications": [
        (
            "gareth",
            Q,
            "Getting frontline staff to read the intranet",
            "Most of our staff are not at a desk. Open rates on the staff bulletin are under 20%. "
            "What has worked for you?",
            ["intranet", "staff engagement"],
            [
                (
                    "r1",
                    "aisha",
                    "Printed one-page briefings in depots and a WhatsApp-style staff app. Team leaders "
                    "read the key message out at the start of each shift.",
                    None,
                ),
                ("r2", "morag", "Short videos from the chief executive did better than anything written.", "r1"),
            ],
            {"accepted": "r1", "days_ago": 8},
        ),
        (
            "priya",
            D,
            "Leadership messages during a restructure",
            "How often do your senior leaders write to all staff while a restructure is going on? "
            "We are trying to balance 'too quiet' with 'nothing new to say'.",
            ["change communications"],
            [("r1", "aisha", "Weekly, even when the update is 'no update yet'. Silence breeds rumours.", None)],
            {"days_ago": 4},
        ),
    ],
    "local-government-press-officers": [
        (
            "priya",
            Q,
            "Responding to an FOI request about our comms spend",
            "We have had an FOI asking for the cost of every paid social media campaign over three years. "
            "Has anyone published this proactively, and how did you present it?",
            ["foi", "transparency"],
            [
                (
                    "r1",
                    "tom",
                    "We publish a quarterly table on our transparency page now. It cut the FOIs and the "
                    "story ran once, not every quarter.",
                    None,
                ),
                ("r2", "aisha", "Include what each campaign achieved, not just the cost.", "r1"),
            ],
            {"accepted": "r1", "days_ago": 5},
        ),
        (
            "aisha",
            D,
            "Press release templates: still worth it?",
            "Journalists tell us they mostly want a short statement and a named spokesperson. "
            "Are you still writing full press releases for everything?",
            ["media relations", "press releases"],
            [("r1", "priya", "Only for good-news stories. Reactive lines go out as statements.", None)],
            {"days_ago": 1},
        ),
    ],
    "nhs-communications": [
        (
            "hannah",
            Q,
            "Winter vaccination campaign: evaluation beyond reach",
            "Our board wants to know whether the campaign changed anything. Uptake data lags by weeks. "
            "What proxy measures do you report?",
            ["campaigns", "evaluation", "vaccination"],
            [
                (
                    "r1",
                    "morag",
                    "Bookings through the link in our posts, by day, against the national booking data. "
                    "Not perfect, but the board understands it.",
                    None,
                ),
                ("r2", "marcus", "We also ran a short survey at clinics: 'where did you hear about this?'", "r1"),
            ],
            {"accepted": "r1", "days_ago": 7},
        ),
    ],
    "accessible-and-plain-english-content": [
        (
            "hannah",
            A,
            "Alt text guidance: our community's short version",
            "1. Say what the image is **for**, not just what it shows.\n2. Keep it short.\n"
            "3. Do not start with 'image of'.\n4. Put text from the image in the alt text or the post.\n\n"
            "Add your own tips below.",
            ["alt text", "guidance"],
            [("r1", "lucy", "For charts, give the key finding in the alt text and link to the data.", None)],
            {"pinned": True, "days_ago": 20},
        ),
        (
            "dave",
            Q,
            "Alt text for a map of road closures?",
            "We post road closure maps during events. What do you put in the alt text for a map "
            "with a dozen closed roads?",
            ["alt text", "maps"],
            [
                (
                    "r1",
                    "hannah",
                    "List the closures in the post itself and keep the alt text to what the map is for: "
                    "'Map of road closures in the town centre on Saturday. The closed roads are listed "
                    "in the post.'",
                    None,
                ),
                ("r2", "gareth", "And link to a text version on the website for screen reader users.", "r1"),
            ],
            {"accepted": "r1", "helpful": {"r1": ["dave", "priya", "lucy"]}, "days_ago": 5},
        ),
        (
            "priya",
            D,
            "Plain English words you have banned",
            "We have banned 'going forward', 'stakeholders' and 'utilise'. What is on your list?",
            ["plain english"],
            [
                ("r1", "lucy", "'Deliver' unless it is post. 'Robust' always.", None),
                ("r2", "gareth", "'Engage' when we mean 'talk to'.", "r1"),
            ],
            {"days_ago": 2},
        ),
    ],
    "police-media-and-live-incidents": [
        (
            "dave",
            Q,
            "Holding lines for a live incident before gold command signs off",
            "How much can you say in the first 30 minutes without sign-off? Our current process "
            "means nothing goes out for an hour and social media fills the gap.",
            ["live incidents", "sign-off"],
            [
                (
                    "r1",
                    "fiona",
                    "We have three pre-approved holding lines the duty press officer can use straight away: "
                    "we are aware, we are responding, avoid the area. Everything else needs sign-off.",
                    None,
                )
            ],
            {"accepted": "r1", "days_ago": 10},
        ),
    ],
    "campaign-evaluation": [
        (
            "lucy",
            Q,
            "An evaluation framework your finance team will accept",
            "Which evaluation framework do you use for campaign reports to finance? We use the GCS "
            "framework for big campaigns but it feels heavy for small ones.",
            ["evaluation", "gcs framework"],
            [
                (
                    "r1",
                    "gareth",
                    "We use a one-page version for anything under £5,000: objective, audience, outputs, "
                    "one outcome measure, what we would change.",
                    None,
                ),
                ("r2", "aisha", "Could you share the one-pager? We would love to borrow it.", "r1"),
            ],
            {"accepted": "r1", "days_ago": 4},
        ),
    ],
}


def _welcome(community: Community) -> list[tuple]:
    """For any other demo community: a welcome from its facilitator."""
    lead = (
        community.memberships.filter(
            status=Membership.Status.ACTIVE, role__in=[Membership.Role.OWNER, Membership.Role.FACILITATOR]
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    if lead is None:
        return []
    body = f"Welcome to {community.name}. Introduce yourself below and tell us what you are working on."
    return [(lead.user, A, f"Welcome to {community.name}", body, [], [], {"pinned": True})]


def _age(thread: Thread, days_ago: int) -> None:
    """Spread the thread over the past few days, so lists and times look lived in."""
    start = timezone.now() - timedelta(days=days_ago)
    posts = list(thread.posts.order_by("pk"))
    for step, post in enumerate(posts):
        Post.objects.filter(pk=post.pk).update(created_at=start + timedelta(hours=3 * step))
    last = start + timedelta(hours=3 * max(len(posts) - 1, 0))
    Thread.objects.filter(pk=thread.pk).update(created_at=start, last_activity_at=last)


def _seed_thread(community: Community, people: dict, spec: tuple) -> None:
    author, kind, title, body, tags, replies, options = spec
    user = people.get(author) if isinstance(author, str) else author
    if user is None:
        return
    thread = thread_start(community=community, author=user, title=title, body=body, kind=kind, tags=tags)
    posted: dict[str, Post] = {}
    for key, replier, text, parent_key in replies:
        if replier not in people:
            continue
        posted[key] = post_reply(thread=thread, author=people[replier], body=text, parent=posted.get(parent_key))
    for key, usernames in options.get("helpful", {}).items():
        for username in usernames:
            if key in posted and username in people and posted[key].author_id != people[username].pk:
                helpful_mark(post=posted[key], user=people[username])
    accepted = posted.get(options.get("accepted", ""))
    if accepted is not None and accepted.status == Post.Status.PUBLISHED:
        answer_accept(thread=thread, post=accepted, by=user)
    # Seeded as they have always been: pinning and locking through moderation's thread
    # actions would log them, and forums does not import moderation.
    if options.get("pinned"):
        Thread.objects.filter(pk=thread.pk).update(is_pinned=True)
    if options.get("locked"):
        Thread.objects.filter(pk=thread.pk).update(is_locked=True, lock_reason=options["locked"])
    _age(thread, options.get("days_ago", 1))


def seed_discussions(people: dict, communities: dict[str, Community]) -> None:
    """Threads in every demo community; a community that already has threads is left alone."""
    for slug, community in communities.items():
        if community.status != Community.Status.ACTIVE or Thread.objects.filter(community=community).exists():
            continue
        for spec in DISCUSSIONS.get(slug) or _welcome(community):
            _seed_thread(community, people, spec)
        latest = Thread.objects.filter(community=community).order_by("-last_activity_at").first()
        if latest is not None:
            Community.objects.filter(pk=community.pk).update(last_activity_at=latest.last_activity_at)
    # Then weeks of activity on top, so the site looks lived in.
    seed_activity(people, communities)
