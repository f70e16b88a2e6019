"""English academic year, year groups, key stages and referral types (R3).

The seed's two routes: KS1-3 pupils get an intervention placement (16 weeks, then
reintegration); KS4 pupils follow an alternative pathway. A child's year group is fixed by
their age on the 31 August before the academic year (1 September - 31 August) starts.
"""

from datetime import date, timedelta

from ap_provision.rules import schooldays
from ap_provision.rules._i18n import _, english_date

YEAR_GROUPS: list[str] = ["Reception"] + [f"Year {n}" for n in range(1, 12)]
KEY_STAGES: list[str] = ["EYFS", "KS1", "KS2", "KS3", "KS4"]

INTERVENTION_PLACEMENT = "Intervention Placement"
ALTERNATIVE_PATHWAY = "Alternative Pathway"

# Age on the 31 August before the academic year starts, for a Reception pupil.
RECEPTION_AGE = 4


def academic_year_start(on: date) -> date:
	"""The 1 September that starts the academic year containing `on` (R3)."""
	year = on.year if on.month >= 9 else on.year - 1
	return date(year, 9, 1)


def age_on(date_of_birth: date, on: date) -> int:
	"""Age in whole years on `on`.

	A child born on 29 February has their birthday on 1 March in other years, as in English law.
	"""
	before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
	return on.year - date_of_birth.year - int(before_birthday)


def year_number_for(date_of_birth: date, on: date) -> int:
	"""National curriculum year number on `on` (R3): 0 = Reception, 1-11 = Year 1-Year 11.

	Negative means too young for Reception; above 11 means post-16.
	"""
	cutoff = date(academic_year_start(on).year, 8, 31)
	return age_on(date_of_birth, cutoff) - RECEPTION_AGE


def year_group_for(date_of_birth: date, on: date) -> str | None:
	"""Year group label from YEAR_GROUPS on `on`, or None outside Reception-Year 11 (R3)."""
	number = year_number_for(date_of_birth, on)
	if 0 <= number < len(YEAR_GROUPS):
		return YEAR_GROUPS[number]
	return None


def year_number_of(year_group: str) -> int:
	"""Year number of a YEAR_GROUPS label: Reception = 0, Year 1 = 1 ... Year 11 = 11."""
	try:
		return YEAR_GROUPS.index(year_group)
	except ValueError:
		raise ValueError(f"Unknown year group {year_group!r}; expected one of {YEAR_GROUPS}")


def key_stage_for(year_group: str) -> str:
	"""Key stage of a year group (R3): Reception EYFS, Y1-2 KS1, Y3-6 KS2, Y7-9 KS3, Y10-11 KS4."""
	number = year_number_of(year_group)
	if number == 0:
		return "EYFS"
	if number <= 2:
		return "KS1"
	if number <= 6:
		return "KS2"
	if number <= 9:
		return "KS3"
	return "KS4"


def referral_type_for(key_stage: str) -> str:
	"""Referral type of a key stage (R3, seed "School actions").

	KS1-3 -> "Intervention Placement", KS4 -> "Alternative Pathway". EYFS is not referable;
	check `referability_problem` first (calling this with EYFS is a programmer error).
	"""
	if key_stage in ("KS1", "KS2", "KS3"):
		return INTERVENTION_PLACEMENT
	if key_stage == "KS4":
		return ALTERNATIVE_PATHWAY
	raise ValueError(f"No referral type for key stage {key_stage!r}; only KS1-KS4 are referable")


def referability_problem(date_of_birth: date, on: date, year_group: str | None = None) -> str | None:
	"""Why step four does not apply to this pupil (EYFS, below Reception, post-16), or None (R3).

	`year_group` (e.g. an out-of-cohort override) wins over the year computed from the date of
	birth.
	"""
	if year_group:
		number = year_number_of(year_group)
	else:
		number = year_number_for(date_of_birth, on)

	if number < 0:
		return _(
			"This pupil (born {0}) is not yet of Reception age, so a step four alternative provision "
			"referral cannot be made: step four covers Year 1 to Year 11 (KS1 to KS4) only. "
			"Check the date of birth; if it is right, seek support through the local authority's "
			"early years services instead."
		).format(english_date(date_of_birth))
	if number == 0:
		return _(
			"This pupil is in Reception (the Early Years Foundation Stage), so a step four alternative "
			"provision referral cannot be made: step four covers Year 1 to Year 11 (KS1 to KS4) only. "
			"Seek support through the local authority's early years services instead. If the pupil is "
			"taught out of their age group, correct the year group on the pupil record and give the reason."
		)
	if number > len(YEAR_GROUPS) - 1:
		return _(
			"This pupil (born {0}) is past Year 11 (post-16), so a step four alternative provision "
			"referral cannot be made: step four covers Year 1 to Year 11 (KS1 to KS4) only. "
			"Contact the local authority's post-16 team about education or training options. If the "
			"pupil is still in Year 11 because they are taught out of their age group, set the year "
			"group on the pupil record and give the reason."
		).format(english_date(date_of_birth))
	return None


