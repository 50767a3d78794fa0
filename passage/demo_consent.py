"""The demo's media requests, releases and correspondence: outlets asking for interviews, letters to
the press through the disclosure check and review, a consent revoked after release, capture cards and a
prisoner's mail (all fictional)."""

from __future__ import annotations

import datetime as dt

from accounts.policy import may_record_consent
from consent.models import Consent, MediaRequest, Purpose, Release
from consent.services import consent_record, consent_revoke
from consent.services.media import media_request_create, media_request_review, media_request_submit
from consent.services.releases import (
    release_create,
    release_mark_released,
    release_redact,
    release_review,
    release_submit,
    release_unmet,
)
from correspondence.models import Correspondence, Delivery
from correspondence.services import (
    AttachmentUpload,
    correspondence_censor,
    correspondence_mark_delivered,
    correspondence_mark_sent,
    correspondence_record,
    delivery_check,
    delivery_record,
    mail_request_approve,
    translation_add,
)
from passage.demo import _days, _Loader
from protection.stages import Stage
from registry.models import Case, Custody


def format_consent_work() -> str:
    """Where the demo's media requests, releases and correspondence are, for the printed summary."""
    lines = []
    if MediaRequest.objects.exists() or Release.objects.exists():
        lines.append("  /media-requests/ and /releases/  (as media@, caseworker@ or ngo-supervisor@)")
    for label, items in (
        ("capture cards (as bureau@)", Correspondence.objects.filter(kind=Correspondence.Kind.CAPTURE_CARD_FAMILY)),
        (
            "a letter from home and the reply (as bureau@ or protection@)",
            Correspondence.objects.filter(direction=Correspondence.Direction.INCOMING),
        ),
        (
            "an open letter to the press (as caseworker@)",
            Correspondence.objects.filter(deliveries__channel=Delivery.Channel.PRESS),
        ),
    ):
        reference = items.values_list("case__reference", flat=True).first()
        if reference:
            lines.append(f"  {reference}  {label}")
    return "\n".join(["Media requests, releases and correspondence:", "", *lines]) if lines else ""


# --- Outlets, releases and correspondence -------------------------------------------------------------

