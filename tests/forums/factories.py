"""Factories for the forums' own models, and quick ways to make lots of threads."""

import factory
from django.utils import timezone

from forums.models import Post, Thread
from tests.factories import UserFactory


class HelpfulMarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.HelpfulMark"

    user = factory.SubFactory(UserFactory)


class ThreadSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forums.ThreadSubscription"

    user = factory.SubFactory(UserFactory)
    level = "watching"


def bulk_threads(*, community, author, count: int, tag=None) -> list[Thread]:
    """Many threads, each with an opening post, in a handful of queries (for query-count tests)."""
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        [
            Thread(
                community=community,
                author=author,
                title=f"Bulk thread {n}",
                slug=f"bulk-thread-{n}",
                created_at=now,
                last_activity_at=now - timezone.timedelta(minutes=n),
            )
            for n in range(count)
        ]
    )
    Post.objects.bulk_create(
        [
            Post(thread=t, author=author, body="Body", body_html="<p>Body</p>", sort_path=str(t.pk).zfill(10))
            for t in threads
        ]
    )
    if tag:
        through = Thread.tags.through
        from taggit.models import Tag

        tag_obj, _ = Tag.objects.get_or_create(name=tag, slug=tag)
        through.objects.bulk_create(
            [through(tag=tag_obj, content_object=t) for t in threads],
        )
    return threads


def bulk_replies(*, thread, author, count: int) -> list[Post]:
    """Many replies to the opening post, with correct sort paths, made fast."""
    opening = thread.posts.get(parent__isnull=True)
    now = timezone.now()
    posts = Post.objects.bulk_create(
        [
            Post(
                thread=thread,
                author=author,
                parent=opening,
                depth=1,
                body=f"Reply {n}",
                body_html=f"<p>Reply {n}</p>",
                # A microsecond apart: in order, and all in the past by the time a test reads them.
                created_at=now + timezone.timedelta(microseconds=n),
            )
            for n in range(count)
        ]
    )
    for post in posts:
        post.sort_path = f"{opening.sort_path}.{str(post.pk).zfill(10)}"
    Post.objects.bulk_update(posts, ["sort_path"])
    Thread.objects.filter(pk=thread.pk).update(reply_count=count)
    return posts
