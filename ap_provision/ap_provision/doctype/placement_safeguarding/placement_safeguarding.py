# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class PlacementSafeguarding(Document):
	"""The safeguarding arrangements of a placement (R5), in a doctype of their own: the panel
	reads placements but has no permission on this one, so no endpoint, print, version history
	or filter can give the arrangements to it (docs/security.md)."""

	def validate(self):
		self.set_placement_details()

	def on_update(self):
		self.mark_placement()

	def set_placement_details(self):
		"""The school and provider are the placement's (the server's, never the client's)."""
		placement = frappe.db.get_value(
			"Placement", self.placement, ["school", "provider", "pupil_name"], as_dict=True
		)
		if not placement:
			frappe.throw(_("Placement {0} does not exist.").format(frappe.bold(self.placement)))
		self.update(placement)

	def mark_placement(self):
		"""The placement shows whether arrangements are recorded (needed before it starts)."""
		recorded = int(bool((self.safeguarding_arrangements or "").strip()))
		if frappe.db.get_value("Placement", self.placement, "safeguarding_recorded") != recorded:
			frappe.db.set_value(
				"Placement", self.placement, "safeguarding_recorded", recorded, update_modified=False
			)


def arrangements_of(placement: str) -> str | None:
	"""The recorded arrangements of a placement, for the server's own checks (R5)."""
	return frappe.db.get_value("Placement Safeguarding", placement, "safeguarding_arrangements")


@frappe.whitelist()
def open_safeguarding(placement: str) -> str:
	"""The safeguarding record of a placement, started the first time the PRT opens it."""
	frappe.has_permission("Placement", "read", doc=placement, throw=True)
	if not frappe.db.exists("Placement Safeguarding", placement):
		if not frappe.has_permission("Placement Safeguarding", "create"):
			frappe.throw(
				_("The PRT has not recorded this placement's safeguarding arrangements yet."),
				frappe.DoesNotExistError,
			)
		frappe.get_doc({"doctype": "Placement Safeguarding", "placement": placement}).insert()
	frappe.has_permission("Placement Safeguarding", "read", doc=placement, throw=True)
	return placement


def readable_safeguarding(placement: str | None) -> dict | None:
	"""The safeguarding record of a placement for the session user, or None when they may not
	read it (or there is none): for the print formats and the portal."""
	if not placement or not frappe.has_permission("Placement Safeguarding", "read"):
		return None
	if not frappe.db.exists("Placement Safeguarding", placement):
		return None
	if not frappe.has_permission("Placement Safeguarding", "read", doc=placement):
		return None
	return frappe.db.get_value(
		"Placement Safeguarding",
		placement,
		["name", "provider_dsl", "school_dsl", "safeguarding_arrangements"],
		as_dict=True,
	)
