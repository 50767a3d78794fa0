from __future__ import annotations

from django.apps import AppConfig


class PassageConfig(AppConfig):
    name = "passage"
    verbose_name = "Passage"
