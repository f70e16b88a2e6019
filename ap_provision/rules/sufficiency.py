"""Provider sufficiency: places offered against places held, per key stage and panel cycle.

Plain values in, figures out (no database), so the Provider Sufficiency report and its
tests share one definition of "a place in use".
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
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


def in_use_counts(places: Iterable[Place], days: Iterable[date]) -> dict[date, int]:
	"""How many of `places` are in use on each of `days` (`Place.in_use_on` summed), by a sweep
	over the places' dates sorted once: the places taken before the day less those that have
	ended by it. A place that ends on or before the day it is taken is never in use."""
	live = [p for p in places if p.ends_on is None or p.ends_on > p.taken_on]
	taken = sorted(p.taken_on for p in live)
	ended = sorted(p.ends_on for p in live if p.ends_on is not None)
	return {day: bisect_left(taken, day) - bisect_right(ended, day) for day in days}


def planned_end(start: date, weeks: int) -> date:
	return start + timedelta(weeks=weeks)


def cycle(capacity: int, in_use: int, on_agenda: int, approved_here: int) -> dict:
	"""The figures of one key stage at one panel, given the places in use on the panel's date
	(`in_use_counts`: the panel's own approvals are taken on its date, so they are not yet in
	use before it)."""
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
