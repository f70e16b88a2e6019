"""Full-time education: a placed pupil's hours a week against the full time of their year group,
and part-time arrangements.

The Local Government and Social Care Ombudsman judges whether an LA gives a full-time education
against the hours the pupil's school would give: about 21 h a week in KS1, 23.5 h in KS2, 24 h in
KS3 and Year 10, and 25 h in Year 11 (the defaults of AP Settings). A placement's week is a
pattern of sessions (Monday to Friday, morning and afternoon), each at the AP provider, at the
home school, or none, with its hours. Below full time the pupil needs a part-time arrangement
(statutory attendance guidance, August 2024): temporary, with a reason, the parent's agreement,
an end date no more than a set number of weeks away, and review dates.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ap_provision.rules._i18n import _, english_date

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
SESSIONS = ("AM", "PM")
AT_PROVIDER = "AP provider"
AT_SCHOOL = "Home school"
NOWHERE = "None"
LOCATIONS = (AT_PROVIDER, AT_SCHOOL, NOWHERE)

# AP Settings fields and their defaults: full-time hours a week by year group.
FULL_TIME_FIELDS = {
	"full_time_hours_ks1": 21.0,  # Years 1-2 (and Reception)
	"full_time_hours_ks2": 23.5,  # Years 3-6
	"full_time_hours_ks3": 24.0,  # Years 7-10
	"full_time_hours_year_11": 25.0,
}
DEFAULT_MAX_WEEKS = 6
REFUSE = "Refuse"
FLAG = "Flag"


def full_time_field(year_group: str | None) -> str | None:
	"""The AP Settings field holding the full-time hours of a year group."""
	if not year_group:
		return None
	if year_group == "Reception":
		return "full_time_hours_ks1"
	try:
		number = int(year_group.split()[-1])
	except ValueError:
		return None
	if number <= 2:
		return "full_time_hours_ks1"
	if number <= 6:
		return "full_time_hours_ks2"
	if number <= 10:
		return "full_time_hours_ks3"
	return "full_time_hours_year_11"


def full_time_hours(year_group: str | None, settings: dict | None = None) -> float | None:
	"""Full-time hours a week for the year group (settings' values, else the defaults)."""
	fieldname = full_time_field(year_group)
	if not fieldname:
		return None
	value = (settings or {}).get(fieldname)
	return float(value) if value else FULL_TIME_FIELDS[fieldname]


@dataclass(frozen=True)
class Session:
	weekday: str
	session: str
	location: str
	hours: float = 0.0


@dataclass(frozen=True)
class Hours:
	at_provider: float
	at_school: float
	full_time: float | None

	@property
	def total(self) -> float:
		return round(self.at_provider + self.at_school, 2)

	@property
	def gap(self) -> float:
		"""Hours a week short of full time (0 at or above it)."""
		if self.full_time is None:
			return 0.0
		return round(max(self.full_time - self.total, 0.0), 2)

	@property
	def below_full_time(self) -> bool:
		return self.gap > 0


def pattern_problems(sessions: Iterable[Session]) -> list[str]:
	problems = []
	seen = set()
	for s in sessions:
		label = f"{_(s.weekday)} {s.session}"
		if s.weekday not in WEEKDAYS or s.session not in SESSIONS:
			problems.append(
				_("Each session of the weekly pattern is a weekday (Monday to Friday), AM or PM.")
			)
			continue
		if (s.weekday, s.session) in seen:
			problems.append(_("{0} is in the weekly pattern twice: keep one row per session.").format(label))
		seen.add((s.weekday, s.session))
		if s.location not in LOCATIONS:
			problems.append(
				_("{0}: say where the pupil is (AP provider, Home school or None).").format(label)
			)
		elif s.location == NOWHERE and (s.hours or 0) > 0:
			problems.append(_("{0}: a session with no education has no hours.").format(label))
		elif s.location != NOWHERE and not 0 < (s.hours or 0) <= 6:
			problems.append(_("{0}: give the session's hours (more than 0, at most 6).").format(label))
	return problems


def weekly_hours(sessions: Iterable[Session], full_time: float | None) -> Hours:
	at_provider = at_school = 0.0
	for s in sessions:
		if s.location == AT_PROVIDER:
			at_provider += s.hours or 0
		elif s.location == AT_SCHOOL:
			at_school += s.hours or 0
	return Hours(round(at_provider, 2), round(at_school, 2), full_time)


def sessions_at_provider(sessions: Iterable[Session], weekday: str, session: str | None = None) -> list[str]:
	"""The sessions (AM, PM) of a weekday the pupil is expected at the provider."""
	return [
		s.session
		for s in sessions
		if s.weekday == weekday and s.location == AT_PROVIDER and (session is None or s.session == session)
	]


def below_full_time_message(pupil: str, hours: Hours) -> str:
	return _(
		"{0} has {1} hours a week (AP and school), {2} below the full time of {3} hours: record a part-time "
		"arrangement (reason, the parent's agreement, end and review dates) or add sessions."
	).format(pupil, _fmt(hours.total), _fmt(hours.gap), _fmt(hours.full_time))


def _fmt(value: float | None) -> str:
	value = value or 0
	return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- part-time arrangements -----------------------------------------------------------------


def arrangement_problems(
	*,
	reason: str | None,
	parent_agreed: bool,
	start: date | None,
	end: date | None,
	review: date | None,
	max_weeks: int,
) -> list[str]:
	problems = []
	if not (reason or "").strip():
		problems.append(_("Give the reason for the part-time timetable."))
	if not parent_agreed:
		problems.append(_("A part-time timetable needs the parent's agreement: record when they agreed."))
	if not start or not end:
		problems.append(_("Enter the first and last day of the part-time timetable: it is temporary."))
		return problems
	if end < start:
		problems.append(_("The part-time timetable ends before it starts: check the dates."))
	latest = start + timedelta(weeks=max_weeks, days=-1)
	if end > latest:
		problems.append(
			_(
				"A part-time timetable lasts at most {0} weeks: end it by {1}, and agree a new one at review if "
				"it is still needed."
			).format(max_weeks, english_date(latest))
		)
	if review and not start <= review <= end:
		problems.append(_("Review the part-time timetable while it runs (between its first and last day)."))
	return problems


def arrangement_due(today: date, end: date | None, review: date | None) -> list[tuple[str, date]]:
	"""("end", date) / ("review", date) of a running arrangement whose end or review has passed."""
	due = []
	if end and end < today:
		due.append(("end", end))
	if review and review < today:
		due.append(("review", review))
	return due


def covers(start: date | None, end: date | None, day: date) -> bool:
	return bool(start and end and start <= day <= end)
