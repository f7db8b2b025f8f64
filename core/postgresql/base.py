"""Django's PostgreSQL backend, with bulk writes split to fit bound parameters, and
statements that search text never kept prepared: docs/database.md says why."""

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
