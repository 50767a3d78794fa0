"""Pages of the protection lifecycle: the panel on the case page (the drawn timeline, the checklist of
what each next step still needs, the transition forms), the forms that record what the guards read,
the records of a case, and the queue of notifications to forward. Thin: the selectors read, the
services write and check the rules, the policy decides who may do what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Organisation, Role, User
from accounts.policy import (
    RECORD_ROLES,
    Actor,
    actor_memberships,
    case_roles,
    may_read_interview_content,
    may_record,
    records_allowed,
)
from passage.errors import NotPermitted
from passage.pages import form_errors_apply
from protection import forms as lifecycle_forms
from protection import selectors, services
from protection.guards import interview_problems
from protection.models import (
    CaseEvent,
    DeathRecord,
    Interview,
    NibRecord,
    PathwayProgress,
    Proceedings,
    StageChange,
)
from protection.rules import ART_122_PERSON_FIELDS, ART_122_RECORD_FIELDS
from protection.stages import MAIN_PATH, Stage
from protection.timeline import Drawing, EventEntry, InterviewEntry, StageEntry, draw
from registry import selectors as registry_selectors
from registry.models import Case
from registry.services import case_record_view

# Ways out of the process that every stage offers; the checklist shows them apart.
EXITS = frozenset({Stage.REPATRIATED, Stage.RELEASED_LOCALLY, Stage.ESCAPED, Stage.DECEASED})

# The record that satisfies an unmet condition, by the rule's name: the checklist links to its form.
RULE_RECORDS: dict[str, str] = {
    "art_122": "nib_record",
    "capture_card": "event",
    "private_interview": "interview",
    "wish_stated": "interview",
    "external_statements": "interview",
    "enough_interviews": "interview",
    "neutral_interviewer": "interview",
    "days_apart": "interview",
    "consistent": "interview",
    "return_wish": "interview",
    "handover": "interview",
    "risk": "risk_assessment",
    "non_refoulement": "risk_assessment",
    "protection_request": "protection_request",
    "in_person": "protection_request",
    "acceptance": "acceptance",
    "transfer": "transfer",
    "notified": "transfer",
    "valuables": "transfer",
    "witness": "transfer",
    "proceedings": "proceedings",
    "death": "death_record",
    "exclusions": "pathway_progress",
    "programme": "pathway_progress",
    "family_register": "pathway_progress",
    "housing": "pathway_progress",
}


def _recordable(actor: Actor, case: Case) -> set[str]:
    """The record kinds (keys of the policy's RECORD_ROLES) `actor` may add on `case`."""
    return set(records_allowed(actor, case))


def _interview_kinds(recordable: set[str]) -> list[str]:
    return [kind for kind in Interview.Kind.values if f"interview.{kind}" in recordable]


def _forbidden(request: HttpRequest, case: Case, message: str = "") -> HttpResponse:
    return render(
        request,
        "protection/forbidden.html",
        {"case": case, "message": message or _("Your role may not record this on the case.")},
        status=403,
    )


def _case_page(case: Case) -> str:
    return reverse("registry:case_detail", args=[case.reference]) + "#lifecycle"


# --- The case page's panel --------------------------------------------------------------------


@dataclass
class InterviewRow:
    """An interview as the lists and the timeline show it: whether it counts toward the wish, and why not."""

    interview: Interview
    counts: bool | None
    why_not: list[str] = field(default_factory=list)

    @property
    def counting_label(self) -> str:
        if self.counts is None:
            if self.interview.kind == Interview.Kind.EXTERNAL_STATEMENT:
                return _("Never counts toward the wish")
            return _("Not a wish-verification interview")
        if self.counts:
            return _("Counts toward the wish")
        return _("Does not count: %(reasons)s") % {"reasons": "; ".join(self.why_not)}


def interview_rows(case: Case, interviews: list[Interview]) -> list[InterviewRow]:
    """Whether each interview counts toward establishing the wish (PROCESS.md section 2)."""
    current = set(selectors.interviews_since_withdrawal(case).values_list("pk", flat=True))
    rows = []
    for interview in interviews:
        if interview.kind != Interview.Kind.WISH_VERIFICATION:
            rows.append(InterviewRow(interview, None))
            continue
        problems = [_(problem) for problem in interview_problems(selectors.interview_facts(interview))]
        if interview.pk not in current:
            problems.append(_("it was held before the wish was withdrawn"))
        rows.append(InterviewRow(interview, not problems, problems))
    return rows


def _timeline(
    case: Case, changes: list[StageChange], rows: list[InterviewRow], events: list[CaseEvent]
) -> tuple[Drawing, list[dict[str, Any]]]:
    """The drawing, and the same history in words (its text alternative), oldest first."""
    stages = [
        StageEntry(
            on=timezone.localdate(change.occurred_at),
            stage=change.to_stage,
            label=str(Stage(change.to_stage).label),
            is_side=change.to_stage not in MAIN_PATH,
            is_withdrawal=change.is_withdrawal,
        )
        for change in changes
    ]
    interviews = [
        InterviewEntry(
            on=row.interview.held_on,
            label=row.interview.get_kind_display(),
            counts=row.counts,
            note=row.counting_label,
        )
        for row in rows
    ]
    waiting = CaseEvent.Forwarding.QUEUED
    event_entries = [
        EventEntry(on=event.occurred_on, label=event.get_kind_display(), is_waiting=event.forwarding == waiting)
        for event in events
    ]
    drawing = draw(
        stages,
        interviews,
        event_entries,
        today=timezone.localdate(),
        lane_names=(_("Stages"), _("Interviews"), _("Events")),
    )
    words: list[dict[str, Any]] = []
    for entry in stages:
        what = _("The wish was withdrawn: back to %(stage)s") if entry.is_withdrawal else _("Stage: %(stage)s")
        words.append({"on": entry.on, "order": 0, "text": what % {"stage": entry.label}})
    for interview in interviews:
        text = _("Interview: %(kind)s (%(counting)s)") % {"kind": interview.label, "counting": interview.note}
        words.append({"on": interview.on, "order": 1, "text": text})
    for event in events:
        status = _("waiting to be forwarded") if event.forwarding == waiting else event.get_forwarding_display()
        text = _("Event: %(kind)s (%(status)s)") % {"kind": event.get_kind_display(), "status": status}
        words.append({"on": event.occurred_on, "order": 2, "text": text})
    words.sort(key=lambda item: (item["on"], item["order"]))
    return drawing, words


def _timeline_summary(drawing: Drawing, rows: list[InterviewRow], events: list[CaseEvent]) -> str:
    """One sentence for the drawing's `<desc>`."""
    counting = sum(1 for row in rows if row.counts)
    parts = [
        ngettext("%(count)d stage", "%(count)d stages", len(drawing.bands)) % {"count": len(drawing.bands)},
        ngettext(
            "%(count)d interview (%(counting)d counting toward the wish)",
            "%(count)d interviews (%(counting)d counting toward the wish)",
            len(rows),
        )
        % {"count": len(rows), "counting": counting},
        ngettext("%(count)d event", "%(count)d events", len(events)) % {"count": len(events)},
    ]
    return _("From %(start)s to %(end)s: %(parts)s. The same history is listed in words below the drawing.") % {
        "start": drawing.start.isoformat(),
        "end": drawing.end.isoformat(),
        "parts": ", ".join(parts),
    }


def _steps(
    actor: Actor,
    case: Case,
    recordable: set[str],
    *,
    attempted: str = "",
    note: str = "",
    note_error: str = "",
) -> list[dict[str, Any]]:
    """The checklist: each transition open from the current stage, what it still needs, who makes it."""
    keys = _record_keys(recordable)
    steps = []
    for option in selectors.transitions_open(actor=actor, case=case):
        transition = option.transition
        needs = []
        for problem in option.unmet:
            record = RULE_RECORDS.get(problem.rule, "")
            url = reverse(f"protection:{record}", args=[case.reference]) if record in keys else ""
            if problem.rule == "consent_to_share":  # consents are recorded on the consents page
                url = reverse("consent:list", args=[case.reference]) + "#record"
            needs.append({"text": selectors.unmet_text(problem), "url": url, "rule": problem.rule})
        is_attempted = transition.target == attempted
        steps.append(
            {
                "target": transition.target,
                "target_label": Stage(transition.target).label,
                "label": _(transition.label),
                "needs": needs,
                "is_ready": not option.unmet,
                "is_role_allowed": option.is_role_allowed,
                "needs_note": transition.needs_note,
                "is_withdrawal": transition.is_withdrawal,
                "is_exit": transition.target in EXITS,
                "roles": [Role(role).label for role in sorted(transition.roles) if role in Role.values],
                "is_attempted": is_attempted,
                "note": note if is_attempted else "",
                "note_error": note_error if is_attempted else "",
            }
        )
    # Forward first, then the side moves, the withdrawal of the wish last.
    steps.sort(key=lambda step: (step["is_withdrawal"], step["target"] not in MAIN_PATH))
    return steps


def _record_keys(recordable: set[str]) -> set[str]:
    """The record pages (keys of RECORD_PAGES) the actor may open."""
    keys = {key for key in RECORD_PAGES if key in recordable}
    if _interview_kinds(recordable):
        keys.add("interview")
    return keys


def lifecycle_panel(
    *, actor: Actor, case: Case, attempted: str = "", note: str = "", note_error: str = ""
) -> dict[str, Any]:
    """What the case page shows of the lifecycle (`{"lifecycle": ...}` for its template)."""
    recordable = _recordable(actor, case)
    changes = list(selectors.case_stage_changes(case))
    rows = interview_rows(case, list(selectors.case_interviews(case)))
    events = list(selectors.case_events(case))
    drawing, words = _timeline(case, changes, rows, events)
    steps = _steps(actor, case, recordable, attempted=attempted, note=note, note_error=note_error)
    keys = _record_keys(recordable)
    return {
        "lifecycle": {
            "drawing": drawing,
            "words": words,
            "summary": _timeline_summary(drawing, rows, events),
            "stage_since": timezone.localdate(changes[-1].occurred_at) if changes else None,
            "steps": [step for step in steps if not step["is_exit"]],
            "exits": [step for step in steps if step["is_exit"]],
            "exit_attempted": any(step["is_attempted"] for step in steps if step["is_exit"]),
            "records": [
                {"url": reverse(f"protection:{key}", args=[case.reference]), "title": page.title}
                for key, page in RECORD_PAGES.items()
                if key in keys
            ],
        }
    }


@require_http_methods(["GET", "POST"])
def transitions(request: HttpRequest, reference: str) -> HttpResponse:
    """The checklist on a page of its own, and where its forms post: a change of stage, or the page
    again with every condition the lifecycle service found unmet."""
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    form = lifecycle_forms.TransitionForm(request.POST if request.method == "POST" else None)
    refusal: list[str] | None = None
    note_error = ""
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            to, note = form.cleaned_data["to"], form.cleaned_data["note"]
            try:
                moved = services.case_transition(actor=request.user, case=case, to=to, note=note, channel="web")
            except services.TransitionRefused as refused:
                refusal = [selectors.unmet_text(problem) for problem in refused.unmet]
                note_error = next((selectors.unmet_text(u) for u in refused.unmet if u.rule == "reasons"), "")
                status = 409
            except services.RoleRefused:
                refusal = [_("Your role may not make this change.")]
                status = 403
            except ValidationError as error:
                refusal = list(error.messages)
                status = 400
            else:
                messages.success(
                    request,
                    _("The case moved to the stage “%(stage)s”.") % {"stage": Stage(moved.stage).label},
                )
                return redirect(_case_page(moved))
    attempted = str(form.data.get("to", "")) if form.is_bound else ""
    note = str(form.data.get("note", "")) if form.is_bound else ""
    context = {
        "case": case,
        "refusal": refusal,
        "form_errors": form.errors,
        **lifecycle_panel(actor=request.user, case=case, attempted=attempted, note=note, note_error=note_error),
    }
    return render(request, "protection/transitions.html", context, status=status)


# --- Record forms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordPage:
    title: Promise
    saved: Promise
    form: type[BaseForm]
    save: Callable[..., Any]
    existing: type[Model] | None = None  # one per case: the form edits it
    template: str = "protection/record_form.html"


RECORD_PAGES: dict[str, RecordPage] = {
    "interview": RecordPage(
        gettext_lazy("Record an interview or a statement"),
        gettext_lazy("Interview recorded."),
        lifecycle_forms.InterviewForm,
        services.interview_record,
    ),
    "nib_record": RecordPage(
        gettext_lazy("Art. 122 record"),
        gettext_lazy("Art. 122 record saved."),
        lifecycle_forms.NibRecordForm,
        services.nib_record_save,
        existing=NibRecord,
        template="protection/nib_record_form.html",
    ),
    "event": RecordPage(
        gettext_lazy("Record an event"),
        gettext_lazy("Event recorded."),
        lifecycle_forms.EventForm,
        services.event_record,
    ),
    "risk_assessment": RecordPage(
        gettext_lazy("Record a risk assessment"),
        gettext_lazy("Risk assessment recorded."),
        lifecycle_forms.RiskAssessmentForm,
        services.risk_assessment_record,
    ),
    "protection_request": RecordPage(
        gettext_lazy("Record a protection request"),
        gettext_lazy("Protection request recorded."),
        lifecycle_forms.ProtectionRequestForm,
        services.protection_request_record,
    ),
    "acceptance": RecordPage(
        gettext_lazy("Record an acceptance"),
        gettext_lazy("Acceptance recorded."),
        lifecycle_forms.AcceptanceForm,
        services.acceptance_record,
    ),
    "transfer": RecordPage(
        gettext_lazy("Schedule a transfer"),
        gettext_lazy("Transfer scheduled."),
        lifecycle_forms.TransferForm,
        services.transfer_schedule,
    ),
    "proceedings": RecordPage(
        gettext_lazy("Record proceedings"),
        gettext_lazy("Proceedings recorded."),
        lifecycle_forms.ProceedingsForm,
        services.proceedings_record,
    ),
    "extension": RecordPage(
        gettext_lazy("Record an extension"),
        gettext_lazy("Extension recorded."),
        lifecycle_forms.ExtensionForm,
        services.extension_record,
    ),
    "pathway_progress": RecordPage(
        gettext_lazy("Pathway progress"),
        gettext_lazy("Pathway progress saved."),
        lifecycle_forms.PathwayProgressForm,
        services.pathway_progress_save,
        existing=PathwayProgress,
    ),
    "death_record": RecordPage(
        gettext_lazy("Death record (Art. 120)"),
        gettext_lazy("Death record saved."),
        lifecycle_forms.DeathRecordForm,
        services.death_record_save,
        existing=DeathRecord,
    ),
}


def _interviewers(case: Case) -> list[User]:
    """The people who work on the case, any of whom may have held an interview."""
    candidates = (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__organisation_id=case.organisation_id, memberships__role=Role.SUPERVISOR)
            | Q(teams__assignments__case=case)
        )
        .distinct()
        .order_by("email")
    )
    return [user for user in candidates if case_roles(user, case)]


