"""System check: the audit log may be switched off only in benchmark runs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register("audit")
def audit_enabled_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PASSAGE_AUDIT_ENABLED and not settings.PASSAGE_BENCHMARK_MODE:
        return [Error("PASSAGE_AUDIT_ENABLED=false is only allowed in benchmark runs", id="audit.E001")]
    return []
