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
	groups, counts = count_outcomes(filters, GROUPS[group_by][0])
	rows = [make_row(key, groups[key]) for key in sorted(groups)]
	total = make_row(_("Total"), counts)
	total.bold = 1
	data = [*rows, total] if rows else []
	return columns(group_by), data, None, chart(rows), report_summary(total)


ENDED = ["Completed", "Ended Early", "Transitioned"]
INTERVENTION = "Intervention Placement"


def count_outcomes(filters, field: str) -> tuple[dict[str, dict], dict]:
	"""The counts of each group (by `field`) and of all placements that ended in the range,
	counted in the database: the placements by group, type and status (each such set has
	one outcome unless a review changed it), those extended from another, and then, one by
	one, only the few placements a review re-referred or extended. Four queries."""
	conditions = [
		["Placement", "status", "in", ENDED],
		*reporting.date_range_filters(filters, "actual_end_date", "Placement"),
		*reporting.equality_filters(filters, "Placement", ("provider", "key_stage", "school")),
	]
	groups: dict[str, dict] = {}
	total = new_counts()
	not_recorded = _("Not recorded")

	def counts_of(key):
		key = key or not_recorded
		if key not in groups:
			groups[key] = new_counts()
		return groups[key], total

	for g in reporting.scoped_list(
		"Placement",
		[
			f"{field} as `key`",
			"placement_type",
			"status",
			"count(name) as placements",
			"sum(datediff(`tabPlacement`.`actual_end_date`, `tabPlacement`.`start_date`)) as days",
		],
		conditions,
		order_by=f"{field} asc",
		group_by=f"{field}, placement_type, status",
	):
		outcome = default_outcome(g.placement_type, g.status)
		for counts in counts_of(g.key):
			counts["ended"] += g.placements
			counts[outcome] += g.placements
			if g.placement_type == INTERVENTION:
				counts["intervention"] += g.placements
			if outcome == "reintegrated":
				counts["days_total"] += int(g.days or 0)
	for g in reporting.scoped_list(
		"Placement",
		[f"{field} as `key`", "count(name) as placements"],
		[*conditions, ["Placement", "extended_from", "is", "set"]],
		order_by=f"{field} asc",
		group_by=field,
	):
		for counts in counts_of(g.key):
			counts["extended"] += g.placements
	# the reviews whose outcome changes a count, and the placements in range they belong to
	outcomes: dict[str, set] = {}
	review_conditions = [["Review", "docstatus", "=", 1], ["Review", "outcome", "in", OUTCOMES_READ]]
	if filters.get("to_date"):
		review_conditions.append(["Review", "review_date", "<=", getdate(filters.to_date)])
	for review in reporting.scoped_list("Review", ["placement", "outcome"], review_conditions):
		outcomes.setdefault(review.placement, set()).add(review.outcome)
	for p in reporting.scoped_list(
		"Placement",
		["name", field, "placement_type", "status", "start_date", "actual_end_date", "extended_from"],
		[*conditions, ["Placement", "name", "in", list(outcomes) or [""]]],
	):
		default = default_outcome(p.placement_type, p.status)
		classify(p, outcomes[p.name])
		for counts in counts_of(p.get(field)):
			if p.outcome != default:
				counts[default] -= 1
				counts[p.outcome] += 1
				if default == "reintegrated" and p.days is not None:
					counts["days_total"] -= p.days
			if p.extended and not p.extended_from:
				counts["extended"] += 1
	return groups, total


def default_outcome(placement_type: str | None, status: str) -> str:
	"""How a placement ended when no review re-referred it (`classify`)."""
	if status == "Ended Early":
		return "ended_early"
	if placement_type == INTERVENTION:
		return "reintegrated"
	return "pathway_completed"


def classify(p, review_outcomes: set):
	"""One outcome per ended placement, plus whether it was extended on the way."""
	p.extended = int(bool(p.extended_from) or "Extend" in review_outcomes)
	if "Re-refer to BOSS" in review_outcomes:
		p.outcome = "re_referred"
	else:
		p.outcome = default_outcome(p.placement_type, p.status)
	p.days = date_diff(p.actual_end_date, p.start_date) if p.actual_end_date and p.start_date else None


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
