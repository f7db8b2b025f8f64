"""Finer statistics on the search vectors, so PostgreSQL knows a rare word is rare.

With the default target (100) ANALYZE keeps only the commonest words of the sampled
posts, and guesses that any other word matches about half a percent of all posts:
2,000 of 400,000. For "sinkhole" (71 posts) that guess led it to read all 20,000
threads to check which ones the reader may see (18 ms) instead of looking up the 35
it needed (2 ms). A target of 1,000 keeps ten times as many words, and the guess for
words outside them falls to about a tenth."""

from django.db import migrations

TABLES = ["forums_post", "forums_thread"]


def statistics(target: int) -> str:
    return "".join(f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS {target}; " for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [("forums", "0003_content_versions")]

    operations = [
        migrations.RunSQL(
            sql=statistics(1000) + "".join(f"ANALYZE {table}; " for table in TABLES),
            # -1: back to the server's default_statistics_target.
            reverse_sql=statistics(-1),
        )
    ]
