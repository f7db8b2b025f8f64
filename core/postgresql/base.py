"""Django's PostgreSQL backend, with bulk writes split to fit bound parameters.

With parameters bound in the server (commsnet.settings: psycopg 3, for prepared
statements), one statement takes at most 65,535 of them. Django sends most bulk
inserts as one array per column, but a model with a column of its own type (a
thread's search vector) and bulk_update take one placeholder per value, and Django's
PostgreSQL backend does not split them by that limit. The deletion collector batches
by the same rule.
"""

from django.db.backends.postgresql import base, features, operations

MAX_PARAMETERS = 65_535


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = MAX_PARAMETERS


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs) -> int:
        return max(1, min(len(objs), MAX_PARAMETERS // max(len(fields), 1)))


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
