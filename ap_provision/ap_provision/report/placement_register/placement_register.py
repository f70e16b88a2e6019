# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""The live placements on a date: who is where, how many days and hours a week, their hours
against full time, when each ends, and whether the provider's reports are overdue. Filters for
pupils below full time and (for those who may read Pupil Social Care) pupils who need more eyes."""

import frappe
from frappe import _
from frappe.utils import getdate, today

from ap_provision import reporting
from ap_provision.ap_provision.doctype.pupil_social_care.pupil_social_care import (
	may_read_social_care,
	needs_more_eyes,
)

FIELDS = [
	"name",
	"pupil",
	"pupil_name",
	"school",
	"school_name",
	"provider",
	"provider_name",
	"key_stage",
	"placement_type",
	"status",
	"days_per_week",
	"hours_per_week",
	"total_hours_per_week",
	"full_time_hours",
	"hours_gap",
	"below_full_time",
	"start_date",
	"planned_end_date",
	"actual_end_date",
	"next_update_due",
	"last_update_date",
	"next_review_date",
	"ehc_funding_ceased",
]
ENDING_SOON_DAYS = 28


# Reads only: Frappe routes it to a read replica when the site has one (read_from_replica).
@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_rows(filters)
	return columns(may_read_social_care()), rows, None, chart(rows), report_summary(rows)


# Placements that have not ended carry no end date (the controller sets it when one ends).
RUNNING = ("Active", "Reintegrating")


def get_rows(filters) -> list[dict]:
	"""The placements live on the date: started by then and not ended before it. The query
	reads only those (a running placement, or one whose end date is on or after the date:
	two indexed conditions), not every placement that ever started."""
	on = getdate(filters.get("as_on") or today())
	conditions = [
		["Placement", "status", "!=", "Planned"],
		["Placement", "start_date", "<=", on],
		*reporting.equality_filters(
			filters, "Placement", ("school", "provider", "key_stage", "placement_type")
		),
	]
	live = [["Placement", "status", "in", RUNNING], ["Placement", "actual_end_date", ">=", on]]
	rows = []
	for row in reporting.scoped_list(
		"Placement", FIELDS, conditions, order_by="start_date asc", or_filters=live
	):
		if row.actual_end_date and row.actual_end_date < on:
			continue
		row.days_left = (row.planned_end_date - on).days if row.planned_end_date else None
		overdue = (on - row.next_update_due).days if row.next_update_due else 0
		row.update_overdue_days = overdue if overdue > 0 else 0
		row.update_overdue = int(overdue > 0)
		rows.append(row)
	if filters.get("overdue_only"):
		rows = [r for r in rows if r.update_overdue]
	if filters.get("below_full_time_only"):
		rows = [r for r in rows if r.below_full_time]
	# Who needs more eyes only for users who may read Pupil Social Care (for others the set is
	# empty, so the filter answers nothing about it).
	eyes = needs_more_eyes(sorted({r.pupil for r in rows}))
	for row in rows:
		row.needs_more_eyes = int(row.pupil in eyes)
	if filters.get("needs_more_eyes"):
		rows = [r for r in rows if r.needs_more_eyes]
	return rows


def columns(with_social_care: bool = False) -> list[dict]:
	link = lambda label, field, options, width=150: {  # noqa: E731
		"label": label,
		"fieldname": field,
		"fieldtype": "Link",
		"options": options,
		"width": width,
	}
	return [
		link(_("Placement"), "name", "Placement"),
		{"label": _("Pupil"), "fieldname": "pupil_name", "fieldtype": "Data", "width": 150},
		{"label": _("School"), "fieldname": "school_name", "fieldtype": "Data", "width": 160},
		link(_("Provider"), "provider", "AP Provider", 170),
		{"label": _("Key Stage"), "fieldname": "key_stage", "fieldtype": "Data", "width": 80},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 110},
		{"label": _("Days per Week"), "fieldname": "days_per_week", "fieldtype": "Int", "width": 90},
		{"label": _("Hours per Week"), "fieldname": "hours_per_week", "fieldtype": "Float", "width": 90},
		{"label": _("Total Hours"), "fieldname": "total_hours_per_week", "fieldtype": "Float", "width": 90},
		{"label": _("Full Time"), "fieldname": "full_time_hours", "fieldtype": "Float", "width": 80},
		{"label": _("Hours Gap"), "fieldname": "hours_gap", "fieldtype": "Float", "width": 80},
		{"label": _("Below Full Time"), "fieldname": "below_full_time", "fieldtype": "Check", "width": 90},
		{"label": _("Start"), "fieldname": "start_date", "fieldtype": "Date", "width": 100},
		{"label": _("Planned End"), "fieldname": "planned_end_date", "fieldtype": "Date", "width": 100},
		{"label": _("Days Left"), "fieldname": "days_left", "fieldtype": "Int", "width": 80},
		{"label": _("Next Update Due"), "fieldname": "next_update_due", "fieldtype": "Date", "width": 110},
		{
			"label": _("Update Overdue (Days)"),
			"fieldname": "update_overdue_days",
			"fieldtype": "Int",
			"width": 110,
		},
		{"label": _("Next Review"), "fieldname": "next_review_date", "fieldtype": "Date", "width": 100},
		{
			"label": _("EHC Funding Ceased"),
			"fieldname": "ehc_funding_ceased",
			"fieldtype": "Check",
			"width": 90,
		},
		*(
			[
				{
					"label": _("Needs More Eyes"),
					"fieldname": "needs_more_eyes",
					"fieldtype": "Check",
					"width": 100,
				}
			]
			if with_social_care
			else []
		),
	]


def chart(rows):
	if not rows:
		return None
	providers: dict[str, list[int]] = {}
	for row in rows:
		counts = providers.setdefault(row.provider_name or row.provider, [0] * len(reporting.KEY_STAGES))
		if row.key_stage in reporting.KEY_STAGES:
			counts[reporting.KEY_STAGES.index(row.key_stage)] += 1
	labels = sorted(providers)
	return reporting.bar_chart(
		labels,
		[(ks, [providers[p][i] for p in labels]) for i, ks in enumerate(reporting.KEY_STAGES)],
		stacked=True,
	)


def report_summary(rows) -> list[dict]:
	overdue = sum(r.update_overdue for r in rows)
	ending = sum(1 for r in rows if r.days_left is not None and 0 <= r.days_left <= ENDING_SOON_DAYS)
	return [
		reporting.summary(_("Live Placements"), len(rows), "Green"),
		reporting.summary(_("Pupil Days per Week"), sum(r.days_per_week or 0 for r in rows)),
		reporting.summary(_("Hours per Week"), sum(r.hours_per_week or 0 for r in rows), "Blue", "Float"),
		reporting.summary(_("Updates Overdue"), overdue, "Red" if overdue else "Green"),
		reporting.summary(_("Below Full Time"), sum(1 for r in rows if r.below_full_time), "Orange"),
		reporting.summary(_("Ending in 4 Weeks"), ending, "Orange"),
	]
