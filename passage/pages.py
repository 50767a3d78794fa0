"""Small helpers the server-rendered pages share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import BaseForm


def form_errors_apply(form: BaseForm, error: ValidationError) -> None:
    """Show a service's validation error on the form: each field's messages at the field (or at the top
    when the form has no such field)."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, field_messages in error.message_dict.items():
        for message in field_messages:
            form.add_error(name if name in form.fields else None, message)