# Settled persons speak to the press more readily than those still in screening or at Hanawon.
OUTLET_STAGE_PREFERENCE = (
    Stage.SETTLED,
    Stage.RESIDENCE_PROTECTION,
    Stage.PROTECTION_GRANTED,
    Stage.HANAWON,
    Stage.SCREENING,
)
NEWSPAPER = "The Morning Courier (fictional), letters page"
PLACES_HANGUL = {
    "Hamhung": "함흥",
    "Chongjin": "청진",
    "Sinuiju": "신의주",
    "Wonsan": "원산",
    "Kaesong": "개성",
    "Hyesan": "혜산",
    "Pyongsong": "평성",
    "Sariwon": "사리원",
    "Nampho": "남포",
    "Kanggye": "강계",
    "Haeju": "해주",
    "Kimchaek": "김책",
}
# A defector's open letter, in Korean, and its translation for the newspaper. It names its writer and
# home town (the consent covers them) and a companion's age and home town (no one's consent: redacted).
OPEN_LETTER = (
    "신문사 여러분께. 제 이름은 {hangul}입니다. 2년 전에 고향 {place}에서 이곳으로 왔습니다. "
    "심사를 받는 동안 편지를 보내 주신 모든 분들께 감사드립니다. 저와 함께 건너온 친구는 혜산 출신의 서른 살 "
    "여성인데, 아직도 어머니 소식을 기다리고 있습니다. 가족을 찾는 난을 계속 열어 주십시오."
)
OPEN_LETTER_ENGLISH = (
    "To the editors. My name is {name}. Two years ago I left my home town, {place}, and came here. I thank "
    "everyone who wrote to me while I was being screened. The friend who crossed with me, a woman of thirty "
    "from Hyesan, is still waiting for news of her mother. Please keep the page for families who search "
    "for each other open."
)
THANKS_LETTER = (
    "Dear friends of Northern Light, my name is {name}. A year ago I did not know anyone here; today I have a "
    "small flat, a job in a bakery and an evening class. Thank you for the winter coats, the language lessons "
    "and the patience. I hope others who arrive after me find the same welcome."
)
SPRING_LETTER = (
    "Dear friends, this is {name} again. Spring has come and I passed my driving test. I still think every day "
    "of the people I left behind, and I am grateful to the volunteers who helped me write this letter."
)
REPORT_NOTE = (
    "{name}, born in {year}, a native of {place}, reached the mission after eleven days on foot and asked "
    "for protection in person. In the report we would follow the first year after arrival."
)
# A prisoner's mother writes through the Central Tracing Agency; his sister encloses a note.
MOTHERS_LETTER = (
    "사랑하는 아들에게. 적십자를 통해 네가 살아 있다는 소식을 들었다. 얼마나 울었는지 모른다. 집은 모두 무사하고 "
    "동생은 올해 학교를 마친다. 밥 잘 먹고 아프지 말아라. 언제까지나 기다리겠다. 어머니가."
)
MOTHERS_LETTER_ENGLISH = (
    "My dear son, through the Red Cross we heard that you are alive. I cannot tell you how much I cried. "
    "Everyone at home is safe and your sister finishes school this year. Eat well and do not fall ill. "
    "I will wait for you, however long it takes. Your mother."
)
SISTERS_NOTE = (
    "오빠, 보고 싶어. 꼭 건강하게 돌아와. 동생이.\n(Brother, I miss you. Come back safe and well. Your sister.)\n"
)
# His reply, a short message home signed with his name: the agency sends it with the name redacted.
REPLY_TO_MOTHER = (
    "어머니, 편지 잘 받았습니다. 저는 건강하게 잘 지내고 있습니다. 밥도 잘 먹고 아픈 데도 없습니다. "
    "동생에게 졸업을 축하한다고 전해 주세요. 아들 {hangul} 올림."
)
CAPTURE_CARD_TEXT = (
    "Capture card (GC III Art. 70): taken prisoner; in good health; held at {facility}. Mail can be sent "
    "through the Central Tracing Agency."
)


def _name(case: Case) -> str:
    return f"{case.person.family_name} {case.person.given_name}"


def _hangul(case: Case) -> str:
    return f"{case.person.family_name_hangul}{case.person.given_name_hangul}"


def defectors_for_outlets(loader: _Loader) -> list[Case]:
    """The Northern Light network's own cases whose persons the caseworker works with, those who gave no
    consent yet and those settled first."""
    caseworker = loader.users["caseworker"]
    cases = (
        Case.objects.filter(
            organisation=loader.organisations["northern-light"],
            entry_route=Case.EntryRoute.DEFECTOR,
            is_erased=False,
        )
        .exclude(reference__startswith="PSG-SCEN")
        .select_related("person__data_key")
        .order_by("pk")[:60]
    )
    consenting = set(Consent.objects.values_list("case_id", flat=True))
    preference = {stage: rank for rank, stage in enumerate(OUTLET_STAGE_PREFERENCE)}
    chosen = [case for case in cases if may_record_consent(caseworker, case)]
    return sorted(
        chosen,
        key=lambda case: (case.pk in consenting, preference.get(Stage(case.stage), len(preference)), case.pk),
    )


def _consent(loader: _Loader, case: Case, purpose: str, scope: str, recipient: str = "") -> Consent:
    today = loader.today
    return consent_record(
        actor=loader.users["caseworker"],
        case=case,
        purpose=purpose,
        scope=scope,
        recipient=recipient,
        taken_by="Northern Light caseworker",
        language="Korean",
        information_version="2025-1",
        given_on=today,
        expires_on=today + dt.timedelta(days=180),
        channel="demo",
    )


