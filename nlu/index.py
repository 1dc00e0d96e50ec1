"""Sparse retrieval index over every entry's question and alternate wordings.

Two views of each wording: BM25 weights over canonical words, and TF-IDF weighted character
unigrams and bigrams (robust to segmentation differences). Both are column-compressed matrices so
a query only touches the columns of the terms it contains.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from nlu.normalize import match_form
from nlu.segment import Segmenter
from nlu.snapshot import KbItem

BM25_K1 = 1.2
BM25_B = 0.75
# Unseen words are rare but may be typos or chatter: weigh them a little below the rarest term.
_UNSEEN_IDF = 0.8


def char_grams(text: str) -> list[str]:
    """Character unigrams and bigrams of an already canonical, punctuation-free string."""
    return list(text) + [text[i : i + 2] for i in range(len(text) - 1)]


@dataclass(frozen=True, slots=True)
class Wording:
    """One indexed wording of an entry: its canonical words and canonical character string."""

    item: int
    words: tuple[str, ...]
    content: frozenset[str]
    chars: str


def _csc(
    rows: list[int], cols: list[int], data: np.ndarray, shape: tuple[int, int]
) -> sparse.csc_matrix:
    matrix = sparse.csc_matrix(
        (np.asarray(data, dtype=np.float32), (np.asarray(rows), np.asarray(cols))), shape=shape
    )
    matrix.sum_duplicates()
    return matrix


class RetrievalIndex:
    """Immutable index of a snapshot's items; built once per snapshot and swapped whole."""

    def __init__(self, items: Sequence[KbItem], segmenter: Segmenter) -> None:
        self.items = tuple(items)
        self.segmenter = segmenter
        wordings: list[Wording] = []
        question_words: list[tuple[str, ...]] = []
        for position, item in enumerate(self.items):
            for number, text in enumerate((item.question, *item.alternates)):
                words = tuple(segmenter.words(text))
                if number == 0:
                    question_words.append(words)
                if words:
                    content = frozenset(segmenter.content(words)) or frozenset(words)
                    wordings.append(Wording(position, words, content, "".join(words)))
        self.wordings = tuple(wordings)
        # Segmented questions, shared with routing so each question is segmented once.
        self.question_words = tuple(question_words)
        # What a citizen sees of each question: entries showing the same text are one choice.
        self.display_keys = tuple(match_form(item.question) for item in self.items)
        self.wording_item = np.fromiter(
            (w.item for w in wordings), dtype=np.int64, count=len(wordings)
        )
        self._build_words()
        self._build_chars()

    def _build_words(self) -> None:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        lengths = np.zeros(len(self.wordings), dtype=np.float32)
        for row, wording in enumerate(self.wordings):
            lengths[row] = len(wording.words)
            for word, tf in Counter(wording.words).items():
                rows.append(row)
                cols.append(vocab.setdefault(word, len(vocab)))
                tfs.append(tf)
        n = max(len(self.wordings), 1)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocab)).astype(np.float32)
        self.word_vocab = vocab
        self.word_idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.max_idf = float(math.log1p((n + 0.5) / 0.5))
        avg = float(lengths.mean()) if len(lengths) else 1.0
        counts = np.asarray(tfs, dtype=np.float32)
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[np.asarray(rows, dtype=np.int64)] / avg)
        idf = self.word_idf[np.asarray(cols, dtype=np.int64)]
        weights = idf * counts * (BM25_K1 + 1) / (counts + norm)
        self.bm25 = _csc(rows, cols, weights, (len(self.wordings), len(vocab)))

    def _build_chars(self) -> None:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        for row, wording in enumerate(self.wordings):
            for gram, tf in Counter(char_grams(wording.chars)).items():
                rows.append(row)
                cols.append(vocab.setdefault(gram, len(vocab)))
                tfs.append(1.0 + math.log(tf))
        n = max(len(self.wordings), 1)
        col_array = np.asarray(cols, dtype=np.int64)
        df = np.bincount(col_array, minlength=len(vocab)).astype(np.float32)
        self.char_vocab = vocab
        self.char_idf = (np.log((n + 1) / (df + 1)) + 1).astype(np.float32)
        data = np.asarray(tfs, dtype=np.float32) * self.char_idf[col_array]
        row_array = np.asarray(rows, dtype=np.int64)
        row_norm = np.sqrt(
            np.bincount(row_array, weights=data * data, minlength=len(self.wordings))
        )
        data = data / np.maximum(row_norm[row_array], 1e-9)
        self.chars = _csc(rows, cols, data, (len(self.wordings), len(vocab)))

    def idf(self, word: str) -> float:
        """Word rarity; unseen words count as the rarest (they are what the index cannot match)."""
        column = self.word_vocab.get(word)
        return _UNSEEN_IDF * self.max_idf if column is None else float(self.word_idf[column])

    def bm25_scores(self, words: Sequence[str]) -> np.ndarray:
        """BM25 score of every wording for the query words (each distinct word counted once)."""
        columns = [self.word_vocab[w] for w in set(words) if w in self.word_vocab]
        return _accumulate(self.bm25, columns, None, len(self.wordings))

    def char_scores(self, chars: str) -> np.ndarray:
        """Cosine similarity of TF-IDF character grams between the query and every wording."""
        counts = Counter(g for g in char_grams(chars) if g in self.char_vocab)
        if not counts:
            return np.zeros(len(self.wordings), dtype=np.float32)
        columns = [self.char_vocab[g] for g in counts]
        weights = np.asarray([1.0 + math.log(c) for c in counts.values()], dtype=np.float32)
        weights *= self.char_idf[np.asarray(columns, dtype=np.int64)]
        # Unknown grams still lengthen the query vector: they are content the index lacks.
        unknown = [g for g in char_grams(chars) if g not in self.char_vocab]
        unknown_mass = len(unknown) * float(self.char_idf.max(initial=1.0)) ** 2
        norm = math.sqrt(float(weights @ weights) + unknown_mass)
        return _accumulate(self.chars, columns, weights / norm, len(self.wordings))


def _accumulate(
    matrix: sparse.csc_matrix, columns: list[int], weights: np.ndarray | None, size: int
) -> np.ndarray:
    """Sum (optionally weighted) columns of a CSC matrix into a dense per-row vector."""
    if not columns:
        return np.zeros(size, dtype=np.float32)
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    starts = indptr[columns]
    ends = indptr[np.asarray(columns) + 1]
    rows = np.concatenate([indices[s:e] for s, e in zip(starts, ends, strict=True)])
    if weights is None:
        values = np.concatenate([data[s:e] for s, e in zip(starts, ends, strict=True)])
    else:
        values = np.concatenate(
            [data[s:e] * w for s, e, w in zip(starts, ends, weights, strict=True)]
        )
    return np.bincount(rows, weights=values, minlength=size)
