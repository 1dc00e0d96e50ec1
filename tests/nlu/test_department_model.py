"""The department classifier: versions, loading for the directory, close calls, and a measure."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from handlers.compose import compose_reply
from nlu.decision import Decision
from nlu.department_model import (
    cross_validate,
    labelled,
    load,
    newest_card,
    remit_priors,
    train,
)
from nlu.encoders.base import Encoder
from nlu.engine_state import department_model
from nlu.routing import DepartmentRouter
from nlu.segment import Segmenter
from nlu.settings import NluSettings
from nlu.snapshot import Directory
from nlu.vectors import Embedder
from tests.nlu.kb import DIRECTORY, HOUSING, LABOUR, POLICE

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
# Written for the test directory: how its county's staff labelled past messages.
HISTORY = [
    (POLICE.name, "晚上有人在楼下打架斗殴"),
    (POLICE.name, "接到诈骗电话被骗走两千块"),
    (POLICE.name, "孩子的户口怎么迁过来"),
    (POLICE.name, "电动车在小区里被偷了"),
    (LABOUR.name, "老板拖欠工资三个月不发"),
    (LABOUR.name, "公司不签劳动合同怎么办"),
    (LABOUR.name, "失业了想领失业金"),
    (LABOUR.name, "社保卡坏了怎么换"),
    (HOUSING.name, "开发商延期交房快一年了"),
    (HOUSING.name, "物业公司乱收费还不管事"),
    (HOUSING.name, "楼上漏水维修基金怎么用"),
    (HOUSING.name, "老旧小区什么时候加装电梯"),
]


@pytest.fixture(scope="module")
def embedder(real_encoder: Encoder) -> Embedder:
    return Embedder(real_encoder)


def _examples(embedder: Embedder) -> tuple[list, list]:
    examples = labelled([t for _, t in HISTORY], [d for d, _ in HISTORY], embedder)
    return examples, remit_priors(DIRECTORY, embedder)


def test_training_stores_versions_with_cross_validated_figures(
    embedder: Embedder, tmp_path: Path
) -> None:
    examples, priors = _examples(embedder)
    model, first = train(examples, priors, directory=tmp_path, now=NOW, card={})
    _, second = train(examples, priors, directory=tmp_path, now=NOW, card={})
    assert newest_card(tmp_path) == second
    card = json.loads(first.read_text(encoding="utf-8"))
    assert card["version"] == 1 and card["examples"] == len(HISTORY)
    figures = card["cross_validated"]
    assert figures["folds"] == 4  # four examples a department
    assert len(figures["per_fold"]) == 4
    assert set(figures["per_department"]) == {POLICE.name, LABOUR.name, HOUSING.name}
    loaded = load(second)
    vector = examples[0].vector
    expected = model.probabilities(HISTORY[0][1], vector)
    assert loaded.probabilities(HISTORY[0][1], vector) == pytest.approx(expected)
    # The same folds every run.
    assert cross_validate(examples, priors) == figures


def test_the_engine_uses_a_model_only_for_the_departments_it_knows(
    embedder: Embedder, tmp_path: Path
) -> None:
    examples, priors = _examples(embedder)
    train(examples, priors, directory=tmp_path, now=NOW, card={})
    settings = NluSettings(routing_models=tmp_path)
    names = {d.name for d in DIRECTORY.departments}
    assert department_model(settings, names) is not None
    assert department_model(settings, names | {"县教育局"}) is None
    assert department_model(NluSettings(routing_models=tmp_path / "none"), names) is None


class _Unsure:
    """A classifier torn between the police and the housing authority."""

    def probabilities(self, text: str, vector: np.ndarray | None) -> dict[str, float]:
        return {POLICE.name: 0.46, HOUSING.name: 0.4, LABOUR.name: 0.14}


def test_two_close_departments_are_both_named_with_the_hotline() -> None:
    router = DepartmentRouter(DIRECTORY, (), (), Segmenter(set(), {}), classifier=_Unsure())
    guess = router.guess("楼上邻居半夜装修噪音扰民，施工声音太吵")
    assert guess is not None
    assert guess.department == POLICE and guess.alternative == HOUSING
    decision = Decision(
        "route",
        "…",
        referral=guess.department,
        alternative=guess.alternative,
        fallback=DIRECTORY.fallback,
    )
    reply = compose_reply(decision)
    assert POLICE.name in reply.text and HOUSING.name in reply.text and "12345" in reply.text
    assert reply.alternative is not None and reply.alternative.department == HOUSING.name


def test_zero_shot_names_one_department_when_it_is_clear(embedder: Embedder) -> None:
    remits = embedder.passages([d.remit for d in DIRECTORY.departments])
    router = DepartmentRouter(DIRECTORY, (), (), Segmenter(set(), {}), remit_vectors=remits)
    text = "公司拖欠我们三个月工资，老板一直不发，想申请劳动仲裁"
    guess = router.guess(text, embedder.query(text))
    assert guess is not None
    assert guess.department == LABOUR and guess.alternative is None
    assert router.guess(text, None) is not None  # words alone still route (lexical mode)
    assert DepartmentRouter(Directory(), (), (), Segmenter(set(), {})).guess(text) is None


def test_a_version_stored_before_the_word_block_still_routes(
    embedder: Embedder, tmp_path: Path
) -> None:
    """A county's model trained by an earlier release (characters and the vector only) keeps
    routing after an upgrade, as it was trained."""
    import skops.io
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    examples, priors = _examples(embedder)
    rows = [*examples, *priors]
    tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
    chars = tfidf.fit_transform([e.text for e in rows])
    x = hstack([chars, csr_matrix(np.stack([e.vector for e in rows]))]).tocsr()
    classifier = LogisticRegression(C=4.0, max_iter=2000).fit(x, [e.department for e in rows])
    skops.io.dump({"tfidf": tfidf, "classifier": classifier}, tmp_path / "old.skops")
    card = tmp_path / "department_model-v1.json"
    card.write_text(json.dumps({"version": 1, "estimators": "old.skops"}), encoding="utf-8")

    model = load(card)
    text = "小区里的电动车晚上被人偷走了"
    vector = embedder.query(text)
    p = model.probabilities(text, vector)
    expected = classifier.predict_proba(
        hstack([tfidf.transform([text]), csr_matrix(vector.reshape(1, -1))]).tocsr()
    )[0]
    assert [p[str(d)] for d in classifier.classes_] == pytest.approx(expected.tolist())
    assert max(p, key=p.__getitem__) == POLICE.name
