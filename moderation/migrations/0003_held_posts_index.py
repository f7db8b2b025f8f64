"""A small partial index on forums_post for the review queue and the header count:
held posts are few, so finding them must not scan every post. It lives here because
only moderation asks the question; forums' models are unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_append_only_log_trigger"), ("forums", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS moderation_held_post_idx ON forums_post (thread_id, created_at) "
            "WHERE status = 'held';",
            "DROP INDEX IF EXISTS moderation_held_post_idx;",
        )
    ]
