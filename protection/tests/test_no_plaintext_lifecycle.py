"""Release test for the lifecycle's records: what a person said and what places them never reaches the
database, the logs or the cache in plaintext.

A case is walked from capture to transfer with a distinctive made-up text in every protected field of
the protection records (interview place, interpreter, everyone present, fitness note, reasons, source;
Art. 122 extras; risk-assessment reasons; the protection request's exception; transfer places, escort
and witness; proceedings; the death record; event details; stage-change notes). Then the stored
database (raw SQLite files or a pg_dump), every log record and the cache are searched for each text in
every encoding, as tests/test_no_plaintext.py does for the registry. Positive control: the texts come
back through the ORM.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import World
from protection import services
from protection.models import CaseEvent, DeathRecord, Interview, NibRecord, Proceedings, StageChange, Transfer
from protection.scenarios import Cast, walk_to
from protection.stages import Stage
from tests.test_no_plaintext import (
    LogRecorder,
    assert_absent,
    cache_bytes,
    database_bytes,
    locate_in_tables,
    log_recorder,  # noqa: F401 - the fixture
    needles_for,
)

# Made-up words that cannot occur by chance (and are long enough not to match base64 by luck).
SECRETS = {
    "place": "Qorvexstadt interview hut",
    "interpreter": "Zintralo Vemquist interpreter",
    "present": "Xulbrenna Ostrovich present",
    "fitness_note": "Fitness Plivoquat remark",
    "reasons": "Reasons Gnarfelbok family Yuzhmar",
    "reasons_hangul": "쀍뛣뷁 가족 사유",
    "source": "Letter Brimzavot Hraskel",
    "serial_number": "SN-QWX-88231-VORP",
    "father_first_name": "Frobnichol",
    "mother_maiden_name": "Drimvelska",
    "person_to_inform": "Klevoranda Pushtimova",
    "correspondence_address": "Zerbilok street 99",
    "risk_reasons": "Risk Vantrobelsk reprisal",
    "exception": "Exception Quellorvat hospital",
    "from_place": "Camp Strombolvik",
    "escort": "Escort Tramvelquist",
    "witness": "Witness Oblavinski delegate",
    "proceedings": "Proceedings Yarnobelt theft",
    "cause_detail": "Cause Plumqortex fever",
    "death_place": "Place Vindralok ward",
    "grave": "Grave Korbuzzel row",
    "event_details": "Details Snarvolik admission",
    "note": "Note Glembrovask decision",
}
NEEDLES = needles_for({"lifecycle": list(SECRETS.values())})


def walk_with_secrets(world: World) -> Cast:
    cast = Cast(
        detaining=world.user("detaining_a"),
        interviewer=world.user("protection"),
        decider=world.user("protection_2"),
        receiving=world.user("receiving"),
        caseworker=world.user("caseworker_a"),
        supervisor=world.user("supervisor_a"),
        receiving_team=world.team_receiving,
    )
    case = world.case_a
    today = timezone.localdate()
    services.interview_record(
        actor=cast.interviewer,
        case=case,
        values={
            "kind": Interview.Kind.WISH_VERIFICATION,
            "held_on": today - dt.timedelta(days=40),
            "place": SECRETS["place"],
            "interpreter": SECRETS["interpreter"],
            "present": SECRETS["present"],
            "fitness_note": SECRETS["fitness_note"],
            "reasons": f"{SECRETS['reasons']} {SECRETS['reasons_hangul']}",
        },
    )
    services.interview_record(
        actor=cast.interviewer,
        case=case,
        values={
            "kind": Interview.Kind.EXTERNAL_STATEMENT,
            "held_on": today - dt.timedelta(days=41),
            "source": SECRETS["source"],
        },
    )
    services.event_record(
        actor=cast.detaining,
        case=case,
        values={"kind": "hospital_admission", "occurred_on": today, "details": SECRETS["event_details"]},
    )
    case = walk_to(case, Stage.PROTECTION_REQUESTED, cast)
    services.nib_record_save(
        actor=cast.detaining,
        case=case,
        values={
            "serial_number": SECRETS["serial_number"],
            "power_depended_on": ["KP"],
            "father_first_name": SECRETS["father_first_name"],
            "mother_maiden_name": SECRETS["mother_maiden_name"],
            "person_to_inform": SECRETS["person_to_inform"],
            "correspondence_address": SECRETS["correspondence_address"],
        },
    )
    services.risk_assessment_record(
        actor=cast.detaining,
        case=case,
        values={
            "destination": "KR",
            "assessed_on": today,
            "protecting_body_consulted": True,
            "risk_found": False,
            "reasons": SECRETS["risk_reasons"],
        },
    )
    services.protection_request_record(
        actor=cast.receiving,
        case=case,
        values={"receiving_state": "KR", "requested_on": today, "in_person_exception": SECRETS["exception"]},
    )
    services.transfer_schedule(
        actor=cast.detaining,
        case=case,
        values={
            "from_place": SECRETS["from_place"],
            "to_state": "KR",
            "legal_basis": "release_and_application",
            "scheduled_for": today,
            "escort": SECRETS["escort"],
            "neutral_witness": SECRETS["witness"],
        },
    )
    services.proceedings_record(
        actor=cast.detaining,
        case=case,
        values={"opened_on": today, "closed_on": today, "description": SECRETS["proceedings"]},
    )
    services.death_record_save(
        actor=cast.detaining,
        case=case,
        values={
            "died_on": today,
            "cause": "illness",
            "cause_detail": SECRETS["cause_detail"],
            "place": SECRETS["death_place"],
            "grave": SECRETS["grave"],
        },
    )
    services.case_transition(actor=cast.interviewer, case=case, to=Stage.IN_CUSTODY, note=SECRETS["note"])
    return cast


@pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads through its own connection
def test_no_lifecycle_text_reaches_the_database_the_logs_or_the_cache(
    log_recorder: LogRecorder,  # noqa: F811 - the fixture
    world: World,
) -> None:
    assert settings.PASSAGE_VAULT_CIPHER == "aes-256-gcm", "the release test needs the real cipher"
    walk_with_secrets(world)

    # Positive control: the texts are stored and come back through the ORM.
    interview = Interview.objects.filter(case=world.case_a, kind="wish_verification").select_related(
        "person__data_key"
    )[0]
    assert interview.place == SECRETS["place"]
    assert NibRecord.objects.get(case=world.case_a).father_first_name == SECRETS["father_first_name"]
    assert Transfer.objects.get(case=world.case_a).escort == SECRETS["escort"]
    assert Proceedings.objects.get(case=world.case_a).description == SECRETS["proceedings"]
    assert DeathRecord.objects.get(case=world.case_a).grave == SECRETS["grave"]
    assert CaseEvent.objects.get(case=world.case_a, kind="hospital_admission").details == SECRETS["event_details"]
    assert StageChange.objects.filter(case=world.case_a).last().note == SECRETS["note"]  # type: ignore[union-attr]

    for where, stored in database_bytes().items():
        assert_absent(where, stored, NEEDLES, locate=locate_in_tables)
    assert_absent("the log records", log_recorder.text(), NEEDLES)
    for where, stored in cache_bytes().items():
        assert_absent(where, stored, NEEDLES)
