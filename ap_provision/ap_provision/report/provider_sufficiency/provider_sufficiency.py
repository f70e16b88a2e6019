# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""Are there enough AP places? For each panel in range and each key stage: the places
active providers offer, the places already in use on the panel's date (running placements,
and approved referrals not yet placed), the referrals on its agenda, what it approved, and
the places left after it."""

from datetime import date, timedelta

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
	days = [getdate(p.panel_date) for p in panels]
	capacity = provider_capacity(filters)
	places = held_places(filters, min(days, default=None), max(days, default=None))
	agenda = agenda_counts(filters, bool(panels))
	# Grouped once, so each panel and key stage reads only its own rows.
	places_of = {}
	for p in places:
		places_of.setdefault(p.key_stage, []).append(p)
	in_use = {ks: sufficiency.in_use_counts(places_of.get(ks, []), days) for ks in key_stages}
	rows = []
	for panel, day in zip(panels, days, strict=True):
		for ks in key_stages:
			on_agenda, approved_here = agenda.get((panel.name, ks), (0, 0))
			cycle = sufficiency.cycle(
				capacity=capacity.get(ks, 0),
				in_use=in_use[ks][day],
				on_agenda=on_agenda,
				approved_here=approved_here,
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


# Placements that have not ended carry no end date (the controller sets it when one ends).
RUNNING = ("Active", "Reintegrating")
NO_PANEL = date(1900, 1, 1)


def held_places(filters, first: date | None, last: date | None) -> list[sufficiency.Place]:
	"""Places taken at the providers that may be in use on a panel day between `first` and
	`last` (the panels in range; none: no place is read): a placement holds its place from
	its start to its actual (or planned) end; an approved referral not yet placed holds one
	from the panel's decision to its expected start plus the placement length in AP Settings.

	Only the places that overlap the panels' dates are read (the filters below are a little
	wider than "in use", the sweep in `sufficiency.in_use_counts` is exact). Three queries:
	the placements, the approved referrals, and which of those referrals have a placement
	among the placements not read.

	A placement that has ended carries its end date (the controller sets it): one that is
	neither running nor ended after `first` was no longer in use on any of these days."""
	weeks = get_settings().placement_weeks or 16
	if not first or not last:
		first = last = NO_PANEL  # read nothing, in as many queries
	provider = [["provider", "=", filters.provider]] if filters.get("provider") else []
	placements = reporting.scoped_list(
		"Placement",
		["referral", "key_stage", "start_date", "planned_end_date", "actual_end_date"],
		[
			["Placement", "status", "!=", "Planned"],
			["Placement", "start_date", "<", last],
			*[["Placement", *f] for f in provider],
		],
		or_filters=[["Placement", "status", "in", RUNNING], ["Placement", "actual_end_date", ">", first]],
	)
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
	# an approved referral's place ends `weeks` after its expected start (or its decision)
	ends_after = first - timedelta(weeks=weeks)
	conditions = [
		["Referral", "workflow_state", "=", "Approved"],
		["Referral", "docstatus", "=", 1],
		["Referral", "decided_on", "<", last],
		*[["Referral", *f] for f in provider],
	]
	approved = reporting.scoped_list(
		"Referral",
		["name", "key_stage", "decided_on", "expected_start_date"],
		conditions,
		or_filters=[
			["Referral", "expected_start_date", ">", ends_after],
			["Referral", "decided_on", ">", ends_after],
		],
	)
	# the approved referrals with a placement: those among the placements read, and the others asked
	placed = {p.referral for p in placements}
	placed.update(
		p.referral
		for p in reporting.scoped_list(
			"Placement",
			["referral"],
			[
				["Placement", "referral", "in", [r.name for r in approved if r.name not in placed] or [""]],
				["Placement", "status", "!=", "Planned"],
			],
		)
	)
	for r in approved:
		if r.decided_on and r.name not in placed:
			places.append(
				sufficiency.Place(
					key_stage=r.key_stage,
					taken_on=getdate(r.decided_on),
					ends_on=sufficiency.planned_end(getdate(r.expected_start_date or r.decided_on), weeks),
				)
			)
	return places


def agenda_counts(filters, any_panel: bool) -> dict[tuple[str, str], tuple[int, int]]:
	"""(panel, key stage) -> (referrals on the agenda, approved there), counted in the
	database. Every referral on the agendas is demand for a place, whichever provider the
	report is narrowed to (the provider filter narrows places and approvals only). The rows
	are read through the panels in range (Frappe's parent list with child fields), with the
	user's User Permissions on the rows' own links, as in reporting.scoped_child_list."""
	if not any_panel:
		return {}
	table = "`tabPanel Agenda Item`"
	group = [f"{table}.parent", f"{table}.key_stage", f"{table}.decision"]
	if filters.get("provider"):
		group.append(f"{table}.provider")
	counts: dict[tuple[str, str], list[int]] = {}
	for g in reporting.scoped_list(
		"Panel",
		[
			f"{table}.parent as panel",
			f"{table}.key_stage as key_stage",
			f"{table}.decision as decision",
			*([f"{table}.provider as provider"] if filters.get("provider") else []),
			f"count({table}.name) as referrals",
		],
		[
			*reporting.date_range_filters(filters, "panel_date", "Panel"),
			["Panel Agenda Item", "name", "is", "set"],
			*reporting.user_permission_filters("Panel Agenda Item"),
		],
		order_by=f"{table}.parent asc",
		group_by=", ".join(group),
	):
		pair = counts.setdefault((g.panel, g.key_stage), [0, 0])
		pair[0] += g.referrals
		if g.decision == "Approved" and (not filters.get("provider") or g.provider == filters.provider):
			pair[1] += g.referrals
	return {key: (n, approved) for key, (n, approved) in counts.items()}


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
