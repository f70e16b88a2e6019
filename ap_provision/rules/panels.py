"""The panel cycle: the fortnightly schedule, who may decide, and what a decision needs.

Seed: "a panel meets fortnightly"; referrals are "received by the Pupil Referral Team (PRT)
on the Thursday of the week before the fortnightly panel meetings". The LA keeps a calendar of
closures (its school holidays and training days, and England's bank holidays). A panel that
falls in a closure week is not held; a panel that falls on a bank holiday in an otherwise
open week moves to the next working day of that week, and its deadline follows the week it
moved to (R1).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ap_provision.rules._i18n import _, english_date
from ap_provision.rules.academic import ALTERNATIVE_PATHWAY
from ap_provision.rules.deadlines import EARLIER, THURSDAY, referral_deadline

DECISIONS = ("Approved", "Declined", "Deferred")
ACTION_FOR_DECISION = {"Approved": "Approve", "Declined": "Decline", "Deferred": "Defer"}
DECISION_FOR_ACTION = {action: decision for decision, action in ACTION_FOR_DECISION.items()}
BANK_HOLIDAY = "Bank Holiday"
KEY_STAGES_WITH_PLACES = ("KS1", "KS2", "KS3", "KS4")


@dataclass(frozen=True)
class Closure:
	"""A period the LA is closed for panels: start and end dates inclusive."""

	name: str
	start_date: date
	end_date: date
	closure_type: str = "School Holiday"

	def covers(self, day: date) -> bool:
		return self.start_date <= day <= self.end_date


@dataclass(frozen=True)
class PlannedPanel:
	"""One slot of a generated schedule."""

	slot: date
	panel_date: date | None
	referral_deadline: date | None
	moved_from: date | None = None
	skipped_because: str | None = None
	already_exists: bool = False

	@property
	def to_create(self) -> bool:
		return self.panel_date is not None and not self.already_exists


def _monday(day: date) -> date:
	return day - timedelta(days=day.weekday())


def closure_on(day: date, closures: Iterable[Closure]) -> Closure | None:
	"""The closure covering `day`; a holiday or training day wins over a bank holiday."""
	covering = sorted((c for c in closures if c.covers(day)), key=lambda c: c.closure_type == BANK_HOLIDAY)
	return covering[0] if covering else None


def plan_schedule(
	first_panel: date,
	until: date,
	closures: Iterable[Closure] = (),
	existing: Iterable[date] = (),
	cadence_days: int = 14,
	deadline_weekday: int = THURSDAY,
	deadline_move: str = EARLIER,
) -> list[PlannedPanel]:
	"""Every `cadence_days` from `first_panel` up to `until`, around the LA's closures.

	- A slot whose day is in a closure other than a bank holiday (a holiday week, training
	  day) is skipped, and the fortnightly rhythm carries on from the next slot.
	- A slot on a bank holiday moves to the next working day of the same week that is not
	  closed; with none left, the slot is skipped.
	- A slot whose week already has a panel is not created again.
	- Each deadline is moved off closed days (`deadlines.referral_deadline`).
	"""
	if cadence_days < 1:
		raise ValueError("cadence_days must be at least 1")
	if first_panel.weekday() > 4:
		raise ValueError("the first panel must be on a weekday")
	closures = list(closures)
	taken_weeks = {_monday(d) for d in existing}
	plan = []
	slot = first_panel
	while slot <= until:
		plan.append(_plan_slot(slot, closures, taken_weeks, deadline_weekday, deadline_move))
		slot += timedelta(days=cadence_days)
	return plan


def _plan_slot(
	slot: date, closures: list[Closure], taken_weeks: set[date], weekday: int, move: str
) -> PlannedPanel:
	def deadline(day: date) -> date:
		return referral_deadline(day, weekday, closures, move)

	week = _monday(slot)
	if week in taken_weeks:
		return PlannedPanel(slot, slot, deadline(slot), already_exists=True)
	closure = closure_on(slot, closures)
	if closure is None:
		return PlannedPanel(slot, slot, deadline(slot))
	if closure.closure_type != BANK_HOLIDAY:
		return PlannedPanel(
			slot,
			None,
			None,
			skipped_because=_("{0} is in {1}, when the LA is closed.").format(
				english_date(slot, weekday=True), closure.name
			),
		)
	day = slot + timedelta(days=1)
	while day < week + timedelta(days=5):
		if closure_on(day, closures) is None:
			return PlannedPanel(slot, day, deadline(day), moved_from=slot)
		day += timedelta(days=1)
	return PlannedPanel(
		slot,
		None,
		None,
		skipped_because=_("{0} is {1} and no later day that week is open.").format(
			english_date(slot, weekday=True), closure.name
		),
	)


# -- decisions --------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRequest:
	"""What a Panel Chair is asking to record, and what the system knows about it."""

	decision: str
	user: str
	panel: str | None
	panel_date: date | None
	panel_chair: str | None
	on_agenda: bool
	today: date
	reason: str | None = None
	provider: str | None = None
	provider_free_places: int | None = None
	key_stage: str | None = None
	expected_start_date: date | None = None
	days_per_week: int | None = None
	placement_type: str | None = None
	# Why the pupil cannot be placed from the expected start (left Year 11 by then), if so.
	not_referable_at_start: str | None = None


def decision_problem(request: DecisionRequest) -> str | None:
	"""Why this decision cannot be recorded now, or None when it can."""
	if request.decision not in DECISIONS:
		return _("{0} is not a panel decision: use Approved, Declined or Deferred.").format(request.decision)
	if not request.panel:
		return _("This referral has no panel, so no panel can decide it.")
	if not request.panel_chair:
		return _("Panel {0} has no chair recorded. Record the chair on the panel before deciding.").format(
			request.panel
		)
	if request.user != request.panel_chair:
		return _("Only the chair of panel {0} can record its decisions.").format(request.panel)
	if not request.on_agenda:
		return _("This referral is not on the agenda of panel {0}, so that panel cannot decide it.").format(
			request.panel
		)
	if request.panel_date and request.today < request.panel_date:
		return _("Panel {0} meets on {1}: its decisions can be recorded from that day.").format(
			request.panel, english_date(request.panel_date, weekday=True)
		)
	if request.decision in ("Declined", "Deferred") and not (request.reason or "").strip():
		return _("Give the panel's reasons to record this referral as {0}.").format(_(request.decision))
	if request.decision == "Approved":
		return approval_problem(request)
	return None


def approval_problem(request: DecisionRequest) -> str | None:
	if not request.provider:
		return _("Choose the AP provider that will take the pupil before approving.")
	if not request.expected_start_date:
		return _("Give the expected start date of the placement before approving.")
	if request.expected_start_date < request.today:
		return _("The expected start date {0} is in the past.").format(
			english_date(request.expected_start_date, weekday=True)
		)
	if request.not_referable_at_start:
		return request.not_referable_at_start
	if request.placement_type == ALTERNATIVE_PATHWAY:
		days = request.days_per_week
		if not days or not 1 <= int(days) <= 5:
			return _(
				"A KS4 Alternative Pathway runs on 1 to 5 days a week: record the days the panel agreed "
				"(5 days ceases the school's EHC plan funding, R12)."
			)
	elif request.days_per_week and int(request.days_per_week) != 5:
		return _("An Intervention Placement is full time: 5 days a week.")
	if not request.provider_free_places or request.provider_free_places <= 0:
		return _(
			"{0} has no free {1} place. Choose another provider, or ask the AP Administrator to record more places."
		).format(request.provider, request.key_stage or "")
	return None


def free_places(capacity: int | None, taken: int) -> int:
	return max(int(capacity or 0) - int(taken or 0), 0)


def agenda_sort_key(received_on, name: str):
	"""Stable agenda order: by when the referral was received, then its name."""
	return (received_on is None, received_on or date.min, name)


def all_decided(decisions: Iterable[str | None]) -> bool:
	return all(d in DECISIONS for d in decisions)


# -- panel status -----------------------------------------------------------------------

STATUSES = ("Scheduled", "Agenda Closed", "Held", "Closed")
CANCELLED = "Cancelled"
# Panels that have met: they take no more referrals and their agenda is the record.
HELD_STATUSES = ("Held", "Closed")
# Panels that can still take referrals (R1: an on-time referral keeps its panel until it is held).
OPEN_STATUSES = ("Scheduled", "Agenda Closed")


def status_problem(
	old: str | None,
	new: str,
	*,
	today: date,
	panel_date: date,
	referral_deadline: date,
	has_chair: bool,
	all_decided: bool,
	has_minutes: bool,
	cancellation_reason: str | None = None,
) -> str | None:
	"""Why a panel cannot move from `old` to `new` status now, or None.

	Scheduled -> Agenda Closed (after the deadline day) -> Held (from the panel date, with a
	chair) -> Closed (every agenda item decided, minutes written). Never backwards. A panel not
	yet held can be Cancelled, with a reason; nothing leaves Cancelled.
	"""
	if new not in (*STATUSES, CANCELLED):
		return _("{0} is not a panel status.").format(new)
	if old == CANCELLED and new != CANCELLED:
		return _("The panel was cancelled: its status can no longer change. Schedule a new panel instead.")
	if new == CANCELLED:
		if old in HELD_STATUSES:
			return _("The panel has been held ({0}): it can no longer be cancelled.").format(_(old))
		if not (cancellation_reason or "").strip():
			return _("Give the reason the panel is cancelled: its referrals' schools are told.")
		return None
	if old is None or old == new:
		return None
	if STATUSES.index(new) < STATUSES.index(old):
		return _("A panel's status only moves forward: it cannot go back from {0} to {1}.").format(
			_(old), _(new)
		)
	if new == "Agenda Closed" and today <= referral_deadline:
		return _("The agenda closes after the referral deadline ({0}).").format(
			english_date(referral_deadline, weekday=True)
		)
	if new in ("Held", "Closed") and today < panel_date:
		return _("The panel meets on {0}: it cannot be marked {1} before then.").format(
			english_date(panel_date, weekday=True), _(new)
		)
	if new in ("Held", "Closed") and not has_chair:
		return _("Record the panel's chair before marking it {0}.").format(_(new))
	if new == "Closed":
		if old != "Held":
			return _("Mark the panel as Held before closing it.")
		if not all_decided:
			return _("Every referral on the agenda needs a decision before the panel is closed.")
		if not has_minutes:
			return _("Write the minutes before closing the panel.")
	return None
