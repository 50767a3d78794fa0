"""Demo data of fictional people: organisations of every kind, a user for every role, and
a few hundred persons with generated Korean names spread over the lifecycle.

Every name is assembled at random from common syllables; none belongs to a real person.
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
from protection.stages import Stage
from registry.models import Alias, Case, Custody
from registry.services import AliasInput, case_assign_team, case_create, custody_add

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
    ("bureau", Role.DETAINING_LIAISON, "pow-bureau"),
    ("supervisor", Role.SUPERVISOR, "pow-bureau"),
    ("receiving", Role.RECEIVING_LIAISON, "receiving-mission"),
    ("auditor", Role.AUDITOR, "pow-bureau"),
    ("admin", Role.ADMINISTRATOR, "pow-bureau"),
)
SHARED_WITH_PROTECTION = {
    Stage.IN_CUSTODY,
    Stage.WISH_RECORDED,
    Stage.WISH_VERIFYING,
    Stage.WISH_ESTABLISHED,
    Stage.RISK_ASSESSED,
    Stage.PROTECTION_REQUESTED,
    Stage.ACCEPTED,
    Stage.TRANSFER_SCHEDULED,
}
SHARED_WITH_RECEIVING = {
    Stage.PROTECTION_REQUESTED,
    Stage.ACCEPTED,
    Stage.TRANSFER_SCHEDULED,
    Stage.TRANSFERRED,
}
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
    Stage.THIRD_COUNTRY,
}
RESETTLEMENT = {
    Stage.SCREENING,
    Stage.PROTECTION_GRANTED,
    Stage.HANAWON,
    Stage.RESIDENCE_PROTECTION,
    Stage.SETTLED,
}


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


@transaction.atomic
def load(
    *, person_count: int = DEFAULT_PERSON_COUNT, seed: int | None = None, progress: bool = False
) -> list[dict[str, str]]:
    """Create organisations, users (with TOTP) and persons; return the demo logins."""
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
        if role not in (Role.AUDITOR, Role.ADMINISTRATOR, Role.MEDIA_OFFICER):
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

    bureau_supervisor = users["supervisor"]
    ngo_supervisor = users["ngo-supervisor"]
    stages, weights = zip(*_stage_weights(), strict=True)
    today = timezone.localdate()
    for _index in tqdm(range(person_count), desc="persons", unit="person", disable=not progress):
        stage = rng.choices(stages, weights=weights)[0]
        generated = generate_name(rng)
        is_defector = stage in DEFECTOR_STAGES and rng.random() < 0.4
        owner = "northern-light" if is_defector else "pow-bureau"
        actor = ngo_supervisor if is_defector else bureau_supervisor
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
        case = case_create(
            actor=actor,
            organisation=organisations[owner],
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
            },
            aliases=aliases,
            stage=stage,
            entry_route=Case.EntryRoute.DEFECTOR if is_defector else Case.EntryRoute.PRISONER,
            teams=[teams[owner]],
            channel="demo",
        )
        if not is_defector:
            captured = today - dt.timedelta(days=rng.randint(60, 600))
            custody_add(
                actor=actor,
                case=case,
                facility=FACILITIES[0],
                kind=Custody.Kind.TRANSIT,
                from_date=captured,
                to_date=captured + dt.timedelta(days=rng.randint(1, 6)),
                channel="demo",
            )
            custody_add(
                actor=actor,
                case=case,
                facility=rng.choice(FACILITIES[1:3]),
                kind=Custody.Kind.CAMP,
                from_date=captured + dt.timedelta(days=7),
                channel="demo",
            )
            if stage in SHARED_WITH_PROTECTION:
                case_assign_team(actor=actor, case=case, team=teams["protection-committee"], channel="demo")
            if stage in SHARED_WITH_RECEIVING:
                case_assign_team(actor=actor, case=case, team=teams["receiving-mission"], channel="demo")
        if stage in RESETTLEMENT and not is_defector:
            case_assign_team(actor=actor, case=case, team=teams["northern-light"], channel="demo")
    return logins


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
    return "\n".join(lines)
