"""The routing page: retraining status, accuracy by department, the confusion matrix, and the
newest examples with personal data masked, each department's own only for department staff."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from handlers.routing_training import train_department_model
from knowledge_base.models.base import utcnow
from knowledge_base.routing_examples import add_example, import_examples
from knowledge_base.snapshot import load_directory
from nlu.builtin import BuiltinNlu
from nlu.settings import NluSettings
from tests.bot.console.conftest import PASSWORD, USERS, add_users
from tests.bot.console.console_client import ConsoleClient
from tests.live_server import served_county

HISTORY = (
    Path(__file__).resolve().parents[2] / "fixtures" / "routing" / "sample_county_history.jsonl"
)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    """The console of a county whose department models live in a scratch directory."""
    tmp = tmp_path_factory.mktemp("routing")
    nlu = NluSettings(routing_models=tmp / "models", routing_retrain_examples=20)
    with served_county(tmp, nlu=nlu) as (url, runtime):
        add_users(runtime, {"admin": USERS["admin"], "duty-rsj": USERS["duty-rsj"]})
        yield url, runtime


def page(url: str, user: str) -> str:
    with ConsoleClient(url) as client:
        assert client.sign_in(user, PASSWORD).status_code == 303
        response = client.get("/console/routing")
        assert response.status_code == 200, response.text[:2000]
        return response.text


def test_the_routing_page_before_and_after_training(county: tuple[str, Runtime]) -> None:
    url, runtime = county
    before = page(url, "admin")
    assert "尚未训练分派模型" in before and "暂无样本" in before

    with runtime.database.session() as session:
        departments = {d.name for d in load_directory(session).departments}
        import_examples(session, path=HISTORY, departments=departments, actor="admin")
        add_example(
            session,
            text="拖欠工资三个月了，我电话13812345678",
            department="云溪县人力资源和社会保障局",
            source="closed",
            source_ref="ticket:77",
        )
    waiting = page(url, "admin")
    assert "新增样本 32 条" in waiting and "已满足" in waiting

    engine = runtime.knowledge.engine
    assert isinstance(engine, BuiltinNlu) and engine.embedder is not None
    trained = train_department_model(
        runtime.database, runtime.settings.nlu, engine.embedder, now=utcnow(), actor="admin"
    )
    figures = trained.card["cross_validated"]

    after = page(url, "admin")
    assert "当前模型：第 1 版" in after and "样本 32 条" in after
    assert f"交叉验证准确率 {figures['mean'] * 100:.1f}%" in after
    assert "此后新增样本 0 条" in after
    assert 'aria-label="各部门分派准确率（交叉验证）"' in after
    assert 'aria-label="分派混淆矩阵（行：应办部门；列：模型分派的部门）"' in after
    # Every cross-validated message is one cell count of the matrix.
    counts = figures["confusion"]["counts"]
    assert sum(map(sum, counts)) == 32
    assert "市生态环境局云溪分局" in after and "工单办结" in after and "历史导入" in after
    assert "138****5678" in after and "13812345678" not in after

    own = page(url, "duty-rsj")
    assert "仅显示云溪县人力资源和社会保障局的样本" in own
    assert "拖欠工资三个月了" in own and "油烟" not in own.split('id="examples"')[1]
