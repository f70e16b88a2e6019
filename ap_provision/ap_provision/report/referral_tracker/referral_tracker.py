# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""Every referral the user may read, with where it stands: status, school, key stage,
EHC plan, whether it met its panel deadline, and how long the panel took to decide."""

import frappe
from frappe import _
from frappe.utils import getdate, today

from ap_provision import reporting

STATES = (
	"Draft",
	"Submitted",
	"More Information Requested",
	"Accepted for Panel",
	"Deferred",
	"Approved",
	"Declined",
	"Withdrawn",
)
OPEN_STATES = ("Submitted", "More Information Requested", "Accepted for Panel", "Deferred")

FIELDS = [
	"name",
	"pupil",
	"pupil_name",
	"school",
	"school_name",
	"year_group",
	"key_stage",
	"referral_type",
	"has_ehc_plan",
	"workflow_state",
	"received_on",
	"panel",
	"panel_date",
	"late_referral",
	"decided_on",
	"provider",
	"creation",
]


# Reads only: Frappe routes it to a read replica when the site has one (read_from_replica).
@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_rows(filters)
	return columns(), rows, None, chart(rows), report_summary(rows)


def get_rows(filters) -> list[dict]:
	conditions = [
		*reporting.date_range_filters(filters, "creation", "Referral"),
		*reporting.equality_filters(filters, "Referral", ("school", "key_stage", "workflow_state", "panel")),
		*reporting.yes_no_filter(filters, "has_ehc_plan", "Referral", "has_ehc_plan"),
	]
	if filters.get("timeliness") == "Late":
		conditions.append(["Referral", "late_referral", "=", 1])
	elif filters.get("timeliness") == "On time":
		conditions += [["Referral", "late_referral", "=", 0], ["Referral", "received_on", "is", "set"]]
	rows = reporting.scoped_list("Referral", FIELDS, conditions, order_by="creation desc")
	on = getdate(today())
	late, on_time = _("Late"), _("On time")
	for row in rows:
		received = row.received_on.date() if row.received_on else None
		row.timeliness = (late if row.late_referral else on_time) if received else ""
		row.days_to_decision = (row.decided_on.date() - (received or on)).days if row.decided_on else None
		row.days_open = (on - received).days if received and row.workflow_state in OPEN_STATES else None
	return rows


def columns() -> list[dict]:
	return [
		{
			"label": _("Referral"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Referral",
			"width": 150,
		},
		{"label": _("Pupil"), "fieldname": "pupil_name", "fieldtype": "Data", "width": 160},
		{"label": _("School"), "fieldname": "school", "fieldtype": "Link", "options": "School", "width": 90},
		{"label": _("School Name"), "fieldname": "school_name", "fieldtype": "Data", "width": 160},
		{"label": _("Key Stage"), "fieldname": "key_stage", "fieldtype": "Data", "width": 80},
		{"label": _("Referral Type"), "fieldname": "referral_type", "fieldtype": "Data", "width": 150},
		{"label": _("EHC Plan"), "fieldname": "has_ehc_plan", "fieldtype": "Check", "width": 80},
		{"label": _("Status"), "fieldname": "workflow_state", "fieldtype": "Data", "width": 170},
		{"label": _("Received"), "fieldname": "received_on", "fieldtype": "Datetime", "width": 150},
		{"label": _("Panel"), "fieldname": "panel", "fieldtype": "Link", "options": "Panel", "width": 150},
		{"label": _("Panel Date"), "fieldname": "panel_date", "fieldtype": "Date", "width": 100},
		{"label": _("Deadline"), "fieldname": "timeliness", "fieldtype": "Data", "width": 80},
		{"label": _("Decided"), "fieldname": "decided_on", "fieldtype": "Datetime", "width": 150},
		{
			"label": _("Days to Decision"),
			"fieldname": "days_to_decision",
			"fieldtype": "Int",
			"width": 90,
		},
		{"label": _("Days Open"), "fieldname": "days_open", "fieldtype": "Int", "width": 90},
		{
			"label": _("Provider"),
			"fieldname": "provider",
			"fieldtype": "Link",
			"options": "AP Provider",
			"width": 160,
		},
	]


def count_by_state(rows) -> dict[str, int]:
	counts = dict.fromkeys(STATES, 0)
	for row in rows:
		counts[row.workflow_state] = counts.get(row.workflow_state, 0) + 1
	return counts


def chart(rows):
	counts = count_by_state(rows)
	labels = [s for s in counts if counts[s]]
	return reporting.bar_chart([_(s) for s in labels], [(_("Referrals"), [counts[s] for s in labels])])


def report_summary(rows) -> list[dict]:
	counts = count_by_state(rows)
	received = [r for r in rows if r.received_on]
	late = sum(1 for r in received if r.late_referral)
	return [
		reporting.summary(_("Referrals"), len(rows)),
		reporting.summary(_("Open"), sum(counts[s] for s in OPEN_STATES), "Orange"),
		reporting.summary(_("Approved"), counts["Approved"], "Green"),
		reporting.summary(_("Declined"), counts["Declined"], "Red"),
		reporting.summary(_("With EHC Plan"), sum(1 for r in rows if r.has_ehc_plan), "Blue"),
		reporting.summary(_("Late"), late, "Red" if late else "Green"),
		reporting.summary(
			_("On Time"), reporting.rate(len(received) - late, len(received)), "Green", "Percent"
		),
	]
