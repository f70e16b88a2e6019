# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""R12 in figures: KS4 pupils with EHC plans placed in AP, by school and term. A 5-day
placement ceases the school's EHC plan funding from its start (AWPU stays); fewer days
keep it."""

import frappe
from frappe import _

from ap_provision import reporting


# Reads only: Frappe routes it to a read replica when the site has one (read_from_replica).
@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	groups, counts = count_placements(filters)
	keys = sorted(groups, key=lambda k: (reporting.term_sort_key(k[2]), str(k[0])))
	rows = [make_row(frappe._dict(school=k[0], school_name=k[1], term=k[2]), groups[k]) for k in keys]
	total = make_row(frappe._dict(school=None, school_name=_("Total"), term="", bold=1), counts)
	data = [*rows, total] if rows else []
	return columns(), data, None, chart(rows), report_summary(total)


# The term a placement counts in: its funding change (or its start) by school term,
# reporting.term_of in SQL: Spring (January-March) 0, Summer (April-August) 1, Autumn 2.
TERM_DAY = "ifnull(`ehc_funding_ceased_from`, `start_date`)"
SEASONS = ("Spring", "Summer", "Autumn")


def count_placements(filters) -> tuple[dict[tuple, list[int]], list[int]]:
	"""[placements, EHC funding ceased, AWPU retained] of each school and term, counted in the
	database (one row per school and term), and of all placements."""
	conditions = [
		["Placement", "key_stage", "=", "KS4"],
		["Placement", "has_ehc_plan", "=", 1],
		["Placement", "status", "!=", "Planned"],
		*reporting.date_range_filters(filters, "start_date", "Placement"),
		*reporting.equality_filters(filters, "Placement", ("school", "provider")),
	]
	groups: dict[tuple, list[int]] = {}
	total = [0, 0, 0]
	for g in reporting.scoped_list(
		"Placement",
		[
			"school",
			"school_name",
			f"year({TERM_DAY}) as term_year",
			f"(month({TERM_DAY}) >= 4) + (month({TERM_DAY}) >= 9) as season",
			"count(name) as placements",
			# Ceased during the placement: the timeline keeps when, after funding is restored.
			"sum(greatest(ifnull(ehc_funding_ceased, 0), ehc_funding_ceased_from is not null)) as ceased",
			"sum(awpu_retained) as retained",
		],
		conditions,
		order_by="school asc",
		group_by="school, school_name, term_year, season",
	):
		counts = [int(g.placements), int(g.ceased or 0), int(g.retained or 0)]
		key = (g.school, g.school_name, f"{SEASONS[int(g.season)]} {g.term_year}")
		group = groups.setdefault(key, [0, 0, 0])
		for i, n in enumerate(counts):
			group[i] += n
			total[i] += n
	return groups, total


def make_row(row, counts: list[int]):
	row.placements, row.funding_ceased, row.awpu_retained = counts
	row.funding_continues = row.placements - row.funding_ceased
	row.ceased_share = reporting.rate(row.funding_ceased, row.placements)
	return row


def columns() -> list[dict]:
	return [
		{"label": _("School"), "fieldname": "school", "fieldtype": "Link", "options": "School", "width": 90},
		{"label": _("School Name"), "fieldname": "school_name", "fieldtype": "Data", "width": 180},
		{"label": _("Term"), "fieldname": "term", "fieldtype": "Data", "width": 110},
		{"label": _("KS4 EHC Placements"), "fieldname": "placements", "fieldtype": "Int", "width": 120},
		{
			"label": _("5 Days: EHC Funding Ceased"),
			"fieldname": "funding_ceased",
			"fieldtype": "Int",
			"width": 150,
		},
		{
			"label": _("Part Week: EHC Funding Continues"),
			"fieldname": "funding_continues",
			"fieldtype": "Int",
			"width": 170,
		},
		{"label": _("AWPU Retained"), "fieldname": "awpu_retained", "fieldtype": "Int", "width": 110},
		{"label": _("Share Ceased"), "fieldname": "ceased_share", "fieldtype": "Percent", "width": 100},
	]


def chart(rows):
	if not rows:
		return None
	terms: dict[str, list[int]] = {}
	for row in rows:
		ceased, continues = terms.setdefault(row.term, [0, 0])
		terms[row.term] = [ceased + row.funding_ceased, continues + row.funding_continues]
	labels = sorted(terms, key=reporting.term_sort_key)
	return reporting.bar_chart(
		labels,
		[
			(_("EHC funding ceased"), [terms[t][0] for t in labels]),
			(_("EHC funding continues"), [terms[t][1] for t in labels]),
		],
		stacked=True,
	)


def report_summary(total) -> list[dict]:
	return [
		reporting.summary(_("KS4 EHC Placements"), total.placements),
		reporting.summary(_("EHC Funding Ceased"), total.funding_ceased, "Red"),
		reporting.summary(_("EHC Funding Continues"), total.funding_continues, "Green"),
		reporting.summary(_("AWPU Retained"), total.awpu_retained, "Blue"),
	]