def _release_through_review(loader: _Loader, release: Release, note: str) -> Release:
    """Redact what no consent covers, submit, have the supervisor review it, release it."""
    author, reviewer = loader.users["caseworker"], loader.users["ngo-supervisor"]
    if {problem.rule for problem in release_unmet(author, release, "submit")} & {"findings", "persons_named"}:
        release = release_redact(actor=author, release=release, channel="demo")
    release = release_submit(actor=author, release=release, channel="demo")
    release = release_review(actor=reviewer, release=release, approve=True, note=note, channel="demo")
    return release_mark_released(actor=author, release=release, channel="demo")


def letters_to_the_press_and_releases(loader: _Loader, defectors: list[Case]) -> None:
    """Releases of the Northern Light network: an open letter that reached the press through a release
    (redacted where no consent covers it); a letter of thanks released, then its consent revoked (a
    second letter awaiting review is cancelled, a takedown follow-up opens); a draft for the annual report
    that its findings and a missing consent block."""
    if not defectors:
        return
    caseworker, northern_light = loader.users["caseworker"], loader.organisations["northern-light"]
    today = loader.today
    writer = defectors[0]
    place = str(writer.person.place_of_origin)
    letter = correspondence_record(
        actor=caseworker,
        case=writer,
        values={
            "direction": Correspondence.Direction.OUTGOING,
            "kind": Correspondence.Kind.LETTER,
            "status": Correspondence.Status.APPROVED,
            "sender": _name(writer),
            "recipient": NEWSPAPER,
            "written_on": today - _days(6),
            "language": "ko",
            "content": OPEN_LETTER.format(hangul=_hangul(writer), place=PLACES_HANGUL.get(place, place)),
            "route": Correspondence.Route.ELECTRONIC,
        },
        channel="demo",
    )
    english = translation_add(
        actor=caseworker,
        case=writer,
        item=letter,
        language="en",
        text=OPEN_LETTER_ENGLISH.format(name=_name(writer), place=place),
        translator="Northern Light volunteer translator",
        channel="demo",
    )
    to_press = delivery_record(
        actor=caseworker,
        case=writer,
        item=letter,
        delivery_channel=Delivery.Channel.PRESS,
        version=Delivery.Version.TRANSLATION,
        translation=english,
        recipient=NEWSPAPER,
        channel="demo",
    ).delivery
    _consent(
        loader,
        writer,
        Purpose.PUBLICATION_OF_LETTER,
        "The open letter to the Morning Courier, with the writer's name and home town.",
        recipient="The Morning Courier (fictional)",
    )
    if to_press.release is None:
        raise RuntimeError("a letter reached the press without a release")
    _release_through_review(
        loader, to_press.release, "The writer's consent covers the name; the companion is redacted."
    )
    correspondence_mark_sent(actor=caseworker, case=writer, item=letter, sent_on=today, channel="demo")

    if len(defectors) > 1:
        thankful = defectors[1]
        given = _consent(
            loader,
            thankful,
            Purpose.PUBLICATION_OF_LETTER,
            "Letters of thanks in the network's newsletter and on its website, signed with the writer's name.",
            recipient="Northern Light newsletter",
        )
        first = release_create(
            actor=caseworker,
            organisation=northern_light,
            kind=Release.Kind.LETTER_FORWARDED,
            purpose=Purpose.PUBLICATION_OF_LETTER,
            title="A letter of thanks for the newsletter",
            recipient="Northern Light newsletter and website",
            text=THANKS_LETTER.format(name=_name(thankful)),
            case_references=[thankful.reference],
            channel="demo",
        )
        _release_through_review(loader, first, "Consent live; nothing in the letter points to the family.")
        second = release_create(
            actor=caseworker,
            organisation=northern_light,
            kind=Release.Kind.LETTER_FORWARDED,
            purpose=Purpose.PUBLICATION_OF_LETTER,
            title="A second letter, for the spring newsletter",
            recipient="Northern Light newsletter",
            text=SPRING_LETTER.format(name=_name(thankful)),
            case_references=[thankful.reference],
            channel="demo",
        )
        release_submit(actor=caseworker, release=second, channel="demo")
        # The person changed their mind: the pending letter is cancelled, the published one must come down.
        consent_revoke(
            actor=caseworker,
            case=thankful,
            consent=given,
            revocation_channel=Consent.RevocationChannel.THROUGH_INTERPRETER,
            channel="demo",
        )

    reported = defectors[6 % len(defectors)]
    release_create(
        actor=caseworker,
        organisation=northern_light,
        kind=Release.Kind.REPORT_COMMENTARY,
        purpose=Purpose.RESEARCH,
        title="Annual report: one person's first year",
        recipient="Annual report editorial group",
        text=REPORT_NOTE.format(
            name=_name(reported),
            year=str(reported.person.date_of_birth)[:4],
            place=str(reported.person.place_of_origin),
        ),
        case_references=[reported.reference],
        channel="demo",
    )


