"""Export a knowledge-base snapshot as a Rasa 3.6 project: config, domain, NLU data and rules.

Every entry becomes the retrieval intent `faq/<code>` with its stored and generated wordings
(`nlu.rasa.augment`) and the response `utter_faq/<code>` with its answer; the conversation intents
come from `nlu.rasa.conversation`. `project_files` is pure: the same snapshot gives the same text,
so a hash of the files names the trained model in the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nlu.engine_state import user_words
from nlu.rasa.augment import synonym_rows, training_examples
from nlu.rasa.conversation import INTENTS
from nlu.snapshot import KbSnapshot, SynonymGroup

RETRIEVAL_INTENT = "faq"
_DEFAULT_REPLY = "抱歉，我没有理解您的问题，您可以换个说法，或回复“转人工”。"


@dataclass(frozen=True, slots=True)
class Training:
    """How hard Rasa trains: epochs of DIET (intents) and of the response selector (entries)."""

    # Sized for a few thousand entries on two cores (see the README's Rasa figures).
    diet_epochs: int = 10
    selector_epochs: int = 30
    examples_per_entry: int = 8
    max_ngram: int = 4


FULL = Training()
# Enough to learn a county knowledge base of about a hundred entries in well under a minute.
SMALL = Training(diet_epochs=15, selector_epochs=40, examples_per_entry=8)


class _Dumper(yaml.SafeDumper):
    """YAML as people write Rasa files: multi-line text as `|` blocks, keys in given order."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _yaml(data: Mapping[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _examples(texts: Iterable[str]) -> str:
    return "".join(f"- {text}\n" for text in texts)


def _config(training: Training) -> dict[str, Any]:
    return {
        "recipe": "default.v1",
        "language": "zh",
        "assistant_id": "govbot",
        "pipeline": [
            {"name": "JiebaTokenizer", "dictionary_path": "jieba"},
            {"name": "CountVectorsFeaturizer"},
            # Character n-grams carry Chinese paraphrases that jieba splits differently.
            {
                "name": "CountVectorsFeaturizer",
                "analyzer": "char_wb",
                "min_ngram": 1,
                "max_ngram": training.max_ngram,
                # n-grams of a single example (or answer) teach nothing general and bloat the model;
                # an entry's own n-grams survive, since its generated wordings repeat them.
                "min_df": 2,
            },
            # DIET only tells `faq` from six conversation intents: no transformer needed, and
            # without one it trains several times faster on two cores.
            {
                "name": "DIETClassifier",
                "epochs": training.diet_epochs,
                "number_of_transformer_layers": 0,
                "entity_recognition": False,
                "constrain_similarities": True,
            },
            {
                "name": "ResponseSelector",
                "retrieval_intent": RETRIEVAL_INTENT,
                "epochs": training.selector_epochs,
                "constrain_similarities": True,
            },
            {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
        ],
        "policies": [{"name": "RulePolicy"}],
    }


def _synonyms(groups: Sequence[tuple[str, ...]]) -> list[dict[str, str]]:
    """Rasa synonym entries; a variant maps to the first group that names it, never two."""
    taken: set[str] = set()
    entries = []
    for canonical, *variants in groups:
        fresh = [v for v in variants if v not in taken and v != canonical]
        taken.update(fresh)
        if fresh:
            entries.append({"synonym": canonical, "examples": _examples(fresh)})
    return entries


@dataclass(frozen=True, slots=True)
class Project:
    """The project's files (relative path → text) and the entries that got no example."""

    files: Mapping[str, str]
    codes: tuple[str, ...]
    skipped: tuple[str, ...]

    @property
    def digest(self) -> str:
        """A hash of every file: equal projects train equal models."""
        sha = hashlib.sha256()
        for path in sorted(self.files):
            sha.update(path.encode() + b"\0" + self.files[path].encode() + b"\0")
        return sha.hexdigest()[:16]

    def write(self, directory: Path) -> None:
        """Write the files under `directory`, creating folders as needed."""
        for relative, text in self.files.items():
            target = directory / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def project_files(
    snapshot: KbSnapshot, synonyms: Iterable[SynonymGroup], training: Training = FULL
) -> Project:
    """The Rasa project for `snapshot`; `synonyms` are the file's groups plus the snapshot's."""
    rows = synonym_rows(synonyms)
    # An example may belong to one intent only; conversation examples and earlier entries win.
    seen = {example for intent in INTENTS for example in intent.examples}
    nlu: list[dict[str, str]] = [
        {"intent": intent.name, "examples": _examples(intent.examples)} for intent in INTENTS
    ]
    responses: dict[str, list[dict[str, str]]] = {
        f"utter_{intent.name}": [{"text": intent.reply}] for intent in INTENTS
    }
    responses["utter_default"] = [{"text": _DEFAULT_REPLY}]
    codes: list[str] = []
    skipped: list[str] = []
    for item in snapshot.items:
        examples = [
            e
            for e in training_examples(item, rows, limit=training.examples_per_entry)
            if e not in seen
        ]
        if not examples:
            skipped.append(item.code)
            continue
        seen.update(examples)
        codes.append(item.code)
        nlu.append({"intent": f"{RETRIEVAL_INTENT}/{item.code}", "examples": _examples(examples)})
        responses[f"utter_{RETRIEVAL_INTENT}/{item.code}"] = [{"text": item.answer.strip()}]
    nlu.extend(_synonyms(rows))
    intents = [RETRIEVAL_INTENT, *(intent.name for intent in INTENTS)]
    rules = [
        {"rule": name, "steps": [{"intent": name}, {"action": f"utter_{name}"}]} for name in intents
    ]
    rules.append(
        {"rule": "nlu_fallback", "steps": [{"intent": "nlu_fallback"}, {"action": "utter_default"}]}
    )
    domain = {
        "version": "3.1",
        "intents": intents,
        "responses": responses,
        "session_config": {
            "session_expiration_time": 60,
            "carry_over_slots_to_new_session": True,
        },
    }
    terms = user_words(snapshot) | {w for row in rows for w in row}
    files = {
        "config.yml": _yaml(_config(training)),
        "domain.yml": _yaml(domain),
        "data/nlu.yml": _yaml({"version": "3.1", "nlu": nlu}),
        "data/rules.yml": _yaml({"version": "3.1", "rules": rules}),
        # jieba's user dictionary: knowledge-base terms stay whole words in Rasa's tokenizer.
        "jieba/userdict.txt": "".join(f"{w}\n" for w in sorted(terms) if " " not in w),
    }
    return Project(files=files, codes=tuple(codes), skipped=tuple(skipped))


def export_project(snapshot: KbSnapshot, training: Training = FULL) -> Project:
    """The project with the synonyms the built-in engine uses: the snapshot's."""
    return project_files(snapshot, snapshot.synonyms, training)
