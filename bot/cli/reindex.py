"""Sentence vectors of every published wording and department remit, computed ahead of serving
(`kb reindex`, `init`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app import AppContext
from bot.cli.progress import embedding_progress
from knowledge_base.snapshot import load_snapshot
from knowledge_base.vectors import DatabaseVectorStore, drop_vectors
from nlu.encoders.registry import encoder_failure, load_encoder
from nlu.engine_state import entry_passage
from nlu.vectors import Embedder


class EncoderUnavailable(Exception):
    """The encoder cannot load; the message says why."""


@dataclass(frozen=True, slots=True)
class ReindexReport:
    """What a reindex did."""

    model_id: str
    entries: int
    wordings: int
    encoded: int
    seconds: float
    dropped: int


def reindex(
    context: AppContext, *, encoder_name: str | None = None, fresh: bool = False
) -> ReindexReport:
    """Encode the published wordings the vector cache lacks (all of them with `fresh`)."""
    settings = context.settings.nlu
    name = encoder_name or settings.encoder
    encoder = load_encoder(name, threads=settings.encoder_threads)
    if encoder is None:
        raise EncoderUnavailable(f"编码器 {name} 无法加载：{encoder_failure(name) or '已关闭'}")
    embedder = Embedder(
        encoder, DatabaseVectorStore(context.database), wordings_as=settings.wordings_as
    )
    dropped = 0
    if fresh:
        for model_id in (embedder.wording_model_id, embedder.passage_model_id):
            dropped += drop_vectors(context.database, model_id=model_id)
    with context.database.session() as session:
        snapshot = load_snapshot(session, today=context.clock.today())
    texts = [t for item in snapshot.items for t in (item.question, *item.alternates) if t.strip()]
    # Entry passages, and the departments' remits the router compares messages with.
    passages = [entry_passage(i) for i in snapshot.items]
    passages += [d.remit for d in snapshot.directory.departments]
    with embedding_progress() as progress:
        wording_vectors = embedder.wordings(texts, progress=progress, fresh=fresh)
    with embedding_progress("正在计算条目向量") as progress:
        passage_vectors = embedder.passages(passages, progress=progress, fresh=fresh)
    # Vectors this process already held are stored too: the database must have them all.
    embedder.remember(embedder.wording_model_id, texts, wording_vectors)
    embedder.remember(embedder.passage_model_id, passages, passage_vectors)
    return ReindexReport(
        model_id=encoder.model_id,
        entries=len(snapshot.items),
        wordings=len(texts),
        encoded=embedder.encoded_total,
        seconds=round(embedder.encode_seconds, 1),
        dropped=dropped,
    )
