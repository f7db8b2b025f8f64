"""Weeks of demo activity across every demo community (and an archived one), so `make run`
shows a living site; the same seed gives the same world. Written in bulk, not through
post_reply (which would be slow and queue an email per post), rendered by the services'
own function, with PostgreSQL's triggers keeping search vectors and versions."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from communities.models import Community, Membership
from core.markdown import render_markdown
from forums.demo_threads import (
    ARCHIVED_COMMUNITY,
    ARCHIVED_THREADS,
    CLOSINGS,
    FOLLOW_UPS,
    OPENINGS,
    POINTS,
    THREADS,
)
from forums.models import SORT_PATH_WIDTH, HelpfulMark, Post, Thread, ThreadReadState
from forums.rendering import render_post

# Demo logins who have "visited" before: threads quiet for this long are read, newer ones are new to them.
READERS = ["priya", "marcus", "tom", "fiona", "aisha"]
READ_BEFORE = timedelta(days=4)


def seed_activity(people: dict, communities: dict[str, Community]) -> None:
    """Once: a database that already has the archived demo community has all of this."""
    if Community.objects.filter(slug=ARCHIVED_COMMUNITY["slug"]).exists():
        return
    rng = random.Random(21)  # noqa: S311 - demo data, not security
    now = timezone.now()
    archived = _archived_community(people)
    plans = [(communities[slug], specs) for slug, specs in THREADS.items() if slug in communities]
    plans.append((archived, ARCHIVED_THREADS))
    threads, posts, accepted = [], [], {}
    for community, specs in plans:
        members = _member_names(community, people)
        for spec in specs:
            thread, thread_posts, answer = _plan_thread(rng, community, members, people, spec, now)
            threads.append(thread)
            posts.append(thread_posts)
            accepted[len(threads) - 1] = answer
    Thread.objects.bulk_create(threads)
    _insert_posts(threads, posts)
    for index, answer in accepted.items():
        if answer is not None:
            threads[index].accepted_answer_id = answer.pk
    Thread.objects.bulk_update(threads, ["accepted_answer"])
    _tag(threads, [spec for _, specs in plans for spec in specs])
    _mark_helpful(rng, threads, posts, accepted, people)
    _mark_read(threads, people, now)
    Community.objects.filter(pk=archived.pk).update(status=Community.Status.ARCHIVED)
    for community in [c for c, _ in plans]:
        listed = Thread.objects.filter(community=community, is_hidden=False)
        latest = listed.order_by("-last_activity_at").first()
        Community.objects.filter(pk=community.pk).update(
            last_activity_at=latest.last_activity_at, thread_count=listed.count()
        )


def _archived_community(people: dict) -> Community:
    spec = ARCHIVED_COMMUNITY
    summary = spec["summary"]
    # Active while its threads are written; archived at the end of seed_activity.
    community = Community.objects.create(
        name=spec["name"],
        slug=spec["slug"],
        summary=summary,
        description=summary,
        description_html=render_markdown(summary),
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.OPEN,
        created_by=people[spec["owner"]],
        created_at=timezone.now() - timedelta(days=60),
        member_count=1 + len(spec["members"]),
    )
    roles = [(spec["owner"], Membership.Role.OWNER)] + [(name, Membership.Role.MEMBER) for name in spec["members"]]
    Membership.objects.bulk_create(
        Membership(community=community, user=people[name], role=role, joined_at=community.created_at)
        for name, role in roles
    )
    return community


def _member_names(community: Community, people: dict) -> list[str]:
    ids = set(community.memberships.filter(status=Membership.Status.ACTIVE).values_list("user_id", flat=True))
    return sorted(name for name, user in people.items() if user.pk in ids)


def _reply_text(rng: random.Random, slug: str) -> str:
    text = f"{rng.choice(OPENINGS)} {rng.choice(POINTS[slug])}"
    closing = rng.choice(CLOSINGS)
    return f"{text} {closing}" if closing else text


def _plan_thread(rng, community, members, people, spec, now) -> tuple[Thread, list[Post], Post | None]:
    """The thread and its posts, unsaved: each post's `parent` is its parent's place in the list."""
    author, kind, title, body, _tags, replies, answered, days_ago = spec
    started = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
    thread = Thread(
        community=community, author=people[author], title=title, slug=slugify(title)[:200], kind=kind,
        created_at=started, reply_count=replies,
    )  # fmt: skip
    posts = [Post(author=people[author], body=body, depth=0, created_at=started)]
    posts[0].parent_index = None
    others = [name for name in members if name != author] or [author]
    when, answer = started, None
    for step in range(replies):
        # Quick at first, slower later; never in the future.
        when = min(when + timedelta(hours=rng.randint(1, 6 + 4 * step)), now - timedelta(minutes=5 * (replies - step)))
        follow_up = step > 0 and rng.random() < 0.25
        if follow_up:
            parent = rng.choice([i for i in range(1, len(posts)) if posts[i].author.username != author] or [0])
            post = Post(author=people[author], body=rng.choice(FOLLOW_UPS), created_at=when)
        else:
            deeper = [i for i in range(1, len(posts)) if posts[i].depth < 4]
            parent = rng.choice(deeper) if deeper and rng.random() < 0.55 else 0
            post = Post(author=people[rng.choice(others)], body=_reply_text(rng, community.slug), created_at=when)
        post.parent_index, post.depth = parent, posts[parent].depth + 1
        posts.append(post)
        if answered and answer is None and post.depth == 1 and post.author.username != author:
            answer = post
    thread.last_activity_at = posts[-1].created_at
    return thread, posts, answer


def _insert_posts(threads: list[Thread], planned: list[list[Post]]) -> None:
    """Every post in one insert. Ids are taken from the sequence first: a post's tree
    path is made of its ancestors' ids and its own."""
    total = sum(len(posts) for posts in planned)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('forums_post', 'id')) FROM generate_series(1, %s)", [total]
        )
        ids = iter(row[0] for row in cursor.fetchall())
    rows = []
    for thread, posts in zip(threads, planned, strict=True):
        for post in posts:
            post.pk, post.thread = next(ids), thread
            parent = None if post.parent_index is None else posts[post.parent_index]
            post.parent = parent
            segment = str(post.pk).zfill(SORT_PATH_WIDTH)
            post.sort_path = f"{parent.sort_path}.{segment}" if parent else segment
            post.body_html, _ = render_post(post.body)
            rows.append(post)
    Post.objects.bulk_create(rows)


