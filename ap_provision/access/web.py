"""Web forms, portal lists and counts: what Frappe's own endpoints return, narrowed to what the
user may read."""

import frappe
from frappe import _
from frappe.model.document import get_controller
from frappe.utils import cint
from frappe.www import list as web_list


def readable_dict(doc) -> dict:
	"""The document as a dict without the fields the user may not read (permission levels)."""
	doc = frappe.get_doc(doc.doctype, doc.name)
	doc.apply_fieldlevel_read_permissions()
	return doc.as_dict(no_nulls=True)


@frappe.whitelist(allow_guest=True)
def get_form_data(doctype, docname=None, web_form_name=None):
	"""Frappe's web form data endpoint, returning only the fields the user may read.

	Frappe's own returns the whole document, which would show a school the PRT's notes
	(permission level 2) of its referral. Overrides
	``frappe.website.doctype.web_form.web_form.get_form_data`` (hooks.py).
	"""
	from frappe.website.doctype.web_form.web_form import get_form_data as frappe_get_form_data

	out = frappe_get_form_data(doctype, docname=docname, web_form_name=web_form_name)
	if out.get("doc") is not None:
		out.doc = readable_dict(out.doc)
	return out


def validate_web_form_create(doc, method=None):
	"""A web form inserts with ignore_permissions, so a new record posted through one needs the
	user's own create permission: a provider cannot add a Placement through the read-only
	placements page, nor a school a Placement Update."""
	if not frappe.flags.in_web_form or not doc.is_new() or not frappe.form_dict.get("web_form"):
		return
	if frappe.get_cached_value("Web Form", frappe.form_dict.web_form, "doc_type") != doc.doctype:
		return
	if not frappe.has_permission(doc.doctype, "create"):
		frappe.throw(
			_("You cannot add a {0} here: this page only shows them.").format(_(doc.doctype)),
			frappe.PermissionError,
			title=_("Not permitted"),
		)


def validate_web_form_mandatory(doc, method=None):
	"""A web form's own mandatory fields hold on the server too (Frappe checks them in the browser
	only), so a post with a field left out saves nothing."""
	if not frappe.flags.in_web_form or not frappe.form_dict.get("web_form"):
		return
	web_form = frappe.get_cached_doc("Web Form", frappe.form_dict.web_form)
	if web_form.doc_type != doc.doctype:
		return
	missing = [
		f.label or f.fieldname for f in web_form.web_form_fields if f.reqd and not doc.get(f.fieldname)
	]
	if missing:
		frappe.throw(
			_("Fill in {0} before saving.").format(", ".join(frappe.bold(_(label)) for label in missing)),
			frappe.MandatoryError,
			title=_("Missing information"),
		)


@frappe.whitelist()
def get_count(doctype, filters=None, debug=False, cache=False):
	"""``frappe.client.get_count`` within the user's permissions.

	Frappe v15's own counts the whole table, whatever the user may read: school B could learn
	whether a pupil with a given UPN or name is on another school's roll. Overrides
	``frappe.client.get_count`` (hooks.py).
	"""
	from frappe.client import get_safe_filters

	return frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=[f"count(`tab{doctype}`.`name`) as total_count"],
		as_list=True,
	)[0][0]


def scrub_web_form_context(context):
	"""A web form page embeds its document as JSON: keep only the fields the user may read."""
	if context.get("reference_doc") and context.get("reference_name"):
		context.reference_doc = readable_dict(
			frappe.get_doc(context.reference_doctype, context.reference_name)
		)
	return context


@frappe.whitelist(allow_guest=True)
def get_list_data(
	doctype, txt=None, limit_start=0, fields=None, cmd=None, limit=20, web_form_name=None, **kwargs
):
	"""Frappe's web form list endpoint (``frappe.www.list.get_list_data``, overridden in
	hooks.py), for the app's own portal lists: the same filters, search, order and permission
	checks, but the Web Form comes from the cache instead of being loaded with its fields from
	the database on every call, and only the columns the list shows are read (Frappe reads
	every field of every row). Any other web form goes to Frappe's own."""
	columns = portal_list_columns(web_form_name, doctype)
	if columns is None:
		return web_list.get_list_data(doctype, txt, limit_start, fields, cmd, limit, web_form_name, **kwargs)
	if not txt and frappe.form_dict.search:
		txt = frappe.form_dict.search
		del frappe.form_dict["search"]
	filters = web_list.prepare_filters(doctype, get_controller(doctype), kwargs)
	return web_list.get_list(
		doctype, txt, filters, cint(limit_start), limit, fields=columns, order_by="modified desc"
	)


def portal_list_columns(web_form_name: str | None, doctype: str) -> list[str] | None:
	"""The fields an app web form's list shows (name first), or None for a web form that is not
	one of the app's standard forms for `doctype`. A missing web form raises Frappe's
	DoesNotExistError, as Frappe's endpoint does."""
	if not web_form_name:
		return None
	form = frappe.get_cached_doc("Web Form", web_form_name)
	if not (form.is_standard and form.module == "AP Provision" and form.doc_type == doctype):
		return None
	return ["name", *(c.fieldname for c in form.list_columns)]
