"""Provider reports: attendance as AM/PM session marks, summarised for reviews (R5).

Each school day has a morning and an afternoon session. A session is marked Present, Late,
Absent or No Session (not expected: a day the pupil is not due at the provider, a closure).
Every absence has a reason; "Unexplained" is itself a reason, and it alerts the school and
the PRT the same day.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ap_provision.rules._i18n import _, english_date

PRESENT = "Present"
LATE = "Late"
ABSENT = "Absent"
NO_SESSION = "No Session"
MARKS = (PRESENT, LATE, ABSENT, NO_SESSION)
ATTENDED_MARKS = (PRESENT, LATE)

UNEXPLAINED = "Unexplained"
ABSENCE_REASONS = (
	"Illness",
	"Medical or dental appointment",
	"Religious observance",
	"Exclusion",
	"Authorised by the school",
	"Family emergency",
	UNEXPLAINED,
)


@dataclass(frozen=True)
class Day:
	day: date
	am: str | None
	am_reason: str | None = None
	pm: str | None = None
	pm_reason: str | None = None

	def sessions(self):
		return (("AM", self.am, self.am_reason), ("PM", self.pm, self.pm_reason))


@dataclass(frozen=True)
class Summary:
	sessions_possible: int
	sessions_attended: int
	authorised_absences: int
	unexplained_absences: int
	late_sessions: int

	@property
	def attendance_percent(self) -> float:
		if not self.sessions_possible:
			return 0.0
		return round(100.0 * self.sessions_attended / self.sessions_possible, 1)


def day_problems(days: Iterable[Day], period_start: date, period_end: date) -> list[str]:
	"""Every problem with the marks of a report covering period_start..period_end."""
	problems = []
	seen = set()
	for d in days:
		when = english_date(d.day, weekday=True)
		if not period_start <= d.day <= period_end:
			problems.append(
				_("{0} is outside the reporting period {1} to {2}.").format(
					when, english_date(period_start), english_date(period_end)
				)
			)
		if d.day in seen:
			problems.append(_("{0} is entered twice.").format(when))
		seen.add(d.day)
		for session, mark, reason in d.sessions():
			if mark not in MARKS:
				problems.append(
					_("{0} {1}: choose a mark (Present, Late, Absent or No Session).").format(when, session)
				)
			elif mark == ABSENT and reason not in ABSENCE_REASONS:
				problems.append(
					_(
						"{0} {1}: give the reason for the absence (choose Unexplained if none was given)."
					).format(when, session)
				)
	return problems


def summarise(days: Iterable[Day]) -> Summary:
	possible = attended = authorised = unexplained = late = 0
	for d in days:
		for _session, mark, reason in d.sessions():
			if mark in (None, "", NO_SESSION):
				continue
			possible += 1
			if mark in ATTENDED_MARKS:
				attended += 1
				late += mark == LATE
			elif reason == UNEXPLAINED:
				unexplained += 1
			else:
				authorised += 1
	return Summary(possible, attended, authorised, unexplained, late)


def combine(summaries: Iterable[Summary]) -> Summary:
	"""The sum of several reports' summaries (for a review)."""
	total = [0, 0, 0, 0, 0]
	for s in summaries:
		for i, value in enumerate(
			(
				s.sessions_possible,
				s.sessions_attended,
				s.authorised_absences,
				s.unexplained_absences,
				s.late_sessions,
			)
		):
			total[i] += value or 0
	return Summary(*total)


def unexplained_absences(days: Iterable[Day]) -> list[tuple[date, str]]:
	"""(day, session) of every unexplained absence, in date order."""
	return sorted(
		(d.day, session)
		for d in days
		for session, mark, reason in d.sessions()
		if mark == ABSENT and reason == UNEXPLAINED
	)


def period_problem(
	period_start: date | None,
	period_end: date | None,
	placement_start: date | None,
	today: date,
) -> str | None:
	if not period_start or not period_end:
		return _("Enter the first and last day the report covers.")
	if period_end < period_start:
		return _("The report ends before it starts: check the period.")
	if placement_start and period_start < placement_start:
		return _("The report starts before the placement did ({0}).").format(english_date(placement_start))
	if period_end > today:
		return _("The report cannot cover days that have not happened yet (it ends {0}).").format(
			english_date(period_end)
		)
	return None


def unmarked_days(days: Iterable[Day], period_start: date, period_end: date) -> list[date]:
	"""Weekdays of the period with no marks (a day the pupil was not due is marked No Session)."""
	marked = {d.day for d in days}
	out = []
	day = period_start
	while day <= period_end:
		if day.weekday() < 5 and day not in marked:
			out.append(day)
		day += timedelta(days=1)
	return out


def report_content_problem(
	days: Iterable[Day], period_start: date, period_end: date, progress: str | None, attainment: str | None
) -> str | None:
	"""R5: "regular information around attendance, behaviour incidents and progress and
	attainment". A report covers its period's attendance (every weekday marked) and says
	something of the pupil's progress and attainment; anything less is not a report, and it
	does not move on when the next one is due. (Behaviour incidents are a count: 0 is one.)"""
	days = list(days)
	if not days:
		return _("Mark the pupil's attendance (AM and PM) for each day of the period {0} to {1}.").format(
			english_date(period_start), english_date(period_end)
		)
	missing = unmarked_days(days, period_start, period_end)
	if missing:
		return _(
			"Mark every weekday of the period (No Session for a day the pupil was not due). Not marked: {0}."
		).format(", ".join(english_date(day, weekday=True) for day in missing))
	if not (progress or "").strip() and not (attainment or "").strip():
		return _(
			"Report the pupil's progress and attainment for the period: the school and the PRT rely on it "
			"(R5)."
		)
	return None
