"""`make bench`'s look inside the data set, run in Django with the bench's settings (a
subprocess of scripts/bench.py): the URLs of the hot-page rows, the files of paths the
random-traffic rows draw from, each page's SQL query count, and the session cookies wrk
sends. Prints them as one line of JSON."""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commsnet.settings")
django.setup()

from bench import (  # noqa: E402
    COMMON_QUERY,
    OTHER_MEMBERS,
    PAGES,
    RANDOM_PAGES,
    RANDOM_ROWS,
    RARE_QUERY,
    TRAFFIC_DIR,
    query_key,
)
from bench_traffic import (  # noqa: E402
    common_and_rare,
    fallback_queries,
    format_queries,
    queries_by_label,
    read_queries,
    surface_forms,
    write_paths,
    zipf_draws,
)
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from communities.models import Community  # noqa: E402
from forums.latest import MINE, SORTS  # noqa: E402
from forums.management.commands.seed_scale import (  # noqa: E402
    BENCH_USERNAME,
    BIG_THREAD_TITLE,
    SLUG_PREFIX,
    member_of_ten_communities,
)
from forums.models import Post, Thread  # noqa: E402
from forums.selectors import REPLIES_PER_PAGE  # noqa: E402
from members.models import User  # noqa: E402
from members.selectors import listed_members  # noqa: E402

SIMILAR_TITLE = "How do you handle social media comments during the election?"
# How many members the "home page, a member at random" row signs in (a session each).
HOME_MEMBERS = 100
LIST_PAGES = range(1, 6)
# The fresh-search rows, by the label of their queries in the query list (None: no label).
SEARCH_ROWS = {"random_search_common": "common", "random_search_rare": "rare", "random_search": None}
# About this many posts are sampled for the fallback query list's word counts.
WORD_SAMPLE = 8000


def url(name: str, **kwargs) -> str | None:
    """The page's path, or None where this version of the portal has no such page."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def thread_url(thread) -> str | None:
    return url("thread_detail", pk=thread.pk, slug=thread.slug)


def session_of(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def hot_urls(member_client: Client) -> tuple[dict[str, str | None], dict[str, int]]:
    """The hot-page rows' URLs, by key in PAGES, and how many pages the paged ones have."""
    public = Community.objects.filter(slug__startswith=SLUG_PREFIX, visibility=Community.Visibility.PUBLIC)
    community = public.order_by("-thread_count").first()
    typical = Thread.objects.filter(community__in=public, reply_count=20, is_hidden=False).order_by("pk").first()
    big = Thread.objects.get(title=BIG_THREAD_TITLE)
    # Another member's published posts in public communities, as everyone may read them.
    busiest = (
        Post.objects.filter(
            author__in=listed_members().exclude(username=BENCH_USERNAME),
            status=Post.Status.PUBLISHED,
            thread__community__in=public,
        )
        .values("author__username")
        .annotate(posts=Count("pk"))
        .order_by("-posts")
        .first()
    )
    search, similar = url("search"), url("similar_threads")
    urls = {
        "directory": url("community_directory"),
        "home": url("home"),
        "home_ten": url("home"),
        "community": url("community_home", slug=community.slug),
        "thread": thread_url(typical),
        "big_first": thread_url(big),
        "big_last": None,
        "search_common": search and f"{search}?q={COMMON_QUERY.replace(' ', '+')}",
        "search_rare": search and f"{search}?q={RARE_QUERY}",
        "similar": similar and f"{similar}?title={SIMILAR_TITLE.replace(' ', '+').replace('?', '%3F')}",
        "written_by": search and busiest and f"{search}?author={urllib.parse.quote(busiest['author__username'])}",
        # With a parameter (the default sort), so random pages can add "&page=".
        "latest": url("latest") and f"{url('latest')}?sort=activity",
    }
    # Random pages are picked among those a visitor has (a member has at least as many).
    pages = {}
    if urls["latest"]:
        page_obj = Client().get(urls["latest"]).context["page_obj"]
        pages["latest"] = page_obj.paginator.num_pages
    if urls["big_first"]:
        response = member_client.get(urls["big_first"])
        page_obj = response.context and response.context.get("page_obj")
        last = page_obj.paginator.num_pages if page_obj else 9999
        urls["big_last"] = f"{urls['big_first']}?page={last}"
    return urls, pages


