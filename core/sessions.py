"""Django's database sessions, read with one plain SQL statement.

Every signed-in request loads its session first. Building that query through the
ORM cost more than PostgreSQL took to answer it, so `load` asks for the one column it
needs directly; saving, creating and deleting sessions are Django's own. Settings:
SESSION_ENGINE = "core.sessions".
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

LOAD_SQL = "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s"


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        # As Django's: an unknown or expired key loads nothing and is forgotten, so a new
        # key is made if anything is saved.
        if self.session_key is None:
            return {}
        with connections[router.db_for_read(self.model)].cursor() as cursor:
            cursor.execute(LOAD_SQL, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
