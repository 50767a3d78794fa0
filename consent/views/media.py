"""Pages of media requests: the organisation's list, recording one, and its page with the persons asked
for, whether their consents hold, and the steps (submit, the separate review, close)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.policy import (
    may_read_release_text,
    may_review_releases,
    release_access_organisations,
    release_organisations,
)
from consent import selectors
from consent.forms import AddPersonForm, MediaRequestCloseForm, MediaRequestForm, ReviewForm
from consent.models import MediaRequest, MediaRequestPerson, Purpose
from consent.services import media as services
from consent.services.releases import ReleaseRoleRefused
from passage.errors import ConditionsUnmet, NotPermitted
from passage.pages import form_errors_apply
from protection.selectors import unmet_text
from registry.models import Case


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "consent/forbidden.html", {"message": message}, status=403)


def _media_request(request: HttpRequest, pk: int) -> MediaRequest:
    row = selectors.media_requests_for(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404("No media request found.")
    return row


def run_step(request: HttpRequest, step: Callable[[], Any], *, success: str, back: str) -> HttpResponse:
    """Call a service; say what it did or why not (every unmet condition), and go back."""
    try:
        step()
    except ConditionsUnmet as refused:
        for problem in refused.unmet:
            messages.error(request, unmet_text(problem))
    except ReleaseRoleRefused as refused:
        return _forbidden(request, str(refused))
    except NotPermitted as refused:
        raise Http404(str(refused)) from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(back)


def media_request_list(request: HttpRequest) -> HttpResponse:
    if not release_access_organisations(request.user):
        raise Http404
    rows = list(selectors.media_requests_for(request.user).prefetch_related("persons"))
    return render(
        request,
        "consent/media_request_list.html",
        {"media_requests": rows, "may_create": bool(release_organisations(request.user))},
    )


@require_http_methods(["GET", "POST"])
def media_request_create(request: HttpRequest) -> HttpResponse:
    organisations = release_organisations(request.user)
    if not organisations:
        raise Http404
    form = MediaRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.media_request_create(
                actor=request.user,
                organisation=organisations[0],
                outlet=form.cleaned_data["outlet"],
                purposes=form.cleaned_data["purposes"],
                description=form.cleaned_data["description"],
                outlet_contact=form.cleaned_data["outlet_contact"],
                case_references=form.references(),
                channel="web",
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Media request recorded."))
            return redirect(reverse("consent:media_request_detail", args=[row.pk]))
    return render(request, "consent/media_request_form.html", {"form": form}, status=400 if form.errors else 200)


def media_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = _media_request(request, pk)
    persons = list(MediaRequestPerson.objects.filter(media_request=row).select_related("case").order_by("pk"))
    cases = [person.case for person in persons]
    consented = selectors.consented_pairs([case.person_id for case in cases], row.purposes)
    purpose_labels = dict(Purpose.choices)
    person_rows = [
        {
            "person": person,
            "consents": [
                {"purpose": purpose_labels.get(purpose, purpose), "live": (person.case.person_id, purpose) in consented}
                for purpose in row.purposes
            ],
        }
        for person in persons
    ]
    can_read = may_read_release_text(request.user, created_by_id=row.created_by_id, cases=cases)
    is_author_side = any(o.pk == row.organisation_id for o in release_organisations(request.user))
    may_review = may_review_releases(request.user, row.organisation_id) and request.user.pk != row.created_by_id
    unmet = services.media_request_unmet(
        request.user, row, "approve" if row.status == MediaRequest.Status.IN_REVIEW else "submit"
    )
    context = {
        "media_request": row,
        "person_rows": person_rows,
        "purposes": [purpose_labels.get(p, p) for p in row.purposes],
        "can_read": can_read,
        "may_edit": is_author_side and row.status == MediaRequest.Status.DRAFT,
        "may_submit": is_author_side and row.status == MediaRequest.Status.DRAFT,
        "may_review": may_review and row.status == MediaRequest.Status.IN_REVIEW,
        "may_close": (is_author_side or may_review) and row.is_open,
        "unmet": [unmet_text(problem) for problem in unmet],
        "add_form": AddPersonForm(),
        "review_form": ReviewForm(),
        "close_form": MediaRequestCloseForm(),
        "releases": list(row.releases.order_by("-updated_at")) if can_read else [],
    }
    if can_read and cases:
        services.media_request_record_view(actor=request.user, media_request=row, channel="web")
    return render(request, "consent/media_request_detail.html", context)


def _back(pk: int) -> str:
    return reverse("consent:media_request_detail", args=[pk])


@require_POST
def media_request_add_person(request: HttpRequest, pk: int) -> HttpResponse:
    row = _media_request(request, pk)
    form = AddPersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a case reference."))
        return redirect(_back(pk))
    return run_step(
        request,
        lambda: services.media_request_add_person(
            actor=request.user, media_request=row, reference=form.cleaned_data["reference"], channel="web"
        ),
        success=_("Person added."),
        back=_back(pk),
    )


@require_POST
def media_request_remove_person(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    row = _media_request(request, pk)
    case = Case.objects.filter(reference=reference, media_requests__media_request=row).first()
    if case is None:
        raise Http404("No such person in this request.")
    return run_step(
        request,
        lambda: services.media_request_remove_person(actor=request.user, media_request=row, case=case, channel="web"),
        success=_("Person removed."),
        back=_back(pk),
    )


@require_POST
def media_request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    row = _media_request(request, pk)
    return run_step(
        request,
        lambda: services.media_request_submit(actor=request.user, media_request=row, channel="web"),
        success=_("Submitted for review."),
        back=_back(pk),
    )


@require_POST
def media_request_review(request: HttpRequest, pk: int) -> HttpResponse:
    row = _media_request(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to refuse, and give the reasons."))
        return redirect(_back(pk))
    approve = form.cleaned_data["decision"] == "approve"
    return run_step(
        request,
        lambda: services.media_request_review(
            actor=request.user,
            media_request=row,
            approve=approve,
            reasons=form.cleaned_data["reasons"],
            channel="web",
        ),
        success=_("Request approved.") if approve else _("Request refused."),
        back=_back(pk),
    )


@require_POST
def media_request_close(request: HttpRequest, pk: int) -> HttpResponse:
    row = _media_request(request, pk)
    form = MediaRequestCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the request ends."))
        return redirect(_back(pk))
    return run_step(
        request,
        lambda: services.media_request_close(
            actor=request.user, media_request=row, outcome=form.cleaned_data["outcome"], channel="web"
        ),
        success=_("Request closed."),
        back=_back(pk),
    )
