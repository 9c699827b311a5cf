"""Database-level guarantees that the ORM alone cannot give.

Append-only tables (the audit trail, workflow events) refuse UPDATE always, and DELETE
unless a maintenance window is open: a row in `renda_maintenance`, a table outside the
ORM that only the `flush` command (a full wipe by an administrator, as `load_demo` and
the test runner do) opens and closes. No single record can be edited or removed.
"""

from django.db import migrations

MAINTENANCE_TABLE = "renda_maintenance"
MESSAGE = "append-only table: rows cannot be changed or deleted"


def _create_maintenance_table(apps, schema_editor):
    schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {MAINTENANCE_TABLE} (opened_at varchar(40) NOT NULL)")


def _drop_maintenance_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {MAINTENANCE_TABLE}")


def maintenance_table() -> migrations.RunPython:
    return migrations.RunPython(_create_maintenance_table, _drop_maintenance_table)


def _triggers(vendor: str, table: str) -> tuple[list[str], list[str]]:
    if vendor == "sqlite":
        create = [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN NOT EXISTS (SELECT 1 FROM {MAINTENANCE_TABLE}) "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
        ]
        drop = [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]
    elif vendor == "postgresql":
        create = [
            f"""CREATE OR REPLACE FUNCTION renda_append_only() RETURNS trigger AS $$
                BEGIN
                  IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {MAINTENANCE_TABLE}) THEN RETURN OLD; END IF;
                  RAISE EXCEPTION '{MESSAGE}';
                END; $$ LANGUAGE plpgsql;""",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION renda_append_only();",
        ]
        drop = [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"]
    else:
        create, drop = [], []
    return create, drop


def append_only(table: str) -> migrations.RunPython:
    """A migration operation that makes `table` append-only with database triggers
    (SQLite and PostgreSQL), so that not even raw SQL can edit the audit trail."""

    def forward(apps, schema_editor):
        for sql in _triggers(schema_editor.connection.vendor, table)[0]:
            schema_editor.execute(sql)

    def backward(apps, schema_editor):
        for sql in _triggers(schema_editor.connection.vendor, table)[1]:
            schema_editor.execute(sql)

    return migrations.RunPython(forward, backward)


def without_append_only(table: str) -> migrations.RunPython:
    """The reverse of `append_only`: a migration that must rewrite the table's rows (adding a
    column it fills in) drops the triggers first and puts them back with `append_only` after."""
    forward, backward = append_only(table).code, append_only(table).reverse_code
    return migrations.RunPython(backward, forward)


class maintenance_window:
    """Context manager that lets a full wipe delete append-only rows."""

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {MAINTENANCE_TABLE} (opened_at) VALUES (CURRENT_TIMESTAMP)")
        return self

    def __exit__(self, *exc):
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {MAINTENANCE_TABLE}")
        return False
