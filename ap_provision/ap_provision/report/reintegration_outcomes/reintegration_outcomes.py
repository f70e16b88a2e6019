# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""How placements ended: reintegrated (KS1-3), pathway completed or transitioned (KS4),
re-referred to BOSS, ended early; how many were extended; and how long reintegration
took, by provider or key stage, for placements that ended in the date range."""

import frappe
from frappe import _
from frappe.utils import date_diff, flt, getdate

from ap_provision import reporting

GROUPS = {"Provider": ("provider", "Link", "AP Provider"), "Key Stage": ("key_stage", "Data", None)}
# The review outcomes that change how a placement is counted (`classify`): only these are read.
OUTCOMES_READ = ("Extend", "Re-refer to BOSS")
COUNTS = ("ended", "reintegrated", "pathway_completed", "re_referred", "ended_early", "extended")


# Reads only: Frappe routes it to a read replica when the site has one (read_from_replica).
@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Provider"
	if group_by not in GROUPS:
		frappe.throw(_("Group the report by Provider or Key Stage."))
	placements = get_placements(filters)
	groups, counts = tally(placements, GROUPS[group_by][0])
	rows = [make_row(key, groups[key]) for key in sorted(groups)]
	total = make_row(_("Total"), counts)
	total.bold = 1
	data = [*rows, total] if rows else []
	return columns(group_by), data, None, chart(rows), report_summary(total)


def get_placements(filters) -> list:
	conditions = [
		["Placement", "status", "in", ["Completed", "Ended Early", "Transitioned"]],
		*reporting.date_range_filters(filters, "actual_end_date", "Placement"),
		*reporting.equality_filters(filters, "Placement", ("provider", "key_stage", "school")),
	]
	placements = reporting.scoped_list(
		"Placement",
		[
			"name",
			"provider",
			"key_stage",
			"placement_type",
			"status",
			"start_date",
			"actual_end_date",
			"extended_from",
		],
		conditions,
	)
	outcomes: dict[str, set] = {}
	if placements:
		for review in reporting.scoped_list(
			"Review",
			["placement", "outcome"],
			[
				["Review", "placement", "in", [p.name for p in placements]],
				["Review", "docstatus", "=", 1],
				["Review", "outcome", "in", OUTCOMES_READ],
			],
		):
			outcomes.setdefault(review.placement, set()).add(review.outcome)
	for p in placements:
		classify(p, outcomes.get(p.name, set()))
	return placements


def classify(p, review_outcomes: set):
	"""One outcome per ended placement, plus whether it was extended on the way."""
	p.extended = int(bool(p.extended_from) or "Extend" in review_outcomes)
	if "Re-refer to BOSS" in review_outcomes:
		p.outcome = "re_referred"
	elif p.status == "Ended Early":
		p.outcome = "ended_early"
	elif p.placement_type == "Intervention Placement":
		p.outcome = "reintegrated"
	else:
		p.outcome = "pathway_completed"
	p.days = date_diff(p.actual_end_date, p.start_date) if p.actual_end_date and p.start_date else None


def tally(placements, field: str) -> tuple[dict[str, dict], dict]:
	"""The counts of each group (by `field`) and of all placements, in one pass."""
	groups: dict[str, dict] = {}
	total = new_counts()
	not_recorded = _("Not recorded")
	for p in placements:
		key = p.get(field) or not_recorded
		group = groups.get(key)
		if group is None:
			group = groups[key] = new_counts()
		for counts in (group, total):
			counts["ended"] += 1
			counts[p.outcome] += 1
			counts["extended"] += p.extended
			if p.placement_type == "Intervention Placement":
				counts["intervention"] += 1
			if p.outcome == "reintegrated" and p.days is not None:
				counts["days_total"] += p.days
	return groups, total


def new_counts() -> dict:
	return dict.fromkeys((*COUNTS, "intervention", "days_total"), 0)


def make_row(key, counts: dict) -> frappe._dict:
	"""A report row: the counts, the reintegration rate (of the intervention placements, the
	only ones that can reintegrate) and the average days to reintegration."""
	row = frappe._dict(group=key, **{field: counts[field] for field in COUNTS})
	row.reintegration_rate = reporting.rate(row.reintegrated, counts["intervention"])
	row.avg_days_to_reintegration = (
		flt(counts["days_total"] / row.reintegrated, 1) if row.reintegrated else None
	)
	return row


def columns(group_by: str) -> list[dict]:
	_field, fieldtype, options = GROUPS[group_by]
	return [
		{
			"label": _(group_by),
			"fieldname": "group",
			"fieldtype": fieldtype,
			"options": options,
			"width": 190,
		},
		{"label": _("Ended"), "fieldname": "ended", "fieldtype": "Int", "width": 80},
		{"label": _("Reintegrated"), "fieldname": "reintegrated", "fieldtype": "Int", "width": 100},
		{
			"label": _("KS4 Pathway Completed"),
			"fieldname": "pathway_completed",
			"fieldtype": "Int",
			"width": 120,
		},
		{"label": _("Re-referred to BOSS"), "fieldname": "re_referred", "fieldtype": "Int", "width": 110},
		{"label": _("Ended Early"), "fieldname": "ended_early", "fieldtype": "Int", "width": 100},
		{"label": _("Extended"), "fieldname": "extended", "fieldtype": "Int", "width": 90},
		{
			"label": _("Reintegration Rate"),
			"fieldname": "reintegration_rate",
			"fieldtype": "Percent",
			"width": 110,
		},
		{
			"label": _("Average Days to Reintegration"),
			"fieldname": "avg_days_to_reintegration",
			"fieldtype": "Float",
			"width": 140,
		},
	]


def chart(rows):
	if not rows:
		return None
	series = (
		("reintegrated", _("Reintegrated")),
		("pathway_completed", _("KS4 Pathway Completed")),
		("re_referred", _("Re-referred")),
		("ended_early", _("Ended Early")),
	)
	return reporting.bar_chart(
		[str(r.group) for r in rows], [(label, [r[key] for r in rows]) for key, label in series], stacked=True
	)


def report_summary(total) -> list[dict]:
	return [
		reporting.summary(_("Placements Ended"), total.ended),
		reporting.summary(_("Reintegrated"), total.reintegrated, "Green"),
		reporting.summary(_("Reintegration Rate"), total.reintegration_rate, "Green", "Percent"),
		reporting.summary(_("Re-referred"), total.re_referred, "Orange"),
		reporting.summary(_("Ended Early"), total.ended_early, "Red"),
		reporting.summary(
			_("Average Days to Reintegration"), total.avg_days_to_reintegration or 0, "Blue", "Float"
		),
	]
