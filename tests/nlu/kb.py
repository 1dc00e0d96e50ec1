"""A small hand-made knowledge base and directory for answer-engine tests."""

from __future__ import annotations

import functools

from bot.settings import SYNONYMS_FILE
from nlu.snapshot import Directory, DirectoryDepartment, Fallback, KbItem, KbSnapshot, SynonymGroup
from nlu.synonyms import read_synonyms

POLICE = DirectoryDepartment(
    name="县公安局",
    remit="户籍户口、身份证、居住证、治安案件与报警、诈骗、噪声扰民报警、驾驶证与车辆登记",
    phone="0578-5000004",
    address="县公安局户政大厅",
    hours="工作日 8:30-17:00",
)
LABOUR = DirectoryDepartment(
    name="县人力资源和社会保障局",
    remit="就业创业、失业登记与失业保险金、社会保险、社保卡、劳动合同与工资拖欠、劳动仲裁",
    phone="0578-5000006",
)
HOUSING = DirectoryDepartment(
    name="县住房和城乡建设局",
    remit="物业管理与业主委员会、老旧小区改造、房屋漏水与维修基金、燃气供水、建筑工地施工扰民",
    phone="0578-5000001",
)
HOTLINE = Fallback(note="不确定由哪个部门负责的事项，可拨打12345热线反映。")
DIRECTORY = Directory(departments=(POLICE, LABOUR, HOUSING), fallback=HOTLINE)

ITEMS = (
    KbItem(
        "GA-0001",
        "身份证丢了怎么补办？",
        "身份证丢失后，请带户口簿到户籍所在地派出所补领，工本费20元。",
        "县公安局",
        alternates=("身份证遗失了如何补领",),
    ),
    KbItem(
        "GA-0002",
        "驾驶证到期了怎么换证？",
        "驾驶证有效期满前90日内，可到车管所或通过交管12123申请换证。",
        "县公安局",
    ),
    KbItem(
        "RS-0001",
        "社保卡丢了怎么补办？",
        "社保卡丢失请先挂失，再到人社窗口或合作银行网点补卡。",
        "县人力资源和社会保障局",
    ),
    KbItem(
        "RS-0002",
        "失业保险金怎么申领？",
        "失业后60日内到人社窗口办理失业登记并申领失业保险金。",
        "县人力资源和社会保障局",
    ),
    KbItem(
        "GJ-0001",
        "怎么提取住房公积金？",
        "购房、租房、退休等情形可提取住房公积金，可在公积金中心窗口或网上办理。",
        "县住房公积金中心",
    ),
    KbItem(
        "WJ-0001",
        "新生儿怎么办理出生医学证明？",
        "新生儿出生后，由助产医院签发出生医学证明，父母带身份证到医院办理。",
        "县卫生健康局",
    ),
)


@functools.cache
def project_synonyms() -> tuple[SynonymGroup, ...]:
    """The project's synonyms file, as `govbot init` loads it into the knowledge base."""
    return read_synonyms(SYNONYMS_FILE)


def snapshot(items: tuple[KbItem, ...] = ITEMS, revision: str = "1") -> KbSnapshot:
    """The test knowledge base with the test directory and the project's synonyms."""
    return KbSnapshot(
        items=items, synonyms=project_synonyms(), directory=DIRECTORY, revision=revision
    )
