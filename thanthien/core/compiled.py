"""Reads whose SQL the ORM writes once per database connection, then only runs.

Turning a QuerySet into SQL (resolving names, joins, the select list, the ordering) costs far
more than running a lookup by a unique index: on the public status lookup it was most of the
request. A `CompiledRead` is still written with the ORM, so it follows the models and the
database backend; it is compiled the first time a connection needs it, and each later call
only executes the same SQL with its own parameters, then applies the ORM's own value
converters (dates on SQLite, JSON), so the rows are what the QuerySet would have returned.

Only for a handful of hot reads whose parameters are plain values: the QuerySet must be a
`values_list()` whose only SQL parameters are the markers it was built with.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet


class CompiledRead:
    """`build(*markers)` returns a values_list() QuerySet of `model`; `rows(*values)` runs
    its SQL with `values` in the markers' places and returns the converted rows."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet], *markers: Any):
        self.model = model
        self.build = build
        self.markers = markers
        # Per database alias: the SQL and its selected expressions (no connection kept, so a
        # finished thread's connection is not held alive).
        self._compiled: dict[str, tuple[str, list]] = {}

    def _compile(self, connection) -> tuple[str, list]:
        queryset = self.build(*self.markers)
        if queryset.model is not self.model:
            raise TypeError(f"{queryset.model.__name__} is not {self.model.__name__}")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if tuple(params) != self.markers:
            # Another parameter (or a marker moved) would be run with the wrong value.
            raise ValueError(
                f"The query's parameters {tuple(params)!r} are not its markers {self.markers!r}"
            )
        return sql, [column[0] for column in compiler.select[: compiler.col_count]]

    def rows(self, *values: Any) -> list[Sequence]:
        if len(values) != len(self.markers):
            raise TypeError(f"{len(self.markers)} values expected, {len(values)} given")
        connection = connections[router.db_for_read(self.model)]
        compiled = self._compiled.get(connection.alias)
        if compiled is None:
            compiled = self._compiled[connection.alias] = self._compile(connection)
        sql, expressions = compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        # The converters the ORM would apply (dates on SQLite, JSON), column by column.
        converters = []
        for position, expression in enumerate(expressions):
            functions = [
                *connection.ops.get_db_converters(expression),
                *expression.get_db_converters(connection),
            ]
            if functions:
                converters.append((position, functions, expression))
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, expression in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
            converted.append(row)
        return converted
