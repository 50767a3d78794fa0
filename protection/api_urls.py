from __future__ import annotations

# Endpoints of the lifecycle, under /api/v1/cases/<reference>/ beside the registry's.
urlpatterns: list = []  # type: ignore[type-arg]
