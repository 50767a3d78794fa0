"""Ranks, military roles, units, facilities, context words and Korean particles.

Korean People's Army ranks follow the public rank tables (Wikipedia, "Military ranks of North Korea";
the English renderings vary between sources, so several are listed: 하사 is "junior sergeant" or
"sergeant", 상사 "senior" or "staff sergeant"); South Korean ranks (이병 ... 대령) are included
because defectors' and NGOs' texts use them too. General officers and marshals are left out: the
persons this check protects are soldiers and junior officers, while "General X" in a text is a
public figure. All English entries are lower case; matching folds case.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# English ranks (unambiguous words), longest first where one contains another.
RANKS_EN: tuple[str, ...] = (
    "private first class", "private 1st class", "senior private", "junior sergeant", "senior sergeant",
    "staff sergeant", "master sergeant", "sergeant major", "sergeant first class", "lance corporal",
    "lance sergeant", "sergeant", "corporal", "junior lieutenant", "second lieutenant", "2nd lieutenant",
    "first lieutenant", "1st lieutenant", "senior lieutenant", "lieutenant colonel", "senior colonel",
    "lieutenant", "colonel", "warrant officer", "non-commissioned officer", "petty officer",
    "senior soldier", "soldier first class",
)  # fmt: skip
# Abbreviations of ranks, as written before a name (case kept for the one-letter-ambiguous ones).
RANK_ABBREVIATIONS_EN: tuple[str, ...] = (
    "pfc", "pvt", "pte", "cpl", "l/cpl", "lcpl", "sgt", "jr sgt", "jr. sgt", "jr. sgt.", "sr sgt", "sr. sgt",
    "s/sgt", "ssgt", "staff sgt", "lt", "2nd lt", "1st lt", "sr lt", "sr. lt", "jr lt", "jr. lt", "capt",
    "lt col", "lt. col", "col", "nco", "master sgt", "msgt", "m/sgt", "sgt maj", "sgt. maj",
)  # fmt: skip
# Words that are ranks only in a rank position ("Private Kim", "a private in the 11th Corps"),
# never in "a private interview", "a major offensive", "in general", "the captain of the boat".
AMBIGUOUS_RANKS_EN: tuple[str, ...] = ("private", "major", "captain", "maj", "private soldier")
# Military roles.
ROLES_EN: tuple[str, ...] = (
    "sniper", "sharpshooter", "marksman", "reconnaissance scout", "recon scout", "reconnaissance soldier",
    "scout", "anti-tank gunner", "machine gunner", "machine-gunner", "machinegunner", "gunner", "rifleman",
    "infantryman", "mortarman", "mortar man", "artilleryman", "artillery man", "sapper", "combat engineer",
    "signaller", "signaler", "signalman", "radio operator", "radioman", "field medic", "combat medic",
    "medic", "paratrooper", "drone operator", "drone pilot", "tank driver", "tank commander",
    "grenadier", "commando", "deputy squad leader", "squad leader", "squad commander", "platoon leader",
    "platoon commander", "company commander", "battalion commander", "political officer",
    "political instructor", "special forces soldier", "special operations soldier", "mechanic",
    "military driver", "army driver", "cook",
)  # fmt: skip

# Korean ranks and roles. Hangul entries in AMBIGUOUS_RANKS_KO are also ordinary words (전사 "killed in
# action", 상사 "boss", 소위 "so-called", 사수 "defend to the last", 포수 "catcher", 대장 "chief").
RANKS_KO: tuple[str, ...] = (
    "특무상사", "상등병", "하전사", "하사", "중사", "상위", "중위", "대위", "소좌", "중좌", "상좌", "대좌",
    "이병", "일병", "상병", "병장", "원사", "소령", "중령", "대령", "하사관", "부사관",
)  # fmt: skip
AMBIGUOUS_RANKS_KO: tuple[str, ...] = ("전사", "상사", "소위", "사수", "포수")
ROLES_KO: tuple[str, ...] = (
    "저격수", "저격병", "정찰병", "정찰대원", "정찰원", "기관총사수", "기관총수", "박격포수", "포병", "보병",
    "공병", "통신병", "위생병", "운전병", "전차병", "분대장", "부분대장", "소대장", "중대장", "대대장",
    "정치지도원", "정치부원", "무인기조종사", "드론조종사", "특수부대원", "특작부대원", "경보병", "척후병",
    "저격여단원", "취사병", "낙하산병",
)  # fmt: skip
# The same rank in the two languages, for linking a person's recorded rank to what the text writes.
RANK_EQUIVALENTS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "전사": ("private", "pvt", "pte", "private soldier"),
    "상등병": ("private first class", "pfc", "senior private", "lance corporal", "corporal", "cpl"),
    "하사": ("junior sergeant", "jr sgt", "jr. sgt", "sergeant", "sgt", "corporal"),
    "중사": ("sergeant", "sgt"),
    "상사": ("senior sergeant", "staff sergeant", "s/sgt", "sr sgt", "master sergeant"),
    "특무상사": ("sergeant major", "master sergeant", "warrant officer"),
    "소위": ("junior lieutenant", "second lieutenant", "2nd lieutenant", "jr lt", "lt"),
    "중위": ("lieutenant", "first lieutenant", "1st lieutenant", "lt"),
    "상위": ("senior lieutenant", "sr lt", "lt"),
    "대위": ("captain", "capt"),
    "소좌": ("major", "maj"),
    "중좌": ("lieutenant colonel", "lt col"),
    "상좌": ("colonel", "col"),
    "대좌": ("senior colonel",),
    "저격수": ("sniper", "sharpshooter", "marksman"),
    "정찰병": ("scout", "reconnaissance scout", "recon scout", "reconnaissance soldier"),
    "포수": ("gunner",),
    "기관총수": ("machine gunner", "machine-gunner"),
    "통신병": ("signaller", "signaler", "radio operator", "signalman"),
    "위생병": ("medic", "field medic"),
    "운전병": ("military driver", "army driver"),
    "분대장": ("squad leader", "squad commander"),
    "소대장": ("platoon leader", "platoon commander"),
    "중대장": ("company commander",),
    "무인기조종사": ("drone operator", "drone pilot"),
})  # fmt: skip

# Honorifics and titles before a romanised name; they are not part of the name.
HONORIFICS_EN: tuple[str, ...] = ("mr", "mrs", "ms", "miss", "dr", "comrade", "citizen", "madam")

# Named formations, English and Korean (numbered units are patterns in `recognisers`).
NAMED_UNITS_EN: tuple[str, ...] = (
    "storm corps", "storm brigade", "special operations forces", "special forces corps", "light infantry",
    "light infantry brigade", "sniper brigade", "reconnaissance general bureau", "airborne brigade",
)  # fmt: skip
NAMED_UNITS_KO: tuple[str, ...] = (
    "폭풍군단", "특수작전군", "저격여단", "경보병여단", "경보병", "정찰총국", "항공육전병", "특수부대",
)  # fmt: skip

# Facilities where someone is or was held.
FACILITY_WORDS_EN: tuple[str, ...] = (
    "prisoner-of-war camp", "prisoner of war camp", "pow camp", "detention centre", "detention center",
    "detention facility", "pre-trial detention centre", "pretrial detention center", "holding facility",
    "filtration centre", "filtration camp", "penal colony", "correctional colony", "correctional facility",
    "military hospital", "hospital", "prison", "camp", "colony", "jail", "isolation ward", "clinic",
    "protection centre", "protection center", "reception centre", "reception center", "resettlement centre",
    "resettlement center", "rehabilitation centre", "rehabilitation center", "transit centre", "transit center",
    "safe house", "shelter", "centre", "center", "house",
)  # fmt: skip
# Generic words that make a facility only with a name before them ("Saebyeok centre", "Hanul House"),
# never alone or with a place after them ("a centre in Kyiv", "the house in Musan").
FACILITY_WORDS_NAME_REQUIRED_EN: frozenset[str] = frozenset({"centre", "center", "house", "shelter"})
# Lower-case words that may stand between a facility's name and its kind: "Xinhe border detention centre".
FACILITY_DESCRIPTORS_EN: frozenset[str] = frozenset(
    {"border", "transit", "military", "temporary", "regional", "district", "city", "county", "provincial", "women's"}
)
# Capitalised names that are not facilities where prisoners or defectors are held or housed.
NOT_FACILITY_NAMES_EN: frozenset[str] = frozenset(
    {"white", "opera", "parliament", "government", "guest", "state", "court", "custom", "customs", "freedom", "city"}
)
FACILITY_WORDS_KO: tuple[str, ...] = (
    "포로수용소", "수용소", "구치소", "교도소", "수감시설", "억류시설", "군병원", "병원", "감옥", "수용시설",
    "구금시설", "구금소", "구류소", "수용센터", "보호센터", "정착관", "재활병원", "보호소", "정착지원센터",
    "쉼터", "중계소", "보호시설",
)  # fmt: skip

# Words before a place that make it a hometown (dates of birth: the patterns of `dates`).
ORIGIN_BEFORE_EN: tuple[str, ...] = (
    "native of", "hails from", "hailing from", "grew up in", "was raised in", "raised in", "born in",
    "born and raised in", "comes from", "came from", "originally from", "home town of", "hometown of",
    "hometown is", "hometown was", "hometown in", "hometown,", "home town,", "home village of",
    "home province of", "birthplace", "birthplace,", "birthplace is", "is from", "was from", "are from",
    "from", "native to", "grew up near", "born near", "lived in", "family lives in", "family in",
    "home in", "village in", "village near", "village outside", "town of", "city of", "county of",
    "province of", "hometown", "home town",
)  # fmt: skip
ORIGIN_KO: tuple[str, ...] = ("출신", "고향", "태생", "태어", "자란", "출생", "본적", "사는", "살고", "거주")

# Capture.
CAPTURE_EN: tuple[str, ...] = (
    "captured", "taken prisoner", "taken captive", "surrendered", "capture",
    "was caught", "caught", "seized", "detained", "taken into captivity", "fell into captivity",
    "laid down his arms", "gave himself up",
)  # fmt: skip
CAPTURE_KO: tuple[str, ...] = ("포로로", "포로가", "생포", "투항", "붙잡", "사로잡", "포획", "나포", "억류")

# Context before a serial or document number.
SERIAL_CONTEXT_EN: tuple[str, ...] = (
    "serial number", "service number", "military number", "military id", "military id number",
    "military identification number", "id number", "identity number", "army number", "dog tag", "tag number",
    "passport number", "passport no", "document number", "personal number", "military card", "card number",
    "registration number", "serial no", "service no", "id no", "prisoner number", "pow number", "isn",
)  # fmt: skip
SERIAL_CONTEXT_KO: tuple[str, ...] = (
    "군번", "병적번호", "군인증", "신분증", "여권번호", "여권 번호", "등록번호", "포로번호", "공민증", "인식표",
)  # fmt: skip

# Korean particles and endings that follow a name, and titles that may come between the two.
# Matching strips a title, then a particle (리철수 하사는, 철수씨가).
PARTICLES_KO: tuple[str, ...] = tuple(
    sorted(
        {
            "은",
            "는",
            "이",
            "가",
            "을",
            "를",
            "의",
            "에",
            "도",
            "와",
            "과",
            "로",
            "만",
            "께",
            "랑",
            "야",
            "아",
            "에게",
            "께서",
            "한테",
            "으로",
            "에서",
            "부터",
            "까지",
            "처럼",
            "보다",
            "이나",
            "이며",
            "이고",
            "라는",
            "라고",
            "이랑",
            "하고",
            "와의",
            "과의",
            "에는",
            "에도",
            "이다",
            "였다",
            "이었다",
            "였던",
            "이었던",
            "이라는",
            "이라고",
            "에게서",
            "으로서",
            "으로부터",
            "로부터",
            "에서는",
            "에게는",
            "께서는",
            "한테서",
            "이란",
            "란",
            "이요",
            "이지만",
            "이지",
            "인",
            "이자",
            "이었고",
            "였고",
            "이며는",
            "조차",
            "마저",
            "뿐",
            "만이",
            "만은",
            "이었으며",
            "였으며",
            "에대해",
            "의해",
            "에의해",
            "입니다",
            "이에요",
            "예요",
            "이야",
            "이라며",
            "이었습니다",
            "였습니다",
            "이고요",
            "이었어요",
            "였어요",
            "다",
            "이랍니다",
            "이래요",
            "이니까",
            "이지요",
            "씨입니다",
            "이라서",
            "라서",
            "이므로",
        },
        key=len,
        reverse=True,
    )
)
TITLES_KO: tuple[str, ...] = (
    "씨", "님", "군", "양", "동무", "동지", "선생", "선생님", "하사", "중사", "상사", "전사", "상등병",
    "소위", "중위", "상위", "대위", "소좌", "중좌", "상좌", "대좌", "병사", "일병", "이병", "상병", "병장",
)  # fmt: skip

# English words that are also surname spellings: a surname alone spelled like this is taken for a
# name only away from the start of a sentence (not "In", "So", "An" opening one).
ENGLISH_SURNAME_HOMOGRAPHS: frozenset[str] = frozenset(
    [
        "an",
        "in",
        "so",
        "do",
        "no",
        "ha",
        "ma",
        "go",
        "o",
        "i",
        "we",
        "son",
        "sun",
        "song",
        "moon",
        "bang",
        "ban",
        "pan",
        "gun",
        "ok",
        "back",
        "her",
        "chin",
        "wang",
        "mo",
        "won",
        "ham",
        "char",
        "joe",
        "ho",
        "la",
        "bay",
        "seem",
        "sheen",
        "hong",
        "um",
        "ann",
        "to",
        "oh",
        "me",
        "wee",
        "boo",
        "yo",
    ]
)
# Capitalised words that start sentences or titles and never belong to a name run.
NON_NAME_WORDS_EN: frozenset[str] = frozenset(
    [
        "the",
        "a",
        "and",
        "or",
        "but",
        "he",
        "she",
        "his",
        "her",
        "him",
        "they",
        "their",
        "we",
        "our",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "then",
        "when",
        "while",
        "after",
        "before",
        "since",
        "as",
        "at",
        "by",
        "for",
        "from",
        "into",
        "of",
        "on",
        "onto",
        "to",
        "with",
        "without",
        "about",
        "according",
        "also",
        "although",
        "because",
        "if",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "madam",
        "north",
        "south",
        "korea",
        "korean",
        "koreans",
        "russia",
        "russian",
        "ukraine",
        "ukrainian",
        "seoul",
        "kyiv",
        "moscow",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "i",
        "you",
        "my",
        "your",
        "sergeant",
        "private",
        "corporal",
        "lieutenant",
        "captain",
        "major",
        "colonel",
        "general",
        "marshal",
        "comrade",
        "mother",
        "father",
        "brother",
        "sister",
        "wife",
        "daughter",
        "uncle",
        "aunt",
        "family",
        "unit",
        "corps",
        "brigade",
        "camp",
        "hospital",
        "red",
        "cross",
        "nk",
        "dprk",
        "rok",
        "kpa",
        "pow",
        "ngo",
        "press",
        "release",
        "note",
        "update",
        "statement",
        "letter",
        "dear",
        "yours",
        "sincerely",
        "regards",
        "nis",
        "icrc",
        "unhcr",
        "hrw",
        "ap",
        "bbc",
        "cnn",
        "nhk",
        "kcna",
        "yonhap",
        "reuters",
    ]
)
