"""A large, deterministic data set for measuring speed (`make bench`).

Everything comes from one seeded random generator, so two runs with the same
options make the same people, communities, threads and posts. Rows go in with
bulk inserts (bulk_create for people, communities and threads; COPY for posts),
and the denormalised counters (reply counts, thread and member counts, last
activity) are computed while generating, so they agree with the rows.

With --corpus FILE the threads come from a corpus file (forums/management/scale_corpus.py)
instead: titles, bodies, authors, dates and communities, so CommsNet holds the same text
as the peers it is compared with. Authors and communities are numbered modulo the
members and communities made here, as the peers' seed.py --corpus does. The file has no
reply tree (the peers' threads are flat), so every reply answers the opening post.
Everything else (who belongs where, statuses, tags, accepted answers) is made as usual.
--write-corpus FILE writes the scale threads in the same format, for the peers to load.
"""

from __future__ import annotations

import datetime
import html
import io
import random
import time
from collections import defaultdict
from contextlib import contextmanager

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from communities.models import Community, Membership
from forums.management.scale_corpus import parse_time, read_corpus, write_corpus
from forums.management.scale_text import (
    BIG_THREAD_TITLE,
    FIRST_NAMES,
    LAST_NAMES,
    ORG_KINDS,
    PLACES,
    TOPIC_WEIGHTS,
    TOPICS,
    body_html,
    post_body,
    thread_title,
)
from forums.models import SORT_PATH_WIDTH, Post, Thread
from members.models import Organisation, User

