from __future__ import annotations

app_name = "protection"

# Pages of the lifecycle, under /cases/<reference>/ beside the registry's.
urlpatterns: list = []  # type: ignore[type-arg]