def random_traffic(clients: dict[str, Client], member: User) -> tuple[dict, dict[str, str], dict[str, str]]:
    """What the random-traffic rows draw from: {key: {viewer: (lines, the client that asks
    for them)}}, a note on each for the report, and why a row has nothing to draw from."""
    traffic, notes, missing = {}, {}, {}

    def same_for_both(key: str, lines: list[str]) -> None:
        traffic[key] = {viewer: (lines, client) for viewer, client in clients.items()}

    public = Thread.objects.visible_to(AnonymousUser()).filter(community__slug__startswith=SLUG_PREFIX)
    rows = list(public.order_by("pk").values_list("pk", "slug", "reply_count"))
    threads = [url("thread_detail", pk=pk, slug=slug) for pk, slug, _replies in rows]
    same_for_both("random_thread", threads)
    notes["random_thread"] = f"{len(threads):,} public threads"
    same_for_both("zipf_thread", zipf_draws(threads))
    notes["zipf_thread"] = f"{len(traffic['zipf_thread']['member'][0]):,} draws over the same threads"
    # The target is for a thread page of 20 posts: threads that fill their first page.
    full = [url("thread_detail", pk=pk, slug=slug) for pk, slug, replies in rows if replies >= REPLIES_PER_PAGE]
    same_for_both("uncached_thread", full)
    notes["uncached_thread"] = f"{len(full):,} public threads with at least {REPLIES_PER_PAGE} replies"

    for viewer, user in [("member", member), ("visitor", AnonymousUser())]:
        readable = Community.objects.visible_to(user).filter(slug__startswith=SLUG_PREFIX).order_by("pk")
        slugs = list(readable.values_list("slug", flat=True))
        lists = [f"{url('community_home', slug=slug)}{page_query(page)}" for slug in slugs for page in LIST_PAGES]
        traffic.setdefault("random_community", {})[viewer] = (lists, clients[viewer])
        if url("latest"):
            traffic.setdefault("random_latest", {})[viewer] = (latest_paths(slugs, viewer), clients[viewer])
    notes["random_community"] = "each community the viewer may read, pages 1–5"
    notes["random_latest"] = "either sort; no filter, a community, a type, unanswered or a member's own; pages 1–5"

    # Members' own home pages: each request as a member drawn at random.
    people = User.objects.filter(email__endswith="@scale.example.gov.uk", status=User.Status.APPROVED)
    home_clients = []
    for person in people.exclude(username=BENCH_USERNAME).order_by("pk")[:HOME_MEMBERS]:
        home_clients.append(Client())
        home_clients[-1].force_login(person)
    if home_clients:
        homes = [f"{url('home')}\t{settings.SESSION_COOKIE_NAME}={session_of(c)}" for c in home_clients]
        traffic["random_home"] = {"member": (homes, home_clients[0])}
        notes["random_home"] = f"{len(homes)} members"

    if url("search"):
        queries = query_list()
        grouped = queries_by_label(queries)
        labelled = any(label for _query, label in queries)
        for key, label in SEARCH_ROWS.items():
            if not grouped.get(label):
                if labelled and label:
                    missing[key] = f"no {label} queries"
                continue
            same_for_both(key, [f"{url('search')}?{urllib.parse.urlencode({'q': q})}" for q in grouped[label]])
            notes[key] = f"{len(grouped[label])} queries"
    return traffic, notes, missing


def page_query(page: int) -> str:
    return "" if page == 1 else f"?page={page}"


def latest_paths(slugs: list[str], viewer: str) -> list[str]:
    """Latest as readers use it: either sort, with no filter or one (a community they may
    read, a type, unanswered questions, a member's own communities), pages 1–5."""
    filters = ["", *(f"community={slug}" for slug in slugs), *(f"kind={kind}" for kind in Thread.Kind.values)]
    filters.append("unanswered=on")
    if viewer == "member":
        filters.append(f"communities={MINE}")
    return [
        f"{url('latest')}?sort={sort}" + (f"&{extra}" if extra else "") + (f"&page={page}" if page > 1 else "")
        for sort in SORTS
        for extra in filters
        for page in LIST_PAGES
    ]


