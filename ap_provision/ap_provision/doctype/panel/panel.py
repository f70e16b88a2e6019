# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, getdate, now_datetime, today

from ap_provision.ap_provision.doctype.ap_settings.ap_settings import deadline_weekday, get_settings
from ap_provision.exceptions import AgendaFrozenError, PanelStatusError
from ap_provision.rules import deadlines, panels

FROZEN_STATUSES = ("Held", "Closed")
# Agenda columns copied from the referral; the decision columns are the chair's.
ROW_DETAILS = {
	"pupil": "pupil",
	"pupil_name": "pupil_name",
	"school": "school",
	"school_name": "school_name",
	"key_stage": "key_stage",
	"has_ehc_plan": "has_ehc_plan",
	"late_referral": "late_referral",
	"recommendation": "recommendation",
}
ROW_DECISION = ("decision_reason", "decision_conditions", "provider", "expected_start_date")


class Panel(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ap_provision.ap_provision.doctype.panel_agenda_item.panel_agenda_item import PanelAgendaItem
		from ap_provision.ap_provision.doctype.panel_attendance.panel_attendance import PanelAttendance

		agenda: DF.Table[PanelAgendaItem]
		chair: DF.Link | None
		chair_name: DF.Data | None
		members: DF.Table[PanelAttendance]
		minutes: DF.TextEditor | None
		notes: DF.SmallText | None
		panel_date: DF.Date
		referral_deadline: DF.Date | None
		status: DF.Literal["Scheduled", "Agenda Closed", "Held", "Closed"]
		venue: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.validate_one_panel_a_day()
		self.set_referral_deadline()
		self.validate_chair()
		self.validate_status_change()
		self.validate_agenda_rows()
		self._decisions_to_record = self.decisions_recorded_on_agenda()

	def on_update(self):
		frappe.flags.saving_panel = self.name
		try:
			for row in self._decisions_to_record:
				self.record_agenda_decision(row)
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
		"""R1: the deadline weekday (Thursday by default) of the week before the panel's week."""
		if self.is_new() or self.has_value_changed("panel_date"):
			if not self.is_new() and self.get_doc_before_save().status != "Scheduled":
				frappe.throw(
					_("Panel {0} is {1}: its date can no longer be changed.").format(
						self.name, _(self.get_doc_before_save().status)
					),
					PanelStatusError,
				)
		self.referral_deadline = deadlines.referral_deadline(getdate(self.panel_date), deadline_weekday())

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
		)

	def is_frozen(self) -> bool:
		return self.status in FROZEN_STATUSES


def referral_details(names: list[str]) -> dict:
	if not names:
		return {}
	rows = frappe.get_all(
		"Referral",
		filters={"name": ("in", names)},
		fields=["name", "panel", "workflow_state", "received_on", *ROW_DETAILS.values(), *ROW_DECISION],
	)
	return {r.name: r for r in rows}


def sync_agenda_row(referral):
	"""Called by the referral: add it to its panel's agenda, or show its decision there.

	Rows are written directly (not through a save of the panel) so two referrals accepted
	at once do not collide; the panel's `modified` moves on, so an open copy of the panel
	must be reloaded before it can be saved over the new rows.
	"""
	panel = frappe.db.get_value("Panel", referral.panel, ["name", "status"], as_dict=True)
	if not panel:
		return
	row_name = frappe.db.get_value(
		"Panel Agenda Item", {"parenttype": "Panel", "parent": panel.name, "referral": referral.name}, "name"
	)
	values = {target: referral.get(source) for target, source in ROW_DETAILS.items()}
	if referral.workflow_state in panels.DECISIONS:
		values["decision"] = referral.workflow_state
		values.update({field: referral.get(field) for field in ROW_DECISION})
	if row_name:
		if panel.status in FROZEN_STATUSES:
			values = {k: v for k, v in values.items() if k == "decision" or k in ROW_DECISION}
		frappe.db.set_value("Panel Agenda Item", row_name, values, update_modified=False)
	else:
		if panel.status in FROZEN_STATUSES:
			frappe.throw(
				_("Panel {0} has been held, so its agenda is closed to new referrals.").format(panel.name),
				AgendaFrozenError,
			)
		row = frappe.get_doc(
			{
				"doctype": "Panel Agenda Item",
				"parenttype": "Panel",
				"parentfield": "agenda",
				"parent": panel.name,
				"referral": referral.name,
				**values,
			}
		)
		row.db_insert()
		renumber_agenda(panel.name)
	remove_from_other_agendas(referral.name, panel.name)
	if frappe.flags.saving_panel != panel.name:
		frappe.db.set_value("Panel", panel.name, "modified", now_datetime(), update_modified=False)


def remove_from_other_agendas(referral: str, panel: str):
	"""A referral moved to another panel before a decision leaves the open agendas it was on.
	Rows of held panels, and rows with a decision (a deferral), stay as the record."""
	for row in frappe.get_all(
		"Panel Agenda Item",
		filters={"parenttype": "Panel", "referral": referral, "parent": ("!=", panel)},
		fields=["name", "parent", "decision"],
	):
		if row.decision or frappe.db.get_value("Panel", row.parent, "status") in FROZEN_STATUSES:
			continue
		frappe.db.delete("Panel Agenda Item", {"name": row.name})
		renumber_agenda(row.parent)
		frappe.db.set_value("Panel", row.parent, "modified", now_datetime(), update_modified=False)


def renumber_agenda(panel: str):
	"""Stable order: when each referral was received, then its name (`panels.agenda_sort_key`:
	rows of referrals with no received date last). One statement, whatever the agenda's length:
	the rows are numbered in the database and only those whose place changed are written."""
	frappe.db.sql(
		"""
		update `tabPanel Agenda Item` item
		join (
			select row.name, row_number() over (
				order by referral.received_on is null, referral.received_on, row.referral
			) as position
			from `tabPanel Agenda Item` row
			left join `tabReferral` referral on referral.name = row.referral
			where row.parenttype = 'Panel' and row.parent = %(panel)s
		) ordered on ordered.name = item.name
		set item.idx = ordered.position
		where item.idx != ordered.position or item.idx is null
		""",
		{"panel": panel},
	)


def scheduled_panel_slots(after=None) -> list[deadlines.PanelSlot]:
	"""Scheduled panels (optionally only those after a date) as the deadline rules see them."""
	filters = {"status": "Scheduled"}
	if after:
		filters["panel_date"] = (">", after)
	return [
		deadlines.PanelSlot(p.name, getdate(p.panel_date), getdate(p.referral_deadline))
		for p in frappe.get_all(
			"Panel",
			filters=filters,
			fields=["name", "panel_date", "referral_deadline"],
			order_by="panel_date asc",
		)
	]


# -- schedule ---------------------------------------------------------------------------


def closures_between(start, end) -> list[panels.Closure]:
	return [
		panels.Closure(c.closure_name, getdate(c.start_date), getdate(c.end_date), c.closure_type)
		for c in frappe.get_all(
			"LA Closure",
			filters={"start_date": ("<=", end), "end_date": (">=", start)},
			fields=["closure_name", "start_date", "end_date", "closure_type"],
		)
	]


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
	"""Daily: panels whose referral deadline has passed move to Agenda Closed (members are
	told by the Panel Agenda Closed notification)."""
	for name in frappe.get_all(
		"Panel", filters={"status": "Scheduled", "referral_deadline": ("<", today())}, pluck="name"
	):
		panel = frappe.get_doc("Panel", name)
		panel.status = "Agenda Closed"
		panel.flags.ignore_permissions = True
		panel.save()
