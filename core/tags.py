"""Tags (django-taggit) for a page of objects in one query."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from taggit.models import TaggedItem


def with_tag_lists(objects) -> list:
    """The objects as a list, each with `tag_list` (its tags in the order they were
    added). One query for the lot: prefetch_related on a TaggableManager builds a
    taggit queryset for every object, which costs more than the page itself."""
    objects = list(objects)
    if not objects:
        return objects
    tagged = defaultdict(list)
    items = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(objects[0]), object_id__in=[obj.pk for obj in objects]
    )
    for item in items.select_related("tag").order_by("pk"):
        tagged[item.object_id].append(item.tag)
    for obj in objects:
        obj.tag_list = tagged[obj.pk]
    return objects