def _tag(threads: list[Thread], specs: list[tuple]) -> None:
    names = {name for spec in specs for name in spec[4]}
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    new = [Tag(name=name, slug=slugify(name)) for name in sorted(names - tags.keys())]
    tags.update({tag.name: tag for tag in Tag.objects.bulk_create(new)})
    kind = ContentType.objects.get_for_model(Thread)
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=tags[name], content_type=kind, object_id=thread.pk)
        for thread, spec in zip(threads, specs, strict=True)
        for name in spec[4]
    )


def _mark_helpful(rng, threads, planned, accepted, people) -> None:
    marks = []
    for index, posts in enumerate(planned):
        answer = accepted.get(index)
        candidates = [post for post in posts[1:] if rng.random() < 0.2]
        for post in {*candidates, *([answer] if answer else [])}:
            voters = [u for u in people.values() if u.pk != post.author_id and u.is_approved]
            for user in rng.sample(voters, rng.randint(1, 3)):
                marks.append(HelpfulMark(post=post, user=user, created_at=post.created_at + timedelta(hours=2)))
    HelpfulMark.objects.bulk_create(marks, ignore_conflicts=True)
    counts: dict[int, int] = {}
    for mark in marks:
        counts[mark.post.pk] = counts.get(mark.post.pk, 0) + 1
    posts = [Post(pk=pk, helpful_count=count) for pk, count in counts.items()]
    Post.objects.bulk_update(posts, ["helpful_count"])


def _mark_read(threads: list[Thread], people: dict, now: datetime) -> None:
    """The demo logins read everything that went quiet a few days ago, so their newest
    threads show as new."""
    memberships = Membership.objects.filter(user__username__in=READERS, status=Membership.Status.ACTIVE).values_list(
        "user_id", "community_id"
    )
    members_of: dict[int, set[int]] = {}
    for user_id, community_id in memberships:
        members_of.setdefault(community_id, set()).add(user_id)
    states = [
        ThreadReadState(user_id=user_id, thread=thread, last_read_at=thread.last_activity_at)
        for thread in threads
        if thread.last_activity_at < now - READ_BEFORE
        for user_id in sorted(members_of.get(thread.community_id, ()))
    ]
    ThreadReadState.objects.bulk_create(states, ignore_conflicts=True)
