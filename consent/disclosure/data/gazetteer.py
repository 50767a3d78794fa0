"""North Korean provinces, cities, counties and Pyongyang districts, in Hangul and three romanisations.

Written for Passage from general knowledge of the public lists, not copied from a file: Wikipedia,
"Provinces of North Korea", "List of cities in North Korea", "List of counties of North Korea" and
the county articles they link to, which give each name in Chosŏn'gŭl, McCune-Reischauer and the
Revised Romanization; the DPRK's own spelling (close to McCune-Reischauer without breves, with
kh/th/ph for aspirates and j for ㅈ) is the one its atlases and the KCNA use. Names are as in the
2010s; a place renamed since keeps its older spelling under `other`.

Each row: Hangul, kind, DPRK spelling, McCune-Reischauer, Revised Romanization, province, and
optionally other spellings in use. Two flags keep ordinary words out:
- `is_common_word`: the Hangul is also an everyday word (구성 "composition", 개천 "stream", 무산
  "cancelled"), so a Hangul mention counts only with an administrative suffix (시, 군, 구역) or in an
  origin context;
- `is_shared_south`: South Korea has a place of the same name (고성, 철원, 순천), so its Revised
  spelling, the South's own, counts only in an origin context.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    hangul: str
    kind: str  # "province", "city", "county" or "district"
    dprk: str
    mccune_reischauer: str
    revised: str
    province: str = ""  # Hangul of the province ("" for provinces and the capital)
    other: tuple[str, ...] = ()
    is_common_word: bool = False
    is_shared_south: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.dprk, self.mccune_reischauer, self.revised, *self.other)))


def _p(
    hangul: str,
    kind: str,
    dprk: str,
    mr: str,
    rr: str,
    province: str = "",
    other: str = "",
    *,
    common: bool = False,
    south: bool = False,
) -> Place:
    return Place(hangul, kind, dprk, mr, rr, province, tuple(o for o in other.split("|") if o), common, south)


_PN, _PB, _CG = "평안남도", "평안북도", "자강도"
_HN, _HB, _KW = "황해남도", "황해북도", "강원도"
_GN, _GB, _RG = "함경남도", "함경북도", "량강도"
_PY = "평양"

PLACES: tuple[Place, ...] = (
    # The capital, special cities and provinces.
    _p("평양", "city", "Pyongyang", "P'yŏngyang", "Pyeongyang", "", "Phyongyang|Pyongyang City"),
    _p("남포", "city", "Nampho", "Namp'o", "Nampo", "", "Nampo|Chinnampo"),
    _p("라선", "city", "Rason", "Rasŏn", "Raseon", "", "Rajin-Sonbong|Rajin-Sŏnbong|Rajin Sonbong|Naseon"),
    _p("개성", "city", "Kaesong", "Kaesŏng", "Gaeseong", "", "Kaeseong", common=True),
    _p("평안남도", "province", "South Phyongan", "South P'yŏngan", "South Pyeongan", "",
       "South Pyongan|Phyongannam-do|Pyongannam-do|P'yŏngan-namdo|Pyeongannam-do|평남"),
    _p("평안북도", "province", "North Phyongan", "North P'yŏngan", "North Pyeongan", "",
       "North Pyongan|Phyonganbuk-do|Pyonganbuk-do|P'yŏngan-bukto|Pyeonganbuk-do|평북"),
    _p("자강도", "province", "Jagang", "Chagang", "Jagang", "", "Chagang-do|Jagang-do"),
    _p("황해남도", "province", "South Hwanghae", "South Hwanghae", "South Hwanghae", "",
       "Hwanghaenam-do|Hwanghae-namdo|황남"),
    _p("황해북도", "province", "North Hwanghae", "North Hwanghae", "North Hwanghae", "",
       "Hwanghaebuk-do|Hwanghae-bukto|황북"),
    _p("강원도", "province", "Kangwon", "Kangwŏn", "Gangwon", "", "Kangwon-do|Gangwon-do", south=True),
    _p("함경남도", "province", "South Hamgyong", "South Hamgyŏng", "South Hamgyeong", "",
       "Hamgyongnam-do|Hamgyŏng-namdo|Hamgyeongnam-do|함남"),
    _p("함경북도", "province", "North Hamgyong", "North Hamgyŏng", "North Hamgyeong", "",
       "Hamgyongbuk-do|Hamgyŏng-bukto|Hamgyeongbuk-do|함북"),
    _p("량강도", "province", "Ryanggang", "Ryanggang", "Yanggang", "", "Ryanggang-do|Yanggang-do|양강도"),
    # South Phyongan.
    _p("평성", "city", "Phyongsong", "P'yŏngsŏng", "Pyeongseong", _PN, "Pyongsong"),
    _p("안주", "city", "Anju", "Anju", "Anju", _PN, common=True),
    _p("개천", "city", "Kaechon", "Kaech'ŏn", "Gaecheon", _PN, common=True),
    _p("덕천", "city", "Tokchon", "Tŏkch'ŏn", "Deokcheon", _PN),
    _p("순천", "city", "Sunchon", "Sunch'ŏn", "Suncheon", _PN, south=True),
    _p("평원", "county", "Phyongwon", "P'yŏngwŏn", "Pyeongwon", _PN, "Pyongwon", common=True),
    _p("숙천", "county", "Sukchon", "Sukch'ŏn", "Sukcheon", _PN),
    _p("문덕", "county", "Mundok", "Mundŏk", "Mundeok", _PN),
    _p("증산", "county", "Jungsan", "Chŭngsan", "Jeungsan", _PN, common=True),
    _p("온천", "county", "Onchon", "Onch'ŏn", "Oncheon", _PN, common=True),
    _p("대동", "county", "Taedong", "Taedong", "Daedong", _PN, common=True),
    _p("성천", "county", "Songchon", "Sŏngch'ŏn", "Seongcheon", _PN),
    _p("회창", "county", "Hoechang", "Hoech'ang", "Hoechang", _PN),
    _p("양덕", "county", "Yangdok", "Yangdŏk", "Yangdeok", _PN),
    _p("맹산", "county", "Maengsan", "Maengsan", "Maengsan", _PN),
    _p("녕원", "county", "Nyongwon", "Nyŏngwŏn", "Yeongwon", _PN, "Yongwon"),
    _p("북창", "county", "Pukchang", "Pukch'ang", "Bukchang", _PN),
    _p("신양", "county", "Sinyang", "Sinyang", "Sinyang", _PN, common=True),
    _p("은산", "county", "Unsan", "Ŭnsan", "Eunsan", _PN),
    _p("대흥", "county", "Taehung", "Taehŭng", "Daeheung", _PN),
    # North Phyongan.
    _p("신의주", "city", "Sinuiju", "Sinŭiju", "Sinuiju", _PB, "Shinuiju|Sinŭiju"),
    _p("정주", "city", "Jongju", "Chŏngju", "Jeongju", _PB, common=True),
    _p("구성", "city", "Kusong", "Kusŏng", "Guseong", _PB, common=True),
    _p("의주", "county", "Uiju", "Ŭiju", "Uiju", _PB),
    _p("삭주", "county", "Sakju", "Sakchu", "Sakju", _PB),
    _p("벽동", "county", "Pyoktong", "Pyŏktong", "Byeokdong", _PB),
    _p("창성", "county", "Changsong", "Ch'angsŏng", "Changseong", _PB, common=True),
    _p("운산", "county", "Unsan", "Unsan", "Unsan", _PB),
    _p("태천", "county", "Thaechon", "T'aech'ŏn", "Taecheon", _PB, "Taechon"),
    _p("녕변", "county", "Nyongbyon", "Nyŏngbyŏn", "Yeongbyeon", _PB, "Yongbyon|Yŏngbyŏn|영변"),
    _p("구장", "county", "Kujang", "Kujang", "Gujang", _PB, common=True),
    _p("향산", "county", "Hyangsan", "Hyangsan", "Hyangsan", _PB),
    _p("박천", "county", "Pakchon", "Pakch'ŏn", "Bakcheon", _PB),
    _p("룡천", "county", "Ryongchon", "Ryongch'ŏn", "Yongcheon", _PB, "Ryongchŏn|용천"),
    _p("철산", "county", "Cholsan", "Ch'ŏlsan", "Cheolsan", _PB),
    _p("선천", "county", "Sonchon", "Sŏnch'ŏn", "Seoncheon", _PB, common=True),
    _p("곽산", "county", "Kwaksan", "Kwaksan", "Gwaksan", _PB),
    _p("동림", "county", "Tongrim", "Tongnim", "Dongnim", _PB),
    _p("피현", "county", "Phihyon", "P'ihyŏn", "Pihyeon", _PB),
    _p("염주", "county", "Yomju", "Yŏmju", "Yeomju", _PB, common=True),
    _p("대관", "county", "Taegwan", "Taegwan", "Daegwan", _PB, common=True),
    _p("천마", "county", "Chonma", "Ch'ŏnma", "Cheonma", _PB, common=True),
    _p("동창", "county", "Tongchang", "Tongch'ang", "Dongchang", _PB, common=True),
    # Jagang.
    _p("강계", "city", "Kanggye", "Kanggye", "Ganggye", _CG),
    _p("만포", "city", "Manpho", "Manp'o", "Manpo", _CG, "Manpo"),
    _p("희천", "city", "Huichon", "Hŭich'ŏn", "Huicheon", _CG),
    _p("자성", "county", "Jasong", "Chasŏng", "Jaseong", _CG, common=True),
    _p("중강", "county", "Junggang", "Chunggang", "Junggang", _CG),
    _p("위원", "county", "Wiwon", "Wiwŏn", "Wiwon", _CG, common=True),
    _p("초산", "county", "Chosan", "Ch'osan", "Chosan", _CG, common=True),
    _p("고풍", "county", "Kophung", "Kop'ung", "Gopung", _CG),
    _p("송원", "county", "Songwon", "Songwŏn", "Songwon", _CG),
    _p("전천", "county", "Jonchon", "Chŏnch'ŏn", "Jeoncheon", _CG),
    _p("장강", "county", "Janggang", "Changgang", "Janggang", _CG, common=True),
    _p("랑림", "county", "Rangrim", "Rangnim", "Nangnim", _CG),
    _p("성간", "county", "Songgan", "Sŏnggan", "Seonggan", _CG),
    _p("화평", "county", "Hwaphyong", "Hwap'yŏng", "Hwapyeong", _CG, common=True),
    # South Hwanghae.
    _p("해주", "city", "Haeju", "Haeju", "Haeju", _HN),
    _p("옹진", "county", "Ongjin", "Ongjin", "Ongjin", _HN, south=True),
    _p("강령", "county", "Kangryong", "Kangnyŏng", "Gangnyeong", _HN, common=True),
    _p("벽성", "county", "Pyoksong", "Pyŏksŏng", "Byeokseong", _HN),
    _p("장연", "county", "Jangyon", "Changyŏn", "Jangyeon", _HN),
    _p("룡연", "county", "Ryongyon", "Ryongyŏn", "Yongyeon", _HN),
    _p("삼천", "county", "Samchon", "Samch'ŏn", "Samcheon", _HN, common=True),
    _p("은률", "county", "Unryul", "Ŭnnyul", "Eunnyul", _HN, "Unnyul"),
    _p("과일", "county", "Kwail", "Kwail", "Gwail", _HN, common=True),
    _p("송화", "county", "Songhwa", "Songhwa", "Songhwa", _HN, common=True),
    _p("신천", "county", "Sinchon", "Sinch'ŏn", "Sincheon", _HN, south=True),
    _p("안악", "county", "Anak", "Anak", "Anak", _HN),
    _p("재령", "county", "Jaeryong", "Chaeryŏng", "Jaeryeong", _HN),
    _p("신원", "county", "Sinwon", "Sinwŏn", "Sinwon", _HN, common=True),
    _p("배천", "county", "Paechon", "Paech'ŏn", "Baecheon", _HN),
    _p("연안", "county", "Yonan", "Yŏnan", "Yeonan", _HN, common=True),
    _p("청단", "county", "Chongdan", "Ch'ŏngdan", "Cheongdan", _HN),
    _p("태탄", "county", "Thaethan", "T'aet'an", "Taetan", _HN),
    # North Hwanghae.
    _p("사리원", "city", "Sariwon", "Sariwŏn", "Sariwon", _HB),
    _p("송림", "city", "Songrim", "Songnim", "Songnim", _HB),
    _p("황주", "county", "Hwangju", "Hwangju", "Hwangju", _HB),
    _p("연탄", "county", "Yonthan", "Yŏnt'an", "Yeontan", _HB, common=True),
    _p("봉산", "county", "Pongsan", "Pongsan", "Bongsan", _HB),
    _p("은파", "county", "Unpha", "Ŭnp'a", "Eunpa", _HB),
    _p("린산", "county", "Rinsan", "Rinsan", "Insan", _HB),
    _p("서흥", "county", "Sohung", "Sŏhŭng", "Seoheung", _HB),
    _p("수안", "county", "Suan", "Suan", "Suan", _HB),
    _p("곡산", "county", "Koksan", "Koksan", "Goksan", _HB),
    _p("신계", "county", "Singye", "Sin'gye", "Singye", _HB),
    _p("평산", "county", "Phyongsan", "P'yŏngsan", "Pyeongsan", _HB, "Pyongsan"),
    _p("금천", "county", "Kumchon", "Kŭmch'ŏn", "Geumcheon", _HB, south=True),
    _p("토산", "county", "Thosan", "T'osan", "Tosan", _HB, common=True),
    _p("장풍", "county", "Jangphung", "Changp'ung", "Jangpung", _HB),
    _p("연산", "county", "Yonsan", "Yŏnsan", "Yeonsan", _HB, common=True),
    _p("신평", "county", "Sinphyong", "Sinp'yŏng", "Sinpyeong", _HB),
    # Kangwon.
    _p("원산", "city", "Wonsan", "Wŏnsan", "Wonsan", _KW),
    _p("문천", "city", "Munchon", "Munch'ŏn", "Muncheon", _KW),
    _p("안변", "county", "Anbyon", "Anbyŏn", "Anbyeon", _KW),
    _p("통천", "county", "Tongchon", "T'ongch'ŏn", "Tongcheon", _KW),
    _p("고성", "county", "Kosong", "Kosŏng", "Goseong", _KW, south=True),
    _p("김화", "county", "Kimhwa", "Kimhwa", "Gimhwa", _KW, south=True),
    _p("평강", "county", "Phyonggang", "P'yŏnggang", "Pyeonggang", _KW, "Pyonggang"),
    _p("철원", "county", "Cholwon", "Ch'ŏrwŏn", "Cheorwon", _KW, south=True),
    _p("법동", "county", "Pobdong", "Pŏptong", "Beopdong", _KW),
    _p("이천", "county", "Ichon", "Ich'ŏn", "Icheon", _KW, common=True, south=True),
    _p("판교", "county", "Phangyo", "P'an'gyo", "Pangyo", _KW, south=True),
    _p("세포", "county", "Sepho", "Sep'o", "Sepo", _KW, common=True),
    _p("회양", "county", "Hoeyang", "Hoeyang", "Hoeyang", _KW),
    _p("금강", "county", "Kumgang", "Kŭmgang", "Geumgang", _KW, common=True),
    _p("천내", "county", "Chonnae", "Ch'ŏnnae", "Cheonnae", _KW),
    _p("고산", "county", "Kosan", "Kosan", "Gosan", _KW, common=True),
    # South Hamgyong.
    _p("함흥", "city", "Hamhung", "Hamhŭng", "Hamheung", _GN),
    _p("신포", "city", "Sinpho", "Sinp'o", "Sinpo", _GN, "Sinpo"),
    _p("단천", "city", "Tanchon", "Tanch'ŏn", "Dancheon", _GN),
    _p("흥남", "district", "Hungnam", "Hŭngnam", "Heungnam", _GN),
    _p("함주", "county", "Hamju", "Hamju", "Hamju", _GN),
    _p("정평", "county", "Jongphyong", "Chŏngp'yŏng", "Jeongpyeong", _GN, "Jongpyong"),
    _p("영광", "county", "Yonggwang", "Yŏnggwang", "Yeonggwang", _GN, common=True, south=True),
    _p("고원", "county", "Kowon", "Kowŏn", "Gowon", _GN, common=True),
    _p("요덕", "county", "Yodok", "Yodŏk", "Yodeok", _GN),
    _p("북청", "county", "Pukchong", "Pukch'ŏng", "Bukcheong", _GN),
    _p("홍원", "county", "Hongwon", "Hongwŏn", "Hongwon", _GN),
    _p("리원", "county", "Riwon", "Riwŏn", "Iwon", _GN, "이원"),
    _p("덕성", "county", "Toksong", "Tŏksŏng", "Deokseong", _GN, common=True),
    _p("금야", "county", "Kumya", "Kŭmya", "Geumya", _GN),
    _p("허천", "county", "Hochon", "Hŏch'ŏn", "Heocheon", _GN),
    _p("장진", "county", "Jangjin", "Changjin", "Jangjin", _GN),
    _p("부전", "county", "Pujon", "Pujŏn", "Bujeon", _GN, south=True),
    _p("신흥", "county", "Sinhung", "Sinhŭng", "Sinheung", _GN, common=True),
    _p("락원", "county", "Rakwon", "Nagwŏn", "Nagwon", _GN),
    # North Hamgyong.
    _p("청진", "city", "Chongjin", "Ch'ŏngjin", "Cheongjin", _GB),
    _p("김책", "city", "Kimchaek", "Kimch'aek", "Gimchaek", _GB, "Kim Chaek|Kimch'aek|Songjin"),
    _p("회령", "city", "Hoeryong", "Hoeryŏng", "Hoeryeong", _GB),
    _p("라남", "district", "Ranam", "Ranam", "Nanam", _GB),
    _p("무산", "county", "Musan", "Musan", "Musan", _GB, common=True),
    _p("온성", "county", "Onsong", "Onsŏng", "Onseong", _GB),
    _p("경성", "county", "Kyongsong", "Kyŏngsŏng", "Gyeongseong", _GB, common=True),
    _p("경원", "county", "Kyongwon", "Kyŏngwŏn", "Gyeongwon", _GB, "Saeppyol|Saebyol|새별"),
    _p("길주", "county", "Kilju", "Kilchu", "Gilju", _GB),
    _p("명천", "county", "Myongchon", "Myŏngch'ŏn", "Myeongcheon", _GB),
    _p("화성", "county", "Hwasong", "Hwasŏng", "Hwaseong", _GB, common=True, south=True),
    _p("어랑", "county", "Orang", "Ŏrang", "Eorang", _GB),
    _p("부령", "county", "Puryong", "Puryŏng", "Buryeong", _GB, common=True),
    _p("연사", "county", "Yonsa", "Yŏnsa", "Yeonsa", _GB, common=True),
    _p("은덕", "county", "Undok", "Ŭndŏk", "Eundeok", _GB, "Kyonghung|경흥"),
    _p("화대", "county", "Hwadae", "Hwadae", "Hwadae", _GB),
    _p("경흥", "county", "Kyonghung", "Kyŏnghŭng", "Gyeongheung", _GB),
    # Ryanggang.
    _p("혜산", "city", "Hyesan", "Hyesan", "Hyesan", _RG),
    _p("삼지연", "county", "Samjiyon", "Samjiyŏn", "Samjiyeon", _RG),
    _p("갑산", "county", "Kapsan", "Kapsan", "Gapsan", _RG),
    _p("풍서", "county", "Phungso", "P'ungsŏ", "Pungseo", _RG, "Pungso"),
    _p("백암", "county", "Paegam", "Paegam", "Baegam", _RG),
    _p("운흥", "county", "Unhung", "Unhŭng", "Unheung", _RG),
    _p("보천", "county", "Pochon", "Poch'ŏn", "Bocheon", _RG),
    _p("대홍단", "county", "Taehongdan", "Taehongdan", "Daehongdan", _RG),
    _p("삼수", "county", "Samsu", "Samsu", "Samsu", _RG),
    _p("김정숙", "county", "Kimjongsuk", "Kimjŏngsuk", "Gimjeongsuk", _RG, common=True),
    _p("김형직", "county", "Kimhyongjik", "Kimhyŏngjik", "Gimhyeongjik", _RG, common=True),
    # Pyongyang's districts and counties.
    _p("모란봉", "district", "Moranbong", "Moranbong", "Moranbong", _PY),
    _p("만경대", "district", "Mangyongdae", "Man'gyŏngdae", "Mangyeongdae", _PY),
    _p("락랑", "district", "Rangnang", "Rangnang", "Nangnang", _PY),
    _p("순안", "district", "Sunan", "Sunan", "Sunan", _PY),
    _p("사동", "district", "Sadong", "Sadong", "Sadong", _PY, common=True),
    _p("룡성", "district", "Ryongsong", "Ryongsŏng", "Yongseong", _PY),
    _p("대동강", "district", "Taedonggang", "Taedonggang", "Daedonggang", _PY),
    _p("보통강", "district", "Pothonggang", "Pot'onggang", "Botonggang", _PY),
    _p("형제산", "district", "Hyongjesan", "Hyŏngjesan", "Hyeongjesan", _PY),
    _p("력포", "district", "Ryokpho", "Ryŏkp'o", "Yeokpo", _PY),
    _p("강동", "county", "Kangdong", "Kangdong", "Gangdong", _PY, south=True),
    _p("상원", "county", "Sangwon", "Sangwŏn", "Sangwon", _PY),
    _p("중화", "county", "Junghwa", "Chunghwa", "Junghwa", _PY, common=True),
    _p("강서", "district", "Kangso", "Kangsŏ", "Gangseo", "남포", south=True),
)  # fmt: skip

# Suffixes that name an administrative level after a place name, romanised and in Hangul.
LATIN_ADMIN_SUFFIXES = ("province", "county", "city", "district", "region", "area", "prefecture")
LATIN_ADMIN_HYPHEN_SUFFIXES = ("do", "si", "shi", "gun", "kun", "guyok", "kuyok", "ri", "dong", "rodongjagu")
