# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""Pupils in AP below full time: hours a week at the provider and at school against the
full time of their year group, the gap, and their part-time arrangement (end and review), by school
and provider. Three queries whatever the number of rows: the placements, their arrangements, and
(for users who may read it) which pupils need more eyes."""

import frappe
from frappe import _
from frappe.utils import getdate, today

from ap_provision import reporting
from ap_provision.ap_provision.doctype.pupil_social_care.pupil_social_care import needs_more_eyes
from ap_provision.rules import placements

FIELDS = [
	"name",
	"pupil",
	"pupil_name",
	"school",
	"provider",
	"key_stage",
	"status",
	"ap_hours_per_week",
	"school_hours_per_week",
	"total_hours_per_week",
	"full_time_hours",
	"hours_gap",
	"below_full_time",
	"hours_flag",
]


@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_rows(filters)
	return columns(), rows, None, None, summary(rows)


def get_rows(filters) -> list[dict]:
	on = getdate(filters.get("as_on") or today())
	conditions = [
		["Placement", "status", "in", placements.RUNNING_STATUSES],
		["Placement", "full_time_hours", ">", 0],
		*reporting.equality_filters(filters, "Placement", ("school", "provider", "key_stage")),
	]
	if not filters.get("include_full_time"):
		conditions.append(["Placement", "below_full_time", "=", 1])
	rows = reporting.scoped_list(
		"Placement", FIELDS, conditions, order_by="school asc, provider asc, pupil_name asc"
	)
	arrangements = {}
	for a in reporting.scoped_list(
		"Part-time Arrangement",
		["name", "placement", "start_date", "end_date", "review_date"],
		[
			["Part-time Arrangement", "placement", "in", [r.name for r in rows] or [""]],
			["Part-time Arrangement", "status", "=", "Active"],
		],
		order_by="end_date asc",
	):
		arrangements[a.placement] = a  # the latest ending last
	eyes = needs_more_eyes(sorted({r.pupil for r in rows}))
	out = []
	for row in rows:
		a = arrangements.get(row.name)
		row.part_time_arrangement = a.name if a else None
		row.arrangement_end = a.end_date if a else None
		row.arrangement_review = a.review_date if a else None
		row.arrangement_overdue = int(
			bool(
				a
				and (
					(a.end_date and getdate(a.end_date) < on)
					or (a.review_date and getdate(a.review_date) < on)
				)
			)
		)
		row.no_arrangement = int(bool(row.below_full_time and not a))
		row.needs_more_eyes = int(row.pupil in eyes)
		out.append(row)
	if filters.get("needs_more_eyes"):
		out = [r for r in out if r.needs_more_eyes]
	return out


def columns() -> list[dict]:
	def col(label, fieldname, fieldtype="Data", options=None, width=120):
		return {
			"label": label,
			"fieldname": fieldname,
			"fieldtype": fieldtype,
			"options": options,
			"width": width,
		}

	return [
		col(_("Placement"), "name", "Link", "Placement", 140),
		col(_("Pupil"), "pupil_name", width=150),
		col(_("School"), "school", "Link", "School", 140),
		col(_("Provider"), "provider", "Link", "AP Provider", 150),
		col(_("Key Stage"), "key_stage", width=80),
		col(_("Hours at AP"), "ap_hours_per_week", "Float", width=100),
		col(_("Hours at School"), "school_hours_per_week", "Float", width=110),
		col(_("Total Hours"), "total_hours_per_week", "Float", width=100),
		col(_("Full Time"), "full_time_hours", "Float", width=90),
		col(_("Hours Gap"), "hours_gap", "Float", width=90),
		col(_("Part-time Arrangement"), "part_time_arrangement", "Link", "Part-time Arrangement", 160),
		col(_("Arrangement Ends"), "arrangement_end", "Date", width=120),
		col(_("Next Review"), "arrangement_review", "Date", width=110),
		col(_("End or Review Passed"), "arrangement_overdue", "Check", width=100),
		col(_("No Arrangement"), "no_arrangement", "Check", width=100),
		col(_("Needs More Eyes"), "needs_more_eyes", "Check", width=100),
	]


def summary(rows) -> list[dict]:
	return [
		reporting.summary(_("Below full time"), sum(1 for r in rows if r.below_full_time), "Orange"),
		reporting.summary(_("Without an arrangement"), sum(r.no_arrangement for r in rows), "Red"),
		reporting.summary(_("End or review passed"), sum(r.arrangement_overdue for r in rows), "Red"),
	]
