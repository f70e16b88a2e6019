"""What the portal's home asks of a school or a provider, and how it shows where things stand.

A School Referrer's home starts with what needs them: drafts to submit before the next panel's
deadline (with a countdown), referrals on which the Pupil Referral Team asked for more
information, EHC evidence still incomplete, and the panel's recent decisions with their letters.
An AP Provider User's home starts with the reports due and overdue on their running placements,
then the placements starting soon and the reviews booked.

Values in, decisions out: the portal (ap_provision/portal_home.py) reads the records through the
user's permissions and hands them here as plain rows (dicts or objects with the named fields).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ap_provision.rules._i18n import _, english_date
from ap_provision.rules.panels import DECISIONS
from ap_provision.rules.placements import (
	ACTIVE,
	COMPLETED,
	ENDED_EARLY,
	PLANNED,
	REINTEGRATING,
	RUNNING_STATUSES,
	TRANSITIONED,
)

DRAFT = "Draft"
SUBMITTED = "Submitted"
MORE_INFORMATION = "More Information Requested"
ACCEPTED = "Accepted for Panel"
WITHDRAWN = "Withdrawn"
REFERRAL_STATES = (DRAFT, SUBMITTED, MORE_INFORMATION, ACCEPTED, *DECISIONS, WITHDRAWN)
# A school may still change (and must then submit) a referral in these states.
UNSUBMITTED_STATES = (DRAFT, MORE_INFORMATION)
# Still on its way to a decision.
OPEN_STATES = (DRAFT, SUBMITTED, MORE_INFORMATION, ACCEPTED)

# How long a decision stays on the school's home after the panel made it.
DECISION_NOTICE_DAYS = 30
# A provider report is "due" from this many days before its due date (and "overdue" after it);
# before that it is "on time". Reports come every few days (AP Settings: 7 by default).
REPORT_DUE_SOON_DAYS = 3
# A planned placement "starts soon" when its start date is at most this many days away.
STARTING_SOON_DAYS = 14

# Colour of each state's indicator (CSS classes ap-status--<colour> in the portal's stylesheet).
# Colour is never the only signal: the state's name is always written beside it.
REFERRAL_COLOURS = {
	DRAFT: "grey",
	SUBMITTED: "blue",
	MORE_INFORMATION: "orange",
	ACCEPTED: "purple",
	"Approved": "green",
	"Declined": "red",
	"Deferred": "orange",
	WITHDRAWN: "grey",
}
PLACEMENT_COLOURS = {
	PLANNED: "blue",
	ACTIVE: "green",
	REINTEGRATING: "purple",
	COMPLETED: "grey",
	ENDED_EARLY: "red",
	TRANSITIONED: "grey",
}
OVERDUE = "Overdue"
DUE = "Due"
ON_TIME = "On time"
REPORT_COLOURS = {OVERDUE: "red", DUE: "orange", ON_TIME: "green"}


def colour_of(state: str | None) -> str:
	"""The indicator colour of a referral state, placement status or report status."""
	for colours in (REFERRAL_COLOURS, PLACEMENT_COLOURS, REPORT_COLOURS):
		if state in colours:
			return colours[state]
	return "grey"


def countdown(deadline: date, today: date) -> str:
	"""How long is left until `deadline` (which lasts to the end of its day), in words."""
	days = (deadline - today).days
	if days < 0:
		return _("passed {0} days ago").format(-days) if days < -1 else _("passed yesterday")
	if days == 0:
		return _("today")
	if days == 1:
		return _("tomorrow")
	return _("in {0} days").format(days)


def deadline_colour(deadline: date | None, today: date) -> str:
	"""Red when the deadline is at most two days away (or passed), orange within a week."""
	if deadline is None:
		return "grey"
	days = (deadline - today).days
	return "red" if days <= 2 else "orange" if days <= 7 else "blue"


def report_status(next_due: date | None, today: date, soon_days: int = REPORT_DUE_SOON_DAYS) -> str | None:
	"""Overdue (due date passed), Due (within `soon_days`), On time, or None (no report due)."""
	if next_due is None:
		return None
	if next_due < today:
		return OVERDUE
	if (next_due - today).days <= soon_days:
		return DUE
	return ON_TIME


def _get(row, key):
	return row.get(key) if isinstance(row, dict) else getattr(row, key, None)


@dataclass(frozen=True)
class Action:
	"""One thing a portal user should do, for the "needs your action" list."""

	kind: str  # submit | more_information | ehc_evidence | decision | report
	name: str  # the referral or placement it is about
	pupil_name: str
	message: str
	colour: str
	due: date | None = None
	detail: str = ""
	record: str = ""  # the record to open when it is not `name` (the EHC assessment)


def school_actions(
	referrals: Iterable,
	today: date,
	deadline: date | None,
	panel_date: date | None = None,
	decision_days: int = DECISION_NOTICE_DAYS,
) -> list[Action]:
	"""What needs a School Referrer, in this order: drafts to submit (by the deadline of the panel a
	referral submitted today would go to), referrals the PRT asked more information about, EHC
	evidence still incomplete on a referral the school can still change, and decisions the panel made
	in the last `decision_days` days (newest first).

	Each referral row has name, pupil_name, workflow_state, ehc_assessment, ehc_complete (bool),
	ehc_completeness (text), decided_on (date or datetime).
	"""
	referrals = list(referrals)
	drafts, more, evidence, decisions = [], [], [], []
	for r in referrals:
		state = _get(r, "workflow_state")
		name, pupil = _get(r, "name"), _get(r, "pupil_name") or _get(r, "name")
		if state == DRAFT:
			if deadline is not None:
				when = english_date(deadline, weekday=True)
				message = _("Submit by {0} ({1}) for the panel on {2}.").format(
					when,
					countdown(deadline, today),
					english_date(panel_date) if panel_date else _("the next panel"),
				)
			else:
				message = _("Submit it to the Pupil Referral Team: no panel is open to referrals yet.")
			drafts.append(Action("submit", name, pupil, message, deadline_colour(deadline, today), deadline))
		elif state == MORE_INFORMATION:
			more.append(
				Action(
					"more_information",
					name,
					pupil,
					_(
						"The Pupil Referral Team asked for more information: update the referral and submit it again."
					),
					"orange",
				)
			)
		if state in UNSUBMITTED_STATES and _get(r, "ehc_assessment") and not _get(r, "ehc_complete"):
			evidence.append(
				Action(
					"ehc_evidence",
					name,
					pupil,
					_(
						"The EHC evidence is incomplete ({0}): the referral cannot be submitted until it is complete."
					).format(_get(r, "ehc_completeness") or _("not started")),
					"orange",
					record=_get(r, "ehc_assessment"),
				)
			)
		decided_on = _get(r, "decided_on")
		if state in DECISIONS and decided_on:
			decided = decided_on.date() if hasattr(decided_on, "date") else decided_on
			if (today - decided).days <= decision_days:
				decisions.append(
					Action(
						"decision",
						name,
						pupil,
						_("{0} at the panel on {1}.").format(_(state), english_date(decided)),
						colour_of(state),
						decided,
						detail=state,
					)
				)
	drafts.sort(key=lambda a: (a.due or date.max, a.pupil_name))
	decisions.sort(key=lambda a: a.due or date.min, reverse=True)
	return drafts + more + evidence + decisions


def referral_counts(rows: Iterable) -> list[tuple[str, int, str]]:
	"""(state, count, colour) for every referral state, in the workflow's order, from rows of
	(workflow_state, count); states with no referral are left out."""
	counts = {}
	for row in rows:
		state, n = (_get(row, "workflow_state"), _get(row, "count")) if not isinstance(row, tuple) else row
		counts[state] = counts.get(state, 0) + int(n or 0)
	return [(state, counts[state], colour_of(state)) for state in REFERRAL_STATES if counts.get(state)]


def provider_reports(placements: Iterable, today: date, soon_days: int = REPORT_DUE_SOON_DAYS) -> list[dict]:
	"""The running placements whose report is due or overdue, most overdue first. Each placement row
	has name, pupil_name, status, next_update_due; each result adds report_status and colour."""
	out = []
	for p in placements:
		if _get(p, "status") not in RUNNING_STATUSES:
			continue
		status = report_status(_get(p, "next_update_due"), today, soon_days)
		if status in (OVERDUE, DUE):
			out.append(
				{
					"name": _get(p, "name"),
					"pupil_name": _get(p, "pupil_name"),
					"next_update_due": _get(p, "next_update_due"),
					"report_status": status,
					"colour": REPORT_COLOURS[status],
					"countdown": countdown(_get(p, "next_update_due"), today),
				}
			)
	out.sort(key=lambda p: (p["next_update_due"], p["pupil_name"] or ""))
	return out


def starting_soon(placements: Iterable, today: date, days: int = STARTING_SOON_DAYS) -> list:
	"""Planned placements whose start date is at most `days` away (or has passed while the
	placement is still planned), soonest first."""
	horizon = today + timedelta(days=days)
	rows = [
		p
		for p in placements
		if _get(p, "status") == PLANNED and _get(p, "start_date") and _get(p, "start_date") <= horizon
	]
	return sorted(rows, key=lambda p: _get(p, "start_date"))
