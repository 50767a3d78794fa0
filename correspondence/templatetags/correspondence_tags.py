"""The case page's section on correspondence (counts and links only)."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.policy import may_read_correspondence, may_record_correspondence
from correspondence.selectors import case_panel_counts
from registry.models import Case

register = template.Library()


@register.inclusion_tag("correspondence/_case_panel.html", takes_context=True)
def correspondence_panel(context: dict[str, Any], case: Case) -> dict[str, Any]:
    user = context["request"].user
    if not may_read_correspondence(user, case):
        return {"show": False}
    return {"show": True, "case": case, "record": may_record_correspondence(user, case), **case_panel_counts(case)}
