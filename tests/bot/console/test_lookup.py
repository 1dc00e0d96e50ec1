"""The hotline look-up page over HTTP: the bot's own answer with its authority, a transfer with
the department's phone, candidates to pick from, outcomes, masking, and the unanswered inbox."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from html import unescape

import httpx
from sqlalchemy import select

from bot.runtime import Runtime
from knowledge_base.models.lookups import HotlineLookup, LookupOutcome
from tests.bot.console.console_client import ConsoleClient

LOST_ID_CARD = "身份证丢了怎么补办？"
KITCHEN_SMOKE = "我家楼下餐馆油烟太大怎么办"


def answer_text(page: str) -> str:
    found = re.search(r'<div class="pre bubble" id="answer-text">(.*?)</div>', page, re.DOTALL)
    assert found is not None, "the page shows no answer"
    return unescape(found.group(1))


def lookup_id(page: str) -> int:
    found = re.search(r'action="/console/lookup/(\d+)/outcome"', page)
    assert found is not None
    return int(found.group(1))


def web_chat(base_url: str, text: str) -> str:
    body = {"text": text, "account": "yunxi-fabu-web", "session": uuid.uuid4().hex}
    return str(httpx.post(f"{base_url}/api/chat", json=body, timeout=30).json()["reply"]["text"])


def rows(runtime: Runtime) -> list[HotlineLookup]:
    with runtime.database.session() as session:
        found = list(session.scalars(select(HotlineLookup).order_by(HotlineLookup.id)))
        session.expunge_all()
        return found


def test_an_operator_reads_the_bots_own_answer_with_its_source_and_validity(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url, runtime = served
    operator = signed_in("duty-zfb")
    empty = operator.get("/console/lookup")
    assert empty.status_code == 200
    assert 'id="question"' in empty.text and "autofocus" in empty.text

    page = operator.submit("/console/lookup", {"question": LOST_ID_CARD})
    assert page.status_code == 200
    assert answer_text(page.text) == web_chat(base_url, LOST_ID_CARD)
    assert "条目 GA-0002" in page.text
    assert "负责部门：云溪县公安局" in page.text
    assert "《中华人民共和国居民身份证法》" in page.text
    assert "长期有效" in page.text
    assert rows(runtime)[-1].entry_code == "GA-0002"


def test_another_departments_matter_shows_whom_to_transfer_to_and_their_phone(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    base_url, _ = served
    page = signed_in("duty-zfb").submit("/console/lookup", {"question": KITCHEN_SMOKE}).text
    assert "转接其他部门" in page
    transfer = re.search(r'<table id="transfer">(.*?)</table>', page, re.DOTALL)
    assert transfer is not None
    assert "云溪县综合行政执法局" in transfer.group(1)
    assert re.search(r'class="phone-number">0578-\d+<', transfer.group(1))
    assert answer_text(page) == web_chat(base_url, KITCHEN_SMOKE)


def test_an_unclear_question_offers_candidates_that_each_lead_to_an_answer(
    signed_in: Callable[[str], ConsoleClient],
) -> None:
    operator = signed_in("duty-zfb")
    page = operator.submit("/console/lookup", {"question": "身份证"}).text
    assert "请确认来电人想问哪一项" in page
    # The chat's instruction to a citizen typing is not read to a caller.
    assert "请回复序号" not in page and "请向来电人确认后点选" in answer_text(page)
    offered = re.findall(r'name="question" value="([^"]+)">\s*<button', page)
    assert LOST_ID_CARD in [unescape(q) for q in offered]
    picked = operator.submit("/console/lookup", {"question": LOST_ID_CARD}).text
    assert "条目 GA-0002" in picked


def test_lookups_are_stored_masked_and_unsettled_calls_reach_the_unanswered_inbox(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    _, runtime = served
    operator = signed_in("duty-zfb")
    page = operator.submit(
        "/console/lookup", {"question": "我电话13812345678，县城哪里有公共游泳池开放"}
    ).text
    assert "13812345678" not in page, "the page shows the masked question"
    stored = rows(runtime)[-1]
    assert "13812345678" not in stored.text and "138****5678" in stored.text
    assert stored.decision in ("fallback", "route")
    assert stored.outcome is LookupOutcome.OPEN

    answered = operator.submit("/console/lookup", {"question": "驾驶证到期换证"}).text
    assert "条目 GA-0016" in answered
    marked = operator.submit(
        f"/console/lookup/{lookup_id(answered)}/outcome", {"outcome": "transferred"}
    )
    assert marked.status_code == 303
    assert "已转接" in operator.get("/console/lookup").text

    inbox = signed_in("admin").get("/console/unanswered").text
    assert "138****5678，县城哪里有公共游泳池开放" in inbox
    assert "驾驶证到期换证" in inbox
    assert "热线来电转接" in inbox
    assert "13812345678" not in inbox


def test_only_the_operator_marks_their_call_and_readers_cannot_look_up(
    signed_in: Callable[[str], ConsoleClient],
    anonymous: ConsoleClient,
    served: tuple[str, Runtime],
) -> None:
    _, runtime = served
    first = signed_in("duty-zfb")
    page = first.submit("/console/lookup", {"question": LOST_ID_CARD}).text
    mine = lookup_id(page)
    other = signed_in("duty-rsj")
    refused = other.submit(f"/console/lookup/{mine}/outcome", {"outcome": "satisfied"})
    assert refused.status_code == 404
    assert first.submit(f"/console/lookup/{mine}/outcome", {"outcome": "bogus"}).status_code == 400
    unknown = first.submit("/console/lookup/99999999999/outcome", {"outcome": "satisfied"})
    assert unknown.status_code == 404
    done = first.submit(f"/console/lookup/{mine}/outcome", {"outcome": "satisfied"})
    assert done.status_code == 303
    assert [r.outcome for r in rows(runtime) if r.id == mine] == [LookupOutcome.SATISFIED]

    supervisor = signed_in("supervisor")
    assert supervisor.submit("/console/lookup", {"question": LOST_ID_CARD}).status_code == 403
    before = len(rows(runtime))
    assert anonymous.get("/console/lookup").status_code == 303
    forged = anonymous.post("/console/lookup", data={"question": LOST_ID_CARD, "csrf": "x"})
    assert forged.status_code == 303
    assert len(rows(runtime)) == before


def emergency_alert(page: str) -> str:
    found = re.search(r'<p class="problem emergency" id="emergency" role="alert">(.*?)</p>', page)
    return unescape(found.group(1)) if found else ""


def transfer_table(page: str) -> str:
    found = re.search(r'<table id="transfer">(.*?)</table>', page, re.DOTALL)
    return unescape(found.group(1)) if found else ""


def test_an_emergency_tells_the_operator_to_transfer_to_the_emergency_line_first(
    signed_in: Callable[[str], ConsoleClient],
) -> None:
    operator = signed_in("duty-zfb")
    page = operator.submit("/console/lookup", {"question": "我家着火了"}).text
    alert = emergency_alert(page)
    assert "转接" in alert
    assert all(number in alert for number in ("110", "119", "120"))
    assert page.index('id="emergency"') < page.index('id="answer-text"'), "the alert comes first"
    # Not the chat's "本账号无法处理紧急求助，请不要等待在线回复".
    assert "在线回复" not in answer_text(page) and "本账号" not in answer_text(page)
    assert "紧急情况" in page

    # Guidance the knowledge base has is read below the alert, without the chat's preamble.
    guided = operator.submit("/console/lookup", {"question": "着火了怎么逃生"}).text
    assert "119" in emergency_alert(guided)
    assert "在线回复" not in answer_text(guided)

    ordinary = operator.submit("/console/lookup", {"question": LOST_ID_CARD}).text
    assert emergency_alert(ordinary) == ""


def test_a_complaint_names_the_department_and_phone_to_transfer_to(
    signed_in: Callable[[str], ConsoleClient],
) -> None:
    operator = signed_in("duty-zfb")
    page = operator.submit("/console/lookup", {"question": "我要投诉饭店油烟扰民"}).text
    assert "投诉举报" in page
    text = answer_text(page)
    assert "您反映的情况已收到" not in text, "the chat's acknowledgement is not for an operator"
    assert "云溪县综合行政执法局" in text and "转接" in text
    table = transfer_table(page)
    assert "云溪县综合行政执法局" in table and "0578-5100130" in table


def test_a_request_for_a_person_or_an_unplaced_complaint_shows_the_ticket_path(
    signed_in: Callable[[str], ConsoleClient],
) -> None:
    operator = signed_in("duty-zfb")
    for question in ("转人工", "我要投诉"):
        page = operator.submit("/console/lookup", {"question": question}).text
        text = answer_text(page)
        assert "已为您转接人工服务" not in text and "您反映的情况已收到" not in text
        assert "登记工单" in text and "已转接" in text
        assert "12345" in transfer_table(page)


def test_a_long_question_is_looked_up_by_its_beginning_with_a_note(
    signed_in: Callable[[str], ConsoleClient], served: tuple[str, Runtime]
) -> None:
    _, runtime = served
    operator = signed_in("duty-zfb")
    for length in (1200, 3000):
        question = LOST_ID_CARD + "啊" * (length - len(LOST_ID_CARD))
        page = operator.submit("/console/lookup", {"question": question})
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "问题较长，已按前 1000 字查询。" in page.text
        assert len(rows(runtime)[-1].text) == 1000
    short = operator.submit("/console/lookup", {"question": LOST_ID_CARD}).text
    assert "问题较长" not in short


def test_an_emergency_at_the_end_of_a_long_account_is_flagged_as_in_the_chat(
    signed_in: Callable[[str], ConsoleClient],
) -> None:
    operator = signed_in("duty-zfb")
    question = "我家住在溪川大道，旁边是菜市场，" * 40 + "现在家里着火了"
    assert 500 < len(question) < 1000
    page = operator.submit("/console/lookup", {"question": question}).text
    assert "119" in page and "问题较长" not in page
