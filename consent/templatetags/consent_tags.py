"""The main navigation's questions about the consent app: does the user check texts, and do they
prepare or review media requests and releases? (accounts.policy decides.)"""

from __future__ import annotations

from typing import Any

from django import template

from accounts.policy import may_check_disclosure, release_access_organisations

register = template.Library()


@register.filter(name="may_check_disclosure")
def may_check_disclosure_filter(user: Any) -> bool:
    return may_check_disclosure(user)


@register.filter(name="handles_releases")
def handles_releases_filter(user: Any) -> bool:
    return bool(release_access_organisations(user))
