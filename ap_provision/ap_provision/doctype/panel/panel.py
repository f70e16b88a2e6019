# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, getdate, now_datetime, today

from ap_provision.ap_provision.doctype.ap_settings.ap_settings import deadline_weekday, get_settings
from ap_provision.ap_provision.doctype.panel.agenda import (
	ASSIGNED_STATES,
	FROZEN_STATUSES,
	ROW_DECISION,
	ROW_DETAILS,
	closures_between,
	next_open_panel_date,
	panel_slots_for,
	prt_officers,
	referral_details,
	referrals_waiting_for_a_panel,
	remove_from_other_agendas,
	renumber_agenda,
	school_referrers,
	sync_agenda_row,
	tell_referral_of_panel_change,
)
from ap_provision.exceptions import AgendaFrozenError, NoPanelError, PanelStatusError
from ap_provision.rules import deadlines, panels
from ap_provision.rules._i18n import english_date


class Panel(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ap_provision.ap_provision.doctype.panel_agenda_item.panel_agenda_item import PanelAgendaItem
		from ap_provision.ap_provision.doctype.panel_attendance.panel_attendance import PanelAttendance

		agenda: DF.Table[PanelAgendaItem]
		cancellation_reason: DF.SmallText | None
		chair: DF.Link | None
		chair_name: DF.Data | None
		members: DF.Table[PanelAttendance]
		minutes: DF.TextEditor | None
		moved_from: DF.Date | None
		notes: DF.SmallText | None
		panel_date: DF.Date
		papers_close_on: DF.Date | None
		referral_deadline: DF.Date | None
		status: DF.Literal["Scheduled", "Agenda Closed", "Held", "Closed", "Cancelled"]
		venue: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.validate_one_panel_a_day()
		self.set_referral_deadline()
		self.validate_chair()
		self.validate_status_change()
		self.validate_referrals_keep_a_panel()
		self.validate_agenda_rows()
		self._decisions_to_record = self.decisions_recorded_on_agenda()

	def on_update(self):
		frappe.flags.saving_panel = self.name
		try:
			for row in self._decisions_to_record:
				self.record_agenda_decision(row)
			self.replace_referrals_after_change()
		finally:
			frappe.flags.saving_panel = None

	def validate_one_panel_a_day(self):
		if other := frappe.db.exists("Panel", {"panel_date": self.panel_date, "name": ("!=", self.name)}):
			frappe.throw(
				_("There is already a panel on {0}: {1}.").format(
					frappe.format(self.panel_date, "Date"), other
				),
				frappe.DuplicateEntryError,
			)

	def set_referral_deadline(self):
		"""R1: the deadline weekday (Thursday by default) of the week before the panel's week,
		off bank holidays and LA closures, and the day the agenda papers close (AP Settings).
		A panel not yet held may be postponed (its date moved); the first date is kept."""
		before = None if self.is_new() else self.get_doc_before_save()
		if before and self.has_value_changed("panel_date"):
			if before.status not in panels.OPEN_STATUSES:
				frappe.throw(
					_("Panel {0} is {1}: its date can no longer be changed.").format(
						self.name, _(before.status)
					),
					PanelStatusError,
				)
			self.moved_from = self.moved_from or before.panel_date
		if before and before.status not in panels.OPEN_STATUSES:
			return  # a held or cancelled panel keeps the dates it had
		day = getdate(self.panel_date)
		settings = get_settings()
		closures = closures_between(add_days(day, -60), day)
		self.referral_deadline = deadlines.referral_deadline(
			day, deadline_weekday(), closures, settings.deadline_on_closed_day or deadlines.EARLIER
		)
		self.papers_close_on = deadlines.papers_close_on(
			day,
			getdate(self.referral_deadline),
			closures,
			settings.agenda_papers_close or deadlines.AFTER_DEADLINE,
			settings.papers_open_days_before_panel or 2,
		)
		closed = panels.closure_on(day, closures)
		if closed and self.has_value_changed("panel_date"):
			frappe.msgprint(
				_("{0} is {1}, when the LA is closed. Check the panel can meet that day.").format(
					english_date(day, weekday=True), closed.name
				),
				title=_("Panel on a closed day"),
				indicator="orange",
			)

	def validate_chair(self):
		if self.chair and "Panel Chair" not in frappe.get_roles(self.chair):
			frappe.throw(
				_("{0} cannot chair the panel: give them the Panel Chair role first.").format(
					frappe.bold(self.chair)
				),
				title=_("Not a Panel Chair"),
			)

	def validate_status_change(self):
		before = self.get_doc_before_save()
		old = before.status if before else None
		if old == self.status and not self.is_new():
			return
		problem = panels.status_problem(
			old,
			self.status,
			today=getdate(today()),
			panel_date=getdate(self.panel_date),
			referral_deadline=getdate(self.referral_deadline),
			has_chair=bool(self.chair),
			all_decided=panels.all_decided(row.decision for row in self.agenda),
			has_minutes=bool(frappe.utils.strip_html(self.minutes or "").strip()),
			cancellation_reason=self.cancellation_reason,
		)
		if problem:
			frappe.throw(problem, PanelStatusError, title=_("Cannot change the panel's status"))

	# -- agenda -------------------------------------------------------------------------

	def validate_agenda_rows(self):
		"""Rows come from referrals and are never added or removed by hand; their details
		are the referral's, and only the decision columns are the chair's."""
		before = self.get_doc_before_save()
		before_rows = {row.name: row for row in before.agenda} if before else {}
		if {row.name for row in self.agenda if not row.is_new()} != set(before_rows) or any(
			row.is_new() for row in self.agenda
		):
			frappe.throw(
				_(
					"The agenda lists the referrals accepted for this panel: rows cannot be added or removed by hand."
				),
				AgendaFrozenError,
				title=_("Agenda"),
			)
		referrals = referral_details([row.referral for row in self.agenda])
		for row in self.agenda:
			ref = referrals.get(row.referral)
			old = before_rows[row.name]
			for field in ROW_DETAILS:
				row.set(field, old.get(field))
			if ref and ref.workflow_state in panels.DECISIONS and ref.panel == self.name:
				# A decided referral's row shows its decision; it cannot be changed here.
				row.decision = ref.workflow_state
				for field in ROW_DECISION:
					row.set(field, ref.get(field))

	def decisions_recorded_on_agenda(self) -> list:
		referrals = referral_details([row.referral for row in self.agenda])
		return [
			row
			for row in self.agenda
			if row.decision
			and referrals.get(row.referral)
			and referrals[row.referral].workflow_state == "Accepted for Panel"
			and referrals[row.referral].panel == self.name
		]

	def record_agenda_decision(self, row):
		from ap_provision.ap_provision.doctype.referral.referral import record_decision

		record_decision(
			row.referral,
			row.decision,
			provider=row.provider,
			expected_start_date=row.expected_start_date,
			decision_reason=row.decision_reason,
			decision_conditions=row.decision_conditions,
			days_per_week=row.days_per_week,
		)

	def is_frozen(self) -> bool:
		return self.status in FROZEN_STATUSES

	# -- moved or cancelled -------------------------------------------------------------

	def validate_referrals_keep_a_panel(self):
		"""Cancelling the panel, or moving its deadline earlier than a referral on it was
		received, needs another panel for those referrals: refused (before anything is saved)
		until the next panel is scheduled."""
		before = self.get_doc_before_save()
		if not before or before.status not in panels.OPEN_STATUSES:
			return
		cancelled = self.status == panels.CANCELLED
		if not cancelled and not self.has_value_changed("referral_deadline"):
			return
		for r in frappe.get_all(
			"Referral",
			filters={"panel": self.name, "workflow_state": ("in", ASSIGNED_STATES)},
			fields=["name", "received_on"],
		):
			received = getdate(r.received_on)
			if not cancelled and received <= getdate(self.referral_deadline):
				continue
			if not frappe.db.exists(
				"Panel",
				{
					"name": ("!=", self.name),
					"status": ("in", panels.OPEN_STATUSES),
					"panel_date": (">=", received),
					"referral_deadline": (">=", received),
				},
			):
				frappe.throw(
					_(
						"Referral {0} would be left without a panel: schedule the next panel before "
						"moving or cancelling this one."
					).format(r.name),
					PanelStatusError,
					title=_("Schedule the next panel first"),
				)

	def replace_referrals_not_triaged(self):
		"""The panel has met: referrals received in time for it that the PRT had not yet
		accepted (or that wait for more information) now go to the next panel, and their
		schools are told; they were not late."""
		change = _("The panel on {0} met before the referral was accepted for it.").format(
			english_date(getdate(self.panel_date), weekday=True)
		)
		for name in frappe.get_all(
			"Referral",
			filters={
				"panel": self.name,
				"workflow_state": ("in", ("Submitted", "More Information Requested")),
			},
			pluck="name",
			order_by="received_on asc, name asc",
		):
			referral = frappe.get_doc("Referral", name)
			try:
				referral.assign_panel(quiet=True)
			except NoPanelError:
				continue  # no later panel yet: it is placed when the PRT accepts it
			referral.flags.ignore_permissions = True
			referral.save()
			tell_referral_of_panel_change(referral, change)

	def replace_referrals_after_change(self):
		"""R1 after the panel is moved (or its deadline changes) or cancelled: every referral
		waiting for a panel that is not yet held is placed again by the rule, and the schools
		whose referral changes panel or date are told. A cancelled panel's referrals go to the
		next panel; they were on time, so they are not marked late."""
		before = self.get_doc_before_save()
		if not before:
			return
		cancelled = self.status == panels.CANCELLED and before.status != panels.CANCELLED
		moved = self.has_value_changed("panel_date") or self.has_value_changed("referral_deadline")
		held = self.status in FROZEN_STATUSES and before.status not in FROZEN_STATUSES
		if held:
			self.replace_referrals_not_triaged()
		if not (cancelled or moved):
			return
		if cancelled:
			change = _("The panel on {0} was cancelled ({1}).").format(
				english_date(getdate(before.panel_date), weekday=True), self.cancellation_reason or ""
			)
		else:
			change = _("The panel on {0} has moved to {1} (referral deadline {2}).").format(
				english_date(getdate(before.panel_date), weekday=True),
				english_date(getdate(self.panel_date), weekday=True),
				english_date(getdate(self.referral_deadline), weekday=True),
			)
		for name in referrals_waiting_for_a_panel():
			referral = frappe.get_doc("Referral", name)
			old = (referral.panel, str(getdate(referral.panel_date)) if referral.panel_date else None)
			try:
				referral.assign_panel(quiet=True)
			except NoPanelError:
				frappe.throw(
					_(
						"Referral {0} would be left without a panel: schedule the next panel before "
						"moving or cancelling this one."
					).format(referral.name),
					PanelStatusError,
					title=_("Schedule the next panel first"),
				)
			new = (referral.panel, str(getdate(referral.panel_date)))
			if new == old and referral.panel != self.name:
				continue
			referral.flags.ignore_permissions = True
			referral.save()
			tell_referral_of_panel_change(referral, change)


def academic_year_end(day) -> str:
	day = getdate(day)
	year = day.year + 1 if day.month >= 9 else day.year
	return f"{year}-07-31"


@frappe.whitelist(methods=["POST"])
def generate_schedule(first_panel_date: str, until: str | None = None) -> dict:
	"""Create the fortnightly panels from `first_panel_date` to `until` (default: the end of
	that academic year, 31 July), skipping closure weeks and moving off bank holidays.
	Panels already in a week are kept; running it again creates nothing twice."""
	frappe.has_permission("Panel", "create", throw=True)
	first = getdate(first_panel_date)
	until = getdate(until or academic_year_end(first))
	if until < first:
		frappe.throw(_("The schedule must end on or after its first panel."))
	if (until - first).days > 400:
		frappe.throw(_("Generate at most one academic year at a time."))
	if first.weekday() > 4:
		frappe.throw(_("The first panel must be on a weekday."))
	existing = [
		getdate(d)
		for d in frappe.get_all(
			"Panel",
			filters={"panel_date": ("between", [add_days(first, -7), add_days(until, 7)])},
			pluck="panel_date",
		)
	]
	plan = panels.plan_schedule(
		first,
		until,
		closures=closures_between(first, add_days(until, 7)),
		existing=existing,
		cadence_days=get_settings().panel_cadence_days or 14,
		deadline_weekday=deadline_weekday(),
		deadline_move=get_settings().deadline_on_closed_day or deadlines.EARLIER,
	)
	created = []
	for slot in plan:
		if slot.to_create:
			created.append(
				frappe.get_doc({"doctype": "Panel", "panel_date": slot.panel_date, "status": "Scheduled"})
				.insert()
				.name
			)
	return {
		"created": created,
		"moved": [
			{"from": str(s.moved_from), "to": str(s.panel_date)} for s in plan if s.moved_from and s.to_create
		],
		"skipped": [s.skipped_because for s in plan if s.skipped_because],
		"existing": [str(s.panel_date) for s in plan if s.already_exists],
	}


def close_agendas():
	"""Daily: panels whose agenda papers closed at the end of a past day (AP Settings; by
	default the open day after the deadline) move to Agenda Closed, and the members are sent
	the papers (the Panel Agenda Closed notification). Referrals received by the deadline still
	join the agenda until the panel is held (R1)."""
	for name in frappe.get_all(
		"Panel", filters={"status": "Scheduled", "papers_close_on": ("<", today())}, pluck="name"
	):
		panel = frappe.get_doc("Panel", name)
		panel.status = "Agenda Closed"
		panel.flags.ignore_permissions = True
		panel.save()
