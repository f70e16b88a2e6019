"""KS4 funding when a pupil with an EHC plan attends alternative provision (R12).

Seed (KS4 Alternative Pathway, EHC plan): "for 5-day alternative provision placements, all SEND
EHC plan funding allocated to school will be ceased. AWPU funding will remain in place".
"""

from dataclasses import dataclass
from datetime import date, timedelta

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


@dataclass(frozen=True)
class FundingPeriod:
	"""When the school's EHC plan funding is (or was last) ceased for a placement: from
	`ceased_from`, back from `restored_on` (None while still ceased)."""

	ceased_from: date | None = None
	restored_on: date | None = None

	@property
	def ceased(self) -> bool:
		"""Ceased now (or from the start of a placement that has not started)."""
		return self.ceased_from is not None and self.restored_on is None


def funding_period(
	*,
	key_stage: str | None,
	has_ehc_plan: bool,
	days_per_week: float | int | None,
	started: bool,
	ended: bool,
	start_date: date | None,
	actual_end_date: date | None,
	today: date,
	previous: FundingPeriod | None = None,
) -> FundingPeriod:
	"""The placement's EHC funding timeline after a change (R12).

	- Not started: ceased from the start date when the placement is 5 days, else not ceased.
	- Running: going to 5 days ceases funding from today (a period already running keeps its
	  start); going below 5 days restores it from today.
	- Ended: a period still running ends the day after the placement's last day, when the
	  pupil is back with the school full time.
	A past period is kept (its `restored_on` set) until a new one begins.
	"""
	previous = previous or FundingPeriod()
	five_days = ehc_funding_ceased(key_stage or "", has_ehc_plan, days_per_week)
	if not started:
		return FundingPeriod(start_date, None) if five_days and start_date else FundingPeriod()
	if ended:
		if previous.ceased:
			last_day = actual_end_date or today
			if previous.ceased_from > last_day:
				return FundingPeriod()  # ended before the funding was due to cease
			return FundingPeriod(previous.ceased_from, last_day + timedelta(days=1))
		return previous
	if five_days:
		if previous.ceased:
			return previous
		from_day = today if start_date is None else max(today, start_date)
		return FundingPeriod(from_day, None)
	if previous.ceased:
		return FundingPeriod(previous.ceased_from, max(today, previous.ceased_from))
	return previous


def awpu_retained() -> bool:
	"""AWPU (age-weighted pupil unit) funding always stays with the school (R12)."""
	return True


def funding_note(
	key_stage: str,
	has_ehc_plan: bool,
	days_per_week: float | int,
	start_date: date | None = None,
	restored_on: date | None = None,
) -> str:
	"""One line for the placement form explaining what happens to the school's funding (R12).
	`start_date` is when the funding ceases (or ceased); `restored_on` when it came back."""
	if has_ehc_plan and restored_on and start_date:
		return _(
			"SEND EHC plan funding to the school ceased from {0} and is restored from {1}. AWPU funding "
			"stayed with the school throughout."
		).format(english_date(start_date), english_date(restored_on))
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
			"ceases from {0}. AWPU funding stays so the school can keep its "
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
