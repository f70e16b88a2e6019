"""Helpers shared by the app's script reports.

Every report reads through ``frappe.get_list`` so that role permissions and User
Permissions (a school user sees only its school, a provider user only its provider) apply
exactly as they do on the list views; each report issues a fixed number of queries and
does its grouping in Python.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate

KEY_STAGES = ("KS1", "KS2", "KS3", "KS4")


def scoped_list(
	doctype: str,
	fields: list[str],
	filters=None,
	order_by: str | None = None,
	or_filters=None,
	group_by: str | None = None,
) -> list:
	"""Rows of `doctype` the session user may read (one query); `or_filters`: conditions of
	which one must hold, on top of `filters`."""
	return frappe.get_list(
		doctype,
		fields=fields,
		filters=filters or [],
		or_filters=or_filters or [],
		order_by=order_by or "creation asc",
		group_by=group_by,
		limit_page_length=0,
	)


def scoped_child_list(
	doctype: str,
	parent_doctype: str,
	fields: list[str],
	filters=None,
	order_by: str | None = None,
	group_by: str | None = None,
) -> list:
	"""Rows of a child table the user may read through its parent (one query).

	Frappe does not apply User Permissions to a child table's own Link fields, so a user
	restricted to some schools or providers is narrowed here on those fields.
	"""
	conditions = list(filters or []) + user_permission_filters(doctype)
	return frappe.get_list(
		doctype,
		parent_doctype=parent_doctype,
		fields=fields,
		filters=conditions,
		order_by=order_by or "idx asc",
		group_by=group_by,
		limit_page_length=0,
	)


def user_permission_filters(doctype: str, user: str | None = None) -> list:
	"""[doctype, field, "in", values] for each Link field of `doctype` whose target the user
	is restricted to by User Permissions (as Frappe applies them to a parent doctype)."""
	from frappe.permissions import get_user_permissions

	user = user or frappe.session.user
	if user == "Administrator":
		return []
	restrictions = get_user_permissions(user)
	if not restrictions:
		return []
	out = []
	for df in frappe.get_meta(doctype).get_link_fields():
		allowed = [
			p.get("doc")
			for p in restrictions.get(df.options) or []
			if not p.get("applicable_for") or p.get("applicable_for") == doctype
		]
		if allowed:
			out.append([doctype, df.fieldname, "in", allowed])
	return out


def date_range_filters(filters, fieldname: str, doctype: str) -> list:
	"""[doctype, fieldname, between/>=/<=, ...] from the report's from_date / to_date."""
	out = []
	if filters.get("from_date"):
		out.append([doctype, fieldname, ">=", getdate(filters["from_date"])])
	if filters.get("to_date"):
		to_date = getdate(filters["to_date"])
		out.append([doctype, fieldname, "<=", f"{to_date} 23:59:59.999999"])
	return out


def equality_filters(filters, doctype: str, fieldnames) -> list:
	return [[doctype, f, "=", filters[f]] for f in fieldnames if filters.get(f)]


def yes_no_filter(filters, key: str, doctype: str, fieldname: str) -> list:
	value = filters.get(key)
	if value in ("Yes", "No"):
		return [[doctype, fieldname, "=", 1 if value == "Yes" else 0]]
	return []


def rate(part: int | float, whole: int | float) -> float:
	"""A percentage rounded to one place; 0 when there is nothing to divide by."""
	return flt(100.0 * part / whole, 1) if whole else 0.0


def yes_no(value) -> str:
	return _("Yes") if cint(value) else _("No")


def summary(label: str, value, indicator: str = "Blue", datatype: str = "Int") -> dict:
	return {"label": label, "value": value, "indicator": indicator, "datatype": datatype}


def bar_chart(labels: list[str], datasets: list[tuple[str, list]], stacked: bool = False, type_="bar"):
	chart = {
		"data": {"labels": labels, "datasets": [{"name": n, "values": v} for n, v in datasets]},
		"type": type_,
	}
	if stacked:
		chart["barOptions"] = {"stacked": 1}
	return chart


def term_of(day) -> str:
	"""The school term a date falls in: Autumn (September-December), Spring (January-March)
	or Summer (April-August), with its calendar year."""
	day = getdate(day)
	if day.month >= 9:
		return f"Autumn {day.year}"
	if day.month <= 3:
		return f"Spring {day.year}"
	return f"Summer {day.year}"


def term_sort_key(term: str) -> tuple[int, int]:
	name, year = term.split()
	return int(year), {"Spring": 0, "Summer": 1, "Autumn": 2}[name]
