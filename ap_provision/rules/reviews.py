"""Review meetings through a placement and what their outcomes do (R6, R10, R13).

Seed: reviews with the provider, BOSS, PRT and the school through the placement; outcomes
continue, extend, begin reintegration, reintegrated, re-refer to BOSS, end placement. For a
pupil with an EHC plan the SEND caseworker is invited while concerns remain, EHC plan
amendments are considered and recorded, and once the pupil is back full time and an
assess-plan-do-review cycle is done an annual review is scheduled (R10). KS4 statutory
annual reviews continue with the mainstream school attending (R13).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ap_provision.rules import placements
from ap_provision.rules._i18n import _, english_date
from ap_provision.rules.academic import INTERVENTION_PLACEMENT

INTERIM = "Interim"
REINTEGRATION_PLANNING = "Reintegration Planning"
FINAL = "Final"
ANNUAL_REVIEW = "EHC Annual Review"
# After the placement has ended, for any pupil: how the return is going. The seed: "to ensure
# successful reintegration into school following intervention. A re-referral to BOSS may be
# made at this point."
FOLLOW_UP = "Follow-up"
REVIEW_TYPES = (INTERIM, REINTEGRATION_PLANNING, FINAL, ANNUAL_REVIEW, FOLLOW_UP)
# Review types that may be recorded after the placement has ended.
AFTER_PLACEMENT_TYPES = (ANNUAL_REVIEW, FOLLOW_UP)

CONTINUE = "Continue"
EXTEND = "Extend"
BEGIN_REINTEGRATION = "Begin Reintegration"
REINTEGRATED = "Reintegrated"
RE_REFER = "Re-refer to BOSS"
END_PLACEMENT = "End Placement"
OUTCOMES = (CONTINUE, EXTEND, BEGIN_REINTEGRATION, REINTEGRATED, RE_REFER, END_PLACEMENT)
# Outcomes after which no further placement review is due.
CLOSING_OUTCOMES = (REINTEGRATED, END_PLACEMENT)
# What a review of a placement that has already ended may conclude (an annual review after it).
AFTER_PLACEMENT_OUTCOMES = (CONTINUE, RE_REFER)

ATTENDEE_ROLES = ("School", "Provider", "BOSS", "PRT", "SEND Caseworker", "Parent/Carer", "Pupil")
PLACEMENT_REVIEW_INVITEES = ("School", "Provider", "BOSS", "PRT")
ANNUAL_REVIEW_INVITEES = ("School", "Parent/Carer", "SEND Caseworker")
FOLLOW_UP_INVITEES = ("School", "BOSS", "PRT")

NO_AMENDMENTS = "No amendments needed"
AMENDMENTS_PROPOSED = "Amendments proposed"
AMENDMENT_CHOICES = (NO_AMENDMENTS, AMENDMENTS_PROPOSED)


@dataclass(frozen=True)
class Attendee:
	role: str
	invited: bool = True
	attended: bool = False


@dataclass(frozen=True)
class Action:
	action: str | None
	owner: str | None
	due_date: date | None


def attendee_problem(
	*,
	review_type: str,
	key_stage: str | None,
	has_ehc_plan: bool,
	concerns_remain: bool,
	attendees: Iterable[Attendee],
) -> str | None:
	"""Who must be invited (or attend) for a review to be recorded, or None."""
	attendees = list(attendees)
	invited = {a.role for a in attendees if a.invited or a.attended}
	attended = {a.role for a in attendees if a.attended}
	if review_type == ANNUAL_REVIEW:
		if not has_ehc_plan:
			return _("Only a pupil with an EHC plan has an EHC annual review.")
		missing = [r for r in ANNUAL_REVIEW_INVITEES if r not in invited]
		if missing:
			return _("Invite to the EHC annual review: {0}.").format(", ".join(_(r) for r in missing))
		if key_stage == "KS4" and "School" not in attended:
			return _(
				"KS4 statutory annual reviews continue with the mainstream school attending (R13): record "
				"the school as attending."
			)
		return None
	if review_type == FOLLOW_UP:
		missing = [r for r in FOLLOW_UP_INVITEES if r not in invited]
		if missing:
			return _(
				"A follow-up review after the placement is held with the school, BOSS and the PRT. Invite: {0}."
			).format(", ".join(_(r) for r in missing))
		return None
	missing = [r for r in PLACEMENT_REVIEW_INVITEES if r not in invited]
	if missing:
		return _(
			"Placement reviews are held with the provider, BOSS, the PRT and the school (R6). Invite: {0}."
		).format(", ".join(_(r) for r in missing))
	if has_ehc_plan and concerns_remain and "SEND Caseworker" not in invited:
		return _(
			"Concerns remain for a pupil with an EHC plan: invite their SEND caseworker to the review (R10)."
		)
	return None


def ehc_amendment_problem(has_ehc_plan: bool, considered: str | None, amendments: str | None) -> str | None:
	"""R10: for a pupil with an EHC plan every review records whether the plan needs amending."""
	if not has_ehc_plan:
		return None
	if considered not in AMENDMENT_CHOICES:
		return _(
			"The pupil has an EHC plan: record whether amendments to the plan were considered needed (R10)."
		)
	if considered == AMENDMENTS_PROPOSED and not (amendments or "").strip():
		return _("Describe the EHC plan amendments proposed (R10).")
	return None


def action_problems(actions: Iterable[Action]) -> list[str]:
	problems = []
	for i, a in enumerate(actions, start=1):
		missing = [
			label
			for label, value in ((_("what"), a.action), (_("owner"), a.owner), (_("due date"), a.due_date))
			if not value or (isinstance(value, str) and not value.strip())
		]
		if missing:
			problems.append(_("Action {0}: give its {1}.").format(i, ", ".join(missing)))
	return problems


def outcome_problem(
	*,
	outcome: str | None,
	review_type: str,
	placement_type: str,
	placement_status: str,
	review_date: date,
	planned_end: date | None,
	new_end: date | None,
	extension_reason: str | None,
	next_review_date: date | None,
	outcome_notes: str | None = None,
) -> str | None:
	"""Why this outcome cannot be recorded for the placement as it stands, or None."""
	if outcome not in OUTCOMES:
		return _("Record the outcome of the review: {0}.").format(", ".join(_(o) for o in OUTCOMES))
	if placement_status in placements.ENDED_STATUSES:
		if review_type not in AFTER_PLACEMENT_TYPES:
			return _(
				"The placement has ended ({0}): record a follow-up review or an EHC annual review now."
			).format(_(placement_status))
		if outcome not in AFTER_PLACEMENT_OUTCOMES:
			return _("The placement has ended: the review's outcome is {0}.").format(
				_(" or ").join(_(o) for o in AFTER_PLACEMENT_OUTCOMES)
			)
	elif placement_status not in placements.RUNNING_STATUSES:
		return _("The placement is {0}: it is reviewed once it has started.").format(_(placement_status))
	elif review_type == FOLLOW_UP:
		return _("A follow-up review comes after the placement has ended: choose another review type.")
	if (
		outcome in (BEGIN_REINTEGRATION, REINTEGRATED)
		and placement_type != INTERVENTION_PLACEMENT
		and not (outcome_notes or "").strip()
	):
		return _(
			"KS4 pupils do not usually return to mainstream: say in the outcome notes why this pupil is "
			"returning, and how the school will support it."
		)
	if outcome == BEGIN_REINTEGRATION and placement_status != placements.ACTIVE:
		return _("Reintegration has already begun.")
	if outcome == EXTEND:
		if problem := placements.extension_problem(planned_end, new_end, extension_reason):
			return problem
	if outcome not in CLOSING_OUTCOMES and placement_status not in placements.ENDED_STATUSES:
		if not next_review_date:
			return _("Set the date of the next review.")
		if next_review_date <= review_date:
			return _("The next review must be after this one ({0}).").format(english_date(review_date))
	return None


def status_after(outcome: str, review_date: date, planned_end: date | None) -> str | None:
	"""The placement status an outcome leads to, or None when it does not change."""
	if outcome == BEGIN_REINTEGRATION:
		return placements.REINTEGRATING
	if outcome == REINTEGRATED:
		return placements.COMPLETED
	if outcome == END_PLACEMENT:
		if planned_end and review_date >= planned_end:
			return placements.COMPLETED
		return placements.ENDED_EARLY
	return None


def annual_review_after_return(returned_on: date, cycle_days: int) -> date:
	"""R10: the annual review follows one assess-plan-do-review cycle after the pupil's return."""
	return returned_on + timedelta(days=cycle_days)
