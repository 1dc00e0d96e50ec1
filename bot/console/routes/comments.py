"""Comments on the accounts' posts (`/console/comments`): drafted public replies waiting for a
duty officer (先审后发), what was hidden or sent to private, and each comment's audit trail."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bot.channels.comments.desk import REVIEWABLE, CommentDesk
from bot.console.context import Console
from bot.console.pages import Refusal
from bot.console.viewer import Viewer
from knowledge_base.comments import comments_in, find_comment
from knowledge_base.models.comments import CommentState

PAGE = "/console/comments"
STATE_NAMES = {
    CommentState.RECEIVED: "处理中",
    CommentState.AWAITING_APPROVAL: "待审核",
    CommentState.REPLIED: "已公开回复",
    CommentState.REJECTED: "不予回复",
    CommentState.HIDDEN: "已隐藏（不文明用语）",
    CommentState.NO_REPLY: "无需回复",
    CommentState.FAILED: "发布失败",
}
CATEGORY_NAMES = {
    "question": "咨询",
    "personal": "个人事项（转私信）",
    "complaint": "投诉（转私信）",
    "abuse": "不文明用语",
    "other": "其他",
}
HANDLED = tuple(s for s in CommentState if s not in REVIEWABLE)


def build(console: Console) -> APIRouter:
    """Routes of the comments page."""
    router = APIRouter()
    clock = console.runtime.clock

    def visible_accounts(viewer: Viewer) -> list[str] | None:
        if viewer.all_departments:
            return None
        return [
            a.code
            for a in console.runtime.knowledge.accounts()
            if a.department_id == viewer.department_id
        ]

    def desk_of(request: Request) -> CommentDesk:
        desk: CommentDesk | None = request.app.state.comment_desk
        if desk is None:
            raise Refusal(404, "尚未配置任何账号的评论接口。")
        return desk

    @router.get(PAGE)
    def comment_list(
        request: Request, viewer: Annotated[Viewer, Depends(console.viewer)]
    ) -> Response:
        if not viewer.sees_tickets:
            raise Refusal(403, "评论回复由值班人员审核，您的角色不能查看。")
        accounts = visible_accounts(viewer)

        def work(session: Session) -> dict[str, Any]:
            waiting = comments_in(session, states=REVIEWABLE, accounts=accounts, limit=200)
            handled = comments_in(session, states=HANDLED, accounts=accounts, limit=100)
            for row in (*waiting, *handled):
                _ = row.actions  # loaded while the session is open
            return {"waiting": waiting, "handled": handled}

        data = console.run(work)
        return console.pages.render(
            request,
            "comments.html",
            viewer,
            states=STATE_NAMES,
            categories=CATEGORY_NAMES,
            local=clock.show,
            configured=request.app.state.comment_desk is not None,
            **data,
        )

    def reviewable(viewer: Viewer, comment_id: int) -> None:
        if not viewer.handles_tickets:
            raise Refusal(403, "只有值班人员可以审核评论回复。")
        accounts = visible_accounts(viewer)

        row = console.run(lambda session: find_comment(session, comment_id=comment_id))
        if row is None or (accounts is not None and row.account_code not in accounts):
            raise Refusal(404, "没有这条评论，或它不属于您部门的账号。")

    @router.post(PAGE + "/{comment_id}/approve")
    async def approve(
        request: Request,
        comment_id: int,
        viewer: Annotated[Viewer, Depends(console.writer)],
    ) -> Response:
        reviewable(viewer, comment_id)
        ok, note = await desk_of(request).approve(comment_id, actor=f"staff:{viewer.username}")
        return console.pages.redirect(request, PAGE, note=note, error=not ok)

    @router.post(PAGE + "/{comment_id}/reject")
    async def reject(
        request: Request,
        comment_id: int,
        viewer: Annotated[Viewer, Depends(console.writer)],
    ) -> Response:
        reviewable(viewer, comment_id)
        done = await desk_of(request).reject(comment_id, actor=f"staff:{viewer.username}")
        note = "已决定不公开回复。" if done else "该评论已处理过。"
        return console.pages.redirect(request, PAGE, note=note, error=not done)

    @router.post(PAGE + "/poll")
    async def poll_now(
        request: Request, viewer: Annotated[Viewer, Depends(console.writer)]
    ) -> Response:
        if not viewer.handles_tickets:
            raise Refusal(403, "只有值班人员可以拉取评论。")
        new = await desk_of(request).poll()
        return console.pages.redirect(request, PAGE, note=f"已拉取新评论 {new} 条。")

    return router
