"""Personal data: what the app holds about a pupil, and a subject access export.

A pupil is not a User, so Frappe's Personal Data Download/Deletion Requests (driven by
``user_data_fields`` in hooks.py) cover the staff and portal users named in the app's
records, and an AP Administrator answers a subject access request about a pupil with
:func:`export_pupil_data`: every record of the pupil, their version history and the list
of attached files, as one JSON document (docs/security.md).
"""

from __future__ import annotations

import frappe
from frappe import _

from ap_provision.access.matrix import MATRIX

EXPORT_ROLES = {"AP Administrator", "System Manager"}


def linking_fields(target: str) -> list[tuple[str, str]]:
	"""(doctype, fieldname) of every app doctype with a Link to ``target``."""
	out = []
	for doctype in MATRIX:
		if not frappe.db.exists("DocType", doctype) or doctype == target:
			continue
		for df in frappe.get_meta(doctype).get_link_fields():
			if df.options == target:
				out.append((doctype, df.fieldname))
	return out


@frappe.whitelist(methods=["POST", "GET"])
def export_pupil_data(pupil: str) -> dict:
	"""Everything the service holds about one pupil (for a subject access request)."""
	if not EXPORT_ROLES.intersection(frappe.get_roles()):
		frappe.throw(_("Only an AP Administrator can export a pupil's data."), frappe.PermissionError)
	if not frappe.db.exists("Pupil", pupil):
		frappe.throw(_("Pupil {0} does not exist.").format(pupil), frappe.DoesNotExistError)
	records: dict[str, list[dict]] = {"Pupil": [frappe.get_doc("Pupil", pupil).as_dict()]}
	frontier = [("Pupil", pupil)]
	seen = {("Pupil", pupil)}
	while frontier:  # records linked to the pupil, then records linked to those
		source_doctype, source_name = frontier.pop()
		for doctype, fieldname in linking_fields(source_doctype):
			for name in frappe.get_all(doctype, filters={fieldname: source_name}, pluck="name"):
				if (doctype, name) in seen:
					continue
				seen.add((doctype, name))
				records.setdefault(doctype, []).append(frappe.get_doc(doctype, name).as_dict())
				frontier.append((doctype, name))
	versions = []
	files = []
	for doctype, name in sorted(seen):
		versions += frappe.get_all(
			"Version",
			filters={"ref_doctype": doctype, "docname": name},
			fields=["ref_doctype", "docname", "owner", "creation", "data"],
			order_by="creation",
		)
		files += frappe.get_all(
			"File",
			filters={"attached_to_doctype": doctype, "attached_to_name": name},
			fields=["file_name", "file_url", "attached_to_doctype", "attached_to_name", "creation"],
		)
	return {
		"pupil": pupil,
		"exported_by": frappe.session.user,
		"exported_on": frappe.utils.now(),
		"records": records,
		"versions": versions,
		"files": files,
	}
