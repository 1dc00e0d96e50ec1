"""The bundled encoder: unit vectors, meaning over wording, safe from several threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from nlu.encoders.base import Encoder
from nlu.encoders.registry import encoder_failure, load_encoder


@pytest.fixture
def encoder(real_encoder: Encoder) -> Encoder:
    return real_encoder


def test_vectors_are_unit_length_float32(encoder: Encoder) -> None:
    vectors = encoder.encode_queries(["身份证丢了怎么补办", "公积金怎么提取"])
    assert vectors.shape == (2, encoder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert encoder.encode_queries([]).shape == (0, encoder.dim)


def test_a_paraphrase_is_closer_than_a_different_question(encoder: Encoder) -> None:
    entry, paraphrase, other = encoder.encode_queries(
        ["失业了怎么领失业金？", "被公司辞退了，失业保险金怎么申领", "退休了怎么领养老金？"]
    )
    assert float(entry @ paraphrase) > float(entry @ other)


def test_queries_and_passages_are_encoded_differently(encoder: Encoder) -> None:
    query = encoder.encode_queries(["医保怎么报销"])[0]
    passage = encoder.encode_passages(["医保怎么报销"])[0]
    assert not np.allclose(query, passage)


def test_one_handle_serves_several_threads(encoder: Encoder) -> None:
    texts = [f"第{i}个问题：社保卡丢了怎么补办" for i in range(16)]
    alone = [encoder.encode_queries([t])[0] for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda t: encoder.encode_queries([t])[0], texts))
    for a, b in zip(alone, together, strict=True):
        assert np.allclose(a, b, atol=1e-6)


def test_an_unknown_encoder_means_lexical_mode_with_a_reason() -> None:
    assert load_encoder("no-such-model") is None
    reason = encoder_failure("no-such-model")
    assert reason is not None and "no-such-model" in reason
    assert load_encoder("none") is None
