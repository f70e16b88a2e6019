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

from ap_provision.access import links
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
# Field types stored in a MariaDB `text` column (at most 64 KiB).
TEXT_COLUMNS = {"Small Text", "Text"}
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
	"""before_insert and before_validate of every document of the app (hooks.APP_DOCTYPES)."""
	keep_server_fields(doc)
	# Links the client sent that the user may not read: refused at validate (links.check_links),
	# after the controller's own checks, judged on the values as sent (before the controller
	# sets links of its own, such as the panel a submitted referral goes to).
	doc.flags.unreadable_links = links.unreadable_links(doc)
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


def problems_in(doc) -> list[str]:
	problems = []
	for df in doc.meta.fields:
		if df.fieldtype in no_value_fields or df.fieldtype in table_fields:
			continue
		value = doc.get(df.fieldname)
		if problem := field_problem(df, value):
			problems.append(problem)
		elif isinstance(value, int | float) and not isinstance(value, bool) and df.fieldtype in TEXT_TYPES:
			doc.set(df.fieldname, str(value))
		elif isinstance(value, str) and value.strip() and df.fieldtype in NUMBER_TYPES:
			number = float(value)
			doc.set(df.fieldname, int(number) if df.fieldtype in ("Int", "Check") else number)
	return problems


def field_problem(df, value) -> str | None:
	"""What is wrong with `value` for the field, or None (an empty value is never wrong here)."""
	if value is None or value == "":
		return None
	label = _(df.label or df.fieldname)
	if df.fieldtype in TEXT_TYPES:
		if isinstance(value, bool) or not isinstance(value, str | int | float):
			return _("{0} must be text").format(label)
		if isinstance(value, str):
			if "\x00" in value:
				return _("{0} must not contain a NUL character").format(label)
			if df.fieldtype in TEXT_COLUMNS and len(value.encode("utf-8")) > 65535:
				return _("{0} is too long").format(label)
			if df.fieldtype in ("Attach", "Attach Image") and not SAFE_URL.match(value):
				return _("{0} must be an uploaded file").format(label)
		return None
	if df.fieldtype in NUMBER_TYPES:
		found = number_problems(df, value, label)
		return found[0] if found else None
	if df.fieldtype in DATE_TYPES:
		found = date_problems(df, value, label)
		return found[0] if found else None
	return None


def dict_problems(meta, values: dict, where: str = "") -> list[str]:
	"""Shape problems of a document sent as JSON, judged before Frappe builds a document from it
	(Frappe fails with a server error on a dict in a Link, a string for a child table or a
	number too big for its column, before any app code runs)."""
	problems = []
	for key, value in values.items():
		if key in ("name", "doctype", "parent", "parenttype", "parentfield", "owner", "amended_from"):
			if value is not None and not isinstance(value, str | int):
				problems.append(_("{0}{1} must be text").format(where, key))
			continue
		if key in ("docstatus", "idx"):
			if value is not None and (
				isinstance(value, bool) or not isinstance(value, int) or abs(value) > INT_LIMIT
			):
				problems.append(_("{0}{1} must be a whole number").format(where, key))
			continue
		df = meta.get_field(key) if isinstance(key, str) else None
		if not df or df.fieldtype in no_value_fields and df.fieldtype not in table_fields:
			continue
		if df.fieldtype in table_fields:
			if value is None:
				continue
			if not isinstance(value, list):
				problems.append(_("{0}{1} must be a list of rows").format(where, _(df.label or key)))
				continue
			child_meta = frappe.get_meta(df.options)
			for i, row in enumerate(value, 1):
				if not isinstance(row, dict):
					problems.append(
						_("{0}{1} row {2} must be an object of fields").format(where, _(df.label or key), i)
					)
					continue
				problems += dict_problems(child_meta, row, f"{_(df.label or key)} #{i}: ")
			continue
		if problem := field_problem(df, value):
			problems.append(where + problem)
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
