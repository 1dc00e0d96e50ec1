"""Whose questions a knowledge base answers: its jurisdiction, and places mentioned outside it.

A Beijing FAQ must not answer 上海积分落户 or 广州摇号 with Beijing's rules: a question that names
another city or province (and no place inside the jurisdiction) is told what this account covers
and pointed to that place's 12345, unless the matched entry itself is about the named place.

Place names come from GB/T 2260 divisions (`nlu/data/places.tsv`). Provinces and prefecture-level
cities are recognised by full or short name (浙江省/浙江, 杭州市/杭州); county-level divisions by
full name only (桐庐县), since their short forms are often ordinary words (长安, 和平, 鼓楼), except
inside the jurisdiction, where short forms (海淀, 通州) only ever confirm a question is local.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nlu.normalize import match_form
from nlu.snapshot import KbItem

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.tsv"
_NATIONS = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "高山",
]
_LEVEL_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "省",
    "市",
    "盟",
    "县",
    "区",
    "旗",
)
# A place name followed by one of these names a street, park or firm, not the place (北京路 in
# Guangzhou, 中山公园 in Beijing); 路边, 路口 and the like are not street names.
_NOT_A_PLACE_AFTER = re.compile(
    r"路(?![边口上况费段线])|街|大道|公园|广场|饭店|酒店|大厦|银行|大学"
)
# Units of a jurisdiction's own name that are not worth matching alone.
_MIN_NAME = 2
# An entry about "another place" in general (外地就医报销, 异地提取公积金) serves a local citizen
# whose matter happened somewhere else.
_ANYWHERE_ELSE = re.compile("外地|异地|外省|省外|跨省|外市|市外|外县|县外|跨地区|其他城市|其他地区")
# The citizen came from the place or is back from it (从上海转过来, 看病回来怎么报), rather than
# asking for its own service (杭州的公积金怎么提取; 在上海怎么办居住证 is Shanghai's too).
_CAME_FROM = "从"
_CAME_BACK = re.compile("回来|回到|转回|迁回|回本地|回老家")
# Inferring a jurisdiction reads at most this many entries and this much of each answer.
_INFER_SAMPLE = 1000
_INFER_ANSWER_CHARS = 300


@dataclass(frozen=True, slots=True)
class Place:
    """A division: 6-digit code, full name, level (province, city or county)."""

    code: str
    name: str
    level: str

    @property
    def prefix(self) -> str:
        """Code prefix shared by every division inside this one."""
        return {"province": self.code[:2], "city": self.code[:4]}.get(self.level, self.code)


def short_name(name: str) -> str:
    """浙江省 → 浙江, 广西壮族自治区 → 广西, 恩施土家族苗族自治州 → 恩施, 海淀区 → 海淀."""
    stem = name
    for suffix in _LEVEL_SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_NAME:
            stem = stem[: -len(suffix)]
            break
    changed = True
    while changed:
        changed = False
        for nation in _NATIONS:
            for form in (nation + "族", nation):
                if stem.endswith(form) and len(stem) - len(form) >= _MIN_NAME:
                    stem, changed = stem[: -len(form)], True
    return stem


@lru_cache(maxsize=1)
def read_places(path: Path = PLACES_FILE) -> tuple[Place, ...]:
    """Every division in the places file (comment lines skipped)."""
    places = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name, level = line.split("\t")
            places.append(Place(code, name, level))
    return tuple(places)


# County-level names that read as ordinary words in a question (城区, 郊区, 市中区): never
# taken for another place. Names two counties share are ambiguous and skipped too.
_GENERIC_STEMS = frozenset(
    ["市中", "城中", "城东", "城西", "城南", "城北", "城关", "城厢", "新城", "新市", "南郊"]
)


def _telling(place: Place, shared: Counter[str]) -> bool:
    """Whether `place`'s name in a message says which place it is."""
    if place.level != "county":
        return True
    stem = short_name(place.name)
    return shared[place.name] == 1 and len(stem) >= _MIN_NAME and stem not in _GENERIC_STEMS


