# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""What panels decided: approved, declined and deferred referrals and the approval rate,
per panel, school, key stage or provider. Decisions come from the panels' agendas, so a
referral deferred at one panel and approved at the next counts at both."""

import frappe
from frappe import _

from ap_provision import reporting
from ap_provision.rules.panels import DECISIONS

GROUPS = {
	"Panel": ("panel", _("Panel"), "Link", "Panel"),
	"School": ("school", _("School"), "Link", "School"),
	"Key Stage": ("key_stage", _("Key Stage"), "Data", None),
	"Provider": ("provider", _("Provider"), "Link", "AP Provider"),
}


# Reads only: Frappe routes it to a read replica when the site has one (read_from_replica).
@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Panel"
	if group_by not in GROUPS:
		frappe.throw(_("Group the report by Panel, School, Key Stage or Provider."))
	items = get_items(filters, group_by)
	rows = group_rows(items, group_by)
	total = total_row(rows)
	data = [*rows, total] if rows else []
	return columns(group_by), data, None, chart(rows, group_by), report_summary(total)


def get_items(filters, group_by: str = "Panel") -> list[dict]:
	"""Agenda rows of the panels in range that the user may read, counted in the database per
	group and decision (one row per pair, with the late and EHC rows among them), so the
	report reads as many rows as it shows, not one per referral.

	The rows are read through the panels (their dates), as Frappe lists a child table with
	its parent, so the database goes from the panels in range to their agenda rows rather
	than looking through every agenda row for a list of panels; the user's User Permissions
	apply to the rows' own links (school, provider, ...) as in reporting.scoped_child_list."""
	panel_filters = reporting.date_range_filters(filters, "panel_date", "Panel")
	panels = {
		p.name: p.panel_date
		for p in reporting.scoped_list("Panel", ["name", "panel_date"], panel_filters, "panel_date asc")
	}
	if not panels:
		return []
	table = "`tabPanel Agenda Item`"
	key = f"{table}.{'parent' if group_by == 'Panel' else GROUPS[group_by][0]}"
	items = reporting.scoped_list(
		"Panel",
		[
			f"{key} as `key`",
			# one school's name (the rows of a group share it when grouped by school, the only
			# grouping that shows it)
			f"{table}.school_name as school_name",
			f"{table}.decision as decision",
			f"count({table}.name) as referrals",
			f"sum({table}.late_referral) as late",
			f"sum({table}.has_ehc_plan) as ehc",
		],
		[
			*panel_filters,
			["Panel Agenda Item", "name", "is", "set"],
			*reporting.equality_filters(filters, "Panel Agenda Item", ("school", "key_stage", "provider")),
			*reporting.user_permission_filters("Panel Agenda Item"),
		],
		order_by=f"{key} asc",
		group_by=f"{key}, {table}.decision",
	)
	for item in items:
		item.panel_date = panels.get(item.key)
	return items


def new_group(key, label=None) -> frappe._dict:
	row = frappe._dict(group=key, label=label or key, heard=0, pending=0, late=0, ehc=0)
	for decision in DECISIONS:
		row[decision.lower()] = 0
	return row


def group_rows(items, group_by: str) -> list[dict]:
	field = GROUPS[group_by][0]
	groups: dict[str, frappe._dict] = {}
	for item in items:
		key = item.key or _("Not recorded")
		if key not in groups:
			groups[key] = new_group(key, item.school_name if field == "school" else None)
			if field == "panel":
				groups[key].panel_date = item.panel_date
		row = groups[key]
		if item.decision in DECISIONS:
			row[item.decision.lower()] += item.referrals
			row.heard += item.referrals
		else:
			row.pending += item.referrals
		row.late += int(item.late or 0)
		row.ehc += int(item.ehc or 0)
	rows = list(groups.values())
	if field == "panel":
		rows.sort(key=lambda r: str(r.panel_date))
	else:
		rows.sort(key=lambda r: str(r.group))
	for row in rows:
		set_rates(row)
	return rows


def set_rates(row):
	row.approval_rate = reporting.rate(row.approved, row.heard)
	row.deferral_rate = reporting.rate(row.deferred, row.heard)


def total_row(rows) -> frappe._dict:
	total = new_group(_("Total"))
	total.bold = 1
	for row in rows:
		for key in ("heard", "pending", "late", "ehc", *(d.lower() for d in DECISIONS)):
			total[key] += row[key]
	set_rates(total)
	return total


def columns(group_by: str) -> list[dict]:
	_field, label, fieldtype, options = GROUPS[group_by]
	cols = [{"label": label, "fieldname": "group", "fieldtype": fieldtype, "options": options, "width": 170}]
	if group_by == "Panel":
		cols.append({"label": _("Panel Date"), "fieldname": "panel_date", "fieldtype": "Date", "width": 100})
	if group_by == "School":
		cols.append({"label": _("School Name"), "fieldname": "label", "fieldtype": "Data", "width": 170})
	cols += [
		{"label": _("Decided"), "fieldname": "heard", "fieldtype": "Int", "width": 80},
		{"label": _("Approved"), "fieldname": "approved", "fieldtype": "Int", "width": 90},
		{"label": _("Declined"), "fieldname": "declined", "fieldtype": "Int", "width": 90},
		{"label": _("Deferred"), "fieldname": "deferred", "fieldtype": "Int", "width": 90},
		{"label": _("Awaiting Decision"), "fieldname": "pending", "fieldtype": "Int", "width": 100},
		{"label": _("Approval Rate"), "fieldname": "approval_rate", "fieldtype": "Percent", "width": 100},
		{"label": _("Deferral Rate"), "fieldname": "deferral_rate", "fieldtype": "Percent", "width": 100},
		{"label": _("Late Referrals"), "fieldname": "late", "fieldtype": "Int", "width": 90},
		{"label": _("With EHC Plan"), "fieldname": "ehc", "fieldtype": "Int", "width": 90},
	]
	return cols


def chart(rows, group_by: str):
	if not rows:
		return None
	labels = [str(r.panel_date) if group_by == "Panel" else str(r.label) for r in rows]
	return reporting.bar_chart(
		labels,
		[(_(d), [r[d.lower()] for r in rows]) for d in DECISIONS],
		stacked=True,
	)


def report_summary(total) -> list[dict]:
	return [
		reporting.summary(_("Decided"), total.heard),
		reporting.summary(_("Approved"), total.approved, "Green"),
		reporting.summary(_("Declined"), total.declined, "Red"),
		reporting.summary(_("Deferred"), total.deferred, "Orange"),
		reporting.summary(_("Approval Rate"), total.approval_rate, "Green", "Percent"),
	]
