"""Who is alerted: the duty roster, then the responsible leader (分管领导), then the supervising
office — one level further up the ladder for each working day an item stays overdue."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from knowledge_base.models import Staff, StaffRole
from knowledge_base.staff import in_role, on_duty, supervising_staff


class Ladder:
    """Caches, for one scan, who stands on each rung for each department."""

    def __init__(self, session: Session, day: date) -> None:
        self.session = session
        self.day = day
        self._duty: dict[int, list[Staff]] = {}
        self._leaders: dict[int, list[Staff]] = {}
        self._supervisors: list[Staff] | None = None

    def duty(self, department_id: int) -> list[Staff]:
        """Today's duty officers; without a roster entry the department's duty staff; a
        department with nobody registered escalates straight away, so nothing goes unseen."""
        if department_id not in self._duty:
            rostered = on_duty(self.session, department_id=department_id, day=self.day)
            self._duty[department_id] = (
                rostered
                or self._by_role(department_id, StaffRole.DUTY)
                or self.leaders(department_id)
                or self.supervisors()
            )
        return self._duty[department_id]

    def leaders(self, department_id: int) -> list[Staff]:
        """The department's responsible leaders."""
        if department_id not in self._leaders:
            self._leaders[department_id] = self._by_role(department_id, StaffRole.LEADER)
        return self._leaders[department_id]

    def editors(self, department_id: int) -> list[Staff]:
        """The department's knowledge-base editors; without any, its duty officers."""
        return self._by_role(department_id, StaffRole.EDITOR) or self.duty(department_id)

    def supervisors(self) -> list[Staff]:
        """The supervising office's staff (supervisor role, or the master unit's leaders)."""
        if self._supervisors is None:
            self._supervisors = supervising_staff(self.session)
        return self._supervisors

    def rung(self, department_id: int, level: int) -> list[Staff]:
        """Level 0: duty; 1: leaders; 2 and above: supervising office (each falls back down)."""
        if level >= 2 and self.supervisors():
            return self.supervisors()
        if level >= 1 and self.leaders(department_id):
            return self.leaders(department_id)
        return self.duty(department_id)

    def _by_role(self, department_id: int, role: StaffRole) -> list[Staff]:
        return in_role(self.session, department_id=department_id, role=role)
