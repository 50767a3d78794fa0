from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations

from audit import triggers


def install(apps: Any, schema_editor: Any) -> None:
    triggers.install(schema_editor.connection, flushable=settings.PASSAGE_AUDIT_FLUSHABLE_FOR_TESTS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
