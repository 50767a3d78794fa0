from __future__ import annotations

from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "protection"
    verbose_name = "Protection lifecycle"
