"""English academic year, year groups, key stages and referral types (R3).

The seed's two routes: KS1-3 pupils get an intervention placement (16 weeks, then
reintegration); KS4 pupils follow an alternative pathway. A child's year group is fixed by
their age on the 31 August before the academic year (1 September - 31 August) starts.
"""

from datetime import date

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
