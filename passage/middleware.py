"""Pages for domain errors that are not 404: an erased person or a merged case answers 410 with a notice."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from passage.errors import CaseMerged, PersonErased


class ErasedCasePageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PersonErased) and not request.path_info.startswith("/api/"):
            return render(
                request,
                "registry/erased.html",
                {"reference": exception.reference, "erased_at": exception.erased_at},
                status=410,
            )
        if isinstance(exception, CaseMerged) and not request.path_info.startswith("/api/"):
            return render(
                request,
                "registry/merged.html",
                {"reference": exception.reference, "merged_into": exception.merged_into},
                status=410,
            )
        return None
