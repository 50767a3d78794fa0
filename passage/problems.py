"""RFC 9457 problem details for every API error, naming the field and the reason."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from passage.errors import DomainError, EditConflict

PROBLEM_CONTENT_TYPE = "application/problem+json"


def _field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested error detail into [{field, reason}]."""
    errors: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            errors.extend(_field_errors(value, f"{prefix}.{name}" if prefix and name else prefix or name))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict):
                errors.extend(_field_errors(value, f"{prefix}[{index}]"))
            else:
                errors.extend(_field_errors(value, prefix))
    else:
        errors.append({"field": prefix, "reason": str(detail)})
    return errors


def problem_response(
    *,
    status_code: int,
    title: str,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status_code}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def _transition_refusal(exc: Exception) -> Response | None:
    """409 for a refused lifecycle transition, listing every unmet condition in the caller's language."""
    from protection.selectors import unmet_text  # the lifecycle depends on passage, not the reverse
    from protection.services import TransitionRefused

    if not isinstance(exc, TransitionRefused):
        return None
    unmet = [{"rule": u.rule, "message": unmet_text(u)} for u in exc.unmet]
    extra: dict[str, Any] = {"unmet": unmet, "from": exc.from_stage, "to": exc.to}
    return problem_response(
        status_code=status.HTTP_409_CONFLICT,
        title=exc.title,
        detail=gettext("The case cannot move from {source} to {target} until every condition listed is met.").format(
            source=exc.from_stage, target=exc.to
        ),
        **extra,
    )


def _conditions_unmet(exc: Exception) -> Response | None:
    """409 for a refused step of a media request or a release, listing every unmet condition."""
    from passage.errors import ConditionsUnmet
    from protection.selectors import unmet_text

    if not isinstance(exc, ConditionsUnmet):
        return None
    return problem_response(
        status_code=status.HTTP_409_CONFLICT,
        title=exc.title,
        detail=gettext("Not possible until every condition listed is met."),
        unmet=[{"rule": u.rule, "message": unmet_text(u)} for u in exc.unmet],
        step=exc.step,
    )


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        messages: dict[str, list[str]] = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        exc = exceptions.ValidationError(detail=messages)
    if isinstance(exc, EditConflict):
        return problem_response(
            status_code=status.HTTP_409_CONFLICT,
            title=exc.title,
            detail=str(exc),
            current_version=exc.current_version,
        )
    refusal = _transition_refusal(exc) or _conditions_unmet(exc)
    if refusal is not None:
        return refusal
    if isinstance(exc, DomainError):
        if exc.status == 404:
            # Same answer as for something that does not exist: existence is not revealed.
            return problem_response(status_code=404, title="Not found", detail="Not found.")
        return problem_response(status_code=exc.status, title=exc.title, detail=str(exc))
    if isinstance(exc, Http404):
        return problem_response(status_code=404, title="Not found", detail=str(exc) or "Not found.")
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            status_code=response.status_code,
            title="Invalid input",
            detail="One or more fields are invalid.",
            errors=_field_errors(exc.detail),
        )
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    title = {
        401: "Authentication required",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        406: "Not acceptable",
        412: "Precondition failed",
        415: "Unsupported media type",
        429: "Too many requests",
    }.get(response.status_code, "Error")
    problem = problem_response(status_code=response.status_code, title=title, detail=str(detail))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem
