"""Registry pages: thin views over the selectors and services."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.policy import Action, actor_memberships, may_act_on_case, organisations_for
from audit import selectors as audit_selectors
from audit.models import AuditEvent
from audit.services import audit_record
from passage.errors import EditConflict, NotPermitted
from protection.alerts import alert_dashboard
from protection.stages import Stage
from protection.views import lifecycle_panel
from registry import importing, selectors, services
from registry.duplicates import duplicates_of_case
from registry.forms import (
    AliasFormSet,
    CaseCreateForm,
    CaseEditForm,
    CustodyForm,
    EraseForm,
    ImportForm,
    TeamAssignForm,
    aliases_from_formset,
)
from registry.import_jobs import import_job_progress, import_job_start
from registry.models import ImportJob

PAGE_SIZE = 50


def _apply_errors(form: Any, formset: Any, error: ValidationError) -> None:
    for field, field_messages in error.message_dict.items():
        for message in field_messages:
            if field == "aliases" and formset is not None:
                formset._non_form_errors = formset.error_class([*formset.non_form_errors(), message])
            elif field in form.fields:
                form.add_error(field, message)
            else:
                form.add_error(None, message)


def home(request: HttpRequest) -> HttpResponse:
    caseload = selectors.caseload_by_stage(actor=request.user)
    peak = max((count for _stage, count in caseload), default=0) or 1
    bars = [
        {"stage": stage, "count": count, "width": round(100 * count / peak, 1)}
        for stage, count in caseload
        if count or stage in Stage
    ]
    return render(
        request,
        "registry/home.html",
        {
            "bars": [bar for bar in bars if bar["count"]],
            "total": sum(count for _s, count in caseload),
            "alert_groups": alert_dashboard(actor=request.user),
        },
    )


def case_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    organisation = request.GET.get("organisation", "")
    cases = selectors.case_list(actor=request.user, query=query, stage=stage, organisation_slug=organisation)
    page = Paginator(cases.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.case_rows(list(page.object_list))
    if query:
        audit_record(
            actor=request.user,
            kind=AuditEvent.Kind.READ,
            action="case.search",
            object_type="case",
            purpose=f"{page.paginator.count} results",
            channel="web",
        )
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "stage": stage,
        "organisation": organisation,
        "stages": Stage.choices,
        "organisations": sorted({m.organisation for m in actor_memberships(request.user)}, key=str),
        "can_create": bool(organisations_for(request.user, Action.CREATE)),
    }
    template = "registry/_case_rows.html" if request.htmx else "registry/case_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get(actor=request.user, reference=reference)
    services.case_record_view(actor=request.user, case=case, channel="web")
    return render(
        request,
        "registry/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "can_change": may_act_on_case(request.user, Action.CHANGE, case),
            "can_assign": may_act_on_case(request.user, Action.ASSIGN, case),
            "can_erase": may_act_on_case(request.user, Action.ERASE, case),
            "trail": audit_selectors.case_trail(case=case, limit=20)
            if may_act_on_case(request.user, Action.AUDIT, case)
            else None,
            "custody_form": CustodyForm(),
            "assign_form": TeamAssignForm(case=case),
            "possible_duplicates": duplicates_of_case(request.user, case),
            **lifecycle_panel(actor=request.user, case=case),
        },
    )


@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get(actor=request.user, reference=reference, action=Action.ERASE)
    form = EraseForm(request.POST or None, reference=case.reference)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, None, error)
        else:
            messages.success(
                request,
                _("The person's data in case %(reference)s was erased.") % {"reference": case.reference},
            )
            return redirect("registry:case_list")
    return render(request, "registry/erase.html", {"case": case, "form": form}, status=400 if form.errors else 200)


@require_POST
def case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get(actor=request.user, reference=reference, action=Action.ASSIGN)
    form = TeamAssignForm(request.POST, case=case)
    if form.is_valid():
        team = form.cleaned_data["team"]
        try:
            services.case_assign_team(actor=request.user, case=case, team=team)
        except ValidationError as error:  # sharing needs the person's consent
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Team %(team)s now has access to this case.") % {"team": team.name})
    else:
        messages.error(request, _("Choose a team that does not have access yet."))
    return redirect("registry:case_detail", reference=case.reference)


@require_POST
def case_unassign(request: HttpRequest, reference: str, team_id: int) -> HttpResponse:
    case = selectors.case_get(actor=request.user, reference=reference, action=Action.ASSIGN)
    assignment = case.assignments.filter(team_id=team_id).select_related("team").first()
    if assignment is None:
        raise Http404
    try:
        services.case_unassign_team(actor=request.user, case=case, team=assignment.team)
    except ValidationError as error:
        for field_messages in error.message_dict.values():
            for message in field_messages:
                messages.error(request, message)
    else:
        messages.success(
            request, _("Team %(team)s no longer has access to this case.") % {"team": assignment.team.name}
        )
    return redirect("registry:case_detail", reference=case.reference)


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    organisations = organisations_for(request.user, Action.CREATE)
    if not organisations:
        raise Http404
    form = CaseCreateForm(request.POST or None, organisations=organisations)
    formset = AliasFormSet(request.POST or None, prefix="aliases")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            case = services.case_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                person=form.person_values(),
                aliases=aliases_from_formset(formset),
                entry_route=form.cleaned_data["entry_route"],
            )
        except ValidationError as error:
            _apply_errors(form, formset, error)
        except NotPermitted:
            form.add_error("organisation", _("You may not create cases in this organisation."))
        else:
            messages.success(request, _("Case %(reference)s created.") % {"reference": case.reference})
            found = duplicates_of_case(request.user, case).count()
            if found:
                messages.warning(
                    request,
                    ngettext(
                        "This person may already be registered: %(count)d possible duplicate to review.",
                        "This person may already be registered: %(count)d possible duplicates to review.",
                        found,
                    )
                    % {"count": found},
                )
            return redirect("registry:case_detail", reference=case.reference)
    return render(request, "registry/case_form.html", {"form": form, "formset": formset, "creating": True})


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get(actor=request.user, reference=reference, action=Action.CHANGE)
    person = case.person
    conflict: dict[str, Any] | None = None
    if request.method == "POST":
        form = CaseEditForm(request.POST)
        formset = AliasFormSet(request.POST, prefix="aliases")
        if form.is_valid() and formset.is_valid():
            try:
                services.case_update(
                    actor=request.user,
                    case=case,
                    expected_version=form.cleaned_data["version"],
                    person=form.person_values(),
                    aliases=aliases_from_formset(formset),
                )
            except EditConflict as error:
                conflict = _conflict_context(reference, request, form)
                data = request.POST.copy()
                data["version"] = str(error.current_version)
                form = CaseEditForm(data)
                form.is_valid()
            except ValidationError as error:
                _apply_errors(form, formset, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("registry:case_detail", reference=case.reference)
    else:
        initial = {name: getattr(person, name) for name in CaseEditForm.base_fields if hasattr(person, name)}
        initial["languages"] = ", ".join(person.languages)
        initial["version"] = case.version
        form = CaseEditForm(initial=initial)
        formset = AliasFormSet(
            initial=[{"name": alias.name, "kind": alias.kind} for alias in person.aliases.all()],
            prefix="aliases",
        )
    services.case_record_view(actor=request.user, case=case, purpose="edit", channel="web")
    return render(
        request,
        "registry/case_form.html",
        {"form": form, "formset": formset, "case": case, "creating": False, "conflict": conflict},
    )


def _conflict_context(reference: str, request: HttpRequest, form: CaseEditForm) -> dict[str, Any]:
    current = selectors.case_get(actor=request.user, reference=reference)
    differences = []
    submitted = form.person_values()
    for name, value in submitted.items():
        now = getattr(current.person, name)
        if now != value:
            differences.append({"label": form.fields[name].label, "yours": value, "theirs": now})
    return {"version": current.version, "differences": differences}


@require_POST
def custody_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get(actor=request.user, reference=reference, action=Action.CHANGE)
    form = CustodyForm(request.POST)
    if form.is_valid():
        try:
            services.custody_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, None, error)
        else:
            messages.success(request, _("Custody record added."))
            return redirect("registry:case_detail", reference=case.reference)
    services.case_record_view(actor=request.user, case=case, channel="web")
    return render(
        request,
        "registry/case_detail.html",
        {"case": case, "person": case.person, "can_change": True, "custody_form": form},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = ImportJob.objects.filter(pk=job_id, actor_id=request.user.pk).first()
    if job is None:
        raise Http404
    job = import_job_progress(job)
    template = "registry/_import_job.html" if request.htmx else "registry/import_job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


def person_import(request: HttpRequest) -> HttpResponse:
    organisations = organisations_for(request.user, Action.IMPORT)
    if not organisations:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    report = None
    file_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.PASSAGE_IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than the import limit."))
        else:
            data = upload.read()
            organisation = form.cleaned_data["organisation"]
            try:
                # Checking is quick and shows its errors at once; a long import goes to the background.
                report = importing.validate_person_rows(importing.read_person_file(data, upload.name))
                if report.is_valid and len(report.rows) > settings.PASSAGE_IMPORT_INLINE_ROWS:
                    job = import_job_start(
                        actor=cast(User, request.user), organisation=organisation, data=data, filename=upload.name
                    )
                    return redirect("registry:import_job", job_id=job.pk)
                if report.is_valid:
                    report = importing.persons_import(
                        actor=request.user, organisation=organisation, data=data, filename=upload.name, channel="web"
                    )
            except importing.ImportFileError as error:
                file_error = str(error)
            except NotPermitted:
                form.add_error("organisation", _("You may not import persons into this organisation."))
            else:
                if report.is_valid:
                    count = len(report.rows)
                    messages.success(
                        request,
                        ngettext("Imported %(count)s person.", "Imported %(count)s persons.", count) % {"count": count},
                    )
                    return redirect("registry:case_list")
    refused = bool(form.errors) or bool(file_error) or (report is not None and not report.is_valid)
    status = 400 if request.method == "POST" and refused else 200
    return render(
        request,
        "registry/import.html",
        {"form": form, "report": report, "file_error": file_error, "columns": importing.ALL_COLUMNS},
        status=status,
    )