class Gazetteer:
    """Finds division names in text, longest name first."""

    def __init__(self, places: Iterable[Place], local_names: Iterable[str] = ()) -> None:
        self._names: dict[str, list[Place]] = {}
        places = list(places)
        shared = Counter(p.name for p in places)
        for place in places:
            if not _telling(place, shared):
                continue
            forms = {place.name}
            if place.level != "county":
                forms.add(short_name(place.name))
            for form in forms:
                if len(form) >= _MIN_NAME:
                    self._names.setdefault(form, []).append(place)
        self._local = {n for n in local_names if len(n) >= _MIN_NAME}
        # Name lengths by first character, longest first: most characters start no name.
        lengths: dict[str, set[int]] = {}
        for name in (*self._names, *self._local):
            lengths.setdefault(name[0], set()).add(len(name))
        self._lengths = {ch: sorted(found, reverse=True) for ch, found in lengths.items()}

    def mentions(self, text: str) -> list[tuple[str, list[Place]]]:
        """(name as written, divisions it may name) for each mention; local names map to []."""
        found: list[tuple[str, list[Place]]] = []
        position = 0
        while position < len(text):
            for length in self._lengths.get(text[position], ()):
                word = text[position : position + length]
                if word in self._local or word in self._names:
                    after = text[position + length :]
                    if not _NOT_A_PLACE_AFTER.match(after):
                        found.append((word, [] if word in self._local else self._names[word]))
                    position += length - 1
                    break
            position += 1
        return found


@dataclass(frozen=True)
class Jurisdiction:
    """The area a knowledge base answers for: its name, its division (when known) and the
    names citizens use for places inside it."""

    name: str
    place: Place | None
    local_names: frozenset[str]

    def _inside(self, places: Sequence[Place]) -> bool:
        if self.place is None:
            return False
        for place in places:
            if place.code.startswith(self.place.prefix):
                return True
            # A province or city containing the jurisdiction: its rules apply here too.
            if self.place.code.startswith(place.prefix):
                return True
        return False

    def elsewhere(self, text: str, gazetteer: Gazetteer) -> str | None:
        """The first place named in `text` outside the jurisdiction, when `text` names no place
        inside it; None otherwise."""
        outside = None
        for word, places in gazetteer.mentions(match_form(text)):
            if not places or self._inside(places):
                return None
            outside = outside or word
        return outside


def build_jurisdiction(name: str, aliases: Iterable[str] = ()) -> tuple[Jurisdiction, Gazetteer]:
    """The jurisdiction called `name` (a division name such as 北京市, or a county unknown to the
    places file such as a fictional 云溪县) and a gazetteer that knows its local names."""
    places = read_places()
    exact = [p for p in places if p.name == name]
    place = min(exact, key=lambda p: ("province", "city", "county").index(p.level), default=None)
    local = {name, short_name(name), *aliases}
    if place is not None:
        # Districts and counties inside, by short name too (海淀, 通州): they only ever say "local".
        for inner in places:
            if inner.code.startswith(place.prefix):
                local.update((inner.name, short_name(inner.name)))
    local = {n for n in local if len(n) >= _MIN_NAME}
    jurisdiction = Jurisdiction(name, place, frozenset(local))
    return jurisdiction, Gazetteer(places, local)


def infer_jurisdiction(items: Sequence[KbItem]) -> str | None:
    """The jurisdiction a knowledge base evidently serves, or None when it is not evident.

    First the division its departments are named after (云溪县公安局, 云溪县医疗保障局 → 云溪县),
    then the province or city its entries mention far more than any other (a Beijing FAQ).
    """
    departments = {item.department for item in items if item.department}
    prefixes: Counter[str] = Counter()
    for department in departments:
        for end in range(_MIN_NAME, len(department)):
            if department[end - 1] in "省市县区州旗盟":
                prefixes[department[:end]] += 1
                break
    if departments and prefixes:
        prefix, count = prefixes.most_common(1)[0]
        if count >= 0.8 * len(departments):
            return prefix
    gazetteer = Gazetteer(p for p in read_places() if p.level != "county")
    mentioned: Counter[str] = Counter()
    # An evenly spread sample of entries (and the start of each answer) shows the majority as
    # well as all of them, at a bounded cost whatever the knowledge base's size.
    step = max(1, len(items) // _INFER_SAMPLE)
    for item in items[::step]:
        text = item.question + item.answer[:_INFER_ANSWER_CHARS]
        for _, places in gazetteer.mentions(match_form(text)):
            top = min(places, key=lambda p: ("province", "city", "county").index(p.level))
            mentioned[top.name] += 1
    if not mentioned:
        return None
    name, count = mentioned.most_common(1)[0]
    total = sum(mentioned.values())
    return name if count >= 20 and count >= 0.5 * total else None


def matter_from_elsewhere(text: str, place: str, entry_wordings: str) -> bool:
    """Whether `text` is a local citizen's matter that happened in `place` and the entry (its
    wordings in match form) covers such matters anywhere else: 在杭州看病没结算回来怎么报 is the
    county's 外地就医报销, not a question for Hangzhou's hotline."""
    if not _ANYWHERE_ELSE.search(entry_wordings):
        return False
    form, name = match_form(text), match_form(place)
    at = form.find(name)
    came_from = at > 0 and form[at - 1] in _CAME_FROM
    return came_from or _CAME_BACK.search(form) is not None
