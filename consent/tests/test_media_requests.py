"""Media requests (PROCESS.md 4): approval needs a live consent of every person asked for, for every
purpose asked, and a separate review by a supervisor; a media officer names persons by reference only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from conftest import World
from consent.models import MediaRequest, Purpose
from consent.services import media as services
from consent.services.releases import ReleaseRoleRefused
from consent.tests.helpers import consent
from passage.errors import ConditionsUnmet, NotPermitted
from registry.models import Case


def documentary(
    world: World, *, who: str = "media_a", purposes: tuple[str, ...] = ("interview", "image")
) -> MediaRequest:
    return services.media_request_create(
        actor=world.user(who),
        organisation=world.org_a,
        outlet="Fjord Documentary Films (fictional)",
        purposes=list(purposes),
        description="A producer asks to film two prisoners for a documentary about the war.",
        outlet_contact="producer@fjord.example",
        case_references=[world.case_a.reference],
    )


def submitted(world: World, **kwargs: object) -> MediaRequest:
    return services.media_request_submit(actor=world.user("media_a"), media_request=documentary(world, **kwargs))  # type: ignore[arg-type]


def unmet_rules(caught: pytest.ExceptionInfo[ConditionsUnmet]) -> set[str]:
    return {problem.rule for problem in caught.value.unmet}


@pytest.mark.django_db
def test_a_media_officer_records_a_request_naming_persons_by_reference(world: World) -> None:
    request = documentary(world)
    assert request.status == MediaRequest.Status.DRAFT
    assert [p.case_id for p in request.persons.all()] == [world.case_a.pk]
    assert AuditEvent.objects.filter(action="media_request.create", case_reference=world.case_a.reference).exists()


@pytest.mark.django_db
def test_a_media_officer_may_name_only_the_cases_of_their_teams(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.media_request_create(
            actor=world.user("media_a"),
            organisation=world.org_a,
            outlet="Outlet",
            purposes=["interview"],
            description="Asks for someone else.",
            case_references=[world.case_b.reference],
        )
    assert world.case_b.reference in caught.value.message_dict["cases"][0]


@pytest.mark.django_db
def test_roles_that_prepare_no_requests_are_refused(world: World) -> None:
    for who in ("detaining_a", "auditor_a", "admin_a"):
        with pytest.raises(ReleaseRoleRefused):
            documentary(world, who=who)


@pytest.mark.django_db
def test_approval_is_refused_until_every_purpose_has_a_live_consent(world: World) -> None:
    request = submitted(world)
    consent(world, Purpose.INTERVIEW)
    with pytest.raises(ConditionsUnmet) as caught:
        services.media_request_review(
            actor=world.user("supervisor_a"), media_request=request, approve=True, reasons="OK."
        )
    assert unmet_rules(caught) == {"consent"}
    assert "(image)" in caught.value.unmet[0].message
    consent(world, Purpose.IMAGE)
    approved = services.media_request_review(
        actor=world.user("supervisor_a"), media_request=request, approve=True, reasons="Faces blurred, no names."
    )
    assert approved.status == MediaRequest.Status.APPROVED and approved.reviewed_by == world.user("supervisor_a")


@pytest.mark.django_db
def test_consent_alone_does_not_approve_a_supervisor_must(world: World) -> None:
    consent(world, Purpose.INTERVIEW)
    consent(world, Purpose.IMAGE)
    request = submitted(world)
    for who in ("caseworker_a", "media_a", "protection"):
        with pytest.raises((ConditionsUnmet, NotPermitted)):
            services.media_request_review(
                actor=world.user(who), media_request=request, approve=True, reasons="Fine by me, really."
            )


@pytest.mark.django_db
def test_the_author_never_reviews_their_request(world: World) -> None:
    consent(world, Purpose.INTERVIEW)
    request = services.media_request_submit(
        actor=world.user("caseworker_a"), media_request=documentary(world, who="caseworker_a", purposes=("interview",))
    )
    with pytest.raises(ConditionsUnmet) as caught:
        services.media_request_review(
            actor=world.user("caseworker_a"), media_request=request, approve=True, reasons="x"
        )
    assert "reviewer" in unmet_rules(caught)


@pytest.mark.django_db
def test_an_expired_consent_blocks_approval(world: World) -> None:
    consent(
        world,
        Purpose.INTERVIEW,
        given_on=timezone.localdate() - dt.timedelta(days=10),
        expires_on=timezone.localdate() - dt.timedelta(days=1),
    )
    request = submitted(world, purposes=("interview",))
    with pytest.raises(ConditionsUnmet) as caught:
        services.media_request_review(
            actor=world.user("supervisor_a"), media_request=request, approve=True, reasons="x"
        )
    assert unmet_rules(caught) == {"consent"}


@pytest.mark.django_db
def test_a_change_of_stage_lapses_the_consent_and_blocks_approval(world: World) -> None:
    consent(world, Purpose.INTERVIEW)
    request = submitted(world, purposes=("interview",))
    Case.objects.filter(pk=world.case_a.pk).update(stage="in_custody")
    with pytest.raises(ConditionsUnmet):
        services.media_request_review(
            actor=world.user("supervisor_a"), media_request=request, approve=True, reasons="x"
        )


@pytest.mark.django_db
def test_a_refusal_records_its_reasons(world: World) -> None:
    request = submitted(world)
    with pytest.raises(ValidationError):
        services.media_request_review(
            actor=world.user("supervisor_a"), media_request=request, approve=False, reasons=""
        )
    refused = services.media_request_review(
        actor=world.user("supervisor_a"), media_request=request, approve=False, reasons="Public curiosity (Art. 13)."
    )
    assert refused.status == MediaRequest.Status.REFUSED


@pytest.mark.django_db
def test_submitting_needs_a_purpose_and_a_person(world: World) -> None:
    request = documentary(world)
    services.media_request_remove_person(actor=world.user("media_a"), media_request=request, case=world.case_a)
    with pytest.raises(ConditionsUnmet) as caught:
        services.media_request_submit(actor=world.user("media_a"), media_request=request)
    assert unmet_rules(caught) == {"persons"}


@pytest.mark.django_db
def test_persons_change_only_while_a_draft(world: World) -> None:
    request = submitted(world)
    with pytest.raises(ValidationError):
        services.media_request_add_person(
            actor=world.user("media_a"), media_request=request, reference=world.case_a.reference
        )


@pytest.mark.django_db
def test_another_organisation_cannot_reach_the_request(world: World) -> None:
    request = documentary(world)
    for who in ("media_b", "supervisor_b", "caseworker_b"):
        with pytest.raises(NotPermitted):
            services.media_request_submit(actor=world.user(who), media_request=request)


@pytest.mark.django_db
def test_closing_a_request_cancels_its_pending_material(world: World) -> None:
    from consent.models import Release
    from consent.services import releases

    consent(world, Purpose.INTERVIEW)
    request = submitted(world, purposes=("interview",))
    request = services.media_request_review(
        actor=world.user("supervisor_a"), media_request=request, approve=True, reasons="Consents live; no faces filmed."
    )
    material = releases.release_create(
        actor=world.user("media_a"),
        organisation=world.org_a,
        kind=Release.Kind.MEDIA_MATERIAL,
        purpose=Purpose.INTERVIEW,
        title="Interview notes",
        recipient="Fjord Documentary Films",
        text="The interview took place in a private room.",
        case_references=[world.case_a.reference],
        media_request=request,
    )
    services.media_request_close(actor=world.user("media_a"), media_request=request, outcome="outlet_withdrew")
    material.refresh_from_db()
    assert material.status == Release.Status.CANCELLED and material.cancel_reason == "media_request_closed"
