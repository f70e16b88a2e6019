"""Refuse values of the wrong type before any controller reads them.

Frappe casts numbers and dates when it writes, but a JSON client can send a dictionary into
a text field, ``true`` into a link, ``0000-00-00`` as a date or 2**70 into an Int: the
controllers then fail with a server error (HTTP 500) instead of telling the user what is
wrong. :func:`check_value_types` runs before ``validate`` on every document of the app (a
``doc_events["*"]`` hook) and throws one clear :class:`InvalidValueError` (HTTP 417)
naming the fields to fix. Whole numbers sent for text fields are turned into text.
"""

from __future__ import annotations

import re

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.utils import get_datetime

from ap_provision.exceptions import InvalidValueError

TEXT_TYPES = {
	"Data",
	"Small Text",
	"Text",
	"Long Text",
	"Text Editor",
	"Markdown Editor",
	"HTML Editor",
	"Code",
	"Select",
	"Link",
	"Dynamic Link",
	"Attach",
	"Attach Image",
	"Phone",
	"Read Only",
	"Autocomplete",
	"Password",
	"Signature",
	"Color",
	"Barcode",
	"JSON",
}
NUMBER_TYPES = {"Int", "Check", "Float", "Currency", "Percent", "Rating", "Duration"}
DATE_TYPES = {"Date", "Datetime"}
INT_LIMIT = 2**31 - 1
FLOAT_LIMIT = 1e15
NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?\s*$")
EARLIEST, LATEST = 1900, 2199


# Fields only the server sets: whatever a client sends for them is replaced by the stored
# value before validation (the controller then sets them when it should).
SERVER_FIELDS = {
	"Referral": ("decided_by", "decided_on"),
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
SAFE_URL = re.compile(r"^(/(private/)?files/|https?://)[^<>\"'\s]*$")


def check_value_types(doc, method=None):
	"""before_insert and before_validate of every document of the app."""
	if doc.meta.module not in app_modules():
		return
	keep_server_fields(doc)
	# Links the client sent that the user may not read: refused at validate (check_links),
	# after the controller's own checks, judged on the values as sent (before the controller
	# sets links of its own, such as the panel a submitted referral goes to).
	doc.flags.unreadable_links = unreadable_links(doc)
	problems = problems_in(doc) + docstatus_problems(doc)
	if doc.is_new() and doc.docstatus != 0 and has_workflow(doc.doctype):
		problems.append(_("a new {0} starts as a draft: use the workflow actions").format(_(doc.doctype)))
	for child_df in doc.meta.get_table_fields():
		rows = doc.get(child_df.fieldname)
		if rows is None:
			continue
		if not isinstance(rows, list):
			problems.append(_("{0} must be a list of rows").format(_(child_df.label)))
			continue
		for row in rows:
			problems += [f"{_(child_df.label)} #{row.idx}: {p}" for p in problems_in(row)]
	if problems:
		frappe.throw(
			_("Please correct these values: {0}").format("; ".join(problems[:10])),
			InvalidValueError,
			title=_("Invalid values"),
		)


def keep_server_fields(doc):
	before = None if doc.is_new() else doc.get_doc_before_save()
	if before is None and not doc.is_new():
		before = frappe.db.get_value(doc.doctype, doc.name, ["owner", "creation"], as_dict=True)
	if before:
		doc.owner, doc.creation = before.get("owner"), before.get("creation")
	fieldnames = SERVER_FIELDS.get(doc.doctype, ())
	if not fieldnames:
		return
	stored = (
		{} if doc.is_new() else frappe.db.get_value(doc.doctype, doc.name, fieldnames, as_dict=True) or {}
	)
	for fieldname in fieldnames:
		doc.set(fieldname, stored.get(fieldname))


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
	from ap_provision.security.matrix import MATRIX

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


def docstatus_problems(doc) -> list[str]:
	"""With a workflow, the docstatus follows the workflow state (apply_workflow changes both)."""
	if doc.is_new() or not has_workflow(doc.doctype):
		return []
	from frappe.model.workflow import get_workflow

	workflow = get_workflow(doc.doctype)
	state = doc.get(workflow.workflow_state_field)
	expected = {row.state: int(row.doc_status or 0) for row in workflow.states}.get(state)
	if expected is not None and int(doc.docstatus or 0) != expected:
		return [_("{0} is changed by the workflow actions, not by setting its status").format(_(doc.doctype))]
	return []


def has_workflow(doctype: str) -> bool:
	from frappe.model.workflow import get_workflow_name

	return bool(get_workflow_name(doctype))


def app_modules() -> list[str]:
	return frappe.get_module_list("ap_provision")


def problems_in(doc) -> list[str]:
	problems = []
	for df in doc.meta.fields:
		if df.fieldtype in no_value_fields or df.fieldtype in table_fields:
			continue
		value = doc.get(df.fieldname)
		if value is None or value == "":
			continue
		label = _(df.label or df.fieldname)
		if df.fieldtype in TEXT_TYPES:
			if isinstance(value, bool) or not isinstance(value, str | int | float):
				problems.append(_("{0} must be text").format(label))
			elif isinstance(value, int | float):
				doc.set(df.fieldname, str(value))
			elif df.fieldtype == "Small Text" and len(value.encode("utf-8")) > 65535:
				problems.append(_("{0} is too long").format(label))
			elif df.fieldtype in ("Attach", "Attach Image") and not SAFE_URL.match(value):
				problems.append(_("{0} must be an uploaded file").format(label))
		elif df.fieldtype in NUMBER_TYPES:
			found = number_problems(df, value, label)
			problems += found
			if not found and isinstance(value, str):
				number = float(value)
				doc.set(df.fieldname, int(number) if df.fieldtype in ("Int", "Check") else number)
		elif df.fieldtype in DATE_TYPES:
			problems += date_problems(df, value, label)
	return problems


def number_problems(df, value, label) -> list[str]:
	if isinstance(value, bool):
		return []
	if isinstance(value, str):
		if not NUMBER.match(value):
			return [_("{0} must be a number").format(label)]
		value = float(value)
	if not isinstance(value, int | float):
		return [_("{0} must be a number").format(label)]
	if value != value or abs(value) > (INT_LIMIT if df.fieldtype in ("Int", "Check") else FLOAT_LIMIT):
		return [_("{0} is out of range").format(label)]
	if df.fieldtype == "Check" and value not in (0, 1):
		return [_("{0} must be 0 or 1").format(label)]
	return []


def date_problems(df, value, label) -> list[str]:
	if not isinstance(value, str) and not hasattr(value, "year"):
		return [_("{0} must be a date").format(label)]
	if isinstance(value, str) and (value.startswith("0000") or not ISO_DATE.match(value.strip())):
		return [_("{0} is not a valid date (use YYYY-MM-DD)").format(label)]
	try:
		parsed = get_datetime(value)
	except Exception:
		return [_("{0} is not a valid date").format(label)]
	if not parsed or not (EARLIEST <= parsed.year <= LATEST):
		return [_("{0} must be between {1} and {2}").format(label, EARLIEST, LATEST)]
	return []
