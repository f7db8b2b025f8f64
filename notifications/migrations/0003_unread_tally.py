"""Each member's count of unread notifications, kept by PostgreSQL.

One trigger function serves inserts, updates and deletes of notifications, once per
statement (so marking fifty as read is one change to the tally, not fifty). Each
statement takes the tallies' rows in member order, and code that writes for several
members in one transaction goes in member order too (notifications.events), so two
transactions cannot deadlock on each other's tallies. A delete only lowers tallies
that exist: when a member's account is deleted their tally may go first, and it must
not be made again for them. `manage.py recount_unread_notifications` rebuilds every
tally, should anything ever bypass the triggers (a TRUNCATE, a restore without them).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Each branch names only the transition tables its event has.
TALLY_SQL = """
CREATE FUNCTION notifications_tally_unread() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM notifications_unreadtally
        WHERE user_id IN (SELECT recipient_id FROM old_rows WHERE read_at IS NULL)
        ORDER BY user_id FOR UPDATE;
        UPDATE notifications_unreadtally tally SET unread = tally.unread - gone.n
        FROM (SELECT recipient_id, count(*) AS n FROM old_rows WHERE read_at IS NULL GROUP BY recipient_id) gone
        WHERE tally.user_id = gone.recipient_id;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO notifications_unreadtally AS tally (user_id, unread)
        SELECT recipient_id, count(*) FROM new_rows WHERE read_at IS NULL
        GROUP BY recipient_id ORDER BY recipient_id
        ON CONFLICT (user_id) DO UPDATE SET unread = tally.unread + EXCLUDED.unread;
    ELSE
        INSERT INTO notifications_unreadtally AS tally (user_id, unread)
        SELECT recipient_id, sum(change) FROM (
            SELECT recipient_id, 1 AS change FROM new_rows WHERE read_at IS NULL
            UNION ALL
            SELECT recipient_id, -1 FROM old_rows WHERE read_at IS NULL
        ) changes
        GROUP BY recipient_id HAVING sum(change) <> 0 ORDER BY recipient_id
        ON CONFLICT (user_id) DO UPDATE SET unread = tally.unread + EXCLUDED.unread;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER notifications_unread_on_insert AFTER INSERT ON notifications_notification
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notifications_tally_unread();
CREATE TRIGGER notifications_unread_on_update AFTER UPDATE ON notifications_notification
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notifications_tally_unread();
CREATE TRIGGER notifications_unread_on_delete AFTER DELETE ON notifications_notification
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notifications_tally_unread();
"""
# Every member's tally from their notifications (also `manage.py recount_unread_notifications`).
RECOUNT_SQL = """
INSERT INTO notifications_unreadtally AS tally (user_id, unread)
    SELECT members_user.id, count(notification.id)
    FROM members_user
    LEFT JOIN notifications_notification notification
        ON notification.recipient_id = members_user.id AND notification.read_at IS NULL
    GROUP BY members_user.id ORDER BY members_user.id
ON CONFLICT (user_id) DO UPDATE SET unread = EXCLUDED.unread WHERE tally.unread <> EXCLUDED.unread;
"""
DROP_TALLY_SQL = """
DROP TRIGGER notifications_unread_on_insert ON notifications_notification;
DROP TRIGGER notifications_unread_on_update ON notifications_notification;
DROP TRIGGER notifications_unread_on_delete ON notifications_notification;
DROP FUNCTION notifications_tally_unread();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_profiles_eligibility_erasure"),
        ("notifications", "0002_sanction_kind"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnreadTally",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("unread", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(sql=TALLY_SQL + RECOUNT_SQL, reverse_sql=DROP_TALLY_SQL),
    ]
