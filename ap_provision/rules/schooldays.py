"""Open days: Monday to Friday outside the LA's closures (its school holidays, training days and
England's bank holidays). Deadlines, agenda papers and start dates fall on open days.

`closures` are any objects with `covers(day) -> bool` (``panels.Closure``).
"""

from collections.abc import Iterable
from datetime import date, timedelta

# How far the search for an open day goes before giving up (a closure lasts at most 10 weeks).
SEARCH_DAYS = 120


def is_open(day: date, closures: Iterable = ()) -> bool:
	"""A weekday the LA is open: not a weekend, not in a closure."""
	return day.weekday() < 5 and not any(c.covers(day) for c in closures)


def open_day_on_or_before(day: date, closures: Iterable = ()) -> date:
	"""`day` when it is open, else the last open day before it."""
	closures = list(closures)
	for back in range(SEARCH_DAYS):
		candidate = day - timedelta(days=back)
		if is_open(candidate, closures):
			return candidate
	return day


def open_day_on_or_after(day: date, closures: Iterable = ()) -> date:
	"""`day` when it is open, else the first open day after it."""
	closures = list(closures)
	for forward in range(SEARCH_DAYS):
		candidate = day + timedelta(days=forward)
		if is_open(candidate, closures):
			return candidate
	return day


def open_days_after(day: date, count: int, closures: Iterable = ()) -> date:
	"""The `count`-th open day after `day` (1 = the next open day)."""
	closures = list(closures)
	candidate = day
	for _n in range(max(count, 0)):
		candidate = open_day_on_or_after(candidate + timedelta(days=1), closures)
	return candidate


def open_days_before(day: date, count: int, closures: Iterable = ()) -> date:
	"""The `count`-th open day before `day` (1 = the last open day before it)."""
	closures = list(closures)
	candidate = day
	for _n in range(max(count, 0)):
		candidate = open_day_on_or_before(candidate - timedelta(days=1), closures)
	return candidate
