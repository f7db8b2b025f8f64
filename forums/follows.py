"""Following tags and putting announcements away: the member's own choices about what
the home page shows them (forums.home)."""

from __future__ import annotations

from django.http import Http404
from taggit.models import Tag

from forums.models import AnnouncementDismissal, TagFollow, Thread


def followable_tag_for(user, slug: str) -> Tag:
    """The tag, or 404 when no thread the user may read carries it (as its tag page does)."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None or not Thread.objects.visible_to(user).filter(tags=tag).exists():
        raise Http404("No threads with that tag")
    return tag


def is_following(user, tag: Tag) -> bool:
    return user.is_authenticated and TagFollow.objects.filter(user=user, tag=tag).exists()


def may_follow_tags(user) -> bool:
    """Approved members choose what they follow; visitors and pending accounts only read."""
    return user.is_authenticated and user.is_approved


def tag_follow(*, user, tag: Tag) -> TagFollow:
    if not may_follow_tags(user):
        raise PermissionError("Only approved members can follow tags.")
    follow, _ = TagFollow.objects.get_or_create(user=user, tag=tag)
    return follow


def tag_unfollow(*, user, tag: Tag) -> None:
    TagFollow.objects.filter(user=user, tag=tag).delete()


def announcement_dismiss(*, user, thread: Thread) -> AnnouncementDismissal:
    """The caller has checked the user may read `thread` (forums.selectors.get_thread_for)."""
    if thread.kind != Thread.Kind.ANNOUNCEMENT:
        raise ValueError("Only announcements can be dismissed.")
    dismissal, _ = AnnouncementDismissal.objects.get_or_create(user=user, thread=thread)
    return dismissal
