"""The database itself refuses to change or delete moderation log rows, so no code
path (raw SQL, a shell, a future bug) can rewrite history."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION moderation_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The moderation log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER moderation_log_append_only
    BEFORE UPDATE OR DELETE ON moderation_moderationaction
    FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS moderation_log_append_only ON moderation_moderationaction;
DROP FUNCTION IF EXISTS moderation_log_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
