"""Bulk writes larger than one statement's bound parameters (65,535) are split
(core.postgresql). Django sends most bulk inserts as one array per column, but not
for every model: threads (their search vector) go one placeholder per value."""

import pytest
from django.utils.text import slugify

from forums.models import Thread
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


def test_a_bulk_insert_with_more_values_than_one_statement_takes_is_saved_whole(alice):
    community = CommunityFactory()
    titles = [f"Question number {n}" for n in range(6_000)]
    threads = [Thread(community=community, author=alice, title=title, slug=slugify(title)) for title in titles]
    inserted_columns = [f for f in Thread._meta.concrete_fields if not (f.primary_key or f.generated)]
    assert len(threads) * len(inserted_columns) > 65_535

    Thread.objects.bulk_create(threads)

    assert Thread.objects.filter(community=community).count() == 6_000
