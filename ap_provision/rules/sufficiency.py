"""Provider sufficiency: places offered against places held, per key stage and panel cycle.

Plain values in, figures out (no database), so the Provider Sufficiency report and its
tests share one definition of "a place in use".
"""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Place:
	key_stage: str
	taken_on: date  # the panel decision (or placement start) that took the place
	ends_on: date | None  # the day the place is free again; None while open-ended

	def in_use_on(self, day: date) -> bool:
		"""Held on `day`: taken before that day and not yet ended."""
		return self.taken_on < day and (self.ends_on is None or self.ends_on > day)


def planned_end(start: date, weeks: int) -> date:
	return start + timedelta(weeks=weeks)


def cycle(capacity: int, places, on: date, on_agenda: int, approved_here: int) -> dict:
	"""The figures of one key stage at one panel (the panel's own approvals are taken on the
	panel's date, so they are not yet "in use" before it)."""
	in_use = sum(1 for p in places if p.in_use_on(on))
	used_after = in_use + approved_here
	return {
		"capacity": capacity,
		"in_use": in_use,
		"free_before": capacity - in_use,
		"on_agenda": on_agenda,
		"approved": approved_here,
		"free_after": capacity - used_after,
		"utilisation": round(100.0 * used_after / capacity, 1) if capacity else 0.0,
	}
