"""KS4 funding when a pupil with an EHC plan attends alternative provision (R12).

Seed (KS4 Alternative Pathway, EHC plan): "for 5-day alternative provision placements, all SEND
EHC plan funding allocated to school will be ceased. AWPU funding will remain in place".
"""

from datetime import date

from ap_provision.rules._i18n import _, english_date

FULL_WEEK_DAYS = 5


def days_per_week_problem(days_per_week: float | int | None) -> str | None:
	"""A placement runs on more than 0 and at most 5 school days a week."""
	if days_per_week is None or not 0 < days_per_week <= FULL_WEEK_DAYS:
		return _(
			"Enter the number of days a week the pupil attends the placement: more than 0 and at most 5."
		)
	return None


def ehc_funding_ceased(key_stage: str, has_ehc_plan: bool, days_per_week: float | int | None) -> bool:
	"""True for a KS4 pupil with an EHC plan placed 5 days a week: EHC plan funding to the
	school stops from the start date (R12). Fewer days (or none yet), other key stages or no
	plan: False."""
	return key_stage == "KS4" and bool(has_ehc_plan) and (days_per_week or 0) >= FULL_WEEK_DAYS


def awpu_retained() -> bool:
	"""AWPU (age-weighted pupil unit) funding always stays with the school (R12)."""
	return True


def funding_note(
	key_stage: str, has_ehc_plan: bool, days_per_week: float | int, start_date: date | None = None
) -> str:
	"""One line for the placement form explaining what happens to the school's funding (R12)."""
	if not has_ehc_plan:
		return _(
			"The pupil has no EHC plan, so no EHC plan funding is affected. AWPU funding stays with the school."
		)
	problem = days_per_week_problem(days_per_week)
	if problem:
		return problem
	if ehc_funding_ceased(key_stage, has_ehc_plan, days_per_week):
		if start_date is None:
			return _(
				"5-day KS4 placement for a pupil with an EHC plan: all SEND EHC plan funding to the school "
				"ceases from the placement start date. AWPU funding stays so the school can keep its "
				"responsibilities for the pupil and work alongside the provider."
			)
		return _(
			"5-day KS4 placement for a pupil with an EHC plan: all SEND EHC plan funding to the school "
			"ceases from {0}, the placement start date. AWPU funding stays so the school can keep its "
			"responsibilities for the pupil and work alongside the provider."
		).format(english_date(start_date))
	if key_stage == "KS4":
		return _(
			"KS4 placement of {0} days a week: EHC plan funding to the school continues (it ceases only "
			"for 5-day placements). AWPU funding stays with the school."
		).format(_days(days_per_week))
	return _(
		"{0} placement: EHC plan funding to the school continues (it ceases only for 5-day KS4 "
		"placements). AWPU funding stays with the school."
	).format(key_stage)


def _days(days_per_week: float | int) -> str:
	"""4 -> "4", 4.0 -> "4", 2.5 -> "2.5"."""
	return f"{days_per_week:g}"
