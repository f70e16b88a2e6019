"""Frappe desk endpoints that skip the permission of the record they read or touch.

The isolation sweep (``security/test_security_sweep.py``) found these in Frappe v15:

- ``frappe.desk.search.search_link`` / ``search_widget`` with ``ignore_user_permissions=1``
  list with ``ignore_permissions=True`` once the user may read the doctype at all: no User
  Permission, no query condition. Provider Y searched Placements and read provider X's pupils.
  The user's permissions always apply here (overrides in hooks.py).
- ``frappe.desk.search.get_link_title`` answers a record's title (a pupil's name) by name with
  no check: only for a record the user may read or select.
- ``frappe.workflow...get_workflow_state_count`` groups the whole table (``frappe.get_all``) by
  any column it is named: every value of any field. Counted within the user's permissions, and
  only by the doctype's workflow state field.
- ``frappe.core.api.file.unzip_file`` loads a File by name with no check, and its error names the
  file. The user must be allowed to write the File.
- ``frappe.desk.like.toggle_like`` writes ``_liked_by`` on any record. The user must be allowed
  to read it.
- Records about a record (a Comment, an attached File, a Tag Link, a Discussion Topic) are
  inserted by Frappe's endpoints without checking the record they are about: the user must be
  allowed to read it (``check_reference``, a ``before_insert`` hook).
- A Notification Log is read by name by any user (Frappe only narrows its lists): only its
  addressee reads it (``notification_log_permission``).
"""

import frappe
from frappe import _

# The doctypes of records about another record, and the fields naming it (doctype, name).
REFERENCE_FIELDS = {
	"Comment": ("reference_doctype", "reference_name"),
	"File": ("attached_to_doctype", "attached_to_name"),
	"Tag Link": ("document_type", "document_name"),
	"Discussion Topic": ("reference_doctype", "reference_docname"),
}


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	"""``frappe.desk.search.search_link`` with the user's permissions always applied."""
	from frappe.desk import search

	return search.search_link(
		doctype,
		txt,
		query=query,
		filters=filters,
		page_length=page_length,
		searchfield=searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=False,
	)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | None | dict | list = None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	"""``frappe.desk.search.search_widget`` with the user's permissions always applied."""
	from frappe.desk import search

	return search.search_widget(
		doctype,
		txt,
		query=query,
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=False,
	)


@frappe.whitelist()
def get_link_title(doctype, docname):
	"""Frappe's title of a linked record (shown in place of its name), for a record the user may
	read or select; any other gets its name back, as a doctype without titles does."""
	from frappe.desk import search

	if not (isinstance(doctype, str) and isinstance(docname, str)):
		frappe.throw(_("Name the document."), frappe.ValidationError)
	if not frappe.db.exists("DocType", doctype):
		return docname
	if frappe.db.exists(doctype, docname) and any(
		frappe.has_permission(doctype, ptype, doc=docname) for ptype in ("read", "select")
	):
		return search.get_link_title(doctype, docname)
	return docname


@frappe.whitelist()
def get_workflow_state_count(doctype, workflow_state_field, states):
	"""Frappe's count of records per workflow state, within the user's permissions and by the
	doctype's workflow state field only."""
	from frappe.model.workflow import get_workflow_name

	frappe.has_permission(doctype=doctype, ptype="read", throw=True)
	workflow = get_workflow_name(doctype)
	if not workflow or workflow_state_field != frappe.get_cached_value(
		"Workflow", workflow, "workflow_state_field"
	):
		return []
	states = frappe.parse_json(states)
	if not isinstance(states, list):
		states = []
	result = frappe.get_list(
		doctype,
		fields=[workflow_state_field, "count(*) as count"],
		filters={workflow_state_field: ["not in", states]} if states else None,
		group_by=workflow_state_field,
	)
	return [r for r in result if r[workflow_state_field]]


@frappe.whitelist()
def unzip_file(name: str):
	"""Frappe's unzip of a File, for a user who may write that File."""
	from frappe.core.api import file as file_api

	if not frappe.has_permission("File", "write", doc=name):
		frappe.throw(_("You may not unzip this file."), frappe.PermissionError)
	return file_api.unzip_file(name)


@frappe.whitelist()
def toggle_like(doctype, name, add=False):
	"""Frappe's like, on a record the user may read."""
	from frappe.desk import like

	if frappe.get_meta(doctype).istable:
		frappe.throw(_("A row of a table cannot be liked: like the document it belongs to."))
	if not frappe.has_permission(doctype, "read", doc=name):
		frappe.throw(_("You may not like this document."), frappe.PermissionError)
	return like.toggle_like(doctype, name, add)


@frappe.whitelist()
def submit_discussion(doctype, docname, reply, title, topic_name=None, reply_name=None):
	"""Frappe's discussion (saved with ignore_permissions), on a record the user may read."""
	from frappe.website.doctype.discussion_topic import discussion_topic

	if not frappe.has_permission(doctype, "read", doc=docname):
		frappe.throw(_("You may not discuss this document."), frappe.PermissionError)
	return discussion_topic.submit_discussion(doctype, docname, reply, title, topic_name, reply_name)


def check_reference(doc, method=None):
	"""A record about another record (REFERENCE_FIELDS) is added by a user only about a record of
	the app they may read. Frappe's own code adding such records (a version, an info comment of a
	save the user made) runs on a record the user just saved, so it passes."""
	fields = REFERENCE_FIELDS.get(doc.doctype)
	if not fields or frappe.session.user == "Administrator" or doc.flags.ignore_permissions:
		return
	doctype, name = doc.get(fields[0]), doc.get(fields[1])
	if not (doctype and name and isinstance(doctype, str) and isinstance(name, str)):
		return
	if frappe.get_cached_value("DocType", doctype, "module") not in _app_modules():
		return
	if not frappe.db.exists(doctype, name):
		return
	ptype = "write" if doc.doctype == "File" else "read"  # attaching needs write, as Frappe means
	if not frappe.has_permission(doctype, ptype, doc=name):
		frappe.throw(_("You may not add this to {0} {1}.").format(_(doctype), name), frappe.PermissionError)


def _app_modules() -> set[str]:
	return set(frappe.get_all("Module Def", filters={"app_name": "ap_provision"}, pluck="name"))


def notification_log_permission(doc, ptype=None, user=None, debug=False):
	"""A notification is read by the user it is for (and System Managers)."""
	user = user or frappe.session.user
	if user == "Administrator" or not doc:
		return True
	for_user = (
		frappe.db.get_value("Notification Log", doc, "for_user") if isinstance(doc, str) else doc.for_user
	)
	return for_user in (None, user) or "System Manager" in frappe.get_roles(user)