SLUG_PREFIX = "scale-"
BENCH_USERNAME = "scale.member"
# The home page's bench row: a member of ten communities, as a busy member would be.
TEN_COMMUNITIES_USERNAME = "scale.member10"
PASSWORD = "scale-data-2026"
# Deeper replies attach to the opening post instead, as people do on long threads.
MAX_DEPTH = 6
COPY_BATCH = 50000
TITLE_LENGTH = Thread._meta.get_field("title").max_length
# Above this many posts the posts' search index is dropped and built again after loading.
REBUILD_INDEX_ABOVE = 50000


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@contextmanager
def _versions_paused():
    """Fresh data needs none of the content-version bookkeeping (forums/migrations/0003),
    and row by row it would take minutes: pause it for this transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL commsnet.versions_paused = 'on'")  # ends with the transaction
    yield


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


class Command(BaseCommand):
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
        with transaction.atomic(), _versions_paused():
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

    def _insert(self, thread_rows, post_rows, *, flat: bool) -> None:
        """Give threads and posts their ids and posts their place in the reply tree; with
        `flat`, every reply answers the opening post."""
        rng = self.rng
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM forums_thread")
            first_thread = cursor.fetchone()[0] + 1
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM forums_post")
            first_post = cursor.fetchone()[0] + 1
        # Ids follow time, as they do on a live site: threads by start, posts by moment.
        thread_order = sorted(range(len(thread_rows)), key=lambda i: thread_rows[i][4])
        thread_ids = {old: first_thread + new for new, old in enumerate(thread_order)}
        post_rows.sort(key=lambda row: (row[0], row[1], row[2]))
        per_thread = defaultdict(list)  # thread index -> [(post id, depth, sort path, status, time)]
        tree = []
        for offset, (moment, index, reply, _author, _body) in enumerate(post_rows):
            pk = first_post + offset
            siblings = per_thread[index]
            if reply == 0:
                parent, depth, path = None, 0, str(pk).zfill(SORT_PATH_WIDTH)
            else:
                parent = siblings[0] if flat or rng.random() < 0.6 else rng.choice(siblings)
                if parent[1] >= MAX_DEPTH:
                    parent = siblings[0]
                depth, path = parent[1] + 1, f"{parent[2]}.{str(pk).zfill(SORT_PATH_WIDTH)}"
            roll = rng.random()
            status = ("held", "hidden", "deleted")[int(roll / 0.01)] if reply and roll < 0.03 else "published"
            siblings.append((pk, depth, path, status, moment))
            tree.append((pk, parent[0] if parent else None, depth, path, status))
        kinds = [Thread.Kind.QUESTION] * 14 + [Thread.Kind.DISCUSSION] * 5 + [Thread.Kind.ANNOUNCEMENT]
        self._create_threads(thread_rows, thread_ids, per_thread, kinds)
        self._copy_posts(thread_rows, thread_ids, post_rows, tree, rebuild_index=len(post_rows) > REBUILD_INDEX_ABOVE)
        self._accept_answers(per_thread, thread_ids)

    def _copy_line(self, values: dict) -> str:
        if not hasattr(self, "_post_columns"):
            # Every concrete column, so fields added later get their defaults.
            fields = [f for f in Post._meta.concrete_fields if not f.generated]
            self._post_columns = [f.column for f in fields]
            self._post_defaults = {
                f.column: _copy_value(f.get_db_prep_save(f.get_default(), connection)) for f in fields
            }
        return (
            "\t".join(_copy_value(values[c]) if c in values else self._post_defaults[c] for c in self._post_columns)
            + "\n"
        )

    def _create_threads(self, thread_rows, thread_ids, per_thread, kinds) -> None:
        rng = self.rng
        threads, counts, activity = [], defaultdict(int), {}
        for index, (community, author, title, _topic, started, hidden) in enumerate(thread_rows):
            posts = per_thread[index]
            published = [p for p in posts[1:] if p[3] == "published"]
            last = max([started, *(p[4] for p in published)])
            threads.append(
                Thread(
                    id=thread_ids[index],
                    community=community,
                    author=author,
                    title=title,
                    slug=slugify(title)[:200],
                    kind=rng.choice(kinds),
                    created_at=started,
                    last_activity_at=last,
                    reply_count=len(published),
                    is_pinned=rng.random() < 0.002,
                    is_locked=rng.random() < 0.01,
                    is_hidden=hidden,
                )
            )
            if not hidden:
                counts[community.pk] += 1
            activity[community.pk] = max(activity.get(community.pk, last), last)
        threads.sort(key=lambda t: t.pk)
        Thread.objects.bulk_create(threads, batch_size=5000)
        self._tag(threads, thread_rows, thread_ids)
        for community in self.communities:
            community.thread_count = counts[community.pk]
            community.last_activity_at = activity.get(community.pk, community.created_at)
        Community.objects.bulk_update(self.communities, ["thread_count", "last_activity_at", "member_count"])
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('forums_thread', 'id'), MAX(id)) FROM forums_thread")

    def _tag(self, threads, thread_rows, thread_ids) -> None:
        tags = {}
        for topic in TOPICS:
            tags[topic], _ = Tag.objects.get_or_create(slug=slugify(topic), defaults={"name": topic})
        content_type = ContentType.objects.get_for_model(Thread)
        TaggedItem.objects.bulk_create(
            [
                TaggedItem(tag=tags[row[3]], content_type=content_type, object_id=thread_ids[index])
                for index, row in enumerate(thread_rows)
            ],
            batch_size=5000,
        )

    def _copy_posts(self, thread_rows, thread_ids, post_rows, tree, *, rebuild_index: bool) -> None:
        rng = self.rng
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            if rebuild_index:
                # Building the GIN index once is far quicker than updating it 400,000 times.
                with connection.schema_editor() as editor:
                    editor.remove_index(Post, _post_search_index())
            for start in range(0, len(post_rows), COPY_BATCH):
                buffer = io.StringIO()
                for (moment, index, _reply, author, body), (pk, parent, depth, path, status) in zip(
                    post_rows[start : start + COPY_BATCH], tree[start : start + COPY_BATCH], strict=True
                ):
                    if body is None:
                        body = post_body(rng, thread_rows[index][3])
                    values = {
                        "id": pk,
                        "thread_id": thread_ids[index],
                        "author_id": author.pk if author else None,
                        "parent_id": parent,
                        "depth": depth,
                        "sort_path": path,
                        "body": body,
                        "body_html": body_html(body),
                        "status": status,
                        "created_at": moment,
                    }
                    buffer.write(self._copy_line(values))
                columns = ", ".join(self._post_columns)
                with cursor.copy(f"COPY forums_post ({columns}) FROM STDIN") as copy:  # our own column names
                    copy.write(buffer.getvalue())
                self.stdout.write(f"  {min(start + COPY_BATCH, len(post_rows))} posts")
            if rebuild_index:
                # Check the deferred foreign keys now: an index cannot be built with checks pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                with connection.schema_editor() as editor:
                    editor.add_index(Post, _post_search_index())
            cursor.execute("SELECT setval(pg_get_serial_sequence('forums_post', 'id'), MAX(id)) FROM forums_post")

    def _accept_answers(self, per_thread, thread_ids) -> None:
        """About a third of threads have an accepted answer: one of their published replies."""
        rng = self.rng
        pairs = []
        for index, posts in per_thread.items():
            replies = [p for p in posts[1:] if p[3] == "published"]
            if replies and rng.random() < 0.35:
                pairs.append((thread_ids[index], rng.choice(replies)[0]))
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE forums_thread AS t SET accepted_answer_id = v.post"
                " FROM unnest(%s::bigint[], %s::bigint[]) AS v(thread, post) WHERE t.id = v.thread",
                [[thread for thread, _ in pairs], [post for _, post in pairs]],
            )


def _post_search_index():
    """The posts' search index as the model declares it, options included."""
    return next(index for index in Post._meta.indexes if index.name == "post_search_idx")
