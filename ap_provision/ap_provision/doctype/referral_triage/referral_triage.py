# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ReferralTriage(Document):
	"""The PRT's notes and recommendation on a referral, in a doctype of their own so that the
	roles that may read a referral but not the PRT's view of it (the school, SEND caseworkers,
	BOSS practitioners) have no permission on it at all: no endpoint, print, version history
	or filter can give it to them (docs/security.md)."""

	def validate(self):
		if not frappe.db.exists("Referral", self.referral):
			frappe.throw(_("Referral {0} does not exist.").format(frappe.bold(self.referral)))


@frappe.whitelist()
def open_triage(referral: str) -> str:
	"""The triage of a referral, started the first time the PRT opens it (Referral > Triage)."""
	frappe.has_permission("Referral", "read", doc=referral, throw=True)
	if not frappe.db.exists("Referral Triage", referral):
		if not frappe.has_permission("Referral Triage", "create"):
			frappe.throw(
				_("The PRT has not written a triage of this referral yet."), frappe.DoesNotExistError
			)
		frappe.get_doc({"doctype": "Referral Triage", "referral": referral}).insert()
	frappe.has_permission("Referral Triage", "read", doc=referral, throw=True)
	return referral


def readable_triage(referral: str | None) -> dict | None:
	"""The triage of a referral for the session user, or None when they may not read it (or
	there is none): for the print formats and the desk."""
	if not referral or not frappe.has_permission("Referral Triage", "read"):
		return None
	if not frappe.db.exists("Referral Triage", referral):
		return None
	if not frappe.has_permission("Referral Triage", "read", doc=referral):
		return None
	return frappe.db.get_value(
		"Referral Triage", referral, ["name", "prt_notes", "recommendation"], as_dict=True
	)
