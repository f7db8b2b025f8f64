"""Create the table behind the database cache (CACHES in settings), so every
fresh database has it without a separate `createcachetable` step. The columns
are the ones Django's DatabaseCache expects."""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS cache_entries (
    cache_key varchar(255) NOT NULL PRIMARY KEY,
    value text NOT NULL,
    expires timestamp with time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS cache_entries_expires ON cache_entries (expires);
"""


class Migration(migrations.Migration):
    operations = [migrations.RunSQL(CREATE, "DROP TABLE IF EXISTS cache_entries;")]
