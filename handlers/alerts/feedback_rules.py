"""Weekly, with the inspection report: entries citizens often found unhelpful, to their
department's editors, with the follow-up questions asked after them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from handlers.alerts.planning import PlannedAlert, ScanContext
from knowledge_base.answer_feedback import EntryFeedback, entry_feedback
from knowledge_base.catalog import entries_with_codes
from knowledge_base.models import Entry


def unhelpful_entries(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """On the weekly report's day and time: per department, its entries whose 没帮助 share of
    the past seven days is above `unhelpful_share` out of at least `unhelpful_min_votes` votes."""
    settings = ctx.settings
    if ctx.today.weekday() != settings.weekly_weekday:
        return
    if ctx.now < datetime.combine(ctx.today, settings.weekly_at, ctx.calendar.tz):
        return
    end = datetime.combine(ctx.today, time(0, 0), ctx.calendar.tz)
    start = end - timedelta(days=7)
    flagged = {
        code: figures
        for code, figures in entry_feedback(ctx.session, start=start, end=end).items()
        if figures.votes >= settings.unhelpful_min_votes
        and (figures.unhelpful_share or 0) > settings.unhelpful_share
    }
    if not flagged:
        return
    by_department: dict[int, list[tuple[Entry, EntryFeedback]]] = defaultdict(list)
    for entry in entries_with_codes(ctx.session, codes=flagged):
        by_department[entry.department_id].append((entry, flagged[entry.code]))
    week = ctx.today.isocalendar()
    for department_id, entries in sorted(by_department.items()):
        firing = f"unhelpful:{department_id}:{week.year}-W{week.week:02d}"
        if ctx.fired(firing):
            continue
        lines = [
            f"{start.date().isoformat()} 至 {(end - timedelta(days=1)).date().isoformat()}，"
            f"以下条目群众评价“没帮助”的比例超过 {settings.unhelpful_share:.0%}，"
            "请结合群众随后的追问补充答复，或新增条目："
        ]
        for entry, figures in sorted(entries, key=lambda pair: pair[0].code):
            live = entry.live_version
            question = live.question if live is not None else ""
            asked = "；".join(figures.follow_ups) or "无"
            lines.append(
                f"· {entry.code} {question}：答复 {figures.answered} 次，没帮助 "
                f"{figures.unhelpful}/{figures.votes}（{figures.unhelpful_share or 0:.0%}）。"
                f"随后追问：{asked}"
            )
        yield PlannedAlert(
            rule="unhelpful",
            firing=firing,
            staff=tuple(ctx.ladder.editors(department_id)),
            subject=f"知识库条目答复效果提醒（{week.year}年第{week.week}周）",
            body="\n".join(lines),
        )
