"""Search indexes written to at once, not through a pending list.

With GIN's default (fastupdate on), new words wait in a pending list that every
search reads in full until a vacuum merges it. After the scale data set was loaded
the threads' list held 328 pages, and a search for a rare word spent 3.4 of its
5 ms reading it. Posts are written far less often than they are searched, so each
write pays instead: PostgreSQL's advice when steady response times matter more
than the speed of updates. The indexes are altered in place rather than rebuilt,
and what already waits is merged now."""

import django.contrib.postgres.indexes
from django.db import migrations

MODELS = ["post", "thread"]
INDEXES = [f"{model}_search_idx" for model in MODELS]


class Migration(migrations.Migration):
    dependencies = [("forums", "0004_search_vector_statistics")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[f"ALTER INDEX {index} SET (fastupdate = off)" for index in INDEXES]
                    + [f"SELECT gin_clean_pending_list('{index}'::regclass)" for index in INDEXES],
                    reverse_sql=[f"ALTER INDEX {index} RESET (fastupdate)" for index in INDEXES],
                )
            ],
            state_operations=[migrations.RemoveIndex(model_name=model, name=f"{model}_search_idx") for model in MODELS]
            + [
                migrations.AddIndex(
                    model_name=model,
                    index=django.contrib.postgres.indexes.GinIndex(
                        fastupdate=False, fields=["search_vector"], name=f"{model}_search_idx"
                    ),
                )
                for model in MODELS
            ],
        )
    ]