def media_requests(loader: _Loader, defectors: list[Case]) -> None:
    """The media officer's requests: a documentary approved by the supervisor (every person consented to
    every purpose it asks), a newspaper's interview awaiting review, a radio piece still a draft."""
    if not defectors:
        return
    media, supervisor = loader.users["media"], loader.users["ngo-supervisor"]
    northern_light = loader.organisations["northern-light"]
    filmed = defectors[2:4]
    if filmed:
        outlet = "Harbour Light Films (fictional)"
        for case in filmed:
            _consent(loader, case, Purpose.INTERVIEW, "One filmed interview about the first year here.", outlet)
            _consent(loader, case, Purpose.IMAGE, "Hands and surroundings only: no face, the voice altered.", outlet)
        documentary = media_request_create(
            actor=media,
            organisation=northern_light,
            outlet=outlet,
            purposes=[Purpose.INTERVIEW, Purpose.IMAGE],
            description="A documentary producer asks to film people who arrived in the last two years, one "
            "interview each, about their first year here; faces not shown.",
            outlet_contact="desk@harbourlight.example",
            case_references=[case.reference for case in filmed],
            channel="demo",
        )
        documentary = media_request_submit(actor=media, media_request=documentary, channel="demo")
        media_request_review(
            actor=supervisor,
            media_request=documentary,
            approve=True,
            reasons="Live consents for the interview and the images; filmed at our office, never at home.",
            channel="demo",
        )
    newspaper = media_request_create(
        actor=media,
        organisation=northern_light,
        outlet="The Evening Chronicle (fictional)",
        purposes=[Purpose.INTERVIEW],
        description="A reporter asks for a telephone interview for a feature on resettlement.",
        outlet_contact="features@chronicle.example",
        case_references=[defectors[4 % len(defectors)].reference],
        channel="demo",
    )
    media_request_submit(actor=media, media_request=newspaper, channel="demo")
    media_request_create(
        actor=media,
        organisation=northern_light,
        outlet="Westwind Radio (fictional)",
        purposes=[Purpose.AUDIO],
        description="A producer asks to record a short piece in Korean for the New Year programme.",
        case_references=[defectors[5 % len(defectors)].reference],
        channel="demo",
    )


def _held_prisoner(stage: str) -> tuple[Case, Custody] | None:
    """The prisoner (no named scenario) at `stage` held longest under their present custody record, and that
    record: mail from home takes weeks."""
    custody = (
        Custody.objects.filter(
            case__stage=stage,
            case__entry_route=Case.EntryRoute.PRISONER,
            case__is_erased=False,
            to_date__isnull=True,
        )
        .exclude(case__reference__startswith="PSG-SCEN")
        .select_related("case__person__data_key")
        .order_by("from_date", "pk")
        .first()
    )
    return None if custody is None else (custody.case, custody)


