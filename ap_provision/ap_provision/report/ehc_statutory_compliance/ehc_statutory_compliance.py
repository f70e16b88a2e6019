# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""EHC statutory duties around placements (R7, R9, R10, R13): for every placement of a
pupil with an EHC plan that was live in the date range, whether an annual review falls
due during it and whether one was held, whether the SEND caseworker was invited to its
reviews, and how recent the newest outside professional advice is."""

import frappe
from frappe import _
from frappe.utils import getdate, today

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
			["name", "next_annual_review_due"],
			[["Pupil", "name", "in", sorted({p.pupil for p in placements})]],
		)
	}
	# The reviews of each placement, counted in the database: how many, the newest annual
	# review held, how many invited the SEND caseworker (one row per placement each).
	of_placements = [["Review", "placement", "in", names], ["Review", "docstatus", "<", 2]]
	reviews = {
		r.placement: r.reviews
		for r in reporting.scoped_list(
			"Review",
			["placement", "count(name) as reviews"],
			of_placements,
			"placement asc",
			group_by="placement",
		)
	}
	held = {
		r.placement: r.held
		for r in reporting.scoped_list(
			"Review",
			["placement", "max(review_date) as held"],
			[
				["Review", "placement", "in", names],
				["Review", "docstatus", "=", 1],
				["Review", "review_type", "=", ANNUAL_REVIEW],
			],
			"placement asc",
			group_by="placement",
		)
	}
	invited = {
		r.placement: r.invited
		for r in reporting.scoped_list(
			"Review",
			["placement", "count(distinct `tabReview`.`name`) as invited"],
			[
				*of_placements,
				["Review Attendee", "attendee_role", "=", "SEND Caseworker"],
				["Review Attendee", "invited", "=", 1],
				# the attendee rows a restricted user may read, as reporting.scoped_child_list
				*reporting.user_permission_filters("Review Attendee"),
			],
			"placement asc",
			group_by="placement",
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
	newest_advice = {
		a.parent: a.newest
		for a in reporting.scoped_child_list(
			"EHC Professional Advice",
			"EHC Assessment",
			["parent", "max(advice_date) as newest"],
			[["EHC Professional Advice", "parent", "in", [a for a in assessments.values() if a] or [""]]],
			order_by="parent asc",
			group_by="parent",
		)
	}
	advice_status = AdviceStatus(on, get_settings())
	for p in placements:
		pupil = pupils.get(p.pupil) or frappe._dict()
		end = p.actual_end_date or p.planned_end_date
		due = pupil.next_annual_review_due
		p.next_annual_review_due = due
		p.review_due_in_placement = int(bool(due and end and p.start_date <= due <= end))
		p.annual_review_held = held.get(p.name)
		p.annual_review_missing = int(
			p.review_due_in_placement and not p.annual_review_held and due is not None and due < on
		)
		p.reviews = reviews.get(p.name, 0)
		p.caseworker_invited = invited.get(p.name, 0)
		p.caseworker_not_invited = p.reviews - p.caseworker_invited
		advice = newest_advice.get(assessments.get(p.referral))
		p.newest_advice = advice
		p.advice_age_days = (on - advice).days if advice else None
		p.advice_status = advice_status(advice)
	if filters.get("problems_only"):
		stale = stale_labels()
		placements = [p for p in placements if has_problem(p, stale)]
	return placements


ADVICE_STATUSES = ("Current", "Ageing", "Out of date", "None recorded")
STALE = ("Out of date", "None recorded")


class AdviceStatus:
	"""How recent a placement's newest advice is on a date: the cut-offs from AP Settings and
	the translated labels worked out once per run, not once per placement."""

	def __init__(self, on, settings):
		self.out_of_date_before = ehc.months_before(on, settings.advice_window_months or 12)
		self.ageing_before = ehc.months_before(on, settings.advice_warning_months or 6)
		self.label = {status: _(status) for status in ADVICE_STATUSES}

	def __call__(self, advice) -> str:
		if not advice:
			return self.label["None recorded"]
		if advice < self.out_of_date_before:
			return self.label["Out of date"]
		if advice < self.ageing_before:
			return self.label["Ageing"]
		return self.label["Current"]


def stale_labels() -> set[str]:
	return {_(status) for status in STALE}


def has_problem(p, stale: set[str] | None = None) -> bool:
	return bool(
		p.annual_review_missing or p.caseworker_not_invited or p.advice_status in (stale or stale_labels())
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
	statuses = [_(s) for s in ADVICE_STATUSES]
	counted = {s: 0 for s in statuses}
	for r in rows:
		counted[r.advice_status] = counted.get(r.advice_status, 0) + 1
	counts = [counted[s] for s in statuses]
	return {
		"data": {"labels": statuses, "datasets": [{"name": _("Placements"), "values": counts}]},
		"type": "pie",
	}


def report_summary(rows) -> list[dict]:
	missing = sum(r.annual_review_missing for r in rows)
	not_invited = sum(1 for r in rows if r.caseworker_not_invited)
	stale_label = stale_labels()
	stale = sum(1 for r in rows if r.advice_status in stale_label)
	return [
		reporting.summary(_("EHC Placements"), len(rows)),
		reporting.summary(
			_("Annual Reviews Due in Placement"), sum(r.review_due_in_placement for r in rows), "Orange"
		),
		reporting.summary(_("Annual Reviews Missing"), missing, "Red" if missing else "Green"),
		reporting.summary(_("Caseworker Not Invited"), not_invited, "Red" if not_invited else "Green"),
		reporting.summary(_("Advice Out of Date"), stale, "Red" if stale else "Green"),
	]
