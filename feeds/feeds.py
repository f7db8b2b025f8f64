"""Atom feeds (django.contrib.syndication): Latest, a community, a tag, a thread. A plain
address serves what a visitor may read; a personal one (its owner's secret key) what the
owner may read now, worked out on every request (a suspended member or a revoked key
gets 404). Every list comes from visible_to(), in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from communities.permissions import get_community_for
from feeds.services import feed_owner
from forums.latest import LatestForm, latest_threads
from forums.models import Post, Thread
from forums.selectors import get_thread_for
from members.models import ERASED_NAME

ITEMS_PER_FEED = 20


class FeedItem(NamedTuple):
    title: str
    link: str
    html: str
    author: str
    published: datetime
    updated: datetime


class FeedSource(NamedTuple):
    title: str
    link: str
    subtitle: str
    items: list[FeedItem]
    self_url: str = ""


def _author_name(user) -> str:
    return user.name if user is not None else ERASED_NAME


def _owner(key: str | None):
    """Whose reading rights build the feed: a visitor's for a plain address."""
    if key is None:
        return AnonymousUser()
    owner = feed_owner(key)
    if owner is None:
        raise Http404("No such feed")
    return owner


def thread_items(request, owner, threads) -> list[FeedItem]:
    """A feed entry per thread, carrying its opening post: two queries."""
    threads = list(threads.select_related("author")[:ITEMS_PER_FEED])
    openings = Post.objects.visible_to(owner).filter(
        thread_id__in=[thread.pk for thread in threads], parent__isnull=True, status=Post.Status.PUBLISHED
    )
    html = dict(openings.values_list("thread_id", "body_html"))
    return [
        FeedItem(
            title=thread.title,
            link=request.build_absolute_uri(thread.get_absolute_url()),
            html=html.get(thread.pk, ""),
            author=_author_name(thread.author),
            published=thread.created_at,
            updated=thread.last_activity_at,
        )
        for thread in threads
    ]


class SourceFeed(Feed):
    """A feed whose get_object() returns everything it shows (a FeedSource): the Feed
    object itself is shared by every request, so it keeps nothing of its own."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if kwargs.get("key"):  # a personal feed: no shared cache may keep it
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_object(self, request, key: str | None = None, **kwargs) -> FeedSource:
        source = self.source(request, _owner(key), **kwargs)
        return source._replace(self_url=request.build_absolute_uri())

    def feed_url(self, obj: FeedSource) -> str:
        return obj.self_url

    def source(self, request, owner, **kwargs) -> FeedSource:
        raise NotImplementedError

    def title(self, obj: FeedSource) -> str:
        return f"{obj.title} – CommsNet"

    def link(self, obj: FeedSource) -> str:
        return obj.link

    def subtitle(self, obj: FeedSource) -> str:
        return obj.subtitle

    def items(self, obj: FeedSource) -> list[FeedItem]:
        return obj.items

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_description(self, item: FeedItem) -> str:
        return item.html  # the stored, sanitised HTML (STYLE.md habit 6)

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_author_name(self, item: FeedItem) -> str:
        return item.author

    def item_pubdate(self, item: FeedItem) -> datetime:
        return item.published

    def item_updateddate(self, item: FeedItem) -> datetime:
        return item.updated


class LatestFeed(SourceFeed):
    def source(self, request, owner, **kwargs) -> FeedSource:
        # The same filters as the Latest page, from the same form; a wrong one is left out.
        form = LatestForm(request.GET or None, user=owner)
        if form.is_bound:
            form.is_valid()
        threads = latest_threads(owner, form.filters())
        link = request.build_absolute_uri(reverse("latest"))
        return FeedSource("Latest", link, "New and active threads", thread_items(request, owner, threads))


class CommunityFeed(SourceFeed):
    def source(self, request, owner, slug: str) -> FeedSource:
        community = get_community_for(owner, slug)
        threads = Thread.objects.visible_to(owner).filter(community=community).order_by("-last_activity_at", "-pk")
        link = request.build_absolute_uri(community.get_absolute_url())
        return FeedSource(community.name, link, community.summary, thread_items(request, owner, threads))


class TagFeed(SourceFeed):
    def source(self, request, owner, tag: str) -> FeedSource:
        found = Tag.objects.filter(slug=tag).first()
        threads = Thread.objects.visible_to(owner).filter(tags__slug=tag).order_by("-last_activity_at", "-pk")
        items = thread_items(request, owner, threads) if found else []
        if not items:  # as the tag page: a tag used only where they may not read is not confirmed
            raise Http404("No threads with that tag")
        link = request.build_absolute_uri(reverse("tag_threads", args=[tag]))
        return FeedSource(f"Threads tagged {found.name}", link, "", items)


class ThreadFeed(SourceFeed):
    def source(self, request, owner, pk: int) -> FeedSource:
        thread = get_thread_for(owner, pk)
        posts = Post.objects.visible_to(owner).filter(thread=thread, status=Post.Status.PUBLISHED)
        posts = posts.select_related("author").order_by("-created_at", "-pk")[:ITEMS_PER_FEED]
        items = [
            FeedItem(
                title=thread.title if post.parent_id is None else f"Reply by {_author_name(post.author)}",
                link=request.build_absolute_uri(post.get_absolute_url()),
                html=post.body_html,
                author=_author_name(post.author),
                published=post.created_at,
                updated=post.edited_at or post.created_at,
            )
            for post in posts
        ]
        link = request.build_absolute_uri(thread.get_absolute_url())
        return FeedSource(thread.title, link, f"Posts in {thread.community.name}", items)
