"""The OpenAPI schema generates without a warning: every endpoint, serializer and choice set is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_schema_generates_without_warnings(tmp_path: Path) -> None:
    schema = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(schema))
    text = schema.read_text(encoding="utf-8")
    assert "/api/v1/cases/{reference}/transitions/" in text
    assert "InterviewKindEnum" in text
