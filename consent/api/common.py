"""What the consent app's endpoints share: the documented errors and the step runner."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(description="Problem details (RFC 9457) with `errors`: [{field, reason}]"),
    403: OpenApiResponse(description="Problem details (RFC 9457): your role may not do this"),
    404: OpenApiResponse(description="Problem details (RFC 9457): not found, or no access to it"),
    409: OpenApiResponse(description="Problem details (RFC 9457) with `unmet`: [{rule, message}]"),
}
READ_ERRORS = {code: ERRORS[code] for code in (403, 404)}
