"""Benchmark knowledge-base generation, and the synonym file formats."""

from __future__ import annotations

from pathlib import Path

from bot.settings import SYNONYMS_FILE
from nlu.bench import bench_answer, generated_items
from nlu.snapshot import SynonymGroup
from nlu.synonyms import canonical_map, read_synonyms
from tests.nlu.kb import ITEMS


def test_generated_kb_has_the_size_asked_with_unique_codes_and_real_donors() -> None:
    items, donors = generated_items(ITEMS, 50)
    assert len(items) == 50 and len(donors) == 50 - len(ITEMS)
    assert items[: len(ITEMS)] == ITEMS
    assert len({i.code for i in items}) == 50
    assert all(0 <= a < len(ITEMS) and 0 <= b < len(ITEMS) for a, b in donors)
    assert generated_items(ITEMS, 3) == (ITEMS[:3], [])


def test_bench_reports_start_up_memory_latency_and_encoding_cost() -> None:
    queries = ["身份证丢了怎么补办", "公积金"]
    result = bench_answer(ITEMS, queries, sizes=(6, 40))
    assert [s["entries"] for s in result["sizes"]] == [6, 40]
    for size in result["sizes"]:
        # Every query was decided and timed, by the semantic engine the size was built for.
        assert size["queries"] == len(queries) and size["mode"] == "semantic"
        assert size["build_s"] > 0 and size["p50_ms"] > 0 and size["cpu_p50_ms"] > 0
    assert result["encode_ms_per_text"] > 0 and result["query_encode_p50_ms"] > 0


def test_project_synonyms_cover_common_government_words() -> None:
    mapping = canonical_map(read_synonyms(SYNONYMS_FILE))
    assert mapping["公积金"] == mapping["住房公积金"]
    assert mapping["社保"] == "社会保险"
    assert mapping["驾照"] == "驾驶证"
    assert mapping["户口本"] == "户口簿"


def test_synonym_file_shapes(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text(
        "global:\n  - [医保, 医疗保险]\n"
        "departments:\n  县公安局:\n    - {canonical: 户籍, variants: [户口]}\n",
        encoding="utf-8",
    )
    assert read_synonyms(path) == (
        SynonymGroup("医保", ("医疗保险",)),
        SynonymGroup("户籍", ("户口",), "县公安局"),
    )
    assert read_synonyms(tmp_path / "missing.yaml") == ()


def test_full_width_variants_are_normalised() -> None:
    mapping = canonical_map([SynonymGroup("驾驶证", ("駕照",))])
    assert mapping["驾照"] == "驾驶证"
