"""Database-level guarantees that the ORM alone cannot give."""
from django.db import migrations


def _triggers(vendor: str, table: str) -> tuple[list[str], list[str]]:
    message = "append-only table: rows cannot be changed or deleted"
    if vendor == "sqlite":
        create = [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END;",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END;",
        ]
        drop = [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]
    elif vendor == "postgresql":
        create = [
            f"""CREATE OR REPLACE FUNCTION renda_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql;""",
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
