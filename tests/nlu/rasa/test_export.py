"""The exported Rasa project: files, intents, responses, generated wordings, Rasa's validator."""

from __future__ import annotations

from pathlib import Path

import yaml

from nlu.rasa.augment import synonym_rows, training_examples
from nlu.rasa.backend import _INTENTS
from nlu.rasa.conversation import INTENTS
from nlu.rasa.export import SMALL, Training, project_files
from nlu.rasa.server import validate
from nlu.snapshot import KbItem, KbSnapshot, SynonymGroup
from tests.nlu.kb import snapshot

SYNONYMS = (SynonymGroup("驾驶证", ("驾照", "驾驶执照")), SynonymGroup("身份证", ("居民身份证",)))


def _load(project_text: str) -> dict:
    return yaml.safe_load(project_text)


def test_project_has_every_file_intent_and_response() -> None:
    kb = snapshot()
    project = project_files(kb, SYNONYMS, SMALL)
    assert set(project.files) == {
        "config.yml",
        "domain.yml",
        "data/nlu.yml",
        "data/rules.yml",
        "jieba/userdict.txt",
    }
    domain = _load(project.files["domain.yml"])
    conversation = ["greeting", "thanks", "goodbye", "human", "complaint", "robot"]
    assert domain["intents"] == ["faq", *conversation]
    for item in kb.items:
        assert domain["responses"][f"utter_faq/{item.code}"] == [{"text": item.answer.strip()}]
    nlu = _load(project.files["data/nlu.yml"])["nlu"]
    intents = {block["intent"]: block["examples"] for block in nlu if "intent" in block}
    assert {f"faq/{item.code}" for item in kb.items} <= set(intents)
    assert set(conversation) <= set(intents)
    assert "- 身份证丢了怎么补办\n" in intents["faq/GA-0001"]
    assert "- 身份证遗失了如何补领\n" in intents["faq/GA-0001"]  # the alternate wording
    synonyms = {block["synonym"]: block["examples"] for block in nlu if "synonym" in block}
    assert synonyms["驾驶证"] == "- 驾照\n- 驾驶执照\n"


def test_config_learns_from_words_and_character_ngrams() -> None:
    config = _load(project_files(snapshot(), SYNONYMS, Training()).files["config.yml"])
    names = [step["name"] for step in config["pipeline"]]
    assert names == [
        "JiebaTokenizer",
        "CountVectorsFeaturizer",
        "CountVectorsFeaturizer",
        "DIETClassifier",
        "ResponseSelector",
        "FallbackClassifier",
    ]
    chars = config["pipeline"][2]
    assert (chars["analyzer"], chars["min_ngram"], chars["max_ngram"]) == ("char_wb", 1, 4)
    assert config["pipeline"][4]["retrieval_intent"] == "faq"


def test_generated_wordings_drop_fillers_and_use_synonyms() -> None:
    item = KbItem("GA-0009", "请问驾驶证到期了怎么换证？", "…", "县公安局")
    examples = training_examples(item, synonym_rows(SYNONYMS), limit=20)
    assert examples[0] == "请问驾驶证到期了怎么换证"
    assert "驾驶证到期了换证" in examples  # 请问 and 怎么 dropped
    assert "请问驾照到期了怎么换证" in examples
    assert "请问驾驶证到期了如何换证" in examples
    assert len(examples) == len(set(examples))
    assert len(training_examples(item, synonym_rows(SYNONYMS), limit=3)) == 3


def test_an_example_belongs_to_one_entry_only() -> None:
    twins = KbSnapshot(
        items=(
            KbItem("A-1", "身份证怎么补办", "甲", "县公安局"),
            KbItem("A-2", "身份证怎么补办？", "乙", "县公安局"),
        )
    )
    project = project_files(twins, (), SMALL)
    assert project.codes == ("A-1",)
    assert project.skipped == ("A-2",)
    assert project.digest == project_files(twins, (), SMALL).digest


def test_rasa_data_validate_passes(rasa_venv: Path, tmp_path: Path) -> None:
    project_files(snapshot(), SYNONYMS, SMALL).write(tmp_path)
    done = validate(rasa_venv, tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_every_exported_conversation_intent_is_understood_by_the_backend() -> None:
    assert {intent.name for intent in INTENTS} == set(_INTENTS)
