"""Writing the scale data set's threads and posts (manage.py seed_scale): PostgreSQL's
COPY for the posts in batches, the tree's sort paths, tags and accepted answers. The
command mixes this in; it reads `rng`, `communities` and `stdout` from the command."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from communities.models import Community
from forums.management.scale_text import (
    TOPICS,
    body_html,
    post_body,
)
from forums.models import SORT_PATH_WIDTH, Post, Thread

COPY_BATCH = 50000
# Above this many posts the posts' search index is dropped and built again after loading.
REBUILD_INDEX_ABOVE = 50000
# Deeper replies attach to the opening post instead, as people do on long threads.
MAX_DEPTH = 6


def copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@contextmanager
def versions_paused():
    """Fresh data needs none of the content-version bookkeeping (forums/migrations/0003),
    and row by row it would take minutes: pause it for this transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL commsnet.versions_paused = 'on'")  # ends with the transaction
    yield


def _post_search_index():
    """The posts' search index as the model declares it, options included."""
    return next(index for index in Post._meta.indexes if index.name == "post_search_idx")


class ScaleRowWriter:
    """The row-writing half of the seed_scale command."""

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
                f.column: copy_value(f.get_db_prep_save(f.get_default(), connection)) for f in fields
            }
        return (
            "\t".join(copy_value(values[c]) if c in values else self._post_defaults[c] for c in self._post_columns)
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
