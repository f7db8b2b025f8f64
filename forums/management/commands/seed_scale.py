"""A large, deterministic data set for measuring speed (`make bench`), generated or read
from a corpus file (--corpus) shared with the peers; --write-corpus writes one. How
the rows are made: docs/scaling.md, "The data set"; the options: README, "Measuring speed"."""

from __future__ import annotations

import datetime
import html
import random
import time
from collections import defaultdict

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from communities.models import Community, Membership
from forums.management.scale_copy import ScaleRowWriter, versions_paused
from forums.management.scale_corpus import parse_time, read_corpus, write_corpus
from forums.management.scale_text import (
    BIG_THREAD_TITLE,
    FIRST_NAMES,
    LAST_NAMES,
    ORG_KINDS,
    PLACES,
    TOPIC_WEIGHTS,
    TOPICS,
    thread_title,
)
from forums.models import Thread
from members.models import Organisation, User

SLUG_PREFIX = "scale-"
BENCH_USERNAME = "scale.member"
# The home page's bench row: a member of ten communities, as a busy member would be.
TEN_COMMUNITIES_USERNAME = "scale.member10"
PASSWORD = "scale-data-2026"
TITLE_LENGTH = Thread._meta.get_field("title").max_length


def scale_people():
    """The members seed_scale made, in the order it made them (the bench member first)."""
    people = User.objects.filter(email__endswith="@scale.example.gov.uk").exclude(username=TEN_COMMUNITIES_USERNAME)
    return people.order_by("pk")


def member_of_ten_communities() -> User:
    """The member of exactly ten scale communities (the first ten made: public, members-only
    and a private one), made on first use so data sets seeded before it have one too."""
    user, created = User.objects.get_or_create(
        username=TEN_COMMUNITIES_USERNAME,
        defaults={
            "email": f"{TEN_COMMUNITIES_USERNAME}@scale.example.gov.uk",
            "display_name": "Ten Communities",
            "status": User.Status.APPROVED,
            "password": make_password(PASSWORD),
        },
    )
    if created:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        communities = Community.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk")[:10]
        Membership.objects.bulk_create(
            [Membership(community=community, user=user, joined_at=timezone.now()) for community in communities]
        )
    return user


