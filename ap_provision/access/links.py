"""The link guard: a user may only link a record to app records they can read."""

import frappe
from frappe import _


def check_links(doc, method=None):
	"""validate of every document of the app, after the controller's own checks: no link to
	an app record the user may not read (HTTP 403)."""
	if links := doc.flags.unreadable_links:
		frappe.throw("; ".join(links), frappe.PermissionError, title=_("Not permitted"))


def unreadable_links(doc) -> list[str]:
	"""A user may only link to app records they can read (another school's referral, EHC
	assessment or pupil is refused). Unchanged links are not re-checked, nor links fetched
	from another link (Frappe sets them from the source record on every save: a provider's
	report takes its pupil and school from the placement, which is checked)."""
	if frappe.session.user == "Administrator":
		return []
	from ap_provision.access.matrix import MATRIX

	before = None if doc.is_new() else doc.get_doc_before_save()
	problems = []
	for df in doc.meta.get_link_fields():
		value = doc.get(df.fieldname)
		if not value or not isinstance(value, str) or df.options not in MATRIX or df.fetch_from:
			continue
		if before is not None and before.get(df.fieldname) == value:
			continue
		if not readable(df.options, value) and frappe.db.exists(df.options, value):
			problems.append(_("{0}: you cannot link to {1}").format(_(df.label or df.fieldname), value))
	return problems


def readable(doctype: str, name: str) -> bool:
	"""Whether the session user may read the record: the doctype's role permission, then the
	record through the same permission query its list uses (User Permissions, the app's
	permission_query_conditions, shares) in one query, rather than loading the record and its
	child tables to ask `has_permission` (a panel's agenda runs to thousands of rows)."""
	if not frappe.has_permission(doctype, "read"):
		return False
	return bool(frappe.get_list(doctype, filters={"name": name}, pluck="name", limit_page_length=1))
