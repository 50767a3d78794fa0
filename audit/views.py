"""The auditor's log page and a case's trail: who read and changed what, never the content."""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.policy import Action, organisations_for
from audit import selectors
from audit.models import AuditEvent
from audit.services import audit_record, log_verify_live

LAST_VERIFICATION_KEY = "passage:audit:last-verification"


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False, max_length=254)
    case_reference = forms.CharField(label=_("Case reference"), required=False, max_length=13)
    action = forms.ChoiceField(label=_("Action"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *AuditEvent.Kind.choices])
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, actions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((action, action) for action in actions)]


def _require_auditor(request: HttpRequest) -> None:
    if not organisations_for(request.user, Action.AUDIT_LOG):
        raise Http404


def audit_log(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None, actions=selectors.actions_in_use())
    filters = selectors.AuditFilters()
    if form.is_valid():
        filters = selectors.AuditFilters(**form.cleaned_data)
    page = Paginator(selectors.audit_log_for(actor=request.user, filters=filters), 100).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "checkpoint": selectors.latest_checkpoint(),
            "verification": cache.get(LAST_VERIFICATION_KEY),
        },
    )


@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    ok, message = log_verify_live()
    cache.set(LAST_VERIFICATION_KEY, {"ok": ok, "message": message, "at": timezone.now()}, timeout=None)
    audit_record(
        actor=request.user,
        kind=AuditEvent.Kind.SECURITY,
        action="audit.verify",
        purpose="intact" if ok else "FAILED",
        channel="web",
    )
    return redirect("audit:log")


def case_trail(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_audit(actor=request.user, reference=reference)
    if case is None:
        raise Http404
    page = Paginator(selectors.case_trail(case=case), 100).get_page(request.GET.get("page"))
    return render(request, "audit/case_trail.html", {"case": case, "page": page})
