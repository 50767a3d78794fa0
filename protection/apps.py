from __future__ import annotations

from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "protection"
    verbose_name = "Protection lifecycle"

    def ready(self) -> None:
        from protection import checks  # noqa: F401 - registers the pathway check
