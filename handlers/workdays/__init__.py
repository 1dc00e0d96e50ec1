"""Working days on the Chinese calendar: holidays, make-up workdays (调休), office hours."""

from handlers.workdays.calendar import WorkCalendar
from handlers.workdays.settings import CalendarSettings

__all__ = ["CalendarSettings", "WorkCalendar"]
