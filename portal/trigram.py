"""Trigram indexes (pg_trgm) for the words the lists search, on PostgreSQL; SQLite keeps its plain scan.

Django's ``icontains`` compares ``UPPER(column::text) LIKE UPPER('%word%')`` on PostgreSQL; a GIN index on that
same expression with ``gin_trgm_ops`` answers it from the index however many rows the table holds.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def _index(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def trigram_indexes(table: str, *columns: str, expressions: dict[str, str] | None = None) -> list:
    """A migration's operations: the extension, then one index per searched column (nothing on other databases).

    ``expressions`` names a column searched through another expression than ``icontains``'s, e.g. an address's
    ``startswith``: ``{"ip_address": 'host("ip_address")'}``.
    """
    indexed = {column: f'UPPER("{column}"::text)' for column in columns} | (expressions or {})

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for column, expression in indexed.items():
                schema_editor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{_index(table, column)}" ON "{table}" '
                    f"USING gin (({expression}) gin_trgm_ops)"
                )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for column in indexed:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{_index(table, column)}"')

    return [TrigramExtension(), migrations.RunPython(create, drop)]
