# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""Are there enough AP places? For each panel in range and each key stage: the places
active providers offer, the places already in use on the panel's date (running placements,
and approved referrals not yet placed), the referrals on its agenda, what it approved, and
the places left after it."""

import frappe
from frappe import _
from frappe.utils import getdate

from ap_provision import reporting
from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.rules import sufficiency


# Reads only: Frappe routes it to a read replica when the site has one (read_from_replica).
@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	key_stages = [filters.key_stage] if filters.get("key_stage") else list(reporting.KEY_STAGES)
	panels = reporting.scoped_list(
		"Panel",
		["name", "panel_date", "status"],
		reporting.date_range_filters(filters, "panel_date", "Panel"),
		"panel_date asc",
	)
	capacity = provider_capacity(filters)
	places = held_places(filters)
	agenda = agenda_items(filters, [p.name for p in panels])
	# Grouped once, so each panel and key stage reads only its own rows.
	agenda_of, places_of = {}, {}
	for i in agenda:
		agenda_of.setdefault((i.parent, i.key_stage), []).append(i)
	for p in places:
		places_of.setdefault(p.key_stage, []).append(p)
	days = [getdate(p.panel_date) for p in panels]
	in_use = {ks: sufficiency.in_use_counts(places_of.get(ks, []), days) for ks in key_stages}
	rows = []
	for panel, day in zip(panels, days, strict=True):
		for ks in key_stages:
			items = agenda_of.get((panel.name, ks), [])
			cycle = sufficiency.cycle(
				capacity=capacity.get(ks, 0),
				in_use=in_use[ks][day],
				on_agenda=len(items),
				approved_here=sum(
					1
					for i in items
					if i.decision == "Approved"
					and (not filters.get("provider") or i.provider == filters.provider)
				),
			)
			rows.append(
				frappe._dict(
					panel=panel.name, panel_date=panel.panel_date, status=panel.status, key_stage=ks, **cycle
				)
			)
	return columns(), rows, None, chart(rows), report_summary(rows)


def provider_capacity(filters) -> dict[str, int]:
	"""Places per key stage across the active providers the user may see (one query)."""
	fields = ["name"] + [f"serves_{ks.lower()}" for ks in reporting.KEY_STAGES]
	fields += [f"capacity_{ks.lower()}" for ks in reporting.KEY_STAGES]
	conditions = [["AP Provider", "is_active", "=", 1]]
	if filters.get("provider"):
		conditions.append(["AP Provider", "name", "=", filters.provider])
	totals = dict.fromkeys(reporting.KEY_STAGES, 0)
	for provider in reporting.scoped_list("AP Provider", fields, conditions):
		for ks in reporting.KEY_STAGES:
			if provider.get(f"serves_{ks.lower()}"):
				totals[ks] += provider.get(f"capacity_{ks.lower()}") or 0
	return totals


def held_places(filters) -> list[sufficiency.Place]:
	"""Places taken at the providers: a placement holds its place from its start to its actual
	(or planned) end; an approved referral not yet placed holds one from the panel's decision
	to its expected start plus the placement length in AP Settings. Two queries."""
	weeks = get_settings().placement_weeks or 16
	provider = [["provider", "=", filters.provider]] if filters.get("provider") else []
	placements = reporting.scoped_list(
		"Placement",
		["referral", "key_stage", "status", "start_date", "planned_end_date", "actual_end_date"],
		[["Placement", "status", "!=", "Planned"], *[["Placement", *f] for f in provider]],
	)
	placed = {p.referral for p in placements}
	places = [
		sufficiency.Place(
			key_stage=p.key_stage,
			taken_on=getdate(p.start_date),
			ends_on=getdate(p.actual_end_date or p.planned_end_date)
			if (p.actual_end_date or p.planned_end_date)
			else None,
		)
		for p in placements
		if p.start_date
	]
	conditions = [["Referral", "workflow_state", "=", "Approved"], ["Referral", "docstatus", "=", 1]]
	conditions += [["Referral", *f] for f in provider]
	for r in reporting.scoped_list(
		"Referral", ["name", "key_stage", "decided_on", "expected_start_date"], conditions
	):
		if r.decided_on and r.name not in placed:
			places.append(
				sufficiency.Place(
					key_stage=r.key_stage,
					taken_on=getdate(r.decided_on),
					ends_on=sufficiency.planned_end(getdate(r.expected_start_date or r.decided_on), weeks),
				)
			)
	return places


def agenda_items(filters, panels: list[str]) -> list:
	"""Every referral on the panels' agendas: the demand for places, whichever provider the
	report is narrowed to (the provider filter narrows places and approvals only)."""
	if not panels:
		return []
	return reporting.scoped_child_list(
		"Panel Agenda Item",
		"Panel",
		["parent", "key_stage", "decision", "provider"],
		[["Panel Agenda Item", "parent", "in", panels]],
	)


def columns() -> list[dict]:
	return [
		{"label": _("Panel"), "fieldname": "panel", "fieldtype": "Link", "options": "Panel", "width": 150},
		{"label": _("Panel Date"), "fieldname": "panel_date", "fieldtype": "Date", "width": 100},
		{"label": _("Panel Status"), "fieldname": "status", "fieldtype": "Data", "width": 110},
		{"label": _("Key Stage"), "fieldname": "key_stage", "fieldtype": "Data", "width": 80},
		{"label": _("Capacity"), "fieldname": "capacity", "fieldtype": "Int", "width": 90},
		{"label": _("Places in Use"), "fieldname": "in_use", "fieldtype": "Int", "width": 100},
		{"label": _("Free Before Panel"), "fieldname": "free_before", "fieldtype": "Int", "width": 110},
		{"label": _("On Agenda"), "fieldname": "on_agenda", "fieldtype": "Int", "width": 90},
		{"label": _("Approved"), "fieldname": "approved", "fieldtype": "Int", "width": 90},
		{"label": _("Free After Panel"), "fieldname": "free_after", "fieldtype": "Int", "width": 110},
		{"label": _("Utilisation"), "fieldname": "utilisation", "fieldtype": "Percent", "width": 100},
	]


def chart(rows):
	if not rows:
		return None
	dates, capacity, used = [], {}, {}
	for row in rows:
		label = str(row.panel_date)
		if label not in capacity:
			dates.append(label)
			capacity[label] = used[label] = 0
		capacity[label] += row.capacity
		used[label] += row.in_use + row.approved
	return {
		"data": {
			"labels": dates,
			"datasets": [
				{"name": _("Capacity"), "values": [capacity[d] for d in dates], "chartType": "line"},
				{"name": _("Places Used"), "values": [used[d] for d in dates], "chartType": "bar"},
			],
		},
		"type": "axis-mixed",
	}


def report_summary(rows) -> list[dict]:
	if not rows:
		return []
	short = [r for r in rows if r.free_after < 0]
	tightest = min(rows, key=lambda r: r.free_after)
	return [
		reporting.summary(_("Panel Cycles"), len({r.panel for r in rows})),
		reporting.summary(
			_("Cycles Over Capacity"),
			len({(r.panel, r.key_stage) for r in short}),
			"Red" if short else "Green",
		),
		reporting.summary(
			_("Fewest Free Places ({0}, {1})").format(tightest.key_stage, tightest.panel_date),
			tightest.free_after,
			"Red" if tightest.free_after < 0 else "Orange" if tightest.free_after == 0 else "Green",
		),
	]
