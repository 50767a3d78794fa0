"""Consent pages of a case: the list with the form to record one, and the revocation (confirmed first).
Thin: the selectors read, the services write and check the policy again under the case lock."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.policy import may_record_consent
from consent import selectors, services
from consent.forms import ConsentForm, RevokeForm
from consent.models import Consent
from passage.pages import form_errors_apply
from registry import selectors as registry_selectors
from registry.models import Case
from registry.services import case_record_view


def _forbidden(request: HttpRequest, case: Case) -> HttpResponse:
    message = _("Your role may not record or revoke consents on this case.")
    return render(request, "protection/forbidden.html", {"case": case, "message": message}, status=403)


@require_http_methods(["GET", "POST"])
def consent_list(request: HttpRequest, reference: str) -> HttpResponse:
    """The person's consents, live or not and why, and (for those who may) the form to record one."""
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    may_record = may_record_consent(request.user, case)
    form = ConsentForm(request.POST if request.method == "POST" else None) if may_record else None
    if request.method == "POST":
        if form is None:
            return _forbidden(request, case)
        if form.is_valid():
            try:
                services.consent_record(actor=request.user, case=case, **form.values(), channel="web")
            except services.ConsentRoleRefused:
                return _forbidden(request, case)
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("Consent recorded."))
                return redirect(reverse("consent:list", args=[case.reference]))
    consents = list(selectors.case_consents(case))
    case_record_view(actor=request.user, case=case, purpose="consents", channel="web")
    context = {"case": case, "consents": consents, "form": form, "may_record": may_record}
    return render(request, "consent/consent_list.html", context, status=400 if form and form.errors else 200)


@require_http_methods(["GET", "POST"])
def consent_revoke(request: HttpRequest, reference: str, consent_id: int) -> HttpResponse:
    """Ask for confirmation and how the person said so, then revoke: effective at once."""
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    consent = Consent.objects.filter(pk=consent_id, case=case).select_related("case").first()
    if consent is None:
        raise Http404("No consent found.")
    if not may_record_consent(request.user, case):
        return _forbidden(request, case)
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if consent.is_revoked:
        messages.info(request, _("This consent was already revoked."))
        return redirect(reverse("consent:list", args=[case.reference]))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_revoke(
                actor=request.user,
                case=case,
                consent=consent,
                revocation_channel=form.cleaned_data["revocation_channel"],
                channel="web",
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Consent revoked. It no longer holds for any future use."))
            return redirect(reverse("consent:list", args=[case.reference]))
    context = {"case": case, "consent": consent, "form": form}
    return render(request, "consent/consent_revoke.html", context, status=400 if form.errors else 200)
