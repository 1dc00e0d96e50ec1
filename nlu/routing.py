"""Department routing: which directory department handles what the knowledge base cannot answer.

Each directory department gets a word profile from two kinds of evidence: its remit text (with
its aliases, the names citizens call it by: 城管 for 综合行政执法局), and the centroid of the
knowledge-base entries labelled with a matching department (knowledge-base department names are
matched to directory names by name and content similarity, since they often differ:
人力资源社会保障局 vs 县人力资源和社会保障局). In semantic mode each department also has
the encoder's vector of its remit, and a trained department classifier (`nlu.department_model`)
may be loaded. Whether a message is a department's business at all is read off the word profiles
(their gate was tuned on everyday questions), or else off its sentence vector's closeness to a
remit; in semantic mode, a message that reads as a citizen's letter (long, or worded as one)
always is. Which department, from the classifier when there is one, else from the remit vectors
and word profiles together. When the two best departments are close, both are named.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from nlu.normalize import match_form
from nlu.routing_lexicon import expansion
from nlu.segment import Segmenter
from nlu.service_actions import action_kinds
from nlu.snapshot import Directory, DirectoryDepartment, KbItem

Vector = dict[str, float]

# Zero-shot choice: the message's cosine to each remit vector and its word-profile similarity,
# each standardised over the departments, are added with this weight on the words. Read off
# the aggregate routing accuracy of a labelled set of real citizen letters: remit vectors alone
# 0.56, words alone 0.56, together 0.64 (weights 0.3–0.7 within 0.02 of each other). Entry
# vectors in the semantic profile lowered it (a knowledge base's entries are not a county's
# letters); entries stay in the word profiles only.
_LEXICAL_WEIGHT = 0.5
# Two departments whose standardised zero-shot scores differ by less than this are both named
# (about one message in ten on the same set); for a classifier, the same on probabilities.
ZERO_SHOT_MARGIN = 0.2
CLASSIFIER_MARGIN = 0.2

# Evidence weights: the remit is written for routing; entries add the words citizens actually use.
_REMIT_WEIGHT = 1.0
_ENTRIES_WEIGHT = 0.6
# A knowledge-base department label joins a directory department by name when this share of its
# core name's bigrams occurs in the directory name, else by content when its entries' similarity
# to one remit is at least _CONTENT_MATCH and _CONTENT_LEAD times that to any other remit.
_NAME_MATCH = 0.5
_CONTENT_MATCH = 0.1
_CONTENT_LEAD = 3.0
# A short message (fewer topic words than this) is referred only when at least
# _SHORT_EVIDENCE of its words each carry _EVIDENCE_SHARE of its similarity to the department,
# or its one shared word alone reaches _STRONG_SINGLE (施工, 宅基地), or is an item the county wrote
# in that department's remit or aliases and no other department's words (护照, 路灯): a common word
# shared by chance (更新, 银行) is a coincidence in an everyday question, while a long letter that
# dwells on one matter is about that matter. Read off aggregate curves: everyday questions
# referred fell from 17.7 % to 4.3 % for 1.5 points of route accuracy. (A share of the profile
# alone lets a richer remit silence its own words: 路灯坏了 fell below 0.15 when the county's
# remit for 路灯 gained its aliases; hence the county's own words.)
_SHORT_MESSAGE_WORDS = 10
_SHORT_EVIDENCE = 2
_EVIDENCE_SHARE = 0.05
_STRONG_SINGLE = 0.15
# What separates the items of a remit (户籍户口、居民身份证（首次申领、补领）、…与…).
_REMIT_ITEM = re.compile(r"[、，,；;：:（）()。\s]|与|及|和")
# A message that reads as a citizen's letter (an account of a problem, not an everyday question)
# is referred to its best department even when neither its words nor its vector clear the gate
# below: at least _LETTER_CHARACTERS characters (Chinese, letters and digits) with one kind of
# the wording below, or _LETTER_MARKS kinds of which one states the matter (a request or a
# problem); semantic mode only: the department is then chosen with the message's vector. Read
# off aggregate curves over 880 real letters and LCQMC's 300 everyday questions (the README's
# sweep): no everyday question reads as a letter. A greeting (你好) is not an address to an
# official and a place or a time is not a matter (你好，附近有什么好吃的 carries both); length
# counts in prose (half as many different Chinese characters), not in noise (哈 × 32, digits).
_LETTER_CHARACTERS = 30
_LETTER_MARKS = 2
_MATTER_MARKERS = tuple(
    re.compile(pattern)
    for pattern in (
        # Asking for something to be done.
        r"希望|请求|恳请|要求|呼吁|望|能否|是否|建议|盼|协调|督促|解决|处理|管管|管一管",
        # A problem that persists or harms.
        r"反映|投诉|举报|影响|严重|扰民|一直|多次|至今|没人|无人|迟迟|拖欠|不给|不让|不管",
    )
)
_SETTING_MARKERS = tuple(
    re.compile(pattern)
    for pattern in (
        # Addressing an official.
        r"领导|书记|县长|区长|市长|镇长|尊敬",
        # Where it happens.
        r"村|小区|路|街|镇|乡|社区|号楼|单元|楼下|门口|附近|周边",
        # When it happens.
        r"\d+年|\d+月|\d+日|\d+号|每天|晚上|凌晨|早上|夜间|近期|最近|去年|今年|几年|多年|半年|个月",
    )
)

# Words of any citizen letter (greetings to officials, requests, generic nouns): no department.
_LETTER_WORDS = frozenset(
    [
        "领导",
        "书记",
        "区长",
        "县长",
        "市长",
        "您好",
        "你好",
        "尊敬",
        "希望",
        "问题",
        "处理",
        "进行",
        "是否",
        "部门",
        "相关",
        "反映",
        "情况",
        "解决",
        "怎么",
        "什么",
        "现在",
        "目前",
        "已经",
        "没有",
        "可以",
        "能够",
        "需要",
        "以及",
        "还是",
        "但是",
        "因为",
        "所以",
        "如果",
        "这个",
        "那个",
        "我们",
        "他们",
        "自己",
        "本人",
        "居民",
        "市民",
        "群众",
        "老百姓",
        "政府",
        "单位",
        "工作",
        "时间",
        "时候",
        "今天",
        "昨天",
        "今年",
        "去年",
        "每天",
        "一直",
        "多次",
        "多年",
        "谢谢",
        "感谢",
        "麻烦",
        "请问",
        "咨询",
        "投诉",
        "举报",
        "回复",
        "答复",
        "重视",
        "关注",
        "关心",
        "帮助",
        "给予",
        "予以",
        "及时",
        "严重",
        "影响",
        "导致",
        "要求",
        "表示",
        "认为",
        "觉得",
        "知道",
        "告诉",
        "说明",
        "具体",
        "有关",
        "上述",
        "其他",
        # Question words ask, they name no matter (怎么办 made 我家猫咪走丢了怎么办 a
        # two-word match with a transport remit).
        "怎么办",
        "怎么样",
        "为什么",
        "怎样",
        "如何",
        "哪里",
        "哪儿",
        "哪个",
        "多少",
        "多久",
    ]
)


@dataclass(frozen=True, slots=True)
class RouteGuess:
    """The best department for a message, its evidence of being some department's business
    (the word similarity to the best word profile, or the remit cosine when words alone refused
    it), and a close second department when the choice between the two is uncertain."""

    department: DirectoryDepartment
    score: float
    alternative: DirectoryDepartment | None = None


class DepartmentClassifier(Protocol):
    """A trained department classifier (see `nlu.department_model`)."""

    def probabilities(self, text: str, vector: np.ndarray | None) -> dict[str, float]:
        """Probability of each department name it knows for a message."""


def reads_as_letter(text: str) -> bool:
    """True when `text` is written like a citizen's letter about a matter: long enough to tell
    one (in prose, or with some letter wording), or two kinds of letter wording of which one is
    a request or a lasting problem (the others: an address to an official, a place, a time)."""
    form = match_form(text)
    matter = sum(1 for marker in _MATTER_MARKERS if marker.search(form))
    setting = sum(1 for marker in _SETTING_MARKERS if marker.search(form))
    if len(form) >= _LETTER_CHARACTERS:
        # Length tells a letter only in prose or with some of its wording: 哈 × 32 is noise.
        prose = len({c for c in form if "\u4e00" <= c <= "\u9fff"}) >= _LETTER_CHARACTERS // 2
        return prose or matter + setting > 0
    return matter > 0 and matter + setting >= _LETTER_MARKS


def _standardised(scores: np.ndarray) -> np.ndarray:
    spread = float(scores.std())
    return (scores - scores.mean()) / spread if spread > 0 else np.zeros_like(scores)


def _normalized(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


# Generic level and unit words that say nothing about a department's business.
_LEVEL_WORDS = ("市", "县", "区")
_UNIT_WORDS = r"(局|委|委员会|中心|分局|管理局)$"


def name_noise(place_names: Iterable[str]) -> re.Pattern[str]:
    """What a department name starts or ends with that names no business: the jurisdiction's
    place names (北京市, 北京, 海淀区 … from the places data and settings; longest first), a
    level word, a unit word."""
    places = sorted({match_form(n) for n in place_names} - {""}, key=len, reverse=True)
    leading = "|".join(re.escape(word) for word in (*places, *_LEVEL_WORDS))
    return re.compile(f"^({leading})|{_UNIT_WORDS}")


def _name_similarity(a: str, b: str, noise: re.Pattern[str]) -> float:
    """Share of the character bigrams of `a`'s core name (place and unit word removed) that
    occur in `b`: 体育局 belongs to 文化和广电旅游体育局, not to 教育局."""
    core = noise.sub("", noise.sub("", a))
    grams_a = {core[i : i + 2] for i in range(len(core) - 1)}
    grams_b = {b[i : i + 2] for i in range(len(b) - 1)}
    if not grams_a or not grams_b:
        return 0.0
    return len(grams_a & grams_b) / len(grams_a)


class DepartmentRouter:
    """Scores messages against department profiles built from remit texts and labelled entries."""

    def __init__(
        self,
        directory: Directory,
        items: Sequence[KbItem],
        question_words: Sequence[Sequence[str]],
        segmenter: Segmenter,
        *,
        remit_vectors: np.ndarray | None = None,
        classifier: DepartmentClassifier | None = None,
        semantic_evidence: float = 1.0,
        place_names: Iterable[str] = (),
    ) -> None:
        self._segmenter = segmenter
        # The jurisdiction's place names, stripped from knowledge-base department labels.
        self._name_noise = name_noise(place_names)
        self._departments = directory.departments
        # (departments, dim) unit vectors of the remits, in semantic mode.
        self._remit_vectors = remit_vectors
        self.classifier = classifier
        # A message whose words match no profile is still referred when its vector is at least
        # this close to a remit (`NluSettings.route_semantic_evidence`).
        self._semantic_evidence = semantic_evidence
        self._idf: dict[str, float] = {}
        self._default_idf = 1.0
        self._profiles: list[Vector] = []
        self._own_words: list[frozenset[str]] = []
        if not self._departments:
            return  # nothing to route to: skip profiling every entry
        # The names citizens call a department by (城管) are words of its remit, and the county's
        # own words (a name or matter only one department's remit and aliases hold: 城管, 护照)
        # are evidence even alone.
        remit_words = [
            self._words(d.remit)
            + self._words(expansion(d.remit))
            + self._words(" ".join(d.aliases))
            for d in self._departments
        ]
        self._own_words = self._distinctive_words(remit_words)
        item_words = [self._topic_words(words) for words in question_words]
        documents = remit_words + item_words
        df: Counter[str] = Counter()
        for words in documents:
            df.update(set(words))
        n = len(documents) or 1
        self._idf = {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items()}
        self._default_idf = math.log(n + 1) + 1
        remit_profiles = [self._vector(words) for words in remit_words]
        centroids = self._entry_centroids(items, item_words, remit_profiles)
        self._profiles = [
            _normalized(
                {
                    w: _REMIT_WEIGHT * remit.get(w, 0.0) + _ENTRIES_WEIGHT * centroid.get(w, 0.0)
                    for w in remit.keys() | centroid.keys()
                }
            )
            for remit, centroid in zip(remit_profiles, centroids, strict=True)
        ]

    def _words(self, text: str) -> list[str]:
        return self._topic_words(self._segmenter.words(text))

    def _topic_words(self, segmented: Sequence[str], *, bigrams: bool = True) -> list[str]:
        """Content words plus (with `bigrams`) their character bigrams (robust to segmentation
        differences)."""
        words = [
            w
            for w in self._segmenter.content(segmented)
            if len(w) > 1 and not w.isascii() and w not in _LETTER_WORDS
        ]
        if not bigrams:
            return words
        grams = [w[i : i + 2] for w in words if len(w) > 2 for i in range(len(w) - 1)]
        return words + grams

    def _distinctive_words(self, remit_words: Sequence[list[str]]) -> list[frozenset[str]]:
        """Per department, its remit's items and its aliases that are one word (路灯, 护照,
        城管; not a word inside an item, such as 动物 in 动物防疫) and a word of no other
        department's remit, aliases or everyday words."""
        held = [set(words) for words in remit_words]
        own: list[frozenset[str]] = []
        for position, department in enumerate(self._departments):
            others = set().union(*(words for j, words in enumerate(held) if j != position))
            terms = set()
            for item in (*_REMIT_ITEM.split(department.remit), *department.aliases):
                words = self._topic_words(self._segmenter.words(item), bigrams=False)
                # An operation (变更, 补发) says what is done, not whose matter it is.
                if len(words) == 1 and words[0] not in others and not action_kinds(words[0]):
                    terms.add(words[0])
            own.append(frozenset(terms))
        return own

    def _vector(self, words: Iterable[str]) -> Vector:
        counts = Counter(words)
        return _normalized(
            {w: (1 + math.log(c)) * self._idf.get(w, self._default_idf) for w, c in counts.items()}
        )

    def _entry_centroids(
        self, items: Sequence[KbItem], item_words: Sequence[list[str]], remits: Sequence[Vector]
    ) -> list[Vector]:
        """Per directory department, the centroid of entries whose department maps onto it."""
        by_label: dict[str, Vector] = defaultdict(dict)
        for item, words in zip(items, item_words, strict=True):
            centroid = by_label[item.department]
            for w, v in self._vector(words).items():
                centroid[w] = centroid.get(w, 0.0) + v
        centroids: list[Vector] = [{} for _ in self._departments]
        for label, centroid in by_label.items():
            unit = _normalized(centroid)
            target_of = self._map_label(label, unit, remits)
            if target_of is not None:
                target = centroids[target_of]
                for w, v in unit.items():
                    target[w] = target.get(w, 0.0) + v
        return [_normalized(c) for c in centroids]

    def _map_label(self, label: str, unit: Vector, remits: Sequence[Vector]) -> int | None:
        """The directory department a knowledge-base department label stands for, if clear.

        By name when the label's core name is mostly found in a directory name (体育局 in
        文化和广电旅游体育局); otherwise by content when the label's entries resemble one remit
        clearly more than any other (交管局's entries and the police remit); a general label
        (首都之窗) whose entries spread over several remits joins none.
        """
        if not self._departments:
            return None
        names = [
            _name_similarity(match_form(label), match_form(d.name), self._name_noise)
            for d in self._departments
        ]
        by_name = max(range(len(names)), key=names.__getitem__)
        if names[by_name] >= _NAME_MATCH:
            return by_name
        contents = [_dot(unit, remit) for remit in remits]
        ranked = sorted(range(len(contents)), key=contents.__getitem__, reverse=True)
        best = contents[ranked[0]]
        runner_up = contents[ranked[1]] if len(ranked) > 1 else 0.0
        if best >= _CONTENT_MATCH and best >= _CONTENT_LEAD * runner_up:
            return ranked[0]
        return None

    def guess(self, text: str, vector: np.ndarray | None = None) -> RouteGuess | None:
        """The department for a message (`vector`: its sentence vector in semantic mode), or
        None when the directory is empty, or the message does not read as a letter, words refuse
        it (none overlaps, or a short message shares a single word with the best profile) and no
        remit is close in meaning."""
        if not self._departments:
            return None
        query = self._vector(self._words(text))
        lexical = np.array([_dot(query, profile) for profile in self._profiles])
        best = int(lexical.argmax())
        best_score = float(lexical[best])
        if vector is not None and self._remit_vectors is not None and reads_as_letter(text):
            # A citizen's account of a problem is some department's business even in words no
            # remit uses; its evidence is the closer of words and meaning.
            return self._choose(text, vector, lexical, max(best_score, self._remit_cosine(vector)))
        if self._words_refuse(query, best, best_score):
            # Words say no department; a remit a letter's meaning is close to still may. A short
            # message sharing no word with any department is not referred on meaning alone: its
            # few words (宠物狗 … 办证) put its vector near several remits at once, and the
            # hotline or a person serves it better than a department named by coincidence.
            if len(query) < _SHORT_MESSAGE_WORDS:
                return None
            cosine = self._remit_cosine(vector)
            if cosine < self._semantic_evidence:
                return None
            return self._choose(text, vector, lexical, cosine)
        return self._choose(text, vector, lexical, best_score)

    def _words_refuse(self, query: Vector, best: int, best_score: float) -> bool:
        """No word overlaps, or a short message shares a single common word by chance."""
        if best_score <= 0:
            return True
        if len(query) >= _SHORT_MESSAGE_WORDS:
            return False
        profile = self._profiles[best]
        if any(w in self._own_words[best] for w in query):
            return False
        carrying = sum(
            1 for w, v in query.items() if v * profile.get(w, 0.0) >= _EVIDENCE_SHARE * best_score
        )
        return carrying < _SHORT_EVIDENCE and best_score < _STRONG_SINGLE

    def _remit_cosine(self, vector: np.ndarray | None) -> float:
        if vector is None or self._remit_vectors is None:
            return 0.0
        return float((self._remit_vectors @ vector).max())

    def _choose(
        self, text: str, vector: np.ndarray | None, lexical: np.ndarray, evidence: float
    ) -> RouteGuess:
        """Pick the department among all (classifier, else remit vectors with words, else
        words alone) and name a close second."""
        margin = ZERO_SHOT_MARGIN
        if self.classifier is not None:
            known = self.classifier.probabilities(text, vector)
            scores = np.array([known.get(d.name, 0.0) for d in self._departments])
            margin = CLASSIFIER_MARGIN
        elif vector is not None and self._remit_vectors is not None:
            scores = _standardised(self._remit_vectors @ vector) + _LEXICAL_WEIGHT * (
                _standardised(lexical)
            )
        else:
            return RouteGuess(self._departments[int(lexical.argmax())], evidence)
        order = np.argsort(-scores, kind="stable")
        first = int(order[0])
        second = int(order[1]) if len(order) > 1 else first
        close = second != first and scores[first] - scores[second] < margin
        return RouteGuess(
            self._departments[first],
            evidence,
            alternative=self._departments[second] if close else None,
        )
