"""Account alerts: stale (僵尸) accounts, filings not done in time, major news not forwarded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from handlers.alerts.planning import PlannedAlert, ScanContext
from knowledge_base.account_flags import flag_stale, stale_days
from knowledge_base.accounts import FILING_ACTION_NAMES, active_accounts, pending_filings
from knowledge_base.activity import has_forwarded, major_posts_since
from knowledge_base.models import (
    Account,
    DepartmentKind,
)


def _days_without_post(account: Account, today: date, tz: object) -> int:
    last = account.last_post_at
    since = last.astimezone(tz).date() if last else account.opened_on  # type: ignore[arg-type]
    return (today - since).days


def _spells(flag_days: list[date]) -> int:
    """Separate stale spells among daily flags (a gap of more than a day starts a new one)."""
    spells, previous = 0, None
    for day in sorted(flag_days):
        if previous is None or (day - previous).days > 1:
            spells += 1
        previous = day
    return spells


def stale_accounts(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """Active accounts without a post for `zombie_days`; flagged daily, alerted weekly; the
    stricter rule (20 days, or a second stale spell) goes to the supervising office."""
    settings = ctx.settings
    for account in active_accounts(ctx.session):
        with ctx.each("zombie", f"账号 {account.code}"):
            days = _days_without_post(account, ctx.today, ctx.calendar.tz)
            if days < settings.zombie_days:
                continue
            flag_stale(ctx.session, account_id=account.id, on=ctx.today, days_without_post=days)
            window_start = ctx.today - timedelta(days=settings.serious_window_days)
            flag_days = stale_days(ctx.session, account_id=account.id, since=window_start)
            serious = days >= settings.serious_days or _spells(flag_days) >= settings.serious_spells
            week = ctx.today.isocalendar()
            level = "serious" if serious else "stale"
            staff = ctx.ladder.duty(account.department_id)
            if serious:
                staff = tuple({s.id: s for s in [*staff, *ctx.ladder.supervisors()]}.values())  # type: ignore[assignment]
            yield PlannedAlert(
                rule="zombie_serious" if serious else "zombie",
                firing=f"zombie:{account.id}:{week.year}-W{week.week:02d}:{level}",
                staff=tuple(staff),
                subject=f"{'账号达到通报标准' if serious else '账号长期未更新'}：{account.name}",
                body=(
                    f"{account.department.name}的账号“{account.name}”（{account.platform.value}）"
                    f"已连续 {days} 天未更新。"
                    + (
                        "已达到通报标准，请立即整改，或按程序暂停更新、注销并备案。"
                        if serious
                        else "请及时更新；确无更新需要的，请按程序暂停或注销并备案。"
                    )
                ),
            )


def filings_overdue(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """Openings, changes, suspensions and closings not filed within the working days allowed."""
    for filing in pending_filings(ctx.session):
        with ctx.each("filing", f"备案记录 #{filing.id}"):
            due = ctx.calendar.add_working_days(
                filing.occurred_on, ctx.settings.filing_working_days
            )
            if ctx.today <= due:
                continue
            account = filing.account
            staff = {
                s.id: s
                for s in [*ctx.ladder.duty(account.department_id), *ctx.ladder.supervisors()]
            }
            yield PlannedAlert(
                rule="filing",
                firing=f"filing:{filing.id}:{ctx.today.isoformat()}",
                staff=tuple(staff.values()),
                subject=f"备案逾期：{account.name}",
                body=(
                    f"账号“{account.name}”于 {filing.occurred_on.isoformat()} "
                    f"{FILING_ACTION_NAMES.get(filing.action.value, filing.action.value)}，"
                    f"应在 {due.isoformat()} 前"
                    f"向主管单位备案，目前尚未备案（备案记录 #{filing.id}）。"
                ),
            )


def forwards_missing(ctx: ScanContext) -> Iterator[PlannedAlert]:
    """Major news of the main account not forwarded by a department account in time."""
    recent = ctx.now - timedelta(days=14)
    departments_accounts = active_accounts(ctx.session)
    for major in major_posts_since(ctx.session, since=recent):
        with ctx.each("forward", f"重要信息 #{major.id}"):
            posted_day = major.posted_at.astimezone(ctx.calendar.tz).date()
            due_day = ctx.calendar.add_working_days(posted_day, ctx.settings.forward_working_days)
            due = ctx.calendar.close_of(due_day)
            if ctx.now <= due:
                continue
            main_department = major.account.department
            for account in departments_accounts:
                if (
                    account.department.kind is DepartmentKind.MASTER
                    or account.department_id == main_department.id
                ):
                    continue
                if account.platform != major.account.platform:
                    continue  # forwards happen on the same platform
                if has_forwarded(ctx.session, account_id=account.id, post_id=major.id):
                    continue
                yield PlannedAlert(
                    rule="forward",
                    firing=f"forward:{major.id}:{account.id}",
                    staff=tuple(ctx.ladder.duty(account.department_id)),
                    subject=f"重要信息未转发：{account.name}",
                    body=(
                        f"主账号“{major.account.name}”于 {ctx.local(major.posted_at)} 发布重要信息"
                        f"“{major.title}”，账号“{account.name}”应在 1 个工作日内转发，"
                        "目前尚未转发。"
                    ),
                )
