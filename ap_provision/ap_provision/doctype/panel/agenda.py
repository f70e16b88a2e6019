# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""A panel's agenda and calendar as the rest of the app sees them: the agenda row of a
referral, the panels R1 chooses among, closures, and who is told when a panel moves. Referral
and Placement import from here; this module imports neither controller (the Panel controller
imports Referral's decision recording, never the other way round)."""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from ap_provision.exceptions import AgendaFrozenError
from ap_provision.rules import deadlines, panels
from ap_provision.rules._i18n import english_date

FROZEN_STATUSES = panels.HELD_STATUSES
# Referrals that R1 places on a panel (a deferred one waits for the PRT to accept it again).
ASSIGNED_STATES = ("Submitted", "More Information Requested", "Accepted for Panel")
# Agenda columns copied from the referral; the decision columns are the chair's.
ROW_DETAILS = {
	"pupil": "pupil",
	"pupil_name": "pupil_name",
	"school": "school",
	"school_name": "school_name",
	"key_stage": "key_stage",
	"has_ehc_plan": "has_ehc_plan",
	"late_referral": "late_referral",
}
ROW_DECISION = ("decision_reason", "decision_conditions", "provider", "expected_start_date", "days_per_week")


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
	"""A referral moved to another panel before a decision leaves the open agendas it was on
	(every open agenda when `panel` is empty: it was withdrawn). Rows of held panels, and rows
	with a decision (a deferral), stay as the record."""
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


def panel_slots_for(received_date, after=None) -> list[deadlines.PanelSlot]:
	"""Every panel not cancelled that meets on or after `received_date` (and after `after`), as
	the deadline rules see them: R1 chooses among those not yet held and names the others."""
	filters = {"status": ("!=", panels.CANCELLED), "panel_date": (">=", received_date)}
	if after:
		filters["panel_date"] = (">", max(getdate(after), getdate(received_date) - timedelta(days=1)))
	return [
		deadlines.PanelSlot(
			p.name, getdate(p.panel_date), getdate(p.referral_deadline), held=p.status in FROZEN_STATUSES
		)
		for p in frappe.get_all(
			"Panel",
			filters=filters,
			fields=["name", "panel_date", "referral_deadline", "status"],
			order_by="panel_date asc",
		)
	]


def next_open_panel_date():
	"""The date of the earliest panel still open to referrals received today, or None."""
	rows = frappe.get_all(
		"Panel",
		filters={"status": ("in", panels.OPEN_STATUSES), "referral_deadline": (">=", today())},
		fields=["panel_date"],
		order_by="panel_date asc",
		limit=1,
	)
	return getdate(rows[0].panel_date) if rows else None


def referrals_waiting_for_a_panel() -> list[str]:
	"""Referrals R1 has placed on a panel not yet held (or on a cancelled one), undecided."""
	open_panels = frappe.get_all(
		"Panel", filters={"status": ("in", (*panels.OPEN_STATUSES, panels.CANCELLED))}, pluck="name"
	)
	if not open_panels:
		return []
	return frappe.get_all(
		"Referral",
		filters={"workflow_state": ("in", ASSIGNED_STATES), "panel": ("in", open_panels)},
		pluck="name",
		order_by="received_on asc, name asc",
	)


def tell_referral_of_panel_change(referral, change: str):
	"""The referral's timeline, its school's referrers and the PRT hear where it goes now."""
	from ap_provision.notifications import tell

	message = " ".join(
		[
			change,
			_("Referral {0} ({1}) now goes to the panel on {2}.").format(
				referral.name, referral.pupil_name, english_date(getdate(referral.panel_date), weekday=True)
			),
		]
	)
	referral.add_comment("Info", message)
	tell(
		school_referrers(referral.school) + prt_officers(),
		_("Panel changed for referral {0}").format(referral.name),
		message,
		"Referral",
		referral.name,
	)


def school_referrers(school: str | None) -> list[str]:
	from ap_provision.ap_provision.doctype.placement_alert.placement_alert import school_users

	return school_users(school)


def prt_officers() -> list[str]:
	from ap_provision.ap_provision.doctype.placement_alert.placement_alert import prt_users

	return prt_users()


# -- schedule ---------------------------------------------------------------------------


def closures_between(start, end) -> list[panels.Closure]:
	"""The LA's closures overlapping `start`..`end`."""
	return [
		panels.Closure(c.closure_name, getdate(c.start_date), getdate(c.end_date), c.closure_type)
		for c in frappe.get_all(
			"LA Closure",
			filters={"start_date": ("<=", end), "end_date": (">=", start)},
			fields=["closure_name", "start_date", "end_date", "closure_type"],
		)
	]