def year_group_override_problem(computed: str | None, chosen: str, reason: str | None) -> str | None:
	"""A chosen year group that differs from the computed one needs a reason (R3, out of cohort)."""
	if chosen == computed or (reason and reason.strip()):
		return None
	if computed is None:
		return _(
			"The pupil's date of birth places them outside Reception to Year 11, but {0} has been "
			"chosen. If the pupil is taught out of their age group, give the reason for the year "
			"group; otherwise check the date of birth."
		).format(chosen)
	return _(
		"The year group chosen ({0}) is not the one for the pupil's date of birth ({1}). If the "
		"pupil is taught out of their age group, give the reason for the different year group; "
		"otherwise choose {1}."
	).format(chosen, computed)


# -- the year group at the placement's start (R3 over time) ---------------------------------
#
# A referral made in June for a placement that starts in September is judged at the start: a
# Year 9 pupil then is in Year 10, KS4, and gets an Alternative Pathway. Before the panel sets
# the start date, the start is estimated: the first open day at least the LA's usual lead time
# after the panel.


def academic_years_between(earlier: date, later: date) -> int:
	"""How many 1 Septembers lie after `earlier` up to `later` (0 within one academic year)."""
	return academic_year_start(later).year - academic_year_start(earlier).year


def advance_year_group(year_group: str | None, years: int) -> str | None:
	"""The year group `years` academic years on (back when negative): None past Year 11 or
	before Reception, and None for no year group."""
	if not year_group:
		return None
	number = year_number_of(year_group) + years
	if 0 <= number < len(YEAR_GROUPS):
		return YEAR_GROUPS[number]
	return None


def year_group_on(year_group_now: str | None, today: date, on: date) -> str | None:
	"""The year group on `on` of a pupil in `year_group_now` today (computed or out of cohort)."""
	return advance_year_group(year_group_now, academic_years_between(today, on))


def estimated_start(panel_date: date, lead_days: int, closures=()) -> date:
	"""When a placement decided at the panel on `panel_date` is expected to start: the first
	open day (a weekday outside the LA's closures) at least `lead_days` after the panel."""
	return schooldays.open_day_on_or_after(panel_date + timedelta(days=max(lead_days, 0)), closures)


def last_day_of_year_group(start: date, closures=()) -> date:
	"""The last open day of the academic year containing `start`: the end of the summer term
	when the LA's summer holiday is in its closure calendar, else the last weekday of August."""
	return schooldays.open_day_on_or_before(date(academic_year_start(start).year + 1, 8, 31), closures)


def end_of_phase_warning(
	year_group_at_start: str | None, start: date | None, planned_end: date | None, closures=()
) -> str | None:
	"""A placement of a Year 6 or Year 11 pupil that runs past the end of that year: Year 6
	moves to secondary school, Year 11 leaves school (post-16)."""
	if not (year_group_at_start and start and planned_end) or year_group_at_start not in (
		"Year 6",
		"Year 11",
	):
		return None
	last_day = last_day_of_year_group(start, closures)
	if planned_end <= last_day:
		return None
	if year_group_at_start == "Year 6":
		return _(
			"The pupil finishes Year 6 on {0}, before the placement's planned end ({1}): they move to "
			"secondary school during the placement. Plan the transition with both schools, or end the "
			"placement with Year 6."
		).format(english_date(last_day, weekday=True), english_date(planned_end, weekday=True))
	return _(
		"The pupil finishes Year 11 on {0}, before the placement's planned end ({1}): they leave "
		"school then. Plan their post-16 next step; the placement cannot run past Year 11."
	).format(english_date(last_day, weekday=True), english_date(planned_end, weekday=True))


def referability_at_start_problem(
	date_of_birth: date, today: date, start: date, override_year_group: str | None = None
) -> str | None:
	"""Why step four does not apply to a placement starting on `start` (R3, judged at the
	start), or None. A pupil taught out of cohort (`override_year_group` today) moves up a year
	each 1 September like everyone else."""
	year_group_now = override_year_group or year_group_for(date_of_birth, today)
	if year_group_now is None:
		return referability_problem(date_of_birth, today, override_year_group)
	at_start = year_group_on(year_group_now, today, start)
	if at_start is None:
		return _(
			"The placement would start on {0}, after the pupil has finished Year 11: step four covers "
			"Year 1 to Year 11 only. Contact the local authority's post-16 team instead, or choose an "
			"earlier start."
		).format(english_date(start, weekday=True))
	if at_start == "Reception":
		return referability_problem(date_of_birth, start, at_start)
	return None


def rolled_year_group(
	date_of_birth: date | None,
	on: date,
	override: bool,
	override_year_group: str | None,
	stored_year_group: str | None,
) -> dict:
	"""A pupil's year group fields after 1 September (the yearly roll): from the date of birth,
	or for a pupil taught out of cohort one year on from the year they were taught in (the
	override ends with Year 11). `stored_year_group` is what the record holds."""
	if override:
		moved = advance_year_group(override_year_group or stored_year_group, 1)
		if moved is None:
			year_group = year_group_for(date_of_birth, on) if date_of_birth else None
			return {
				"year_group": year_group,
				"key_stage": key_stage_for(year_group) if year_group else None,
				"year_group_override": 0,
				"override_year_group": None,
			}
		return {
			"year_group": moved,
			"key_stage": key_stage_for(moved),
			"year_group_override": 1,
			"override_year_group": moved,
		}
	year_group = year_group_for(date_of_birth, on) if date_of_birth else stored_year_group
	return {
		"year_group": year_group,
		"key_stage": key_stage_for(year_group) if year_group else None,
		"year_group_override": 0,
		"override_year_group": None,
	}
