"""Model instances from one plain SQL row that joins several tables.

For the few reads on every page where building the query through the ORM took longer
than PostgreSQL took to answer it (a thread and its community: forums.selectors).
The instances are what the ORM would load: each field's converters are applied, and
the fields left out are deferred (loaded on first use, as with `defer()`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Field, Model


class RowPart:
    """One model's columns in a joined row: which fields, under which table alias."""

    def __init__(self, model: type[Model], alias: str, *, leave_out: Sequence[str] = ()):
        self.model = model
        self.fields: list[Field] = [field for field in model._meta.concrete_fields if field.name not in leave_out]
        self.select = ", ".join(f"{alias}.{connection.ops.quote_name(field.column)}" for field in self.fields)
        self._attnames = [field.attname for field in self.fields]
        self._converters = [
            connection.ops.get_db_converters(field.cached_col) + field.get_db_converters(connection)
            for field in self.fields
        ]

    def instance(self, values: Sequence) -> Model:
        """The instance from this part's values, in the order of `select`."""
        converted = list(values)
        for index, converters in enumerate(self._converters):
            for converter in converters:
                converted[index] = converter(converted[index], self.fields[index].cached_col, connection)
        return self.model.from_db(connection.alias, self._attnames, converted)


def fetch_instances(sql: str, params: Sequence, parts: Sequence[RowPart]) -> list[Model] | None:
    """One instance per part from the first row `sql` returns (which selects each
    part's `select` in turn), or None if it returns no row."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    instances, start = [], 0
    for part in parts:
        instances.append(part.instance(row[start : start + len(part.fields)]))
        start += len(part.fields)
    return instances
