"""PostgreSQL privileges for the application's own role: it may add audit entries, never change
or remove them (the trigger refuses too, even for the table owner)."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql


def app_role_statements(role: str) -> list[sql.Composed]:
    name = sql.Identifier(role)
    return [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(name),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM {}").format(name),
    ]


def grant_app_role(connection: BaseDatabaseWrapper, role: str) -> None:
    if connection.vendor != "postgresql":
        raise ValueError("database roles exist on PostgreSQL only")
    with connection.cursor() as cursor:
        for statement in app_role_statements(role):
            cursor.execute(statement)
