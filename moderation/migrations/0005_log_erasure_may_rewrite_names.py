"""Erasing a member (UK GDPR) may rewrite the words in the moderation log that name
them, and nothing else: the trigger still refuses every other UPDATE and every DELETE.
The erasure sets `commsnet.erasing_member` for its own transaction only
(moderation/erasure.py), so no other code path can change the log."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION moderation_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND coalesce(current_setting('commsnet.erasing_member', true), '') = 'on'
        AND NEW.id = OLD.id
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.community_id IS NOT DISTINCT FROM OLD.community_id
        AND NEW.community_name = OLD.community_name
        AND NEW.action = OLD.action
        AND NEW.target_type = OLD.target_type
        AND NEW.target_id = OLD.target_id
        AND NEW.created_at = OLD.created_at
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The moderation log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

REVERSE = """
CREATE OR REPLACE FUNCTION moderation_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The moderation log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("moderation", "0004_post_restore_action")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
