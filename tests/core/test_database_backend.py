"""The database backend (core.postgresql): bulk writes larger than one statement's
bound parameters (65,535) are split, and statements that search text are never kept
prepared, so each run is planned for its own words."""

import pytest
from django.db import connection
from django.utils.text import slugify

from forums.models import Thread
from forums.similar import similar_threads
from search.engine import search_threads
from tests.core.prepared_statements import prepare_threshold
from tests.factories import CommunityFactory, MembershipFactory, make_thread

pytestmark = pytest.mark.django_db


def test_a_bulk_insert_with_more_values_than_one_statement_takes_is_saved_whole(alice):
    community = CommunityFactory()
    titles = [f"Question number {n}" for n in range(6_000)]
    threads = [Thread(community=community, author=alice, title=title, slug=slugify(title)) for title in titles]
    inserted_columns = [f for f in Thread._meta.concrete_fields if not (f.primary_key or f.generated)]
    assert len(threads) * len(inserted_columns) > 65_535

    Thread.objects.bulk_create(threads)

    assert Thread.objects.filter(community=community).count() == 6_000


def prepared_statements_like(*patterns: str) -> list[str]:
    """This connection's statements kept prepared whose text matches any of `patterns`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement ILIKE ANY(%s)", [list(patterns)])
        return [row[0] for row in cursor.fetchall()]


def test_a_lookup_run_again_and_again_is_kept_prepared():
    community = CommunityFactory()
    for _ in range(prepare_threshold(connection.connection) + 3):
        assert not Thread.objects.filter(community=community).exists()
    assert prepared_statements_like('%FROM "forums_thread" WHERE "forums_thread"."community_id" = $%')


def test_searches_run_again_and_again_are_never_kept_prepared(bob):
    """Unprepared, a statement is planned for the words it is given each time: a plan
    made once for any words suits a common word and a rare one equally badly."""
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob)
    make_thread(community=community, author=bob, title="Sinkhole on the high street", body="Any advice?")
    for _ in range(prepare_threshold(connection.connection) + 3):
        assert len(search_threads(bob, query="sinkhole")) == 1
        assert len(search_threads(bob, query="sinkhole")[:1]) == 1  # the page's rows, with their snippets
        assert len(similar_threads(bob, "A sinkhole in town")) == 1
    # What the searches ran: ranking and matching on the search vectors, and snippets.
    assert prepared_statements_like("%search_vector%", "%ts_rank%", "%ts_headline%") == []