def _record_form(page: RecordPage, request: HttpRequest, case: Case, recordable: set[str]) -> Any:
    data = request.POST if request.method == "POST" else None
    existing = page.existing.objects.filter(case=case).first() if page.existing else None  # type: ignore[attr-defined]
    if page.form is lifecycle_forms.InterviewForm:
        return lifecycle_forms.InterviewForm(
            data,
            kinds=_interview_kinds(recordable),
            interviewers=_interviewers(case),
            initial={"interviewer": request.user.pk},
        )
    if page.form is lifecycle_forms.NibRecordForm:
        return lifecycle_forms.NibRecordForm(data, initial=lifecycle_forms.NibRecordForm.initial_from(existing))
    initial: dict[str, Any] = {}
    if existing is not None and issubclass(page.form, lifecycle_forms.RecordForm):
        initial = model_to_dict(existing, fields=list(page.form._meta.fields or ()))
        initial.update({name: str(value) for name, value in initial.items() if isinstance(value, str)})
    return page.form(data, initial=initial)


@require_http_methods(["GET", "POST"])
def record_page(request: HttpRequest, reference: str, record: str) -> HttpResponse:
    """A form for one kind of lifecycle record; the service checks the policy and the rules again."""
    page = RECORD_PAGES[record]
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    recordable = _recordable(request.user, case)
    if record not in _record_keys(recordable):
        return _forbidden(request, case)
    form = _record_form(page, request, case, recordable)
    if request.method == "POST" and form.is_valid():
        try:
            page.save(actor=request.user, case=case, values=form.values(), channel="web")
        except services.RoleRefused:
            return _forbidden(request, case)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, str(page.saved))
            return redirect(_case_page(case))
    if page.existing is not None:
        case_record_view(actor=request.user, case=case, purpose=f"{record} form", channel="web")
    context = {
        "case": case,
        "title": page.title,
        "form": form,
        "record": record,
        "rows": form.rows(case.person) if isinstance(form, lifecycle_forms.NibRecordForm) else None,
    }
    return render(request, page.template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def proceedings_close(request: HttpRequest, reference: str, proceedings_id: int) -> HttpResponse:
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    proceedings = Proceedings.objects.filter(pk=proceedings_id, case=case, closed_on__isnull=True).first()
    if proceedings is None:
        raise Http404("No proceedings found.")
    if not may_record(request.user, case, "proceedings"):
        return _forbidden(request, case)
    data = request.POST if request.method == "POST" else None
    form = lifecycle_forms.ProceedingsCloseForm(data, proceedings=proceedings)
    if request.method == "POST" and form.is_valid():
        try:
            services.proceedings_close(
                actor=request.user,
                case=case,
                proceedings=proceedings,
                closed_on=form.cleaned_data["closed_on"],
                channel="web",
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("The proceedings are closed."))
            return redirect(_case_page(case))
    return render(
        request,
        "protection/record_form.html",
        {"case": case, "title": _("Close proceedings"), "form": form, "record": "proceedings_close"},
        status=400 if form.errors else 200,
    )


# --- The records of a case --------------------------------------------------------------------


def _field_label(model: type[Model], name: str) -> Any:
    return getattr(model._meta.get_field(name), "verbose_name", name)


def _art_122_status(case: Case, nib: NibRecord | None) -> list[dict[str, Any]]:
    """Each Art. 122 field: filled, marked not available, or missing (never its value)."""
    marked = set(nib.not_available) if nib else set()
    rows = []
    for name in ART_122_PERSON_FIELDS:
        label = _field_label(type(case.person), name)
        filled = bool(str(getattr(case.person, name)))
        rows.append({"label": label, "filled": filled, "marked": name in marked})
    for name in ART_122_RECORD_FIELDS:
        label = _field_label(NibRecord, name)
        value = getattr(nib, name) if nib else ""
        filled = bool(value if isinstance(value, list) else str(value))
        rows.append({"label": label, "filled": filled, "marked": name in marked})
    return rows


def lifecycle(request: HttpRequest, reference: str) -> HttpResponse:
    """Every lifecycle record of the case. What a person said in an interview is shown only to those
    the policy lets read it; everyone else sees when, what kind, and whether it counts."""
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    may_read = may_read_interview_content(request.user, case)
    recordable = _recordable(request.user, case)
    decrypting = ("person__data_key",)
    interviews = list(selectors.case_interviews(case).select_related(*decrypting))
    nib = NibRecord.objects.filter(case=case).select_related(*decrypting).first()
    context = {
        "case": case,
        "may_read_interview_content": may_read,
        "may_close_proceedings": "proceedings" in recordable,
        "may_forward": "event.forward" in recordable,
        "stage_changes": list(selectors.case_stage_changes(case).select_related(*decrypting)),
        "interviews": interview_rows(case, interviews),
        "nib": nib,
        "art_122": _art_122_status(case, nib),
        "risk_assessments": list(case.risk_assessments.select_related(*decrypting)),
        "protection_requests": list(case.protection_requests.select_related(*decrypting)),
        "acceptances": list(case.acceptances.all()),
        "transfers": list(case.transfers.select_related(*decrypting)),
        "proceedings": list(case.proceedings.select_related(*decrypting)),
        "events": list(selectors.case_events(case).select_related(*decrypting)),
        "extensions": list(case.extensions.all()),
        "pathway_progress": PathwayProgress.objects.filter(case=case).first(),
        "death_record": DeathRecord.objects.filter(case=case).select_related(*decrypting).first(),
    }
    case_record_view(actor=request.user, case=case, purpose="lifecycle records", channel="web")
    return render(request, "protection/lifecycle.html", context)


# --- Notifications ----------------------------------------------------------------------------


def forwarding_organisations(actor: Actor) -> list[Organisation]:
    """Organisations in which `actor` holds a role that forwards notifications (the policy's
    RECORD_ROLES["event.forward"]): the detaining power's liaisons and supervisors."""
    return [m.organisation for m in actor_memberships(actor) if m.role in RECORD_ROLES["event.forward"]]


def notifications(request: HttpRequest) -> HttpResponse:
    """Events the Convention requires to be passed on (rule (c) 3), oldest first."""
    organisations = forwarding_organisations(request.user)
    if not organisations:
        raise Http404
    visible = registry_selectors.cases_visible_to(request.user).filter(is_erased=False)
    queue = list(
        selectors.notification_queue(organisation_ids=[o.pk for o in organisations]).filter(case__in=visible)[:500]
    )
    return render(request, "protection/notifications.html", {"events": queue})


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
def event_forward(request: HttpRequest, reference: str, event_id: int) -> HttpResponse:
    """Mark a notification forwarded to the NIB or the Central Agency."""
    case = registry_selectors.case_get(actor=request.user, reference=reference)
    event = CaseEvent.objects.filter(pk=event_id, case=case).first()
    if event is None:
        raise Http404("No event found.")
    if not may_record(request.user, case, "event.forward"):
        return _forbidden(request, case, _("Your role may not forward notifications."))
    try:
        services.event_mark_forwarded(actor=request.user, case=case, event=event, channel="web")
    except NotPermitted as error:
        raise Http404("No event found.") from error
    except ValidationError:
        refused = True
    else:
        refused = False
    if request.htmx:  # type: ignore[attr-defined]
        event.refresh_from_db()
        event.case = case
        return render(request, "protection/_notification.html", {"event": event})  # as it now stands
    if refused:
        messages.error(request, _("This event is not waiting to be forwarded."))
    else:
        messages.success(request, _("Marked forwarded."))
    return redirect(_safe_next(request, reverse("protection:notifications")))
