"""Documents in a request are checked for shape before Frappe builds them (before_request).

Frappe turns a request's JSON into a document before any hook of the document runs:
``/api/resource`` calls ``frappe.new_doc(doctype, **body)`` (or ``doc.update(body)``), then
validates links and permissions, and only then the app's ``before_validate``. A dictionary sent
for a Link, a string sent for a child table, a number too big for its column, or a date such
as ``2026-02-30`` makes Frappe fail there with a server error (HTTP 500) on the app's doctypes.
This ``before_request`` hook looks at every document of the app carried by the request (the
body of ``/api/resource/<doctype>``, and any parameter holding a JSON document with a
``doctype``, as ``frappe.client``, ``savedocs``, web forms and workflow actions send them) and
refuses a wrong shape with one clear message naming the fields (HTTP 417), before Frappe reads
it. Values are then checked again on the document itself (:mod:`ap_provision.access.values`).
"""

import json
import re
from urllib.parse import unquote

import frappe
from frappe import _

from ap_provision.access.matrix import CHILD_TABLES
from ap_provision.access.values import dict_problems
from ap_provision.exceptions import InvalidValueError
from ap_provision.hooks import APP_DOCTYPES

APP_AND_CHILD_DOCTYPES = frozenset((*APP_DOCTYPES, *CHILD_TABLES))
RESOURCE = re.compile(r"^/api/(?:v1/)?resource/([^/]+)(?:/(.+))?/?$")
MAX_DOCUMENTS = 50


def check_request_documents():
	request = getattr(frappe.local, "request", None)
	if request is None or request.method not in ("POST", "PUT", "PATCH"):
		return
	problems = []
	for doctype, values in documents_in_request(request.path, frappe.local.form_dict):
		if not isinstance(values, dict):
			problems.append(_("the {0} sent must be a JSON object of its fields").format(_(doctype)))
			continue
		problems += dict_problems(frappe.get_meta(doctype), values)
	if problems:
		frappe.throw(
			_("Please correct these values: {0}").format("; ".join(problems[:10])),
			InvalidValueError,
			title=_("Invalid values"),
		)


def documents_in_request(path: str, form: dict):
	"""(doctype, values) of each document of the app that the request carries."""
	if match := RESOURCE.match(path or ""):
		doctype = unquote(match.group(1))
		if is_app_doctype(doctype):
			if set(form) == {"data"} and isinstance(form["data"], list):
				yield doctype, form["data"]  # a JSON array as the body
			else:
				yield doctype, {k: v for k, v in form.items() if k not in ("cmd", "run_method")}
	# frappe.client.set_value(doctype, name, fieldname, value): fieldname is a field or a dict
	doctype = form.get("doctype")
	if isinstance(doctype, str) and "fieldname" in form and is_app_doctype(doctype):
		fieldname = form.get("fieldname")
		if isinstance(fieldname, str) and fieldname.strip().startswith("{"):
			try:
				fieldname = json.loads(fieldname)
			except ValueError:
				pass
		if isinstance(fieldname, dict):
			yield doctype, fieldname
		elif isinstance(fieldname, str) and "value" in form:
			yield doctype, {fieldname: form.get("value")}
	found = 0
	for value in form.values():
		for doc in json_documents(value):
			doctype = doc.get("doctype")
			if isinstance(doctype, str) and is_app_doctype(doctype):
				found += 1
				if found > MAX_DOCUMENTS:
					return
				yield doctype, doc


def json_documents(value):
	"""Documents (dicts with a doctype) in a request parameter, parsed from JSON if need be."""
	if isinstance(value, str):
		text = value.strip()
		if not text.startswith(("{", "[")):
			return
		try:
			value = json.loads(text)
		except ValueError:
			return
	if isinstance(value, dict) and "doctype" in value:
		yield value
	elif isinstance(value, list):
		for item in value[:MAX_DOCUMENTS]:
			if isinstance(item, dict) and "doctype" in item:
				yield item


def is_app_doctype(doctype: str) -> bool:
	return doctype in APP_AND_CHILD_DOCTYPES
