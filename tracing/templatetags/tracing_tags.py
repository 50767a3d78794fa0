"""The case page's section on consents, family members and tracing (counts and links only), and the
main navigation's question whether the user traces families."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from accounts.policy import consent_and_family_access, may_trace
from registry.models import Case
from tracing.selectors import case_panel_counts

register = template.Library()


@register.inclusion_tag("tracing/_case_panel.html", takes_context=True)
def consent_and_family_panel(context: dict[str, Any], case: Case) -> dict[str, Any]:
    access = consent_and_family_access(context["request"].user, case)
    return {"case": case, **case_panel_counts(case, today=timezone.localdate()), **access}


@register.filter(name="may_trace")
def may_trace_filter(user: Any) -> bool:
    """For the main navigation: does the user trace families anywhere? (accounts.policy.may_trace)"""
    return may_trace(user)
