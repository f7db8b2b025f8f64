"""Django's PostgreSQL backend, with bulk writes split to fit bound parameters.

With parameters bound in the server (commsnet.settings: psycopg 3, for prepared
statements), one statement takes at most 65,535 of them, and Django's PostgreSQL
backend does not split bulk_create or bulk_update by that: a notification to a large
community's watchers could exceed it. The deletion collector batches by the same rule.
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
