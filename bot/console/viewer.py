"""The signed-in user as the routes see them, and what their role and department allow."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge_base.models.users import ConsoleRole

ROLE_NAMES = {
    ConsoleRole.EDITOR: "编辑",
    ConsoleRole.REVIEWER: "审核人",
    ConsoleRole.DUTY: "值班人员",
    ConsoleRole.SUPERVISOR: "主管单位（只读）",
    ConsoleRole.ADMIN: "管理员",
}


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking; every permission check on the server goes through these methods."""

    username: str
    role: ConsoleRole
    department_id: int | None
    department_name: str
    csrf: str

    @property
    def role_name(self) -> str:
        """The role in Chinese."""
        return ROLE_NAMES[self.role]

    @property
    def all_departments(self) -> bool:
        """Supervisors, admins and users without a department see every department."""
        return (
            self.role in (ConsoleRole.SUPERVISOR, ConsoleRole.ADMIN) or self.department_id is None
        )

    @property
    def read_only(self) -> bool:
        """The supervising office looks but does not change."""
        return self.role is ConsoleRole.SUPERVISOR

    def sees(self, department_id: int) -> bool:
        """Whether drafts, tickets and figures of this department are shown to the user."""
        return self.all_departments or department_id == self.department_id

    def scope(self) -> int | None:
        """The only department the user may see, or None for all."""
        return None if self.all_departments else self.department_id

    @property
    def writes_entries(self) -> bool:
        """Editors, reviewers and admins write drafts."""
        return self.role in (ConsoleRole.EDITOR, ConsoleRole.REVIEWER, ConsoleRole.ADMIN)

    def may_edit(self, department_id: int) -> bool:
        """Whether the user may write drafts of this department's entries."""
        return self.writes_entries and self.sees(department_id)

    def may_review(self, department_id: int) -> bool:
        """Whether the user may approve, reject, retire or roll back this department's entries."""
        return self.role in (ConsoleRole.REVIEWER, ConsoleRole.ADMIN) and self.sees(department_id)

    @property
    def handles_tickets(self) -> bool:
        """Duty staff and admins answer citizens."""
        return self.role in (ConsoleRole.DUTY, ConsoleRole.ADMIN)

    @property
    def sees_tickets(self) -> bool:
        """Who may open the ticket queue."""
        return self.handles_tickets or self.read_only

    @property
    def manages_accounts(self) -> bool:
        """Only admins (the supervising office's operators) change the account registry."""
        return self.role is ConsoleRole.ADMIN

    @property
    def sees_report(self) -> bool:
        """The county-wide weekly report is for the supervising office and admins."""
        return self.role in (ConsoleRole.SUPERVISOR, ConsoleRole.ADMIN)
