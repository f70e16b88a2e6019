"""The daily register at the provider and the school's register codes.

Providers mark each session a pupil is expected at the provider (the placement's weekly pattern)
by the cut-off of AP Settings. A session unmarked at the cut-off alerts the provider; still
unmarked after the escalation delay it alerts the PRT too. An unexplained absence alerts the home
school, the PRT and the pupil's social worker the same day.

The home school records the sessions at the provider in its own register. The School Attendance
(Pupil Registration) (England) Regulations 2024 give code K for sessions at education provision
arranged by the local authority (section 19 of the Education Act 1996, or section 42/61 of the
Children and Families Act 2014). Where the pupil did not attend, the provider's absence reason is
mapped to the matching absence code.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from ap_provision.rules._i18n import _, english_date
from ap_provision.rules.attendance import ABSENCE_REASONS, ABSENT, LATE, PRESENT, UNEXPLAINED
from ap_provision.rules.panels import Closure, closure_on

MARKS = (PRESENT, LATE, ABSENT)
ATTENDED = (PRESENT, LATE)
LA_ARRANGED_CODE = "K"
NOT_YET_MARKED_CODE = "N"
# The provider's reason for an absence -> the school's absence code (2024 regulations).
ABSENCE_CODES = {
	"Illness": "I",
	"Medical or dental appointment": "M",
	"Religious observance": "R",
	"Exclusion": "E",
	"Authorised by the school": "C",
	"Family emergency": "C",
	UNEXPLAINED: "O",
}
assert set(ABSENCE_CODES) == set(ABSENCE_REASONS)

# The columns of the school's register export (docs/register.md), in order.
CSV_COLUMNS = (
	"UPN",
	"Surname",
	"Forename",
	"Date of birth",
	"Date",
	"Session",
	"Code",
	"Provider",
	"Absence reason",
	"Placement",
)


# The LA closures on which no session is expected at a provider: bank holidays and the school
# holidays of the LA's term dates (AP follows the school year). A training day or another closure
# shuts the LA's office and its panels, not the providers, so their sessions stay expected.
NO_SESSION_CLOSURES = ("Bank Holiday", "School Holiday")


def no_session_closure(day: date, closures: Iterable[Closure]) -> Closure | None:
	"""The closure that takes ``day``'s sessions away, or None when sessions are expected."""
	return closure_on(day, [c for c in closures if c.closure_type in NO_SESSION_CLOSURES])


def own_closure_problems(closures: Iterable[tuple[date | None, date | None, str | None]]) -> list[str]:
	"""A provider's own closures (from, to, why): each with its dates in order and a reason."""
	problems = []
	for n, (first, last, why) in enumerate(closures, start=1):
		if not first or not last:
			problems.append(_("Own closure {0}: give its first and last day.").format(n))
		elif last < first:
			problems.append(
				_("Own closure {0}: it ends on {1}, before it starts on {2}.").format(
					n, english_date(last), english_date(first)
				)
			)
		if not (why or "").strip():
			problems.append(_("Own closure {0}: say why the provider is closed.").format(n))
	return problems


def register_code(mark: str | None, reason: str | None = None) -> str:
	"""The school's code for a session at the provider."""
	if mark in ATTENDED:
		return LA_ARRANGED_CODE
	if mark == ABSENT:
		return ABSENCE_CODES.get(reason or UNEXPLAINED, ABSENCE_CODES[UNEXPLAINED])
	return NOT_YET_MARKED_CODE


def mark_problems(mark: str | None, reason: str | None, day: date | None, today: date) -> list[str]:
	problems = []
	if mark not in MARKS:
		problems.append(_("Choose Present, Late or Absent."))
	elif mark == ABSENT and reason not in ABSENCE_REASONS:
		problems.append(_("Give the reason for the absence (choose Unexplained if none was given)."))
	if not day:
		problems.append(_("Enter the day of the session."))
	elif day > today:
		problems.append(
			_("{0} has not happened yet: mark a session on the day.").format(english_date(day, weekday=True))
		)
	return problems


# Days after a session during which the provider may correct its mark (the default of AP
# Settings); later corrections are the PRT's.
DEFAULT_AMEND_DAYS = 5


def provider_may_correct(day: date, today: date, amend_days: int) -> bool:
	"""Whether the provider may still correct its mark of ``day`` (``amend_days`` days after it)."""
	return (today - day).days <= max(amend_days, 0)


def amendment_problems(
	*, changed: bool, reason_given: bool, day: date, today: date, amend_days: int, may_amend_late: bool
) -> list[str]:
	"""A mark already recorded is changed only with the reason for the change. As the pupil
	registration regulations ask of a school's register, the original entry, the amended entry,
	the reason, the date of the change and who made it are kept (the mark's version history, with
	the reason, who and when on the mark). The provider corrects its marks for ``amend_days`` days
	after the session; after that, the PRT does."""
	if not changed:
		return []
	problems = []
	if not reason_given:
		problems.append(_("This session was already marked: give the reason for changing the mark."))
	if not may_amend_late and not provider_may_correct(day, today, amend_days):
		problems.append(
			_(
				"A mark more than {0} days old is corrected by the PRT: ask them to change it and say why."
			).format(max(amend_days, 0))
		)
	return problems


def cutoff_at(day: date, cutoff: time) -> datetime:
	return datetime.combine(day, cutoff)


def missing_stage(now: datetime, day: date, cutoff: time, escalate_after_minutes: int) -> str | None:
	"""Who an unmarked session alerts at ``now``: None before its cut-off, "provider" after it,
	"prt" once the escalation delay has passed too (and on any later day)."""
	deadline = cutoff_at(day, cutoff)
	if now < deadline:
		return None
	if now >= deadline + timedelta(minutes=max(escalate_after_minutes, 0)):
		return "prt"
	return "provider"


def week_days(week_start: date) -> list[date]:
	"""Monday to Friday of the week containing ``week_start``."""
	monday = week_start - timedelta(days=week_start.weekday())
	return [monday + timedelta(days=i) for i in range(5)]