class Command(ScaleRowWriter, BaseCommand):
    help = "Create a large deterministic data set for benchmarks (see `make bench`)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=2000)
        parser.add_argument("--communities", type=int, default=40)
        parser.add_argument("--threads", type=int, default=20000)
        parser.add_argument("--posts", type=int, default=400000)
        parser.add_argument("--big-thread-replies", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if scale data is already there.")
        parser.add_argument(
            "--corpus",
            metavar="FILE",
            help="Load the threads from this corpus file (--threads and --posts are ignored).",
        )
        parser.add_argument("--write-corpus", metavar="FILE", help="Write the scale threads to this corpus file.")

    def handle(self, *args, **opts):
        if opts["if_missing"] and Community.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            self.stdout.write("Scale data already present.")
        else:
            self._seed(opts)
        if opts["write_corpus"]:
            communities = Community.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk")
            threads, posts = write_corpus(
                opts["write_corpus"],
                communities=list(communities.values_list("pk", flat=True)),
                people=list(scale_people().values_list("pk", flat=True)),
            )
            self.stdout.write(f"Wrote {threads} threads and {posts} posts to {opts['write_corpus']}.")

    def _seed(self, opts) -> None:
        if opts["posts"] < opts["threads"] + opts["big_thread_replies"]:
            opts["posts"] = opts["threads"] + opts["big_thread_replies"]
        # Every other thread is smaller than the big one.
        most = opts["threads"] + opts["big_thread_replies"] + (opts["threads"] - 1) * (opts["big_thread_replies"] - 1)
        if not opts["corpus"] and opts["posts"] > most:
            raise CommandError(f"{opts['threads']} threads hold at most {most} posts with this big thread.")
        self.rng = random.Random(opts["seed"])
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        started = time.monotonic()
        with transaction.atomic(), versions_paused():
            people = self._people(opts["members"])
            communities = self.communities = self._communities(opts["communities"], people)
            members_of = self._memberships(communities, people)
            if opts["corpus"]:
                thread_rows, post_rows = self._loaded_forums(opts["corpus"], communities, people)
            else:
                thread_rows, post_rows = self._generated_forums(opts, communities, members_of)
            self._insert(thread_rows, post_rows, flat=bool(opts["corpus"]))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        took = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Scale data ready in {took:.0f} s: {len(post_rows)} posts."))

    def _people(self, count: int) -> list[User]:
        rng = self.rng
        orgs = Organisation.objects.bulk_create(
            [Organisation(name=f"Scale {pattern.format(place)}", kind=kind, region=place) for place in PLACES
             for pattern, kind in ORG_KINDS],
            ignore_conflicts=True,
        )  # fmt: skip
        orgs = list(Organisation.objects.filter(name__startswith="Scale ").order_by("pk"))
        password = make_password(PASSWORD)
        people = []
        for n in range(count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            username = BENCH_USERNAME if n == 0 else f"{slugify(first)}.{slugify(last)}{n}"
            people.append(
                User(
                    username=username,
                    email=f"{username}@scale.example.gov.uk",
                    display_name=f"{first} {last}",
                    status=User.Status.APPROVED,
                    organisation=rng.choice(orgs),
                    password=password,
                    date_joined=self.now - datetime.timedelta(days=rng.randint(30, 1100)),
                )
            )
        people = User.objects.bulk_create(people, batch_size=2000)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people], batch_size=2000
        )
        return people

    def _communities(self, count: int, people: list[User]) -> list[Community]:
        visibility = [Community.Visibility.PUBLIC] * 6 + [Community.Visibility.MEMBERS_ONLY] * 3
        visibility += [Community.Visibility.PRIVATE]
        policies = [Community.JoinPolicy.OPEN, Community.JoinPolicy.REQUEST, Community.JoinPolicy.INVITE]
        communities = []
        for n in range(count):
            topic = TOPICS[n % len(TOPICS)]
            name = f"{topic[0].upper()}{topic[1:]} network {n + 1}"
            communities.append(
                Community(
                    name=name,
                    slug=f"{SLUG_PREFIX}{slugify(name)}",
                    summary=f"Sharing what works in {topic} across the public sector.",
                    description=f"Ask about {topic}.",
                    description_html=f"<p>Ask about {html.escape(topic)}.</p>",
                    visibility=visibility[n % len(visibility)],
                    join_policy=policies[n % 3],
                    created_by=people[n % len(people)],
                    created_at=self.now - datetime.timedelta(days=1200),
                )
            )
        return Community.objects.bulk_create(communities)

    def _memberships(self, communities, people) -> dict[int, list[User]]:
        """Everyone joins a few communities; the bench member joins many, private ones included."""
        rng = self.rng
        rows, members_of = {}, defaultdict(list)
        for index, community in enumerate(communities):
            for offset, role in enumerate([Membership.Role.OWNER, Membership.Role.FACILITATOR]):
                rows[(community.pk, people[(index * 7 + offset + 1) % len(people)].pk)] = (role, "active")
        for index, person in enumerate(people):
            joined = communities if index == 0 else rng.sample(communities, min(len(communities), rng.randint(2, 8)))
            for community in joined:
                roll = rng.random()
                status = Membership.Status.BANNED if roll < 0.005 else "pending" if roll < 0.02 else "active"
                rows.setdefault((community.pk, person.pk), (Membership.Role.MEMBER, status))
        by_pk = {p.pk: p for p in people}
        memberships = []
        for (community_pk, user_pk), (role, status) in rows.items():
            joined_at = self.now - datetime.timedelta(days=rng.randint(1, 1000))
            memberships.append(
                Membership(community_id=community_pk, user_id=user_pk, role=role, status=status, joined_at=joined_at)
            )
            if status == "active":
                members_of[community_pk].append(by_pk[user_pk])
        Membership.objects.bulk_create(memberships, batch_size=5000)
        for community in communities:
            community.member_count = len(members_of[community.pk])
        return members_of

    def _thread_sizes(self, opts) -> list[int]:
        """Replies per thread: the first thread has the big-thread count, the rest share the remainder."""
        rng, threads = self.rng, opts["threads"]
        remaining = opts["posts"] - threads - opts["big_thread_replies"]
        weights = [rng.expovariate(1.0) for _ in range(threads - 1)]
        total = sum(weights) or 1.0
        sizes = [min(int(w / total * remaining), opts["big_thread_replies"] - 1) for w in weights]
        short = remaining - sum(sizes)
        while short > 0:
            i = rng.randrange(len(sizes))
            if sizes[i] < opts["big_thread_replies"] - 1:
                sizes[i] += 1
                short -= 1
        return [opts["big_thread_replies"], *sizes]

    def _generated_forums(self, opts, communities, members_of) -> tuple[list, list]:
        """Threads as (community, author, title, topic, start, hidden) and posts as
        [time, thread index, place in thread, author, body or None to generate it]."""
        rng = self.rng
        public = [c for c in communities if c.visibility == Community.Visibility.PUBLIC]
        sizes = self._thread_sizes(opts)
        span = datetime.timedelta(days=1000).total_seconds()
        thread_rows, post_rows = [], []
        for index, replies in enumerate(sizes):
            community = public[0] if index == 0 else rng.choice(communities)
            people = members_of[community.pk] or [None]
            topic = rng.choices(TOPICS, TOPIC_WEIGHTS)[0]
            title = BIG_THREAD_TITLE if index == 0 else thread_title(rng, topic)
            started = self.now - datetime.timedelta(seconds=rng.random() * span)
            hidden = index > 0 and rng.random() < 0.01
            thread_rows.append((community, rng.choice(people), title, topic, started, hidden))
            moment = started
            for reply in range(replies + 1):
                if reply:
                    moment = min(moment + datetime.timedelta(minutes=rng.expovariate(1 / 240)), self.now)
                post_rows.append([moment, index, reply, rng.choice(people), None])
        return thread_rows, post_rows

    def _loaded_forums(self, path: str, communities, people) -> tuple[list, list]:
        """The same rows as _generated_forums, from a corpus file; a thread is tagged
        with its community's topic."""
        rng = self.rng
        thread_rows, post_rows = [], []
        for thread in read_corpus(path):
            posts = thread["posts"]
            if not posts:
                continue
            index = len(thread_rows)
            category = thread["category"] % len(communities)
            started = parse_time(posts[0]["created"])
            author = people[posts[0]["author"] % len(people)]
            title = thread["title"][:TITLE_LENGTH]
            hidden = rng.random() < 0.01
            thread_rows.append((communities[category], author, title, TOPICS[category % len(TOPICS)], started, hidden))
            for reply, post in enumerate(posts):
                moment = parse_time(post["created"])
                post_rows.append([moment, index, reply, people[post["author"] % len(people)], post["body"]])
        return thread_rows, post_rows
