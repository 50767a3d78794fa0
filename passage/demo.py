"""Demo data of fictional people: organisations of every kind, a user for every role, and
a few hundred persons with generated Korean names spread over the lifecycle.

Every case reaches its stage through the lifecycle service (protection.scenarios.walk_to and the
record services), guards included, back-dated so its history reads as it would have happened; a
few named scenario cases show the lifecycle's other paths. Every name is assembled at random from
common syllables; none belongs to a real person.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from accounts.models import Membership, Organisation, Role, Team, User
from accounts.policy import may_record_consent
from consent.models import Purpose
from consent.services import consent_record, consent_revoke
from protection import scenarios, services
from protection.models import DeathCause, Extension, Interview, LegalBasis, StageChange
from protection.scenarios import Cast
from protection.stages import Stage
from registry.models import Alias, Case, Custody
from registry.services import AliasInput, case_assign_team, case_create, custody_add
from tracing.models import FamilyMember, Relation, TracingRequest
from tracing.services import family_member_add, tracing_request_create, tracing_search

DEFAULT_PERSON_COUNT = 240
DEMO_EMAIL_DOMAIN = "passage.example"

# (Hangul, Revised Romanization, North Korean / McCune-Reischauer without breves)
SURNAMES: tuple[tuple[str, str, str], ...] = (
    ("김", "Kim", "Kim"),
    ("이", "Lee", "Ri"),
    ("박", "Park", "Pak"),
    ("최", "Choi", "Choe"),
    ("정", "Jeong", "Jong"),
    ("강", "Kang", "Kang"),
    ("조", "Jo", "Jo"),
    ("윤", "Yoon", "Yun"),
    ("장", "Jang", "Jang"),
    ("임", "Lim", "Rim"),
    ("한", "Han", "Han"),
    ("오", "Oh", "O"),
    ("서", "Seo", "So"),
    ("신", "Shin", "Sin"),
    ("권", "Kwon", "Kwon"),
    ("황", "Hwang", "Hwang"),
    ("안", "Ahn", "An"),
    ("송", "Song", "Song"),
    ("류", "Yu", "Ryu"),
    ("홍", "Hong", "Hong"),
    ("전", "Jeon", "Jon"),
    ("고", "Go", "Ko"),
    ("문", "Moon", "Mun"),
    ("양", "Yang", "Ryang"),
    ("남궁", "Namgung", "Namgung"),
    ("황보", "Hwangbo", "Hwangbo"),
)
# North Korea keeps the initial ㄹ in Hangul as well (리, 림, 류, 량).
NORTH_HANGUL = {"이": "리", "임": "림", "양": "량"}
GIVEN_SYLLABLES: tuple[tuple[str, str, str], ...] = (
    ("철", "cheol", "chol"),
    ("수", "su", "su"),
    ("영", "yeong", "yong"),
    ("민", "min", "min"),
    ("호", "ho", "ho"),
    ("진", "jin", "jin"),
    ("성", "seong", "song"),
    ("혁", "hyeok", "hyok"),
    ("광", "gwang", "kwang"),
    ("일", "il", "il"),
    ("남", "nam", "nam"),
    ("명", "myeong", "myong"),
    ("국", "guk", "kuk"),
    ("준", "jun", "jun"),
    ("현", "hyeon", "hyon"),
    ("석", "seok", "sok"),
    ("동", "dong", "dong"),
    ("용", "yong", "yong"),
    ("학", "hak", "hak"),
    ("근", "geun", "gun"),
    ("선", "seon", "son"),
    ("혜", "hye", "hye"),
    ("은", "eun", "un"),
    ("경", "gyeong", "kyong"),
    ("순", "sun", "sun"),
    ("옥", "ok", "ok"),
    ("금", "geum", "kum"),
    ("춘", "chun", "chun"),
    ("희", "hui", "hui"),
    ("향", "hyang", "hyang"),
    ("복", "bok", "bok"),
    ("태", "tae", "thae"),
)
PLACES = (
    "Hamhung",
    "Chongjin",
    "Sinuiju",
    "Wonsan",
    "Kaesong",
    "Hyesan",
    "Pyongsong",
    "Sariwon",
    "Nampho",
    "Kanggye",
    "Haeju",
    "Kimchaek",
)
RANKS = ("Private", "Junior Sergeant", "Sergeant", "Senior Sergeant", "Junior Lieutenant", "Lieutenant")
FACILITIES = ("Transit point 3", "Camp North-2", "Camp West-5", "Regional military hospital 7")

ORGANISATIONS = (
    (
        "pow-bureau",
        "Prisoner-of-War Information Bureau",
        Organisation.Kind.DETAINING_POWER,
        "XD",
        "Registration desk",
    ),
    (
        "protection-committee",
        "Independent Protection Committee",
        Organisation.Kind.PROTECTION_BODY,
        "",
        "Interview team",
    ),
    (
        "receiving-mission",
        "Receiving State Liaison Mission",
        Organisation.Kind.RECEIVING_STATE,
        "XR",
        "Liaison desk",
    ),
    ("northern-light", "Northern Light Support Network", Organisation.Kind.NGO, "", "Casework team"),
)
USERS = (
    ("caseworker", Role.CASEWORKER, "northern-light"),
    ("ngo-supervisor", Role.SUPERVISOR, "northern-light"),
    ("media", Role.MEDIA_OFFICER, "northern-light"),
    ("protection", Role.PROTECTION_OFFICER, "protection-committee"),
    ("protection-lead", Role.PROTECTION_OFFICER, "protection-committee"),
    ("bureau", Role.DETAINING_LIAISON, "pow-bureau"),
    ("supervisor", Role.SUPERVISOR, "pow-bureau"),
    ("receiving", Role.RECEIVING_LIAISON, "receiving-mission"),
    ("auditor", Role.AUDITOR, "pow-bureau"),
    ("admin", Role.ADMINISTRATOR, "pow-bureau"),
)
# Where the demo's cases go: South Korea (its own pathway), a fictional receiving state on the generic
# pathway and a fictional neutral state (GC III Arts. 109-111); X* codes are user-assigned ISO codes.
HOME = scenarios.HOME
KOREA = scenarios.DESTINATION
GENERIC_STATE = "XG"
NEUTRAL_STATE = "XN"

# Persons past this many stay at the early stages (capture, registration, custody): every case walks
# the lifecycle through the services, guards included, which costs about 0.15 s a person over the
# whole spread (SQLite) but about 0.04 s at the early stages; the benchmarks load 10,000 persons.
FULLY_WALKED = 400
# Persons the detaining power registers a second time (from the interview, in another spelling),
# so the duplicate review has real work in the demo.
DEMO_DUPLICATES = 3
EARLY_WEIGHTS: tuple[tuple[Stage, int], ...] = ((Stage.CAPTURED, 2), (Stage.REGISTERED, 3), (Stage.IN_CUSTODY, 5))

# A defector's case opens at the protection request (protection.stages.ENTRY_STAGES).
DEFECTOR_STAGES = {
    Stage.PROTECTION_REQUESTED,
    Stage.ACCEPTED,
    Stage.TRANSFER_SCHEDULED,
    Stage.TRANSFERRED,
    Stage.SCREENING,
    Stage.PROTECTION_GRANTED,
    Stage.PROTECTION_DENIED,
    Stage.HANAWON,
    Stage.RESIDENCE_PROTECTION,
    Stage.SETTLED,
}
# The main path up to the transfer, for a destination other than South Korea.
ABROAD_STEPS: tuple[Stage, ...] = (
    Stage.WISH_RECORDED,
    Stage.WISH_VERIFYING,
    Stage.WISH_ESTABLISHED,
    Stage.RISK_ASSESSED,
    Stage.PROTECTION_REQUESTED,
    Stage.ACCEPTED,
    Stage.TRANSFER_SCHEDULED,
)
# Days to the generic pathway's stages (the main path's come from protection.scenarios.GAPS).
GENERIC_GAPS: dict[str, int] = {
    Stage.THIRD_COUNTRY: 7,
    Stage.PROTECTION_GRANTED: 60,
    Stage.PROTECTION_DENIED: 60,
    Stage.SETTLED: 365,
}


@dataclass(frozen=True)
class Scenario:
    """A case a user can open by its reference to see one path of the lifecycle."""

    reference: str
    title: str
    is_defector: bool = False


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("PSG-SCEN-0001", "Wish withdrawn during verification: back in custody"),
    Scenario("PSG-SCEN-0002", "Refused at the handover point: transfer refused, back in custody"),
    Scenario("PSG-SCEN-0003", "South Korean pathway: in Hanawon"),
    Scenario("PSG-SCEN-0004", "South Korean pathway: screening, extended once"),
    Scenario("PSG-SCEN-0005", "South Korean pathway: settled after residence protection"),
    Scenario("PSG-SCEN-0006", f"Generic pathway: accepted by another state ({GENERIC_STATE}), protection granted"),
    Scenario("PSG-SCEN-0007", "Repatriated: private wish to return, home state assessed without risk"),
    Scenario("PSG-SCEN-0008", "Died in custody of an unknown cause: enquiry opened (Art. 121)"),
    Scenario("PSG-SCEN-0009", "Escaped from camp"),
    Scenario("PSG-SCEN-000A", "Held pending Art. 119(5) proceedings"),
    Scenario("PSG-SCEN-000B", "Defector: protection requested in person at a mission", is_defector=True),
    Scenario("PSG-SCEN-000C", "Defector: accepted and transferred, in screening", is_defector=True),
    Scenario("PSG-SCEN-000D", f"Transferred to a neutral third state ({NEUTRAL_STATE}) by agreement"),
    Scenario("PSG-SCEN-000E", "Only a letter on file: the wish is not recorded"),
)


@dataclass(frozen=True)
class GeneratedName:
    family_hangul: str
    given_hangul: str
    family_roman: str
    given_roman: str
    alias: str


def generate_name(rng: random.Random) -> GeneratedName:
    """A fictional Korean name, written the way a North Korean or South Korean record would."""
    surname = rng.choice(SURNAMES)
    first, second = rng.sample(GIVEN_SYLLABLES, 2)
    northern = rng.random() < 0.6
    family_hangul = NORTH_HANGUL.get(surname[0], surname[0]) if northern else surname[0]
    given_hangul = first[0] + second[0]
    if northern:
        family_roman = surname[2]
        given_roman = (
            f"{first[2].capitalize()} {second[2].capitalize()}"
            if rng.random() < 0.5
            else f"{first[2].capitalize()}{second[2]}"
        )
        alias = f"{surname[1]} {first[1].capitalize()}-{second[1]}"
    else:
        family_roman = surname[1]
        given_roman = f"{first[1].capitalize()}-{second[1]}"
        alias = f"{surname[2]} {first[2].capitalize()} {second[2].capitalize()}"
    return GeneratedName(family_hangul, given_hangul, family_roman, given_roman, alias)


def _current_code(secret: str) -> str:
    counter = int(timezone.now().timestamp()) // 30
    return str(format_hotp_value(hotp_value(secret, counter)))


def _stage_weights() -> list[tuple[Stage, int]]:
    weights = {stage: 8 for stage in Stage}
    weights.update(
        {
            Stage.IN_CUSTODY: 30,
            Stage.REGISTERED: 20,
            Stage.WISH_VERIFYING: 14,
            Stage.DECEASED: 2,
            Stage.ESCAPED: 2,
            Stage.SETTLED: 10,
        }
    )
    return list(weights.items())


def _days(day: int) -> dt.timedelta:
    return dt.timedelta(days=day)


@dataclass
class _Loader:
    """Opens the demo's cases and takes each to its stage the way its people would, through the
    lifecycle service and the record services, back-dated so the history reads as it happened."""

    rng: random.Random
    today: dt.date
    teams: dict[str, Team]
    users: dict[str, User]
    organisations: dict[str, Organisation]

    # --- Who does what ------------------------------------------------------------------------

    def cast(self, case: Case) -> Cast:
        """The neutral interviewer is one of the protection body's officers, the decider the other
        (never an interviewer); the owning organisation's supervisor shares the case."""
        owner = "ngo-supervisor" if self.is_defector(case) else "supervisor"
        return Cast(
            detaining=self.users["bureau"],
            interviewer=self.users["protection"],
            decider=self.users["protection-lead"],
            receiving=self.users["receiving"],
            caseworker=self.users["caseworker"],
            supervisor=self.users[owner],
            receiving_team=self.teams["receiving-mission"],
            resettlement_team=self.teams["northern-light"],
        )

    @staticmethod
    def is_defector(case: Case) -> bool:
        return case.entry_route == Case.EntryRoute.DEFECTOR

    def share(self, case: Case, *slugs: str, day: dt.date | None = None) -> None:
        """Share the case with these teams, the person's consent to share taken first where it is needed."""
        cast = self.cast(case)
        for slug in slugs:
            team = self.teams[slug]
            scenarios.consent_to_share(case, cast, day or self.today, organisation=team.organisation)
            case_assign_team(actor=cast.supervisor, case=case, team=team, channel="demo")

    def move(self, case: Case, to: str, actor: User, day: dt.date, note: str = "") -> Case:
        return services.case_transition(
            actor=actor, case=case, to=to, note=note, channel="demo", at=scenarios.moment_of(day)
        )

    # --- Opening a case -------------------------------------------------------------------------

    def open_case(self, *, is_defector: bool, reference: str = "", notes: str = "") -> Case:
        rng = self.rng
        generated = generate_name(rng)
        owner = "northern-light" if is_defector else "pow-bureau"
        birth_year = rng.randint(1988, 2006)
        precision = rng.random()
        date_of_birth = (
            f"{birth_year}"
            if precision < 0.3
            else f"{birth_year}-{rng.randint(1, 12):02d}"
            if precision < 0.5
            else f"{birth_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
        aliases = [AliasInput(name=generated.alias)]
        if not is_defector and rng.random() < 0.15:
            aliases.append(
                AliasInput(
                    name=f"{rng.choice(('Ivanov', 'Petrov', 'Sidorov'))} {rng.choice(('Ivan', 'Sergei', 'Dmitri'))}",
                    kind=Alias.Kind.CLAIMED_IDENTITY,
                )
            )
        return case_create(
            actor=self.users["ngo-supervisor" if is_defector else "supervisor"],
            organisation=self.organisations[owner],
            person={
                "family_name": generated.family_roman,
                "given_name": generated.given_roman,
                "family_name_hangul": generated.family_hangul,
                "given_name_hangul": generated.given_hangul,
                "sex": "male" if not is_defector or rng.random() < 0.5 else "female",
                "date_of_birth": date_of_birth,
                "place_of_origin": rng.choice(PLACES),
                "unit": "" if is_defector else f"Unit {rng.randint(10000, 99999)}",
                "rank": "" if is_defector else rng.choice(RANKS),
                "languages": ["ko-KP"] + (["ru"] if rng.random() < 0.2 else []),
                "protection_concern": rng.random() < 0.7,
                "notes": notes,
            },
            aliases=aliases,
            reference=reference,
            entry_route=Case.EntryRoute.DEFECTOR if is_defector else Case.EntryRoute.PRISONER,
            teams=[self.teams[owner]],
            channel="demo",
        )

    # --- Records the guards read ----------------------------------------------------------------

    def risk(self, case: Case, state: str, day: dt.date, *, risk_found: bool) -> None:
        services.risk_assessment_record(
            actor=self.users["bureau"],
            case=case,
            values={
                "destination": state,
                "assessed_on": day,
                "protecting_body_consulted": True,
                "risk_found": risk_found,
                "reasons": "Country information and the person's account considered; the committee was consulted.",
            },
            channel="demo",
        )

    def request(self, case: Case, state: str, day: dt.date) -> None:
        services.protection_request_record(
            actor=self.users["receiving"],
            case=case,
            values={
                "receiving_state": state,
                "requested_on": day,
                "made_in_person": True,
            },
            channel="demo",
        )

    # --- Walks ----------------------------------------------------------------------------------

    def days_to(self, case: Case, stage: str) -> int:
        """Days a walk from the case's current stage to `stage` spans (main path, South Korea's pathway)."""
        return 0 if stage == case.stage else scenarios.days_needed(stage, origin=case.stage)

    def begin(self, case: Case, stage: str, start: dt.date) -> Case:
        """Open the history on `start` and walk to `stage` along the main path and South Korea's pathway."""
        if self.is_defector(case):
            return self._begin_defector(case, stage, start)
        path = scenarios.PATH
        custody_add(
            actor=self.users["bureau"],
            case=case,
            facility=FACILITIES[0],
            kind=Custody.Kind.TRANSIT,
            from_date=start,
            to_date=start + _days(2) if path.index(stage) >= path.index(Stage.IN_CUSTODY) else None,
            channel="demo",
        )
        if stage == Stage.CAPTURED:
            # Loading history, as walk_to does: the case was opened on the day of capture.
            StageChange.objects.filter(case=case, from_stage="").update(occurred_at=scenarios.moment_of(start))
            return case
        if path.index(stage) >= path.index(Stage.IN_CUSTODY):
            self.share(case, "protection-committee")  # the committee visits every camp (Art. 126)
        return scenarios.walk_to(case, stage, self.cast(case), start=start)

    def _begin_defector(self, case: Case, stage: str, start: dt.date) -> Case:
        self.share(case, "receiving-mission", day=start)
        scenarios.consent_to_share(case, self.cast(case), start, state=KOREA)
        self.request(case, KOREA, start)
        path = scenarios.PATH
        if path.index(stage) >= path.index(Stage.TRANSFER_SCHEDULED):
            # The host state's bureau arranges the exit; the committee hears the handover.
            self.share(case, "pow-bureau", "protection-committee")
        if stage == case.stage:
            StageChange.objects.filter(case=case, from_stage="").update(occurred_at=scenarios.moment_of(start))
            return case
        return scenarios.walk_to(case, stage, self.cast(case), start=start)

    def abroad(self, case: Case, target: str, *, destination: str, slack: int) -> Case:
        """A prisoner's walk to `destination` (not South Korea), then the generic pathway."""
        steps: list[Stage] = list(ABROAD_STEPS)
        if target == Stage.THIRD_COUNTRY:
            steps.append(Stage.THIRD_COUNTRY)
        elif target not in ABROAD_STEPS:
            steps += [Stage.TRANSFERRED, Stage.PROTECTION_GRANTED]
            if target == Stage.PROTECTION_DENIED:
                steps[-1] = Stage.PROTECTION_DENIED
            elif target == Stage.SETTLED:
                steps.append(Stage.SETTLED)
        else:
            steps = steps[: steps.index(Stage(target)) + 1]
        gaps = [GENERIC_GAPS[step] if step in GENERIC_GAPS else scenarios.GAPS[step] for step in steps]
        custody_days = self.days_to(case, Stage.IN_CUSTODY)
        start = self.today - _days(custody_days + sum(gaps) + slack)
        case = self.begin(case, Stage.IN_CUSTODY, start)
        day = start + _days(custody_days)
        for step, gap in zip(steps, gaps, strict=True):
            day += _days(gap)
            case = self._abroad_step(case, step, day, destination)
        return case

    def _abroad_step(self, case: Case, stage: str, day: dt.date, destination: str) -> Case:
        cast = self.cast(case)
        basis = (
            LegalBasis.NEUTRAL_STATE_TRANSFER if destination == NEUTRAL_STATE else LegalBasis.RELEASE_AND_APPLICATION
        )
        actor, note = cast.detaining, ""
        if stage == Stage.WISH_RECORDED:
            actor = cast.interviewer
            scenarios.wish_interview(case, cast, day, destination=destination)
        elif stage == Stage.WISH_VERIFYING:
            actor = cast.interviewer
        elif stage == Stage.WISH_ESTABLISHED:
            actor = cast.decider
            scenarios.wish_interview(case, cast, day - _days(1), destination=destination)
            note = "Two private interviews, eight days apart, agree; the person was briefed on every option."
        elif stage == Stage.RISK_ASSESSED:
            self.risk(case, HOME, day, risk_found=True)
            self.risk(case, destination, day, risk_found=False)
        elif stage == Stage.PROTECTION_REQUESTED:
            self.share(case, "receiving-mission", day=day)
            scenarios.consent_to_share(case, cast, day, state=destination)
            actor = cast.receiving
            self.request(case, destination, day)
        elif stage == Stage.ACCEPTED:
            actor = cast.receiving
            scenarios.consent_to_share(case, cast, day, state=destination)  # confirmed at the new stage
            services.acceptance_record(
                actor=actor,
                case=case,
                values={
                    "receiving_state": destination,
                    "decided_on": day,
                    "is_written": True,
                    "document_reference": f"ACC-{destination}-{case.pk}",
                    "legal_basis": basis,
                },
                channel="demo",
            )
        elif stage == Stage.TRANSFER_SCHEDULED:
            services.transfer_schedule(
                actor=actor,
                case=case,
                values={
                    "from_place": "Camp 1",
                    "to_state": destination,
                    "legal_basis": basis,
                    "scheduled_for": day + _days(GENERIC_GAPS[Stage.THIRD_COUNTRY]),
                    "escort": "Two escorts",
                    "neutral_witness": "Committee delegate",
                    "protecting_body_notified": True,
                    "valuables_inventory_ready": True,
                },
                channel="demo",
            )
        elif stage in (Stage.TRANSFERRED, Stage.THIRD_COUNTRY):
            scenarios.handover_interview(case, cast, day, destination=destination)
        elif stage in (Stage.PROTECTION_GRANTED, Stage.PROTECTION_DENIED):
            actor = cast.receiving
            services.pathway_progress_save(actor=actor, case=case, values={"exclusions_checked": True}, channel="demo")
            note = "Exclusions checked; the reasons are on file."
        elif stage == Stage.SETTLED:
            self.share(case, "northern-light")
            actor = cast.caseworker
            note = "Settled: housing, work and language course arranged."
        return self.move(case, stage, actor, day, note)

    # --- Side stages ----------------------------------------------------------------------------

    def repatriate(self, case: Case, *, slack: int) -> Case:
        """A private interview by the committee records the wish to return; the home state is assessed
        without risk (PROCESS.md (a), IN_CUSTODY -> REPATRIATED)."""
        asked = self.rng.randint(5, 20)
        custody = self.days_to(case, Stage.IN_CUSTODY)
        start = self.today - _days(custody + asked + 7 + slack)
        case = self.begin(case, Stage.IN_CUSTODY, start)
        day = start + _days(custody + asked)
        scenarios.wish_interview(case, self.cast(case), day, wish=Interview.Wish.RETURN)
        self.risk(case, HOME, day + _days(3), risk_found=False)
        return self.move(case, Stage.REPATRIATED, self.users["bureau"], day + _days(7))

    def side_exit(self, case: Case, stage: str, *, slack: int, cause: str = "") -> Case:
        """Release, escape, death, a hold for proceedings or a denial, from a stage on the main path."""
        rng = self.rng
        bases = {
            Stage.RELEASED_LOCALLY: (Stage.IN_CUSTODY, Stage.WISH_RECORDED),
            Stage.ESCAPED: (Stage.REGISTERED, Stage.IN_CUSTODY, Stage.WISH_VERIFYING),
            Stage.DECEASED: (Stage.CAPTURED, Stage.REGISTERED, Stage.IN_CUSTODY, Stage.WISH_VERIFYING),
            Stage.HELD_PENDING_PROCEEDINGS: (Stage.ACCEPTED,),
            Stage.PROTECTION_DENIED: (Stage.SCREENING,),
        }[Stage(stage)]
        base = rng.choice(bases)
        after = rng.randint(30, 85) if stage == Stage.PROTECTION_DENIED else rng.randint(2, 30)
        walked = self.days_to(case, base)
        start = self.today - _days(walked + after + 4 + slack)
        case = self.begin(case, base, start)
        return self.exit(case, stage, start + _days(walked + after), cause=cause)

    def exit(self, case: Case, stage: str, day: dt.date, *, cause: str = "") -> Case:
        bureau = self.users["bureau"]
        if stage == Stage.RELEASED_LOCALLY:
            return self.move(case, stage, bureau, day, "Released in the detaining state at the person's request.")
        if stage == Stage.ESCAPED:
            return self.move(case, stage, bureau, day, "Absent at roll call; the search was called off.")
        if stage == Stage.DECEASED:
            cause = cause or self.rng.choice((DeathCause.ILLNESS, DeathCause.WOUNDS, DeathCause.ACCIDENT))
            services.death_record_save(
                actor=bureau,
                case=case,
                values={
                    "died_on": day,
                    "cause": cause,
                    "cause_detail": "As certified by the camp's medical officer.",
                    "place": "Camp infirmary",
                    "buried_on": day + _days(3),
                    "grave": "Camp cemetery, row 2, grave marked with the prisoner number",
                    "medical_examination_done": True,
                },
                channel="demo",
            )
            return self.move(case, stage, bureau, day + _days(4))
        if stage == Stage.HELD_PENDING_PROCEEDINGS:
            services.proceedings_record(
                actor=bureau,
                case=case,
                values={
                    "opened_on": day,
                    "description": "Indictable offence alleged in camp; trial pending.",
                    "other_party_notified_on": day,
                },
                channel="demo",
            )
            return self.move(case, stage, bureau, day + _days(1))
        if stage == Stage.PROTECTION_DENIED:
            receiving = self.users["receiving"]
            services.pathway_progress_save(
                actor=receiving, case=case, values={"exclusions_checked": True}, channel="demo"
            )
            return self.move(case, stage, receiving, day, "An Art. 9 exclusion applies; the reasons are on file.")
        raise ValueError(f"no side exit to {stage}")

    def reach(self, case: Case, stage: Stage) -> Case:
        """Take a newly opened case to `stage`, its history starting some time ago."""
        rng = self.rng
        slack = rng.randint(0, 12) if stage in (Stage.CAPTURED, Stage.REGISTERED) else rng.randint(0, 40)
        if stage == Stage.REPATRIATED:
            return self.repatriate(case, slack=slack)
        if stage == Stage.THIRD_COUNTRY:
            return self.abroad(case, stage, destination=NEUTRAL_STATE, slack=slack)
        if stage in (Stage.PROTECTION_GRANTED, Stage.SETTLED) and not self.is_defector(case) and rng.random() < 0.25:
            return self.abroad(case, stage, destination=GENERIC_STATE, slack=slack)
        if stage not in scenarios.PATH:
            return self.side_exit(case, stage, slack=slack)
        return self.begin(case, stage, self.today - _days(self.days_to(case, stage) + slack))

    # --- The named scenarios --------------------------------------------------------------------

    def play(self, scenario: Scenario, case: Case) -> Case:
        cast = self.cast(case)
        today = self.today
        key = scenario.reference.removeprefix("PSG-SCEN-")
        if key == "0001":
            verifying = self.days_to(case, Stage.WISH_VERIFYING)
            start = today - _days(verifying + 12)
            case = self.begin(case, Stage.WISH_VERIFYING, start)
            day = start + _days(verifying + 5)
            scenarios.wish_interview(case, cast, day, wish=Interview.Wish.WITHDRAWN)
            note = "In a private interview the person withdrew the wish; no penalty follows."
            return self.move(case, Stage.IN_CUSTODY, cast.interviewer, day, note)
        if key == "0002":
            scheduled = self.days_to(case, Stage.TRANSFER_SCHEDULED)
            handover = scenarios.GAPS[Stage.TRANSFERRED]  # the transfer is scheduled this many days ahead
            start = today - _days(scheduled + handover + 10)
            case = self.begin(case, Stage.TRANSFER_SCHEDULED, start)
            day = start + _days(scheduled + handover)
            scenarios.handover_interview(case, cast, day, wish=Interview.Wish.WITHDRAWN)
            try:
                self.move(case, Stage.TRANSFERRED, cast.detaining, day)
            except services.TransitionRefused:
                pass  # the handover guard: no transfer without the wish reconfirmed that day
            else:
                raise RuntimeError("the handover guard let a transfer through without a reconfirmed wish")
            note = "At the handover point the person no longer wished to go; taken back to camp."
            return self.move(case, Stage.IN_CUSTODY, cast.interviewer, day, note)
        if key == "0003":
            return self.begin(case, Stage.HANAWON, today - _days(self.days_to(case, Stage.HANAWON) + 20))
        if key == "0004":
            screening = self.days_to(case, Stage.SCREENING)
            start = today - _days(screening + 100)
            case = self.begin(case, Stage.SCREENING, start)
            services.extension_record(
                actor=cast.receiving,
                case=case,
                values={
                    "kind": Extension.Kind.SCREENING,
                    "days": 30,
                    "approved_on": start + _days(screening + 80),
                    "approved_by_body": "Consultative Council",
                },
                channel="demo",
            )
            return case
        if key == "0005":
            return self.begin(case, Stage.SETTLED, today - _days(self.days_to(case, Stage.SETTLED) + 30))
        if key == "0006":
            return self.abroad(case, Stage.PROTECTION_GRANTED, destination=GENERIC_STATE, slack=25)
        if key == "0007":
            return self.repatriate(case, slack=15)
        if key == "0008":
            return self.side_exit(case, Stage.DECEASED, slack=20, cause=DeathCause.UNKNOWN)
        if key == "0009":
            return self.side_exit(case, Stage.ESCAPED, slack=10)
        if key == "000A":
            return self.side_exit(case, Stage.HELD_PENDING_PROCEEDINGS, slack=12)
        if key == "000B":
            return self.begin(case, Stage.PROTECTION_REQUESTED, today - _days(6))
        if key == "000C":
            return self.begin(case, Stage.SCREENING, today - _days(self.days_to(case, Stage.SCREENING) + 30))
        if key == "000D":
            return self.abroad(case, Stage.THIRD_COUNTRY, destination=NEUTRAL_STATE, slack=14)
        if key == "000E":
            start = today - _days(self.days_to(case, Stage.IN_CUSTODY) + 30)
            case = self.begin(case, Stage.IN_CUSTODY, start)
            services.interview_record(
                actor=cast.interviewer,
                case=case,
                values={
                    "kind": Interview.Kind.EXTERNAL_STATEMENT,
                    "held_on": start + _days(20),
                    "stated_wish": Interview.Wish.GO,
                    "stated_destination": KOREA,
                    "source": "Letter passed on by a visitor; written outside controlled conditions.",
                },
                channel="demo",
            )
            return case
        raise ValueError(f"unknown scenario {scenario.reference}")


@transaction.atomic
def load(
    *, person_count: int = DEFAULT_PERSON_COUNT, seed: int | None = None, progress: bool = False
) -> list[dict[str, str]]:
    """Create organisations, users (with TOTP) and persons; return the demo logins.

    The named scenarios come first, then one case at every stage, then cases at stages drawn by
    weight (past FULLY_WALKED persons, early stages only). Every case reaches its stage through the
    lifecycle service, guards included. Then a few persons' consents, families and tracing requests,
    media requests, releases and correspondence, through the same services as the pages."""
    rng = random.Random(seed if seed is not None else secrets.randbits(32))
    organisations: dict[str, Organisation] = {}
    teams: dict[str, Team] = {}
    for slug, name, kind, country, team_name in ORGANISATIONS:
        organisation = Organisation(slug=slug, name=name, kind=kind, country_code=country)
        organisation.full_clean()
        organisation.save()
        organisations[slug] = organisation
        teams[slug] = Team.objects.create(organisation=organisation, name=team_name)

    logins: list[dict[str, str]] = []
    users: dict[str, User] = {}
    for local, role, slug in USERS:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            f"{local}@{DEMO_EMAIL_DOMAIN}",
            password,
            full_name=f"Demo {role.label}",
            is_staff=role == Role.ADMINISTRATOR,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        Membership.objects.create(user=user, organisation=organisations[slug], role=role)
        if role not in (Role.AUDITOR, Role.ADMINISTRATOR):
            # A media officer in the team names its cases by reference in media requests (never sees them).
            teams[slug].members.add(user)
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        users[local] = user
        logins.append(
            {
                "email": user.email,
                "role": role.value,
                "organisation": slug,
                "password": password,
                "totp_secret": secret,
            }
        )

    loader = _Loader(rng=rng, today=timezone.localdate(), teams=teams, users=users, organisations=organisations)
    every_stage = list(Stage)
    stages, weights = zip(*_stage_weights(), strict=True)
    early, early_weights = zip(*EARLY_WEIGHTS, strict=True)
    scenario_count = min(len(SCENARIOS), person_count)
    for index in tqdm(range(person_count), desc="persons", unit="person", disable=not progress):
        if index < scenario_count:
            scenario = SCENARIOS[index]
            case = loader.open_case(
                is_defector=scenario.is_defector,
                reference=scenario.reference,
                notes=f"Demo scenario: {scenario.title}.",
            )
            loader.play(scenario, case)
            continue
        position = index - scenario_count
        if position < len(every_stage):
            stage = every_stage[position]
        elif index < FULLY_WALKED:
            stage = rng.choices(stages, weights=weights)[0]
        else:
            stage = rng.choices(early, weights=early_weights)[0]
        is_defector = stage in DEFECTOR_STAGES and rng.random() < 0.4
        loader.reach(loader.open_case(is_defector=is_defector), stage)
    _register_again(loader, DEMO_DUPLICATES)
    consents_family_and_tracing(loader)
    from passage.demo_consent import (  # it builds on this module's loader
        defectors_for_outlets,
        letters_to_the_press_and_releases,
        media_requests,
        prisoners_mail,
    )

    defectors = defectors_for_outlets(loader)
    letters_to_the_press_and_releases(loader, defectors)
    media_requests(loader, defectors)
    prisoners_mail(loader)
    return logins


def _register_again(loader: _Loader, count: int) -> None:
    """Register `count` captured prisoners a second time under their other spelling and a year of birth."""
    first_registrations = (
        Case.objects.filter(stage=Stage.CAPTURED, entry_route=Case.EntryRoute.PRISONER)
        .select_related("person__data_key", "organisation")
        .prefetch_related("person__aliases", "assignments")
        .order_by("pk")[:count]
    )
    for case in first_registrations:
        person = case.person
        spelling = next((a.name for a in person.aliases.all() if a.kind == Alias.Kind.ALIAS), "")
        family, _space, given = spelling.partition(" ")
        if not given:
            continue
        case_create(
            actor=loader.users["supervisor"],
            organisation=case.organisation,
            person={
                "family_name": family,
                "given_name": given,
                "sex": person.sex,
                "date_of_birth": person.date_of_birth[:4],
            },
            teams=[assignment.team for assignment in case.assignments.all()],
            channel="demo",
        )


def format_scenarios() -> str:
    """The named scenario cases in the database, by reference, for the printed summary."""
    present = set(
        Case.objects.filter(reference__in=[s.reference for s in SCENARIOS]).values_list("reference", flat=True)
    )
    lines = ["Scenario cases (find them by reference; prisoners as supervisor@, defectors as ngo-supervisor@):", ""]
    lines += [f"  {s.reference}  {s.title}" for s in SCENARIOS if s.reference in present]
    return "\n".join(lines) if present else ""


def format_logins(logins: list[dict[str, Any]]) -> str:
    lines = ["", "Demo logins (fictional organisations; codes change every 30 seconds):", ""]
    width = max(len(login["email"]) for login in logins)
    lines.append(f"  {'e-mail'.ljust(width)}  {'role'.ljust(18)}  {'password'.ljust(16)}  code now  TOTP secret")
    for login in logins:
        lines.append(
            f"  {login['email'].ljust(width)}  {login['role'].ljust(18)}  {login['password'].ljust(16)}  "
            f"{_current_code(login['totp_secret'])}    {login['totp_secret']}"
        )
    lines.append("")
    lines.append(
        "Open http://127.0.0.1:8000/ and log in with an e-mail, its password and the code shown "
        "(run `passage demo --no-serve` for fresh codes, or add the secret to an authenticator app)."
    )
    scenario_lines = format_scenarios()
    if scenario_lines:
        lines += ["", scenario_lines]
    from passage.demo_consent import format_consent_work

    consent_lines = format_consent_work()
    if consent_lines:
        lines += ["", consent_lines]
    return "\n".join(lines)


# How many of the demo's persons get consents and family members, per recorder.
CONSENTING_PER_RECORDER = 3


def _consenting_cases(recorder: User, *, defectors: bool) -> list[Case]:
    route = Case.EntryRoute.DEFECTOR if defectors else Case.EntryRoute.PRISONER
    cases = Case.objects.filter(entry_route=route, is_erased=False).select_related("person__data_key").order_by("pk")
    chosen: list[Case] = []
    for case in cases[:60]:
        if may_record_consent(recorder, case):
            chosen.append(case)
        if len(chosen) == CONSENTING_PER_RECORDER:
            break
    return chosen


def consents_family_and_tracing(loader: _Loader) -> None:
    """A few persons' consents (tracing among them; some revoked), their families, and tracing requests:
    one whose search proposes a consenting person, one that finds nobody (the person sought gave no
    tracing consent), and one made by a registered person seeking their mother."""
    rng, today = loader.rng, loader.today
    caseworker, protection = loader.users["caseworker"], loader.users["protection"]
    consenting: list[tuple[User, Case]] = [
        *((caseworker, case) for case in _consenting_cases(caseworker, defectors=True)),
        *((protection, case) for case in _consenting_cases(protection, defectors=False)),
    ]
    for recorder, case in consenting:
        for purpose in (Purpose.TRACING, Purpose.INTERVIEW):
            consent = consent_record(
                actor=recorder,
                case=case,
                purpose=purpose,
                scope="Names, date and place of birth." if purpose == Purpose.TRACING else "One recorded interview.",
                recipient="" if purpose == Purpose.TRACING else "Northern Light Support Network",
                taken_by="Independent committee officer",
                interpreter="Committee interpreter (northern Korean)",
                language="Korean (northern)",
                information_version="2025-1",
                given_on=today,
                expires_on=today + dt.timedelta(days=180),
                channel="demo",
            )
        if case.pk % 2:  # the interview consent, withdrawn by the person
            consent_revoke(actor=recorder, case=case, consent=consent, revocation_channel="in_person", channel="demo")
        for relation in (Relation.MOTHER, Relation.BROTHER):
            relative = generate_name(rng)
            family_member_add(
                actor=recorder,
                case=case,
                values={
                    "relation": relation,
                    "name": f"{case.person.family_name} {relative.given_roman}",
                    "is_alive": FamilyMember.Alive.UNKNOWN if relation == Relation.BROTHER else FamilyMember.Alive.YES,
                    "is_next_of_kin": relation == Relation.MOTHER,
                    "reprisal_risk": FamilyMember.ReprisalRisk.HIGH,
                    "contact_allowed": relation == Relation.MOTHER,
                    **({"location": f"Near {rng.choice(PLACES)}"} if recorder == protection else {}),
                },
                channel="demo",
            )
    defectors = [case for recorder, case in consenting if recorder == caseworker]
    northern_light = loader.organisations["northern-light"]
    if defectors:
        person = defectors[0].person
        found = tracing_request_create(
            actor=caseworker,
            organisation=northern_light,
            direction=TracingRequest.Direction.RELATIVE_SEEKS_PERSON,
            values={
                "sought_family_name": person.family_name,
                "sought_given_name": person.given_name,
                "sought_family_name_hangul": person.family_name_hangul,
                "sought_given_name_hangul": person.given_name_hangul,
                "sought_date_of_birth": person.date_of_birth[:4],
                "sought_place_of_origin": person.place_of_origin,
                "enquirer_name": "A sister, through the Red Cross",
                "enquirer_contact": "Red Cross tracing office",
                "relation": Relation.BROTHER,
            },
            channel="demo",
        )
        tracing_search(actor=caseworker, tracing_request=found, channel="demo")
        nobody = generate_name(rng)
        unknown = tracing_request_create(
            actor=caseworker,
            organisation=northern_light,
            direction=TracingRequest.Direction.RELATIVE_SEEKS_PERSON,
            values={
                "sought_family_name": nobody.family_roman,
                "sought_given_name": nobody.given_roman,
                "sought_family_name_hangul": nobody.family_hangul,
                "sought_given_name_hangul": nobody.given_hangul,
                "enquirer_name": "A father, by letter",
                "relation": Relation.SON,
            },
            channel="demo",
        )
        tracing_search(actor=caseworker, tracing_request=unknown, channel="demo")
    prisoners = [case for recorder, case in consenting if recorder == protection]
    if prisoners:
        mother = generate_name(rng)
        tracing_request_create(
            actor=protection,
            organisation=loader.organisations["protection-committee"],
            direction=TracingRequest.Direction.PERSON_SEEKS_FAMILY,
            case=prisoners[0],
            values={
                "sought_family_name": mother.family_roman,
                "sought_given_name": mother.given_roman,
                "sought_family_name_hangul": mother.family_hangul,
                "sought_given_name_hangul": mother.given_hangul,
                "sought_place_of_origin": prisoners[0].person.place_of_origin,
                "relation": Relation.MOTHER,
            },
            channel="demo",
        )
