# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document

from ap_provision.rules import panels


class APProvider(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.SmallText | None
		contact_name: DF.Data | None
		email: DF.Data | None
		is_active: DF.Check
		phone: DF.Data | None
		provider_name: DF.Data
		provider_type: DF.Literal[
			"",
			"Pupil Referral Unit",
			"AP Academy or Free School",
			"Independent School",
			"Non-maintained Special School",
			"Further Education College",
			"Unregistered Provider",
		]
		serves_ks1: DF.Check
		serves_ks2: DF.Check
		serves_ks3: DF.Check
		serves_ks4: DF.Check
		ukprn: DF.Data | None
		urn: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.validate_identifiers()

	def capacity_for(self, key_stage: str | None) -> int:
		"""Places for a key stage (KS1-KS4); 0 when the provider records none."""
		if key_stage not in panels.KEY_STAGES_WITH_PLACES:
			return 0
		return int(self.get(f"capacity_{key_stage.lower()}") or 0)

	def free_places(self, key_stage: str | None, exclude_referral: str | None = None) -> int:
		return panels.free_places(
			self.capacity_for(key_stage), places_taken(self.name, key_stage, exclude_referral)
		)

	def validate_identifiers(self):
		if self.urn and not re.fullmatch(r"\d{6}", self.urn.strip()):
			frappe.throw(_("URN {0} is not valid: it has 6 digits.").format(frappe.bold(self.urn)))
		if self.ukprn and not re.fullmatch(r"1\d{7}", self.ukprn.strip()):
			frappe.throw(
				_("UKPRN {0} is not valid: it has 8 digits and starts with 1.").format(
					frappe.bold(self.ukprn)
				)
			)


def places_taken(provider: str, key_stage: str | None, exclude_referral: str | None = None) -> int:
	"""Places of a key stage held at a provider: approved referrals whose pupils have not left.

	One query, whatever the number of referrals.
	"""
	filters = {"provider": provider, "key_stage": key_stage, "workflow_state": "Approved", "docstatus": 1}
	if exclude_referral:
		filters["name"] = ("!=", exclude_referral)
	return frappe.db.count("Referral", filters)