def prisoners_mail(loader: _Loader) -> None:
    """A registered prisoner's capture cards, sent within the week after arrival (GC III Art. 70); a
    prisoner in camp receives his mother's letter (censored, translated, a note enclosed, handed to him)
    and answers with a message that the neutral agency delivers to the family, redacted."""
    bureau, protection = loader.users["bureau"], loader.users["protection"]
    today = loader.today
    registered = _held_prisoner(Stage.REGISTERED)
    if registered is not None:
        case, custody = registered
        sent_on = min(custody.from_date + _days(2), today)
        for kind, recipient in (
            (Correspondence.Kind.CAPTURE_CARD_FAMILY, "His family, through the Central Tracing Agency"),
            (Correspondence.Kind.CAPTURE_CARD_AGENCY, "ICRC Central Tracing Agency"),
        ):
            correspondence_record(
                actor=bureau,
                case=case,
                values={
                    "direction": Correspondence.Direction.OUTGOING,
                    "kind": kind,
                    "status": Correspondence.Status.SENT,
                    "sender": _name(case),
                    "recipient": recipient,
                    "written_on": sent_on,
                    "sent_on": sent_on,
                    "language": "ko",
                    "content": CAPTURE_CARD_TEXT.format(facility=custody.facility),
                    "route": Correspondence.Route.CENTRAL_TRACING_AGENCY,
                },
                channel="demo",
            )
    held = _held_prisoner(Stage.IN_CUSTODY)
    if held is None:
        return
    case, custody = held
    days_held = max((today - custody.from_date).days, 0)
    written_on = custody.from_date + _days(days_held // 4)
    received_on = custody.from_date + _days(days_held // 2)
    from_home = correspondence_record(
        actor=bureau,
        case=case,
        values={
            "direction": Correspondence.Direction.INCOMING,
            "kind": Correspondence.Kind.LETTER,
            "status": Correspondence.Status.RECEIVED,
            "sender": "His mother",
            "recipient": _name(case),
            "written_on": written_on,
            "received_on": received_on,
            "language": "ko",
            "content": MOTHERS_LETTER,
            "route": Correspondence.Route.CENTRAL_TRACING_AGENCY,
        },
        attachments=[
            AttachmentUpload(
                filename="note-from-his-sister.txt", declared_type="text/plain", data=SISTERS_NOTE.encode()
            )
        ],
        channel="demo",
    )
    correspondence_censor(actor=bureau, case=case, item=from_home, state="XD", censored_on=received_on, channel="demo")
    translation_add(
        actor=protection,
        case=case,
        item=from_home,
        language="en",
        text=MOTHERS_LETTER_ENGLISH,
        translator="Committee interpreter (northern Korean)",
        channel="demo",
    )
    correspondence_mark_delivered(
        actor=bureau,
        case=case,
        item=from_home,
        delivered_on=custody.from_date + _days(days_held * 3 // 4),
        channel="demo",
    )
    reply = correspondence_record(
        actor=bureau,
        case=case,
        values={
            "direction": Correspondence.Direction.OUTGOING,
            "kind": Correspondence.Kind.MESSAGE,
            "status": Correspondence.Status.REQUESTED,
            "sender": _name(case),
            "recipient": "His mother, through the Central Tracing Agency",
            "written_on": today,
            "language": "ko",
            "content": REPLY_TO_MOTHER.format(hangul=_hangul(case)),
            "route": Correspondence.Route.CENTRAL_TRACING_AGENCY,
        },
        channel="demo",
    )
    reply = mail_request_approve(actor=bureau, case=case, item=reply, channel="demo")
    reply = correspondence_mark_sent(actor=bureau, case=case, item=reply, sent_on=today, channel="demo")
    check = delivery_check(
        actor=protection,
        case=case,
        item=reply,
        delivery_channel=Delivery.Channel.FAMILY,
        version=Delivery.Version.ORIGINAL,
        channel="demo",
    )
    delivery_record(
        actor=protection,
        case=case,
        item=reply,
        delivery_channel=Delivery.Channel.FAMILY,
        version=Delivery.Version.REDACTED if check.blocking else Delivery.Version.ORIGINAL,
        recipient="His mother, through the Central Tracing Agency",
        sent_on=today,
        channel="demo",
    )
