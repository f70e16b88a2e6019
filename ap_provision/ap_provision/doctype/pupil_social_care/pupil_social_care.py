# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class PupilSocialCare(Document):
	"""Who else must know about a pupil in AP, in a doctype of its own: schools, providers and BOSS
	practitioners have no permission on it, so no endpoint, print, version history or filter gives
	it to them (docs/security.md)."""

	def validate(self):
		self.set_pupil_details()
		self.set_needs_more_eyes()

	def set_pupil_details(self):
		pupil = frappe.db.get_value("Pupil", self.pupil, ["full_name", "school"], as_dict=True)
		if not pupil:
			frappe.throw(_("Pupil {0} does not exist.").format(frappe.bold(self.pupil)))
		self.pupil_name = pupil.full_name
		self.school = pupil.school

	def set_needs_more_eyes(self):
		self.needs_more_eyes = int(
			bool(
				self.looked_after
				or self.child_in_need
				or self.child_protection_plan
				or (self.youth_justice_worker or "").strip()
			)
		)


def social_worker_emails(pupil: str | None) -> list[str]:
	"""The social worker's email of a pupil, for the server's own alerts (never shown to users)."""
	if not pupil:
		return []
	email = frappe.db.get_value("Pupil Social Care", pupil, "social_worker_email")
	return [email] if email else []


def may_read_social_care() -> bool:
	return bool(frappe.has_permission("Pupil Social Care", "read"))


def needs_more_eyes(pupils: list[str]) -> set[str]:
	"""Which of the pupils need more eyes, for a user who may read Pupil Social Care (else none)."""
	if not pupils or not may_read_social_care():
		return set()
	return set(
		frappe.get_list(
			"Pupil Social Care",
			filters={"pupil": ("in", pupils), "needs_more_eyes": 1},
			pluck="pupil",
		)
	)
