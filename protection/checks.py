"""System check: the receiving-state pathways (built in, and the optional JSON file) must be valid."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from protection.transitions import PathwayConfigError, pathways_load


@register("protection")
def pathways_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        pathways_load(settings.PASSAGE_PATHWAYS_FILE or None)
    except OSError as exc:
        return [Error(f"PASSAGE_PATHWAYS_FILE cannot be read: {exc.strerror}", id="protection.E001")]
    except PathwayConfigError as exc:
        return [Error(str(exc), id="protection.E002")]
    return []
