"""The placement lifecycle: its length, who must agree what before it starts, its statuses.

Seed (KS1-3): "a 16 week intervention placement"; "an admission meeting at the AP, where the
roles and responsibilities of each stakeholder are agreed, must take place before the
placement starts" (R4); "safeguarding arrangements are recorded before the start" and the
provider reports at a set interval (R5). KS4: an Alternative Pathway for some or all of the
week, usually without a return to mainstream.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ap_provision.rules._i18n import _, english_date
from ap_provision.rules.academic import ALTERNATIVE_PATHWAY, INTERVENTION_PLACEMENT

PLANNED = "Planned"
ACTIVE = "Active"
REINTEGRATING = "Reintegrating"
COMPLETED = "Completed"
ENDED_EARLY = "Ended Early"
TRANSITIONED = "Transitioned"
STATUSES = (PLANNED, ACTIVE, REINTEGRATING, COMPLETED, ENDED_EARLY, TRANSITIONED)
# A place at the provider is held while the placement is in one of these.
LIVE_STATUSES = (PLANNED, ACTIVE, REINTEGRATING)
# Statuses in which the provider reports and reviews are held.
RUNNING_STATUSES = (ACTIVE, REINTEGRATING)
ENDED_STATUSES = (COMPLETED, ENDED_EARLY, TRANSITIONED)

# Where each status may go next, by placement type.
TRANSITIONS = {
	INTERVENTION_PLACEMENT: {
		PLANNED: (ACTIVE, ENDED_EARLY),
		ACTIVE: (REINTEGRATING, COMPLETED, ENDED_EARLY),
		REINTEGRATING: (COMPLETED, ENDED_EARLY),
	},
	# KS4 pupils "will not usually return to mainstream": usually, not never. A return goes
	# through reintegration like a KS1-3 placement, with the reason recorded at the review.
	ALTERNATIVE_PATHWAY: {
		PLANNED: (ACTIVE, ENDED_EARLY),
		ACTIVE: (REINTEGRATING, COMPLETED, TRANSITIONED, ENDED_EARLY),
		REINTEGRATING: (COMPLETED, ENDED_EARLY),
	},
}

# Stakeholders whose roles and responsibilities the admission meeting agrees (R4).
SCHOOL = "School"
PROVIDER = "Provider"
PARENT = "Parent/Carer"
PUPIL = "Pupil"
PRT = "PRT"
BOSS = "BOSS"
CASEWORKER = "SEND Caseworker"
OTHER = "Other"
STAKEHOLDER_ROLES = (SCHOOL, PROVIDER, PARENT, PUPIL, PRT, BOSS, CASEWORKER, OTHER)
REQUIRED_STAKEHOLDERS = (SCHOOL, PROVIDER, PARENT, PRT)

DEFAULT_RESPONSIBILITIES = {
	SCHOOL: "Keeps the pupil on roll; shares records and the support plan; keeps in regular "
	"contact with the provider; attends reviews; plans and supports the return to school.",
	PROVIDER: "Educates the pupil on the agreed days; reports attendance, behaviour, progress and "
	"attainment at the agreed interval; raises safeguarding concerns at once; attends reviews.",
	PARENT: "Makes sure the pupil attends; tells the provider and the school about absences; "
	"attends the admission meeting and reviews.",
	PUPIL: "Attends, takes part, and gives their views at reviews.",
	PRT: "Monitors the placement; chases overdue reports; arranges and records reviews.",
	BOSS: "Advises on behaviour strategies and supports reintegration planning.",
	CASEWORKER: "Attends reviews while concerns remain; considers and records EHC plan amendments; "
	"schedules the annual review.",
}

SCHOOL_DAYS_PER_WEEK = 5
HOURS_PER_DAY = 5
# Ofsted: an unregistered setting educating full time is over 18 hours a week.
FULL_TIME_HOURS = 18


def placement_type_for(key_stage: str | None) -> str | None:
	"""KS1-3: Intervention Placement; KS4: Alternative Pathway (R3)."""
	if key_stage in ("KS1", "KS2", "KS3"):
		return INTERVENTION_PLACEMENT
	if key_stage == "KS4":
		return ALTERNATIVE_PATHWAY
	return None


def default_hours_per_week(days_per_week: int | float | None) -> float:
	return float(days_per_week or 0) * HOURS_PER_DAY


def is_full_time(hours_per_week: float | None) -> bool:
	return (hours_per_week or 0) > FULL_TIME_HOURS


def _is_school_day(day: date, closures: Iterable) -> bool:
	return day.weekday() < SCHOOL_DAYS_PER_WEEK and not any(c.covers(day) for c in closures)


def planned_end_date(start: date, weeks: int, closures: Iterable = (), term_time_only: bool = False) -> date:
	"""The last day of a placement of `weeks` weeks starting on `start`.

	Calendar weeks: the day before the same weekday `weeks` weeks later (16 weeks from Monday
	11 January ends on Sunday 2 May). Term time only: the day on which the pupil reaches
	`weeks` x 5 school days, counting Monday to Friday outside the LA's closures (holidays,
	bank holidays and training days do not count).
	"""
	if weeks < 1:
		raise ValueError("weeks must be at least 1")
	if not term_time_only:
		return start + timedelta(weeks=weeks) - timedelta(days=1)
	closures = list(closures)
	needed = weeks * SCHOOL_DAYS_PER_WEEK
	day = start
	counted = 0
	while True:
		if _is_school_day(day, closures):
			counted += 1
			if counted == needed:
				return day
		day += timedelta(days=1)


def days_per_week_problem(placement_type: str, days_per_week) -> str | None:
	"""Intervention placements are full time (5 days); Alternative Pathways 1 to 5 whole days."""
	if placement_type == INTERVENTION_PLACEMENT:
		if days_per_week != SCHOOL_DAYS_PER_WEEK:
			return _("An Intervention Placement is full time: 5 days a week.")
		return None
	if days_per_week is None or days_per_week != int(days_per_week) or not 1 <= days_per_week <= 5:
		return _("An Alternative Pathway runs on 1 to 5 whole days a week: enter the number of days.")
	return None


@dataclass(frozen=True)
class Stakeholder:
	role: str
	name: str | None
	responsibilities: str | None
	confirmed: bool


def start_problem(
	*,
	placement_type: str,
	start_date: date | None,
	today: date,
	admission_meeting_date: date | None,
	stakeholders: Iterable[Stakeholder],
	safeguarding_arrangements: str | None,
) -> str | None:
	"""Why the placement cannot become Active now, or None (R4, R5).

	Every placement needs its safeguarding arrangements recorded and a start date that has
	come. A KS1-3 Intervention Placement also needs its admission meeting recorded (on or
	before today) and every stakeholder's role and responsibilities confirmed, including the
	school, the provider, the parent or carer and the PRT.
	"""
	if not start_date:
		return _("Enter the start date before starting the placement.")
	if start_date > today:
		return _("The placement starts on {0}: it cannot be made active before then.").format(
			english_date(start_date, weekday=True)
		)
	if not (safeguarding_arrangements or "").strip():
		return _(
			"Record the safeguarding arrangements (Safeguarding button: who the designated safeguarding "
			"leads are and how concerns are shared) before the placement starts."
		)
	if placement_type != INTERVENTION_PLACEMENT:
		return None
	return admission_meeting_problem(admission_meeting_date, stakeholders, today)


def admission_meeting_problem(
	meeting_date: date | None, stakeholders: Iterable[Stakeholder], today: date
) -> str | None:
	"""R4: the admission meeting is held and every stakeholder's role is confirmed."""
	if not meeting_date:
		return _(
			"Record the admission meeting at the provider before the placement starts (R4): its date and "
			"the roles and responsibilities agreed with each stakeholder."
		)
	if meeting_date > today:
		return _(
			"The admission meeting is planned for {0}: the placement can start once it has been held."
		).format(english_date(meeting_date, weekday=True))
	stakeholders = list(stakeholders)
	present = {s.role for s in stakeholders}
	missing = [role for role in REQUIRED_STAKEHOLDERS if role not in present]
	if missing:
		return _("Add the roles and responsibilities of: {0} (R4).").format(", ".join(_(r) for r in missing))
	no_text = [s.role for s in stakeholders if not (s.responsibilities or "").strip()]
	if no_text:
		return _("Write down the responsibilities agreed for: {0} (R4).").format(
			", ".join(_(r) for r in no_text)
		)
	unconfirmed = [s.name or s.role for s in stakeholders if not s.confirmed]
	if unconfirmed:
		return _(
			"Every stakeholder must confirm their role and responsibilities before the placement starts "
			"(R4). Not yet confirmed: {0}."
		).format(", ".join(unconfirmed))
	return None