def query_list() -> list[tuple[str, str | None]]:
    """The fresh-search rows' queries: BENCH_QUERIES (a file of one query a line, optionally
    a tab and "common" or "rare"); or else those manage.py scale_queries makes for the data
    set, where the portal has that command; or else a small list made here from the data
    set's own words. The last two are written to bench-results/traffic/queries.txt."""
    if os.environ.get("BENCH_QUERIES"):
        return read_queries(Path(os.environ["BENCH_QUERIES"]).read_text(encoding="utf-8"))
    file = TRAFFIC_DIR / "queries.txt"
    file.parent.mkdir(parents=True, exist_ok=True)
    if "scale_queries" in get_commands():
        call_command("scale_queries", str(file), stdout=sys.stderr)
        return read_queries(file.read_text(encoding="utf-8"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM forums_post")
        sampled = f"mod(id, {max(1, cursor.fetchone()[0] // WORD_SAMPLE)}) = 0"  # about WORD_SAMPLE posts
        cursor.execute(f"SELECT count(*) FROM forums_post WHERE {sampled}")  # noqa: S608 - made of numbers
        posts = cursor.fetchone()[0]
        vectors = f"SELECT search_vector FROM forums_post WHERE {sampled}"  # noqa: S608 - made of numbers
        cursor.execute("SELECT word, ndoc FROM ts_stat(%s)", [vectors])
        lexeme_posts = dict(cursor.fetchall())
        # The words as written in the same posts, each with the lexemes PostgreSQL searches it as.
        cursor.execute(
            f"""
            WITH words AS (
                SELECT word, count(*) AS uses
                FROM forums_post, regexp_split_to_table(lower(body), '[^[:alpha:]]+') AS word
                WHERE {sampled} AND word <> '' GROUP BY word
            )
            SELECT word, uses, array_to_string(tsvector_to_array(to_tsvector('english', word)), ' ') FROM words
            """  # noqa: S608 - made of numbers
        )
        surface = surface_forms(cursor.fetchall())
    word_posts = {surface[lexeme]: count for lexeme, count in lexeme_posts.items() if lexeme in surface}
    queries = fallback_queries(*common_and_rare(word_posts, posts))
    file.write_text(format_queries(queries), encoding="utf-8")
    return queries


def write_traffic(traffic: dict) -> dict[str, dict[str, str]]:
    """Writes each random row's paths to bench-results/traffic/ (one file for both viewers
    when they draw from the same paths, <key>-<viewer>.txt when not) and returns
    {key: {viewer: file}}."""
    files: dict[str, dict[str, str]] = {}
    for key, viewers in traffic.items():
        shared = len({id(lines) for lines, _client in viewers.values()}) == 1
        for viewer, (lines, _client) in viewers.items():
            file = TRAFFIC_DIR / (f"{key}.txt" if shared else f"{key}-{viewer}.txt")
            if not file.exists():
                write_paths(file, lines)
            files.setdefault(key, {})[viewer] = str(file)
    return files


def count_queries(client: Client, warm: str, path: str) -> dict:
    """`path`'s status and SQL query count, after asking for `warm` to warm what a running
    worker would have warm (sessions, content types)."""
    client.get(warm)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    return {"status": status, "queries": len(captured.captured_queries)}


def with_fresh(path: str, viewer: str) -> str:
    return path + ("&" if "?" in path else "?") + f"fresh=probe-{viewer}"


def query_counts(clients: dict[str, Client], other_clients: dict[str, Client], urls, pages, traffic) -> dict:
    """Each page as wrk will ask for it: "never asked before" pages with a parameter no
    earlier request had, so the count is that of the full work. A random row's count is
    for its first line, after its last (a page that was not asked for just before)."""
    counts = {"member": {}, "visitor": {}}
    fresh_rows = {key for _label, _kind, key, fresh in RANDOM_ROWS if fresh}
    for viewer, default_client in clients.items():
        for _label, _kind, key, fresh in PAGES:
            path = urls.get(key)
            if not path:
                continue
            client = default_client
            if viewer == "member" and key in OTHER_MEMBERS:
                client = other_clients[OTHER_MEMBERS[key]]
            asked = path
            if fresh == RANDOM_PAGES:
                asked += f"&page={pages.get(key, 1) // 2 or 1}"
            elif fresh:
                asked = with_fresh(path, viewer)
            counts[viewer][query_key(key, fresh)] = count_queries(client, path, asked)
        for key, viewers in traffic.items():
            if viewer in viewers:
                lines, client = viewers[viewer]
                first, last = lines[0].split("\t")[0], lines[-1].split("\t")[0]
                asked = with_fresh(first, viewer) if key in fresh_rows else first
                counts[viewer][key] = count_queries(client, last, asked)
    return counts


def main() -> None:
    setup_test_environment()
    member = User.objects.get(username=BENCH_USERNAME)
    clients = {"member": Client(), "visitor": Client()}
    clients["member"].force_login(member)
    other_clients = {"ten": Client()}
    other_clients["ten"].force_login(member_of_ten_communities())
    urls, pages = hot_urls(clients["member"])
    for old in TRAFFIC_DIR.glob("*.txt"):  # the last run's
        old.unlink()
    traffic, notes, missing = random_traffic(clients, member)
    counts = query_counts(clients, other_clients, urls, pages, traffic)
    # The member's cookie for wrk: the session force_login made, checked to be signed in,
    # so their rows measure what a member sees (the visitor's rows send no cookie).
    check = Client()
    check.cookies[settings.SESSION_COOKIE_NAME] = session_of(clients["member"])
    if not check.get(urls["home"]).wsgi_request.user.is_authenticated:
        sys.exit("The bench session is not signed in.")
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    found = {
        "urls": urls,
        "pages": pages,
        "queries": counts,
        "session": session_of(clients["member"]),
        "other_sessions": {name: session_of(other) for name, other in other_clients.items()},
        "traffic": {"files": write_traffic(traffic), "notes": notes, "missing": missing},
        "shared_buffers": shared_buffers,
    }
    print(json.dumps(found))


if __name__ == "__main__":
    main()
