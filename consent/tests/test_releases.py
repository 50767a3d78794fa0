"""Releases (PROCESS.md (c) 17-18): nothing that identifies a person leaves without redaction, or that
person's live consent for the exact purpose and a separate review; revocation cancels what is pending
and opens takedowns for what is out; an expired or lapsed consent blocks; erasure destroys the texts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from conftest import World
from consent.models import MediaRequest, Purpose, Release, ReleaseFinding, TakedownRequest
from consent.services import consent_revoke
from consent.services import media as media_services
from consent.services import releases as services
from consent.tests.helpers import consent, consent_to_share
from passage.errors import ConditionsUnmet, NotPermitted
from registry.models import Case, CaseAssignment
from registry.services import case_assign_team, person_erase

LETTER = (
    "Dear friends, I am Ri Chol Su. I want to go to the South and I thank everyone who wrote to me. "
    "Please tell my mother that I am well."
)


def letter_release(world: World, *, who: str = "caseworker_a", text: str = LETTER, **values: object) -> Release:
    fields: dict[str, object] = {
        "kind": Release.Kind.LETTER_FORWARDED,
        "purpose": Purpose.PUBLICATION_OF_LETTER,
        "title": "A letter forwarded to the press",
        "recipient": "Morning Courier (fictional)",
        "case_references": [world.case_a.reference],
    }
    fields.update(values)
    organisation = world.org_b if who.endswith("_b") else world.org_a
    return services.release_create(
        actor=world.user(who),
        organisation=organisation,
        text=text,
        **fields,  # type: ignore[arg-type]
    )


def unmet_rules(caught: pytest.ExceptionInfo[ConditionsUnmet]) -> set[str]:
    return {problem.rule for problem in caught.value.unmet}


def approve(world: World, release: Release, who: str = "supervisor_a") -> Release:
    release = services.release_submit(actor=world.user("caseworker_a"), release=release)
    return services.release_review(actor=world.user(who), release=release, approve=True, note="Reviewed: no risk left.")


@pytest.mark.django_db
def test_a_release_naming_its_person_is_checked_at_once_and_blocked(world: World) -> None:
    release = letter_release(world)
    findings = list(ReleaseFinding.objects.filter(release=release))
    names = [f for f in findings if f.kind == "name"]
    assert names and world.case_a.person_id in names[0].person_ids
    assert LETTER[names[0].start : names[0].end] == "Ri Chol Su"
    with pytest.raises(ConditionsUnmet) as caught:
        services.release_submit(actor=world.user("caseworker_a"), release=release)
    assert {"findings", "consent"} <= unmet_rules(caught)


@pytest.mark.django_db
def test_redacting_replaces_every_open_finding_and_checks_again(world: World) -> None:
    release = services.release_redact(actor=world.user("caseworker_a"), release=letter_release(world))
    assert "Ri Chol Su" not in release.text and "[NAME]" in release.text
    assert release.text_version == 2 and release.is_checked
    assert not ReleaseFinding.objects.filter(release=release, severity="identifying", decision="").exists()
    assert release.original_text == LETTER  # kept, encrypted, for the record
    with pytest.raises(ConditionsUnmet) as caught:
        services.release_submit(actor=world.user("caseworker_a"), release=release)
    assert unmet_rules(caught) == {"consent"}  # rule 18: redaction does not replace the consent


@pytest.mark.django_db
def test_a_consent_for_another_purpose_does_not_count(world: World) -> None:
    consent(world, Purpose.INTERVIEW)
    release = services.release_redact(actor=world.user("caseworker_a"), release=letter_release(world))
    with pytest.raises(ConditionsUnmet) as caught:
        services.release_submit(actor=world.user("caseworker_a"), release=release)
    assert unmet_rules(caught) == {"consent"}


@pytest.mark.django_db
def test_the_persons_consent_covers_their_name_and_the_review_decides(world: World) -> None:
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    release = approve(world, letter_release(world))
    assert release.status == Release.Status.APPROVED and release.reviewed_version == release.text_version
    release = services.release_mark_released(actor=world.user("caseworker_a"), release=release)
    assert release.status == Release.Status.RELEASED
    actions = set(AuditEvent.objects.filter(case_reference=world.case_a.reference).values_list("action", flat=True))
    assert {"release.create", "release.submit", "release.approve", "release.released"} <= actions


@pytest.mark.django_db
def test_supervisors_review_releases_and_do_not_write_them(world: World) -> None:
    with pytest.raises(services.ReleaseRoleRefused):
        letter_release(world, who="supervisor_a")


@pytest.mark.django_db
def test_the_author_may_not_approve_their_own_release(world: World) -> None:
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    release = services.release_submit(actor=world.user("caseworker_a"), release=letter_release(world))
    with pytest.raises(ConditionsUnmet) as caught:
        services.release_review(actor=world.user("caseworker_a"), release=release, approve=True, note="Mine, fine.")
    assert unmet_rules(caught) == {"reviewer"}


@pytest.mark.django_db
def test_someone_who_may_not_see_the_person_cannot_open_the_release_to_review_it(world: World) -> None:
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    release = services.release_submit(actor=world.user("caseworker_a"), release=letter_release(world))
    with pytest.raises(NotPermitted):
        services.release_review(actor=world.user("caseworker_a_other_team"), release=release, approve=True, note="x")


@pytest.mark.django_db
def test_refusing_needs_reasons_and_ends_the_release(world: World) -> None:
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    release = services.release_submit(actor=world.user("caseworker_a"), release=letter_release(world))
    with pytest.raises(ValidationError):
        services.release_review(actor=world.user("supervisor_a"), release=release, approve=False, note="")
    release = services.release_review(
        actor=world.user("supervisor_a"), release=release, approve=False, note="His family could be found."
    )
    assert release.status == Release.Status.REFUSED


@pytest.mark.django_db
def test_an_expired_consent_blocks_the_release_of_an_approved_text(world: World) -> None:
    today = timezone.localdate()
    consent(world, Purpose.PUBLICATION_OF_LETTER, expires_on=today + dt.timedelta(days=2))
    release = approve(world, letter_release(world))
    with time_machine.travel(timezone.now() + dt.timedelta(days=5)), pytest.raises(ConditionsUnmet) as caught:
        services.release_mark_released(actor=world.user("caseworker_a"), release=release)
    assert unmet_rules(caught) == {"consent", "findings"}  # the name is no longer covered either
    release.refresh_from_db()
    assert release.status == Release.Status.APPROVED


@pytest.mark.django_db
def test_a_change_of_stage_lapses_the_consent_and_blocks(world: World) -> None:
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    release = approve(world, letter_release(world))
    Case.objects.filter(pk=world.case_a.pk).update(stage="in_custody")
    with pytest.raises(ConditionsUnmet) as caught:
        services.release_mark_released(actor=world.user("caseworker_a"), release=release)
    assert unmet_rules(caught) == {"consent", "findings"}


@pytest.mark.django_db
def test_an_edited_text_is_checked_again_and_needs_a_new_review(world: World) -> None:
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    release = letter_release(world)
    release = services.release_update(
        actor=world.user("caseworker_a"),
        release=release,
        values={"text": LETTER + " Call me on +380 44 123 4567."},
        expected_version=1,
    )
    assert release.text_version == 2 and release.is_checked
    assert ReleaseFinding.objects.filter(release=release, kind="phone").exists()
    with pytest.raises(ConditionsUnmet) as caught:
        services.release_submit(actor=world.user("caseworker_a"), release=release)
    assert unmet_rules(caught) == {"findings"}  # the number is about no one in particular: redact or dismiss


@pytest.mark.django_db
def test_a_finding_that_identifies_no_one_is_dismissed_with_its_reason(world: World) -> None:
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    release = letter_release(world, text=LETTER + " Write to the office: +380 44 123 4567.")
    phone = ReleaseFinding.objects.get(release=release, kind="phone")
    with pytest.raises(ValidationError):
        services.release_finding_dismiss(actor=world.user("caseworker_a"), release=release, finding=phone, reason="")
    services.release_finding_dismiss(
        actor=world.user("caseworker_a"), release=release, finding=phone, reason="The NGO's public office line."
    )
    assert services.release_submit(actor=world.user("caseworker_a"), release=release).status == "in_review"


@pytest.mark.django_db
def test_a_finding_naming_a_person_the_user_may_not_see_cannot_be_dismissed(world: World) -> None:
    text = "We also met Pak Yong Nam, who asked about his brother."  # case_b, another organisation's person
    release = letter_release(world, text=text, case_references=[])
    name = ReleaseFinding.objects.get(release=release, kind="name")
    assert world.case_b.person_id in name.person_ids
    with pytest.raises(services.ReleaseRoleRefused):
        services.release_finding_dismiss(
            actor=world.user("caseworker_a"), release=release, finding=name, reason="Another Pak entirely."
        )


@pytest.mark.django_db
def test_naming_an_unconcerned_person_blocks_until_redacted(world: World) -> None:
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    release = letter_release(world, text=LETTER + " Pak Yong Nam sends his greetings.")
    with pytest.raises(ConditionsUnmet) as caught:
        services.release_submit(actor=world.user("caseworker_a"), release=release)
    assert "findings" in unmet_rules(caught)
    release = services.release_redact(actor=world.user("caseworker_a"), release=release)
    assert "Pak Yong Nam" not in release.text


@pytest.mark.django_db
def test_a_stale_edit_is_refused(world: World) -> None:
    from passage.errors import EditConflict

    release = letter_release(world)
    services.release_update(
        actor=world.user("caseworker_a"), release=release, values={"title": "New"}, expected_version=1
    )
    release = services.release_update(
        actor=world.user("caseworker_a"), release=release, values={"text": "Plain words."}, expected_version=1
    )
    with pytest.raises(EditConflict):
        services.release_update(
            actor=world.user("caseworker_a"), release=release, values={"text": "x"}, expected_version=1
        )


@pytest.mark.django_db
def test_someone_of_another_organisation_cannot_reach_a_release(world: World) -> None:
    release = letter_release(world)
    with pytest.raises(NotPermitted):
        services.release_check(actor=world.user("caseworker_b"), release=release)
    with pytest.raises(NotPermitted):
        services.release_submit(actor=world.user("media_b"), release=release)


@pytest.mark.django_db
def test_a_media_officer_reads_their_own_text_but_not_a_caseworkers(world: World) -> None:
    release = letter_release(world)
    with pytest.raises(NotPermitted):
        services.release_check(actor=world.user("media_a"), release=release)
    own = letter_release(world, who="media_a")
    assert services.release_check(actor=world.user("media_a"), release=own).pk == own.pk


# --- Revocation (PROCESS.md 4; (c) 18) ----------------------------------------------------------


@pytest.mark.django_db
def test_revocation_cancels_pending_releases_and_opens_takedowns_for_released_ones(world: World) -> None:
    given = consent(world, Purpose.PUBLICATION_OF_LETTER)
    released = services.release_mark_released(
        actor=world.user("caseworker_a"), release=approve(world, letter_release(world))
    )
    pending = letter_release(world)
    other_purpose = letter_release(world, purpose=Purpose.RESEARCH, kind=Release.Kind.REPORT_COMMENTARY)
    consent_revoke(actor=world.user("protection"), case=world.case_a, consent=given, revocation_channel="in_person")
    pending.refresh_from_db()
    other_purpose.refresh_from_db()
    released.refresh_from_db()
    assert pending.status == Release.Status.CANCELLED and pending.cancel_reason == "consent_revoked"
    assert other_purpose.status == Release.Status.DRAFT  # another purpose: untouched
    assert released.status == Release.Status.RELEASED
    takedown = TakedownRequest.objects.get(release=released)
    assert takedown.status == "open" and takedown.due_on == timezone.localdate() + dt.timedelta(days=7)
    actions = list(AuditEvent.objects.filter(case_reference=world.case_a.reference).values_list("action", flat=True))
    assert "release.cancel" in actions and "takedown.open" in actions


@pytest.mark.django_db
def test_revocation_leaves_releases_alone_while_another_live_consent_covers_the_purpose(world: World) -> None:
    first = consent(world, Purpose.PUBLICATION_OF_LETTER)
    consent(world, Purpose.PUBLICATION_OF_LETTER, scope="Confirmed again.")
    pending = letter_release(world)
    consent_revoke(actor=world.user("protection"), case=world.case_a, consent=first, revocation_channel="letter")
    pending.refresh_from_db()
    assert pending.status == Release.Status.DRAFT


@pytest.mark.django_db
def test_revocation_withdraws_the_person_from_media_requests_and_cancels_approved_ones(world: World) -> None:
    interview = consent(world, Purpose.INTERVIEW)
    request = media_services.media_request_create(
        actor=world.user("media_a"),
        organisation=world.org_a,
        outlet="Northern Lights Documentary (fictional)",
        purposes=["interview"],
        description="Two hours of filmed interview.",
        case_references=[world.case_a.reference],
    )
    request = media_services.media_request_submit(actor=world.user("media_a"), media_request=request)
    request = media_services.media_request_review(
        actor=world.user("supervisor_a"), media_request=request, approve=True, reasons="Faces not filmed."
    )
    material = letter_release(
        world, who="media_a", kind=Release.Kind.MEDIA_MATERIAL, purpose=Purpose.INTERVIEW, media_request=request
    )
    consent_revoke(actor=world.user("protection"), case=world.case_a, consent=interview, revocation_channel="in_person")
    request.refresh_from_db()
    material.refresh_from_db()
    assert request.status == MediaRequest.Status.CANCELLED and request.cancel_reason == "consent_revoked"
    assert request.persons.get().withdrawn_at is not None
    assert material.status == Release.Status.CANCELLED


@pytest.mark.django_db
def test_revoking_consent_to_share_withdraws_the_recipients_access(world: World) -> None:
    given = consent_to_share(world)
    case_assign_team(actor=world.user("supervisor_a"), case=world.case_a, team=world.team_receiving)
    consent_revoke(actor=world.user("protection"), case=world.case_a, consent=given, revocation_channel="in_person")
    assert not CaseAssignment.objects.filter(case=world.case_a, team=world.team_receiving).exists()
    assert CaseAssignment.objects.filter(case=world.case_a, team=world.team_protection).exists()
    unshare = AuditEvent.objects.get(action="case.unshare", case_reference=world.case_a.reference)
    assert unshare.purpose == "consent revoked"


# --- Erasure ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_erasing_a_person_destroys_every_text_that_concerns_or_names_them(world: World) -> None:
    concerning = letter_release(world)
    naming = letter_release(world, who="caseworker_b", case_references=[], text="We heard of Ri Chol Su.")
    unrelated = letter_release(world, case_references=[], text="A statement about visits in general.")
    person_erase(actor=world.user("supervisor_a"), case=world.case_a, reason="The person asked to be forgotten.")
    for release in (concerning, naming):
        row = Release.objects.values("data_key", "status", "cancel_reason", "text").get(pk=release.pk)
        assert row["data_key"] is None
        assert (row["status"], row["cancel_reason"], row["text"]) == ("cancelled", "person_erased", "")
    unrelated = Release.objects.get(pk=unrelated.pk)
    assert unrelated.data_key_id is not None and unrelated.text == "A statement about visits in general."


@pytest.mark.django_db
def test_redacting_by_default_leaves_what_a_consent_covers_to_the_review(world: World) -> None:
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    release = letter_release(world, text=LETTER + " Call +380 44 123 4567.")
    release = services.release_redact(actor=world.user("caseworker_a"), release=release)
    assert "Ri Chol Su" in release.text and "+380" not in release.text
