# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""EHC statutory duties around placements (R7, R9, R10, R13): for every placement of a
pupil with an EHC plan that was live in the date range, whether an annual review falls
due during it and whether one was held, whether the SEND caseworker was invited to its
reviews, and how recent the newest outside professional advice is."""

import frappe
from frappe import _
from frappe.utils import date_diff, getdate, today

from ap_provision import reporting
from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.rules import ehc

ANNUAL_REVIEW = "EHC Annual Review"


# Reads only: Frappe routes it to a read replica when the site has one (read_from_replica).
@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_rows(filters)
	return columns(), rows, None, chart(rows), report_summary(rows)


def get_rows(filters) -> list:
	on = getdate(filters.get("as_on") or today())
	conditions = [
		["Placement", "has_ehc_plan", "=", 1],
		["Placement", "status", "!=", "Planned"],
		*reporting.equality_filters(filters, "Placement", ("school", "provider", "key_stage")),
	]
	if filters.get("from_date"):
		conditions.append(["Placement", "planned_end_date", ">=", getdate(filters.from_date)])
	if filters.get("to_date"):
		conditions.append(["Placement", "start_date", "<=", getdate(filters.to_date)])
	placements = reporting.scoped_list(
		"Placement",
		[
			"name",
			"pupil",
			"pupil_name",
			"school_name",
			"referral",
			"key_stage",
			"status",
			"start_date",
			"planned_end_date",
			"actual_end_date",
			"send_caseworker",
		],
		conditions,
		order_by="start_date asc",
	)
	if not placements:
		return []
	names = [p.name for p in placements]
	pupils = {
		p.name: p
		for p in reporting.scoped_list(
			"Pupil",
			["name", "next_annual_review_due", "last_annual_review_date"],
			[["Pupil", "name", "in", sorted({p.pupil for p in placements})]],
		)
	}
	reviews = reporting.scoped_list(
		"Review",
		["name", "placement", "review_type", "review_date", "docstatus"],
		[["Review", "placement", "in", names], ["Review", "docstatus", "<", 2]],
	)
	invited = {
		a.parent
		for a in reporting.scoped_child_list(
			"Review Attendee",
			"Review",
			["parent"],
			[
				["Review Attendee", "parent", "in", [r.name for r in reviews] or [""]],
				["Review Attendee", "attendee_role", "=", "SEND Caseworker"],
				["Review Attendee", "invited", "=", 1],
			],
		)
	}
	assessments = {
		r.name: r.ehc_assessment
		for r in reporting.scoped_list(
			"Referral",
			["name", "ehc_assessment"],
			[["Referral", "name", "in", sorted({p.referral for p in placements if p.referral})]],
		)
	}
	newest_advice: dict[str, object] = {}
	for advice in reporting.scoped_child_list(
		"EHC Professional Advice",
		"EHC Assessment",
		["parent", "advice_date"],
		[["EHC Professional Advice", "parent", "in", [a for a in assessments.values() if a] or [""]]],
	):
		if advice.advice_date and (
			advice.parent not in newest_advice or getdate(advice.advice_date) > newest_advice[advice.parent]
		):
			newest_advice[advice.parent] = getdate(advice.advice_date)
	settings = get_settings()
	reviews_of = {}  # placement -> its reviews, grouped once (not a scan of every review per placement)
	for r in reviews:
		reviews_of.setdefault(r.placement, []).append(r)
	for p in placements:
		pupil = pupils.get(p.pupil) or frappe._dict()
		end = (
			getdate(p.actual_end_date or p.planned_end_date)
			if (p.actual_end_date or p.planned_end_date)
			else None
		)
		due = getdate(pupil.next_annual_review_due) if pupil.next_annual_review_due else None
		mine = reviews_of.get(p.name, [])
		held = [r for r in mine if r.review_type == ANNUAL_REVIEW and r.docstatus == 1]
		p.next_annual_review_due = due
		p.review_due_in_placement = int(bool(due and end and getdate(p.start_date) <= due <= end))
		p.annual_review_held = max((getdate(r.review_date) for r in held), default=None)
		p.annual_review_missing = int(
			p.review_due_in_placement and not p.annual_review_held and due is not None and due < on
		)
		p.reviews = len(mine)
		p.caseworker_invited = sum(1 for r in mine if r.name in invited)
		p.caseworker_not_invited = p.reviews - p.caseworker_invited
		advice = newest_advice.get(assessments.get(p.referral))
		p.newest_advice = advice
		p.advice_age_days = date_diff(on, advice) if advice else None
		p.advice_status = advice_status(advice, on, settings)
	if filters.get("problems_only"):
		placements = [p for p in placements if has_problem(p)]
	return placements


def advice_status(advice, on, settings) -> str:
	if not advice:
		return _("None recorded")
	if advice < ehc.months_before(on, settings.advice_window_months or 12):
		return _("Out of date")
	if advice < ehc.months_before(on, settings.advice_warning_months or 6):
		return _("Ageing")
	return _("Current")


def has_problem(p) -> bool:
	return bool(
		p.annual_review_missing
		or p.caseworker_not_invited
		or p.advice_status in (_("Out of date"), _("None recorded"))
	)


def columns() -> list[dict]:
	return [
		{
			"label": _("Placement"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Placement",
			"width": 150,
		},
		{"label": _("Pupil"), "fieldname": "pupil_name", "fieldtype": "Data", "width": 150},
		{"label": _("School"), "fieldname": "school_name", "fieldtype": "Data", "width": 160},
		{"label": _("Key Stage"), "fieldname": "key_stage", "fieldtype": "Data", "width": 80},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 100},
		{"label": _("Start"), "fieldname": "start_date", "fieldtype": "Date", "width": 100},
		{"label": _("Planned End"), "fieldname": "planned_end_date", "fieldtype": "Date", "width": 100},
		{
			"label": _("SEND Caseworker"),
			"fieldname": "send_caseworker",
			"fieldtype": "Link",
			"options": "User",
			"width": 160,
		},
		{
			"label": _("Annual Review Due"),
			"fieldname": "next_annual_review_due",
			"fieldtype": "Date",
			"width": 110,
		},
		{
			"label": _("Due During Placement"),
			"fieldname": "review_due_in_placement",
			"fieldtype": "Check",
			"width": 100,
		},
		{
			"label": _("Annual Review Held"),
			"fieldname": "annual_review_held",
			"fieldtype": "Date",
			"width": 110,
		},
		{
			"label": _("Annual Review Missing"),
			"fieldname": "annual_review_missing",
			"fieldtype": "Check",
			"width": 100,
		},
		{"label": _("Reviews"), "fieldname": "reviews", "fieldtype": "Int", "width": 70},
		{
			"label": _("Caseworker Invited"),
			"fieldname": "caseworker_invited",
			"fieldtype": "Int",
			"width": 100,
		},
		{"label": _("Newest Advice"), "fieldname": "newest_advice", "fieldtype": "Date", "width": 100},
		{"label": _("Advice Age (Days)"), "fieldname": "advice_age_days", "fieldtype": "Int", "width": 90},
		{"label": _("Advice"), "fieldname": "advice_status", "fieldtype": "Data", "width": 100},
	]


def chart(rows):
	if not rows:
		return None
	statuses = [_("Current"), _("Ageing"), _("Out of date"), _("None recorded")]
	counts = [sum(1 for r in rows if r.advice_status == s) for s in statuses]
	return {
		"data": {"labels": statuses, "datasets": [{"name": _("Placements"), "values": counts}]},
		"type": "pie",
	}


def report_summary(rows) -> list[dict]:
	missing = sum(r.annual_review_missing for r in rows)
	not_invited = sum(1 for r in rows if r.caseworker_not_invited)
	stale = sum(1 for r in rows if r.advice_status in (_("Out of date"), _("None recorded")))
	return [
		reporting.summary(_("EHC Placements"), len(rows)),
		reporting.summary(
			_("Annual Reviews Due in Placement"), sum(r.review_due_in_placement for r in rows), "Orange"
		),
		reporting.summary(_("Annual Reviews Missing"), missing, "Red" if missing else "Green"),
		reporting.summary(_("Caseworker Not Invited"), not_invited, "Red" if not_invited else "Green"),
		reporting.summary(_("Advice Out of Date"), stale, "Red" if stale else "Green"),
	]
