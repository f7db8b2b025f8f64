"""Django's PostgreSQL backend, with bulk writes split to fit bound parameters, and
statements that search text never kept prepared.

With parameters bound in the server (commsnet.settings: psycopg 3, for prepared
statements), one statement takes at most 65,535 of them. Django sends most bulk
inserts as one array per column, but a model with a column of its own type (a
thread's search vector) and bulk_update take one placeholder per value, and Django's
PostgreSQL backend does not split them by that limit. The deletion collector batches
by the same rule.

On a persistent connection (DB_CONN_MAX_AGE), a statement psycopg keeps prepared
may be given one plan for any values: PostgreSQL's choice after five prepared runs,
when that plan looks no dearer than the ones made for each run's values. That spares
planning the same lookups (the session, the member, a thread by id) again and again.
But a plan made once for any words suits a word found in every other post or in none
equally badly: it made a fresh similar-questions lookup three times slower. So a
statement that searches text (a tsquery, or the @@ match) is sent unprepared, and
PostgreSQL plans each run for its own words.
"""

import re

from django.db.backends.postgresql import base, features, operations

MAX_PARAMETERS = 65_535
# websearch_to_tsquery, plainto_tsquery and the rest, a ::tsquery cast, or a match.
TEXT_SEARCH = re.compile(r"tsquery|@@", re.IGNORECASE)


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = MAX_PARAMETERS


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs) -> int:
        return max(1, min(len(objs), MAX_PARAMETERS // max(len(fields), 1)))


class ServerBindingCursor(base.ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and TEXT_SEARCH.search(query):
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations

    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = ServerBindingCursor
        return params