def status_problem(placement_type: str, old: str | None, new: str) -> str | None:
	"""Why the status cannot move from `old` to `new`, or None."""
	if new not in STATUSES:
		return _("{0} is not a placement status.").format(new)
	if old is None:
		return None if new == PLANNED else _("A new placement starts as Planned.")
	if old == new:
		return None
	allowed = TRANSITIONS.get(placement_type, {}).get(old, ())
	if new not in allowed:
		if new == TRANSITIONED and placement_type == INTERVENTION_PLACEMENT:
			return _("Only a KS4 Alternative Pathway ends as Transitioned.")
		if not allowed:
			return _("The placement is {0}: its status can no longer change.").format(_(old))
		return _("A {0} placement cannot go from {1} to {2}. Next it can be: {3}.").format(
			_(placement_type), _(old), _(new), ", ".join(_(s) for s in allowed)
		)
	return None


def annual_review_before_start_problem(
	*,
	placement_type: str,
	has_ehc_plan: bool,
	next_annual_review_due: date | None,
	today: date,
	planned_end: date | None,
) -> str | None:
	"""R7/R10 at the start: "if a review is due during the intervention placement, this must be
	held before the intervention placement commences". Checked again when a KS1-3 placement of a
	pupil with an EHC plan starts: the next annual review must not fall due between now and the
	planned end (one due already is overdue and is held first too)."""
	if placement_type != INTERVENTION_PLACEMENT or not has_ehc_plan or not planned_end:
		return None
	if next_annual_review_due is None:
		return _(
			"Record when the pupil's next EHC annual review is due (on the pupil) before the placement "
			"starts: a review due during the placement must be held first."
		)
	if next_annual_review_due > planned_end:
		return None
	if next_annual_review_due < today:
		return _(
			"The pupil's EHC annual review was due on {0} and has not been recorded as held. Hold it "
			"before the placement starts (R10)."
		).format(english_date(next_annual_review_due))
	return _(
		"The pupil's EHC annual review is due on {0}, during the placement (to {1}). Statutory "
		"timescales must be met: hold the review before the placement starts (R10)."
	).format(english_date(next_annual_review_due), english_date(planned_end))


def extension_problem(old_end: date | None, new_end: date | None, reason: str | None) -> str | None:
	"""Moving the planned end of a started placement needs a reason, and a later date."""
	if not new_end:
		return _("A started placement keeps a planned end date: enter it.")
	if old_end and new_end <= old_end:
		return _("An extension moves the end date later than {0}.").format(english_date(old_end))
	if not (reason or "").strip():
		return _("Give the reason for extending the placement to {0}.").format(english_date(new_end))
	return None


def next_due(last: date | None, start: date, interval_days: int) -> date:
	"""The next report or review: `interval_days` after the last one, or after the start."""
	return (last or start) + timedelta(days=interval_days)
