"""Prints of stored documents only.

Frappe's print preview endpoints (``frappe.www.printview.get_html_and_style`` and
``get_rendered_raw_commands``) accept a whole document as JSON and render it as sent, after
checking the user's permission on *those* values. A user could send a document that was never
saved, naming their own school but linking another school's EHC assessment, and read that
assessment in the print. These overrides (``override_whitelisted_methods`` in hooks.py) render
the document as stored, by its doctype and name, with Frappe's own functions and permission
checks; a document that is not saved cannot be printed. Print formats then load other records
only through :mod:`ap_provision.printing`, which checks the user may read them.
"""

import frappe
from frappe import _
from frappe.utils import print_format as frappe_print_format
from frappe.www import printview


def stored_document(doc, name=None) -> tuple[str, str]:
	"""(doctype, name) of the stored document a print request names."""
	if isinstance(name, str) and name and isinstance(doc, str):
		return doc, name
	values = doc
	if isinstance(doc, str):
		try:
			values = frappe.parse_json(doc)
		except ValueError:
			values = None
	doctype = values.get("doctype") if isinstance(values, dict) else None
	docname = values.get("name") if isinstance(values, dict) else None
	if not (
		isinstance(doctype, str)
		and isinstance(docname, str)
		and frappe.db.exists("DocType", doctype)
		and frappe.db.exists(doctype, docname)
	):
		frappe.throw(
			_("Save the document before printing it: only saved documents can be printed."),
			frappe.ValidationError,
			title=_("Not saved"),
		)
	return doctype, docname


@frappe.whitelist()
def get_html_and_style(
	doc: str,
	name: str | None = None,
	print_format: str | None = None,
	no_letterhead: bool | None = None,
	letterhead: str | None = None,
	trigger_print: bool = False,
	style: str | None = None,
	settings: str | None = None,
):
	"""Frappe's print preview, of the document as stored."""
	doctype, docname = stored_document(doc, name)
	return printview.get_html_and_style(
		doctype,
		docname,
		print_format=print_format,
		no_letterhead=no_letterhead,
		letterhead=letterhead,
		trigger_print=trigger_print,
		style=style,
		settings=settings,
	)


@frappe.whitelist()
def get_rendered_raw_commands(doc: str, name: str | None = None, print_format: str | None = None):
	"""Frappe's raw printing commands, of the document as stored."""
	doctype, docname = stored_document(doc, name)
	return printview.get_rendered_raw_commands(doctype, docname, print_format=print_format)


@frappe.whitelist(allow_guest=True)
def download_pdf(doctype, name, format=None, doc=None, no_letterhead=0, language=None, letterhead=None):
	"""Frappe's PDF download, of the document as stored (a ``doc`` sent by the client is
	ignored: Frappe would fail on it with a server error)."""
	if not (isinstance(doctype, str) and isinstance(name, str)):
		frappe.throw(_("Name the document to print."), frappe.ValidationError)
	return frappe_print_format.download_pdf(
		doctype, name, format=format, no_letterhead=no_letterhead, language=language, letterhead=letterhead
	)
